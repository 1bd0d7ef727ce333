from __future__ import annotations

import collections
import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from conftest import D, make_programme, referred, to_state
from reussite.privacy import (
    EXAMPLE_SCHEDULE,
    QUASI_IDENTIFIERS,
    Phase,
    RetentionPeriod,
    RetentionSchedule,
    RetentionStart,
    Sensitivity,
    Tombstone,
    anonymise,
    catalogue,
    categories_held,
    coarsen,
    last_contact_on,
    purge,
    purge_cohort,
    purge_on,
    retention_due,
    retention_start,
    retention_starts,
)
from reussite.privacy._retention import ActionTrace, ObjectiveTrace
from reussite.serialization import load_cohort
from reussite.strategies import cohorts, pathways
from test_privacy_marks import ID_MARK, TEXT_MARK, marked_pathway

FINALS = [r.State.CLOSED, r.State.HANDED_OVER, r.State.NOT_TAKEN_ON]


def schedule(**changes: RetentionPeriod) -> RetentionSchedule:
    return attrs.evolve(EXAMPLE_SCHEDULE, name="test", **changes)


def closed_pathway() -> r.Pathway:
    p = to_state(make_programme(), r.State.EXIT_PROPOSED)
    return r.apply(
        p,
        r.ExitValidated(
            decision=r.TeamDecision(
                team_id="eps-salon", on=D(2018, 6, 15), members_present=("coord", "ien")
            ),
            attainment=r.Attainment.NONE,
            satisfactory_evolution=True,
        ),
    )


def test_the_three_phases_follow_the_exit():
    p = closed_pathway()
    s = schedule(health=RetentionPeriod(active_months=6, archive_months=12))
    assert p.ended_on == D(2018, 6, 15)
    assert s.phase("health", p.ended_on, D(2018, 12, 14)) is Phase.ACTIVE
    assert s.phase("health", p.ended_on, D(2018, 12, 15)) is Phase.INTERMEDIATE
    assert s.phase(Sensitivity.HEALTH, p.ended_on, D(2019, 12, 14)) is Phase.INTERMEDIATE
    assert s.phase("health", p.ended_on, D(2019, 12, 15)) is Phase.PURGE
    assert s.phase("health", None, D(2099, 1, 1)) is Phase.ACTIVE
    due = retention_due([p], D(2019, 12, 15), s)
    assert [(d.category, d.phase, d.since) for d in due] == [
        (Sensitivity.HEALTH, Phase.PURGE, D(2019, 12, 15))
    ]
    later = retention_due([p], D(2020, 6, 15), s)
    assert {d.category for d in later} == set(Sensitivity)
    assert {d.phase for d in later if d.category is not Sensitivity.HEALTH} == {Phase.INTERMEDIATE}
    assert all(d.pathway_id == "p-1" for d in later)


@given(st.sampled_from(list(r.State)).flatmap(lambda s: pathways(state=s)), st.integers(0, 9000))
def test_retention_lists_only_ended_pathways_past_their_active_phase(pathway, days):
    as_of = pathway.last_event_on + dt.timedelta(days=days)
    due = retention_due([pathway], as_of, EXAMPLE_SCHEDULE)
    if pathway.is_open:
        assert due == ()
        return
    start = retention_start(pathway)
    assert start is not None
    assert start <= pathway.ended_on <= pathway.last_event_on
    for item in due:
        period = EXAMPLE_SCHEDULE.period(item.category)
        assert item.clock_from == start
        assert item.since <= as_of
        assert item.since >= period.archive_on(start) > start or period.active_months == 0
        assert item.phase is EXAMPLE_SCHEDULE.phase(item.category, start, as_of)
    listed = {d.category for d in due}
    for category in set(Sensitivity) - listed:
        assert EXAMPLE_SCHEDULE.phase(category, start, as_of) is Phase.ACTIVE


@given(st.sampled_from(FINALS).flatmap(lambda s: pathways(state=s)))
def test_purge_keeps_no_name_note_id_or_birth_date(pathway):
    marked = marked_pathway(pathway)
    tombstone = purge(marked, schedule=EXAMPLE_SCHEDULE)
    if pathway.state is r.State.HANDED_OVER:  # child protection is not kept: no trace
        assert tombstone is None
        return
    assert tombstone is not None
    shown = repr(tombstone)
    assert TEXT_MARK not in shown
    assert ID_MARK not in shown
    assert repr(marked.child.birth_date) not in shown
    assert marked.child.birth_date.isoformat() not in shown
    assert tombstone.state is pathway.state
    ended = pathway.ended_on
    assert ended is not None
    assert tombstone.end_period == f"{ended.year:04d}-{ended.month:02d}"
    assert tombstone.commune == pathway.child.commune
    assert len(tombstone.actions) == len(pathway.actions)
    assert tombstone.attainment == (pathway.exit.attainment if pathway.exit else None)
    _holds_no_health_nor_child_protection(tombstone)


def _holds_no_health_nor_child_protection(tombstone: Tombstone) -> None:
    entries = {(e.owner, e.field): e for e in catalogue([Tombstone, ObjectiveTrace, ActionTrace])}
    for value, owner in [
        (tombstone, Tombstone),
        *((o, ObjectiveTrace) for o in tombstone.objectives),
    ]:
        for field in attrs.fields(owner):
            current = getattr(value, field.name)
            for item in current if isinstance(current, tuple) else (current,):
                if item is None or attrs.has(type(item)) or field.name == "purged":
                    continue
                revealed = entries[(owner, field.name)].reveals(item)
                assert revealed not in (Sensitivity.HEALTH, Sensitivity.CHILD_PROTECTION), (
                    f"{owner.__name__}.{field.name}={item!r}"
                )


def test_tombstone_fields_are_catalogued_and_none_is_a_direct_identifier():
    entries = catalogue([Tombstone, ObjectiveTrace, ActionTrace])
    assert len(entries) == sum(
        len(attrs.fields(t)) for t in (Tombstone, ObjectiveTrace, ActionTrace)
    )
    assert Sensitivity.DIRECT_IDENTIFIER not in {e.category for e in entries}
    quasi = {
        e.field
        for e in entries
        if e.owner is Tombstone and e.category in (Sensitivity.QUASI_IDENTIFIER, Sensitivity.SCHOOL)
    }
    assert quasi <= set(QUASI_IDENTIFIERS)


def test_only_an_ended_pathway_can_be_purged():
    with pytest.raises(r.InvalidValue, match=r"a pathway that has ended"):
        purge(to_state(make_programme(), r.State.ACTIVE), schedule=EXAMPLE_SCHEDULE)
    with pytest.raises(r.InvalidValue, match=r"purge.pathway: expected a Pathway"):
        purge("p-1", schedule=EXAMPLE_SCHEDULE)  # type: ignore[arg-type]
    with pytest.raises(r.InvalidValue, match=r"purge.schedule"):
        purge(closed_pathway(), schedule=None)  # type: ignore[arg-type]


def test_schedules_are_checked():
    with pytest.raises(r.InvalidValue, match=r"RetentionPeriod.active_months"):
        RetentionPeriod(active_months=-1, archive_months=0)
    with pytest.raises(r.InvalidValue, match=r"RetentionSchedule.health"):
        schedule(health=12)  # type: ignore[arg-type]
    with pytest.raises(r.InvalidValue, match=r"RetentionSchedule.category"):
        EXAMPLE_SCHEDULE.period("forever")
    with pytest.raises(r.InvalidValue, match=r"retention_due.schedule"):
        retention_due([], D(2020, 1, 1), {"health": 12})  # type: ignore[arg-type]
    with pytest.raises(r.InvalidValue, match=r"retention_due.as_of"):
        retention_due([], "2020-01-01", EXAMPLE_SCHEDULE)  # type: ignore[arg-type]
    with pytest.raises(r.InvalidValue, match=r"RetentionSchedule.statistics: expected categories"):
        schedule(statistics=(Sensitivity.ORDINARY, Sensitivity.DIRECT_IDENTIFIER))
    with pytest.raises(r.InvalidValue, match=r"RetentionSchedule.statistics: expected categories"):
        schedule(statistics=(Sensitivity.SCHOOL,))


def test_the_example_schedule_is_named_as_an_example():
    assert "exemple" in EXAMPLE_SCHEDULE.name
    assert EXAMPLE_SCHEDULE.period("health").purge_on(D(2020, 1, 31)) == D(2023, 1, 31)


# --- issue 21: the clock, chains, per-category purge and anonymous traces ------------------


