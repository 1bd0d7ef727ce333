"""The sensitivity category of each field of the domain, declared once on the field.

Every field of every public domain type carries one :class:`Sensitivity` in its attrs
metadata (``attrs.field(..., metadata=sens.DIRECT)``); :func:`reussite.privacy.catalogue`
lists them, and the pseudonymised export and the retention schedule are driven by them.
A field that holds records (a child, a list of actions) takes the most sensitive category
of what it holds.

>>> import attrs
>>> from reussite.people import Child
>>> category_of(attrs.fields(Child).birth_date).label_fr
'identifiant indirect'
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ._enum import LabelledEnum

__all__ = [
    "CHILD_PROTECTION",
    "DIRECT",
    "FAMILY",
    "HEALTH",
    "KEY",
    "ORDINARY",
    "QUASI",
    "SCHOOL",
    "Sensitivity",
    "category_of",
    "withheld",
]

KEY = "reussite.sensitivity"
"""The attrs metadata key under which a field's :class:`Sensitivity` is stored."""


class Sensitivity(LabelledEnum):
    """How sensitive a field is (*catégorie de données*, need-to-know).

    Ordered from the least to the most sensitive (:attr:`rank`): a field holding records
    takes the highest rank of what it holds.
    """

    ORDINARY = ("ordinary", "donnée courante")
    SCHOOL = ("school", "scolarité")
    QUASI_IDENTIFIER = ("quasi_identifier", "identifiant indirect")
    FAMILY_SITUATION = ("family_situation", "situation familiale")
    HEALTH = ("health", "santé")
    CHILD_PROTECTION = ("child_protection", "protection de l'enfance")
    DIRECT_IDENTIFIER = ("direct_identifier", "identifiant direct")

    @property
    def rank(self) -> int:
        """Position from the least (0, ordinary) to the most sensitive (direct identifier)."""
        return list(Sensitivity).index(self)


def _tag(category: Sensitivity) -> Mapping[str, Any]:
    return MappingProxyType({KEY: category})


ORDINARY = _tag(Sensitivity.ORDINARY)
"""Metadata of an ordinary field: codes, dates, states, amounts."""
SCHOOL = _tag(Sensitivity.SCHOOL)
"""Metadata of a schooling field: class attended, priority education."""
QUASI = _tag(Sensitivity.QUASI_IDENTIFIER)
"""Metadata of a quasi-identifier: birth date, school, commune, QPV."""
FAMILY = _tag(Sensitivity.FAMILY_SITUATION)
"""Metadata of a family-situation field: guardians, ties, the difficulties noticed."""
HEALTH = _tag(Sensitivity.HEALTH)
"""Metadata of a health field."""
CHILD_PROTECTION = _tag(Sensitivity.CHILD_PROTECTION)
"""Metadata of a child-protection field: handover to the CRIP, ASE, prosecutor."""
DIRECT = _tag(Sensitivity.DIRECT_IDENTIFIER)
"""Metadata of a direct identifier: names, contact details, raw ids, free-text notes."""


def category_of(field: attrs.Attribute[Any]) -> Sensitivity | None:
    """The category declared on an attrs field, or ``None`` when it has none."""
    value = field.metadata.get(KEY)
    return value if isinstance(value, Sensitivity) else None


_PERSONAL = frozenset({Sensitivity.DIRECT_IDENTIFIER, Sensitivity.QUASI_IDENTIFIER})


def _scalar_type(hint: Any) -> Any:
    """``str`` of ``str``, ``str | None`` and ``tuple[str, ...]`` (likewise for any type)."""
    args = [a for a in typing.get_args(hint) if a is not type(None) and a is not Ellipsis]
    origin = typing.get_origin(hint)
    if origin is not None and len(args) == 1:
        return _scalar_type(args[0])
    return hint


def _is_code(validator: Any) -> bool:
    """Whether a field's validator reads a code or an id (a pattern), not free text."""
    spec = getattr(validator, "spec", None)
    kind, args = getattr(spec, "kind", ""), getattr(spec, "args", ())
    if kind == "pattern":
        return True
    if kind in ("optional", "tuple_of", "all_of"):
        return any(_is_code(a) for a in args if callable(a))
    return False


@functools.cache
def _withheld_fields() -> frozenset[tuple[str, str]]:
    from .privacy._catalogue import domain_types  # the domain is loaded by then

    found: set[tuple[str, str]] = set()
    for cls in domain_types():
        hints = typing.get_type_hints(cls)
        for field in attrs.fields(cls):
            scalar = _scalar_type(hints[field.name])
            if (
                category_of(field) in _PERSONAL
                and scalar in (str, dt.date)
                and not _is_code(field.validator)
                and not (field.name == "id" or field.name.endswith(("_id", "_ids")))
            ):
                found.add((cls.__name__, field.name))
    return frozenset(found)


def withheld(owner: str, field: str) -> bool:
    """Whether error messages must not repeat the value of ``owner.field``.

    Rule: the values of personal fields (*données personnelles*) stay out of messages:
    names, contacts, free text (direct identifiers that are not ids) and dates of birth
    (quasi-identifiers that are not codes). Ids and codes are shown: they are how a
    person finds the record to fix.

    >>> withheld("Child", "first_name"), withheld("Child", "birth_date"), withheld("Child", "id")
    (True, True, False)
    """
    return (owner, field) in _withheld_fields()
