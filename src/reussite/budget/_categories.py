"""The nomenclatures a budget line is classified into.

Sides, natures, charts of accounts, expense and funding categories, and the lines of
the State subsidy form CERFA 12156 (as the Dauphin portal names them). Every member
carries its French label (``.label_fr``) and, for categories, an English one
(``.label_en``) and the CERFA line it lands on by default.
"""

from __future__ import annotations

from .._enum import LabelledEnum

__all__ = [
    "CerfaLine",
    "Chart",
    "Envelope",
    "ExpenseCategory",
    "FundingCategory",
    "Nature",
    "Side",
    "Stage",
]


class Side(LabelledEnum):
    """Which side of the budget a line is on: an expense or a funding (*recette*).

    >>> Side.EXPENSE.label_fr
    'dépense'
    """

    EXPENSE = ("expense", "dépense")
    FUNDING = ("funding", "recette")


class Nature(LabelledEnum):
    """How a contribution is given: in cash (*numéraire*) or in kind (*en nature*).

    Nature is independent of who pays: a city may fund in cash or lend premises.

    >>> Nature.IN_KIND.label_fr
    'en nature'
    """

    CASH = ("cash", "numéraire")
    IN_KIND = ("in_kind", "en nature")


class Envelope(LabelledEnum):
    """Which envelope of a funder a receipt comes from (*droit commun* or *crédits spécifiques*).

    Subsidy portals ask State and local funding to be split between the funder's
    mainstream budget (*droit commun*) and the politique de la ville envelope (*crédits
    spécifiques*, *contrat de ville*): one funder can give from both ("5000 droit commun
    + 4000 cdv").

    >>> Envelope.POLITIQUE_VILLE.label_fr
    'crédits spécifiques politique de la ville (contrat de ville)'
    """

    MAINSTREAM = ("mainstream", "droit commun")
    POLITIQUE_VILLE = (
        "politique_ville",
        "crédits spécifiques politique de la ville (contrat de ville)",
    )


class Stage(LabelledEnum):
    """Whether an amount is planned or executed (*prévisionnel* or *réalisé*).

    A subsidy is requested on the forecast (CERFA 12156) and accounted for on the
    actuals (*compte rendu financier*, CERFA 15059): the two are compared, never added.

    >>> Stage.ACTUAL.label_fr
    'réalisé'
    """

    FORECAST = ("forecast", "prévisionnel")
    ACTUAL = ("actual", "réalisé")


class Chart(LabelledEnum):
    """The chart of accounts (*nomenclature comptable*) an account code belongs to.

    The same number can mean different things in different charts (``6414`` is sessional
    pay in M57 but "indemnités et avantages divers" in M14), so account rules are scoped
    by chart.

    >>> Chart.M57.label_fr
    'M57 (collectivités locales, métropoles)'
    """

    PCG = ("pcg", "Plan comptable général (PCG, CRC 99-01)")
    PCG_ASSO_2018 = ("pcg_asso_2018", "Plan comptable des associations (ANC 2018-06)")
    M57 = ("m57", "M57 (collectivités locales, métropoles)")
    M14 = ("m14", "M14 (communes, CCAS, caisses des écoles)")
    CERFA = ("cerfa_12156", "Ligne du budget CERFA 12156 (Dauphin)")
    UNKNOWN = ("unknown", "nomenclature inconnue")


