"""Every script in examples/ runs from a fresh install."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

EXAMPLES = pathlib.Path(__file__).parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def test_there_are_examples():
    assert SCRIPTS


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_example_runs(script, tmp_path):
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


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
