from __future__ import annotations

import random
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reussite.budget import (
    DEFAULT_RULES,
    AccountRule,
    BudgetLine,
    CerfaLine,
    Chart,
    ExpenseCategory,
    FundingCategory,
    InvalidRuleSet,
    KeywordRule,
    Nature,
    RuleSet,
    Side,
    classify,
    classify_expense,
    classify_funding,
    dump_rules,
    normalise_account_code,
    normalise_text,
    read_rules,
)
from reussite.errors import InvalidValue, ReussiteError

E = ExpenseCategory
F = FundingCategory
X = Side.EXPENSE
R = Side.FUNDING
M57, M14, PCG, ASSO, CERFA = Chart.M57, Chart.M14, Chart.PCG, Chart.PCG_ASSO_2018, Chart.CERFA

# One example line per rule of DEFAULT_RULES, with the category it must get, written
# independently of the rules' own ``example`` fields: (side, code, chart, label, funder).
Row = tuple[Side, str | None, Chart, str, str | None, ExpenseCategory | FundingCategory]
EXAMPLES: dict[str, Row] = {
    "exp-012": (X, "012", Chart.UNKNOWN, "Charges de personnel", None, E.STAFF_INTERNAL),
    "exp-641": (X, "64111", M57, "Rémunération principale", None, E.STAFF_INTERNAL),
    "m57-6414": (X, "6414", M57, "Personnel", None, E.STAFF_SESSIONAL),
    "m14-6414": (X, "6414", M14, "Indemnités", None, E.STAFF_INTERNAL),
    "pcg-6414": (X, "6414", PCG, "Indemnités", None, E.STAFF_INTERNAL),
    "exp-621": (X, "6218", M57, "Autre personnel extérieur", None, E.STAFF_EXTERNAL),
    "exp-631": (X, "6311", PCG, "Taxe sur les salaires", None, E.STAFF_INTERNAL),
    "exp-633": (X, "6336", M57, "Cotisation CNFPT", None, E.STAFF_INTERNAL),
    "pcg-6333": (X, "6333", PCG, "Formation continue", None, E.TRAINING),
    "asso-6333": (X, "6333", ASSO, "Formation continue", None, E.TRAINING),
    "exp-645": (X, "6451", M57, "URSSAF", None, E.STAFF_INTERNAL),
    "exp-647": (X, "6475", PCG, "Médecine du travail", None, E.STAFF_INTERNAL),
    "exp-648": (X, "648", PCG, "Autres charges", None, E.STAFF_INTERNAL),
    "exp-6184": (X, "6184", M57, "Organisme", None, E.TRAINING),
    "exp-6185": (X, "6185", PCG, "Colloque national", None, E.TRAINING),
    "exp-604": (X, "6042", M57, "Soutien scolaire", None, E.SERVICE_PROVISION),
    "exp-611": (X, "611", M57, "Contrat", None, E.SERVICE_PROVISION),
    "exp-622": (X, "6226", M57, "Expert-comptable", None, E.PROFESSIONAL_FEES),
    "exp-6065": (X, "6065", M57, "Albums jeunesse", None, E.DOCUMENTATION),
    "exp-618": (X, "6182", M57, "Abonnements", None, E.DOCUMENTATION),
    "exp-6188": (X, "6188", M57, "Divers", None, E.BANK_AND_OTHER_SERVICES),
    "exp-6156": (X, "6156", M57, "Maintenance ascenseur", None, E.MAINTENANCE),
    "exp-6135": (X, "6135", M57, "Location de mobilier", None, E.PREMISES),
    "exp-613": (X, "6132", M57, "Loyer", None, E.PREMISES),
    "exp-614": (X, "614", M57, "Charges", None, E.PREMISES),
    "exp-6061": (X, "60612", M57, "Électricité", None, E.PREMISES),
    "exp-6152": (X, "6152", PCG, "Peinture du local", None, E.PREMISES),
    "exp-615": (X, "61558", M57, "Réparation", None, E.MAINTENANCE),
    "exp-606": (X, "6064", M57, "Fournitures administratives", None, E.SUPPLIES),
    "exp-601": (X, "601", PCG, "Matières", None, E.SUPPLIES),
    "exp-602": (X, "602", PCG, "Approvisionnements", None, E.SUPPLIES),
    "cerfa-60x": (X, "60x", CERFA, "Autres fournitures", None, E.SUPPLIES),
    "exp-616": (X, "6161", M57, "Multirisque", None, E.INSURANCE),
    "exp-623": (X, "6236", M57, "Catalogues", None, E.COMMUNICATION),
    "exp-624": (X, "6247", M57, "Car pour la sortie", None, E.TRAVEL),
    "exp-625": (X, "6251", M57, "Voyages", None, E.TRAVEL),
    "exp-626": (X, "6262", M57, "Téléphone", None, E.TELECOM_POSTAGE),
    "exp-627": (X, "627", M57, "Frais", None, E.BANK_AND_OTHER_SERVICES),
    "exp-628": (X, "6281", M57, "Concours divers", None, E.BANK_AND_OTHER_SERVICES),
    "cerfa-62x": (X, "62x", CERFA, "Services bancaires", None, E.BANK_AND_OTHER_SERVICES),
    "exp-63": (X, "6358", M57, "Taxe", None, E.TAXES),
    "exp-651": (X, "6513", M57, "Secours", None, E.INDIVIDUAL_AID),
    "exp-65-aid": (X, "6562", M14, "Aides", None, E.INDIVIDUAL_AID),
    "exp-657": (X, "6574", M57, "Association", None, E.GRANTS_TO_PARTNERS),
    "exp-65": (X, "658", M57, "Charges diverses", None, E.OTHER_OPERATING),
    "exp-66": (X, "661", M57, "Intérêts", None, E.FINANCIAL),
    "exp-67": (X, "673", M57, "Titres annulés", None, E.EXCEPTIONAL),
    "exp-68": (X, "6811", M57, "Dotations", None, E.DEPRECIATION),
    "exp-69": (X, "695", PCG, "Impôt sur les sociétés", None, E.TAXES),
    "cerfa-chgfixe": (X, "chgfixe", CERFA, "Charges fixes", None, E.INDIRECT_COSTS),
    "cerfa-fraisfin": (X, "fraisfin", CERFA, "Frais financiers", None, E.INDIRECT_COSTS),
    "cerfa-autchgindirect": (X, "autchgindirect", CERFA, "Autres", None, E.INDIRECT_COSTS),
    "exp-860": (X, "860", PCG, "Colis", None, E.IN_KIND_RELIEF),
    "exp-861": (X, "861", PCG, "Salle prêtée", None, E.IN_KIND_PREMISES_EQUIPMENT),
    "exp-862": (X, "862", PCG, "Prestations", None, E.IN_KIND_SERVICES),
    "exp-864": (X, "864", PCG, "Personnel bénévole", None, E.IN_KIND_STAFF),
    "exp-2": (X, "2183", M57, "Ordinateurs portables", None, E.INVESTMENT),
    "fund-7471": (R, "74718", M57, "Participation", None, F.STATE_OTHER),
    "fund-7472": (R, "7472", M57, "Participation", None, F.REGION),
    "fund-7473": (R, "7473", M57, "Participation", None, F.DEPARTEMENT),
    "fund-7474": (R, "74741", M57, "Participation", None, F.COMMUNE),
    "fund-7475": (R, "74758", M57, "Participation", None, F.EPCI),
    "fund-7477": (R, "74771", M57, "Participation", None, F.EU_FUNDS),
    "fund-7478": (R, "74788", M57, "Participation", None, F.OTHER_PUBLIC_BODIES),
    "fund-7478222": (R, "7478222", M57, "Participation", None, F.SOCIAL_BODIES),
    "fund-70": (R, "7066", M57, "Redevances", None, F.USER_FEES_AND_SALES),
    "fund-7084": (R, "7084", M57, "Personnel refacturé", None, F.COST_RECOVERY),
    "fund-7087": (R, "70878", M57, "Remboursements", None, F.COST_RECOVERY),
    "fund-6419": (R, "6419", M57, "Remboursement IJ", None, F.COST_RECOVERY),
    "fund-6459": (R, "6459", M57, "Remboursement charges", None, F.COST_RECOVERY),
    "fund-73": (R, "731", M57, "Tarification", None, F.OTHER_INCOME),
    "fund-75": (R, "752", M57, "Revenus des immeubles", None, F.OTHER_INCOME),
    "fund-756": (R, "756", PCG, "Adhésions", None, F.OWN_RESOURCES),
    "pcg-758": (R, "7581", PCG, "Mécène local", None, F.PRIVATE_FUNDERS),
    "cerfa-758": (R, "758", CERFA, "Fondation", None, F.PRIVATE_FUNDERS),
    "fund-758-gifts": (R, "7588", M57, "Dons d'une entreprise", None, F.PRIVATE_FUNDERS),
    "asso-754": (R, "7541", ASSO, "Générosité du public", None, F.PRIVATE_FUNDERS),
    "fund-002": (R, "002", M14, "Excédent", None, F.OTHER_INCOME),
    "fund-76": (R, "768", PCG, "Intérêts", None, F.OTHER_INCOME),
    "fund-77": (R, "778", PCG, "Produits", None, F.OTHER_INCOME),
    "fund-78": (R, "789", PCG, "Report", None, F.OTHER_INCOME),
    "fund-79": (R, "791", PCG, "Transfert", None, F.COST_RECOVERY),
    "fund-871": (R, "871", PCG, "Salle prêtée", None, F.IN_KIND_SERVICES),
    "cerfa-870": (R, "870", CERFA, "Heures", None, F.VOLUNTEERING),
    "cerfa-875": (R, "875", CERFA, "Matériel", None, F.IN_KIND_GOODS),
    "pcg-870": (R, "870", PCG, "Heures", None, F.VOLUNTEERING),
    "pcg-875": (R, "875", PCG, "Matériel", None, F.IN_KIND_GOODS),
    "asso-870": (R, "870", ASSO, "Matériel", None, F.IN_KIND_GOODS),
    "asso-875": (R, "875", ASSO, "Heures", None, F.VOLUNTEERING),
    "fund-87-volunteering": (R, "875", Chart.UNKNOWN, "Bénévoles", None, F.VOLUNTEERING),
    "fund-87-gifts": (R, "870", Chart.UNKNOWN, "Don de jouets", None, F.IN_KIND_GOODS),
    "fund-87-services": (R, "870", Chart.UNKNOWN, "Locaux prêtés", None, F.IN_KIND_SERVICES),
    "cerfa-74etat": (R, "74etat", CERFA, "Rectorat", None, F.STATE_OTHER),
    "cerfa-74region": (R, "74region", CERFA, "Sollicitée", None, F.REGION),
    "cerfa-74dep": (R, "74dep", CERFA, "Sollicité", None, F.DEPARTEMENT),
    "cerfa-74epci": (R, "74epci", CERFA, "Sollicité", None, F.EPCI),
    "cerfa-74com": (R, "74com", CERFA, "Sollicitée", None, F.COMMUNE),
    "cerfa-74orgasoc": (R, "74orgasoc", CERFA, "Sollicité", None, F.SOCIAL_BODIES),
    "cerfa-74fe": (R, "74fe", CERFA, "Sollicité", None, F.EU_FUNDS),
    "cerfa-74agenceserv": (R, "74agenceserv", CERFA, "Sollicité", None, F.ASP_SUBSIDISED_JOBS),
    "cerfa-74aidespriv": (R, "74aidespriv", CERFA, "Sollicité", None, F.PRIVATE_FUNDERS),
    "cerfa-74x": (R, "74x", CERFA, "Sollicité", None, F.OTHER_PUBLIC_BODIES),
    "cerfa-resspropres": (R, "resspropres", CERFA, "Affectées", None, F.OWN_RESOURCES),
    "cerfa-insufprevisionnel": (
        R,
        "insufprevisionnel",
        CERFA,
        "Insuffisance",
        None,
        F.OWN_RESOURCES,
    ),
    # Keyword rules (no account code)
    "exp-volunteering": (
        X,
        None,
        Chart.UNKNOWN,
        "Heures de bénévoles valorisées",
        None,
        E.IN_KIND_STAFF,
    ),
    "exp-free-use": (
        X,
        None,
        Chart.UNKNOWN,
        "Prêt de salles par la mairie",
        None,
        E.IN_KIND_PREMISES_EQUIPMENT,
    ),
    "exp-indirect": (X, None, Chart.UNKNOWN, "Frais de gestion du CCAS", None, E.INDIRECT_COSTS),
    "exp-sessional": (X, None, Chart.UNKNOWN, "Vacataire psychologue", None, E.STAFF_SESSIONAL),
    "exp-external-staff": (
        X,
        None,
        Chart.UNKNOWN,
        "Personnel détaché du département",
        None,
        E.STAFF_EXTERNAL,
    ),
    "exp-intermediaries": (
        X,
        None,
        Chart.UNKNOWN,
        "Rémunération d'intermédiaires",
        None,
        E.PROFESSIONAL_FEES,
    ),
    "exp-staff": (X, None, Chart.UNKNOWN, "Référentes de parcours (2 ETP)", None, E.STAFF_INTERNAL),
    "exp-training": (X, None, Chart.UNKNOWN, "Séminaire national PRE", None, E.TRAINING),
    "exp-health": (X, None, Chart.UNKNOWN, "Lunettes pour un enfant", None, E.SERVICE_PROVISION),
    "exp-schooling": (X, None, Chart.UNKNOWN, "Aide aux devoirs", None, E.SERVICE_PROVISION),
    "exp-leisure": (X, None, Chart.UNKNOWN, "Séjour d'été", None, E.SERVICE_PROVISION),
    "exp-parenting": (X, None, Chart.UNKNOWN, "Médiation familiale", None, E.SERVICE_PROVISION),
    "exp-services": (X, None, Chart.UNKNOWN, "Intervenants extérieurs", None, E.SERVICE_PROVISION),
    "exp-food": (X, None, Chart.UNKNOWN, "Denrées pour le repas partagé", None, E.SUPPLIES),
    "exp-families": (X, None, Chart.UNKNOWN, "Écrivain public", None, E.SERVICE_PROVISION),
    "exp-activities": (X, None, Chart.UNKNOWN, "Initiation au codage", None, E.SERVICE_PROVISION),
    "exp-it": (X, None, Chart.UNKNOWN, "Abonnement informatique", None, E.IT_AND_EQUIPMENT),
    "exp-it-equipment": (X, None, Chart.UNKNOWN, "Hébergement serveur", None, E.IT_AND_EQUIPMENT),
    "exp-documentation": (
        X,
        None,
        Chart.UNKNOWN,
        "Livres pour la ludothèque",
        None,
        E.DOCUMENTATION,
    ),
    "exp-premises": (X, None, Chart.UNKNOWN, "Location d'une salle", None, E.PREMISES),
    "exp-fluids": (X, None, Chart.UNKNOWN, "Chauffage", None, E.PREMISES),
    "exp-premises-services": (X, None, Chart.UNKNOWN, "Ménage des bureaux", None, E.PREMISES),
    "exp-maintenance": (X, None, Chart.UNKNOWN, "Réparations diverses", None, E.MAINTENANCE),
    "exp-documentation-other": (
        X,
        None,
        Chart.UNKNOWN,
        "Presse quotidienne",
        None,
        E.DOCUMENTATION,
    ),
    "exp-investment": (
        X,
        None,
        Chart.UNKNOWN,
        "Immobilisation : vidéoprojecteur",
        None,
        E.INVESTMENT,
    ),
    "exp-exceptional": (X, None, Chart.UNKNOWN, "Pénalités de retard", None, E.EXCEPTIONAL),
    "exp-financial": (X, None, Chart.UNKNOWN, "Agios bancaires", None, E.FINANCIAL),
    "exp-depreciation": (
        X,
        None,
        Chart.UNKNOWN,
        "Dotation aux amortissements",
        None,
        E.DEPRECIATION,
    ),
    "exp-staff-roles": (X, None, Chart.UNKNOWN, "Poste de coordinateur", None, E.STAFF_INTERNAL),
    "exp-supplies": (X, None, Chart.UNKNOWN, "Petit matériel éducatif", None, E.SUPPLIES),
    "exp-travel": (X, None, Chart.UNKNOWN, "Déplacements", None, E.TRAVEL),
    "exp-travel-purchase": (X, None, Chart.UNKNOWN, "Carburant du véhicule", None, E.TRAVEL),
    "exp-insurance": (X, None, Chart.UNKNOWN, "Assurances", None, E.INSURANCE),
    "exp-communication": (
        X,
        None,
        Chart.UNKNOWN,
        "Plaquette de présentation",
        None,
        E.COMMUNICATION,
    ),
    "exp-telecom": (X, None, Chart.UNKNOWN, "Affranchissement", None, E.TELECOM_POSTAGE),
    "exp-bank": (X, None, Chart.UNKNOWN, "Cotisation à un réseau", None, E.BANK_AND_OTHER_SERVICES),
    "exp-fees": (X, None, Chart.UNKNOWN, "Honoraires d'avocat", None, E.PROFESSIONAL_FEES),
    "exp-aid": (X, None, Chart.UNKNOWN, "Aides financières ponctuelles", None, E.INDIVIDUAL_AID),
    "exp-grants": (
        X,
        None,
        Chart.UNKNOWN,
        "Subvention aux associations",
        None,
        E.GRANTS_TO_PARTNERS,
    ),
    "fund-politique-ville": (R, None, Chart.UNKNOWN, "Subvention", "ANCT", F.STATE_POLITIQUE_VILLE),
    "fund-state-other": (
        R,
        None,
        Chart.UNKNOWN,
        "Subvention",
        "Rectorat d'Aix-Marseille",
        F.STATE_OTHER,
    ),
    "fund-prefecture": (
        R,
        None,
        Chart.UNKNOWN,
        "Subvention",
        "Préfecture du Var",
        F.STATE_POLITIQUE_VILLE,
    ),
    "fund-state": (R, None, Chart.UNKNOWN, "Subvention", "Ministère des Sports", F.STATE_OTHER),
    "fund-social-bodies": (R, None, Chart.UNKNOWN, "Subvention", "MSA Provence", F.SOCIAL_BODIES),
    "fund-eu": (R, None, Chart.UNKNOWN, "Subvention", "Fonds social européen", F.EU_FUNDS),
    "fund-asp": (
        R,
        None,
        Chart.UNKNOWN,
        "Aide au poste",
        "Agence de services et de paiement",
        F.ASP_SUBSIDISED_JOBS,
    ),
    "fund-epci": (R, None, Chart.UNKNOWN, "Subvention", "Communauté d'agglomération", F.EPCI),
    "fund-region": (R, None, Chart.UNKNOWN, "Subvention", "Région Sud", F.REGION),
    "fund-departement": (
        R,
        None,
        Chart.UNKNOWN,
        "Subvention",
        "Conseil départemental",
        F.DEPARTEMENT,
    ),
    "fund-commune": (R, None, Chart.UNKNOWN, "Subvention", "Mairie de Salon", F.COMMUNE),
    "fund-volunteering": (R, None, Chart.UNKNOWN, "Heures de bénévolat", None, F.VOLUNTEERING),
    "fund-other-public": (
        R,
        None,
        Chart.UNKNOWN,
        "Subvention",
        "Agence régionale de santé",
        F.OTHER_PUBLIC_BODIES,
    ),
    "fund-gifts-goods": (
        R,
        None,
        Chart.UNKNOWN,
        "Don de jouets par un magasin",
        None,
        F.IN_KIND_GOODS,
    ),
    "fund-gifts": (R, None, Chart.UNKNOWN, "Don en nature de jeux", None, F.IN_KIND_GOODS),
    "fund-private": (
        R,
        None,
        Chart.UNKNOWN,
        "Appel à projets",
        "Fondation de France",
        F.PRIVATE_FUNDERS,
    ),
    "fund-own": (R, None, Chart.UNKNOWN, "Fonds propres", None, F.OWN_RESOURCES),
    "fund-cost-recovery": (R, None, Chart.UNKNOWN, "Refacturation", None, F.COST_RECOVERY),
    "fund-carry-forward": (R, None, Chart.UNKNOWN, "Fonds dédiés", None, F.OTHER_INCOME),
    "fund-financial": (R, None, Chart.UNKNOWN, "Placements", None, F.OTHER_INCOME),
    "fund-user-fees": (
        R,
        None,
        Chart.UNKNOWN,
        "Participation des familles",
        None,
        F.USER_FEES_AND_SALES,
    ),
    "fund-in-kind-services": (
        R,
        None,
        Chart.UNKNOWN,
        "Prestations en nature",
        None,
        F.IN_KIND_SERVICES,
    ),
}

