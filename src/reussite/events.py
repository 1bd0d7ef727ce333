"""The facts that happen to a pathway (*événements du parcours*).

A pathway is the fold of its events (see :mod:`reussite.lifecycle`). Each event is an
immutable value with a stable ``tag`` (its ``"type"`` in JSON) and a date ``on``; events
that carry a record (a consent, a decision, an action) take their date from it.

>>> import datetime as dt
>>> ContactLost(on=dt.date(2018, 2, 1)).tag
'contact_lost'
>>> sorted(EVENT_TYPES)[:3]
['action_ended', 'action_planned', 'admitted']
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from . import _sensitivity as sens
from . import _validate as v
from .codes import Attainment, ExitReason, ObjectiveStatus, SuspensionReason
from .decision import Assessment, TeamDecision
from .ending import Handover
from .errors import InvalidValue
from .people import Child, Family, Situation
from .plan import Action, Objective, Review
from .referral import Consent, Referral

__all__ = [
    "EVENT_TYPES",
    "ActionEnded",
    "ActionPlanned",
    "Admitted",
    "Assessed",
    "ConsentGiven",
    "ConsentWithdrawn",
    "ContactLost",
    "Corrected",
    "DeclaredIneligible",
    "Event",
    "ExitProposed",
    "ExitRejected",
    "ExitValidated",
    "FamilyRefused",
    "HandedOver",
    "ObjectiveSet",
    "ObjectiveUpdated",
    "Reassessed",
    "Redirected",
    "ReferentChanged",
    "Referred",
    "Resumed",
    "Reviewed",
    "SituationChanged",
    "Started",
    "Suspended",
]


@attrs.frozen(kw_only=True)
class Event:
    """Base of every pathway event: a ``tag`` naming its kind and a date ``on``.

    Attributes:
        recorded_on: the date the event was entered in the tracking tool (*date de
            saisie*), when known: on or after ``on``, and never before the previous
            event's (``R-CHRONOLOGY``); a correction's replacement leaves it empty (the
            correction's says when). Reports read "what was known on" a date from it
            (``annual_report(known_on=...)``); an event without it counts as recorded on
            its own date, or with the previous one if that was later.
    """

    tag: ClassVar[str]
    label_fr: ClassVar[str]
    recorded_on: dt.date | None = attrs.field(
        default=None, validator=v.optional(v.date_between()), repr=False, metadata=sens.ORDINARY
    )

    @property
    def on(self) -> dt.date:
        """The date the event happened."""
        raise NotImplementedError  # pragma: no cover - every event defines it

    @property
    def known_from(self) -> dt.date:
        """The date the event is known from: when it was recorded, else its own date."""
        return self.on if self.recorded_on is None else self.recorded_on


_date = v.date_between()
_optional_text = v.optional(v.text())


@attrs.frozen(kw_only=True)
class Referred(Event):
    """A child is referred: the pathway opens (*orientation*).

    Attributes:
        pathway_id: the new pathway's identifier.
        child: who the pathway is for, as known at referral.
        family: the child's family, as known at referral.
        referral: the referral form.
        previous_pathway_id: the child's earlier pathway when this is a re-entry.
    """

    tag: ClassVar[str] = "referred"
    label_fr: ClassVar[str] = "orientation"
    pathway_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.DIRECT)
    child: Child = attrs.field(validator=v.typed(Child), metadata=sens.DIRECT)
    family: Family = attrs.field(validator=v.typed(Family), metadata=sens.DIRECT)
    referral: Referral = attrs.field(validator=v.typed(Referral), metadata=sens.DIRECT)
    previous_pathway_id: str | None = attrs.field(
        default=None, validator=v.optional(v.IDENTIFIER), metadata=sens.DIRECT
    )

    @property
    def on(self) -> dt.date:
        """The referral date."""
        return self.referral.on


@attrs.frozen(kw_only=True)
class ConsentGiven(Event):
    """The family signs its agreement (*accord écrit de la famille*)."""

    tag: ClassVar[str] = "consent_given"
    label_fr: ClassVar[str] = "accord de la famille"
    consent: Consent = attrs.field(validator=v.typed(Consent), metadata=sens.DIRECT)

    @property
    def on(self) -> dt.date:
        """The signature date."""
        return self.consent.on


@attrs.frozen(kw_only=True)
class ConsentWithdrawn(Event):
    """The family withdraws its agreement: the pathway closes at once (*retrait*)."""

    tag: ClassVar[str] = "consent_withdrawn"
    label_fr: ClassVar[str] = "retrait de l'accord"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    by: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.DIRECT)
    note: str | None = attrs.field(default=None, validator=_optional_text, metadata=sens.DIRECT)


@attrs.frozen(kw_only=True)
class FamilyRefused(Event):
    """The family declines the PRE before agreeing (*refus de la famille*)."""

    tag: ClassVar[str] = "family_refused"
    label_fr: ClassVar[str] = "refus de la famille"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    note: str | None = attrs.field(default=None, validator=_optional_text, metadata=sens.DIRECT)


@attrs.frozen(kw_only=True)
class Assessed(Event):
    """The child's situation has been assessed (*diagnostic*)."""

    tag: ClassVar[str] = "assessed"
    label_fr: ClassVar[str] = "diagnostic"
    assessment: Assessment = attrs.field(validator=v.typed(Assessment), metadata=sens.DIRECT)

    @property
    def on(self) -> dt.date:
        """The assessment date."""
        return self.assessment.on


@attrs.frozen(kw_only=True)
class Admitted(Event):
    """The EPS admits the child and names the referent (*validation de l'entrée*)."""

    tag: ClassVar[str] = "admitted"
    label_fr: ClassVar[str] = "entrée validée par l'EPS"
    decision: TeamDecision = attrs.field(validator=v.typed(TeamDecision), metadata=sens.DIRECT)
    referent_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)

    @property
    def on(self) -> dt.date:
        """The decision date."""
        return self.decision.on


