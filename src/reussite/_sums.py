"""Counts of people linked by sums, and which masked ones a reader could recompute.

The model behind complementary suppression (*secret statistique*) of reports
(:func:`reussite.privacy.suppress_report`) and of national returns
(:mod:`reussite.national`): counts, the sums that link them (a total and its
breakdown), and the search for the counts to mask so that no masked count is pinned
to one value by what is published.
"""

from __future__ import annotations

import attrs

__all__ = ["Relation", "SumModel"]


@attrs.frozen
class Relation:
    """``parent`` is the sum of ``parts``: a breakdown, or a count and its complement."""

    parent: str
    parts: tuple[str, ...]


class SumModel:
    """The counts of people a report publishes, the sums linking them, and the masking."""

    def __init__(
        self, values: dict[str, int], relations: list[Relation], implied: set[str]
    ) -> None:
        self.values = values
        self.implied = implied
        self.parent_of: dict[str, Relation] = {}
        self.children: dict[str, list[Relation]] = {}
        for relation in relations:
            self.children.setdefault(relation.parent, []).append(relation)
            for part in relation.parts:
                self.parent_of[part] = relation
        self.masked: set[str] = set()

    def floor(self, key: str) -> int:
        """The least value an onlooker knows a masked count has: zeros are published."""
        return 0 if key in self.implied else 1

    def down(self, key: str, step: int) -> bool:
        """Whether ``key`` can change by ``step``, made up for inside its breakdowns."""
        if key not in self.masked or self.values[key] + step < self.floor(key):
            return False
        return all(
            any(self.down(part, step) for part in relation.parts)
            for relation in self.children.get(key, ())
        )

    def up(self, key: str, step: int) -> bool:
        """Whether a change of ``key`` by ``step`` can be made up for around it."""
        relation = self.parent_of.get(key)
        if relation is None:
            return True  # a masked total: nothing published pins it
        if any(self.down(other, -step) for other in relation.parts if other != key):
            return True
        parent = relation.parent
        if parent not in self.masked or self.values[parent] + step < self.floor(parent):
            return False
        others = [r for r in self.children.get(parent, ()) if r is not relation]
        return all(any(self.down(p, step) for p in r.parts) for r in others) and self.up(
            parent, step
        )

    def movable(self, key: str) -> bool:
        """Whether what is published leaves the masked count ``key`` two values at least."""
        return any(self.down(key, step) and self.up(key, step) for step in (1, -1))

    def neighbours(self, key: str) -> list[str]:
        """The counts whose masking may free ``key``: nearest first."""
        found: list[str] = []
        relation = self.parent_of.get(key)
        if relation is not None:
            found += [p for p in relation.parts if p != key]
        for own in self.children.get(key, ()):
            found += own.parts
        if relation is not None:
            found.append(relation.parent)
            for other in self.children.get(relation.parent, ()):
                found += other.parts
        return [k for k in found if k not in self.masked and self.values[k] > 0]

    def suppress(self, k: int) -> frozenset[str]:
        """Mask the counts of 1 to ``k - 1`` people, then complements until none is pinned.

        Returns the primary counts (the small ones).
        """
        primary = {key for key, value in self.values.items() if 0 < value < k}
        self.masked = primary | self.implied
        while True:
            stuck = sorted(
                key
                for key in self.masked
                if (key not in self.implied or key in primary) and not self.movable(key)
            )
            if not stuck:
                return frozenset(primary)
            key = stuck[0]
            candidates = sorted(self.neighbours(key), key=lambda c: self.values[c])
            for candidate in candidates:  # the smallest count that frees it, if one does
                self.masked.add(candidate)
                if self.movable(key):
                    break
                self.masked.discard(candidate)
            else:
                if not candidates:  # pragma: no cover - a masked count always has neighbours
                    raise AssertionError(f"cannot protect {key}")
                self.masked.add(candidates[0])
