"""Retention: how long each category is kept after the last contact, and what a purge leaves.

The CNIL's retention reference for the social and medico-social sector (délibération
n° 2023-095) describes three phases: the active base (*base active*), the intermediate
archive (*archivage intermédiaire*, restricted access) and the end (*suppression* or
anonymisation), counted from the last contact with the person. No duration specific to
the PRE is published: the data controller sets them; :data:`EXAMPLE_SCHEDULE` is an
explicit example, not legal advice.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

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
    ReferralReason,
    ReferralSource,
)
from ..errors import InvalidValue
from ..events import (
    ContactLost,
    Corrected,
    DeclaredIneligible,
    ExitProposed,
    ExitValidated,
    Redirected,
    ReferentChanged,
)
from ..pathway import Pathway, State
from ._anonymise import DEFAULT_K, HORS_QPV, MAX_SUPPRESSED, Anonymised, anonymise
from ._catalogue import catalogue
from ._export import age_band
from ._purpose import sensitivity

__all__ = [
    "EXAMPLE_SCHEDULE",
    "STATISTICS",
    "ActionTrace",
    "ObjectiveTrace",
    "Phase",
    "Purge",
    "RetentionDue",
    "RetentionPeriod",
    "RetentionSchedule",
    "RetentionStart",
    "Tombstone",
    "categories_held",
    "last_contact_on",
    "purge",
    "purge_cohort",
    "purge_on",
    "retention_due",
    "retention_start",
    "retention_starts",
]


class Phase(LabelledEnum):
    """A phase of a record's life (*phase de conservation*, CNIL)."""

    ACTIVE = ("active", "base active")
    INTERMEDIATE = ("intermediate", "archivage intermédiaire")
    PURGE = ("purge", "suppression ou anonymisation")


class RetentionStart(LabelledEnum):
    """The event a retention period counts from (*point de départ de la durée*).

    Rule: the CNIL's references for social support count from the last contact with the
    person; a controller may choose the end of the pathway or its last recorded event.
    Whatever the choice, a handover to child protection starts the clock on its date.
    """

    LAST_CONTACT = ("last_contact", "dernier contact avec la famille")
    END = ("end", "fin du parcours (sortie, relais, non-prise en charge)")
    LAST_EVENT = ("last_event", "dernier événement enregistré")


_months = v.integer(min_value=0, max_value=1200)


@attrs.frozen(kw_only=True)
class RetentionPeriod:
    """How long one category stays in each phase after the clock starts.

    Attributes:
        active_months: months in the active base after the start (*base active*).
        archive_months: then months in the intermediate archive before the purge.
    """

    active_months: int = attrs.field(validator=_months)
    archive_months: int = attrs.field(validator=_months)

    def archive_on(self, start: dt.date) -> dt.date:
        """The first day in the intermediate archive."""
        return start + relativedelta(months=self.active_months)

    def purge_on(self, start: dt.date) -> dt.date:
        """The first day the data must be purged."""
        return self.archive_on(start) + relativedelta(months=self.archive_months)


_period = v.typed(RetentionPeriod)

STATISTICS: tuple[Sensitivity, ...] = (
    Sensitivity.ORDINARY,
    Sensitivity.SCHOOL,
    Sensitivity.QUASI_IDENTIFIER,
)
"""What a purge trace keeps by default, anonymised: ordinary data, schooling and coarsened
quasi-identifiers; never health, child protection, family situation unless the schedule
says so, and never direct identifiers."""


def _statistics(inst: RetentionSchedule, attr: attrs.Attribute[Any], value: Any) -> None:
    if Sensitivity.DIRECT_IDENTIFIER in value or Sensitivity.ORDINARY not in value:
        raise InvalidValue(
            "RetentionSchedule",
            attr.name,
            [c.value for c in value],
            "categories including ordinary and without direct_identifier",
        )


@attrs.frozen(kw_only=True)
class RetentionSchedule:
    """A retention schedule: one :class:`RetentionPeriod` per category (*durées de conservation*).

    Rule: the data controller sets every value (there is no PRE-specific reference);
    periods count from :attr:`starts_from` (by default the last contact with the family,
    see :func:`retention_start`); an open pathway, and every pathway of a re-entry chain
    one of whose pathways is open, is always in the active base.

    Attributes:
        name: names the schedule (the controller's decision it comes from).
        ordinary, school, quasi_identifier, family_situation, health, child_protection,
            direct_identifier: the period of each category.
        starts_from: the event the periods count from.
        sharing_months: how long after the pathway's end partners may still be told
            what a consent allows (*partage après la fin*, 0: sharing ends with it).
        statistics: the categories a purge trace keeps, anonymised (:data:`STATISTICS`).
    """

    name: str = attrs.field(validator=v.text(max_length=300))
    ordinary: RetentionPeriod = attrs.field(validator=_period)
    school: RetentionPeriod = attrs.field(validator=_period)
    quasi_identifier: RetentionPeriod = attrs.field(validator=_period)
    family_situation: RetentionPeriod = attrs.field(validator=_period)
    health: RetentionPeriod = attrs.field(validator=_period)
    child_protection: RetentionPeriod = attrs.field(validator=_period)
    direct_identifier: RetentionPeriod = attrs.field(validator=_period)
    starts_from: RetentionStart = attrs.field(
        default=RetentionStart.LAST_CONTACT, validator=v.member(RetentionStart)
    )
    sharing_months: int = attrs.field(default=0, validator=_months)
    statistics: tuple[Sensitivity, ...] = attrs.field(
        default=STATISTICS,
        validator=v.all_of(
            v.tuple_of(v.member(Sensitivity), min_length=1),
            v.unique(lambda c: c, "categories"),
            _statistics,
        ),
    )

    def period(self, category: Sensitivity | str) -> RetentionPeriod:
        """The period of a category."""
        cat = sensitivity(category, owner="RetentionSchedule", field="category")
        period: RetentionPeriod = getattr(self, cat.value)
        return period

    def phase(self, category: Sensitivity | str, start: dt.date | None, on: dt.date) -> Phase:
        """The phase a category whose clock started on ``start`` is in on ``on``.

        ``start`` is ``None`` for an open pathway (or chain): always the active base.
        """
        period = self.period(category)
        if start is None or on < period.archive_on(start):
            return Phase.ACTIVE
        if on < period.purge_on(start):
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
    sharing_months=3,
)
"""An example schedule, **not legal truth**: two years in the active base after the last
contact (a child may re-enter; the team follows up relays), three more in the intermediate
archive (five years in all, the civil limitation period), health one year then two;
partners may be told what a consent allows for three months after the end (a relay's
follow-up). Every value must be confirmed by the data controller (CNIL délibération
n° 2023-095)."""


# --- when the clock starts ------------------------------------------------------------------

_WITHOUT_THE_FAMILY = (
    ContactLost,
    ExitProposed,
    ExitValidated,
    Corrected,
    ReferentChanged,
    Redirected,
    DeclaredIneligible,
)
"""Facts recorded without the family: they do not show that contact was regained."""


def last_contact_on(pathway: Pathway) -> dt.date | None:
    """The last day the team was in contact with the family (*dernier contact*), if ended.

    Rule: the day the family was found unreachable (``ContactLost``), when no fact
    recorded with the family follows it (an EPS decision, a correction or a change of
    referent do not count); else the day the pathway ended. ``None`` while it is open.
    """
    ended = pathway.ended_on
    if ended is None:
        return None
    lost: dt.date | None = None
    for fact in pathway.facts:
        if type(fact) is ContactLost:
            lost = fact.on
        elif not isinstance(fact, _WITHOUT_THE_FAMILY):
            lost = None
    return ended if lost is None else min(lost, ended)


def retention_start(
    pathway: Pathway, start: RetentionStart = RetentionStart.LAST_CONTACT
) -> dt.date | None:
    """The day a pathway's retention clock starts, or ``None`` while it is open.

    Rule: a handover to child protection starts it on the handover date; otherwise the
    last contact with the family (default, :func:`last_contact_on`), the end of the
    pathway, or its last recorded fact, as ``start`` says.
    """
    ended = pathway.ended_on
    if ended is None:
        return None
    if pathway.handover is not None:
        return pathway.handover.on
    if start is RetentionStart.END:
        return ended
    if start is RetentionStart.LAST_EVENT:
        return pathway.last_event_on
    return last_contact_on(pathway)


