from __future__ import annotations

import collections
import json

import pytest

import reussite as r
from reussite.cli import main
from reussite.privacy import EXAMPLE_SCHEDULE, QUASI_IDENTIFIERS, Tombstone
from reussite.serialization import dumps, load_cohort, loads


@pytest.fixture
def cohort(tmp_path):
    target = tmp_path / "cohorte.jsonl"
    target.write_bytes(r.sample_path("cohort").read_bytes())
    return target


def test_the_list_says_what_is_due_in_french(cohort, capsys):
    assert main(["retention", str(cohort), "--as-of", "2021-01-01"]) == 0
    captured = capsys.readouterr()
    assert "calendrier d'exemple" in captured.err  # no schedule given: a warning
    lines = captured.out.splitlines()
    assert lines[0] == "Échéancier de conservation au 2021-01-01"
    assert "dernier contact avec la famille" in lines[2]
    assert "59 parcours à purger, 133 parcours à archiver" in lines[3]
    assert any("par-0002  horloge depuis le 2017-06-21  à purger" in line for line in lines)


def test_the_list_in_json_for_tools(cohort, capsys):
    assert main(["retention", str(cohort), "--as-of", "2021-01-01", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert (document["to_purge"], document["to_archive"]) == (59, 133)
    first = document["pathways"][0]
    assert set(first) == {"pathway_id", "clock_from", "purge_on", "purge", "due"}


def test_the_purge_writes_new_files_and_never_the_one_it_reads(cohort, tmp_path, capsys):
    before = cohort.read_bytes()
    kept, traces = tmp_path / "gardes.jsonl", tmp_path / "traces.jsonl"
    argv = ["retention", str(cohort), "--as-of", "2024-01-01", "--purge"]
    assert main([*argv, "-o", str(kept), "--traces", str(traces)]) == 0
    assert "192 parcours purgés, 102 parcours gardés" in capsys.readouterr().err
    assert cohort.read_bytes() == before
    with load_cohort(kept) as rest:
        assert len(list(rest)) == 102
    lines = traces.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert (header["schema"], header["k"], header["suppressed"]) == ("reussite.traces", 5, 5)
    written = [loads(line, Tombstone) for line in lines[1:]]
    assert len(written) == 185
    groups = collections.Counter(tuple(getattr(t, c) for c in QUASI_IDENTIFIERS) for t in written)
    assert min(groups.values()) >= 5
    text = traces.read_text(encoding="utf-8")
    assert "enf-" not in text
    assert "par-" not in text
    assert '"pmi"' not in text
    # in place: refused, the file untouched
    assert main([*argv, "-o", str(cohort), "--traces", str(traces)]) == 2
    assert "jamais sur place" in capsys.readouterr().err
    assert cohort.read_bytes() == before


def test_a_dry_run_writes_nothing(cohort, tmp_path, capsys):
    kept = tmp_path / "gardes.jsonl"
    argv = ["retention", str(cohort), "--as-of", "2024-01-01", "--purge", "--dry-run"]
    assert main([*argv, "-o", str(kept)]) == 0
    assert capsys.readouterr().out.startswith("simulation, rien n'est écrit : 192 parcours purgés")
    assert not kept.exists()
    assert main([*argv, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["dry_run"], summary["purged"], summary["output"]) == (True, 192, None)


def test_earlier_traces_are_anonymised_again_with_the_new(cohort, tmp_path, capsys):
    first, kept = tmp_path / "t1.jsonl", tmp_path / "k1.jsonl"
    argv = ["retention", str(cohort), "--as-of", "2024-01-01", "--purge"]
    assert main([*argv, "-o", str(kept), "--traces", str(first)]) == 0
    second, rest = tmp_path / "t2.jsonl", tmp_path / "k2.jsonl"
    argv = ["retention", str(kept), "--as-of", "2040-01-01", "--purge", "--json"]
    argv += ["-o", str(rest), "--traces", str(second), "--previous-traces", str(first)]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["previous_traces"] == 185
    assert summary["traces"] + summary["suppressed"] == 185 + summary["purged"]


def test_a_schedule_file_is_read_and_checked(cohort, tmp_path, capsys):
    schedule = tmp_path / "calendrier.json"
    schedule.write_text(dumps(EXAMPLE_SCHEDULE), encoding="utf-8")
    argv = ["retention", str(cohort), "--as-of", "2021-01-01", "--schedule", str(schedule)]
    assert main(argv) == 0
    assert "calendrier d'exemple" not in capsys.readouterr().err
    schedule.write_text('{"name": "x", "health": 12}', encoding="utf-8")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--schedule" in err
    assert "@ $.health" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "x.jsonl"], "-o ne sert qu'avec --purge"),
        (["--purge", "--traces", "t.jsonl"], "-o FICHIER est obligatoire"),
        (["--purge", "-o", "-", "--traces", "t.jsonl"], "-o FICHIER est obligatoire"),
        (["--purge", "-o", "a.jsonl", "--traces", "a.jsonl"], "deux fichiers"),
        (["-k", "1"], "entier d'au moins 2"),
    ],
)
def test_usage_errors(cohort, tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.chdir(tmp_path)
    assert main(["retention", str(cohort), *extra]) == 2
    assert message in capsys.readouterr().err


def test_earlier_traces_must_be_a_traces_file(cohort, tmp_path, capsys):
    argv = ["retention", str(cohort), "--as-of", "2024-01-01", "--purge", "--dry-run"]
    other = tmp_path / "autre.jsonl"
    other.write_text('{"x": 1}\n', encoding="utf-8")
    assert main([*argv, "--previous-traces", str(other)]) == 2
    assert "ce n'est pas un fichier de traces" in capsys.readouterr().err
    header = json.dumps({"schema": "reussite.traces", "version": 1})
    other.write_text(f'{header}\n\n{{"x": 1}}\n', encoding="utf-8")
    assert main([*argv, "--previous-traces", str(other)]) == 1
    assert "@ $.x (line 3)" in capsys.readouterr().err
