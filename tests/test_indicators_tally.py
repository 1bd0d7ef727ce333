"""The tally's one-pass counting agrees with the indicators' plain definition.

``Tally`` reads each pathway as of the report's date without building that view, counts
in local variables and folds histogram keys in bulk. ``reference_tally`` below is the
plain statement it must equal: build the pathway as it stood on the as-of date (the events
known then, replayed), then count each definition directly, one pathway at a time.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
from bisect import bisect_left

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, reject
from hypothesis import strategies as st

import reussite as r
from conftest import renamed_events
from reussite.calendar import age_on
from reussite.indicators import AgeBand, PriorityArea, Tally
from reussite.indicators._tally import (
    _AREA_OF,
    _BAND_BY_CUTOFF,
    _CHUNK,
    _CODE,
    _GROUP_OF_LEVEL,
    HAS_ACTION,
    HAS_INDIVIDUAL_ACTION,
    _age_cutoffs,
    _combine,
)
from reussite.periods import Period, SchoolYear, whole_months
from test_indicators_cohorts import PROGRAMME, followed
from test_indicators_properties import inputs

D = dt.date
SY17 = SchoolYear(2017)
IN_PROGRESS = {r.State.ACTIVE, r.State.EXIT_PROPOSED}


def as_of_view(p: r.Pathway, as_of: dt.date) -> r.Pathway | None:
    """The pathway as it stood on ``as_of``: its events known then, replayed.

    A history where an event voided after ``as_of`` is followed by one dated before it
    (entered once the mistake was put right) has no such view: dated by ``as_of``, the
    two break the chronology together. The example is left out (the tally reads each
    record by its own date; this reference cannot say what it should count).
    """
    events = [e for e in p.history if e.on <= as_of]
    try:
        return r.replay(events, programme=p.programme) if events else None
    except r.EventRefused as refused:
        corrected_later = any(type(e) is r.Corrected and e.on > as_of for e in p.history)
        if refused.rule == "R-CHRONOLOGY" and corrected_later:
            reject()
        raise


def reference_tally(pathways: list[r.Pathway], period: Period, as_of: dt.date) -> Tally:
    """Every count of a tally by its definition, one pathway at a time."""
    t = Tally(period=period, as_of=as_of)
    start, end = period.start, period.end

    def within(on: dt.date | None) -> bool:
        return on is not None and start <= on <= end

    for whole in pathways:
        p = as_of_view(whole, as_of)
        if p is None:
            t.not_yet_known += 1
            continue
        cutoff = min(end, as_of)
        programme = p.programme
        t.programmes[programme.id] = (programme.name, programme.referent_fte_on(cutoff))
        for referent in programme.referents:
            if referent.fte_days(start, cutoff):
                t.fte_days[programme.id, referent.id] = referent.fte_days(start, cutoff)
        t.pathways += 1
        referral_on = p.referral.on
        if within(referral_on):
            t.referrals += 1
            refused = r.NotTakenOnReason.FAMILY_REFUSED
            refusal = p.not_taken_on is not None and p.not_taken_on.reason is refused
            t.refusals += refusal
            t.families[p.family.id] = t.families.get(p.family.id, False) or refusal
            t.referrals_by_source[p.referral.source] += 1
        consent_on = p.consents[0].on if p.consents else None
        if within(consent_on):
            t.delays["referral_to_consent"][(consent_on - referral_on).days] += 1
        if p.handover is not None and within(p.handover.on):
            t.handovers[p.handover.recipient] += 1
        if p.admission is None:
            continue
        admitted_on = p.admission.on
        if within(admitted_on):
            t.entries += 1
            if consent_on is not None:
                t.delays["consent_to_decision"][(admitted_on - consent_on).days] += 1
        if within(p.started_on):
            t.delays["decision_to_start"][(p.started_on - admitted_on).days] += 1
        span_end = as_of if p.ended_on is None else p.ended_on
        if p.exit is not None and within(p.exit.on):
            t.exits += 1
            t.attainment[p.exit.attainment] += 1
            t.exit_reasons[p.exit.reason] += 1
            if p.exit.satisfactory_evolution is not None:
                t.evolution_assessed += 1
                t.evolution_satisfactory += p.exit.satisfactory_evolution
            t.durations[whole_months(admitted_on, p.exit.on)] += 1
            t.exit_days[(p.exit.on - admitted_on).days] += 1
        if p.state in IN_PROGRESS:
            last = max((rv.on for rv in p.reviews), default=p.started_on)
            interval = p.programme.rules.at(as_of).review_interval_months
            t.in_progress += 1
            t.overdue += last + relativedelta(months=interval) < as_of
        if not (admitted_on <= end and span_end >= start) or p.not_taken_on is not None:
            continue  # never started: never followed
        # each day followed in the period, to the referent who had the pathway that day
        # the referent of each day: the latest admission or change on or before it
        changes = [
            (e.on, e.referent_id) for e in p.facts if isinstance(e, r.Admitted | r.ReferentChanged)
        ]
        first, last, had = max(admitted_on, start), min(span_end, cutoff), set()
        for i, (since, referent) in enumerate(changes):
            until = changes[i + 1][0] - dt.timedelta(days=1) if i + 1 < len(changes) else last
            lo, hi = max(since, first), min(until, last)
            days = (hi - lo).days + 1
            if days > 0:
                t.child_days[programme.id, referent] += days
                had.add((programme.id, referent))
                # the days the referent was not in post (day by day, by its definition)
                who = programme.referent(referent)
                out = sum(
                    1
                    for n in range(days)
                    if who is not None and who.fte_on(lo + dt.timedelta(days=n)) == 0
                )
                if out:
                    t.child_days_out_of_post[programme.id, referent] += out
        t.referent_pathways.update(had)
        flags = 0
        for a in p.actions:
            if a.cancelled or a.start > as_of:
                continue
            a_end = span_end if a.end is None else a.end
            if a.start <= end and a_end >= start:
                t.actions += 1
                t.actions_out_of_school += a.timing is r.ActionTiming.OUT_OF_SCHOOL_TIME
                t.funding[a.funding] += 1
                flags |= HAS_ACTION
                if a.kind is r.ActionKind.INDIVIDUAL:
                    flags |= HAS_INDIVIDUAL_ACTION
        at_end = as_of_view(whole, cutoff)  # objectives as they stood on the period's end
        assert at_end is not None
        for o in at_end.objectives:
            if o.status is not r.ObjectiveStatus.DROPPED:
                t.objectives[o.domain] += 1
        child = p.child
        age = age_on(child.birth_date, referral_on) if referral_on >= child.birth_date else 0
        profile = (
            child.commune,
            p.referral.source,
            child.sex,
            AgeBand.of(age),
            child.school_level.group,
            PriorityArea.of(in_qpv=p.eligibility.in_qpv, in_rep=p.eligibility.in_rep),
        )
        facts = (referral_on, p.id, profile, flags)
        known = t.children.get(child.id)
        t.children[child.id] = facts if known is None else _combine(known, facts)
    return t


def renamed(p: r.Pathway, copy: int) -> r.Pathway:
    """A copy of a pathway for another child, replayed under new ids."""
    events = renamed_events(p.history, pathway_id=f"{p.id}-{copy}", child_id=f"{p.child.id}-{copy}")
    return r.replay(events, programme=p.programme)


@given(inputs())
def test_the_tally_equals_the_plain_definition(drawn):
    cohort, period, as_of = drawn
    assert Tally(period=period, as_of=as_of).add_all(cohort) == reference_tally(
        cohort, period, as_of
    )


@given(inputs(), st.data())
def test_adding_one_by_one_or_in_any_chunks_gives_the_same_tally(drawn, data):
    cohort, period, as_of = drawn
    whole = Tally(period=period, as_of=as_of).add_all(cohort)
    one_by_one = Tally(period=period, as_of=as_of)
    for p in cohort:
        one_by_one.add(p)
    assert one_by_one == whole
    chunk = data.draw(st.integers(1, 3))
    chunked = Tally(period=period, as_of=as_of)
    for a in range(0, len(cohort), chunk):
        chunked.add_all(iter(cohort[a : a + chunk]))
    assert chunked == whole


def test_more_pathways_than_a_chunk_are_all_counted():
    cohort = [
        followed(f"p-{i}", D(2017, 10, 2), child=f"enf-{i}", exit_on=D(2018, 5, 2))
        for i in range(3)
    ]
    many = [renamed(p, copy) for copy, p in itertools.product(range(_CHUNK // 3 + 2), cohort)]
    assert len(many) > _CHUNK
    tally = Tally(period=SY17, as_of=D(2019, 12, 31)).add_all(x for x in many)
    assert (tally.pathways, tally.exits, len(tally.children)) == (len(many),) * 3
    assert tally == reference_tally(many, SY17, D(2019, 12, 31))


def band(birth: dt.date, on: dt.date) -> str:
    return _BAND_BY_CUTOFF[bisect_left(_age_cutoffs(on), birth)]


@given(st.dates(D(1900, 1, 1), D(2199, 12, 31)), st.dates(D(1916, 1, 1), D(2199, 12, 31)))
def test_age_bands_by_cutoff_dates_are_the_bands_of_the_age(birth, on):
    age = age_on(birth, on) if on >= birth else 0
    assert band(birth, on) == AgeBand.of(age).value


@pytest.mark.parametrize("on", [D(2016, 2, 29), D(2017, 2, 28), D(2017, 3, 1), D(2020, 2, 29)])
@pytest.mark.parametrize("years", [2, 6, 11, 16])
def test_age_bands_around_29_february(on, years):
    first = on.replace(year=on.year - years, day=1)
    for birth in (first + dt.timedelta(days=d) for d in range(-3, 40)):
        age = age_on(birth, on) if on >= birth else 0
        assert band(birth, on) == AgeBand.of(age).value, birth


def test_the_profile_tables_give_the_codes_of_the_definitions():
    assert {level: level.group.value for level in r.SchoolLevel} == _GROUP_OF_LEVEL
    for qpv, rep in itertools.product((False, True), repeat=2):
        assert PriorityArea.of(in_qpv=qpv, in_rep=rep).value == _AREA_OF[qpv][rep]
    for member in (*r.ReferralSource, *r.Sex):
        assert type(_CODE[member]) is str
        assert _CODE[member] == member.value
    assert all(type(code) is str for code in (*_BAND_BY_CUTOFF, *_GROUP_OF_LEVEL.values()))


def test_the_facts_kept_per_child_are_left_alone_by_the_garbage_collector():
    tally = Tally(period=SY17, as_of=D(2019, 12, 31)).add_all([followed("p-1", D(2017, 10, 2))])
    gc.collect()
    facts = tally.children["enf-1"]
    assert all(type(code) is str for code in facts[2])
    assert not gc.is_tracked(facts)


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (D(2017, 9, 2), AgeBand.UNDER_2),  # born on the referral day (2 Sept.)
        (D(2015, 9, 2), AgeBand.FROM_2_TO_5),  # two on the referral day
        (D(2015, 9, 3), AgeBand.UNDER_2),  # two the next day
        (D(1995, 1, 1), AgeBand.FROM_16),  # older than the table
    ],
)
def test_age_bands_at_the_edges(birth, expected):
    # an age outside the criteria needs a derogation at admission
    events = list(followed("p-1", D(2017, 10, 2)).history)
    events[0] = attrs.evolve(events[0], child=attrs.evolve(events[0].child, birth_date=birth))
    events = [
        attrs.evolve(e, decision=attrs.evolve(e.decision, derogation="Fratrie suivie"))
        if isinstance(e, r.Admitted)
        else e
        for e in events
    ]
    p = r.replay(events, programme=PROGRAMME)
    tally = Tally(period=SY17, as_of=D(2019, 12, 31)).add_all([p])
    assert tally.children["enf-1"][2][3] == expected
    assert tally == reference_tally([p], SY17, D(2019, 12, 31))


def test_a_pathway_counted_twice_is_refused_in_one_call_or_across_calls():
    good = followed("p-1", D(2017, 10, 2))
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        Tally(period=SY17, as_of=D(2019, 12, 31)).add_all([good, good])
    tally = Tally(period=SY17, as_of=D(2019, 12, 31))
    tally.add(good)
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        tally.add(good)
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        tally.merge(tally)


def test_a_pathway_counted_again_leaves_the_other_children_of_its_chunk_counted():
    first, second = followed("p-1", D(2017, 10, 2)), followed("p-2", D(2017, 10, 2), child="enf-2")
    tally = Tally(period=SY17, as_of=D(2019, 12, 31))
    tally.add(first)
    with pytest.raises(r.RegisterConflict, match="R-UNIQUE-PATHWAY"):
        tally.add_all([second, first])
    assert tally == reference_tally([first, second], SY17, D(2019, 12, 31))
    assert len(tally.register or ()) == 2


def test_a_tally_without_its_register_counts_what_it_is_given_and_merges_without_one():
    first = followed("p-1", D(2017, 10, 2))
    unchecked = Tally(period=SY17, as_of=D(2019, 12, 31), register=None).add_all([first])
    assert unchecked == reference_tally([first], SY17, D(2019, 12, 31))
    checked = Tally(period=SY17, as_of=D(2019, 12, 31)).add_all(
        [followed("p-2", D(2017, 10, 2), child="enf-2")]
    )
    assert checked.merge(unchecked).register is None
    assert checked.merge(Tally(period=SY17, as_of=D(2019, 12, 31))).register is not None


def test_an_item_that_is_not_a_pathway_is_refused_and_those_before_it_stay_counted():
    tally = Tally(period=SY17, as_of=D(2019, 12, 31))
    with pytest.raises(r.InvalidValue, match=r"annual_report\.pathways"):
        tally.add_all([followed("p-1", D(2017, 10, 2)), "p-2"])
    assert tally == reference_tally([followed("p-1", D(2017, 10, 2))], SY17, D(2019, 12, 31))


def with_second_objective(
    p: r.Pathway, set_on: dt.date, updates: list[tuple[dt.date, str, r.ObjectiveStatus]]
) -> r.Pathway:
    """``p`` with a second objective set on ``set_on``, then objectives updated as said."""
    health = r.Objective(id="obj-2", domain=r.ObjectiveDomain.HEALTH, label="Dormir")
    extra = [
        r.ObjectiveSet(on=set_on, objective=health),
        *(
            r.ObjectiveUpdated(on=on, objective_id=oid, status=status)
            for on, oid, status in updates
        ),
    ]
    events = list(p.history)
    for event in extra:  # after the events of the same day or earlier
        at = next((i for i, e in enumerate(events) if e.on > event.on), len(events))
        events.insert(at, event)
    return r.replay(events, programme=p.programme)


DROPPED, WORKING, MET = (
    r.ObjectiveStatus.DROPPED,
    r.ObjectiveStatus.IN_PROGRESS,
    r.ObjectiveStatus.MET,
)


@pytest.mark.parametrize(
    "as_of",
    [D(2017, 10, 20), D(2017, 12, 1), D(2018, 1, 20), D(2018, 3, 1), D(2018, 5, 2), D(2019, 1, 1)],
)
def test_objectives_read_as_of_a_date_whatever_their_updates(as_of):
    base = followed("p-1", D(2017, 10, 2), exit_on=D(2018, 5, 2))
    updates = [
        (D(2017, 11, 15), "obj-2", DROPPED),
        (D(2018, 1, 10), "obj-2", WORKING),
        (D(2018, 1, 15), "obj-1", WORKING),
        (D(2018, 2, 1), "obj-2", MET),
    ]
    p = with_second_objective(base, D(2017, 11, 2), updates)
    tally = Tally(period=SY17, as_of=as_of).add_all([p])
    assert tally == reference_tally([p], SY17, as_of)


def test_a_dropped_objective_is_not_counted():
    base = followed("p-1", D(2017, 10, 2))
    p = with_second_objective(base, D(2017, 11, 2), [(D(2018, 3, 1), "obj-1", DROPPED)])
    for as_of, domains in (
        (D(2018, 2, 1), {"school": 1, "health": 1}),
        (D(2018, 6, 1), {"health": 1}),
    ):
        tally = Tally(period=SY17, as_of=as_of).add_all([p])
        assert tally == reference_tally([p], SY17, as_of)
        assert tally.objectives == domains
