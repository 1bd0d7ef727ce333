"""A child's pathway (*parcours de réussite éducative*): the fold of its events.

A :class:`Pathway` is never built by hand: :func:`reussite.lifecycle.open_pathway`,
:func:`~reussite.lifecycle.apply` and :func:`~reussite.lifecycle.replay` derive it from
its events, which it keeps in ``history``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from . import _sensitivity as sens
from ._enum import LabelledEnum
from .decision import Assessment, Reassessment, TeamDecision
from .ending import Exit, ExitProposal, Handover, NotTakenOn
from .events import Event
from .people import Child, Family, Situation
from .plan import Action, Objective, Review
from .programme import Eligibility, Programme
from .referral import Consent, Referral
from .suspension import Suspension

__all__ = ["Pathway", "State"]


class State(LabelledEnum):
    """Where a pathway stands (*situation du parcours*)."""

    REFERRED = ("referred", "orienté")
    CONSENTED = ("consented", "accord de la famille recueilli")
    ASSESSED = ("assessed", "diagnostic réalisé")
    ADMITTED = ("admitted", "entrée validée par l'EPS")
    ACTIVE = ("active", "parcours en cours")
    SUSPENDED = ("suspended", "parcours suspendu")
    EXIT_PROPOSED = ("exit_proposed", "sortie proposée")
    CLOSED = ("closed", "parcours terminé")
    HANDED_OVER = ("handed_over", "relais passé à la protection de l'enfance")
    NOT_TAKEN_ON = ("not_taken_on", "non pris en charge")


@attrs.frozen(kw_only=True, slots=False)
class Pathway:
    """A child's pathway: its current state and every record its events produced.

    Attributes:
        id: the pathway's identifier.
        programme: the PRE it belongs to (its rules are checked on every event).
        child: who the pathway is for, as known at referral.
        family: the child's family, as known at referral.
        referral: the referral that opened it.
        eligibility: the child's eligibility on the referral date.
        previous_pathway_id: the earlier pathway of a child who re-entered.
        state: where the pathway stands.
        history: every event recorded, oldest first, corrections included;
            ``replay(history)`` rebuilds the pathway.
        facts: the events in force: the history with its corrections applied (the
            corrections themselves left out). Every other field is their fold; without
            a correction, ``facts`` is ``history``.
        consents: the family's consents, oldest first.
        consent_withdrawn_on: when the family withdrew its consent, if it did.
        assessment: the initial assessment (*diagnostic*).
        reassessments: later assessments validated by the EPS (*nouveaux diagnostics*).
        admission: the EPS decision that admitted the child.
        referent_id: the current referent.
        referent_changes: each change of referent (*changement de référent*) since the
            admission, oldest first: ``(date, the new referent's id)``; empty while the
            referent named at admission keeps the pathway.
        started_on: when the pathway became active.
        objectives: the plan's objectives.
        actions: the actions serving them.
        reviews: the follow-up reviews (*bilans*).
        suspensions: the pauses of the pathway, oldest first (the last may be running).
        situations: the child's changes of situation since the referral, oldest first.
        contact_lost_on: the latest day the family was found unreachable, if it was.
        exit_proposal: an exit awaiting the EPS.
        exit: how a pathway that was taken on ended.
        handover: the handover that ended it, if any.
        not_taken_on: why it never became active, if so.
    """

    id: str = attrs.field(metadata=sens.DIRECT)
    programme: Programme = attrs.field(repr=False, metadata=sens.DIRECT)
    child: Child = attrs.field(repr=False, metadata=sens.DIRECT)
    family: Family = attrs.field(repr=False, metadata=sens.DIRECT)
    referral: Referral = attrs.field(repr=False, metadata=sens.DIRECT)
    eligibility: Eligibility = attrs.field(repr=False, metadata=sens.QUASI)
    previous_pathway_id: str | None = attrs.field(default=None, metadata=sens.DIRECT)
    state: State = attrs.field(metadata=sens.revealing(sens.ORDINARY, sens.STATE_VALUES))
    history: tuple[Event, ...] = attrs.field(repr=False, metadata=sens.DIRECT)
    facts: tuple[Event, ...] = attrs.field(repr=False, metadata=sens.DIRECT)
    consents: tuple[Consent, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    consent_withdrawn_on: dt.date | None = attrs.field(
        default=None, repr=False, metadata=sens.ORDINARY
    )
    assessment: Assessment | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    reassessments: tuple[Reassessment, ...] = attrs.field(
        default=(), repr=False, metadata=sens.DIRECT
    )
    admission: TeamDecision | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    referent_id: str | None = attrs.field(default=None, metadata=sens.ORDINARY)
    referent_changes: tuple[tuple[dt.date, str], ...] = attrs.field(
        default=(), repr=False, metadata=sens.ORDINARY
    )
    started_on: dt.date | None = attrs.field(default=None, repr=False, metadata=sens.ORDINARY)
    objectives: tuple[Objective, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    actions: tuple[Action, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    reviews: tuple[Review, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    suspensions: tuple[Suspension, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    situations: tuple[Situation, ...] = attrs.field(default=(), repr=False, metadata=sens.QUASI)
    contact_lost_on: dt.date | None = attrs.field(default=None, repr=False, metadata=sens.ORDINARY)
    exit_proposal: ExitProposal | None = attrs.field(
        default=None, repr=False, metadata=sens.ORDINARY
    )
    exit: Exit | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    handover: Handover | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    not_taken_on: NotTakenOn | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)

    @property
    def version(self) -> int:
        """How many events were recorded, corrections included (optimistic concurrency)."""
        return len(self.history)

    @property
    def last_event_on(self) -> dt.date:
        """The date of the latest fact (corrections applied: :attr:`facts`)."""
        return self.facts[-1].on

    @property
    def started(self) -> bool:
        """Whether the pathway ever started (*parcours démarré*).

        Rule: a pathway starts with its ``started`` event (*démarrage*). One that ends
        before it — refusal, ineligibility, EPS redirection, withdrawal of consent, lost
        contact — was *not taken on* (*non pris en charge*), never an exit, even when the
        EPS had admitted the child; a handover to child protection is its own end, started
        or not. The indicators count exits and durations of started pathways only.
        """
        return self.started_on is not None

    @property
    def is_open(self) -> bool:
        """Whether the pathway still accepts events (not in a final state)."""
        from .lifecycle import LIFECYCLE

        return self.state not in LIFECYCLE.finals

    @property
    def ended_on(self) -> dt.date | None:
        """When the pathway ended (exit, handover or not taken on), or ``None``."""
        for record in (self.exit, self.handover, self.not_taken_on):
            if record is not None:
                return record.on
        return None

    def consent_in_force(self, on: dt.date) -> bool:
        """Whether a consent of the family applies on ``on`` and was not withdrawn.

        Rule (*accord de la famille*): a consent applies from its signature to its end
        date; a withdrawal ends every consent from its date on.
        """
        withdrawn = self.consent_withdrawn_on
        if withdrawn is not None and on >= withdrawn:
            return False
        # A plain loop, not any(): the rules ask on most events, and a generator costs more.
        for consent in self.consents:  # noqa: SIM110
            if consent.covers(on):
                return True
        return False

    def situation_on(self, on: dt.date) -> Situation:
        """The child's situation in force on ``on`` (*situation de l'enfant à une date*).

        Rule: the latest change of situation dated on or before ``on``, else the
        situation the child was referred in.
        """
        for situation in reversed(self.situations):
            if situation.on <= on:
                return situation
        return Situation.of(self.child, on=self.referral.on)

    @property
    def suspended_since(self) -> dt.date | None:
        """The first day of the running suspension, or ``None`` when not suspended."""
        if self.suspensions and self.suspensions[-1].ended_on is None:
            return self.suspensions[-1].on
        return None

    def days_suspended(self, until: dt.date) -> int:
        """Days the pathway spent suspended before ``until`` (*durée de suspension*)."""
        return sum(s.days_until(until) for s in self.suspensions)

    def objective(self, objective_id: str) -> Objective | None:
        """The objective with this id, or ``None``."""
        # Plain loops here and below, not generators: the rules look up most events.
        for objective in self.objectives:
            if objective.id == objective_id:
                return objective
        return None

    def action(self, action_id: str) -> Action | None:
        """The action with this id, or ``None``."""
        for action in self.actions:
            if action.id == action_id:
                return action
        return None


def _derive(pathway: Pathway, changes: dict[str, Any]) -> Pathway:
    """A copy of ``pathway`` with ``changes``: the lifecycle's hot path.

    ``attrs.evolve`` re-runs ``__init__`` over every field (about 6 µs here); a pathway has
    no validators (it is only ever built by the fold), so copying its ``__dict__`` is exact
    and about five times faster. ``Pathway`` is deliberately not slotted for this.
    """
    new = object.__new__(Pathway)
    state = new.__dict__
    state.update(pathway.__dict__)
    state.update(changes)
    return new


_FIELDS = tuple(a.name for a in attrs.fields(Pathway))


def _rebuild(pathway: Pathway) -> Pathway:
    """A copy of ``pathway`` whose fields live in the object itself, not in a ``__dict__``.

    CPython (3.11 on) keeps an instance's attributes inline while nothing asks for its
    ``__dict__``, and reads them faster then (a report over replayed pathways runs about
    12 % quicker). ``attrs``' ``__init__`` and :func:`_derive` go through ``__dict__``,
    which is quicker to fill; :func:`~reussite.lifecycle.replay` returns this copy of the
    pathway it rebuilt (about 3 µs, once per pathway). Fields are set in their declared
    order, so that every such pathway shares one layout.
    """
    new = object.__new__(Pathway)
    set_field = object.__setattr__
    values = pathway.__dict__
    for name in _FIELDS:
        set_field(new, name, values[name])
    return new
