"""Dates the PRE counts with: ages and whole months, with python-dateutil.

>>> import datetime as dt
>>> age_on(dt.date(2008, 2, 29), dt.date(2018, 2, 28))
9
>>> age_on(dt.date(2008, 2, 29), dt.date(2018, 3, 1))
10
>>> months_between(dt.date(2017, 1, 15), dt.date(2017, 2, 14))
0
>>> months_between(dt.date(2017, 1, 31), dt.date(2017, 2, 28))
1
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from .errors import InvalidValue

__all__ = ["age_on", "months_between"]


def _check_dates(owner: str, **dates: object) -> None:
    for name, value in dates.items():
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise InvalidValue(owner, name, value, "a datetime.date")


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Age in whole years on a date (*âge révolu*).

    A child born on 29 February turns a year older on 1 March in common years.

    Raises:
        InvalidValue: if ``on`` is before ``birth_date``.
    """
    if type(birth_date) is not dt.date or type(on) is not dt.date:  # dates decided at once
        _check_dates("age_on", birth_date=birth_date, on=on)
    if on < birth_date:
        raise InvalidValue("age_on", "on", on, f"a date on or after the birth date {birth_date}")
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (negative when ``end`` is earlier).

    Computed with :class:`dateutil.relativedelta.relativedelta`, which clips to the end of
    a shorter month: one month after 31 January is 28 February, so 31 January to
    28 February is 1 whole month, and 15 January to 14 February is 0.
    """
    _check_dates("months_between", start=start, end=end)
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months
