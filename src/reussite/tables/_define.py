"""The tidy tables, declared: each table's columns, and the rows one pathway gives it."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from .._sensitivity import Sensitivity
from ..calendar import age_on
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
    ReferralSource,
    SchoolLevel,
    SchoolLevelGroup,
    Sex,
)
from ..errors import InvalidValue
from ..events import EVENT_TYPES, Event, ObjectiveSet, Reassessed
from ..indicators import COMMUNE_NAMES, AgeBand, PriorityArea
from ..pathway import Pathway, State
from ..periods import SchoolYear
from ._schema import Column, DType, TableSchema

__all__ = ["ROWS", "SCHEMAS", "check_known", "exact_months"]

Row = tuple[object, ...]
Rows = Callable[[Pathway, "dt.date | None"], list[Row]]


def _whole_months(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (``end`` not before ``start``).

    The arithmetic of ``relativedelta`` (a property test checks they agree, with
    :func:`reussite.calendar.months_between`): the months between the two months, less
    one when ``start``'s day, clipped to the end of ``end``'s month, is after ``end``'s.
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    if start.day > end.day and end.day < calendar.monthrange(end.year, end.month)[1]:
        months -= 1
    return months


def _plus_months(start: dt.date, months: int) -> dt.date:
    """``start`` + ``months`` months, the day clipped to the month's end (``relativedelta``)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _exact_months(start: dt.date, end: dt.date) -> float:
    whole = _whole_months(start, end)
    anchor = _plus_months(start, whole)
    following = _plus_months(start, whole + 1)
    return whole + (end - anchor).days / (following - anchor).days


def exact_months(start: dt.date, end: dt.date) -> float:
    """Months from ``start`` to ``end``, with the fraction of the month under way.

    Rule: the whole calendar months (*mois révolus*, as the indicators count them), plus
    the days left over divided by the length of the month that follows them (from
    ``start`` + whole months to ``start`` + whole months + 1, as ``relativedelta`` counts).
    So 15 January to 15 March is exactly 2, and 15 January to 1 February is 17/31.

    >>> exact_months(dt.date(2017, 1, 15), dt.date(2017, 3, 15))
    2.0
    >>> round(exact_months(dt.date(2017, 1, 15), dt.date(2017, 2, 1)), 4)
    0.5484
    >>> exact_months(dt.date(2017, 3, 1), dt.date(2017, 2, 1))
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: exact_months.end: expected a date on or after start ...
    """
    if end < start:
        raise InvalidValue("exact_months", "end", end, f"a date on or after start ({start})")
    return _exact_months(start, end)


# --- column helpers --------------------------------------------------------------------


_CODE: dict[object, str] = {
    member: member.value
    for codes in (
        State,
        ReferralSource,
        Sex,
        AgeBand,
        SchoolLevel,
        SchoolLevelGroup,
        PriorityEducation,
        PriorityArea,
        ExitReason,
        Attainment,
        NotTakenOnReason,
        HandoverRecipient,
        ObjectiveDomain,
        ObjectiveStatus,
        ActionFunding,
        ActionKind,
        ActionTiming,
    )
    for member in codes
}
"""The wire value of each code, by lookup (quicker than ``.value`` on the hot path)."""


def _col(name: str, dtype: DType, label_fr: str, *sources: str, **extra: object) -> Column:
    return Column(name=name, dtype=dtype, label_fr=label_fr, sources=sources, **extra)  # type: ignore[arg-type]


def _date(name: str, label_fr: str, *sources: str) -> Column:
    return _col(name, DType.DATE, label_fr, *sources)


def _int(name: str, label_fr: str, *sources: str) -> Column:
    return _col(name, DType.INT, label_fr, *sources)


def _id(name: str, label_fr: str, source: str, kind: str) -> Column:
    return _col(name, DType.STRING, label_fr, source, pseudonym=kind)


_cat = Column.category

_PATHWAY_ID = _id("pathway_id", "identifiant du parcours", "Pathway.id", "pathway")
_CHILD_ID = _id("child_id", "identifiant de l'enfant", "Child.id", "child")
_ADMISSION = "TeamDecision.on"
_ENDS = ("Exit.on", "NotTakenOn.on", "Handover.on")
"""Where a pathway's end date comes from: a handover's date is child protection."""


