"""The lifecycle defects found by the outside check (issue 13), each the smallest history.

Each test fails on reussite 0.1 and holds the rule that fixes the whole class of defect.
"""

from __future__ import annotations

import attrs
import pytest

import reussite as r
from conftest import D, action, consent, decision, objective_set, referred, to_state
from reussite.testing import check_invariants

# --- 1. a lapsed consent ------------------------------------------------------------------


def lapsing(programme: r.Programme, until: r.Pathway | None = None) -> r.Pathway:
    """Referral, consent valid until 2017-11-30, assessment, admission, objective, start."""
    p = r.open_pathway(programme, referred())
    for event in (
        consent(valid_until=D(2017, 11, 30)),
        r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))),
        r.Admitted(decision=decision(D(2017, 11, 6)), referent_id="ref-a"),
        objective_set(D(2017, 11, 6)),
        r.Started(on=D(2017, 11, 13)),
    ):
        p = r.apply(p, event)
        check_invariants(p)
    return p


def test_a_review_after_the_consent_lapsed_is_refused(programme):
    p = lapsing(programme)
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, r.Reviewed(review=r.Review(on=D(2017, 12, 15))))
    assert caught.value.rule == "R-CONSENT-FIRST"
    assert "lapsed on 2017-11-30" in caught.value.detail
    assert "renew it (consent_given)" in caught.value.detail


@pytest.mark.parametrize(
    "event",
    [
        r.ObjectiveSet(
            on=D(2017, 12, 15),
            objective=r.Objective(id="obj-2", domain=r.ObjectiveDomain.HEALTH, label="Soins"),
        ),
        r.ObjectiveUpdated(
            on=D(2017, 12, 15), objective_id="obj-1", status=r.ObjectiveStatus.IN_PROGRESS
        ),
        r.ReferentChanged(on=D(2017, 12, 15), referent_id="ref-b"),
        r.ActionPlanned(on=D(2017, 12, 15), action=action(start=D(2017, 12, 15))),
        r.ActionEnded(on=D(2017, 12, 15), action_id="act-1"),
        r.SituationChanged(
            situation=r.Situation(
                on=D(2017, 12, 15), commune="13014", school_level=r.SchoolLevel.CM1
            )
        ),
    ],
    ids=lambda e: e.tag,
)
def test_support_after_the_lapse_is_refused(programme, event):
    """An active pathway records nothing more until the consent is renewed (or it ends)."""
    p = lapsing(programme)
    p = r.apply(p, r.ActionPlanned(on=D(2017, 11, 14), action=action(start=D(2017, 11, 14))))
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, event)
    assert caught.value.rule == "R-CONSENT-FIRST"


def test_an_action_planned_inside_the_consent_but_starting_after_it_is_refused(programme):
    p = lapsing(programme)
    late = r.ActionPlanned(on=D(2017, 11, 20), action=action(start=D(2017, 12, 4)))
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, late)
    assert caught.value.rule == "R-CONSENT-FIRST"
    assert "act-1' starts on 2017-12-04" in caught.value.detail
    # starting on the consent's last day is fine
    ok = r.apply(p, attrs.evolve(late, action=attrs.evolve(late.action, start=D(2017, 11, 30))))
    check_invariants(ok)


@pytest.mark.parametrize(
    "event",
    [
        r.ConsentGiven(consent=r.Consent(id="acc-2", on=D(2017, 12, 15), given_by=("g-2",))),
        r.ConsentWithdrawn(on=D(2017, 12, 15), by="g-1"),
        r.Suspended(on=D(2017, 12, 15), reason=r.SuspensionReason.FAMILY_REQUEST),
        r.ExitProposed(on=D(2017, 12, 15), reason=r.ExitReason.RELAY_MAINSTREAM),
        r.ContactLost(on=D(2017, 12, 15)),
        r.HandedOver(
            handover=r.Handover(
                on=D(2017, 12, 15), recipient=r.HandoverRecipient.CRIP, parents_informed=True
            )
        ),
    ],
    ids=lambda e: e.tag,
)
def test_what_a_lapse_still_allows(programme, event):
    """Renewal, withdrawal, a pause, an exit proposal, lost contact, a handover."""
    p = r.apply(lapsing(programme), event)
    check_invariants(p)
    assert p.state is not r.State.ACTIVE or p.consent_in_force(p.last_event_on)