# Modifier rules: the example, and what they must set.
MODIFIERS = {
    "exp-mod-in-kind": (X, "Contribution volontaire : repas", None),
    "fund-mod-in-kind": (R, "Prêt de salles", "Ville de Salon-de-Provence"),
    "fund-mod-indirect": (R, "Charges supplétives", "Ville de Berre-l'Étang"),
    "fund-mod-own": (R, "Autofinancement", "Métropole Aix-Marseille-Provence"),
    "fund-mod-mainstream": (R, "Crédits de droit commun", "Région Sud"),
    "fund-mod-politique-ville": (R, "Programmation du contrat de ville", "Ville d'Istres"),
}


def _line(side: Side, code: str | None, chart: Chart, label: str, funder: str | None) -> BudgetLine:
    return BudgetLine(
        side=side, label=label, account_code=code, chart=chart, funder=funder, amount_cents=100
    )


def test_every_default_rule_has_a_test_row() -> None:
    ids = {r.id for r in DEFAULT_RULES}
    assert ids == set(EXAMPLES) | set(MODIFIERS)


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_rule_table_row(rule_id: str) -> None:
    side, code, chart, label, funder, expected = EXAMPLES[rule_id]
    c = classify(_line(side, code, chart, label, funder))
    assert (c.rule_id, c.category) == (rule_id, expected)
    assert f"[règle {rule_id}]" in c.explanation_fr
    assert f"[rule {rule_id}]" in c.explanation_en
    assert c.classified


