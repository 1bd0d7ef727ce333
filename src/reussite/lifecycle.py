"""The pathway lifecycle: one declared table of transitions, and the fold of events.

Every allowed (state, event) → state pair is a row of :data:`LIFECYCLE`, checked when this
module loads (one initial state, every state reachable, no non-final state without a way
out, no duplicate pair). Its *amendments* (a correction) are accepted in every state,
final ones included: they change what the history says, and the pathway is the replay of
the corrected history. :func:`apply` checks the table, then the event's rules and those
of the state it leads to (:mod:`reussite.rules`), then returns a new
:class:`~reussite.pathway.Pathway`.

>>> print(LIFECYCLE.to_mermaid().splitlines()[1])
    [*] --> referred
>>> LIFECYCLE.allowed(State.REFERRED)[:4]
('consent_given', 'contact_lost', 'corrected', 'declared_ineligible')
>>> LIFECYCLE.allowed(State.CLOSED)
('corrected',)
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, cast

import attrs

from ._fields import copier
from ._history import corrected_facts
from .codes import ExitReason, NotTakenOnReason
from .decision import Reassessment
from .ending import Exit, ExitProposal, NotTakenOn
from .errors import (
    EventRefused,
    InvalidLifecycle,
    InvalidValue,
    NotInForce,
    PathwayClosed,
    ReussiteError,
    VersionConflict,
)
from .events import (
    EVENT_TYPES,
    ActionEnded,
    ActionPlanned,
    Admitted,
    Assessed,
    ConsentGiven,
    ConsentWithdrawn,
    ContactLost,
    Corrected,
    DeclaredIneligible,
    Event,
    ExitProposed,
    ExitRejected,
    ExitValidated,
    FamilyRefused,
    HandedOver,
    ObjectiveSet,
    ObjectiveUpdated,
    Reassessed,
    Redirected,
    ReferentChanged,
    Referred,
    Resumed,
    Reviewed,
    SituationChanged,
    Started,
    Suspended,
)
from .pathway import Pathway, State, _derive, _rebuild
from .plan import Action, Objective, _attainment_of
from .programme import Programme, assess_eligibility
from .rules import CHECKS, CHRONOLOGY, REQUIREMENTS, Rule
from .suspension import Suspension

__all__ = [
    "LIFECYCLE",
    "Lifecycle",
    "Transition",
    "apply",
    "as_known_on",
    "open_pathway",
    "replay",
]

SAME = None
"""In a row, the target ``SAME`` means the event leaves the state unchanged."""


@attrs.frozen
class Transition:
    """One row of the table: in ``source``, ``event`` leads to ``target``."""

    source: State
    event: type[Event]
    target: State


@attrs.frozen
class Lifecycle:
    """A lifecycle declared as data, validated as a whole when it is built.

    Attributes:
        initial: the state a pathway opens in.
        opening: the event that opens a pathway.
        finals: the states that accept no new fact.
        transitions: every allowed (state, event) → state.
        amendments: the events accepted in every state, final ones included, whose
            target is the replay of the amended history (a correction).
    """

    initial: State
    opening: type[Event]
    finals: frozenset[State]
    transitions: tuple[Transition, ...]
    amendments: frozenset[type[Event]] = frozenset()
    _table: Mapping[tuple[State, type[Event]], State] = attrs.field(
        init=False, repr=False, eq=False
    )
    _allowed: Mapping[State, tuple[str, ...]] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise InvalidLifecycle(problems)
        table = {(t.source, t.event): t.target for t in self.transitions}
        amending = {e.tag for e in self.amendments}
        allowed = {
            s: tuple(sorted({t.event.tag for t in self.transitions if t.source is s} | amending))
            for s in State
        }
        object.__setattr__(self, "_table", MappingProxyType(table))
        object.__setattr__(self, "_allowed", MappingProxyType(allowed))

    @classmethod
    def declare(
        cls,
        *,
        initial: State,
        opening: type[Event],
        finals: Iterable[State],
        rows: Iterable[tuple[State | tuple[State, ...], type[Event], State | None]],
        amendments: Iterable[type[Event]] = (),
    ) -> Lifecycle:
        """Build a lifecycle from compact rows ``(source or sources, event, target)``.

        A target of ``None`` (:data:`SAME`) keeps the source state.

        Raises:
            InvalidLifecycle: listing every problem of the definition.
        """
        transitions: list[Transition] = []
        for sources, event, target in rows:
            for source in sources if isinstance(sources, tuple) else (sources,):
                transitions.append(Transition(source, event, target or source))
        return cls(initial, opening, frozenset(finals), tuple(transitions), frozenset(amendments))

    def _problems(self) -> list[str]:
        problems: list[str] = []
        seen: set[tuple[State, type[Event]]] = set()
        for t in self.transitions:
            if (t.source, t.event) in seen:
                problems.append(f"duplicate transition ({t.source.value}, {t.event.tag})")
            seen.add((t.source, t.event))
            if t.source in self.finals:
                problems.append(f"final state {t.source.value!r} has a transition ({t.event.tag})")
        if self.initial in self.finals:
            problems.append(f"initial state {self.initial.value!r} is final")
        reachable = {self.initial}
        queue = deque([self.initial])
        while queue:
            state = queue.popleft()
            for t in self.transitions:
                if t.source is state and t.target not in reachable:
                    reachable.add(t.target)
                    queue.append(t.target)
        problems.extend(
            f"state {s.value!r} is unreachable from {self.initial.value!r}"
            for s in State
            if s not in reachable
        )
        for s in State:
            if s in self.finals:
                continue
            if not any(t.source is s and t.target is not s for t in self.transitions):
                problems.append(f"non-final state {s.value!r} has no way out")
        problems.extend(
            f"amendment {e.tag!r} also appears in a transition"
            for e in self.amendments
            if any(t.event is e for t in self.transitions) or e is self.opening
        )
        used = {t.event for t in self.transitions} | {self.opening} | self.amendments
        problems.extend(
            f"event {tag!r} appears in no transition"
            for tag, cls in EVENT_TYPES.items()
            if cls not in used
        )
        return problems

    def target(self, state: State, event: type[Event]) -> State | None:
        """The state ``event`` leads to from ``state``, or ``None`` if not allowed."""
        return self._table.get((state, event))

    def allowed(self, state: State) -> tuple[str, ...]:
        """The tags of the events accepted in ``state`` (amendments included), sorted."""
        return self._allowed[state]

    def to_mermaid(self) -> str:
        """The lifecycle as a Mermaid ``stateDiagram-v2``, generated from the table."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial.value}"]
        lines.extend(
            f"    {t.source.value} --> {t.target.value} : {t.event.tag}" for t in self.transitions
        )
        lines.extend(f"    {s.value} --> [*]" for s in State if s in self.finals)
        return "\n".join(lines)


