"""A stateful test of the PRE lifecycle that adopters point at their own system.

:class:`PathwayMachine` is a Hypothesis ``RuleBasedStateMachine`` (*test à états*): it
refers a child, then sends valid events one at a time (one rule per event type, enabled
when the declared lifecycle table accepts it), and after every step checks the
library's invariants and that **your** system agrees with the library on the whole
pathway (or on the parts it declares it keeps, :attr:`PathwayMachine.compared`). Subclass it, send
each event to your system in :meth:`~PathwayMachine.record`, read your view back in
:meth:`~PathwayMachine.read_back`, and collect ``YourMachine.TestCase`` with pytest or
unittest. Importing this module imports Hypothesis; ``import reussite`` never does.

A system that keeps the latest pathway in a dictionary agrees with the library:

>>> from hypothesis import settings
>>> from hypothesis.stateful import run_state_machine_as_test
>>> class InMemory(PathwayMachine):
...     def __init__(self):
...         super().__init__()
...         self.stored = {}
...     def record(self, pathway_before, event, pathway_after):
...         self.stored[pathway_after.id] = pathway_after
...     def read_back(self, pathway_id):
...         return self.stored[pathway_id]
>>> run_state_machine_as_test(InMemory, settings=settings(
...     max_examples=5, stateful_step_count=10, database=None, deadline=None))

One that forgot withdrawals of consent would fail with the steps that lead there, one
event a line (``state.consent_withdrawn(event=ConsentWithdrawn(...))``), and every field
that differs, down to the one inside a record
(``consent_withdrawn_on: library datetime.date(2017, 11, 6), system None``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import attrs

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as error:  # the testing kit needs the extra "testing"
    from ._optional import missing

    raise missing("hypothesis", extra="testing", needed_by=__name__) from error
from hypothesis.errors import InvalidArgument
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from ._history import corrected_facts
from .calendar import age_on
from .codes import ExitReason, ObjectiveStatus
from .errors import InvalidValue, PathwayClosed
from .events import (
    ActionEnded,
    ActionPlanned,
    Admitted,
    Assessed,
    ConsentGiven,
    ConsentWithdrawn,
    ContactLost,
    Corrected,
    DeclaredIneligible,
    Event,
    ExitProposed,
    ExitRejected,
    ExitValidated,
    FamilyRefused,
    HandedOver,
    ObjectiveSet,
    ObjectiveUpdated,
    Reassessed,
    Redirected,
    ReferentChanged,
    Referred,
    Resumed,
    Reviewed,
    SituationChanged,
    Started,
    Suspended,
)
from .lifecycle import LIFECYCLE, apply, open_pathway, replay
from .pathway import Pathway, State
from .programme import Programme
from .strategies import events
from .strategies._invalid import _sent_after_the_end
from .strategies._values import _MAX_DAY, _PROGRAMMES, _REFERRALS
from .strategies._walks import _check_reachable, _possible, _referred, _walk

__all__ = ["COMPARABLE", "WHOLE_PATHWAY", "PathwayMachine", "check_invariants"]

F = TypeVar("F", bound=Callable[..., Any])

_TAKEN_ON = (State.ADMITTED, State.ACTIVE, State.SUSPENDED, State.EXIT_PROPOSED)


def check_invariants(pathway: Pathway) -> None:
    """Assert what must hold of any pathway the lifecycle produced (*invariants*).

    Rules checked: the facts are the history with its corrections applied, dated in
    order, each correction dated on or after what it corrects; the version counts the
    events recorded; a referral follows the child's birth and never names its own
    pathway as the earlier one; an active pathway has the family's consent in force, one
    referent of the programme and at least one objective not dropped; a pathway taken on
    has a referent, the one named by the last change of referent if any (the changes
    are those of the facts); a suspended one has a running suspension, and only a suspended one;
    an exit is proposed exactly while the state says so; a final pathway has ended; an
    exit or a duration belongs to a started pathway, and a pathway never started ends
    *not taken on* (or handed over); an exit for the age limit comes once the child has
    reached the programme's maximum age, and only a withdrawal ends by withdrawal;
    actions start once the pathway has started, end after they start, serve objectives
    of the pathway and are cancelled only when the pathway ended before they started.
    Adopters call it on what their system reads back; :class:`PathwayMachine` checks it
    after every step.

    Raises:
        AssertionError: naming the pathway and the invariant that does not hold.
    """
    p = pathway
    # --- history, facts and dates
    assert p.version == len(p.history), f"{p.id}: version {p.version} != events"
    assert p.facts == corrected_facts(p.history), f"{p.id}: facts are not the corrected history"
    assert type(p.facts[0]) is Referred, f"{p.id}: the first fact is not a referral"
    dates = [e.on for e in p.facts]
    assert dates == sorted(dates), f"{p.id}: event dates go backwards"
    for e in p.history:
        if type(e) is Corrected:
            target = p.history[e.corrected_version - 1]
            assert e.on >= target.on, f"{p.id}: a correction predates what it corrects"
    assert p.child.birth_date <= p.referral.on, f"{p.id}: referred before the child's birth"
    assert p.previous_pathway_id != p.id, f"{p.id}: names itself as its earlier pathway"
    # --- state
    if p.state is State.ACTIVE:
        assert p.consent_in_force(p.last_event_on), f"{p.id}: active without consent"
        assert any(o.status is not ObjectiveStatus.DROPPED for o in p.objectives), (
            f"{p.id}: active without an objective"
        )
    if p.state in _TAKEN_ON:
        assert p.referent_id is not None, f"{p.id}: {p.state.value} without a referent"
        assert p.programme.referent(p.referent_id) is not None, p.referent_id
    changes = tuple((e.on, e.referent_id) for e in p.facts if isinstance(e, ReferentChanged))
    assert p.referent_changes == changes, f"{p.id}: referent changes are not the facts'"
    if changes:
        assert p.referent_id == changes[-1][1], f"{p.id}: the referent is not the last named"
    suspended = p.state is State.SUSPENDED
    assert (p.suspended_since is not None) == suspended, f"{p.id}: suspension and state differ"
    assert all(s.ended_on is not None for s in p.suspensions[:-1]), f"{p.id}: two suspensions"
    proposed = p.state is State.EXIT_PROPOSED
    assert (p.exit_proposal is not None) == proposed, f"{p.id}: exit proposal and state differ"
    if p.state in LIFECYCLE.finals:
        assert p.ended_on is not None, f"{p.id}: {p.state.value} without an end date"
    # --- how it ended: the one rule of a pathway that never started
    if p.exit is not None:
        assert p.state is State.CLOSED, f"{p.id}: an exit, yet {p.state.value}"
        assert p.started, f"{p.id}: an exit without a start"
        withdrawn = p.exit.reason is ExitReason.FAMILY_WITHDRAWAL
        assert withdrawn == (p.consent_withdrawn_on is not None), f"{p.id}: withdrawal differs"
        if p.exit.reason is ExitReason.AGE_LIMIT:
            limit = p.programme.rules.at(p.exit.on).max_age
            assert age_on(p.child.birth_date, p.exit.on) >= limit, f"{p.id}: age limit too young"
    if p.state is State.CLOSED:
        assert p.exit is not None, f"{p.id}: closed without an exit"
    if p.state is State.NOT_TAKEN_ON:
        assert not p.started, f"{p.id}: started, yet not taken on"
    # --- actions
    objective_ids = {o.id for o in p.objectives}
    for a in p.actions:
        assert p.started_on is not None, f"{p.id}: action {a.id} in a pathway not started"
        assert a.start >= p.started_on, f"{p.id}: action {a.id} starts before the pathway"
        assert a.end is None or a.end >= a.start, f"{p.id}: action {a.id} ends before it starts"
        assert set(a.objective_ids) <= objective_ids, f"{p.id}: action {a.id} serves unknown"
        if a.cancelled:
            ended = p.ended_on
            assert ended is not None, f"{p.id}: action {a.id} cancelled in an open pathway"
            assert a.start > ended, f"{p.id}: action {a.id} cancelled, yet it had started"


# --- what the machine compares ------------------------------------------------------------

_PROPERTIES = tuple(name for name, value in vars(Pathway).items() if isinstance(value, property))
COMPARABLE: tuple[str, ...] = tuple(a.name for a in attrs.fields(Pathway)) + _PROPERTIES
"""Every part of a pathway :attr:`PathwayMachine.compared` may name: the fields of
:class:`~reussite.Pathway` (``state``, ``history``, ``exit``, ``handover``, ``reviews``,
``objectives``...) and its properties (``version``, ``started``, ``ended_on``...)."""

_LAST = ("history", "facts")
WHOLE_PATHWAY: tuple[str, ...] = (
    "state",
    "version",
    *(a.name for a in attrs.fields(Pathway) if a.name != "state" and a.name not in _LAST),
    *_LAST,
)
"""What :class:`PathwayMachine` compares by default: every field of
:class:`~reussite.Pathway` and the version. The state and the version come first (the
quickest to read in a failure), the history and the facts last (the records before
them say what a difference in the events changed)."""

_MAX_CORRECTIONS = 3
"""At most this many corrections per pathway from the machine's steps: each one replays
the history (and so does every read back of a store that replays), so that a run's cost
stays linear in its steps."""

_MAX_LINES = 12
"""At most this many differences in a failure message (the rest are counted)."""

_MAX_REPR = 160
"""A value longer than this in a failure message is cut (its differing fields are shown)."""


def _parts(compared: Any) -> tuple[str, ...]:
    """Check a machine's ``compared`` declaration: known names, at least one, no repeat.

    Raises:
        InvalidValue: naming the unknown parts and listing the known ones.
    """
    expected = "a non-empty tuple of names from reussite.testing.COMPARABLE"
    if isinstance(compared, str) or not isinstance(compared, tuple | list):
        raise InvalidValue("PathwayMachine", "compared", compared, expected)
    unknown = [n for n in compared if n not in COMPARABLE]
    if unknown or not compared or len(set(compared)) != len(compared):
        raise InvalidValue(
            "PathwayMachine",
            "compared",
            compared,
            f"{expected} ({', '.join(COMPARABLE)}), each once"
            + (f"; unknown: {', '.join(map(str, unknown))}" if unknown else ""),
        )
    return tuple(compared)


def _part(view: Any, name: str) -> Any:
    """The part ``name`` of a system's view: a key of a mapping, else an attribute."""
    if isinstance(view, Mapping):
        return view[name]
    return getattr(view, name)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_REPR else text[: _MAX_REPR - 3] + "..."


