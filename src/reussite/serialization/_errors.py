"""Turn what went wrong while reading a document into lines a person can act on.

Every line reads ``message @ $.json.path``: the path is where, in the document, the
problem is (``$`` is the whole document). These strings are public API: tests pin them.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import traceback
from collections.abc import Iterable

from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from .._sensitivity import withheld
from ..errors import EventRefused, InvalidValue, describe


class NonFinite:
    """Stands for ``NaN``, ``Infinity`` or an overflowing number: no hook accepts it.

    Parsing keeps going so that the problem is reported where it is (``@ $.fte``), not
    at the top of the document.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"{self.text} (not a finite JSON number)"


class WireError(ValueError):
    """A JSON value of the wrong type or format; the message says what is accepted.

    Attributes:
        expected: what is accepted, in words (``"a date as YYYY-MM-DD"``).
        value: the JSON value found.
        detail: what more there is to say (`` (day is out of range for month)``).
    """

    def __init__(self, expected: str, value: object, detail: str = "") -> None:
        self.expected = expected
        self.value = value
        self.detail = detail
        super().__init__(self.message(personal=False))

    def message(self, *, personal: bool) -> str:
        """``expected ..., got ...``; the value withheld when it is personal data."""
        shown = withheld_value(self.value) if personal else show(self.value)
        return f"expected {self.expected}, got {shown}{self.detail}"


