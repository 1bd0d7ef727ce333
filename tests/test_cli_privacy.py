from __future__ import annotations

import csv
import io
import json
import sys

import pytest

import reussite as r
from conftest import distinct, make_programme, to_state
from reussite.cli import _privacy, main
from reussite.privacy import EVALUATION, pseudonymise
from reussite.samples import sample_path
from reussite.serialization import dump_cohort

KEY = bytes.fromhex("b80433ed315b97e8e6383b2c56a74a026f51af5e11817b22ec2c13dfa0a76f3e")


@pytest.fixture
def files(tmp_path):
    programme = make_programme()
    pathways = distinct(
        [to_state(programme, r.State.ACTIVE), to_state(programme, r.State.CONSENTED)]
    )
    cohort = tmp_path / "cohorte.jsonl"
    dump_cohort(pathways, cohort)
    key = tmp_path / "K"
    key.write_bytes(KEY)
    key.chmod(0o600)
    return cohort, key


def test_export_writes_pseudonymised_json_lines_to_stdout(files, capsys):
    cohort, key = files
    code = main(["export", "--purpose", "evaluation", "--key-file", str(key), str(cohort)])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    header = json.loads(lines[0])["reussite_export"]
    assert header["purpose"] == "evaluation"
    rows = [json.loads(line) for line in lines[1:]]
    assert len(rows) == 2
    assert rows[0]["child"] == pseudonymise("enf-1", key=KEY, purpose=EVALUATION, kind="child")
    assert "Yanis" not in out
    assert "Kaci" not in out
    assert "enf-1" not in out
    assert "2009-05-04" not in out


def test_export_writes_csv_to_a_file(files, tmp_path, capsys):
    cohort, key = files
    target = tmp_path / "export.csv"
    argv = ["export", "--purpose", "survey", "--key-file", str(key), "--format", "csv"]
    argv += ["-o", str(target), "--as-of", "2019-01-01", "--include", "health", str(cohort)]
    assert main(argv) == 0
    assert "2 parcours exportés" in capsys.readouterr().err
    lines = target.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0].removeprefix("# "))["reussite_export"]
    assert header["as_of"] == "2019-01-01"
    assert "health" in header["categories_kept"]
    rows = list(csv.DictReader(lines[1:]))
    assert [row["state"] for row in rows] == ["active", "consented"]
    assert "objectives_health" in rows[0]


def test_a_short_key_file_is_refused(files, tmp_path, capsys):
    cohort, _ = files
    short = tmp_path / "short"
    short.write_bytes(b"too short")
    code = main(["export", "--purpose", "evaluation", "--key-file", str(short), str(cohort)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"reussite export : erreur : --key-file {short} : expected ")
    assert "at least 32" in err
    assert "too short" not in err


def test_missing_files_and_bad_dates_are_reported(files, tmp_path, capsys):
    cohort, key = files
    missing = tmp_path / "absent.jsonl"
    assert main(["export", "--purpose", "evaluation", "--key-file", str(key), str(missing)]) == 2
    assert (
        capsys.readouterr().err == f"reussite export : erreur : {missing} : fichier introuvable\n"
    )
    argv = ["export", "--purpose", "evaluation", "--key-file", str(key), "--as-of", "hier"]
    assert main([*argv, str(cohort)]) == 2
    assert "AAAA-MM-JJ" in capsys.readouterr().err
    argv = ["export", "--purpose", "evaluation", "--key-file", str(tmp_path / "nokey")]
    assert main([*argv, str(cohort)]) == 2
    assert "erreur : --key-file " in capsys.readouterr().err


def _export(cohort, key, target, *extra):
    argv = ["export", "--purpose", "evaluation", "--key-file", str(key), "-o", str(target)]
    return main([*argv, *extra, str(cohort)])


def test_an_export_file_is_readable_by_its_owner_only(files, tmp_path, capsys):
    cohort, key = files
    target = tmp_path / "export.jsonl"
    assert _export(cohort, key, target, "--as-of", "2019-01-01") == 0
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["K", "cohorte.jsonl", "export.jsonl"]


def test_a_failed_export_leaves_no_file_and_an_old_one_untouched(files, tmp_path, capsys):
    cohort, key = files
    target = tmp_path / "export.jsonl"
    # the pathways have events in 2018: an export as of 2017 would describe the future
    assert _export(cohort, key, target, "--as-of", "2017-10-01") == 1
    err = capsys.readouterr().err
    assert err.startswith("reussite export : erreur : --as-of 2017-10-01 : expected a date on")
    assert "export_pseudonymised" not in err
    assert "datetime" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["K", "cohorte.jsonl"]
    target.write_text("the previous export\n", encoding="utf-8")
    assert _export(cohort, key, target, "--as-of", "2017-10-01") == 1
    assert _export(cohort, key, target, "--purpose", "Not a name!") == 2
    assert "reussite export : erreur : --purpose Not a name! : expected " in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["K", "cohorte.jsonl", "export.jsonl"]


SEED_HEADER, *SEED_LINES = sample_path("cohort").read_bytes().splitlines(keepends=True)


def _run(argv, capsys):
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_export_jobs_2_writes_what_jobs_1_writes(files, tmp_path, capsys):
    # real worker processes, two shards (the file is about 1 MB): a pathway of the first
    # shard again in the second, then a bad line; the rows before the problem are written
    _, key = files
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(SEED_HEADER + b"".join(SEED_LINES) + SEED_LINES[5] + b'{"id": 1}\n')
    argv = ["export", "--purpose", "evaluation", "--key-file", str(key), "--as-of", "2019-01-01"]
    runs = [_run([*argv, str(path), "--jobs", jobs], capsys) for jobs in ("1", "2")]
    assert runs[0] == runs[1]
    status, out, err = runs[0]
    assert status == 1
    assert "appears twice" in err
    assert "(line 296)" in err
    assert len(out.splitlines()) == 1 + 294
    good = tmp_path / "good.jsonl"
    good.write_bytes(SEED_HEADER + b"".join(SEED_LINES))
    written = []
    for jobs in ("1", "2"):
        target = tmp_path / f"export-{jobs}.csv"
        options = ["--format", "csv", "--include", "health", "-o", str(target), "--jobs", jobs]
        assert _run([*argv, *options, str(good)], capsys) == (
            0,
            "",
            f"294 parcours exportés vers {target} (finalité evaluation, au 2019-01-01)\n",
        )
        assert target.stat().st_mode & 0o777 == 0o600
        written.append(target.read_bytes())
    assert written[0] == written[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "K",
        "cohort.jsonl",
        "cohorte.jsonl",
        "export-1.csv",
        "export-2.csv",
        "good.jsonl",
    ]  # no temporary file left beside the export


def test_export_reads_standard_input_in_one_process(files, capsys, monkeypatch):
    cohort, key = files
    argv = ["export", "--purpose", "evaluation", "--key-file", str(key), "--as-of", "2019-01-01"]
    expected = _run([*argv, str(cohort)], capsys)

    def refused(*args, **kwargs):
        raise AssertionError("standard input is not read in shards")

    monkeypatch.setattr(_privacy, "export_cohort", refused)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(cohort.read_bytes())))
    assert _run([*argv, "-", "--jobs", "2"], capsys) == expected
    assert expected[0] == 0
