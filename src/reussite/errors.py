"""The ``reussite`` error family: every failure of the public API is one of these.

Each error says what was wrong, where, and what is accepted. Errors that resemble a
built-in also subclass it, so ``except ValueError`` keeps working for callers who do not
know ``reussite``.

>>> from reussite.errors import InvalidValue, ReussiteError
>>> issubclass(InvalidValue, ValueError) and issubclass(InvalidValue, ReussiteError)
True
"""

from __future__ import annotations

import datetime as _dt
import enum
import os
import pickle
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = [
    "EventRefused",
    "InvalidInput",
    "InvalidLifecycle",
    "InvalidValue",
    "NotInForce",
    "PathwayClosed",
    "ReussiteError",
    "VersionConflict",
    "describe",
]

_SHOWN_LENGTH = 80
"""How many characters of a value a message shows before cutting it with ``...``."""


def describe(value: object, *, limit: int = _SHOWN_LENGTH) -> str:
    """A value as a message shows it: in the terms of the person who wrote it.

    Strings and numbers as written, dates in ISO 8601, enumeration members by their wire
    value and name, records by their class and id (never their other fields, which may be
    names or notes), periods by their class and key, mappings by their keys, bytes by
    their length; long renderings are cut at ``limit`` characters.

    >>> import datetime as dt
    >>> from reussite import Guardian, Sex
    >>> describe(dt.date(2016, 2, 29)), describe(Sex.MALE), describe("Salon")
    ('2016-02-29', "Sex.MALE ('M')", "'Salon'")
    >>> describe((Guardian(id="g-1", first_name="Sonia", last_name="Chérif"),))
    "(<Guardian 'g-1'>,)"
    >>> from reussite.periods import SchoolYear
    >>> describe(SchoolYear(2017))
    "<SchoolYear '2017-2018'>"
    """
    shown = _render(value, depth=0)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def _render(value: object, depth: int) -> str:
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name} ({value.value!r})"
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, os.PathLike):
        return repr(os.fspath(value))
    if depth > 2:
        return "..."
    if isinstance(value, tuple | list):
        items = [_render(v, depth + 1) for v in value[:10]]
        if len(value) > 10:
            items.append(f"... {len(value) - 10} more")
        inner = ", ".join(items) + ("," if isinstance(value, tuple) and len(value) == 1 else "")
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    if isinstance(value, set | frozenset):
        items = sorted(_render(v, depth + 1) for v in value)
        return "{" + ", ".join(items[:10]) + (", ..." if len(items) > 10 else "") + "}"
    if isinstance(value, Mapping):
        keys = ", ".join(repr(k) if isinstance(k, str) else "<key>" for k in list(value)[:10])
        return f"<{type(value).__name__} with keys {keys}>" if value else "{}"
    ident = getattr(value, "id", None)
    if isinstance(ident, str) and hasattr(type(value), "__attrs_attrs__"):
        return f"<{type(value).__name__} {ident!r}>"
    if isinstance(getattr(value, "start", None), _dt.date):  # a period: by its key
        key = getattr(value, "key", None)
        if isinstance(key, str):
            return f"<{type(value).__name__} {key!r}>"
    return f"<{type(value).__name__}>"


def _withheld(value: object) -> str:
    """How a message shows a value it must not repeat (a name, a birth date, a note)."""
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        what = f"a string of {len(value)} character{'s' if len(value) != 1 else ''}"
    elif isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        what = "a date"
    else:
        what = f"a {type(value).__name__}"
    return f"{what} (not shown: personal data)"


class ReussiteError(Exception):
    """Base class of every error raised by ``reussite``.

    Errors cross process boundaries whole (``pickle``): a worker of
    :func:`~reussite.serialization.map_cohort` raising one gives the same error, message
    and attributes, in the process that waits for it (an attribute that cannot travel,
    such as an open file refused, arrives as a description of it).
    """

    def __reduce__(self) -> tuple[Any, ...]:
        state = dict(self.__dict__)
        if not getattr(_PROBING, "on", False):  # once, at the outermost error (no loops)
            _PROBING.on = True
            try:
                for name, value in state.items():
                    try:
                        pickle.dumps(value)
                    except Exception:  # the rejected object may not travel (an open file)
                        state[name] = f"<{type(value).__name__}, not sent across processes>"
            finally:
                _PROBING.on = False
        # The state is set once the error exists: an error that holds itself pickles.
        return _restore, (type(self), self.args), state


_PROBING = threading.local()
"""Whether this thread is checking which attributes of an error can be pickled."""


