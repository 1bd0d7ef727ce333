"""Benchmark: the cost of ``reussite.apply`` against bare state-machine libraries.

Measures, in one run on this machine:

* ``apply`` of one event with every rule checked (``action_planned``: consent in force,
  unique id, known objectives, action inside the pathway, chronology; and ``reviewed``),
* the bare ``trigger`` of a pytransitions ``Machine`` on a similar 10-state table (it checks
  nothing but the state),
* ``send`` on a python-statemachine ``StateMachine`` with the same table,
* ``replay`` of histories of 10, 100 and 1,000 events (time per event should stay flat),

and prints each as a ratio to the baselines measured in the same run. Targets (issue 2):
``apply`` ≤ 1.0x pytransitions and ≤ 0.1x python-statemachine; replay linear.

Run: ``python benchmarks/bench_lifecycle.py`` (needs the ``bench`` extra), or
``--quick`` for a correctness-only pass with tiny repeat counts (used by the test suite).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import sys
import time
from collections.abc import Callable

import reussite as r

D = dt.date
STATES = [s.value for s in r.State]
# A 10-state table shaped like ours: the main road, a pause, and the ways out.
ROWS = [
    ("consent_given", "referred", "consented"),
    ("assessed", "consented", "assessed"),
    ("admitted", "assessed", "admitted"),
    ("started", "admitted", "active"),
    ("reviewed", "active", "active"),
    ("suspended", "active", "suspended"),
    ("resumed", "suspended", "active"),
    ("exit_proposed", "active", "exit_proposed"),
    ("exit_validated", "exit_proposed", "closed"),
    ("handed_over", "active", "handed_over"),
    ("family_refused", "referred", "not_taken_on"),
]


def programme() -> r.Programme:
    return r.Programme(
        id="pre-bench",
        name="PRE de mesure",
        territory=r.Timeline.of(
            (D(2007, 1, 1), r.Territory(communes=frozenset({"13103"}), qpv_codes=frozenset())),
        ),
        support_teams=(r.SupportTeam(id="eps", name="EPS"),),
        referents=(r.Referent(id="ref", name="Référente"),),
    )


def active_pathway() -> r.Pathway:
    """A pathway brought to 'active' through the public API."""
    family = r.Family(id="f", guardians=(r.Guardian(id="g", first_name="A", last_name="B"),))
    child = r.Child(
        id="c",
        first_name="C",
        last_name="B",
        birth_date=D(2009, 5, 4),
        sex=r.Sex.FEMALE,
        school_level=r.SchoolLevel.CM1,
        priority_education=r.PriorityEducation.REP,
        commune="13103",
        family_id="f",
    )
    referral = r.Referral(
        on=D(2017, 10, 2),
        source=r.ReferralSource.EDUCATION_NATIONALE,
        reasons=(r.ReferralReason.LEARNING,),
        referrer="école",
    )
    decision = r.TeamDecision(team_id="eps", on=D(2017, 11, 6), members_present=("a", "b"))
    p = r.open_pathway(
        programme(), r.Referred(pathway_id="p", child=child, family=family, referral=referral)
    )
    for event in (
        r.ConsentGiven(consent=r.Consent(id="k", on=D(2017, 10, 9), given_by=("g",))),
        r.Assessed(assessment=r.Assessment(on=D(2017, 10, 20))),
        r.ObjectiveSet(
            on=D(2017, 10, 20),
            objective=r.Objective(id="o", domain=r.ObjectiveDomain.SCHOOL, label="Lire"),
        ),
        r.Admitted(decision=decision, referent_id="ref"),
        r.Started(on=D(2017, 11, 13)),
    ):
        p = r.apply(p, event)
    return p


def per_call(fn: Callable[[], object], repeat: int, number: int) -> float:
    """Best-of-``repeat`` median time of one call, in microseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number * 1e6)
    return min(statistics.median(samples), min(samples) * 1.5)


def bench_transitions(repeat: int, number: int) -> float | None:
    try:
        from transitions import Machine
    except ImportError:
        return None

    class Model:
        pass

    model = Model()
    Machine(
        model=model,
        states=STATES,
        transitions=[list(row) for row in ROWS],
        initial="active",
        auto_transitions=False,
    )
    trigger = model.trigger  # type: ignore[attr-defined]
    assert trigger("reviewed")
    return per_call(lambda: trigger("reviewed"), repeat, number)


