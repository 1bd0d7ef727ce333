"""The seed's 2018 budget (Pays Salonais PRE), recomputed from the example ledger.

Every figure is computed from the ``budget`` sample (``reussite.samples``) by the library
and compared with what the seed document states in its BUDGET box.
"""

from __future__ import annotations

import runpy
from decimal import Decimal
from pathlib import Path

import pytest

from reussite.budget import (
    Basis,
    BudgetSummary,
    CerfaLine,
    ExpenseCategory,
    FundingCategory,
    Nature,
    Side,
    load_ledger,
)
from reussite.samples import sample_path

LEDGER = sample_path("budget")
EUR = 100  # cents


@pytest.fixture(scope="module")
def summary() -> BudgetSummary:
    return BudgetSummary.from_lines(load_ledger(LEDGER).lines, children_followed=192)


def test_the_ledger_reads_without_error_and_every_line_is_classified() -> None:
    ledger = load_ledger(LEDGER)
    assert ledger.errors == ()
    assert ledger.encoding == "utf-8-sig"
    assert ledger.rows == len(ledger.lines) == 25
    assert {line.year for line in ledger.lines} == {2018}
    assert BudgetSummary.from_lines(ledger.lines).unclassified == ()


def test_funding_state_150000_cget(summary: BudgetSummary) -> None:
    funding = summary.funding_by_category
    assert funding["state_politique_ville"].amount_cents == 150_000 * EUR
    assert summary.funding_by_funder["cget"].amount_cents == 150_000 * EUR
    assert summary.state_cents == 150_000 * EUR


def test_funding_metropolis_86500_cash_and_30000_indirect(summary: BudgetSummary) -> None:
    metropolis = [
        c
        for c in summary.lines
        if c.line.side is Side.FUNDING and c.classification.category is FundingCategory.EPCI
    ]
    cash = sum(
        c.line.amount_cents or 0 for c in metropolis if c.classification.nature is Nature.CASH
    )
    indirect = [c for c in metropolis if c.classification.indirect]
    assert cash == 86_500 * EUR
    assert summary.funding_by_category["epci"].amount_cents == 86_500 * EUR  # cash basis
    assert [c.line.amount_cents for c in indirect] == [30_000 * EUR]
    assert indirect[0].classification.nature is Nature.IN_KIND
    assert summary.indirect_cents == {"expense": 30_000 * EUR, "funding": 30_000 * EUR}
    everything = BudgetSummary.from_lines([c.line for c in summary.lines], basis=Basis.ALL)
    assert everything.funding_by_category["epci"].amount_cents == 116_500 * EUR


def test_funding_cities_in_kind_without_valuation(summary: BudgetSummary) -> None:
    cities = [
        c
        for c in summary.lines
        if c.line.side is Side.FUNDING and c.classification.category is FundingCategory.COMMUNE
    ]
    assert sorted(c.line.funder or "" for c in cities) == [
        "Ville de Berre-l'Étang",
        "Ville de Salon-de-Provence",
    ]
    for c in cities:
        assert c.line.amount_cents is None
        assert c.classification.nature is Nature.IN_KIND
        assert c.classification.indirect
        assert c in summary.unvalued
    assert "commune" not in summary.funding_by_category


def test_totals_state_share_and_co_funding(summary: BudgetSummary) -> None:
    assert summary.funding_total_cents == 236_500 * EUR
    assert summary.expense_total_cents == 236_500 * EUR
    assert summary.balance_cents == 0
    assert summary.in_kind_cents == {"expense": 30_000 * EUR, "funding": 30_000 * EUR}
    assert summary.cash_cents["funding"] + summary.in_kind_cents["funding"] == 266_500 * EUR
    assert summary.state_share_percent() == Decimal("63.4")
    assert summary.co_funding_rate_percent() == Decimal("36.6")
    assert summary.funding_by_category.percents() == {
        "state_politique_ville": 63,
        "epci": 37,
    }


