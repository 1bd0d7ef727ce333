from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import example, given
from hypothesis import strategies as st

import reussite as r

dates = st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))


def _birthday(birth: dt.date, year: int) -> dt.date:
    """The birthday in ``year``: 29 February is celebrated on 1 March in common years."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


@example(dt.date(2008, 2, 29), dt.date(2018, 2, 28))
@example(dt.date(2008, 2, 29), dt.date(2018, 3, 1))
@given(dates, dates)
def test_age_is_whole_years_and_a_birthday_adds_one(birth, on):
    if on < birth:
        with pytest.raises(r.InvalidValue):
            r.age_on(birth, on)
        return
    age = r.age_on(birth, on)
    assert _birthday(birth, birth.year + age) <= on < _birthday(birth, birth.year + age + 1)


@given(dates, dates)
def test_months_between_is_antisymmetric_in_sign_and_counts_whole_months(a, b):
    months = r.months_between(a, b)
    if b >= a:
        assert months >= 0
        assert a + relativedelta(months=months) <= b
    else:
        assert months <= 0


def test_leap_day_birthdays():
    assert r.age_on(dt.date(2008, 2, 29), dt.date(2018, 2, 28)) == 9
    assert r.age_on(dt.date(2008, 2, 29), dt.date(2018, 3, 1)) == 10
