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
    refused = r.EventRefused(rule="R-X", state="x", event=None, allowed=(), detail="d")
    assert "NoneType refused in state 'x': d. Events accepted in this state: none" in str(refused)
    opening = r.EventRefused(rule="R-X", state=None, event=None, allowed=(), detail="d")
    assert str(opening) == "[R-X] NoneType refused, opening the pathway: d."  # no state None


# --- messages in the caller's terms, without personal data ------------------------------

import datetime as dt  # noqa: E402

import attrs  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reussite._sensitivity import _withheld_fields  # noqa: E402
from reussite.errors import describe  # noqa: E402
from reussite.privacy import domain_types  # noqa: E402

NAMES = ("Sonia", "Chérif")


def test_a_duplicate_guardian_names_the_ids_never_the_names():
    sonia = r.Guardian(id="g-1", first_name="Sonia", last_name="Chérif", relationship="mère")
    with pytest.raises(r.InvalidValue) as caught:
        r.Family(id="f-1", guardians=(sonia, sonia))
    message = str(caught.value)
    assert message == (
        "Family.guardians: expected distinct guardian ids ('g-1' appears twice), "
        "got (<Guardian 'g-1'>, <Guardian 'g-1'>)"
    )
    assert not any(name in message for name in NAMES)


def test_a_member_given_by_its_wire_value_is_named():
    from conftest import make_child

    with pytest.raises(r.InvalidValue) as caught:
        make_child(sex="M")
    assert str(caught.value) == (
        "Child.sex: expected a Sex member (Sex.MALE, whose wire value is 'M'), got 'M'"
    )


def test_values_are_shown_in_the_callers_terms():
    with pytest.raises(r.InvalidValue) as caught:
        r.Consent(id="acc-1", on=dt.date(1800, 1, 1), given_by=("g-1",))
    assert str(caught.value).endswith("got 1800-01-01")
    assert describe(r.Sex.FEMALE) == "Sex.FEMALE ('F')"
    assert describe(dt.datetime(2018, 1, 2, 3, 4)) == "2018-01-02T03:04:00"  # noqa: DTZ001
    assert describe(b"secret") == "<6 bytes>"
    assert describe({"first_name": "Sonia"}) == "<dict with keys 'first_name'>"
    assert describe(object()) == "<object>"
    assert describe(tuple(range(12))) == "(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, ... 2 more)"
    assert describe(frozenset({"b", "a"})) == "{'a', 'b'}"
    assert describe([[[["deep"]]]]) == "[[[...]]]"
    assert describe("x" * 200).endswith("...")
    assert len(describe("x" * 200)) == 80


def test_the_withheld_fields_are_the_personal_ones():
    withheld = {f"{owner}.{field}" for owner, field in _withheld_fields()}
    assert {
        "Child.first_name",
        "Child.last_name",
        "Child.birth_date",
        "Guardian.phone",
        "Guardian.email",
        "Referral.notes",
        "Referent.name",
    } <= withheld
    assert not withheld & {"Child.id", "Child.commune", "Child.family_id", "Pathway.id"}


def _text_fields() -> list[tuple[type, str]]:
    by_name = {cls.__name__: cls for cls in domain_types()}
    return sorted(
        ((by_name[owner], field) for owner, field in _withheld_fields() if owner in by_name),
        key=lambda pair: (pair[0].__name__, pair[1]),
    )


@pytest.mark.parametrize(("cls", "field"), _text_fields(), ids=lambda x: getattr(x, "__name__", x))
@settings(max_examples=10)  # one field of one type per case
@given(data=st.data())
def test_no_error_repeats_a_personal_value(cls: type, field: str, data: st.DataObject) -> None:
    instance = data.draw(st.from_type(cls))
    current = getattr(instance, field)
    if isinstance(current, dt.date):
        bad: object = dt.date(1850, 1, 1)  # out of every range
    elif isinstance(current, tuple):
        bad = ("Sonia\x00Chérif",)
    else:
        bad = "Sonia\x00Chérif"
    with pytest.raises(r.InvalidValue) as caught:
        attrs.evolve(instance, **{field: bad})
    message = str(caught.value)
    assert "(not shown: personal data)" in message
    assert "Sonia" not in message
    assert "1850" not in message


def test_every_error_crosses_a_process_boundary_whole() -> None:
    """A worker of map_cohort raising one: the parent gets the same message and fields
    (they were rebuilt from their message alone, or not at all)."""
    import pickle

    conflict = r.RegisterConflict(
        rule="R-REENTRY", pathway_id="p-2", other_id="p-1", detail="d", line=3, recorded=True
    )
    for error in (
        r.InvalidValue("Child", "birth_date", dt.date(2010, 1, 1), "a date"),
        r.InvalidInput(["a @ $.x (line 2)", "b @ $"], source="cohorte.jsonl"),
        r.EventRefused(rule="R-X", state=r.State.ACTIVE, event=None, allowed=("a",), detail="d"),
        r.VersionConflict(pathway_id="p", expected=1, actual=2),
        r.NotInForce("territory", dt.date(2000, 1, 1), dt.date(2007, 1, 1)),
        r.InvalidLifecycle(["a"]),
        conflict,
    ):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert again.args == error.args
        assert vars(again) == vars(error)


def test_an_error_holding_what_cannot_travel_crosses_with_a_description_of_it() -> None:
    """Review of issue 20 (round 28b): an export refusing a binary stream raised an error
    that could not itself cross to the parent (pickling's own error came instead)."""
    import io
    import pickle

    refused = r.InvalidValue("export_pseudonymised", "out", io.BufferedWriter(io.BytesIO()), "x")
    again = pickle.loads(pickle.dumps(refused))
    assert str(again) == str(refused)
    assert again.value == "<BufferedWriter, not sent across processes>"
    assert (again.owner, again.field, again.expected) == ("export_pseudonymised", "out", "x")


def test_an_error_that_holds_itself_pickles_at_once() -> None:
    """Review of issue 20 (round 28c): each level probed the one below it, exponentially
    (a map_cohort worker raising it would have hung its pool)."""
    import copy
    import pickle

    error = r.InvalidValue("Child", "id", "x", "an id")
    error.value = (error, [error])
    again = pickle.loads(pickle.dumps(error))
    assert again.value[0] is again
    assert again.value[1][0] is again
    assert copy.deepcopy(error).value[0] is not error
