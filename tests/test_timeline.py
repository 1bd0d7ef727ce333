from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reussite as r

starts = st.lists(
    st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)), min_size=1, max_size=6, unique=True
).map(sorted)


@given(starts, st.dates(dt.date(1990, 1, 1), dt.date(2050, 1, 1)))
def test_lookup_returns_the_latest_start_on_or_before_the_date(dates, on):
    timeline = r.Timeline.of(*[(d, i) for i, d in enumerate(dates)])
    before = [i for i, d in enumerate(dates) if d <= on]
    if not before:
        with pytest.raises(r.NotInForce):
            timeline.at(on)
        return
    assert before[-1] == timeline.at(on)
    assert dates[before[-1]] == timeline.since(on)


def test_constant_and_values():
    t = r.Timeline.constant("x", since=dt.date(2010, 1, 1), name="seuil")
    assert list(t.values()) == ["x"]
    assert dt.date(2010, 1, 1) == t.first_start
    with pytest.raises(r.NotInForce, match="seuil is not defined on 2009-12-31"):
        t.at(dt.date(2009, 12, 31))


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ((), "a non-empty tuple"),
        ([(dt.date(2010, 1, 1), 1)], "a non-empty tuple"),
        (((dt.date(2010, 1, 1),),), "a (datetime.date, value) pair"),
        (((dt.datetime(2010, 1, 1), 1),), "a (datetime.date, value) pair"),  # noqa: DTZ001
        (((dt.date(2010, 1, 1), 1), (dt.date(2010, 1, 1), 2)), "increasing order"),
    ],
)
def test_bad_periods_are_refused(periods, message):
    with pytest.raises(r.InvalidValue, match=message.replace("(", r"\(").replace(")", r"\)")):
        r.Timeline(periods)