class CerfaLine(LabelledEnum):
    """A line of the CERFA 12156 budget table, named by its Dauphin reference.

    ``.chapter`` is the group the line is printed under (``"60"`` … ``"87"``, or
    ``"indirect"`` and ``"own"`` for the project budget's extra blocks).

    >>> CerfaLine.STATE.value, CerfaLine.STATE.chapter
    ('74etat', '74')
    >>> CerfaLine.SERVICES.label_fr
    'Prestations de services'
    """

    # Charges
    SERVICES = ("604", "Prestations de services")
    MATERIALS = ("601", "Achats matières et fournitures")
    OTHER_SUPPLIES = ("60x", "Autres fournitures")
    RENTALS = ("613", "Locations")
    MAINTENANCE = ("615", "Entretien et réparation")
    INSURANCE = ("616", "Assurance")
    DOCUMENTATION = ("618", "Documentation")
    FEES = ("622", "Rémunérations intermédiaires et honoraires")
    COMMUNICATION = ("623", "Publicité, publication")
    TRAVEL = ("625", "Déplacements, missions")
    BANK_OTHER = ("62x", "Services bancaires, autres")
    PAYROLL_TAXES = ("631", "Impôts et taxes sur rémunération")
    OTHER_TAXES = ("635", "Autres impôts et taxes")
    SALARIES = ("641", "Rémunération des personnels")
    SOCIAL_CHARGES = ("645", "Charges sociales")
    OTHER_STAFF_COSTS = ("647", "Autres charges de personnel")
    OTHER_OPERATING = ("65x", "Autres charges de gestion courante")
    FINANCIAL = ("66x", "Charges financières")
    EXCEPTIONAL = ("67x", "Charges exceptionnelles")
    DEPRECIATION = ("68x", "Dotation aux amortissements")
    INCOME_TAX = ("69x", "Impôt sur les bénéfices ; participation des salariés")
    INDIRECT_FIXED = ("chgfixe", "Charges fixes de fonctionnement")
    INDIRECT_FINANCIAL = ("fraisfin", "Frais financiers")
    INDIRECT_OTHER = ("autchgindirect", "Autres charges indirectes")
    IN_KIND_RELIEF = ("860", "Secours en nature")
    IN_KIND_FREE_USE = ("861", "Mise à disposition gratuite de biens et services")
    IN_KIND_SERVICES_USED = ("862", "Prestations")
    IN_KIND_VOLUNTEER_STAFF = ("864", "Personnel bénévole")
    # Produits
    SALES = ("70x", "Vente de produits finis, de marchandises, prestations de services")
    PRICING = ("73x", "Dotations et produits de tarification")
    STATE = ("74etat", "État")
    REGION = ("74region", "Région(s)")
    DEPARTEMENT = ("74dep", "Département(s)")
    EPCI = ("74epci", "Intercommunalité(s) : EPCI")
    COMMUNE = ("74com", "Commune(s)")
    SOCIAL_BODIES = ("74orgasoc", "Organismes sociaux (CAF, etc.)")
    EU_FUNDS = ("74fe", "Fonds européens (FSE, FEDER, etc.)")
    ASP = ("74agenceserv", "L'agence de services et de paiement (emplois aidés)")
    PRIVATE_AID = ("74aidespriv", "Aides privées (fondation)")
    OTHER_PUBLIC = ("74x", "Autres établissements publics")
    MEMBERSHIP_FEES = ("756", "Cotisations")
    DONATIONS = ("758", "Dons manuels - Mécénat")
    OTHER_OPERATING_INCOME = ("750", "Autres produits de gestion courante")
    FINANCIAL_INCOME = ("76x", "Produits financiers")
    EXCEPTIONAL_INCOME = ("77x", "Produits exceptionnels")
    CARRY_FORWARD = ("78x", "Report de ressources affectées et non utilisées")
    EXPENSE_TRANSFERS = ("79x", "Transfert de charges")
    OWN_RESOURCES = ("RESSPROPRES", "Ressources propres affectées au projet")
    VOLUNTEERING = ("870", "Bénévolat")
    IN_KIND_SERVICES_RECEIVED = ("871", "Prestations en nature")
    IN_KIND_GIFTS = ("875", "Dons en nature")

    @property
    def chapter(self) -> str:
        """The CERFA group the line is printed under (``"64"``, ``"indirect"``, …)."""
        if self in _INDIRECT_LINES:
            return "indirect"
        if self is CerfaLine.OWN_RESOURCES:
            return "own"
        return self.value[:2]

    @property
    def side(self) -> Side:
        """Whether the line is a charge (expense) or a produit (funding)."""
        return Side.EXPENSE if self.chapter in _EXPENSE_CHAPTERS else Side.FUNDING

    @property
    def in_kind(self) -> bool:
        """Whether the line belongs to the in-kind blocks 86 (uses) or 87 (resources)."""
        return self.chapter in ("86", "87")


