"""Hypothesis strategies for every public domain type, valid by construction.

Importing this module imports Hypothesis; ``import reussite`` alone never does.

>>> from hypothesis import given
>>> from reussite.strategies import pathways
>>> @given(pathways())
... def test_history_replays(pathway):
...     from reussite import replay
...     assert replay(pathway.history, programme=pathway.programme) == pathway
>>> test_history_replays()
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta
from hypothesis import strategies as st

from .codes import (
    ActionFunding,
    ActionKind,
    ActionTiming,
    Attainment,
    ExitReason,
    HandoverRecipient,
    ObjectiveDomain,
    ObjectiveStatus,
    PriorityEducation,
    ReferralReason,
    ReferralSource,
    SchoolLevel,
    Sex,
)
from .decision import Assessment, TeamDecision
from .ending import Handover
from .events import (
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
from .lifecycle import LIFECYCLE, apply, open_pathway, replay
from .pathway import Pathway, State
from .people import Child, Family, Guardian
from .plan import Action, Objective, Review, derive_attainment
from .programme import Programme, ProgrammeRules, Referent, SupportTeam, Territory
from .referral import Consent, Referral
from .timeline import Timeline

__all__ = [
    "actions",
    "children",
    "families",
    "guardians",
    "histories",
    "objectives",
    "pathways",
    "programmes",
    "referrals",
]

_EARLIEST = dt.date(2005, 1, 18)  # the PRE law: loi de programmation pour la cohésion sociale
_LATEST = dt.date(2040, 12, 31)

# Names are drawn from mixed alphabets: exports and round trips must survive them.
_names = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L"], exclude_characters="\x00"),
    min_size=1,
    max_size=20,
)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
_communes = st.from_regex(r"[0-9]{5}", fullmatch=True)
_qpv = st.from_regex(r"QP[0-9]{6}", fullmatch=True)


def _day(on: dt.date, days: int) -> dt.date:
    return on + dt.timedelta(days=days)


@st.composite
def programmes(
    draw: st.DrawFn,
    *,
    min_referents: int = 1,
    max_referents: int = 4,
    since: dt.date = dt.date(2007, 1, 1),
) -> Programme:
    """Programmes (*PRE*) with one to three communes and QPVs, EPS and referents."""
    if not 1 <= min_referents <= max_referents:
        raise ValueError(
            f"need 1 <= min_referents <= max_referents, got {min_referents}, {max_referents}"
        )
    communes = draw(st.frozensets(_communes, min_size=1, max_size=3))
    qpvs = draw(st.frozensets(_qpv, min_size=1, max_size=4))
    teams = draw(st.integers(1, 2))
    referents = draw(st.integers(min_referents, max_referents))
    return Programme(
        id=draw(_ids),
        name=f"PRE {draw(_names)}",
        territory=Timeline.of((since, Territory(communes=communes, qpv_codes=qpvs))),
        support_teams=tuple(
            SupportTeam(id=f"eps-{i}", name=f"EPS {i}", members=tuple(f"m{j}" for j in range(5)))
            for i in range(1, teams + 1)
        ),
        referents=tuple(
            Referent(
                id=f"ref-{i}",
                name=f"Référent {i}",
                fte=draw(st.sampled_from((0.5, 0.8, 1.0))),
            )
            for i in range(1, referents + 1)
        ),
        rules=Timeline.of((since, ProgrammeRules())),
    )


def guardians(*, id: st.SearchStrategy[str] = _ids) -> st.SearchStrategy[Guardian]:
    """Legal guardians (*responsables légaux*) with non-ASCII names."""
    return st.builds(
        Guardian,
        id=id,
        first_name=_names,
        last_name=_names,
        relationship=st.sampled_from(("mère", "père", "tutrice", "grand-parent")),
        phone=st.none() | st.from_regex(r"0[1-9]( [0-9]{2}){4}", fullmatch=True),
        email=st.none(),
    )


@st.composite
def families(draw: st.DrawFn, *, id: str | None = None) -> Family:
    """Families (*familles*) with one or two guardians."""
    count = draw(st.integers(1, 2))
    return Family(
        id=id or draw(_ids),
        guardians=tuple(draw(guardians(id=st.just(f"g-{i}"))) for i in range(1, count + 1)),
    )


@st.composite
def children(
    draw: st.DrawFn,
    *,
    programme: Programme | None = None,
    on: dt.date | None = None,
    family_id: str | None = None,
    eligible: bool | None = None,
) -> Child:
    """Children (*enfants*); with ``programme`` and ``on``, eligible ones by default.

    Args:
        draw: supplied by Hypothesis.
        programme: draw the commune and QPV from its territory in force on ``on``.
        on: the referral date the child's age is judged on (2 to 16 when eligible).
        family_id: the family the child belongs to.
        eligible: force eligible (``True``) or not (``False``); ``None`` lets it vary
            slightly (10 % of children are outside the criteria).
    """
    on = on or draw(st.dates(dt.date(2008, 1, 1), dt.date(2030, 12, 31)))
    if eligible is None:
        eligible = draw(st.integers(0, 9)) > 0
    if programme is not None:
        territory = programme.territory.at(on)
        commune = draw(st.sampled_from(sorted(territory.communes)))
        qpv = draw(st.sampled_from(sorted(territory.qpv_codes))) if territory.qpv_codes else None
    else:
        commune, qpv = draw(_communes), draw(_qpv)
    age = draw(st.integers(2, 16)) if eligible else draw(st.sampled_from((0, 1, 17)))
    # Born between age+1 years and age years before ``on``: exactly ``age`` on that date.
    latest = on - relativedelta(years=age)
    earliest = on - relativedelta(years=age + 1) + dt.timedelta(days=1)
    birth = draw(st.dates(earliest, latest))
    level = draw(st.sampled_from(list(SchoolLevel)))
    return Child(
        id=draw(_ids.map(lambda s: f"enf-{s}")),
        first_name=draw(_names),
        last_name=draw(_names),
        birth_date=birth,
        sex=draw(st.sampled_from(list(Sex))),
        school_level=level,
        priority_education=draw(st.sampled_from(list(PriorityEducation))),
        commune=commune,
        qpv=qpv if eligible else None,
        school_uai=draw(st.none() | st.from_regex(r"013[0-9]{4}[A-Z]", fullmatch=True)),
        family_id=family_id or draw(_ids),
    )


def referrals(
    *, min_value: dt.date = dt.date(2008, 1, 1), max_value: dt.date = dt.date(2030, 12, 31)
) -> st.SearchStrategy[Referral]:
    """Referrals (*fiches d'orientation*) dated between the bounds."""
    return st.builds(
        Referral,
        on=st.dates(min_value, max_value),
        source=st.sampled_from(list(ReferralSource)),
        reasons=st.lists(
            st.sampled_from(list(ReferralReason)), min_size=1, max_size=3, unique=True
        ).map(tuple),
        referrer=_names,
        notes=st.none() | _names,
    )


def objectives(*, id: st.SearchStrategy[str] = _ids) -> st.SearchStrategy[Objective]:
    """Objectives (*objectifs*) in every domain and status."""
    return st.builds(
        Objective,
        id=id,
        domain=st.sampled_from(list(ObjectiveDomain)),
        label=_names,
        status=st.sampled_from(list(ObjectiveStatus)),
    )


@st.composite
def actions(
    draw: st.DrawFn,
    *,
    objective_ids: tuple[str, ...] = ("obj-1",),
    start: dt.date | None = None,
    id: str | None = None,
) -> Action:
    """Actions (*actions*) serving some of ``objective_ids``, with amounts in cents."""
    start = start or draw(st.dates(dt.date(2008, 1, 1), dt.date(2030, 12, 31)))
    cost = draw(st.sampled_from((0, 0, 1, 4_500, 12_000)) | st.integers(0, 10**12))
    served = draw(
        st.lists(
            st.sampled_from(objective_ids), min_size=1, max_size=len(objective_ids), unique=True
        )
    )
    return Action(
        id=id or draw(_ids),
        label=draw(_names),
        objective_ids=tuple(served),
        funding=draw(st.sampled_from(list(ActionFunding))),
        kind=draw(st.sampled_from(list(ActionKind))),
        timing=draw(st.sampled_from(list(ActionTiming))),
        start=start,
        end=None,
        cost_cents=cost,
        family_share_cents=draw(st.integers(0, cost)),
        provider=draw(st.none() | _names),
    )


# --- histories: random walks through the lifecycle table ---------------------------------

Builder = Callable[[st.DrawFn, Pathway, dt.date], Event | None]
"""Builds a valid event for a pathway on a date, or ``None`` when none is possible."""


def _decision(draw: st.DrawFn, p: Pathway, on: dt.date, **extra: Any) -> TeamDecision:
    team = draw(st.sampled_from(p.programme.support_teams))
    count = max(p.programme.rules.at(on).min_decision_members, 2)
    members = team.members[:count] if team.members else tuple(f"m{i}" for i in range(count))
    return TeamDecision(team_id=team.id, on=on, members_present=members, **extra)


def _guardian(draw: st.DrawFn, p: Pathway) -> str:
    return draw(st.sampled_from([g.id for g in p.family.guardians]))


def _consent(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    return ConsentGiven(
        consent=Consent(
            id=f"acc-{len(p.consents) + 1}",
            on=on,
            given_by=(_guardian(draw, p),),
            recipients=tuple(
                draw(st.lists(st.sampled_from(("école", "CAF", "CMP")), max_size=2, unique=True))
            ),
        )
    )


def _admitted(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    derogation = None if p.eligibility.eligible else "Situation jugée prioritaire par l'EPS"
    return Admitted(
        decision=_decision(draw, p, on, derogation=derogation),
        referent_id=draw(st.sampled_from([r.id for r in p.programme.referents])),
    )


def _objective(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    objective = Objective(
        id=f"obj-{len(p.objectives) + 1}",
        domain=draw(st.sampled_from(list(ObjectiveDomain))),
        label=draw(_names),
    )
    return ObjectiveSet(on=on, objective=objective)


def _objective_update(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event | None:
    if not p.objectives:
        return None
    return ObjectiveUpdated(
        on=on,
        objective_id=draw(st.sampled_from([o.id for o in p.objectives])),
        status=draw(st.sampled_from(list(ObjectiveStatus))),
    )


def _started(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event | None:
    if not any(o.status is not ObjectiveStatus.DROPPED for o in p.objectives):
        return None
    return Started(on=on)


def _action(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event | None:
    if not p.objectives:
        return None
    ids = tuple(o.id for o in p.objectives)
    action = draw(
        actions(
            objective_ids=ids,
            start=_day(on, draw(st.integers(0, 20))),
            id=f"act-{len(p.actions) + 1}",
        )
    )
    return ActionPlanned(on=on, action=action)


def _action_end(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event | None:
    running = [a for a in p.actions if a.end is None and a.start <= on]
    if not running:
        return None
    return ActionEnded(on=on, action_id=draw(st.sampled_from([a.id for a in running])))


def _referent_change(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event | None:
    others = [r.id for r in p.programme.referents if r.id != p.referent_id]
    if not others:
        return None
    return ReferentChanged(on=on, referent_id=draw(st.sampled_from(others)))


def _exit_validated(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    derived = derive_attainment(p.objectives)
    attainment = draw(
        st.sampled_from([derived, *[a for a in Attainment if a is not derived]])
        if draw(st.integers(0, 9)) == 0
        else st.just(derived)
    )
    justification = None if attainment is derived else "Appréciation de l'équipe"
    return ExitValidated(
        decision=_decision(draw, p, on, justification=justification),
        attainment=attainment,
        satisfactory_evolution=draw(st.booleans()),
    )


def _handover(draw: st.DrawFn, p: Pathway, on: dt.date) -> Event:
    informed = draw(st.booleans())
    return HandedOver(
        handover=Handover(
            on=on,
            recipient=draw(st.sampled_from(list(HandoverRecipient))),
            parents_informed=informed,
            reason_not_informed=None
            if informed
            else "Information contraire à l'intérêt de l'enfant",
        )
    )


_BUILDERS: dict[type[Event], Builder] = {
    ConsentGiven: _consent,
    FamilyRefused: lambda d, p, on: FamilyRefused(on=on),
    DeclaredIneligible: lambda d, p, on: DeclaredIneligible(on=on),
    ConsentWithdrawn: lambda d, p, on: ConsentWithdrawn(on=on, by=_guardian(d, p)),
    ContactLost: lambda d, p, on: ContactLost(on=on),
    Assessed: lambda d, p, on: Assessed(
        assessment=Assessment(
            on=on,
            needs=tuple(
                d(st.lists(st.sampled_from(list(ObjectiveDomain)), max_size=3, unique=True))
            ),
        )
    ),
    Admitted: _admitted,
    Redirected: lambda d, p, on: Redirected(decision=_decision(d, p, on)),
    ObjectiveSet: _objective,
    ObjectiveUpdated: _objective_update,
    ReferentChanged: _referent_change,
    Started: _started,
    ActionPlanned: _action,
    ActionEnded: _action_end,
    Reviewed: lambda d, p, on: Reviewed(review=Review(on=on, participants=("référent", "famille"))),
    ExitProposed: lambda d, p, on: ExitProposed(on=on, reason=d(st.sampled_from(list(ExitReason)))),
    ExitRejected: lambda d, p, on: ExitRejected(decision=_decision(d, p, on)),
    ExitValidated: _exit_validated,
    HandedOver: _handover,
}


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


@st.composite
def histories(
    draw: st.DrawFn,
    *,
    programme: Programme | None = None,
    state: State | None = None,
    max_events: int = 25,
    min_value: dt.date = dt.date(2010, 1, 1),
    max_value: dt.date = dt.date(2030, 12, 31),
) -> list[Event]:
    """Valid event sequences of one pathway, each accepted by :func:`~reussite.apply`.

    Args:
        draw: supplied by Hypothesis.
        programme: the PRE (drawn when ``None``).
        state: the state the history must end in; ``None`` lets the walk stop anywhere.
        max_events: how many events after the referral, at most (more may be needed to
            reach ``state``).
        min_value: earliest referral date.
        max_value: latest referral date.
    """
    programme = programme or draw(programmes())
    referral_on = draw(st.dates(max(min_value, programme.territory.first_start), max_value))
    family = draw(families())
    child = draw(children(programme=programme, on=referral_on, family_id=family.id))
    referral = attrs.evolve(draw(referrals()), on=referral_on)
    first = Referred(
        pathway_id=draw(_ids.map(lambda s: f"p-{s}")),
        child=child,
        family=family,
        referral=referral,
    )
    pathway = open_pathway(programme, first)
    events: list[Event] = [first]
    distance = _distances(state) if state is not None else None
    length = draw(st.integers(0, max_events))
    on = referral_on
    while pathway.state in _ONGOING:
        steps = len(events) - 1
        if steps >= length and (state is None or pathway.state is state):
            break
        moves = [
            t
            for t in LIFECYCLE.transitions
            if t.source is pathway.state and (distance is None or t.target in distance)
        ]
        if not moves:  # at the target, and any move would lose it
            break
        # Rotate the table's order: one small draw instead of a whole permutation.
        turn = draw(st.integers(0, len(moves) - 1))
        ordered = moves[turn:] + moves[:turn]
        if distance is not None and steps >= length:
            # Past the budget: head for the target; a self-loop only to meet a precondition
            # (the one there is: ``started`` needs an objective).
            here = distance[pathway.state]
            closer = [t for t in ordered if distance[t.target] < here]
            loops = [t for t in ordered if t.target is t.source]
            ordered = closer + sorted(loops, key=lambda t: t.event is not ObjectiveSet)
        on = _day(on, draw(st.integers(0, 45)))
        event = None
        for transition in ordered:
            event = _BUILDERS[transition.event](draw, pathway, on)
            if event is not None:
                break
        if event is None:  # pragma: no cover - every open state has a buildable way out
            raise AssertionError(f"no buildable event from {pathway.state}")
        pathway = apply(pathway, event)
        events.append(event)
    return events


_ONGOING = frozenset(State) - LIFECYCLE.finals


def pathways(
    *, programme: Programme | None = None, state: State | None = None, max_events: int = 25
) -> st.SearchStrategy[Pathway]:
    """Pathways (*parcours*) built by applying a valid history, in any or a given state."""

    @st.composite
    def strategy(draw: st.DrawFn) -> Pathway:
        chosen = programme or draw(programmes())
        events = draw(histories(programme=chosen, state=state, max_events=max_events))
        return replay(events, programme=chosen)

    return strategy()
