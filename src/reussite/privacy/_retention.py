"""Retention: how long each category is kept after exit, and what a purge leaves.

The CNIL's retention reference for the social and medico-social sector (délibération
n° 2023-095) describes three phases: the active base (*base active*), the intermediate
archive (*archivage intermédiaire*, restricted access) and the end (*suppression* or
anonymisation). No duration specific to the PRE is published: the data controller sets
them; :data:`EXAMPLE_SCHEDULE` is an explicit example, not legal advice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs
from dateutil.relativedelta import relativedelta

from .. import _sensitivity as sens
from .. import _validate as v
from .._enum import LabelledEnum
from .._sensitivity import Sensitivity
from ..codes import (
    ActionFunding,
    ActionKind,
    ActionTiming,
    Attainment,
    ExitReason,
    HandoverRecipient,
    NotTakenOnReason,
    ObjectiveDomain,
    ObjectiveStatus,
    PriorityEducation,
    ReferralReason,
    ReferralSource,
    SchoolLevel,
    Sex,
)
from ..errors import InvalidValue
from ..pathway import Pathway, State
from ._export import age_band
from ._purpose import sensitivity

__all__ = [
    "EXAMPLE_SCHEDULE",
    "ActionTrace",
    "ObjectiveTrace",
    "Phase",
    "RetentionDue",
    "RetentionPeriod",
    "RetentionSchedule",
    "Tombstone",
    "purge",
    "retention_due",
]


class Phase(LabelledEnum):
    """A phase of a record's life (*phase de conservation*, CNIL)."""

    ACTIVE = ("active", "base active")
    INTERMEDIATE = ("intermediate", "archivage intermédiaire")
    PURGE = ("purge", "suppression ou anonymisation")


_months = v.integer(min_value=0, max_value=1200)


@attrs.frozen(kw_only=True)
class RetentionPeriod:
    """How long one category stays in each phase after the pathway ended.

    Attributes:
        active_months: months in the active base after the exit (*base active*).
        archive_months: then months in the intermediate archive before the purge.
    """

    active_months: int = attrs.field(validator=_months)
    archive_months: int = attrs.field(validator=_months)

    def archive_on(self, ended_on: dt.date) -> dt.date:
        """The first day in the intermediate archive."""
        return ended_on + relativedelta(months=self.active_months)

    def purge_on(self, ended_on: dt.date) -> dt.date:
        """The first day the data must be purged."""
        return self.archive_on(ended_on) + relativedelta(months=self.archive_months)


_period = v.typed(RetentionPeriod)


@attrs.frozen(kw_only=True)
class RetentionSchedule:
    """A retention schedule: one :class:`RetentionPeriod` per category (*durées de conservation*).

    Rule: the data controller sets every value (there is no PRE-specific reference);
    periods count from the day the pathway ended (exit, handover, not taken on); an open
    pathway is always in the active base.

    Attributes:
        name: names the schedule (the controller's decision it comes from).
        ordinary, school, quasi_identifier, family_situation, health, child_protection,
            direct_identifier: the period of each category.
    """

    name: str = attrs.field(validator=v.text(max_length=300))
    ordinary: RetentionPeriod = attrs.field(validator=_period)
    school: RetentionPeriod = attrs.field(validator=_period)
    quasi_identifier: RetentionPeriod = attrs.field(validator=_period)
    family_situation: RetentionPeriod = attrs.field(validator=_period)
    health: RetentionPeriod = attrs.field(validator=_period)
    child_protection: RetentionPeriod = attrs.field(validator=_period)
    direct_identifier: RetentionPeriod = attrs.field(validator=_period)

    def period(self, category: Sensitivity | str) -> RetentionPeriod:
        """The period of a category."""
        cat = sensitivity(category, owner="RetentionSchedule", field="category")
        period: RetentionPeriod = getattr(self, cat.value)
        return period

    def phase(self, category: Sensitivity | str, ended_on: dt.date | None, on: dt.date) -> Phase:
        """The phase a category of a pathway that ended on ``ended_on`` is in on ``on``."""
        period = self.period(category)
        if ended_on is None or on < period.archive_on(ended_on):
            return Phase.ACTIVE
        if on < period.purge_on(ended_on):
            return Phase.INTERMEDIATE
        return Phase.PURGE


