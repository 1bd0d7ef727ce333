from __future__ import annotations

import copy
import datetime as dt
import pickle
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from conftest import (
    D,
    action,
    consent,
    decision,
    make_programme,
    objective_set,
    referred,
    to_state,
)
from reussite.lifecycle import Lifecycle
from reussite.strategies import histories, pathways, programmes
from reussite.testing import check_invariants

PROGRAMME = make_programme()


# --- the declared table ------------------------------------------------------------------


def test_table_has_one_initial_state_and_the_three_finals():
    assert r.LIFECYCLE.initial == r.State.REFERRED
    assert {r.State.CLOSED, r.State.HANDED_OVER, r.State.NOT_TAKEN_ON} == r.LIFECYCLE.finals


def test_every_state_is_reachable_and_every_open_state_has_a_way_out():
    targets = {t.target for t in r.LIFECYCLE.transitions} | {r.LIFECYCLE.initial}
    assert set(r.State) == targets
    for state in set(r.State) - r.LIFECYCLE.finals:
        assert any(t.source is state and t.target is not state for t in r.LIFECYCLE.transitions)


def test_a_broken_definition_is_refused_with_every_problem_listed():
    with pytest.raises(r.InvalidLifecycle) as caught:
        Lifecycle.declare(
            initial=r.State.REFERRED,
            opening=r.Referred,
            finals=(r.State.CLOSED,),
            rows=(
                (r.State.REFERRED, r.ConsentGiven, r.State.CONSENTED),
                (r.State.REFERRED, r.ConsentGiven, r.State.CLOSED),
                (r.State.CLOSED, r.Started, r.State.ACTIVE),
            ),
        )
    problems = caught.value.problems
    assert "duplicate transition (referred, consent_given)" in problems
    assert "final state 'closed' has a transition (started)" in problems
    assert "state 'assessed' is unreachable from 'referred'" in problems
    assert "non-final state 'consented' has no way out" in problems
    assert "event 'handed_over' appears in no transition" in problems
    assert isinstance(caught.value, TypeError)


def test_an_initial_final_state_is_a_problem():
    with pytest.raises(r.InvalidLifecycle, match="initial state 'referred' is final"):
        Lifecycle.declare(
            initial=r.State.REFERRED, opening=r.Referred, finals=(r.State.REFERRED,), rows=()
        )


def test_mermaid_lists_exactly_the_table_transitions():
    lines = r.LIFECYCLE.to_mermaid().splitlines()
    assert lines[0] == "stateDiagram-v2"
    arrows = [re.fullmatch(r"\s+(\S+) --> (\S+)(?: : (\S+))?", line) for line in lines[1:]]
    assert all(arrows)
    edges = {(m[1], m[2], m[3]) for m in arrows if m and m[3]}
    expected = {(t.source.value, t.target.value, t.event.tag) for t in r.LIFECYCLE.transitions}
    assert expected == edges
    assert len(r.LIFECYCLE.transitions) == len(edges)
    starts = [m[2] for m in arrows if m and m[1] == "[*]"]
    assert starts == ["referred"]
    ends = {m[1] for m in arrows if m and m[2] == "[*]"}
    assert {s.value for s in r.LIFECYCLE.finals} == ends


def test_allowed_lists_the_sorted_tags():
    assert tuple(tag for tag in r.LIFECYCLE.allowed(r.State.ADMITTED) if tag == "handed_over") == (
        "handed_over",
    )
    assert r.LIFECYCLE.allowed(r.State.CLOSED) == ("corrected",)  # corrections only


# --- the main road ------------------------------------------------------------------------