@attrs.frozen(kw_only=True)
class Redirected(Event):
    """The EPS does not take the child on and redirects them (*réorientation*)."""

    tag: ClassVar[str] = "redirected"
    label_fr: ClassVar[str] = "réorientation par l'EPS"
    decision: TeamDecision = attrs.field(validator=v.typed(TeamDecision), metadata=sens.DIRECT)
    note: str | None = attrs.field(default=None, validator=_optional_text, metadata=sens.DIRECT)

    @property
    def on(self) -> dt.date:
        """The decision date."""
        return self.decision.on


@attrs.frozen(kw_only=True)
class DeclaredIneligible(Event):
    """The coordinator finds the referral outside the criteria (*hors critères*)."""

    tag: ClassVar[str] = "declared_ineligible"
    label_fr: ClassVar[str] = "hors critères"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    note: str | None = attrs.field(default=None, validator=_optional_text, metadata=sens.DIRECT)


@attrs.frozen(kw_only=True)
class Started(Event):
    """The pathway starts: the first actions begin (*démarrage du parcours*)."""

    tag: ClassVar[str] = "started"
    label_fr: ClassVar[str] = "démarrage du parcours"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class ObjectiveSet(Event):
    """An objective is added to the plan (*objectif fixé*)."""

    tag: ClassVar[str] = "objective_set"
    label_fr: ClassVar[str] = "objectif fixé"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    objective: Objective = attrs.field(validator=v.typed(Objective), metadata=sens.DIRECT)


@attrs.frozen(kw_only=True)
class ObjectiveUpdated(Event):
    """An objective's status changes (*mise à jour de l'objectif*)."""

    tag: ClassVar[str] = "objective_updated"
    label_fr: ClassVar[str] = "mise à jour d'un objectif"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    objective_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    status: ObjectiveStatus = attrs.field(
        validator=v.member(ObjectiveStatus), metadata=sens.ORDINARY
    )


@attrs.frozen(kw_only=True)
class ActionPlanned(Event):
    """An action is planned for the child (*action programmée*)."""

    tag: ClassVar[str] = "action_planned"
    label_fr: ClassVar[str] = "action programmée"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    action: Action = attrs.field(validator=v.typed(Action), metadata=sens.DIRECT)


