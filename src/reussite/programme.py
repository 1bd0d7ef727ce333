"""The PRE itself: its territory, teams, referents and date-effective rule parameters.

Every parameter that policy can change (territory, age bounds, eligibility criteria) is a
:class:`~reussite.timeline.Timeline`, so eligibility is judged with the values **in force
on the referral date**: the Pays Salonais territory gained Berre-l'Étang in June 2016.

>>> import datetime as dt
>>> from reussite.codes import PriorityEducation, SchoolLevel, Sex
>>> from reussite.people import Child
>>> pre = Programme(
...     id="pre-salon", name="PRE de Salon",
...     territory=Timeline.of((dt.date(2007, 1, 1), Territory(
...         communes=frozenset({"13103"}), qpv_codes=frozenset({"QP013901"})))),
...     support_teams=(SupportTeam(id="eps-1", name="EPS Salon",
...                                members=("coord", "school", "caf")),),
...     referents=(Referent(id="ref-1", name="Référente 1", fte=1.0),),
... )
>>> child = Child(
...     id="c-1", first_name="Inès", last_name="Martin", birth_date=dt.date(2009, 3, 14),
...     sex=Sex.FEMALE, school_level=SchoolLevel.CM1, commune="13014", family_id="f-1")
>>> [c.value for c in assess_eligibility(pre, child, dt.date(2018, 1, 10)).unmet]
['territory', 'priority_area']
"""

from __future__ import annotations

import datetime as dt

import attrs

from . import _sensitivity as sens
from . import _validate as v
from ._enum import LabelledEnum
from .calendar import _check_dates, age_on
from .codes import PriorityEducation
from .errors import InvalidValue
from .people import Child
from .timeline import Timeline

__all__ = [
    "Eligibility",
    "EligibilityCriterion",
    "FteChange",
    "Programme",
    "ProgrammeRules",
    "Referent",
    "SupportTeam",
    "Territory",
    "assess_eligibility",
]