def _differ(path: str, wanted: Any, got: Any, out: list[str]) -> None:
    """Append to ``out`` a line for each difference between ``wanted`` and ``got``.

    Values of the same attrs class are compared field by field, sequences item by item
    (their lengths, then at most three differing items: a lost or extra item shifts
    every one after it), anything else as a whole.
    """
    if wanted == got:
        return
    before = len(out)
    if type(wanted) is type(got) and attrs.has(type(wanted)):
        for field in attrs.fields(type(wanted)):
            if field.eq:
                name = field.name
                _differ(f"{path}.{name}", getattr(wanted, name), getattr(got, name), out)
    elif isinstance(wanted, tuple | list) and isinstance(got, tuple | list):
        if len(wanted) != len(got):
            out.append(f"{path}: library {len(wanted)} items, system {len(got)}")
        differing = 0
        for index in range(max(len(wanted), len(got))):
            item = f"{path}[{index}]"
            if index >= len(got):
                out.append(f"{item}: library {_shown(wanted[index])}, system nothing")
            elif index >= len(wanted):
                out.append(f"{item}: library nothing, system {_shown(got[index])}")
            elif wanted[index] != got[index]:
                _differ(item, wanted[index], got[index], out)
            else:
                continue
            differing += 1
            if differing == 3 or len(wanted) != len(got):
                break
    if len(out) == before:  # different types, or equal parts yet unequal as a whole
        out.append(f"{path}: library {_shown(wanted)}, system {_shown(got)}")