def test_a_renewal_resumes_the_support(programme):
    p = r.apply(
        lapsing(programme),
        r.ConsentGiven(consent=r.Consent(id="acc-2", on=D(2017, 12, 15), given_by=("g-2",))),
    )
    p = r.apply(p, r.Reviewed(review=r.Review(on=D(2017, 12, 20))))
    assert p.state is r.State.ACTIVE
    check_invariants(p)


def test_exit_rejected_or_resumed_without_consent_is_refused(programme):
    p = r.apply(lapsing(programme), r.ExitProposed(on=D(2017, 12, 1), reason=r.ExitReason.OTHER))
    rejected = r.ExitRejected(decision=decision(D(2017, 12, 15)))
    with pytest.raises(r.EventRefused, match="R-CONSENT-FIRST"):
        r.apply(p, rejected)
    p = r.apply(
        lapsing(programme),
        r.Suspended(on=D(2017, 11, 20), reason=r.SuspensionReason.HOSPITALISATION),
    )
    with pytest.raises(r.EventRefused, match="R-CONSENT-FIRST"):
        r.apply(p, r.Resumed(on=D(2017, 12, 15)))


# --- 2. a handover goes to child protection only -------------------------------------------


def test_a_handover_to_another_service_cannot_be_recorded():
    assert {h.value for h in r.HandoverRecipient} == {"crip", "ase", "prosecutor"}
    with pytest.raises(ValueError, match="other_service"):
        r.HandoverRecipient("other_service")


def test_a_relay_to_another_service_is_an_exit_the_eps_validates(programme):
    p = to_state(programme, r.State.ACTIVE)
    p = r.apply(p, r.ExitProposed(on=D(2018, 3, 1), reason=r.ExitReason.RELAY_SPECIALISED))
    alone = r.TeamDecision(team_id="eps-salon", on=D(2018, 3, 5), members_present=("coord",))
    with pytest.raises(r.EventRefused, match="R-EPS-DECISION"):
        r.apply(
            p,
            r.ExitValidated(
                decision=alone, attainment=r.Attainment.NONE, satisfactory_evolution=True
            ),
        )


# --- 3. one rule for a pathway that never started ------------------------------------------


def test_withdrawal_after_admission_before_the_start_is_not_taken_on(programme):
    p = to_state(programme, r.State.ADMITTED)
    withdrawn = r.apply(p, r.ConsentWithdrawn(on=D(2017, 11, 8), by="g-1"))
    lost = r.apply(p, r.ContactLost(on=D(2017, 11, 8)))
    for ended, reason in (
        (withdrawn, r.NotTakenOnReason.FAMILY_WITHDREW),
        (lost, r.NotTakenOnReason.LOST_CONTACT),
    ):
        assert ended.state is r.State.NOT_TAKEN_ON
        assert ended.exit is None
        assert ended.not_taken_on.reason is reason
        assert not ended.started
        check_invariants(ended)


def test_the_indicators_count_no_exit_for_a_pathway_that_never_started(programme):
    p = r.apply(
        to_state(programme, r.State.ADMITTED), r.ConsentWithdrawn(on=D(2017, 11, 8), by="g-1")
    )
    report = r.annual_report([p], r.SchoolYear(2017), as_of=D(2018, 8, 31))
    assert report.value("exits") == 0


# --- 4. wrongly refused while an exit is proposed -------------------------------------------


def test_a_referent_change_and_lost_contact_while_an_exit_is_proposed(programme):
    p = to_state(programme, r.State.EXIT_PROPOSED)
    p = r.apply(p, r.ReferentChanged(on=D(2018, 6, 4), referent_id="ref-b"))
    assert (p.state, p.referent_id) == (r.State.EXIT_PROPOSED, "ref-b")
    p = r.apply(p, r.ContactLost(on=D(2018, 6, 8)))
    assert p.state is r.State.EXIT_PROPOSED
    assert p.exit_proposal.reason is r.ExitReason.OBJECTIVES_MET  # the proposal stands
    assert p.contact_lost_on == D(2018, 6, 8)
    check_invariants(p)


# --- 5. accepted but impossible -------------------------------------------------------------