def test_one_child_from_referral_to_exit(programme):
    p = to_state(programme, r.State.EXIT_PROPOSED)
    p = r.apply(
        p, r.ObjectiveUpdated(on=D(2018, 6, 5), objective_id="obj-1", status=r.ObjectiveStatus.MET)
    )
    p = r.apply(
        p,
        r.ExitValidated(
            decision=decision(D(2018, 6, 18)),
            attainment=r.Attainment.COMPLETE,
            satisfactory_evolution=True,
        ),
    )
    assert p.state == r.State.CLOSED
    assert p.exit == r.Exit(
        on=D(2018, 6, 18),
        reason=r.ExitReason.OBJECTIVES_MET,
        attainment=r.Attainment.COMPLETE,
        satisfactory_evolution=True,
        decision=decision(D(2018, 6, 18)),
    )
    assert D(2018, 6, 18) == p.actions[0].end
    assert not p.is_open
    assert D(2018, 6, 18) == p.ended_on
    assert p == r.replay(p.history, programme=programme)


def test_a_replayed_pathway_is_a_value_like_any_other(programme):
    applied = to_state(programme, r.State.ACTIVE)
    replayed = r.replay(applied.history, programme=programme)
    assert replayed == applied
    assert hash(replayed) == hash(applied)
    assert pickle.loads(pickle.dumps(replayed)) == applied
    assert copy.deepcopy(replayed) == applied
    reviewed = r.apply(replayed, r.Reviewed(review=r.Review(on=D(2018, 1, 15))))
    assert reviewed.reviews == (r.Review(on=D(2018, 1, 15)),)
    assert replayed == applied  # applying gave a new pathway, the replayed one is unchanged
    assert replayed.reviews == ()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        replayed.state = r.State.CLOSED  # type: ignore[misc]


def test_versions_count_events_and_stale_commands_conflict(programme):
    p = r.open_pathway(programme, referred())
    assert p.version == 1
    p2 = r.apply(p, consent(), expected_version=1)
    assert p2.version == 2
    with pytest.raises(r.VersionConflict) as caught:
        r.apply(p2, r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))), expected_version=1)
    assert (caught.value.expected, caught.value.actual) == (1, 2)
    assert "reload it" in str(caught.value)


def test_apply_leaves_the_old_pathway_unchanged(programme):
    p = r.open_pathway(programme, referred())
    r.apply(p, consent())
    assert p.state == r.State.REFERRED
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        p.state = r.State.ACTIVE  # type: ignore[misc]


# --- each rule, refused with its code ------------------------------------------------------


def refused(p: r.Pathway, event: r.Event, rule: str) -> r.EventRefused:
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, event)
    assert rule == caught.value.rule, str(caught.value)
    assert caught.value.state is p.state
    assert caught.value.event is event
    assert caught.value.allowed == r.LIFECYCLE.allowed(p.state)
    return caught.value


def test_transition_not_in_table_names_state_event_and_allowed(programme):
    p = r.open_pathway(programme, referred())
    error = refused(p, r.Started(on=D(2017, 11, 1)), "R-TRANSITION")
    assert str(error) == (
        "[R-TRANSITION] started refused in state 'referred': not allowed in state "
        "'referred'. Events accepted in this state: consent_given, contact_lost, corrected, "
        "declared_ineligible, family_refused, handed_over, situation_changed."
    )


def test_an_object_that_is_not_an_event_is_refused(programme):
    p = r.open_pathway(programme, referred())
    with pytest.raises(r.InvalidValue, match=r"apply\.event: expected a reussite event"):
        r.apply(p, "consent_given")  # type: ignore[arg-type]


@pytest.mark.parametrize("state", [r.State.CLOSED, r.State.HANDED_OVER, r.State.NOT_TAKEN_ON])
def test_final_states_accept_nothing(programme, state):
    p = to_state(programme, r.State.ACTIVE)
    ending = {
        r.State.CLOSED: r.ConsentWithdrawn(on=D(2018, 1, 5), by="g-2"),
        r.State.HANDED_OVER: r.HandedOver(
            handover=r.Handover(
                on=D(2018, 1, 5), recipient=r.HandoverRecipient.CRIP, parents_informed=True
            )
        ),
        r.State.NOT_TAKEN_ON: None,
    }[state]
    if ending is None:
        p = r.apply(r.open_pathway(programme, referred()), r.FamilyRefused(on=D(2017, 10, 5)))
    else:
        p = r.apply(p, ending)
    assert state == p.state
    with pytest.raises(r.PathwayClosed) as caught:
        r.apply(p, r.Reviewed(review=r.Review(on=D(2018, 2, 1))))
    assert caught.value.rule == "R-FINAL"
    assert "accepts no new fact, only corrections" in str(caught.value)
    assert caught.value.allowed == ("corrected",)


