"""The documentation as a reader uses it: blocks pasted into Jupyter, commands in a shell."""

from __future__ import annotations

import doctest
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).parent.parent
PAGES = sorted([*(ROOT / "docs").rglob("*.md"), ROOT / "README.md"])
PAGES = [p for p in PAGES if "_build" not in p.parts and "_generated" not in p.parts]
TUTORIALS = sorted((ROOT / "docs" / "tutorial").glob("*.md"))


def python_blocks(page: pathlib.Path) -> list[str]:
    """The ```python blocks of a Markdown page."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)


def test_there_are_pages_with_examples():
    assert sum(len(python_blocks(p)) for p in PAGES) > 30


@pytest.mark.parametrize("page", TUTORIALS, ids=lambda p: p.name)
def test_a_tutorial_pastes_into_jupyter_without_an_error(page):
    # A deliberate error is caught and printed, so a cell never stops half-way.
    for block in python_blocks(page):
        examples = doctest.DocTestParser().get_examples(block)
        assert not [e for e in examples if e.exc_msg is not None], block


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_an_error_is_the_last_statement_of_its_block(page):
    # Pasted into a notebook cell, what follows an error in the same block would not run.
    for block in python_blocks(page):
        examples = doctest.DocTestParser().get_examples(block)
        raising = [i for i, e in enumerate(examples) if e.exc_msg is not None]
        assert all(i == len(examples) - 1 for i in raising), block