@pytest.mark.parametrize("rule_id", sorted(MODIFIERS))
def test_modifier_row(rule_id: str) -> None:
    side, label, funder = MODIFIERS[rule_id]
    c = classify(_line(side, None, Chart.UNKNOWN, label, funder))
    assert rule_id in c.modifiers
    rule = DEFAULT_RULES.get(rule_id)
    assert isinstance(rule, KeywordRule)
    if rule.nature is not None:
        assert c.nature is rule.nature
    if rule.indirect:
        assert c.indirect
    if rule.cerfa_line is not None:
        assert c.cerfa_line is rule.cerfa_line
    if rule.envelope is not None:
        assert c.envelope is rule.envelope


@pytest.mark.parametrize(
    ("funder", "expected"),
    [
        ("13-ETAT-POLITIQUE-VILLE", F.STATE_POLITIQUE_VILLE),
        ("CGET", F.STATE_POLITIQUE_VILLE),
        ("ANCT", F.STATE_POLITIQUE_VILLE),
        ("Préfecture des Bouches-du-Rhône", F.STATE_POLITIQUE_VILLE),
        ("Acsé", F.STATE_POLITIQUE_VILLE),
        ("MINISTERE-EDUCATION-NATIONALE", F.STATE_OTHER),
        ("PROVENCE-ALPES-COTE-AZUR-EDUC (RECTORAT)", F.STATE_OTHER),
        ("Métropole Aix-Marseille-Provence", F.EPCI),
        ("MAMP Territoire du Pays Salonais", F.EPCI),
        ("Ville de Berre-l'Étang", F.COMMUNE),
        ("Ville de Berre-l’Étang", F.COMMUNE),
        ("AIX EN PROVENCE (13001)", F.COMMUNE),
        ("CAF des Bouches-du-Rhône", F.SOCIAL_BODIES),
        ("13-CAF", F.SOCIAL_BODIES),
        ("13-BOUCHES-DU-RHONE (DEPT)", F.DEPARTEMENT),
        ("PROVENCE ALPES COTE AZUR (CONSEIL REGIO)", F.REGION),
        ("FSE+", F.EU_FUNDS),
    ],
)
def test_funder_names_resolve(funder: str, expected: FundingCategory) -> None:
    line = BudgetLine(side=R, label="Subvention 2018", funder=funder, amount_cents=1)
    assert classify_funding(line).category is expected


