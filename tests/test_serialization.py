from __future__ import annotations

import datetime as dt
import io
import json
import typing
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import D, as_version_3, distinct, make_programme, to_state
from reussite.privacy import Sensitivity
from reussite.serialization import (
    SCHEMA_VERSION,
    LineError,
    dump_cohort,
    dump_pathway,
    dumps,
    load_cohort,
    load_pathway,
    loads,
    make_converter,
)
from reussite.serialization._cohort import CohortHeader
from reussite.serialization._documents import PathwayDocument


def active() -> r.Pathway:
    return to_state(make_programme(), r.State.ACTIVE)


def document(pathway: r.Pathway | None = None) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(dump_pathway(pathway or active()))
    return result


def errors_of(data: str | bytes, type_: Any = r.Pathway, **options: Any) -> tuple[str, ...]:
    with pytest.raises(r.InvalidInput) as caught:
        loads(data, type_, **options)
    return caught.value.errors


# --- round trips ------------------------------------------------------------------------


@given(
    st.one_of(
        rs.programmes(),
        rs.guardians(),
        rs.families(),
        rs.children(),
        rs.referrals(),
        rs.objectives(),
        rs.actions(),
    )
)
def test_every_generated_value_round_trips(value: Any) -> None:
    assert loads(dumps(value), type(value)) == value


@given(rs.histories())
def test_every_event_round_trips_as_itself_and_as_an_event(events: list[r.Event]) -> None:
    for event in events:
        text = dumps(event)
        assert json.loads(text)["type"] == event.tag
        assert loads(text, type(event)) == event
        assert loads(text, r.Event) == event


@given(rs.pathways())
def test_every_generated_pathway_round_trips(pathway: r.Pathway) -> None:
    assert load_pathway(dump_pathway(pathway)) == pathway
    assert loads(dumps(pathway), r.Pathway) == pathway
    assert load_pathway(dump_pathway(pathway).encode()) == pathway


def test_leap_days_zero_and_very_large_amounts_and_non_ascii_names_survive() -> None:
    action = r.Action(
        id="act-1",
        label="Séjour « À plus dans le bus » 🚌",
        objective_ids=("obj-1",),
        funding=r.ActionFunding.PRE_FUNDED,
        start=D(2016, 2, 29),
        end=D(2020, 2, 29),
        cost_cents=2**62,
        family_share_cents=0,
    )
    text = dumps(action)
    assert '"start":"2016-02-29"' in text
    assert "À plus" in text  # UTF-8 kept, not \u-escaped
    assert loads(text, r.Action) == action


def test_wire_forms_dates_money_enums_frozensets_timelines() -> None:
    programme = make_programme()
    wire = json.loads(dumps(programme))
    assert wire["territory"]["name"] == "territory"
    second = wire["territory"]["periods"][1]
    assert second["from"] == "2016-06-01"
    assert second["value"]["communes"] == ["13014", "13103"]  # sorted
    child = json.loads(dumps(to_state(programme, r.State.REFERRED).child))
    assert child["sex"] == "M"
    assert child["birth_date"] == "2009-05-04"
    wire_action = document()["events"][6]["action"]
    assert wire_action["cost_cents"] == 12_000


def test_a_pathway_document_has_its_envelope_and_derived_state() -> None:
    doc = document()
    assert list(doc)[:4] == ["schema", "version", "id", "state"]
    assert doc["schema"] == "reussite.pathway"
    assert doc["version"] == SCHEMA_VERSION
    assert doc["state"] == "active"
    assert [e["type"] for e in doc["events"]][:3] == ["referred", "consent_given", "assessed"]


def test_schema_version_and_the_envelope_literals_agree() -> None:
    for cls in (PathwayDocument, CohortHeader):
        assert typing.get_type_hints(cls)["version"] == typing.Literal[SCHEMA_VERSION]


def test_a_document_may_leave_the_programme_to_the_reader() -> None:
    pathway = active()
    text = dump_pathway(pathway, programme=pathway.programme)
    assert "programme" not in json.loads(text)
    assert load_pathway(text, programme=pathway.programme) == pathway
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(text)
    assert caught.value.errors == (
        "required key missing (no programme in the document, none given) @ $.programme",
    )
    other = attrs.evolve(pathway.programme, name="Un autre PRE")
    with pytest.raises(r.InvalidValue):
        dump_pathway(pathway, programme=other)
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(dump_pathway(pathway), programme=other)
    assert caught.value.errors == (
        "the pathway's programme differs from the one given @ $.programme",
    )


