"""The annual report: figures computed from a tally, and the one-pass entry point."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from types import MappingProxyType
from typing import Any

import attrs

from ..codes import (
    ActionFunding,
    Attainment,
    ExitReason,
    ObjectiveDomain,
    ReferralSource,
    SchoolLevelGroup,
    Sex,
)
from ..errors import InvalidValue, ReussiteError
from ..pathway import Pathway
from ..periods import Period
from ..programme import Programme
from ..register import Register
from ._definitions import (
    INDICATORS,
    NOT_APPLICABLE,
    AgeBand,
    Indicator,
    Kind,
    NotApplicable,
    PriorityArea,
)
from ._tally import HAS_ACTION, HAS_INDIVIDUAL_ACTION, Tally

__all__ = [
    "COMMUNE_NAMES",
    "DAYS_PER_MONTH",
    "Caseload",
    "Figure",
    "MissingOptionalDependency",
    "Report",
    "Value",
    "annual_report",
]

DAYS_PER_MONTH = 365.25 / 12
"""Days in an exact month (30.4375): durations in exact months are days over this."""

Value = int | float | NotApplicable
"""A figure's value: a count, a share in %, a ratio, a mean or median, or not applicable."""

COMMUNE_NAMES: Mapping[str, str] = MappingProxyType(
    {"13103": "Salon-de-Provence", "13014": "Berre-l'Étang"}
)
"""Names of the communes reports know by INSEE code; others print as their code."""


class MissingOptionalDependency(ReussiteError, ImportError):
    """An optional extra (pandas) is needed for this and is not installed."""


@attrs.frozen(kw_only=True)
class Figure:
    """One figure of a report: an indicator (and category) with its value and terms.

    Attributes:
        indicator: the definition.
        category: the breakdown category's code (``"13103"``), or ``None``.
        category_label_fr: the category in French (``"Salon-de-Provence (13103)"``).
        value: the count, share (%), ratio, mean or median; :data:`NOT_APPLICABLE` when
            the denominator is empty.
        numerator: what was counted (or summed); ``None`` for a median.
        denominator: what it was divided by; ``None`` for a plain count.
    """

    indicator: Indicator
    category: str | None = None
    category_label_fr: str | None = None
    value: Value
    numerator: int | float | None
    denominator: int | float | None

    @property
    def applicable(self) -> bool:
        """Whether the figure has a value (its denominator is not empty)."""
        return self.value is not NOT_APPLICABLE

    @property
    def label_fr(self) -> str:
        """The indicator's French label, with the category when there is one."""
        if self.category_label_fr is None:
            return self.indicator.label_fr
        return f"{self.indicator.label_fr} : {self.category_label_fr}"


@attrs.frozen(kw_only=True)
class Caseload:
    """One referent's caseload over a report's period (*file active d'un référent*).

    Rule: days run from the period's first day to its last (or the as-of date, if
    earlier); a pathway is the referent's from the admission (or the change of referent
    that gave it to them) until it ends or passes to another referent, even past the day
    the referent left: those days are the referent's *out of post*, counted apart (a
    change of referent would hand the child to someone in post).

    Attributes:
        programme_id: the referent's programme.
        referent_id: the referent (ids only: names are personal data).
        pathways: pathways followed in the period that the referent had on some day.
        child_days: days followed in the period of those pathways while the referent's.
        fte_days: the referent's FTE-days in the period (dated FTE; 0 when not listed in
            the programme or absent all period).
        days: the days of the period counted (to the as-of date).
        child_days_out_of_post: of ``child_days``, those when the referent was not in
            post (after leaving, or before joining).
    """

    programme_id: str
    referent_id: str
    pathways: int
    child_days: int
    fte_days: float
    days: int
    child_days_out_of_post: int = 0

    @property
    def mean_children(self) -> float:
        """Children followed at a time, on average over the period (child-days / days)."""
        return self.child_days / self.days if self.days else 0.0

    @property
    def mean_fte(self) -> float:
        """The referent's mean FTE over the period (FTE-days / days)."""
        return self.fte_days / self.days if self.days else 0.0

    @property
    def per_fte(self) -> float | NotApplicable:
        """Children followed at a time per FTE, or not applicable (no FTE-day).

        The child-days while the referent was in post over their FTE-days: the days of
        children left with a referent who has gone are not theirs to carry.
        """
        if self.fte_days <= 0:
            return NOT_APPLICABLE
        return (self.child_days - self.child_days_out_of_post) / self.fte_days