_INDIRECT_LINES = frozenset(
    {CerfaLine.INDIRECT_FIXED, CerfaLine.INDIRECT_FINANCIAL, CerfaLine.INDIRECT_OTHER}
)
_EXPENSE_CHAPTERS = frozenset(
    {"60", "61", "62", "63", "64", "65", "66", "67", "68", "69", "indirect", "86"}
)

#: The heading of each CERFA chapter, in the order the form prints them.
CERFA_CHAPTERS: dict[str, str] = {
    "60": "60 - Achats",
    "61": "61 - Services extérieurs",
    "62": "62 - Autres services extérieurs",
    "63": "63 - Impôts et taxes",
    "64": "64 - Charges de personnel",
    "65": "65 - Autres charges de gestion courante",
    "66": "66 - Charges financières",
    "67": "67 - Charges exceptionnelles",
    "68": "68 - Dotation aux amortissements",
    "69": "69 - Impôt sur les bénéfices ; participation des salariés",
    "indirect": "Charges indirectes affectées à l'action",
    "86": "86 - Emplois des contributions volontaires en nature",
    "70": "70 - Vente de produits finis, de marchandises, prestations de services",
    "73": "73 - Dotations et produits de tarification",
    "74": "74 - Subventions d'exploitation",
    "75": "75 - Autres produits de gestion courante",
    "76": "76 - Produits financiers",
    "77": "77 - Produits exceptionnels",
    "78": "78 - Reprises sur amortissements et provisions",
    "79": "79 - Transfert de charges",
    "own": "Ressources propres affectées au projet",
    "87": "87 - Contributions volontaires en nature",
}


class ExpenseCategory(LabelledEnum):
    """What a PRE spends on (*catégorie de dépense*).

    ``UNCLASSIFIED`` is never a silent default: it comes with the reason no rule applied.

    >>> ExpenseCategory.STAFF_SESSIONAL.label_fr
    'Personnel vacataire'
    >>> ExpenseCategory.STAFF_SESSIONAL.label_en
    'sessional staff'
    >>> ExpenseCategory.STAFF_SESSIONAL.cerfa_line
    <CerfaLine.SALARIES: '641'>
    """

    STAFF_INTERNAL = ("staff_internal", "Personnel salarié")
    STAFF_SESSIONAL = ("staff_sessional", "Personnel vacataire")
    STAFF_EXTERNAL = ("staff_external", "Personnel extérieur facturé")
    SERVICE_PROVISION = ("service_provision", "Prestations de service")
    TRAINING = ("training", "Formation de l'équipe")
    SUPPLIES = ("supplies", "Fournitures non stockées")
    DOCUMENTATION = ("documentation", "Documentation")
    IT_AND_EQUIPMENT = ("it_and_equipment", "Informatique et logiciels")
    PREMISES = ("premises", "Locaux")
    MAINTENANCE = ("maintenance", "Entretien et réparations")
    INSURANCE = ("insurance", "Assurances")
    TRAVEL = ("travel", "Déplacements et missions")
    COMMUNICATION = ("communication", "Communication")
    TELECOM_POSTAGE = ("telecom_postage", "Frais postaux et télécommunications")
    BANK_AND_OTHER_SERVICES = (
        "bank_and_other_services",
        "Services bancaires et autres",
    )
    PROFESSIONAL_FEES = ("professional_fees", "Honoraires")
    INDIVIDUAL_AID = ("individual_aid", "Aides individuelles aux familles")
    GRANTS_TO_PARTNERS = ("grants_to_partners", "Subventions aux partenaires")
    TAXES = ("taxes", "Impôts et taxes")
    OTHER_OPERATING = ("other_operating", "Autres charges de gestion courante")
    FINANCIAL = ("financial", "Charges financières")
    EXCEPTIONAL = ("exceptional", "Charges exceptionnelles")
    DEPRECIATION = ("depreciation", "Dotations aux amortissements")
    INDIRECT_COSTS = ("indirect_costs", "Charges indirectes")
    IN_KIND_STAFF = ("in_kind_staff", "Bénévolat (emploi)")
    IN_KIND_PREMISES_EQUIPMENT = (
        "in_kind_premises_equipment",
        "Mise à disposition gratuite de locaux, de matériel ou de personnel",
    )
    IN_KIND_SERVICES = ("in_kind_services", "Prestations en nature (emploi)")
    IN_KIND_RELIEF = ("in_kind_relief", "Secours en nature")
    INVESTMENT = ("investment", "Investissement (hors budget de fonctionnement)")
    UNCLASSIFIED = ("unclassified", "Non classé")

    @property
    def label_en(self) -> str:
        """The category's English name, for explanations and English reports."""
        return _EXPENSE_EN[self]

    @property
    def cerfa_line(self) -> CerfaLine | None:
        """The CERFA 12156 line the category lands on unless a rule says otherwise."""
        return _EXPENSE_CERFA.get(self)


