"""Amounts and files never read wrong, forecast vs actual, years, actions, rule files, xlsx."""

from __future__ import annotations

import io
import json
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reussite.budget import (
    DEFAULT_RULES,
    BudgetComparison,
    BudgetLine,
    BudgetSummary,
    Chart,
    InvalidRuleSet,
    Side,
    Stage,
    dump_rules,
    load_rules,
    parse_amount,
    read_ledger,
    read_rules,
    split_by_year,
    to_xlsx,
)
from reussite.budget._summary import apportion_euros
from reussite.cli import main
from reussite.errors import InvalidInput, InvalidValue

X, R = Side.EXPENSE, Side.FUNDING


@pytest.mark.parametrize(
    "text", ["100 50", "1 2 3 4,56", "0'3", "1\t234,56", "12\t5", "١٢٣", "٢٠٢٤", "1 234.567,00",
             "1.234 567", "12 ,5", "1'23"],
)  # fmt: skip
def test_only_real_thousands_grouping_is_accepted(text: str) -> None:
    with pytest.raises(InvalidValue, match="thousands grouped by three"):
        parse_amount(text)
    ledger = read_ledger(f"Sens;Libellé;Montant\nDépense;Loyer;{text}\n", strict=False)
    (error,) = ledger.errors
    assert (error.line, error.column, error.value) == (2, "Montant", text)


def test_years_in_other_scripts_are_refused() -> None:
    ledger = read_ledger("Exercice;Sens;Libellé;Montant\n٢٠٢٤;Dépense;Loyer;1\n", strict=False)
    assert [(e.line, e.column) for e in ledger.errors] == [(2, "Exercice")]


@given(st.integers(0, 10**12), st.sampled_from([" ", "\u00a0", "\u202f", ".", "'"]))
def test_grouped_amounts_read_back(cents: int, separator: str) -> None:
    euros, rest = divmod(cents, 100)
    text = f"{euros:,}".replace(",", separator) + f",{rest:02d}"
    assert parse_amount(text) == cents


def test_a_utf8_ledger_with_one_cp1252_row_is_read_per_row() -> None:
    data = (
        "Sens;Libellé;Montant\nDépense;Goûters;10\n".encode()
        + "Dépense;Séjour été;20\n".encode("cp1252")
        + "Dépense;Fête;30\n".encode()
    )
    ledger = read_ledger(data)
    assert [line.label for line in ledger.lines] == ["Goûters", "Séjour été", "Fête"]
    assert ledger.encoding == "utf-8+cp1252"
    (warning,) = ledger.warnings
    assert warning.line == 3
    assert "not UTF-8 like the rest" in warning.message
    whole = read_ledger("Sens;Libellé;Montant\nDépense;Séjour été;20\n".encode("cp1252"))
    assert (whole.encoding, whole.warnings) == ("cp1252", ())
    with pytest.raises(InvalidInput, match=r"line 2: the line is neither UTF-8"):
        read_ledger(b"Libell\xe9;Montant\n\x81;1\n")


def test_a_blank_first_line_is_skipped() -> None:
    ledger = read_ledger("\n\nSens;Libellé;Montant\nDépense;Loyer;1 000,00\n")
    assert [(line.label, line.amount_cents, line.source_row) for line in ledger.lines] == [
        ("Loyer", 100_000, 4)
    ]


LEDGER = """Exercice;Sens;Compte;Libellé;Financeur;Action;Prévisionnel;Réalisé;Explication;Forme
2024;Dépense;64131;Rémunération référentes;;Parcours;80 000;78 500;;
2024;Dépense;6042;Séjours d'été;;Vacances;12 000;6 500;séjour de juillet annulé;
2024;Dépense;6064;Fournitures;;Parcours;1 000;;;
2024;Dépense;6247;Car pour la sortie;;Vacances;;900;sortie ajoutée en août;
2024;Recette;74718;Subvention PRE;ANCT;;60 000;60 000;;
2024;Recette;7474;Participation;Ville de Miramas;;33 000;25 900;vote réduit;
2024;Recette;;Salle prêtée;Ville de Miramas;;;;;en nature
"""


def test_forecast_and_actual_columns_give_two_lines_per_row() -> None:
    ledger = read_ledger(LEDGER, chart=Chart.M57)
    stages = [(line.source_row, line.stage) for line in ledger.lines]
    assert stages[:4] == [(2, Stage.FORECAST), (2, Stage.ACTUAL), (3, Stage.FORECAST),
                          (3, Stage.ACTUAL)]  # fmt: skip
    assert (ledger.lines[-1].stage, ledger.lines[-1].amount_cents) == (None, None)
    with pytest.raises(InvalidValue, match="forecast and actual lines"):
        BudgetSummary.from_lines(ledger.lines)
    with pytest.raises(InvalidInput, match="both say which amount"):
        read_ledger("Libellé;Montant;Réalisé\nLoyer;1;1\n")


def test_execution_by_category_funder_and_action_with_gaps_explained() -> None:
    lines = read_ledger(LEDGER, chart=Chart.M57).lines
    c = BudgetComparison.execution(lines, children_followed=40)
    services = next(g for g in c.expenses_by_category if g.key == "service_provision")
    assert (services.before_cents, services.after_cents, services.gap_cents) == (
        1_200_000, 650_000, -550_000
    )  # fmt: skip
    assert services.rate == Fraction(650_000, 1_200_000)
    assert services.notes == ("séjour de juillet annulé",)
    city = next(g for g in c.funding_by_funder if g.key == "ville de miramas")
    assert city.rate_percent(0) == 78
    travel = next(g for g in c.expenses_by_category if g.key == "travel")
    assert travel.rate is None
    assert travel.significant(Fraction(15, 100))
    actions = {g.key: (g.before_cents, g.after_cents) for g in c.expenses_by_action}
    assert actions == {"parcours": (8_100_000, 7_850_000), "vacances": (1_200_000, 740_000)}
    assert c.after.cost_per_child_by_action() == {"parcours": 196_250, "vacances": 18_500}
    explained = "\n".join(c.explanations())
    assert "604 Prestations de services" in explained
    assert "séjour de juillet annulé" in explained
    assert "non prévu" in explained
    assert "sortie ajoutée en août" in explained
    assert "641" not in explained  # 98 %: not significant
    report = c.to_report_text()
    assert "CERFA n° 15059" in report
    assert "dont Ville de Miramas (droit commun)" in report
    assert "78 500 €" in report  # whole euros
    assert "Salle prêtée" not in c.to_text()
    assert json.loads(json.dumps(c.to_dict()))["explanations"] == list(c.explanations())
    with pytest.raises(InvalidValue, match="no réalisé line"):
        BudgetComparison.execution([x for x in lines if x.stage is not Stage.ACTUAL])


def test_a_multi_year_ledger_is_split_never_summed() -> None:
    lines = [
        BudgetLine(side=X, label="Loyer", account_code="613", amount_cents=100, year=2023),
        BudgetLine(side=X, label="Loyer", account_code="613", amount_cents=150, year=2024),
        BudgetLine(side=R, label="Subvention", funder="ANCT", amount_cents=100, year=2023),
        BudgetLine(side=R, label="Subvention", funder="ANCT", amount_cents=150, year=2024),
    ]
    with pytest.raises(InvalidValue, match="lines of 2 years: 2023, 2024"):
        BudgetSummary.from_lines(lines)
    assert list(split_by_year(lines)) == [2023, 2024]
    c = BudgetComparison.between_years(lines, 2023, 2024)
    (premises,) = c.expenses_by_category
    assert (premises.before_cents, premises.after_cents, premises.rate_percent(0)) == (
        100,
        150,
        150,
    )
    assert "Budget 2023 et 2024 comparés" in c.to_text()
    with pytest.raises(InvalidValue, match="a year of the ledger"):
        BudgetComparison.between_years(lines, 2022, 2024)
    with pytest.raises(InvalidValue, match="a budget year on every line"):
        split_by_year([BudgetLine(side=X, label="Loyer", amount_cents=1)])


@given(st.lists(st.integers(0, 10**8), max_size=20))
def test_whole_euros_add_up_to_the_rounded_total(amounts: list[int]) -> None:
    euros = apportion_euros(amounts)
    assert sum(euros) == (sum(amounts) + 50) // 100
    assert all(abs(e * 100 - a) < 100 for e, a in zip(euros, amounts, strict=True))


def test_cerfa_in_whole_euros_adds_up_and_checks_warn() -> None:
    lines = [
        BudgetLine(side=X, label="Loyer", account_code="613", amount_cents=10_050),
        BudgetLine(side=X, label="Eau", account_code="6061", amount_cents=10_050),
        BudgetLine(side=R, label="Subvention", funder="ANCT", amount_cents=20_000),
        BudgetLine(side=X, label="Bénévoles", account_code="864", amount_cents=5_000),
    ]
    s = BudgetSummary.from_lines(lines)
    rows = s.cerfa_rows(whole_euros=True)
    assert all(r.amount_cents % 100 == 0 for r in rows)
    charges = [r for r in rows if r.side is X]
    assert sum(r.amount_cents for r in charges if r.kind == "line" and r.ref != "864") == next(
        r.amount_cents for r in charges if r.kind == "total"
    ) == 20_100  # fmt: skip
    checks = s.checks()
    assert any("n'est pas égal au total des produits" in c for c in checks)
    assert any("(86 : 50,00 €)" in c for c in checks)
    assert "Attention" in s.to_cerfa_text()