_BEFORE_ADMISSION = (State.REFERRED, State.CONSENTED, State.ASSESSED)
_BEFORE_START = (*_BEFORE_ADMISSION, State.ADMITTED)
_CONSENTED_BEFORE_START = (State.CONSENTED, State.ASSESSED, State.ADMITTED)
_IN_PROGRESS = (State.ACTIVE, State.SUSPENDED)
_STARTED = (*_IN_PROGRESS, State.EXIT_PROPOSED)
_TAKEN_ON = (State.ADMITTED, *_STARTED)
_PLANNING = (State.ASSESSED, State.ADMITTED, State.ACTIVE)
_OPEN = _BEFORE_ADMISSION + _TAKEN_ON

LIFECYCLE: Lifecycle = Lifecycle.declare(
    initial=State.REFERRED,
    opening=Referred,
    finals=(State.CLOSED, State.HANDED_OVER, State.NOT_TAKEN_ON),
    rows=(
        # referral and consent (renewed by either guardian while the pathway is open)
        (State.REFERRED, ConsentGiven, State.CONSENTED),
        (_CONSENTED_BEFORE_START + _STARTED, ConsentGiven, SAME),
        (State.REFERRED, FamilyRefused, State.NOT_TAKEN_ON),
        (_BEFORE_ADMISSION, DeclaredIneligible, State.NOT_TAKEN_ON),
        # a pathway that never started ends "not taken on", whatever ends it
        (_CONSENTED_BEFORE_START, ConsentWithdrawn, State.NOT_TAKEN_ON),
        (_BEFORE_START, ContactLost, State.NOT_TAKEN_ON),
        # assessment and the EPS entry decision
        (State.CONSENTED, Assessed, State.ASSESSED),
        (State.ASSESSED, Admitted, State.ADMITTED),
        (State.ASSESSED, Redirected, State.NOT_TAKEN_ON),
        # the plan, and the child's situation
        (_PLANNING, ObjectiveSet, SAME),
        (_STARTED, ObjectiveUpdated, SAME),
        (_TAKEN_ON, ReferentChanged, SAME),
        (State.ADMITTED, Started, State.ACTIVE),
        (State.ACTIVE, ActionPlanned, SAME),
        (_STARTED, ActionEnded, SAME),
        (_STARTED, Reviewed, SAME),
        (_IN_PROGRESS, Reassessed, SAME),
        (_OPEN, SituationChanged, SAME),
        # suspension
        (State.ACTIVE, Suspended, State.SUSPENDED),
        (State.SUSPENDED, Resumed, State.ACTIVE),
        # exit
        (_IN_PROGRESS, ExitProposed, State.EXIT_PROPOSED),
        (_IN_PROGRESS, ContactLost, State.EXIT_PROPOSED),
        (State.EXIT_PROPOSED, ContactLost, SAME),
        (State.EXIT_PROPOSED, ExitRejected, State.ACTIVE),
        (State.EXIT_PROPOSED, ExitValidated, State.CLOSED),
        (_STARTED, ConsentWithdrawn, State.CLOSED),
        # handover to child protection: a legal duty, from every open state, without
        # consent or EPS
        (_OPEN, HandedOver, State.HANDED_OVER),
    ),
    amendments=(Corrected,),
)
"""The PRE pathway lifecycle: every allowed (state, event) → state, and the correction."""


