"""Whether information about a child may be shared with a partner (*partage d'informations*)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from .._sensitivity import Sensitivity
from ..codes import HandoverRecipient
from ..errors import InvalidValue
from ..pathway import Pathway
from ..referral import Consent
from ._purpose import sensitivity
from ._retention import Phase, RetentionSchedule, retention_start

__all__ = ["current_consent", "may_share", "sharing_ends_on"]


def _same_partner(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def current_consent(pathway: Pathway, on: dt.date) -> Consent | None:
    """The consent that says what may be shared on ``on`` (*accord en vigueur*), if any.

    Rule: the family's latest consent signed on or before ``on`` supersedes every earlier
    one, for the partners and categories it names as for its dates: an old open-ended
    consent does not keep a partner the renewed consent dropped. ``None`` when that
    consent has expired on ``on``, or when the family withdrew its consent on or before
    ``on``.
    """
    if pathway.consent_withdrawn_on is not None and on >= pathway.consent_withdrawn_on:
        return None
    latest: Consent | None = None
    for consent in pathway.consents:
        if consent.on <= on and (latest is None or consent.on >= latest.on):
            latest = consent
    return latest if latest is not None and latest.covers(on) else None


def sharing_ends_on(pathway: Pathway, schedule: RetentionSchedule | None = None) -> dt.date | None:
    """The last day anything about this child may be shared, or ``None`` while it is open.

    Rule: sharing ends with the pathway (its exit, handover or not-taken-on date), or
    ``schedule.sharing_months`` after it when a schedule gives a horizon.
    """
    ended = pathway.ended_on
    if ended is None:
        return None
    months = 0 if schedule is None else schedule.sharing_months
    return ended + relativedelta(months=months)


def may_share(
    pathway: Pathway,
    recipient: str | HandoverRecipient,
    category: Sensitivity | str,
    *,
    on: dt.date,
    schedule: RetentionSchedule | None = None,
) -> bool:
    """Whether data of ``category`` about this child may go to ``recipient`` on ``on``.

    Rules, in order:

    1. **Bounded in time**, for every recipient: nothing after :func:`sharing_ends_on`
       (the pathway's end, or the schedule's ``sharing_months`` after it), and, with a
       schedule, nothing of a category that has left the active base
       (:meth:`RetentionSchedule.phase`): sharing never outlives retention.
    2. **Child protection** (CASF L.226-2-1 and L.226-2-2): once the pathway was handed
       over to a child-protection recipient (CRIP, ASE, prosecutor), what that recipient
       needs may be shared with it from the handover date on, whatever the family's
       consent or its withdrawal.
    3. Child-protection details go to nobody else (shared secret between professionals
       of child protection only); from a handover on, health data go to nobody else
       either.
    4. Otherwise the family's consent decides (*accord de la famille*): the latest consent
       signed on or before ``on`` (:func:`current_consent`: it supersedes the earlier
       ones), not expired and not withdrawn, must allow the recipient that category
       (:meth:`~reussite.referral.Consent.allows`: the categories of the partner's scope,
       or, for a partner only named among ``recipients``, everything but health and
       child protection).

    Args:
        pathway: the child's pathway.
        recipient: a partner as named in the consents (``"CMP"``), or a
            :class:`~reussite.codes.HandoverRecipient`.
        category: the category of the data to share (a :class:`Sensitivity` or its
            value, ``"health"``).
        on: the date of the sharing.
        schedule: the controller's retention schedule; without one, sharing ends on the
            pathway's last day and no category's retention is checked.

    Raises:
        InvalidValue: for an unknown category, a recipient that is neither text nor a
            handover recipient, a date that is not a date, or a schedule that is not one.

    See ``docs/privacy.md`` for a worked example.
    """
    cat = sensitivity(category, owner="may_share", field="category")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValue("may_share", "on", on, "a datetime.date")
    if schedule is not None and not isinstance(schedule, RetentionSchedule):
        raise InvalidValue("may_share", "schedule", schedule, "a RetentionSchedule or None")
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
    last = sharing_ends_on(pathway, schedule)
    if last is not None and on > last:
        return False
    if schedule is not None:
        start = retention_start(pathway, schedule.starts_from)
        if schedule.phase(cat, start, on) is not Phase.ACTIVE:
            return False
    handover = pathway.handover
    handed_over = handover is not None and handover.on <= on
    if handed_over and legal is not None and handover is not None and handover.recipient is legal:
        return True
    if cat is Sensitivity.CHILD_PROTECTION or (handed_over and cat is Sensitivity.HEALTH):
        return False
    consent = current_consent(pathway, on)
    return consent is not None and consent.allows(name, cat)