@attrs.frozen(kw_only=True)
class ActionEnded(Event):
    """An action ends (*fin d'action*)."""

    tag: ClassVar[str] = "action_ended"
    label_fr: ClassVar[str] = "fin d'action"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    action_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class Reviewed(Event):
    """A review takes place (*bilan, point d'étape*)."""

    tag: ClassVar[str] = "reviewed"
    label_fr: ClassVar[str] = "bilan"
    review: Review = attrs.field(validator=v.typed(Review), metadata=sens.DIRECT)

    @property
    def on(self) -> dt.date:
        """The review date."""
        return self.review.on


@attrs.frozen(kw_only=True)
class ReferentChanged(Event):
    """Another referent takes the pathway over (*changement de référent*)."""

    tag: ClassVar[str] = "referent_changed"
    label_fr: ClassVar[str] = "changement de référent"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    referent_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class ExitProposed(Event):
    """An exit is proposed, for the EPS to validate (*proposition de sortie*)."""

    tag: ClassVar[str] = "exit_proposed"
    label_fr: ClassVar[str] = "proposition de sortie"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    reason: ExitReason = attrs.field(
        validator=v.member(ExitReason), metadata=sens.revealing(sens.ORDINARY, sens.EXIT_VALUES)
    )


@attrs.frozen(kw_only=True)
class ExitRejected(Event):
    """The EPS keeps the pathway open instead of validating the exit (*maintien*)."""

    tag: ClassVar[str] = "exit_rejected"
    label_fr: ClassVar[str] = "sortie non validée"
    decision: TeamDecision = attrs.field(validator=v.typed(TeamDecision), metadata=sens.DIRECT)

    @property
    def on(self) -> dt.date:
        """The decision date."""
        return self.decision.on


@attrs.frozen(kw_only=True)
class ExitValidated(Event):
    """The EPS validates the exit (*validation de la sortie*).

    Attributes:
        decision: the EPS decision; its ``justification`` is required when
            ``attainment`` differs from what the objectives imply.
        attainment: complete, partial or none.
        satisfactory_evolution: whether the child's situation evolved satisfactorily.
    """

    tag: ClassVar[str] = "exit_validated"
    label_fr: ClassVar[str] = "sortie validée par l'EPS"
    decision: TeamDecision = attrs.field(validator=v.typed(TeamDecision), metadata=sens.DIRECT)
    attainment: Attainment = attrs.field(validator=v.member(Attainment), metadata=sens.ORDINARY)
    satisfactory_evolution: bool = attrs.field(validator=v.typed(bool), metadata=sens.ORDINARY)

    @property
    def on(self) -> dt.date:
        """The decision date."""
        return self.decision.on


@attrs.frozen(kw_only=True)
class ContactLost(Event):
    """The family can no longer be reached (*perte de contact*)."""

    tag: ClassVar[str] = "contact_lost"
    label_fr: ClassVar[str] = "perte de contact"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class HandedOver(Event):
    """The child is handed over to child protection or another service (*relais*)."""

    tag: ClassVar[str] = "handed_over"
    label_fr: ClassVar[str] = "passage de relais"
    handover: Handover = attrs.field(validator=v.typed(Handover), metadata=sens.DIRECT)

    @property
    def on(self) -> dt.date:
        """The handover date."""
        return self.handover.on


@attrs.frozen(kw_only=True)
class Suspended(Event):
    """The pathway is paused (*suspension du parcours*): hospitalisation, family, summer.

    Attributes:
        on: the first day of the pause.
        reason: why (*motif de suspension*).
        until: the expected end, when one is known.
        note: free text (a direct identifier for privacy purposes).
    """

    tag: ClassVar[str] = "suspended"
    label_fr: ClassVar[str] = "suspension du parcours"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    reason: SuspensionReason = attrs.field(
        validator=v.member(SuspensionReason),
        metadata=sens.revealing(sens.FAMILY, sens.SUSPENSION_VALUES),
    )
    until: dt.date | None = attrs.field(
        default=None, validator=v.optional(_date), metadata=sens.ORDINARY
    )
    note: str | None = attrs.field(default=None, validator=_optional_text, metadata=sens.DIRECT)


