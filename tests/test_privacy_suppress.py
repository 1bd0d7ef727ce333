from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from reussite.privacy import (
    CountTable,
    determined,
    report_tables,
    suppress_report,
    suppress_small_counts,
)
from reussite.strategies import cohorts


def _rank(matrix: list[list[Fraction]]) -> int:
    """Rank by plain Gaussian elimination (independent of the library's graph audit)."""
    m = [row[:] for row in matrix]
    rank = 0
    width = len(m[0]) if m else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[rank], m[pivot] = m[pivot], m[rank]
        for i in range(len(m)):
            if i != rank and m[i][col] != 0:
                f = m[i][col] / m[rank][col]
                m[i] = [a - f * b for a, b in zip(m[i], m[rank], strict=True)]
        rank += 1
    return rank


def recomputable(grid) -> set[tuple[int, int]]:
    """Masked entries the published ones fix exactly, by linear algebra over the margins.

    Unknowns are the masked entries; each row and each column (margins included) gives
    one equation. An unknown is fixed iff adding "this unknown" as an extra equation does
    not raise the rank of the system.
    """
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    unknowns = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1) if grid[i][j] is None]
    index = {p: n for n, p in enumerate(unknowns)}
    equations = []
    for i in range(n_rows + 1):
        line = [((i, j), 1) for j in range(n_cols)] + [((i, n_cols), -1)]
        equations.append(line)
    for j in range(n_cols + 1):
        line = [((i, j), 1) for i in range(n_rows)] + [((n_rows, j), -1)]
        equations.append(line)
    matrix = []
    for line in equations:
        row = [Fraction(0)] * len(unknowns)
        for p, sign in line:
            if p in index:
                row[index[p]] += sign
        matrix.append(row)
    base = _rank(matrix)
    fixed = set()
    for p, n in index.items():
        probe = [Fraction(int(k == n)) for k in range(len(unknowns))]
        if _rank([*matrix, probe]) == base:
            fixed.add(p)
    return fixed


tables = st.integers(1, 5).flatmap(
    lambda n_rows: st.integers(1, 5).flatmap(
        lambda n_cols: st.lists(
            st.lists(st.integers(0, 12) | st.integers(0, 3), min_size=n_cols, max_size=n_cols),
            min_size=n_rows,
            max_size=n_rows,
        ).map(
            lambda counts: CountTable.from_rows(
                [f"r{i}" for i in range(n_rows)], [f"c{j}" for j in range(n_cols)], counts
            )
        )
    )
)