def _chains(pathways: list[Pathway]) -> dict[str, str]:
    """Each pathway's chain (*parcours successifs d'un enfant*), named by one of its ids.

    Pathways are chained when one names the other as its previous pathway, or when they
    are the same child's.
    """
    parent = {p.id: p.id for p in pathways}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    by_child: dict[str, str] = {}
    for p in pathways:
        if p.previous_pathway_id is not None and p.previous_pathway_id in parent:
            join(p.id, p.previous_pathway_id)
        first = by_child.setdefault(p.child.id, p.id)
        join(p.id, first)
    return {p.id: root(p.id) for p in pathways}


def retention_starts(
    pathways: Iterable[Pathway], start: RetentionStart = RetentionStart.LAST_CONTACT
) -> dict[str, dt.date | None]:
    """Each pathway's retention start, consistent along re-entry chains (by pathway id).

    Rule: the pathways of one child (chained by ``previous_pathway_id`` or by the child's
    id) share one clock: the latest start of any of them, or ``None`` while any of them is
    open, so a first pathway is never purged while the one that points to it is open.
    """
    given = list(pathways)
    chain = _chains(given)
    latest: dict[str, dt.date | None] = {}
    open_chains: set[str] = set()
    for p in given:
        own = retention_start(p, start)
        name = chain[p.id]
        if own is None:
            open_chains.add(name)
        elif latest.get(name) is None or own > latest[name]:  # type: ignore[operator]
            latest[name] = own
    return {p.id: None if chain[p.id] in open_chains else latest.get(chain[p.id]) for p in given}


# --- what is due --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class RetentionDue:
    """One category of one pathway that must leave the active base (*à archiver, à purger*).

    Attributes:
        pathway_id: the pathway concerned (an internal list, for the team).
        category: the category concerned.
        phase: ``intermediate`` (archive it) or ``purge`` (delete or anonymise it).
        since: the day that phase began.
        clock_from: the day the retention clock started (see :func:`retention_starts`).
    """

    pathway_id: str
    category: Sensitivity
    phase: Phase
    since: dt.date
    clock_from: dt.date


def _check(owner: str, as_of: object, schedule: object) -> None:
    if not isinstance(schedule, RetentionSchedule):
        raise InvalidValue(owner, "schedule", schedule, "a RetentionSchedule")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidValue(owner, "as_of", as_of, "a datetime.date")


def retention_due(
    pathways: Iterable[Pathway], as_of: dt.date, schedule: RetentionSchedule
) -> tuple[RetentionDue, ...]:
    """List what must be archived or purged on ``as_of`` (*échéancier de conservation*).

    Rule: for each pathway whose chain has ended and each category, the phase the
    schedule gives on ``as_of``, counted from the chain's start
    (:func:`retention_starts`); categories still in the active base are not listed.
    :func:`purge_cohort` acts on the purges.

    Raises:
        InvalidValue: if ``schedule`` is not a :class:`RetentionSchedule` or ``as_of``
            not a date.
    """
    _check("retention_due", as_of, schedule)
    given = list(pathways)
    starts = retention_starts(given, schedule.starts_from)
    due: list[RetentionDue] = []
    for pathway in given:
        start = starts[pathway.id]
        if start is None:
            continue
        for category in Sensitivity:
            phase = schedule.phase(category, start, as_of)
            if phase is Phase.ACTIVE:
                continue
            period = schedule.period(category)
            since = (
                period.archive_on(start) if phase is Phase.INTERMEDIATE else period.purge_on(start)
            )
            due.append(
                RetentionDue(
                    pathway_id=pathway.id,
                    category=category,
                    phase=phase,
                    since=since,
                    clock_from=start,
                )
            )
    return tuple(due)


# --- what a pathway holds ------------------------------------------------------------------


@functools.cache
def _fields() -> dict[type, list[Any]]:
    entries: dict[type, list[Any]] = {}
    for entry in catalogue():
        entries.setdefault(entry.owner, []).append(entry)
    return entries


def _held(value: Any, entries: Mapping[type, list[Any]], found: set[Sensitivity]) -> None:
    fields = entries.get(type(value))
    if fields is None:
        return
    for entry in fields:
        current = getattr(value, entry.field)
        items = current if isinstance(current, tuple) else (current,)
        for item in items:
            if item is None or item == "":
                continue
            if attrs.has(type(item)):
                _held(item, entries, found)
            else:
                found.add(entry.reveals(item))


def categories_held(pathway: Pathway) -> frozenset[Sensitivity]:
    """The categories a pathway's facts hold a value of (*catégories présentes*).

    Rule: every filled field of every fact, read with the catalogue, a code counting for
    the category it reveals (a referral by the PMI holds health).
    """
    found: set[Sensitivity] = set()
    entries = _fields()
    for fact in pathway.facts:
        _held(fact, entries, found)
    return frozenset(found)


