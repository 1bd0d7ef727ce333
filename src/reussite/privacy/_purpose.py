"""Purposes of an export (*finalités*) and the keyed pseudonyms scoped by them."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

import attrs

from .. import _validate as v
from .._sensitivity import Sensitivity
from ..errors import InvalidValue

__all__ = [
    "DEFAULT_CATEGORIES",
    "EVALUATION",
    "MIN_KEY_BYTES",
    "PURPOSES",
    "RESEARCH",
    "SURVEY",
    "Purpose",
    "check_key",
    "pseudonymise",
    "sensitivity",
]

MIN_KEY_BYTES = 32
"""The shortest pseudonymisation key accepted: 32 bytes (256 bits, the HMAC-SHA256 block)."""

DEFAULT_CATEGORIES = frozenset(
    {
        Sensitivity.ORDINARY,
        Sensitivity.SCHOOL,
        Sensitivity.QUASI_IDENTIFIER,
        Sensitivity.FAMILY_SITUATION,
    }
)
"""What an export keeps unless its purpose says more: never health nor child protection."""


def sensitivity(value: Sensitivity | str, *, owner: str, field: str) -> Sensitivity:
    """Read a category given as a :class:`Sensitivity` or its wire value (``"health"``).

    Raises:
        InvalidValue: naming ``owner.field`` and the accepted values.
    """
    if isinstance(value, Sensitivity):
        return value
    if isinstance(value, str):
        for member in Sensitivity:
            if member.value == value:
                return member
    accepted = ", ".join(repr(m.value) for m in Sensitivity)
    raise InvalidValue(owner, field, value, f"a Sensitivity ({accepted})")


def _categories(inst: Purpose, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset) or not all(isinstance(c, Sensitivity) for c in value):
        raise InvalidValue("Purpose", attr.name, value, "a frozenset of Sensitivity")
    if Sensitivity.DIRECT_IDENTIFIER in value:
        raise InvalidValue(
            "Purpose",
            attr.name,
            sorted(c.value for c in value),
            "categories without direct_identifier (names, contacts, raw ids and notes never "
            "leave; ids become keyed pseudonyms)",
        )
    if Sensitivity.ORDINARY not in value:
        raise InvalidValue(
            "Purpose", attr.name, sorted(c.value for c in value), "categories including ordinary"
        )


@attrs.frozen(kw_only=True)
class Purpose:
    """Why data leave the team (*finalité du traitement*), and which categories it needs.

    Rule: the pseudonyms of an export are keyed by the caller's key **and** the purpose's
    name, so two purposes cannot be joined without the key; the categories say what the
    export keeps: ordinary data always, health and child protection only when named,
    direct identifiers never.

    Attributes:
        name: identifies the purpose (``"evaluation"``); it scopes the pseudonyms.
        label_fr: what it is, in French, for the export's header.
        categories: the categories the export may keep.

    >>> EVALUATION.including(Sensitivity.HEALTH).categories >= {Sensitivity.HEALTH}
    True
    >>> Purpose.of("etude-2024").label_fr
    'finalité etude-2024'
    """

    name: str = attrs.field(validator=v.IDENTIFIER)
    label_fr: str = attrs.field(validator=v.text(max_length=300))
    categories: frozenset[Sensitivity] = attrs.field(
        default=DEFAULT_CATEGORIES, validator=_categories
    )

    @classmethod
    def of(cls, value: Purpose | str) -> Purpose:
        """The purpose named ``value``: a built-in one, or a new one with the defaults.

        Raises:
            InvalidValue: if ``value`` is neither a :class:`Purpose` nor a valid name.
        """
        if isinstance(value, Purpose):
            return value
        if isinstance(value, str) and value in PURPOSES:
            return PURPOSES[value]
        if not isinstance(value, str):
            raise InvalidValue("Purpose", "name", value, "a Purpose or a purpose name")
        return cls(name=value, label_fr=f"finalité {value}")

    def including(self, *categories: Sensitivity | str) -> Purpose:
        """This purpose, also keeping ``categories`` (``"health"``, ``"child_protection"``).

        Raises:
            InvalidValue: for an unknown category, or ``direct_identifier``.
        """
        extra = {sensitivity(c, owner="Purpose", field="categories") for c in categories}
        return attrs.evolve(self, categories=self.categories | extra)


EVALUATION = Purpose(name="evaluation", label_fr="évaluation du programme")
"""Evaluation of the programme by an evaluator (*évaluation*): default categories."""
SURVEY = Purpose(name="survey", label_fr="enquête annuelle de l'État sur les PRE")
"""The State's annual survey of the PRE (*enquête annuelle*): default categories."""
RESEARCH = Purpose(name="research", label_fr="recherche")
"""A research study (*étude, recherche*): default categories."""

PURPOSES: dict[str, Purpose] = {p.name: p for p in (EVALUATION, SURVEY, RESEARCH)}
"""The built-in purposes by name."""


def check_key(key: object, *, owner: str = "pseudonymise") -> bytes:
    """Check a pseudonymisation key: bytes, at least :data:`MIN_KEY_BYTES` long.

    The error never shows the key itself, only its type and length.

    Raises:
        InvalidValue: if the key is not bytes or is too short.

    >>> check_key(b"short")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: pseudonymise.key: expected bytes of at least 32 ...
    """
    expected = f"bytes of at least {MIN_KEY_BYTES} (a secret the data controller keeps)"
    if not isinstance(key, bytes):
        raise InvalidValue(owner, "key", f"<{type(key).__name__}>", expected)
    if len(key) < MIN_KEY_BYTES:
        raise InvalidValue(owner, "key", f"<{len(key)} bytes>", expected)
    return key


def pseudonymise(raw: str, *, key: bytes, purpose: Purpose | str, kind: str) -> str:
    """The keyed pseudonym of an identifier for a purpose (*pseudonyme*).

    Rule: HMAC-SHA256 keyed by the caller's key over the purpose's name, the kind of
    identifier (``"child"``, ``"family"``, ``"pathway"``) and the identifier, shown as 32
    hexadecimal characters (128 bits). The same key and purpose always give the same
    pseudonym; another purpose or another key gives an unrelated one; without the key,
    nobody can go back or join two purposes.

    >>> key = bytes(range(32))
    >>> a = pseudonymise("enf-1", key=key, purpose="evaluation", kind="child")
    >>> a == pseudonymise("enf-1", key=key, purpose="evaluation", kind="child")
    True
    >>> a == pseudonymise("enf-1", key=key, purpose="survey", kind="child")
    False
    >>> len(a)
    32
    """
    secret = check_key(key)
    scope = Purpose.of(purpose).name
    message = "\x1f".join(("reussite-pseudonym-v1", scope, kind, raw)).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def categories_of(values: Iterable[Sensitivity | str], *, owner: str) -> frozenset[Sensitivity]:
    """Read several categories (see :func:`sensitivity`)."""
    return frozenset(sensitivity(c, owner=owner, field="include") for c in values)
