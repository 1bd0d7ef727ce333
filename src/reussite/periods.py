"""Reporting periods: school years, calendar years and any range of dates.

A period is a closed range of days, both ends included. A PRE reports over the **school
year** (*année scolaire*, 1 September to 31 August: ``SchoolYear(2017)`` is 2017/2018), and
its funders often ask for the **calendar year** (*année civile*) too.

>>> import datetime as dt
>>> sy = SchoolYear(2017)
>>> sy.label_fr, sy.start, sy.end
('année scolaire 2017/2018', datetime.date(2017, 9, 1), datetime.date(2018, 8, 31))
>>> sy.contains(dt.date(2018, 8, 31)), sy.contains(dt.date(2018, 9, 1))
(True, False)
>>> sy.overlaps(dt.date(2017, 1, 10), None)  # a span still open overlaps every later period
True
>>> CalendarYear(2017).label_fr
'année 2017'
>>> DateRange(start=dt.date(2018, 3, 1), end=dt.date(2018, 2, 1))
Traceback (most recent call last):
...
reussite.errors.InvalidValue: DateRange.end: expected a date on or after start (2018-03-01), ...

Durations are counted in **whole calendar months** (*mois révolus*), like ages in whole
years, with :func:`reussite.calendar.months_between` (python-dateutil's
``relativedelta``): 15 January to 14 February is 0 months, 31 January to 28 February is 1.

>>> whole_months(dt.date(2016, 11, 7), dt.date(2017, 12, 6))
12
"""

from __future__ import annotations

import datetime as dt

import attrs

from . import _validate as v
from .calendar import months_between
from .errors import InvalidValue

__all__ = ["CalendarYear", "DateRange", "Period", "SchoolYear", "whole_months"]

_FIRST_YEAR = 1900
_LAST_YEAR = 2198


def whole_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (*mois révolus*).

    Rule: the months :func:`reussite.calendar.months_between` counts with
    ``relativedelta`` (a day short of a month is 0 months; 31 January + 1 month is the
    end of February).

    Raises:
        InvalidValue: if ``end`` is before ``start``.

    >>> whole_months(dt.date(2017, 1, 31), dt.date(2017, 2, 28))
    1
    """
    if end < start:
        raise InvalidValue("whole_months", "end", end, f"a date on or after start ({start})")
    return months_between(start, end)


class Period:
    """A closed range of days a report covers (*période*); both ends are included.

    Subclasses: :class:`SchoolYear`, :class:`CalendarYear`, :class:`DateRange`. They all
    provide ``start``, ``end``, ``label_fr`` (French, for reports), ``key`` (stable, for
    files) and ``kind``.
    """

    __slots__ = ()

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        raise NotImplementedError  # pragma: no cover - every period defines it

    @property
    def end(self) -> dt.date:
        """The last day of the period (included)."""
        raise NotImplementedError  # pragma: no cover - every period defines it

    @property
    def label_fr(self) -> str:
        """How a report names the period, in French."""
        raise NotImplementedError  # pragma: no cover - every period defines it

    @property
    def key(self) -> str:
        """A stable text key for files (``"2017-2018"``, ``"2017"``, ``"2017-09-01..."``)."""
        raise NotImplementedError  # pragma: no cover - every period defines it

    @property
    def kind(self) -> str:
        """``"school_year"``, ``"calendar_year"`` or ``"date_range"``."""
        raise NotImplementedError  # pragma: no cover - every period defines it

    @property
    def days(self) -> int:
        """How many days the period has, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, on: dt.date) -> bool:
        """Whether the day ``on`` falls in the period (ends included)."""
        return self.start <= on <= self.end

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """Whether the span ``start``..``end`` shares at least one day with the period.

        Rule: both ends are included; ``end=None`` is a span still open (it overlaps every
        period ending on or after ``start``). A span ending the day before the period
        starts does not overlap it.
        """
        return start <= self.end and (end is None or end >= self.start)

    def as_range(self) -> DateRange:
        """The same days as a :class:`DateRange`."""
        return DateRange(start=self.start, end=self.end)

    def to_dict(self) -> dict[str, str]:
        """The period as plain data: kind, key, start, end (ISO 8601) and French label."""
        return {
            "kind": self.kind,
            "key": self.key,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label_fr": self.label_fr,
        }


_YEAR = v.integer(min_value=_FIRST_YEAR, max_value=_LAST_YEAR)


@attrs.frozen
class SchoolYear(Period):
    """A school year (*année scolaire*): 1 September of ``start_year`` to 31 August after.

    >>> SchoolYear(2017).key
    '2017-2018'
    >>> SchoolYear.containing(dt.date(2018, 3, 1))
    SchoolYear(start_year=2017)
    """

    start_year: int = attrs.field(validator=_YEAR)

    @classmethod
    def containing(cls, on: dt.date) -> SchoolYear:
        """The school year the day ``on`` belongs to."""
        return cls(on.year if on.month >= 9 else on.year - 1)

    @property
    def start(self) -> dt.date:
        """1 September of ``start_year``."""
        return dt.date(self.start_year, 9, 1)

    @property
    def end(self) -> dt.date:
        """31 August of the following year."""
        return dt.date(self.start_year + 1, 8, 31)

    @property
    def label_fr(self) -> str:
        """``"année scolaire 2017/2018"``."""
        return f"année scolaire {self.start_year}/{self.start_year + 1}"

    @property
    def key(self) -> str:
        """``"2017-2018"``."""
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def kind(self) -> str:
        """``"school_year"``."""
        return "school_year"


@attrs.frozen
class CalendarYear(Period):
    """A calendar year (*année civile*): 1 January to 31 December of ``year``.

    >>> CalendarYear(2017).end
    datetime.date(2017, 12, 31)
    """

    year: int = attrs.field(validator=_YEAR)

    @property
    def start(self) -> dt.date:
        """1 January."""
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """31 December."""
        return dt.date(self.year, 12, 31)

    @property
    def label_fr(self) -> str:
        """``"année 2017"``."""
        return f"année {self.year}"

    @property
    def key(self) -> str:
        """``"2017"``."""
        return str(self.year)

    @property
    def kind(self) -> str:
        """``"calendar_year"``."""
        return "calendar_year"


def _end_not_before_start(inst: DateRange, attr: attrs.Attribute[dt.date], value: dt.date) -> None:
    if value < inst.start:
        raise InvalidValue(
            "DateRange", attr.name, value, f"a date on or after start ({inst.start})"
        )


def _fr(on: dt.date) -> str:
    return on.strftime("%d/%m/%Y")


@attrs.frozen(kw_only=True)
class DateRange(Period):
    """Any range of days (*période du ... au ...*), both ends included.

    Rule: ``end`` is on or after ``start`` (a one-day range has ``start == end``).

    >>> DateRange(start=dt.date(2018, 1, 1), end=dt.date(2018, 6, 30)).label_fr
    'période du 01/01/2018 au 30/06/2018'
    """

    start: dt.date = attrs.field(validator=v.date_between())
    end: dt.date = attrs.field(validator=v.all_of(v.date_between(), _end_not_before_start))

    @property
    def label_fr(self) -> str:
        """``"période du 01/01/2018 au 30/06/2018"``."""
        return f"période du {_fr(self.start)} au {_fr(self.end)}"

    @property
    def key(self) -> str:
        """``"2018-01-01..2018-06-30"``."""
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def kind(self) -> str:
        """``"date_range"``."""
        return "date_range"