def _durations_of(*sources: str) -> tuple[Column, ...]:
    return (
        _int("duration_days", "durée en jours (entrée validée → fin)", *sources),
        _col(
            "duration_months",
            DType.FLOAT,
            "durée en mois, fraction du mois en cours comprise",
            *sources,
        ),
        _int("duration_whole_months", "durée en mois révolus", *sources),
    )


_EVENT_DATES = tuple(
    f"{cls.__name__}.on"
    for cls in EVENT_TYPES.values()
    if attrs.has(cls) and "on" in attrs.fields_dict(cls)
)
_COMMUNES = MappingProxyType(dict(COMMUNE_NAMES))


def _durations(start: dt.date | None, end: dt.date | None) -> tuple[object, object, object]:
    if start is None or end is None or end < start:
        return None, None, None
    return (end - start).days, _exact_months(start, end), _whole_months(start, end)


def check_known(p: Pathway, as_of: dt.date | None) -> None:
    if as_of is not None and p.last_event_on > as_of:
        raise InvalidValue(
            "reussite.tables",
            "as_of",
            as_of,
            f"a date on or after every pathway's last event (pathway {p.id!r} has an event on "
            f"{p.last_event_on}): tables describe pathways as recorded",
        )


# --- pathways ----------------------------------------------------------------------------

PATHWAYS = TableSchema(
    name="pathways",
    label_fr="parcours (une ligne par parcours)",
    description=(
        "One row per pathway: its state, the dates of each step, the child's profile at "
        "referral, its end and attainment, delays and durations, and how many objectives, "
        "actions, reviews and events it has."
    ),
    columns=(
        _PATHWAY_ID,
        _CHILD_ID,
        _id("family_id", "identifiant de la famille", "Family.id", "family"),
        _col("programme_id", DType.STRING, "identifiant du PRE", "Programme.id"),
        _id(
            "previous_pathway_id",
            "parcours précédent de l'enfant (réentrée)",
            "Pathway.previous_pathway_id",
            "pathway",
        ),
        _cat("state", "situation du parcours", ("Pathway.state",), State),
        _date("referral_on", "date d'orientation", "Referral.on"),
        _cat("referral_source", "partenaire orienteur", ("Referral.source",), ReferralSource),
        _cat("sex", "sexe", ("Child.sex",), Sex),
        attrs.evolve(_date("birth_date", "date de naissance", "Child.birth_date"), exported=False),
        _int("age_at_referral", "âge à l'orientation (années révolues)", "Child.birth_date"),
        _cat("age_band", "tranche d'âge à l'orientation", ("Child.birth_date",), AgeBand),
        _cat(
            "school_level", "niveau scolaire à l'orientation", ("Child.school_level",), SchoolLevel
        ),
        _cat("school_stage", "cycle à l'orientation", ("Child.school_level",), SchoolLevelGroup),
        _cat(
            "priority_education",
            "éducation prioritaire de l'école",
            ("Child.priority_education",),
            PriorityEducation,
        ),
        _col(
            "commune",
            DType.CATEGORY,
            "commune de résidence (code INSEE)",
            "Child.commune",
            labels=_COMMUNES,
        ),
        _col("qpv", DType.STRING, "quartier prioritaire (QPV) de résidence", "Child.qpv"),
        _cat(
            "priority_area",
            "géographie prioritaire (QPV, REP)",
            ("Eligibility.in_qpv", "Eligibility.in_rep"),
            PriorityArea,
        ),
        _col("eligible", DType.BOOL, "éligible sans dérogation", "Eligibility.unmet"),
        _col("referent_id", DType.STRING, "référent de parcours", "Pathway.referent_id"),
        _date("consent_on", "date du premier accord de la famille", "Consent.on"),
        _date("assessed_on", "date du diagnostic", "Assessment.on"),
        _date("admitted_on", "date de l'entrée validée par l'EPS", _ADMISSION),
        _date("started_on", "date de démarrage", "Pathway.started_on"),
        _date("ended_on", "date de fin (sortie, relais ou non-prise en charge)", *_ENDS),
        _date("exit_on", "date de sortie", "Exit.on"),
        _cat("exit_reason", "motif de sortie", ("Exit.reason",), ExitReason),
        _cat("attainment", "atteinte des résultats", ("Exit.attainment",), Attainment),
        _col(
            "satisfactory_evolution",
            DType.BOOL,
            "évolution satisfaisante",
            "Exit.satisfactory_evolution",
        ),
        _cat(
            "not_taken_on_reason",
            "motif de non-prise en charge",
            ("NotTakenOn.reason",),
            NotTakenOnReason,
        ),
        _date("handover_on", "date du passage de relais", "Handover.on"),
        _cat(
            "handover_recipient",
            "destinataire du relais",
            ("Handover.recipient",),
            HandoverRecipient,
        ),
        _date(
            "consent_withdrawn_on", "date du retrait de l'accord", "Pathway.consent_withdrawn_on"
        ),
        _int("referral_to_consent_days", "délai orientation → accord (jours)", "Consent.on"),
        _int("consent_to_admission_days", "délai accord → entrée validée (jours)", _ADMISSION),
        _int("admission_to_start_days", "délai entrée validée → démarrage (jours)", _ADMISSION),
        *_durations_of(_ADMISSION, *_ENDS),
        _int("days_suspended", "jours de suspension", "Suspension.on", *_ENDS),
        _int("objectives", "nombre d'objectifs", "Objective.id"),
        _int("actions", "nombre d'actions", "Action.id"),
        _int("reviews", "nombre de bilans", "Review.on"),
        _int("events", "nombre d'événements en vigueur"),
        _int("corrections", "nombre de corrections de saisie", "Corrected.on"),
    ),
)