# --- effects: what each event records on the pathway -----------------------------------

Effect = Callable[[Pathway, Any, State], dict[str, Any]]


# The fold's copies of the records it changes, without re-running validators: only for
# changes the rules have already proved valid. ``attrs.evolve`` runs ``__init__`` and every
# validator again (about 5 µs for an action; a generated copier takes under 1). A property
# test checks that every value a replay builds passes ``attrs.validate``.
_ENDED = copier(Action, "end")
"""An action ending on a date on or after its start (checked by the caller)."""
_CANCELLED = copier(Action, "end", "cancelled")
"""An action that never started, cancelled (its end left empty)."""
_WITH_STATUS = copier(Objective, "status")
"""An objective with a new status (a member, checked when the event was built)."""
_RESUMED = copier(Suspension, "ended_on")
"""A suspension ended on or after its start."""


def _end_actions(p: Pathway, on: Any) -> tuple[Action, ...]:
    """Running actions end on the pathway's end; those not yet started are cancelled."""
    ended: list[Action] = []
    for a in p.actions:
        if a.start > on:
            a = _CANCELLED(a, None, True)
        elif a.end is None or a.end > on:
            a = _ENDED(a, on)  # on or after its start: valid
        ended.append(a)
    return tuple(ended)


def _withdrawn(p: Pathway, e: ConsentWithdrawn, target: State) -> dict[str, Any]:
    if target is State.NOT_TAKEN_ON:
        return {
            "consent_withdrawn_on": e.on,
            "not_taken_on": NotTakenOn(
                on=e.on, reason=NotTakenOnReason.FAMILY_WITHDREW, note=e.note
            ),
        }
    return {
        "consent_withdrawn_on": e.on,
        "exit_proposal": None,
        "exit": Exit(
            on=e.on,
            reason=ExitReason.FAMILY_WITHDRAWAL,
            attainment=_attainment_of(p.objectives),
        ),
        "actions": _end_actions(p, e.on),
    }


