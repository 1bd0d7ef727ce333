"""Real situations of a PRE's first month: pauses, moves, new assessments, renewals."""

from __future__ import annotations

import pytest

import reussite as r
from conftest import D, action, decision, to_state
from reussite.testing import check_invariants

# --- suspension and resumption -------------------------------------------------------------


def paused(programme: r.Programme) -> r.Pathway:
    p = to_state(programme, r.State.ACTIVE)
    return r.apply(
        p,
        r.Suspended(
            on=D(2018, 2, 5),
            reason=r.SuspensionReason.HOSPITALISATION,
            until=D(2018, 3, 5),
            note="hospitalisation prévue",
        ),
    )


def test_a_suspension_pauses_then_the_pathway_resumes(programme):
    p = paused(programme)
    assert p.state is r.State.SUSPENDED
    assert p.suspended_since == D(2018, 2, 5)
    assert p.suspensions == (
        r.Suspension(
            on=D(2018, 2, 5),
            reason=r.SuspensionReason.HOSPITALISATION,
            until=D(2018, 3, 5),
            note="hospitalisation prévue",
        ),
    )
    with pytest.raises(r.EventRefused, match="R-TRANSITION"):
        r.apply(p, r.ActionPlanned(on=D(2018, 2, 10), action=action(aid="act-2")))
    p = r.apply(p, r.Resumed(on=D(2018, 3, 12)))
    assert p.state is r.State.ACTIVE
    assert p.suspended_since is None
    assert p.suspensions[0].ended_on == D(2018, 3, 12)
    assert p.days_suspended(D(2018, 12, 31)) == 35
    assert p.days_suspended(D(2018, 2, 15)) == 10
    check_invariants(p)


@pytest.mark.parametrize(
    "event",
    [
        r.ReferentChanged(on=D(2018, 2, 20), referent_id="ref-b"),
        r.Reviewed(review=r.Review(on=D(2018, 2, 20))),
        r.ActionEnded(on=D(2018, 2, 20), action_id="act-1"),
        r.ObjectiveUpdated(on=D(2018, 2, 20), objective_id="obj-1", status=r.ObjectiveStatus.MET),
        r.ConsentGiven(consent=r.Consent(id="acc-2", on=D(2018, 2, 20), given_by=("g-2",))),
    ],
    ids=lambda e: e.tag,
)
def test_a_suspended_pathway_keeps_its_records_up_to_date(programme, event):
    p = r.apply(paused(programme), event)
    assert p.state is r.State.SUSPENDED
    check_invariants(p)


@pytest.mark.parametrize(
    ("event", "state"),
    [
        (r.ExitProposed(on=D(2018, 2, 20), reason=r.ExitReason.MOVED_AWAY), r.State.EXIT_PROPOSED),
        (r.ContactLost(on=D(2018, 2, 20)), r.State.EXIT_PROPOSED),
        (r.ConsentWithdrawn(on=D(2018, 2, 20), by="g-1"), r.State.CLOSED),
        (
            r.HandedOver(
                handover=r.Handover(
                    on=D(2018, 2, 20), recipient=r.HandoverRecipient.ASE, parents_informed=True
                )
            ),
            r.State.HANDED_OVER,
        ),
    ],
    ids=lambda x: getattr(x, "tag", ""),
)
def test_leaving_the_suspended_state_ends_the_suspension(programme, event, state):
    p = r.apply(paused(programme), event)
    assert p.state is state
    assert p.suspensions[-1].ended_on == D(2018, 2, 20)
    check_invariants(p)


def test_resuming_needs_the_consent_and_an_objective(programme):
    p = paused(programme)
    p = r.apply(
        p,
        r.ObjectiveUpdated(
            on=D(2018, 2, 6), objective_id="obj-1", status=r.ObjectiveStatus.DROPPED
        ),
    )
    with pytest.raises(r.EventRefused, match="R-ACTIVE-PLAN"):
        r.apply(p, r.Resumed(on=D(2018, 3, 1)))


def test_a_suspension_may_not_end_before_it_starts():
    with pytest.raises(r.InvalidValue, match=r"Suspension\.ended_on"):
        r.Suspension(on=D(2018, 2, 5), reason=r.SuspensionReason.OTHER, ended_on=D(2018, 2, 4))


# --- the child's situation changes --------------------------------------------------------


