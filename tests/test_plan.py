from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from reussite.strategies import objectives

S = r.ObjectiveStatus


@given(st.lists(objectives(), max_size=6))
def test_attainment_follows_the_objectives(objs):
    counted = [o.status for o in objs if o.status is not S.DROPPED]
    result = r.derive_attainment(objs)
    if counted and set(counted) == {S.MET}:
        assert result == r.Attainment.COMPLETE
    elif S.MET in counted or S.PARTIALLY_MET in counted:
        assert result == r.Attainment.PARTIAL
    else:
        assert result == r.Attainment.NONE


def test_attainment_examples():
    def objs(*statuses):
        return [
            r.Objective(id=f"o{i}", domain=r.ObjectiveDomain.HEALTH, label="x", status=s)
            for i, s in enumerate(statuses)
        ]

    assert r.derive_attainment(objs(S.MET, S.DROPPED)) == r.Attainment.COMPLETE
    assert r.derive_attainment(objs(S.PARTIALLY_MET, S.NOT_MET)) == r.Attainment.PARTIAL
    assert r.derive_attainment(objs(S.DROPPED)) == r.Attainment.NONE
    assert r.derive_attainment([]) == r.Attainment.NONE
