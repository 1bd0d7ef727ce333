from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from conftest import scaled
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


# --- the report as a whole: an auditor tries to recompute every masked count -------------
#
# The auditor knows what anyone reading the definitions knows, written here apart from the
# library's own table: which numbers of which figures are one quantity, which breakdowns
# add up to which total, which counts are part of which, and that a share is num/den, a
# ratio num/FTE, a mean sum/count. It reads only what is published, and tries every
# masked count (and every count of people the report implies, such as the exits not
# assessed) two ways: exact linear algebra over all those relations, and the bounds that
# non-negative counts and published zeros give (a masked count is at least 1).

CHILD_BREAKDOWNS = (
    "children_by_commune",
    "referral_sources",
    "children_by_sex",
    "children_by_age_band",
    "children_by_school_level",
    "children_by_priority_area",
)
EXIT_BREAKDOWNS = ("exits_by_attainment", "exits_by_reason")
REFERRAL_BREAKDOWNS = ("referrals_by_source",)
BREAKDOWNS = CHILD_BREAKDOWNS + EXIT_BREAKDOWNS + REFERRAL_BREAKDOWNS
ONE_QUANTITY = {  # (indicator, "num" | "den") -> quantity
    **{(b, "den"): "followed" for b in CHILD_BREAKDOWNS},
    ("children_followed", "num"): "followed",
    ("children_per_referent_fte", "num"): "followed",
    **{(b, "den"): "exits" for b in EXIT_BREAKDOWNS},
    ("exits", "num"): "exits",
    ("finished_pathway_duration_mean", "den"): "exits",
    ("finished_pathway_duration_median", "den"): "exits",
    ("finished_pathway_duration_exact_mean", "den"): "exits",
    ("finished_pathway_duration_days_mean", "den"): "exits",
    ("finished_pathway_duration_days_median", "den"): "exits",
    ("referrals_received", "num"): "referrals",
    ("referrals_by_source", "den"): "referrals",
    ("family_refusal_rate_families", "den"): "families",
    ("family_refusal_rate_families", "num"): "refusing_families",
    ("family_refusal_rate", "den"): "referrals",
    ("family_refusal_rate", "num"): "refusals",
    ("individual_pathways", "den"): "with_action",
    ("individual_pathways", "num"): "individual",
    ("exits_satisfactory_evolution", "den"): "assessed",
    ("exits_satisfactory_evolution", "num"): "satisfactory",
    ("reviews_overdue", "den"): "in_progress",
    ("reviews_overdue", "num"): "overdue",
    ("handovers_child_protection", "num"): "handovers",
    ("entries", "num"): "entries",
    **{
        (f"delay_{s}_{m}", "den"): f"delay_{s}"
        for s in ("referral_to_consent", "consent_to_decision", "decision_to_start")
        for m in ("mean", "median")
    },
}
PART_OF = {  # part -> whole: the difference is a count of people too
    "with_action": "followed",
    "individual": "with_action",
    "assessed": "exits",
    "satisfactory": "assessed",
    "refusals": "referrals",
    "refusing_families": "families",
    "overdue": "in_progress",
}
MEANS = {  # mean -> its count (its numerator is the sum)
    "finished_pathway_duration_mean": "exits",
    "finished_pathway_duration_exact_mean": "exits",
    "finished_pathway_duration_days_mean": "exits",
    **{
        f"delay_{s}_mean": f"delay_{s}"
        for s in ("referral_to_consent", "consent_to_decision", "decision_to_start")
    },
}


def _quantities(figures) -> tuple[dict[str, int | None], dict[str, int]]:
    """What is published of each count of people, and (for checking) its true value."""
    published: dict[str, int | None] = {}
    for f in figures:
        for role in ("num", "den"):
            key = ONE_QUANTITY.get((f.indicator.id, role))
            if f.indicator.id in BREAKDOWNS and role == "num":
                if f.category is None:
                    continue
                key = f"{f.indicator.id}:{f.category}"
            if key is None:
                continue
            value = f.numerator if role == "num" else f.denominator
            if value is not None or key not in published:
                published[key] = value if value is None else int(value)
    return published, {}