EXAMPLE_SCHEDULE = RetentionSchedule(
    name="exemple reussite (à remplacer par la décision du responsable de traitement)",
    ordinary=RetentionPeriod(active_months=24, archive_months=36),
    school=RetentionPeriod(active_months=24, archive_months=36),
    quasi_identifier=RetentionPeriod(active_months=24, archive_months=36),
    family_situation=RetentionPeriod(active_months=24, archive_months=36),
    health=RetentionPeriod(active_months=12, archive_months=24),
    child_protection=RetentionPeriod(active_months=24, archive_months=36),
    direct_identifier=RetentionPeriod(active_months=24, archive_months=36),
)
"""An example schedule, **not legal truth**: two years in the active base after exit (a
child may re-enter; the team follows up relays), three more in the intermediate archive
(five years in all, the civil limitation period), health one year then two. Every value
must be confirmed by the data controller (CNIL délibération n° 2023-095)."""


@attrs.frozen(kw_only=True)
class RetentionDue:
    """One category of one pathway that must leave the active base (*à archiver, à purger*).

    Attributes:
        pathway_id: the pathway concerned (an internal list, for the team).
        category: the category concerned.
        phase: ``intermediate`` (archive it) or ``purge`` (delete or anonymise it).
        since: the day that phase began.
    """

    pathway_id: str
    category: Sensitivity
    phase: Phase
    since: dt.date


def retention_due(
    pathways: Iterable[Pathway], as_of: dt.date, schedule: RetentionSchedule
) -> tuple[RetentionDue, ...]:
    """List what must be archived or purged on ``as_of`` (*échéancier de conservation*).

    Rule: for each ended pathway and each category, the phase the schedule gives on
    ``as_of``; categories still in the active base are not listed. A purge of the direct
    identifiers means replacing the pathway by its :func:`purge` tombstone.

    Raises:
        InvalidValue: if ``schedule`` is not a :class:`RetentionSchedule` or ``as_of``
            not a date.
    """
    if not isinstance(schedule, RetentionSchedule):
        raise InvalidValue("retention_due", "schedule", schedule, "a RetentionSchedule")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidValue("retention_due", "as_of", as_of, "a datetime.date")
    due: list[RetentionDue] = []
    for pathway in pathways:
        ended = pathway.ended_on
        if ended is None:
            continue
        for category in Sensitivity:
            phase = schedule.phase(category, ended, as_of)
            if phase is Phase.ACTIVE:
                continue
            period = schedule.period(category)
            since = (
                period.archive_on(ended) if phase is Phase.INTERMEDIATE else period.purge_on(ended)
            )
            due.append(
                RetentionDue(pathway_id=pathway.id, category=category, phase=phase, since=since)
            )
    return tuple(due)


