"""The planted-bugs benchmark runs in --quick mode (two bugs, one search each)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

BENCH = pathlib.Path(__file__).parent.parent / "benchmarks" / "bench_planted_bugs.py"


def test_bench_planted_bugs_quick_runs_and_prints_times():
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "lost exit " in done.stdout
    assert "1/1 caught" in done.stdout
    assert "slowest first failure: " in done.stdout
