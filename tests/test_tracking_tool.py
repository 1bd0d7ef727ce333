"""The example adopter, examples/tracking_tool/, tested with the testing kit."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import tempfile

import pytest
from hypothesis import Phase, given, settings
from hypothesis.stateful import run_state_machine_as_test

import reussite as r
from conftest import consent, make_programme, referred, scaled
from reussite.strategies import histories, invalid_events
from reussite.testing import PathwayMachine

PROGRAMME = make_programme()
STORE = pathlib.Path(__file__).parent.parent / "examples" / "tracking_tool" / "store.py"


def _load_store():
    spec = importlib.util.spec_from_file_location("tracking_tool_store", STORE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


store = _load_store()


# --- the adopter's test: what the README shows ------------------------------------------


class TrackingToolMachine(PathwayMachine):
    programme = PROGRAMME
    tool_class = store.TrackingTool

    def __init__(self):
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.tool = self.tool_class(pathlib.Path(self.folder.name) / "suivi.db", self.programme)

    def record(self, pathway_before, event, pathway_after):
        version = pathway_before.version if pathway_before else None
        self.tool.record(pathway_after.id, event, expected_version=version)

    def read_back(self, pathway_id):
        return self.tool.load(pathway_id)

    def teardown(self):
        self.tool.close()
        self.folder.cleanup()


TestTrackingTool = TrackingToolMachine.TestCase
TestTrackingTool.settings = settings(stateful_step_count=25, deadline=None)
# The searches below drive the example tool (examples/, not measured) through the kit,
# which test_testing.py measures: tracing them for coverage would only double their time.
TestTrackingTool.pytestmark = [pytest.mark.usefixtures("untraced")]


# --- the planted bug is caught -----------------------------------------------------------


class ForgetfulToolMachine(TrackingToolMachine):
    tool_class = store.ForgetfulTrackingTool


# Derandomized, so the search is the same on every run; no shrinking, to stay fast. The
# planted bug and the correct tool go through this very search (30 examples in the
# default profile, the bug being caught within the first dozen; 1,200 in the nightly one: see
# conftest.py).
SEARCH = settings(
    max_examples=scaled(120),
    stateful_step_count=25,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
)


def test_the_kit_catches_a_tool_that_forgets_withdrawals_of_consent():
    with pytest.raises(AssertionError, match=r"after consent_withdrawn") as caught:
        run_state_machine_as_test(ForgetfulToolMachine, settings=SEARCH)
    message = str(caught.value)
    assert "state: library" in message
    assert "\n  consent_withdrawn_on: library datetime.date(" in message


@pytest.mark.usefixtures("untraced")
def test_the_correct_tool_passes_the_same_search():
    run_state_machine_as_test(TrackingToolMachine, settings=SEARCH)


# --- the tool itself ---------------------------------------------------------------------


@pytest.fixture
def tool(tmp_path):
    opened = store.TrackingTool(tmp_path / "suivi.db", PROGRAMME)
    yield opened
    opened.close()


def _store_history(tool, events):
    first = events[0]
    for i, event in enumerate(events):
        pathway = tool.record(first.pathway_id, event, expected_version=i or None)
    return pathway


@settings(max_examples=20, deadline=None)
@given(histories(programme=PROGRAMME, max_events=12))
def test_a_stored_history_survives_closing_the_database(events):
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "suivi.db"
        first = store.TrackingTool(path, PROGRAMME)
        pathway = _store_history(first, events)
        first.close()
        again = store.TrackingTool(path, PROGRAMME)
        try:
            assert again.load(pathway.id) == pathway
            assert again.count_by_state() == {pathway.state.value: 1}
            assert again.pathway_ids(child_id=pathway.child.id) == [pathway.id]
        finally:
            again.close()


@settings(max_examples=20, deadline=None)
@given(invalid_events(programme=PROGRAMME))
def test_the_tool_refuses_what_the_library_refuses_and_stores_nothing(case):
    pathway, event, rule = case
    with tempfile.TemporaryDirectory() as folder:
        tool = store.TrackingTool(pathlib.Path(folder) / "suivi.db", PROGRAMME)
        try:
            _store_history(tool, pathway.history)
            with pytest.raises(r.EventRefused) as refused:
                tool.record(pathway.id, event)
            assert refused.value.rule == rule
            assert tool.load(pathway.id) == pathway
        finally:
            tool.close()


def test_a_stale_version_and_a_second_referral_are_refused(tool):
    events = [referred(), consent()]
    pathway = _store_history(tool, events)
    with pytest.raises(r.VersionConflict):
        tool.record(pathway.id, r.ContactLost(on=pathway.last_event_on), expected_version=1)
    with pytest.raises(r.EventRefused) as refused:
        tool.record(pathway.id, events[0])
    assert refused.value.rule == "R-TRANSITION"
    with pytest.raises(KeyError):
        tool.load("p-unknown")
    assert tool.pathway_ids() == [pathway.id]