def test_chronology_refuses_an_event_dated_before_the_previous(programme):
    p = to_state(programme, r.State.CONSENTED)
    earlier = r.ConsentGiven(consent=r.Consent(id="acc-2", on=D(2017, 10, 3), given_by=("g-2",)))
    error = refused(p, earlier, "R-CHRONOLOGY")
    assert "before the previous event (2017-10-09)" in error.detail


def test_consent_first_refuses_assessment_after_consent_expired(programme):
    p = r.apply(r.open_pathway(programme, referred()), consent(valid_until=D(2017, 10, 15)))
    error = refused(p, r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))), "R-CONSENT-FIRST")
    assert error.detail == (
        "no consent of the family is in force on 2017-10-20 (it lapsed on 2017-10-15): renew "
        "it (consent_given), or suspend the pathway, propose its exit or hand it over"
    )


def test_consent_first_refuses_action_without_consent_in_force(programme):
    p = to_state(programme, r.State.ACTIVE)
    p = attrs.evolve(p, consents=(attrs.evolve(p.consents[0], valid_until=D(2017, 12, 1)),))
    refused(
        p,
        r.ActionPlanned(on=D(2018, 1, 3), action=action(aid="act-2", start=D(2018, 1, 3))),
        "R-CONSENT-FIRST",
    )


def test_consent_must_be_signed_by_a_guardian(programme):
    p = r.open_pathway(programme, referred())
    bad = r.ConsentGiven(consent=r.Consent(id="acc-1", on=D(2017, 10, 9), given_by=("voisin",)))
    error = refused(p, bad, "R-CONSENT-GUARDIAN")
    assert "voisin, who is not a guardian of family 'fam-1' (guardians: g-1, g-2)" in error.detail


def test_consent_withdrawal_must_come_from_a_guardian(programme):
    p = to_state(programme, r.State.CONSENTED)
    refused(p, r.ConsentWithdrawn(on=D(2017, 10, 10), by="g-9"), "R-CONSENT-GUARDIAN")


def test_consent_ids_are_unique(programme):
    p = to_state(programme, r.State.CONSENTED)
    refused(p, consent(on=D(2017, 10, 12)), "R-UNIQUE-ID")


def test_withdrawal_before_admission_means_not_taken_on(programme):
    p = to_state(programme, r.State.ASSESSED)
    p = r.apply(p, r.ConsentWithdrawn(on=D(2017, 10, 25), by="g-1", note="déménage"))
    assert p.state == r.State.NOT_TAKEN_ON
    assert p.not_taken_on.reason == r.NotTakenOnReason.FAMILY_WITHDREW
    assert not p.consent_in_force(D(2017, 10, 25))
    assert p.consent_in_force(D(2017, 10, 24))


def test_withdrawal_closes_an_active_pathway_at_once_without_eps(programme):
    p = to_state(programme, r.State.ACTIVE)
    p = r.apply(p, r.ConsentWithdrawn(on=D(2018, 1, 5), by="g-2"))
    assert p.state == r.State.CLOSED
    assert p.exit is not None
    assert (
        p.exit.reason,
        p.exit.decision,
        p.exit.satisfactory_evolution,
    ) == (r.ExitReason.FAMILY_WITHDRAWAL, None, None)
    assert p.exit.attainment == r.Attainment.NONE
    assert D(2018, 1, 5) == p.actions[0].end


def test_eps_decision_must_come_from_a_team_of_the_programme(programme):
    p = to_state(programme, r.State.ASSESSED)
    error = refused(
        p,
        r.Admitted(decision=decision(D(2017, 11, 6), team="eps-x"), referent_id="ref-a"),
        "R-EPS-DECISION",
    )
    assert error.detail == "team 'eps-x' is not an EPS of the programme (EPS: eps-salon, eps-berre)"


