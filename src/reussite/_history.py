"""The facts in force in a pathway's history: its corrections applied (*historique corrigé*).

A history is every event recorded, corrections included. Its facts are the events in
force: each event replaced by the latest correction naming it that is itself in force (a
correction voided by a later one is not), dropped when that correction voids it; the
corrections themselves are left out. :mod:`reussite.lifecycle` folds the facts.
"""

from __future__ import annotations

from collections.abc import Sequence

from .events import Corrected, Event

__all__ = ["corrected_facts", "in_force"]


def in_force(history: Sequence[Event]) -> dict[int, Event | None]:
    """For each version corrected by a correction in force, its replacement (``None``: void).

    Versions count from 1. A correction is in force unless a later correction in force
    voids it; a later correction of the same version wins over an earlier one.
    """
    voided: set[int] = set()
    corrections: list[tuple[int, Corrected]] = []
    for index in range(len(history) - 1, -1, -1):  # latest first: voids point backwards
        event = history[index]
        if type(event) is not Corrected or index + 1 in voided:
            continue
        corrections.append((index + 1, event))
        target = event.corrected_version
        if event.replacement is None and type(history[target - 1]) is Corrected:
            voided.add(target)
    effective: dict[int, Event | None] = {}
    for _, correction in reversed(corrections):  # oldest first: the latest wins
        target = correction.corrected_version
        if type(history[target - 1]) is not Corrected:
            effective[target] = correction.replacement
    return effective


def corrected_facts(history: tuple[Event, ...]) -> tuple[Event, ...]:
    """The facts of ``history``: corrections applied and left out (``history`` itself if none)."""
    if not any(type(e) is Corrected for e in history):
        return history
    effective = in_force(history)
    facts: list[Event] = []
    for version, event in enumerate(history, start=1):
        if type(event) is Corrected:
            continue
        if version in effective:
            replacement = effective[version]
            if replacement is not None:
                facts.append(replacement)
        else:
            facts.append(event)
    return tuple(facts)