class Auditor:
    def __init__(self, published_figures, k: int) -> None:
        self.k = k
        self.figures = published_figures
        self.known, _ = _quantities(published_figures)
        self.unknown = sorted(q for q, v in self.known.items() if v is None)
        self.sums = sorted(m for m in MEANS)  # each mean's sum: an unknown when masked
        names = self.unknown + [f"sum:{m}" for m in self.sums]
        self.index = {name: i for i, name in enumerate(names)}
        self.rows: list[list[Fraction]] = []  # coefficients, then the constant
        self.partitions: list[tuple[str, list[str]]] = []
        for breakdown in BREAKDOWNS:
            parts = [q for q in self.known if q.startswith(f"{breakdown}:")]
            if parts:
                whole = ONE_QUANTITY[(breakdown, "den")]
                self.partitions.append((whole, parts))
                self.equation({whole: -1, **dict.fromkeys(parts, 1)})
        for f in published_figures:
            self.links(f)

    def form(self, terms: dict[str, Fraction | int]) -> list[Fraction]:
        row = [Fraction(0)] * (len(self.index) + 1)
        for name, coefficient in terms.items():
            value = self.known.get(name) if not name.startswith("sum:") else None
            if name in self.index:
                row[self.index[name]] += Fraction(coefficient)
            else:
                assert value is not None, name
                row[-1] -= Fraction(coefficient) * value
        return row

    def equation(self, terms: dict[str, Fraction | int]) -> None:
        self.rows.append(self.form(terms))

    def links(self, f) -> None:
        """A share, a ratio or a mean ties its numbers together."""
        if f.value is None or not isinstance(f.value, int | float) or isinstance(f.value, bool):
            return
        value = Fraction(f.value).limit_denominator(10**9)
        num = ONE_QUANTITY.get((f.indicator.id, "num"))
        den = ONE_QUANTITY.get((f.indicator.id, "den"))
        if f.indicator.id in BREAKDOWNS and f.category is not None:
            num = f"{f.indicator.id}:{f.category}"
        if f.indicator.kind.value == "share" and num and den:
            self.equation({num: 100, den: -value})
        elif f.indicator.id == "children_per_referent_fte" and f.denominator is not None:
            row = self.form({"followed": 1})  # followed = ratio x FTE
            row[-1] += Fraction(f.denominator) * value
            self.rows.append(row)
        elif f.indicator.id in MEANS:
            count = MEANS[f.indicator.id]
            terms: dict[str, Fraction | int] = {count: value}
            if f.numerator is None:
                terms[f"sum:{f.indicator.id}"] = -1
                self.equation(terms)
            else:
                row = self.form(terms)
                row[-1] += Fraction(f.numerator)
                self.rows.append(row)

    def reduced(self) -> list[tuple[int, list[Fraction]]]:
        rows = [r[:] for r in self.rows]
        pivots: list[tuple[int, list[Fraction]]] = []
        width = len(self.index)
        for col in range(width):
            pivot = next((r for r in rows if r[col] != 0), None)
            if pivot is None:
                continue
            rows.remove(pivot)
            pivot = [x / pivot[col] for x in pivot]
            rows = [[a - r[col] * b for a, b in zip(r, pivot, strict=True)] for r in rows]
            pivots = [
                (c, [a - p[col] * b for a, b in zip(p, pivot, strict=True)]) for c, p in pivots
            ]
            pivots.append((col, pivot))
        return pivots

    def determined(self, terms: dict[str, int]) -> bool:
        """Whether the linear form (of counts) is fixed by what is published."""
        form = self.form(terms)[:-1]
        for col, pivot in self.reduced_rows:
            if form[col] != 0:
                form = [a - form[col] * b for a, b in zip(form, pivot[:-1], strict=True)]
        return all(x == 0 for x in form)

    def pinned_by_bounds(self) -> set[str]:
        """Masked counts whose bounds (counts >= 0; masked ones >= 1) leave one value."""
        low = {q: (v if v is not None else 1) for q, v in self.known.items()}
        high = {q: (v if v is not None else 10**9) for q, v in self.known.items()}
        sums = list(self.partitions)
        for part, whole in PART_OF.items():
            rest = f"{whole}-{part}"
            low[rest], high[rest] = 0, 10**9
            if self.known.get(part) is not None and self.known.get(whole) is not None:
                low[rest] = high[rest] = self.known[whole] - self.known[part]  # type: ignore[operator]
            sums.append((whole, [part, rest]))
        for _ in range(50):
            changed = False
            for whole, parts in sums:
                for i, part in enumerate(parts):
                    others = parts[:i] + parts[i + 1 :]
                    lo = low[whole] - sum(high[o] for o in others)
                    hi = high[whole] - sum(low[o] for o in others)
                    if lo > low[part] or hi < high[part]:
                        low[part], high[part] = max(low[part], lo), min(high[part], hi)
                        changed = True
                lo, hi = sum(low[p] for p in parts), sum(high[p] for p in parts)
                if lo > low[whole] or hi < high[whole]:
                    low[whole], high[whole] = max(low[whole], lo), min(high[whole], hi)
                    changed = True
            if not changed:
                break
        return {q for q in self.unknown if low[q] == high[q]}

    def audit(self, true_values: dict[str, int]) -> list[str]:
        self.reduced_rows = self.reduced()
        found = []
        for q in self.unknown:
            if self.determined({q: 1}):
                found.append(f"{q} recomputed exactly")
        for part, whole in PART_OF.items():
            rest = true_values[whole] - true_values[part]
            if 0 < rest < self.k and self.determined({whole: 1, part: -1}):
                found.append(f"{whole} - {part} = {rest} recomputed")
        found += [f"{q} pinned by bounds" for q in sorted(self.pinned_by_bounds())]
        for q, v in self.known.items():
            if v is not None and 0 < v < self.k:
                found.append(f"{q} = {v} published")
        for f in self.figures:
            count = MEANS.get(f.indicator.id) or ONE_QUANTITY.get((f.indicator.id, "den"))
            shown = f.indicator.kind.value in ("mean", "median") and f.value is not None
            if shown and 0 < true_values[count] < self.k:
                found.append(f"{f.indicator.id} over {true_values[count]} published")
        return found


