"""The default rule set: account codes and French keywords a PRE budget uses.

Sources and reasoning for each row: ``shared/design/reference/budget-research.md``
(sections 2, 5.4 and 5.5). Every rule has an ``example`` (or, for an unconditioned
account rule, its ``note``) that the rule set checks it decides when it is built.
"""

from __future__ import annotations

from ._categories import CerfaLine as L
from ._categories import Chart, Nature, Side
from ._categories import ExpenseCategory as E
from ._categories import FundingCategory as F
from ._rules import AccountRule, KeywordRule, RuleSet

__all__ = ["DEFAULT_RULES"]

_IN_KIND = Nature.IN_KIND
_PV = (
    r"\bcget\b|\banct\b|\bacse\b|politique (de la )?ville|contrats? de ville|\bcdv\b"
    r"|\bp ?147\b|delegue du prefet|prefecture|\bprefet\b|\bddcs(pp)?\b|\bddets(pp)?\b"
    r"|egalite des territoires|cohesion des territoires"
)


def _exp(
    rule_id: str,
    prefix: str,
    category: E,
    note: str,
    *,
    chart: Chart | None = None,
    when: tuple[str, ...] = (),
    example: str | None = None,
    nature: Nature | None = None,
    indirect: bool = False,
    cerfa: L | None = None,
) -> AccountRule:
    return AccountRule(
        id=rule_id,
        side=Side.EXPENSE,
        prefix=prefix,
        category=category,
        chart=chart,
        when=when,
        nature=nature,
        indirect=indirect,
        cerfa_line=cerfa,
        note=note,
        example=example,
    )


def _fund(
    rule_id: str,
    prefix: str,
    category: F,
    note: str,
    *,
    chart: Chart | None = None,
    when: tuple[str, ...] = (),
    example: str | None = None,
    nature: Nature | None = None,
    cerfa: L | None = None,
) -> AccountRule:
    return AccountRule(
        id=rule_id,
        side=Side.FUNDING,
        prefix=prefix,
        category=category,
        chart=chart,
        when=when,
        nature=nature,
        cerfa_line=cerfa,
        note=note,
        example=example,
    )


