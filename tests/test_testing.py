"""The stateful test kit: PathwayMachine runs clean, and catches systems that disagree."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

import reussite as r
from conftest import consent, make_programme, referred, scaled, to_state
from reussite.testing import PathwayMachine

PROGRAMME = make_programme()

TestPathwayMachine = PathwayMachine.TestCase


def test_the_machine_passes_every_health_check():
    # TestCase suppresses the health checks; run once more with them all on.
    checked = settings(stateful_step_count=20, suppress_health_check=())
    assert not checked.suppress_health_check
    run_state_machine_as_test(PathwayMachine, settings=checked)


class FixedProgramme(PathwayMachine):
    programme = PROGRAMME
    opening_events = 0


def test_a_machine_with_its_own_programme_and_no_opening_history():
    seen = []

    class Watched(FixedProgramme):
        def record(self, pathway_before, event, pathway_after):
            seen.append((pathway_before, event, pathway_after))
            assert pathway_after.programme is PROGRAMME

    run_state_machine_as_test(
        Watched, settings=settings(max_examples=10, stateful_step_count=15, database=None)
    )
    assert seen
    assert all(isinstance(e, r.Referred) == (b is None) for b, e, _ in seen)
    assert all(a == (r.apply(b, e) if b else a) for b, e, a in seen)


# --- systems that disagree are caught ------------------------------------------------------

QUICK = settings(
    max_examples=scaled(300),
    stateful_step_count=30,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


class Stored(PathwayMachine):
    programme = PROGRAMME

    def __init__(self):
        super().__init__()
        self.stored = {}

    def keep(self, event, pathway):
        self.stored[pathway.id] = pathway

    def record(self, pathway_before, event, pathway_after):
        self.keep(event, pathway_after)

    def read_back(self, pathway_id):
        return self.stored.get(pathway_id)


class ForgetsWithdrawals(Stored):
    def keep(self, event, pathway):
        if not isinstance(event, r.ConsentWithdrawn):
            super().keep(event, pathway)


class IgnoresReferentChanges(Stored):
    def keep(self, event, pathway):
        if isinstance(event, r.ReferentChanged):
            pathway = attrs.evolve(pathway, referent_id=self.stored[pathway.id].referent_id)
        super().keep(event, pathway)


class OverwritesByChild(Stored):
    """Keys pathways by child: a re-entry overwrites the earlier pathway."""

    def keep(self, event, pathway):
        for other in list(self.stored):
            if self.stored[other].child.id == pathway.child.id:
                self.stored[other] = pathway
        super().keep(event, pathway)


@pytest.mark.parametrize(
    ("machine", "disagreement"),
    [
        (ForgetsWithdrawals, r"after consent_withdrawn[^\n]*\n  state: library"),
        (IgnoresReferentChanges, r"after referent_changed[^\n]*\n  referent_id: library"),
        (OverwritesByChild, r"\n  state: library <State\.\w+: '\w+'>, system <State\.REFERRED"),
    ],
    ids=["forgets withdrawals", "ignores referent changes", "overwrites by child"],
)
def test_a_system_that_disagrees_is_caught(machine, disagreement):
    with pytest.raises(AssertionError, match=disagreement) as caught:
        run_state_machine_as_test(machine, settings=QUICK)
    report = _report(caught.value)
    assert any(line.startswith("state.start(") for line in report)
    for line in report:  # each step and each event of the opening history on one line
        assert line.count("(") == line.count(")"), line


def _report(error):
    """The lines Hypothesis attaches to a failure: the steps of the counterexample."""
    return "\n".join(getattr(error, "__notes__", ())).splitlines()


@pytest.mark.usefixtures("untraced")  # shrinking re-runs the steps thousands of times
def test_the_counterexample_shrinks_to_the_few_steps_that_matter():
    class Forgetful(ForgetsWithdrawals):
        opening_events = 0

    shrinking = settings(
        QUICK, max_examples=100, phases=[Phase.generate, Phase.shrink], stateful_step_count=6
    )
    with pytest.raises(AssertionError, match="after consent_withdrawn") as caught:
        run_state_machine_as_test(Forgetful, settings=shrinking)
    events = [line for line in _report(caught.value) if "(event=" in line]
    assert 2 <= len(events) <= 6
    assert events[0].startswith("state.consent_given(event=ConsentGiven(consent=Consent(")
    assert events[-1].startswith("state.consent_withdrawn(event=ConsentWithdrawn(on=")
    assert "on=datetime.date(2010, " in events[-1]  # dates shrink towards the earliest


# --- the hooks' defaults --------------------------------------------------------------------


def test_assert_agrees_passes_on_the_same_pathway_and_lists_every_difference():
    machine = PathwayMachine()
    p = to_state(PROGRAMME, r.State.ACTIVE)
    machine.assert_agrees(p, r.replay(p.history, programme=PROGRAMME))
    stale = r.replay(p.history[:-1], programme=PROGRAMME)
    with pytest.raises(AssertionError) as caught:
        machine.assert_agrees(p, stale)
    message = str(caught.value)
    assert message.startswith("the system disagrees with the library on pathway 'p-1' after ")
    assert "version: library 7, system 6" in message
    assert "actions: library" in message
    assert "state:" not in message
    with pytest.raises(AssertionError, match="has no pathway 'p-1'"):
        machine.assert_agrees(p, None)
    with pytest.raises(AssertionError, match="override assert_agrees"):
        machine.assert_agrees(p, {"state": "active"})


def test_read_back_defaults_to_the_library_and_record_to_nothing():
    machine = PathwayMachine()
    p = r.open_pathway(PROGRAMME, referred())
    after = r.apply(p, consent())
    assert machine.record(p, consent(), after) is None
    machine.pathways[after.id] = after
    assert machine.read_back(after.id) is after