_EXPENSE_EN: dict[ExpenseCategory, str] = {
    ExpenseCategory.STAFF_INTERNAL: "salaried staff",
    ExpenseCategory.STAFF_SESSIONAL: "sessional staff",
    ExpenseCategory.STAFF_EXTERNAL: "external staff, invoiced",
    ExpenseCategory.SERVICE_PROVISION: "services bought for children and families",
    ExpenseCategory.TRAINING: "team training",
    ExpenseCategory.SUPPLIES: "non-stocked supplies",
    ExpenseCategory.DOCUMENTATION: "documentation",
    ExpenseCategory.IT_AND_EQUIPMENT: "IT and software",
    ExpenseCategory.PREMISES: "premises",
    ExpenseCategory.MAINTENANCE: "maintenance and repairs",
    ExpenseCategory.INSURANCE: "insurance",
    ExpenseCategory.TRAVEL: "travel",
    ExpenseCategory.COMMUNICATION: "communication",
    ExpenseCategory.TELECOM_POSTAGE: "post and telecoms",
    ExpenseCategory.BANK_AND_OTHER_SERVICES: "bank and other services",
    ExpenseCategory.PROFESSIONAL_FEES: "professional fees",
    ExpenseCategory.INDIVIDUAL_AID: "aid to families",
    ExpenseCategory.GRANTS_TO_PARTNERS: "grants to partners",
    ExpenseCategory.TAXES: "taxes",
    ExpenseCategory.OTHER_OPERATING: "other operating costs",
    ExpenseCategory.FINANCIAL: "financial costs",
    ExpenseCategory.EXCEPTIONAL: "exceptional costs",
    ExpenseCategory.DEPRECIATION: "depreciation",
    ExpenseCategory.INDIRECT_COSTS: "indirect costs",
    ExpenseCategory.IN_KIND_STAFF: "volunteer work (use)",
    ExpenseCategory.IN_KIND_PREMISES_EQUIPMENT: "free use of premises, equipment or staff",
    ExpenseCategory.IN_KIND_SERVICES: "services received in kind (use)",
    ExpenseCategory.IN_KIND_RELIEF: "relief in kind",
    ExpenseCategory.INVESTMENT: "investment (outside the operating budget)",
    ExpenseCategory.UNCLASSIFIED: "unclassified",
}