def test_eps_decision_needs_enough_members(programme):
    p = to_state(programme, r.State.ASSESSED)
    alone = r.TeamDecision(team_id="eps-salon", on=D(2017, 11, 6), members_present=("coord",))
    error = refused(p, r.Admitted(decision=alone, referent_id="ref-a"), "R-EPS-DECISION")
    assert error.detail == "1 member(s) present; the EPS decides with at least 2"


def test_eps_decision_members_belong_to_the_team(programme):
    p = to_state(programme, r.State.ASSESSED)
    d = r.TeamDecision(team_id="eps-salon", on=D(2017, 11, 6), members_present=("coord", "x"))
    error = refused(p, r.Admitted(decision=d, referent_id="ref-a"), "R-EPS-DECISION")
    assert error.detail == "x not a member of EPS 'eps-salon'"


def test_eps_decision_dated_before_what_it_decides_on(programme):
    p = to_state(programme, r.State.ASSESSED)
    error = refused(
        p, r.Admitted(decision=decision(D(2017, 10, 19)), referent_id="ref-a"), "R-EPS-DECISION"
    )
    assert "before the assessment it decides on (2017-10-20)" in error.detail
    p = to_state(programme, r.State.EXIT_PROPOSED)
    error = refused(
        p,
        r.ExitValidated(
            decision=decision(D(2018, 5, 30)),
            attainment=r.Attainment.NONE,
            satisfactory_evolution=False,
        ),
        "R-EPS-DECISION",
    )
    assert "before the exit proposal it decides on (2018-06-01)" in error.detail


def test_ineligible_child_needs_a_derogation(programme):
    p = r.open_pathway(programme, referred(birth_date=D(2000, 1, 1)))
    assert p.eligibility.unmet == (r.EligibilityCriterion.AGE,)
    for event in (
        consent(),
        r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))),
        objective_set(D(2017, 10, 20)),
    ):
        p = r.apply(p, event)
    error = refused(
        p, r.Admitted(decision=decision(D(2017, 11, 6)), referent_id="ref-a"), "R-ELIGIBILITY"
    )
    assert "âge sur la date d'orientation" in error.detail
    admitted = r.apply(
        p, r.Admitted(decision=decision(D(2017, 11, 6), derogation="fratrie"), referent_id="ref-a")
    )
    assert admitted.state == r.State.ADMITTED


def test_eligibility_uses_the_territory_in_force_on_the_referral_date(programme):
    berre = {"commune": "13014", "qpv": "QP013902"}
    before = r.open_pathway(programme, referred(on=D(2016, 5, 31), **berre))
    after = r.open_pathway(programme, referred(on=D(2016, 6, 1), **berre))
    assert r.EligibilityCriterion.TERRITORY in before.eligibility.unmet
    assert after.eligibility.eligible
    assert D(2016, 6, 1) == after.eligibility.territory_since


def test_a_referral_before_the_programme_existed_is_refused(programme):
    with pytest.raises(r.EventRefused) as caught:
        r.open_pathway(programme, referred(on=D(2006, 1, 1), birth_date=D(2000, 1, 1)))
    assert caught.value.rule == "R-PROGRAMME-IN-FORCE"


def test_a_pathway_opens_only_with_a_referral(programme):
    with pytest.raises(r.EventRefused, match="opens with a 'referred' event"):
        r.open_pathway(programme, consent())  # type: ignore[arg-type]
    with pytest.raises(r.EventRefused, match="no event to replay"):
        r.replay([], programme=programme)


def test_referent_must_belong_to_the_programme(programme):
    p = to_state(programme, r.State.ASSESSED)
    error = refused(
        p, r.Admitted(decision=decision(D(2017, 11, 6)), referent_id="ref-z"), "R-REFERENT"
    )
    assert error.detail == "'ref-z' is not a referent of the programme (referents: ref-a, ref-b)"