def _event_rule(kind: type[Event]) -> Callable[[F], F]:
    """Make a method the machine's rule for ``kind``, enabled when the table accepts it.

    The precondition is the declared table (``LIFECYCLE.target(state, kind)``) plus what a
    valid event of that kind needs (an objective to update, an action to end...); the
    event is drawn for the current pathway and printed on one line in a counterexample.
    """

    def decorate(method: F) -> F:
        drawn = st.runner().flatmap(lambda machine: machine._events_of(kind))
        enabled = precondition(lambda machine: machine._accepts(kind))
        return cast(F, enabled(rule(event=drawn)(method)))

    return decorate


@st.composite
def _reentries(draw: st.DrawFn, previous: Pathway, pathway_id: str) -> Referred:
    """The same child referred again once ``previous`` has ended (*nouvelle orientation*)."""
    assert previous.ended_on is not None
    on = previous.ended_on + dt.timedelta(days=draw(st.integers(1, 400)))
    return Referred(
        pathway_id=pathway_id,
        child=previous.child,
        family=previous.family,
        referral=attrs.evolve(draw(_REFERRALS), on=on),
        previous_pathway_id=previous.id,
    )


_TWICE = (State.ACTIVE, State.SUSPENDED, State.EXIT_PROPOSED, State.NOT_TAKEN_ON)
"""The states an opening walk heads for twice as often: those of a pathway in progress
(where most events happen) and *not taken on* (five events lead there, all before the
start, which the steps from a young pathway rarely reach before another ends it)."""


