from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from conftest import D, make_programme, to_state
from reussite.privacy import (
    EXAMPLE_SCHEDULE,
    RetentionStart,
    Sensitivity,
    current_consent,
    may_share,
    retention_start,
    sharing_ends_on,
)
from reussite.strategies import pathways

PROGRAMME = make_programme()
OPEN_AFTER_CONSENT = [r.State.CONSENTED, r.State.ASSESSED, r.State.ADMITTED, r.State.ACTIVE]
categories = st.sampled_from(list(Sensitivity))
partners = st.sampled_from(["école", "CAF", "CMP", "Mission locale"])


def withdrawn(pathway: r.Pathway, days: int) -> r.Pathway:
    on = pathway.last_event_on + dt.timedelta(days=days)
    return r.apply(pathway, r.ConsentWithdrawn(on=on, by=pathway.family.guardians[0].id))


@given(
    st.sampled_from(OPEN_AFTER_CONSENT).flatmap(lambda s: pathways(state=s)),
    st.integers(0, 30),
    st.integers(0, 3000),
    partners,
    categories,
)
def test_nothing_is_shared_after_withdrawal(pathway, gap, later, partner, category):
    closed = withdrawn(pathway, gap)
    assert closed.consent_withdrawn_on is not None
    on = closed.consent_withdrawn_on + dt.timedelta(days=later)
    assert not may_share(closed, partner, category, on=on)
    for consent in closed.consents:
        for recipient in consent.recipients:
            assert not may_share(closed, recipient, category, on=on)
    # the day before the withdrawal, what the consent then in force allows could be told
    before = closed.consent_withdrawn_on - dt.timedelta(days=1)
    current = current_consent(closed, before)
    for consent in closed.consents:
        for recipient in consent.recipients:
            expected = current is not None and current.allows(recipient, category)
            assert may_share(closed, recipient, category, on=before) is expected


@given(pathways(state=r.State.HANDED_OVER), categories, st.integers(0, 3000))
def test_child_protection_handover_is_the_legal_exception(pathway, category, later):
    handover = pathway.handover
    assert handover is not None
    on = handover.on + dt.timedelta(days=later)
    # even if the family had withdrawn its consent before the handover
    pathway = attrs.evolve(pathway, consent_withdrawn_on=handover.on)
    # its access is bounded: the handover day without a schedule; with one, the horizon
    # and the category's active base
    assert may_share(pathway, handover.recipient, category, on=handover.on)
    assert may_share(pathway, handover.recipient, category, on=on) is (later == 0)
    last = sharing_ends_on(pathway, EXAMPLE_SCHEDULE)
    assert last is not None
    start = retention_start(pathway)
    assert start == handover.on  # a handover starts the clock
    active = EXAMPLE_SCHEDULE.period(category).archive_on(start)
    expected = on <= last and on < active
    assert may_share(pathway, handover.recipient, category, on=on, schedule=EXAMPLE_SCHEDULE) is (
        expected
    )
    assert not may_share(pathway, handover.recipient, category, on=handover.on - dt.timedelta(1))
    others = [x for x in r.HandoverRecipient if x is not handover.recipient]
    for other in others:
        assert not may_share(pathway, other, category, on=on, schedule=EXAMPLE_SCHEDULE)


@given(pathways(), partners)
def test_child_protection_details_go_to_no_partner(pathway, partner):
    for on in {e.on for e in pathway.history}:
        assert not may_share(pathway, partner, Sensitivity.CHILD_PROTECTION, on=on)


def test_a_named_partner_may_be_told_while_the_consent_applies():
    pathway = to_state(PROGRAMME, r.State.CONSENTED)
    consent = r.Consent(
        id="acc-2",
        on=D(2017, 10, 16),
        given_by=("g-1",),
        recipients=("École Bressons", "CMP"),
        valid_until=D(2018, 6, 30),
    )
    pathway = r.apply(pathway, r.ConsentGiven(consent=consent))
    assert may_share(pathway, "école bressons ", "school", on=D(2017, 10, 16))
    assert may_share(pathway, "CMP", Sensitivity.SCHOOL, on=D(2018, 6, 30))
    assert not may_share(pathway, "CMP", "health", on=D(2018, 6, 30))  # no scope names it
    assert not may_share(pathway, "CMP", "school", on=D(2018, 7, 1))  # expired
    assert not may_share(pathway, "CMP", "school", on=D(2017, 10, 15))  # not yet signed
    assert not may_share(pathway, "CAF", "ordinary", on=D(2017, 11, 1))  # not named
    assert not may_share(pathway, r.HandoverRecipient.CRIP, "ordinary", on=D(2017, 11, 1))


