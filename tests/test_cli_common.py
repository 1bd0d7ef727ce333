"""The conventions every sub-command shares: French help, one channel, files, progress."""

from __future__ import annotations

import contextlib
import io
import json
import pathlib
import re
import sys

import pytest

from reussite.cli import main
from reussite.cli._common import Progress, reading, writing
from reussite.cli._french import CATALOGUE, french_argparse
from reussite.samples import sample_path


def _commands() -> list[str]:
    import argparse

    from reussite.cli import _parser

    (subparsers,) = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return list(subparsers.choices)


COMMANDS = _commands()

ENGLISH = re.compile(
    r"\b(the|and|with|without|default|print|prints|file|each|write|read|show|"
    r"positional|optional|error|exit|help)\b"
)
"""Words no French help text has (argument names such as --format json aside)."""


def _help(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([*argv, "--help"]) == 0
    return out.getvalue()


def test_every_command_is_listed():
    listed = _help()
    for command in COMMANDS:
        assert f"\n    {command}" in listed


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_french_throughout(command):
    text = _help(*([command] if command else []))
    assert text.startswith("usage : reussite")
    assert "options :" in text
    assert "Codes de sortie : 0 succès ; 1 données refusées" in text
    # Option names, choices and metavars are code; everything else must be French.
    words = re.sub(r"(--?[\w-]+|\{[^}]*\}|\b[A-ZÉ]{2,}\b|reussite[\w.]*)", " ", text)
    assert not ENGLISH.findall(words), ENGLISH.findall(words)


@pytest.mark.parametrize("command", COMMANDS)
def test_metavars_are_french(command):
    usage = _help(command).split("\n\n")[0]
    assert not re.search(r"(?<![-\w])(FILE|KEY_FILE|AS_OF|YEAR|file)\b", usage), usage


BAD_CALLS = [
    (["report", "absent.jsonl", "--year", "2017"], 2),
    (["report", ".", "--year", "2017"], 2),
    (["report", "COHORT", "--year", "2017", "--to", "2017-12-31"], 2),
    (["report", "COHORT", "--from", "2018-01-01"], 2),
    (["report", "COHORT", "--school-year", "2017", "--as-of", "2016-01-01"], 2),
    (["report", "COHORT", "--year", "17"], 2),
    (["report", "COHORT", "--from", "2018-02-30", "--to", "2018-03-01"], 2),
    (["report", "BROKEN", "--year", "2017"], 1),
    (["validate", "BROKEN"], 1),
    (["validate", "absent.json"], 2),
    (["budget", "COHORT"], 1),
    (["budget", "COHORT", "--children", "zéro"], 2),
    (["export", "COHORT", "--purpose", "evaluation", "--key-file", "absent.key"], 2),
    (["export", "COHORT", "--purpose", "Pas un nom", "--key-file", "KEY"], 2),
    (
        [
            "export",
            "COHORT",
            "--purpose",
            "evaluation",
            "--key-file",
            "KEY",
            "--as-of",
            "2018-01-01",
            "-o",
            "out.jsonl",
        ],
        1,
    ),
    (["schema", "Nothing"], 2),
    (["schema", "Lifecycle"], 2),
    (["schema", "InvalidValue"], 2),
    (["sample", "nothing"], 2),
    (["nothing"], 2),
]


@pytest.mark.parametrize(
    ("argv", "status"), BAD_CALLS, ids=lambda a: " ".join(a) if isinstance(a, list) else ""
)
def test_messages_show_no_python_internals(argv, status, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cohort = sample_path("cohort")
    lines = cohort.read_text(encoding="utf-8").splitlines()
    (tmp_path / "BROKEN").write_text("\n".join([*lines[:2], '{"id": 1, "colour": 2}']) + "\n")
    (tmp_path / "KEY").write_bytes(
        bytes.fromhex("b80433ed315b97e8e6383b2c56a74a026f51af5e11817b22ec2c13dfa0a76f3e")
    )
    names = {"COHORT": str(cohort)}
    code = main([names.get(a, a) for a in argv])
    out, err = capsys.readouterr()
    assert code == status
    assert out == "" or argv[0] == "validate"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BROKEN", "KEY"]  # no file left
    assert err
    for leak in (
        "datetime",
        "None",
        "Errno",
        "unknown_keys=",
        "Traceback",
        "PosixPath",
        "<",
        "\\u",
    ):
        assert leak not in err, err
    assert re.search(r"\b[a-z_]+\.[a-z_]+:", err) is None, err  # no owner.field: prefix
    for line in err.splitlines():
        assert line.startswith(("usage : ", " ", "reussite ")), line


def test_argparse_falls_back_to_english_for_a_message_it_does_not_know():
    import argparse

    with french_argparse():
        assert argparse._("a message of a future Python") == "a message of a future Python"
        assert argparse.ngettext("one", "many", 2) == "many"
        assert argparse.ngettext("one", "many", 1) == "one"
    assert argparse._ is not CATALOGUE.get


# --- output files ----------------------------------------------------------------------------


def test_writing_renames_on_success_and_keeps_the_usual_mode(tmp_path):
    target = tmp_path / "out.txt"
    with writing(str(target)) as out:
        out.write("bonjour\n")
        assert not target.exists()
    assert target.read_text(encoding="utf-8") == "bonjour\n"
    assert target.stat().st_mode & 0o777 != 0o600 or _umask() == 0o177
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_writing_a_private_binary_file(tmp_path):
    target = tmp_path / "out.bin"
    target.write_bytes(b"old")
    target.chmod(0o644)
    with writing(str(target), private=True, binary=True) as out:
        out.write(b"\x00new")
    assert target.read_bytes() == b"\x00new"
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_failure_removes_the_temporary_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old\n", encoding="utf-8")

    def half_written():
        with writing(str(target)) as out:
            out.write("half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_written()
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_to_a_folder_or_a_missing_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["sample", "budget", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err.endswith(": c'est un dossier, pas un fichier\n")
    assert main(["sample", "budget", "-o", str(tmp_path / "no" / "x.csv")]) == 2
    assert capsys.readouterr().err.endswith(f"x.csv : le dossier {tmp_path / 'no'} n'existe pas\n")


def test_a_device_is_written_to_never_replaced(tmp_path, capsys):
    import os

    assert main(["sample", "budget", "-o", os.devnull]) == 0
    assert pathlib.Path(os.devnull).is_char_device()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    import threading

    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert main(["sample", "budget", "-o", str(fifo)]) == 0
    reader.join(timeout=10)
    assert received == [sample_path("budget").read_bytes()]
    assert fifo.is_fifo()


def test_dash_and_nothing_are_standard_output(capsys):
    assert main(["sample", "budget", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffExercice;Sens;")  # as written, with its BOM


def test_sample_lists_and_writes_the_samples(tmp_path, capsys):
    assert main(["sample"]) == 0
    assert capsys.readouterr().out.startswith("cohort   pays-salonais-2017-2018.jsonl : ")
    assert main(["sample", "cohort", "-o", str(tmp_path / "c.jsonl")]) == 0
    assert (tmp_path / "c.jsonl").read_bytes() == sample_path("cohort").read_bytes()


# --- input files and progress ------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_and_erases_itself():
    terminal = _Terminal()
    ticks = iter(range(100))
    bar = Progress("cohorte.jsonl", 1000, stream=terminal, every=0.5, clock=lambda: next(ticks))
    bar.advance(250)  # drawn: the first time
    bar.advance(250)  # not drawn: less than `every` since the last time... (clock ticks 1 s)
    bar.advance(500)
    bar.close()
    shown = terminal.getvalue()
    assert "cohorte.jsonl  25 % [#####---------------] 0,0 / 0,0 Mo" in shown
    assert "100 % [####################]" in shown
    assert shown.endswith("\r\x1b[K")


def test_no_progress_when_standard_error_is_not_a_terminal():
    quiet = io.StringIO()
    bar = Progress("x", 10, stream=quiet)
    bar.advance(10)
    bar.close()
    assert quiet.getvalue() == ""


def test_reading_a_file_counts_its_bytes_on_a_terminal(monkeypatch, capsys):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with reading(str(sample_path("budget"))) as stream:
        data = stream.read()
    assert data == sample_path("budget").read_bytes()
    assert "pays-salonais-2018-budget.csv 100 %" in terminal.getvalue()


def test_the_report_command_shows_progress_on_a_terminal(monkeypatch, capsys):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["report", str(sample_path("cohort")), "--school-year", "2017"]) == 0
    assert " % [" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")


def test_an_empty_standard_input_is_refused(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert main(["validate", "-"]) == 1
    assert (
        capsys.readouterr().err
        == "reussite validate : erreur : entrée standard : le fichier est vide\n"
    )


def test_a_pathway_document_on_standard_input(monkeypatch, capsys):
    import reussite as r
    from conftest import make_programme, to_state
    from reussite.serialization import dump_pathway

    document = dump_pathway(to_state(make_programme(), r.State.ACTIVE))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(document.encode())))
    assert main(["validate", "-", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == "-"


def test_a_pretty_printed_document_and_a_problem_without_a_path(tmp_path, capsys):
    import reussite as r
    from conftest import make_programme, to_state
    from reussite.serialization import dump_pathway

    document = json.loads(dump_pathway(to_state(make_programme(), r.State.ACTIVE)))
    pretty = tmp_path / "parcours.json"
    pretty.write_text(json.dumps(document, indent=2), encoding="utf-8")
    assert main(["validate", str(pretty)]) == 0
    assert capsys.readouterr().out == "1 parcours valide\n"
    pretty.write_text("[1,\n2]", encoding="utf-8")
    assert main(["validate", str(pretty), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["problems"][0]["path"] == "$"


def test_an_unknown_sample_is_refused_with_the_list():
    from reussite import InvalidValue
    from reussite.samples import sample_path as path_of

    with pytest.raises(InvalidValue, match="expected one of 'cohort', 'budget'"):
        path_of("nothing")


def test_a_sample_inside_a_zip_file_is_copied_out(tmp_path, monkeypatch):
    import zipfile

    import reussite.samples as samples

    archive = tmp_path / "reussite.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(sample_path("budget"), "reussite/data/pays-salonais-2018-budget.csv")
    monkeypatch.setattr(samples.tempfile, "gettempdir", lambda: str(tmp_path))
    monkeypatch.setattr(
        samples.resources, "files", lambda package: zipfile.Path(archive, "reussite/")
    )
    copy = samples.sample_path("budget")
    assert copy == tmp_path / "reussite-samples" / "pays-salonais-2018-budget.csv"
    assert copy.read_bytes() == sample_path("budget").read_bytes()
    assert samples.sample_path("budget") == copy  # already there: kept
