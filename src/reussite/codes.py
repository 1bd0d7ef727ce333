"""Coded values of the PRE (nomenclatures), each with its official French label.

Wire values (``.value``) are stable English identifiers carried by files and JSON;
``.label_fr`` is what reports for practitioners print.

>>> from reussite.codes import ReferralSource
>>> ReferralSource.EDUCATION_NATIONALE.label_fr
'Éducation nationale'
>>> ReferralSource("education_nationale") is ReferralSource.EDUCATION_NATIONALE
True
"""

from __future__ import annotations

from ._enum import LabelledEnum

__all__ = [
    "ActionFunding",
    "ActionKind",
    "ActionTiming",
    "Attainment",
    "ExitReason",
    "HandoverRecipient",
    "NotTakenOnReason",
    "ObjectiveDomain",
    "ObjectiveStatus",
    "PriorityEducation",
    "ReferralReason",
    "ReferralSource",
    "SchoolLevel",
    "SchoolLevelGroup",
    "Sex",
    "SuspensionReason",
]


class Sex(LabelledEnum):
    """A child's sex as recorded (*sexe*)."""

    FEMALE = ("F", "fille")
    MALE = ("M", "garçon")
    UNKNOWN = ("U", "non renseigné")


class SchoolLevelGroup(LabelledEnum):
    """The coarse school stage used in national figures (*cycle*)."""

    NOT_SCHOOLED = ("not_schooled", "non scolarisé")
    MATERNELLE = ("maternelle", "maternelle")
    ELEMENTAIRE = ("elementaire", "élémentaire")
    COLLEGE = ("college", "collège")
    LYCEE = ("lycee", "lycée")


class SchoolLevel(LabelledEnum):
    """A child's class (*niveau scolaire*); :attr:`group` gives its stage.

    >>> SchoolLevel.CM2.group.label_fr
    'élémentaire'
    """

    NOT_SCHOOLED = ("not_schooled", "non scolarisé")
    TPS = ("TPS", "toute petite section")
    PS = ("PS", "petite section")
    MS = ("MS", "moyenne section")
    GS = ("GS", "grande section")
    CP = ("CP", "cours préparatoire")
    CE1 = ("CE1", "cours élémentaire 1")
    CE2 = ("CE2", "cours élémentaire 2")
    CM1 = ("CM1", "cours moyen 1")
    CM2 = ("CM2", "cours moyen 2")
    SIXIEME = ("6e", "sixième")
    CINQUIEME = ("5e", "cinquième")
    QUATRIEME = ("4e", "quatrième")
    TROISIEME = ("3e", "troisième")
    LYCEE = ("lycee", "lycée")

    @property
    def group(self) -> SchoolLevelGroup:
        """The school stage (maternelle, élémentaire, collège, lycée) of this class."""
        return _LEVEL_GROUP[self]

    @property
    def next(self) -> SchoolLevel:
        """The class a child moves up to in September (*passage dans la classe supérieure*).

        Rule: one class up (GS → CP, CM2 → 6e, 3e → lycée); a child not schooled or at the
        lycée stays where they are (the lycée is one level here).

        >>> SchoolLevel.CM2.next.label_fr, SchoolLevel.LYCEE.next.value
        ('sixième', 'lycee')
        """
        return _NEXT_LEVEL[self]


_LEVEL_GROUP = {
    SchoolLevel.NOT_SCHOOLED: SchoolLevelGroup.NOT_SCHOOLED,
    SchoolLevel.TPS: SchoolLevelGroup.MATERNELLE,
    SchoolLevel.PS: SchoolLevelGroup.MATERNELLE,
    SchoolLevel.MS: SchoolLevelGroup.MATERNELLE,
    SchoolLevel.GS: SchoolLevelGroup.MATERNELLE,
    SchoolLevel.CP: SchoolLevelGroup.ELEMENTAIRE,
    SchoolLevel.CE1: SchoolLevelGroup.ELEMENTAIRE,
    SchoolLevel.CE2: SchoolLevelGroup.ELEMENTAIRE,
    SchoolLevel.CM1: SchoolLevelGroup.ELEMENTAIRE,
    SchoolLevel.CM2: SchoolLevelGroup.ELEMENTAIRE,
    SchoolLevel.SIXIEME: SchoolLevelGroup.COLLEGE,
    SchoolLevel.CINQUIEME: SchoolLevelGroup.COLLEGE,
    SchoolLevel.QUATRIEME: SchoolLevelGroup.COLLEGE,
    SchoolLevel.TROISIEME: SchoolLevelGroup.COLLEGE,
    SchoolLevel.LYCEE: SchoolLevelGroup.LYCEE,
}


_LEVELS = list(SchoolLevel)
_NEXT_LEVEL = {
    level: level if level in (SchoolLevel.NOT_SCHOOLED, SchoolLevel.LYCEE) else _LEVELS[i + 1]
    for i, level in enumerate(_LEVELS)
}


class PriorityEducation(LabelledEnum):
    """Whether the child's school is in priority education (*éducation prioritaire*)."""

    NONE = ("none", "hors éducation prioritaire")
    REP = ("REP", "REP")
    REP_PLUS = ("REP+", "REP+")