def test_a_relay_to_another_service_shares_only_what_a_consent_names():
    """A relay is an exit the EPS validates, not a handover: no legal exception."""
    pathway = to_state(PROGRAMME, r.State.ACTIVE)
    relayed = r.apply(
        pathway, r.ExitProposed(on=D(2018, 1, 10), reason=r.ExitReason.RELAY_SPECIALISED)
    )
    assert relayed.handover is None
    assert not may_share(relayed, "CMP", "ordinary", on=D(2018, 1, 11))  # not named


@pytest.mark.parametrize(
    ("recipient", "category", "on", "message"),
    [
        ("CMP", "secret", D(2018, 1, 1), "may_share.category: expected a Sensitivity"),
        ("CMP", 42, D(2018, 1, 1), "may_share.category: expected a Sensitivity"),
        ("CMP", "health", "2018-01-01", "may_share.on: expected a datetime.date"),
        (" ", "health", D(2018, 1, 1), "may_share.recipient: expected a partner's name"),
        (42, "health", D(2018, 1, 1), "may_share.recipient"),
    ],
)
def test_bad_questions_are_refused(recipient, category, on, message):
    pathway = to_state(PROGRAMME, r.State.CONSENTED)
    with pytest.raises(r.InvalidValue, match=message):
        may_share(pathway, recipient, category, on=on)


def test_the_child_protection_exception_holds_whatever_the_recipient_spelling():
    import reussite as r
    from conftest import D, make_programme, to_state
    from reussite.privacy import may_share

    p = to_state(make_programme(), r.State.ACTIVE)
    handover = r.Handover(
        on=D(2018, 1, 5), recipient=r.HandoverRecipient.CRIP, parents_informed=True
    )
    p = r.apply(p, r.HandedOver(handover=handover))
    for spelled in (r.HandoverRecipient.CRIP, "crip", " CRIP "):
        assert may_share(p, spelled, "health", on=D(2018, 1, 5))
        assert may_share(p, spelled, "health", on=D(2018, 1, 6), schedule=EXAMPLE_SCHEDULE)
    assert not may_share(p, "CMP", "health", on=D(2018, 1, 6), schedule=EXAMPLE_SCHEDULE)
    assert not may_share(p, "crip", "health", on=D(2018, 1, 4))


# --- issue 21: sharing that follows the pathway's end ------------------------------------


CMP_HEALTH = r.SharingScope(recipient="CMP", categories=(Sensitivity.HEALTH, Sensitivity.SCHOOL))


def closed_on_15_june(**consent: object) -> r.Pathway:
    """Pathway closed on 2018-06-15 whose consent names the CMP, with no end date."""
    p = to_state(PROGRAMME, r.State.CONSENTED)
    p = r.apply(
        p,
        r.ConsentGiven(
            consent=r.Consent(id="acc-2", on=D(2017, 10, 16), given_by=("g-1",), **consent)  # type: ignore[arg-type]
        ),
    )
    for event in (
        r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))),
        r.ObjectiveSet(
            on=D(2017, 10, 20),
            objective=r.Objective(id="o-1", domain=r.ObjectiveDomain.HEALTH, label="Soins"),
        ),
        r.Admitted(
            decision=r.TeamDecision(
                team_id="eps-salon", on=D(2017, 11, 6), members_present=("coord", "ien")
            ),
            referent_id="ref-a",
        ),
        r.Started(on=D(2017, 11, 13)),
        r.ExitProposed(on=D(2018, 6, 1), reason=r.ExitReason.OBJECTIVES_MET),
        r.ExitValidated(
            decision=r.TeamDecision(
                team_id="eps-salon", on=D(2018, 6, 15), members_present=("coord", "ien")
            ),
            attainment=r.Attainment.NONE,
            satisfactory_evolution=True,
        ),
    ):
        p = r.apply(p, event)
    assert p.ended_on == D(2018, 6, 15)
    return p


def test_sharing_ends_with_the_pathway_or_its_horizon():
    p = closed_on_15_june(recipients=("CMP",), scopes=(CMP_HEALTH,))
    assert may_share(p, "CMP", "health", on=D(2018, 6, 15))
    assert not may_share(p, "CMP", "health", on=D(2018, 6, 16))
    assert not may_share(p, "CMP", "health", on=D(2019, 1, 1))  # the case
    assert not may_share(p, "CMP", "direct_identifier", on=D(2030, 1, 1))
    # a schedule's horizon: three months after the end, then nothing
    assert sharing_ends_on(p, EXAMPLE_SCHEDULE) == D(2018, 9, 15)
    assert may_share(p, "CMP", "school", on=D(2018, 9, 15), schedule=EXAMPLE_SCHEDULE)
    assert not may_share(p, "CMP", "school", on=D(2018, 9, 16), schedule=EXAMPLE_SCHEDULE)