_EXPENSE_CERFA: dict[ExpenseCategory, CerfaLine] = {
    ExpenseCategory.STAFF_INTERNAL: CerfaLine.SALARIES,
    ExpenseCategory.STAFF_SESSIONAL: CerfaLine.SALARIES,
    ExpenseCategory.STAFF_EXTERNAL: CerfaLine.BANK_OTHER,
    ExpenseCategory.SERVICE_PROVISION: CerfaLine.SERVICES,
    ExpenseCategory.TRAINING: CerfaLine.FEES,
    ExpenseCategory.SUPPLIES: CerfaLine.OTHER_SUPPLIES,
    ExpenseCategory.DOCUMENTATION: CerfaLine.DOCUMENTATION,
    ExpenseCategory.IT_AND_EQUIPMENT: CerfaLine.MAINTENANCE,
    ExpenseCategory.PREMISES: CerfaLine.RENTALS,
    ExpenseCategory.MAINTENANCE: CerfaLine.MAINTENANCE,
    ExpenseCategory.INSURANCE: CerfaLine.INSURANCE,
    ExpenseCategory.TRAVEL: CerfaLine.TRAVEL,
    ExpenseCategory.COMMUNICATION: CerfaLine.COMMUNICATION,
    ExpenseCategory.TELECOM_POSTAGE: CerfaLine.BANK_OTHER,
    ExpenseCategory.BANK_AND_OTHER_SERVICES: CerfaLine.BANK_OTHER,
    ExpenseCategory.PROFESSIONAL_FEES: CerfaLine.FEES,
    ExpenseCategory.INDIVIDUAL_AID: CerfaLine.OTHER_OPERATING,
    ExpenseCategory.GRANTS_TO_PARTNERS: CerfaLine.OTHER_OPERATING,
    ExpenseCategory.TAXES: CerfaLine.OTHER_TAXES,
    ExpenseCategory.OTHER_OPERATING: CerfaLine.OTHER_OPERATING,
    ExpenseCategory.FINANCIAL: CerfaLine.FINANCIAL,
    ExpenseCategory.EXCEPTIONAL: CerfaLine.EXCEPTIONAL,
    ExpenseCategory.DEPRECIATION: CerfaLine.DEPRECIATION,
    ExpenseCategory.INDIRECT_COSTS: CerfaLine.INDIRECT_FIXED,
    ExpenseCategory.IN_KIND_STAFF: CerfaLine.IN_KIND_VOLUNTEER_STAFF,
    ExpenseCategory.IN_KIND_PREMISES_EQUIPMENT: CerfaLine.IN_KIND_FREE_USE,
    ExpenseCategory.IN_KIND_SERVICES: CerfaLine.IN_KIND_SERVICES_USED,
    ExpenseCategory.IN_KIND_RELIEF: CerfaLine.IN_KIND_RELIEF,
}


class FundingCategory(LabelledEnum):
    """Who funds a PRE (*financeur*), or for resources without a funder, what they are.

    >>> FundingCategory.STATE_POLITIQUE_VILLE.label_en
    'State, politique de la ville (CGET, ANCT)'
    >>> FundingCategory.EPCI.cerfa_line
    <CerfaLine.EPCI: '74epci'>
    """

    STATE_POLITIQUE_VILLE = (
        "state_politique_ville",
        "État - politique de la ville (CGET, ANCT, préfecture)",
    )
    STATE_OTHER = ("state_other", "État - autres services (Éducation nationale, FIPD…)")
    REGION = ("region", "Région")
    DEPARTEMENT = ("departement", "Département")
    EPCI = ("epci", "Intercommunalité (métropole, communauté, EPT)")
    COMMUNE = ("commune", "Commune")
    SOCIAL_BODIES = ("social_bodies", "Organismes sociaux (CAF, MSA, CPAM)")
    EU_FUNDS = ("eu_funds", "Fonds européens")
    ASP_SUBSIDISED_JOBS = ("asp_subsidised_jobs", "ASP (emplois aidés, adultes-relais)")
    OTHER_PUBLIC_BODIES = ("other_public_bodies", "Autres établissements publics")
    PRIVATE_FUNDERS = ("private_funders", "Aides privées (fondations, mécénat)")
    OWN_RESOURCES = ("own_resources", "Ressources propres du porteur")
    USER_FEES_AND_SALES = ("user_fees_and_sales", "Participation des familles, ventes")
    COST_RECOVERY = ("cost_recovery", "Remboursements de frais (hors financement)")
    OTHER_INCOME = ("other_income", "Autres produits")
    VOLUNTEERING = ("volunteering", "Bénévolat")
    IN_KIND_SERVICES = ("in_kind_services", "Prestations en nature")
    IN_KIND_GOODS = ("in_kind_goods", "Dons en nature")
    UNCLASSIFIED = ("unclassified", "Non classé")

    @property
    def label_en(self) -> str:
        """The category's English name, for explanations and English reports."""
        return _FUNDING_EN[self]

    @property
    def cerfa_line(self) -> CerfaLine | None:
        """The CERFA 12156 line the category lands on unless a rule says otherwise."""
        return _FUNDING_CERFA.get(self)

    @property
    def is_state(self) -> bool:
        """Whether the funder is the State (any ministry), for the State share."""
        return self in (
            FundingCategory.STATE_POLITIQUE_VILLE,
            FundingCategory.STATE_OTHER,
        )