def _pathway_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    child = p.child
    referral = p.referral
    referral_on = referral.on
    consents = p.consents
    consent_on = consents[0].on if consents else None
    admission = p.admission
    admitted_on = admission.on if admission is not None else None
    started_on = p.started_on
    exit_ = p.exit
    handover = p.handover
    not_taken_on = p.not_taken_on
    ended_on = p.ended_on
    age = age_on(child.birth_date, referral_on)
    eligibility = p.eligibility
    span_end = ended_on if ended_on is not None else as_of
    facts = p.facts
    return [
        (
            p.id,
            child.id,
            p.family.id,
            p.programme.id,
            p.previous_pathway_id,
            _CODE[p.state],
            referral_on,
            _CODE[referral.source],
            _CODE[child.sex],
            child.birth_date,
            age,
            _CODE[AgeBand.of(age)],
            _CODE[child.school_level],
            _CODE[child.school_level.group],
            _CODE[child.priority_education],
            child.commune,
            child.qpv,
            _CODE[PriorityArea.of(in_qpv=eligibility.in_qpv, in_rep=eligibility.in_rep)],
            eligibility.eligible,
            p.referent_id,
            consent_on,
            p.assessment.on if p.assessment is not None else None,
            admitted_on,
            started_on,
            ended_on,
            exit_.on if exit_ is not None else None,
            _CODE[exit_.reason] if exit_ is not None else None,
            _CODE[exit_.attainment] if exit_ is not None else None,
            exit_.satisfactory_evolution if exit_ is not None else None,
            _CODE[not_taken_on.reason] if not_taken_on is not None else None,
            handover.on if handover is not None else None,
            _CODE[handover.recipient] if handover is not None else None,
            p.consent_withdrawn_on,
            (consent_on - referral_on).days if consent_on is not None else None,
            (admitted_on - consent_on).days
            if admitted_on is not None and consent_on is not None
            else None,
            (started_on - admitted_on).days
            if started_on is not None and admitted_on is not None
            else None,
            *_durations(admitted_on, span_end),
            p.days_suspended(span_end) if span_end is not None and p.suspensions else 0,
            len(p.objectives),
            len(p.actions),
            len(p.reviews),
            len(facts),
            len(p.history) - len(facts) if p.history is not facts else 0,
        )
    ]


# --- events ------------------------------------------------------------------------------