def test_sharing_never_outlives_the_retention_of_the_category():
    short = attrs.evolve(
        EXAMPLE_SCHEDULE,
        sharing_months=24,
        health=r.privacy.RetentionPeriod(active_months=1, archive_months=1),
    )
    p = closed_on_15_june(scopes=(CMP_HEALTH,))
    assert may_share(p, "CMP", "health", on=D(2018, 7, 14), schedule=short)
    assert not may_share(p, "CMP", "health", on=D(2018, 7, 15), schedule=short)  # archived
    assert may_share(p, "CMP", "school", on=D(2019, 7, 15), schedule=short)


@given(
    st.sampled_from([r.State.CLOSED, r.State.NOT_TAKEN_ON, r.State.HANDED_OVER]).flatmap(
        lambda s: pathways(state=s)
    ),
    st.integers(0, 6000),
    partners,
    categories,
)
def test_nothing_is_shared_past_the_horizon_or_out_of_the_active_base(
    pathway, later, partner, category
):
    on = pathway.last_event_on + dt.timedelta(days=later)
    for recipient in (partner, *r.HandoverRecipient):
        for schedule in (None, EXAMPLE_SCHEDULE):
            if may_share(pathway, recipient, category, on=on, schedule=schedule):
                last = sharing_ends_on(pathway, schedule)
                assert last is not None
                assert on <= last
                if schedule is not None:
                    start = retention_start(pathway, schedule.starts_from)
                    assert start is not None
                    assert on < schedule.period(category).archive_on(start)


def test_after_a_handover_other_partners_get_no_health_data():
    p = to_state(PROGRAMME, r.State.CONSENTED)
    scoped = r.Consent(id="acc-2", on=D(2017, 10, 16), given_by=("g-1",), scopes=(CMP_HEALTH,))
    p = r.apply(p, r.ConsentGiven(consent=scoped))
    assert may_share(p, "CMP", "health", on=D(2017, 12, 1))
    handover = r.Handover(
        on=D(2018, 1, 5), recipient=r.HandoverRecipient.CRIP, parents_informed=True
    )
    p = r.apply(p, r.HandedOver(handover=handover))
    horizon = attrs.evolve(EXAMPLE_SCHEDULE, sharing_months=12)
    assert may_share(p, "CMP", "health", on=D(2018, 1, 4), schedule=horizon)
    assert not may_share(p, "CMP", "health", on=D(2018, 1, 5), schedule=horizon)
    assert may_share(p, "CMP", "school", on=D(2018, 1, 5), schedule=horizon)
    assert may_share(p, "crip", "health", on=D(2018, 1, 5), schedule=horizon)
    assert not may_share(p, "crip", "direct_identifier", on=D(2040, 1, 1), schedule=horizon)


def test_the_latest_consent_supersedes_the_earlier_ones():
    p = to_state(PROGRAMME, r.State.CONSENTED)  # acc-1: 2017-10-09, no partner
    old = r.Consent(id="acc-2", on=D(2017, 10, 16), given_by=("g-1",), recipients=("CAF", "CMP"))
    new = r.Consent(
        id="acc-3",
        on=D(2018, 1, 10),
        given_by=("g-1",),
        recipients=("CAF",),
        valid_until=D(2018, 6, 30),
    )
    p = r.apply(r.apply(p, r.ConsentGiven(consent=old)), r.ConsentGiven(consent=new))
    assert may_share(p, "CMP", "school", on=D(2018, 1, 9))
    assert not may_share(p, "CMP", "school", on=D(2018, 1, 10))  # dropped by the renewal
    assert may_share(p, "CAF", "school", on=D(2018, 6, 30))
    assert not may_share(p, "CAF", "school", on=D(2018, 7, 1))  # the renewal ended
    assert current_consent(p, D(2018, 7, 1)) is None
    assert current_consent(p, D(2018, 1, 9)) == old


def test_a_scope_names_the_categories_a_partner_may_receive():
    p = closed_on_15_june(recipients=("École",), scopes=(CMP_HEALTH,))
    on = D(2018, 1, 2)
    assert may_share(p, "cmp ", "health", on=on)
    assert may_share(p, "CMP", "school", on=on)
    assert not may_share(p, "CMP", "family_situation", on=on)  # not in its scope
    assert not may_share(p, "École", "health", on=on)  # only named: no health
    assert may_share(p, "École", "direct_identifier", on=on)
    with pytest.raises(r.InvalidValue, match="one scope per partner"):
        r.Consent(id="k", on=on, given_by=("g-1",), scopes=(CMP_HEALTH, CMP_HEALTH))
    with pytest.raises(r.InvalidValue, match=r"may_share\.schedule"):
        may_share(p, "CMP", "health", on=on, schedule="EXAMPLE")  # type: ignore[arg-type]


def test_the_retention_start_can_be_chosen():
    p = closed_on_15_june()
    assert retention_start(p, RetentionStart.END) == D(2018, 6, 15)
    assert retention_start(p, RetentionStart.LAST_EVENT) == p.last_event_on