@attrs.frozen(kw_only=True)
class FteChange:
    """A referent's working time from a date on (*changement de quotité*).

    Rule: ``fte`` is in (0, 1]; it applies from ``on`` until the next change.
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    fte: float = attrs.field(validator=v.fraction(), metadata=sens.ORDINARY)


def _changes_in_order(inst: Referent, attr: attrs.Attribute[object], value: object) -> None:
    changes = inst.fte_changes
    days = [c.on for c in changes]
    if days != sorted(set(days)):
        raise InvalidValue(
            "Referent", "fte_changes", days, "changes in increasing date order, one per date"
        )
    first, last = inst.joined_on, inst.left_on
    if first is not None and last is not None and last < first:
        raise InvalidValue("Referent", "left_on", last, f"a date on or after joined_on ({first})")
    if changes and first is not None and changes[0].on <= first:
        raise InvalidValue(
            "Referent",
            "fte_changes",
            changes[0].on,
            f"a date after joined_on ({first}): the FTE on joining is `fte`",
        )
    if changes and last is not None and changes[-1].on > last:
        raise InvalidValue(
            "Referent", "fte_changes", changes[-1].on, f"a date on or before left_on ({last})"
        )


@attrs.frozen(kw_only=True)
class Referent:
    """A pathway referent (*référent de parcours*) and their full-time equivalent over time.

    Rule: ``fte`` is in (0, 1], the working time from ``joined_on`` (or always, when not
    given) until the first of ``fte_changes``; the referent works until ``left_on``
    included (or for good). The seed's three referents, undated, follow 76 children per
    FTE; dated referents give the time-weighted caseload (*file active par ETP*).

    >>> r = Referent(id="ref-1", name="Référente 1", fte=0.5, joined_on=dt.date(2017, 1, 1),
    ...              fte_changes=(FteChange(on=dt.date(2017, 7, 1), fte=1.0),))
    >>> [r.fte_on(dt.date(*day)) for day in ((2016, 12, 31), (2017, 3, 1), (2018, 1, 1))]
    [0.0, 0.5, 1.0]
    >>> r.fte_days(dt.date(2017, 6, 29), dt.date(2017, 7, 2))  # 2 days at 0.5, 2 at 1.0
    3.0
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    name: str = attrs.field(validator=v.text(max_length=200), metadata=sens.DIRECT)
    fte: float = attrs.field(default=1.0, validator=v.fraction(), metadata=sens.ORDINARY)
    joined_on: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.date_between()), metadata=sens.ORDINARY
    )
    left_on: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.date_between()), metadata=sens.ORDINARY
    )
    fte_changes: tuple[FteChange, ...] = attrs.field(
        default=(),
        validator=v.all_of(v.tuple_of(v.typed(FteChange)), _changes_in_order),
        metadata=sens.ORDINARY,
    )

    def in_post(self, on: dt.date) -> bool:
        """Whether the referent works on ``on``: from ``joined_on`` to ``left_on`` included.

        Rule ``R-REFERENT``: a pathway is given only to a referent in post that day.
        """
        return (self.joined_on is None or self.joined_on <= on) and (
            self.left_on is None or on <= self.left_on
        )

    def span_in_post(self, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
        """The first and last days from ``start`` to ``end`` the referent is in post.

        ``None`` when they are in post on none of them.

        >>> gone = Referent(id="ref-1", name="R", left_on=dt.date(2017, 3, 31))
        >>> gone.span_in_post(dt.date(2017, 1, 1), dt.date(2017, 12, 31))
        (datetime.date(2017, 1, 1), datetime.date(2017, 3, 31))
        >>> later = dt.date(2018, 1, 1), dt.date(2018, 2, 1)
        >>> gone.in_post(dt.date(2017, 4, 1)), gone.span_in_post(*later)
        (False, None)
        """
        first = start if self.joined_on is None else max(start, self.joined_on)
        last = end if self.left_on is None else min(end, self.left_on)
        return (first, last) if first <= last else None

    def fte_on(self, on: dt.date) -> float:
        """The referent's FTE on ``on`` (0 before joining and after leaving)."""
        if type(on) is not dt.date:
            _check_dates("Referent.fte_on", on=on)
        if not self.in_post(on):
            return 0.0
        fte = self.fte
        for change in self.fte_changes:
            if change.on > on:
                break
            fte = change.fte
        return fte

    def fte_days(self, start: dt.date, end: dt.date) -> float:
        """FTE-days from ``start`` to ``end`` included: the FTE of each day, summed.

        Rule: a full-time referent present every day of a 365-day year gives 365 FTE-days;
        ``0.0`` when ``end`` is before ``start``.
        """
        if type(start) is not dt.date or type(end) is not dt.date:
            _check_dates("Referent.fte_days", start=start, end=end)
        span = self.span_in_post(start, end)
        if span is None:
            return 0.0
        first, last = span
        total = 0.0
        edges = [(first, self.fte_on(first))]
        edges += [(c.on, c.fte) for c in self.fte_changes if first < c.on <= last]
        for (since, fte), (until, _) in zip(edges, [*edges[1:], (last + _DAY, 0.0)], strict=True):
            total += fte * (until - since).days
        return round(total, 9)


_DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class SupportTeam:
    """A multidisciplinary support team (*équipe pluridisciplinaire de soutien*, EPS).

    It validates entries and exits; its members are named by id.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    name: str = attrs.field(validator=v.text(max_length=200), metadata=sens.ORDINARY)
    members: tuple[str, ...] = attrs.field(
        default=(),
        validator=v.all_of(v.tuple_of(v.IDENTIFIER), v.unique(str, "member ids")),
        metadata=sens.ORDINARY,
    )


@attrs.frozen(kw_only=True)
class Territory:
    """The communes (INSEE codes) and priority neighbourhoods (QPV codes) a PRE covers."""

    communes: frozenset[str] = attrs.field(
        validator=v.frozenset_of(v.INSEE_COMMUNE), metadata=sens.ORDINARY
    )
    qpv_codes: frozenset[str] = attrs.field(
        default=frozenset(), validator=v.frozenset_of(v.QPV_CODE), metadata=sens.ORDINARY
    )


def _max_age_after_min(inst: ProgrammeRules, attr: attrs.Attribute[int], value: int) -> None:
    if value < inst.min_age:
        raise InvalidValue(
            "ProgrammeRules", attr.name, value, f"an age >= min_age ({inst.min_age})"
        )


@attrs.frozen(kw_only=True)
class ProgrammeRules:
    """The rule parameters of a PRE in force over a period (*paramètres du programme*).

    Defaults are the national ones (law of 18 January 2005, art. 128) and common practice;
    each is configurable because PREs differ (some go to 18).

    Attributes:
        min_age: the youngest age on the referral date, in whole years (2 by default).
        max_age: the oldest age on the referral date, in whole years (16 by default).
        require_priority_area: whether a child must live in a QPV of the territory or
            attend a REP/REP+ school (*prioritairement*): when false, it is not checked.
        min_decision_members: fewest EPS members present for a decision to be valid
            (practice: the referent does not validate alone).
        review_interval_months: the longest gap between reviews before one is overdue.
    """

    min_age: int = attrs.field(
        default=2, validator=v.integer(min_value=0, max_value=25), metadata=sens.ORDINARY
    )
    max_age: int = attrs.field(
        default=16,
        validator=v.all_of(v.integer(min_value=0, max_value=25), _max_age_after_min),
        metadata=sens.ORDINARY,
    )
    require_priority_area: bool = attrs.field(
        default=True, validator=v.typed(bool), metadata=sens.ORDINARY
    )
    min_decision_members: int = attrs.field(
        default=2, validator=v.integer(min_value=1, max_value=50), metadata=sens.ORDINARY
    )
    review_interval_months: int = attrs.field(
        default=6, validator=v.integer(min_value=1, max_value=36), metadata=sens.ORDINARY
    )


def _default_rules(self: Programme) -> Timeline[ProgrammeRules]:
    return Timeline.constant(
        ProgrammeRules(), since=self.territory.first_start, name="programme rules"
    )


@attrs.frozen(kw_only=True)
class Programme:
    """A Programme de Réussite Éducative (*PRE*): territory, teams, referents and rules.

    Attributes:
        id: identifies the programme.
        name: the programme's name.
        territory: the communes and QPVs covered, by date.
        support_teams: the EPS that validate entries and exits (at least one).
        referents: the pathway referents and their FTE, dated when they joined, left
            or changed working time.
        rules: the rule parameters, by date (defaults: national values since the
            territory's first date).
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    name: str = attrs.field(validator=v.text(max_length=300), metadata=sens.ORDINARY)
    territory: Timeline[Territory] = attrs.field(
        validator=v.typed(Timeline), metadata=sens.ORDINARY
    )
    support_teams: tuple[SupportTeam, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.typed(SupportTeam), min_length=1),
            v.unique(lambda t: t.id, "support team ids"),
        ),
        metadata=sens.ORDINARY,
    )
    referents: tuple[Referent, ...] = attrs.field(
        default=(),
        validator=v.all_of(v.tuple_of(v.typed(Referent)), v.unique(lambda r: r.id, "referent ids")),
        metadata=sens.DIRECT,
    )
    rules: Timeline[ProgrammeRules] = attrs.field(
        default=attrs.Factory(_default_rules, takes_self=True),
        validator=v.typed(Timeline),
        metadata=sens.ORDINARY,
    )

    def support_team(self, team_id: str) -> SupportTeam | None:
        """The EPS with this id, or ``None``."""
        for team in self.support_teams:  # plain loops: the rules look up most decisions
            if team.id == team_id:
                return team
        return None

    def referent(self, referent_id: str) -> Referent | None:
        """The referent with this id, or ``None``."""
        for referent in self.referents:
            if referent.id == referent_id:
                return referent
        return None

    @property
    def referent_fte(self) -> float:
        """Total full-time equivalent of the referents as declared (*ETP de référents*).

        Each referent's ``fte`` (the FTE on joining), dates aside: the seed's simple
        ratio. Rounded to 9 decimals, so that 1.0 + 0.8 + 0.73 reads 2.53, not
        2.5300000000000002. :meth:`referent_fte_on` reads the dates.
        """
        return round(sum(r.fte for r in self.referents), 9)

    def referent_fte_on(self, on: dt.date) -> float:
        """Total FTE of the referents working on ``on`` (joined, not left; changes applied)."""
        return round(sum(r.fte_on(on) for r in self.referents), 9)

    def referent_fte_days(self, start: dt.date, end: dt.date) -> float:
        """FTE-days of all referents from ``start`` to ``end`` included.

        Rule: the sum of :meth:`Referent.fte_days`; divided by the days, the period's mean
        FTE (*ETP moyen*).
        """
        return round(sum(r.fte_days(start, end) for r in self.referents), 9)