class Problems(Exception):
    """Internal carrier of located lines, turned into :class:`InvalidInput` at the door."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))

    def detached(self, stop: BaseException | None = None) -> Problems:
        """These problems alone, to be kept until their line's turn; returns ``self``.

        No traceback, nothing they were raised from (see :func:`let_go`, which stops at
        ``stop``: the exception the caller was handling when the reading began).
        """
        let_go(self, stop)
        self.__traceback__ = self.__context__ = self.__cause__ = None
        return self


def let_go(error: BaseException, stop: BaseException | None = None) -> None:
    """Let go of what the frames of ``error``, and of the errors behind it, hold.

    An exception holds the frames it went through, each frame its locals, and these often
    the exception itself (cattrs gathers a class's errors in a list before raising them
    as a group): a cycle that only the garbage collector reclaims, holding the text being
    read, the batch of lines around it, and everything the frames' callers held
    (:func:`traceback.clear_frames` clears the locals of the frames that are done).

    The walk follows what ``error`` was raised from and a group's errors, and stops at
    ``stop``, the exception being handled when the reading began (its frames are the
    caller's, left as they are), and at any exception met twice.
    """
    seen: set[int] = set() if stop is None else {id(stop)}
    stack = [error]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if current.__traceback__ is not None:
            traceback.clear_frames(current.__traceback__)
        stack.extend(e for e in (current.__context__, current.__cause__) if e is not None)
        stack.extend(getattr(current, "exceptions", ()))  # a group's errors


def _wire(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(value, key=str)
    raise TypeError(type(value).__name__)


def _json(value: object, depth: int = 0) -> str:
    if isinstance(value, dict):
        keys = [f"{json.dumps(str(k), ensure_ascii=False)}: …" for k in list(value)[:5]]
        return "{" + ", ".join(keys) + (", …" if len(value) > 5 else "") + "}"
    if isinstance(value, list) and depth < 5:
        return "[" + ", ".join(_json(v, depth + 1) for v in value[:20]) + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=_wire)


def show(value: object) -> str:
    """A short rendering of a JSON value (``repr`` for what has no JSON form).

    Objects show their keys, not their values (``{"first_name": …}``): what is in them may
    be personal data.
    """
    try:
        shown = _json(value)
    except (TypeError, ValueError):
        # never a record's repr: it would show its names
        shown = repr(value) if isinstance(value, NonFinite) else describe(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def withheld_value(value: object) -> str:
    """How a line shows a value at a personal field: its kind only."""
    kinds = {str: "a string", int: "an integer", float: "a number", bool: "a boolean"}
    kind = kinds.get(type(value), "an array" if isinstance(value, list) else "a value")
    if isinstance(value, dict):
        kind = "an object"
    if value is None:
        kind = "null"
    return f"{kind} (not shown: personal data)"


def key_path(path: str, key: object) -> str:
    """``path.key`` for identifier-like keys, ``path["odd key"]`` otherwise."""
    text = str(key)
    if text.isidentifier() and text.isascii():
        return f"{path}.{text}"
    return f"{path}[{json.dumps(text, ensure_ascii=False)}]"


def at_key(error: Exception, name: str) -> Exception:
    """Attach a cattrs attribute note to ``error`` so that its path goes one key down."""
    note = AttributeValidationNote(f"@ attribute {name}", name, object)
    error.__notes__ = [*getattr(error, "__notes__", []), note]
    return error


def at_index(error: Exception, index: int) -> Exception:
    """Attach a cattrs index note to ``error`` so that its path goes one item down."""
    note = IterableValidationNote(f"@ index {index}", index, object)
    error.__notes__ = [*getattr(error, "__notes__", []), note]
    return error


UNKNOWN_KEY = "unknown key (check its spelling, or load with unknown_keys='ignore')"


def error_lines(error: BaseException, path: str = "$") -> list[str]:
    """Flatten a structuring failure (cattrs' nested errors) into located lines.

    >>> from cattrs.errors import ClassValidationError
    >>> from reussite import Child
    >>> inner = at_key(WireError("a string", 151), "first_name")
    >>> error_lines(ClassValidationError("Child", [inner], Child), "$.child")
    ['expected a string, got an integer (not shown: personal data) @ $.child.first_name']
    >>> inner = at_key(WireError("a date as YYYY-MM-DD", "2018-02-30"), "on")
    >>> error_lines(ClassValidationError("ContactLost", [inner], object), "$.events[2]")
    ['expected a date as YYYY-MM-DD, got "2018-02-30" @ $.events[2].on']
    """
    lines: list[str] = []
    _walk(error, path, lines)
    return lines or [f"invalid value @ {path}"]


def _walk(error: BaseException, path: str, lines: list[str], personal: bool = False) -> None:
    if isinstance(error, BaseValidationError):
        owner = getattr(getattr(error, "cl", None), "__name__", "")
        with_notes, without = _group(error)
        for sub, step in with_notes:
            name = step.note.name if isinstance(step.note, AttributeValidationNote) else None
            inner = withheld(owner, name) if isinstance(name, str) else personal
            _walk(sub, step(path), lines, inner)
        for sub in without:
            _walk(sub, path, lines, personal)
    elif isinstance(error, ForbiddenExtraKeysError):
        lines.extend(f"{UNKNOWN_KEY} @ {key_path(path, k)}" for k in sorted(error.extra_fields))
    elif isinstance(error, InvalidValue):
        shown = error.shown if error.personal else show(error.value)
        lines.append(f"expected {error.expected}, got {shown} @ {path}.{error.field}")
    elif isinstance(error, WireError):
        lines.append(f"{error.message(personal=personal)} @ {path}")
    elif isinstance(error, Problems):
        lines.extend(error.lines)
    elif isinstance(error, KeyError):
        lines.append(f"required key missing @ {path}")
    elif isinstance(error, EventRefused):
        lines.append(f"{error} @ {path}")
    elif isinstance(error, RecursionError):
        lines.append(f"nested too deeply @ {path}")
    else:
        lines.append(f"invalid value ({type(error).__name__}: {error}) @ {path}")


def _group(
    error: BaseValidationError,
) -> tuple[list[tuple[BaseException, _Step]], list[BaseException]]:
    with_notes: list[tuple[BaseException, _Step]] = []
    without: list[BaseException] = []
    for sub in error.exceptions:
        notes = [
            n
            for n in getattr(sub, "__notes__", ())
            if isinstance(n, AttributeValidationNote | IterableValidationNote)
        ]
        if notes:
            with_notes.append((sub, _Step(notes[-1])))
        else:
            without.append(sub)
    return with_notes, without


class _Step:
    """One step down a path: ``.name`` for an attribute, ``[i]`` for an item."""

    def __init__(self, note: AttributeValidationNote | IterableValidationNote) -> None:
        self.note = note

    def __call__(self, path: str) -> str:
        if isinstance(self.note, AttributeValidationNote):
            return key_path(path, self.note.name)
        return f"{path}[{self.note.index}]"