def test_referent_change_is_an_event_to_another_referent(programme):
    p = to_state(programme, r.State.ACTIVE)
    refused(p, r.ReferentChanged(on=D(2018, 1, 2), referent_id="ref-a"), "R-REFERENT")
    assert p.referent_changes == ()
    p = r.apply(p, r.ReferentChanged(on=D(2018, 1, 2), referent_id="ref-b"))
    assert p.referent_id == "ref-b"
    assert p.referent_changes == ((D(2018, 1, 2), "ref-b"),)
    p = r.apply(p, r.ReferentChanged(on=D(2018, 2, 5), referent_id="ref-a"))
    assert p.referent_changes == ((D(2018, 1, 2), "ref-b"), (D(2018, 2, 5), "ref-a"))
    # a correction of the first change's date: the changes are those of the facts
    fixed = r.apply(
        p,
        r.Corrected(
            on=D(2018, 2, 6),
            corrected_version=p.version - 1,
            replacement=r.ReferentChanged(on=D(2018, 1, 9), referent_id="ref-b"),
            reason="saisie",
            by="coord",
        ),
    )
    assert fixed.referent_changes == ((D(2018, 1, 9), "ref-b"), (D(2018, 2, 5), "ref-a"))
    check_invariants(fixed)
    with pytest.raises(AssertionError, match="referent changes"):
        check_invariants(attrs.evolve(p, referent_changes=()))


def test_starting_needs_an_objective(programme):
    p = r.open_pathway(programme, referred())
    for event in (
        consent(),
        r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))),
        r.Admitted(decision=decision(D(2017, 11, 6)), referent_id="ref-a"),
    ):
        p = r.apply(p, event)
    error = refused(p, r.Started(on=D(2017, 11, 13)), "R-ACTIVE-PLAN")
    assert "no objective" in error.detail


def test_objective_ids_unique_and_known(programme):
    p = to_state(programme, r.State.ACTIVE)
    refused(p, objective_set(D(2018, 1, 2)), "R-UNIQUE-ID")
    error = refused(
        p,
        r.ObjectiveUpdated(on=D(2018, 1, 2), objective_id="obj-9", status=r.ObjectiveStatus.MET),
        "R-KNOWN-REFERENCE",
    )
    assert error.detail == "unknown objective(s) obj-9 (objectives: obj-1)"
    refused(
        p,
        r.ActionPlanned(on=D(2018, 1, 2), action=action(oid="obj-9", aid="act-9")),
        "R-KNOWN-REFERENCE",
    )
    refused(p, r.ActionPlanned(on=D(2018, 1, 2), action=action()), "R-UNIQUE-ID")


def test_actions_stay_inside_the_pathway(programme):
    p = to_state(programme, r.State.ACTIVE)
    error = refused(
        p,
        r.ActionPlanned(on=D(2017, 11, 14), action=action(aid="act-2", start=D(2017, 11, 1))),
        "R-ACTION-INSIDE",
    )
    assert "before the pathway (2017-11-13)" in error.detail
    refused(p, r.ActionEnded(on=D(2017, 11, 14), action_id="act-1"), "R-ACTION-INSIDE")
    refused(p, r.ActionEnded(on=D(2017, 12, 1), action_id="act-7"), "R-ACTION-INSIDE")
    ended = r.apply(p, r.ActionEnded(on=D(2017, 12, 1), action_id="act-1"))
    assert D(2017, 12, 1) == ended.action("act-1").end
    error = refused(ended, r.ActionEnded(on=D(2017, 12, 2), action_id="act-1"), "R-ACTION-INSIDE")
    assert "already ended on 2017-12-01" in error.detail


def test_actions_not_started_at_exit_are_cancelled_not_lost(programme):
    p = to_state(programme, r.State.ACTIVE)
    p = r.apply(
        p, r.ActionPlanned(on=D(2017, 12, 1), action=action(aid="act-2", start=D(2018, 3, 1)))
    )
    p = r.apply(
        p,
        r.HandedOver(
            handover=r.Handover(
                on=D(2018, 1, 10),
                recipient=r.HandoverRecipient.CRIP,
                parents_informed=False,
                reason_not_informed="danger",
            )
        ),
    )
    assert [("act-1", D(2018, 1, 10), False), ("act-2", None, True)] == [
        (a.id, a.end, a.cancelled) for a in p.actions
    ]


