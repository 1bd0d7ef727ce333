"""The accumulator behind a report: what one pass over pathways keeps, and exact merges."""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice

import attrs
from dateutil.relativedelta import relativedelta

from ..codes import (
    ActionKind,
    ActionTiming,
    NotTakenOnReason,
    ObjectiveStatus,
    ReferralSource,
    SchoolLevel,
    Sex,
)
from ..errors import InvalidInput, InvalidValue
from ..events import (
    ActionPlanned,
    Admitted,
    Event,
    ObjectiveSet,
    ObjectiveUpdated,
    Reassessed,
)
from ..lifecycle import as_known_on
from ..pathway import Pathway, State
from ..periods import Period
from ..plan import Action
from ..programme import Programme, Referent
from ..register import Register, RegisterConflict
from ._definitions import AgeBand, PriorityArea

__all__ = ["ChildFacts", "Tally"]

Profile = tuple[str, str, str, str, str, str]
"""A child's profile: the codes of commune, referral source, sex, age band, school level
group and QPV/REP category (plain strings, not the enumerations' members: a tuple of
plain strings is left alone by the garbage collector, and so are the facts holding it)."""

ChildFacts = tuple[dt.date, str, Profile, int]
"""What a report keeps of one child followed in the period.

``(referral date, pathway id, profile, flags)``: the ordering key of the child's
latest pathway followed in the period, that pathway's :data:`Profile`, and flags OR-ed
over the child's pathways (bit 1: an action in the period; bit 2: an individual action in
the period).
"""

Posts = dict[str, Referent]
"""The dated referents of a programme (joined, left): ``{referent id: referent}``."""

HAS_ACTION = 1
HAS_INDIVIDUAL_ACTION = 2

DELAY_STEPS = ("referral_to_consent", "consent_to_decision", "decision_to_start")
"""The delays measured, each from one step of the pathway to the next."""

_CHUNK = 4096
"""Pathways counted between two folds into the tally: the lists of histogram keys and the
dictionary of children they gather stay small (memory is bounded whatever the number of
pathways, and a small dictionary is quick to update)."""

_IN_PROGRESS = frozenset({State.ACTIVE, State.EXIT_PROPOSED})
_DROPPED = ObjectiveStatus.DROPPED
_INDIVIDUAL = ActionKind.INDIVIDUAL
_OUT_OF_SCHOOL = ActionTiming.OUT_OF_SCHOOL_TIME
_REFUSED = NotTakenOnReason.FAMILY_REFUSED

# The profile's codes by lookup in small fixed tables (tests check them against
# ReferralSource, Sex, AgeBand.of, SchoolLevel.group and PriorityArea.of).
_CODE: dict[str, str] = {member: member.value for e in (ReferralSource, Sex) for member in e}
"""The code of a referral source or a sex (the member's value, as a plain string)."""
_GROUP_OF_LEVEL: dict[str, str] = {level: level.group.value for level in SchoolLevel}
_AREA_OF = tuple(
    tuple(PriorityArea.of(in_qpv=qpv, in_rep=rep).value for rep in (False, True))
    for qpv in (False, True)
)
"""``_AREA_OF[in_qpv][in_rep]``: the code of the QPV/REP category."""
_BAND_AGES = (16, 11, 6, 2)
"""The first age of each age band but the youngest, oldest first."""
_BAND_BY_CUTOFF = tuple(
    band.value
    for band in (
        AgeBand.FROM_16,
        AgeBand.FROM_11_TO_15,
        AgeBand.FROM_6_TO_10,
        AgeBand.FROM_2_TO_5,
        AgeBand.UNDER_2,
    )
)
"""``_BAND_BY_CUTOFF[bisect_left(_age_cutoffs(on), birth_date)]``: the age band's code."""