def test_funder_decides_before_account_and_account_gives_nature() -> None:
    line = BudgetLine(
        side=R,
        label="Salle prêtée",
        funder="Ville de Salon-de-Provence",
        account_code="871",
        chart=PCG,
        amount_cents=100,
    )
    c = classify(line)
    assert (c.category, c.nature, c.cerfa_line) == (F.COMMUNE, Nature.IN_KIND, CerfaLine("871"))


def test_source_nature_wins_over_rules() -> None:
    line = BudgetLine(
        side=R, label="Charges indirectes", funder="Métropole", amount_cents=100, nature=Nature.CASH
    )
    c = classify(line)
    assert (c.nature, c.indirect, c.cerfa_line) == (Nature.CASH, True, CerfaLine.EPCI)


def test_in_kind_expense_goes_to_block_86() -> None:
    line = BudgetLine(side=X, label="Charges indirectes", amount_cents=1, nature=Nature.IN_KIND)
    assert classify(line).cerfa_line is CerfaLine.IN_KIND_FREE_USE
    line = attrs.evolve(line, account_code="864", chart=PCG, label="Heures")
    assert classify(line).cerfa_line is CerfaLine.IN_KIND_VOLUNTEER_STAFF


def test_in_kind_with_a_cash_account_falls_back_to_default_in_kind_line() -> None:
    line = BudgetLine(
        side=R,
        label="Matériel prêté",
        account_code="7474",
        chart=M57,
        amount_cents=1,
        nature=Nature.IN_KIND,
    )
    c = classify(line)
    assert (c.category, c.cerfa_line) == (F.COMMUNE, CerfaLine.IN_KIND_SERVICES_RECEIVED)


