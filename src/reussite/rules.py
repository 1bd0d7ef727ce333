"""The rules an event must satisfy, each written once with a stable code.

:data:`RULES` lists every rule (code, English and French statement). :data:`CHECKS` says,
as data, which rules each event type is checked against and with which function;
:data:`REQUIREMENTS` says which rules hold of a state, checked on every event that leads
to it or keeps the pathway in it. The allowed (state, event) pairs themselves live in
:mod:`reussite.lifecycle`'s table.

>>> RULES["R-UNIQUE-ID"].fr
'accords, objectifs et actions ont un identifiant unique dans le parcours'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType

import attrs

from ._history import in_force
from .calendar import age_on
from .codes import ExitReason, ObjectiveStatus
from .decision import TeamDecision
from .events import (
    ActionEnded,
    ActionPlanned,
    Admitted,
    Assessed,
    ConsentGiven,
    ConsentWithdrawn,
    ContactLost,
    Corrected,
    DeclaredIneligible,
    Event,
    ExitProposed,
    ExitRejected,
    ExitValidated,
    FamilyRefused,
    HandedOver,
    ObjectiveSet,
    ObjectiveUpdated,
    Reassessed,
    Redirected,
    ReferentChanged,
    Referred,
    Resumed,
    Reviewed,
    SituationChanged,
    Started,
    Suspended,
)
from .pathway import Pathway, State
from .plan import _attainment_of

__all__ = ["CHECKS", "REQUIREMENTS", "RULES", "Rule"]


@attrs.frozen
class Rule:
    """A rule of the PRE lifecycle (*règle*), with its stable code and statements."""

    code: str
    en: str
    fr: str


RULES: Mapping[str, Rule] = MappingProxyType(
    {
        r.code: r
        for r in (
            Rule(
                "R-TRANSITION",
                "the event must be allowed in the pathway's state by the lifecycle table",
                "l'événement doit être permis dans la situation du parcours",
            ),
            Rule(
                "R-FINAL",
                "a closed, handed-over or not-taken-on pathway accepts no new fact, only "
                "corrections",
                "un parcours terminé, relayé ou non pris en charge n'accepte plus de fait "
                "nouveau, seulement des corrections",
            ),
            Rule(
                "R-CHRONOLOGY",
                "dates never go backwards: a referral is dated on or after the child's "
                "birth, an event on or after the previous one, and an event is recorded "
                "on or after its date and after the previous event was recorded",
                "les dates ne reculent pas : l'orientation suit la naissance, chaque "
                "événement le précédent, et chaque saisie suit l'événement et la saisie "
                "précédente",
            ),
            Rule(
                "R-CONSENT-FIRST",
                "no assessment, admission, plan, action or support without the family's "
                "consent in force: while it has lapsed, a pathway in progress accepts only "
                "a renewal, a withdrawal, a suspension, an exit proposal, lost contact, a "
                "handover and corrections",
                "aucun diagnostic, aucune admission, aucun objectif, aucune action ni aucun "
                "accompagnement sans l'accord de la famille en vigueur : accord échu, le "
                "parcours n'accepte que son renouvellement, un retrait, une suspension, une "
                "proposition de sortie, une perte de contact, un relais et des corrections",
            ),
            Rule(
                "R-CONSENT-GUARDIAN",
                "consent is given, renewed or withdrawn by any guardian of the child's "
                "family; one guardian's withdrawal ends every consent of the pathway",
                "l'accord est donné, renouvelé ou retiré par l'un des responsables légaux ; "
                "le retrait de l'un met fin à l'accord",
            ),
            Rule(
                "R-EPS-DECISION",
                "entry and exit need a decision of one of the programme's EPS, with enough "
                "members present, dated on or after what it decides on",
                "l'entrée et la sortie sont validées par une EPS du programme, en nombre "
                "suffisant, à une date postérieure à ce qu'elle valide",
            ),
            Rule(
                "R-ELIGIBILITY",
                "a child who does not meet the criteria in force on the referral date is "
                "admitted only with a derogation written in the EPS decision",
                "un enfant hors critères n'entre qu'avec une dérogation écrite de l'EPS",
            ),
            Rule(
                "R-REFERENT",
                "a pathway has one referent, a referent of the programme in post on the "
                "day they are named",
                "un parcours a un référent unique, référent du programme en poste le jour "
                "où il est désigné",
            ),
            Rule(
                "R-ACTIVE-PLAN",
                "an active pathway has a referent and at least one objective",
                "un parcours actif a un référent et au moins un objectif",
            ),
            Rule(
                "R-UNIQUE-ID",
                "consents, objectives and actions have ids unique within the pathway",
                "accords, objectifs et actions ont un identifiant unique dans le parcours",
            ),
            Rule(
                "R-KNOWN-REFERENCE",
                "an event refers only to objectives and actions of the pathway",
                "un événement ne cite que des objectifs et actions du parcours",
            ),
            Rule(
                "R-ACTION-INSIDE",
                "actions stay inside the pathway: they start once it has started and end "
                "after they start",
                "les actions restent dans le parcours : après son démarrage, et finissent "
                "après avoir commencé",
            ),
            Rule(
                "R-EXIT-ATTAINMENT",
                "the exit attainment is the one the objectives imply, unless the EPS "
                "decision justifies another in writing",
                "l'atteinte à la sortie découle des objectifs, sauf justification écrite de l'EPS",
            ),
            Rule(
                "R-PROGRAMME-IN-FORCE",
                "a referral is dated when the programme has a territory and rules in force",
                "une orientation est datée quand le programme a un territoire en vigueur",
            ),
            Rule(
                "R-EXIT-REASON",
                "an exit reason agrees with the facts: the age limit once the child has "
                "reached the programme's maximum age; withdrawal and lost contact are "
                "recorded by their own events, not proposed",
                "le motif de sortie est conforme aux faits : limite d'âge une fois l'âge "
                "maximal atteint ; retrait et perte de contact ont leur propre événement",
            ),
            Rule(
                "R-REENTRY",
                "a re-entry names an earlier pathway of the same child, ended before the "
                "new referral (never the pathway itself)",
                "une nouvelle orientation renvoie à un parcours antérieur du même enfant, "
                "terminé avant elle",
            ),
            Rule(
                "R-FAMILY-ID",
                "a child belongs to the family referred with them: the child's family_id is "
                "the family's id",
                "l'enfant appartient à la famille orientée avec lui",
            ),
            Rule(
                "R-UNIQUE-PATHWAY",
                "a pathway id appears once in a programme's data (and in one shard only)",
                "un parcours n'apparaît qu'une fois dans les données du programme",
            ),
            Rule(
                "R-ONE-CHILD",
                "a child id names one child: the same birth date in every pathway",
                "un identifiant d'enfant désigne un seul enfant (même date de naissance)",
            ),
            Rule(
                "R-ONE-OPEN-PATHWAY",
                "a child has at most one open pathway in a programme at any date: a new "
                "referral comes after the earlier pathway ended",
                "un enfant n'a qu'un parcours ouvert à la fois dans un programme",
            ),
            Rule(
                "R-CORRECTION",
                "a correction names an earlier event by its version, says why and who "
                "recorded it, is dated on or after what it corrects, and changes it; a "
                "correction is itself only voided; the corrected history must satisfy "
                "every rule",
                "une correction désigne un événement antérieur par sa version, dit pourquoi "
                "et qui la saisit, suit ce qu'elle corrige et le modifie ; une correction "
                "ne peut qu'être annulée ; l'historique corrigé respecte toutes les règles",
            ),
        )
    }
)
"""Every rule of the lifecycle by code."""

Check = Callable[[Pathway, Event], str | None]
"""A check returns ``None`` when the rule holds, else what exactly is wrong."""


# --- checks: each returns None when the rule holds, or a precise detail -----------------


def _consent_in_force(p: Pathway, e: Event) -> str | None:
    if type(e) is ConsentGiven or p.consent_in_force(e.on):
        return None  # a renewal brings the consent that covers its own date
    if p.consent_withdrawn_on is not None:
        return f"the family withdrew its consent on {p.consent_withdrawn_on}"
    if p.consents:
        return (
            f"{_no_consent(p, e.on)}: renew it (consent_given), or suspend the pathway, "
            "propose its exit or hand it over"
        )
    return _no_consent(p, e.on)


def _no_consent(p: Pathway, on: dt.date) -> str:
    """Why no consent is in force on ``on`` (the pathway has no withdrawal)."""
    ended = [c.valid_until for c in p.consents if c.valid_until is not None and c.valid_until < on]
    if ended and not any(c.covers(on) for c in p.consents):
        return f"no consent of the family is in force on {on} (it lapsed on {max(ended)})"
    return f"no consent of the family is in force on {on}"


def _action_covered(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, ActionPlanned)
    start = e.action.start
    if p.consent_in_force(start):
        return None
    return (
        f"action {e.action.id!r} starts on {start}, when {_no_consent(p, start)}: renew the "
        "consent before planning it"
    )


def _consent_guardian(p: Pathway, e: Event) -> str | None:
    guardians = {g.id for g in p.family.guardians}
    if isinstance(e, ConsentGiven):
        strangers = [g for g in e.consent.given_by if g not in guardians]
        if strangers:
            return (
                f"signed by {', '.join(strangers)}, who is not a guardian of family "
                f"{p.family.id!r} (guardians: {', '.join(sorted(guardians))})"
            )
        return None
    assert isinstance(e, ConsentWithdrawn)
    if e.by not in guardians:
        return (
            f"withdrawn by {e.by!r}, who is not a guardian of family {p.family.id!r} "
            f"(guardians: {', '.join(sorted(guardians))})"
        )
    return None


def _unique_consent(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, ConsentGiven)
    for consent in p.consents:
        if consent.id == e.consent.id:
            return f"a consent with id {e.consent.id!r} already exists"
    return None


# The unions an event is tested against, built once (``A | B`` builds a new one per call).
_DECIDED = Admitted | Redirected | ExitValidated | ExitRejected | Reassessed
_ENTRY = Admitted | Redirected
_EXIT = ExitValidated | ExitRejected
_NAMING_A_REFERENT = Admitted | ReferentChanged
_ADDING_OBJECTIVES = ObjectiveSet | Reassessed


def _decision_of(e: Event) -> TeamDecision:
    assert isinstance(e, _DECIDED)
    return e.decision


def _eps_decision(p: Pathway, e: Event) -> str | None:
    decision = _decision_of(e)
    team = p.programme.support_team(decision.team_id)
    if team is None:
        known = ", ".join(t.id for t in p.programme.support_teams)
        return f"team {decision.team_id!r} is not an EPS of the programme (EPS: {known})"
    rules = p.programme.rules.at(decision.on)
    if len(decision.members_present) < rules.min_decision_members:
        return (
            f"{len(decision.members_present)} member(s) present; the EPS decides with at "
            f"least {rules.min_decision_members}"
        )
    if team.members:
        outsiders = [m for m in decision.members_present if m not in team.members]
        if outsiders:
            return f"{', '.join(outsiders)} not a member of EPS {team.id!r}"
    decided = _decided_on(p, e)
    if decided is not None and decision.on < decided[1]:
        return f"decision dated {decision.on}, before the {decided[0]} it decides on ({decided[1]})"
    return None


def _decided_on(p: Pathway, e: Event) -> tuple[str, dt.date] | None:
    if isinstance(e, _ENTRY) and p.assessment is not None:
        return ("assessment", p.assessment.on)
    if isinstance(e, _EXIT) and p.exit_proposal is not None:
        return ("exit proposal", p.exit_proposal.on)
    if isinstance(e, Reassessed):
        return ("assessment", e.assessment.on)
    return None


def _eligibility(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, Admitted)
    if p.eligibility.eligible or e.decision.derogation is not None:
        return None
    unmet = ", ".join(c.label_fr for c in p.eligibility.unmet)
    return (
        f"the child did not meet the criteria in force on {p.eligibility.on} ({unmet}) "
        "and the decision records no derogation"
    )


def _referent(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, _NAMING_A_REFERENT)
    referent = p.programme.referent(e.referent_id)
    if referent is None:
        known = ", ".join(r.id for r in p.programme.referents) or "none declared"
        return f"{e.referent_id!r} is not a referent of the programme (referents: {known})"
    on = e.on
    if not referent.in_post(on):
        since = "" if referent.joined_on is None else f" from {referent.joined_on}"
        until = "" if referent.left_on is None else f" to {referent.left_on}"
        return f"{e.referent_id!r} is not in post on {on} (in post{since}{until})"
    if isinstance(e, ReferentChanged) and e.referent_id == p.referent_id:
        return f"{e.referent_id!r} is already the referent"
    return None


def _active_plan(p: Pathway, e: Event) -> str | None:
    if p.referent_id is None:
        return "no referent has been named"
    for objective in p.objectives:  # a plain loop: checked on every event in progress
        if objective.status is not ObjectiveStatus.DROPPED:
            return None
    return "the plan has no objective (at least one is required)"


def _keeps_an_objective(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, ObjectiveUpdated)
    if p.state is not State.ACTIVE or e.status is not ObjectiveStatus.DROPPED:
        return None
    live = [o.id for o in p.objectives if o.status is not ObjectiveStatus.DROPPED]
    if live == [e.objective_id]:
        return (
            f"dropping {e.objective_id!r} would leave the active pathway without an "
            "objective: set another objective first, or propose the exit"
        )
    return None


def _unique_objective(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, _ADDING_OBJECTIVES)
    for objective in (e.objective,) if isinstance(e, ObjectiveSet) else e.objectives:
        if p.objective(objective.id) is not None:
            return f"an objective with id {objective.id!r} already exists"
    return None


def _known_objective(p: Pathway, e: Event) -> str | None:
    if isinstance(e, ObjectiveUpdated):
        ids: tuple[str, ...] = (e.objective_id,)
    else:
        assert isinstance(e, ActionPlanned)
        ids = e.action.objective_ids
    for objective_id in ids:  # every id known, the common case, decided without a list
        if p.objective(objective_id) is None:
            unknown = [i for i in ids if p.objective(i) is None]
            known = ", ".join(o.id for o in p.objectives) or "none yet"
            return f"unknown objective(s) {', '.join(unknown)} (objectives: {known})"
    return None


def _unique_action(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, ActionPlanned)
    if p.action(e.action.id) is not None:
        return f"an action with id {e.action.id!r} already exists"
    return None


def _action_inside(p: Pathway, e: Event) -> str | None:
    if isinstance(e, ActionPlanned):
        assert p.started_on is not None  # the table only allows it once started
        if e.action.start < p.started_on:
            return f"action starts on {e.action.start}, before the pathway ({p.started_on})"
        if e.action.cancelled:
            return (
                f"action {e.action.id!r} is planned already cancelled: the lifecycle cancels "
                "the actions that had not started when the pathway ends"
            )
        return None
    assert isinstance(e, ActionEnded)
    action = p.action(e.action_id)
    if action is None:
        known = ", ".join(a.id for a in p.actions) or "none yet"
        return f"unknown action {e.action_id!r} (actions: {known})"
    if action.end is not None and action.end <= e.on:
        return f"action {action.id!r} already ended on {action.end}"
    if e.on < action.start:
        return f"action {action.id!r} cannot end on {e.on}, before it starts ({action.start})"
    return None


def _exit_attainment(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, ExitValidated)
    derived = _attainment_of(p.objectives)
    if e.attainment is derived or e.decision.justification is not None:
        return None
    return (
        f"the objectives imply {derived.value!r} ({derived.label_fr}), not "
        f"{e.attainment.value!r}; the EPS decision must justify the difference in writing"
    )


def _chronology(p: Pathway, e: Event) -> str | None:
    last_fact = p.facts[-1]  # the fold keeps the last fact (replay: only it)
    last = last_fact.on  # the pathway's last_event_on
    if e.on < last:
        return f"dated {e.on}, before the previous event ({last})"
    recorded = e.recorded_on
    if recorded is None:  # not known: recorded after the previous event, as appended
        return None
    if recorded < e.on:
        return f"recorded on {recorded}, before it happened ({e.on})"
    previous = last_fact.known_from
    if recorded < previous:
        return (
            f"recorded on {recorded}, before the previous event was recorded ({previous}): "
            "events are recorded in their order"
        )
    return None


def _born_before_referral(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, Referred)
    if e.recorded_on is not None and e.recorded_on < e.on:
        return f"recorded on {e.recorded_on}, before the referral it records ({e.on})"
    if e.child.birth_date > e.on:
        return (
            f"the referral is dated {e.on}, before the child's birth date: a child is "
            "referred once born (check both dates)"
        )
    return None


def _family_id(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, Referred)
    if e.child.family_id != e.family.id:
        return (
            f"child {e.child.id!r} belongs to family {e.child.family_id!r}, but the referral "
            f"names family {e.family.id!r}"
        )
    return None


def _not_itself(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, Referred)
    if e.previous_pathway_id == e.pathway_id:
        return f"pathway {e.pathway_id!r} names itself as the earlier pathway"
    return None


_RESERVED_REASONS: Mapping[ExitReason, type[ConsentWithdrawn | ContactLost]] = {
    ExitReason.FAMILY_WITHDRAWAL: ConsentWithdrawn,
    ExitReason.LOST_CONTACT: ContactLost,
}
"""Exit reasons that an event of their own records: never proposed."""


def _exit_reason(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, ExitProposed)
    recorded_by = _RESERVED_REASONS.get(e.reason)
    if recorded_by is not None:
        return (
            f"{e.reason.value!r} is recorded by the {recorded_by.tag!r} event "
            f"({recorded_by.label_fr}), not proposed"
        )
    if e.reason is ExitReason.AGE_LIMIT:
        limit = p.programme.rules.at(e.on).max_age
        age = age_on(p.child.birth_date, e.on)
        if age < limit:
            return (
                f"the child is {age} on {e.on}, under the programme's age limit ({limit}, "
                "max_age in force): choose another reason"
            )
    return None


def _correction(p: Pathway, e: Event) -> str | None:
    assert isinstance(e, Corrected)
    version = e.corrected_version
    if version > p.version:
        return f"version {version} does not exist: pathway {p.id!r} is at version {p.version}"
    target = p.history[version - 1]
    replacement = e.replacement
    if type(target) is Corrected:
        if replacement is not None:
            return (
                f"version {version} is a correction: a correction is only voided "
                f"(replacement None); to change the fact, correct version "
                f"{target.corrected_version} again"
            )
    elif version == 1:
        if type(replacement) is not Referred or replacement.pathway_id != p.id:
            return (
                "version 1 is the referral, which is never voided: its replacement is a "
                f"referral of the same pathway ({p.id!r})"
            )
    elif type(replacement) is Referred:
        return f"a referral only replaces version 1, not version {version} ({target.tag})"
    if replacement is not None and replacement.recorded_on is not None:
        return (
            "a replacement is recorded with its correction: leave its recorded_on empty "
            "(the correction's recorded_on says when)"
        )
    latest = max(target.on, replacement.on) if replacement is not None else target.on
    if e.on < latest:
        return f"recorded on {e.on}, before the event it corrects ({latest})"
    current = in_force(p.history).get(version, target)
    if replacement == current:
        return f"version {version} is already recorded so: the correction changes nothing"
    return None


def _rule(code: str, check: Check) -> tuple[Rule, Check]:
    return (RULES[code], check)


_CONSENT = _rule("R-CONSENT-FIRST", _consent_in_force)
_EPS = _rule("R-EPS-DECISION", _eps_decision)
_UNIQUE_OBJECTIVE = _rule("R-UNIQUE-ID", _unique_objective)

CHECKS: Mapping[type[Event], tuple[tuple[Rule, Check], ...]] = MappingProxyType(
    {
        Referred: (
            _rule("R-CHRONOLOGY", _born_before_referral),
            _rule("R-FAMILY-ID", _family_id),
            _rule("R-REENTRY", _not_itself),
        ),
        ConsentGiven: (
            _rule("R-CONSENT-GUARDIAN", _consent_guardian),
            _rule("R-UNIQUE-ID", _unique_consent),
        ),
        ConsentWithdrawn: (_rule("R-CONSENT-GUARDIAN", _consent_guardian),),
        FamilyRefused: (),
        Assessed: (_CONSENT,),
        Admitted: (
            _EPS,
            _CONSENT,
            _rule("R-ELIGIBILITY", _eligibility),
            _rule("R-REFERENT", _referent),
        ),
        Redirected: (_EPS,),
        DeclaredIneligible: (),
        Started: (),
        ObjectiveSet: (_CONSENT, _UNIQUE_OBJECTIVE),
        ObjectiveUpdated: (
            _rule("R-KNOWN-REFERENCE", _known_objective),
            _rule("R-ACTIVE-PLAN", _keeps_an_objective),
        ),
        ActionPlanned: (
            _CONSENT,
            _rule("R-CONSENT-FIRST", _action_covered),
            _rule("R-UNIQUE-ID", _unique_action),
            _rule("R-KNOWN-REFERENCE", _known_objective),
            _rule("R-ACTION-INSIDE", _action_inside),
        ),
        ActionEnded: (_rule("R-ACTION-INSIDE", _action_inside),),
        Reviewed: (),
        ReferentChanged: (_rule("R-REFERENT", _referent),),
        ExitProposed: (_rule("R-EXIT-REASON", _exit_reason),),
        ExitRejected: (_EPS,),
        ExitValidated: (_EPS, _rule("R-EXIT-ATTAINMENT", _exit_attainment)),
        ContactLost: (),
        HandedOver: (),
        Suspended: (),
        Resumed: (),
        SituationChanged: (),
        Reassessed: (_EPS, _CONSENT, _UNIQUE_OBJECTIVE),
        Corrected: (_rule("R-CORRECTION", _correction),),
    }
)
"""For each event type, the rules it must satisfy (checked in this order).

A :class:`~reussite.events.Referred` is checked when it opens the pathway; a
:class:`~reussite.events.Corrected` before the corrected history is replayed."""

REQUIREMENTS: Mapping[State, tuple[tuple[Rule, Check], ...]] = MappingProxyType(
    {State.ACTIVE: (_CONSENT, _rule("R-ACTIVE-PLAN", _active_plan))}
)
"""The rules that hold of a state: checked on every event that leads to it or keeps the
pathway in it, after the event's own rules (a pathway in progress has the family's
consent in force, a referent and an objective)."""

CHRONOLOGY: tuple[Rule, Check] = _rule("R-CHRONOLOGY", _chronology)
"""Checked on every event, after the event's own rules and its target state's."""