def _age_cutoffs(on: dt.date) -> tuple[dt.date, ...]:
    """The latest birth dates of a child aged 16, 11, 6 and 2 on ``on`` (in that order).

    A child is that old on ``on`` when born on or before that date: the same day ``age``
    years earlier, or the 28th of February when that day is the 29th and the year is
    common (:func:`reussite.calendar.age_on`: a child born on 29 February turns a year
    older on 1 March in common years).
    """
    cutoffs = []
    for age in _BAND_AGES:
        year = on.year - age
        day = min(on.day, calendar.monthrange(year, on.month)[1])
        cutoffs.append(dt.date(year, on.month, day))
    return tuple(cutoffs)


_PLAN_EVENTS = frozenset({ActionPlanned, ObjectiveSet, ObjectiveUpdated, Reassessed})
"""The events that change the plan: actions planned, objectives set (one at a time, or
with a reassessment) or updated."""


def _known_plan(pathway: Pathway, as_of: dt.date) -> tuple[Sequence[Action], list[str]] | None:
    """The plan known on ``as_of``; ``None`` when no later event touched it.

    ``(actions planned by as_of, domains of the objectives set by then and not dropped on
    that date)``. The events after ``as_of`` end the history (dates never go backwards)
    and are usually few; only they are read, and the actions and objectives they added are
    left out. An objective they updated takes back the status of its latest event known on
    ``as_of`` (read back from there). An action's end or cancellation recorded after
    ``as_of`` needs no undoing: it does not change whether the action counts (see
    :meth:`Tally._count`).
    """
    history = pathway.facts  # corrections applied: reports read the corrected facts
    known = len(history)  # the events known on as_of are history[:known]
    touched = False
    while history[known - 1].on > as_of:  # the first event, the referral, is known
        known -= 1
        touched = touched or type(history[known]) in _PLAN_EVENTS
    if not touched:
        return None
    planned_late: set[str] = set()
    set_late: set[str] = set()
    updated_late: set[str] = set()
    for event in history[known:]:  # by exact type, as the lifecycle dispatches
        if type(event) is ActionPlanned:
            planned_late.add(event.action.id)
        elif type(event) is ObjectiveSet:
            set_late.add(event.objective.id)
        elif type(event) is ObjectiveUpdated:
            updated_late.add(event.objective_id)
        elif type(event) is Reassessed:  # the objectives it adds
            set_late.update(o.id for o in event.objectives)
    actions: Sequence[Action] = pathway.actions
    if planned_late:
        actions = tuple(a for a in actions if a.id not in planned_late)
    statuses = _statuses(history[:known], updated_late - set_late) if updated_late else {}
    domains: list[str] = [
        o.domain
        for o in pathway.objectives
        if o.id not in set_late and statuses.get(o.id, o.status) is not _DROPPED
    ]
    return actions, domains


def _paused(pathway: Pathway, on: dt.date) -> bool:
    """Whether the pathway was suspended on ``on`` (as known then: a later resumption aside)."""
    for suspension in reversed(pathway.suspensions):
        if suspension.on <= on:
            return suspension.ended_on is None or suspension.ended_on > on
    return False


def _statuses(events: Sequence[Event], ids: set[str]) -> dict[str, ObjectiveStatus]:
    """The status of each objective of ``ids`` after ``events`` (each is set in them)."""
    statuses: dict[str, ObjectiveStatus] = {}
    for event in reversed(events):  # pragma: no branch - each is set: the loop breaks
        if type(event) is ObjectiveUpdated:
            found = [(event.objective_id, event.status)]
        elif type(event) is ObjectiveSet:
            found = [(event.objective.id, event.objective.status)]
        elif type(event) is Reassessed:  # objectives set with a reassessment
            found = [(o.id, o.status) for o in event.objectives]
        else:
            continue
        for oid, status in found:
            if oid in ids and oid not in statuses:
                statuses[oid] = status
        if len(statuses) == len(ids):
            break
    return statuses


