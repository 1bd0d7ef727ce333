from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from reussite.cli._budget import register, run
from reussite.samples import sample_path

SEED = sample_path("budget")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reussite")
    register(parser.add_subparsers(dest="command", required=True))
    return parser


def _main(argv: list[str]) -> int:
    from reussite.cli import main

    return main(argv)


def test_budget_prints_the_french_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["budget", str(SEED)]) == 0
    out = capsys.readouterr()
    assert "Charges de personnel" in out.out
    assert "196 295,00 €    83 %" in out.out
    assert out.err == ""


def test_budget_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["budget", str(SEED), "--format", "json", "--children", "192"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["funding"]["total_cents"] == 23_650_000
    assert data["state_share_percent"] == 63.4
    assert data["cost_per_child_cents"] == 123_177
    assert {p["label"]: p["percent"] for p in data["expenses"]["by_group"]} == {
        "Charges de personnel": 83,
        "Prestations de service": 10,
        "Formations équipe": 3,
        "Fournitures non stockées": 4,
    }


def test_budget_cerfa_records_and_basis(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["budget", str(SEED), "--format", "cerfa"]) == 0
    assert "TOTAL DES CHARGES" in capsys.readouterr().out
    assert _main(["budget", str(SEED), "--format", "records"]) == 0
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]  # JSON Lines
    assert len(records) == 25 == out.count("\n")
    assert records[7]["rule_id"] == "m57-6414"
    assert _main(["budget", str(SEED), "--basis", "all", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["expenses"]["total_cents"] == 26_650_000


def test_bad_file_exits_1_with_located_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Sens;Libellé;Montant\nDépense;Loyer;douze\nDépense;Eau;10\n", "utf-8")
    assert _main(["budget", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert "line 2, column 'Montant'" in out.err
    assert "got 'douze'" in out.err
    assert _main(["budget", str(path), "--lenient", "--chart", "m57", "--year", "2018"]) == 1
    out = capsys.readouterr()
    assert "10,00 €" in out.out
    assert f"reussite budget : erreur : {path} : line 2, column 'Montant'" in out.err
    assert out.err.endswith("(ligne laissée de côté)\n")
    assert all(line.startswith("reussite budget : ") for line in out.err.splitlines())


def test_missing_file_is_a_usage_error_like_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["budget", str(tmp_path / "missing.csv")]) == 2
    err = capsys.readouterr().err
    assert err == f"reussite budget : erreur : {tmp_path / 'missing.csv'} : fichier introuvable\n"


def test_a_cohort_file_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    cohort = sample_path("cohort")
    assert _main(["budget", str(cohort)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "ce fichier est du JSON (une cohorte ?)" in err


def test_many_bad_rows_are_counted_after_the_first_twenty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    rows = "".join(f"Dépense;Loyer {i};douze\n" for i in range(50))
    path.write_text(f"Sens;Libellé;Montant\n{rows}Dépense;Eau;10\n", "utf-8")
    assert _main(["budget", str(path), "--lenient"]) == 1
    err = [x for x in capsys.readouterr().err.splitlines() if " : erreur : " in x]
    assert len(err) == 21
    assert err[-1].endswith(": … et 30 autres lignes en erreur, laissées de côté")


def test_a_ledger_on_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEED.read_bytes())))
    assert _main(["budget", "-", "--format", "records"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 25


@pytest.mark.parametrize(
    "argv",
    [
        ["budget"],
        ["budget", "x.csv", "--format", "xml"],
        ["budget", "x.csv", "--children", "0"],
        ["budget", "x.csv", "--children", "many"],
        ["budget", "x.csv", "--year", "18"],
        ["budget", "x.csv", "--chart", "m99"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(argv)
    assert info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_run_is_the_handler() -> None:
    args = _parser().parse_args(["budget", "x.csv"])
    assert args.handler is run


def test_usage_errors_of_the_options_are_french_and_name_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "absent.toml"
    assert _main(["budget", str(SEED), "--rules", str(absent)]) == 2
    assert (
        capsys.readouterr().err
        == f"reussite budget : erreur : --rules {absent} : fichier introuvable\n"
    )
    assert _main(["budget", str(SEED), "--compare-years", "2017", "2018"]) == 2
    assert capsys.readouterr().err == (
        "reussite budget : erreur : --compare-years : pas d'exercice 2017 dans le grand livre"
        " (l'exercice 2018)\n"
    )
    assert _main(["budget", str(SEED), "--only-year", "2019"]) == 2
    assert "--only-year 2019 : le grand livre a l'exercice 2018" in capsys.readouterr().err
    assert _main(["budget", str(SEED), "--format", "crf"]) == 1
    assert "--format crf demande des montants prévisionnels et réalisés" in capsys.readouterr().err


def test_warnings_are_one_line_each_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixte.csv"
    text = "Sens;Compte;Libellé;Montant\nDépense;6042;Séjour;10\n".encode()
    path.write_bytes(text + "Recette;7474;Subvention Région;10\n".encode("cp1252"))
    assert _main(["budget", str(path), "--chart", "m57"]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"reussite budget : attention : {path} : ")
    assert all(line.startswith("reussite budget : attention : ") for line in err.splitlines())