def test_unclassified_is_explicit_with_reason() -> None:
    line = BudgetLine(side=X, label="Bonbons", account_code="9999", chart=M57, amount_cents=1)
    c = classify(line)
    assert c.category is E.UNCLASSIFIED
    assert c.rule_id == "unclassified"
    assert not c.classified
    assert "9999" in c.explanation_fr
    assert "Bonbons" in c.explanation_fr
    assert c.cerfa_line is None
    funding = BudgetLine(side=R, label="Divers", funder="Quelqu'un", amount_cents=1)
    c = classify(funding)
    assert c.category is F.UNCLASSIFIED
    assert "Quelqu'un" in c.explanation_en


def test_side_specific_classifiers_refuse_the_other_side() -> None:
    expense = BudgetLine(side=X, label="Loyer", amount_cents=1)
    funding = BudgetLine(side=R, label="CGET", amount_cents=1)
    with pytest.raises(InvalidValue, match=r"side=Side\.FUNDING"):
        classify_funding(expense)
    with pytest.raises(InvalidValue, match=r"side=Side\.EXPENSE"):
        classify_expense(funding)
    with pytest.raises(InvalidValue, match="a BudgetLine"):
        classify({"label": "Loyer"})  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="a RuleSet"):
        classify(expense, rules=[])  # type: ignore[arg-type]


def test_explanations_name_the_rule_and_the_words() -> None:
    line = BudgetLine(side=X, label="Aide aux devoirs", amount_cents=1)
    c = classify(line)
    assert c.explanation_fr == (
        "libellé « Aide aux devoirs » contient « aide aux devoirs » → Prestations de"
        " service [règle exp-schooling]"
    )
    assert c.explanation_en.startswith("label 'Aide aux devoirs' contains 'aide aux devoirs'")


# ---- the label refines an account; refunds before the payer; typing slips -----------


