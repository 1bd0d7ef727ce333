"""The ``reussite`` error family: every failure of the public API is one of these.

Each error says what was wrong, where, and what is accepted. Errors that resemble a
built-in also subclass it, so ``except ValueError`` keeps working for callers who do not
know ``reussite``.

>>> from reussite.errors import InvalidValue, ReussiteError
>>> issubclass(InvalidValue, ValueError) and issubclass(InvalidValue, ReussiteError)
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
]


class ReussiteError(Exception):
    """Base class of every error raised by ``reussite``."""


class InvalidValue(ReussiteError, ValueError, TypeError):
    """A value given to a domain type has the wrong type, range or format.

    It subclasses both :class:`ValueError` and :class:`TypeError` because it replaces
    both in attrs validators: a caller catching either keeps working.

    Attributes:
        owner: the class whose field was being set (``"Child"``).
        field: the field name (``"birth_date"``).
        value: the rejected value.
        expected: what is accepted, in words.
    """

    def __init__(self, owner: str, field: str, value: object, expected: str) -> None:
        self.owner = owner
        self.field = field
        self.value = value
        self.expected = expected
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(f"{owner}.{field}: expected {expected}, got {shown}")


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
