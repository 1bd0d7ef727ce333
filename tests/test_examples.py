"""Every script in examples/ runs from a fresh install."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))

ARGUMENTS = {
    # Without --check the generator rewrites the bundled data files: the test only
    # rebuilds the cohort and checks the committed files are up to date.
    "make_pays_salonais.py": ["--check"],
    # The whole nation takes about twenty seconds on two cores: a small one here (the
    # full run is tests/test_national.py::test_the_reduced_nation and the benchmark).
    "national_2015.py": ["--scale", "0.01", "--workers", "1"],
}
"""Arguments a script needs to run in a test (default: none)."""

COVERED_ELSEWHERE = {
    "cohort_analysis.ipynb": "tests/test_notebook.py executes it",
    "tracking_tool": "tests/test_tracking_tool.py runs the testing kit against it",
}
"""Entries of examples/ that are not scripts, and which test covers them."""


def test_there_are_examples():
    assert SCRIPTS


def test_every_example_is_run_by_a_test():
    entries = {p.name for p in EXAMPLES.iterdir() if not p.name.startswith((".", "__"))}
    scripts = {p.name for p in SCRIPTS}
    assert entries - scripts <= set(COVERED_ELSEWHERE), entries - scripts - set(COVERED_ELSEWHERE)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    done = subprocess.run(
        [sys.executable, str(script), *ARGUMENTS.get(script.name, [])],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_the_budget_example_prints_the_cerfa_table(tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "budget_seed.py"), "--cerfa"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    assert "CERFA n° 12156" in done.stdout
    assert "TOTAL DES CHARGES" in done.stdout


def test_one_child_reaches_a_complete_exit_in_under_30_lines():
    script = EXAMPLES / "one_child.py"
    code = [
        line
        for line in script.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith(("#", '"""'))
    ]
    assert len(code) < 30, len(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert "Sortie : atteinte complète" in done.stdout