def test_load_pathway_accepts_an_already_parsed_document() -> None:
    pathway = active()
    assert load_pathway(document(pathway)) == pathway


# --- strictness: no silent coercion -----------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "text", "message"),
    [
        (int, "12.5", "expected an integer, got 12.5 @ $"),
        (int, "true", "expected an integer, got true @ $"),
        (int, '"12"', 'expected an integer, got "12" @ $'),
        (int, "9223372036854775808", "expected an integer that fits in 64 bits, got "),
        (bool, '"no"', 'expected true or false, got "no" @ $'),
        (bool, "0", "expected true or false, got 0 @ $"),
        (str, "151", "expected a string, got 151 @ $"),
        (str, "null", "expected a string, got null @ $"),
        (str, '"\\ud800"', "expected a string of Unicode characters"),
        (float, '"0.5"', 'expected a number, got "0.5" @ $'),
        (dt.date, '"2018-02-30"', 'expected a date as YYYY-MM-DD, got "2018-02-30" (day is'),
        (dt.date, '"20180201"', 'expected a date as YYYY-MM-DD, got "20180201" @ $'),
        (dt.date, '"2018-W05-4"', 'expected a date as YYYY-MM-DD, got "2018-W05-4" @ $'),
        (dt.date, "17500", "expected a date as YYYY-MM-DD, got 17500 @ $"),
        (r.Sex, '"fille"', 'expected one of "F", "M", "U", got "fille" @ $'),
        (r.ProgrammeRules, "[]", "expected a JSON object (ProgrammeRules), got [] @ $"),
        (tuple[str, ...], '"abc"', 'expected an array, got "abc" @ $'),
        (frozenset[str], '["a", "a"]', 'expected an array of distinct items, got ["a", "a"] @ $'),
    ],
)
def test_nothing_is_coerced(type_: Any, text: str, message: str) -> None:
    (error,) = errors_of(text, type_)
    assert error.startswith(message)


def test_a_float_accepts_a_json_integer() -> None:
    assert loads("1", float) == 1.0
    assert type(loads("1", float)) is float


def test_the_default_cattrs_coercions_are_refused_in_a_document() -> None:
    doc = document()
    doc["events"][6]["action"]["cost_cents"] = 12.5
    doc["events"][6]["action"]["cancelled"] = "no"
    doc["events"][0]["child"]["first_name"] = 151
    assert errors_of(json.dumps(doc)) == (
        "expected a string, got an integer (not shown: personal data) "
        "@ $.events[0].child.first_name",
        "expected an integer, got 12.5 @ $.events[6].action.cost_cents",
        'expected true or false, got "no" @ $.events[6].action.cancelled',
    )


def test_unknown_keys_are_rejected_unless_ignored() -> None:
    doc = document()
    doc["events"][1]["consent"]["colour"] = "bleu"
    doc["events"][2]["note"] = "x"
    doc["extra"] = 1
    assert errors_of(json.dumps(doc)) == (
        "unknown key (check its spelling, or load with unknown_keys='ignore') "
        "@ $.events[1].consent.colour",
        "unknown key (check its spelling, or load with unknown_keys='ignore') @ $.events[2].note",
        "unknown key (check its spelling, or load with unknown_keys='ignore') @ $.extra",
    )
    assert loads(json.dumps(doc), r.Pathway, unknown_keys="ignore") == active()
    with pytest.raises(ValueError, match="unknown_keys"):
        loads("1", int, unknown_keys="maybe")  # type: ignore[arg-type]


def test_odd_keys_are_quoted_in_paths() -> None:
    (error,) = errors_of('{"type": "contact_lost", "on": "2018-01-01", "a b": 1}', r.Event)
    assert error.endswith('@ $["a b"]')


# --- located errors ---------------------------------------------------------------------


