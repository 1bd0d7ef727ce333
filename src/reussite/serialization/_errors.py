"""Turn what went wrong while reading a document into lines a person can act on.

Every line reads ``message @ $.json.path``: the path is where, in the document, the
problem is (``$`` is the whole document). These strings are public API: tests pin them.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable

from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from ..errors import EventRefused, InvalidValue


class WireError(ValueError):
    """A JSON value of the wrong type or format; the message says what is accepted."""


class Problems(Exception):
    """Internal carrier of located lines, turned into :class:`InvalidInput` at the door."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def _wire(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(value, key=str)
    raise TypeError(type(value).__name__)


def show(value: object) -> str:
    """A short rendering of a value as JSON (``repr`` for what has no JSON form)."""
    try:
        shown = json.dumps(value, ensure_ascii=False, allow_nan=False, default=_wire)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


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
    >>> inner = at_key(WireError("expected a string, got 151"), "first_name")
    >>> error_lines(ClassValidationError("Child", [inner], object), "$.child")
    ['expected a string, got 151 @ $.child.first_name']
    """
    lines: list[str] = []
    _walk(error, path, lines)
    return lines or [f"invalid value @ {path}"]


def _walk(error: BaseException, path: str, lines: list[str]) -> None:
    if isinstance(error, BaseValidationError):
        with_notes, without = _group(error)
        for sub, sub_path in with_notes:
            _walk(sub, sub_path(path), lines)
        for sub in without:
            _walk(sub, path, lines)
    elif isinstance(error, ForbiddenExtraKeysError):
        lines.extend(f"{UNKNOWN_KEY} @ {key_path(path, k)}" for k in sorted(error.extra_fields))
    elif isinstance(error, InvalidValue):
        lines.append(f"expected {error.expected}, got {show(error.value)} @ {path}.{error.field}")
    elif isinstance(error, WireError):
        lines.append(f"{error} @ {path}")
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
