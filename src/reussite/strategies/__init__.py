"""Hypothesis strategies for every public domain type, valid by construction.

Importing this module imports Hypothesis; ``import reussite`` alone never does. The
``hypothesis`` entry point registers each type, so ``st.from_type(Pathway)`` works too.

Every strategy takes keyword-only arguments; date bounds are ``min_value``/``max_value``;
arguments that cannot be satisfied raise :class:`hypothesis.errors.InvalidArgument`.

>>> from hypothesis import given
>>> from reussite.strategies import pathways
>>> @given(pathways())
... def test_history_replays(pathway):
...     from reussite import replay
...     assert replay(pathway.history, programme=pathway.programme) == pathway
>>> test_history_replays()

Invalid inputs come with the rule they break, for testing error handling:

>>> from reussite import EventRefused, apply
>>> from reussite.strategies import invalid_events
>>> @given(invalid_events(rules=["R-CONSENT-FIRST"]))
... def test_refused(case):
...     pathway, event, rule = case
...     try:
...         apply(pathway, event)
...     except EventRefused as error:
...         assert error.rule == rule
...     else:
...         raise AssertionError("accepted")
>>> test_refused()
"""

from __future__ import annotations

from typing import Any

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as error:  # the testing kit needs the extra "testing"
    from .._optional import missing

    raise missing("hypothesis", extra="testing", needed_by=__name__) from error

from ..decision import Assessment, Reassessment, TeamDecision
from ..ending import Exit, ExitProposal, Handover, NotTakenOn
from ..events import EVENT_TYPES, Event
from ..lifecycle import LIFECYCLE, Lifecycle, Transition
from ..pathway import Pathway
from ..people import Child, Family, Guardian, Situation
from ..plan import Action, Objective, Review
from ..programme import (
    Eligibility,
    Programme,
    ProgrammeRules,
    Referent,
    SupportTeam,
    Territory,
    assess_eligibility,
)
from ..referral import Consent, Referral
from ..rules import RULES, Rule
from ..suspension import Suspension
from ._invalid import invalid_events, invalid_referrals
from ._register import invalid_cohorts
from ._values import (
    _MAX_DAY,
    actions,
    assessments,
    children,
    consents,
    exit_proposals,
    exits,
    families,
    guardians,
    handovers,
    not_taken_ons,
    objectives,
    programme_rules,
    programmes,
    reassessments,
    referents,
    referrals,
    reviews,
    situations,
    support_teams,
    suspensions,
    team_decisions,
    territories,
)
from ._walks import _first_day, cohorts, events, histories, pathways

__all__ = [
    "actions",
    "assessments",
    "children",
    "cohorts",
    "consents",
    "events",
    "exit_proposals",
    "exits",
    "families",
    "guardians",
    "handovers",
    "histories",
    "invalid_cohorts",
    "invalid_events",
    "invalid_referrals",
    "not_taken_ons",
    "objectives",
    "pathways",
    "programme_rules",
    "programmes",
    "reassessments",
    "referents",
    "referrals",
    "reviews",
    "situations",
    "support_teams",
    "suspensions",
    "team_decisions",
    "territories",
]

# --- registration with Hypothesis ------------------------------------------------------


@st.composite
def _eligibilities(draw: st.DrawFn) -> Eligibility:
    programme = draw(programmes())
    on = draw(st.dates(_first_day(programme), _MAX_DAY))
    return assess_eligibility(programme, draw(children(programme=programme, on=on)), on)


def _type_strategies() -> dict[type, st.SearchStrategy[Any]]:
    """The strategy ``st.from_type`` uses for each public type of ``reussite``."""
    found: dict[type, st.SearchStrategy[Any]] = {
        Action: actions(),
        Assessment: assessments(),
        Child: children(),
        Consent: consents(),
        Eligibility: _eligibilities(),
        Exit: exits(),
        ExitProposal: exit_proposals(),
        Family: families(),
        Guardian: guardians(),
        Handover: handovers(),
        Lifecycle: st.just(LIFECYCLE),
        NotTakenOn: not_taken_ons(),
        Objective: objectives(),
        Pathway: pathways(),
        Programme: programmes(),
        ProgrammeRules: programme_rules(),
        Reassessment: reassessments(),
        Referent: referents(),
        Referral: referrals(),
        Review: reviews(),
        Rule: st.sampled_from(list(RULES.values())),
        Situation: situations(),
        SupportTeam: support_teams(),
        Suspension: suspensions(),
        TeamDecision: team_decisions(),
        Territory: territories(),
        Transition: st.sampled_from(LIFECYCLE.transitions),
        Event: events(),
    }
    found.update({kind: events(kinds=(kind,)) for kind in EVENT_TYPES.values()})
    return found


def _hypothesis_setup_hook() -> None:
    """Register every public type with Hypothesis (see :mod:`reussite._hypothesis_plugin`)."""
    from reussite._hypothesis_plugin import _hypothesis_setup_hook as hook

    hook()


_hypothesis_setup_hook()  # also without the entry point, once strategies are imported