def _contact_lost(p: Pathway, e: ContactLost, target: State) -> dict[str, Any]:
    if target is State.NOT_TAKEN_ON:
        return {
            "contact_lost_on": e.on,
            "not_taken_on": NotTakenOn(on=e.on, reason=NotTakenOnReason.LOST_CONTACT),
        }
    if p.state is State.EXIT_PROPOSED:  # the proposal stands, with its reason
        return {"contact_lost_on": e.on}
    return {
        "contact_lost_on": e.on,
        "exit_proposal": ExitProposal(on=e.on, reason=ExitReason.LOST_CONTACT),
    }


def _exit_validated(p: Pathway, e: ExitValidated, target: State) -> dict[str, Any]:
    assert p.exit_proposal is not None  # only reachable from EXIT_PROPOSED
    return {
        "exit_proposal": None,
        "exit": Exit(
            on=e.on,
            reason=p.exit_proposal.reason,
            attainment=e.attainment,
            satisfactory_evolution=e.satisfactory_evolution,
            decision=e.decision,
        ),
        "actions": _end_actions(p, e.on),
    }


def _replace_objective(p: Pathway, e: ObjectiveUpdated, target: State) -> dict[str, Any]:
    return {
        "objectives": tuple(
            _WITH_STATUS(o, e.status) if o.id == e.objective_id else o for o in p.objectives
        )
    }


def _end_action(p: Pathway, e: ActionEnded, target: State) -> dict[str, Any]:
    return {
        # R-ACTION-INSIDE proved the end on or after the action's start
        "actions": tuple(_ENDED(a, e.on) if a.id == e.action_id else a for a in p.actions)
    }


def _not_taken_on(reason: NotTakenOnReason) -> Effect:
    def effect(p: Pathway, e: Any, target: State) -> dict[str, Any]:
        return {
            "not_taken_on": NotTakenOn(
                on=e.on,
                reason=reason,
                decision=getattr(e, "decision", None),
                note=getattr(e, "note", None),
            )
        }

    return effect


_EFFECTS: Mapping[type[Event], Effect] = MappingProxyType(
    {
        ConsentGiven: lambda p, e, t: {"consents": (*p.consents, e.consent)},
        ConsentWithdrawn: _withdrawn,
        FamilyRefused: _not_taken_on(NotTakenOnReason.FAMILY_REFUSED),
        Assessed: lambda p, e, t: {"assessment": e.assessment},
        Admitted: lambda p, e, t: {
            "admission": e.decision,
            "referent_id": e.referent_id,
        },
        Redirected: _not_taken_on(NotTakenOnReason.EPS_REDIRECTED),
        DeclaredIneligible: _not_taken_on(NotTakenOnReason.INELIGIBLE),
        Started: lambda p, e, t: {"started_on": e.on},
        ObjectiveSet: lambda p, e, t: {"objectives": (*p.objectives, e.objective)},
        ObjectiveUpdated: _replace_objective,
        ActionPlanned: lambda p, e, t: {"actions": (*p.actions, e.action)},
        ActionEnded: _end_action,
        Reviewed: lambda p, e, t: {"reviews": (*p.reviews, e.review)},
        ReferentChanged: lambda p, e, t: {
            "referent_id": e.referent_id,
            "referent_changes": (*p.referent_changes, (e.on, e.referent_id)),
        },
        ExitProposed: lambda p, e, t: {"exit_proposal": ExitProposal(on=e.on, reason=e.reason)},
        ExitRejected: lambda p, e, t: {"exit_proposal": None},
        ExitValidated: _exit_validated,
        ContactLost: _contact_lost,
        HandedOver: lambda p, e, t: {
            "handover": e.handover,
            "exit_proposal": None,
            "actions": _end_actions(p, e.on),
        },
        Suspended: lambda p, e, t: {
            "suspensions": (
                *p.suspensions,
                Suspension(on=e.on, reason=e.reason, until=e.until, note=e.note),
            )
        },
        Resumed: lambda p, e, t: {},  # leaving the suspended state ends the suspension
        SituationChanged: lambda p, e, t: {"situations": (*p.situations, e.situation)},
        Reassessed: lambda p, e, t: {
            "reassessments": (
                *p.reassessments,
                Reassessment(assessment=e.assessment, decision=e.decision),
            ),
            "objectives": (*p.objectives, *e.objectives),
        },
    }
)
"""What each event records on the pathway (the state aside)."""


