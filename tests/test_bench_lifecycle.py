"""The lifecycle benchmark runs in --quick mode (correctness only, no timing assertion)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

BENCH = pathlib.Path(__file__).parent.parent / "benchmarks" / "bench_lifecycle.py"


def test_bench_lifecycle_quick_runs_and_prints_ratios():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "reussite apply (action_planned, 5 rules)" in done.stdout
    assert "µs/event" in done.stdout
