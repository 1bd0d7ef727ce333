"""What the multidisciplinary team (EPS) assesses and decides.

>>> import datetime as dt
>>> d = TeamDecision(team_id="eps-1", on=dt.date(2017, 11, 6), members_present=("a", "b"))
>>> d.derogation is None
True
"""

from __future__ import annotations

import datetime as dt

import attrs

from . import _sensitivity as sens
from . import _validate as v
from .codes import ObjectiveDomain

__all__ = ["Assessment", "Reassessment", "TeamDecision"]


@attrs.frozen(kw_only=True)
class Assessment:
    """The initial assessment of the child's situation (*diagnostic*).

    Attributes:
        on: when it was completed.
        needs: the domains where support is needed.
        summary: free text (a direct identifier for privacy purposes).
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    needs: tuple[ObjectiveDomain, ...] = attrs.field(
        default=(),
        validator=v.all_of(v.tuple_of(v.member(ObjectiveDomain)), v.unique(lambda d: d, "domains")),
        metadata=sens.revealing(sens.FAMILY, sens.DOMAIN_VALUES),
    )
    summary: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )


@attrs.frozen(kw_only=True)
class TeamDecision:
    """A decision of a support team (*décision de l'équipe pluridisciplinaire de soutien*).

    Rule: entry and exit need one, dated on or after what it decides on, taken by an EPS of
    the programme with enough members present (the referent never validates alone).

    Attributes:
        team_id: which EPS decided.
        on: the meeting date.
        members_present: ids of the members present.
        justification: written reasons, required when the decision overrides a derived
            value (the exit attainment).
        derogation: written reason for admitting a child who does not meet the
            eligibility criteria (*dérogation*).
    """

    team_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    members_present: tuple[str, ...] = attrs.field(
        validator=v.all_of(v.tuple_of(v.IDENTIFIER, min_length=1), v.unique(str, "member ids")),
        metadata=sens.ORDINARY,
    )
    justification: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )
    derogation: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )


@attrs.frozen(kw_only=True)
class Reassessment:
    """A new assessment during the pathway, validated by the EPS (*nouveau diagnostic*).

    Rule: new needs found while the pathway runs are assessed again and the EPS validates
    the updated plan, on or after the assessment (rule ``R-EPS-DECISION``).

    Attributes:
        assessment: the new assessment.
        decision: the EPS decision that validated it (and the objectives it added).
    """

    assessment: Assessment = attrs.field(validator=v.typed(Assessment), metadata=sens.DIRECT)
    decision: TeamDecision = attrs.field(validator=v.typed(TeamDecision), metadata=sens.DIRECT)
