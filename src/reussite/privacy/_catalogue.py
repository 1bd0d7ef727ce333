"""The sensitivity catalogue: every field of every public domain type and its category."""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

from .. import (
    decision,
    ending,
    events,
    pathway,
    people,
    plan,
    programme,
    referral,
    suspension,
    timeline,
)
from .._sensitivity import (
    Sensitivity,
    category_of,
    names_partners,
    partner_category,
    value_categories,
)
from ..errors import ReussiteError

__all__ = ["FieldSensitivity", "UncategorisedField", "catalogue", "domain_types"]

_DOMAIN_MODULES: tuple[types.ModuleType, ...] = (
    people,
    programme,
    referral,
    decision,
    plan,
    ending,
    events,
    pathway,
    suspension,
    timeline,
)


class UncategorisedField(ReussiteError, TypeError):
    """A field of a domain type has no sensitivity category (*catégorie non déclarée*).

    Attributes:
        fields: the qualified names of the fields without one (``"Child.nickname"``).
    """

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = tuple(fields)
        accepted = ", ".join(c.value for c in Sensitivity)
        super().__init__(
            f"{len(self.fields)} field(s) have no sensitivity category: "
            f"{', '.join(self.fields)}. Declare one on each with "
            f"attrs.field(..., metadata=sens.<CATEGORY>) (categories: {accepted})"
        )


@attrs.frozen(kw_only=True)
class FieldSensitivity:
    """One entry of the catalogue: a field of a domain type and its category.

    Attributes:
        owner: the class the field belongs to (``Child``).
        field: the field name (``"birth_date"``).
        category: its sensitivity category.
        values: the codes whose value reveals a more sensitive category than the
            field's (*catégorie par valeur*: the referral source ``pmi`` is health).
        partners: whether the field holds partners' names, whose words may reveal a
            category (a CMP: health; see :data:`~reussite._sensitivity.PARTNER_CATEGORIES`).
    """

    owner: type
    field: str
    category: Sensitivity
    values: Mapping[str, Sensitivity] = attrs.field(factory=lambda: MappingProxyType({}))
    partners: bool = False

    def reveals(self, value: object) -> Sensitivity:
        """The category one value of the field reveals: the field's, or more.

        >>> from reussite.referral import Referral
        >>> source = next(e for e in catalogue([Referral]) if e.field == "source")
        >>> source.reveals("pmi").value, source.reveals("caf").value
        ('health', 'ordinary')
        """
        found = [self.category, self.values.get(str(getattr(value, "value", value)))]
        if self.partners and isinstance(value, str):
            found.append(partner_category(value))
        return max((c for c in found if c is not None), key=lambda c: c.rank)

    @property
    def name(self) -> str:
        """The qualified field name, ``Class.field``."""
        return f"{self.owner.__name__}.{self.field}"


def domain_types() -> tuple[type, ...]:
    """Every public attrs class of the domain modules, in declaration order.

    These are the types whose fields the catalogue covers: people, programme, referral,
    decision, plan, ending, events, pathway, suspension and timeline.
    """
    found: list[type] = []
    for module in _DOMAIN_MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and attrs.has(obj) and obj not in found:
                found.append(obj)
    return tuple(found)


def catalogue(types: Iterable[type] | None = None) -> tuple[FieldSensitivity, ...]:
    """List every field of the domain types with its sensitivity category.

    Rule: each field declares exactly one category, once, in its attrs metadata; a field
    without one is an error, so no new field can leave the library unclassified
    (*catalogue des données et de leur sensibilité*).

    Args:
        types: the attrs classes to list (default: :func:`domain_types`).

    Raises:
        UncategorisedField: naming every field that has no category.

    >>> from reussite.people import Child
    >>> [(e.name, e.category.value) for e in catalogue([Child])][:4]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Child.id', 'direct_identifier'), ('Child.first_name', 'direct_identifier'),
     ('Child.last_name', 'direct_identifier'), ('Child.birth_date', 'quasi_identifier')]
    """
    entries: list[FieldSensitivity] = []
    missing: list[str] = []
    for cls in domain_types() if types is None else tuple(types):
        for field in attrs.fields(cls):
            category = category_of(field)
            if category is None:
                missing.append(f"{cls.__name__}.{field.name}")
            else:
                entries.append(
                    FieldSensitivity(
                        owner=cls,
                        field=field.name,
                        category=category,
                        values=value_categories(field),
                        partners=names_partners(field),
                    )
                )
    if missing:
        raise UncategorisedField(missing)
    return tuple(entries)
