"""Invalid inputs: for each rule an event can break, a pathway and an event breaking it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping

import attrs
from hypothesis import strategies as st

from ..calendar import age_on
from ..codes import (
    Attainment,
    ExitReason,
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
    Redirected,
    ReferentChanged,
    Referred,
    Reviewed,
    SituationChanged,
    Started,
    Suspended,
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
    _NEED_CONSENT,
    _NEEDS,
    _ONGOING,
    _action,
    _admitted,
    _check_reachable,
    _consent,
    _consent_until,
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


def _soon(draw: st.DrawFn, p: Pathway) -> dt.date:
    """A date for the next event, while the family's consent in force lasts.

    A case breaks its own rule, not the consent's: it is dated within the consent.
    """
    on = _next_on(draw, p)
    until = _consent_until(p, p.last_event_on)
    return on if until is None else min(on, until)


def _redated(event: Event, on: dt.date) -> Event:
    """The same event on another date (moving the record that carries its date)."""
    for name in ("consent", "review", "handover", "situation"):
        record = getattr(event, name, None)
        if record is not None:
            return attrs.evolve(event, **{name: attrs.evolve(record, on=on)})  # type: ignore[misc,call-arg,unused-ignore]
    return attrs.evolve(event, on=on)  # type: ignore[misc,call-arg,unused-ignore]


def _open_state(draw: st.DrawFn, programme: Programme, states: Iterable[State]) -> Pathway:
    """A pathway in one of ``states`` whose family's consent is in force (renewed if need be).

    A violation then breaks its own rule, not the consent's.
    """
    return _consented(draw, draw(pathways(programme=programme, state=_pick(draw, tuple(states)))))


def _consented(draw: st.DrawFn, p: Pathway) -> Pathway:
    """``p``, its family's consent renewed first if it has lapsed."""
    if p.consents and not p.consent_in_force(p.last_event_on) and p.is_open:
        p = apply(p, _consent(draw, p, _next_on(draw, p)))
    return p


def _break_transition(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _ONGOING)
    refused = [k for k in _KINDS if LIFECYCLE.target(p.state, k) is None and _needs_met(p, k)]
    kind = _pick(draw, [*refused, Referred])
    on = _soon(draw, p)
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
    return _BUILDERS[kind](draw, p, _soon(draw, p))


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
    Suspended,
    SituationChanged,
)
"""Event types whose own rules do not read the date: only chronology can refuse them
(where the family's consent is not needed: an earlier date might predate it)."""


def _break_chronology(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _ONGOING)
    kinds = [k for k in _UNDATED if _possible(p, k) and (p.state, k) not in _NEED_CONSENT]
    event = _BUILDERS[_pick(draw, kinds)](draw, p, p.last_event_on)
    if isinstance(event, ExitProposed) and event.reason is ExitReason.AGE_LIMIT:
        event = attrs.evolve(event, reason=ExitReason.OTHER)  # the age is read on the date
    return p, _redated(event, _day(p.last_event_on, -draw(st.integers(1, 400))))