def lost_then_closed() -> r.Pathway:
    """Contact lost on 2018-01-10, exit validated on 2018-06-15 (the issue's case)."""
    p = to_state(make_programme(), r.State.ACTIVE)
    p = r.apply(p, r.ContactLost(on=D(2018, 1, 10)))
    return r.apply(
        p,
        r.ExitValidated(
            decision=r.TeamDecision(
                team_id="eps-salon", on=D(2018, 6, 15), members_present=("coord", "ien")
            ),
            attainment=r.Attainment.NONE,
            satisfactory_evolution=False,
        ),
    )


def test_the_clock_starts_at_the_last_contact_by_default():
    p = lost_then_closed()
    assert p.ended_on == D(2018, 6, 15)
    assert last_contact_on(p) == D(2018, 1, 10)
    assert retention_start(p) == D(2018, 1, 10)
    assert retention_start(p, RetentionStart.END) == D(2018, 6, 15)
    assert EXAMPLE_SCHEDULE.starts_from is RetentionStart.LAST_CONTACT
    (first, *_) = retention_due([p], D(2019, 1, 10), EXAMPLE_SCHEDULE)
    assert (first.category, first.phase, first.since) == (
        Sensitivity.HEALTH,
        Phase.INTERMEDIATE,
        D(2019, 1, 10),
    )
    at_the_end = attrs.evolve(EXAMPLE_SCHEDULE, starts_from=RetentionStart.END)
    assert retention_due([p], D(2019, 1, 10), at_the_end) == ()


def test_a_contact_regained_moves_the_last_contact():
    p = to_state(make_programme(), r.State.ACTIVE)
    p = r.apply(p, r.ContactLost(on=D(2018, 1, 10)))
    p = r.apply(
        p,
        r.ExitRejected(
            decision=r.TeamDecision(
                team_id="eps-salon", on=D(2018, 1, 20), members_present=("coord", "ien")
            )
        ),
    )
    p = r.apply(p, r.Reviewed(review=r.Review(on=D(2018, 2, 1), summary="La famille revient")))
    p = r.apply(p, r.ConsentWithdrawn(on=D(2018, 3, 1), by="g-1"))
    assert p.contact_lost_on == D(2018, 1, 10)
    assert last_contact_on(p) == D(2018, 3, 1)


def reentry_chain() -> tuple[r.Pathway, r.Pathway]:
    """A first pathway closed on 2018-06-15, and the child's re-entry, still open."""
    first = closed_pathway()
    second = r.open_pathway(
        make_programme(),
        attrs.evolve(referred(on=D(2018, 9, 10)), pathway_id="p-2", previous_pathway_id="p-1"),
    )
    return first, second


def test_a_chain_is_purged_whole_and_never_while_one_of_it_is_open():
    first, second = reentry_chain()
    far = D(2040, 1, 1)
    assert retention_starts([first, second]) == {"p-1": None, "p-2": None}
    assert retention_due([first, second], far, EXAMPLE_SCHEDULE) == ()
    done = purge_cohort([first, second], as_of=far, schedule=EXAMPLE_SCHEDULE, k=2)
    assert done.purged_ids == ()
    assert done.kept == (first, second)
    closed = r.apply(second, r.FamilyRefused(on=D(2018, 9, 20)))
    starts = retention_starts([first, closed])
    assert starts == {"p-1": D(2018, 9, 20), "p-2": D(2018, 9, 20)}  # the chain's latest
    alone = purge_cohort([first], as_of=D(2023, 6, 15), schedule=EXAMPLE_SCHEDULE, k=2)
    assert alone.purged_ids == ("p-1",)
    together = purge_cohort([first, closed], as_of=D(2023, 6, 15), schedule=EXAMPLE_SCHEDULE, k=2)
    assert together.purged_ids == ()
    later = purge_cohort([first, closed], as_of=D(2023, 9, 20), schedule=EXAMPLE_SCHEDULE, k=2)
    assert later.purged_ids == ("p-1", "p-2")