def _share(
    indicator: Indicator, num: int, den: int, category: str | None, label: str | None
) -> Figure:
    value: Value = 100.0 * num / den if den else NOT_APPLICABLE
    return Figure(
        indicator=indicator,
        category=category,
        category_label_fr=label,
        value=value,
        numerator=num,
        denominator=den,
    )


def _breakdown(
    indicator: Indicator,
    counts: Mapping[str, int],
    den: int,
    categories: Iterable[tuple[str, str]],
) -> list[Figure]:
    return [_share(indicator, counts.get(code, 0), den, code, label) for code, label in categories]


def _labels(enum_cls: Any) -> list[tuple[str, str]]:
    return [(m.value, m.label_fr) for m in enum_cls]


def _mean(indicator: Indicator, histogram: Counter[int]) -> Figure:
    count = sum(histogram.values())
    total = sum(k * n for k, n in histogram.items())
    return Figure(
        indicator=indicator,
        value=total / count if count else NOT_APPLICABLE,
        numerator=total,
        denominator=count,
    )


def _median(indicator: Indicator, histogram: Counter[int]) -> Figure:
    count = sum(histogram.values())
    value: Value = NOT_APPLICABLE
    if count:
        middle = ((count - 1) // 2, count // 2)
        found: list[int] = []
        seen = 0
        for key in sorted(histogram):
            seen += histogram[key]
            while len(found) < 2 and seen > middle[len(found)]:
                found.append(key)
        value = (found[0] + found[1]) / 2
    return Figure(indicator=indicator, value=value, numerator=None, denominator=count)


def _count(indicator: Indicator, n: int) -> Figure:
    return Figure(indicator=indicator, value=n, numerator=n, denominator=None)


def commune_label(code: str) -> str:
    """A commune's name and INSEE code, or its code alone when the name is not known."""
    name = COMMUNE_NAMES.get(code)
    return f"{name} ({code})" if name else f"commune {code}"


def _figures(t: Tally) -> tuple[Figure, ...]:
    ind = INDICATORS
    facts = t.children.values()
    followed = len(facts)
    # Children with the same profile (or flags) are counted together: one C-level pass.
    columns: list[Counter[str]] = [Counter() for _ in range(6)]
    for profile, n in Counter(map(itemgetter(2), facts)).items():
        for column, value in zip(columns, profile, strict=True):
            column[value] += n
    with_action = with_individual = 0
    for flags, n in Counter(map(itemgetter(3), facts)).items():
        if flags & HAS_ACTION:
            with_action += n
        if flags & HAS_INDIVIDUAL_ACTION:
            with_individual += n
    communes, sources, sexes, ages, levels, areas = columns
    fte = (
        t.programme.referent_fte_on(min(t.period.end, t.as_of))
        if t.programme is not None
        else math.fsum(fte for _, fte in t.programmes.values())
    )
    protection = sum(t.handovers.values())  # every handover is to child protection
    known = set(communes)
    if t.programme is not None:
        known.update(c for territory in t.programme.territory.values() for c in territory.communes)
    commune_order = sorted(known, key=lambda c: (-communes[c], c))
    out: list[Figure] = [_count(ind["children_followed"], followed)]
    if commune_order:
        out += _breakdown(
            ind["children_by_commune"],
            communes,
            followed,
            [(c, commune_label(c)) for c in commune_order],
        )
    else:  # no commune to name: one figure, not applicable
        out.append(_share(ind["children_by_commune"], 0, followed, None, None))
    out.append(
        Figure(
            indicator=ind["children_per_referent_fte"],
            value=followed / fte if fte > 0 else NOT_APPLICABLE,
            numerator=followed,
            denominator=fte,
        )
    )
    child_days = sum(t.child_days.values())
    fte_days = math.fsum(t.fte_days.values())
    out.append(
        Figure(
            indicator=ind["caseload_per_referent_fte"],
            value=child_days / fte_days if fte_days > 0 else NOT_APPLICABLE,
            numerator=child_days,
            denominator=round(fte_days, 9),
        )
    )
    out.append(_mean(ind["finished_pathway_duration_mean"], t.durations))
    out.append(_median(ind["finished_pathway_duration_median"], t.durations))
    exact = _mean(ind["finished_pathway_duration_days_mean"], t.exit_days)
    months = exact.numerator / DAYS_PER_MONTH if exact.numerator is not None else None
    out.append(
        attrs.evolve(
            exact,
            indicator=ind["finished_pathway_duration_exact_mean"],
            value=exact.value / DAYS_PER_MONTH if exact.applicable else NOT_APPLICABLE,  # type: ignore[operator]
            numerator=months,
        )
    )
    out.append(exact)
    out.append(_median(ind["finished_pathway_duration_days_median"], t.exit_days))
    out.append(_share(ind["individual_pathways"], with_individual, with_action, None, None))
    out.append(
        _share(ind["actions_out_of_school_time"], t.actions_out_of_school, t.actions, None, None)
    )
    out += _breakdown(ind["referral_sources"], sources, followed, _labels(ReferralSource))
    out.append(_share(ind["family_refusal_rate"], t.refusals, t.referrals, None, None))
    refusing = sum(t.families.values())
    out.append(_share(ind["family_refusal_rate_families"], refusing, len(t.families), None, None))
    out += _breakdown(
        ind["referrals_by_source"], t.referrals_by_source, t.referrals, _labels(ReferralSource)
    )
    out += _breakdown(ind["actions_by_funding"], t.funding, t.actions, _labels(ActionFunding))
    out += _breakdown(ind["exits_by_attainment"], t.attainment, t.exits, _labels(Attainment))
    out.append(
        _share(
            ind["exits_satisfactory_evolution"],
            t.evolution_satisfactory,
            t.evolution_assessed,
            None,
            None,
        )
    )
    out += _breakdown(ind["children_by_sex"], sexes, followed, _labels(Sex))
    out += _breakdown(ind["children_by_age_band"], ages, followed, _labels(AgeBand))
    out += _breakdown(ind["children_by_school_level"], levels, followed, _labels(SchoolLevelGroup))
    out += _breakdown(ind["children_by_priority_area"], areas, followed, _labels(PriorityArea))
    objectives = sum(t.objectives.values())
    out += _breakdown(
        ind["objectives_by_domain"], t.objectives, objectives, _labels(ObjectiveDomain)
    )
    out += _breakdown(ind["exits_by_reason"], t.exit_reasons, t.exits, _labels(ExitReason))
    for step in ("referral_to_consent", "consent_to_decision", "decision_to_start"):
        out.append(_mean(ind[f"delay_{step}_mean"], t.delays[step]))
        out.append(_median(ind[f"delay_{step}_median"], t.delays[step]))
    out.append(_share(ind["reviews_overdue"], t.overdue, t.in_progress, None, None))
    out.append(_count(ind["handovers_child_protection"], protection))
    out.append(_count(ind["referrals_received"], t.referrals))
    out.append(_count(ind["entries"], t.entries))
    out.append(_count(ind["exits"], t.exits))
    return tuple(out)


@attrs.frozen(kw_only=True, eq=False)
class Report:
    """The annual report of a PRE over a period (*bilan annuel*): every defined figure.

    Built by :func:`annual_report` (or :meth:`from_tally`). Two reports over disjoint
    sets of pathways, for the same period and as-of date, :meth:`merge` into exactly the
    report of their union. Reports compare equal when their underlying counts are equal.

    Attributes:
        tally: the counts the figures are computed from (merged exactly).
        figures: every figure, in the order of :data:`INDICATORS` (categories in the
            order of their code lists; communes by decreasing count).
    """

    tally: Tally = attrs.field(repr=False)
    figures: tuple[Figure, ...] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "figures", _figures(self.tally))

    @classmethod
    def from_tally(cls, tally: Tally) -> Report:
        """The report of a tally (partial counts built with :meth:`Tally.add_all`)."""
        if not isinstance(tally, Tally):
            raise InvalidValue("Report", "tally", tally, "a reussite.indicators.Tally")
        return cls(tally=tally)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self.tally == other.tally

    __hash__ = None  # type: ignore[assignment]  # reports hold mutable-looking counts

    def __repr__(self) -> str:
        return (
            f"Report(period={self.period!r}, as_of={self.as_of!r}, "
            f"children_followed={self.value('children_followed')})"
        )

    @property
    def period(self) -> Period:
        """The reporting period."""
        return self.tally.period

    @property
    def as_of(self) -> dt.date:
        """The date the pathways were read as of (later events were not yet known)."""
        return self.tally.as_of

    @property
    def programme_names(self) -> tuple[str, ...]:
        """The names of the programmes whose pathways were counted, sorted by id."""
        if self.tally.programme is not None:
            return (self.tally.programme.name,)
        return tuple(name for _, (name, _) in sorted(self.tally.programmes.items()))

    def caseloads(self) -> tuple[Caseload, ...]:
        """The caseload of each referent over the period, by programme and referent id.

        Rule (*file active par référent*): see :class:`Caseload`; the time-weighted
        ``caseload_per_referent_fte`` is their child-days over their FTE-days, summed.
        """
        tally = self.tally
        last = min(tally.period.end, tally.as_of)
        days = max(0, (last - tally.period.start).days + 1)
        keys = sorted(tally.child_days.keys() | tally.fte_days.keys())
        return tuple(
            Caseload(
                programme_id=programme_id,
                referent_id=referent_id,
                pathways=tally.referent_pathways[programme_id, referent_id],
                child_days=tally.child_days[programme_id, referent_id],
                child_days_out_of_post=tally.child_days_out_of_post[programme_id, referent_id],
                fte_days=tally.fte_days.get((programme_id, referent_id), 0.0),
                days=days,
            )
            for programme_id, referent_id in keys
        )

    def merge(self, other: Report) -> Report:
        """The report of the pathways of both reports (exact; neither is changed).

        Rule: the two must count no pathway twice. Their registers merge, so a pathway in
        both (a report merged with itself, overlapping shards) or two open pathways of
        one child across them are refused; a report made with ``check_register=False``
        has no register, and a merge with it cannot tell: its shards must be disjoint.

        Raises:
            InvalidValue: if ``other`` is not a report of the same period, as-of date and
                programme.
            RegisterConflict: if a pathway of ``other`` conflicts with one of this report
                (both made with their registers).
        """
        if not isinstance(other, Report):
            raise InvalidValue("Report", "merge", other, "a Report")
        return Report(tally=self.tally.merge(other.tally))

    def figure(self, indicator_id: str, category: str | None = None) -> Figure:
        """The figure of an indicator (and breakdown category).

        Raises:
            InvalidValue: naming the accepted ids (or categories) when there is no such
                figure.
        """
        if indicator_id not in INDICATORS:
            raise InvalidValue(
                "Report", "indicator", indicator_id, f"one of {', '.join(INDICATORS)}"
            )
        matches = [f for f in self.figures if f.indicator.id == indicator_id]
        for figure in matches:
            if figure.category == category:
                return figure
        accepted = ", ".join(repr(f.category) for f in matches)
        raise InvalidValue("Report", f"{indicator_id}.category", category, accepted)

    def value(self, indicator_id: str, category: str | None = None) -> Value:
        """The value of a figure (see :meth:`figure`)."""
        return self.figure(indicator_id, category).value

    def count(self, indicator_id: str, category: str | None = None) -> int:
        """The value of a count (*effectif*), typed ``int``: children, exits, actions.

        For a breakdown whose figures are shares, the count is the share's numerator.

        >>> from reussite.indicators import Tally
        >>> from reussite.periods import SchoolYear
        >>> empty = Report(tally=Tally(period=SchoolYear(2017), as_of=SchoolYear(2017).end))
        >>> empty.count("children_followed"), empty.count("children_by_sex", "F")
        (0, 0)

        Raises:
            InvalidValue: if there is no such figure (see :meth:`figure`), or the figure is
                a mean, a median or a ratio, which count nothing (use :meth:`number`).
        """
        figure = self.figure(indicator_id, category)
        if figure.indicator.kind is Kind.COUNT and isinstance(figure.value, int):
            return figure.value
        if figure.indicator.kind is Kind.SHARE and isinstance(figure.numerator, int):
            return figure.numerator
        raise InvalidValue(
            "Report.count",
            "indicator",
            indicator_id,
            f"a count or a share (this one is a {figure.indicator.kind.value}: use number())",
        )

    def number(self, indicator_id: str, category: str | None = None) -> float:
        """The value of a figure as a ``float``: a share in %, a ratio, a mean or a median.

        Unlike :meth:`value`, it never returns :data:`NOT_APPLICABLE`: a figure whose
        denominator is empty is refused, so the result can be rounded or compared as is
        (check :attr:`Figure.applicable` first when it may be empty).

        >>> from reussite.indicators import Tally
        >>> from reussite.periods import SchoolYear
        >>> empty = Report(tally=Tally(period=SchoolYear(2017), as_of=SchoolYear(2017).end))
        >>> empty.number("children_followed")
        0.0
        >>> empty.number("children_by_sex", "F")
        Traceback (most recent call last):
        ...
        reussite.errors.InvalidValue: Report.number.children_by_sex: expected a figure ...

        Raises:
            InvalidValue: if there is no such figure (see :meth:`figure`) or it is not
                applicable.
        """
        value = self.figure(indicator_id, category).value
        if isinstance(value, NotApplicable):
            raise InvalidValue(
                "Report.number",
                indicator_id,
                category,
                "a figure with a value (its denominator is empty: not applicable)",
            )
        return float(value)

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per figure (JSON-ready: dates as ISO 8601, n.a. as ``None``)."""
        from ._render import records

        return records(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as JSON: period, as-of date, definitions and figures."""
        from ._render import to_json

        return to_json(self, indent=indent)

    def to_csv(self) -> str:
        """The figures as CSV (one row per figure, a header row first)."""
        from ._render import to_csv

        return to_csv(self)

    def to_text(self, *, detail: bool = True) -> str:
        """The report in French: the seed's "en quelques chiffres" box, then every figure."""
        from ._render import to_text

        return to_text(self, detail=detail)

    def to_dataframe(self) -> Any:
        """The figures as a pandas DataFrame (needs the optional extra ``pandas``).

        Raises:
            MissingOptionalDependency: if pandas is not installed.
        """
        from ._render import to_dataframe

        return to_dataframe(self)

    def _repr_html_(self) -> str:
        from ._render import to_html

        return to_html(self)

    def __str__(self) -> str:
        return self.to_text()


def annual_report(
    pathways: Iterable[Pathway],
    period: Period,
    *,
    as_of: dt.date,
    programme: Programme | None = None,
    progress: Callable[[int], None] | None = None,
    check_register: bool = True,
    known_on: dt.date | None = None,
) -> Report:
    """Compute every indicator over ``pathways`` for ``period``, in one streaming pass.

    Rule (*bilan annuel*): each pathway is read as it stood on ``as_of`` (its later events
    are not yet known; a referral after ``as_of`` is left out) and counted by the written
    definitions of :data:`INDICATORS`; nothing but counts is kept, so any iterable works
    (a list, a generator, a cohort file being read). An empty denominator gives
    :data:`NOT_APPLICABLE`, never 0 %.

    Args:
        pathways: the pathways, in any order, each once.
        period: a :class:`~reussite.periods.SchoolYear`, ``CalendarYear`` or ``DateRange``.
        as_of: the date the data are read as of (also the date of the review snapshot).
        programme: restrict to this programme and use its referent FTE; by default, the
            FTE of every programme met in the data, summed.
        progress: called with the number of pathways read so far, every 10,000.
        check_register: check the pathways against each other as they are counted (the
            rules of :class:`~reussite.Register`: unique ids, one open pathway per child
            and programme, re-entries); ``False`` only when they were checked already,
            by :func:`~reussite.serialization.load_cohort` say.
        known_on: read the data as the tracking tool knew them on this date (events
            recorded later left out, :func:`~reussite.as_known_on`): a report published
            on that date is reproduced exactly, whatever was recorded since.

    Raises:
        InvalidValue: if an argument has the wrong type.
        InvalidInput: if a pathway belongs to another programme than ``programme``.
        RegisterConflict: if a pathway conflicts with one counted before it (the same
            pathway twice, two open pathways of a child, a re-entry before the end).
    """
    if not isinstance(period, Period):
        raise InvalidValue(
            "annual_report", "period", period, "a SchoolYear, CalendarYear or DateRange"
        )
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidValue("annual_report", "as_of", as_of, "a datetime.date")
    if known_on is not None and (
        not isinstance(known_on, dt.date) or isinstance(known_on, dt.datetime)
    ):
        raise InvalidValue("annual_report", "known_on", known_on, "a datetime.date or None")
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidValue("annual_report", "programme", programme, "a Programme or None")
    if isinstance(pathways, str | bytes | Pathway) or not isinstance(pathways, Iterable):
        raise InvalidValue("annual_report", "pathways", pathways, "an iterable of Pathway")
    if type(check_register) is not bool:
        raise InvalidValue("annual_report", "check_register", check_register, "True or False")
    tally = Tally(
        period=period,
        as_of=as_of,
        programme=programme,
        known_on=known_on,
        register=Register() if check_register else None,
    )
    tally.add_all(pathways if progress is None else _reporting(pathways, progress))
    return Report(tally=tally)


def _reporting(pathways: Iterable[Pathway], progress: Callable[[int], None]) -> Iterator[Pathway]:
    """Pass ``pathways`` through, calling ``progress`` once every 10,000 has been counted."""
    for read, pathway in enumerate(pathways, start=1):
        yield pathway  # the tally has read it when it asks for the next one
        if read % 10_000 == 0:
            progress(read)
