"""Benchmark: how long the testing kit takes to catch each planted bug (issue 22).

The bugs are those of ``tests/test_testing_planted_bugs.py`` (a reference store with one
plausible slip each: lost events of every type, reordered, truncated or duplicated
events, a lost exit, handover or review, wrong objective labels or domains, a suspension
that never ends, a correction not applied, a stale version). Each is hunted with
``PathwayMachine`` at the settings of ``docs/how-to/test-your-tool.md``
(``max_examples=200, stateful_step_count=50``) with shrinking off
(``phases=[Phase.explicit, Phase.reuse, Phase.generate]``), from random seeds, and
timed to its first failure; then a few are hunted again with shrinking on, to time a
full shrink. Target: under 10 s to the first failure for every bug.

Run: ``python benchmarks/bench_planted_bugs.py`` (``--runs N`` searches per bug, 5 by
default; ``--quick`` for a correctness-only pass on two bugs, used by the test suite).
"""

from __future__ import annotations

import argparse
import pathlib
import platform
import statistics
import sys
import time

import hypothesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

TESTS = pathlib.Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from test_testing_planted_bugs import BUGS  # noqa: E402 (the tests folder, just added)

DOCUMENTED = {"max_examples": 200, "stateful_step_count": 50}
"""The settings the how-to recommends (``TestStore.settings``)."""

HUNTING = [Phase.explicit, Phase.reuse, Phase.generate]
SHRUNK = ["lost exit", "wrong objective label", "lost resumed", "correction not applied"]
"""The bugs whose full shrink is timed (a shrink takes far longer than the search)."""


def hunt(machine: type, *, shrink: bool) -> float | None:
    """Seconds until ``machine`` fails (``None``: it passed every example)."""
    chosen = settings(
        **DOCUMENTED,
        deadline=None,
        database=None,
        phases=[*HUNTING, Phase.shrink] if shrink else HUNTING,
        suppress_health_check=list(HealthCheck),
    )
    start = time.perf_counter()
    try:
        run_state_machine_as_test(machine, settings=chosen)
    except AssertionError:
        return time.perf_counter() - start
    return None


def line(name: str, times: list[float | None]) -> str:
    found = [t for t in times if t is not None]
    if not found:
        return f"{name:<28} {'-':>8} {'-':>8} {'-':>8}   0/{len(times)} caught"
    return (
        f"{name:<28} {statistics.median(found):>7.2f}s {statistics.mean(found):>7.2f}s "
        f"{max(found):>7.2f}s   {len(found)}/{len(times)} caught"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="searches per bug (default 5)")
    parser.add_argument("--shrink-runs", type=int, default=3, help="full shrinks per bug")
    parser.add_argument("--quick", action="store_true", help="two bugs, one search each")
    options = parser.parse_args()
    bugs = ["lost exit", "stale version"] if options.quick else list(BUGS)
    runs = 1 if options.quick else options.runs
    print(
        f"Python {platform.python_version()}, Hypothesis {hypothesis.__version__}, "
        f"{platform.machine()}; settings {DOCUMENTED}, {runs} searches per bug, random seeds"
    )
    print(f"\nTime to the first failure, shrinking off (phases={[p.name for p in HUNTING]}):")
    print(f"{'bug':<28} {'median':>8} {'mean':>8} {'max':>8}")
    slowest = 0.0
    missed = []
    for name in bugs:
        machine, _ = BUGS[name]
        times = [hunt(machine, shrink=False) for _ in range(runs)]
        print(line(name, times), flush=True)
        if None in times:
            missed.append(name)
        slowest = max([slowest, *(t for t in times if t is not None)])
    print(f"slowest first failure: {slowest:.2f}s (target: under 10 s)")
    if not options.quick:
        print("\nA full shrink (phases with Phase.shrink), search and shrink together:")
        print(f"{'bug':<28} {'median':>8} {'mean':>8} {'max':>8}")
        for name in SHRUNK:
            times = [hunt(BUGS[name][0], shrink=True) for _ in range(options.shrink_runs)]
            print(line(name, times), flush=True)
    if missed:
        print(f"NOT CAUGHT in every search: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
