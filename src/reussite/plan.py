"""The pathway's plan: objectives, the actions serving them, and reviews.

>>> import datetime as dt
>>> from reussite.codes import ObjectiveDomain, ObjectiveStatus
>>> objs = (
...     Objective(id="o1", domain=ObjectiveDomain.SCHOOL, label="Lire couramment",
...               status=ObjectiveStatus.MET),
...     Objective(id="o2", domain=ObjectiveDomain.HEALTH, label="Bilan orthophonique",
...               status=ObjectiveStatus.NOT_MET),
... )
>>> derive_attainment(objs).label_fr
'atteinte partielle'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from . import _sensitivity as sens
from . import _validate as v
from .codes import (
    ActionFunding,
    ActionKind,
    ActionTiming,
    Attainment,
    ObjectiveDomain,
    ObjectiveStatus,
)
from .errors import InvalidValue

__all__ = ["Action", "Objective", "Review", "derive_attainment"]


@attrs.frozen(kw_only=True)
class Objective:
    """An objective of the pathway (*objectif*), in one domain, with how far it got.

    Attributes:
        id: identifies the objective within the pathway.
        domain: its domain (school, educational/social, health, parenting, culture/sport).
        label: what is aimed at, in words.
        status: how far it has been reached.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    domain: ObjectiveDomain = attrs.field(
        validator=v.member(ObjectiveDomain),
        metadata=sens.revealing(sens.FAMILY, sens.DOMAIN_VALUES),
    )
    label: str = attrs.field(validator=v.text(max_length=500), metadata=sens.DIRECT)
    status: ObjectiveStatus = attrs.field(
        default=ObjectiveStatus.NOT_STARTED,
        validator=v.member(ObjectiveStatus),
        metadata=sens.ORDINARY,
    )


def derive_attainment(objectives: Iterable[Objective]) -> Attainment:
    """The exit attainment that the objectives imply (*atteinte des résultats*).

    Rule: dropped objectives do not count; all the others met gives complete; at least
    one met or partly met gives partial; otherwise (none met, or no objective) none.
    """
    try:
        objectives = tuple(objectives)
    except TypeError:
        raise InvalidValue("derive_attainment", "objectives", objectives, "objectives") from None
    if not all(isinstance(o, Objective) for o in objectives):
        raise InvalidValue("derive_attainment", "objectives", objectives, "Objective values")
    return _attainment_of(objectives)


def _attainment_of(objectives: tuple[Objective, ...]) -> Attainment:
    """:func:`derive_attainment` of objectives known to be :class:`Objective` values.

    One plain loop: the lifecycle asks on every exit, with the pathway's own objectives.
    """
    counted = all_met = False
    progress = False  # one met or partly met
    for objective in objectives:
        status = objective.status
        if status is ObjectiveStatus.DROPPED:
            continue
        if not counted:
            counted = all_met = True
        if status is ObjectiveStatus.MET:
            progress = True
        else:
            all_met = False
            progress = progress or status is ObjectiveStatus.PARTIALLY_MET
    if all_met:
        return Attainment.COMPLETE
    return Attainment.PARTIAL if progress else Attainment.NONE


def _end_after_start(inst: Action, attr: attrs.Attribute[dt.date | None], value: object) -> None:
    if isinstance(value, dt.date) and value < inst.start:
        raise InvalidValue("Action", attr.name, value, f"a date on or after start ({inst.start})")


def _share_within_cost(inst: Action, attr: attrs.Attribute[int], value: int) -> None:
    if value > inst.cost_cents:
        raise InvalidValue(
            "Action", attr.name, value, f"at most the cost ({inst.cost_cents} cents)"
        )


@attrs.frozen(kw_only=True)
class Action:
    """An action serving one or more objectives (*action, prise en charge*).

    Rule: it is mainstream (*droit commun*) or PRE-funded, individual or collective, in or
    out of school time; it runs inside the pathway; money is in integer euro cents and the
    family's share never exceeds the cost.

    Attributes:
        id: identifies the action within the pathway.
        label: what it is (``"À plus dans le bus"``).
        objective_ids: the objectives it serves (at least one).
        funding: mainstream or PRE-funded (classified in the indicators).
        kind: individual or collective (classified in the indicators).
        timing: in or out of school time (classified in the indicators).
        start: the day it starts.
        end: the day it ends (``None`` while it runs).
        cost_cents: its cost to the PRE, in cents.
        family_share_cents: what the family pays, in cents.
        provider: who delivers it.
        cancelled: true when the pathway ended before the action could start.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    label: str = attrs.field(validator=v.text(max_length=500), metadata=sens.DIRECT)
    objective_ids: tuple[str, ...] = attrs.field(
        validator=v.all_of(v.tuple_of(v.IDENTIFIER, min_length=1), v.unique(str, "objective ids")),
        metadata=sens.ORDINARY,
    )
    funding: ActionFunding = attrs.field(validator=v.member(ActionFunding), metadata=sens.ORDINARY)
    kind: ActionKind = attrs.field(
        default=ActionKind.INDIVIDUAL, validator=v.member(ActionKind), metadata=sens.ORDINARY
    )
    timing: ActionTiming = attrs.field(
        default=ActionTiming.OUT_OF_SCHOOL_TIME,
        validator=v.member(ActionTiming),
        metadata=sens.ORDINARY,
    )
    start: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    end: dt.date | None = attrs.field(
        default=None,
        validator=v.optional(v.all_of(v.date_between(), _end_after_start)),
        metadata=sens.ORDINARY,
    )
    cost_cents: int = attrs.field(default=0, validator=v.cents(), metadata=sens.ORDINARY)
    family_share_cents: int = attrs.field(
        default=0, validator=v.all_of(v.cents(), _share_within_cost), metadata=sens.ORDINARY
    )
    provider: str | None = attrs.field(
        default=None, validator=v.optional(v.text(max_length=300)), metadata=sens.DIRECT
    )
    cancelled: bool = attrs.field(default=False, validator=v.typed(bool), metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class Review:
    """A periodic review of the pathway with the family (*bilan, point d'étape*).

    Attributes:
        on: when it took place.
        participants: who took part (ids or roles).
        summary: free text (a direct identifier for privacy purposes).
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    participants: tuple[str, ...] = attrs.field(
        default=(), validator=v.tuple_of(v.text(max_length=300)), metadata=sens.DIRECT
    )
    summary: str | None = attrs.field(
        default=None, validator=v.optional(v.text()), metadata=sens.DIRECT
    )
