"""The stateful test kit: PathwayMachine runs clean, and catches systems that disagree."""

from __future__ import annotations

import re
import types

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
        (OverwritesByChild, r"\n  id: library '([\w-]+)', system '\1-2'\n"),
    ],
    ids=["forgets withdrawals", "ignores referent changes", "overwrites by child"],
)
def test_a_system_that_disagrees_is_caught(machine, disagreement):
    with pytest.raises(AssertionError, match=disagreement) as caught:
        run_state_machine_as_test(machine, settings=QUICK)
    report = _report(caught.value)
    assert any(line.startswith("state.start(") for line in report)
    for line in report:  # each step and each event of an opening walk on one line
        event = re.sub(r"^(state\.\w+\(events=\[|Draw \d+ \([\w ]+\): \[| )", "", line)
        event = re.sub(r"(\]\)|\]|,)$", "", event)
        assert event.count("(") == event.count(")"), line


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
    report = _report(caught.value)
    steps = [line for line in report if "(event=" in line]
    assert steps[-1].startswith("state.consent_withdrawn(event=ConsentWithdrawn(on=")
    assert "on=datetime.date(2010, " in steps[-1]  # dates shrink towards the earliest
    # The opening walk and the steps: a referral, a consent, its withdrawal, little else.
    text = "\n".join(report)
    names = "|".join(t.__name__ for t in r.EVENT_TYPES.values())
    events = [m.group(1) for m in re.finditer(rf"\b({names})\(", text)]
    assert events[0] == "Referred"
    assert events.index("ConsentGiven") < events.index("ConsentWithdrawn")
    assert 3 <= len(events) <= 7, events


# --- the hooks' defaults --------------------------------------------------------------------


def test_assert_agrees_passes_on_the_same_pathway_and_lists_every_difference():
    machine = PathwayMachine()
    p = to_state(PROGRAMME, r.State.ACTIVE)
    machine.assert_agrees(p, r.replay(p.history, programme=PROGRAMME))
    stale = r.replay(p.history[:-1], programme=PROGRAMME)
    with pytest.raises(AssertionError) as caught:
        machine.assert_agrees(p, stale)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("the system disagrees with the library on pathway 'p-1' after ")
    assert lines[1] == "  version: library 7, system 6"
    assert "  actions: library 1 items, system 0" in lines
    assert any(line.startswith("  actions[0]: library Action(id='act-1'") for line in lines)
    assert any(line.startswith("  history[6]: library ActionPlanned(") for line in lines)
    assert not any(line.startswith("  state:") for line in lines)
    with pytest.raises(AssertionError, match="has no pathway 'p-1'"):
        machine.assert_agrees(p, None)


def test_a_difference_is_shown_down_to_the_field_that_differs():
    p = to_state(PROGRAMME, r.State.ACTIVE)
    wrong = attrs.evolve(p.objectives[0], label="lire")
    changed = attrs.evolve(p, objectives=(wrong, *p.objectives[1:]), referent_id="ref-b")
    with pytest.raises(AssertionError) as caught:
        PathwayMachine().assert_agrees(p, changed)
    lines = str(caught.value).splitlines()[1:]
    assert lines == [
        f"  referent_id: library {p.referent_id!r}, system 'ref-b'",
        f"  objectives[0].label: library {p.objectives[0].label!r}, system 'lire'",
    ]


def test_a_long_failure_is_cut_and_counts_what_it_leaves_out():
    p = to_state(PROGRAMME, r.State.ACTIVE)
    nothing_right = types.SimpleNamespace(**dict.fromkeys(PathwayMachine.compared, "?"))
    with pytest.raises(AssertionError) as caught:
        PathwayMachine().assert_agrees(p, nothing_right)
    lines = str(caught.value).splitlines()
    assert len(lines) == 1 + 12 + 1
    assert lines[-1] == f"  ... and {len(PathwayMachine.compared) - 12} more differences"
    assert all(len(line) < 200 for line in lines)  # long values are cut


class SummaryRow(PathwayMachine):
    """A system that keeps a summary row per pathway: a partial view."""

    compared = ("state", "version", "referent_id", "exit")

    def read_back(self, pathway_id):
        p = self.pathways[pathway_id]
        return {"state": p.state, "version": p.version, "referent_id": None, "exit": p.exit}


def test_a_partial_view_is_compared_on_the_parts_it_declares_and_on_all_of_them():
    p = to_state(PROGRAMME, r.State.ACTIVE)
    machine = SummaryRow()
    machine.pathways[p.id] = p
    with pytest.raises(AssertionError) as caught:
        machine.assert_agrees(p, machine.read_back(p.id))
    assert str(caught.value).splitlines()[1:] == [
        f"  referent_id: library {p.referent_id!r}, system None"
    ]
    row = {"state": p.state, "version": p.version, "referent_id": p.referent_id, "exit": None}
    machine.assert_agrees(p, row)  # the history, the actions... are not kept: not compared
    with pytest.raises(AssertionError, match=r"\(dict\) has no 'exit': return it from read_back"):
        machine.assert_agrees(p, {k: v for k, v in row.items() if k != "exit"})


@pytest.mark.parametrize(
    ("compared", "unknown"),
    [(("state", "exitt"), "unknown: exitt"), ((), ""), (("state", "state"), ""), ("state", "")],
)
def test_a_machine_that_declares_unknown_parts_is_refused_when_defined(compared, unknown):
    with pytest.raises(
        r.InvalidValue, match=r"PathwayMachine\.compared: expected a non-empty"
    ) as e:
        type("Typo", (PathwayMachine,), {"compared": compared})
    assert unknown in str(e.value)


def test_every_part_is_comparable_and_compared_by_default():
    from reussite.testing import COMPARABLE, WHOLE_PATHWAY

    fields = {a.name for a in attrs.fields(r.Pathway)}
    assert set(WHOLE_PATHWAY) == fields | {"version"}
    assert WHOLE_PATHWAY[:2] == ("state", "version")
    assert fields | {"version", "started", "ended_on", "suspended_since"} <= set(COMPARABLE)
    assert PathwayMachine.compared == WHOLE_PATHWAY


def test_a_system_that_cannot_read_back_fails_with_the_pathway_and_the_error():
    class Broken(FixedProgramme):
        def read_back(self, pathway_id):
            raise KeyError(pathway_id)

    with pytest.raises(AssertionError, match=r"could not read pathway 'p-[\w-]+' back after ") as e:
        run_state_machine_as_test(Broken, settings=QUICK)
    assert isinstance(e.value.__cause__, KeyError)


def test_read_back_defaults_to_the_library_and_record_to_nothing():
    machine = PathwayMachine()
    p = r.open_pathway(PROGRAMME, referred())
    after = r.apply(p, consent())
    assert machine.record(p, consent(), after) is None
    machine.pathways[after.id] = after
    assert machine.read_back(after.id) is after