def _break_consent_first(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    """An assessment, support or an action once the only consent has lapsed."""
    first = draw(_referred(programme, min_value=dt.date(2010, 1, 1), max_value=_MAX_DAY))
    p = open_pathway(programme, first)
    signed = _next_on(draw, p)
    flaw = _pick(draw, ("assessment", "support", "action starting after"))
    until = _day(signed, draw(st.integers(0, 90) if flaw == "assessment" else st.integers(60, 120)))
    consent = Consent(id="acc-1", on=signed, given_by=(_guardian(draw, p),), valid_until=until)
    p = apply(p, ConsentGiven(consent=consent))  # limited in time: it expires
    late = _day(until, draw(st.integers(1, 365)))
    if flaw == "assessment":
        return p, Assessed(assessment=draw(assessments(min_value=late, max_value=late)))
    kind: type[Event]
    while p.state is not State.ACTIVE or p.started_on is None:  # the road, before it lapses
        kind = {
            State.CONSENTED: Assessed,
            State.ASSESSED: Admitted if p.objectives else ObjectiveSet,
            State.ADMITTED: Started,
        }[p.state]
        _require(_possible(p, kind), f"{p.id}: cannot take the road in {p.state.value}")
        p = apply(p, _BUILDERS[kind](draw, p, min(_next_on(draw, p), until)))
    if flaw == "action starting after":
        planned = _action(draw, p, p.last_event_on)
        assert isinstance(planned, ActionPlanned)
        return p, attrs.evolve(planned, action=attrs.evolve(planned.action, start=late))
    kind = _pick(draw, [k for k in (Reviewed, ObjectiveSet, ReferentChanged) if _needs_met(p, k)])
    return p, _BUILDERS[kind](draw, p, late)


def _break_guardian(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, _ONGOING)
    stranger = _stranger(draw, (g.id for g in p.family.guardians), "tiers-")
    on = _soon(draw, p)
    if _possible(p, ConsentWithdrawn) and draw(st.booleans()):
        return p, ConsentWithdrawn(on=on, by=stranger)
    event = _consent(draw, p, on)
    assert isinstance(event, ConsentGiven)
    signers = _pick(draw, [(stranger,), (*event.consent.given_by, stranger)])
    return p, attrs.evolve(event, consent=attrs.evolve(event.consent, given_by=signers))


def _break_eps(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ASSESSED, State.EXIT_PROPOSED))
    kinds = (Admitted, Redirected) if p.state is State.ASSESSED else (ExitRejected, ExitValidated)
    event = _BUILDERS[_pick(draw, kinds)](draw, p, _soon(draw, p))
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
    p = _consented(draw, draw(pathways(programme=programme, state=State.ASSESSED, eligible=False)))
    event = _admitted(draw, p, _soon(draw, p))
    assert isinstance(event, Admitted)
    return p, attrs.evolve(event, decision=attrs.evolve(event.decision, derogation=None))


def _break_referent(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ASSESSED, State.ADMITTED, State.ACTIVE))
    unknown = _stranger(draw, (r.id for r in programme.referents), "ref-")
    on = _soon(draw, p)
    if p.state is State.ASSESSED:
        event = _admitted(draw, p, on)
        return p, attrs.evolve(event, referent_id=unknown)  # type: ignore[misc,call-arg,unused-ignore]
    assert p.referent_id is not None
    return p, ReferentChanged(on=on, referent_id=_pick(draw, [unknown, p.referent_id]))


