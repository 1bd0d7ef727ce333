from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from conftest import D, make_programme, to_state
from reussite.privacy import (
    COLUMNS,
    EVALUATION,
    MIN_KEY_BYTES,
    Purpose,
    Sensitivity,
    Transform,
    age_band,
    export_pseudonymised,
    pseudonymise,
)
from reussite.serialization import dumps
from reussite.strategies import cohorts
from test_privacy_marks import ID_MARK, TEXT_MARK, marked_pathway

KEY = bytes.fromhex("cb693f822434bf535936cba1871776f9e6402eb7950e897ce78869cc812f301a")
OTHER_KEY = bytes.fromhex("cd3dc3ddbbfb98129bdd0ec7392c60c3bbb71d9447d84c950d51d4552617b4a7")
LATE = D(2100, 1, 1)


def export(pathways, *, purpose="evaluation", key=KEY, fmt="jsonl", **options) -> str:
    out = io.StringIO()
    export_pseudonymised(
        pathways, key=key, purpose=purpose, as_of=LATE, format=fmt, out=out, **options
    )
    return out.getvalue()


def rows(text: str) -> list[dict]:
    lines = text.splitlines()
    assert "reussite_export" in json.loads(lines[0])
    return [json.loads(line) for line in lines[1:]]


def csv_rows(text: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    assert lines[0].startswith("# {")
    return list(csv.DictReader(lines[1:]))


def pseudonyms(text: str) -> set[str]:
    return set(re.findall(r"\b[0-9a-f]{32}\b", text))


# --- the properties ------------------------------------------------------------


@given(cohorts(), st.sampled_from(["jsonl", "csv"]), st.sampled_from(["band", "years"]))
def test_no_direct_identifier_leaves(cohort, fmt, ages):
    """Every name, raw id, contact, note and birth date of the input is absent from the bytes.

    Generated names can be one letter (``"a"``) and would match inside ``"active"`` by
    chance, so instead of searching for the raw values the input is first *marked*
    (``test_privacy_marks``): every direct-identifier string gets ``§…§`` (text) or a
    ``zid-`` prefix (ids), which cannot appear in an export by chance. Birth dates are
    searched as ISO dates, unless the cohort holds the same date elsewhere: a child may
    be referred on the day of its birth (and declared ineligible), and the referral date
    is exported.
    """
    marked = [marked_pathway(p) for p in cohort]
    everything = {Sensitivity.HEALTH, Sensitivity.CHILD_PROTECTION}
    data = export(marked, fmt=fmt, ages=ages, include=everything).encode("utf-8")
    assert TEXT_MARK.encode() not in data
    assert ID_MARK.encode() not in data
    assert b"zid" not in data
    other_dates = set().union(*(_dates_but_births(json.loads(dumps(p))) for p in marked))
    for pathway in marked:
        birth = pathway.child.birth_date.isoformat()
        if birth not in other_dates:
            assert birth.encode() not in data


def _dates_but_births(value: object, key: str = "") -> set[str]:
    """Every ISO date in a JSON value, except under a ``birth_date`` key."""
    if isinstance(value, dict):
        return set().union(*(_dates_but_births(v, k) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(_dates_but_births(v, key) for v in value))
    if isinstance(value, str) and key != "birth_date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return {value}
    return set()


@given(cohorts())
def test_two_purposes_share_no_pseudonym(cohort):
    evaluation = pseudonyms(export(cohort, purpose="evaluation"))
    survey = pseudonyms(export(cohort, purpose="survey"))
    assert evaluation
    assert len(evaluation) >= len({p.child.id for p in cohort})
    assert not evaluation & survey


@given(cohorts())
def test_same_key_and_purpose_give_stable_pseudonyms(cohort):
    first, again = rows(export(cohort)), rows(export(list(reversed(cohort))))
    assert sorted(first, key=lambda x: x["pathway"]) == sorted(again, key=lambda x: x["pathway"])
    other_key = pseudonyms(export(cohort, key=OTHER_KEY))
    assert not pseudonyms(export(cohort)) & other_key


@given(cohorts())
def test_pseudonyms_keep_the_links_between_rows(cohort):
    exported = rows(export(cohort))
    for pathway, row in zip(cohort, exported, strict=True):
        assert row["child"] == pseudonymise(
            pathway.child.id, key=KEY, purpose=EVALUATION, kind="child"
        )
        assert (row["previous_pathway"] is None) == (pathway.previous_pathway_id is None)
    # same child -> same pseudonym; distinct children -> distinct pseudonyms
    assert len({row["child"] for row in exported}) == len({p.child.id for p in cohort})
    assert len({row["family"] for row in exported}) == len({p.family.id for p in cohort})
    by_id = {p.id: row["pathway"] for p, row in zip(cohort, exported, strict=True)}
    for pathway, row in zip(cohort, exported, strict=True):
        if pathway.previous_pathway_id in by_id:
            assert row["previous_pathway"] == by_id[pathway.previous_pathway_id]


@given(cohorts(), st.sampled_from(["jsonl", "csv"]))
def test_health_and_child_protection_stay_out_unless_included(cohort, fmt):
    default = export(cohort, fmt=fmt)
    header = json.loads(default.splitlines()[0].removeprefix("# "))["reussite_export"]
    names = {c["name"] for c in header["columns"]}
    assert {"handover_recipient", "objectives_health", "handover_on"}.isdisjoint(names)
    assert {c["category"] for c in header["columns"]} <= {
        "ordinary",
        "school",
        "quasi_identifier",
        "family_situation",
    }
    assert header["categories_dropped"] == ["health", "child_protection", "direct_identifier"]
    got = rows(default) if fmt == "jsonl" else csv_rows(default)
    for row in got:
        assert row["referral_source"] not in ("ase", "pmi", "health_services")
        reasons = row["referral_reasons"]
        reasons = reasons if isinstance(reasons, list) else reasons.split(";")
        assert not {"health_access", "psychological"} & set(reasons)
    full = export(cohort, fmt=fmt, include=["health", "child_protection"])
    header = json.loads(full.splitlines()[0].removeprefix("# "))["reussite_export"]
    assert {"handover_recipient", "objectives_health"} <= {c["name"] for c in header["columns"]}
    assert header["categories_dropped"] == ["direct_identifier"]
    assert header["withheld_codes"] == {}


@given(cohorts(), st.sampled_from(["jsonl", "csv"]))
def test_rows_keep_what_statistics_need(cohort, fmt):
    text = export(cohort, fmt=fmt, ages="years")
    got = rows(text) if fmt == "jsonl" else csv_rows(text)
    assert len(got) == len(cohort)
    for pathway, row in zip(cohort, got, strict=True):
        assert row["commune"] == pathway.child.commune
        assert row["qpv"] == (pathway.child.qpv if fmt == "jsonl" else pathway.child.qpv or "")
        assert row["school_level"] == pathway.child.school_level.value
        assert row["state"] == pathway.state.value
        age = r.age_on(pathway.child.birth_date, pathway.referral.on)
        assert str(row["age_at_referral"]) == str(age)
        assert row["age_band"] == age_band(pathway.child.birth_date, pathway.referral.on)
        assert str(row["actions_total"]) == str(len(pathway.actions))


# --- examples ----------------------------------------------------------------------------


def test_header_states_purpose_date_schema_and_categories():
    out, sidecar = io.StringIO(), io.StringIO()
    manifest = export_pseudonymised(
        [to_state(make_programme(), r.State.ACTIVE)],
        key=KEY,
        purpose=Purpose(name="etude-lecture", label_fr="étude sur la lecture"),
        as_of=D(2018, 1, 1),
        out=out,
        sidecar=sidecar,
    )
    header = json.loads(sidecar.getvalue())["reussite_export"]
    assert header["purpose"] == "etude-lecture"
    assert header["purpose_label_fr"] == "étude sur la lecture"
    assert header["as_of"] == "2018-01-01"
    assert header["categories_kept"] == [
        "ordinary",
        "school",
        "quasi_identifier",
        "family_situation",
    ]
    assert header["withheld_codes"]["referral_source"] == ["ase", "health_services", "pmi"]
    assert [c["name"] for c in header["columns"]] == [c.name for c in manifest.columns]
    assert "age_at_referral" not in [c.name for c in manifest.columns]
    assert manifest.rows == 1
    row = json.loads(out.getvalue())  # with a sidecar, the stream holds only rows
    assert row["age_band"] == "6-10"
    assert row["commune"] == "13103"
    assert row["qpv"] == "QP013901"
    assert row["referral_reasons"] == ["learning"]
    assert row["objectives_school"] == 1
    assert row["actions_cost_cents"] == 12_000
    assert "Yanis" not in out.getvalue() + sidecar.getvalue()


def test_csv_writes_lists_flags_and_blanks():
    text = export([to_state(make_programme(), r.State.ACTIVE)], fmt="csv")
    (row,) = csv_rows(text)
    assert row["eligible"] == "true"
    assert row["exit_on"] == ""
    assert row["referral_reasons"] == "learning"
    assert row["started_on"] == "2017-11-13"


def test_a_short_key_is_refused_without_showing_it():
    with pytest.raises(r.InvalidValue, match=f"at least {MIN_KEY_BYTES}") as caught:
        export([], key=b"s3cret-but-short")
    assert "s3cret" not in str(caught.value)
    with pytest.raises(r.InvalidValue, match=r"<str>"):
        export([], key="a string, not bytes, is refused" * 2)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"fmt": "xml"}, "'jsonl' or 'csv'"),
        ({"ages": "exact"}, "'band'"),
        ({"include": ["direct_identifier"]}, "without direct_identifier"),
        ({"include": ["secret"]}, "a Sensitivity"),
        ({"purpose": 42}, "a Purpose or a purpose name"),
        ({"purpose": "not a name!"}, "an identifier"),
    ],
)
def test_bad_options_are_refused(options, message):
    with pytest.raises(r.InvalidValue, match=re.escape(message)):
        export([], **options)