def test_expenses_under_the_seeds_own_grouping(summary: BudgetSummary) -> None:
    groups = summary.expenses_by_group
    assert {p.label: p.percent for p in groups.parts} == {
        "Charges de personnel": 83,
        "Prestations de service": 10,
        "Formations équipe": 3,
        "Fournitures non stockées": 4,
    }
    # Exactly, not only after rounding.
    assert {p.label: p.amount_cents * 100 / groups.total_cents for p in groups.parts} == {
        "Charges de personnel": 83,
        "Prestations de service": 10,
        "Formations équipe": 3,
        "Fournitures non stockées": 4,
    }


def test_staff_includes_500_hours_of_sessional_work(summary: BudgetSummary) -> None:
    sessional = [
        c for c in summary.lines if c.classification.category is ExpenseCategory.STAFF_SESSIONAL
    ]
    assert len(sessional) == 1
    quantity = sessional[0].line.quantity
    assert quantity is not None
    assert (quantity.value, quantity.unit) == (500, "heures")
    assert sessional[0].line.group == "Charges de personnel"
    by_category = summary.expenses_by_category.amounts()
    assert by_category["staff_internal"] + by_category["staff_sessional"] == 196_295 * EUR


def test_finer_classification_puts_documentation_and_software_in_their_categories(
    summary: BudgetSummary,
) -> None:
    by_category = summary.expenses_by_category.amounts()
    assert by_category["service_provision"] == 23_650 * EUR
    assert by_category["training"] == 7_095 * EUR
    assert by_category["documentation"] == 2_500 * EUR
    assert by_category["it_and_equipment"] == 6_000 * EUR
    assert by_category["supplies"] == 960 * EUR
    assert sum(summary.expenses_by_category.percents().values()) == 100
    side_by_side = {g.label: inside.amounts() for g, inside in summary.group_categories()}
    assert side_by_side["Fournitures non stockées"] == {
        "it_and_equipment": 6_000 * EUR,
        "documentation": 2_500 * EUR,
        "supplies": 960 * EUR,
    }
    assert side_by_side["Charges de personnel"] == {
        "staff_internal": 183_795 * EUR,
        "staff_sessional": 12_500 * EUR,
    }


def test_cost_per_child_followed(summary: BudgetSummary) -> None:
    assert summary.cost_per_child_cents == 123_177  # 236,500 € / 192 children
    everything = BudgetSummary.from_lines(
        [c.line for c in summary.lines], basis=Basis.ALL, children_followed=192
    )
    assert everything.cost_per_child_cents == 138_802  # 266,500 € / 192


def test_cerfa_table_balances(summary: BudgetSummary) -> None:
    rows = {(r.side, r.kind, r.ref): r.amount_cents for r in summary.cerfa_rows()}
    for side in Side:
        assert rows[(side, "total", None)] == 236_500 * EUR
        assert rows[(side, "grand_total", None)] == 266_500 * EUR
    assert rows[(Side.FUNDING, "line", CerfaLine.STATE.value)] == 150_000 * EUR
    assert rows[(Side.FUNDING, "line", CerfaLine.OWN_RESOURCES.value)] == 86_500 * EUR
    assert rows[(Side.FUNDING, "line", "871")] == 30_000 * EUR
    assert rows[(Side.EXPENSE, "line", "861")] == 30_000 * EUR


def test_text_summary_shows_the_seed_figures(summary: BudgetSummary) -> None:
    text = summary.to_text()
    for fragment in [
        "exercice 2018",
        "150 000,00 €    63 %",
        "86 500,00 €    37 %",
        "Part de l'État (numéraire) : 63,4 % ; taux de cofinancement : 36,6 %",
        "Charges de personnel",
        "196 295,00 €    83 %",
        "23 650,00 €    10 %",
        "7 095,00 €     3 %",
        "9 460,00 €     4 %",
        "→ Documentation",
        "→ Informatique et logiciels",
        "Coût par enfant suivi (192 enfants) : 1 231,77 €",
        "Ville de Berre-l'Étang",
        "Toutes les lignes sont classées.",
    ]:
        assert fragment in text


def test_example_script_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    module = runpy.run_path(str(Path(__file__).parent.parent / "examples" / "budget_seed.py"))
    assert module["main"]([]) == 0
    assert "196 295,00 €    83 %" in capsys.readouterr().out
    assert module["main"](["--cerfa"]) == 0
    assert "CERFA n° 12156" in capsys.readouterr().out
