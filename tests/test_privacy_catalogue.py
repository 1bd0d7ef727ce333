from __future__ import annotations

import typing

import attrs
import pytest

import reussite as r
from reussite import _sensitivity as sens
from reussite._sensitivity import Sensitivity, category_of
from reussite.privacy import UncategorisedField, catalogue, domain_types


def test_every_field_of_every_domain_type_has_one_category():
    entries = catalogue()
    types = domain_types()
    assert {e.owner for e in entries} == set(types)
    assert len(entries) == sum(len(attrs.fields(t)) for t in types)
    assert len({e.name for e in entries}) == len(entries)
    for cls in types:
        for field in attrs.fields(cls):
            assert isinstance(category_of(field), Sensitivity), f"{cls.__name__}.{field.name}"


def test_every_record_a_pathway_can_hold_is_a_domain_type():
    reached: set[type] = set()
    todo = [r.Pathway, *r.EVENT_TYPES.values()]
    while todo:
        cls = todo.pop()
        if cls in reached:
            continue
        reached.add(cls)
        hints = typing.get_type_hints(cls)
        todo.extend(inner for f in attrs.fields(cls) for inner in _held(hints[f.name]))
    assert r.Child in reached
    assert r.Handover in reached
    assert r.Territory in reached
    assert reached <= set(domain_types())


def test_a_new_field_without_a_category_fails():
    pet = attrs.make_class(
        "Pet", {"name": attrs.field(metadata=sens.DIRECT), "nickname": attrs.field()}
    )
    with pytest.raises(UncategorisedField, match=r"Pet\.nickname") as caught:
        catalogue([pet])
    assert caught.value.fields == ("Pet.nickname",)
    assert isinstance(caught.value, TypeError)


def test_the_issue_examples_are_classified_as_asked():
    got = {e.name: e.category for e in catalogue()}
    expected = {
        "Child.first_name": Sensitivity.DIRECT_IDENTIFIER,
        "Guardian.phone": Sensitivity.DIRECT_IDENTIFIER,
        "Referral.notes": Sensitivity.DIRECT_IDENTIFIER,
        "Review.summary": Sensitivity.DIRECT_IDENTIFIER,
        "Child.birth_date": Sensitivity.QUASI_IDENTIFIER,
        "Child.school_uai": Sensitivity.QUASI_IDENTIFIER,
        "Child.commune": Sensitivity.QUASI_IDENTIFIER,
        "Child.qpv": Sensitivity.QUASI_IDENTIFIER,
        "Child.school_level": Sensitivity.SCHOOL,
        "Guardian.relationship": Sensitivity.FAMILY_SITUATION,
        "Handover.recipient": Sensitivity.CHILD_PROTECTION,
        "Exit.attainment": Sensitivity.ORDINARY,
    }
    assert {k: got[k] for k in expected} == expected


def _held(tp: object) -> set[type]:
    """The attrs classes a field's type holds (through tuples, unions, Timeline)."""
    if tp is r.Event:  # an attrs class too (recorded_on), standing for every event
        return set(r.EVENT_TYPES.values())
    if isinstance(tp, type) and attrs.has(tp):
        return {tp}
    found: set[type] = set()
    for arg in typing.get_args(tp):
        found |= _held(arg)
    origin = typing.get_origin(tp)
    if origin is not None and attrs.has(origin):
        found.add(origin)
    return found


def _most_sensitive(cls: type, seen: frozenset[type] = frozenset()) -> Sensitivity:
    ranks = []
    hints = typing.get_type_hints(cls)
    for field in attrs.fields(cls):
        own = category_of(field)
        assert own is not None
        ranks.append(own)
        for inner in _held(hints[field.name]) - seen - {cls}:
            ranks.append(_most_sensitive(inner, seen | {cls}))
    return max(ranks, key=lambda c: c.rank)


def test_a_field_holding_records_is_as_sensitive_as_what_it_holds():
    for cls in domain_types():
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            held = _held(hints[field.name]) - {cls}
            if not held:
                continue
            deepest = max((_most_sensitive(h) for h in held), key=lambda c: c.rank)
            assert category_of(field) is deepest, f"{cls.__name__}.{field.name}"


def test_categories_are_ordered_and_labelled_in_french():
    assert [c.rank for c in Sensitivity] == list(range(7))
    assert Sensitivity.DIRECT_IDENTIFIER.label_fr == "identifiant direct"
    assert Sensitivity("health") is Sensitivity.HEALTH


def test_ids_of_people_are_direct_identifiers():
    entries = {e.name: e.category for e in catalogue()}
    for name in ("Guardian.id", "Consent.given_by", "ConsentWithdrawn.by", "Child.id"):
        assert entries[name] is Sensitivity.DIRECT_IDENTIFIER, name


@pytest.mark.parametrize(
    ("field", "value", "category"),
    [
        ("Referral.source", "pmi", "health"),
        ("Referral.source", "health_services", "health"),
        ("Referral.source", "ase", "child_protection"),
        ("Referral.source", "education_nationale", "ordinary"),
        ("Referral.reasons", "health_access", "health"),
        ("Referral.reasons", "psychological", "health"),
        ("Referral.reasons", "learning", "family_situation"),
        ("Objective.domain", "health", "health"),
        ("Assessment.needs", "health", "health"),
        ("Exit.reason", "relay_specialised", "health"),
        ("Suspension.reason", "hospitalisation", "health"),
        ("Pathway.state", "handed_over", "child_protection"),
        ("Pathway.state", "closed", "ordinary"),
        ("Consent.recipients", "CMP de Salon", "health"),
        ("Consent.recipients", "PMI", "health"),
        ("Consent.recipients", "Juge des enfants", "child_protection"),
        ("Consent.recipients", "École Bressons", "ordinary"),
        ("SharingScope.recipient", "CMPP", "health"),
    ],
)
def test_a_code_may_reveal_more_than_its_field(field, value, category):
    entries = {e.name: e for e in catalogue()}
    assert entries[field].reveals(value) is Sensitivity(category)


def test_every_revealing_code_is_a_code_of_its_field():
    for entry in catalogue():
        hints = typing.get_type_hints(entry.owner)
        codes = _held_enum(hints[entry.field])
        for code, category in entry.values.items():
            assert category.rank >= entry.category.rank, f"{entry.name}={code}"
            if codes is not None:
                assert code in {c.value for c in codes}, f"{entry.name}={code}"


def _held_enum(hint):
    import enum

    for arg in (hint, *typing.get_args(hint)):
        if isinstance(arg, type) and issubclass(arg, enum.Enum):
            return arg
    return None