@pytest.mark.parametrize(
    ("code", "chart", "label", "category", "rule_id", "cerfa"),
    [
        ("6226", M57, "Psychologue libérale", E.SERVICE_PROVISION, "exp-health", "622"),
        ("6228", M57, "Supervision d'équipe", E.TRAINING, "exp-training", "622"),
        ("6228", M14, "Interprète arabe", E.SERVICE_PROVISION, "exp-families", "622"),
        # the account's own title, repeated by the export, does not stop the label
        ("6228", M57, "Rémunérations d'intermédiaires - spectacle", E.SERVICE_PROVISION,
         "exp-leisure", "622"),
        ("6226", M57, "Honoraires du cabinet comptable", E.PROFESSIONAL_FEES, "exp-622", "622"),
        ("6413", M57, "Vacataires été", E.STAFF_SESSIONAL, "exp-sessional", "641"),
        ("6414", M14, "Heures de vacation", E.STAFF_SESSIONAL, "exp-sessional", "641"),
        ("6475", PCG, "Formation interne", E.TRAINING, "exp-training", "647"),
        ("6156", M57, "Maintenance logiciel", E.IT_AND_EQUIPMENT, "exp-it-equipment", "615"),
        ("6135", M57, "Location d'ordinateurs", E.IT_AND_EQUIPMENT, "exp-it-equipment", "613"),
        ("6135", M14, "Location de voiture", E.TRAVEL, "exp-travel-purchase", "613"),
        ("6288", M57, "Fonctions support (6 %)", E.INDIRECT_COSTS, "exp-indirect", "chgfixe"),
        ("74718", M57, "Crédits politique de la ville", F.STATE_POLITIQUE_VILLE,
         "fund-politique-ville", "74etat"),
        ("74788", M57, "Prestation de service CAF", F.SOCIAL_BODIES, "fund-social-bodies",
         "74orgasoc"),
        ("74etat", CERFA, "Contrat de ville", F.STATE_POLITIQUE_VILLE, "fund-politique-ville",
         "74etat"),
        ("74718", M57, "Préfecture - fonds interministériel FIPD", F.STATE_OTHER, "fund-7471",
         "74etat"),
    ],
)  # fmt: skip
def test_the_label_refines_an_account(
    code: str,
    chart: Chart,
    label: str,
    category: ExpenseCategory | FundingCategory,
    rule_id: str,
    cerfa: str,
) -> None:
    side = X if isinstance(category, ExpenseCategory) else R
    c = classify(_line(side, code, chart, label, None))
    assert (c.category, c.rule_id, c.cerfa_line) == (category, rule_id, CerfaLine(cerfa))
    # the explanation names the account, then what the label says when it refined it
    assert c.explanation_fr.startswith(f"compte {code} (")
    assert c.explanation_fr.endswith(f"[règle {rule_id}]")
    assert c.explanation_en.startswith(f"account {code} (")


def test_refine_is_checked_and_written_in_rule_files() -> None:
    with pytest.raises(InvalidRuleSet) as info:
        DEFAULT_RULES.with_rules(
            _acc("r1", "6068", refine=(F.EPCI,)),
            _acc("r2", "6069", refine=(E.UNCLASSIFIED,)),
            _acc("r3", "6067", refine=(E.EXCEPTIONAL,)),
        ).without("exp-exceptional")
    problems = "\n".join(info.value.problems)
    assert "rule 'r1': cannot be refined into 'epci'" in problems
    assert "rule 'r2': cannot be refined into 'unclassified'" in problems
    with pytest.raises(InvalidRuleSet, match="no keyword rule decides that category"):
        RuleSet(account_rules=(_acc("r3", "6067", refine=(E.EXCEPTIONAL,)),), keyword_rules=())
    with pytest.raises(InvalidRuleSet, match="'before_funder' is for funding rules"):
        DEFAULT_RULES.with_rules(_kw("k", 9, "friandises", before_funder=True))
    rules = read_rules(
        '[[account]]\nid = "local-6068"\nside = "expense"\nprefix = "6068"\n'
        'category = "supplies"\nrefine = ["service_provision"]\n'
        '[[keyword]]\nid = "local-avoir"\nside = "funding"\npriority = 111\n'
        "patterns = ['\\bavoirs?\\b']\ncategory = \"cost_recovery\"\nbefore_funder = true\n"
    )
    assert rules.get("local-6068").refine == (E.SERVICE_PROVISION,)  # type: ignore[union-attr]
    assert rules.get("local-avoir").before_funder  # type: ignore[union-attr]
    assert read_rules(dump_rules(rules)) == rules
    with pytest.raises(InvalidRuleSet, match="'refine' must be one of"):
        read_rules(
            '[[account]]\nid = "x"\nside = "expense"\nprefix = "6"\ncategory = "supplies"\n'
            'refine = ["epci"]\n'
        )


@pytest.mark.parametrize(
    ("label", "funder", "code", "expected"),
    [
        ("Remboursement des indemnités journalières", "CPAM du Var", None, F.COST_RECOVERY),
        ("Refacturation du temps de la secrétaire", "Ville d'Istres", None, F.COST_RECOVERY),
        ("Remboursement de la formation", "Uniformation (OPCO)", None, F.COST_RECOVERY),
        # a subsidy paid on eligible costs stays funding
        ("Subvention FSE+ (remboursement sur dépenses réalisées)", "FSE+", None, F.EU_FUNDS),
        # an account already says what the receipt is
        ("Produits exceptionnels (remboursement sinistre)", None, "7788", F.OTHER_INCOME),
    ],
)
def test_a_refund_is_not_funding_whoever_pays_it(
    label: str, funder: str | None, code: str | None, expected: FundingCategory
) -> None:
    assert classify(_line(R, code, M57 if code else Chart.UNKNOWN, label, funder)).category is (
        expected
    )