_FUNDING_EN: dict[FundingCategory, str] = {
    FundingCategory.STATE_POLITIQUE_VILLE: "State, politique de la ville (CGET, ANCT)",
    FundingCategory.STATE_OTHER: "State, other services",
    FundingCategory.REGION: "region",
    FundingCategory.DEPARTEMENT: "département",
    FundingCategory.EPCI: "inter-municipal body (EPCI)",
    FundingCategory.COMMUNE: "city",
    FundingCategory.SOCIAL_BODIES: "social security bodies (CAF, MSA, CPAM)",
    FundingCategory.EU_FUNDS: "EU funds",
    FundingCategory.ASP_SUBSIDISED_JOBS: "ASP (subsidised jobs)",
    FundingCategory.OTHER_PUBLIC_BODIES: "other public bodies",
    FundingCategory.PRIVATE_FUNDERS: "private funders",
    FundingCategory.OWN_RESOURCES: "carrier's own resources",
    FundingCategory.USER_FEES_AND_SALES: "family contributions and sales",
    FundingCategory.COST_RECOVERY: "cost recovery (not funding)",
    FundingCategory.OTHER_INCOME: "other income",
    FundingCategory.VOLUNTEERING: "volunteering",
    FundingCategory.IN_KIND_SERVICES: "services in kind",
    FundingCategory.IN_KIND_GOODS: "gifts in kind",
    FundingCategory.UNCLASSIFIED: "unclassified",
}

_FUNDING_CERFA: dict[FundingCategory, CerfaLine] = {
    FundingCategory.STATE_POLITIQUE_VILLE: CerfaLine.STATE,
    FundingCategory.STATE_OTHER: CerfaLine.STATE,
    FundingCategory.REGION: CerfaLine.REGION,
    FundingCategory.DEPARTEMENT: CerfaLine.DEPARTEMENT,
    FundingCategory.EPCI: CerfaLine.EPCI,
    FundingCategory.COMMUNE: CerfaLine.COMMUNE,
    FundingCategory.SOCIAL_BODIES: CerfaLine.SOCIAL_BODIES,
    FundingCategory.EU_FUNDS: CerfaLine.EU_FUNDS,
    FundingCategory.ASP_SUBSIDISED_JOBS: CerfaLine.ASP,
    FundingCategory.OTHER_PUBLIC_BODIES: CerfaLine.OTHER_PUBLIC,
    FundingCategory.PRIVATE_FUNDERS: CerfaLine.PRIVATE_AID,
    FundingCategory.OWN_RESOURCES: CerfaLine.OWN_RESOURCES,
    FundingCategory.USER_FEES_AND_SALES: CerfaLine.SALES,
    FundingCategory.COST_RECOVERY: CerfaLine.EXPENSE_TRANSFERS,
    FundingCategory.OTHER_INCOME: CerfaLine.OTHER_OPERATING_INCOME,
    FundingCategory.VOLUNTEERING: CerfaLine.VOLUNTEERING,
    FundingCategory.IN_KIND_SERVICES: CerfaLine.IN_KIND_SERVICES_RECEIVED,
    FundingCategory.IN_KIND_GOODS: CerfaLine.IN_KIND_GIFTS,
}

Category = ExpenseCategory | FundingCategory
