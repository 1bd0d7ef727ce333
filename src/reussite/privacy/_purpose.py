"""Purposes of an export (*finalités*) and the keyed pseudonyms scoped by them."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import math
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from .. import _validate as v
from .._sensitivity import Sensitivity
from ..errors import InvalidValue

__all__ = [
    "DEFAULT_CATEGORIES",
    "EVALUATION",
    "MIN_KEY_BITS",
    "MIN_KEY_BYTES",
    "PURPOSES",
    "RESEARCH",
    "SURVEY",
    "Purpose",
    "check_key",
    "generate_key",
    "key_strength",
    "pseudonymise",
    "sensitivity",
]

MIN_KEY_BYTES = 32
"""The shortest pseudonymisation key accepted: 32 bytes (256 bits, the HMAC-SHA256 block)."""
MIN_KEY_BITS = 80
"""The least :func:`key_strength` a key must show: keys made by hand or by pattern fail."""

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


def _entropy_bits(values: bytes) -> float:
    """The empirical entropy of a sequence of bytes, in bits per byte, times its length."""
    n = len(values)
    return -sum(c * math.log2(c / n) for c in Counter(values).values())


def key_strength(key: bytes) -> float:
    """How random a key looks, in bits: the test that refuses keys made by hand or pattern.

    Rule: the empirical entropy of the key's bytes and that of the differences between
    consecutive bytes (mod 256), each times its length; the smaller of the two. A
    constant key (``bytes(32)``, ``b"k" * 32``) scores 0, a counting one
    (``bytes(range(32))``) 0 too, ``b"0123456789abcdef" * 2`` 17. Keys drawn at random
    score far above :data:`MIN_KEY_BITS` (80): over 100,000 draws, at least 133 for 32
    random bytes, 91 for 32 hexadecimal characters, 191 for the base64 of 32 bytes.
    It cannot tell a human passphrase from a random key: make keys with
    :func:`generate_key` (``reussite keygen``).

    >>> key_strength(bytes(32)), key_strength(bytes(range(32)))
    (0.0, 0.0)
    >>> key_strength(generate_key()) > MIN_KEY_BITS
    True
    """
    differences = bytes((b - a) % 256 for a, b in itertools.pairwise(key))
    return max(0.0, min(_entropy_bits(key), _entropy_bits(differences)))


def check_key(key: object, *, owner: str = "pseudonymise") -> bytes:
    """Check a pseudonymisation key: bytes, at least :data:`MIN_KEY_BYTES` long, random-looking.

    Rule: a key of :data:`MIN_KEY_BYTES` or more whose :func:`key_strength` reaches
    :data:`MIN_KEY_BITS`. A guessable key would let anyone with a list of ids (they are
    short: ``enf-0001`` to ``enf-9999``) compute every pseudonym and so re-identify the
    export. The error never shows the key itself, only its type, length and strength.

    Raises:
        InvalidValue: if the key is not bytes, is too short, or does not look random.

    >>> check_key(b"short")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: pseudonymise.key: expected bytes of at least 32 ...
    >>> check_key(b"k" * 32)
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: pseudonymise.key: expected a random-looking key ...
    """
    expected = f"bytes of at least {MIN_KEY_BYTES} (a secret the data controller keeps)"
    if not isinstance(key, bytes):
        raise InvalidValue(owner, "key", f"<{type(key).__name__}>", expected, personal=False)
    if len(key) < MIN_KEY_BYTES:
        raise InvalidValue(owner, "key", f"<{len(key)} bytes>", expected, personal=False)
    strength = key_strength(key)
    if strength < MIN_KEY_BITS:
        raise InvalidValue(
            owner,
            "key",
            f"<{len(key)} bytes, strength {strength:.0f} bits>",
            f"a random-looking key (strength of at least {MIN_KEY_BITS} bits: not made by "
            "hand nor by a pattern; make one with `reussite keygen` or generate_key())",
            personal=False,
        )
    return key


def generate_key(size: int = MIN_KEY_BYTES) -> bytes:
    """A new pseudonymisation key: ``size`` random bytes from the system (``secrets``).

    Raises:
        InvalidValue: if ``size`` is not an integer of at least :data:`MIN_KEY_BYTES`.

    >>> len(generate_key()), generate_key() != generate_key()
    (32, True)
    """
    if type(size) is not int or size < MIN_KEY_BYTES:
        raise InvalidValue("generate_key", "size", size, f"an integer >= {MIN_KEY_BYTES}")
    while True:
        key = secrets.token_bytes(size)
        if key_strength(key) >= MIN_KEY_BITS:  # always, in practice: see key_strength
            return key


def pseudonymise(raw: str, *, key: bytes, purpose: Purpose | str, kind: str) -> str:
    """The keyed pseudonym of an identifier for a purpose (*pseudonyme*).

    Rule: HMAC-SHA256 keyed by the caller's key over the purpose's name, the kind of
    identifier (``"child"``, ``"family"``, ``"pathway"``) and the identifier, shown as 32
    hexadecimal characters (128 bits). The same key and purpose always give the same
    pseudonym; another purpose or another key gives an unrelated one; without the key,
    nobody can go back or join two purposes.

    >>> key = generate_key()
    >>> a = pseudonymise("enf-1", key=key, purpose="evaluation", kind="child")
    >>> a == pseudonymise("enf-1", key=key, purpose="evaluation", kind="child")
    True
    >>> a == pseudonymise("enf-1", key=key, purpose="survey", kind="child")
    False
    >>> len(a)
    32
    """
    return pseudonymiser(key, purpose)(kind, raw)


def pseudonymiser(key: bytes, purpose: Purpose | str) -> Callable[[str, str], str]:
    """:func:`pseudonymise` for one key and purpose: ``pseudonym(kind, raw)``.

    The key is checked once, here, and the HMAC's keyed state built once and copied for
    each identifier: an export pseudonymises three or four ids per pathway.

    Raises:
        InvalidValue: as :func:`check_key`, or for an unknown purpose.
    """
    secret = check_key(key)
    scope = Purpose.of(purpose).name
    keyed = hmac.new(secret, digestmod=hashlib.sha256)
    keyed.update("\x1f".join(("reussite-pseudonym-v1", scope, "")).encode("utf-8"))
    copy = keyed.copy  # the keyed state after the message's start

    def pseudonym(kind: str, raw: str) -> str:
        if not isinstance(raw, str) or not isinstance(kind, str):
            bad, name = (raw, "raw") if not isinstance(raw, str) else (kind, "kind")
            raise InvalidValue(  # an identifier is never shown: it is what is hidden
                "pseudonymise", name, bad, "an identifier (str)", personal=name == "raw"
            )
        mac = copy()
        mac.update("\x1f".join((kind, raw)).encode("utf-8"))
        return mac.hexdigest()[:32]

    return pseudonym


def categories_of(values: Iterable[Sensitivity | str], *, owner: str) -> frozenset[Sensitivity]:
    """Read several categories (see :func:`sensitivity`)."""
    return frozenset(sensitivity(c, owner=owner, field="include") for c in values)