class EligibilityCriterion(LabelledEnum):
    """A criterion of PRE eligibility (*critère d'éligibilité*)."""

    AGE = ("age", "âge sur la date d'orientation")
    TERRITORY = ("territory", "commune du territoire")
    PRIORITY_AREA = ("priority_area", "résidence en QPV ou scolarité en REP/REP+")


@attrs.frozen(kw_only=True)
class Eligibility:
    """The result of checking a child against the rules in force on a date.

    Attributes:
        on: the date judged (the referral date).
        unmet: the criteria the child does not meet (empty when eligible).
        rules_since: start date of the rule parameters that applied.
        territory_since: start date of the territory that applied.
        in_qpv: whether the child lived in a QPV **of the territory in force** (a QPV code
            elsewhere does not count): the one definition the profile tables use too.
        in_rep: whether the child's school is REP or REP+.
    """

    on: dt.date = attrs.field(metadata=sens.ORDINARY)
    unmet: tuple[EligibilityCriterion, ...] = attrs.field(metadata=sens.ORDINARY)
    rules_since: dt.date = attrs.field(metadata=sens.ORDINARY)
    territory_since: dt.date = attrs.field(metadata=sens.ORDINARY)
    in_qpv: bool = attrs.field(default=False, metadata=sens.QUASI)
    in_rep: bool = attrs.field(default=False, metadata=sens.SCHOOL)

    @property
    def eligible(self) -> bool:
        """Whether every criterion is met (no derogation needed)."""
        return not self.unmet


