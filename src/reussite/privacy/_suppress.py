"""Small-count suppression for published tables (*secret statistique*).

A cell counting fewer than ``k`` children is masked (primary suppression); then, while
the published cells and margins still determine a masked value exactly, another cell is
masked (complementary, or secondary, suppression). The audit is exact: it solves the
table's linear equations (each row and column adds up to its margin, the margins to the
grand total) over the masked entries with rational arithmetic, and a masked entry is
safe when the system leaves it free.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .. import _validate as v
from ..errors import InvalidValue

if TYPE_CHECKING:
    from ..indicators import Figure, Report

__all__ = [
    "CountTable",
    "SuppressedTable",
    "determined",
    "report_tables",
    "suppress_report",
    "suppress_small_counts",
]

Position = tuple[int, int]
"""A place in the table with its margins: ``(row, column)``, the margins at index R / C."""


def _rectangular(inst: CountTable, attr: attrs.Attribute[Any], value: Any) -> None:
    expected = f"{len(inst.rows)} row(s) of {len(inst.columns)} non-negative integer count(s)"
    if not isinstance(value, tuple) or len(value) != len(inst.rows):
        raise InvalidValue("CountTable", attr.name, value, expected)
    for row in value:
        if not isinstance(row, tuple) or len(row) != len(inst.columns):
            raise InvalidValue("CountTable", attr.name, value, expected)
        for count in row:
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise InvalidValue("CountTable", attr.name, count, expected)


_labels = v.all_of(v.tuple_of(v.text(max_length=300), min_length=1), v.unique(str, "labels"))


@attrs.frozen(kw_only=True)
class CountTable:
    """A two-way table of counts of children (*tableau d'effectifs*), to be published.

    Attributes:
        rows: the row labels (``"Salon-de-Provence"``).
        columns: the column labels (``"atteinte complète"``).
        counts: one tuple of non-negative counts per row.

    >>> t = CountTable(rows=("A", "B"), columns=("x", "y"), counts=((3, 9), (8, 10)))
    >>> t.row_totals, t.column_totals, t.total
    ((12, 18), (11, 19), 30)
    """

    rows: tuple[str, ...] = attrs.field(validator=_labels)
    columns: tuple[str, ...] = attrs.field(validator=_labels)
    counts: tuple[tuple[int, ...], ...] = attrs.field(validator=_rectangular)

    @classmethod
    def from_rows(
        cls, rows: Sequence[str], columns: Sequence[str], counts: Iterable[Iterable[int]]
    ) -> CountTable:
        """Build a table from lists (they are frozen into tuples)."""
        return cls(rows=tuple(rows), columns=tuple(columns), counts=tuple(tuple(r) for r in counts))

    @property
    def row_totals(self) -> tuple[int, ...]:
        """The sum of each row (*total de ligne*)."""
        return tuple(sum(r) for r in self.counts)

    @property
    def column_totals(self) -> tuple[int, ...]:
        """The sum of each column (*total de colonne*)."""
        return tuple(sum(r[j] for r in self.counts) for j in range(len(self.columns)))

    @property
    def total(self) -> int:
        """The grand total (*total général*)."""
        return sum(self.row_totals)

    def grid(self) -> tuple[tuple[int, ...], ...]:
        """The counts with margins: each row ends with its total, a last row of totals."""
        body = tuple((*row, total) for row, total in zip(self.counts, self.row_totals, strict=True))
        return (*body, (*self.column_totals, self.total))


@attrs.frozen(kw_only=True)
class SuppressedTable:
    """A table ready to publish: small counts and their complements masked (``None``).

    Attributes:
        rows: the row labels, as in the source table.
        columns: the column labels, as in the source table.
        grid: counts with margins (see :meth:`CountTable.grid`); ``None`` is masked.
        k: the threshold: no published count is between 1 and ``k - 1``.
        primary: the entries masked because they count fewer than ``k`` children.
        complementary: the entries masked so that no primary one can be recomputed.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    grid: tuple[tuple[int | None, ...], ...]
    k: int
    primary: frozenset[Position]
    complementary: frozenset[Position]

    @property
    def cells(self) -> tuple[tuple[int | None, ...], ...]:
        """The interior counts, without the margins."""
        return tuple(row[:-1] for row in self.grid[:-1])

    @property
    def row_totals(self) -> tuple[int | None, ...]:
        """The row margins (``None`` when masked)."""
        return tuple(row[-1] for row in self.grid[:-1])

    @property
    def column_totals(self) -> tuple[int | None, ...]:
        """The column margins (``None`` when masked)."""
        return self.grid[-1][:-1]

    @property
    def total(self) -> int | None:
        """The grand total (``None`` when masked)."""
        return self.grid[-1][-1]

    def to_text(self, mask: str = "s") -> str:
        """The table as aligned text, masked entries shown as ``mask`` (*secret*)."""
        header = ("", *self.columns, "Total")
        lines = [
            (label, *(mask if c is None else str(c) for c in row))
            for label, row in zip((*self.rows, "Total"), self.grid, strict=True)
        ]
        widths = [max(len(r[i]) for r in (header, *lines)) for i in range(len(header))]
        return "\n".join(
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(r, widths, strict=True))
            ).rstrip()
            for r in (header, *lines)
        )


