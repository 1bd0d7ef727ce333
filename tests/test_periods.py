from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import reussite as r
from reussite.periods import CalendarYear, DateRange, Period, SchoolYear, whole_months

D = dt.date


def test_school_year_runs_from_september_to_august():
    year = SchoolYear(2017)
    assert (year.start, year.end) == (D(2017, 9, 1), D(2018, 8, 31))
    assert year.label_fr == "année scolaire 2017/2018"
    assert year.key == "2017-2018"
    assert year.kind == "school_year"
    assert year.days == 365
    assert SchoolYear(2019).days == 366  # February 2020


def test_school_year_containing_a_date():
    assert SchoolYear.containing(D(2018, 8, 31)) == SchoolYear(2017)
    assert SchoolYear.containing(D(2018, 9, 1)) == SchoolYear(2018)


def test_calendar_year():
    year = CalendarYear(2017)
    assert (year.start, year.end, year.label_fr, year.key, year.kind) == (
        D(2017, 1, 1),
        D(2017, 12, 31),
        "année 2017",
        "2017",
        "calendar_year",
    )


def test_date_range_includes_both_ends():
    period = DateRange(start=D(2018, 1, 1), end=D(2018, 1, 1))
    assert period.days == 1
    assert period.contains(D(2018, 1, 1))
    assert not period.contains(D(2018, 1, 2))
    assert period.key == "2018-01-01..2018-01-01"
    assert period.label_fr == "période du 01/01/2018 au 01/01/2018"
    assert period.kind == "date_range"


def test_date_range_refuses_an_end_before_its_start():
    with pytest.raises(r.InvalidValue, match=r"DateRange\.end: expected a date on or after"):
        DateRange(start=D(2018, 3, 1), end=D(2018, 2, 28))


@pytest.mark.parametrize("bad", ["2017", 2017.0, True, 1800, 2500])
def test_years_must_be_plausible_integers(bad):
    with pytest.raises(r.InvalidValue, match="start_year"):
        SchoolYear(bad)
    with pytest.raises(r.InvalidValue, match="year"):
        CalendarYear(bad)


def test_overlaps_at_the_edges():
    year = SchoolYear(2017)
    assert year.overlaps(D(2017, 1, 1), D(2017, 9, 1))  # ends on the first day
    assert not year.overlaps(D(2017, 1, 1), D(2017, 8, 31))  # ends the day before
    assert year.overlaps(D(2018, 8, 31), None)  # starts on the last day, still open
    assert not year.overlaps(D(2018, 9, 1), None)  # starts after
    assert year.overlaps(D(2010, 1, 1), None)  # open since long ago


def test_to_dict_and_as_range():
    assert SchoolYear(2017).to_dict() == {
        "kind": "school_year",
        "key": "2017-2018",
        "start": "2017-09-01",
        "end": "2018-08-31",
        "label_fr": "année scolaire 2017/2018",
    }
    assert SchoolYear(2017).as_range() == DateRange(start=D(2017, 9, 1), end=D(2018, 8, 31))


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2017, 1, 15), D(2017, 2, 14), 0),
        (D(2017, 1, 15), D(2017, 2, 15), 1),
        (D(2017, 1, 31), D(2017, 2, 28), 1),
        (D(2016, 11, 7), D(2017, 12, 6), 12),
        (D(2016, 11, 7), D(2017, 12, 7), 13),
        (D(2018, 5, 5), D(2018, 5, 5), 0),
    ],
)
def test_whole_months_are_calendar_months_completed(start, end, months):
    assert whole_months(start, end) == months


def test_whole_months_refuses_a_backward_span():
    with pytest.raises(r.InvalidValue, match=r"whole_months\.end"):
        whole_months(D(2018, 1, 2), D(2018, 1, 1))


periods = st.one_of(
    st.integers(1990, 2100).map(SchoolYear),
    st.integers(1990, 2100).map(CalendarYear),
    st.tuples(st.dates(D(1990, 1, 1), D(2100, 1, 1)), st.integers(0, 800)).map(
        lambda t: DateRange(start=t[0], end=t[0] + dt.timedelta(days=t[1]))
    ),
)
days = st.dates(D(1989, 1, 1), D(2102, 12, 31))


@given(days)
def test_every_day_is_in_exactly_one_school_year(day):
    year = SchoolYear.containing(day)
    assert year.contains(day)
    assert not SchoolYear(year.start_year - 1).contains(day)
    assert not SchoolYear(year.start_year + 1).contains(day)


@given(periods, days, days)
def test_overlaps_agrees_with_contains(period: Period, a, b):
    start, end = min(a, b), max(a, b)
    span_days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    assert period.overlaps(start, end) == any(period.contains(d) for d in span_days)
    assert period.overlaps(start, None) == (start <= period.end)


@given(days, days)
def test_whole_months_are_the_months_completed(a, b):
    start, end = min(a, b), max(a, b)
    months = whole_months(start, end)
    assert start + relativedelta(months=months) <= end < start + relativedelta(months=months + 1)
