"""The accumulator behind a report: what one pass over pathways keeps, and exact merges."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any, Protocol

import attrs
from dateutil.relativedelta import relativedelta

from ..calendar import age_on
from ..codes import (
    ActionKind,
    ActionTiming,
    NotTakenOnReason,
    ObjectiveStatus,
)
from ..errors import InvalidInput, InvalidValue
from ..events import ActionPlanned, ObjectiveSet, ObjectiveUpdated
from ..pathway import Pathway, State, _derive
from ..periods import Period
from ..programme import Programme
from ._definitions import AgeBand, PriorityArea

__all__ = ["ChildFacts", "Tally"]

ChildFacts = tuple[int, str, tuple[str, str, str, str, str, str], int]
"""What a report keeps of one child followed in the period.

``(referral ordinal, pathway id, profile, flags)``: the ordering key of the child's
latest pathway followed in the period, that pathway's profile (commune, referral source,
sex, age band, school level group, QPV/REP category), and flags OR-ed over the child's
pathways (bit 1: an action in the period; bit 2: an individual action in the period).
"""

HAS_ACTION = 1
HAS_INDIVIDUAL_ACTION = 2

DELAY_STEPS = ("referral_to_consent", "consent_to_decision", "decision_to_start")
"""The delays measured, each from one step of the pathway to the next."""


class _Dated(Protocol):
    @property
    def on(self) -> dt.date: ...


_IN_PROGRESS = frozenset({State.ACTIVE, State.EXIT_PROPOSED})
_DROPPED = ObjectiveStatus.DROPPED
_INDIVIDUAL = ActionKind.INDIVIDUAL
_OUT_OF_SCHOOL = ActionTiming.OUT_OF_SCHOOL_TIME
_REFUSED = NotTakenOnReason.FAMILY_REFUSED


def _as_of(pathway: Pathway, as_of: dt.date) -> Pathway:
    """The pathway as it stood on ``as_of``: its events dated after it are not yet known.

    Equal, for every field the indicators read, to replaying the events dated on or before
    ``as_of`` (dates never go backwards: they are a prefix of the history), without
    checking the rules again: one scan of the history gives which actions were planned
    and each objective's status on that date; the dated records are kept when known.
    """
    planned: set[str] = set()
    statuses: dict[str, ObjectiveStatus] = {}
    for event in pathway.history:
        if event.on > as_of:
            break
        if isinstance(event, ActionPlanned):
            planned.add(event.action.id)
        elif isinstance(event, ObjectiveSet):
            statuses[event.objective.id] = event.objective.status
        elif isinstance(event, ObjectiveUpdated):
            statuses[event.objective_id] = event.status

    def known(record: _Dated | None) -> Any:
        return record if record is not None and record.on <= as_of else None

    exit_, handover, not_taken_on = (
        known(pathway.exit),
        known(pathway.handover),
        known(pathway.not_taken_on),
    )
    admission = known(pathway.admission)
    started_on = pathway.started_on
    if started_on is not None and started_on > as_of:
        started_on = None
    if exit_ or handover or not_taken_on:
        state = pathway.state  # it ended by then: the final state is the same
    elif started_on is not None:
        state = State.ACTIVE
    elif admission is not None:
        state = State.ADMITTED
    else:
        state = State.REFERRED
    # A pathway has no validators: copying its fields is exact, and cheaper than evolve.
    return _derive(
        pathway,
        {
            "state": state,
            "consents": tuple(c for c in pathway.consents if c.on <= as_of),
            "admission": admission,
            "started_on": started_on,
            "exit": exit_,
            "handover": handover,
            "not_taken_on": not_taken_on,
            "reviews": tuple(r for r in pathway.reviews if r.on <= as_of),
            "objectives": tuple(
                o if o.status is statuses[o.id] else attrs.evolve(o, status=statuses[o.id])
                for o in pathway.objectives
                if o.id in statuses
            ),
            "actions": tuple(
                a if a.end is None or a.end <= as_of else attrs.evolve(a, end=None)
                for a in pathway.actions
                if a.id in planned
            ),
        },
    )


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
    """

    period: Period
    as_of: dt.date
    programme: Programme | None = None
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
    _bounds: tuple[dt.date, dt.date] = attrs.field(init=False, eq=False, repr=False)
    _checked: Programme | None = attrs.field(default=None, init=False, eq=False, repr=False)
    _due: dict[tuple[dt.date, int], dt.date] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        self._bounds = (self.period.start, self.period.end)

    def add_all(self, pathways: Iterable[Pathway]) -> Tally:
        """Count every pathway of ``pathways`` (one pass, nothing kept); return ``self``."""
        add = self.add
        for pathway in pathways:
            add(pathway)
        return self

    def add(self, pathway: Pathway) -> None:
        """Count one pathway.

        Raises:
            InvalidValue: if ``pathway`` is not a :class:`~reussite.pathway.Pathway`.
            InvalidInput: if it belongs to another programme than the report's, if two
                programmes share an id with different referent FTEs, or if the same
                pathway is counted twice for a child.
        """
        if not isinstance(pathway, Pathway):
            raise InvalidValue(
                "annual_report", "pathways", pathway, "an iterable of reussite.Pathway"
            )
        as_of = self.as_of
        referral_on = pathway.referral.on
        if referral_on > as_of:
            self.not_yet_known += 1
            return
        p = pathway if pathway.history[-1].on <= as_of else _as_of(pathway, as_of)
        self._programme(p)
        self.pathways += 1
        start, end = self._bounds
        if start <= referral_on <= end:
            self.referrals += 1
            ntl = p.not_taken_on
            if ntl is not None and ntl.reason is _REFUSED:
                self.refusals += 1
        consent_on = p.consents[0].on if p.consents else None
        if consent_on is not None and start <= consent_on <= end:
            self.delays["referral_to_consent"][(consent_on - referral_on).days] += 1
        handover = p.handover
        if handover is not None and start <= handover.on <= end:
            self.handovers[handover.recipient] += 1
        admission = p.admission
        if admission is None:
            return
        admitted_on = admission.on
        if start <= admitted_on <= end:
            self.entries += 1
            if consent_on is not None:
                self.delays["consent_to_decision"][(admitted_on - consent_on).days] += 1
        started_on = p.started_on
        if started_on is not None and start <= started_on <= end:
            self.delays["decision_to_start"][(started_on - admitted_on).days] += 1
        ended_on = p.ended_on
        span_end = as_of if ended_on is None else ended_on
        exit_ = p.exit
        if exit_ is not None and start <= exit_.on <= end:
            self.exits += 1
            self.attainment[exit_.attainment] += 1
            self.exit_reasons[exit_.reason] += 1
            if exit_.satisfactory_evolution is not None:
                self.evolution_assessed += 1
                if exit_.satisfactory_evolution:
                    self.evolution_satisfactory += 1
            self.durations[_whole_months(admitted_on, exit_.on)] += 1
        if p.state in _IN_PROGRESS:
            self._review(p, started_on)
        if not (admitted_on <= end and span_end >= start):
            return
        # followed in the period
        flags = 0
        for action in p.actions:
            if action.cancelled or action.start > as_of:
                continue
            action_end = span_end if action.end is None else action.end
            if action.start <= end and action_end >= start:
                self.actions += 1
                if action.timing is _OUT_OF_SCHOOL:
                    self.actions_out_of_school += 1
                self.funding[action.funding] += 1
                flags |= HAS_ACTION
                if action.kind is _INDIVIDUAL:
                    flags |= HAS_INDIVIDUAL_ACTION
        objectives = self.objectives
        for objective in p.objectives:
            if objective.status is not _DROPPED:
                objectives[objective.domain] += 1
        child = p.child
        age = age_on(child.birth_date, referral_on) if referral_on >= child.birth_date else 0
        profile = (
            child.commune,
            p.referral.source,
            child.sex,
            AgeBand.of(age),
            child.school_level.group,
            PriorityArea.of(in_qpv=p.eligibility.in_qpv, in_rep=p.eligibility.in_rep),
        )
        self._child(child.id, (referral_on.toordinal(), p.id, profile, flags))

    def _programme(self, p: Pathway) -> None:
        programme = p.programme
        if programme is self._checked:
            return
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
        if known is None:
            self.programmes[programme.id] = (programme.name, programme.referent_fte)
        elif known[1] != programme.referent_fte:
            raise InvalidInput(
                [
                    f"programme {programme.id!r} appears with two referent FTEs "
                    f"({known[1]} and {programme.referent_fte}, pathway {p.id!r}): "
                    "one programme id must have one set of referents"
                ],
                source="annual_report",
            )
        self._checked = programme

    def _review(self, p: Pathway, started_on: dt.date | None) -> None:
        last = max((r.on for r in p.reviews), default=started_on)
        assert last is not None  # in progress means started
        self.in_progress += 1
        interval = p.programme.rules.at(self.as_of).review_interval_months
        due = self._due.get((last, interval))
        if due is None:  # at most one per distinct date: the memo stays small
            due = self._due[last, interval] = last + relativedelta(months=interval)
        if due < self.as_of:
            self.overdue += 1

    def _child(self, child_id: str, facts: ChildFacts) -> None:
        known = self.children.get(child_id)
        if known is None:
            self.children[child_id] = facts
            return
        self.children[child_id] = _combine(child_id, known, facts)

    def merge(self, other: Tally) -> Tally:
        """A new tally counting the pathways of both (neither is changed).

        Rule: the two must cover the same period, as-of date and programme, and share no
        pathway; merging is associative and commutative, so shards of a cohort give the
        same report whatever the split.

        Raises:
            InvalidValue: if ``other`` is not a tally of the same period, as-of date and
                programme.
        """
        if not isinstance(other, Tally):
            raise InvalidValue("Tally", "merge", other, "a Tally")
        for name in ("period", "as_of", "programme"):
            mine, theirs = getattr(self, name), getattr(other, name)
            if mine != theirs:
                raise InvalidValue("Tally", name, theirs, f"the same {name} as this one ({mine})")
        merged = Tally(period=self.period, as_of=self.as_of, programme=self.programme)
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
            for child_id, facts in part.children.items():
                merged._child(child_id, facts)
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
_COUNTERS = ("attainment", "exit_reasons", "durations", "funding", "objectives", "handovers")


def _whole_months(start: dt.date, end: dt.date) -> int:
    """:func:`reussite.periods.whole_months` by arithmetic (``end`` not before ``start``).

    The largest ``m`` with ``start`` + ``m`` months (clipped to the month's last day, as
    ``relativedelta`` does) on or before ``end``; a property test checks the two agree.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    day = start.day
    if day > 28:
        day = min(day, calendar.monthrange(end.year, end.month)[1])
    return months - 1 if day > end.day else months


def _combine(child_id: str, a: ChildFacts, b: ChildFacts) -> ChildFacts:
    """One child's facts from two of their pathways: the latest one's profile, flags OR-ed."""
    if a[:2] == b[:2]:
        raise InvalidInput(
            [
                f"pathway {a[1]!r} of child {child_id!r} is counted twice: each pathway "
                "must appear once in the data (and in one shard only)"
            ],
            source="annual_report",
        )
    latest = a if a[:2] > b[:2] else b
    return (latest[0], latest[1], latest[2], a[3] | b[3])
