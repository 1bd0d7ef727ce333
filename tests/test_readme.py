"""The README's first snippet is what a new user pastes: it must type-check as it is."""

from __future__ import annotations

import doctest
import pathlib
import subprocess
import sys

import pytest

README = pathlib.Path(__file__).parent.parent / "README.md"


def test_the_readme_snippet_passes_mypy_strict(tmp_path):
    pytest.importorskip("mypy")
    text = README.read_text(encoding="utf-8")
    examples = doctest.DocTestParser().get_examples(text)
    assert examples
    script = tmp_path / "snippet.py"
    script.write_text("".join(example.source for example in examples), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"), script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout
