from __future__ import annotations

import json
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reussite.budget import (
    Basis,
    Breakdown,
    BudgetLine,
    BudgetSummary,
    Chart,
    Nature,
    Side,
    format_euros,
    largest_remainder,
)
from reussite.errors import InvalidValue

X, R = Side.EXPENSE, Side.FUNDING


def _lines() -> list[BudgetLine]:
    return [
        BudgetLine(side=X, label="Salaires", account_code="641", amount_cents=60_000, group="A"),
        BudgetLine(side=X, label="Loyer", account_code="613", amount_cents=30_000, group="A"),
        BudgetLine(side=X, label="Bonbons", amount_cents=10_000, group="B"),
        BudgetLine(side=X, label="Ordinateur", account_code="2183", amount_cents=99_999),
        BudgetLine(side=X, label="Salle prêtée", account_code="861", amount_cents=5_000),
        BudgetLine(side=X, label="Locaux prêtés", account_code="861", nature=Nature.IN_KIND),
        BudgetLine(side=R, funder="ANCT", label="Subvention", amount_cents=50_000, year=2024),
        BudgetLine(side=R, funder="anct", label="Complément", amount_cents=10_000, year=2024),
        BudgetLine(side=R, funder="Ville de Salon", label="Subvention", amount_cents=40_000),
        BudgetLine(
            side=R,
            funder="Ville de Salon",
            label="Locaux",
            amount_cents=5_000,
            nature=Nature.IN_KIND,
        ),
        BudgetLine(side=R, label="Part du CAF", share=0.1),
    ]


def test_summary_on_cash_basis() -> None:
    s = BudgetSummary.from_lines(_lines(), children_followed=3)
    assert s.basis is Basis.CASH
    assert s.expenses_by_category.amounts() == {
        "staff_internal": 60_000,
        "premises": 30_000,
        "unclassified": 10_000,
    }
    assert s.expenses_by_group.amounts() == {"a": 90_000, "b": 10_000}
    assert s.expenses_by_group["a"].label == "A"
    assert s.funding_by_category.amounts() == {"state_politique_ville": 60_000, "commune": 40_000}
    assert s.funding_by_funder.amounts() == {"anct": 60_000, "ville de salon": 40_000}
    assert s.funding_by_funder["anct"].label == "ANCT"
    assert s.funding_by_funder["anct"].lines == 2
    assert s.expense_total_cents == s.funding_total_cents == 100_000
    assert s.balance_cents == 0
    assert s.cash_cents == {"expense": 100_000, "funding": 100_000}
    assert s.in_kind_cents == {"expense": 5_000, "funding": 5_000}
    assert s.indirect_cents == {"expense": 5_000, "funding": 0}
    assert s.state_share == Fraction(3, 5)
    assert s.co_funding_rate == Fraction(2, 5)
    assert s.state_share_percent() == Decimal("60.0")
    assert s.co_funding_rate_percent(0) == Decimal("40")
    assert s.cost_per_child_cents == 33_333
    assert [c.line.label for c in s.unvalued] == ["Locaux prêtés", "Part du CAF"]
    assert [c.line.label for c in s.excluded] == ["Ordinateur"]
    assert [c.line.label for c in s.unclassified] == ["Bonbons"]
    assert s.year == 2024


def test_summary_on_all_basis_counts_valued_in_kind() -> None:
    s = BudgetSummary.from_lines(_lines(), basis=Basis.ALL)
    assert s.expense_total_cents == 105_000
    assert s.funding_by_category.amounts()["commune"] == 45_000
    assert s.expenses_by_category["in_kind_premises_equipment"].amount_cents == 5_000
    assert s.cost_per_child_cents is None


def test_cerfa_rows_balance_and_show_unclassified() -> None:
    s = BudgetSummary.from_lines(_lines())
    rows = s.cerfa_rows()
    charges = [r for r in rows if r.side is X]
    assert [(r.kind, r.ref, r.amount_cents) for r in charges] == [
        ("chapter", "61", 30_000),
        ("line", "613", 30_000),
        ("chapter", "64", 60_000),
        ("line", "641", 60_000),
        ("chapter", None, 10_000),
        ("total", None, 100_000),
        ("chapter", "86", 5_000),
        ("line", "861", 5_000),
        ("grand_total", None, 105_000),
    ]
    produits = [r for r in rows if r.side is R]
    assert [(r.kind, r.ref, r.amount_cents) for r in produits][-1] == ("grand_total", None, 105_000)
    text = s.to_cerfa_text()
    assert "CHARGES" in text
    assert "PRODUITS" in text
    assert "(non classé)" in text
    assert "Ville de Salon - Locaux" not in text  # the city's in-kind line is valued
    assert "dont Ville de Salon (droit commun)" in text  # its cash grant, on line 74
    assert "ligne(s) non classée(s)" in text


def test_text_rendering_lists_unvalued_unclassified_and_investment() -> None:
    text = BudgetSummary.from_lines(_lines(), children_followed=3).to_text()
    assert "Base des totaux et des parts : numéraire" in text
    assert "Part de l'État (numéraire) : 60,0 % ; taux de cofinancement : 40,0 %" in text
    assert "Coût par enfant suivi (3 enfants) : 333,33 €" in text
    assert "Lignes non classées" in text
    assert "Bonbons (non classé : pas de numéro de compte" in text
    assert "Investissement (hors budget de fonctionnement) :\n  - Ordinateur" in text
    assert "Contributions sans montant" in text


def test_empty_summary() -> None:
    s = BudgetSummary.from_lines([])
    assert s.expense_total_cents == 0
    assert s.state_share is None
    assert s.co_funding_rate is None
    assert s.state_share_percent() is None
    assert s.year is None
    assert "Toutes les lignes sont classées." in s.to_text()
    assert json.loads(json.dumps(s.to_dict()))["state_share_percent"] is None


def test_to_dict_is_json_ready_and_records_have_one_row_per_line() -> None:
    s = BudgetSummary.from_lines(_lines(), decimals=1)
    data = json.loads(json.dumps(s.to_dict()))
    assert data["expenses"]["total_cents"] == 100_000
    assert data["expenses"]["by_category"][0] == {
        "key": "staff_internal",
        "label": "Personnel salarié",
        "amount_cents": 60_000,
        "percent": 60,
        "lines": 1,
    }
    assert data["state_share_percent"] == 60
    records = s.records()
    assert len(records) == len(_lines())
    assert records[0]["rule_id"] == "exp-641"
    assert json.loads(json.dumps(records)) == records


def test_breakdown_lookup_errors_list_keys() -> None:
    b = Breakdown.of([("a", "A", 1)])
    assert "a" in b
    assert "z" not in b
    assert b.percents() == {"a": Decimal(100)}
    with pytest.raises(InvalidValue, match=r"one of the keys present \('a'\)"):
        b["z"]


def test_from_lines_refuses_bad_arguments() -> None:
    line = _lines()[0]
    assert BudgetSummary.from_lines(line).expense_total_cents == 60_000
    with pytest.raises(InvalidValue, match=r"lines\[1\]"):
        BudgetSummary.from_lines([line, {"label": "x"}])  # type: ignore[list-item]
    with pytest.raises(InvalidValue, match="a Basis"):
        BudgetSummary.from_lines([line], basis="cash")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="an int >= 1"):
        BudgetSummary.from_lines([line], children_followed=0)
    with pytest.raises(InvalidValue, match="an int from 0 to 4"):
        BudgetSummary.from_lines([line], decimals=5)


def test_largest_remainder_edge_cases() -> None:
    assert largest_remainder([]) == ()
    assert largest_remainder([0, 0]) == (Decimal(0), Decimal(0))
    assert largest_remainder([1, 2], decimals=1) == (Decimal("33.3"), Decimal("66.7"))
    with pytest.raises(InvalidValue):
        largest_remainder([-1])
    with pytest.raises(InvalidValue):
        largest_remainder([1], decimals=True)  # type: ignore[arg-type]


def test_format_euros() -> None:
    assert format_euros(0) == "0,00 €"
    assert format_euros(123_456_789) == "1 234 567,89 €"


# ---- properties ------------------------------------------------------------------

LABELS = ["Salaires", "Loyer", "Vacations", "Formation", "Bonbons", "Logiciel", "Subvention"]
FUNDERS = ["CGET", "ANCT", "Ville de Salon", "Métropole", "CAF", None]
CODES = [None, "641", "6414", "604", "6156", "2183", "861", "74718", "7474", "871"]


@st.composite
def budget_lines(draw: st.DrawFn) -> BudgetLine:
    nature = draw(st.sampled_from([None, Nature.CASH, Nature.IN_KIND]))
    amount = draw(st.integers(0, 10**10))
    return BudgetLine(
        side=draw(st.sampled_from(Side)),
        label=draw(st.sampled_from(LABELS)),
        funder=draw(st.sampled_from(FUNDERS)),
        account_code=draw(st.sampled_from(CODES)),
        chart=draw(st.sampled_from([Chart.M57, Chart.PCG, Chart.UNKNOWN])),
        amount_cents=draw(st.none())
        if nature is Nature.IN_KIND and draw(st.booleans())
        else amount,
        nature=nature,
        group=draw(st.sampled_from([None, "A", "B", "a"])),
    )


BREAKDOWNS = [
    "expenses_by_category",
    "expenses_by_group",
    "expenses_by_cerfa_line",
    "funding_by_category",
    "funding_by_funder",
    "funding_by_cerfa_line",
]


@given(
    st.lists(budget_lines(), max_size=25),
    st.sampled_from(Basis),
    st.integers(0, 2),
)
def test_parts_sum_to_total_and_shares_to_100(
    lines: list[BudgetLine], basis: Basis, decimals: int
) -> None:
    s = BudgetSummary.from_lines(lines, basis=basis, decimals=decimals)
    counted = [
        c
        for c in s.lines
        if c.line.valued
        and c not in s.excluded
        and (basis is Basis.ALL or c.classification.nature is Nature.CASH)
    ]
    for side, name in ((X, "expenses"), (R, "funding")):
        total = sum(c.line.amount_cents or 0 for c in counted if c.line.side is side)
        for attribute in BREAKDOWNS:
            if not attribute.startswith(name):
                continue
            breakdown: Breakdown = getattr(s, attribute)
            assert breakdown.total_cents == total
            assert sum(p.amount_cents for p in breakdown.parts) == total
            assert sum(p.lines for p in breakdown.parts) == sum(
                1 for c in counted if c.line.side is side
            )
            if total:
                assert sum(p.percent for p in breakdown.parts) == 100
                for p in breakdown.parts:
                    exact = Fraction(p.amount_cents * 100, total)
                    assert abs(Fraction(p.percent) - exact) < Fraction(1, 10**decimals)
    cash, in_kind = s.cash_cents, s.in_kind_cents
    valued = [c for c in s.lines if c.line.valued and c not in s.excluded]
    assert cash["expense"] + in_kind["expense"] == sum(
        c.line.amount_cents or 0 for c in valued if c.line.side is X
    )
    for group, inside in s.group_categories():
        assert sum(p.amount_cents for p in inside.parts) == group.amount_cents
    rows = s.cerfa_rows()
    for side in Side:
        mine = [r for r in rows if r.side is side]
        lines_total = sum(
            r.amount_cents
            for r in mine
            if r.kind == "line" or (r.ref is None and r.kind == "chapter")
        )
        assert (
            mine[-1].amount_cents
            == lines_total
            == sum(c.line.amount_cents or 0 for c in valued if c.line.side is side)
        )


@given(st.lists(budget_lines(), max_size=15), st.randoms(use_true_random=False))
def test_summary_is_independent_of_line_order(lines: list[BudgetLine], rnd: random.Random) -> None:
    shuffled = list(lines)
    rnd.shuffle(shuffled)
    a, b = BudgetSummary.from_lines(lines), BudgetSummary.from_lines(shuffled)
    for attribute in BREAKDOWNS:
        assert getattr(a, attribute) == getattr(b, attribute)
    assert (a.cash_cents, a.in_kind_cents, a.indirect_cents, a.state_cents) == (
        b.cash_cents,
        b.in_kind_cents,
        b.indirect_cents,
        b.state_cents,
    )
    assert a.cerfa_rows() == b.cerfa_rows()
    assert a.group_categories() == b.group_categories()


@given(st.lists(st.integers(0, 10**12), max_size=30), st.integers(0, 4))
def test_largest_remainder_adds_up_to_100(amounts: list[int], decimals: int) -> None:
    shares = largest_remainder(amounts, decimals=decimals)
    assert len(shares) == len(amounts)
    if sum(amounts):
        assert sum(shares) == 100
        floors = [Fraction(a * 100, sum(amounts)) for a in amounts]
        step = Fraction(1, 10**decimals)
        assert all(f - step < Fraction(s) < f + step for f, s in zip(floors, shares, strict=True))


def test_cerfa_text_without_unvalued_funding() -> None:
    line = BudgetLine(side=X, label="Loyer", account_code="613", amount_cents=1)
    text = BudgetSummary.from_lines([line]).to_cerfa_text()
    assert "non valorisées" not in text
    assert "Locations" in text
