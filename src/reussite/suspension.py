"""A pause in a pathway (*suspension du parcours*): hospitalisation, family request, summer.

>>> import datetime as dt
>>> from reussite.codes import SuspensionReason
>>> s = Suspension(on=dt.date(2018, 2, 5), reason=SuspensionReason.HOSPITALISATION,
...                ended_on=dt.date(2018, 3, 5))
>>> s.days_until(dt.date(2018, 12, 31))
28
"""

from __future__ import annotations

import datetime as dt

import attrs

from . import _sensitivity as sens
from . import _validate as v
from .codes import SuspensionReason
from .errors import InvalidValue

__all__ = ["Suspension"]


def _not_before_start(
    inst: Suspension, attr: attrs.Attribute[dt.date | None], value: dt.date | None
) -> None:
    if value is not None and value < inst.on:
        raise InvalidValue("Suspension", attr.name, value, f"a date on or after {inst.on}")


@attrs.frozen(kw_only=True)
class Suspension:
    """A period during which a pathway is paused (*suspension du parcours*).

    Rule: only an active pathway is suspended; it stays followed (its referent, plan and
    consent stand) but no action is planned until it resumes. The suspension ends when
    the pathway resumes, or when it leaves the suspended state otherwise (exit proposed,
    contact lost, withdrawal, handover). Durations count suspended time (calendar time);
    :meth:`~reussite.Pathway.days_suspended` gives it apart.

    Attributes:
        on: the first day of the pause.
        reason: why (*motif*).
        until: the expected end, when one was given.
        note: free text (a direct identifier for privacy purposes).
        ended_on: the day the pause ended (``None`` while it lasts).
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    reason: SuspensionReason = attrs.field(
        validator=v.member(SuspensionReason),
        metadata=sens.revealing(sens.FAMILY, sens.SUSPENSION_VALUES),
    )
    until: dt.date | None = attrs.field(
        default=None,
        validator=v.optional(v.all_of(v.date_between(), _not_before_start)),
        metadata=sens.ORDINARY,
    )
    note: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )
    ended_on: dt.date | None = attrs.field(
        default=None,
        validator=v.optional(v.all_of(v.date_between(), _not_before_start)),
        metadata=sens.ORDINARY,
    )

    def days_until(self, on: dt.date) -> int:
        """Days suspended from its start up to ``on`` (excluded), or to its end if earlier."""
        end = on if self.ended_on is None else min(on, self.ended_on)
        return max(0, (end - self.on).days)