def assess_eligibility(programme: Programme, child: Child, on: dt.date) -> Eligibility:
    """Check a child against the programme's criteria **in force on** ``on``.

    Rule (*critères d'éligibilité*): aged ``min_age`` to ``max_age`` on the referral date;
    living in a commune of the territory; living in one of its QPVs or schooled in
    REP/REP+ (unless the rules in force do not require it). An ineligible child can still
    be admitted with a derogation recorded in the EPS decision.

    Raises:
        NotInForce: if the programme had no territory or rules yet on that date.
    """
    if not isinstance(programme, Programme):
        raise InvalidValue("assess_eligibility", "programme", programme, "a reussite.Programme")
    if not isinstance(child, Child):
        raise InvalidValue("assess_eligibility", "child", child, "a reussite.Child")
    rules = programme.rules.at(on)
    territory = programme.territory.at(on)
    unmet: list[EligibilityCriterion] = []
    age = age_on(child.birth_date, on) if on >= child.birth_date else -1
    if not rules.min_age <= age <= rules.max_age:
        unmet.append(EligibilityCriterion.AGE)
    if child.commune not in territory.communes:
        unmet.append(EligibilityCriterion.TERRITORY)
    in_qpv = child.qpv is not None and child.qpv in territory.qpv_codes
    in_rep = child.priority_education is not PriorityEducation.NONE
    if rules.require_priority_area and not (in_qpv or in_rep):
        unmet.append(EligibilityCriterion.PRIORITY_AREA)
    return Eligibility(
        on=on,
        unmet=tuple(unmet),
        rules_since=programme.rules.since(on),
        territory_since=programme.territory.since(on),
        in_qpv=in_qpv,
        in_rep=in_rep,
    )
