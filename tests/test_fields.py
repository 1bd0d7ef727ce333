"""Copies of frozen values built field by field, as ``__init__`` builds them."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest

import reussite as r
from reussite._fields import copier, field_setter

ACTION = r.Action(
    id="a1",
    label="Aide aux devoirs",
    objective_ids=("o1",),
    funding=r.ActionFunding.MAINSTREAM,
    start=dt.date(2018, 1, 8),
    cost_cents=4000,
    provider="Centre social",
)


def test_a_copy_changes_the_fields_named_and_keeps_the_others() -> None:
    ended = copier(r.Action, "end")(ACTION, dt.date(2018, 6, 30))
    assert ended == attrs.evolve(ACTION, end=dt.date(2018, 6, 30))
    assert hash(ended) == hash(attrs.evolve(ACTION, end=dt.date(2018, 6, 30)))
    assert pickle.loads(pickle.dumps(ended)) == ended
    attrs.validate(ended)
    cancelled = copier(r.Action, "end", "cancelled")(ended, None, True)
    assert cancelled == attrs.evolve(ACTION, cancelled=True)
    assert ACTION.end is None  # the original is untouched


def test_the_copier_of_a_class_and_fields_is_built_once() -> None:
    assert copier(r.Action, "end") is copier(r.Action, "end")
    assert copier(r.Action, "end") is not copier(r.Action, "cancelled")


def test_copying_a_record_with_a_field_it_does_not_have_is_a_slip() -> None:
    objective = r.Objective(id="o1", domain=r.ObjectiveDomain.SCHOOL, label="Lire")
    met = copier(r.Objective, "status")(objective, r.ObjectiveStatus.MET)
    assert met.status is r.ObjectiveStatus.MET
    with pytest.raises(TypeError, match="no field"):
        copier(r.Objective, "statut")
    with pytest.raises(TypeError, match="no field"):
        copier(r.Objective, "status", "status")


@attrs.frozen(slots=False)
class _Open:
    n: int
    m: int = 0


def test_a_class_without_slots_is_set_by_name() -> None:
    value = object.__new__(_Open)
    field_setter(_Open, "n")(value, 1)
    field_setter(_Open, "m")(value, 2)
    assert value == _Open(1, 2)
    assert copier(_Open, "m")(value, 5) == _Open(1, 5)


def test_a_field_declared_by_a_base_class_is_set_through_the_base_slot() -> None:
    setter = field_setter(r.ContactLost, "recorded_on")
    assert setter == vars(r.Event)["recorded_on"].__set__
    lost = copier(r.ContactLost, "recorded_on")(r.ContactLost(on=dt.date(2018, 3, 1)), None)
    assert lost == r.ContactLost(on=dt.date(2018, 3, 1))