def _leave_suspension(p: Pathway, on: Any) -> tuple[Suspension, ...]:
    """The suspensions once the running one ended on ``on`` (on or after its start)."""
    return (*p.suspensions[:-1], _RESUMED(p.suspensions[-1], on))


# --- the fold ---------------------------------------------------------------------------


def _refuse(rule: Rule, pathway: Pathway, event: Event, detail: str) -> EventRefused:
    return EventRefused(
        rule=rule.code,
        state=pathway.state,
        event=event,
        allowed=LIFECYCLE.allowed(pathway.state),
        detail=detail,
    )


Step = Callable[[Pathway, Any], dict[str, Any]]
"""One allowed (state, event): checks the event's rules, gives the pathway's changes."""


def _compile_step(transition: Transition) -> Step:
    """The step of one row of the table: its rules called in turn, then the event's effect.

    The event's own rules (:data:`~reussite.rules.CHECKS`), then those of the state it
    leads to (:data:`~reussite.rules.REQUIREMENTS`) that are not already among them, then
    chronology; the first to fail refuses the event. The changes include the new state,
    and the end of the running suspension when the step leaves the suspended state. One
    generated function per row: the rules are called one after the other, with no loop,
    no lookup and no test of the source state left for each event.
    """
    checks = CHECKS[transition.event]
    required = tuple(r for r in REQUIREMENTS.get(transition.target, ()) if r not in checks)
    names: dict[str, Any] = {
        "refuse": _refuse,
        "effect": _EFFECTS[transition.event],
        "target": transition.target,
        "leave": _leave_suspension,
    }
    lines = ["def step(p, e):"]
    for index, (rule, check) in enumerate((*checks, *required, CHRONOLOGY)):
        names[f"rule_{index}"], names[f"check_{index}"] = rule, check
        lines.append(f"    detail = check_{index}(p, e)")
        lines.append("    if detail is not None:")
        lines.append(f"        raise refuse(rule_{index}, p, e, detail)")
    lines.append("    changes = effect(p, e, target)")
    if transition.source is State.SUSPENDED and transition.target is not State.SUSPENDED:
        lines.append('    changes["suspensions"] = leave(p, e.on)')
    lines.append('    changes["state"] = target')
    lines.append("    return changes")
    where = f"<reussite step {transition.source.value} {transition.event.tag}>"
    exec(compile("\n".join(lines) + "\n", where, "exec"), names)
    step: Step = names["step"]
    return step


_STEPS: Mapping[State, Mapping[type[Event], Step]] = MappingProxyType(
    {
        state: {t.event: _compile_step(t) for t in LIFECYCLE.transitions if t.source is state}
        for state in State
    }
)
"""For each state, the step of each event allowed in it (no key to build per event)."""


def open_pathway(programme: Programme, event: Referred) -> Pathway:
    """Open a pathway from a referral (*orientation*), judging eligibility on its date.

    Raises:
        EventRefused: if ``event`` is not a :class:`~reussite.events.Referred`, the
            programme has no territory or rules in force on the referral date
            (rule ``R-PROGRAMME-IN-FORCE``), or the referral breaks one of its rules
            (``R-CHRONOLOGY``: a child born after it; ``R-REENTRY``).
    """
    if not isinstance(programme, Programme):
        raise InvalidValue("open_pathway", "programme", programme, "a reussite.Programme")
    if not isinstance(event, Referred):
        raise EventRefused(
            rule="R-TRANSITION",
            state=None,
            event=event,
            allowed=(Referred.tag,),
            detail="a pathway opens with a 'referred' event",
        )
    try:
        eligibility = assess_eligibility(programme, event.child, event.on)
    except NotInForce as error:
        raise EventRefused(
            rule="R-PROGRAMME-IN-FORCE",
            state=None,
            event=event,
            allowed=(Referred.tag,),
            detail=str(error),
        ) from error
    history = (event,)
    pathway = Pathway(
        id=event.pathway_id,
        programme=programme,
        child=event.child,
        family=event.family,
        referral=event.referral,
        eligibility=eligibility,
        previous_pathway_id=event.previous_pathway_id,
        state=LIFECYCLE.initial,
        history=history,
        facts=history,
    )
    for rule, check in CHECKS[Referred]:
        detail = check(pathway, event)
        if detail is not None:
            raise EventRefused(
                rule=rule.code, state=None, event=event, allowed=(Referred.tag,), detail=detail
            )
    return pathway


def _fold(pathway: Pathway, event: Event) -> dict[str, Any]:
    """Check ``event`` against the table and its rules; return the changes, state included."""
    step = _STEPS[pathway.state].get(type(event))
    if step is None:
        raise _not_allowed(pathway, event)
    return step(pathway, event)


def _not_allowed(pathway: Pathway, event: Event) -> ReussiteError:
    """The error for an event the table does not allow in the pathway's state."""
    if not isinstance(event, Event):
        return InvalidValue("apply", "event", event, "a reussite event (see EVENT_TYPES)")
    final = pathway.state in LIFECYCLE.finals
    if type(event) is Referred:
        detail = (
            f"pathway {pathway.id!r} already has its referral (version 1): a new referral "
            "opens a new pathway (open_pathway); to change this one, correct version 1"
        )
    elif final:
        detail = (
            f"pathway {pathway.id!r} is {pathway.state.label_fr} and accepts no new fact, "
            "only corrections"
        )
    else:
        detail = f"not allowed in state {pathway.state.value!r}"
    return (PathwayClosed if final and type(event) is not Referred else EventRefused)(
        rule="R-FINAL" if final and type(event) is not Referred else "R-TRANSITION",
        state=pathway.state,
        event=event,
        allowed=LIFECYCLE.allowed(pathway.state),
        detail=detail,
    )


def _replay_facts(facts: tuple[Event, ...], programme: Programme) -> Pathway:
    """The pathway the facts (no correction among them) lead to; the first is a referral."""
    return replay(facts, programme=programme)


def _amend(pathway: Pathway, correction: Corrected) -> Pathway:
    """Apply a correction: check it, then replay the corrected history (every rule again).

    The original events stay in ``history``; the pathway's records are those of the
    corrected facts.
    """
    for rule, check in CHECKS[Corrected]:
        detail = check(pathway, correction)
        if detail is not None:
            raise _refuse(rule, pathway, correction, detail)
    history = (*pathway.history, correction)
    facts = corrected_facts(history)
    try:
        rebuilt = _replay_facts(facts, pathway.programme)
    except EventRefused as refused:
        where = getattr(refused.event, "tag", "?")
        on = getattr(refused.event, "on", "?")
        raise EventRefused(
            rule=refused.rule,
            state=pathway.state,
            event=correction,
            allowed=LIFECYCLE.allowed(pathway.state),
            detail=(
                f"the corrected history is refused at its {where!r} event of {on} "
                f"(rule {refused.rule}): {refused.detail}"
            ),
        ) from refused
    return _derive(rebuilt, {"history": history, "facts": facts})