def _break_active_plan(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    flaw = _pick(draw, ("start without objective", "drop the last", "reject with none"))
    if flaw != "start without objective":
        # Active: drop all objectives but one, then the last one. Exit proposed: drop them
        # all, then reject the exit, which would make the pathway active again.
        state = State.ACTIVE if flaw == "drop the last" else State.EXIT_PROPOSED
        p = _open_state(draw, programme, (state,))
        live = [o.id for o in p.objectives if o.status is not ObjectiveStatus.DROPPED]
        for objective_id in live[1:] if state is State.ACTIVE else live:
            p = apply(p, _dropped(draw, p, objective_id))
        if state is State.ACTIVE:
            return p, _dropped(draw, p, live[0])
        return p, ExitRejected(decision=_decision(draw, p, _soon(draw, p)))
    p = _open_state(draw, programme, (State.ASSESSED,))
    p = replay(
        [e for e in p.facts if not isinstance(e, ObjectiveSet | Corrected)], programme=programme
    )
    p = apply(p, _admitted(draw, p, _next_on(draw, p, Admitted)))  # admitted, with no objective
    return p, Started(on=_next_on(draw, p, Started))


def _dropped(draw: st.DrawFn, p: Pathway, objective_id: str) -> ObjectiveUpdated:
    return ObjectiveUpdated(
        on=_soon(draw, p), objective_id=objective_id, status=ObjectiveStatus.DROPPED
    )


def _break_unique_id(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    states = (State.CONSENTED, State.ASSESSED, State.ADMITTED, State.ACTIVE, State.EXIT_PROPOSED)
    p = _open_state(draw, programme, states)
    on = _soon(draw, p)
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
        planned = _action(draw, p, _soon(draw, p))
        assert isinstance(planned, ActionPlanned)
        taken = _pick(draw, [a.id for a in p.actions])
        copies.append(attrs.evolve(planned, action=attrs.evolve(planned.action, id=taken)))
    return p, _pick(draw, copies)


def _break_known_reference(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ACTIVE, State.EXIT_PROPOSED))
    unknown = _stranger(draw, (o.id for o in p.objectives), "obj-x")
    on = _soon(draw, p)
    update = ObjectiveUpdated(on=on, objective_id=unknown, status=draw(_one_of(ObjectiveStatus)))
    if p.state is State.EXIT_PROPOSED or draw(st.booleans()):
        return p, update
    planned = _action(draw, p, on)
    assert isinstance(planned, ActionPlanned)
    served = (*planned.action.objective_ids, unknown)
    return p, attrs.evolve(planned, action=attrs.evolve(planned.action, objective_ids=served))


def _break_action_inside(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ACTIVE,))
    assert p.started_on is not None
    covered = [  # days before the start while the family's consent was in force
        day for day in (_day(p.started_on, -n) for n in range(1, 61)) if p.consent_in_force(day)
    ]
    flaws = ["unknown", "before it starts", "twice", "cancelled"]
    flaw = _pick(draw, [*flaws, "before the pathway"] if covered else flaws)
    if flaw in ("before the pathway", "cancelled"):
        planned = _action(draw, p, _next_on(draw, p, ActionPlanned))
        assert isinstance(planned, ActionPlanned)
        if flaw == "cancelled":
            return p, attrs.evolve(planned, action=attrs.evolve(planned.action, cancelled=True))
        early = _pick(draw, covered)
        return p, attrs.evolve(planned, action=attrs.evolve(planned.action, start=early))
    on = _next_on(draw, p, ActionPlanned)
    if flaw == "unknown":
        return p, ActionEnded(on=on, action_id=_stranger(draw, (a.id for a in p.actions), "act-x"))
    planned = _action(draw, p, on)
    assert isinstance(planned, ActionPlanned)
    start = _day(on, draw(st.integers(1, 30)))
    until = _consent_until(p, on)
    if until is not None:  # the action starts while the consent lasts
        start = min(start, until)
    p = apply(p, attrs.evolve(planned, action=attrs.evolve(planned.action, start=start)))
    if flaw == "before it starts" and start > on:
        return p, ActionEnded(on=on, action_id=planned.action.id)
    p = apply(p, ActionEnded(on=start, action_id=planned.action.id))
    return p, ActionEnded(on=_soon(draw, p), action_id=planned.action.id)


