"""The fast paths of reading say yes and no exactly where the careful paths do."""

from __future__ import annotations

import json
import math
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import action as make_action
from conftest import make_child, make_programme, to_state
from reussite.serialization import dump_pathway, dumps
from reussite.serialization._converter import INT_BOUND, converters
from reussite.serialization._documents import PathwayDocument
from reussite.serialization._errors import Problems
from reussite.serialization._fast import Refused, compilable
from reussite.serialization._json import _DECODER, _NOT_CANONICAL, _canonical, dump, parse
from test_serialization_bad_input import _mutate, _paths, json_values

TYPES = (r.Child, r.Action, r.Objective, r.Programme, r.Event, r.ConsentGiven, r.ActionPlanned)


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same JSON kind all the way down (``1`` is not ``1.0``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _decisions(value: Any, type_: Any, forbid: bool) -> tuple[Any, Any]:
    """What the fast and the detailed converters make of ``value``: a value or ``None``."""
    results = []
    for converter in converters(forbid):
        try:
            results.append(converter.structure(value, type_))
        except Exception:
            results.append(None)
    return results[0], results[1]


# --- the compiled structure functions -------------------------------------------------


@given(rs.pathways(max_events=10), st.data(), st.booleans())
def test_fast_and_detailed_converters_agree_on_mutated_documents(
    pathway: r.Pathway, data: st.DataObject, forbid: bool
) -> None:
    document = json.loads(dump_pathway(pathway))
    path = data.draw(st.sampled_from(_paths(document)))
    operation = data.draw(st.sampled_from(("replace", "delete", "add")))
    mutated = _mutate(document, path, operation, data.draw(json_values))
    fast, detailed = _decisions(mutated, PathwayDocument, forbid)
    assert fast == detailed


@given(json_values, st.sampled_from(TYPES), st.booleans())
def test_fast_and_detailed_converters_agree_on_any_json(
    value: Any, type_: Any, forbid: bool
) -> None:
    fast, detailed = _decisions(value, type_, forbid)
    assert fast == detailed


@given(rs.pathways(max_events=10))
def test_the_fast_converter_reads_every_document_written(pathway: r.Pathway) -> None:
    fast, detailed = _decisions(json.loads(dump_pathway(pathway)), PathwayDocument, True)
    assert fast is not None
    assert fast == detailed
    assert fast.events == pathway.history


def _document_with_everything() -> dict[str, Any]:
    """A pathway document with its programme and the main road's events."""
    pathway = to_state(make_programme(), r.State.EXIT_PROPOSED)
    return dict(json.loads(dump_pathway(pathway)))


@pytest.mark.parametrize("forbid", [True, False])
def test_fast_and_detailed_converters_agree_on_every_key_left_out(forbid: bool) -> None:
    # Every key, one at a time: the defaults (a factory reading ``self`` included) and
    # the required keys of every class, from the programme down to the events' values.
    document = _document_with_everything()
    paths = [path for path in _paths(document) if path and isinstance(path[-1], str)]
    assert len(paths) > 100
    for path in paths:
        mutated = _mutate(json.loads(json.dumps(document)), path, "delete", None)
        fast, detailed = _decisions(mutated, PathwayDocument, forbid)
        assert fast == detailed, path


def test_a_programme_without_rules_takes_the_national_defaults() -> None:
    document = json.loads(dumps(make_programme()))
    del document["rules"]
    fast, detailed = _decisions(document, r.Programme, True)
    assert fast is not None
    assert fast == detailed
    given = {k: v for k, v in attrs.asdict(fast, recurse=False).items() if k != "rules"}
    assert fast.rules == r.Programme(**given).rules  # the default, as in Python


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", 151),
        ("first_name", "\ud800"),  # a lone surrogate
        ("birth_date", "2018-02-30"),
        ("birth_date", 20180228),
        ("sex", "Female"),
        ("school_level", None),
        ("qpv", 13),
    ],
)
def test_the_fast_path_refuses_what_the_wire_rules_refuse(field: str, value: Any) -> None:
    child = json.loads(dumps(make_child()))
    child[field] = value
    fast, detailed = converters(True)
    with pytest.raises((Refused, ValueError, TypeError)):
        fast.structure(child, r.Child)
    with pytest.raises(Exception, match="Child"):
        detailed.structure(child, r.Child)


