"""The public strategies: valid by construction, refused on purpose, registered by type."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.vendor.pretty import pretty

import reussite as r
from conftest import make_programme, referred, scaled
from reussite import strategies as s
from reussite.strategies._invalid import _VIOLATIONS

PROGRAMME = make_programme()
D1900 = dt.date(1900, 1, 1)

VALUES = [
    (s.territories(), r.Territory),
    (s.programme_rules(), r.ProgrammeRules),
    (s.referents(), r.Referent),
    (s.support_teams(), r.SupportTeam),
    (s.programmes(), r.Programme),
    (s.guardians(), r.Guardian),
    (s.families(), r.Family),
    (s.children(), r.Child),
    (s.referrals(), r.Referral),
    (s.consents(), r.Consent),
    (s.assessments(), r.Assessment),
    (s.team_decisions(), r.TeamDecision),
    (s.team_decisions(programme=PROGRAMME), r.TeamDecision),
    (s.objectives(), r.Objective),
    (s.actions(), r.Action),
    (s.reviews(), r.Review),
    (s.exit_proposals(), r.ExitProposal),
    (s.exits(), r.Exit),
    (s.handovers(), r.Handover),
    (s.not_taken_ons(), r.NotTakenOn),
    (s.situations(), r.Situation),
    (s.suspensions(), r.Suspension),
    (s.reassessments(), r.Reassessment),
]


@pytest.mark.parametrize(("strategy", "kind"), VALUES, ids=lambda v: getattr(v, "__name__", ""))
def test_every_generated_value_is_valid(strategy, kind):
    @given(strategy)
    def check(value):
        assert type(value) is kind
        # evolve runs every validator again: the value is one the constructor accepts
        assert attrs.evolve(value) == value

    check()


def test_every_public_strategy_is_tested_here():
    tested = {"histories", "pathways", "cohorts", "events", "invalid_events", "invalid_referrals"}
    tested |= {"invalid_cohorts"}  # tests/test_register.py
    named = {
        "territories",
        "programme_rules",
        "referents",
        "support_teams",
        "programmes",
        "guardians",
        "families",
        "children",
        "referrals",
        "consents",
        "assessments",
        "team_decisions",
        "objectives",
        "actions",
        "reviews",
        "exit_proposals",
        "exits",
        "handovers",
        "not_taken_ons",
        "situations",
        "suspensions",
        "reassessments",
    }
    assert set(s.__all__) == tested | named


@given(s.programmes(), st.booleans(), st.data())
def test_children_are_eligible_or_not_by_construction(programme, eligible, data):
    on = data.draw(st.dates(programme.territory.first_start, dt.date(2030, 12, 31)))
    child = data.draw(s.children(programme=programme, on=on, eligible=eligible))
    assert r.assess_eligibility(programme, child, on).eligible is eligible


@given(s.programmes(), st.data())
def test_team_decisions_for_a_programme_reach_its_quorum(programme, data):
    decision = data.draw(s.team_decisions(programme=programme))
    team = programme.support_team(decision.team_id)
    assert team is not None
    assert set(decision.members_present) <= set(team.members)
    quorum = programme.rules.at(decision.on).min_decision_members
    assert len(decision.members_present) >= quorum


@given(s.consents(guardian_ids=("g-1",)))
def test_consents_are_signed_by_the_guardians_given(consent):
    assert consent.given_by == ("g-1",)
    assert consent.covers(consent.on)


@given(s.exits())
def test_a_withdrawal_exit_has_no_decision(exit_):
    if exit_.decision is None:
        assert exit_.reason is r.ExitReason.FAMILY_WITHDRAWAL
        assert exit_.satisfactory_evolution is None
    else:
        assert exit_.decision.on == exit_.on


@given(s.pathways(programme=PROGRAMME, eligible=False, state=r.State.ACTIVE, max_events=6))
def test_an_ineligible_child_is_admitted_with_a_derogation(pathway):
    assert not pathway.eligibility.eligible
    assert pathway.admission is not None
    assert pathway.admission.derogation is not None


@given(s.cohorts(max_size=8, max_events=8))
def test_cohorts_share_a_programme_with_siblings_and_re_entries(cohort):
    assert cohort
    assert len({p.id for p in cohort}) == len(cohort)
    programme = cohort[0].programme
    by_id = {}
    for p in cohort:
        assert p.programme is programme
        assert p.child.family_id == p.family.id
        assert r.replay(p.history, programme=programme) == p
        if p.previous_pathway_id is not None:
            before = by_id[p.previous_pathway_id]
            assert before.child == p.child
            assert before.ended_on is not None
            assert before.ended_on < p.referral.on
        else:
            assert p.child.id not in {q.child.id for q in by_id.values()}
        by_id[p.id] = p


@pytest.mark.filterwarnings("ignore:Generating overly large repr")  # find() shows its find
def test_cohorts_hold_siblings_and_re_entries():
    # Each kind of cohort turns up within 200 examples; the search stops at the first one.
    cohorts = s.cohorts(programme=PROGRAMME, min_size=3, max_size=6, max_events=4)
    search = settings(max_examples=200, database=None, phases=[Phase.generate])

    def has_siblings(cohort):
        families = [p.family.id for p in cohort if p.previous_pathway_id is None]
        return len(families) > len(set(families))

    assert has_siblings(find(cohorts, has_siblings, settings=search))
    # A re-entry needs an ended pathway first: longer histories, a wider search.
    longer = s.cohorts(programme=PROGRAMME, min_size=3, max_size=6, max_events=12)
    wider = settings(search, max_examples=1000)
    re_entry = find(longer, lambda c: any(p.previous_pathway_id for p in c), settings=wider)
    assert any(p.previous_pathway_id for p in re_entry)


# --- events ----------------------------------------------------------------------------------


@given(s.pathways(programme=PROGRAMME), st.data())
def test_events_for_a_pathway_are_accepted(pathway, data):
    if not pathway.is_open:
        with pytest.raises(InvalidArgument, match="final state: it accepts only corrections"):
            s.events(pathway=pathway, kinds=[r.Reviewed, r.ContactLost])
        assert isinstance(data.draw(s.events(pathway=pathway)), r.Corrected)
    event = data.draw(s.events(pathway=pathway))
    after = r.apply(pathway, event)
    assert after.version == pathway.version + 1


@given(s.events(kinds=[r.ActionEnded, r.Admitted, r.Referred]))
def test_events_of_chosen_kinds(event):
    assert isinstance(event, r.ActionEnded | r.Admitted | r.Referred)


@pytest.mark.parametrize("kind", list(r.EVENT_TYPES.values()), ids=lambda k: k.tag)
def test_every_event_type_has_a_strategy(kind):
    @settings(max_examples=3)
    @given(st.from_type(kind))
    def check(event):
        assert type(event) is kind

    check()


def test_events_refuse_what_cannot_be_drawn():
    opened = r.open_pathway(PROGRAMME, referred())
    with pytest.raises(InvalidArgument, match="can accept none of started"):
        s.events(pathway=opened, kinds=[r.Started])
    with pytest.raises(InvalidArgument, match="not event types"):
        s.events(kinds=[r.Pathway])
    with pytest.raises(InvalidArgument, match="at least one"):
        s.events(kinds=[])


# --- invalid inputs ------------------------------------------------------------------------


def test_every_rule_an_event_can_break_has_a_violation():
    between = {*r.register.RULE_CODES, "R-FAMILY-ID"} - {"R-REENTRY"}  # invalid_cohorts
    assert set(_VIOLATIONS) == set(r.RULES) - {"R-PROGRAMME-IN-FORCE", "R-REENTRY", *between}


@pytest.mark.parametrize("rule", sorted(_VIOLATIONS))
def test_each_invalid_event_is_refused_with_its_rule(rule):
    @settings(max_examples=scaled(40))  # 10 per rule here, 400 in the nightly profile
    @given(s.invalid_events(rules=[rule]))
    def check(case):
        pathway, event, expected = case
        assert expected == rule
        with pytest.raises(r.EventRefused) as refused:
            r.apply(pathway, event)
        assert refused.value.rule == rule, str(refused.value)
        assert isinstance(refused.value, r.PathwayClosed) == (rule == "R-FINAL")

    check()


@given(s.invalid_events(programme=PROGRAMME))
def test_invalid_events_for_a_given_programme(case):
    pathway, event, rule = case
    assert pathway.programme is PROGRAMME
    with pytest.raises(r.EventRefused, match=rule):
        r.apply(pathway, event)


@given(s.invalid_referrals())
def test_invalid_referrals_are_refused_when_opening(case):
    programme, event, rule = case
    with pytest.raises(r.EventRefused) as refused:
        r.open_pathway(programme, event)
    assert refused.value.rule == rule


@pytest.mark.parametrize(
    "rule", ["R-PROGRAMME-IN-FORCE", "R-CHRONOLOGY", "R-FAMILY-ID", "R-REENTRY"]
)
def test_invalid_referrals_break_the_rule_asked_for(rule):
    @settings(max_examples=10)
    @given(s.invalid_referrals(rules=[rule]))
    def check(case):
        programme, event, broken = case
        assert broken == rule
        with pytest.raises(r.EventRefused) as refused:
            r.open_pathway(programme, event)
        assert refused.value.rule == rule

    check()


# --- impossible arguments ----------------------------------------------------------------


EARLY = attrs.evolve(
    PROGRAMME,
    territory=r.Timeline.constant(r.Territory(communes=frozenset({"13103"})), since=D1900),
    rules=r.Timeline.constant(r.ProgrammeRules(), since=D1900),
)


ALONE = attrs.evolve(PROGRAMME, referents=())
NO_QUORUM = attrs.evolve(
    PROGRAMME,
    support_teams=(r.SupportTeam(id="eps-1", name="EPS", members=("seul",)),),
)


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (s.programmes(min_referents=3, max_referents=2), "min_referents"),
        (s.programmes(since=dt.date(2001, 1, 1)), "PRE law"),
        (s.histories(max_events=-1), "max_events"),
        (s.histories(min_value=dt.date(2020, 1, 1), max_value=dt.date(2019, 1, 1)), "after"),
        (s.histories(programme=ALONE, state=r.State.ACTIVE), "no referent"),
        (s.pathways(programme=ALONE, state=r.State.SUSPENDED), "no referent"),
        (s.histories(programme=NO_QUORUM, state=r.State.CLOSED), "quorum"),
        (
            s.histories(
                programme=PROGRAMME, min_value=dt.date(2000, 1, 1), max_value=dt.date(2006, 1, 1)
            ),
            "only applies",
        ),
        (s.histories(programme=PROGRAMME, state="active"), "must be a State"),
        (s.histories(programme="pre"), "must be a Programme"),
        (s.children(programme=PROGRAMME, on=dt.date(2000, 1, 1)), "not defined"),
        (s.team_decisions(programme=NO_QUORUM), "quorum"),
        (s.consents(guardian_ids=()), "guardian"),
        (s.actions(objective_ids=()), "objective"),
        (s.cohorts(min_size=3, max_size=1), "min_size"),
        (s.invalid_events(programme=ALONE), "no referent"),
        (
            s.invalid_referrals(programme=EARLY, rules=["R-PROGRAMME-IN-FORCE"]),
            "applies from 1900",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_impossible_arguments_are_refused_when_drawn(strategy, message):
    @given(strategy)
    def draw(value):
        raise AssertionError("drawn")

    with pytest.raises(InvalidArgument, match=message):
        draw()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: s.referrals(min_value=dt.date(2020, 1, 1), max_value=dt.date(2019, 1, 1)),
            "after",
        ),
        (lambda: s.referrals(min_value="2020-01-01"), "must be dates"),
        (lambda: s.support_teams(min_size=4, max_size=3), "min_size"),
        (lambda: s.invalid_events(rules=["R-NOPE"]), "unknown rule codes"),
        (lambda: s.invalid_events(rules=["R-PROGRAMME-IN-FORCE"]), "invalid_referrals"),
        (lambda: s.invalid_events(rules=[]), "at least one"),
        (lambda: s.invalid_referrals(rules=["R-FINAL"]), "not a rule a referral breaks"),
        (lambda: s.invalid_referrals(rules=[]), "at least one"),
    ],
)
def test_impossible_arguments_are_refused_at_once(call, message):
    with pytest.raises(InvalidArgument, match=message):
        call()


# --- registration and printing -------------------------------------------------------------

REGISTERED = [kind for _, kind in VALUES] + [
    r.Pathway,
    r.Eligibility,
    r.Event,
    r.Rule,
    r.Transition,
    r.Lifecycle,
]


@pytest.mark.parametrize("kind", REGISTERED, ids=lambda k: k.__name__)
def test_from_type_draws_every_public_type(kind):
    @settings(max_examples=5)
    @given(st.from_type(kind))
    def check(value):
        assert isinstance(value, kind)

    check()


def test_the_entry_point_registers_the_types_when_hypothesis_is_imported():
    code = (
        "import sys\n"
        "from hypothesis import given, settings, strategies as st\n"
        "import reussite\n"
        "assert 'reussite.strategies' not in sys.modules  # registered lazily\n"
        "@settings(max_examples=2, database=None)\n"
        "@given(st.from_type(reussite.Pathway))\n"
        "def check(p): assert isinstance(p, reussite.Pathway)\n"
        "check()\n"
        "print('registered')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "registered"


def test_importing_the_strategies_first_does_not_import_them_in_a_circle():
    code = "import reussite.strategies as s; print(s.pathways().example().version > 0)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


@given(s.histories(programme=PROGRAMME, state=r.State.CLOSED, max_events=8))
def test_events_print_on_one_line(events):
    for event in events:
        assert "\n" not in pretty(event)
    assert len(pretty(events).splitlines()) == len(events)
