"""The tables benchmark runs in --quick mode (correctness only, no timing assertion)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

BENCH = pathlib.Path(__file__).parent.parent / "benchmarks" / "bench_tables.py"


def test_bench_tables_quick_runs_and_prints_ratios():
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "same values: yes" in done.stdout
    assert "same reports: yes" in done.stdout
    assert "load average" in done.stdout
