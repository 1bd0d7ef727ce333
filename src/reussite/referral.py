"""How a pathway begins: the referral and the family's consent.

>>> import datetime as dt
>>> from reussite.codes import ReferralReason, ReferralSource
>>> Referral(on=dt.date(2017, 10, 2), source=ReferralSource.EDUCATION_NATIONALE,
...          reasons=(ReferralReason.LEARNING,), referrer="Directrice, école Bressons")
... # doctest: +ELLIPSIS
Referral(on=datetime.date(2017, 10, 2), source=<ReferralSource.EDUCATION_NATIONALE: ...>, ...)
>>> Consent(id="k-1", on=dt.date(2017, 10, 9), given_by=())
Traceback (most recent call last):
...
reussite.errors.InvalidValue: Consent.given_by: expected a tuple of at least 1 item(s), got ()
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from . import _sensitivity as sens
from . import _validate as v
from ._sensitivity import Sensitivity
from .codes import ReferralReason, ReferralSource
from .errors import InvalidValue

__all__ = ["CONSENT_DEFAULT_CATEGORIES", "Consent", "Referral", "SharingScope"]


@attrs.frozen(kw_only=True)
class Referral:
    """A partner's referral of a child (*repérage, fiche d'orientation*).

    Attributes:
        on: the date of the referral form, which eligibility is judged on.
        source: the referring partner's kind (*partenaire orienteur*).
        reasons: the difficulties noticed (*problématiques*), at least one.
        referrer: who referred, in words (name and role).
        notes: free text (a direct identifier for privacy purposes).
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    source: ReferralSource = attrs.field(
        validator=v.member(ReferralSource),
        metadata=sens.revealing(sens.ORDINARY, sens.SOURCE_VALUES),
    )
    reasons: tuple[ReferralReason, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.member(ReferralReason), min_length=1),
            v.unique(lambda r: r, "reasons"),
        ),
        metadata=sens.revealing(sens.FAMILY, sens.REASON_VALUES),
    )
    referrer: str = attrs.field(validator=v.text(max_length=300), metadata=sens.DIRECT)
    notes: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )


CONSENT_DEFAULT_CATEGORIES: frozenset[Sensitivity] = frozenset(Sensitivity) - {
    Sensitivity.HEALTH,
    Sensitivity.CHILD_PROTECTION,
}
"""What a partner named among a consent's ``recipients`` may be told: everything but health
and child protection (health only where a :class:`SharingScope` names it)."""


def _shareable(
    inst: SharingScope, attr: attrs.Attribute[tuple[Sensitivity, ...]], value: Any
) -> None:
    if Sensitivity.CHILD_PROTECTION in value:
        raise InvalidValue(
            "SharingScope",
            attr.name,
            [c.value for c in value],
            "categories without child_protection (only a handover to child protection "
            "shares it, never a consent)",
        )


@attrs.frozen(kw_only=True)
class SharingScope:
    """What the family agrees one partner may be told (*périmètre du partage*).

    Rule: a consent names, partner by partner, the categories of data it covers
    (partners × categories); health goes only to a partner whose scope names it; child
    protection is never shared by consent (only by a handover, CASF L.226-2-1).

    Attributes:
        recipient: the partner (``"CMP de Salon"``), compared without case or blanks.
        categories: the categories of data it may receive, at least one.

    >>> SharingScope(recipient="CMP", categories=(Sensitivity.HEALTH,)).categories[0].value
    'health'
    >>> SharingScope(recipient="ASE", categories=(Sensitivity.CHILD_PROTECTION,))
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: SharingScope.categories: expected categories without ...
    """

    recipient: str = attrs.field(
        validator=v.text(max_length=300),
        metadata=sens.revealing(sens.ORDINARY, {}, partners=True),
    )
    categories: tuple[Sensitivity, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.member(Sensitivity), min_length=1),
            v.unique(lambda c: c, "categories"),
            _shareable,
        ),
        metadata=sens.ORDINARY,
    )