Node = tuple[str, int]
"""A line of the table: ``("row", i)`` or ``("column", j)`` (index R / C: the margins)."""


def _ends(p: Position) -> tuple[Node, Node]:
    return ("row", p[0]), ("column", p[1])


def _component(start: Node, edges: Iterable[Position]) -> set[Node]:
    """The lines reachable from ``start`` through the given entries."""
    neighbours: dict[Node, list[Node]] = {}
    for p in edges:
        a, b = _ends(p)
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen = {start}
    stack = [start]
    while stack:
        for nxt in neighbours.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def determined(masked: Iterable[Position]) -> frozenset[Position]:
    """The masked entries whose value the published entries fix exactly.

    Each entry of a two-way table with margins sits on two lines (its row's equation and
    its column's); seen as a graph whose nodes are the lines and whose edges are the
    masked entries, the table's equations over the masked entries are the incidence
    matrix of that bipartite graph, whose null space is its cycle space. So a masked
    entry can be recomputed exactly if and only if it lies on no cycle of masked
    entries: it is a bridge of the graph.

    >>> sorted(determined({(0, 0), (0, 1)}))
    [(0, 0), (0, 1)]
    >>> determined({(0, 0), (0, 1), (1, 0), (1, 1)})
    frozenset()
    """
    edges = set(masked)
    found = set()
    for p in edges:
        a, b = _ends(p)
        if b not in _component(a, edges - {p}):
            found.add(p)
    return frozenset(found)


