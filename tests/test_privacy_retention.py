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
    Phase,
    RetentionPeriod,
    RetentionSchedule,
    Sensitivity,
    Tombstone,
    catalogue,
    purge,
    retention_due,
)
from reussite.privacy._retention import ActionTrace, ObjectiveTrace
from reussite.strategies import pathways
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
    ended = pathway.ended_on
    assert ended is not None
    for item in due:
        period = EXAMPLE_SCHEDULE.period(item.category)
        assert item.since <= as_of
        assert item.since >= period.archive_on(ended) > ended or period.active_months == 0
        assert item.phase is EXAMPLE_SCHEDULE.phase(item.category, ended, as_of)
    listed = {d.category for d in due}
    for category in set(Sensitivity) - listed:
        assert EXAMPLE_SCHEDULE.phase(category, ended, as_of) is Phase.ACTIVE


@given(st.sampled_from(FINALS).flatmap(lambda s: pathways(state=s)))
def test_purge_keeps_no_name_note_id_or_birth_date(pathway):
    marked = marked_pathway(pathway)
    tombstone = purge(marked)
    shown = repr(tombstone)
    assert TEXT_MARK not in shown
    assert ID_MARK not in shown
    assert repr(marked.child.birth_date) not in shown
    assert tombstone.state is pathway.state
    assert tombstone.ended_on == pathway.ended_on
    assert tombstone.commune == pathway.child.commune
    assert len(tombstone.actions) == len(pathway.actions)
    assert tombstone.attainment == (pathway.exit.attainment if pathway.exit else None)


def test_tombstone_fields_are_catalogued_and_none_is_a_direct_identifier():
    entries = catalogue([Tombstone, ObjectiveTrace, ActionTrace])
    assert len(entries) == sum(
        len(attrs.fields(t)) for t in (Tombstone, ObjectiveTrace, ActionTrace)
    )
    assert Sensitivity.DIRECT_IDENTIFIER not in {e.category for e in entries}


def test_only_an_ended_pathway_can_be_purged():
    with pytest.raises(r.InvalidValue, match=r"a pathway that has ended"):
        purge(to_state(make_programme(), r.State.ACTIVE))
    with pytest.raises(r.InvalidValue, match=r"purge.pathway: expected a Pathway"):
        purge("p-1")  # type: ignore[arg-type]


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


def test_the_example_schedule_is_named_as_an_example():
    assert "exemple" in EXAMPLE_SCHEDULE.name
    assert EXAMPLE_SCHEDULE.period("health").purge_on(D(2020, 1, 31)) == D(2023, 1, 31)
