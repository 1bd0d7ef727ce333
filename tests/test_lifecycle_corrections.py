"""Corrections (*correction d'une saisie*): an earlier event replaced or voided, for audit."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
from conftest import D, decision, scaled, to_state
from reussite._history import corrected_facts
from reussite.strategies import events, pathways
from reussite.testing import check_invariants


def corrected(version: int, replacement: r.Event | None) -> r.Corrected:
    return r.Corrected(
        on=D(2018, 7, 2),
        corrected_version=version,
        replacement=replacement,
        reason="erreur de saisie",
        by="coord",
    )


def closed(programme: r.Programme) -> r.Pathway:
    p = to_state(programme, r.State.EXIT_PROPOSED)
    return r.apply(
        p,
        r.ExitValidated(
            decision=decision(D(2018, 6, 18)),
            attainment=r.Attainment.NONE,
            satisfactory_evolution=True,
        ),
    )


def test_a_wrong_birth_date_is_corrected_and_eligibility_judged_again(programme):
    p = to_state(programme, r.State.ACTIVE)
    first = p.history[0]
    assert isinstance(first, r.Referred)
    right = attrs.evolve(first, child=attrs.evolve(first.child, birth_date=D(2010, 5, 4)))
    fixed = r.apply(p, corrected(1, right))
    assert fixed.child.birth_date == D(2010, 5, 4)
    assert fixed.history == (*p.history, fixed.history[-1])  # the original stays, for audit
    assert fixed.facts[0] is right
    assert fixed.version == p.version + 1
    assert fixed.state is r.State.ACTIVE
    check_invariants(fixed)
    assert r.replay(fixed.history, programme=programme) == fixed


def test_a_closed_pathway_accepts_corrections_never_new_facts(programme):
    p = closed(programme)
    review = r.Reviewed(review=r.Review(on=D(2018, 6, 20)))
    with pytest.raises(r.PathwayClosed):
        r.apply(p, review)
    started = next(i for i, e in enumerate(p.history, 1) if isinstance(e, r.Started))
    fixed = r.apply(p, corrected(started, r.Started(on=D(2017, 11, 10))))
    assert fixed.state is r.State.CLOSED
    assert fixed.started_on == D(2017, 11, 10)


def test_the_corrected_history_is_checked_with_every_rule(programme):
    p = to_state(programme, r.State.ACTIVE)
    started = next(i for i, e in enumerate(p.history, 1) if isinstance(e, r.Started))
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, corrected(started, r.Started(on=D(2017, 11, 1))))  # before the admission
    assert caught.value.rule == "R-CHRONOLOGY"
    assert isinstance(caught.value.event, r.Corrected)
    assert "the corrected history is refused at its 'started' event of 2017-11-01" in (
        caught.value.detail
    )
    given = p.history[1]
    assert isinstance(given, r.ConsentGiven)
    short = attrs.evolve(given, consent=attrs.evolve(given.consent, valid_until=D(2017, 10, 15)))
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, corrected(2, short))  # the assessment of 2017-10-20 had no consent
    assert caught.value.rule == "R-CONSENT-FIRST"
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, corrected(2, None))  # no consent: an assessment while only referred
    assert caught.value.rule == "R-TRANSITION"


def test_reports_read_the_corrected_facts(programme):
    p = closed(programme)
    exit_version = p.version
    right = r.ExitValidated(
        decision=decision(D(2018, 6, 18), justification="objectifs repris"),
        attainment=r.Attainment.PARTIAL,
        satisfactory_evolution=False,
    )
    fixed = r.apply(p, corrected(exit_version, right))
    assert fixed.exit.attainment is r.Attainment.PARTIAL
    report = r.annual_report([fixed], r.SchoolYear(2017), as_of=D(2018, 8, 31))
    assert report.value("exits_by_attainment", "partial") == 100


def test_voiding_the_exit_reopens_the_pathway(programme):
    p = closed(programme)
    reopened = r.apply(p, corrected(p.version, None))
    assert reopened.state is r.State.EXIT_PROPOSED
    assert reopened.exit is None
    check_invariants(reopened)


@pytest.mark.parametrize(
    ("make", "detail"),
    [
        (lambda p: corrected(99, None), "version 99 does not exist"),
        (lambda p: corrected(1, None), "version 1 is the referral, which is never voided"),
        (
            lambda p: corrected(1, attrs.evolve(p.history[0], pathway_id="p-2")),
            "its replacement is a referral of the same pathway ('p-1')",
        ),
        (lambda p: corrected(3, p.history[0]), "a referral only replaces version 1"),
        (lambda p: corrected(3, p.history[2]), "the correction changes nothing"),
        (
            lambda p: attrs.evolve(corrected(3, None), on=D(2017, 10, 1)),
            "recorded on 2017-10-01, before the event it corrects",
        ),
    ],
)
def test_a_correction_is_refused_when_it_makes_no_sense(programme, make, detail):
    p = to_state(programme, r.State.ACTIVE)
    with pytest.raises(r.EventRefused) as caught:
        r.apply(p, make(p))
    assert caught.value.rule == "R-CORRECTION"
    assert detail in caught.value.detail


def test_a_correction_is_voided_by_a_later_one_and_only_voided(programme):
    p = to_state(programme, r.State.ACTIVE)
    review = r.Reviewed(review=r.Review(on=D(2018, 1, 10), summary="Bilan"))
    p = r.apply(p, review)
    reviewed = p.version
    p = r.apply(p, corrected(reviewed, attrs.evolve(review, review=r.Review(on=D(2018, 1, 10)))))
    assert p.reviews == (r.Review(on=D(2018, 1, 10)),)
    with pytest.raises(r.EventRefused, match="a correction is only voided"):
        r.apply(p, corrected(p.version, review))
    undone = r.apply(p, corrected(p.version, None))
    assert undone.reviews == (review.review,)
    redone = r.apply(undone, corrected(undone.version, None))  # the void voided
    assert redone.reviews == (r.Review(on=D(2018, 1, 10)),)
    for q in (p, undone, redone):
        check_invariants(q)
        assert r.replay(q.history, programme=programme) == q


def test_new_facts_follow_the_corrected_dates(programme):
    p = to_state(programme, r.State.ACTIVE)  # last fact: an action on 2017-11-13
    review = r.Reviewed(review=r.Review(on=D(2018, 3, 1)))
    p = r.apply(p, review)
    p = r.apply(p, corrected(p.version, attrs.evolve(review, review=r.Review(on=D(2018, 1, 2)))))
    assert p.last_event_on == D(2018, 1, 2)
    later = r.apply(p, r.Reviewed(review=r.Review(on=D(2018, 2, 1))))  # before the correction
    check_invariants(later)


def test_corrected_facts_without_correction_is_the_history_itself(programme):
    p = to_state(programme, r.State.ACTIVE)
    assert corrected_facts(p.history) is p.history
    assert p.facts is p.history


@settings(max_examples=scaled(120))
@given(data=st.data())
def test_drawn_corrections_keep_every_invariant_and_replay(data):
    p = data.draw(pathways(max_events=12))
    for _ in range(3):
        fix = data.draw(events(pathway=p, kinds=(r.Corrected,)))
        p = r.apply(p, fix, expected_version=p.version)
        check_invariants(p)
    assert r.replay(p.history, programme=p.programme) == p
