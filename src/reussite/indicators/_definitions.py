"""The indicator definitions, as data: what each figure counts, over what, in which unit."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType

import attrs

from .. import _validate as v
from .._enum import LabelledEnum

__all__ = [
    "INDICATORS",
    "NOT_APPLICABLE",
    "AgeBand",
    "Indicator",
    "Kind",
    "NotApplicable",
    "PriorityArea",
    "Unit",
]


class NotApplicable(enum.Enum):
    """The value of a figure whose denominator is empty (*sans objet*).

    It is distinct from 0 and from 0 %: nothing was there to count. Reports print it
    ``"n.a."`` (English) or ``"sans objet"`` (French); JSON carries ``null`` with the
    status ``"not_applicable"``.

    >>> NOT_APPLICABLE.label_fr, str(NOT_APPLICABLE), bool(NOT_APPLICABLE)
    ('sans objet', 'n.a.', False)
    """

    NOT_APPLICABLE = "not_applicable"

    @property
    def label_fr(self) -> str:
        """``"sans objet"``."""
        return "sans objet"

    def __str__(self) -> str:
        return "n.a."

    def __bool__(self) -> bool:
        return False


NOT_APPLICABLE = NotApplicable.NOT_APPLICABLE
"""The single "not applicable" value (see :class:`NotApplicable`)."""


class Kind(LabelledEnum):
    """How a figure is computed from its numerator and denominator (*type d'indicateur*)."""

    COUNT = ("count", "effectif")
    SHARE = ("share", "part (%)")
    RATIO = ("ratio", "ratio")
    MEAN = ("mean", "moyenne")
    MEDIAN = ("median", "médiane")


class Unit(LabelledEnum):
    """What a figure counts or measures (*unité*)."""

    CHILDREN = ("children", "enfants")
    PATHWAYS = ("pathways", "parcours")
    REFERRALS = ("referrals", "orientations")
    ACTIONS = ("actions", "actions")
    EXITS = ("exits", "sorties")
    OBJECTIVES = ("objectives", "objectifs")
    MONTHS = ("months", "mois")
    DAYS = ("days", "jours")
    CHILDREN_PER_FTE = ("children_per_fte", "enfants par ETP de référent")
    FAMILIES = ("families", "familles")


class AgeBand(LabelledEnum):
    """Age bands of the profile tables (*tranche d'âge*), age in whole years at referral."""

    UNDER_2 = ("0-1", "moins de 2 ans")
    FROM_2_TO_5 = ("2-5", "2 à 5 ans")
    FROM_6_TO_10 = ("6-10", "6 à 10 ans")
    FROM_11_TO_15 = ("11-15", "11 à 15 ans")
    FROM_16 = ("16+", "16 ans et plus")

    @classmethod
    def of(cls, age: int) -> AgeBand:
        """The band of an age in whole years.

        >>> AgeBand.of(10).label_fr, AgeBand.of(11).label_fr
        ('6 à 10 ans', '11 à 15 ans')
        """
        if age < 2:
            return cls.UNDER_2
        if age <= 5:
            return cls.FROM_2_TO_5
        if age <= 10:
            return cls.FROM_6_TO_10
        if age <= 15:
            return cls.FROM_11_TO_15
        return cls.FROM_16


class PriorityArea(LabelledEnum):
    """Whether a child lives in a QPV and/or attends a REP/REP+ school (*géographie prioritaire*).

    As judged at referral (:class:`~reussite.programme.Eligibility`): a child "lives in a
    QPV" when the child's QPV is one of the territory's in force on the referral date;
    "attends REP" when the school is REP or REP+.
    """

    QPV_AND_REP = ("qpv_and_rep", "QPV et REP/REP+")
    QPV_ONLY = ("qpv_only", "QPV seulement")
    REP_ONLY = ("rep_only", "REP/REP+ seulement")
    NEITHER = ("neither", "ni QPV ni REP/REP+")

    @classmethod
    def of(cls, *, in_qpv: bool, in_rep: bool) -> PriorityArea:
        """The category of a child from the two flags.

        >>> PriorityArea.of(in_qpv=True, in_rep=False).label_fr
        'QPV seulement'
        """
        if in_qpv:
            return cls.QPV_AND_REP if in_rep else cls.QPV_ONLY
        return cls.REP_ONLY if in_rep else cls.NEITHER


@attrs.frozen(kw_only=True)
class Indicator:
    """A named, written definition of one figure of the annual report (*indicateur*).

    Attributes:
        id: stable identifier (``"children_followed"``), used by files and code.
        label_fr: what French reports print.
        description: what it measures, in English.
        numerator: what is counted above the line (or summed, for a mean).
        denominator: what it is divided by (``None`` for a plain count); an empty
            denominator gives :data:`NOT_APPLICABLE`, never 0 %.
        unit: what the numerator counts or the value measures.
        kind: count, share (in %, 0 to 100), ratio, mean or median.
        in_period: what counts in the reporting period, in words.
        breakdown: the categories the figure is split by (``None`` when it is one number):
            one figure per category, sharing the denominator.
        version: the definition's version; it changes whenever the meaning does.
    """

    id: str = attrs.field(validator=v.IDENTIFIER)
    label_fr: str = attrs.field(validator=v.text())
    description: str = attrs.field(validator=v.text())
    numerator: str = attrs.field(validator=v.text())
    denominator: str | None = attrs.field(validator=v.optional(v.text()))
    unit: Unit = attrs.field(validator=v.member(Unit))
    kind: Kind = attrs.field(validator=v.member(Kind))
    in_period: str = attrs.field(validator=v.text())
    breakdown: str | None = attrs.field(default=None, validator=v.optional(v.text()))
    version: int = attrs.field(default=1, validator=v.integer(min_value=1))


_FOLLOWED = (
    "a child is followed in the period when one of their pathways was admitted by the EPS "
    "(entrée validée) and its span, from the admission date to its end (exit, handover) or "
    "to the as-of date while it is still open, shares at least one day with the period; "
    "a pathway that ended before it started (not taken on: refusal, withdrawal or lost "
    "contact before the start, parcours non pris en charge) was never followed; a child "
    "with several pathways counts once"
)
_LATEST = (
    "the child's attributes are those of their latest pathway followed in the period "
    "(latest referral date, then pathway id), as known at that referral: residence, school "
    "level and priority area at referral (a later change of situation, situation_changed, "
    "does not move the child between categories); age is in whole years on that referral "
    "date"
)
_ACTIONS = (
    "actions of any pathway that are not cancelled and whose span, from start to end (or "
    "to the pathway's end or the as-of date while running), shares a day with the period"
)
_EXITS = "pathways whose exit (sortie, including a withdrawal of consent) is dated in the period"
_REFERRALS = "pathways whose referral (orientation) is dated in the period"


_ALL = (
    Indicator(
        id="children_followed",
        label_fr="Enfants suivis",
        description="Children followed in the period; one child counts once.",
        numerator="distinct children followed in the period",
        denominator=None,
        unit=Unit.CHILDREN,
        kind=Kind.COUNT,
        in_period=_FOLLOWED,
        version=2,
    ),
    Indicator(
        id="children_by_commune",
        label_fr="Enfants suivis par commune de résidence",
        description="Share of the children followed living in each commune (INSEE code).",
        numerator="children followed living in the commune",
        denominator="children followed",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_LATEST}",
        breakdown="commune of residence (INSEE code)",
        version=2,
    ),
    Indicator(
        id="children_per_referent_fte",
        label_fr="Enfants suivis par référent temps plein",
        description=(
            "Children followed in the period per full-time-equivalent referent (the "
            "seed's simple ratio): the referent FTE in force on the period's last day (or "
            "the as-of date, if earlier), summed over the programmes in the data, not "
            "prorated over the period; see caseload_per_referent_fte for the caseload."
        ),
        numerator="children followed",
        denominator="referent FTE in force on the period's last day (or the as-of date)",
        unit=Unit.CHILDREN_PER_FTE,
        kind=Kind.RATIO,
        in_period=_FOLLOWED,
        version=2,
    ),
    Indicator(
        id="caseload_per_referent_fte",
        label_fr="File active moyenne par référent temps plein",
        description=(
            "Time-weighted caseload: the mean number of children followed at a time per "
            "full-time-equivalent referent over the period (to the as-of date, if "
            "earlier), from the referents' dated FTE (joined, left, working time changed) "
            "and each pathway's days followed (admission to end, calendar time, suspended "
            "days included). A child whose referent left counts until a change of "
            "referent is recorded (those days are shown apart, per referent, in "
            "Report.caseloads(), and left out of that referent's own ratio)."
        ),
        numerator="child-days followed in the period (each day of each pathway followed)",
        denominator="referent FTE-days in the period (each referent's FTE, day by day)",
        unit=Unit.CHILDREN_PER_FTE,
        kind=Kind.RATIO,
        in_period=_FOLLOWED,
    ),
    Indicator(
        id="finished_pathway_duration_mean",
        label_fr="Durée moyenne du parcours fini",
        description=(
            "Mean duration of the pathways finished in the period, from the EPS admission "
            "date (entrée validée) to the exit date, in whole calendar months (mois "
            "révolus, relativedelta); time suspended (parcours suspendu) is included: the "
            "duration is calendar time."
        ),
        numerator="sum of the durations in whole months",
        denominator="exits in the period",
        unit=Unit.MONTHS,
        kind=Kind.MEAN,
        in_period=_EXITS,
    ),
    Indicator(
        id="finished_pathway_duration_median",
        label_fr="Durée médiane du parcours fini",
        description=(
            "Median duration of the pathways finished in the period, admission to exit, "
            "in whole calendar months (the mean of the two middle values when even)."
        ),
        numerator="none (the middle duration)",
        denominator="exits in the period",
        unit=Unit.MONTHS,
        kind=Kind.MEDIAN,
        in_period=_EXITS,
    ),
    Indicator(
        id="finished_pathway_duration_exact_mean",
        label_fr="Durée moyenne exacte du parcours fini (mois)",
        description=(
            "Mean duration of the pathways finished in the period, from the EPS admission "
            "to the exit, in exact months: days divided by 30.4375 (365.25 / 12), not "
            "rounded down to whole months."
        ),
        numerator="sum of the durations in exact months",
        denominator="exits in the period",
        unit=Unit.MONTHS,
        kind=Kind.MEAN,
        in_period=_EXITS,
    ),
    Indicator(
        id="finished_pathway_duration_days_mean",
        label_fr="Durée moyenne du parcours fini (jours)",
        description="Mean duration of the pathways finished in the period, in days.",
        numerator="sum of the durations in days (admission to exit)",
        denominator="exits in the period",
        unit=Unit.DAYS,
        kind=Kind.MEAN,
        in_period=_EXITS,
    ),
    Indicator(
        id="finished_pathway_duration_days_median",
        label_fr="Durée médiane du parcours fini (jours)",
        description=(
            "Median duration of the pathways finished in the period, in days (the mean of "
            "the two middle values when even)."
        ),
        numerator="none (the middle duration)",
        denominator="exits in the period",
        unit=Unit.DAYS,
        kind=Kind.MEDIAN,
        in_period=_EXITS,
    ),
    Indicator(
        id="individual_pathways",
        label_fr="Parcours individualisés",
        description=(
            "Share of the children followed who had at least one individual action "
            "(action individuelle) among those who had any action in the period."
        ),
        numerator="children followed with an individual action in the period",
        denominator="children followed with at least one action in the period",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_ACTIONS}",
        version=2,
    ),
    Indicator(
        id="actions_out_of_school_time",
        label_fr="Actions hors temps scolaire",
        description="Share of the actions in the period held out of school time.",
        numerator="actions out of school time",
        denominator="actions in the period",
        unit=Unit.ACTIONS,
        kind=Kind.SHARE,
        in_period=_ACTIONS,
    ),
    Indicator(
        id="referral_sources",
        label_fr="Enfants suivis selon le partenaire orienteur",
        description="Share of the children followed by who referred them.",
        numerator="children followed referred by the source",
        denominator="children followed",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_LATEST}",
        breakdown="referral source (partenaire orienteur)",
        version=2,
    ),
    Indicator(
        id="family_refusal_rate",
        label_fr="Familles refusant le dispositif",
        description=(
            "Share of the referrals of the period where the family declined the PRE "
            "before agreeing (refus de la famille; a later withdrawal is not a refusal)."
        ),
        numerator="referrals of the period ended by the family's refusal",
        denominator="referrals of the period",
        unit=Unit.REFERRALS,
        kind=Kind.SHARE,
        in_period=_REFERRALS,
    ),
    Indicator(
        id="family_refusal_rate_families",
        label_fr="Familles refusant le dispositif (par famille)",
        description=(
            "Share of the families with a referral in the period who declined the PRE for "
            "at least one of them (a family referred for two children counts once)."
        ),
        numerator="families of the period's referrals with a refusal among them",
        denominator="distinct families of the period's referrals",
        unit=Unit.FAMILIES,
        kind=Kind.SHARE,
        in_period=_REFERRALS,
    ),
    Indicator(
        id="referrals_by_source",
        label_fr="Orientations reçues selon le partenaire orienteur",
        description=(
            "Share of the referrals received in the period by who made them, whatever "
            "became of them (referral_sources counts the children followed instead)."
        ),
        numerator="referrals of the period from the source",
        denominator="referrals of the period",
        unit=Unit.REFERRALS,
        kind=Kind.SHARE,
        in_period=_REFERRALS,
        breakdown="referral source (partenaire orienteur)",
    ),
    Indicator(
        id="actions_by_funding",
        label_fr="Actions selon le financement",
        description="Share of the actions in the period that are mainstream or PRE-funded.",
        numerator="actions of the period with this funding",
        denominator="actions in the period",
        unit=Unit.ACTIONS,
        kind=Kind.SHARE,
        in_period=_ACTIONS,
        breakdown="funding (droit commun / réussite éducative)",
    ),
    Indicator(
        id="exits_by_attainment",
        label_fr="Sorties selon l'atteinte des résultats",
        description="Share of the exits of the period by attainment (complete, partial, none).",
        numerator="exits of the period with this attainment",
        denominator="exits in the period",
        unit=Unit.EXITS,
        kind=Kind.SHARE,
        in_period=_EXITS,
        breakdown="attainment (atteinte des résultats)",
    ),
    Indicator(
        id="exits_satisfactory_evolution",
        label_fr="Sorties avec une évolution satisfaisante",
        description=(
            "Share of the exits of the period whose situation evolved satisfactorily, "
            "among those where the EPS assessed it (a withdrawal of consent is not assessed)."
        ),
        numerator="exits of the period assessed as a satisfactory evolution",
        denominator="exits of the period whose evolution was assessed",
        unit=Unit.EXITS,
        kind=Kind.SHARE,
        in_period=_EXITS,
    ),
    Indicator(
        id="children_by_sex",
        label_fr="Enfants suivis selon le sexe",
        description="Share of the children followed by recorded sex.",
        numerator="children followed of this sex",
        denominator="children followed",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_LATEST}",
        breakdown="sex",
        version=2,
    ),
    Indicator(
        id="children_by_age_band",
        label_fr="Enfants suivis selon l'âge à l'orientation",
        description="Share of the children followed by age band on the referral date.",
        numerator="children followed in this age band",
        denominator="children followed",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_LATEST}",
        breakdown="age band (0-1, 2-5, 6-10, 11-15, 16+)",
        version=2,
    ),
    Indicator(
        id="children_by_school_level",
        label_fr="Enfants suivis selon le niveau scolaire",
        description=(
            "Share of the children followed by school stage at referral "
            "(maternelle, élémentaire, collège, lycée, not schooled)."
        ),
        numerator="children followed at this school stage",
        denominator="children followed",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_LATEST}",
        breakdown="school level group",
        version=2,
    ),
    Indicator(
        id="children_by_priority_area",
        label_fr="Enfants suivis selon la géographie prioritaire",
        description="Share of the children followed living in a QPV and/or schooled in REP/REP+.",
        numerator="children followed in this category",
        denominator="children followed",
        unit=Unit.CHILDREN,
        kind=Kind.SHARE,
        in_period=f"{_FOLLOWED}; {_LATEST}",
        breakdown="QPV / REP category",
        version=2,
    ),
    Indicator(
        id="objectives_by_domain",
        label_fr="Objectifs selon le domaine",
        description=(
            "Share of the objectives of the pathways followed in the period, by domain, as "
            "they stood on the period's last day (or the as-of date, if earlier): an "
            "objective set later does not count, one dropped later does."
        ),
        numerator="objectives in the domain",
        denominator="objectives of the pathways followed in the period",
        unit=Unit.OBJECTIVES,
        kind=Kind.SHARE,
        in_period=(
            "objectives set by the period's last day (or the as-of date) and not dropped "
            "on that day, of every pathway followed in the period"
        ),
        breakdown="objective domain",
        version=2,
    ),
    Indicator(
        id="exits_by_reason",
        label_fr="Sorties selon le motif",
        description="Share of the exits of the period by coded reason (motif de sortie).",
        numerator="exits of the period with this reason",
        denominator="exits in the period",
        unit=Unit.EXITS,
        kind=Kind.SHARE,
        in_period=_EXITS,
        breakdown="exit reason",
    ),
    Indicator(
        id="delay_referral_to_consent_mean",
        label_fr="Délai moyen orientation → accord de la famille",
        description="Mean days from the referral to the family's first consent.",
        numerator="sum of the delays in days",
        denominator="pathways whose first consent is dated in the period",
        unit=Unit.DAYS,
        kind=Kind.MEAN,
        in_period="pathways whose first consent (accord) is dated in the period",
    ),
    Indicator(
        id="delay_referral_to_consent_median",
        label_fr="Délai médian orientation → accord de la famille",
        description="Median days from the referral to the family's first consent.",
        numerator="none (the middle delay)",
        denominator="pathways whose first consent is dated in the period",
        unit=Unit.DAYS,
        kind=Kind.MEDIAN,
        in_period="pathways whose first consent (accord) is dated in the period",
    ),
    Indicator(
        id="delay_consent_to_decision_mean",
        label_fr="Délai moyen accord → décision d'entrée de l'EPS",
        description="Mean days from the family's first consent to the EPS admission.",
        numerator="sum of the delays in days",
        denominator="pathways admitted in the period",
        unit=Unit.DAYS,
        kind=Kind.MEAN,
        in_period="pathways whose EPS admission (entrée validée) is dated in the period",
    ),
    Indicator(
        id="delay_consent_to_decision_median",
        label_fr="Délai médian accord → décision d'entrée de l'EPS",
        description="Median days from the family's first consent to the EPS admission.",
        numerator="none (the middle delay)",
        denominator="pathways admitted in the period",
        unit=Unit.DAYS,
        kind=Kind.MEDIAN,
        in_period="pathways whose EPS admission (entrée validée) is dated in the period",
    ),
    Indicator(
        id="delay_decision_to_start_mean",
        label_fr="Délai moyen décision d'entrée → démarrage",
        description="Mean days from the EPS admission to the start of the pathway.",
        numerator="sum of the delays in days",
        denominator="pathways started in the period",
        unit=Unit.DAYS,
        kind=Kind.MEAN,
        in_period="pathways whose start (démarrage) is dated in the period",
    ),
    Indicator(
        id="delay_decision_to_start_median",
        label_fr="Délai médian décision d'entrée → démarrage",
        description="Median days from the EPS admission to the start of the pathway.",
        numerator="none (the middle delay)",
        denominator="pathways started in the period",
        unit=Unit.DAYS,
        kind=Kind.MEDIAN,
        in_period="pathways whose start (démarrage) is dated in the period",
    ),
    Indicator(
        id="reviews_overdue",
        label_fr="Parcours en cours sans bilan dans le délai",
        description=(
            "Share of the pathways in progress on the as-of date whose last review (or "
            "start, if none) is older than the programme's review interval in force then "
            "(ProgrammeRules.review_interval_months): a snapshot on the as-of date. A "
            "suspended pathway (parcours suspendu) is not in progress while paused."
        ),
        numerator="pathways in progress with a review overdue on the as-of date",
        denominator=("pathways in progress (started, not ended, not suspended) on the as-of date"),
        unit=Unit.PATHWAYS,
        kind=Kind.SHARE,
        in_period="pathways in progress on the as-of date, whatever the period",
        version=2,
    ),
    Indicator(
        id="handovers_child_protection",
        label_fr="Passages de relais à la protection de l'enfance",
        description=(
            "Handovers to child protection (CRIP, ASE, prosecutor; CASF L.226-2-1) dated "
            "in the period, from any open state."
        ),
        numerator="handovers to child protection in the period",
        denominator=None,
        unit=Unit.PATHWAYS,
        kind=Kind.COUNT,
        in_period="pathways handed over to child protection on a date in the period",
    ),
    Indicator(
        id="referrals_received",
        label_fr="Orientations reçues",
        description="Referrals dated in the period, whatever became of them.",
        numerator="referrals of the period",
        denominator=None,
        unit=Unit.REFERRALS,
        kind=Kind.COUNT,
        in_period=_REFERRALS,
    ),
    Indicator(
        id="entries",
        label_fr="Entrées dans la période",
        description="Pathways admitted by the EPS (entrée validée) on a date in the period.",
        numerator="pathways admitted in the period",
        denominator=None,
        unit=Unit.PATHWAYS,
        kind=Kind.COUNT,
        in_period="pathways whose EPS admission is dated in the period",
    ),
    Indicator(
        id="exits",
        label_fr="Sorties dans la période",
        description="Pathways that exited on a date in the period (handovers not included).",
        numerator="exits in the period",
        denominator=None,
        unit=Unit.EXITS,
        kind=Kind.COUNT,
        in_period=_EXITS,
    ),
)

INDICATORS: Mapping[str, Indicator] = MappingProxyType({i.id: i for i in _ALL})
"""Every indicator of the annual report by id, in the order reports print them."""
