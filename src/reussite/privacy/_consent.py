"""Whether information about a child may be shared with a partner (*partage d'informations*)."""

from __future__ import annotations

import datetime as dt

from .._sensitivity import Sensitivity
from ..codes import HandoverRecipient
from ..errors import InvalidValue
from ..pathway import Pathway
from ._purpose import sensitivity

__all__ = ["may_share"]


def _same_partner(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def may_share(
    pathway: Pathway,
    recipient: str | HandoverRecipient,
    category: Sensitivity | str,
    *,
    on: dt.date,
) -> bool:
    """Whether data of ``category`` about this child may go to ``recipient`` on ``on``.

    Rules, in order:

    1. **Child protection** (CASF L.226-2-1 and L.226-2-2): once the pathway was handed
       over to a child-protection recipient (CRIP, ASE, prosecutor), what that recipient
       needs may be shared with it from the handover date on, whatever the family's
       consent or its withdrawal.
    2. Child-protection details go to nobody else (shared secret between professionals
       of child protection only).
    3. Otherwise the family's written consent decides (*accord de la famille*): a consent
       signed on or before ``on``, not expired (``valid_until``) and not withdrawn
       (``consent_withdrawn_on``), must name the recipient among its ``recipients``
       (compared without case or surrounding blanks). Direct identifiers, health and
       family situation follow the same rule: the consent names partners, not
       categories; tools should still send only what the partner strictly needs.

    Args:
        pathway: the child's pathway.
        recipient: a partner as named in the consents (``"CMP"``), or a
            :class:`~reussite.codes.HandoverRecipient`.
        category: the category of the data to share (a :class:`Sensitivity` or its
            value, ``"health"``).
        on: the date of the sharing.

    Raises:
        InvalidValue: for an unknown category, a recipient that is neither text nor a
            handover recipient, or a date that is not a date.

    See ``docs/privacy.md`` for a worked example.
    """
    cat = sensitivity(category, owner="may_share", field="category")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValue("may_share", "on", on, "a datetime.date")
    legal: HandoverRecipient | None
    if isinstance(recipient, HandoverRecipient):
        name, legal = recipient.value, recipient
    elif isinstance(recipient, str) and recipient.strip():
        # "crip" or "CRIP" names the same service as HandoverRecipient.CRIP.
        name = recipient
        legal = next((h for h in HandoverRecipient if _same_partner(name, h.value)), None)
    else:
        raise InvalidValue(
            "may_share", "recipient", recipient, "a partner's name or a HandoverRecipient"
        )
    handover = pathway.handover
    if (
        legal is not None
        and handover is not None
        and handover.recipient is legal
        and handover.on <= on
    ):
        return True
    if cat is Sensitivity.CHILD_PROTECTION:
        return False
    if not pathway.consent_in_force(on):  # the one definition: signed, not expired, not withdrawn
        return False
    return any(
        consent.covers(on) and any(_same_partner(name, r) for r in consent.recipients)
        for consent in pathway.consents
    )