def test_a_move_and_a_new_school_year_change_the_situation_not_the_eligibility(programme):
    p = to_state(programme, r.State.ACTIVE)
    at_referral = p.situation_on(D(2017, 10, 2))
    assert at_referral == r.Situation.of(p.child, on=D(2017, 10, 2))
    moved = r.Situation(
        on=D(2018, 1, 8), commune="13014", qpv="QP013902", school_level=r.SchoolLevel.CM1
    )
    p = r.apply(p, r.SituationChanged(situation=moved))
    p = r.apply(p, r.SituationChanged(situation=moved.promoted(D(2018, 9, 3))))
    assert p.situation_on(D(2017, 12, 31)) == at_referral
    assert p.situation_on(D(2018, 3, 1)).commune == "13014"
    assert p.situation_on(D(2018, 9, 3)).school_level is r.SchoolLevel.CM2
    assert p.child.commune == "13103"  # the child as known at referral
    assert p.eligibility.on == D(2017, 10, 2)  # judged once, at referral
    check_invariants(p)


def test_repeating_a_year_is_a_new_situation_in_the_same_class(programme):
    p = to_state(programme, r.State.ACTIVE)
    same = r.Situation.of(p.child, on=D(2018, 9, 3))
    p = r.apply(p, r.SituationChanged(situation=same))
    assert p.situations == (same,)
    assert p.situation_on(D(2018, 9, 3)).school_level is p.child.school_level


def test_school_levels_move_up_one_class_a_year():
    assert r.SchoolLevel.GS.next is r.SchoolLevel.CP
    assert r.SchoolLevel.CM2.next is r.SchoolLevel.SIXIEME
    assert r.SchoolLevel.TROISIEME.next is r.SchoolLevel.LYCEE
    assert r.SchoolLevel.LYCEE.next is r.SchoolLevel.LYCEE
    assert r.SchoolLevel.NOT_SCHOOLED.next is r.SchoolLevel.NOT_SCHOOLED


# --- a new assessment during the pathway ---------------------------------------------------


def test_a_new_assessment_adds_objectives_the_eps_validated(programme):
    p = to_state(programme, r.State.ACTIVE)
    new = r.Objective(id="obj-2", domain=r.ObjectiveDomain.HEALTH, label="Bilan orthophonique")
    event = r.Reassessed(
        assessment=r.Assessment(on=D(2018, 2, 1), needs=(r.ObjectiveDomain.HEALTH,)),
        decision=decision(D(2018, 2, 12)),
        objectives=(new,),
    )
    p = r.apply(p, event)
    assert p.reassessments == (
        r.Reassessment(assessment=event.assessment, decision=event.decision),
    )
    assert p.objective("obj-2") == new
    assert p.assessment.on == D(2017, 10, 20)  # the first assessment stays
    check_invariants(p)


@pytest.mark.parametrize(
    ("event", "rule"),
    [
        (
            r.Reassessed(
                assessment=r.Assessment(on=D(2018, 2, 13)), decision=decision(D(2018, 2, 12))
            ),
            "R-EPS-DECISION",
        ),
        (
            r.Reassessed(
                assessment=r.Assessment(on=D(2018, 2, 1)),
                decision=decision(D(2018, 2, 12)),
                objectives=(
                    r.Objective(id="obj-1", domain=r.ObjectiveDomain.HEALTH, label="Soins"),
                ),
            ),
            "R-UNIQUE-ID",
        ),
    ],
)
def test_a_new_assessment_follows_the_rules_of_the_eps(programme, event, rule):
    with pytest.raises(r.EventRefused) as caught:
        r.apply(to_state(programme, r.State.ACTIVE), event)
    assert caught.value.rule == rule


# --- consent renewal and two guardians ------------------------------------------------------


def test_either_guardian_renews_the_consent(programme):
    p = to_state(programme, r.State.ACTIVE)  # signed by g-1
    renewal = r.Consent(id="acc-2", on=D(2018, 9, 3), given_by=("g-2",), valid_until=D(2019, 8, 31))
    p = r.apply(p, r.ConsentGiven(consent=renewal))
    assert p.consents[-1] == renewal
    assert p.consent_in_force(D(2019, 8, 31))


def test_one_guardians_withdrawal_ends_the_consent_both_signed(programme):
    p = to_state(programme, r.State.ACTIVE)
    both = r.Consent(id="acc-2", on=D(2017, 12, 1), given_by=("g-1", "g-2"))
    p = r.apply(p, r.ConsentGiven(consent=both))
    p = r.apply(p, r.ConsentWithdrawn(on=D(2018, 1, 5), by="g-2"))
    assert p.state is r.State.CLOSED
    assert not p.consent_in_force(D(2018, 1, 5))
    assert p.exit.reason is r.ExitReason.FAMILY_WITHDRAWAL