@pytest.mark.parametrize(
    ("side", "label", "funder", "expected"),
    [
        (X, "Vaccations orthophoniste", None, E.STAFF_SESSIONAL),  # a doubled letter
        (X, "Honnoraires expert-comptable", None, E.PROFESSIONAL_FEES),
        (X, "Fourniture de burreau", None, E.SUPPLIES),
        (R, "Subvention", "Conseil régionnal", F.REGION),
        (X, "Formaton des référentes", None, E.TRAINING),  # a letter missing
        (X, "Fournitrues scolaires", None, E.SUPPLIES),  # two letters swapped
        (R, "Departemnt - prévention", None, F.DEPARTEMENT),
        (R, "Subvention", "Conseil Départemnt du Var", F.DEPARTEMENT),  # in the funder's name
    ],
)
def test_typing_slips_are_read_through(
    side: Side, label: str, funder: str | None, expected: ExpenseCategory | FundingCategory
) -> None:
    c = classify(_line(side, None, Chart.UNKNOWN, label, funder))
    assert c.category is expected


def test_a_corrected_label_says_how_it_was_read() -> None:
    c = classify(_line(X, None, Chart.UNKNOWN, "Formaton des référentes", None))
    assert "lu « formation des referentes »" in c.explanation_fr
    assert "read 'formation des referentes'" in c.explanation_en
    # a word two slips away, or near two keyword words, is not guessed
    assert not classify(_line(X, None, Chart.UNKNOWN, "Frmaton", None)).classified
    assert not classify(_line(X, None, Chart.UNKNOWN, "Friandises", None)).classified


# ---- rule sets ---------------------------------------------------------------------


def _acc(rule_id: str, prefix: str, **kw: object) -> AccountRule:
    kw.setdefault("category", E.TRAINING)
    return AccountRule(id=rule_id, side=X, prefix=prefix, **kw)  # type: ignore[arg-type]


def _kw(rule_id: str, priority: int, *patterns: str, **kw: object) -> KeywordRule:
    kw.setdefault("category", E.TRAINING)
    return KeywordRule(id=rule_id, side=X, priority=priority, patterns=patterns, **kw)  # type: ignore[arg-type]


def test_rule_set_lists_every_problem() -> None:
    with pytest.raises(InvalidRuleSet) as info:
        RuleSet(
            account_rules=(
                _acc("a", "641"),
                _acc("a", "641"),
                _acc("b", "622", when=("formation",)),
                _acc("c", "622", when=("formation",)),
                _acc("d", "74", category=F.EPCI),
                _acc("e", "6", cerfa_line=CerfaLine.STATE),
            ),
            keyword_rules=(
                _kw("k1", 10, "vacat"),
                _kw("k2", 10, "loyer"),
                _kw("k3", 20, "vacat"),
                _kw("k4", 30, "Bénévol", "(", "x*"),
                _kw("k5", 40, "rien", category=None),
                _kw("k6", 50, "autre", category=E.UNCLASSIFIED),
            ),
        )
    problems = "\n".join(info.value.problems)
    expected = [
        "rule 'a': id used twice",
        "rule 'a': duplicate prefix '641' (any chart)",
        "rule 'c': unreachable, rule 'b' has the same prefix '622'",
        "rule 'd': category 'epci' is not an ExpenseCategory",
        "rule 'e': CERFA line '74etat' is on the funding side",
        "rule 'k2': priority 10 already used by rule 'k1'",
        "rule 'k3': unreachable, every pattern is already tried earlier by rule 'k1'",
        "rule 'k4': pattern 'Bénévol' is not in normalised form",
        "rule 'k4': pattern '(' is not a valid regex",
        "rule 'k4': pattern 'x*' matches an empty label",
        "rule 'k5': a modifier (no category) must set nature, indirect, cerfa_line or envelope",
        "rule 'k6': 'unclassified' is the engine's answer",
    ]
    for fragment in expected:
        assert fragment in problems
    assert len(info.value.problems) == len(expected)
    assert isinstance(info.value, ReussiteError)
    assert str(info.value).startswith("invalid budget rule set:\n  - ")


def test_rule_whose_example_another_rule_decides_is_unreachable() -> None:
    shadowed = _kw("late-sessional", 999, r"\bvacations? d ete", example="Vacations d'été")
    with pytest.raises(InvalidRuleSet, match="decided by exp-sessional"):
        DEFAULT_RULES.with_rules(shadowed)
    assert DEFAULT_RULES.with_rules(attrs.evolve(shadowed, priority=39)).get("late-sessional")


def test_users_add_and_override_rules() -> None:
    local = _acc("local-6068", "6068", category=E.SERVICE_PROVISION, note="Friandises")
    rules = DEFAULT_RULES.with_rules(local)
    line = BudgetLine(
        side=X, label="Friandises (fournitures)", account_code="6068", chart=M57, amount_cents=1
    )
    assert classify(line).category is E.SUPPLIES
    assert classify(line, rules=rules).category is E.SERVICE_PROVISION
    # Override by id keeps the position and changes the category.
    override = attrs.evolve(DEFAULT_RULES.get("exp-606"), category=E.DOCUMENTATION)
    assert isinstance(override, AccountRule)
    assert classify(line, rules=DEFAULT_RULES.with_rules(override)).category is E.DOCUMENTATION
    # A keyword rule can replace an account rule of the same id, and the reverse.
    swapped = DEFAULT_RULES.with_rules(_kw("exp-606", 9999, "friandises", example="Friandises"))
    assert isinstance(swapped.get("exp-606"), KeywordRule)
    back = swapped.with_rules(DEFAULT_RULES.get("exp-606"))
    assert isinstance(back.get("exp-606"), AccountRule)
    assert len(back) == len(DEFAULT_RULES)
    assert classify(line, rules=back).rule_id == "exp-606"
    fewer = DEFAULT_RULES.without("exp-606")
    assert len(fewer) == len(DEFAULT_RULES) - 1
    assert classify(line, rules=fewer).rule_id == "exp-supplies"
    assert list(fewer) == list(fewer.rules)