def apply(pathway: Pathway, event: Event, *, expected_version: int | None = None) -> Pathway:
    """Apply one event to a pathway and return the new pathway (the old one is unchanged).

    Every rule is checked: the lifecycle table, then the event's own rules and those of
    the state it leads to, then chronology. A correction (:class:`~reussite.Corrected`)
    is checked, then the corrected history is replayed with every rule.

    Args:
        pathway: the pathway as the caller last read it.
        event: what happened.
        expected_version: the version the caller's command was based on; a stale one
            raises :class:`~reussite.errors.VersionConflict`.

    Raises:
        EventRefused: naming the state, the event, the rule code and the events allowed.
        PathwayClosed: if the pathway is in a final state and the event is a new fact.
        VersionConflict: if ``expected_version`` is not the pathway's version.
        InvalidValue: if an argument is not of the expected type.
    """
    if not isinstance(pathway, Pathway):
        raise InvalidValue("apply", "pathway", pathway, "a reussite.Pathway")
    if expected_version is not None:
        if type(expected_version) is not int:
            raise InvalidValue("apply", "expected_version", expected_version, "an int or None")
        if expected_version != pathway.version:
            raise VersionConflict(
                pathway_id=pathway.id, expected=expected_version, actual=pathway.version
            )
    if type(event) is Corrected:
        return _amend(pathway, event)
    changes = _fold(pathway, event)
    history = (*pathway.history, event)
    changes["history"] = history
    changes["facts"] = history if pathway.facts is pathway.history else (*pathway.facts, event)
    return _derive(pathway, changes)


def replay(events: Iterable[Event], *, programme: Programme) -> Pathway:
    """Rebuild a pathway from its events (the first one a ``referred``).

    Linear in the number of events (a correction replays the history it corrects).

    Raises:
        EventRefused: at the first event the rules refuse (``.event`` says which).
    """
    try:
        iterator = iter(events)
    except TypeError:
        raise InvalidValue("replay", "events", events, "an iterable of events") from None
    first = next(iterator, None)
    if first is None:
        raise EventRefused(
            rule="R-TRANSITION",
            state=None,
            event=None,
            allowed=(Referred.tag,),
            detail="there is no event to replay",
        )
    pathway = open_pathway(programme, cast(Referred, first))
    # The pathway being rebuilt is private until returned: the fold updates its fields in
    # place instead of copying them for every event (``apply`` always copies).
    fields = pathway.__dict__
    history: list[Event] = [first]
    facts: list[Event] | None = None  # once corrected: the facts, which differ from history
    for event in iterator:
        if type(event) is Corrected:
            fields["history"] = tuple(history)
            fields["facts"] = fields["history"] if facts is None else tuple(facts)
            fields.update(_amend(pathway, event).__dict__)
            history.append(event)
            facts = list(fields["facts"])
            continue
        changes = _fold(pathway, event)
        history.append(event)
        if facts is not None:
            facts.append(event)
        # The rules read only the last fact's date: the full history is attached once.
        changes["facts"] = (event,)
        fields.update(changes)
    fields["history"] = tuple(history)
    fields["facts"] = fields["history"] if facts is None else tuple(facts)
    return _rebuild(pathway)  # its fields kept in the object: quicker to read


def as_known_on(pathway: Pathway, on: dt.date) -> Pathway | None:
    """The pathway as the tracking tool knew it on ``on``; ``None`` if not yet recorded.

    Rule (*données connues à une date*): an event is known from the date it was recorded
    (:attr:`~reussite.events.Event.recorded_on`; its own date when that is not given), and
    events are recorded in the order of the history, so an event after one not yet known
    is not known either: the pathway known on ``on`` is the replay of the history up to
    the first event not yet recorded. A late entry or a correction recorded afterwards is
    left out. A report published on a date
    is reproduced later by reading the pathways as known on that date.

    Raises:
        InvalidValue: if ``pathway`` is not a :class:`~reussite.Pathway` or ``on`` not a date.
    """
    if not isinstance(pathway, Pathway):
        raise InvalidValue("as_known_on", "pathway", pathway, "a reussite.Pathway")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValue("as_known_on", "on", on, "a datetime.date")
    history = pathway.history
    known = 0  # the events are recorded in their order: those known make a prefix
    while known < len(history) and history[known].known_from <= on:
        known += 1
    if known == len(history):
        return pathway
    if known == 0:  # the referral itself not yet recorded
        return None
    return replay(history[:known], programme=pathway.programme)