def test_exit_attainment_derives_from_objectives_unless_justified(programme):
    p = to_state(programme, r.State.EXIT_PROPOSED)
    claim = r.ExitValidated(
        decision=decision(D(2018, 6, 18)),
        attainment=r.Attainment.COMPLETE,
        satisfactory_evolution=True,
    )
    error = refused(p, claim, "R-EXIT-ATTAINMENT")
    assert "the objectives imply 'none' (non atteints), not 'complete'" in error.detail
    justified = attrs.evolve(claim, decision=decision(D(2018, 6, 18), justification="progrès"))
    assert r.apply(p, justified).exit.attainment == r.Attainment.COMPLETE


def test_an_active_pathway_keeps_at_least_one_objective(programme):
    p = to_state(programme, r.State.ACTIVE)
    drop = r.ObjectiveUpdated(
        on=D(2018, 1, 2), objective_id="obj-1", status=r.ObjectiveStatus.DROPPED
    )
    error = refused(p, drop, "R-ACTIVE-PLAN")
    assert "without an objective" in error.detail
    p2 = r.apply(p, objective_set(D(2018, 1, 2), "obj-2"))
    assert r.apply(p2, drop).objective("obj-1").status is r.ObjectiveStatus.DROPPED
    # While the exit is proposed the last objective may be dropped, but the EPS cannot
    # then send the pathway back to active without an objective.
    proposed = r.apply(p, r.ExitProposed(on=D(2018, 1, 3), reason=r.ExitReason.RELAY_MAINSTREAM))
    proposed = r.apply(proposed, attrs.evolve(drop, on=D(2018, 1, 4)))
    refused(proposed, r.ExitRejected(decision=decision(D(2018, 1, 9))), "R-ACTIVE-PLAN")


def test_eps_can_keep_a_pathway_open(programme):
    p = to_state(programme, r.State.EXIT_PROPOSED)
    p = r.apply(p, r.ExitRejected(decision=decision(D(2018, 6, 18))))
    assert (p.state, p.exit_proposal) == (r.State.ACTIVE, None)


@pytest.mark.parametrize("state", sorted(set(r.State) - r.LIFECYCLE.finals))
def test_handover_is_allowed_from_every_open_state_without_consent(programme, state):
    p = to_state(programme, state)
    p = attrs.evolve(p, consents=())  # consent plays no part in a handover
    later = D(2018, 6, 2)
    p = r.apply(
        p,
        r.HandedOver(
            handover=r.Handover(
                on=later,
                recipient=r.HandoverRecipient.CRIP,
                parents_informed=False,
                reason_not_informed="mise en danger",
            )
        ),
    )
    assert p.state == r.State.HANDED_OVER
    assert p.handover.recipient is r.HandoverRecipient.CRIP
    assert p.suspended_since is None  # a running suspension ends with the handover


def test_contact_lost(programme):
    assert (
        r.apply(to_state(programme, r.State.CONSENTED), r.ContactLost(on=D(2017, 11, 1))).state
        == r.State.NOT_TAKEN_ON
    )
    p = r.apply(to_state(programme, r.State.ACTIVE), r.ContactLost(on=D(2018, 2, 1)))
    assert (p.state, p.exit_proposal.reason) == (r.State.EXIT_PROPOSED, r.ExitReason.LOST_CONTACT)


def test_not_taken_on_reasons(programme):
    p = r.open_pathway(programme, referred())
    assert (
        r.apply(p, r.FamilyRefused(on=D(2017, 10, 5))).not_taken_on.reason
        == r.NotTakenOnReason.FAMILY_REFUSED
    )
    assert (
        r.apply(p, r.DeclaredIneligible(on=D(2017, 10, 5), note="hors QPV")).not_taken_on.reason
        == r.NotTakenOnReason.INELIGIBLE
    )
    assessed = to_state(programme, r.State.ASSESSED)
    redirected = r.apply(
        assessed, r.Redirected(decision=decision(D(2017, 11, 6)), note="relais CMP")
    )
    assert redirected.not_taken_on.reason == r.NotTakenOnReason.EPS_REDIRECTED
    assert redirected.not_taken_on.decision is not None


def test_reentry_links_to_the_previous_pathway(programme):
    first = r.apply(r.open_pathway(programme, referred()), r.FamilyRefused(on=D(2017, 10, 5)))
    again = attrs.evolve(
        referred(on=D(2018, 9, 10)), pathway_id="p-2", previous_pathway_id=first.id
    )
    second = r.open_pathway(programme, again)
    assert (second.id, second.previous_pathway_id, second.state) == ("p-2", "p-1", r.State.REFERRED)
    assert first.state == r.State.NOT_TAKEN_ON


# --- properties over generated histories -------------------------------------------------


def _invariants(p: r.Pathway) -> None:
    check_invariants(p)
    if p.state in r.LIFECYCLE.finals:
        assert not p.is_open


@given(programmes(), st.data())
def test_valid_histories_keep_every_invariant_and_replay(programme, data):
    events = data.draw(histories(programme=programme))
    p = r.open_pathway(programme, events[0])
    versions = [p.version]
    for event in events[1:]:
        p = r.apply(p, event, expected_version=p.version)
        versions.append(p.version)
        _invariants(p)
    assert versions == sorted(set(versions))
    assert r.replay(p.history, programme=p.programme) == p


@given(programmes(), st.data())
def test_records_the_fold_changes_still_pass_their_validators(programme, data):
    # Ending actions and updating objectives copy them without re-running validators
    # (the rules proved the change valid): the copies must be what __init__ would build.
    events = data.draw(histories(programme=programme))
    replayed = r.replay(events, programme=programme)
    applied = r.open_pathway(programme, events[0])
    for event in events[1:]:
        applied = r.apply(applied, event)
    for p in (replayed, applied):
        for record in (*p.actions, *p.objectives):
            attrs.validate(record)
            rebuilt = attrs.evolve(record)
            assert rebuilt == record
            assert hash(rebuilt) == hash(record)
            assert pickle.loads(pickle.dumps(record)) == record


@given(st.data())
def test_any_event_is_either_refused_with_a_reussite_error_or_keeps_invariants(data):
    p = data.draw(pathways(programme=PROGRAMME))
    for _ in range(data.draw(st.integers(1, 4))):
        event = data.draw(_mutated_events(p))
        before = p
        try:
            p = r.apply(p, event)
        except r.ReussiteError:
            assert p == before
            continue
        assert p.version == before.version + 1
        _invariants(p)
        if before.state in r.LIFECYCLE.finals and not isinstance(event, r.Corrected):
            raise AssertionError("a final pathway accepted a new fact")
    assert r.replay(p.history, programme=PROGRAMME) == p


def _mutated_events(p: r.Pathway) -> st.SearchStrategy[r.Event]:
    """Events built from the pathway's own history, moved in time or to another state."""
    others = st.sampled_from(p.history[1:] or p.history)
    shift = st.integers(-400, 400).map(lambda days: dt.timedelta(days=days))
    return st.builds(_shifted, others, shift)


def _shifted(event: r.Event, delta: dt.timedelta) -> r.Event:
    fields = attrs.fields_dict(type(event))
    if "on" in fields:
        return attrs.evolve(event, on=event.on + delta)  # type: ignore[misc]
    return event


@given(histories(programme=PROGRAMME), st.data())
def test_a_history_cut_short_or_reordered_is_refused_or_valid(events, data):
    if len(events) < 3:
        return
    i = data.draw(st.integers(1, len(events) - 2))
    swapped = [*events[:i], events[i + 1], events[i], *events[i + 2 :]]
    try:
        p = r.replay(swapped, programme=PROGRAMME)
    except r.EventRefused as error:
        rule = error.rule
    else:
        _invariants(p)
        return
    assert rule in r.RULES


@pytest.mark.parametrize("state", list(r.State))
def test_histories_reach_any_chosen_state(state):
    @given(histories(programme=PROGRAMME, state=state, max_events=6))
    def check(events):
        assert state == r.replay(events, programme=PROGRAMME).state

    check()


