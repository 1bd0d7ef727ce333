"""The mirror path reads canonical text in C: it says yes only where the general path does."""

from __future__ import annotations

import enum
import io
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import as_version_3, make_programme, to_state
from reussite import _validate as _v
from reussite.serialization import dump_cohort, dump_pathway, load_pathway
from reussite.serialization._converter import INT_BOUND, converters
from reussite.serialization._documents import (
    PathwayDocument,
    PathwayLine,
    _mirror,
    record_from_object,
    record_from_text,
)
from reussite.serialization._errors import Problems
from reussite.serialization._json import dump, parse
from reussite.serialization._migrations import SCHEMA_VERSION
from reussite.serialization._mirror import Mirror, NotCanonical
from test_serialization_bad_input import _mutate, _paths, json_values

FAST, DETAILED = converters(True)


def _mirrored(text: str | bytes, document: bool) -> Any:
    """What the mirror reads from ``text``, or ``None`` when it leaves it to the general path."""
    try:
        return _mirror(document).read(text)
    except Exception:
        return None


def _general(text: str | bytes, document: bool) -> Any:
    """What the general path (parse, fast path, detailed converter) reads, or ``None``."""
    try:
        value = parse(text)
        version = None if document else SCHEMA_VERSION
        return record_from_object(value, fast=FAST, detailed=DETAILED, version=version)
    except Problems:
        return None


def _agree(text: str | bytes, document: bool) -> Any:
    """Check that the mirror takes only what the general path takes, as the same value."""
    mirrored = _mirrored(text, document)
    if mirrored is not None:
        assert mirrored == _general(text, document)
        assert type(mirrored) is (PathwayDocument if document else PathwayLine)
    return mirrored


def _line(pathway: r.Pathway) -> str:
    stream = io.StringIO()
    dump_cohort([pathway], stream)
    return stream.getvalue().splitlines()[1]


# --- what reussite writes goes through the mirror ----------------------------------------


@given(rs.pathways(max_events=12))
def test_every_document_and_cohort_line_written_is_read_by_the_mirror(
    pathway: r.Pathway,
) -> None:
    document = _agree(dump_pathway(pathway), document=True)
    assert document is not None
    assert document.events == pathway.history
    assert document.programme == pathway.programme
    line = _agree(_line(pathway).encode(), document=False)
    assert line is not None
    assert line.events == pathway.history
    assert line.programme is None
    assert load_pathway(dump_pathway(pathway)) == pathway


# --- and nothing the general path refuses -------------------------------------------------


@given(rs.pathways(max_events=10), st.data(), st.booleans())
def test_the_mirror_agrees_with_the_general_path_on_mutated_documents(
    pathway: r.Pathway, data: st.DataObject, document: bool
) -> None:
    value = json.loads(dump_pathway(pathway) if document else _line(pathway))
    path = data.draw(st.sampled_from(_paths(value)))
    operation = data.draw(st.sampled_from(("replace", "delete", "add")))
    mutated = _mutate(value, path, operation, data.draw(json_values))
    _agree(dump(mutated), document)


@given(rs.pathways(max_events=6), st.data())
def test_the_mirror_agrees_with_the_general_path_on_edited_text(
    pathway: r.Pathway, data: st.DataObject
) -> None:
    text = _line(pathway)
    at = data.draw(st.integers(0, len(text)))
    edit = data.draw(st.sampled_from(("", " ", ",", '"', "\\", "0", "9", "}", "]", ":", "é")))
    cut = data.draw(st.integers(0, 3))
    _agree(text[:at] + edit + text[at + cut :], document=False)


@pytest.mark.parametrize("document", [True, False])
def test_the_mirror_agrees_with_the_general_path_on_every_key_left_out(document: bool) -> None:
    pathway = to_state(make_programme(), r.State.EXIT_PROPOSED)
    value = json.loads(dump_pathway(pathway) if document else _line(pathway))
    paths = [path for path in _paths(value) if path and isinstance(path[-1], str)]
    assert len(paths) > 50
    taken = set()
    for path in paths:
        mutated = _mutate(json.loads(json.dumps(value)), path, "delete", None)
        if _agree(dump(mutated), document) is not None:
            taken.add(path)
    # The mirror writes back what a key left out defaults to, so only the keys the writer
    # itself may leave out pass: the derived state, and the programme of a document (whose
    # insides the fast path reads, with their defaults).
    assert {path for path in taken if path[0] != "programme"} == {("state",)}
    assert (("programme",) in taken) is document


def _canonical_line() -> dict[str, Any]:
    return dict(json.loads(_line(to_state(make_programme(), r.State.ACTIVE))))


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (lambda t: t.replace('"id":', '"id":"p-x","id":', 1), "a repeated key"),
        (lambda t: t.replace('"first_name":"', '"first_name":"\\ud800', 1), "a lone surrogate"),
        (lambda t: re.sub(r'"cost_cents":\d+', f'"cost_cents":{INT_BOUND}', t, count=1), "65 bits"),
        (lambda t: re.sub(r'"cost_cents":(\d+)', r'"cost_cents":\1.0', t, count=1), "a float"),
        (lambda t: re.sub(r'"cost_cents":\d+', '"cost_cents":false', t, count=1), "a boolean"),
        (lambda t: re.sub(r'"on":"[0-9-]{10}"', '"on":"2018-02-30"', t, count=1), "no such day"),
        (lambda t: t.replace(',"events"', ',"note":null,"events"', 1), "an unknown key"),
        (lambda t: t.replace('"state":"active"', '"state":null', 1), "a null not written"),
        (lambda t: t.replace('"type":"consent_given"', '"type":"consent"', 1), "a bad tag"),
        (lambda t: json.dumps(json.loads(t), indent=1), "pretty-printed"),
        (lambda t: t.replace('"p-1"', '"p\\u002d1"', 1), "an escape not needed"),
    ],
)
def test_what_the_mirror_leaves_to_the_general_path(text: Any, why: str) -> None:
    canonical = json.dumps(_canonical_line(), ensure_ascii=False, separators=(",", ":"))
    changed = text(canonical)
    assert changed != canonical, why
    with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal sends it on
        _mirror(False).read(changed)
    # ...where it is read or refused as ever.
    general = _general(changed, document=False)
    try:
        record = record_from_text(changed, fast=FAST, detailed=DETAILED, version=SCHEMA_VERSION)
    except Problems:
        assert general is None
    else:
        assert record == general


def test_json_whitespace_around_the_text_is_allowed() -> None:
    canonical = json.dumps(_canonical_line(), ensure_ascii=False, separators=(",", ":"))
    assert _agree(f" \t{canonical}\r\n", document=False) is not None
    assert _agree(f"{canonical}\n".encode(), document=False) is not None


def test_an_older_version_is_upgraded_by_the_general_path() -> None:
    pathway = to_state(make_programme(), r.State.ACTIVE)
    document = as_version_3(json.loads(dump_pathway(pathway)))  # nothing of version 4
    document["version"] = 1  # and written as version 1 was: the version matches the content
    for event in document["events"]:
        event["event"] = event.pop("type")
        action = event.get("action")
        if action is not None:
            for old in ("cost", "family_share"):
                cents = action.pop(f"{old}_cents")
                action[old] = f"{cents // 100}.{cents % 100:02d}"
    text = dump(document)
    with pytest.raises(Exception):  # noqa: B017, PT011 - version 1 is not the mirror's
        _mirror(True).read(text)
    assert _general(text, document=True) is not None
    assert load_pathway(text) == pathway


def test_only_bytes_and_text_are_read() -> None:
    canonical = json.dumps(_canonical_line(), ensure_ascii=False, separators=(",", ":"))
    with pytest.raises(NotCanonical):
        _mirror(False).read(bytearray(canonical.encode()))


def test_a_mirror_leaves_to_the_fast_path_what_it_cannot_mirror() -> None:
    # A programme holds timelines and sets: the mirror keeps it raw and hands it over.
    seen: list[Any] = []

    def structure(value: Any, type_: Any) -> Any:
        seen.append(type_)
        return FAST.structure(value, type_)

    mirror = Mirror(PathwayLine, structure=structure, omit_defaults=True)
    pathway = to_state(make_programme(), r.State.ACTIVE)
    value = json.loads(_line(pathway))
    value = {"id": value["id"], "state": value["state"], "programme": None, **value}
    value["programme"] = json.loads(dump_pathway(pathway))["programme"]
    record = mirror.read(dump(value))
    assert record.programme == pathway.programme
    assert seen == [r.Programme | None]


# --- the validators' checks written inline decide as the validators do ------------------


def _event_path(line: dict[str, Any], tag: str, *keys: str) -> tuple[Any, ...]:
    index = next(i for i, e in enumerate(line["events"]) if e["type"] == tag)
    return ("events", index, *keys)


_LONG = "x" * 500
EDGES = (
    [
        (("action_planned", "action", "label"), value)
        for value in (_LONG, _LONG + "x", "", " ", " \t\u2003", "a", " a ")
    ]
    + [
        (("referred", "child", "first_name"), value)
        for value in ("y" * 200, "y" * 201, "\u00a0", "Zoé")
    ]
    + [
        (("action_planned", "action", "start"), value)
        for value in ("1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01")
    ]
    + [(("action_planned", "action", "cost_cents"), value) for value in (-1, 0, 3999, 4000, 9**18)]
    + [
        (("action_planned", "action", "objective_ids"), value)
        for value in ([], ["obj-1"], ["obj-1", "obj-1"], ["-obj"], ["o" * 128], ["o" * 129])
    ]
    + [(("action_planned", "action", "end"), value) for value in ("2017-11-14", "2017-11-15")]
    + [(("action_planned", "action", "provider"), value) for value in (None, " ", "p" * 301)]
    + [(("referred", "child", "commune"), value) for value in ("13103", "2A004", "1310", "2C004")]
    + [(("referred", "child", "qpv"), value) for value in (None, "QP013951", "QP01395")]
    + [(("consent_given", "consent", "recipients"), value) for value in ([], ["caf"], [""])]
    + [(("admitted", "decision", "members_present"), value) for value in ([], ["a", "a"])]
    + [(("consent_given", "consent", "given_by"), value) for value in (["g-1", "g-1"], [])]
)


@pytest.mark.parametrize(("where", "value"), EDGES)
def test_inline_checks_decide_as_the_validators_on_the_edges(
    where: tuple[str, ...], value: Any
) -> None:
    line = _canonical_line()
    path = _event_path(line, *where)
    mutated = _mutate(line, path, "replace", value)
    text = dump(mutated)
    general = _general(text, document=False)
    # Canonical text: the mirror decides itself, the same way, with the same value.
    assert _mirrored(text, document=False) == general


def test_items_told_apart_by_a_key_are_checked_distinct_when_there_are_two() -> None:
    line = _canonical_line()
    path = _event_path(line, "referred", "family", "guardians")
    guardian = line["events"][path[1]]["family"]["guardians"][0]
    other = {**guardian, "id": "g-9"}
    for guardians, distinct in (
        ([guardian], True),
        ([guardian, other], True),
        ([guardian] * 2, False),
    ):
        text = dump(_mutate(line, path, "replace", guardians))
        general = _general(text, document=False)
        assert (general is not None) is distinct
        assert _mirrored(text, document=False) == general


@attrs.frozen
class _AfterInit:
    n: int = attrs.field(validator=_v.integer())
    m: int = attrs.field(default=0, validator=_v.integer(min_value=0, max_value=9))

    def __attrs_post_init__(self) -> None:
        if self.n == 13:
            raise ValueError("unlucky")


def test_a_class_that_runs_code_after_init_is_built_by_its_init() -> None:
    mirror = Mirror(_AfterInit, structure=FAST.structure)
    assert mirror.read(b'{"n":-5,"m":9}') == _AfterInit(n=-5, m=9)
    for refused in (b'{"n":13,"m":0}', b'{"n":1,"m":10}', b'{"n":1,"m":-1}'):
        with pytest.raises(ValueError):  # noqa: PT011 - the post-init's or a validator's
            mirror.read(refused)


class _Level(enum.IntEnum):
    ONE = 1


@attrs.frozen
class _Numbered:
    level: _Level = attrs.field(validator=_v.member(_Level))


@attrs.frozen(init=False)
class _OwnInit:
    s: str = attrs.field(validator=_v.text())

    def __init__(self, s: str) -> None:
        self.__attrs_init__(s=s.strip())


@attrs.frozen
class _Codes:
    codes: frozenset[str] = attrs.field(factory=frozenset)
    n: int = 0


def _read_both(cls: type, text: bytes) -> tuple[Any, Any]:
    def attempt(read: Any) -> Any:
        try:
            return read()
        except Exception:
            return None

    mirror = Mirror(cls, structure=FAST.structure)
    return attempt(lambda: mirror.read(text)), attempt(lambda: FAST.structure(parse(text), cls))


def test_what_the_wire_rules_read_otherwise_is_not_mirrored() -> None:
    # An enumeration of integers is read by value as a string on the wire: the general
    # path refuses 1, so must the mirror.
    assert _read_both(_Numbered, b'{"level":1}') == (None, None)
    # A hand-written __init__ runs: the class is built by it, not field by field.
    assert _read_both(_OwnInit, b'{"s":" a "}') == (_OwnInit(s="a"), _OwnInit(s="a"))
    # A set is left raw for the general path, and must be given: its default is not None.
    assert _read_both(_Codes, b'{"codes":["a"],"n":1}') == (_Codes(frozenset({"a"}), 1),) * 2
    assert _read_both(_Codes, b'{"n":1}') == (None, _Codes(n=1))


def test_the_domain_classes_are_built_field_by_field() -> None:
    from reussite.serialization._mirror import _plain

    for cls in (*r.EVENT_TYPES.values(), r.Action, r.Objective, r.Child, r.Consent):
        assert _plain(cls), cls
    assert not _plain(_OwnInit)
    assert not _plain(_AfterInit)


def test_a_document_order_must_name_every_field_once() -> None:
    with pytest.raises(ValueError, match="must list the fields"):
        Mirror(_Codes, structure=FAST.structure, order=["codes"])
