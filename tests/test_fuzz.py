"""Fuzzing every reader: whatever comes in, nothing but ``ReussiteError`` comes out.

Inputs: arbitrary bytes and text, arbitrary JSON, pathway documents mutated (a value
replaced, a key deleted or added, bytes flipped, text cut), cohort files of such lines,
and ledgers of arbitrary cells. Each reader either gives values (which must then write
back and read again equal) or raises a ``ReussiteError``; any other exception fails.

The ``ci`` and ``default`` Hypothesis profiles run a few dozen examples per test (a few
seconds in all). The long run is the ``fuzz`` profile::

    REUSSITE_HYPOTHESIS_PROFILE=fuzz python -m pytest tests/test_fuzz.py --no-cov

(20,000 examples per test, about an hour on one core).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import scaled
from reussite.budget import read_ledger
from reussite.serialization import (
    dump_cohort,
    dump_pathway,
    dumps,
    load_cohort,
    load_pathway,
    loads,
)
from test_serialization_bad_input import _mutate as mutate
from test_serialization_bad_input import _paths as paths_of

LONG = os.environ.get("REUSSITE_HYPOTHESIS_PROFILE") == "fuzz"
fuzz = settings(
    max_examples=20_000 if LONG else scaled(160),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TYPES = (r.Pathway, r.Programme, r.Event, r.Child, r.Family, r.Action, r.Timeline, r.Referral)

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


def only_reussite_errors(read: Callable[[], Any]) -> Any:
    """What ``read`` gives, or ``None`` if it raised a ``ReussiteError`` (anything else fails)."""
    try:
        return read()
    except r.ReussiteError:
        return None


def read_back(value: Any, type_: Any) -> None:
    """An accepted value writes back to text that reads again equal."""
    if value is not None:
        assert loads(dumps(value), type_) == value


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """A pathway document with one to three mutations of its JSON or of its bytes."""
    document = json.loads(dump_pathway(draw(rs.pathways(max_events=8))))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(paths_of(document))
        path = draw(st.sampled_from(paths))
        operation = draw(st.sampled_from(("replace", "delete", "add", "version")))
        document = _mutate(document, path, operation, draw(json_values))
    raw = bytearray(json.dumps(document, ensure_ascii=False).encode())
    if raw and draw(st.booleans()):
        for _ in range(draw(st.integers(1, 3))):
            raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    if raw and draw(st.booleans()):
        raw = raw[: draw(st.integers(0, len(raw)))]
    return bytes(raw)


def _mutate(document: Any, path: tuple[Any, ...], operation: str, new: Any) -> Any:
    if operation == "version" and isinstance(document, dict):
        document["version"] = new if not isinstance(new, int) else new % 4
        return document
    return mutate(document, path, operation, new)


@fuzz
@given(st.binary(max_size=300), st.sampled_from(TYPES))
def test_arbitrary_bytes(data: bytes, type_: Any) -> None:
    read_back(only_reussite_errors(lambda: loads(data, type_)), type_)
    only_reussite_errors(lambda: load_pathway(data))
    only_reussite_errors(lambda: read_ledger(data, strict=False))


@fuzz
@given(st.text(max_size=300), st.sampled_from(TYPES))
def test_arbitrary_text(text: str, type_: Any) -> None:
    read_back(only_reussite_errors(lambda: loads(text, type_)), type_)
    only_reussite_errors(lambda: read_ledger(text, strict=False))


@fuzz
@given(json_values, st.sampled_from(TYPES))
def test_arbitrary_json(value: Any, type_: Any) -> None:
    read_back(only_reussite_errors(lambda: loads(json.dumps(value), type_)), type_)


@fuzz
@given(mutated_documents())
def test_mutated_documents(data: bytes) -> None:
    pathway = only_reussite_errors(lambda: load_pathway(data))
    read_back(pathway, r.Pathway)


@fuzz
@given(st.lists(mutated_documents() | st.binary(max_size=80), max_size=5), st.booleans())
def test_cohorts_of_mutated_lines(lines: list[bytes], as_text: bool) -> None:
    header = io.StringIO()
    dump_cohort([], header, programme=rs_programme())
    text = header.getvalue().encode() + b"\n".join(
        line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines
    )

    def read() -> tuple[list[r.Pathway], int]:
        source: Any = io.BytesIO(text)
        if as_text:
            source = io.TextIOWrapper(io.BytesIO(text), encoding="utf-8")
        with load_cohort(source, on_error="collect", max_line_bytes=10_000) as cohort:
            return list(cohort), cohort.error_count

    result = only_reussite_errors(read)
    assert result is not None  # the header is good: collect mode raises nothing
    read_lines, failed = result
    assert len(read_lines) + failed <= len(lines)


def rs_programme() -> r.Programme:
    from conftest import make_programme

    return make_programme()


CELLS = st.text(st.characters(codec="utf-8", exclude_characters="\n\r;"), max_size=12)
HEADERS = ["Sens", "Compte", "Libellé", "Montant", "Financeur", "Nature", "Exercice", "N° compte"]


@fuzz
@given(
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6, unique=True),
    st.lists(st.lists(CELLS, max_size=7), max_size=6),
    st.sampled_from(["utf-8", "cp1252", "utf-16"]),
)
def test_ledgers_of_arbitrary_cells(
    headers: list[str], rows: list[list[str]], encoding: str
) -> None:
    text = "\n".join(";".join(row) for row in [headers, *rows])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # some text has no Windows-1252 form
        return
    only_reussite_errors(lambda: read_ledger(data))
    ledger = only_reussite_errors(lambda: read_ledger(data, strict=False))
    assert ledger is not None  # non-strict reading reports, it does not raise


def test_the_fuzz_profile_is_documented() -> None:
    assert "REUSSITE_HYPOTHESIS_PROFILE=fuzz" in (__doc__ or "")