_EXPENSE_ACCOUNTS = (
    # Staff (chapter 012; CERFA 63-64)
    _exp("exp-012", "012", E.STAFF_INTERNAL, "Chapitre 012 - Charges de personnel"),
    _exp("exp-641", "641", E.STAFF_INTERNAL, "Rémunérations du personnel"),
    _exp(
        "exp-641-sessional",
        "641",
        E.STAFF_SESSIONAL,
        "Rémunérations du personnel (vacations)",
        when=(r"\bvacat",),
        example="Vacations orthophoniste",
    ),
    _exp(
        "m57-6414", "6414", E.STAFF_SESSIONAL, "Personnel rémunéré à la vacation", chart=Chart.M57
    ),
    _exp("m14-6414", "6414", E.STAFF_INTERNAL, "Indemnités et avantages divers", chart=Chart.M14),
    _exp("pcg-6414", "6414", E.STAFF_INTERNAL, "Indemnités et avantages divers", chart=Chart.PCG),
    _exp("exp-621", "621", E.STAFF_EXTERNAL, "Personnel extérieur au service"),
    _exp(
        "exp-631",
        "631",
        E.STAFF_INTERNAL,
        "Impôts et taxes sur rémunérations",
        cerfa=L.PAYROLL_TAXES,
    ),
    _exp(
        "exp-633",
        "633",
        E.STAFF_INTERNAL,
        "Impôts et taxes sur rémunérations (autres organismes)",
        cerfa=L.PAYROLL_TAXES,
    ),
    _exp(
        "pcg-6333",
        "6333",
        E.TRAINING,
        "Participation des employeurs à la formation professionnelle continue",
        chart=Chart.PCG,
        cerfa=L.PAYROLL_TAXES,
    ),
    _exp(
        "asso-6333",
        "6333",
        E.TRAINING,
        "Participation des employeurs à la formation professionnelle continue",
        chart=Chart.PCG_ASSO_2018,
        cerfa=L.PAYROLL_TAXES,
    ),
    _exp("exp-645", "645", E.STAFF_INTERNAL, "Charges de sécurité sociale", cerfa=L.SOCIAL_CHARGES),
    _exp(
        "exp-647-training",
        "647",
        E.TRAINING,
        "Autres charges sociales (formation)",
        when=(r"formation",),
        example="Formation interne des référentes",
        cerfa=L.OTHER_STAFF_COSTS,
    ),
    _exp("exp-647", "647", E.STAFF_INTERNAL, "Autres charges sociales", cerfa=L.OTHER_STAFF_COSTS),
    _exp(
        "exp-648", "648", E.STAFF_INTERNAL, "Autres charges de personnel", cerfa=L.OTHER_STAFF_COSTS
    ),
    # Training
    _exp("exp-6184", "6184", E.TRAINING, "Versements à des organismes de formation"),
    _exp("exp-6185", "6185", E.TRAINING, "Frais de colloques, séminaires, conférences"),
    # Services bought for children and families
    _exp("exp-604", "604", E.SERVICE_PROVISION, "Achats d'études et prestations de services"),
    _exp("exp-611", "611", E.SERVICE_PROVISION, "Contrats de prestations de services"),
    _exp("exp-622", "622", E.PROFESSIONAL_FEES, "Rémunérations d'intermédiaires et honoraires"),
    _exp(
        "exp-622-health",
        "622",
        E.SERVICE_PROVISION,
        "Honoraires d'un professionnel de santé",
        when=(r"orthophon|psycholog|psychomot|\bsante\b|\bsoins?\b|\bbilans?\b",),
        example="Honoraires bilans orthophoniques",
        cerfa=L.FEES,
    ),
    _exp(
        "exp-622-training",
        "622",
        E.TRAINING,
        "Honoraires d'un formateur ou superviseur",
        when=(r"formation|supervision|analyse (de la |des )?pratiques?",),
        example="Analyse des pratiques professionnelles",
    ),
    # Documentation, IT, premises, maintenance
    _exp("exp-6065", "6065", E.DOCUMENTATION, "Livres, disques, cassettes", cerfa=L.DOCUMENTATION),
    _exp("exp-618", "618", E.DOCUMENTATION, "Documentation générale et technique"),
    _exp("exp-6188", "6188", E.BANK_AND_OTHER_SERVICES, "Autres frais divers", cerfa=L.BANK_OTHER),
    _exp("exp-6156", "6156", E.MAINTENANCE, "Maintenance"),
    _exp(
        "exp-6156-software",
        "6156",
        E.IT_AND_EQUIPMENT,
        "Maintenance (logiciel, informatique)",
        when=(r"logiciel|informati|progiciel",),
        example="Maintenance du logiciel de suivi des parcours",
    ),
    _exp("exp-6135", "6135", E.PREMISES, "Locations mobilières"),
    _exp(
        "exp-6135-it",
        "6135",
        E.IT_AND_EQUIPMENT,
        "Locations mobilières (informatique)",
        when=(r"logiciel|informati|ordinateur|photocopieu",),
        example="Location du photocopieur",
        cerfa=L.RENTALS,
    ),
    _exp("exp-613", "613", E.PREMISES, "Locations"),
    _exp("exp-614", "614", E.PREMISES, "Charges locatives et de copropriété", cerfa=L.RENTALS),
    _exp(
        "exp-6061", "6061", E.PREMISES, "Fournitures non stockables (eau, énergie)", cerfa=L.RENTALS
    ),
    _exp(
        "exp-6152",
        "6152",
        E.PREMISES,
        "Entretien et réparations sur biens immobiliers",
        cerfa=L.MAINTENANCE,
    ),
    _exp("exp-615", "615", E.MAINTENANCE, "Entretien et réparations"),
    # Purchases and supplies
    _exp("exp-606", "606", E.SUPPLIES, "Achats non stockés de matières et fournitures"),
    _exp("exp-601", "601", E.SUPPLIES, "Achats stockés de matières premières", cerfa=L.MATERIALS),
    _exp(
        "exp-602",
        "602",
        E.SUPPLIES,
        "Achats stockés d'autres approvisionnements",
        cerfa=L.MATERIALS,
    ),
    _exp("cerfa-60x", "60x", E.SUPPLIES, "Autres fournitures"),
    # Other external services
    _exp("exp-616", "616", E.INSURANCE, "Primes d'assurances"),
    _exp("exp-623", "623", E.COMMUNICATION, "Publicité, publications, relations publiques"),
    _exp("exp-624", "624", E.TRAVEL, "Transports de biens et transports collectifs"),
    _exp("exp-625", "625", E.TRAVEL, "Déplacements et missions"),
    _exp("exp-626", "626", E.TELECOM_POSTAGE, "Frais postaux et de télécommunications"),
    _exp("exp-627", "627", E.BANK_AND_OTHER_SERVICES, "Services bancaires et assimilés"),
    _exp("exp-628", "628", E.BANK_AND_OTHER_SERVICES, "Divers (cotisations, concours)"),
    _exp(
        "exp-6288-structure",
        "6288",
        E.INDIRECT_COSTS,
        "Autres : charges de structure",
        when=(r"structure|fonctions? support|frais de gestion",),
        example="Charges de structure (3 % de la masse salariale)",
        indirect=True,
    ),
    _exp("cerfa-62x", "62x", E.BANK_AND_OTHER_SERVICES, "Services bancaires, autres"),
    # Taxes, chapter 65 and below
    _exp("exp-63", "63", E.TAXES, "Autres impôts et taxes"),
    _exp("exp-651", "651", E.INDIVIDUAL_AID, "Aides à la personne, bourses et secours"),
    _exp("exp-657", "657", E.GRANTS_TO_PARTNERS, "Subventions de fonctionnement"),
    _exp("exp-65", "65", E.OTHER_OPERATING, "Autres charges de gestion courante"),
    _exp("exp-66", "66", E.FINANCIAL, "Charges financières"),
    _exp("exp-67", "67", E.EXCEPTIONAL, "Charges exceptionnelles"),
    _exp("exp-68", "68", E.DEPRECIATION, "Dotations aux amortissements et provisions"),
    _exp("exp-69", "69", E.TAXES, "Impôt sur les bénéfices", cerfa=L.INCOME_TAX),
    # Indirect costs (CERFA project budget)
    _exp(
        "cerfa-chgfixe",
        "chgfixe",
        E.INDIRECT_COSTS,
        "Charges fixes de fonctionnement",
        indirect=True,
    ),
    _exp(
        "cerfa-fraisfin",
        "fraisfin",
        E.INDIRECT_COSTS,
        "Frais financiers",
        indirect=True,
        cerfa=L.INDIRECT_FINANCIAL,
    ),
    _exp(
        "cerfa-autchgindirect",
        "autchgindirect",
        E.INDIRECT_COSTS,
        "Autres charges indirectes",
        indirect=True,
        cerfa=L.INDIRECT_OTHER,
    ),
    # In-kind uses (86)
    _exp("exp-860", "860", E.IN_KIND_RELIEF, "Secours en nature", nature=_IN_KIND),
    _exp(
        "exp-861",
        "861",
        E.IN_KIND_PREMISES_EQUIPMENT,
        "Mise à disposition gratuite de biens et services",
        nature=_IN_KIND,
        indirect=True,
    ),
    _exp("exp-862", "862", E.IN_KIND_SERVICES, "Prestations", nature=_IN_KIND),
    _exp("exp-864", "864", E.IN_KIND_STAFF, "Personnel bénévole", nature=_IN_KIND),
    # Investment: outside the operating budget
    _exp("exp-2", "2", E.INVESTMENT, "Immobilisations (section d'investissement)"),
)

