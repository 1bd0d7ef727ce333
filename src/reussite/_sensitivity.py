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
from .codes import ExitReason, ObjectiveDomain, ReferralReason, ReferralSource, SuspensionReason

__all__ = [
    "CHILD_PROTECTION",
    "DIRECT",
    "DOMAIN_VALUES",
    "EXIT_VALUES",
    "FAMILY",
    "HEALTH",
    "KEY",
    "ORDINARY",
    "PARTNER_CATEGORIES",
    "QUASI",
    "REASON_VALUES",
    "SCHOOL",
    "SOURCE_VALUES",
    "STATE_VALUES",
    "SUSPENSION_VALUES",
    "Sensitivity",
    "category_of",
    "names_partners",
    "partner_category",
    "revealing",
    "reveals",
    "value_categories",
    "withheld",
]

KEY = "reussite.sensitivity"
"""The attrs metadata key under which a field's :class:`Sensitivity` is stored."""
VALUES_KEY = "reussite.sensitivity.values"
"""The attrs metadata key of the values that reveal more than their field's category."""
PARTNERS_KEY = "reussite.sensitivity.partners"
"""The attrs metadata key marking a field of partners' names (see :func:`partner_category`)."""


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


_H, _CP, _F = Sensitivity.HEALTH, Sensitivity.CHILD_PROTECTION, Sensitivity.FAMILY_SITUATION

SOURCE_VALUES: Mapping[Any, Sensitivity] = MappingProxyType(
    {ReferralSource.ASE: _CP, ReferralSource.HEALTH_SERVICES: _H, ReferralSource.PMI: _H}
)
"""Referral sources that reveal more than a source: PMI and CMP/CMPP health, ASE child
protection."""
REASON_VALUES: Mapping[Any, Sensitivity] = MappingProxyType(
    {ReferralReason.HEALTH_ACCESS: _H, ReferralReason.PSYCHOLOGICAL: _H}
)
"""Referral reasons that reveal health: access to care, psychological development."""
DOMAIN_VALUES: Mapping[Any, Sensitivity] = MappingProxyType(
    {ObjectiveDomain.HEALTH: _H, ObjectiveDomain.PARENTING: _F}
)
"""Objective domains (and needs) that reveal more: health, and parenting (family)."""
EXIT_VALUES: Mapping[Any, Sensitivity] = MappingProxyType({ExitReason.RELAY_SPECIALISED: _H})
"""Exit reasons that reveal health: a relay to a specialised service (CMP, MDPH…)."""
SUSPENSION_VALUES: Mapping[Any, Sensitivity] = MappingProxyType(
    {SuspensionReason.HOSPITALISATION: _H}
)
"""Suspension reasons that reveal health: the child's hospitalisation."""
STATE_VALUES: Mapping[Any, Sensitivity] = MappingProxyType({"handed_over": _CP})
"""Pathway states that reveal child protection: handed over."""


def category_of(field: attrs.Attribute[Any]) -> Sensitivity | None:
    """The category declared on an attrs field, or ``None`` when it has none."""
    value = field.metadata.get(KEY)
    return value if isinstance(value, Sensitivity) else None


def revealing(
    base: Mapping[str, Any], values: Mapping[Any, Sensitivity], *, partners: bool = False
) -> Mapping[str, Any]:
    """Field metadata: ``base``'s category, plus codes whose value reveals a more sensitive one.

    A code may say more than its field: the referral source ``pmi`` reveals health where
    the source is ordinary (*catégorie par valeur*). ``values`` maps each such code (an
    enumeration member or its wire value) to the category it reveals; ``partners`` marks a
    field of partners' names, whose values are read with :func:`partner_category`.

    >>> import attrs
    >>> from reussite.referral import Referral
    >>> value_categories(attrs.fields(Referral).source)["pmi"].value
    'health'
    """
    table = {str(getattr(code, "value", code)): category for code, category in values.items()}
    return MappingProxyType({**base, VALUES_KEY: MappingProxyType(table), PARTNERS_KEY: partners})


def value_categories(field: attrs.Attribute[Any]) -> Mapping[str, Sensitivity]:
    """The codes of a field that reveal more than its category (empty when none do)."""
    table: Mapping[str, Sensitivity] = field.metadata.get(VALUES_KEY, MappingProxyType({}))
    return table


def names_partners(field: attrs.Attribute[Any]) -> bool:
    """Whether a field holds partners' names, read with :func:`partner_category`."""
    return bool(field.metadata.get(PARTNERS_KEY, False))


def reveals(field: attrs.Attribute[Any], value: object) -> Sensitivity | None:
    """The category one value of a field reveals: the field's, or more for a revealing code.

    >>> import attrs
    >>> from reussite.referral import Consent, Referral
    >>> reveals(attrs.fields(Referral).source, "pmi").value
    'health'
    >>> reveals(attrs.fields(Consent).recipients, "CMP").value
    'health'
    >>> reveals(attrs.fields(Consent).recipients, "École").value
    'ordinary'
    """
    found = [category_of(field)]
    code = str(getattr(value, "value", value))
    found.append(value_categories(field).get(code))
    if names_partners(field) and isinstance(value, str):
        found.append(partner_category(value))
    known = [c for c in found if c is not None]
    return max(known, key=lambda c: c.rank) if known else None


PARTNER_CATEGORIES: Mapping[str, Sensitivity] = MappingProxyType(
    {
        "cmp": Sensitivity.HEALTH,
        "cmpp": Sensitivity.HEALTH,
        "camsp": Sensitivity.HEALTH,
        "pmi": Sensitivity.HEALTH,
        "mdph": Sensitivity.HEALTH,
        "sessad": Sensitivity.HEALTH,
        "hôpital": Sensitivity.HEALTH,
        "hopital": Sensitivity.HEALTH,
        "pédopsychiatrie": Sensitivity.HEALTH,
        "pedopsychiatrie": Sensitivity.HEALTH,
        "psychologue": Sensitivity.HEALTH,
        "orthophoniste": Sensitivity.HEALTH,
        "médecin": Sensitivity.HEALTH,
        "medecin": Sensitivity.HEALTH,
        "infirmière": Sensitivity.HEALTH,
        "infirmier": Sensitivity.HEALTH,
        "ase": Sensitivity.CHILD_PROTECTION,
        "crip": Sensitivity.CHILD_PROTECTION,
        "procureur": Sensitivity.CHILD_PROTECTION,
        "parquet": Sensitivity.CHILD_PROTECTION,
        "juge des enfants": Sensitivity.CHILD_PROTECTION,
        "aemo": Sensitivity.CHILD_PROTECTION,
    }
)
"""Words in a partner's name that reveal a category (*partenaires révélateurs*).

Naming the CMP among a consent's recipients reveals that the child sees a mental-health
service: a list of partners is ordinary, a CMP in it is health. The list is the
library's; a partner it does not know is ordinary (``partner_category``)."""


def partner_category(name: str) -> Sensitivity | None:
    """The category a partner's name reveals, or ``None`` (words of :data:`PARTNER_CATEGORIES`).

    Words are compared without case or accents' absence mattering for the listed
    spellings; the most sensitive match wins.

    >>> partner_category("CMP de Salon").value, partner_category("École Bressons")
    ('health', None)
    >>> partner_category("Juge des enfants").value
    'child_protection'
    """
    text = " " + " ".join(name.casefold().replace("-", " ").replace("'", " ").split()) + " "
    found = [cat for word, cat in PARTNER_CATEGORIES.items() if f" {word} " in text]
    return max(found, key=lambda c: c.rank) if found else None


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