def _targets(programme: Programme) -> list[State | None]:
    """The states an opening walk may head for, the first the one shrinking prefers.

    ``None`` (a free walk), or any state the programme can reach, those of
    :data:`_TWICE` twice. A walk to a final state ends the pathway by one of the events
    that lead there (a refusal, a redirection, an exit validated, a handover...); the
    machine's steps then correct it or refer the child again.
    """
    targets: list[State | None] = [None]
    for state in State:
        try:
            _check_reachable(programme, state, _MAX_DAY)
        except InvalidArgument:
            continue
        targets.extend([state, state] if state in _TWICE else [state])
    return targets


@st.composite
def _openings(
    draw: st.DrawFn,
    referrals: st.SearchStrategy[Referred],
    programme: Programme,
    max_events: int,
) -> list[Event]:
    """A referral and the walk that follows it, towards a drawn state (see :func:`_targets`).

    A walk follows the lifecycle's main road further than rules picked one at a time
    would (most events end a young pathway), so that the machine's steps start from
    every state.
    """
    first = draw(referrals)
    target = draw(st.sampled_from(_targets(programme)))
    walked = _walk(draw, open_pathway(programme, first), state=target, max_events=max_events)
    return list(walked.history)


class PathwayMachine(RuleBasedStateMachine):
    """A stateful test of a system that tracks PRE pathways (*parcours*) against the library.

    Each run opens a pathway with a referral and a walk along the lifecycle towards a
    drawn state, then applies valid events chosen by Hypothesis, one rule per event type
    of the lifecycle, enabled by the declared table (:data:`~reussite.LIFECYCLE`),
    corrections of earlier events (:class:`~reussite.Corrected`) included. Once the
    pathway has ended the child may be referred again: a new pathway that names the old
    one. After every step the invariants are checked: consent in force while active, one
    referent of the programme once admitted, the history replays to the same pathway,
    versions go up by one, a final pathway refuses every new fact
    (:class:`~reussite.PathwayClosed`), and the system under test agrees with the library
    on every part of the pathway it keeps (:attr:`compared`).

    Override the hooks to plug your system in; a subclass is about fifteen lines:

    - :meth:`record` sends each accepted event to your system;
    - :meth:`read_back` reads your system's view of a pathway back;
    - :attr:`compared` names the parts of the pathway your system keeps, when it does not
      keep them all;
    - :meth:`teardown` (from Hypothesis) closes what ``__init__`` opened.

    ``YourMachine.TestCase`` is a :class:`unittest.TestCase` that pytest collects; set
    ``YourMachine.TestCase.settings`` to change the number of runs or steps.

    Attributes:
        programme: the PRE pathways belong to; set it on your subclass to test with your
            own programme (it is there in ``__init__``, to build your store with), or
            leave ``None`` to draw one per run (read it then from the pathways
            :meth:`record` receives).
        compared: the parts of the pathway your system keeps, by name: fields and
            properties of :class:`~reussite.Pathway` (:data:`COMPARABLE` lists them);
            :meth:`assert_agrees` compares every one. The default, :data:`WHOLE_PATHWAY`,
            is all of them. Checked when the subclass is defined.
        opening_events: how many events, at most, the walk that opens each pathway draws
            before heading for its state (``0``: the shortest road there).
        pathway: the current pathway as the library computes it (``None`` until the first
            referral).
        pathways: every pathway of the run by id, oldest first.
    """

    programme: Programme | None = None
    compared: tuple[str, ...] = WHOLE_PATHWAY
    opening_events: int = 20

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.compared = _parts(cls.compared)

    def __init__(self) -> None:
        super().__init__()
        self.pathway: Pathway | None = None
        self.pathways: dict[str, Pathway] = {}

    # --- the hooks an adopter overrides ---------------------------------------------------

    def record(self, pathway_before: Pathway | None, event: Event, pathway_after: Pathway) -> None:
        """Send an event the library accepted to the system under test (default: nothing).

        Args:
            pathway_before: the pathway before the event (``None`` for a referral, which
                opens a new pathway).
            event: the event, valid for ``pathway_before``.
            pathway_after: the pathway the library computes once it is applied.
        """

    def read_back(self, pathway_id: str) -> Any:
        """Read the system's view of a pathway back (default: the library's own pathway).

        Return a :class:`~reussite.Pathway` (rebuilt by your system, e.g. by replaying the
        events it stored), or any object with the parts named in :attr:`compared` as
        attributes (a named tuple, a :class:`types.SimpleNamespace`) or keys (a
        :class:`dict`, a database row as a mapping); ``None`` if the system has no such
        pathway.
        """
        return self.pathways[pathway_id]

    def assert_agrees(self, expected: Pathway, actual: Any) -> None:
        """Fail unless the system's view ``actual`` agrees with the library's ``expected``.

        Every part named in :attr:`compared` must equal the library's (``==``). The
        message lists each difference down to the field that differs
        (``objectives[0].label: library 'Lire', system 'lire'``), a sequence by its length
        and its first differing items. Override it only for a view whose parts are not
        values of the library (count them, convert them, then call ``super()``).

        Raises:
            AssertionError: naming the pathway, the last event and every difference.
        """
        if actual is None:
            raise AssertionError(f"the system has no pathway {expected.id!r}")
        differences: list[str] = []
        for name in self.compared:
            try:
                got = _part(actual, name)
            except (AttributeError, KeyError, TypeError) as error:
                raise AssertionError(
                    f"the system's view of pathway {expected.id!r} ({type(actual).__name__}) "
                    f"has no {name!r}: return it from read_back, or leave it out of "
                    f"{type(self).__name__}.compared"
                ) from error
            _differ(name, getattr(expected, name), got, differences)
        if differences:
            shown = differences[:_MAX_LINES]
            if len(differences) > _MAX_LINES:
                shown.append(f"... and {len(differences) - _MAX_LINES} more differences")
            raise AssertionError(
                f"the system disagrees with the library on pathway {expected.id!r} after "
                f"{expected.history[-1].tag} (version {expected.version}):\n  " + "\n  ".join(shown)
            )

    # --- steps ----------------------------------------------------------------------------

    @initialize(data=st.data())
    def start(self, data: st.DataObject) -> None:
        """Choose the programme (unless the class sets one) and open a first pathway.

        The opening walk follows the main road towards a drawn state (see
        :func:`~reussite.strategies.histories`); each of its events is recorded and
        checked like a step.
        """
        if self.programme is None:
            self.programme = data.draw(_PROGRAMMES, label="programme")
        referrals = _referred(self.programme, min_value=dt.date(2010, 1, 1), max_value=_MAX_DAY)
        opening = data.draw(
            _openings(referrals, self.programme, self.opening_events), label="opening history"
        )
        self._open(opening)

    def _open(self, opening: list[Event]) -> None:
        """Open a pathway with the referral ``opening[0]``, then apply the rest."""
        assert self.programme is not None
        first = opening[0]
        assert isinstance(first, Referred)
        pathway = open_pathway(self.programme, first)
        assert pathway.version == 1
        self._accept(None, first, pathway)
        self.system_agrees()
        for event in opening[1:]:
            self._apply(event)
            self.system_agrees()

    def _accepts(self, kind: type[Event]) -> bool:
        p = self.pathway
        if p is None:
            return False
        if kind is Corrected:  # each one replays the history: a few per pathway
            return sum(type(e) is Corrected for e in p.history) < _MAX_CORRECTIONS
        return _possible(p, kind)

    def _events_of(self, kind: type[Event]) -> st.SearchStrategy[Event]:
        assert self.pathway is not None
        return events(pathway=self.pathway, kinds=(kind,))

    def _reentries(self) -> st.SearchStrategy[list[Event]]:
        assert self.pathway is not None
        assert self.programme is not None
        first = next(iter(self.pathways))
        pathway_id = f"{first}-{len(self.pathways) + 1}"
        programme, max_events = self.programme, self.opening_events
        return _openings(_reentries(self.pathway, pathway_id), programme, max_events)

    def _accept(self, before: Pathway | None, event: Event, after: Pathway) -> None:
        self.record(before, event, after)
        self.pathway = after
        self.pathways[after.id] = after

    def _apply(self, event: Event) -> None:
        before = self.pathway
        assert before is not None
        after = apply(before, event, expected_version=before.version)
        assert after.version == before.version + 1, "versions go up by one"
        self._accept(before, event, after)

    @precondition(lambda self: self.pathway is not None and not self.pathway.is_open)
    @rule(events=st.runner().flatmap(lambda machine: machine._reentries()))
    def referred(self, events: list[Event]) -> None:
        """The child is referred again once their pathway ended (*nouvelle orientation*).

        The new pathway opens like the first, with a walk towards a drawn state; the
        earlier pathways must be untouched.
        """
        self._open(events)
        for earlier in self.pathways.values():
            self.assert_agrees(earlier, self.read_back(earlier.id))

    @precondition(lambda self: self.pathway is not None and not self.pathway.is_open)
    @rule(event=st.runner().flatmap(lambda machine: _sent_after_the_end(machine.pathway)))
    def event_after_the_end(self, event: Event) -> None:
        """An event sent to an ended pathway is refused (*parcours terminé*, ``R-FINAL``)."""
        p = self.pathway
        assert p is not None
        try:
            apply(p, event)
        except PathwayClosed as error:
            refused = error.rule
        else:
            raise AssertionError(f"{p.id} is {p.state.value} but accepted {event.tag}")
        assert refused == "R-FINAL", f"{event.tag} refused by {refused}, not R-FINAL"

    @_event_rule(ConsentGiven)
    def consent_given(self, event: ConsentGiven) -> None:
        """The family signs its agreement (*accord écrit*)."""
        self._apply(event)

    @_event_rule(FamilyRefused)
    def family_refused(self, event: FamilyRefused) -> None:
        """The family declines (*refus de la famille*)."""
        self._apply(event)

    @_event_rule(DeclaredIneligible)
    def declared_ineligible(self, event: DeclaredIneligible) -> None:
        """The referral is outside the criteria (*hors critères*)."""
        self._apply(event)

    @_event_rule(ConsentWithdrawn)
    def consent_withdrawn(self, event: ConsentWithdrawn) -> None:
        """The family withdraws its agreement (*retrait de l'accord*)."""
        self._apply(event)

    @_event_rule(ContactLost)
    def contact_lost(self, event: ContactLost) -> None:
        """The family can no longer be reached (*perte de contact*)."""
        self._apply(event)

    @_event_rule(Assessed)
    def assessed(self, event: Assessed) -> None:
        """The situation is assessed (*diagnostic*)."""
        self._apply(event)

    @_event_rule(Admitted)
    def admitted(self, event: Admitted) -> None:
        """The EPS admits the child and names the referent (*entrée validée*)."""
        self._apply(event)

    @_event_rule(Redirected)
    def redirected(self, event: Redirected) -> None:
        """The EPS redirects the child (*réorientation*)."""
        self._apply(event)

    @_event_rule(ObjectiveSet)
    def objective_set(self, event: ObjectiveSet) -> None:
        """An objective is added to the plan (*objectif fixé*)."""
        self._apply(event)

    @_event_rule(ObjectiveUpdated)
    def objective_updated(self, event: ObjectiveUpdated) -> None:
        """An objective's status changes (*mise à jour d'un objectif*)."""
        self._apply(event)

    @_event_rule(ReferentChanged)
    def referent_changed(self, event: ReferentChanged) -> None:
        """Another referent takes over (*changement de référent*)."""
        self._apply(event)

    @_event_rule(Started)
    def started(self, event: Started) -> None:
        """The pathway starts (*démarrage du parcours*)."""
        self._apply(event)

    @_event_rule(ActionPlanned)
    def action_planned(self, event: ActionPlanned) -> None:
        """An action is planned (*action programmée*)."""
        self._apply(event)

    @_event_rule(ActionEnded)
    def action_ended(self, event: ActionEnded) -> None:
        """An action ends (*fin d'action*)."""
        self._apply(event)

    @_event_rule(Reviewed)
    def reviewed(self, event: Reviewed) -> None:
        """A review takes place (*bilan*)."""
        self._apply(event)

    @_event_rule(ExitProposed)
    def exit_proposed(self, event: ExitProposed) -> None:
        """An exit is proposed (*proposition de sortie*)."""
        self._apply(event)

    @_event_rule(ExitRejected)
    def exit_rejected(self, event: ExitRejected) -> None:
        """The EPS keeps the pathway open (*sortie non validée*)."""
        self._apply(event)

    @_event_rule(ExitValidated)
    def exit_validated(self, event: ExitValidated) -> None:
        """The EPS validates the exit (*sortie validée*)."""
        self._apply(event)

    @_event_rule(HandedOver)
    def handed_over(self, event: HandedOver) -> None:
        """The child is handed over to child protection (*passage de relais*)."""
        self._apply(event)

    @_event_rule(Suspended)
    def suspended(self, event: Suspended) -> None:
        """The pathway is paused (*suspension du parcours*)."""
        self._apply(event)

    @_event_rule(Resumed)
    def resumed(self, event: Resumed) -> None:
        """The pathway starts again (*reprise du parcours*)."""
        self._apply(event)

    @_event_rule(SituationChanged)
    def situation_changed(self, event: SituationChanged) -> None:
        """The child moves, changes school or class (*changement de situation*)."""
        self._apply(event)

    @_event_rule(Reassessed)
    def reassessed(self, event: Reassessed) -> None:
        """A new assessment validated by the EPS (*nouveau diagnostic*)."""
        self._apply(event)

    @_event_rule(Corrected)
    def corrected(self, event: Corrected) -> None:
        """An earlier event is corrected or voided (*correction*), in any state."""
        self._apply(event)

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def pathway_invariants(self) -> None:
        """Every invariant of :func:`check_invariants` holds after every step."""
        if self.pathway is not None:
            check_invariants(self.pathway)

    @invariant()
    def history_replays(self) -> None:
        """Replaying the history rebuilds the same pathway, version included."""
        p = self.pathway
        if p is not None:
            assert replay(p.history, programme=p.programme) == p, f"{p.id}: replay differs"
            assert p.version == len(p.history)

    @invariant()
    def final_states_accept_nothing(self) -> None:
        """A closed, handed-over or not-taken-on pathway refuses every event."""
        p = self.pathway
        if p is None or p.is_open:
            return
        assert p.state in LIFECYCLE.finals
        for event in (ContactLost(on=p.last_event_on), Started(on=p.last_event_on)):
            try:
                apply(p, event)
            except PathwayClosed as error:
                refused = error.rule
            else:
                raise AssertionError(f"{p.id} is {p.state.value} but accepted {event.tag}")
            assert refused == "R-FINAL", f"{event.tag} refused by {refused}, not R-FINAL"

    @invariant()
    def system_agrees(self) -> None:
        """The system under test agrees with the library on the current pathway."""
        p = self.pathway
        if p is None:
            return
        try:
            actual = self.read_back(p.id)
        except Exception as error:
            raise AssertionError(
                f"the system could not read pathway {p.id!r} back after {p.history[-1].tag} "
                f"(version {p.version}): {type(error).__name__}: {error}"
            ) from error
        self.assert_agrees(p, actual)
