from __future__ import annotations

import pytest
from hypothesis import given

import reussite as r
from conftest import FAMILY
from reussite.strategies import children, families


def test_family_guardian_lookup():
    assert FAMILY.guardian("g-2").first_name == "Karim"
    assert FAMILY.guardian("g-9") is None


def test_family_needs_distinct_guardians():
    g = FAMILY.guardians[0]
    with pytest.raises(r.InvalidValue, match="a tuple of at least 1"):
        r.Family(id="f", guardians=())
    with pytest.raises(r.InvalidValue, match="distinct guardian ids"):
        r.Family(id="f", guardians=(g, g))


@given(children(), families())
def test_generated_people_are_valid_and_school_levels_have_a_stage(child, family):
    assert child.school_level.group in r.SchoolLevelGroup
    assert family.guardians


def test_every_school_level_has_a_stage_and_labels_are_french():
    assert {lvl.group for lvl in r.SchoolLevel} == set(r.SchoolLevelGroup)
    assert r.SchoolLevel("6e").label_fr == "sixième"
    assert str(r.SchoolLevel.SIXIEME) == "6e"