_FUNDING_ACCOUNTS = (
    # M57/M14 participations (74)
    _fund("fund-7471", "7471", F.STATE_OTHER, "Participations - État"),
    _fund(
        "fund-7471-pv",
        "7471",
        F.STATE_POLITIQUE_VILLE,
        "Participations - État (politique de la ville)",
        when=(_PV,),
        example="Subvention CGET réussite éducative",
    ),
    _fund("fund-7472", "7472", F.REGION, "Participations - Régions"),
    _fund("fund-7473", "7473", F.DEPARTEMENT, "Participations - Départements"),
    _fund("fund-7474", "7474", F.COMMUNE, "Participations - Communes"),
    _fund("fund-7475", "7475", F.EPCI, "Participations - Groupements de collectivités"),
    _fund("fund-7477", "7477", F.EU_FUNDS, "Participations - Fonds européens"),
    _fund("fund-7478", "7478", F.OTHER_PUBLIC_BODIES, "Participations - Autres organismes"),
    _fund(
        "fund-7478-caf",
        "7478",
        F.SOCIAL_BODIES,
        "Participations - Autres organismes (CAF, MSA)",
        when=(r"\bcaf\b|allocations familiales|\bmsa\b|\bcpam\b",),
        example="Participation CAF",
    ),
    _fund("fund-7478222", "7478222", F.SOCIAL_BODIES, "Caisses d'allocations familiales"),
    # Sales, cost recovery, other income
    _fund("fund-70", "70", F.USER_FEES_AND_SALES, "Produits des services, ventes"),
    _fund("fund-7084", "7084", F.COST_RECOVERY, "Mise à disposition de personnel facturée"),
    _fund("fund-7087", "7087", F.COST_RECOVERY, "Remboursements de frais"),
    _fund("fund-6419", "6419", F.COST_RECOVERY, "Remboursements sur rémunérations du personnel"),
    _fund("fund-6459", "6459", F.COST_RECOVERY, "Remboursements sur charges sociales"),
    _fund(
        "fund-73", "73", F.OTHER_INCOME, "Dotations et produits de tarification", cerfa=L.PRICING
    ),
    _fund("fund-75", "75", F.OTHER_INCOME, "Autres produits de gestion courante"),
    _fund("fund-756", "756", F.OWN_RESOURCES, "Cotisations", cerfa=L.MEMBERSHIP_FEES),
    _fund("fund-758", "758", F.PRIVATE_FUNDERS, "Dons manuels - Mécénat", cerfa=L.DONATIONS),
    _fund("fund-76", "76", F.OTHER_INCOME, "Produits financiers", cerfa=L.FINANCIAL_INCOME),
    _fund("fund-77", "77", F.OTHER_INCOME, "Produits exceptionnels", cerfa=L.EXCEPTIONAL_INCOME),
    _fund("fund-78", "78", F.OTHER_INCOME, "Reprises, report de ressources", cerfa=L.CARRY_FORWARD),
    _fund("fund-79", "79", F.COST_RECOVERY, "Transferts de charges"),
    # In-kind resources (87): numbering differs between CRC 99-01/CERFA and ANC 2018-06
    _fund("fund-871", "871", F.IN_KIND_SERVICES, "Prestations en nature", nature=_IN_KIND),
    _fund("cerfa-870", "870", F.VOLUNTEERING, "Bénévolat", chart=Chart.CERFA, nature=_IN_KIND),
    _fund(
        "cerfa-875", "875", F.IN_KIND_GOODS, "Dons en nature", chart=Chart.CERFA, nature=_IN_KIND
    ),
    _fund("pcg-870", "870", F.VOLUNTEERING, "Bénévolat", chart=Chart.PCG, nature=_IN_KIND),
    _fund("pcg-875", "875", F.IN_KIND_GOODS, "Dons en nature", chart=Chart.PCG, nature=_IN_KIND),
    _fund(
        "asso-870",
        "870",
        F.IN_KIND_GOODS,
        "Dons en nature (ANC 2018-06)",
        chart=Chart.PCG_ASSO_2018,
        nature=_IN_KIND,
        cerfa=L.IN_KIND_GIFTS,
    ),
    _fund(
        "asso-875",
        "875",
        F.VOLUNTEERING,
        "Bénévolat (ANC 2018-06)",
        chart=Chart.PCG_ASSO_2018,
        nature=_IN_KIND,
        cerfa=L.VOLUNTEERING,
    ),
    _fund(
        "fund-87-volunteering",
        "87",
        F.VOLUNTEERING,
        "Contributions volontaires en nature (bénévolat)",
        when=(r"benevol",),
        example="Valorisation du bénévolat",
        nature=_IN_KIND,
    ),
    _fund(
        "fund-87-gifts",
        "87",
        F.IN_KIND_GOODS,
        "Contributions volontaires en nature (dons)",
        when=(r"\bdons?\b",),
        example="Dons en nature de fournitures",
        nature=_IN_KIND,
    ),
    _fund(
        "fund-87-services",
        "87",
        F.IN_KIND_SERVICES,
        "Contributions volontaires en nature (prestations, locaux)",
        when=(r"prestation|mise a disposition|locaux|\bpret\b",),
        example="Mise à disposition de locaux",
        nature=_IN_KIND,
    ),
    # CERFA 12156 / Dauphin references
    _fund("cerfa-74etat", "74etat", F.STATE_OTHER, "État"),
    _fund(
        "cerfa-74etat-pv",
        "74etat",
        F.STATE_POLITIQUE_VILLE,
        "État (politique de la ville)",
        when=(_PV,),
        example="13-ETAT-POLITIQUE-VILLE",
    ),
    _fund("cerfa-74region", "74region", F.REGION, "Région(s)"),
    _fund("cerfa-74dep", "74dep", F.DEPARTEMENT, "Département(s)"),
    _fund("cerfa-74epci", "74epci", F.EPCI, "Intercommunalité(s) : EPCI"),
    _fund("cerfa-74com", "74com", F.COMMUNE, "Commune(s)"),
    _fund("cerfa-74orgasoc", "74orgasoc", F.SOCIAL_BODIES, "Organismes sociaux"),
    _fund("cerfa-74fe", "74fe", F.EU_FUNDS, "Fonds européens"),
    _fund("cerfa-74agenceserv", "74agenceserv", F.ASP_SUBSIDISED_JOBS, "ASP (emplois aidés)"),
    _fund("cerfa-74aidespriv", "74aidespriv", F.PRIVATE_FUNDERS, "Aides privées"),
    _fund("cerfa-74x", "74x", F.OTHER_PUBLIC_BODIES, "Autres établissements publics"),
    _fund("cerfa-resspropres", "resspropres", F.OWN_RESOURCES, "Ressources propres affectées"),
    _fund(
        "cerfa-insufprevisionnel",
        "insufprevisionnel",
        F.OWN_RESOURCES,
        "Autofinancement (insuffisance prévisionnelle)",
    ),
)


