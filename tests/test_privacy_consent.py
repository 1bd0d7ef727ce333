from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from conftest import D, make_programme, to_state
from reussite.privacy import Sensitivity, may_share
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
    # the day before the withdrawal, a named partner could still be told (not CP details)
    before = closed.consent_withdrawn_on - dt.timedelta(days=1)
    for consent in closed.consents:
        for recipient in consent.recipients:
            expected = consent.covers(before) and category is not Sensitivity.CHILD_PROTECTION
            if expected:
                assert may_share(closed, recipient, category, on=before)


@given(pathways(state=r.State.HANDED_OVER), categories, st.integers(0, 3000))
def test_child_protection_handover_is_the_legal_exception(pathway, category, later):
    handover = pathway.handover
    assert handover is not None
    on = handover.on + dt.timedelta(days=later)
    # even if the family had withdrawn its consent before the handover
    pathway = attrs.evolve(pathway, consent_withdrawn_on=handover.on)
    allowed = may_share(pathway, handover.recipient, category, on=on)
    assert allowed  # every handover goes to child protection (CASF L.226-2-1)
    assert not may_share(pathway, handover.recipient, category, on=handover.on - dt.timedelta(1))
    others = [x for x in r.HandoverRecipient if x is not handover.recipient]
    for other in others:
        assert not may_share(pathway, other, category, on=on)


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
    assert may_share(pathway, "CMP", Sensitivity.HEALTH, on=D(2018, 6, 30))
    assert not may_share(pathway, "CMP", "health", on=D(2018, 7, 1))  # expired
    assert not may_share(pathway, "CMP", "health", on=D(2017, 10, 15))  # not yet signed
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
        assert may_share(p, spelled, "health", on=D(2018, 1, 6))
    assert not may_share(p, "CMP", "health", on=D(2018, 1, 6))
    assert not may_share(p, "crip", "health", on=D(2018, 1, 4))
