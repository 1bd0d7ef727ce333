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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from .. import _validate as v
from .._sums import Relation, SumModel
from ..errors import InvalidValue

if TYPE_CHECKING:
    from ..indicators import Figure, Indicator, Report, Value

__all__ = [
    "PUBLISHED_COUNTS",
    "SUBSETS",
    "CountTable",
    "PublishedFigure",
    "SuppressedReport",
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


_PEOPLE_UNITS = ("children", "exits", "referrals")
"""Report units of the breakdowns :func:`report_tables` gives (exits, referrals: children too)."""


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
    tables: dict[str, CountTable] = {}
    for indicator_id, figures in _breakdowns(report, _PEOPLE_UNITS).items():
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


def _breakdowns(report: Report, units: Iterable[str]) -> dict[str, list[Figure]]:
    """The figures of each breakdown of ``report`` whose unit is one of ``units``."""
    groups: dict[str, list[Figure]] = {}
    for figure in report.figures:
        indicator = figure.indicator
        if indicator.breakdown is None or indicator.unit.value not in units:
            continue
        if figure.category is None:  # an empty breakdown (no commune at all)
            continue
        groups.setdefault(indicator.id, []).append(figure)
    return groups


# --- the report as a whole ---------------------------------------------------------------

CELLS = "cells"
"""In :data:`PUBLISHED_COUNTS`: the numerators are the categories of a breakdown."""
SUM = "sum"
"""In :data:`PUBLISHED_COUNTS`: the numerator is a sum (of months, of days), not people."""

PUBLISHED_COUNTS: dict[str, tuple[str | None, str | None]] = {
    "children_followed": ("followed", None),
    "children_by_commune": (CELLS, "followed"),
    "children_per_referent_fte": ("followed", None),
    "caseload_per_referent_fte": (SUM, None),
    "finished_pathway_duration_mean": (SUM, "exits"),
    "finished_pathway_duration_median": (None, "exits"),
    "finished_pathway_duration_exact_mean": (SUM, "exits"),
    "finished_pathway_duration_days_mean": (SUM, "exits"),
    "finished_pathway_duration_days_median": (None, "exits"),
    "individual_pathways": ("with_individual_action", "with_action"),
    "actions_out_of_school_time": (None, None),
    "referral_sources": (CELLS, "followed"),
    "family_refusal_rate": ("refusals", "referrals"),
    "family_refusal_rate_families": ("refusing_families", "families"),
    "referrals_by_source": (CELLS, "referrals"),
    "actions_by_funding": (None, None),
    "exits_by_attainment": (CELLS, "exits"),
    "exits_satisfactory_evolution": ("assessed_satisfactory", "assessed"),
    "children_by_sex": (CELLS, "followed"),
    "children_by_age_band": (CELLS, "followed"),
    "children_by_school_level": (CELLS, "followed"),
    "children_by_priority_area": (CELLS, "followed"),
    "objectives_by_domain": (None, None),
    "exits_by_reason": (CELLS, "exits"),
    "delay_referral_to_consent_mean": (SUM, "consented"),
    "delay_referral_to_consent_median": (None, "consented"),
    "delay_consent_to_decision_mean": (SUM, "admitted"),
    "delay_consent_to_decision_median": (None, "admitted"),
    "delay_decision_to_start_mean": (SUM, "started"),
    "delay_decision_to_start_median": (None, "started"),
    "reviews_overdue": ("overdue", "in_progress"),
    "handovers_child_protection": ("handed_over", None),
    "referrals_received": ("referrals", None),
    "entries": ("entries", None),
    "exits": ("exits", None),
}
"""Which counts of people each indicator publishes: (numerator, denominator), as data.

A name is one quantity wherever it appears: ``followed`` is the headline count of
children followed, the denominator of every profile breakdown and the numerator of the
ratio per referent. ``None`` is not a count of people (actions, objectives, FTE, a
median). Every indicator of the report has an entry (a test checks it).
"""

SUBSETS: dict[str, str] = {
    "with_action": "followed",
    "with_individual_action": "with_action",
    "assessed": "exits",
    "assessed_satisfactory": "assessed",
    "refusals": "referrals",
    "refusing_families": "families",
    "overdue": "in_progress",
}
"""Counts that are part of another (children with an action are among those followed):
the difference, never published, is a count of people too (*effectif implicite*)."""


def _people_counts(report: Report) -> dict[str, int]:
    """The counts of people of a report, by quantity.

    Raises:
        InvalidValue: for an indicator without a rule in :data:`PUBLISHED_COUNTS`, or one
            quantity with two values.
    """
    values: dict[str, int] = {}

    def record(key: str, value: object, figure: Figure) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidValue("suppress_report", figure.indicator.id, value, "a count")
        if values.setdefault(key, value) != value:
            raise InvalidValue(
                "suppress_report",
                figure.indicator.id,
                value,
                f"the count {key!r} published elsewhere in the report ({values[key]})",
            )

    for figure in report.figures:
        rule = PUBLISHED_COUNTS.get(figure.indicator.id)
        if rule is None:
            raise InvalidValue(
                "suppress_report", "indicator", figure.indicator.id, "an indicator with a rule"
            )
        numerator, denominator = rule
        if numerator == CELLS:
            if figure.category is None:
                continue  # no category at all: its denominator is 0 and shown elsewhere
            numerator = f"{figure.indicator.id}:{figure.category}"
        if numerator is not None and numerator != SUM:
            record(numerator, figure.numerator, figure)
        if denominator is not None:
            record(denominator, figure.denominator, figure)
    return values


def _model(report: Report) -> SumModel:
    values = _people_counts(report)
    relations: list[Relation] = []
    for indicator_id, figures in _breakdowns(report, _PEOPLE_UNITS).items():
        parent = PUBLISHED_COUNTS[indicator_id][1]
        parts = tuple(f"{indicator_id}:{f.category}" for f in figures)
        if parent is None or sum(values[p] for p in parts) != values[parent]:
            raise InvalidValue(
                "suppress_report",
                indicator_id,
                [values[p] for p in parts],
                f"counts adding up to the denominator ({parent})",
            )
        relations.append(Relation(parent, parts))
    implied: set[str] = set()
    for part, whole in SUBSETS.items():
        rest = f"{whole}-{part}"
        values[rest] = values[whole] - values[part]
        if values[rest] < 0:
            raise InvalidValue("suppress_report", part, values[part], f"at most {whole}")
        implied.add(rest)
        relations.append(Relation(whole, (part, rest)))
    return SumModel(values, relations, implied)


@attrs.frozen(kw_only=True)
class PublishedFigure:
    """A figure of a report as it may be published: masked parts are ``None``.

    Attributes:
        indicator: the definition.
        category: the breakdown category's code, or ``None``.
        category_label_fr: the category in French, or ``None``.
        value: the value, or ``None`` when masked (*secret*).
        numerator: what was counted, or ``None`` when masked (or for a median).
        denominator: what it was divided by, or ``None`` when masked (or for a count).
        masked: whether anything of the figure is masked.
    """

    indicator: Indicator
    category: str | None
    category_label_fr: str | None
    value: Value | None
    numerator: int | float | None
    denominator: int | float | None
    masked: bool

    @property
    def label_fr(self) -> str:
        """The indicator's French label, with the category when there is one."""
        if self.category_label_fr is None:
            return self.indicator.label_fr
        return f"{self.indicator.label_fr} : {self.category_label_fr}"


class SuppressedReport(Mapping[str, SuppressedTable]):
    """An indicator report ready to publish: no count of 1 to ``k - 1`` people can be known.

    Every figure is in :attr:`figures`, its masked parts ``None``; as a mapping, it gives
    each breakdown counting children or exits as a one-row :class:`SuppressedTable`.

    Attributes:
        figures: every figure of the report, as it may be published.
        k: the threshold.
        primary: the counts of 1 to ``k - 1`` people (by quantity name), masked.
        masked: every count of people not published (primary, complementary, implied).
    """

    def __init__(
        self,
        figures: tuple[PublishedFigure, ...],
        tables: dict[str, SuppressedTable],
        *,
        k: int,
        primary: frozenset[str],
        masked: frozenset[str],
    ) -> None:
        self.figures = figures
        self._tables = tables
        self.k = k
        self.primary = primary
        self.masked = masked

    def __getitem__(self, indicator_id: str) -> SuppressedTable:
        return self._tables[indicator_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def figure(self, indicator_id: str, category: str | None = None) -> PublishedFigure:
        """The published figure of an indicator (and category).

        Raises:
            InvalidValue: if the report has no such figure.
        """
        for figure in self.figures:
            if figure.indicator.id == indicator_id and figure.category == category:
                return figure
        raise InvalidValue("SuppressedReport", "figure", (indicator_id, category), "a figure")

    def value(self, indicator_id: str, category: str | None = None) -> Value | None:
        """The published value of a figure, ``None`` when masked."""
        return self.figure(indicator_id, category).value

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per figure; masked numbers are ``None``, status ``"secret"``."""
        records = []
        for f in self.figures:
            value: Any = f.value
            status = "secret" if f.value is None else "ok"
            if f.value is not None and not bool(f.value) and not isinstance(f.value, int | float):
                value, status = None, "not_applicable"
            records.append(
                {
                    "indicator": f.indicator.id,
                    "category": f.category,
                    "label_fr": f.label_fr,
                    "value": value,
                    "numerator": f.numerator,
                    "denominator": f.denominator,
                    "status": status,
                }
            )
        return records

    def to_text(self, mask: str = "s") -> str:
        """Every figure in French, one per line, masked values shown as ``mask`` (*secret*)."""
        lines = []
        for f in self.figures:
            if f.value is None:
                shown = mask
            elif isinstance(f.value, float):
                shown = f"{f.value:.1f}"
            else:
                shown = str(f.value)
            lines.append(f"{f.label_fr} : {shown}")
        return "\n".join(lines)


def suppress_report(report: Report, k: int = 5) -> SuppressedReport:
    """Small-count suppression of a whole indicator report (*secret statistique*).

    Rule: every count of people the report publishes (children followed, exits,
    referrals, pathways, and each category of a breakdown of them) that is 1 to ``k - 1``
    is masked, and so is every count of people it implies without publishing it (the
    children followed without any action, the exits not assessed...); then further counts
    are masked until nothing published pins a masked count down: not the breakdowns'
    margins, not the headline figures that repeat them (``exits`` is the total of both
    exit tables), not the other breakdowns of the same total, and not the zeros, which
    stay published (so a masked count is known to be at least 1). What is published
    leaves each masked count at least two possible values. Shares, ratios, means and
    medians built on a masked count are masked with it (a share and its denominator give
    the count back); a mean or median over fewer than ``k`` people is masked. Counts of
    actions and objectives are not counts of people and stay.

    Args:
        report: the report to publish.
        k: the threshold (default 5; at least 1).

    Raises:
        InvalidValue: if ``k`` is not an integer of at least 1, or the report's counts
            do not add up (a breakdown, a part larger than its whole).

    >>> import datetime as dt
    >>> from reussite.indicators import annual_report
    >>> from reussite.periods import SchoolYear
    >>> published = suppress_report(annual_report([], SchoolYear(2017), as_of=dt.date(2018, 8, 31)))
    >>> published["exits_by_attainment"].total, published.value("exits")
    (0, 0)
    """
    from ..indicators import Report

    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise InvalidValue("suppress_report", "k", k, "an integer >= 1")
    if not isinstance(report, Report):
        raise InvalidValue("suppress_report", "report", report, "a reussite.indicators.Report")
    model = _model(report)
    primary = model.suppress(k)
    masked = frozenset(model.masked)
    figures = tuple(_published(f, masked, model.values, k) for f in report.figures)
    tables = {name: _table(figures, name, masked, primary, k) for name in report_tables(report)}
    return SuppressedReport(
        figures, tables, k=k, primary=frozenset(primary - model.implied), masked=masked
    )


def _published(
    figure: Figure, masked: frozenset[str], values: dict[str, int], k: int
) -> PublishedFigure:
    numerator_rule, denominator_rule = PUBLISHED_COUNTS[figure.indicator.id]
    if numerator_rule == CELLS and figure.category is not None:
        numerator_rule = f"{figure.indicator.id}:{figure.category}"
    hide_num = numerator_rule in masked
    hide_den = denominator_rule in masked
    if numerator_rule == SUM:  # a sum over a masked count gives it back with the mean
        hide_num = hide_den
    value: Value | None = figure.value
    small = denominator_rule is not None and 0 < values[denominator_rule] < k
    if hide_num or hide_den or (numerator_rule in (SUM, None) and small):
        value = None
    if numerator_rule is None and denominator_rule is None:
        value = figure.value  # not people: published as it is
    return PublishedFigure(
        indicator=figure.indicator,
        category=figure.category,
        category_label_fr=figure.category_label_fr,
        value=value,
        numerator=None if hide_num else figure.numerator,
        denominator=None if hide_den else figure.denominator,
        masked=value is None or hide_num or hide_den,
    )


def _table(
    figures: tuple[PublishedFigure, ...],
    name: str,
    masked: frozenset[str],
    primary: frozenset[str],
    k: int,
) -> SuppressedTable:
    cells = [f for f in figures if f.indicator.id == name and f.category is not None]
    parent = PUBLISHED_COUNTS[name][1]
    counts = tuple(f.numerator for f in cells)
    total = cells[0].denominator
    keys = [f"{name}:{f.category}" for f in cells]
    n = len(cells)
    grid = ((*counts, total), (*counts, total))
    small = {(i, j) for i in (0, 1) for j, key in enumerate(keys) if key in primary}
    if parent in primary:
        small |= {(0, n), (1, n)}
    hidden = {(i, j) for i in (0, 1) for j, key in enumerate(keys) if key in masked}
    if parent in masked:
        hidden |= {(0, n), (1, n)}
    return SuppressedTable(
        rows=(cells[0].indicator.label_fr,),
        columns=tuple(f.category_label_fr or str(f.category) for f in cells),
        grid=grid,  # type: ignore[arg-type]
        k=k,
        primary=frozenset(small),
        complementary=frozenset(hidden - small),
    )
