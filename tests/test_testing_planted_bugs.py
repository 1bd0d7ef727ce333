"""The testing kit proves itself: bugs planted in a reference store, each one caught.

The reference stores are what adopters write: an event log read back by replaying it
(:class:`EventLog`), the latest pathway kept whole (:class:`Snapshots`), and a summary
row that keeps part of it (:class:`SummaryRows`, a partial view declared with
``compared``). Each planted bug is one plausible slip in one of them; ``BUGS`` lists them
all, each with what the failure must say. ``benchmarks/bench_planted_bugs.py`` times the
same bugs at the how-to's settings (``docs/how-to/test-your-tool.md``).

Each search here is derandomized (the same on every run) and stops at the first
failure, without shrinking: the file takes a few seconds.
"""

from __future__ import annotations

import re

import attrs
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

import reussite as r
from conftest import make_programme, scaled
from reussite.testing import PathwayMachine

PROGRAMME = make_programme()


# --- the reference stores -------------------------------------------------------------------


class EventLog:
    """Each accepted event, in order, per pathway; a pathway is read back by replaying them."""

    def __init__(self, programme: r.Programme) -> None:
        self.programme = programme
        self.logs: dict[str, list[r.Event]] = {}

    def save(self, before: r.Pathway | None, event: r.Event, after: r.Pathway) -> None:
        self.logs.setdefault(after.id, []).append(event)

    def events(self, pathway_id: str) -> list[r.Event]:
        return self.logs.get(pathway_id, [])

    def load(self, pathway_id: str) -> r.Pathway | None:
        events = self.events(pathway_id)
        return r.replay(events, programme=self.programme) if events else None


class Snapshots:
    """The latest pathway of each, kept whole (as a document database would keep it)."""

    def __init__(self, programme: r.Programme) -> None:
        self.rows: dict[str, r.Pathway] = {}

    def save(self, before: r.Pathway | None, event: r.Event, after: r.Pathway) -> None:
        self.rows[after.id] = self.kept(before, event, after)

    def kept(self, before: r.Pathway | None, event: r.Event, after: r.Pathway) -> r.Pathway:
        return after

    def load(self, pathway_id: str) -> r.Pathway | None:
        return self.rows.get(pathway_id)


class SummaryRows:
    """One row per pathway for the dashboard: its state, version and referent."""

    def __init__(self, programme: r.Programme) -> None:
        self.rows: dict[str, dict[str, object]] = {}

    def save(self, before: r.Pathway | None, event: r.Event, after: r.Pathway) -> None:
        self.rows[after.id] = {
            "state": after.state,
            "version": after.version,
            "referent_id": after.referent_id,
        }

    def load(self, pathway_id: str) -> dict[str, object] | None:
        return self.rows.get(pathway_id)


class StoreMachine(PathwayMachine):
    """The adopter's test: the how-to's machine, around one of the stores."""

    programme = PROGRAMME
    store_class: type = EventLog

    def __init__(self) -> None:
        super().__init__()
        self.store = self.store_class(self.programme)

    def record(self, pathway_before, event, pathway_after):
        self.store.save(pathway_before, event, pathway_after)

    def read_back(self, pathway_id):
        return self.store.load(pathway_id)


class SummaryMachine(StoreMachine):
    store_class = SummaryRows
    compared = ("state", "version", "referent_id")


# --- the planted bugs -------------------------------------------------------------------------


def _drops(kind: type[r.Event]) -> type[EventLog]:
    def save(self, before, event, after):
        if type(event) is not kind:
            EventLog.save(self, before, event, after)

    doc = f"Loses every {kind.tag} event (its table was left out of a migration)."
    return type(f"Drops{kind.__name__}", (EventLog,), {"save": save, "__doc__": doc})


class OrderedByDateAndType(EventLog):
    """Reads events back ``ORDER BY on_date, type`` instead of by version."""

    def events(self, pathway_id):
        return sorted(super().events(pathway_id), key=lambda e: (e.on, e.tag))


class Truncated(EventLog):
    """Reads back the first 12 events only (a page size left in the query)."""

    def events(self, pathway_id):
        return super().events(pathway_id)[:12]


class RetriedWrites(EventLog):
    """Stores every fifth write twice (a retry after a time-out, no unique version key)."""

    writes = 0

    def save(self, before, event, after):
        super().save(before, event, after)
        self.writes += 1
        if self.writes % 5 == 0:
            super().save(before, event, after)


class LosesExits(Snapshots):
    """Saves a pathway without its exit (the exit columns came later; save skips them)."""

    def kept(self, before, event, after):
        return attrs.evolve(after, exit=None)


class LosesHandovers(Snapshots):
    """Saves a pathway without its handover to child protection."""

    def kept(self, before, event, after):
        return attrs.evolve(after, handover=None)


class KeepsTheLastReview(Snapshots):
    """Keeps one review per pathway (a "last review" column), losing the earlier ones."""

    def kept(self, before, event, after):
        return attrs.evolve(after, reviews=after.reviews[-1:])