def test_the_fast_path_refuses_integers_beyond_64_bits_and_duplicated_set_items() -> None:
    fast, _ = converters(True)
    action = json.loads(dumps(make_action()))
    for cost in (INT_BOUND, -INT_BOUND - 1, 12.5, True):
        with pytest.raises((Refused, ValueError)):
            fast.structure({**action, "cost_cents": cost}, r.Action)
    territory = json.loads(dumps(make_territory()))
    territory["qpv_codes"] = [territory["qpv_codes"][0]] * 2
    with pytest.raises(Refused):
        fast.structure(territory, r.Territory)


def make_territory() -> r.Territory:
    return r.Territory(communes=frozenset({"13103"}), qpv_codes=frozenset({"QP013951"}))


def test_only_plain_attrs_classes_are_compiled() -> None:
    assert compilable(r.Child)
    assert not compilable(r.Timeline[r.Territory])
    assert not compilable(str)


# --- the canonical parser -------------------------------------------------------------


@given(json_values)
def test_canonical_text_parses_as_the_standard_parser_reads_it(value: Any) -> None:
    text = dump(value)
    fast = _canonical(text)
    if fast is _NOT_CANONICAL:  # only numbers written otherwise (1e+16 and 1e16) differ
        assert _has_float(value)
        return
    assert _same(fast, _DECODER.decode(text))
    assert _same(_canonical(text.encode()), fast)


def _has_float(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return isinstance(value, float)


@given(json_values, st.data())
def test_any_text_the_fast_parser_takes_reads_the_same_in_the_standard_parser(
    value: Any, data: st.DataObject
) -> None:
    text = dump(value)
    at = data.draw(st.integers(0, len(text)))
    edit = data.draw(st.sampled_from(("", " ", ",", '"', "\\", "0", "}", "]", ":", "e", "é")))
    cut = data.draw(st.integers(0, 2))
    changed = text[:at] + edit + text[at + cut :]
    fast = _canonical(changed)
    if fast is not _NOT_CANONICAL:
        assert _same(fast, _DECODER.decode(changed))


@pytest.mark.parametrize(
    "text",
    [
        '{"a":1,"a":2}',  # a repeated key: the value written back has one
        '{"a":{"b":1,"b":1}}',
        "[NaN]",
        "[1e400]",
        "[1E5]",
        '{"a": 1}',
        '["\\u00e9"]',  # an escape that need not be one
        '["\\ud800"]',  # a lone surrogate
        "\ufeff[1]",
        "[1]\x0c",  # not JSON whitespace
        "\x0b[1]",
        "[1.50]",
    ],
)
def test_texts_written_otherwise_take_the_standard_parser(text: str) -> None:
    assert _canonical(text) is _NOT_CANONICAL
    assert _canonical(text.encode("utf-8", "surrogatepass")) is _NOT_CANONICAL


@pytest.mark.parametrize("text", ["[1]\n", "[1]\r\n", " \t[1] ", "\n[1]"])
def test_json_whitespace_around_the_value_is_canonical(text: str) -> None:
    assert _canonical(text) == [1]
    assert _canonical(text.encode()) == [1]


def test_a_repeated_key_is_still_a_located_problem() -> None:
    with pytest.raises(Problems, match=r'duplicate key "a" .* @ \$'):
        parse('{"a":1,"a":2}')


def test_non_finite_numbers_are_still_kept_for_a_located_problem() -> None:
    value = parse('{"fte":NaN}')
    assert not isinstance(value["fte"], float) or math.isnan(value["fte"])
    assert repr(value["fte"]) == "NaN (not a finite JSON number)"
