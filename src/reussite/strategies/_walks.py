"""Valid events and histories: one builder per event type, and walks through the table."""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from .._history import corrected_facts, in_force
from ..calendar import age_on
from ..codes import (
    Attainment,
    ExitReason,
    ObjectiveDomain,
    ObjectiveStatus,
    PriorityEducation,
    SuspensionReason,
)
from ..decision import Assessment, TeamDecision
from ..events import (
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
from ..lifecycle import LIFECYCLE, Transition, apply, open_pathway, replay
from ..pathway import Pathway, State
from ..people import Family
from ..plan import Objective, Review, derive_attainment
from ..programme import Programme, Referent
from ..referral import Consent
from ..rules import CHECKS, REQUIREMENTS, Rule
from ._values import (
    _FAMILIES,
    _MAX_DAY,
    _PROGRAMMES,
    _REFERRALS,
    _action_of,
    _check_bounds,
    _date,
    _day,
    _deciding_teams,
    _gap,
    _handover_on,
    _ids,
    _names,
    _needs,
    _notes,
    _one_of,
    _participants,
    _pick,
    _qpv,
    _recipients,
    _require,
    _scopes,
    _uai,
    children,
    families,
    programmes,
)

# --- events: one builder per type, valid for the pathway it is given ----------------------

Builder = Callable[[st.DrawFn, Pathway, dt.date], Event]
"""Builds an event valid for a pathway on a date (once its prerequisites hold)."""


def _guardian(draw: st.DrawFn, p: Pathway) -> str:
    return _pick(draw, [g.id for g in p.family.guardians])


def _decision(draw: st.DrawFn, p: Pathway, on: dt.date, **extra: Any) -> TeamDecision:
    team = _pick(draw, _deciding_teams(p.programme, on))
    count = p.programme.rules.at(on).min_decision_members
    members = team.members[:count] if team.members else tuple(f"m{i}" for i in range(count))
    return TeamDecision(team_id=team.id, on=on, members_present=members, **extra)


def _consent(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    """A consent (or its renewal) by a guardian; one in four lasts a year or less."""
    limited = draw(st.integers(0, 3)) == 3
    return ConsentGiven(
        consent=Consent(
            id=f"acc-{len(p.consents) + 1}",
            on=on,
            given_by=(_guardian(draw, p),),
            recipients=tuple(draw(_recipients)),
            valid_until=_day(on, draw(st.integers(30, 365))) if limited else None,
            scopes=draw(_scopes) if draw(st.integers(0, 3)) == 3 else (),
        )
    )


def _for_good(referent: Referent, since: dt.date) -> bool:
    """Whether ``referent`` is in post every day from ``since`` on (any later event's day)."""
    return referent.left_on is None and referent.in_post(since)


def _admitted(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    derogation = None if p.eligibility.eligible else "Situation jugée prioritaire par l'EPS"
    decision = _decision(draw, p, on, derogation=derogation)
    return Admitted(
        decision=decision,
        referent_id=_pick(draw, [r.id for r in p.programme.referents if r.in_post(decision.on)]),
    )


def _objective(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    objective = Objective(
        id=f"obj-{len(p.objectives) + 1}",
        domain=draw(_one_of(ObjectiveDomain)),
        label=draw(_names),
    )
    return ObjectiveSet(on=on, objective=objective)


_KEPT = [s for s in ObjectiveStatus if s is not ObjectiveStatus.DROPPED]


def _live(p: Pathway) -> list[str]:
    return [o.id for o in p.objectives if o.status is not ObjectiveStatus.DROPPED]


def _objective_update(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    live = _live(p)
    objective_id = _pick(draw, [o.id for o in p.objectives])
    if not live or (p.state is State.ACTIVE and live == [objective_id]):
        # An active pathway keeps an objective; with none left, one is taken up again
        # (so that the EPS can reject an exit).
        status = _pick(draw, _KEPT)
    else:
        status = _pick(draw, list(ObjectiveStatus))
    return ObjectiveUpdated(on=on, objective_id=objective_id, status=status)


def _action(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    start = _day(on, draw(st.integers(0, 20)))
    until = _consent_until(p, on)
    action = _action_of(
        draw,
        objective_ids=[o.id for o in p.objectives],
        start=start if until is None else min(start, until),  # while the consent covers it
        id=f"act-{len(p.actions) + 1}",
    )
    return ActionPlanned(on=on, action=action)


def _action_end(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    action = _pick(draw, [a for a in p.actions if a.end is None])
    return ActionEnded(on=max(on, action.start), action_id=action.id)


def _referent_change(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    others = [r.id for r in p.programme.referents if r.id != p.referent_id and r.in_post(on)]
    return ReferentChanged(on=on, referent_id=_pick(draw, others))


def _exit_validated(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    derived = derive_attainment(p.objectives)
    others = [a for a in Attainment if a is not derived]
    attainment = _pick(draw, others) if draw(st.integers(0, 9)) == 9 else derived
    justification = None if attainment is derived else "Appréciation de l'équipe"
    return ExitValidated(
        decision=_decision(draw, p, on, justification=justification),
        attainment=attainment,
        satisfactory_evolution=draw(st.booleans()),
    )


def _handover(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    return HandedOver(handover=_handover_on(draw, on))


def _exit_reasons(p: Pathway, on: dt.date) -> list[ExitReason]:
    """The reasons an exit may be proposed for on ``on`` (rule ``R-EXIT-REASON``)."""
    reserved = (ExitReason.FAMILY_WITHDRAWAL, ExitReason.LOST_CONTACT)
    old_enough = age_on(p.child.birth_date, on) >= p.programme.rules.at(on).max_age
    return [
        r for r in ExitReason if r not in reserved and (r is not ExitReason.AGE_LIMIT or old_enough)
    ]


def _suspended(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    until = draw(st.none() | st.integers(0, 90).map(lambda days: _day(on, days)))
    return Suspended(on=on, reason=draw(_one_of(SuspensionReason)), until=until, note=draw(_notes))


def _situation(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    """A move, a change of school, or a new school year (up a class, or repeated)."""
    now = p.situation_on(on)
    change = draw(st.sampled_from(("move", "school", "school year")))
    if change == "move":
        communes = sorted(p.programme.territory.at(p.referral.on).communes)
        situation = attrs.evolve(
            now, on=on, commune=_pick(draw, communes), qpv=draw(st.none() | _qpv)
        )
    elif change == "school":
        situation = attrs.evolve(
            now,
            on=on,
            school_uai=draw(st.none() | _uai),
            priority_education=_pick(draw, list(PriorityEducation)),
        )
    else:
        situation = now.promoted(on) if draw(st.integers(0, 4)) else attrs.evolve(now, on=on)
    return SituationChanged(situation=situation)


def _reassessed(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    first = len(p.objectives) + 1
    added = tuple(
        Objective(id=f"obj-{first + i}", domain=draw(_one_of(ObjectiveDomain)), label=draw(_names))
        for i in range(draw(st.integers(0, 2)))
    )
    return Reassessed(
        assessment=Assessment(on=on, needs=draw(_needs), summary=draw(_notes)),
        decision=_decision(draw, p, on),
        objectives=added,
    )


_BUILDERS: Mapping[type[Event], Builder] = {
    ConsentGiven: _consent,
    FamilyRefused: lambda d, p, on: FamilyRefused(on=on, note=d(_notes)),
    DeclaredIneligible: lambda d, p, on: DeclaredIneligible(on=on),
    ConsentWithdrawn: lambda d, p, on: ConsentWithdrawn(on=on, by=_guardian(d, p)),
    ContactLost: lambda d, p, on: ContactLost(on=on),
    Assessed: lambda d, p, on: Assessed(
        assessment=Assessment(on=on, needs=d(_needs), summary=d(_notes))
    ),
    Admitted: _admitted,
    Redirected: lambda d, p, on: Redirected(decision=_decision(d, p, on)),
    ObjectiveSet: _objective,
    ObjectiveUpdated: _objective_update,
    ReferentChanged: _referent_change,
    Started: lambda d, p, on: Started(on=on),
    ActionPlanned: _action,
    ActionEnded: _action_end,
    Reviewed: lambda d, p, on: Reviewed(
        review=Review(on=on, participants=d(_participants), summary=d(_notes))
    ),
    ExitProposed: lambda d, p, on: ExitProposed(on=on, reason=_pick(d, _exit_reasons(p, on))),
    ExitRejected: lambda d, p, on: ExitRejected(decision=_decision(d, p, on)),
    ExitValidated: _exit_validated,
    HandedOver: _handover,
    Suspended: _suspended,
    Resumed: lambda d, p, on: Resumed(on=on),
    SituationChanged: _situation,
    Reassessed: _reassessed,
    Corrected: lambda d, p, on: _correction(d, p, on),
}


def _can_decide(p: Pathway) -> bool:
    return bool(_deciding_teams(p.programme, p.last_event_on))


_NEEDS: Mapping[type[Event], Callable[[Pathway], bool]] = {
    Admitted: lambda p: (
        any(_for_good(r, p.last_event_on) for r in p.programme.referents) and _can_decide(p)
    ),
    Redirected: _can_decide,
    ExitRejected: lambda p: _can_decide(p) and bool(_live(p)),
    ExitValidated: _can_decide,
    Reassessed: _can_decide,
    ObjectiveUpdated: lambda p: bool(p.objectives),
    Started: lambda p: bool(_live(p)),
    Resumed: lambda p: bool(_live(p)),
    ActionPlanned: lambda p: bool(p.objectives),
    ActionEnded: lambda p: any(a.end is None for a in p.actions),
    ReferentChanged: lambda p: any(
        r.id != p.referent_id and _for_good(r, p.last_event_on) for r in p.programme.referents
    ),
}
"""What the pathway must already hold for a builder to make a valid event of that type."""


def _consent_rule(rules: Iterable[tuple[Rule, object]]) -> bool:
    return any(rule.code == "R-CONSENT-FIRST" for rule, _ in rules)


_NEED_CONSENT: frozenset[tuple[State, type[Event]]] = frozenset(
    (t.source, t.event)
    for t in LIFECYCLE.transitions
    if t.event is not ConsentGiven
    and (_consent_rule(CHECKS[t.event]) or _consent_rule(REQUIREMENTS.get(t.target, ())))
)
"""The (state, event) pairs the rules accept only with the family's consent in force."""


def _consent_until(p: Pathway, on: dt.date) -> dt.date | None:
    """The last day the consents in force on ``on`` cover.

    ``None`` when one of them is open-ended, or when none is in force (nothing to keep
    an event within).
    """
    ends = [c.valid_until for c in p.consents if c.covers(on)]
    if not ends or None in ends:
        return None
    return max(e for e in ends if e is not None)


def _possible(p: Pathway, kind: type[Event]) -> bool:
    """Whether ``kind`` is accepted now and a valid one can be built.

    The table accepts it, the pathway holds what it needs, and, when the rules need the
    family's consent, one is in force (events are then dated while it lasts).
    """
    if kind is Corrected:
        return True  # the referral at least can always be corrected
    needs = _NEEDS.get(kind)
    if LIFECYCLE.target(p.state, kind) is None or (needs is not None and not needs(p)):
        return False
    return (p.state, kind) not in _NEED_CONSENT or p.consent_in_force(p.last_event_on)


def _next_on(draw: st.DrawFn, p: Pathway, kind: type[Event] | None = None) -> dt.date:
    """A date for the next event: up to 45 days on, while the consent lasts if it needs one."""
    on = _day(p.last_event_on, draw(_gap))
    if kind is not None and (p.state, kind) in _NEED_CONSENT:
        until = _consent_until(p, p.last_event_on)
        if until is not None:
            on = min(on, until)
    return on


# --- corrections: fixes that keep the history valid -------------------------------------

Fix = Callable[[st.DrawFn], "Event | None"]


def _fixes(p: Pathway) -> list[tuple[int, Fix]]:
    """What a correction may fix in ``p``: ``(version, fix)`` pairs, each keeping it valid.

    Who referred (free text at referral), a review's summary (or the review voided), an
    objective's label, an action's label, a change of situation voided, and an earlier
    correction voided: none of them changes what the rules read.
    """
    history = p.history
    effective = in_force(history)
    fixes: list[tuple[int, Fix]] = []
    for version, recorded in enumerate(history, start=1):
        if type(recorded) is Corrected:
            if type(recorded.replacement) in _VOIDABLE_REPLACEMENTS:
                facts = corrected_facts((*history, _void(version, recorded)))
                dates = [e.on for e in facts]
                if facts != p.facts and dates == sorted(dates):  # a void may bring one back
                    fixes.append((version, lambda draw: None))
            continue
        event = effective.get(version, recorded)
        if event is None:
            continue
        fix = _FIX_OF.get(type(event))
        if fix is not None:
            fixes.append((version, _fixing(fix, event)))
        if type(event) in (Reviewed, SituationChanged):
            fixes.append((version, lambda draw: None))
    return fixes


def _void(version: int, correction: Corrected) -> Corrected:
    return Corrected(on=correction.on, corrected_version=version, reason="Annulation", by="coord")


def _fixing(fix: Callable[[st.DrawFn, Any], Event], event: Event) -> Fix:
    return lambda draw: fix(draw, event)


def _amended(text: str, draw: st.DrawFn) -> str:
    """Another text (a correction changes something), at most 200 characters."""
    amended = f"{text} ({draw(_names)})"[:200]
    if amended == text:  # too long to grow: change its last letter
        amended = text[:-1] + ("B" if text[-1] == "A" else "A")
    return amended


_FIX_OF: Mapping[type[Event], Callable[[st.DrawFn, Any], Event]] = {
    Referred: lambda d, e: attrs.evolve(
        e, referral=attrs.evolve(e.referral, referrer=_amended(e.referral.referrer, d))
    ),
    Reviewed: lambda d, e: attrs.evolve(
        e, review=attrs.evolve(e.review, summary=_amended(e.review.summary or "Bilan", d))
    ),
    ObjectiveSet: lambda d, e: attrs.evolve(
        e, objective=attrs.evolve(e.objective, label=_amended(e.objective.label, d))
    ),
    ActionPlanned: lambda d, e: attrs.evolve(
        e, action=attrs.evolve(e.action, label=_amended(e.action.label, d))
    ),
}
"""How a correction rewrites an event of each kind without changing what the rules read."""

_VOIDABLE_REPLACEMENTS = frozenset({*_FIX_OF, type(None)})
"""Corrections whose voiding keeps the history valid: those that changed text or voided a
review or a change of situation (their replacement's kind, ``None`` for a void)."""


def _correction(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    version, fix = _pick(draw, _fixes(p))
    target = p.history[version - 1]
    replacement = fix(draw)
    return Corrected(
        on=max(on, target.on),
        corrected_version=version,
        replacement=replacement,
        reason=draw(_names),
        by=_pick(draw, ("coord", "ref-a", "secretariat")),
    )


_ONGOING = tuple(s for s in State if s not in LIFECYCLE.finals)
_FINALS = tuple(s for s in State if s in LIFECYCLE.finals)
_KINDS = tuple(t for t in EVENT_TYPES.values() if t not in (Referred, Corrected))
"""The kinds of new facts a pathway may receive (the referral opens it; a correction is
not a new fact)."""
_TAKEN_ON = (State.ADMITTED, State.ACTIVE, State.SUSPENDED, State.EXIT_PROPOSED, State.CLOSED)


def _distances(target: State) -> dict[State, int]:
    """How many transitions each state is from ``target`` (absent: unreachable)."""
    distance = {target: 0}
    queue = deque([target])
    while queue:
        state = queue.popleft()
        for t in LIFECYCLE.transitions:
            if t.target is state and t.source not in distance:
                distance[t.source] = distance[state] + 1
                queue.append(t.source)
    return distance


def _first_day(programme: Programme) -> dt.date:
    return max(programme.territory.first_start, programme.rules.first_start)


def _check_reachable(programme: Programme, state: State | None, max_value: dt.date) -> None:
    _require(isinstance(programme, Programme), f"programme must be a Programme, not {programme!r}")
    _require(
        state is None or isinstance(state, State), f"state must be a State or None, got {state!r}"
    )
    first = _first_day(programme)
    _require(first <= max_value, f"programme {programme.id!r} only applies from {first}")
    if state in _TAKEN_ON:
        _require(
            any(r.left_on is None for r in programme.referents),
            f"programme {programme.id!r} has no referent in post for good (none, or each "
            f"with a left_on date): no pathway reaches {state.value!r}",
        )
        _require(
            any(_deciding_teams(programme, on) for on, _ in programme.rules.periods),
            f"no EPS of {programme.id!r} can reach the quorum: no pathway reaches {state.value!r}",
        )


@st.composite
def _referred(
    draw: st.DrawFn,
    programme: Programme,
    *,
    min_value: dt.date,
    max_value: dt.date,
    eligible: bool | None = None,
) -> Referred:
    """The referral that opens a pathway, dated when the programme applies."""
    on = _date(draw, max(min_value, _first_day(programme)), max_value)
    family = draw(_FAMILIES)
    child = draw(children(programme=programme, on=on, family_id=family.id, eligible=eligible))
    return Referred(
        pathway_id="p-" + draw(_ids),
        child=child,
        family=family,
        referral=attrs.evolve(draw(_REFERRALS), on=on),
    )


def _road_rank(t: Transition, p: Pathway) -> int:
    """Order of preference of a walk: the main road first, the early endings last.

    0: a way forward (admission, start, resumption, exit validated...), or the renewal
    of a consent that has lapsed; 1: an event that keeps the state (objectives, actions,
    reviews), or a suspension (a detour the road comes back from: the resumption is a
    way forward); 2: a renewal while the consent runs, or an early ending (refusal,
    withdrawal, lost contact, handover). Shrinking heads for low ranks, so minimal
    examples follow the main road.
    """
    if t.event is ConsentGiven and t.target is t.source:
        return 2 if p.consent_in_force(p.last_event_on) else 0
    if t.event is Suspended:
        return 1
    if t.target is not t.source and (t.target not in LIFECYCLE.finals or t.event is ExitValidated):
        return 0
    if t.target is t.source:
        return 1
    return 2


def _walk(draw: st.DrawFn, pathway: Pathway, *, state: State | None, max_events: int) -> Pathway:
    """Apply valid events from ``pathway`` until the drawn length (and ``state``) is met.

    Within the drawn length the walk follows the road (see :func:`_road_rank`), leaving
    it for an early ending only rarely; past it, it heads for ``state`` by the shortest
    road (setting an objective first when starting needs one), or without a ``state``
    stops or ends the pathway.
    """
    distance = _distances(state) if state is not None else None
    length = draw(st.integers(0, max_events))
    while pathway.is_open:
        steps = pathway.version - 1
        at_target = state is not None and pathway.state is state
        # Past the length: stop at the target; without one, stop two times in three.
        if steps >= length and (at_target or (state is None and draw(st.integers(0, 2)) < 2)):
            break
        if steps < length and draw(st.integers(0, 24)) == 0:  # now and then, a correction
            pathway = apply(pathway, _correction(draw, pathway, _next_on(draw, pathway)))
            continue
        moves = sorted(
            (
                t
                for t in LIFECYCLE.transitions
                if t.source is pathway.state
                and (distance is None or t.target in distance)
                and _possible(pathway, t.event)
            ),
            key=lambda t: _road_rank(t, pathway),
        )
        if not moves:  # at the target, and any move would lose it
            break
        if distance is not None and steps >= length:
            here = distance[pathway.state]
            closer = [t for t in moves if distance[t.target] < here]
            # Nothing closer: set an objective (to start), or renew a lapsed consent.
            moves = closer or [t for t in moves if t.event in _PREPARING]
        elif steps >= length:  # no target, past the length: end the pathway
            moves = [t for t in moves if t.target in LIFECYCLE.finals]
        elif draw(st.integers(0, 19)) < 19:  # within the length: rarely leave the road
            moves = [t for t in moves if _road_rank(t, pathway) < 2] or moves
        if not moves:  # pragma: no cover - every open state has a buildable way on
            raise AssertionError(f"no buildable event from {pathway.state}")
        transition = moves[draw(st.integers(0, len(moves) - 1))]
        on = _next_on(draw, pathway, transition.event)
        pathway = apply(pathway, _BUILDERS[transition.event](draw, pathway, on))
    return pathway


_PREPARING = (ObjectiveSet, ObjectiveUpdated, ConsentGiven)
"""What a walk does when no move brings it closer to its target state."""


@st.composite
def histories(
    draw: st.DrawFn,
    *,
    programme: Programme | None = None,
    state: State | None = None,
    max_events: int = 25,
    min_value: dt.date = dt.date(2010, 1, 1),
    max_value: dt.date = _MAX_DAY,
    eligible: bool | None = None,
) -> list[Event]:
    """Valid event sequences of one pathway, each accepted by :func:`~reussite.apply`.

    The first event is a :class:`~reussite.Referred`; the others follow the lifecycle
    table (*cycle de vie du parcours*) and every rule of :data:`~reussite.RULES`.

    Args:
        draw: supplied by Hypothesis.
        programme: the PRE (drawn when ``None``).
        state: the state the history must end in; ``None`` lets the walk stop anywhere.
        max_events: how many events after the referral, at most (more may be needed to
            reach ``state``).
        min_value: earliest referral date.
        max_value: latest referral date.
        eligible: force the child eligible or not (``None`` lets it vary).
    """
    _require(isinstance(max_events, int) and max_events >= 0, f"max_events={max_events!r} is < 0")
    _check_bounds(min_value, max_value)
    programme = programme or draw(_PROGRAMMES)
    _check_reachable(programme, state, max_value)
    first = draw(_referred(programme, min_value=min_value, max_value=max_value, eligible=eligible))
    pathway = _walk(draw, open_pathway(programme, first), state=state, max_events=max_events)
    return list(pathway.history)


def pathways(
    *,
    programme: Programme | None = None,
    state: State | None = None,
    max_events: int = 25,
    min_value: dt.date = dt.date(2010, 1, 1),
    max_value: dt.date = _MAX_DAY,
    eligible: bool | None = None,
) -> st.SearchStrategy[Pathway]:
    """Pathways (*parcours*) built by applying a valid history, in any or a given state.

    The arguments are those of :func:`histories`.
    """

    @st.composite
    def strategy(draw: st.DrawFn) -> Pathway:
        chosen = programme or draw(_PROGRAMMES)
        events = draw(
            histories(
                programme=chosen,
                state=state,
                max_events=max_events,
                min_value=min_value,
                max_value=max_value,
                eligible=eligible,
            )
        )
        return replay(events, programme=chosen)

    return strategy()


@st.composite
def cohorts(
    draw: st.DrawFn,
    *,
    programme: Programme | None = None,
    min_size: int = 1,
    max_size: int = 10,
    max_events: int = 15,
    min_value: dt.date = dt.date(2010, 1, 1),
    max_value: dt.date = _MAX_DAY,
) -> list[Pathway]:
    """Cohorts (*file active*): pathways of one programme, siblings sharing a family.

    Pathway ids are distinct (``p-1``, ``p-2``...), and so are children's ids, except
    a child who re-enters after an earlier pathway ended: the new pathway names it
    in ``previous_pathway_id`` and keeps the child's id.

    Args:
        draw: supplied by Hypothesis.
        programme: the PRE every pathway belongs to (drawn when ``None``).
        min_size: fewest pathways.
        max_size: most pathways.
        max_events: the ``max_events`` of each pathway's history.
        min_value: earliest first referral date.
        max_value: latest first referral date.
    """
    _require(
        0 <= min_size <= max_size, f"need 0 <= min_size <= max_size, got {min_size}, {max_size}"
    )
    _check_bounds(min_value, max_value)
    programme = programme or draw(_PROGRAMMES)
    _check_reachable(programme, None, max_value)
    cohort: list[Pathway] = []
    family: Family | None = None
    for n in range(1, draw(st.integers(min_size, max_size)) + 1):
        # 0-3: a new family; 4: a brother or sister of the last child; 5: the last child
        # re-enters once their pathway has ended.
        choice = draw(st.integers(0, 5)) if cohort else 0
        previous = cohort[-1] if choice == 5 and cohort[-1].ended_on is not None else None
        if previous is not None:
            assert previous.ended_on is not None
            on = _day(previous.ended_on, draw(st.integers(1, 400)))
            child, family = previous.child, previous.family
        else:
            on = _date(draw, max(min_value, _first_day(programme)), max_value)
            if family is None or choice < 4:
                family = draw(families(id=f"fam-{n}"))
            child = draw(children(programme=programme, on=on, family_id=family.id))
            child = attrs.evolve(child, id=f"enf-{n}")
        first = Referred(
            pathway_id=f"p-{n}",
            child=child,
            family=family,
            referral=attrs.evolve(draw(_REFERRALS), on=on),
            previous_pathway_id=previous.id if previous is not None else None,
        )
        cohort.append(
            _walk(draw, open_pathway(programme, first), state=None, max_events=max_events)
        )
    return cohort


@st.composite
def _next_event(draw: st.DrawFn, pathway: Pathway, kinds: tuple[type[Event], ...]) -> Event:
    kind = _pick(draw, kinds)
    return _BUILDERS[kind](draw, pathway, _next_on(draw, pathway, kind))


def _prepare(draw: st.DrawFn, p: Pathway, kind: type[Event]) -> Pathway:
    """Apply the events ``kind`` needs first: a renewed consent, an objective, an action."""
    while not _possible(p, kind):
        if not p.consent_in_force(p.last_event_on) and _possible(p, ConsentGiven):
            p = apply(p, _consent(draw, p, _next_on(draw, p)))
        elif kind is ActionEnded and _possible(p, ActionPlanned):
            p = apply(p, _action(draw, p, _next_on(draw, p, ActionPlanned)))
        elif _possible(p, ObjectiveSet):
            p = apply(p, _objective(draw, p, _next_on(draw, p, ObjectiveSet)))
        else:  # pragma: no cover - the states chosen in _free_event can always prepare
            raise AssertionError(f"cannot prepare {kind.tag} in {p.state}")
    return p


@st.composite
def _free_event(draw: st.DrawFn, kinds: tuple[type[Event], ...]) -> Event:
    """An event of one of ``kinds``, valid for a pathway drawn to receive it."""
    kind = _pick(draw, kinds)
    programme = draw(programmes(min_referents=2))
    if kind is ReferentChanged:  # someone to change to, whatever the day: a second in post
        first, second, *others = programme.referents
        undated = attrs.evolve(second, joined_on=None, left_on=None, fte_changes=())
        programme = attrs.evolve(programme, referents=(first, undated, *others))
    if kind is Referred:
        return draw(_referred(programme, min_value=dt.date(2010, 1, 1), max_value=_MAX_DAY))
    if kind is Corrected:  # in any state, final ones included
        return draw(_next_event(draw(pathways(programme=programme, max_events=8)), (kind,)))
    states = [s for s in _ONGOING if LIFECYCLE.target(s, kind) is not None]
    if kind is ActionEnded:  # only an active pathway can plan the action to end
        states = [State.ACTIVE]
    state = _pick(draw, states)
    pathway = _prepare(draw, draw(pathways(programme=programme, state=state, max_events=8)), kind)
    return draw(_next_event(pathway, (kind,)))


def events(
    *, pathway: Pathway | None = None, kinds: Iterable[type[Event]] | None = None
) -> st.SearchStrategy[Event]:
    """Events (*événements*) of ``kinds`` (all by default), each valid where it is drawn.

    With a ``pathway``, every event is one it accepts now (``apply(pathway, event)``
    succeeds), dated on or up to 45 days after its last event (while the family's consent
    lasts, for the events that need it). A final pathway accepts only corrections
    (:class:`~reussite.Corrected`). Without a pathway, each event is valid for a pathway
    drawn to receive it (the pathway is not returned).

    Raises:
        InvalidArgument: for an unknown kind, or kinds the pathway cannot accept now.
    """
    chosen = tuple(EVENT_TYPES.values()) if kinds is None else tuple(kinds)
    _require(bool(chosen), "kinds must name at least one event type")
    unknown = [k for k in chosen if k not in EVENT_TYPES.values()]
    _require(not unknown, f"not event types: {unknown!r} (see reussite.EVENT_TYPES)")
    if pathway is None:
        return _free_event(chosen)
    _require(
        pathway.is_open or Corrected in chosen,
        f"pathway {pathway.id!r} is {pathway.state.value!r}, a final state: it accepts only "
        "corrections",
    )
    possible = tuple(k for k in chosen if k is not Referred and _possible(pathway, k))
    _require(
        bool(possible),
        f"pathway {pathway.id!r} in state {pathway.state.value!r} can accept none of "
        f"{', '.join(k.tag for k in chosen)} now (allowed: "
        f"{', '.join(LIFECYCLE.allowed(pathway.state))})",
    )
    return _next_event(pathway, possible)