def test_each_category_is_purged_on_its_own_schedule():
    plain = closed_pathway()
    health = r.replay(
        [
            attrs.evolve(
                plain.history[0],
                referral=attrs.evolve(
                    plain.referral,
                    source=r.ReferralSource.PMI,
                    reasons=(r.ReferralReason.PSYCHOLOGICAL,),
                ),
            ),
            *plain.history[1:],
        ],
        programme=plain.programme,
    )
    assert Sensitivity.HEALTH in categories_held(health)
    assert Sensitivity.HEALTH not in categories_held(plain)
    start = D(2018, 6, 15)
    assert purge_on(health, start, EXAMPLE_SCHEDULE) == D(2021, 6, 15)  # health: 1 + 2 years
    assert purge_on(plain, start, EXAMPLE_SCHEDULE) == D(2023, 6, 15)  # the rest: 2 + 3
    both = [attrs.evolve(plain, id="p-a"), attrs.evolve(health, id="p-b")]
    # distinct children, so that they are not one chain
    both = [attrs.evolve(p, child=attrs.evolve(p.child, id=f"enf-{i}")) for i, p in enumerate(both)]
    mid = purge_cohort(both, as_of=D(2021, 6, 15), schedule=EXAMPLE_SCHEDULE, k=2, max_suppressed=1)
    assert mid.purged_ids == ("p-b",)
    trace = purge(health, schedule=EXAMPLE_SCHEDULE)
    assert trace is not None
    assert trace.referral_source is r.ReferralSource.OTHER  # pmi reveals health
    assert trace.referral_reasons == ()  # family situation is not kept by default
    assert Sensitivity.HEALTH in trace.purged
    family = attrs.evolve(
        EXAMPLE_SCHEDULE, statistics=(*EXAMPLE_SCHEDULE.statistics, Sensitivity.FAMILY_SITUATION)
    )
    kept = purge(health, schedule=family)
    assert kept is not None
    assert kept.referral_reasons == (r.ReferralReason.OTHER,)
    assert [o.domain for o in kept.objectives] == [r.ObjectiveDomain.SCHOOL]


def _classes(traces):
    return collections.Counter(tuple(getattr(t, c) for c in QUASI_IDENTIFIERS) for t in traces)


@given(
    cohorts(min_size=1, max_size=25),
    st.integers(2, 6),
    st.sampled_from([0.0, 0.05, 0.2]),
)
def test_no_trace_stands_out_on_its_quasi_identifiers(cohort, k, share):
    done = purge_cohort(
        cohort, as_of=D(2100, 1, 1), schedule=EXAMPLE_SCHEDULE, k=k, max_suppressed=share
    )
    assert all(size >= k for size in _classes(done.traces).values())
    assert len(done.traces) + done.anonymised.suppressed <= len(done.purged_ids)
    assert set(done.purged_ids).isdisjoint(p.id for p in done.kept)
    assert len(done.kept) + len(done.purged_ids) == len(cohort)
    for p in done.kept:  # what is kept is open, or chained to an open pathway
        assert retention_starts(cohort)[p.id] is None
    for trace in done.traces:
        _holds_no_health_nor_child_protection(trace)
    again = anonymise(done.traces, k=k, max_suppressed=share)  # traces read back
    assert again.traces == done.traces
    assert again.suppressed == 0


def test_the_bundled_cohort_purged_leaves_no_trace_alone():
    with load_cohort(r.sample_path("cohort")) as cohort:
        pathways_ = list(cohort)
    raw = [purge(p, schedule=EXAMPLE_SCHEDULE) for p in pathways_ if p.ended_on is not None]
    dated = collections.Counter((t.referral_period, t.end_period) for t in raw if t is not None)
    assert max(dated.values()) > 1  # months already group a few…
    done = purge_cohort(pathways_, as_of=D(2024, 1, 1), schedule=EXAMPLE_SCHEDULE)
    assert len(done.purged_ids) == 192
    assert len(done.kept) == 102
    # 193 pathways ended; par-0004 stays, because its re-entry par-0004-b is active
    assert [p.id for p in done.kept if p.ended_on is not None] == ["par-0004"]
    assert (len(done.traces), done.anonymised.suppressed) == (185, 5)  # 2 handovers: no trace
    assert min(_classes(done.traces).values()) >= 5
    assert done.anonymised.levels["end_period"] == 1  # the school year of the end is kept
    assert {t.end_period for t in done.traces} <= {"2016-2017", "2017-2018", "2018-2019"}


def test_coarsening_climbs_and_never_comes_down():
    assert coarsen("end_period", "2018-08", 1) == "2017-2018"
    assert coarsen("end_period", "2018-09", 1) == "2018-2019"
    assert coarsen("end_period", "2017-2018", 0) == "2017-2018"
    assert coarsen("qpv", "hors-qpv", 2) is None
    assert coarsen("school_level", "lycee", 1) == "lycee"
    assert coarsen("sex", "F", 1) is None
    with pytest.raises(r.InvalidValue, match=r"anonymise\.max_suppressed"):
        anonymise([], max_suppressed=2)
    assert anonymise([]).traces == ()
