"""Schema upgrades: a document of an older version is upgraded on load, step by step.

A migration is a function from a pathway document (a ``dict`` as parsed from JSON) of
version ``N`` to the same document in version ``N + 1``, registered with
:func:`migration`. It never touches the input; it raises
:class:`~reussite.serialization._errors.Problems` with located lines when the old
document cannot be upgraded. Cohort lines are pathway documents without the envelope
(``schema``, ``version``, ``programme``): migrations must work on both.

The version must match the content: a migration refuses what is written in a later
format than the version it upgrades (:func:`later_format`), so that a document written
today but labelled ``"version": 1`` is not read as if it were old. The readers run
every migration from the declared version on, so each one checks its own step.

Version history:

* **1** (reussite before 0.1): events were tagged by ``"event"``; an action's money was
  in euros as decimal strings, ``"cost": "45.50"``, ``"family_share": "15"``.
* **2** (reussite 0.1): events are tagged by ``"type"``; money is integer cents,
  ``"cost_cents": 4550``.
* **3**: the lifecycle of reussite 0.2 — new events (``suspended``, ``resumed``,
  ``situation_changed``, ``reassessed``, ``corrected``) and state (``suspended``); a
  withdrawal after admission but before the start ends the pathway *not taken on*; a
  handover goes to child protection only. A version-2 document's derived ``state`` is
  dropped on upgrade (it is derived again by the replay), and its handovers to
  ``"other_service"`` are refused with a located line saying how to record them.
* **4**: every event may say when it was recorded, ``"recorded_on"`` (``null`` when not
  known), so that a report reads "what was known on" a date; a referent of the programme
  may be dated (``"joined_on"``, ``"left_on"``, ``"fte_changes"``). Older documents and
  cohort headers upgrade unchanged: their events' recording dates are not known, their
  referents are undated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._errors import Problems, show

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "dated_referents",
    "later_format",
    "migration",
    "upgrade",
]

SCHEMA_VERSION = 4
"""The version of the documents this library writes."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}
"""The registered upgrades, by the version they upgrade from."""


def migration(from_version: int) -> Callable[[Migration], Migration]:
    """Register ``function`` as the upgrade of documents from ``from_version``."""

    def register(function: Migration) -> Migration:
        if from_version in MIGRATIONS:
            raise ValueError(f"a migration from version {from_version} is already registered")
        MIGRATIONS[from_version] = function
        return function

    return register


def check_version(version: Any) -> int:
    """The document's version, if this library can read it.

    Raises:
        Problems: a located line for a missing, malformed, unknown or newer version.
    """
    if type(version) is not int:
        raise Problems([f"expected a schema version (an integer), got {show(version)} @ $.version"])
    if version > SCHEMA_VERSION:
        raise Problems(
            [
                f"schema version {version} is newer than this reussite reads "
                f"(up to {SCHEMA_VERSION}): upgrade reussite @ $.version"
            ]
        )
    if version < SCHEMA_VERSION and version not in MIGRATIONS:
        raise Problems(
            [f"unknown schema version {version} (known: 1 to {SCHEMA_VERSION}) @ $.version"]
        )
    return version


def upgrade(document: dict[str, Any], version: int) -> dict[str, Any]:
    """``document`` of ``version`` upgraded to :data:`SCHEMA_VERSION` (unchanged if current)."""
    while version < SCHEMA_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    return document


def later_format(version: int, found: str, path: str) -> str:
    """The problem of content written in a later format than the declared ``version``.

    >>> print(later_format(1, 'an event tagged "type"', "$.events[0]"))
    expected the format of version 1, found an event tagged "type" (a later ... @ $.events[0]
    """
    return (
        f"expected the format of version {version}, found {found} (a later version's): "
        f'the "version" declared does not match the content @ {path}'
    )


_EUROS = re.compile(r"(0|[1-9][0-9]{0,15})(?:\.([0-9]{1,2}))?", re.ASCII)


def _cents(value: Any, path: str) -> Any:
    if type(value) is not str:
        raise Problems(
            [f"expected an amount in euros as a decimal string, got {show(value)} @ {path}"]
        )
    match = _EUROS.fullmatch(value)
    if match is None:
        raise Problems([f'expected an amount in euros such as "45.50", got {show(value)} @ {path}'])
    euros, cents = match.groups()
    return int(euros) * 100 + int((cents or "0").ljust(2, "0"))


_MONEY = (("cost", "cost_cents"), ("family_share", "family_share_cents"))


