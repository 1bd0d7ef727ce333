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
from .decision import Assessment, TeamDecision
from .ending import Exit, ExitProposal, Handover, NotTakenOn
from .events import Event
from .people import Child, Family
from .plan import Action, Objective, Review
from .programme import Eligibility, Programme
from .referral import Consent, Referral

__all__ = ["Pathway", "State"]


class State(LabelledEnum):
    """Where a pathway stands (*situation du parcours*)."""

    REFERRED = ("referred", "orienté")
    CONSENTED = ("consented", "accord de la famille recueilli")
    ASSESSED = ("assessed", "diagnostic réalisé")
    ADMITTED = ("admitted", "entrée validée par l'EPS")
    ACTIVE = ("active", "parcours en cours")
    EXIT_PROPOSED = ("exit_proposed", "sortie proposée")
    CLOSED = ("closed", "parcours terminé")
    HANDED_OVER = ("handed_over", "relais passé (protection de l'enfance ou autre)")
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
        history: every event applied, oldest first; ``replay(history)`` rebuilds it.
        consents: the family's consents, oldest first.
        consent_withdrawn_on: when the family withdrew its consent, if it did.
        assessment: the initial assessment (*diagnostic*).
        admission: the EPS decision that admitted the child.
        referent_id: the current referent.
        started_on: when the pathway became active.
        objectives: the plan's objectives.
        actions: the actions serving them.
        reviews: the follow-up reviews (*bilans*).
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
    state: State = attrs.field(metadata=sens.ORDINARY)
    history: tuple[Event, ...] = attrs.field(repr=False, metadata=sens.DIRECT)
    consents: tuple[Consent, ...] = attrs.field(default=(), repr=False, metadata=sens.ORDINARY)
    consent_withdrawn_on: dt.date | None = attrs.field(
        default=None, repr=False, metadata=sens.ORDINARY
    )
    assessment: Assessment | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    admission: TeamDecision | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    referent_id: str | None = attrs.field(default=None, metadata=sens.ORDINARY)
    started_on: dt.date | None = attrs.field(default=None, repr=False, metadata=sens.ORDINARY)
    objectives: tuple[Objective, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    actions: tuple[Action, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    reviews: tuple[Review, ...] = attrs.field(default=(), repr=False, metadata=sens.DIRECT)
    exit_proposal: ExitProposal | None = attrs.field(
        default=None, repr=False, metadata=sens.ORDINARY
    )
    exit: Exit | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    handover: Handover | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)
    not_taken_on: NotTakenOn | None = attrs.field(default=None, repr=False, metadata=sens.DIRECT)

    @property
    def version(self) -> int:
        """How many events the pathway has seen (optimistic-concurrency version)."""
        return len(self.history)

    @property
    def last_event_on(self) -> dt.date:
        """The date of the latest event."""
        return self.history[-1].on

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
        if self.consent_withdrawn_on is not None and on >= self.consent_withdrawn_on:
            return False
        return any(c.covers(on) for c in self.consents)

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