def test_domain_validators_become_located_lines() -> None:
    doc = document()
    doc["events"][1]["consent"]["valid_until"] = "2017-10-01"  # before it was signed
    doc["events"][0]["child"]["commune"] = "Salon"
    assert errors_of(json.dumps(doc)) == (
        'expected an INSEE commune code of 5 characters (13103), got "Salon" '
        "@ $.events[0].child.commune",
        'expected a date on or after 2017-10-09, got "2017-10-01" '
        "@ $.events[1].consent.valid_until",
    )


def test_a_refused_event_is_located_by_its_index() -> None:
    doc = document()
    del doc["events"][1]  # no consent: the assessment is refused
    del doc["state"]
    (error,) = errors_of(json.dumps(doc))
    assert error.startswith("[R-TRANSITION] assessed refused in state 'referred'")
    assert error.endswith("@ $.events[1]")
    doc = document()
    doc["events"][1]["consent"]["on"] = "2017-09-01"  # before the referral
    (error,) = errors_of(json.dumps(doc))
    assert error.startswith("[R-CHRONOLOGY] consent_given refused")
    assert error.endswith("@ $.events[1]")


def test_a_failure_outside_the_rules_is_located_too() -> None:
    doc = document()
    # The admission's EPS met before the programme had rules: the rules cannot be read.
    doc["events"][4]["decision"]["on"] = "2001-01-01"
    (error,) = errors_of(json.dumps(doc))
    assert "programme rules is not defined on 2001-01-01" in error
    assert error.endswith("@ $.events[4]")


def test_derived_state_and_id_must_agree_with_the_events() -> None:
    doc = document()
    doc["state"] = "closed"
    doc["id"] = "p-2"
    assert errors_of(json.dumps(doc)) == (
        'expected the referral\'s pathway_id "p-1", got "p-2" @ $.id',
        'expected "active", the state the events lead to, got "closed" @ $.state',
    )
    del doc["state"]
    doc["id"] = "p-1"
    assert load_pathway(json.dumps(doc)) == active()


def test_events_are_checked_against_their_tag() -> None:
    doc = document()
    doc["events"][2]["type"] = "assessd"
    doc["events"][3].pop("type")
    lines = errors_of(json.dumps(doc))
    assert lines[0].startswith("expected an event type (action_ended, action_planned, ")
    assert lines[0].endswith('got "assessd" @ $.events[2].type')
    assert lines[1] == "required key missing @ $.events[3].type"
    assert errors_of('{"type": "started", "on": "2018-01-01"}', r.ContactLost) == (
        'expected "contact_lost", got "started" @ $.type',
    )
    assert errors_of("[]", r.Event) == ('expected an event object with a "type", got [] @ $',)


def test_every_problem_of_a_document_is_listed() -> None:
    doc = document()
    doc["events"][0]["child"]["birth_date"] = "2009-02-29"
    doc["events"][0]["child"].pop("sex")
    doc["events"][5]["on"] = 3
    doc["programme"]["referents"][0]["fte"] = "1"
    lines = errors_of(json.dumps(doc))
    assert lines == (
        'expected a number, got "1" @ $.programme.referents[0].fte',
        "expected a date as YYYY-MM-DD, got a string (not shown: personal data) "
        "(day is out of range for month) @ $.events[0].child.birth_date",
        "required key missing @ $.events[0].child.sex",
        "expected a date as YYYY-MM-DD, got 3 @ $.events[5].on",
    )


def test_the_envelope_is_checked() -> None:
    doc = document()
    doc["schema"] = "reussite.cohort"
    del doc["version"]
    assert errors_of(json.dumps(doc)) == (
        'expected "reussite.pathway", got "reussite.cohort" @ $.schema',
        "required key missing @ $.version",
    )
    assert errors_of("[1]") == ("expected a pathway (a JSON object), got [1] @ $",)
    doc = document()
    doc["events"] = []
    del doc["state"]
    assert errors_of(json.dumps(doc)) == ("expected at least one event, the referral @ $.events",)


def test_the_converter_raises_invalid_input_for_a_pathway() -> None:
    conv = make_converter()
    pathway = active()
    assert conv.structure(conv.unstructure(pathway), r.Pathway) == pathway
    doc = document()
    doc["state"] = "closed"
    with pytest.raises(r.InvalidInput):
        conv.structure(doc, r.Pathway)


# --- upgrades ---------------------------------------------------------------------------

VERSION_1 = """{
  "schema": "reussite.pathway", "version": 1, "id": "p-1",
  "programme": PROGRAMME,
  "events": [
    {"event": "referred", "pathway_id": "p-1",
     "child": {"id": "enf-1", "first_name": "Yanis", "last_name": "Kaci",
               "birth_date": "2009-05-04", "sex": "M", "school_level": "CM1",
               "commune": "13103", "qpv": "QP013901", "family_id": "fam-1"},
     "family": {"id": "fam-1", "guardians": [{"id": "g-1", "first_name": "Nadia",
                "last_name": "Kaci", "relationship": "mère"}]},
     "referral": {"on": "2017-10-02", "source": "education_nationale",
                  "reasons": ["learning"], "referrer": "Directrice de l'école"}},
    {"event": "consent_given", "consent": {"id": "acc-1", "on": "2017-10-09",
                                            "given_by": ["g-1"]}},
    {"event": "assessed", "assessment": {"on": "2017-10-20"}},
    {"event": "objective_set", "on": "2017-10-20",
     "objective": {"id": "obj-1", "domain": "school", "label": "Lire couramment"}},
    {"event": "admitted", "referent_id": "ref-a",
     "decision": {"team_id": "eps-salon", "on": "2017-11-06",
                  "members_present": ["coord", "ien"]}},
    {"event": "started", "on": "2017-11-13"},
    {"event": "action_planned", "on": "2017-11-13",
     "action": {"id": "act-1", "label": "Aide aux devoirs", "objective_ids": ["obj-1"],
                "funding": "pre_funded", "start": "2017-11-15",
                "cost": "120.00", "family_share": "40.5"}}
  ]
}"""


def version_1(**replace: str) -> str:
    programme = as_version_3(json.loads(dumps(make_programme())))  # undated referents
    text = VERSION_1.replace("PROGRAMME", json.dumps(programme, ensure_ascii=False))
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_a_version_1_document_is_upgraded_on_load() -> None:
    pathway = load_pathway(version_1())
    assert pathway.state is r.State.ACTIVE
    (action,) = pathway.actions
    assert (action.cost_cents, action.family_share_cents) == (12_000, 4_050)
    assert json.loads(dumps(pathway))["version"] == SCHEMA_VERSION


def test_a_version_1_amount_that_is_not_euros_is_located() -> None:
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(version_1(**{'"120.00"': '"120,00"', '"40.5"': "40.5"}))
    assert caught.value.errors == (
        'expected an amount in euros such as "45.50", got "120,00" @ $.events[6].action.cost',
        "expected an amount in euros as a decimal string, got 40.5 "
        "@ $.events[6].action.family_share",
    )


def test_a_newer_or_unknown_version_is_refused_clearly() -> None:
    doc = document()
    doc["version"] = SCHEMA_VERSION + 1
    assert errors_of(json.dumps(doc)) == (
        f"schema version {SCHEMA_VERSION + 1} is newer than this reussite reads "
        f"(up to {SCHEMA_VERSION}): upgrade reussite @ $.version",
    )
    doc["version"] = 0
    assert errors_of(json.dumps(doc)) == (
        f"unknown schema version 0 (known: 1 to {SCHEMA_VERSION}) @ $.version",
    )
    doc["version"] = "2"
    assert errors_of(json.dumps(doc)) == (
        'expected a schema version (an integer), got "2" @ $.version',
    )


def test_a_migration_cannot_be_registered_twice() -> None:
    from reussite.serialization._migrations import migration

    with pytest.raises(ValueError, match="already registered"):
        migration(from_version=1)(lambda d: d)


# --- cohorts ----------------------------------------------------------------------------


def cohort_text(pathways: list[r.Pathway], programme: r.Programme | None = None) -> str:
    stream = io.StringIO()
    assert dump_cohort(pathways, stream, programme=programme) == len(pathways)
    return stream.getvalue()