def _kw(
    rule_id: str,
    side: Side,
    priority: int,
    pattern: str,
    category: E | F | None,
    example: str,
    *,
    nature: Nature | None = None,
    indirect: bool = False,
    cerfa: L | None = None,
    note: str = "",
) -> KeywordRule:
    return KeywordRule(
        id=rule_id,
        side=side,
        priority=priority,
        patterns=(pattern,),
        category=category,
        nature=nature,
        indirect=indirect,
        cerfa_line=cerfa,
        note=note,
        example=example,
    )


_X = Side.EXPENSE
_EXPENSE_KEYWORDS = (
    _kw(
        "exp-mod-in-kind",
        _X,
        5,
        r"\ben nature\b|contributions? volontaires?|\bcvn\b",
        None,
        "Prestations en nature de la ville",
        nature=_IN_KIND,
        note="the source says the contribution is in kind",
    ),
    _kw(
        "exp-volunteering",
        _X,
        10,
        r"benevol",
        E.IN_KIND_STAFF,
        "Valorisation du bénévolat",
        nature=_IN_KIND,
    ),
    _kw(
        "exp-free-use",
        _X,
        20,
        r"mise a disposition (gratuite )?(de |des |du )?"
        r"(locaux|salles?|bureaux?|personnel|materiel)"
        r"|charges? suppletives?|pret de (locaux|salles?)|contributions? non financieres?",
        E.IN_KIND_PREMISES_EQUIPMENT,
        "Mise à disposition de locaux par la ville",
        nature=_IN_KIND,
        indirect=True,
    ),
    _kw(
        "exp-indirect",
        _X,
        30,
        r"charges? indirectes?|frais de structure|charges fixes de fonctionnement"
        r"|fonctions? support|frais de gestion",
        E.INDIRECT_COSTS,
        "Charges indirectes du porteur",
        indirect=True,
    ),
    _kw("exp-sessional", _X, 40, r"\bvacat", E.STAFF_SESSIONAL, "500 heures de vacations"),
    _kw(
        "exp-external-staff",
        _X,
        50,
        r"\binterim|personnel exterieur|mise a disposition facturee|personnel detache",
        E.STAFF_EXTERNAL,
        "Personnel intérimaire",
    ),
    _kw(
        "exp-intermediaries",
        _X,
        55,
        r"remunerations? d intermediaires",
        E.PROFESSIONAL_FEES,
        "Rémunérations d'intermédiaires",
        note="tried before staff: 'rémunération' here is not a salary",
    ),
    _kw(
        "exp-staff",
        _X,
        60,
        r"salaires?|remunerations?|traitements?|charges sociales"
        r"|cotisations? (urssaf|retraite|patronales)"
        r"|coordinat(eur|rice|ion)|referent(e)?s? (de )?parcours"
        r"|equipe (operationnelle|pluridisciplinaire)|masse salariale|\betp\b",
        E.STAFF_INTERNAL,
        "Salaire de la coordinatrice",
    ),
    _kw(
        "exp-training",
        _X,
        70,
        r"formations?|supervision|analyse (de la |des )?pratiques?|colloques?|seminaires?"
        r"|\bcnfpt\b",
        E.TRAINING,
        "Formation de l'équipe",
    ),
    _kw(
        "exp-health",
        _X,
        80,
        r"orthophon|psycholog|psychomot|bilans? (de )?sante|\bsoins?\b|\bsante\b"
        r"|optique|lunettes|dentaire",
        E.SERVICE_PROVISION,
        "Bilans orthophoniques",
    ),
    _kw(
        "exp-schooling",
        _X,
        90,
        r"soutien scolaire|accompagnement (a la )?scolarit|aide aux devoirs|\bclas\b|scolarit",
        E.SERVICE_PROVISION,
        "Accompagnement à la scolarité",
    ),
    _kw(
        "exp-leisure",
        _X,
        100,
        r"loisirs?|\bsports?\b|sporti(f|fs|ve|ves)\b|cultur|spectacles?|musees?|cinema|sejours?"
        r"|colonies?|sorties?",
        E.SERVICE_PROVISION,
        "Licences sportives et activités de loisirs",
    ),
    _kw(
        "exp-parenting",
        _X,
        110,
        r"parentalit|mediation familiale",
        E.SERVICE_PROVISION,
        "Groupe de parole parentalité",
    ),
    _kw(
        "exp-services",
        _X,
        120,
        r"prestations? de services?|achats? de prestations?|intervenants? exterieurs?",
        E.SERVICE_PROVISION,
        "Achat de prestations",
    ),
    _kw(
        "exp-it",
        _X,
        130,
        r"logiciels?|progiciels?|licences?|informati|hebergement (web|serveur)",
        E.IT_AND_EQUIPMENT,
        "Licence du logiciel de suivi",
    ),
    _kw(
        "exp-documentation",
        _X,
        140,
        r"documentation|abonnements?|revues?|\blivres?\b|ouvrages?",
        E.DOCUMENTATION,
        "Abonnement revue professionnelle",
    ),
    _kw(
        "exp-premises",
        _X,
        150,
        r"loyers?|location (de |des )?(salles?|locaux)|charges locatives|electricite|\beau\b"
        r"|chauffage|fluides",
        E.PREMISES,
        "Loyer du local",
    ),
    _kw(
        "exp-maintenance",
        _X,
        160,
        r"entretien|reparations?|maintenance",
        E.MAINTENANCE,
        "Entretien du véhicule",
    ),
    _kw(
        "exp-supplies",
        _X,
        170,
        r"fournitures?|petit materiel|consommables|achats? non stockes?",
        E.SUPPLIES,
        "Fournitures de bureau",
    ),
    _kw(
        "exp-travel",
        _X,
        180,
        r"deplacements?|frais de missions?|transports?|carburant|indemnites? kilometriques?",
        E.TRAVEL,
        "Indemnités kilométriques",
    ),
    _kw("exp-insurance", _X, 190, r"assurances?", E.INSURANCE, "Assurance responsabilité civile"),
    _kw(
        "exp-communication",
        _X,
        200,
        r"communication|impressions?|publicite|plaquettes?",
        E.COMMUNICATION,
        "Impression des plaquettes",
    ),
    _kw(
        "exp-telecom",
        _X,
        210,
        r"telephon|affranchissement|frais postaux",
        E.TELECOM_POSTAGE,
        "Forfait téléphonique",
    ),
    _kw(
        "exp-bank",
        _X,
        220,
        r"frais bancaires|cotisations? (a )?(une |un )?(federation|reseau)",
        E.BANK_AND_OTHER_SERVICES,
        "Frais bancaires",
    ),
    _kw("exp-fees", _X, 230, r"honoraires", E.PROFESSIONAL_FEES, "Honoraires expert-comptable"),
    _kw(
        "exp-aid",
        _X,
        240,
        r"aides? (individuelles?|financieres?)|secours",
        E.INDIVIDUAL_AID,
        "Aide financière aux familles",
    ),
    _kw(
        "exp-grants",
        _X,
        250,
        r"subventions? (versees?|aux associations)",
        E.GRANTS_TO_PARTNERS,
        "Subvention versée à l'association",
    ),
)