def test_rule_files_read_dump_and_locate_problems(tmp_path: Path) -> None:
    assert read_rules(dump_rules(DEFAULT_RULES)) == DEFAULT_RULES
    path = tmp_path / "regles.toml"
    path.write_text(
        'drop = ["exp-606"]\n[[account]]\nid = "local-6068"\nside = "expense"\n'
        'prefix = "6068"\nwhen = [\'friandises?\']\ncategory = "service_provision"\n',
        encoding="utf-8",
    )
    rules = load_rules(path)
    assert len(rules) == len(DEFAULT_RULES)
    with pytest.raises(InvalidRuleSet) as info:
        read_rules('x = 1\n[[account]]\nid = "a"\nside = "both"\nprefix = "6"\n', source="f")
    problems = "\n".join(info.value.problems)
    assert "f: unknown top-level key(s) 'x'" in problems
    assert "[[account]] number 1 ('a'): 'side' must be one of 'expense', 'funding'" in problems
    with pytest.raises(InvalidRuleSet, match="not valid TOML"):
        read_rules("[[account", source="f")
    with pytest.raises(InvalidRuleSet, match="'drop' names 'nope'"):
        read_rules('drop = ["nope"]\n')


def test_xlsx_has_the_cerfa_tables_in_whole_euros() -> None:
    lines = read_ledger(LEDGER, chart=Chart.M57).lines
    c = BudgetComparison.execution(lines)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(c.before, comparison=c)))
    assert book.sheetnames == ["CERFA 12156", "Compte rendu 15059", "Lignes", "Contrôles"]
    cerfa = list(book["CERFA 12156"].iter_rows(values_only=True))
    assert ("641", "Rémunération des personnels", 80_000) in cerfa
    assert (None, "dont ANCT (politique de la ville)", 60_000) in cerfa
    report = list(book["Compte rendu 15059"].iter_rows(values_only=True))
    assert ("Rémunération des personnels", 80_000, 78_500, -1_500, 98) in report


def test_cli_execution_crf_xlsx_years_and_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "budget.csv"
    ledger.write_text(LEDGER, encoding="utf-8")
    assert main(["budget", str(ledger), "--chart", "m57"]) == 0
    out = capsys.readouterr()
    assert "Exécution du budget - exercice 2024" in out.out
    assert out.err == ""  # both budgets balance
    assert main(["budget", str(ledger), "--format", "crf"]) == 0
    assert "CERFA n° 15059" in capsys.readouterr().out
    assert main(["budget", str(ledger), "--stage", "forecast", "--format", "cerfa"]) == 0
    assert "Budget prévisionnel (CERFA n° 12156" in capsys.readouterr().out
    target = tmp_path / "cerfa.xlsx"
    assert main(["budget", str(ledger), "--format", "xlsx", "-o", str(target)]) == 0
    assert openpyxl.load_workbook(target).sheetnames[0] == "CERFA 12156"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    years = tmp_path / "years.csv"
    years.write_text(
        "Exercice;Sens;Compte;Libellé;Montant\n2023;Dépense;613;Loyer;100\n"
        "2024;Dépense;613;Loyer;150\n",
        encoding="utf-8",
    )
    assert main(["budget", str(years)]) == 0
    out = capsys.readouterr().out
    assert "exercice 2023" in out
    assert "exercice 2024" in out
    assert main(["budget", str(years), "--format", "json"]) == 0
    assert set(json.loads(capsys.readouterr().out)["by_year"]) == {"2023", "2024"}
    assert main(["budget", str(years), "--compare-years", "2023", "2024"]) == 0
    assert "150 %" in capsys.readouterr().out
    assert main(["budget", str(years), "--only-year", "2024", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["year"] == 2024
    assert main(["budget", str(years), "--only-year", "2022"]) == 2
    assert main(["budget", str(years), "--format", "crf"]) == 2
    assert "--only-year" in capsys.readouterr().err
    rules = tmp_path / "regles.toml"
    rules.write_text(
        '[[keyword]]\nid = "local-loyer"\nside = "expense"\npriority = 1\n'
        "patterns = ['loyers? impayes?']\ncategory = \"individual_aid\"\n",
        encoding="utf-8",
    )
    plain = tmp_path / "plain.csv"
    plain.write_text("Sens;Libellé;Montant\nDépense;Loyer impayé (famille);100\n", encoding="utf-8")
    assert main(["budget", str(plain), "--rules", str(rules), "--format", "records"]) == 0
    assert json.loads(capsys.readouterr().out)["rule_id"] == "local-loyer"
    rules.write_text("[[keyword]]\n", encoding="utf-8")
    assert main(["budget", str(plain), "--rules", str(rules)]) == 1
    assert "the key 'id' is required" in capsys.readouterr().err