@attrs.frozen(kw_only=True)
class ObjectiveTrace:
    """What a purge keeps of an objective: its domain and how far it got."""

    domain: ObjectiveDomain = attrs.field(metadata=sens.FAMILY)
    status: ObjectiveStatus = attrs.field(metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class ActionTrace:
    """What a purge keeps of an action: its classification, dates and amounts."""

    funding: ActionFunding = attrs.field(metadata=sens.ORDINARY)
    kind: ActionKind = attrs.field(metadata=sens.ORDINARY)
    timing: ActionTiming = attrs.field(metadata=sens.ORDINARY)
    start: dt.date = attrs.field(metadata=sens.ORDINARY)
    end: dt.date | None = attrs.field(metadata=sens.ORDINARY)
    cost_cents: int = attrs.field(metadata=sens.ORDINARY)
    family_share_cents: int = attrs.field(metadata=sens.ORDINARY)
    cancelled: bool = attrs.field(metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class Tombstone:
    """What remains of a purged pathway: only what aggregate indicators need (*trace*).

    No name, contact, raw id, birth date, note or free text: the state, the dates
    (referral, consent, admission, start, end), the commune and QPV, the age band, the codes
    (source, reasons, exit, attainment) and the classification of the objectives and
    actions. Each field carries its category. It keeps no child key: after a purge a child
    with two pathways can no longer be counted once, so compute multi-year figures before
    purging (:func:`reussite.indicators.annual_report` reads pathways, not tombstones).
    """

    programme_id: str = attrs.field(metadata=sens.ORDINARY)
    state: State = attrs.field(metadata=sens.ORDINARY)
    referral_on: dt.date = attrs.field(metadata=sens.ORDINARY)
    referral_source: ReferralSource = attrs.field(metadata=sens.ORDINARY)
    referral_reasons: tuple[ReferralReason, ...] = attrs.field(metadata=sens.FAMILY)
    re_entry: bool = attrs.field(metadata=sens.ORDINARY)
    eligible: bool = attrs.field(metadata=sens.ORDINARY)
    sex: Sex = attrs.field(metadata=sens.ORDINARY)
    age_band: str = attrs.field(metadata=sens.QUASI)
    school_level: SchoolLevel = attrs.field(metadata=sens.SCHOOL)
    priority_education: PriorityEducation = attrs.field(metadata=sens.SCHOOL)
    commune: str = attrs.field(metadata=sens.QUASI)
    qpv: str | None = attrs.field(metadata=sens.QUASI)
    consent_on: dt.date | None = attrs.field(metadata=sens.ORDINARY)
    consent_withdrawn_on: dt.date | None = attrs.field(metadata=sens.ORDINARY)
    admitted_on: dt.date | None = attrs.field(metadata=sens.ORDINARY)
    started_on: dt.date | None = attrs.field(metadata=sens.ORDINARY)
    ended_on: dt.date = attrs.field(metadata=sens.ORDINARY)
    exit_reason: ExitReason | None = attrs.field(metadata=sens.ORDINARY)
    attainment: Attainment | None = attrs.field(metadata=sens.ORDINARY)
    satisfactory_evolution: bool | None = attrs.field(metadata=sens.ORDINARY)
    not_taken_on_reason: NotTakenOnReason | None = attrs.field(metadata=sens.ORDINARY)
    handover_recipient: HandoverRecipient | None = attrs.field(metadata=sens.CHILD_PROTECTION)
    objectives: tuple[ObjectiveTrace, ...] = attrs.field(metadata=sens.FAMILY)
    actions: tuple[ActionTrace, ...] = attrs.field(metadata=sens.ORDINARY)
    review_dates: tuple[dt.date, ...] = attrs.field(metadata=sens.ORDINARY)


def purge(pathway: Pathway) -> Tombstone:
    """Reduce an ended pathway to its :class:`Tombstone` (*purge*, end of retention).

    Rule: only a pathway that has ended can be purged; the tombstone keeps what the
    aggregate indicators count and nothing that names or describes the child or family.

    Raises:
        InvalidValue: if the pathway is still open, or is not a pathway.
    """
    if not isinstance(pathway, Pathway):
        raise InvalidValue("purge", "pathway", f"<{type(pathway).__name__}>", "a Pathway")
    ended = pathway.ended_on
    if ended is None:
        raise InvalidValue(
            "purge",
            "pathway",
            f"<pathway in state {pathway.state.value!r}>",
            "a pathway that has ended (closed, handed over or not taken on)",
        )
    exit_, handover, not_taken = pathway.exit, pathway.handover, pathway.not_taken_on
    return Tombstone(
        programme_id=pathway.programme.id,
        state=pathway.state,
        referral_on=pathway.referral.on,
        referral_source=pathway.referral.source,
        referral_reasons=pathway.referral.reasons,
        re_entry=pathway.previous_pathway_id is not None,
        eligible=pathway.eligibility.eligible,
        sex=pathway.child.sex,
        age_band=age_band(pathway.child.birth_date, pathway.referral.on),
        school_level=pathway.child.school_level,
        priority_education=pathway.child.priority_education,
        commune=pathway.child.commune,
        qpv=pathway.child.qpv,
        consent_on=pathway.consents[0].on if pathway.consents else None,
        consent_withdrawn_on=pathway.consent_withdrawn_on,
        admitted_on=None if pathway.admission is None else pathway.admission.on,
        started_on=pathway.started_on,
        ended_on=ended,
        exit_reason=exit_.reason if exit_ else None,
        attainment=exit_.attainment if exit_ else None,
        satisfactory_evolution=exit_.satisfactory_evolution if exit_ else None,
        not_taken_on_reason=not_taken.reason if not_taken else None,
        handover_recipient=handover.recipient if handover else None,
        objectives=tuple(
            ObjectiveTrace(domain=o.domain, status=o.status) for o in pathway.objectives
        ),
        actions=tuple(
            ActionTrace(
                funding=a.funding,
                kind=a.kind,
                timing=a.timing,
                start=a.start,
                end=a.end,
                cost_cents=a.cost_cents,
                family_share_cents=a.family_share_cents,
                cancelled=a.cancelled,
            )
            for a in pathway.actions
        ),
        review_dates=tuple(r.on for r in pathway.reviews),
    )
