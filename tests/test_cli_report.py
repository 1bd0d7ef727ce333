from __future__ import annotations

import json

import pytest

from reussite.cli import main
from reussite.samples import sample_path

DATA = sample_path("cohort")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_for_a_school_year_prints_the_french_table(capsys):
    code, out, _ = run(capsys, "report", str(DATA), "--school-year", "2017")
    assert code == 0
    assert "Année scolaire 2017/2018 (données au 31/08/2018)" in out
    assert "Enfants suivis                                   192" in out
    assert "Détail des indicateurs" in out


def test_report_for_a_calendar_year_as_json(capsys):
    code, out, _ = run(capsys, "report", str(DATA), "--year", "2017", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["period"]["key"] == "2017"
    followed = next(f for f in document["figures"] if f["indicator"] == "children_followed")
    assert followed["value"] == 214


def test_report_for_a_date_range_as_csv_with_an_as_of_date(capsys):
    code, out, _ = run(
        capsys,
        "report",
        str(DATA),
        "--from",
        "2018-01-01",
        "--to",
        "2018-06-30",
        "--as-of",
        "2018-09-30",
        "--format",
        "csv",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("indicator,category,label_fr,value")
    assert lines[1].endswith(",2018-01-01..2018-06-30,2018-09-30")


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "x.jsonl"],  # no period
        ["report", "x.jsonl", "--school-year", "2017", "--year", "2017"],
        ["report", "x.jsonl", "--school-year", "17"],
        ["report", "x.jsonl", "--from", "2018-13-01", "--to", "2018-12-01"],
        ["report", "x.jsonl", "--year", "2017", "--format", "xml"],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert "usage" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "2018-01-01"], "--from va avec --to"),
        (
            ["--from", "2018-02-01", "--to", "2018-01-01"],
            "--to 2018-01-01 est avant --from 2018-02-01",
        ),
        (["--school-year", "2017", "--to", "2017-12-31"], "--to va avec --from"),
        (["--year", "2017", "--to", "2017-12-31"], "--to va avec --from"),
    ],
)
def test_an_incomplete_range_is_a_usage_error(capsys, extra, message):
    code, _, err = run(capsys, "report", str(DATA), *extra)
    assert code == 2
    assert err == f"reussite report : erreur : {message} (la période du --from au --to)\n" or (
        err == f"reussite report : erreur : {message}\n"
    )
    assert "None" not in err


def test_an_as_of_date_before_the_period_is_refused(capsys):
    code, out, err = run(
        capsys, "report", str(DATA), "--school-year", "2017", "--as-of", "2017-08-31"
    )
    assert code == 2
    assert out == ""
    assert "--as-of 2017-08-31 est avant le début de la période (2017-09-01)" in err
    assert "datetime" not in err


def test_bad_data_exits_1_with_the_line(capsys, tmp_path):
    lines = DATA.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([*lines[:3], '{"id": 1}', *lines[3:5]]) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "report", str(bad), "--school-year", "2017")
    assert code == 1
    assert err.startswith(f"reussite report : erreur : {bad} : ")
    assert "(line 4)" in err
    assert out == ""


def test_a_missing_file_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "report", str(tmp_path / "none.jsonl"), "--year", "2017")
    assert code == 2
    assert err == f"reussite report : erreur : {tmp_path / 'none.jsonl'} : fichier introuvable\n"


def test_a_cohort_on_standard_input(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(DATA.read_bytes())))
    code, out, err = run(capsys, "report", "-", "--school-year", "2017", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["figures"][0]["value"] == 192


def test_demo_prints_the_seed_table(capsys):
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert out.startswith("PRE du Pays Salonais — en quelques chiffres\n")
    assert "(214 enfants suivis en 2017)" in out
    assert "52 % / 48 %" in out
    assert "53 % / 29 %" in out


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_demo_for_tools(capsys, fmt):
    code, out, _ = run(capsys, "demo", "--format", fmt)
    assert code == 0
    assert "children_followed" in out


def test_report_known_on_a_date_leaves_out_later_entries(capsys, tmp_path):
    import datetime as dt

    import reussite as r
    from reussite.serialization import dump_cohort, load_cohort

    with load_cohort(DATA) as cohort:
        pathways = list(cohort)
    child = next(
        p for p in pathways if p.state is r.State.ACTIVE and p.last_event_on < dt.date(2018, 8, 1)
    )
    withdrawn = r.apply(
        child,
        r.ConsentWithdrawn(
            on=dt.date(2018, 8, 28),
            by=child.family.guardians[0].id,
            recorded_on=dt.date(2018, 9, 20),
        ),
    )
    path = tmp_path / "cohorte.jsonl"
    dump_cohort([withdrawn if p is child else p for p in pathways], path)

    def exits(*options: str) -> int:
        code, out, _ = run(
            capsys, "report", str(path), "--school-year", "2017", "--format", "json", *options
        )
        assert code == 0
        document = json.loads(out)
        return next(f for f in document["figures"] if f["indicator"] == "exits")["value"]

    assert exits() == 86
    assert exits("--known-on", "2018-09-15") == 85
    code, out, _ = run(
        capsys, "report", str(path), "--school-year", "2017", "--known-on", "2018-09-15"
    )
    assert code == 0
    assert "(données au 31/08/2018, connues au 15/09/2018)" in out
    assert (
        json.loads(
            run(
                capsys,
                "report",
                str(path),
                "--year",
                "2017",
                "--known-on",
                "2018-01-01",
                "--format",
                "json",
            )[1]
        )["known_on"]
        == "2018-01-01"
    )