def bench_statemachine(repeat: int, number: int) -> float | None:
    try:
        from statemachine import State, StateMachine
    except ImportError:
        return None
    states = {
        name: State(name, initial=(name == "referred"), final=(name in FINALS)) for name in STATES
    }
    # State attributes are prefixed: some events share a state's name ("assessed").
    namespace: dict[str, object] = {f"s_{name}": state for name, state in states.items()}
    for event, source, target in ROWS:
        transition = states[source].to(states[target])
        previous = namespace.get(event)
        namespace[event] = transition if previous is None else previous | transition  # type: ignore[operator]
    machine_class = type("PathwayMachine", (StateMachine,), namespace)
    machine = machine_class()
    for event in ("consent_given", "assessed", "admitted", "started"):
        machine.send(event)
    return per_call(lambda: machine.send("reviewed"), repeat, number)


FINALS = {"closed", "handed_over", "not_taken_on"}


def history(events: int) -> tuple[r.Programme, list[r.Event]]:
    p = active_pathway()
    day = p.last_event_on
    out = list(p.history)
    statuses = [r.ObjectiveStatus.IN_PROGRESS, r.ObjectiveStatus.PARTIALLY_MET]
    while len(out) < events:
        day += dt.timedelta(days=1)
        if len(out) % 2:
            out.append(r.Reviewed(review=r.Review(on=day)))
        else:
            out.append(
                r.ObjectiveUpdated(on=day, objective_id="o", status=statuses[len(out) % 4 // 2])
            )
    return p.programme, out[:events]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny repeats, correctness only")
    args = parser.parse_args(argv)
    repeat, number = (2, 50) if args.quick else (7, 5_000)

    p = active_pathway()
    planned = r.ActionPlanned(
        on=D(2017, 11, 20),
        action=r.Action(
            id="a",
            label="Aide aux devoirs",
            objective_ids=("o",),
            funding=r.ActionFunding.PRE_FUNDED,
            start=D(2017, 11, 21),
        ),
    )
    reviewed = r.Reviewed(review=r.Review(on=D(2017, 11, 20)))
    assert r.apply(p, planned).actions[0].id == "a"
    assert r.apply(p, reviewed).version == p.version + 1

    gc.collect()
    results = {
        "reussite apply (action_planned, 5 rules)": per_call(
            lambda: r.apply(p, planned), repeat, number
        ),
        "reussite apply (reviewed, 1 rule)": per_call(lambda: r.apply(p, reviewed), repeat, number),
        "pytransitions trigger": bench_transitions(repeat, number),
        "python-statemachine send": bench_statemachine(repeat, max(number // 10, 5)),
    }
    width = max(map(len, results))
    print(f"Python {sys.version.split()[0]}; per event, best median of {repeat} x {number}")
    base_t = results["pytransitions trigger"]
    base_s = results["python-statemachine send"]
    for name, micro in results.items():
        if micro is None:
            print(f"{name:<{width}}  not installed (pip install -e '.[bench]')")
            continue
        ratio_t = f"{micro / base_t:5.2f}x pytransitions" if base_t else ""
        ratio_s = f"{micro / base_s:5.3f}x python-statemachine" if base_s else ""
        print(f"{name:<{width}}  {micro:8.2f} µs   {ratio_t}   {ratio_s}")

    print("\nreplay: time per event for histories of 10, 100 and 1,000 events")
    per_event = {}
    for size in (10, 100, 1_000):
        prog, events = history(size)
        rebuilt = r.replay(events, programme=prog)
        assert rebuilt.version == size
        calls = max(2, (number * 5) // size) if not args.quick else 2
        run = lambda events=events, prog=prog: r.replay(events, programme=prog)  # noqa: E731
        per_event[size] = per_call(run, repeat, calls) / size
        print(f"  {size:>5} events  {per_event[size]:7.2f} µs/event")
    print(f"  1,000 vs 10: {per_event[1_000] / per_event[10]:.2f}x per event (flat is 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
