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