_TAGS = tuple(EVENT_TYPES)
EVENTS = TableSchema(
    name="events",
    label_fr="événements (une ligne par événement en vigueur)",
    description=(
        "One row per event in force of each pathway (its facts: the history with its "
        "corrections applied, which every report reads), in their order."
    ),
    columns=(
        _PATHWAY_ID,
        _int("position", "rang de l'événement dans le parcours (à partir de 1)"),
        Column(
            name="event",
            dtype=DType.CATEGORY,
            label_fr="type d'événement",
            sources=(),
            codes=_TAGS,
            labels=MappingProxyType({tag: cls.label_fr for tag, cls in EVENT_TYPES.items()}),
            values=MappingProxyType({"handed_over": Sensitivity.CHILD_PROTECTION}),
        ),
        _date("on", "date de l'événement", *_EVENT_DATES),
        _int("days_since_referral", "jours depuis l'orientation", *_EVENT_DATES),
    ),
)


def _event_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    pid = p.id
    referral_on = p.referral.on
    rows: list[Row] = []
    for position, event in enumerate(p.facts, start=1):
        on = event.on
        rows.append((pid, position, event.tag, on, (on - referral_on).days))
    return rows


# --- objectives, actions and the link between them ------------------------------------

OBJECTIVES = TableSchema(
    name="objectives",
    label_fr="objectifs (une ligne par objectif d'un parcours)",
    description="One row per objective of each pathway's plan, with its domain and status.",
    columns=(
        _PATHWAY_ID,
        _col("objective_id", DType.STRING, "identifiant de l'objectif", "Objective.id"),
        _cat("domain", "domaine", ("Objective.domain",), ObjectiveDomain),
        _cat("status", "état", ("Objective.status",), ObjectiveStatus),
        _date("set_on", "date où il a été fixé", "ObjectiveSet.on"),
        _int("actions", "nombre d'actions qui le servent", "Action.objective_ids"),
    ),
)


def _set_on(facts: tuple[Event, ...]) -> dict[str, dt.date]:
    found: dict[str, dt.date] = {}
    for event in facts:
        if type(event) is ObjectiveSet:
            found[event.objective.id] = event.on
        elif type(event) is Reassessed:
            for objective in event.objectives:
                found[objective.id] = event.on
    return found


def _objective_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    if not p.objectives:
        return []
    pid = p.id
    served: dict[str, int] = {}
    for action in p.actions:
        for oid in action.objective_ids:
            served[oid] = served.get(oid, 0) + 1
    set_on = _set_on(p.facts)
    return [
        (pid, o.id, _CODE[o.domain], _CODE[o.status], set_on.get(o.id), served.get(o.id, 0))
        for o in p.objectives
    ]


ACTIONS = TableSchema(
    name="actions",
    label_fr="actions (une ligne par action d'un parcours)",
    description=(
        "One row per action of each pathway (cancelled ones included, flagged): funding, "
        "kind, timing, dates, duration, cost and the family's share."
    ),
    columns=(
        _PATHWAY_ID,
        _col("action_id", DType.STRING, "identifiant de l'action", "Action.id"),
        _cat("funding", "financement", ("Action.funding",), ActionFunding),
        _cat("kind", "individuelle ou collective", ("Action.kind",), ActionKind),
        _cat("timing", "temps scolaire", ("Action.timing",), ActionTiming),
        _date("start", "date de début", "Action.start"),
        _date("end", "date de fin", "Action.end"),
        _int(
            "duration_days",
            "durée en jours (jusqu'à la date d'observation si en cours)",
            "Action.start",
            "Action.end",
        ),
        _int("cost_cents", "coût pour le PRE (centimes)", "Action.cost_cents"),
        _int(
            "family_share_cents",
            "participation de la famille (centimes)",
            "Action.family_share_cents",
        ),
        _col("cancelled", DType.BOOL, "annulée avant de commencer", "Action.cancelled"),
        _int("objectives", "nombre d'objectifs servis", "Action.objective_ids"),
    ),
)


def _action_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    pid = p.id
    rows: list[Row] = []
    for a in p.actions:
        end = a.end if a.end is not None else as_of
        rows.append(
            (
                pid,
                a.id,
                _CODE[a.funding],
                _CODE[a.kind],
                _CODE[a.timing],
                a.start,
                a.end,
                (end - a.start).days if end is not None and end >= a.start else None,
                a.cost_cents,
                a.family_share_cents,
                a.cancelled,
                len(a.objective_ids),
            )
        )
    return rows