@given(st.data())
def test_a_cohort_round_trips_through_every_kind_of_source(data: st.DataObject) -> None:
    programme = data.draw(rs.programmes())
    pathways = distinct(
        data.draw(st.lists(rs.pathways(programme=programme, max_events=8), max_size=4))
    )
    text = cohort_text(pathways, programme)
    header = json.loads(text.splitlines()[0])
    assert header["schema"] == "reussite.cohort"
    assert header["version"] == SCHEMA_VERSION
    for source in (io.StringIO(text), io.BytesIO(text.encode())):
        with load_cohort(source) as cohort:
            assert cohort.programme == programme
            assert list(cohort) == pathways
            assert cohort.errors == []


def test_a_cohort_file_on_disk(tmp_path: Any) -> None:
    pathway = active()
    path = tmp_path / "cohorte.jsonl"
    pathways = distinct([pathway, pathway])
    assert dump_cohort(pathways, path) == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert "programme" not in json.loads(lines[1])
    with load_cohort(str(path)) as cohort:
        assert list(cohort) == pathways
    with load_cohort(path) as cohort:
        assert next(iter(cohort)) == pathway  # closing early is fine


def test_a_cohort_streams_one_line_at_a_time() -> None:
    pathway = active()
    lines = cohort_text([pathway]).splitlines(keepends=True)

    def endless() -> Any:
        yield lines[0]
        while True:
            yield lines[1]

    cohort = load_cohort(endless(), check_register=False)  # type: ignore[arg-type]
    taken = [p for _, p in zip(range(50), cohort, strict=False)]
    assert taken == [pathway] * 50


def test_a_bad_line_raises_with_its_line_number_and_the_file_name(tmp_path: Any) -> None:
    pathway = active()
    good = cohort_text([pathway]).splitlines()
    bad = json.loads(good[1])
    bad["events"][3]["on"] = "2018-02-30"
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join([good[0], good[1], "", json.dumps(bad), good[1]]) + "\n")
    with load_cohort(path) as cohort:
        iterator = iter(cohort)
        assert next(iterator) == pathway
        with pytest.raises(r.InvalidInput) as caught:
            next(iterator)
    assert caught.value.source == str(path)
    assert caught.value.errors == (
        'expected a date as YYYY-MM-DD, got "2018-02-30" (day is out of range for month) '
        "@ $.events[3].on (line 4)",
    )
    assert str(caught.value).startswith(f"{path}: 1 problem:")


def test_collect_mode_keeps_the_good_lines() -> None:
    pathway = active()
    good = cohort_text([pathway]).splitlines()
    refused = json.loads(good[1])
    del refused["events"][1]
    del refused["state"]
    text = "\n".join([good[0], good[1], "{not json", json.dumps(refused), good[1], "[]"])
    with load_cohort(io.StringIO(text), on_error="collect") as cohort:
        assert list(cohort) == [pathway]
    assert [e.line for e in cohort.errors] == [3, 4, 5, 6]
    assert cohort.errors[0] == LineError(
        3, ("invalid JSON: Expecting property name enclosed in double quotes (column 2) @ $",)
    )
    assert cohort.errors[1].errors[0].startswith("[R-TRANSITION] assessed refused")
    assert cohort.errors[2].errors[0].startswith("[R-UNIQUE-PATHWAY] pathway 'p-1': appears twice")
    assert "(line 2)" in cohort.errors[2].errors[0]
    assert cohort.errors[3].errors == ("expected a pathway (a JSON object), got [] @ $",)


def test_a_line_of_another_programme_and_a_bad_header() -> None:
    pathway = active()
    other = attrs.evolve(pathway.programme, name="Autre")
    with pytest.raises(r.InvalidValue):
        dump_cohort([pathway], io.StringIO(), programme=other)
    with pytest.raises(r.InvalidValue):
        dump_cohort([], io.StringIO())
    assert cohort_text([], pathway.programme).count("\n") == 1
    cases = {
        "": "expected the cohort header on line 1, the file is empty @ $ (line 1)",
        "[]": "expected the cohort header (a JSON object), got [] @ $ (line 1)",
        '{"schema": "x"}': 'expected "reussite.cohort", got "x" @ $.schema (line 1)',
        '{"version": 2}': 'expected "reussite.cohort", got no schema @ $.schema (line 1)',
        '{"schema": "reussite.cohort", "version": 9}': "schema version 9 is newer",
        '{"schema": "reussite.cohort", "version": 2}': "required key missing @ $.programme",
        '\ufeff{"a": 1}': "the text starts with a byte order mark (BOM)",
    }
    for text, message in cases.items():
        with pytest.raises(r.InvalidInput) as caught:
            load_cohort(io.StringIO(text))
        assert caught.value.errors[0].startswith(message.split(" (line")[0]), text