_F = Side.FUNDING
_FUNDING_KEYWORDS = (
    _kw(
        "fund-mod-in-kind",
        _F,
        1,
        r"\ben nature\b|benevol|mise a disposition|charges? suppletives?"
        r"|contributions? (non financieres?|volontaires?)|financement indirect"
        r"|pret de (locaux|salles?)",
        None,
        "Ville de Salon-de-Provence : mise à disposition de locaux",
        nature=_IN_KIND,
        note="the contribution is given in kind",
    ),
    _kw(
        "fund-mod-indirect",
        _F,
        2,
        r"indirect|suppletive|frais de structure",
        None,
        "Charges indirectes prises en charge par la Métropole",
        nature=_IN_KIND,
        indirect=True,
        note="indirect costs are valued in kind unless the source says cash",
    ),
    _kw(
        "fund-mod-own",
        _F,
        3,
        r"autofinancement|fonds propres|ressources propres",
        None,
        "Métropole : autofinancement du porteur",
        cerfa=L.OWN_RESOURCES,
        note="the carrier funds itself: CERFA 'Ressources propres affectées au projet'",
    ),
    _kw("fund-politique-ville", _F, 10, _PV, F.STATE_POLITIQUE_VILLE, "13-ETAT-POLITIQUE-VILLE"),
    _kw(
        "fund-state-other",
        _F,
        20,
        r"education nationale|rectorat|\bacademie\b|\bdsden\b|\bdasen\b|\bdrajes\b|\bfipd\b"
        r"|\bdilcrah\b|\betat\b|ministere",
        F.STATE_OTHER,
        "MINISTERE-EDUCATION-NATIONALE",
    ),
    _kw(
        "fund-social-bodies",
        _F,
        30,
        r"\bcaf\b|caisses? d allocations familiales|\bmsa\b|\bcpam\b|\bcarsat\b",
        F.SOCIAL_BODIES,
        "CAF des Bouches-du-Rhône",
    ),
    _kw(
        "fund-eu",
        _F,
        40,
        r"\bfse\b|fse\+|\bfeder\b|\bfeader\b|fonds (social )?europeens?|union europeenne",
        F.EU_FUNDS,
        "FSE+ inclusion",
    ),
    _kw(
        "fund-asp",
        _F,
        50,
        r"\basp\b|agence de services et de paiement|emplois? aides?|\bpec\b|adultes? relais",
        F.ASP_SUBSIDISED_JOBS,
        "ASP - poste adulte-relais",
    ),
    _kw(
        "fund-epci",
        _F,
        60,
        r"metropole|communaute (de communes|d agglomeration|urbaine)|\bagglo|\bepci\b|\bept\b"
        r"|intercommunal|conseil de territoire|territoire du pays|\bmamp\b"
        r"|etablissement public territorial",
        F.EPCI,
        "Métropole Aix-Marseille-Provence",
    ),
    _kw(
        "fund-region",
        _F,
        70,
        r"\bregions?\b|conseil regional|conseil regio\b",
        F.REGION,
        "PROVENCE ALPES COTE AZUR (CONSEIL REGIO)",
    ),
    _kw(
        "fund-departement",
        _F,
        80,
        r"departement|conseil (general|departemental)|\bdept\b|\bcd ?\d{2,3}\b",
        F.DEPARTEMENT,
        "13-BOUCHES-DU-RHONE (DEPT)",
    ),
    _kw(
        "fund-commune",
        _F,
        90,
        r"\bville\b|\bcommunes?\b|mairie|municipal|\b\d[0-9ab]\d{3}$|\bccas\b|caisse des ecoles",
        F.COMMUNE,
        "Ville de Berre-l'Étang",
    ),
    _kw(
        "fund-volunteering",
        _F,
        95,
        r"benevol",
        F.VOLUNTEERING,
        "Valorisation du bénévolat",
        nature=_IN_KIND,
    ),
    _kw(
        "fund-other-public",
        _F,
        100,
        r"\bars\b|agence regionale de sante|france travail|pole emploi|bailleurs?|\boph\b"
        r"|caisse des depots|universite",
        F.OTHER_PUBLIC_BODIES,
        "ARS Provence-Alpes-Côte d'Azur",
    ),
    _kw(
        "fund-gifts",
        _F,
        105,
        r"\bdons? en nature\b",
        F.IN_KIND_GOODS,
        "Dons en nature de matériel",
        nature=_IN_KIND,
    ),
    _kw(
        "fund-private",
        _F,
        110,
        r"fondations?|mecenat|entreprises?|\bdons?\b",
        F.PRIVATE_FUNDERS,
        "Fondation de France",
    ),
    _kw(
        "fund-own",
        _F,
        120,
        r"autofinancement|fonds propres|ressources propres|cotisations",
        F.OWN_RESOURCES,
        "Autofinancement",
        cerfa=L.OWN_RESOURCES,
    ),
    _kw(
        "fund-user-fees",
        _F,
        130,
        r"participations? (des|de la) (familles?|usagers)|participation familiale",
        F.USER_FEES_AND_SALES,
        "Participation des familles aux séjours",
    ),
    _kw(
        "fund-in-kind-services",
        _F,
        140,
        r"prestations? en nature|mise a disposition|pret de (locaux|salles?)",
        F.IN_KIND_SERVICES,
        "Prestations en nature",
        nature=_IN_KIND,
    ),
)

#: The rule set :func:`classify` uses unless given another.
DEFAULT_RULES = RuleSet(
    account_rules=(*_EXPENSE_ACCOUNTS, *_FUNDING_ACCOUNTS),
    keyword_rules=(*_EXPENSE_KEYWORDS, *_FUNDING_KEYWORDS),
)