@attrs.define(kw_only=True)
class Tally:
    """Partial counts of a report over some pathways; two tallies merge exactly.

    A tally is what one streaming pass keeps: integer counts, histograms of whole months
    and days (bounded by the number of distinct values, not of pathways), the referent
    FTE of each programme seen, and one small record per child followed in the period
    (needed so that a child with several pathways, possibly in different shards, counts
    once). Pathways themselves are never kept.

    Attributes:
        period: the reporting period.
        as_of: the date the pathways are read as of.
        programme: the programme the report is restricted to, if one was given.
        known_on: read each pathway as the tracking tool knew it on this date
            (:func:`~reussite.as_known_on`: events recorded later left out), if given.
    """

    period: Period
    as_of: dt.date
    programme: Programme | None = None
    known_on: dt.date | None = None
    pathways: int = 0
    not_yet_known: int = 0
    programmes: dict[str, tuple[str, float]] = attrs.Factory(dict)
    children: dict[str, ChildFacts] = attrs.Factory(dict)
    referrals: int = 0
    refusals: int = 0
    entries: int = 0
    exits: int = 0
    attainment: Counter[str] = attrs.Factory(Counter)
    exit_reasons: Counter[str] = attrs.Factory(Counter)
    evolution_assessed: int = 0
    evolution_satisfactory: int = 0
    durations: Counter[int] = attrs.Factory(Counter)
    actions: int = 0
    actions_out_of_school: int = 0
    funding: Counter[str] = attrs.Factory(Counter)
    objectives: Counter[str] = attrs.Factory(Counter)
    delays: dict[str, Counter[int]] = attrs.Factory(lambda: {s: Counter() for s in DELAY_STEPS})
    in_progress: int = 0
    overdue: int = 0
    handovers: Counter[str] = attrs.Factory(Counter)
    exit_days: Counter[int] = attrs.Factory(Counter)
    """Exits of the period by exact duration in days (admission to exit)."""
    families: dict[str, bool] = attrs.Factory(dict)
    """Each family with a referral in the period: whether it refused one of them."""
    referrals_by_source: Counter[str] = attrs.Factory(Counter)
    """Referrals of the period by source (partenaire orienteur)."""
    child_days: Counter[tuple[str, str]] = attrs.Factory(Counter)
    """Days followed in the period (to the as-of date) by (programme id, referent id)."""
    referent_pathways: Counter[tuple[str, str]] = attrs.Factory(Counter)
    """Pathways followed in the period by (programme id, referent id) who had them."""
    child_days_out_of_post: Counter[tuple[str, str]] = attrs.Factory(Counter)
    """Of :attr:`child_days`, the days the referent was not in post (left, or not yet
    joined): a pathway stays with the referent named until a change of referent."""
    fte_days: dict[tuple[str, str], float] = attrs.Factory(dict)
    """FTE-days of each referent of each programme seen, over the period to the as-of date."""
    _overdue_memo: dict[int, dict[dt.date, bool]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    """For each review interval (months), whether a review on a date is overdue on as_of."""
    _cutoffs_memo: dict[dt.date, tuple[dt.date, ...]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    """:func:`_age_cutoffs` of each referral date met."""
    _posts_memo: dict[int, tuple[Programme, Posts]] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    """The dated referents of each programme met, by the programme's id() (kept alive)."""
    _profiles: dict[Profile, Profile] = attrs.field(factory=dict, init=False, eq=False, repr=False)
    """Each distinct profile met, once: the children's facts share these tuples."""
    register: Register | None = attrs.field(factory=Register, eq=False, repr=False)
    """The pathways counted, checked against each other (:class:`~reussite.Register`:
    unique ids, one open pathway per child...); ``None`` when the caller checked them
    already (a cohort file read with ``check_register=True``, say)."""

    def add_all(self, pathways: Iterable[Pathway]) -> Tally:
        """Count every pathway of ``pathways`` (one pass, nothing kept); return ``self``.

        Raises:
            InvalidValue: if an item is not a :class:`~reussite.pathway.Pathway` (the
                pathways before it stay counted).
            InvalidInput: as :meth:`add`. The tally is then left partly updated: count
                again in a new one once the data are corrected.
        """
        iterator = iter(pathways)
        while self._count(islice(iterator, _CHUNK)) == _CHUNK:
            pass
        return self

    def add(self, pathway: Pathway) -> None:
        """Count one pathway (:meth:`add_all` is much quicker for many).

        Raises:
            InvalidValue: if ``pathway`` is not a :class:`~reussite.pathway.Pathway`.
            InvalidInput: if it belongs to another programme than the report's, or if two
                programmes share an id with different referent FTEs.
            RegisterConflict: if it conflicts with a pathway counted before (the same
                pathway twice, two open pathways of one child...), not counted then. With
                ``recorded`` set, the pathway was right and is counted: it showed wrong a
                re-entry counted before (the conflict's ``pathway_id``), which a tally
                cannot take back: count again without it.
        """
        self._count(iter((pathway,)))

    def add_ended_before(self, pathways: Iterable[Pathway]) -> None:
        """Count pathways that ended before the period began, as known on ``as_of``.

        Such a pathway is read (one more in :attr:`pathways`, its programme checked) and
        adds nothing else: its every date is before the period. The same as :meth:`add_all`
        for them, without reading their records: :func:`reussite.evolution.annual_reports`
        reads each pathway's end once and gives each period's tally the ones it may skip.

        Raises:
            InvalidValue: for an item that is not a pathway that ended before the period
                and on or before ``as_of``.
            InvalidInput, RegisterConflict: as :meth:`add`.
        """
        start, as_of = self.period.start, self.as_of
        check = None if self.register is None else self.register.check
        programme: Programme | None = None
        for p in pathways:
            ended_on = p.ended_on if isinstance(p, Pathway) else None
            if ended_on is None or ended_on >= start or ended_on > as_of:
                raise InvalidValue(
                    "Tally.add_ended_before", "pathways", p, f"a pathway ended before {start}"
                )
            if check is not None:
                check(p)
            if p.programme is not programme:
                programme = self._programme(p)
            self.pathways += 1

    def _count(self, pathways: Iterator[Pathway]) -> int:
        """Count the pathways of ``pathways``; return how many were read.

        Each pathway is read as it stood on ``as_of`` without building that view. When
        its last event is known on ``as_of`` (an ended pathway's last event is the one
        that ended it), its records are read as they are. Otherwise the records dated
        after ``as_of`` are left out (an end among them: an end is the last event), and
        the plan is read by :func:`_known_plan`. Counts are kept in local variables,
        histogram keys in lists and children in a dictionary of these pathways only, all
        folded into the tally at the end, also when a pathway is refused.

        An action counts in the period when it was not cancelled, started by the end of
        the period (and by ``as_of``), and ended, if it did by ``as_of``, on or after the
        period's start: an action still running on ``as_of`` runs to the end of the
        followed span, which is in the period whenever the pathway is followed in it.
        """
        as_of = self.as_of
        start, end = self.period.start, self.period.end
        last_start = cutoff = min(end, as_of)  # an action started after this does not count
        children: dict[str, ChildFacts] = {}
        first_facts = children.setdefault
        same_profile = self._profiles.setdefault
        cutoffs_memo = self._cutoffs_memo
        overdue_memo: dict[dt.date, bool] = {}
        not_yet_known = counted = referrals = refusals = entries = 0
        in_progress = overdue = out_of_school = 0
        to_consent: list[int] = []
        to_decision: list[int] = []
        to_start: list[int] = []
        handovers: list[str] = []
        exits: list[tuple[str, str, bool | None, int, int]] = []
        funding: list[str] = []
        domains: list[str] = []
        sources: list[str] = []
        families: dict[str, bool] = {}
        child_days: Counter[tuple[str, str]] = Counter()
        out_of_post: Counter[tuple[str, str]] = Counter()
        referent_pathways: list[tuple[str, str]] = []
        posts: Posts = {}
        programme: Programme | None = None
        interval = 0  # months between reviews, by the rules of the programme
        check = None if self.register is None else self.register.check
        known_on = self.known_on
        shown_wrong: RegisterConflict | None = None  # a re-entry counted before
        try:
            for p in pathways:
                if not isinstance(p, Pathway):
                    raise InvalidValue(
                        "annual_report", "pathways", p, "an iterable of reussite.Pathway"
                    )
                if known_on is not None:
                    known = as_known_on(p, known_on)
                    if known is None:  # its referral was not yet recorded
                        not_yet_known += 1
                        continue
                    p = known
                if check is not None:  # the register of the data as known then
                    try:
                        check(p)
                    except RegisterConflict as conflict:
                        if not conflict.recorded:
                            raise
                        shown_wrong = shown_wrong or conflict  # p is right: counted, said
                referral = p.referral
                referral_on = referral.on
                if referral_on > as_of:
                    not_yet_known += 1
                    continue
                if p.programme is not programme:
                    programme = self._programme(p)
                    interval = programme.rules.at(as_of).review_interval_months
                    overdue_memo = self._overdue_memo.setdefault(interval, {})
                    posts = self._posts(programme)
                counted += 1
                # --- the records known on as_of
                exit_ = p.exit
                handover = p.handover
                not_taken_on = p.not_taken_on
                if exit_ is not None:
                    ended_on = exit_.on
                elif handover is not None:
                    ended_on = handover.on
                elif not_taken_on is not None:
                    ended_on = not_taken_on.on
                else:
                    ended_on = None
                consents = p.consents
                consent_on = consents[0].on if consents else None
                admission = p.admission
                started_on = p.started_on
                # An ended pathway took no event after the one that ended it (R-FINAL).
                late = (p.last_event_on if ended_on is None else ended_on) > as_of
                if late:  # some events were not yet known on as_of, nor the records they made
                    exit_ = handover = not_taken_on = ended_on = None  # an end is the last event
                    if consent_on is not None and consent_on > as_of:
                        consent_on = None
                    if admission is not None and admission.on > as_of:
                        admission = None
                    if started_on is not None and started_on > as_of:
                        started_on = None
                # --- referral, consent, handover
                if start <= referral_on <= end:
                    referrals += 1
                    sources.append(referral.source)
                    refused = not_taken_on is not None and not_taken_on.reason is _REFUSED
                    refusals += refused
                    family_id = p.family.id
                    families[family_id] = refused or families.get(family_id, False)
                if consent_on is not None and start <= consent_on <= end:
                    to_consent.append((consent_on - referral_on).days)
                if handover is not None and start <= handover.on <= end:
                    handovers.append(handover.recipient)
                if admission is None:
                    continue
                # --- admission, start, exit, reviews
                admitted_on = admission.on
                if start <= admitted_on <= end:
                    entries += 1
                    if consent_on is not None:  # pragma: no branch - consent comes first
                        to_decision.append((admitted_on - consent_on).days)
                if started_on is not None and start <= started_on <= end:
                    to_start.append((started_on - admitted_on).days)
                if exit_ is not None and start <= exit_.on <= end:
                    exits.append(
                        (
                            exit_.attainment,
                            exit_.reason,
                            exit_.satisfactory_evolution,
                            _whole_months(admitted_on, exit_.on),
                            (exit_.on - admitted_on).days,
                        )
                    )
                if ended_on is not None:
                    span_end = ended_on
                else:
                    span_end = as_of
                    # In progress once started, unless paused (read as is: as the state
                    # says, an exit proposal included; late: the pause known on as_of).
                    if (
                        started_on is not None and not _paused(p, as_of)
                        if late
                        else p.state in _IN_PROGRESS
                    ):
                        assert started_on is not None  # in progress means started
                        in_progress += 1
                        # reviews come in the order of their events: the last is the latest
                        reviews = p.reviews
                        last = reviews[-1].on if reviews else started_on
                        if last > as_of:  # late: the latest review known on as_of
                            last = started_on
                            for review in reversed(reviews):
                                if review.on <= as_of:
                                    last = review.on
                                    break
                        is_overdue = overdue_memo.get(last)
                        if is_overdue is None:  # one per distinct date: the memo stays small
                            is_overdue = last + relativedelta(months=interval) < as_of
                            overdue_memo[last] = is_overdue
                        overdue += is_overdue
                if admitted_on > end or span_end < start or not_taken_on is not None:
                    continue  # a pathway that never started is not followed
                # --- followed in the period: objectives, actions, the child's facts
                plan = _known_plan(p, as_of) if late else None
                actions = p.actions if plan is None else plan[0]
                # objectives as they stood at the period's end (or as_of, if earlier)
                if cutoff < as_of and p.last_event_on > cutoff:
                    plan = _known_plan(p, cutoff)
                if plan is None:
                    for objective in p.objectives:
                        if objective.status is not _DROPPED:
                            domains.append(objective.domain)
                else:
                    domains += plan[1]
                _referent_days(
                    p,
                    max(admitted_on, start),
                    min(span_end, cutoff),
                    child_days,
                    referent_pathways,
                    posts,
                    out_of_post,
                )
                flags = 0
                for action in actions:
                    if action.start <= last_start and not action.cancelled:
                        action_end = action.end
                        if action_end is None or action_end >= start:
                            funding.append(action.funding)
                            if action.timing is _OUT_OF_SCHOOL:
                                out_of_school += 1
                            if action.kind is _INDIVIDUAL:
                                flags |= HAS_ACTION | HAS_INDIVIDUAL_ACTION
                            else:
                                flags |= HAS_ACTION
                child = p.child
                cutoffs = cutoffs_memo.get(referral_on)
                if cutoffs is None:  # one per distinct date: the memo stays small
                    cutoffs = cutoffs_memo[referral_on] = _age_cutoffs(referral_on)
                eligibility = p.eligibility
                profile: Profile = (
                    child.commune,
                    _CODE[referral.source],
                    _CODE[child.sex],
                    _BAND_BY_CUTOFF[bisect_left(cutoffs, child.birth_date)],
                    _GROUP_OF_LEVEL[child.school_level],
                    _AREA_OF[eligibility.in_qpv][eligibility.in_rep],
                )
                profile = same_profile(profile, profile)  # one tuple kept per profile
                facts = (referral_on, p.id, profile, flags)
                child_id = child.id
                before = first_facts(child_id, facts)
                if before is not facts:  # the child has another pathway among these
                    children[child_id] = _combine(before, facts)
        except Exception as later:  # a problem met after a re-entry shown wrong
            if shown_wrong is not None:
                raise shown_wrong from later  # the first problem met is said
            raise
        finally:
            self.not_yet_known += not_yet_known
            self.pathways += counted
            self.referrals += referrals
            self.refusals += refusals
            self.entries += entries
            self.in_progress += in_progress
            self.overdue += overdue
            self.actions += len(funding)
            self.actions_out_of_school += out_of_school
            self.funding.update(funding)
            self.objectives.update(domains)
            self.handovers.update(handovers)
            self.referrals_by_source.update(sources)
            self.child_days.update(child_days)
            self.child_days_out_of_post.update(out_of_post)
            self.referent_pathways.update(referent_pathways)
            known_families = self.families
            for family_id, refused in families.items():
                known_families[family_id] = refused or known_families.get(family_id, False)
            for step, days in zip(DELAY_STEPS, (to_consent, to_decision, to_start), strict=True):
                self.delays[step].update(days)
            self._count_exits(exits)
            self._add_children(children)
        if shown_wrong is not None:
            raise shown_wrong
        return not_yet_known + counted  # every pathway read is one or the other

    def _count_exits(self, exits: list[tuple[str, str, bool | None, int, int]]) -> None:
        """Count exits given as (attainment, reason, satisfactory evolution, months, days)."""
        for (attainment, reason, satisfactory, months, days), n in Counter(exits).items():
            self.exits += n
            self.attainment[attainment] += n
            self.exit_reasons[reason] += n
            self.durations[months] += n
            self.exit_days[days] += n
            if satisfactory is not None:
                self.evolution_assessed += n
                if satisfactory:
                    self.evolution_satisfactory += n

    def _posts(self, programme: Programme) -> Posts:
        """The dated referents of ``programme`` (memo by identity: one per programme met)."""
        memo = self._posts_memo.get(id(programme))
        if memo is None or memo[0] is not programme:
            posts = {
                r.id: r
                for r in programme.referents
                if r.joined_on is not None or r.left_on is not None
            }
            memo = self._posts_memo[id(programme)] = (programme, posts)
        return memo[1]

    def _programme(self, p: Pathway) -> Programme:
        """Check the pathway's programme against the report's and the ones seen; return it."""
        programme = p.programme
        if self.programme is not None and programme.id != self.programme.id:
            raise InvalidInput(
                [
                    f"pathway {p.id!r} belongs to programme {programme.id!r}, not to "
                    f"{self.programme.id!r} the report is for: report each programme "
                    "separately, or give no programme to report on all of them"
                ],
                source="annual_report",
            )
        known = self.programmes.get(programme.id)
        cutoff = min(self.period.end, self.as_of)
        fte = programme.referent_fte_on(cutoff)
        if known is None:
            self.programmes[programme.id] = (programme.name, fte)
            for referent in programme.referents:
                days = referent.fte_days(self.period.start, cutoff)
                if days:
                    self.fte_days[programme.id, referent.id] = days
        elif known[1] != fte:
            raise InvalidInput(
                [
                    f"programme {programme.id!r} appears with two referent FTEs "
                    f"({known[1]} and {fte}, pathway {p.id!r}): "
                    "one programme id must have one set of referents"
                ],
                source="annual_report",
            )
        return programme

    def _add_children(self, children: dict[str, ChildFacts]) -> None:
        """Add the facts of other pathways' children (combined in place when known)."""
        known = self.children
        for child_id in children.keys() & known.keys():
            children[child_id] = _combine(known[child_id], children[child_id])
        known.update(children)

    def merge(self, other: Tally) -> Tally:
        """A new tally counting the pathways of both (neither is changed).

        Rule: the two must cover the same period, as-of date and programme, and share no
        pathway; merging is associative and commutative, so shards of a cohort give the
        same report whatever the split. Their registers merge too, so a pathway counted in
        both, or two open pathways of one child split across them, are refused (when
        either tally was made without its register, the merge has none).

        Raises:
            InvalidValue: if ``other`` is not a tally of the same period, as-of date and
                programme.
            RegisterConflict: if a pathway of ``other`` conflicts with one of this tally.
        """
        if not isinstance(other, Tally):
            raise InvalidValue("Tally", "merge", other, "a Tally")
        for name in ("period", "as_of", "programme", "known_on"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine != theirs:
                raise InvalidValue("Tally", name, theirs, f"the same {name} as this one ({mine})")
        registers = (self.register, other.register)
        for name, register in zip(("self", "other"), registers, strict=True):
            if register is not None and register.withdrawn:  # counted, then shown wrong
                raise InvalidValue(
                    "Tally",
                    "merge",
                    sorted(i for ids in register.withdrawn.values() for i in ids),
                    f"tallies that count only right pathways ({name} counted re-entries "
                    "shown wrong after: count again without them)",
                )
        merged = Tally(
            period=self.period,
            as_of=self.as_of,
            programme=self.programme,
            known_on=self.known_on,
            register=(
                None
                if registers[0] is None or registers[1] is None
                else registers[0].merge(registers[1])
            ),
        )
        for part in (self, other):
            merged.pathways += part.pathways
            merged.not_yet_known += part.not_yet_known
            for pid, (name, fte) in part.programmes.items():
                known = merged.programmes.setdefault(pid, (name, fte))
                if known[1] != fte:
                    raise InvalidInput(
                        [f"programme {pid!r} appears with two referent FTEs ({known[1]}, {fte})"],
                        source="Tally.merge",
                    )
            merged._add_children(dict(part.children))
            for key, days in part.fte_days.items():
                merged.fte_days.setdefault(key, days)
            for family_id, refused in part.families.items():
                merged.families[family_id] = refused or merged.families.get(family_id, False)
            for name in _SUMS:
                setattr(merged, name, getattr(merged, name) + getattr(part, name))
            for name in _COUNTERS:
                getattr(merged, name).update(getattr(part, name))
            for step in DELAY_STEPS:
                merged.delays[step].update(part.delays[step])
        return merged


_SUMS = (
    "referrals",
    "refusals",
    "entries",
    "exits",
    "evolution_assessed",
    "evolution_satisfactory",
    "actions",
    "actions_out_of_school",
    "in_progress",
    "overdue",
)
_COUNTERS = (
    "attainment",
    "exit_reasons",
    "durations",
    "funding",
    "objectives",
    "handovers",
    "exit_days",
    "referrals_by_source",
    "child_days",
    "child_days_out_of_post",
    "referent_pathways",
)


def _whole_months(start: dt.date, end: dt.date) -> int:
    """:func:`reussite.periods.whole_months` by arithmetic (``end`` not before ``start``).

    The largest ``m`` with ``start`` + ``m`` months (clipped to the month's last day, as
    ``relativedelta`` does) on or before ``end``: the months between their months, less
    one when ``start``'s day (clipped) is not reached in ``end``'s month, which happens
    when it is after ``end``'s day and ``end`` is not its month's last day. A property
    test checks the two agree.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    day = end.day
    if start.day > day and (day < 28 or day < calendar.monthrange(end.year, end.month)[1]):
        months -= 1
    return months


def _referent_days(
    p: Pathway,
    first: dt.date,
    last: dt.date,
    days: Counter[tuple[str, str]],
    had: list[tuple[str, str]],
    posts: Posts,
    out_of_post: Counter[tuple[str, str]],
) -> None:
    """Add the days from ``first`` to ``last`` (included) to the referents who had ``p``.

    ``had`` gets each (programme id, referent id) with at least one of those days, once;
    ``out_of_post`` the days a referent of ``posts`` (the dated ones) was not in post.

    The referent named at admission has the pathway until a change of referent
    (*changement de référent*) hands it to another from that day on, even past the day
    they leave.
    """
    if last < first:
        return
    programme_id = p.programme.id
    changes = p.referent_changes
    if not changes:  # one referent all along
        referent_id = p.referent_id
        assert referent_id is not None  # admitted: the admission named one
        key = (programme_id, referent_id)
        days[key] += (last - first).days + 1
        had.append(key)
        if posts and referent_id in posts:
            out_of_post[key] += _days_out(posts[referent_id], first, last)
        return
    admitted = next(e for e in p.facts if type(e) is Admitted)
    handovers = [(admitted.on, admitted.referent_id), *changes]
    ends = [on for on, _ in handovers[1:]]
    seen: set[tuple[str, str]] = set()
    for (since, referent_id), until in zip(handovers, [*ends, None], strict=True):
        lo = max(first, since)
        hi = last if until is None else min(last, until - _DAY)
        if hi >= lo:
            key = (programme_id, referent_id)
            days[key] += (hi - lo).days + 1
            seen.add(key)
            if posts and referent_id in posts:
                out_of_post[key] += _days_out(posts[referent_id], lo, hi)
    had.extend(seen)


def _days_out(referent: Referent, first: dt.date, last: dt.date) -> int:
    """The days from ``first`` to ``last`` (included) ``referent`` was not in post."""
    span = referent.span_in_post(first, last)
    inside = 0 if span is None else (span[1] - span[0]).days + 1
    return (last - first).days + 1 - inside


_DAY = dt.timedelta(days=1)


def _combine(a: ChildFacts, b: ChildFacts) -> ChildFacts:
    """One child's facts from two of their pathways: the latest one's profile, flags OR-ed."""
    latest = a if a[:2] > b[:2] else b
    return (latest[0], latest[1], latest[2], a[3] | b[3])