# --- what a purge leaves -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ObjectiveTrace:
    """What a purge keeps of an objective: its domain and how far it got."""

    domain: ObjectiveDomain = attrs.field(metadata=sens.revealing(sens.FAMILY, sens.DOMAIN_VALUES))
    status: ObjectiveStatus = attrs.field(metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class ActionTrace:
    """What a purge keeps of an action: its classification and amounts, not its dates."""

    funding: ActionFunding = attrs.field(metadata=sens.ORDINARY)
    kind: ActionKind = attrs.field(metadata=sens.ORDINARY)
    timing: ActionTiming = attrs.field(metadata=sens.ORDINARY)
    cost_cents: int = attrs.field(metadata=sens.ORDINARY)
    family_share_cents: int = attrs.field(metadata=sens.ORDINARY)
    cancelled: bool = attrs.field(metadata=sens.ORDINARY)


@attrs.frozen(kw_only=True)
class Tombstone:
    """What remains of a purged pathway, for statistics only (*trace anonymisée*).

    No name, contact, raw id, birth date, exact date, note or free text. Dates are months
    (``"2017-10"``) or, coarsened, school years (``"2017-2018"``); the age is a band; the
    quasi-identifiers (see :data:`~reussite.privacy.QUASI_IDENTIFIERS`) may be coarsened
    further or left out (``None``) so that no trace stands alone
    (:func:`~reussite.privacy.anonymise`). Only the categories of the schedule's
    ``statistics`` are kept; a code that reveals another category is replaced by
    ``other`` (referral source and reasons, exit reason) or left out (objectives in the
    health domain), and a pathway handed over to child protection leaves no trace unless
    child protection is kept. It keeps no child key: after a purge a child with two
    pathways can no longer be counted once, so compute multi-year figures before purging.

    Attributes:
        purged: the categories the trace does not keep.
    """

    programme_id: str = attrs.field(metadata=sens.ORDINARY)
    state: State = attrs.field(metadata=sens.revealing(sens.ORDINARY, sens.STATE_VALUES))
    referral_period: str | None = attrs.field(metadata=sens.QUASI)
    end_period: str | None = attrs.field(metadata=sens.QUASI)
    age_band: str | None = attrs.field(metadata=sens.QUASI)
    sex: str | None = attrs.field(metadata=sens.ORDINARY)
    school_level: str | None = attrs.field(metadata=sens.SCHOOL)
    priority_education: str | None = attrs.field(metadata=sens.SCHOOL)
    commune: str | None = attrs.field(metadata=sens.QUASI)
    qpv: str | None = attrs.field(metadata=sens.QUASI)
    referral_source: ReferralSource = attrs.field(
        metadata=sens.revealing(sens.ORDINARY, sens.SOURCE_VALUES)
    )
    referral_reasons: tuple[ReferralReason, ...] = attrs.field(
        metadata=sens.revealing(sens.FAMILY, sens.REASON_VALUES)
    )
    re_entry: bool = attrs.field(metadata=sens.ORDINARY)
    eligible: bool = attrs.field(metadata=sens.ORDINARY)
    consented: bool = attrs.field(metadata=sens.ORDINARY)
    consent_withdrawn: bool = attrs.field(metadata=sens.ORDINARY)
    admitted: bool = attrs.field(metadata=sens.ORDINARY)
    started: bool = attrs.field(metadata=sens.ORDINARY)
    exit_reason: ExitReason | None = attrs.field(
        metadata=sens.revealing(sens.ORDINARY, sens.EXIT_VALUES)
    )
    attainment: Attainment | None = attrs.field(metadata=sens.ORDINARY)
    satisfactory_evolution: bool | None = attrs.field(metadata=sens.ORDINARY)
    not_taken_on_reason: NotTakenOnReason | None = attrs.field(metadata=sens.ORDINARY)
    handover_recipient: HandoverRecipient | None = attrs.field(metadata=sens.CHILD_PROTECTION)
    objectives: tuple[ObjectiveTrace, ...] = attrs.field(
        metadata=sens.revealing(sens.FAMILY, sens.DOMAIN_VALUES)
    )
    actions: tuple[ActionTrace, ...] = attrs.field(metadata=sens.ORDINARY)
    reviews: int = attrs.field(metadata=sens.ORDINARY)
    purged: tuple[Sensitivity, ...] = attrs.field(metadata=sens.ORDINARY)


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@functools.cache
def _trace_fields() -> dict[tuple[str, str], Any]:
    return {(e.owner.__name__, e.field): e for e in catalogue([Tombstone, ObjectiveTrace])}


class _Keep:
    """Which categories a trace keeps, and what a code becomes when it reveals another."""

    def __init__(self, kept: frozenset[Sensitivity]) -> None:
        self.kept = kept
        self.fields = _trace_fields()

    def has(self, category: Sensitivity) -> bool:
        return category in self.kept

    def shows(self, field: str, value: Any, owner: str = "Tombstone") -> bool:
        return self.fields[(owner, field)].reveals(value) in self.kept


def purge(pathway: Pathway, *, schedule: RetentionSchedule) -> Tombstone | None:
    """Reduce an ended pathway to its :class:`Tombstone` (*purge*, end of retention).

    Rule: the trace keeps the schedule's ``statistics`` categories and nothing else, the
    quasi-identifiers at their finest (month, age band, class, commune, QPV code) and not
    yet checked against one another: only :func:`purge_cohort` writes traces that cannot
    single a child out, and decides when a pathway is due. ``None`` when nothing may
    remain (a handover to child protection when that category is not kept).

    Raises:
        InvalidValue: if the pathway is still open, is not a pathway, or ``schedule`` is
            not a schedule.
    """
    if not isinstance(pathway, Pathway):
        raise InvalidValue("purge", "pathway", f"<{type(pathway).__name__}>", "a Pathway")
    if not isinstance(schedule, RetentionSchedule):
        raise InvalidValue("purge", "schedule", schedule, "a RetentionSchedule")
    if pathway.ended_on is None:
        raise InvalidValue(
            "purge",
            "pathway",
            f"<pathway in state {pathway.state.value!r}>",
            "a pathway that has ended (closed, handed over or not taken on)",
        )
    return _trace(pathway, schedule)


def _trace(pathway: Pathway, schedule: RetentionSchedule) -> Tombstone | None:
    kept = frozenset(schedule.statistics)
    keep = _Keep(kept)
    if not keep.shows("state", pathway.state):
        return None
    ended = pathway.ended_on
    assert ended is not None  # checked by the callers
    child, referral = pathway.child, pathway.referral
    exit_, handover, not_taken = pathway.exit, pathway.handover, pathway.not_taken_on
    quasi, school, family = (
        keep.has(Sensitivity.QUASI_IDENTIFIER),
        keep.has(Sensitivity.SCHOOL),
        keep.has(Sensitivity.FAMILY_SITUATION),
    )
    reasons: list[ReferralReason] = []
    if family:
        for reason in referral.reasons:
            shown = reason if keep.shows("referral_reasons", reason) else ReferralReason.OTHER
            if shown not in reasons:
                reasons.append(shown)
    exit_reason = exit_.reason if exit_ else None
    if exit_reason is not None and not keep.shows("exit_reason", exit_reason):
        exit_reason = ExitReason.OTHER
    source = referral.source
    return Tombstone(
        programme_id=pathway.programme.id,
        state=pathway.state,
        referral_period=_month(referral.on) if quasi else None,
        end_period=_month(ended) if quasi else None,
        age_band=age_band(child.birth_date, referral.on) if quasi else None,
        sex=child.sex.value,
        school_level=child.school_level.value if school else None,
        priority_education=child.priority_education.value if school else None,
        commune=child.commune if quasi else None,
        qpv=(child.qpv or HORS_QPV) if quasi else None,
        referral_source=source if keep.shows("referral_source", source) else ReferralSource.OTHER,
        referral_reasons=tuple(reasons),
        re_entry=pathway.previous_pathway_id is not None,
        eligible=pathway.eligibility.eligible,
        consented=bool(pathway.consents),
        consent_withdrawn=pathway.consent_withdrawn_on is not None,
        admitted=pathway.admission is not None,
        started=pathway.started,
        exit_reason=exit_reason,
        attainment=exit_.attainment if exit_ else None,
        satisfactory_evolution=exit_.satisfactory_evolution if exit_ else None,
        not_taken_on_reason=not_taken.reason if not_taken else None,
        handover_recipient=(
            handover.recipient if handover and keep.has(Sensitivity.CHILD_PROTECTION) else None
        ),
        objectives=tuple(
            ObjectiveTrace(domain=o.domain, status=o.status)
            for o in pathway.objectives
            if family and keep.shows("domain", o.domain, owner="ObjectiveTrace")
        ),
        actions=tuple(
            ActionTrace(
                funding=a.funding,
                kind=a.kind,
                timing=a.timing,
                cost_cents=a.cost_cents,
                family_share_cents=a.family_share_cents,
                cancelled=a.cancelled,
            )
            for a in pathway.actions
        ),
        reviews=len(pathway.reviews),
        purged=tuple(c for c in Sensitivity if c not in kept),
    )


# --- a whole cohort ----------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Purge:
    """What :func:`purge_cohort` did (*bilan de la purge*).

    Attributes:
        as_of: the purge date.
        schedule: the schedule applied.
        kept: the pathways still within retention, unchanged, in their order.
        purged_ids: the ids of the pathways purged (an internal list, never published).
        anonymised: the traces written (previous traces included), k-anonymous.
        due: what was due on ``as_of`` for the pathways kept (archives, mainly).
    """

    as_of: dt.date
    schedule: RetentionSchedule
    kept: tuple[Pathway, ...]
    purged_ids: tuple[str, ...]
    anonymised: Anonymised
    due: tuple[RetentionDue, ...]

    @property
    def traces(self) -> tuple[Tombstone, ...]:
        """The traces written."""
        return self.anonymised.traces


def purge_on(pathway: Pathway, start: dt.date, schedule: RetentionSchedule) -> dt.date:
    """The day a pathway whose clock started on ``start`` is reduced to its trace.

    Rule: the earliest purge date of the categories it holds (:func:`categories_held`):
    a pathway is a fold of its facts, which cannot lose one category and keep the rest,
    so the whole file goes when the first category it holds must (a file with health data
    goes with the health period).
    """
    return min(schedule.period(c).purge_on(start) for c in categories_held(pathway))


def purge_cohort(
    pathways: Iterable[Pathway],
    *,
    as_of: dt.date,
    schedule: RetentionSchedule,
    k: int = DEFAULT_K,
    max_suppressed: float = MAX_SUPPRESSED,
    traces: Iterable[Tombstone] = (),
) -> Purge:
    """Purge what is due on ``as_of``: keep the rest, reduce the due pathways to traces.

    Rule: a pathway is purged once :func:`purge_on` has come, counted from its chain's
    start (:func:`retention_starts`: a chain with an open pathway is never purged, and a
    chain's pathways are purged together); its trace (:func:`purge`) keeps the schedule's
    ``statistics`` only; the traces, with ``traces`` written before, are then made
    k-anonymous (:func:`~reussite.privacy.anonymise`): anonymisation is the CNIL's
    alternative to deletion, what the traces keep no longer singles a child out.
    Nothing is changed in place: the caller writes :attr:`Purge.kept` and the traces to
    new files.

    Args:
        pathways: the cohort.
        as_of: the purge date (a parameter, never the clock).
        schedule: the controller's schedule.
        k: the least number of traces that share their quasi-identifiers.
        max_suppressed: the share of traces that may be left out rather than coarsen
            every trace further.
        traces: traces of earlier purges, anonymised together with the new ones.

    Raises:
        InvalidValue: for a bad date, schedule, ``k`` or share.
    """
    _check("purge_cohort", as_of, schedule)
    given = list(pathways)
    starts = retention_starts(given, schedule.starts_from)
    chain = _chains(given)
    due_chains: set[str] = set()
    for p in given:
        start = starts[p.id]
        if start is not None and as_of >= purge_on(p, start, schedule):
            due_chains.add(chain[p.id])
    kept: list[Pathway] = []
    purged: list[str] = []
    new: list[Tombstone] = list(traces)
    for p in given:
        start = starts[p.id]
        if start is None or chain[p.id] not in due_chains:
            kept.append(p)
            continue
        purged.append(p.id)
        trace = _trace(p, schedule)
        if trace is not None:
            new.append(trace)
    return Purge(
        as_of=as_of,
        schedule=schedule,
        kept=tuple(kept),
        purged_ids=tuple(purged),
        anonymised=anonymise(new, k=k, max_suppressed=max_suppressed),
        due=retention_due(kept, as_of, schedule),
    )
