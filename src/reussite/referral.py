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

import attrs

from . import _sensitivity as sens
from . import _validate as v
from .codes import ReferralReason, ReferralSource
from .errors import InvalidValue

__all__ = ["Consent", "Referral"]


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
    source: ReferralSource = attrs.field(validator=v.member(ReferralSource), metadata=sens.ORDINARY)
    reasons: tuple[ReferralReason, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.member(ReferralReason), min_length=1),
            v.unique(lambda r: r, "reasons"),
        ),
        metadata=sens.FAMILY,
    )
    referrer: str = attrs.field(validator=v.text(max_length=300), metadata=sens.DIRECT)
    notes: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
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
    information may be shared (*partage d'informations*) and an end date.

    Attributes:
        id: identifies this consent within the pathway.
        on: the date it was signed.
        given_by: ids of the guardians who signed.
        recipients: partners information may be shared with (ids or names).
        valid_until: last day it applies, if limited.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    given_by: tuple[str, ...] = attrs.field(
        validator=v.all_of(v.tuple_of(v.IDENTIFIER, min_length=1), v.unique(str, "guardian ids")),
        metadata=sens.ORDINARY,
    )
    recipients: tuple[str, ...] = attrs.field(
        default=(), validator=v.tuple_of(v.text(max_length=300)), metadata=sens.ORDINARY
    )
    valid_until: dt.date | None = attrs.field(
        default=None,
        validator=v.optional(v.all_of(v.date_between(), _valid_until_after_start)),
        metadata=sens.ORDINARY,
    )

    def covers(self, on: dt.date) -> bool:
        """Whether this consent applies on ``on`` (signed, and not yet expired)."""
        return self.on <= on and (self.valid_until is None or on <= self.valid_until)