def test_a_child_born_after_the_referral_is_refused_even_with_a_derogation(programme):
    with pytest.raises(r.EventRefused) as caught:
        r.open_pathway(programme, referred(birth_date=D(2017, 10, 3)))
    assert caught.value.rule == "R-CHRONOLOGY"
    assert "before the child's birth date" in caught.value.detail


def test_the_age_limit_is_no_exit_reason_for_an_eight_year_old(programme):
    p = to_state(programme, r.State.ACTIVE)  # born 2009-05-04: 8 in 2018
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, r.ExitProposed(on=D(2018, 3, 1), reason=r.ExitReason.AGE_LIMIT))
    assert caught.value.rule == "R-EXIT-REASON"
    assert "the child is 8 on 2018-03-01, under the programme's age limit (16" in (
        caught.value.detail
    )


def test_the_age_limit_once_the_maximum_age_is_reached(programme):
    p = r.open_pathway(programme, referred(birth_date=D(2002, 10, 20)))  # 16 on 2018-10-20
    for event in (
        consent(),
        r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))),
        objective_set(D(2017, 10, 20)),
        r.Admitted(decision=decision(D(2017, 11, 6)), referent_id="ref-a"),
        r.Started(on=D(2017, 11, 13)),
    ):
        p = r.apply(p, event)
    with pytest.raises(r.EventRefused, match="R-EXIT-REASON"):
        r.apply(p, r.ExitProposed(on=D(2018, 10, 19), reason=r.ExitReason.AGE_LIMIT))
    proposed = r.apply(p, r.ExitProposed(on=D(2018, 10, 20), reason=r.ExitReason.AGE_LIMIT))
    closed = r.apply(
        proposed,
        r.ExitValidated(
            decision=decision(D(2018, 10, 22)),
            attainment=r.Attainment.NONE,
            satisfactory_evolution=False,
        ),
    )
    assert closed.exit.reason is r.ExitReason.AGE_LIMIT
    check_invariants(closed)


@pytest.mark.parametrize(
    ("reason", "event"),
    [
        (r.ExitReason.FAMILY_WITHDRAWAL, "consent_withdrawn"),
        (r.ExitReason.LOST_CONTACT, "contact_lost"),
    ],
)
def test_reasons_recorded_by_their_own_event_are_not_proposed(programme, reason, event):
    with pytest.raises(r.EventRefused) as caught:
        r.apply(
            to_state(programme, r.State.ACTIVE), r.ExitProposed(on=D(2018, 3, 1), reason=reason)
        )
    assert caught.value.rule == "R-EXIT-REASON"
    assert f"recorded by the '{event}' event" in caught.value.detail


def test_an_action_planned_already_cancelled_is_refused(programme):
    p = to_state(programme, r.State.ACTIVE)
    cancelled = attrs.evolve(action(aid="act-2"), cancelled=True)
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, r.ActionPlanned(on=D(2017, 11, 15), action=cancelled))
    assert caught.value.rule == "R-ACTION-INSIDE"
    assert "planned already cancelled" in caught.value.detail


@pytest.mark.parametrize("version", [True, 1.0, "7", 7.5])
def test_expected_version_must_be_an_int(programme, version):
    p = to_state(programme, r.State.ACTIVE)
    with pytest.raises(r.InvalidValue, match="expected_version"):
        r.apply(p, r.Reviewed(review=r.Review(on=D(2018, 1, 5))), expected_version=version)


def test_a_second_referral_says_it_opens_a_new_pathway(programme):
    p = to_state(programme, r.State.ACTIVE)
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, referred())
    assert caught.value.rule == "R-TRANSITION"
    assert "not a pathway event" not in str(caught.value)
    assert "a new referral opens a new pathway (open_pathway)" in caught.value.detail
    closed = r.apply(p, r.ConsentWithdrawn(on=D(2018, 1, 5), by="g-1"))
    with pytest.raises(r.EventRefused, match="a new referral opens a new pathway"):
        r.apply(closed, referred())


def test_a_pathway_cannot_name_itself_as_the_earlier_one(programme):
    with pytest.raises(r.EventRefused) as caught:
        r.open_pathway(programme, attrs.evolve(referred(), previous_pathway_id="p-1"))
    assert caught.value.rule == "R-REENTRY"
