"""The wire rules for JSON scalars: strings, integers, numbers, booleans, dates, enumerations.

Each hook takes a parsed JSON value and returns it typed, or raises
:class:`~reussite.serialization._errors.WireError` saying what is accepted. Nothing is
coerced: ``151`` is not a string, ``12.5`` and ``true`` are not integers, ``"no"`` is not
a boolean. The converter registers these hooks; the fast path (``_fast``) writes the same
checks inline and calls :func:`utf8_encodable` and :func:`structure_date`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from typing import Any

from ._errors import WireError, show

INT_BOUND = 2**63
"""Integers on the wire fit in 64 bits, what JSON tools and databases can all hold."""


def utf8_encodable(value: str) -> bool:
    """Whether ``value`` holds only Unicode characters (no lone surrogate)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def structure_str(value: Any, _: Any = None) -> str:
    """A JSON string of Unicode characters."""
    if type(value) is str:
        if value.isascii() or utf8_encodable(value):
            return value
        raise WireError("a string of Unicode characters", value, " (it holds a lone surrogate)")
    raise WireError("a string", value)


def structure_int(value: Any, _: Any = None) -> int:
    """A JSON integer within 64 bits."""
    if type(value) is int:
        if -INT_BOUND <= value < INT_BOUND:
            return value
        raise WireError("an integer that fits in 64 bits", value)
    raise WireError("an integer", value)


def structure_float(value: Any, _: Any = None) -> float:
    """A finite JSON number (an integer within 64 bits is read as a float)."""
    kind = type(value)
    if kind is float:
        if value == value and value not in (float("inf"), float("-inf")):
            return float(value)
    elif kind is int and -INT_BOUND <= value < INT_BOUND:
        return float(value)
    raise WireError("a number", value)


def structure_bool(value: Any, _: Any = None) -> bool:
    """``true`` or ``false``."""
    if value is True or value is False:
        return bool(value)
    raise WireError("true or false", value)


DATES: dict[str, dt.date] = {}
"""Dates already read, shared: a cohort has few distinct dates and many mentions.

Bounded (emptied at 50,000 entries); only well-formed dates are kept.
"""


def structure_date(value: Any, _: Any = None) -> dt.date:
    """An ISO 8601 date ``YYYY-MM-DD`` that exists (``2018-02-30`` does not)."""
    known = DATES.get(value) if type(value) is str else None
    if known is not None:
        return known
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError as error:
            raise WireError("a date as YYYY-MM-DD", value, f" ({error})") from None
        if len(DATES) >= 50_000:
            DATES.clear()
        DATES[value] = parsed
        return parsed
    raise WireError("a date as YYYY-MM-DD", value)


@functools.cache
def enum_members(cls: type[enum.Enum]) -> dict[str, enum.Enum]:
    """The members of enumeration ``cls`` by their wire value."""
    return {member.value: member for member in cls}


def structure_enum(value: Any, cls: type[enum.Enum]) -> Any:
    """A member of ``cls`` given by its value (``"education_nationale"``), never its label."""
    if type(value) is str:
        member = enum_members(cls).get(value)
        if member is not None:
            return member
    accepted = ", ".join(show(v) for v in enum_members(cls))
    raise WireError(f"one of {accepted}", value)
