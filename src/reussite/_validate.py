"""Field validators for attrs classes that raise :class:`~reussite.errors.InvalidValue`.

attrs' own validators raise bare ``TypeError``/``ValueError``; ours name the class, the
field, the value and what is accepted, and stay catchable as either built-in.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Callable
from typing import Any

import attrs

from .errors import InvalidValue

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

_MEMO_SIZE = 4096
"""How many accepted strings a pattern validator remembers before starting afresh."""


@attrs.frozen
class Spec:
    """What a validator accepts, as data: its kind and parameters.

    The serialization mirrors read it to write the common checks inline
    (``serialization._mirror``); a validator without one is called as it is.
    """

    kind: str
    args: tuple[Any, ...] = ()
    memo: Any = attrs.field(default=None, eq=False, repr=False)
    """What the validator remembers as accepted (a pattern's set of accepted strings)."""


def _described(check: Validator, kind: str, *args: Any, memo: Any = None) -> Validator:
    setattr(check, "spec", Spec(kind, args, memo))  # noqa: B010 - a function's attribute
    return check


def spec_of(validator: Validator) -> Spec | None:
    """The :class:`Spec` of one of this module's validators, or ``None``."""
    spec = getattr(validator, "spec", None)
    return spec if isinstance(spec, Spec) else None


def _fail(inst: object, attr: attrs.Attribute[Any], value: object, expected: str) -> None:
    raise InvalidValue(type(inst).__name__, attr.name, value, expected)


def _type_name(cls: type | tuple[type, ...]) -> str:
    if isinstance(cls, tuple):
        return " or ".join(c.__name__ for c in cls)
    return cls.__name__


def _is_instance(value: object, cls: type | tuple[type, ...]) -> bool:
    """Exact-ish isinstance: bool is not an int, datetime is not a date."""
    if isinstance(value, bool) and not (cls is bool or (isinstance(cls, tuple) and bool in cls)):
        return False
    if isinstance(value, _dt.datetime) and not (
        cls is _dt.datetime or (isinstance(cls, tuple) and _dt.datetime in cls)
    ):
        return False
    return isinstance(value, cls)


def typed(cls: type | tuple[type, ...]) -> Validator:
    """Accept instances of ``cls`` (a bool is not an int; a datetime is not a date)."""
    exact = cls if isinstance(cls, type) else None

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        # The exact type is by far the common case: decide it without a call.
        if type(value) is not exact and not _is_instance(value, cls):
            _fail(inst, attr, value, f"a {_type_name(cls)}")

    return _described(check, "typed", cls)


def optional(inner: Validator) -> Validator:
    """Accept ``None`` or what ``inner`` accepts."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            inner(inst, attr, value)

    return _described(check, "optional", inner)


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Control characters (C0, DEL, C1): never in a name, a label or a code."""
_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters bar tab, line feed and carriage return: never in free text."""
MULTILINE_FROM = 1_000
"""Texts allowed this many characters or more are free text: line breaks and tabs are kept."""


def controls(*, multiline: bool) -> Callable[[str], object]:
    """The search for forbidden control characters in a text (single- or multi-line)."""
    return (_CONTROLS_BUT_LINES if multiline else _CONTROLS).search


def text(
    *, min_length: int = 1, max_length: int = 10_000, multiline: bool | None = None
) -> Validator:
    """Accept a string of ``min_length`` to ``max_length`` characters, not only blanks.

    Control characters (NUL, escape, C1 controls...) are refused: they are not text a
    person wrote, and they break the files and terminals the value reaches. Line breaks
    and tabs are accepted in multi-line text only: free text (notes, summaries), which by
    default is any text allowed :data:`MULTILINE_FROM` characters or more; names, labels
    and codes are one line.
    """
    if multiline is None:
        multiline = max_length >= MULTILINE_FROM
    search = controls(multiline=multiline)
    what = "without control characters" + ("" if multiline else " nor line breaks")

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str):
            _fail(inst, attr, value, "a string")
        if len(value) > max_length:
            _fail(inst, attr, value, f"at most {max_length} characters")
        # ``isspace`` and ``strip`` agree on what a blank is; it avoids a copy.
        blank = (not value or value.isspace()) if min_length == 1 else None
        if blank or (blank is None and len(value.strip()) < min_length):
            _fail(inst, attr, value, "a non-blank string")
        # ``isprintable`` decides the common case in C; only the rest is searched.
        if not value.isprintable() and search(value) is not None:
            _fail(inst, attr, value, f"a string {what}")

    return _described(check, "text", min_length, max_length, multiline)


def pattern(regex: str, description: str) -> Validator:
    """Accept a string matching ``regex`` in full (``description`` says it in words)."""
    compiled = re.compile(regex, re.ASCII)
    # Codes and ids repeat (the same commune, team or objective id on every line of a
    # cohort): remember a bounded number of strings already accepted.
    accepted: set[str] = set()

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is str and value in accepted:
            return
        if not isinstance(value, str) or compiled.fullmatch(value) is None:
            _fail(inst, attr, value, description)
        if len(accepted) >= _MEMO_SIZE:
            accepted.clear()
        accepted.add(value)

    return _described(check, "pattern", regex, description, memo=accepted)


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Validator:
    """Accept an ``int`` (never a bool or a float) within the bounds."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not int and not _is_instance(value, int):
            _fail(inst, attr, value, "an integer")
        if min_value is not None and value < min_value:
            _fail(inst, attr, value, f"an integer >= {min_value}")
        if max_value is not None and value > max_value:
            _fail(inst, attr, value, f"an integer <= {max_value}")

    return _described(check, "integer", min_value, max_value)


def cents() -> Validator:
    """Accept an amount of money: a non-negative ``int`` number of euro cents."""
    return integer(min_value=0)


def fraction(*, allow_zero: bool = False) -> Validator:
    """Accept a float or int in (0, 1] (or [0, 1] when ``allow_zero``)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if not _is_instance(value, (int, float)):
            _fail(inst, attr, value, "a number between 0 and 1")
        low_ok = value >= 0 if allow_zero else value > 0
        if not (low_ok and value <= 1):
            bound = "[0, 1]" if allow_zero else "(0, 1]"
            _fail(inst, attr, value, f"a number in {bound}")

    return check


def _member_expected(enum_cls: type[enum.Enum], value: object) -> str:
    """What a member check accepts, in words; the member meant, when given its wire value."""
    name = enum_cls.__name__
    meant = next((m for m in enum_cls if type(value) is str and m.value == value), None)
    if meant is not None:
        return f"a {name} member ({name}.{meant.name}, whose wire value is {meant.value!r})"
    accepted = ", ".join(f"{name}.{m.name}" for m in enum_cls)
    return f"a {name} member ({accepted})"


def member(enum_cls: type[enum.Enum]) -> Validator:
    """Accept a member of ``enum_cls``; the message lists the accepted values."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_cls):
            _fail(inst, attr, value, _member_expected(enum_cls, value))

    return _described(check, "member", enum_cls)


def date_between(
    *,
    min_value: _dt.date = _dt.date(1900, 1, 1),
    max_value: _dt.date = _dt.date(2199, 12, 31),
) -> Validator:
    """Accept a :class:`datetime.date` (not a datetime) within plausible bounds."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not _dt.date and not _is_instance(value, _dt.date):
            _fail(inst, attr, value, "a datetime.date")
        if not (min_value <= value <= max_value):
            _fail(inst, attr, value, f"a date between {min_value} and {max_value}")

    return _described(check, "date_between", min_value, max_value)


def tuple_of(inner: Validator, *, min_length: int = 0) -> Validator:
    """Accept a tuple whose every item passes ``inner`` (lists are refused: values freeze)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            _fail(inst, attr, value, "a tuple")
        if len(value) < min_length:
            _fail(inst, attr, value, f"a tuple of at least {min_length} item(s)")
        for item in value:
            inner(inst, attr, item)

    return _described(check, "tuple_of", inner, min_length)


def unique(key: Callable[[Any], object], what: str) -> Validator:
    """Accept a collection whose items have distinct ``key`` values (ids, codes)."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        seen: set[object] = set()
        for item in value:
            k = key(item)
            if k in seen:
                _fail(inst, attr, value, f"distinct {what} ({k!r} appears twice)")
            seen.add(k)

    return _described(check, "unique", key, what)


def frozenset_of(inner: Validator) -> Validator:
    """Accept a frozenset whose every item passes ``inner``."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, frozenset):
            _fail(inst, attr, value, "a frozenset")
        for item in value:
            inner(inst, attr, item)

    return check


def all_of(*validators: Validator) -> Validator:
    """Accept what every validator accepts, checked in order."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        for v in validators:
            v(inst, attr, value)

    return _described(check, "all_of", *validators)


INSEE_COMMUNE = pattern(r"\d[0-9AB]\d{3}", "an INSEE commune code of 5 characters (13103)")
QPV_CODE = pattern(r"QP\d{3}[0-9A-Z]\d{2}", "a QPV code such as 'QP013006'")
UAI_CODE = pattern(r"\d{7}[A-Z]", "a UAI school code of 7 digits and a letter")
IDENTIFIER = pattern(
    r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}",
    "an identifier of 1-128 letters, digits or ._:/- (starting with a letter or digit)",
)