@migration(from_version=1)
def _events_typed_money_in_cents(document: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2: ``"event"`` becomes ``"type"``; euros strings become cents."""
    events = document.get("events")
    if type(events) is not list:
        return document  # the structure check reports it, in the current layout's terms
    upgraded: list[Any] = []
    problems: list[str] = []
    later: list[int] = []
    for index, event in enumerate(events):
        if type(event) is dict and "type" in event and "event" not in event:
            later.append(index)
            continue
        if type(event) is dict and "type" not in event:
            # keys keep their order; a version-1 event that also has "type" is left as
            # it is, so that its stray "event" key is reported rather than lost
            event = {("type" if key == "event" else key): value for key, value in event.items()}
            action = event.get("action")
            if event.get("type") == "action_planned" and type(action) is dict:
                renamed = dict(action)
                for old, new in _MONEY:
                    if new in renamed and old not in renamed:
                        path = f"$.events[{index}].action.{new}"
                        problems.append(later_format(1, f'an amount in cents "{new}"', path))
                    if old in renamed and new not in renamed:
                        try:
                            renamed[new] = _cents(
                                renamed.pop(old), f"$.events[{index}].action.{old}"
                            )
                        except Problems as error:
                            problems.extend(error.lines)
                event["action"] = renamed
        upgraded.append(event)
    if later:
        found = f'{len(later)} event(s) tagged "type", the first one here'
        problems.insert(0, later_format(1, found, f"$.events[{later[0]}]"))
    if problems:
        raise Problems(problems)
    return {**document, "events": upgraded}


_SINCE_VERSION_3 = frozenset(
    {"suspended", "resumed", "situation_changed", "reassessed", "corrected"}
)
"""The event types version 3 added: a document declaring version 2 cannot hold them."""


@migration(from_version=2)
def _lifecycle_of_version_3(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2 → 3: the derived state is dropped; a handover to another service refused.

    A relay to another service was a handover in version 2; since version 3 it is an exit
    the EPS validates, which the document cannot say by itself (the decision is missing):
    the line names the event and how to record it.
    """
    events = document.get("events")
    problems: list[str] = []
    if type(events) is list:
        for index, event in enumerate(events):
            if type(event) is dict and event.get("type") in _SINCE_VERSION_3:
                found = f"a {event['type']!r} event"
                problems.append(later_format(2, found, f"$.events[{index}].type"))
            if type(event) is not dict or event.get("type") != "handed_over":
                continue
            handover = event.get("handover")
            if type(handover) is dict and handover.get("recipient") == "other_service":
                problems.append(
                    "a handover to 'other_service' (version 2) is an exit the EPS validates "
                    "since version 3: record exit_proposed with reason relay_specialised or "
                    f"relay_mainstream, then exit_validated @ $.events[{index}].handover.recipient"
                )
    if problems:
        raise Problems(problems)
    return {key: value for key, value in document.items() if key != "state"}


_REFERENT_DATES = ("joined_on", "left_on", "fte_changes")


def dated_referents(programme: Any, version: int, path: str) -> list[str]:
    """The problems of referents dated in a programme written as ``version`` (before 4).

    ``programme`` is the parsed programme object at ``path`` (anything else is left to
    the types' checks).
    """
    referents = programme.get("referents") if type(programme) is dict else None
    if version >= 4 or type(referents) is not list:
        return []
    return [
        later_format(version, f'a dated referent "{key}"', f"{path}.referents[{index}].{key}")
        for index, referent in enumerate(referents)
        if type(referent) is dict
        for key in _REFERENT_DATES
        if key in referent
    ]


@migration(from_version=3)
def _recording_dates_of_version_4(document: dict[str, Any]) -> dict[str, Any]:
    """Version 3 → 4: nothing to change; refuses recording dates and dated referents.

    Version 3 knew neither: an older document's events have no known recording date and
    its referents no dates.
    """
    events = document.get("events")
    if type(events) is list:
        problems = [
            later_format(3, 'a recording date "recorded_on"', f"$.events[{index}].recorded_on")
            for index, event in enumerate(events)
            if type(event) is dict
            and (
                "recorded_on" in event
                or (
                    type(event.get("replacement")) is dict and "recorded_on" in event["replacement"]
                )
            )
        ]
        if problems:
            raise Problems(problems)
    referents = dated_referents(document.get("programme"), 3, "$.programme")
    if referents:
        raise Problems(referents)
    return document
