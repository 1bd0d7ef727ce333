"""The pseudonymised tidy tables: through the privacy module's keys, purposes and catalogue."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from .._sensitivity import Sensitivity
from ..errors import InvalidValue
from ._schema import Column, TableSchema

if TYPE_CHECKING:
    from ..privacy import Purpose
    from ._frames import Table

__all__ = ["Pseudonymisation"]


def _category(value: object) -> Sensitivity:
    """Read a category given as a :class:`Sensitivity` or its wire value."""
    if isinstance(value, Sensitivity):
        return value
    for member in Sensitivity:
        if member.value == value:
            return member
    accepted = ", ".join(repr(m.value) for m in Sensitivity)
    raise InvalidValue("Pseudonymisation", "include", value, f"a Sensitivity ({accepted})")


def _purpose(value: Purpose | str) -> Purpose:
    """The purpose named ``value`` (see :meth:`reussite.privacy.Purpose.of`)."""
    from ..privacy import Purpose  # loaded when the tables leave the team, not before

    return Purpose.of(value)


def _categories(values: Iterable[object]) -> frozenset[Sensitivity]:
    """Read several categories (see :func:`_category`)."""
    if isinstance(values, str | Sensitivity):
        values = (values,)
    return frozenset(_category(v) for v in values)


@attrs.frozen(kw_only=True)
class Pseudonymisation:
    """How the tidy tables leave the team (*tables pseudonymisées*), by the privacy rules.

    Rule: the same as :func:`reussite.privacy.export_pseudonymised`: ids become keyed
    pseudonyms (:func:`reussite.privacy.pseudonymise`, HMAC-SHA256 scoped by the purpose,
    so the tables join with each other and with an export of the same purpose); a column
    is kept only when the purpose keeps its category in the catalogue (health and child
    protection only when named); the codes that reveal a category not kept are blanked;
    the birth date never leaves (the age at referral and its band do). The tables carry no
    name nor free text in any case.

    Attributes:
        key: the data controller's secret (at least 32 bytes, checked).
        purpose: the purpose the pseudonyms are scoped by (a :class:`Purpose` or a name).
        include: extra categories to keep (``"health"``, ``"child_protection"``).

    >>> from reussite.privacy import generate_key
    >>> from reussite.tables import SCHEMAS
    >>> privacy = Pseudonymisation(key=generate_key(), purpose="evaluation")
    >>> "birth_date" in privacy.schema(SCHEMAS["pathways"]).names
    False
    >>> "handover_on" in privacy.schema(SCHEMAS["pathways"]).names
    False
    >>> Pseudonymisation(key=b"short", purpose="evaluation")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: Pseudonymisation.key: expected ...
    """

    key: bytes = attrs.field(repr=False)
    purpose: Purpose = attrs.field(converter=_purpose)
    include: frozenset[Sensitivity] = attrs.field(default=frozenset(), converter=_categories)

    def __attrs_post_init__(self) -> None:
        from ..privacy import check_key

        object.__setattr__(self, "key", check_key(self.key, owner="Pseudonymisation"))
        if Sensitivity.DIRECT_IDENTIFIER in self.include:
            raise InvalidValue(
                "Pseudonymisation",
                "include",
                "direct_identifier",
                "categories without direct_identifier (ids become keyed pseudonyms)",
            )

    @property
    def categories(self) -> frozenset[Sensitivity]:
        """The categories the tables keep: the purpose's and ``include``."""
        return self.purpose.categories | self.include

    def keeps(self, column: Column) -> bool:
        """Whether the pseudonymised tables keep ``column``."""
        if not column.exported:
            return False
        return column.pseudonym is not None or column.sensitivity in self.categories

    def schema(self, schema: TableSchema) -> TableSchema:
        """The schema of ``schema``'s pseudonymised table: the columns kept."""
        return attrs.evolve(schema, columns=tuple(c for c in schema.columns if self.keeps(c)))

    @functools.cached_property
    def _pseudonym(self) -> Callable[[str, str], str]:
        from ..privacy._purpose import pseudonymiser

        return functools.lru_cache(maxsize=1 << 16)(pseudonymiser(self.key, self.purpose))

    def apply(self, table: Table) -> Table:
        """The pseudonymised version of ``table`` (a new table; ``table`` is unchanged)."""
        from ._frames import Table

        kept = self.categories
        plan: list[tuple[int, Callable[[Any], Any] | None]] = []
        for index, column in enumerate(table.schema.columns):
            if self.keeps(column):
                plan.append((index, self._transform(column, kept)))
        rows = [tuple(row[i] if f is None else f(row[i]) for i, f in plan) for row in table.rows]
        return Table(schema=self.schema(table.schema), rows=rows)

    def _transform(
        self, column: Column, kept: frozenset[Sensitivity]
    ) -> Callable[[Any], Any] | None:
        if column.pseudonym is not None:
            kind, pseudonym = column.pseudonym, self._pseudonym
            return lambda v: None if v is None else pseudonym(kind, v)
        hidden = frozenset(code for code, c in column.value_categories.items() if c not in kept)
        if hidden:
            return lambda v: None if v in hidden else v
        return None
