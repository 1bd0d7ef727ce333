from __future__ import annotations

import reussite as r


def test_invalid_input_lists_each_located_problem():
    error = r.InvalidInput(["expected int @ $.a", "missing @ $.b"], source="x.jsonl")
    assert error.errors == ("expected int @ $.a", "missing @ $.b")
    assert str(error) == "x.jsonl: 2 problems:\n  expected int @ $.a\n  missing @ $.b"
    assert isinstance(error, ValueError)
    empty = r.InvalidInput([])
    assert empty.errors == ("invalid input @ $",)
    assert str(empty).startswith("1 problem:")


def test_version_conflict_and_lifecycle_messages():
    assert "reload it" in str(r.VersionConflict(pathway_id="p", expected=1, actual=2))
    assert "  - a\n  - b" in str(r.InvalidLifecycle(["a", "b"]))
    refused = r.EventRefused(rule="R-X", state=None, event=None, allowed=(), detail="d")
    assert "NoneType refused in state None: d. Events accepted in this state: none" in str(refused)