def test_a_version_1_cohort_is_upgraded() -> None:
    text = version_1()
    doc = json.loads(text)
    header = {"schema": "reussite.cohort", "version": 1, "programme": doc.pop("programme")}
    for key in ("schema", "version"):
        doc.pop(key)
    lines = [json.dumps(header), json.dumps(doc)]
    with load_cohort(io.StringIO("\n".join(lines))) as cohort:
        (pathway,) = cohort
    assert pathway == load_pathway(text)


def test_undecodable_bytes_in_a_cohort() -> None:
    pathway = active()
    good = cohort_text([pathway]).encode().splitlines(keepends=True)
    data = b"".join([good[0], b'{"id": "\xff"}\n', good[1]])
    with load_cohort(io.BytesIO(data), on_error="collect") as cohort:
        assert list(cohort) == [pathway]
    assert cohort.errors == [LineError(2, ("not valid UTF-8 at byte 8 (invalid start byte) @ $",))]
    text = cohort_text([pathway]).splitlines()

    def text_stream() -> Any:  # what a text file does on bytes it cannot decode
        yield text[0]
        yield text[1]
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    with load_cohort(text_stream(), on_error="collect") as cohort:  # type: ignore[arg-type]
        assert list(cohort) == [pathway]
    assert [e.line for e in cohort.errors] == [3]
    assert (
        cohort.errors[0]
        .errors[0]
        .startswith(
            "the text stream could not be decoded (invalid start byte) at or after this line"
        )
    )
    with pytest.raises(ValueError, match="on_error"):
        load_cohort(io.StringIO(cohort_text([pathway])), on_error="skip")  # type: ignore[arg-type]


@pytest.mark.parametrize("binary", [False, True])
def test_blank_lines_are_json_whitespace_whatever_the_stream(binary: bool) -> None:
    p = to_state(make_programme(), r.State.ACTIVE)
    out = io.StringIO()
    dump_cohort([p], out, programme=p.programme)
    text = out.getvalue() + "\n \t \r\n\xa0\n"  # two blank lines, then one that is not
    source: Any = io.BytesIO(text.encode()) if binary else io.StringIO(text)
    with load_cohort(source, on_error="collect") as cohort:
        assert list(cohort) == [p]
    assert [e.line for e in cohort.errors] == [5]


# --- consent scopes (issue 21): an optional key, the schema version unchanged ------------


@given(rs.consents())
def test_consents_with_or_without_scopes_round_trip(consent: r.Consent) -> None:
    assert loads(dumps(consent), r.Consent) == consent


def test_a_consent_written_before_scopes_reads_with_none() -> None:
    old = (
        '{"id":"acc-1","on":"2017-10-09","given_by":["g-1"],'
        '"recipients":["CMP"],"valid_until":null}'
    )
    consent = loads(old, r.Consent)
    assert consent.scopes == ()
    assert not consent.allows("CMP", Sensitivity.HEALTH)
    document = json.loads(dumps(consent))
    assert document["scopes"] == []
    assert SCHEMA_VERSION == 4
    pathway = to_state(make_programme(), r.State.ACTIVE)
    text = dump_pathway(pathway)
    without = text.replace(',"scopes":[]', "")
    assert without != text
    assert load_pathway(without) == load_pathway(text)


def test_a_scope_naming_child_protection_is_refused_where_it_is() -> None:
    text = (
        '{"id":"acc-1","on":"2017-10-09","given_by":["g-1"],'
        '"scopes":[{"recipient":"ASE","categories":["child_protection"]}]}'
    )
    (message,) = errors_of(text, r.Consent)
    assert message.startswith("expected categories without child_protection")
    assert message.endswith("@ $.scopes[0].categories")