class ReferralSource(LabelledEnum):
    """Who referred the child (*partenaire orienteur*)."""

    EDUCATION_NATIONALE = ("education_nationale", "Éducation nationale")
    DEPARTMENT_SOCIAL = ("department_social", "service social départemental (MDS)")
    PMI = ("pmi", "protection maternelle et infantile (PMI)")
    CAF = ("caf", "caisse d'allocations familiales (CAF)")
    ASE = ("ase", "aide sociale à l'enfance (ASE)")
    HEALTH_SERVICES = ("health_services", "CMP / CMPP / professionnels de santé")
    ASSOCIATION = ("association", "association")
    MUNICIPAL_SERVICE = ("municipal_service", "service municipal")
    FAMILY = ("family", "la famille elle-même")
    OTHER = ("other", "autre")


class ReferralReason(LabelledEnum):
    """Why the child was referred (*problématique repérée*)."""

    LEARNING = ("learning", "difficultés d'apprentissage")
    BEHAVIOUR = ("behaviour", "comportement")
    HEALTH_ACCESS = ("health_access", "accès aux soins")
    PSYCHOLOGICAL = ("psychological", "développement psychologique")
    FAMILY_CONTEXT = ("family_context", "contexte familial")
    SOCIO_ECONOMIC = ("socio_economic", "facteurs socio-économiques")
    ABSENTEEISM = ("absenteeism", "absentéisme / décrochage")
    LANGUAGE = ("language", "maîtrise de la langue")
    LEISURE_ACCESS = ("leisure_access", "accès aux loisirs sportifs et culturels")
    PARENTING = ("parenting", "soutien à la parentalité")
    OTHER = ("other", "autre")


class ObjectiveDomain(LabelledEnum):
    """The domain an objective belongs to (*domaine de l'objectif*)."""

    SCHOOL = ("school", "scolaire")
    EDUCATIONAL_SOCIAL = ("educational_social", "éducatif / social")
    HEALTH = ("health", "santé")
    PARENTING = ("parenting", "parentalité")
    CULTURE_SPORT = ("culture_sport", "culturel / sportif")


class ObjectiveStatus(LabelledEnum):
    """How far an objective has been reached (*état de l'objectif*)."""

    NOT_STARTED = ("not_started", "non commencé")
    IN_PROGRESS = ("in_progress", "en cours")
    PARTIALLY_MET = ("partially_met", "partiellement atteint")
    MET = ("met", "atteint")
    NOT_MET = ("not_met", "non atteint")
    DROPPED = ("dropped", "abandonné")


class Attainment(LabelledEnum):
    """A finished pathway's attainment of its objectives (*atteinte des résultats*)."""

    COMPLETE = ("complete", "atteinte complète")
    PARTIAL = ("partial", "atteinte partielle")
    NONE = ("none", "non atteints")


class ActionFunding(LabelledEnum):
    """Who provides an action (*droit commun* or *réussite éducative*)."""

    MAINSTREAM = ("mainstream", "droit commun")
    PRE_FUNDED = ("pre_funded", "réussite éducative")


class ActionKind(LabelledEnum):
    """Whether an action is individual or collective (*individuelle / collective*)."""

    INDIVIDUAL = ("individual", "individuelle")
    COLLECTIVE = ("collective", "collective")


class ActionTiming(LabelledEnum):
    """When an action takes place relative to school (*hors / sur temps scolaire*)."""

    OUT_OF_SCHOOL_TIME = ("out_of_school_time", "hors temps scolaire")
    SCHOOL_TIME = ("school_time", "sur temps scolaire")


class ExitReason(LabelledEnum):
    """The coded reason a pathway ended (*motif de sortie*)."""

    OBJECTIVES_MET = ("objectives_met", "objectifs atteints")
    RELAY_MAINSTREAM = ("relay_mainstream", "relais vers le droit commun")
    RELAY_SPECIALISED = ("relay_specialised", "relais vers un dispositif spécialisé")
    MOVED_AWAY = ("moved_away", "déménagement hors territoire")
    SCHOOL_CHANGE = ("school_change", "changement d'établissement hors périmètre")
    FAMILY_WITHDRAWAL = ("family_withdrawal", "retrait de l'accord de la famille")
    LOST_CONTACT = ("lost_contact", "perte de contact")
    AGE_LIMIT = ("age_limit", "limite d'âge")
    OTHER = ("other", "autre")


class NotTakenOnReason(LabelledEnum):
    """Why a referral never became a pathway (*situation non prise en charge*)."""

    FAMILY_REFUSED = ("family_refused", "refus de la famille")
    FAMILY_WITHDREW = ("family_withdrew", "retrait de l'accord avant l'entrée")
    EPS_REDIRECTED = ("eps_redirected", "réorientation par l'EPS")
    INELIGIBLE = ("ineligible", "hors critères")
    LOST_CONTACT = ("lost_contact", "perte de contact")


class HandoverRecipient(LabelledEnum):
    """The child-protection body a child is handed over to (*passage de relais*).

    Rule (CASF L.226-2-1): only child protection takes a handover without the family's
    consent or the EPS; a relay to another service (CMP, MDPH, mainstream support) is an
    exit the EPS validates (reasons ``relay_specialised``, ``relay_mainstream``).
    """

    CRIP = ("crip", "cellule de recueil des informations préoccupantes (CRIP)")
    ASE = ("ase", "aide sociale à l'enfance (ASE)")
    PROSECUTOR = ("prosecutor", "procureur de la République")


class SuspensionReason(LabelledEnum):
    """Why a pathway is paused (*motif de suspension du parcours*)."""

    HOSPITALISATION = ("hospitalisation", "hospitalisation de l'enfant")
    FAMILY_REQUEST = ("family_request", "demande de la famille")
    HOLIDAYS = ("holidays", "vacances scolaires")
    TEMPORARY_ABSENCE = ("temporary_absence", "absence temporaire du territoire")
    OTHER = ("other", "autre")