class Latin1Labels(Snapshots):
    """Stores objectives' labels in a Latin-1 column: other letters become ``?``."""

    def kept(self, before, event, after):
        def latin1(o: r.Objective) -> r.Objective:
            label = o.label.encode("latin-1", "replace").decode("latin-1")
            return attrs.evolve(o, label=label)

        return attrs.evolve(after, objectives=tuple(map(latin1, after.objectives)))


class OldDomainCodes(Snapshots):
    """Maps domains through an old code table without culture and sport (read as school)."""

    def kept(self, before, event, after):
        def old(o: r.Objective) -> r.Objective:
            if o.domain is r.ObjectiveDomain.CULTURE_SPORT:
                return attrs.evolve(o, domain=r.ObjectiveDomain.SCHOOL)
            return o

        return attrs.evolve(after, objectives=tuple(map(old, after.objectives)))


class SuspensionsNeverEnd(Snapshots):
    """On a resumption, saves the new state but not the end of the suspension."""

    def kept(self, before, event, after):
        if isinstance(event, r.Resumed):
            assert before is not None
            return attrs.evolve(after, suspensions=before.suspensions)
        return after


class CorrectionsOnlyAudited(Snapshots):
    """Appends a correction to the history (the audit trail), leaving every record as it was."""

    def kept(self, before, event, after):
        if isinstance(event, r.Corrected):
            assert before is not None
            return attrs.evolve(self.rows[after.id], history=after.history)
        return after


class StaleVersion(SummaryRows):
    """Updates the summary row's version only when the state changes (``ON CONFLICT``)."""

    def save(self, before, event, after):
        version = after.version
        row = self.rows.get(after.id)
        if row is not None and row["state"] is after.state:
            version = row["version"]
        super().save(before, event, after)
        self.rows[after.id]["version"] = version


def _machine(store: type, base: type[StoreMachine] = StoreMachine) -> type[StoreMachine]:
    return type(store.__name__ + "Machine", (base,), {"store_class": store})


DISAGREES = r"^the system (disagrees with the library on|could not read|has no) pathway '[\w-]+'"
BUGS: dict[str, tuple[type[StoreMachine], str]] = {
    **{f"lost {kind.tag}": (_machine(_drops(kind)), DISAGREES) for kind in r.EVENT_TYPES.values()},
    "reordered events": (_machine(OrderedByDateAndType), DISAGREES),
    "truncated history": (_machine(Truncated), r"\n  history: library \d+ items, system 12\n"),
    "duplicated event": (_machine(RetriedWrites), DISAGREES),
    "lost exit": (_machine(LosesExits), r"\n  exit: library Exit\(on=[^\n]+, system None"),
    "lost handover": (_machine(LosesHandovers), r"\n  handover: library Handover\("),
    "lost review": (_machine(KeepsTheLastReview), r"\n  reviews: library \d+ items, system 1\n"),
    "wrong objective label": (
        _machine(Latin1Labels),
        r"\n  objectives\[\d+\]\.label: library '[^\n]*', system '[^\n]*\?",
    ),
    "wrong objective domain": (
        _machine(OldDomainCodes),
        r"\n  objectives\[\d+\]\.domain: library <ObjectiveDomain\.CULTURE_SPORT",
    ),
    "suspension never ends": (
        _machine(SuspensionsNeverEnd),
        r"after resumed [^\n]+\n(  [^\n]+\n)*  suspensions\[\d+\]\.ended_on: library datetime",
    ),
    "correction not applied": (_machine(CorrectionsOnlyAudited), r"after corrected \(version"),
    "stale version": (
        _machine(StaleVersion, SummaryMachine),
        r"\n  version: library (\d+), system (?!\1)\d+",
    ),
}
"""Each planted bug: the machine that tests the buggy store, and what its failure says."""

HUNT = settings(
    max_examples=300,  # a ceiling: each search stops at its first failure
    stateful_step_count=20,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.usefixtures("untraced")  # the kit's own code is measured by test_testing.py
@pytest.mark.parametrize("bug", list(BUGS))
def test_the_kit_catches_each_planted_bug(bug):
    machine, failure = BUGS[bug]
    with pytest.raises(AssertionError) as caught:
        run_state_machine_as_test(machine, settings=HUNT)
    assert re.search(failure, str(caught.value)), str(caught.value)


def test_there_are_at_least_ten_kinds_of_bug_and_one_per_event_type():
    lost = {name for name in BUGS if name.startswith("lost ")}
    assert {f"lost {tag}" for tag in r.EVENT_TYPES} <= lost
    assert len(BUGS) - len(r.EVENT_TYPES) >= 10


@pytest.mark.usefixtures("untraced")
@pytest.mark.parametrize(
    "machine", [StoreMachine, _machine(Snapshots), SummaryMachine], ids=lambda m: m.__name__
)
def test_the_reference_stores_pass_the_same_search(machine):
    run_state_machine_as_test(machine, settings=settings(HUNT, max_examples=scaled(60)))
