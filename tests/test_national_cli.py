from __future__ import annotations

import json

import pytest

from reussite.cli import main
from reussite.samples import sample_path

COHORT = str(sample_path("cohort"))
LEDGER = str(sample_path("budget"))
DECLARED = {
    "carrier": "epci",
    "children_collective_only": 8,
    "eps": 2,
    "eps_meetings": 20,
    "posts": [{"function": "coordinator", "posts": 1, "fte_hundredths": 100}],
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def declared(tmp_path):
    path = tmp_path / "declared.json"
    path.write_text(json.dumps(DECLARED), encoding="utf-8")
    return str(path)


def test_return_prints_the_french_blocks(capsys, declared):
    code, out, _ = run(
        capsys,
        "return",
        COHORT,
        LEDGER,
        "--school-year",
        "2017",
        "--money-year",
        "2018",
        "--declared",
        declared,
    )
    assert code == 0
    assert "Enfants accompagnés (total) : 200" in out
    assert "État — politique de la ville (ACSé, CGET, ANCT) : 150 000,00 €" in out
    assert out.index("1. Identification") < out.index("7. Financements")


def test_returns_as_json_make_a_synthesis_and_a_partial_one_merges(capsys, declared, tmp_path):
    code, out, _ = run(
        capsys,
        "return",
        COHORT,
        LEDGER,
        "--school-year",
        "2017",
        "--money-year",
        "2018",
        "--declared",
        declared,
        "--format",
        "json",
    )
    assert code == 0
    one = tmp_path / "one.json"
    one.write_text(out, encoding="utf-8")
    code, out, _ = run(capsys, "synthesis", str(one), "--format", "json")
    assert code == 0
    partial = tmp_path / "partial.json"
    partial.write_text(out, encoding="utf-8")
    code, again, _ = run(capsys, "synthesis", str(partial), "--format", "json")
    assert again == out
    code, text, _ = run(capsys, "synthesis", str(one))
    assert "Enfants accompagnés : 200 (1 PRE répondant)" in text
    code, csv, _ = run(capsys, "synthesis", str(one), "--format", "csv")
    assert csv.startswith("bloc;code;libellé;unité;valeur")
    code, _, err = run(capsys, "synthesis", str(one), str(partial))
    assert code == 1
    assert f"{partial} : PRE déjà compté dans une fiche précédente : pre-pays-salonais" in err


def test_return_without_ledger_nor_declared_answers_what_it_knows(capsys):
    code, out, _ = run(
        capsys, "return", COHORT, "-", "--school-year", "2017", "--format", "csv", "--suppress", "5"
    )
    assert code == 0
    assert "7. Financements de l'année civile;money;Financements;non renseigné" in out
    assert ";secret" in out


def test_errors_name_the_file_and_the_field(capsys, tmp_path, declared):
    bad = tmp_path / "bad.json"
    bad.write_text('{"carrier": 3, "colour": 1}', encoding="utf-8")
    code, _, err = run(
        capsys, "return", COHORT, LEDGER, "--school-year", "2018", "--declared", str(bad)
    )
    assert code == 1
    assert f"{bad} : expected a string, got 3 @ $.carrier" in err
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"carrier": "association"}', encoding="utf-8")
    code, _, err = run(
        capsys, "return", COHORT, "-", "--school-year", "2017", "--declared", str(wrong)
    )
    assert code == 1
    assert f"{wrong} : expected a code of anct-2021 carriers" in err
    assert 'got "association" @ $.carrier' in err
    code, _, err = run(
        capsys, "return", COHORT, LEDGER, "--school-year", "2017", "--declared", declared
    )
    assert code == 1
    assert "aucune ligne de l'année civile 2017 (le grand livre a 2018)" in err
    code, _, err = run(capsys, "return", COHORT, "-", "--school-year", "2017", "--edition", "x")
    assert code == 2
    code, _, err = run(capsys, "synthesis", str(tmp_path / "missing.json"))
    assert code == 2
    code, _, err = run(capsys, "synthesis", str(bad))
    assert code == 1
    assert str(bad) in err


def test_an_edition_file_is_accepted(capsys, tmp_path):
    import pathlib

    from reussite import national

    source = pathlib.Path(national.__file__).parent / "editions" / "cget-2015.toml"
    mine = tmp_path / "mine.toml"
    text = source.read_text(encoding="utf-8").replace('id = "cget-2015"', 'id = "mine"')
    mine.write_text(text, encoding="utf-8")
    code, out, _ = run(
        capsys, "return", COHORT, "-", "--school-year", "2017", "--edition", str(mine)
    )
    assert code == 0
    assert "Âge : 11 à 15 ans" in out