def test_an_export_cannot_describe_the_future():
    pathway = to_state(make_programme(), r.State.ACTIVE)
    with pytest.raises(r.InvalidValue, match=r"on or after every pathway's last event"):
        export_pseudonymised(
            [pathway], key=KEY, purpose="evaluation", as_of=D(2017, 11, 1), out=io.StringIO()
        )
    with pytest.raises(r.InvalidValue, match=r"a datetime.date"):
        export_pseudonymised(
            [], key=KEY, purpose="evaluation", as_of="2017-11-01", out=io.StringIO()
        )


def test_only_pathways_are_exported():
    with pytest.raises(r.InvalidValue, match=r"Pathway values"):
        export([{"id": "p-1"}])


def test_purpose_refuses_direct_identifiers_and_needs_ordinary_data():
    with pytest.raises(r.InvalidValue, match=r"without direct_identifier"):
        Purpose(
            name="x",
            label_fr="x",
            categories=frozenset({Sensitivity.ORDINARY, Sensitivity.DIRECT_IDENTIFIER}),
        )
    with pytest.raises(r.InvalidValue, match=r"including ordinary"):
        Purpose(name="x", label_fr="x", categories=frozenset({Sensitivity.SCHOOL}))
    with pytest.raises(r.InvalidValue, match=r"frozenset of Sensitivity"):
        Purpose(name="x", label_fr="x", categories={"ordinary"})  # type: ignore[arg-type]
    assert Purpose.of(EVALUATION) is EVALUATION
    assert Purpose.of("survey").label_fr.startswith("enquête")


def test_every_column_can_leave_under_some_purpose_and_sources_exist():
    from reussite.privacy import catalogue

    names = {e.name for e in catalogue()}
    everything = EVALUATION.including("health", "child_protection").categories
    for column in COLUMNS:
        assert set(column.sources) <= names, column.name
        assert column.category() in everything, column.name
    pseudonymised = {c.name for c in COLUMNS if c.transform is Transform.PSEUDONYM}
    assert pseudonymised == {"pathway", "child", "family", "previous_pathway"}
    assert len({c.name for c in COLUMNS}) == len(COLUMNS)


def test_age_bands_cover_every_age():
    born = dt.date(2000, 6, 1)
    assert age_band(born, dt.date(2001, 6, 1)) == "0-1"
    assert age_band(born, dt.date(2016, 5, 31)) == "11-15"
    assert age_band(born, dt.date(2016, 6, 1)) == "16+"