ACTION_OBJECTIVES = TableSchema(
    name="action_objectives",
    label_fr="actions × objectifs (une ligne par objectif servi par une action)",
    description=(
        "One row per (action, objective it serves): the link that joins actions to the "
        "domains of their objectives."
    ),
    columns=(
        _PATHWAY_ID,
        _col("action_id", DType.STRING, "identifiant de l'action", "Action.id"),
        _col("objective_id", DType.STRING, "identifiant de l'objectif", "Action.objective_ids"),
    ),
)


def _action_objective_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    pid = p.id
    return [(pid, a.id, oid) for a in p.actions for oid in a.objective_ids]


# --- reviews and exits -------------------------------------------------------------------

REVIEWS = TableSchema(
    name="reviews",
    label_fr="bilans (une ligne par bilan d'un parcours)",
    description="One row per review (*bilan*) of each pathway, in their order.",
    columns=(
        _PATHWAY_ID,
        _int("review", "rang du bilan (à partir de 1)"),
        _date("on", "date du bilan", "Review.on"),
        _int(
            "days_since_previous",
            "jours depuis le bilan précédent (ou le démarrage)",
            "Review.on",
            "Pathway.started_on",
        ),
        _int("participants", "nombre de participants", "Review.participants"),
    ),
)


def _review_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    pid = p.id
    rows: list[Row] = []
    previous = p.started_on
    for n, review in enumerate(p.reviews, start=1):
        on = review.on
        since = (on - previous).days if previous is not None else None
        rows.append((pid, n, on, since, len(review.participants)))
        previous = on
    return rows


EXITS = TableSchema(
    name="exits",
    label_fr="sorties (une ligne par sortie du dispositif)",
    description=(
        "One row per pathway that was taken on and exited (a withdrawal of consent after "
        "the start included; a handover or a pathway never taken on is not an exit), with "
        "its school year, reason, attainment, evolution and duration."
    ),
    columns=(
        _PATHWAY_ID,
        _CHILD_ID,
        _date("on", "date de sortie", "Exit.on"),
        _col("school_year", DType.CATEGORY, "année scolaire de la sortie", "Exit.on"),
        _cat("reason", "motif de sortie", ("Exit.reason",), ExitReason),
        _cat("attainment", "atteinte des résultats", ("Exit.attainment",), Attainment),
        _col(
            "satisfactory_evolution",
            DType.BOOL,
            "évolution satisfaisante",
            "Exit.satisfactory_evolution",
        ),
        _col("validated", DType.BOOL, "validée par l'EPS", "TeamDecision.on"),
        _date("admitted_on", "date de l'entrée validée par l'EPS", _ADMISSION),
        *_durations_of(_ADMISSION, "Exit.on"),
    ),
)


def _exit_rows(p: Pathway, as_of: dt.date | None) -> list[Row]:
    exit_ = p.exit
    if exit_ is None:
        return []
    admitted_on = p.admission.on if p.admission is not None else None
    on = exit_.on
    return [
        (
            p.id,
            p.child.id,
            on,
            SchoolYear.containing(on).key,
            _CODE[exit_.reason],
            _CODE[exit_.attainment],
            exit_.satisfactory_evolution,
            exit_.decision is not None,
            admitted_on,
            *_durations(admitted_on, on),
        )
    ]


SCHEMAS: Mapping[str, TableSchema] = MappingProxyType(
    {s.name: s for s in (PATHWAYS, EVENTS, OBJECTIVES, ACTIONS, ACTION_OBJECTIVES, REVIEWS, EXITS)}
)
"""Every tidy table's schema by name, in order: pathways, events, objectives, actions,
action_objectives, reviews, exits."""

ROWS: Mapping[str, Rows] = MappingProxyType(
    {
        "pathways": _pathway_rows,
        "events": _event_rows,
        "objectives": _objective_rows,
        "actions": _action_rows,
        "action_objectives": _action_objective_rows,
        "reviews": _review_rows,
        "exits": _exit_rows,
    }
)
"""The rows one pathway gives each table, as tuples in the order of its columns."""