def _restore(cls: type[ReussiteError], args: tuple[Any, ...]) -> Any:
    """An error as :meth:`ReussiteError.__reduce__` gave it, its state set after.

    Rebuilt without its ``__init__``, whose arguments are not its ``args``.
    """
    error = cls.__new__(cls)
    error.args = args
    return error


class InvalidValue(ReussiteError, ValueError, TypeError):
    """A value given to a domain type has the wrong type, range or format.

    It subclasses both :class:`ValueError` and :class:`TypeError` because it replaces
    both in attrs validators: a caller catching either keeps working.

    The message shows the value in the caller's terms (:func:`describe`), except where
    the field holds personal data (a name, a contact, a birth date, free text: the
    sensitivity catalogue says which): there it names the field and the kind of value
    only, so that an error written to a log or a terminal repeats nobody's name.

    Attributes:
        owner: the class whose field was being set (``"Child"``).
        field: the field name (``"birth_date"``).
        value: the rejected value (for the caller's code; messages never repeat it where
            it is personal data).
        expected: what is accepted, in words.
        personal: whether the field holds personal data (its value is then never shown).
        shown: the value as messages show it.

    >>> import datetime as dt
    >>> str(InvalidValue("Child", "birth_date", dt.date(1800, 1, 1), "a date after 1900"))
    'Child.birth_date: expected a date after 1900, got a date (not shown: personal data)'
    """

    def __init__(
        self,
        owner: str,
        field: str,
        value: object,
        expected: str,
        *,
        personal: bool | None = None,
    ) -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.expected = expected
        if personal is None:
            from ._sensitivity import withheld  # the catalogue: read when an error happens

            personal = withheld(owner, field)
        self.personal = personal
        self.shown = _withheld(value) if personal else describe(value)
        super().__init__(f"{owner}.{field}: expected {expected}, got {self.shown}")


class NotInForce(ReussiteError, LookupError):
    """A date-effective value was asked for a date before it first applied."""

    def __init__(self, what: str, on: object, first: object) -> None:
        self.what = what
        self.on = on
        self.first = first
        super().__init__(f"{what} is not defined on {on}: its first value applies from {first}")


class InvalidInput(ReussiteError, ValueError):
    """A document (JSON, CSV, a cohort file) could not be read into domain values.

    Attributes:
        errors: one line per problem, each ``message @ $.json.path`` (and the line number
            of a multi-line file where there is one).
    """

    def __init__(self, errors: Iterable[str], *, source: str | None = None) -> None:
        self.errors: tuple[str, ...] = tuple(errors) or ("invalid input @ $",)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.errors)
        noun = "problem" if count == 1 else "problems"
        lines = "\n".join(f"  {e}" for e in self.errors)
        super().__init__(f"{head}{count} {noun}:\n{lines}")


class InvalidLifecycle(ReussiteError, TypeError):
    """A lifecycle definition is inconsistent; the message lists every problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            "invalid lifecycle definition:\n" + "\n".join(f"  - {p}" for p in problems)
        )


class EventRefused(ReussiteError):
    """An event cannot be applied to a pathway: a rule of the lifecycle forbids it.

    Attributes:
        rule: the stable code of the rule that refused (``"R-CONSENT-FIRST"``).
        state: the pathway's state when the event was refused.
        event: the refused event.
        allowed: the event types the pathway accepts in that state.
        detail: what exactly was wrong.
    """

    def __init__(
        self,
        *,
        rule: str,
        state: Any,
        event: Any,
        allowed: Iterable[str],
        detail: str,
    ) -> None:
        self.rule = rule
        self.state = state
        self.event = event
        self.allowed = tuple(allowed)
        self.detail = detail
        state_name = getattr(state, "value", state)
        event_name = getattr(event, "tag", type(event).__name__)
        accepted = ", ".join(self.allowed) if self.allowed else "none (final state)"
        if state is None:  # no pathway yet: the referral that would open it
            super().__init__(f"[{rule}] {event_name} refused, opening the pathway: {detail}.")
            return
        super().__init__(
            f"[{rule}] {event_name} refused in state {state_name!r}: {detail}. "
            f"Events accepted in this state: {accepted}."
        )


class PathwayClosed(EventRefused):
    """An event was sent to a pathway in a final state, which accepts none."""


class VersionConflict(ReussiteError):
    """A command was based on a stale version of the pathway (optimistic concurrency).

    Attributes:
        expected: the version the caller believed current.
        actual: the pathway's real version.
    """

    def __init__(self, *, pathway_id: str, expected: int, actual: int) -> None:
        self.pathway_id = pathway_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"pathway {pathway_id!r} is at version {actual}, not {expected}: "
            "reload it and apply the event again"
        )
