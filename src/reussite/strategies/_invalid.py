"""Invalid inputs: for each rule an event can break, a pathway and an event breaking it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs
from hypothesis import strategies as st

from ..codes import (
    Attainment,
    ObjectiveStatus,
)
from ..decision import TeamDecision
from ..events import (
    ActionEnded,
    ActionPlanned,
    Admitted,
    Assessed,
    ConsentGiven,
    ConsentWithdrawn,
    ContactLost,
    DeclaredIneligible,
    Event,
    ExitProposed,
    ExitRejected,
    ExitValidated,
    FamilyRefused,
    HandedOver,
    ObjectiveSet,
    ObjectiveUpdated,
    Redirected,
    ReferentChanged,
    Referred,
    Reviewed,
    Started,
)
from ..lifecycle import LIFECYCLE, apply, open_pathway, replay
from ..pathway import Pathway, State
from ..plan import derive_attainment
from ..programme import (
    Programme,
)
from ..referral import Consent
from ..rules import RULES
from ._values import (
    _FAMILIES,
    _MAX_DAY,
    _PROGRAMMES,
    _REFERRALS,
    _date,
    _day,
    _deciding_teams,
    _ids,
    _one_of,
    _pick,
    _require,
    _stranger,
    assessments,
    children,
)
from ._walks import (
    _BUILDERS,
    _FINALS,
    _KINDS,
    _NEEDS,
    _ONGOING,
    _action,
    _admitted,
    _check_reachable,
    _consent,
    _decision,
    _first_day,
    _guardian,
    _next_on,
    _objective,
    _possible,
    _referred,
    pathways,
)

# --- invalid inputs: each rule broken on purpose -------------------------------------------

Violation = Callable[[st.DrawFn, Programme], tuple[Pathway, Event]]


def _redated(event: Event, on: dt.date) -> Event:
    """The same event on another date (moving the record that carries its date)."""
    for name in ("consent", "review", "handover"):
        record = getattr(event, name, None)
        if record is not None:
            return attrs.evolve(event, **{name: attrs.evolve(record, on=on)})  # type: ignore[misc]
    return attrs.evolve(event, on=on)  # type: ignore[misc]


def _open_state(draw: st.DrawFn, programme: Programme, states: Iterable[State]) -> Pathway:
    return draw(pathways(programme=programme, state=_pick(draw, tuple(states))))


def _break_transition(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _ONGOING)
    refused = [k for k in _KINDS if LIFECYCLE.target(p.state, k) is None and _needs_met(p, k)]
    kind = _pick(draw, [*refused, Referred])
    on = _next_on(draw, p)
    if kind is Referred:  # a second referral sent to an open pathway
        first = p.history[0]
        assert isinstance(first, Referred)
        return p, attrs.evolve(first, referral=attrs.evolve(first.referral, on=on))
    return p, _BUILDERS[kind](draw, p, on)


def _needs_met(p: Pathway, kind: type[Event]) -> bool:
    needs = _NEEDS.get(kind)
    return needs is None or needs(p)


def _break_final(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _FINALS)
    return p, draw(_sent_after_the_end(p))


@st.composite
def _sent_after_the_end(draw: st.DrawFn, p: Pathway) -> Event:
    """An event of any kind a final pathway could otherwise hold, which ``R-FINAL`` refuses."""
    kind = _pick(draw, [k for k in _KINDS if _needs_met(p, k)])
    return _BUILDERS[kind](draw, p, _next_on(draw, p))


_UNDATED = (
    HandedOver,
    ConsentGiven,
    ConsentWithdrawn,
    FamilyRefused,
    DeclaredIneligible,
    ContactLost,
    ObjectiveSet,
    ObjectiveUpdated,
    ReferentChanged,
    Reviewed,
    ExitProposed,
)
"""Event types whose own rules do not read the date: only chronology can refuse them."""


def _break_chronology(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _ONGOING)
    kind = _pick(draw, [k for k in _UNDATED if _possible(p, k)])
    event = _BUILDERS[kind](draw, p, p.last_event_on)
    return p, _redated(event, _day(p.last_event_on, -draw(st.integers(1, 400))))


def _break_consent_first(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    first = draw(_referred(programme, min_value=dt.date(2010, 1, 1), max_value=_MAX_DAY))
    p = open_pathway(programme, first)
    signed = _next_on(draw, p)
    until = _day(signed, draw(st.integers(0, 90)))
    consent = Consent(id="acc-1", on=signed, given_by=(_guardian(draw, p),), valid_until=until)
    p = apply(p, ConsentGiven(consent=consent))  # limited in time: it expires
    late = _day(until, draw(st.integers(1, 365)))
    return p, Assessed(assessment=draw(assessments(min_value=late, max_value=late)))


def _break_guardian(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _ONGOING)
    stranger = _stranger(draw, (g.id for g in p.family.guardians), "tiers-")
    on = _next_on(draw, p)
    if _possible(p, ConsentWithdrawn) and draw(st.booleans()):
        return p, ConsentWithdrawn(on=on, by=stranger)
    event = _consent(draw, p, on)
    assert isinstance(event, ConsentGiven)
    signers = _pick(draw, [(stranger,), (*event.consent.given_by, stranger)])
    return p, attrs.evolve(event, consent=attrs.evolve(event.consent, given_by=signers))


def _break_eps(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ASSESSED, State.EXIT_PROPOSED))
    kinds = (Admitted, Redirected) if p.state is State.ASSESSED else (ExitRejected, ExitValidated)
    event = _BUILDERS[_pick(draw, kinds)](draw, p, _next_on(draw, p))
    assert isinstance(event, Admitted | Redirected | ExitRejected | ExitValidated)
    decision = event.decision
    team = programme.support_team(decision.team_id)
    assert team is not None
    quorum = programme.rules.at(decision.on).min_decision_members
    flaws: list[TeamDecision] = [
        attrs.evolve(
            decision, team_id=_stranger(draw, (t.id for t in programme.support_teams), "eps-")
        )
    ]
    if quorum > 1:
        flaws.append(attrs.evolve(decision, members_present=decision.members_present[:-1]))
    if team.members:
        outsider = _stranger(draw, team.members, "x-")
        flaws.append(
            attrs.evolve(decision, members_present=(*decision.members_present[1:], outsider))
        )
    decided = p.assessment if p.state is State.ASSESSED else p.exit_proposal
    assert decided is not None
    early = _day(decided.on, -1)  # before what it decides on
    if early >= _first_day(programme) and _deciding_teams(programme, early):
        flaws.append(attrs.evolve(decision, on=early))
    return p, attrs.evolve(event, decision=_pick(draw, flaws))


def _break_eligibility(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = draw(pathways(programme=programme, state=State.ASSESSED, eligible=False))
    event = _admitted(draw, p, _next_on(draw, p))
    assert isinstance(event, Admitted)
    return p, attrs.evolve(event, decision=attrs.evolve(event.decision, derogation=None))


def _break_referent(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ASSESSED, State.ADMITTED, State.ACTIVE))
    unknown = _stranger(draw, (r.id for r in programme.referents), "ref-")
    on = _next_on(draw, p)
    if p.state is State.ASSESSED:
        event = _admitted(draw, p, on)
        return p, attrs.evolve(event, referent_id=unknown)  # type: ignore[misc]
    assert p.referent_id is not None
    return p, ReferentChanged(on=on, referent_id=_pick(draw, [unknown, p.referent_id]))


def _break_active_plan(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    flaw = _pick(draw, ("start without objective", "drop the last", "reject with none"))
    if flaw != "start without objective":
        # Active: drop all objectives but one, then the last one. Exit proposed: drop them
        # all, then reject the exit, which would make the pathway active again.
        state = State.ACTIVE if flaw == "drop the last" else State.EXIT_PROPOSED
        p = draw(pathways(programme=programme, state=state))
        live = [o.id for o in p.objectives if o.status is not ObjectiveStatus.DROPPED]
        for objective_id in live[1:] if state is State.ACTIVE else live:
            p = apply(p, _dropped(draw, p, objective_id))
        if state is State.ACTIVE:
            return p, _dropped(draw, p, live[0])
        return p, ExitRejected(decision=_decision(draw, p, _next_on(draw, p)))
    p = draw(pathways(programme=programme, state=State.ASSESSED))
    p = replay([e for e in p.history if not isinstance(e, ObjectiveSet)], programme=programme)
    p = apply(p, _admitted(draw, p, _next_on(draw, p)))  # admitted, with no objective
    return p, Started(on=_next_on(draw, p))


def _dropped(draw: st.DrawFn, p: Pathway, objective_id: str) -> ObjectiveUpdated:
    return ObjectiveUpdated(
        on=_next_on(draw, p), objective_id=objective_id, status=ObjectiveStatus.DROPPED
    )


def _break_unique_id(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    states = (State.CONSENTED, State.ASSESSED, State.ADMITTED, State.ACTIVE, State.EXIT_PROPOSED)
    p = _open_state(draw, programme, states)
    on = _next_on(draw, p)
    copies: list[Event] = []
    consent = _consent(draw, p, on)
    assert isinstance(consent, ConsentGiven)
    reused = _pick(draw, [c.id for c in p.consents])
    copies.append(attrs.evolve(consent, consent=attrs.evolve(consent.consent, id=reused)))
    if p.objectives and _possible(p, ObjectiveSet):
        objective = _objective(draw, p, on)
        assert isinstance(objective, ObjectiveSet)
        taken = _pick(draw, [o.id for o in p.objectives])
        copies.append(
            attrs.evolve(objective, objective=attrs.evolve(objective.objective, id=taken))
        )
    if p.state is State.ACTIVE:
        if not p.actions:
            p = apply(p, _action(draw, p, on))
        planned = _action(draw, p, _next_on(draw, p))
        assert isinstance(planned, ActionPlanned)
        taken = _pick(draw, [a.id for a in p.actions])
        copies.append(attrs.evolve(planned, action=attrs.evolve(planned.action, id=taken)))
    return p, _pick(draw, copies)


def _break_known_reference(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ACTIVE, State.EXIT_PROPOSED))
    unknown = _stranger(draw, (o.id for o in p.objectives), "obj-x")
    on = _next_on(draw, p)
    update = ObjectiveUpdated(on=on, objective_id=unknown, status=draw(_one_of(ObjectiveStatus)))
    if p.state is State.EXIT_PROPOSED or draw(st.booleans()):
        return p, update
    planned = _action(draw, p, on)
    assert isinstance(planned, ActionPlanned)
    served = (*planned.action.objective_ids, unknown)
    return p, attrs.evolve(planned, action=attrs.evolve(planned.action, objective_ids=served))


def _break_action_inside(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = draw(pathways(programme=programme, state=State.ACTIVE))
    assert p.started_on is not None
    flaw = _pick(draw, ("before the pathway", "unknown", "before it starts", "twice"))
    if flaw == "before the pathway":
        planned = _action(draw, p, _next_on(draw, p))
        assert isinstance(planned, ActionPlanned)
        early = _day(p.started_on, -draw(st.integers(1, 60)))
        return p, attrs.evolve(planned, action=attrs.evolve(planned.action, start=early))
    on = _next_on(draw, p)
    if flaw == "unknown":
        return p, ActionEnded(on=on, action_id=_stranger(draw, (a.id for a in p.actions), "act-x"))
    planned = _action(draw, p, on)
    assert isinstance(planned, ActionPlanned)
    start = _day(on, draw(st.integers(1, 30)))
    p = apply(p, attrs.evolve(planned, action=attrs.evolve(planned.action, start=start)))
    if flaw == "before it starts":
        return p, ActionEnded(on=on, action_id=planned.action.id)
    p = apply(p, ActionEnded(on=start, action_id=planned.action.id))
    return p, ActionEnded(on=_next_on(draw, p), action_id=planned.action.id)


def _break_exit_attainment(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = draw(pathways(programme=programme, state=State.EXIT_PROPOSED))
    derived = derive_attainment(p.objectives)
    on = _next_on(draw, p)
    return p, ExitValidated(
        decision=_decision(draw, p, on),
        attainment=_pick(draw, [a for a in Attainment if a is not derived]),
        satisfactory_evolution=draw(st.booleans()),
    )


_VIOLATIONS: Mapping[str, Violation] = {
    "R-ACTION-INSIDE": _break_action_inside,
    "R-ACTIVE-PLAN": _break_active_plan,
    "R-CHRONOLOGY": _break_chronology,
    "R-CONSENT-FIRST": _break_consent_first,
    "R-CONSENT-GUARDIAN": _break_guardian,
    "R-ELIGIBILITY": _break_eligibility,
    "R-EPS-DECISION": _break_eps,
    "R-EXIT-ATTAINMENT": _break_exit_attainment,
    "R-FINAL": _break_final,
    "R-KNOWN-REFERENCE": _break_known_reference,
    "R-REFERENT": _break_referent,
    "R-TRANSITION": _break_transition,
    "R-UNIQUE-ID": _break_unique_id,
}
"""For each rule an event can break, how to draw a pathway and an event that breaks it."""


def invalid_events(
    *, programme: Programme | None = None, rules: Iterable[str] | None = None
) -> st.SearchStrategy[tuple[Pathway, Event, str]]:
    """Refused events: ``(pathway, event, rule)`` where ``apply`` refuses with ``rule``.

    Each case breaks exactly one rule of :data:`~reussite.RULES` (*règle enfreinte*):
    the event is otherwise valid, so ``apply(pathway, event)`` raises
    :class:`~reussite.EventRefused` whose ``.rule`` is ``rule`` (a
    :class:`~reussite.PathwayClosed` for ``R-FINAL``). Adopters use it to check that
    their forms and imports refuse what the library refuses.

    Args:
        programme: the PRE (drawn when ``None``).
        rules: the rule codes to break (every code an event can break by default;
            ``R-PROGRAMME-IN-FORCE`` is broken by a referral: see
            :func:`invalid_referrals`).

    Raises:
        InvalidArgument: for an unknown code or one no event applied to a pathway breaks.
    """
    codes = tuple(_VIOLATIONS) if rules is None else tuple(rules)
    _require(bool(codes), "rules must name at least one rule code")
    unknown = [c for c in codes if c not in RULES]
    _require(not unknown, f"unknown rule codes {unknown!r} (see reussite.RULES)")
    other = [c for c in codes if c not in _VIOLATIONS]
    _require(
        not other,
        f"{', '.join(other)} is broken by a referral, not by an event applied to a pathway: "
        "use invalid_referrals()",
    )

    @st.composite
    def strategy(draw: st.DrawFn) -> tuple[Pathway, Event, str]:
        chosen = programme or draw(_PROGRAMMES)
        _check_reachable(chosen, State.CLOSED, _MAX_DAY)  # most violations need an admission
        code = _pick(draw, codes)
        pathway, event = _VIOLATIONS[code](draw, chosen)
        return pathway, event, code

    return strategy()


@st.composite
def invalid_referrals(
    draw: st.DrawFn, *, programme: Programme | None = None
) -> tuple[Programme, Referred, str]:
    """Refused referrals: ``(programme, event, rule)``; ``open_pathway`` refuses them.

    The referral is dated before the programme's territory or rules first apply, which
    ``open_pathway`` refuses with rule ``R-PROGRAMME-IN-FORCE`` (*programme en vigueur*).
    """
    programme = programme or draw(_PROGRAMMES)
    first = _first_day(programme)
    _require(first > dt.date(1901, 1, 1), f"programme {programme.id!r} applies from {first}")
    on = _date(draw, max(dt.date(1900, 1, 1), _day(first, -3650)), _day(first, -1))
    family = draw(_FAMILIES)
    return (
        programme,
        Referred(
            pathway_id="p-" + draw(_ids),
            child=draw(children(on=on, family_id=family.id)),
            family=family,
            referral=attrs.evolve(draw(_REFERRALS), on=on),
        ),
        "R-PROGRAMME-IN-FORCE",
    )