@attrs.frozen(kw_only=True)
class Resumed(Event):
    """A suspended pathway starts again (*reprise du parcours*)."""

    tag: ClassVar[str] = "resumed"
    label_fr: ClassVar[str] = "reprise du parcours"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class SituationChanged(Event):
    """The child moves, changes school or class (*changement de situation*).

    The situation is given in full, as it applies from its date; a new school year in the
    same class records a repeated year (*redoublement*).
    """

    tag: ClassVar[str] = "situation_changed"
    label_fr: ClassVar[str] = "changement de situation (domicile, scolarité)"
    situation: Situation = attrs.field(validator=v.typed(Situation), metadata=sens.QUASI)

    @property
    def on(self) -> dt.date:
        """The date the new situation applies from."""
        return self.situation.on


@attrs.frozen(kw_only=True)
class Reassessed(Event):
    """A new assessment during the pathway, validated by the EPS (*nouveau diagnostic*).

    Attributes:
        assessment: the new assessment (new needs).
        decision: the EPS decision validating it and the objectives it adds.
        objectives: the objectives added to the plan with it (may be none).
    """

    tag: ClassVar[str] = "reassessed"
    label_fr: ClassVar[str] = "nouveau diagnostic validé par l'EPS"
    assessment: Assessment = attrs.field(validator=v.typed(Assessment), metadata=sens.DIRECT)
    decision: TeamDecision = attrs.field(validator=v.typed(TeamDecision), metadata=sens.DIRECT)
    objectives: tuple[Objective, ...] = attrs.field(
        default=(),
        validator=v.all_of(
            v.tuple_of(v.typed(Objective)), v.unique(lambda o: o.id, "objective ids")
        ),
        metadata=sens.DIRECT,
    )

    @property
    def on(self) -> dt.date:
        """The decision date."""
        return self.decision.on


def _a_fact(inst: Corrected, attr: attrs.Attribute[Event | None], value: Event | None) -> None:
    if value is not None and (not isinstance(value, Event) or isinstance(value, Corrected)):
        raise InvalidValue(
            "Corrected", attr.name, value, "an event of the pathway (not a correction), or None"
        )


@attrs.frozen(kw_only=True)
class Corrected(Event):
    """A data-entry error put right (*correction*): an earlier event replaced or voided.

    Rule (``R-CORRECTION``): a correction names an earlier event of the pathway by its
    version (its position in the history, from 1); ``replacement`` is the event as it
    should have been recorded, or ``None`` to void it (*annulation*). The original stays
    in the history for audit; the pathway is the replay of the corrected history, in which
    every rule is checked again. A closed pathway accepts corrections, never new facts.
    A correction itself may be voided (by a later correction naming its version).

    Attributes:
        on: the day the correction was recorded.
        corrected_version: the version of the event it corrects.
        replacement: the corrected event, or ``None`` to void it.
        reason: why (free text: a direct identifier for privacy purposes).
        by: who recorded it (an id of the PRE's team).
    """

    tag: ClassVar[str] = "corrected"
    label_fr: ClassVar[str] = "correction d'une saisie"
    on: dt.date = attrs.field(validator=_date, metadata=sens.ORDINARY)
    corrected_version: int = attrs.field(
        validator=v.integer(min_value=1, max_value=2**31), metadata=sens.ORDINARY
    )
    replacement: Event | None = attrs.field(default=None, validator=_a_fact, metadata=sens.DIRECT)
    reason: str = attrs.field(validator=v.text(max_length=2000), metadata=sens.DIRECT)
    by: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)


EVENT_TYPES: dict[str, type[Event]] = {
    cls.tag: cls
    for cls in (
        Referred,
        ConsentGiven,
        ConsentWithdrawn,
        FamilyRefused,
        Assessed,
        Admitted,
        Redirected,
        DeclaredIneligible,
        Started,
        ObjectiveSet,
        ObjectiveUpdated,
        ActionPlanned,
        ActionEnded,
        Reviewed,
        ReferentChanged,
        ExitProposed,
        ExitRejected,
        ExitValidated,
        ContactLost,
        HandedOver,
        Suspended,
        Resumed,
        SituationChanged,
        Reassessed,
        Corrected,
    )
}
"""Every event type by its tag (the ``"type"`` of its JSON form)."""
