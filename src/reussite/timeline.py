"""Values that policy changes over time, looked up by the date they apply to.

A :class:`Timeline` holds a value from each start date until the next one, as
openfisca-core does for legislation parameters. A lookup picks the latest start on or
before the date; a date before the first start is an error, never ``None``.

>>> import datetime as dt
>>> communes = Timeline.of(
...     (dt.date(2007, 1, 1), frozenset({"13103"})),
...     (dt.date(2016, 6, 1), frozenset({"13103", "13014"})),
... )
>>> sorted(communes.at(dt.date(2016, 5, 31)))
['13103']
>>> sorted(communes.at(dt.date(2017, 9, 1)))
['13014', '13103']
>>> communes.at(dt.date(2000, 1, 1))
Traceback (most recent call last):
...
reussite.errors.NotInForce: value is not defined on 2000-01-01: its first value applies ...
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

import attrs

from . import _sensitivity as sens
from .errors import InvalidValue, NotInForce

__all__ = ["Timeline"]

T = TypeVar("T")


def _check_periods(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    owner = type(inst).__name__
    if not isinstance(value, tuple) or not value:
        raise InvalidValue(owner, attr.name, value, "a non-empty tuple of (date, value)")
    previous: dt.date | None = None
    for item in value:
        if (
            not isinstance(item, tuple)
            or len(item) != 2
            or not isinstance(item[0], dt.date)
            or isinstance(item[0], dt.datetime)
        ):
            raise InvalidValue(owner, attr.name, item, "a (datetime.date, value) pair")
        if previous is not None and item[0] <= previous:
            raise InvalidValue(
                owner,
                attr.name,
                item[0],
                f"start dates in increasing order after {previous}",
            )
        previous = item[0]


@attrs.frozen
class Timeline(Generic[T]):
    """A value in force from each start date until the next (*valeur à date d'effet*).

    Attributes:
        periods: ``(start, value)`` pairs in strictly increasing start order.
        name: what the value is, for error messages.
    """

    periods: tuple[tuple[dt.date, T], ...] = attrs.field(
        validator=_check_periods, metadata=sens.ORDINARY
    )
    name: str = attrs.field(default="value", metadata=sens.ORDINARY)
    _starts: tuple[dt.date, ...] = attrs.field(
        init=False, repr=False, eq=False, metadata=sens.ORDINARY
    )

    def __attrs_post_init__(self) -> None:
        # Runs after the validators: ``periods`` is known to be well formed here.
        object.__setattr__(self, "_starts", tuple(start for start, _ in self.periods))

    @classmethod
    def of(cls, *periods: tuple[dt.date, T], name: str = "value") -> Timeline[T]:
        """Build a timeline from ``(start, value)`` pairs."""
        return cls(tuple(periods), name)

    @classmethod
    def constant(cls, value: T, *, since: dt.date, name: str = "value") -> Timeline[T]:
        """A value that has not changed since ``since``."""
        return cls(((since, value),), name)

    def at(self, on: dt.date) -> T:
        """The value in force on ``on``.

        Raises:
            NotInForce: if ``on`` is before the first start date.
        """
        return self.periods[self._index(on)][1]

    def since(self, on: dt.date) -> dt.date:
        """The start date of the value in force on ``on`` (which version applied)."""
        return self.periods[self._index(on)][0]

    def _index(self, on: dt.date) -> int:
        if type(on) is not dt.date and (not isinstance(on, dt.date) or isinstance(on, dt.datetime)):
            raise InvalidValue(type(self).__name__, "at", on, "a datetime.date")
        index = bisect.bisect_right(self._starts, on) - 1
        if index < 0:
            raise NotInForce(self.name, on, self._starts[0])
        return index

    @property
    def first_start(self) -> dt.date:
        """The date from which the timeline has a value."""
        return self._starts[0]

    def values(self) -> Iterator[T]:
        """Every value the timeline has held, oldest first."""
        return (value for _, value in self.periods)