@given(tables, st.integers(1, 10))
def test_suppressed_tables_cannot_be_recomputed_from_the_margins(table, k):
    result = suppress_small_counts(table, k=k)
    grid = table.grid()
    published = result.grid
    for i, row in enumerate(published):
        for j, value in enumerate(row):
            if value is None:
                assert (i, j) in result.primary | result.complementary
            else:
                assert value == grid[i][j]  # nothing published is altered
                assert not 0 < value < k  # no small count is published
    assert result.primary == {
        (i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < k
    }
    assert not recomputable(published)


@given(tables)
def test_the_graph_audit_agrees_with_linear_algebra(table):
    grid = table.grid()
    masked = {(i, j) for i, row in enumerate(grid) for j, v in enumerate(row) if 0 < v < 5}
    shown = tuple(
        tuple(None if (i, j) in masked else v for j, v in enumerate(row))
        for i, row in enumerate(grid)
    )
    assert determined(masked) == recomputable(shown)


def test_a_single_small_cell_takes_three_complements():
    table = CountTable.from_rows(
        ["Salon", "Berre", "Lançon"],
        ["complète", "partielle", "non atteints"],
        [[3, 9, 12], [8, 10, 20], [15, 16, 2]],
    )
    result = suppress_small_counts(table)
    assert result.primary == {(0, 0), (2, 2)}
    assert result.complementary == {(0, 2), (2, 0)}  # one 4-cycle protects both
    assert result.row_totals == (24, 38, 33)
    assert result.total == 95
    assert result.cells[1] == (8, 10, 20)
    assert result.column_totals == (26, 35, 34)
    assert result.to_text().splitlines()[1].split() == ["Salon", "s", "9", "s", "24"]


def test_small_margins_are_masked_too():
    table = CountTable.from_rows(["A", "B"], ["x", "y"], [[1, 2], [10, 20]])
    result = suppress_small_counts(table, k=5)
    assert result.row_totals[0] is None
    assert not recomputable(result.grid)


def test_zeros_are_published_and_a_table_without_small_counts_is_unchanged():
    table = CountTable.from_rows(["A", "B"], ["x", "y"], [[0, 7], [6, 9]])
    result = suppress_small_counts(table)
    assert result.grid == table.grid()
    assert not result.primary
    assert not result.complementary


def test_k_of_one_masks_nothing():
    table = CountTable.from_rows(["A"], ["x", "y"], [[1, 2]])
    assert suppress_small_counts(table, k=1).grid == table.grid()


@pytest.mark.parametrize("k", [0, -1, 2.5, True, "5"])
def test_bad_thresholds_are_refused(k):
    table = CountTable.from_rows(["A"], ["x"], [[1]])
    with pytest.raises(r.InvalidValue, match=r"suppress_small_counts.k: expected an integer >= 1"):
        suppress_small_counts(table, k=k)


@pytest.mark.parametrize(
    ("rows", "columns", "counts", "message"),
    [
        (["A"], ["x"], [[-1]], "non-negative integer"),
        (["A"], ["x"], [[1, 2]], "1 row(s) of 1"),
        (["A", "B"], ["x"], [[1]], "2 row(s) of 1"),
        (["A"], ["x"], [[True]], "non-negative integer"),
        (["A", "A"], ["x"], [[1], [2]], "distinct labels"),
        ([], ["x"], [], "at least 1"),
    ],
)
def test_bad_tables_are_refused(rows, columns, counts, message):
    with pytest.raises(r.InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        CountTable.from_rows(rows, columns, counts)


def test_counts_must_be_tuples():
    with pytest.raises(r.InvalidValue, match=r"CountTable.counts"):
        CountTable(rows=("A",), columns=("x",), counts=[[1]])  # type: ignore[arg-type]


# --- indicator reports -------------------------------------------------------------------


@given(cohorts(min_size=3, max_size=12), st.integers(2, 6))
def test_report_breakdowns_are_suppressed_like_any_table(cohort, k):
    from reussite.indicators import annual_report
    from reussite.periods import SchoolYear

    years = sorted({p.referral.on.year for p in cohort})
    report = annual_report(cohort, SchoolYear(years[0]), as_of=dt.date(2041, 1, 1))
    tables = report_tables(report)
    assert "children_by_sex" in tables
    assert "exits_by_attainment" in tables
    assert "objectives_by_domain" not in tables  # counts objectives, not children
    suppressed = suppress_report(report, k=k)
    assert suppressed.keys() == tables.keys()
    for name, result in suppressed.items():
        assert result.total in (None, report.figure(name, _first(report, name)).denominator)
        assert all(v is None or not 0 < v < k for row in result.grid for v in row)
        assert not recomputable(result.grid)


def _first(report, name):
    return next(f.category for f in report.figures if f.indicator.id == name)


def test_a_breakdown_that_does_not_add_up_is_refused():
    import attrs as _attrs

    from reussite.indicators import annual_report
    from reussite.periods import SchoolYear

    report = annual_report([], SchoolYear(2017), as_of=dt.date(2018, 8, 31))
    broken = [
        _attrs.evolve(f, numerator=1) if f.indicator.id == "children_by_sex" else f
        for f in report.figures
    ]

    class Fake:
        figures = tuple(broken)

    with pytest.raises(r.InvalidValue, match=r"report_tables.children_by_sex"):
        report_tables(Fake())  # type: ignore[arg-type]
