"""How a pathway ends: an exit, a handover to child protection, or never taken on.

>>> import datetime as dt
>>> from reussite.codes import HandoverRecipient
>>> Handover(on=dt.date(2018, 3, 1), recipient=HandoverRecipient.CRIP,
...          parents_informed=False)
Traceback (most recent call last):
...
reussite.errors.InvalidValue: Handover.reason_not_informed: expected a written reason ...
"""

from __future__ import annotations

import datetime as dt

import attrs

from . import _sensitivity as sens
from . import _validate as v
from .codes import Attainment, ExitReason, HandoverRecipient, NotTakenOnReason
from .decision import TeamDecision
from .errors import InvalidValue

__all__ = ["Exit", "ExitProposal", "Handover", "NotTakenOn"]


@attrs.frozen(kw_only=True)
class ExitProposal:
    """An exit proposed at a review, awaiting the EPS (*proposition de sortie*)."""

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    reason: ExitReason = attrs.field(
        validator=v.member(ExitReason), metadata=sens.revealing(sens.ORDINARY, sens.EXIT_VALUES)
    )


@attrs.frozen(kw_only=True)
class Exit:
    """The end of a pathway that was taken on (*sortie du dispositif*).

    Attributes:
        on: the exit date.
        reason: the coded reason (*motif de sortie*).
        attainment: complete, partial or none.
        satisfactory_evolution: whether the child's situation evolved satisfactorily
            (``None`` when nobody assessed it, e.g. on withdrawal of consent).
        decision: the EPS decision that validated it (``None`` on withdrawal of consent,
            which closes at once; the EPS is told afterwards).
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    reason: ExitReason = attrs.field(
        validator=v.member(ExitReason), metadata=sens.revealing(sens.ORDINARY, sens.EXIT_VALUES)
    )
    attainment: Attainment = attrs.field(validator=v.member(Attainment), metadata=sens.ORDINARY)
    satisfactory_evolution: bool | None = attrs.field(
        default=None, validator=v.optional(v.typed(bool)), metadata=sens.ORDINARY
    )
    decision: TeamDecision | None = attrs.field(
        default=None, validator=v.optional(v.typed(TeamDecision)), metadata=sens.DIRECT
    )


def _reason_when_not_informed(
    inst: Handover, attr: attrs.Attribute[str | None], value: str | None
) -> None:
    if not inst.parents_informed and value is None:
        raise InvalidValue(
            "Handover",
            attr.name,
            value,
            "a written reason when the parents were not informed",
        )


@attrs.frozen(kw_only=True)
class Handover:
    """A handover to child protection or another service (*passage de relais*).

    Rule (CASF L.226-2-1): allowed from every open state, without the family's consent and
    without EPS validation; records whether the parents were informed and, if not, why.
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.CHILD_PROTECTION)
    recipient: HandoverRecipient = attrs.field(
        validator=v.member(HandoverRecipient), metadata=sens.CHILD_PROTECTION
    )
    parents_informed: bool = attrs.field(validator=v.typed(bool), metadata=sens.CHILD_PROTECTION)
    reason_not_informed: str | None = attrs.field(
        default=None,
        validator=v.all_of(v.optional(v.text()), _reason_when_not_informed),
        metadata=sens.DIRECT,
    )


@attrs.frozen(kw_only=True)
class NotTakenOn:
    """Why a referral never became an active pathway (*situation non prise en charge*)."""

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    reason: NotTakenOnReason = attrs.field(
        validator=v.member(NotTakenOnReason), metadata=sens.ORDINARY
    )
    decision: TeamDecision | None = attrs.field(
        default=None, validator=v.optional(v.typed(TeamDecision)), metadata=sens.DIRECT
    )
    note: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )
