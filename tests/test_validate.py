"""The shared validators: every bad value raises InvalidValue naming class, field, value."""

from __future__ import annotations

import datetime as dt

import pytest

import reussite as r
from conftest import D, make_child


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("id", "", "an identifier of 1-128"),
        ("id", 151, "an identifier of 1-128"),
        ("first_name", "   ", "a non-blank string"),
        ("first_name", 151, "a string"),
        ("first_name", "x" * 201, "at most 200 characters"),
        ("birth_date", dt.datetime(2009, 1, 1), "a datetime.date"),  # noqa: DTZ001
        ("birth_date", "2009-01-01", "a datetime.date"),
        ("birth_date", D(1800, 1, 1), "a date between 1900-01-01 and 2199-12-31"),
        ("sex", "F", "a Sex member (Sex.FEMALE, whose wire value is 'F')"),
        ("sex", 3, "a Sex member (Sex.FEMALE, Sex.MALE, Sex.UNKNOWN)"),
        ("commune", "1310", "an INSEE commune code"),
        ("commune", "١٣١٠٣", "an INSEE commune code"),  # Arabic-Indic digits are not digits here
        ("qpv", "QP13006", "a QPV code"),
        ("school_uai", "0131234", "a UAI school code"),
    ],
)
def test_child_fields_reject_bad_values(field, value, expected):
    with pytest.raises(r.InvalidValue) as caught:
        make_child(**{field: value})
    error = caught.value
    assert ("Child", field, value) == (error.owner, error.field, error.value)
    assert expected in str(error)
    assert isinstance(error, ValueError)
    assert isinstance(error, TypeError)


def test_long_values_are_shortened_in_messages():
    with pytest.raises(r.InvalidValue) as caught:
        make_child(commune="9" * 200)
    assert str(caught.value).endswith("...")


def test_integers_refuse_bools_and_floats_and_bounds():
    base = {
        "id": "a",
        "label": "x",
        "objective_ids": ("o",),
        "funding": r.ActionFunding.MAINSTREAM,
        "start": D(2018, 1, 1),
    }
    for bad in (True, 12.5, -1):
        with pytest.raises(r.InvalidValue, match="cost_cents"):
            r.Action(**base, cost_cents=bad)
    with pytest.raises(r.InvalidValue, match=r"at most the cost \(100 cents\)"):
        r.Action(**base, cost_cents=100, family_share_cents=101)
    with pytest.raises(r.InvalidValue, match="on or after start"):
        r.Action(**base, end=D(2017, 12, 31))
    with pytest.raises(r.InvalidValue, match="a tuple of at least 1"):
        r.Action(**{**base, "objective_ids": ()})
    with pytest.raises(r.InvalidValue, match="a tuple"):
        r.Action(**{**base, "objective_ids": ["o"]})
    with pytest.raises(r.InvalidValue, match="distinct objective ids"):
        r.Action(**{**base, "objective_ids": ("o", "o")})


def test_fractions_and_frozensets():
    with pytest.raises(r.InvalidValue, match=r"a number in \(0, 1\]"):
        r.Referent(id="a", name="A", fte=0)
    with pytest.raises(r.InvalidValue, match="a number between 0 and 1"):
        r.Referent(id="a", name="A", fte="1")
    with pytest.raises(r.InvalidValue, match="a frozenset"):
        r.Territory(communes={"13103"})
    with pytest.raises(r.InvalidValue, match="an integer >= 0"):
        r.ProgrammeRules(min_age=-1)
    with pytest.raises(r.InvalidValue, match="an integer <= 25"):
        r.ProgrammeRules(max_age=40)
    with pytest.raises(r.InvalidValue, match=r"an age >= min_age \(10\)"):
        r.ProgrammeRules(min_age=10, max_age=8)


def test_consent_and_handover_cross_field_rules():
    with pytest.raises(r.InvalidValue, match="on or after 2018-01-01"):
        r.Consent(id="k", on=D(2018, 1, 1), given_by=("g",), valid_until=D(2017, 1, 1))
    with pytest.raises(r.InvalidValue, match="distinct guardian ids"):
        r.Consent(id="k", on=D(2018, 1, 1), given_by=("g", "g"))
    assert (
        r.Handover(
            on=D(2018, 1, 1), recipient=r.HandoverRecipient.CRIP, parents_informed=True
        ).reason_not_informed
        is None
    )


def test_validators_describe_themselves_as_data():
    from reussite import _validate as v

    assert v.spec_of(v.text(max_length=5)) == v.Spec("text", (1, 5, False))
    assert v.spec_of(v.cents()) == v.Spec("integer", (0, None))
    assert v.spec_of(v.member(r.Sex)) == v.Spec("member", (r.Sex,))
    inner = v.text()
    assert v.spec_of(v.optional(inner)) == v.Spec("optional", (inner,))
    assert v.spec_of(v.tuple_of(inner, min_length=2)) == v.Spec("tuple_of", (inner, 2))
    assert v.spec_of(v.IDENTIFIER).kind == "pattern"
    assert v.spec_of(v.unique(str, "ids")) == v.Spec("unique", (str, "ids"))
    # Those without a description are called as they are.
    assert v.spec_of(v.frozenset_of(inner)) is None
    assert v.spec_of(lambda inst, attr, value: None) is None


@pytest.mark.parametrize("bad", ["Ya\x00nis", "Ya\x1bnis", "Ya\x85nis", "Ya\x7fnis", "Ya\nnis"])
def test_names_refuse_control_characters_and_line_breaks(bad):
    with pytest.raises(r.InvalidValue, match="without control characters nor line breaks"):
        make_child(first_name=bad)


def test_free_text_keeps_line_breaks_and_tabs_but_refuses_other_controls():
    reason = "Premier entretien :\n\tla famille souhaite réfléchir."
    assert r.FamilyRefused(on=D(2018, 1, 1), note=reason).note == reason
    with pytest.raises(r.InvalidValue, match="a string without control characters, got"):
        r.FamilyRefused(on=D(2018, 1, 1), note="a\x00b")


def test_printable_text_that_is_not_ascii_is_accepted():
    assert make_child(first_name="Zoé\u00a0Inès").first_name == "Zoé\u00a0Inès"  # NBSP is text


@pytest.mark.parametrize("bad", ["p-1\x00", "p\n1", "p 1"])
def test_codes_refuse_control_characters(bad):
    with pytest.raises(r.InvalidValue, match="an identifier"):
        make_child(id=bad)