def suppress_small_counts(table: CountTable, k: int = 5) -> SuppressedTable:
    """Mask the counts under ``k`` and every cell that would let one be recomputed.

    Rule (*secret statistique*): a cell or margin counting 1 to ``k - 1`` children is
    masked (zero counts nobody and stays published); then, while a masked entry can be
    recomputed exactly from the published cells and margins, the smallest published
    entry on one of its lines is masked too (interior cells before margins). What is
    published therefore never pins a masked count down exactly.

    Args:
        table: the counts.
        k: the threshold (default 5, configurable; at least 1).

    Raises:
        InvalidValue: if ``k`` is not an integer of at least 1.

    >>> t = CountTable.from_rows(["A", "B"], ["x", "y"], [[3, 9], [8, 10]])
    >>> print(suppress_small_counts(t).to_text())
           x   y  Total
    A      s   s     12
    B      s   s     18
    Total  11  19    30
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidValue("suppress_small_counts", "k", k, "an integer >= 1")
    grid = table.grid()
    n_rows, n_cols = len(table.rows), len(table.columns)
    positions = [(i, j) for i in range(n_rows + 1) for j in range(n_cols + 1)]
    primary = frozenset(p for p in positions if 0 < grid[p[0]][p[1]] < k)
    masked = set(primary)
    while exposed := determined(masked):
        # Close a cycle through the exposed entry along the cheapest path of entries.
        masked.update(_cheapest_path(min(exposed), masked, grid))
    return SuppressedTable(
        rows=table.rows,
        columns=table.columns,
        grid=tuple(
            tuple(None if (i, j) in masked else grid[i][j] for j in range(n_cols + 1))
            for i in range(n_rows + 1)
        ),
        k=k,
        primary=primary,
        complementary=frozenset(masked) - primary,
    )


def _cheapest_path(
    target: Position, masked: set[Position], grid: tuple[tuple[int, ...], ...]
) -> list[Position]:
    """The published entries to mask so that ``target`` lies on a cycle of masked ones.

    Dijkstra from the target's row to its column over every other entry: a masked entry
    costs nothing, an interior count its value plus one (fewer, smaller cells first), a
    zero more than any count (a masked zero narrows the others' possible values), a
    margin more still.
    """
    n_rows, n_cols = len(grid) - 1, len(grid[0]) - 1
    big = 2 * (grid[n_rows][n_cols] + (n_rows + 1) * (n_cols + 1) + 1)

    def weight(p: Position) -> int:
        value = grid[p[0]][p[1]]
        if p in masked:
            return 0
        if p[0] == n_rows or p[1] == n_cols:
            return 2 * big + value
        return value + 1 if value else big

    start, goal = _ends(target)
    best: dict[Node, int] = {start: 0}
    came: dict[Node, tuple[Node, Position]] = {}
    queue: list[tuple[int, Node]] = [(0, start)]
    while queue:
        cost, node = heapq.heappop(queue)
        if node == goal:
            break
        if cost > best[node]:
            continue
        kind, index = node
        if kind == "row":
            steps = [((index, j), ("column", j)) for j in range(n_cols + 1)]
        else:
            steps = [((i, index), ("row", i)) for i in range(n_rows + 1)]
        for p, nxt in steps:
            if p == target:
                continue
            new = cost + weight(p)
            if new < best.get(nxt, new + 1):
                best[nxt] = new
                came[nxt] = (node, p)
                heapq.heappush(queue, (new, nxt))
    path: list[Position] = []
    node = goal
    while node != start:
        node, p = came[node]
        if p not in masked:
            path.append(p)
    return path


_PEOPLE_UNITS = ("children", "exits")
"""Report units that count children (an exit is one child's): their breakdowns are checked."""


def report_tables(report: Report) -> dict[str, CountTable]:
    """The breakdowns of an indicator report that count children, as one-row tables.

    Each figure split by categories (``children_by_commune``, ``exits_by_reason``…)
    whose unit is children or exits becomes a :class:`CountTable` with one row (the
    indicator's French label), one column per category and the numerators as counts;
    its margin is the figure's denominator, which the categories partition.

    Raises:
        InvalidValue: if a breakdown's counts do not add up to its denominator (its
            margin would then not be the published one).
    """
    groups: dict[str, list[Figure]] = {}
    for figure in report.figures:
        indicator = figure.indicator
        if indicator.breakdown is None or indicator.unit.value not in _PEOPLE_UNITS:
            continue
        if figure.category is None:  # an empty breakdown (no commune at all)
            continue
        groups.setdefault(indicator.id, []).append(figure)
    tables: dict[str, CountTable] = {}
    for indicator_id, figures in groups.items():
        counts = [f.numerator for f in figures]
        denominator = figures[0].denominator
        if not all(isinstance(c, int) for c in counts) or sum(counts) != denominator:  # type: ignore[arg-type]
            raise InvalidValue(
                "report_tables",
                indicator_id,
                counts,
                f"counts adding up to the denominator ({denominator})",
            )
        tables[indicator_id] = CountTable(
            rows=(figures[0].indicator.label_fr,),
            columns=tuple(f.category_label_fr or str(f.category) for f in figures),
            counts=(tuple(int(c) for c in counts),),  # type: ignore[arg-type]
        )
    return tables


def suppress_report(report: Report, k: int = 5) -> dict[str, SuppressedTable]:
    """Small-count suppression of an indicator report's breakdowns (*secret statistique*).

    Every breakdown that counts children (see :func:`report_tables`) goes through
    :func:`suppress_small_counts`; publish the shares of the masked categories as
    masked too, since a share and the denominator give the count back.

    >>> import datetime as dt
    >>> from reussite.indicators import annual_report
    >>> from reussite.periods import SchoolYear
    >>> tables = suppress_report(annual_report([], SchoolYear(2017), as_of=dt.date(2018, 8, 31)))
    >>> tables["exits_by_attainment"].total
    0
    """
    return {name: suppress_small_counts(t, k) for name, t in report_tables(report).items()}