def _break_exit_reason(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = _open_state(draw, programme, (State.ACTIVE, State.SUSPENDED))
    on = _soon(draw, p)
    reasons = [ExitReason.FAMILY_WITHDRAWAL, ExitReason.LOST_CONTACT]
    if age_on(p.child.birth_date, on) < p.programme.rules.at(on).max_age:
        reasons.append(ExitReason.AGE_LIMIT)
    return p, ExitProposed(on=on, reason=_pick(draw, reasons))


def _break_correction(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = draw(pathways(programme=programme))
    on = _soon(draw, p)
    first = p.history[0]
    assert isinstance(first, Referred)
    flaws: list[tuple[int, Event | None, dt.date]] = [
        (p.version + draw(st.integers(1, 5)), None, on),  # no such version
        (1, None, on),  # the referral voided
        (1, attrs.evolve(first, pathway_id=_stranger(draw, (p.id,), "p-")), on),
    ]
    facts = [v for v, e in enumerate(p.history, 1) if v > 1 and type(e) is not Corrected]
    if facts:
        version = _pick(draw, facts)
        target = p.history[version - 1]
        flaws.append((version, first, on))  # a referral in the place of another event
        if target.on > _first_day(programme):  # recorded before what it corrects
            flaws.append((version, None, _day(target.on, -draw(st.integers(1, 30)))))
        if p.facts == p.history:
            flaws.append((version, target, on))  # changes nothing
    version, replacement, when = _pick(draw, flaws)
    return p, Corrected(
        on=when, corrected_version=version, replacement=replacement, reason="saisie", by="coord"
    )


def _break_exit_attainment(draw: st.DrawFn, programme: Programme) -> tuple[Pathway, Event]:
    p = draw(pathways(programme=programme, state=State.EXIT_PROPOSED))
    derived = derive_attainment(p.objectives)
    on = _soon(draw, p)
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
    "R-CORRECTION": _break_correction,
    "R-ELIGIBILITY": _break_eligibility,
    "R-EPS-DECISION": _break_eps,
    "R-EXIT-ATTAINMENT": _break_exit_attainment,
    "R-EXIT-REASON": _break_exit_reason,
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


_REFERRAL_RULES = ("R-PROGRAMME-IN-FORCE", "R-CHRONOLOGY", "R-FAMILY-ID", "R-REENTRY")
"""The rules a referral breaks when ``open_pathway`` receives it."""


def invalid_referrals(
    *, programme: Programme | None = None, rules: Iterable[str] | None = None
) -> st.SearchStrategy[tuple[Programme, Referred, str]]:
    """Refused referrals: ``(programme, event, rule)``; ``open_pathway`` refuses them.

    Each breaks one rule (*orientation refusée*): dated before the programme's territory
    or rules first apply (``R-PROGRAMME-IN-FORCE``), dated before the child's birth
    (``R-CHRONOLOGY``), naming a family other than the child's (``R-FAMILY-ID``), or
    naming its own pathway as the earlier one (``R-REENTRY``).

    Args:
        programme: the PRE (drawn when ``None``).
        rules: the rule codes to break (all four by default).

    Raises:
        InvalidArgument: for a code a referral does not break, or one the programme
            cannot be made to break (a programme applying from 1900 has no earlier date).
    """
    codes = _REFERRAL_RULES if rules is None else tuple(rules)
    _require(bool(codes), "rules must name at least one rule code")
    other = [c for c in codes if c not in _REFERRAL_RULES]
    _require(not other, f"{', '.join(other)}: not a rule a referral breaks ({_REFERRAL_RULES})")

    @st.composite
    def strategy(draw: st.DrawFn) -> tuple[Programme, Referred, str]:
        chosen = programme or draw(_PROGRAMMES)
        first = _first_day(chosen)
        possible = [c for c in codes if c != "R-PROGRAMME-IN-FORCE" or first > dt.date(1901, 1, 1)]
        _require(bool(possible), f"programme {chosen.id!r} applies from {first}")
        code = _pick(draw, possible)
        if code == "R-PROGRAMME-IN-FORCE":
            on = _date(draw, max(dt.date(1900, 1, 1), _day(first, -3650)), _day(first, -1))
        else:
            on = _date(draw, max(first, dt.date(2010, 1, 1)), _MAX_DAY)
        family = draw(_FAMILIES)
        child = draw(children(on=on, family_id=family.id))
        if code == "R-CHRONOLOGY":
            child = attrs.evolve(child, birth_date=_day(on, draw(st.integers(1, 400))))
        if code == "R-FAMILY-ID":
            child = attrs.evolve(child, family_id=family.id + "-autre")
        pathway_id = "p-" + draw(_ids)
        referral = Referred(
            pathway_id=pathway_id,
            child=child,
            family=family,
            referral=attrs.evolve(draw(_REFERRALS), on=on),
            previous_pathway_id=pathway_id if code == "R-REENTRY" else None,
        )
        return chosen, referral, code

    return strategy()
