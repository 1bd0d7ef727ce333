"""Several years in one pass, and how the figures evolved (*évolution pluriannuelle*).

:func:`annual_reports` reads the pathways **once** and counts each one into one
:class:`~reussite.indicators.Tally` per period, so the reports of several school years
(or calendar years) cost one read of the file; each report is exactly the
:func:`~reussite.indicators.annual_report` of its own period. :meth:`Reports.evolution`
sets them side by side, figure by year, with the change from the first year to the
last, like the national syntheses' multi-year tables.

>>> from reussite.periods import SchoolYear
>>> from reussite.samples import sample_path
>>> from reussite.serialization import load_cohort
>>> years = [SchoolYear(2015), SchoolYear(2016), SchoolYear(2017)]
>>> with load_cohort(sample_path("cohort")) as cohort:
...     reports = annual_reports(cohort, years, programme=cohort.programme)
>>> [reports[year].count("children_followed") for year in years]
[86, 183, 192]
>>> row = reports.evolution().row("children_followed")
>>> row.values, row.change, round(row.change_percent)
((86, 183, 192), 106, 123)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

import attrs

from ._french import number_fr
from ._optional import require
from .errors import InvalidValue
from .indicators import NOT_APPLICABLE, Indicator, Kind, Report, Tally, Value, format_fr
from .pathway import Pathway
from .periods import Period
from .programme import Programme
from .register import Register

__all__ = ["Evolution", "EvolutionRow", "Reports", "annual_reports"]

_CHUNK = 4096
"""Pathways read before each tally counts them: one small list at a time, memory bounded."""


class Reports(Mapping[Period, Report]):
    """The reports of several periods from one pass, in the order of their start dates.

    A mapping from each period to its :class:`~reussite.indicators.Report`.
    """

    def __init__(self, reports: Mapping[Period, Report]) -> None:
        self._reports = dict(sorted(_checked(reports, "Reports").items(), key=_period_order))

    def __getitem__(self, period: Period) -> Report:
        try:
            return self._reports[period]
        except (KeyError, TypeError):  # TypeError: an unhashable key
            known = ", ".join(p.key for p in self._reports)
            raise InvalidValue("Reports", "period", period, f"one of {known}") from None

    def __iter__(self) -> Iterator[Period]:
        return iter(self._reports)

    def __len__(self) -> int:
        return len(self._reports)

    def __repr__(self) -> str:
        return f"Reports({', '.join(p.key for p in self._reports)})"

    def evolution(self) -> Evolution:
        """Every figure across the periods, with its change (see :class:`Evolution`)."""
        return Evolution.of(self)


def _period_order(item: tuple[Period, Report]) -> tuple[dt.date, dt.date]:
    return item[0].start, item[0].end


def _checked(reports: object, owner: str) -> Mapping[Period, Report]:
    """``reports`` if it maps periods to reports of those periods, else :class:`InvalidValue`."""
    if not isinstance(reports, Mapping):
        raise InvalidValue(owner, "reports", reports, "a mapping of periods to reports")
    for period, report in reports.items():
        if not isinstance(period, Period):
            raise InvalidValue(owner, "reports", period, "periods as keys")
        if not isinstance(report, Report) or report.period != period:
            raise InvalidValue(owner, f"reports[{period.key}]", report, "the period's Report")
    return reports


def annual_reports(
    pathways: Iterable[Pathway],
    periods: Iterable[Period],
    *,
    as_of: dt.date | None = None,
    programme: Programme | None = None,
    progress: Callable[[int], None] | None = None,
) -> Reports:
    """The annual report of each period, from one read of ``pathways``.

    Rule: each period's report is :func:`~reussite.indicators.annual_report` of the same
    pathways for that period, as of ``as_of`` — by default, the period's own last day
    (each year read as it stood when it closed). The pathways are read once, a few
    thousand at a time, and each is counted into every period's tally: nothing else is
    kept. The register of the pathways (:class:`~reussite.Register`: unique ids, one open
    pathway per child) is checked once, with the first period's report.

    Args:
        pathways: the pathways, in any order, each once (a cohort file being read).
        periods: the periods (school years, calendar years, date ranges), each once.
        as_of: one date all the reports are read as of, instead of each period's end.
        programme: restrict to this programme (as :func:`annual_report`).
        progress: called with the number of pathways read so far, every 10,000 or so.

    Raises:
        InvalidValue: if an argument has the wrong type, no period is given or one is
            given twice.
        InvalidInput: as :func:`~reussite.indicators.annual_report`.
        RegisterConflict: as :func:`~reussite.indicators.annual_report` (the pathways
            are checked against each other once, not once per period).
    """
    owner = "annual_reports"
    expected = "a list of periods (SchoolYear, CalendarYear, DateRange), at least one"
    if isinstance(periods, str | bytes | Period | Mapping) or not isinstance(periods, Iterable):
        raise InvalidValue(owner, "periods", periods, expected)
    chosen = list(periods)
    if not chosen:
        raise InvalidValue(owner, "periods", periods, expected)
    for n, period in enumerate(chosen):
        if not isinstance(period, Period):
            raise InvalidValue(
                owner, f"periods[{n}]", period, "SchoolYear, CalendarYear or DateRange"
            )
    if len(set(chosen)) != len(chosen):
        raise InvalidValue(owner, "periods", [p.key for p in chosen], "each period once")
    if as_of is not None and (not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime)):
        raise InvalidValue(owner, "as_of", as_of, "a datetime.date or None")
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidValue(owner, "programme", programme, "a Programme or None")
    if isinstance(pathways, str | bytes | Pathway) or not isinstance(pathways, Iterable):
        raise InvalidValue(owner, "pathways", pathways, "an iterable of Pathway")
    if progress is not None and not callable(progress):
        raise InvalidValue(owner, "progress", progress, "a function of the count read, or None")
    # The pathways are checked against each other once (the register), and each one's
    # referral and end are read once: a period's tally skips the pathways referred after
    # its as-of date (not yet known) and counts those that ended before it began without
    # reading their records (Tally.add_ended_before); it reads the others in full.
    tallies = [
        Tally(period=p, as_of=p.end if as_of is None else as_of, programme=programme, register=None)
        for p in chosen
    ]
    bounds = [(t, t.period.start, t.as_of) for t in tallies]
    check = Register().check
    iterator = iter(pathways)
    read = reported = 0
    while chunk := list(islice(iterator, _CHUNK)):
        for p in chunk:
            if not isinstance(p, Pathway):
                raise InvalidValue(owner, "pathways", p, "an iterable of reussite.Pathway")
            check(p)
        spans = [(p, p.referral.on, p.ended_on) for p in chunk]
        for tally, start, known_on in bounds:
            followed: list[Pathway] = []
            ended: list[Pathway] = []
            unknown = 0
            for p, referral_on, ended_on in spans:
                if referral_on > known_on:
                    unknown += 1
                elif ended_on is not None and ended_on < start and ended_on <= known_on:
                    ended.append(p)
                else:
                    followed.append(p)
            tally.not_yet_known += unknown
            tally.add_ended_before(ended)
            tally.add_all(followed)
        read += len(chunk)
        if progress is not None and read - reported >= 10_000:
            progress(read)
            reported = read
    return Reports({t.period: Report.from_tally(t) for t in tallies})


def _difference(first: Value, last: Value) -> float | int | None:
    if first is NOT_APPLICABLE or last is NOT_APPLICABLE:
        return None
    assert isinstance(first, int | float)
    assert isinstance(last, int | float)
    return last - first


@attrs.frozen(kw_only=True)
class EvolutionRow:
    """One figure across the periods (*ligne du tableau d'évolution*).

    Attributes:
        indicator: the definition.
        category: the breakdown category's code, or ``None``.
        label_fr: the figure's French label (with its category).
        values: the value in each period, in order (:data:`NOT_APPLICABLE` when empty).
        counts: the count behind each value (a share's numerator), or ``None``.
        change: last value minus first, in the figure's unit (points for a share);
            ``None`` when either is not applicable.
        change_percent: for a count, the change as a percentage of the first value;
            ``None`` otherwise or when the first is 0.
    """

    indicator: Indicator
    category: str | None
    label_fr: str
    values: tuple[Value, ...]
    counts: tuple[int | float | None, ...]
    change: float | int | None
    change_percent: float | None


@attrs.frozen(kw_only=True)
class Evolution:
    """Every figure of several reports, figure × period, with the change (*évolution*).

    Built by :meth:`Reports.evolution`. Shares change in percentage points, counts also
    as a percentage of the first period.

    Attributes:
        periods: the periods, in order.
        rows: one row per figure, in the reports' order.
    """

    periods: tuple[Period, ...]
    rows: tuple[EvolutionRow, ...] = attrs.field(repr=False)

    def __attrs_post_init__(self) -> None:
        periods, rows = self.periods, self.rows
        if not isinstance(periods, tuple) or not periods:
            raise InvalidValue("Evolution", "periods", periods, "a tuple of periods, at least one")
        for n, period in enumerate(periods):
            if not isinstance(period, Period):
                raise InvalidValue("Evolution", f"periods[{n}]", period, "a period")
        if not isinstance(rows, tuple):
            raise InvalidValue("Evolution", "rows", rows, "a tuple of EvolutionRow")
        for n, row in enumerate(rows):
            if not isinstance(row, EvolutionRow) or len(row.values) != len(periods):
                raise InvalidValue(
                    "Evolution", f"rows[{n}]", row, f"an EvolutionRow of {len(periods)} values"
                )

    @classmethod
    def of(cls, reports: Mapping[Period, Report]) -> Evolution:
        """The evolution of ``reports`` (periods in order of their start dates).

        Raises:
            InvalidValue: if ``reports`` is empty, or not a mapping of periods to their
                reports.
        """
        ordered = sorted(_checked(reports, "Evolution").items(), key=_period_order)
        if not ordered:
            raise InvalidValue("Evolution", "reports", reports, "at least one report")
        periods = tuple(p for p, _ in ordered)
        keys: dict[tuple[str, str | None], Indicator] = {}
        labels: dict[tuple[str, str | None], str] = {}
        for _, report in ordered:
            for figure in report.figures:
                key = (figure.indicator.id, figure.category)
                keys.setdefault(key, figure.indicator)
                labels.setdefault(key, figure.label_fr)
        rows = []
        for key, indicator in keys.items():
            values: list[Value] = []
            counts: list[int | float | None] = []
            for _, report in ordered:
                found = [f for f in report.figures if (f.indicator.id, f.category) == key]
                if found:
                    values.append(found[0].value)
                    counts.append(
                        found[0].numerator if indicator.kind in (Kind.COUNT, Kind.SHARE) else None
                    )
                else:  # a category one year does not have (a commune): nobody in it
                    values.append(0 if indicator.kind is Kind.COUNT else NOT_APPLICABLE)
                    counts.append(0 if indicator.kind is Kind.COUNT else None)
            change = _difference(values[0], values[-1])
            first = values[0]
            percent = (
                100.0 * change / first
                if indicator.kind is Kind.COUNT
                and change is not None
                and isinstance(first, int | float)
                and first
                else None
            )
            rows.append(
                EvolutionRow(
                    indicator=indicator,
                    category=key[1],
                    label_fr=labels[key],
                    values=tuple(values),
                    counts=tuple(counts),
                    change=change,
                    change_percent=percent,
                )
            )
        return cls(periods=periods, rows=tuple(rows))

    def row(self, indicator_id: str, category: str | None = None) -> EvolutionRow:
        """The row of a figure.

        Raises:
            InvalidValue: if there is no such figure.
        """
        if not isinstance(indicator_id, str):
            raise InvalidValue("Evolution", "indicator_id", indicator_id, "an indicator's id")
        if category is not None and not isinstance(category, str):
            raise InvalidValue("Evolution", "category", category, "a category's code or None")
        for row in self.rows:
            if row.indicator.id == indicator_id and row.category == category:
                return row
        raise InvalidValue("Evolution", "figure", (indicator_id, category), "a figure's id")

    def breakdown(self, indicator_id: str) -> tuple[EvolutionRow, ...]:
        """The rows of one indicator (its categories, for a breakdown).

        Raises:
            InvalidValue: if there is no such indicator.
        """
        if not isinstance(indicator_id, str):
            raise InvalidValue("Evolution", "indicator_id", indicator_id, "an indicator's id")
        rows = tuple(r for r in self.rows if r.indicator.id == indicator_id)
        if not rows:
            known = ", ".join(dict.fromkeys(r.indicator.id for r in self.rows))
            raise InvalidValue("Evolution", "indicator_id", indicator_id, f"one of {known}")
        return rows

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per figure: its terms, a value per period key, and the change.

        Not applicable values are ``None``.

        >>> from reussite.indicators import annual_report
        >>> from reussite.periods import SchoolYear
        >>> years = [SchoolYear(2016), SchoolYear(2017)]
        >>> evolution = annual_reports([], years).evolution()
        >>> evolution.to_records()[0]
        ... # doctest: +NORMALIZE_WHITESPACE
        {'indicator': 'children_followed', 'category': None, 'label_fr': 'Enfants suivis',
         'kind': 'count', 'unit': 'children', '2016-2017': 0, '2017-2018': 0,
         'change': 0, 'change_percent': None}
        """
        records = []
        for row in self.rows:
            record: dict[str, Any] = {
                "indicator": row.indicator.id,
                "category": row.category,
                "label_fr": row.label_fr,
                "kind": row.indicator.kind.value,
                "unit": row.indicator.unit.value,
            }
            for period, value in zip(self.periods, row.values, strict=True):
                record[period.key] = None if value is NOT_APPLICABLE else value
            record["change"] = row.change
            record["change_percent"] = row.change_percent
            records.append(record)
        return records

    def to_pandas(self) -> Any:
        """The records as a pandas DataFrame (extra ``pandas``).

        Raises:
            MissingOptionalDependency: if pandas is not installed.
        """
        pd = require("pandas", extra="pandas", needed_by="Evolution.to_pandas")
        return pd.DataFrame.from_records(self.to_records())

    def to_text(self, *, ids: Sequence[str] | None = None) -> str:
        """The table in French, one figure per line: each period's value, then the change.

        Args:
            ids: the indicators to show, in the table's order (default: every figure).

        Raises:
            InvalidValue: if ``ids`` is not a list of the table's indicator ids (an
                unknown id is refused, never left out).
        """
        chosen = list(self.rows)
        if ids is not None:
            known = dict.fromkeys(r.indicator.id for r in self.rows)
            if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
                raise InvalidValue("Evolution.to_text", "ids", ids, "a list of indicator ids")
            wanted = list(ids)
            unknown = [i for i in wanted if not isinstance(i, str) or i not in known]
            if unknown or not wanted:
                raise InvalidValue(
                    "Evolution.to_text", "ids", unknown or wanted, f"ids among {', '.join(known)}"
                )
            chosen = [r for r in chosen if r.indicator.id in wanted]
        head = ["Indicateur", *(p.key for p in self.periods), "Évolution"]
        lines = [head]
        for row in chosen:
            ind = row.indicator
            cells = [row.label_fr]
            cells += [format_fr(v, ind.kind, ind.unit) for v in row.values]
            cells.append(_change_fr(row))
            lines.append(cells)
        widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
        return "\n".join(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(line)
            ).rstrip()
            for line in lines
        )

    def plot(self, indicator_id: str, **options: Any) -> Any:
        """The trend of an indicator as a matplotlib figure (see :func:`reussite.charts.trend`)."""
        from .charts import trend

        return trend(self, indicator_id, **options)


def _change_fr(row: EvolutionRow) -> str:
    if row.change is None:
        return "sans objet"
    kind = row.indicator.kind
    sign = "+" if row.change > 0 else "−" if row.change < 0 else "±"
    size = abs(row.change)
    if kind is Kind.SHARE:
        return f"{sign}{number_fr(size, 0)} pts"
    if kind is Kind.COUNT:
        shown = f"{sign}{number_fr(size, 0)}"
        if row.change_percent is not None:
            shown += f" ({'+' if row.change_percent >= 0 else '−'}"
            shown += f"{number_fr(abs(row.change_percent), 0)} %)"
        return shown
    return f"{sign}{number_fr(size, 1)}"