def test_rule_set_errors_say_what_is_accepted() -> None:
    with pytest.raises(InvalidValue, match="the id of a rule"):
        DEFAULT_RULES.get("nope")
    with pytest.raises(InvalidValue, match="the id of a rule"):
        DEFAULT_RULES.without("nope")
    with pytest.raises(InvalidValue, match="an AccountRule or KeywordRule"):
        DEFAULT_RULES.with_rules("exp-606")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="a tuple"):
        RuleSet(account_rules=[], keyword_rules=())  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="an ExpenseCategory or FundingCategory"):
        _acc("x", "6", category="staff")
    with pytest.raises(InvalidValue, match="prefix"):
        _acc("x", "6 41")


def test_conditioned_account_rule_without_example_is_not_checked() -> None:
    rule = _acc("cond", "6068", when=("friandise",), category=E.SERVICE_PROVISION)
    assert rule.conditional
    assert rule.patterns == ("friandise",)
    rules = DEFAULT_RULES.with_rules(rule)
    line = BudgetLine(side=X, label="Friandise", account_code="6068", chart=M57, amount_cents=1)
    assert classify(line, rules=rules).rule_id == "cond"


# ---- text folding --------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Ville de Berre-l'Étang", "ville de berre l etang"),
        ("VILLE DE BERRE L’ETANG", "ville de berre l etang"),
        ("Cœur  d'Œuvre", "coeur d oeuvre"),
        ("FSE+", "fse+"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, folded: str) -> None:
    assert normalise_text(raw) == folded


def test_normalise_account_code() -> None:
    assert normalise_account_code("6 414") == "6414"
    assert normalise_account_code("") is None
    assert normalise_account_code("x" * 21) is None


# ---- properties ------------------------------------------------------------------

WORDS = sorted(
    {
        word
        for rule in DEFAULT_RULES.keyword_rules
        for word in re.findall(r"[a-z]{3,}", " ".join(rule.patterns))
    }
    | {"Ville", "CGET", "Métropole", "vacations", "l'État", "Œuvre", "été", "x"}
)
PREFIXES = sorted({r.prefix for r in DEFAULT_RULES.account_rules} | {"9", "012", "74"})


@st.composite
def budget_lines(draw: st.DrawFn) -> BudgetLine:
    side = draw(st.sampled_from(Side))
    words = draw(
        st.lists(
            st.sampled_from(WORDS)
            | st.text(st.characters(exclude_categories=("Cc",)), min_size=1, max_size=8),
            max_size=5,
        )
    )
    label = " ".join(words).strip() or "ligne"
    code = draw(
        st.none()
        | st.builds(
            lambda p, d: (p + d)[:20], st.sampled_from(PREFIXES), st.text("0123456789", max_size=3)
        )
    )
    funder = draw(st.none() | st.sampled_from(WORDS).filter(lambda w: w.strip()))
    return BudgetLine(
        side=side,
        label=label,
        account_code=code,
        chart=draw(st.sampled_from(Chart)),
        funder=funder,
        nature=draw(st.none() | st.sampled_from(Nature)),
        amount_cents=draw(st.integers(0, 10**9)),
    )


@given(budget_lines())
def test_every_line_gets_exactly_one_classification(line: BudgetLine) -> None:
    c = classify(line)
    expected_type = ExpenseCategory if line.side is Side.EXPENSE else FundingCategory
    assert isinstance(c.category, expected_type)
    if c.classified:
        rule = DEFAULT_RULES.get(c.rule_id)
        assert rule.category is c.category
        assert c.category.value != "unclassified"
    else:
        assert c.category.value == "unclassified"
        assert c.explanation_fr.startswith("non classé : ")
        assert c.explanation_en.startswith("unclassified: ")
    assert "\n" not in c.explanation_fr
    assert "\n" not in c.explanation_en
    if line.nature is not None:
        assert c.nature is line.nature
    if c.cerfa_line is not None:
        assert c.cerfa_line.side is line.side
        if c.nature is Nature.IN_KIND:
            assert c.cerfa_line.in_kind


@given(st.lists(budget_lines(), max_size=12), st.randoms(use_true_random=False))
def test_classification_is_deterministic_and_order_independent(
    lines: list[BudgetLine], rnd: random.Random
) -> None:
    first = [classify(line) for line in lines]
    shuffled = list(enumerate(lines))
    rnd.shuffle(shuffled)
    again = {i: classify(line) for i, line in shuffled}
    assert first == [again[i] for i in range(len(lines))]


def test_keyword_rule_without_example_is_accepted() -> None:
    rule = _kw("friandise", 9999, "friandises?")
    line = BudgetLine(side=X, label="Friandises", amount_cents=1)
    assert classify(line, rules=DEFAULT_RULES.with_rules(rule)).rule_id == "friandise"


def test_classification_validates_its_fields() -> None:
    from reussite.budget import Classification

    with pytest.raises(InvalidValue, match="an ExpenseCategory or FundingCategory"):
        Classification(
            category="staff",  # type: ignore[arg-type]
            nature=Nature.CASH,
            indirect=False,
            cerfa_line=None,
            rule_id="x",
            explanation_fr="x",
            explanation_en="x",
        )
