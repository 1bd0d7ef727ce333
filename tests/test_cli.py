from __future__ import annotations

import json
import subprocess
import sys

import pytest

import reussite as r
from reussite.cli import main


def test_lifecycle_text_is_french(capsys):
    assert main(["lifecycle"]) == 0
    out = capsys.readouterr().out
    assert "Cycle de vie du parcours" in out
    assert "parcours terminé [closed] (situation finale)" in out


def test_lifecycle_mermaid_is_the_generated_diagram(capsys):
    assert main(["lifecycle", "--format", "mermaid"]) == 0
    assert r.LIFECYCLE.to_mermaid() + "\n" == capsys.readouterr().out


def test_lifecycle_json(capsys):
    assert main(["lifecycle", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["initial"] == "referred"
    assert len(r.LIFECYCLE.transitions) == len(document["transitions"])


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rules(capsys, fmt):
    assert main(["rules", "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "R-CONSENT-FIRST" in out
    if fmt == "json":
        assert len(r.RULES) == len(json.loads(out))


def test_usage_errors_exit_2(capsys):
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage : reussite [-h] [--version] COMMANDE ...\n")
    assert "reussite : erreur : argument COMMANDE : choix invalide : 'no-such-command'" in err
    assert main(["--version"]) == 0


@pytest.mark.parametrize(
    ("error", "status", "printed"),
    [
        (r.InvalidInput(["bad @ $.x", "worse @ $.y"]), 1, ["bad @ $.x", "worse @ $.y"]),
        (r.InvalidInput(["bad @ $.x"], source="f.jsonl"), 1, ["f.jsonl : bad @ $.x"]),
        (r.InvalidValue("Child", "sex", "X", "a Sex"), 1, ["Child.sex: expected a Sex, got 'X'"]),
        (FileNotFoundError(2, "No such file", "x.jsonl"), 2, ["x.jsonl : fichier introuvable"]),
        (
            IsADirectoryError(21, "Is a directory", "data"),
            2,
            ["data : c'est un dossier, pas un fichier"],
        ),
        (OSError(28, "No space left on device"), 2, ["plus de place sur le disque"]),
        (OSError(5, "Input/output error"), 2, ["Input/output error"]),
        (KeyboardInterrupt(), 130, None),
    ],
)
def test_every_error_is_one_line_each_on_stderr_with_the_command(
    capsys, monkeypatch, error, status, printed
):
    import reussite.cli._lifecycle as cmd

    def boom(args):
        raise error

    monkeypatch.setattr(cmd, "_rules", boom)
    assert main(["rules"]) == status
    out, err = capsys.readouterr()
    assert out == ""
    if printed is None:
        assert err == "\nreussite rules : interrompu\n"
    else:
        assert err.splitlines() == [f"reussite rules : erreur : {line}" for line in printed]


def test_python_dash_m_runs_and_a_closed_pipe_is_quiet(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "reussite", "lifecycle"], capture_output=True, text=True, check=True
    )
    assert "Cycle de vie" in done.stdout
    err = tmp_path / "err.txt"
    with err.open("wb") as err_file:
        head = subprocess.Popen(
            [sys.executable, "-m", "reussite", "lifecycle"], stdout=subprocess.PIPE, stderr=err_file
        )
        assert head.stdout is not None
        head.stdout.read(10)
        head.stdout.close()
        head.wait(timeout=30)
    assert b"Traceback" not in err.read_bytes()
