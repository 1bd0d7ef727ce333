"""Bad input of every kind: the only exception is InvalidInput, always with located lines."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import make_programme, to_state
from reussite.serialization import dump_cohort, dump_pathway, dumps, load_cohort, loads

TYPES = (r.Pathway, r.Programme, r.Event, r.ConsentGiven, r.Child, r.Action, r.Timeline)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


def outcome(data: str | bytes, type_: Any = r.Pathway) -> Any:
    """The value read, or ``None`` when refused, checking how it was refused."""
    try:
        return loads(data, type_)
    except r.InvalidInput as error:
        problems = error.errors
    assert problems
    for line in problems:
        assert " @ $" in line, line
    return None


@given(json_values, st.sampled_from(TYPES))
def test_arbitrary_json_values_are_refused_with_located_lines(value: Any, type_: Any) -> None:
    read = outcome(json.dumps(value), type_)
    assert read is None or isinstance(read, type_)


@given(rs.pathways(max_events=10), st.data())
def test_truncated_documents_are_refused(pathway: r.Pathway, data: st.DataObject) -> None:
    text = dump_pathway(pathway)
    cut = data.draw(st.integers(0, len(text) - 1))
    assert outcome(text[:cut]) is None
    assert outcome(text.encode()[:cut]) is None  # possibly inside a UTF-8 sequence


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_paths(item, (*prefix, index)))
    return found


def _mutate(document: Any, path: tuple[Any, ...], operation: str, new: Any) -> Any:
    if not path:
        return new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if operation == "delete":
        del parent[last]
    elif operation == "add" and isinstance(parent, dict):
        parent[f"{last}_extra"] = new
    else:
        parent[last] = new
    return document


@given(rs.pathways(max_events=10), st.data())
def test_mutated_documents_are_refused_or_read_exactly(
    pathway: r.Pathway, data: st.DataObject
) -> None:
    document = json.loads(dump_pathway(pathway))
    path = data.draw(st.sampled_from(_paths(document)))
    operation = data.draw(st.sampled_from(("replace", "delete", "add")))
    new = data.draw(json_values)
    mutated = json.dumps(_mutate(document, path, operation, new), ensure_ascii=False)
    read = outcome(mutated)
    if read is not None:  # a harmless mutation: all it says is in what is written back
        said = json.loads(mutated)
        if isinstance(said, dict) and said.get("state", "") is None:
            del said["state"]  # null derived state: not given, as when absent
        assert _contains(json.loads(dumps(read)), said)


def _contains(written: Any, read: Any) -> bool:
    """Whether every value of ``read`` is in ``written`` at the same place (a deleted key
    with a default comes back with it)."""
    if isinstance(read, dict):
        return isinstance(written, dict) and all(
            k in written and _contains(written[k], v) for k, v in read.items()
        )
    if isinstance(read, list):
        return (
            isinstance(written, list)
            and len(written) == len(read)
            and all(_contains(w, v) for w, v in zip(written, read, strict=True))
        )
    same_kind = type(written) is type(read) or {type(written), type(read)} == {int, float}
    return same_kind and written == read


@given(rs.pathways(max_events=6), st.data())
def test_byte_flips_are_refused_or_read(pathway: r.Pathway, data: st.DataObject) -> None:
    raw = bytearray(dump_pathway(pathway).encode())
    for _ in range(data.draw(st.integers(1, 3))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    read = outcome(bytes(raw))
    assert read is None or isinstance(read, r.Pathway)


def active_text() -> str:
    return dump_pathway(to_state(make_programme(), r.State.ACTIVE))


def replace_fte(literal: str) -> str:
    text = active_text()
    assert '"fte":0.8' in text
    return text.replace('"fte":0.8', f'"fte":{literal}')


CASES: dict[str, tuple[Callable[[], str | bytes], str]] = {
    "invalid UTF-8": (
        lambda: active_text().encode().replace(b"Yanis", b"Yan\xc3is"),
        "not valid UTF-8 at byte",
    ),
    "UTF-16": (lambda: active_text().encode("utf-16"), "not valid UTF-8 at byte 0"),
    "BOM in bytes": (lambda: b"\xef\xbb\xbf" + active_text().encode(), "byte order mark"),
    "BOM in text": (lambda: "\ufeff" + active_text(), "byte order mark"),
    "NaN": (lambda: replace_fte("NaN"), "expected a number, got NaN"),
    "Infinity": (lambda: replace_fte("Infinity"), "expected a number, got Infinity"),
    "-Infinity": (lambda: replace_fte("-Infinity"), "expected a number, got -Infinity"),
    "overflowing float": (lambda: replace_fte("1e400"), "expected a number, got 1e400"),
    "huge integer": (lambda: replace_fte("1" * 5000), "invalid JSON: Exceeds the limit"),
    "large integer": (lambda: replace_fte("1" * 30), "expected a number, got 1111"),
    "deep nesting": (lambda: "[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
    "huge string": (
        lambda: active_text().replace('"Yanis"', json.dumps("Y" * 1_000_000)),
        "expected at most 200 characters",
    ),
    "NUL in a name": (
        lambda: active_text().replace('"Yanis"', '"Ya\\u0000nis"'),
        "expected a string without control characters nor line breaks, got a string of 6",
    ),
    "escape in a code": (
        lambda: active_text().replace('"ref-a"', '"ref-\\u001ba"'),
        "expected an identifier",
    ),
    "duplicate key": (
        lambda: active_text().replace('"state":"active"', '"state":"active","state":"closed"'),
        'duplicate key "state" in an object',
    ),
    "empty": (lambda: "", "invalid JSON: Expecting value (line 1, column 1)"),
    "trailing data": (lambda: active_text() + "{}", "invalid JSON: Extra data"),
    "impossible date": (
        lambda: active_text().replace("2017-10-09", "2017-02-30"),
        'expected a date as YYYY-MM-DD, got "2017-02-30" (day is out of range for month)',
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_bad_input_is_one_located_problem(case: str) -> None:
    build, message = CASES[case]
    with pytest.raises(r.InvalidInput) as caught:
        loads(build(), r.Pathway)
    assert any(message in line for line in caught.value.errors), caught.value.errors
    assert all(" @ $" in line for line in caught.value.errors)


def test_the_located_cases_point_at_the_value() -> None:
    with pytest.raises(r.InvalidInput) as caught:
        loads(replace_fte("NaN"), r.Pathway)
    assert caught.value.errors == (
        "expected a number, got NaN (not a finite JSON number) @ $.programme.referents[1].fte",
    )


@given(rs.pathways(max_events=6), st.lists(json_values, max_size=4))
def test_collect_mode_survives_any_line(pathway: r.Pathway, junk: list[Any]) -> None:
    stream = io.StringIO()
    dump_cohort([pathway], stream)
    lines = stream.getvalue().splitlines()
    text = "\n".join([lines[0], *(json.dumps(j) for j in junk), lines[1]])
    with load_cohort(io.StringIO(text), on_error="collect") as cohort:
        read = list(cohort)
    assert read[-1] == pathway
    assert len(read) + len(cohort.errors) == len(junk) + 1
    for failure in cohort.errors:
        assert all(" @ $" in line for line in failure.errors)