def audit(report, published) -> list[str]:
    truth, _ = _quantities(report.figures)
    return Auditor(published.figures, published.k).audit(truth)  # type: ignore[arg-type]


def seed_report():
    from importlib import resources

    from reussite.serialization import load_cohort

    year = r.SchoolYear(2017)
    data = resources.files("reussite") / "data" / "pays-salonais-2017-2018.jsonl"
    with resources.as_file(data) as path, load_cohort(path) as cohort:
        return r.annual_report(cohort, year, as_of=year.end, programme=cohort.programme)


def test_the_seed_report_passes_the_audit():
    report = seed_report()
    published = suppress_report(report)
    assert report.value("handovers_child_protection") == 2
    assert published.value("handovers_child_protection") is None
    assert audit(report, published) == []
    unsuppressed = suppress_report(report, k=1)
    assert unsuppressed.figures == tuple(published_as_is(f) for f in report.figures)


def published_as_is(f):
    from reussite.privacy import PublishedFigure

    return PublishedFigure(
        indicator=f.indicator,
        category=f.category,
        category_label_fr=f.category_label_fr,
        value=f.value,
        numerator=f.numerator,
        denominator=f.denominator,
        masked=False,
    )


def test_the_auditor_catches_what_per_table_suppression_leaves():
    """Issue 18: each breakdown suppressed alone, the headline figures give cells back."""
    report = one_exit_report()
    assert report.value("exits") == 1
    naive = {name: suppress_small_counts(t) for name, t in report_tables(report).items()}
    assert naive["exits_by_attainment"].total is None  # masked inside its table...
    figures = []
    for f in report.figures:
        table = naive.get(f.indicator.id)
        if table is not None and f.category is not None:
            column = [x.category for x in report.figures if x.indicator.id == f.indicator.id]
            cell = table.cells[0][column.index(f.category)]
            f = attrs.evolve(f, numerator=cell, denominator=table.total)
            f = attrs.evolve(f, value=None if None in (cell, table.total) else f.value)
        figures.append(f)
    found = Auditor(figures, 5).audit(_quantities(report.figures)[0])  # type: ignore[arg-type]
    # ...but `exits` = 1 is published and the other cells are zeros: the cell is known
    assert "exits_by_attainment:complete recomputed exactly" in found
    published = suppress_report(report)
    assert published.value("exits") is None
    assert audit(report, published) == []


def one_exit_report():
    from conftest import D, decision, make_programme, to_state

    programme = make_programme()
    p = to_state(programme, r.State.EXIT_PROPOSED)
    p = r.apply(
        p, r.ObjectiveUpdated(on=D(2018, 6, 5), objective_id="obj-1", status=r.ObjectiveStatus.MET)
    )
    p = r.apply(
        p,
        r.ExitValidated(
            decision=decision(D(2018, 6, 18)),
            attainment=r.Attainment.COMPLETE,
            satisfactory_evolution=True,
        ),
    )
    return r.annual_report([p], r.SchoolYear(2017), as_of=D(2018, 8, 31), programme=programme)


@settings(max_examples=scaled(80))  # each example suppresses and audits a whole report
@given(cohorts(min_size=1, max_size=25), st.integers(2, 6))
def test_no_masked_count_can_be_recomputed_from_the_whole_report(cohort, k):
    from reussite.indicators import annual_report
    from reussite.periods import SchoolYear

    years = sorted({p.referral.on.year for p in cohort})
    report = annual_report(cohort, SchoolYear(years[0]), as_of=dt.date(2041, 1, 1))
    published = suppress_report(report, k=k)
    assert audit(report, published) == []
    for table in published.values():
        assert all(v is None or not 0 < v < k for row in table.grid for v in row)
        assert not recomputable(table.grid)
    for f in published.figures:
        if f.indicator.unit.value in ("actions", "objectives"):
            assert f.value == report.figure(f.indicator.id, f.category).value


def test_every_indicator_has_a_suppression_rule():
    from reussite.indicators import INDICATORS
    from reussite.privacy import PUBLISHED_COUNTS

    assert set(PUBLISHED_COUNTS) == set(INDICATORS)
    people = {"children", "exits", "pathways", "referrals"}
    for indicator in INDICATORS.values():
        numerator, _ = PUBLISHED_COUNTS[indicator.id]
        if indicator.unit.value in people and indicator.kind.value in ("count", "share"):
            assert numerator is not None, indicator.id


def test_suppress_report_checks_its_arguments():
    report = one_exit_report()
    for k in (0, 2.5, True):
        with pytest.raises(r.InvalidValue, match=r"suppress_report\.k"):
            suppress_report(report, k=k)  # type: ignore[arg-type]
    with pytest.raises(r.InvalidValue, match=r"suppress_report\.report"):
        suppress_report("report")  # type: ignore[arg-type]


def test_the_published_report_renders():
    published = suppress_report(one_exit_report())
    records = published.to_records()
    exits = next(x for x in records if x["indicator"] == "exits")
    assert exits == {
        "indicator": "exits",
        "category": None,
        "label_fr": "Sorties dans la période",
        "value": None,
        "numerator": None,
        "denominator": None,
        "status": "secret",
    }
    assert any(x["status"] == "not_applicable" for x in records)
    assert "Sorties dans la période : s" in published.to_text().splitlines()
    assert published.figure("exits").masked
    with pytest.raises(r.InvalidValue):
        published.figure("exits", "nope")
    assert len(published) == len(list(published)) == 9