def test_wrong_types_at_the_entry_points_raise_reussite_errors(programme):
    p = r.open_pathway(programme, referred())
    calls = [
        lambda: r.apply("p-1", consent()),
        lambda: r.open_pathway("pre", referred()),
        lambda: r.replay(42, programme=programme),
        lambda: r.age_on("2008-01-01", D(2018, 1, 1)),
        lambda: r.months_between(D(2018, 1, 1), "2018-02-01"),
        lambda: programme.rules.at("2017-01-01"),
        lambda: r.assess_eligibility(programme, "child", D(2018, 1, 1)),
        lambda: r.assess_eligibility("pre", p.child, D(2018, 1, 1)),
        lambda: r.derive_attainment(None),
        lambda: r.derive_attainment(["objective"]),
    ]
    for call in calls:
        with pytest.raises(r.InvalidValue):
            call()


# --- recording dates and what was known on a date --------------------------------------


def test_an_event_is_recorded_after_it_happened_and_after_the_previous_one():
    p = to_state(make_programme(), r.State.ACTIVE)
    with pytest.raises(r.EventRefused, match=r"R-CHRONOLOGY.*recorded on 2018-01-04, before it"):
        r.apply(p, r.ContactLost(on=D(2018, 1, 5), recorded_on=D(2018, 1, 4)))
    late = r.apply(
        p,
        r.Suspended(
            on=D(2018, 1, 5), reason=r.SuspensionReason.HOSPITALISATION, recorded_on=D(2018, 2, 1)
        ),
    )
    with pytest.raises(r.EventRefused, match="before the previous event was recorded"):
        r.apply(late, r.Resumed(on=D(2018, 1, 20), recorded_on=D(2018, 1, 25)))
    # without a recording date: recorded after the previous event, as appended
    unknown = r.apply(late, r.Resumed(on=D(2018, 1, 20)))
    assert r.as_known_on(unknown, D(2018, 1, 25)) == p  # not before the suspension was
    resumed = r.apply(late, r.Resumed(on=D(2018, 1, 20), recorded_on=D(2018, 2, 1)))
    assert resumed.history[-1].known_from == D(2018, 2, 1)
    assert r.replay(resumed.history, programme=resumed.programme) == resumed


def test_a_referral_is_not_recorded_before_it_happened():
    event = referred()
    with pytest.raises(r.EventRefused, match="before the referral it records"):
        r.open_pathway(make_programme(), attrs.evolve(event, recorded_on=D(2017, 1, 1)))


def test_a_pathway_as_known_on_a_date_leaves_out_what_was_recorded_later():
    p = to_state(make_programme(), r.State.ACTIVE)
    late = r.apply(p, r.ContactLost(on=D(2018, 1, 5), recorded_on=D(2018, 3, 1)))
    assert r.as_known_on(late, D(2018, 2, 1)) == p
    assert r.as_known_on(late, D(2018, 3, 1)) is late
    assert r.as_known_on(late, D(2017, 9, 1)) is None  # not yet referred then
    with pytest.raises(r.InvalidValue, match=r"as_known_on\.on"):
        r.as_known_on(late, "2018-01-01")  # type: ignore[arg-type]
    with pytest.raises(r.InvalidValue, match=r"as_known_on\.pathway"):
        r.as_known_on("p-1", D(2018, 1, 1))  # type: ignore[arg-type]


@given(st.data())
def test_known_on_reads_the_prefix_recorded_by_then(data):
    import reussite.strategies as rs

    p = data.draw(rs.pathways(max_events=10))
    # record each event 0-40 days after it happened, in order
    events, last = [], dt.date.min
    for event in p.history:
        recorded = max(last, event.on + dt.timedelta(days=data.draw(st.integers(0, 40))))
        events.append(attrs.evolve(event, recorded_on=recorded))
        last = recorded
    recorded = r.replay(events, programme=p.programme)
    day = data.draw(st.dates(events[0].on - dt.timedelta(days=5), last))
    known = r.as_known_on(recorded, day)
    prefix = [e for e in events if e.recorded_on is not None and e.recorded_on <= day]
    if not prefix:
        assert known is None
    else:
        assert known is not None
        assert known.history == tuple(prefix)
        assert known.version <= recorded.version