def _distinct_recipients(
    inst: Consent, attr: attrs.Attribute[tuple[SharingScope, ...]], value: Any
) -> None:
    names = [s.recipient.strip().casefold() for s in value]
    if len(set(names)) < len(names):
        raise InvalidValue(
            "Consent", attr.name, [s.recipient for s in value], "one scope per partner"
        )


def _valid_until_after_start(
    inst: Consent, attr: attrs.Attribute[dt.date | None], value: dt.date | None
) -> None:
    if value is not None and value < inst.on:
        raise InvalidValue("Consent", attr.name, value, f"a date on or after {inst.on}")


@attrs.frozen(kw_only=True)
class Consent:
    """The family's written agreement (*accord écrit, contrat d'engagement*).

    Rule: nothing is done without it (assessment, admission, actions); it is signed by at
    least one guardian of the child's family; it may name the partners with whom
    information may be shared (*partage d'informations*) and an end date. What each
    partner may be told: the categories its :class:`SharingScope` names, or, for a partner
    only listed in ``recipients``, :data:`CONSENT_DEFAULT_CATEGORIES` (never health nor
    child protection). The family's latest consent supersedes the earlier ones for
    sharing (:func:`reussite.privacy.may_share`).

    Attributes:
        id: identifies this consent within the pathway.
        on: the date it was signed.
        given_by: ids of the guardians who signed.
        recipients: partners information may be shared with (ids or names).
        valid_until: last day it applies, if limited.
        scopes: partner by partner, the categories they may be told (optional: a
            consent written before scopes names partners only).
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    given_by: tuple[str, ...] = attrs.field(
        validator=v.all_of(v.tuple_of(v.IDENTIFIER, min_length=1), v.unique(str, "guardian ids")),
        metadata=sens.DIRECT,
    )
    recipients: tuple[str, ...] = attrs.field(
        default=(),
        validator=v.tuple_of(v.text(max_length=300)),
        metadata=sens.revealing(sens.ORDINARY, {}, partners=True),
    )
    valid_until: dt.date | None = attrs.field(
        default=None,
        validator=v.optional(v.all_of(v.date_between(), _valid_until_after_start)),
        metadata=sens.ORDINARY,
    )
    scopes: tuple[SharingScope, ...] = attrs.field(
        default=(),
        validator=v.all_of(v.tuple_of(v.typed(SharingScope)), _distinct_recipients),
        metadata=sens.ORDINARY,
    )

    def covers(self, on: dt.date) -> bool:
        """Whether this consent applies on ``on`` (signed, and not yet expired)."""
        return self.on <= on and (self.valid_until is None or on <= self.valid_until)

    def allows(self, recipient: str, category: Sensitivity) -> bool:
        """Whether this consent lets ``recipient`` be told data of ``category``.

        Rule: the categories of the partner's scope, else, for a partner named among the
        ``recipients``, :data:`CONSENT_DEFAULT_CATEGORIES`; names compared without case
        or surrounding blanks. The dates are :meth:`covers`' business.

        >>> import datetime as dt
        >>> c = Consent(id="k-1", on=dt.date(2017, 10, 9), given_by=("g-1",),
        ...             recipients=("École",),
        ...             scopes=(SharingScope(recipient="CMP", categories=(Sensitivity.HEALTH,)),))
        >>> c.allows("cmp", Sensitivity.HEALTH), c.allows("École", Sensitivity.HEALTH)
        (True, False)
        >>> c.allows("école ", Sensitivity.SCHOOL), c.allows("CMP", Sensitivity.SCHOOL)
        (True, False)
        """
        name = recipient.strip().casefold()
        for scope in self.scopes:
            if scope.recipient.strip().casefold() == name:
                return category in scope.categories
        return category in CONSENT_DEFAULT_CATEGORIES and any(
            r.strip().casefold() == name for r in self.recipients
        )
