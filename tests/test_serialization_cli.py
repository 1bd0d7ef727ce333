"""The JSON Schema, the ``validate`` and ``schema`` commands, and the benchmark's quick mode."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import distinct, make_programme, scaled, to_state
from reussite.cli import main
from reussite.serialization import Cohort, dump_cohort, dump_pathway, dumps, json_schema

ROOT = Path(__file__).resolve().parent.parent

PATHWAY = jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker())
COHORT_LINE = jsonschema.Draft202012Validator(json_schema(Cohort))
EVENT = jsonschema.Draft202012Validator(json_schema(r.Event))
PROGRAMME = jsonschema.Draft202012Validator(json_schema(r.Programme))


def test_the_schemas_are_valid_draft_2020_12() -> None:
    for type_ in (r.Pathway, Cohort, r.Programme, r.Event, r.Child, r.Timeline, r.Eligibility):
        jsonschema.Draft202012Validator.check_schema(json_schema(type_))
    with pytest.raises(TypeError, match="no JSON form"):
        json_schema(complex)


@settings(max_examples=scaled(40))  # each example validates several large documents
@given(st.data())
def test_every_document_the_library_writes_validates(data: st.DataObject) -> None:
    programme = data.draw(rs.programmes())
    pathways = data.draw(st.lists(rs.pathways(programme=programme), min_size=1, max_size=3))
    for pathway in pathways:
        PATHWAY.validate(json.loads(dump_pathway(pathway)))
        without = json.loads(dump_pathway(pathway, programme=programme))
        assert not PATHWAY.is_valid(without | {"programme": 1})
    stream = io.StringIO()
    dump_cohort(pathways, stream)
    for line in stream.getvalue().splitlines():
        COHORT_LINE.validate(json.loads(line))
    for event in pathways[0].history:
        EVENT.validate(json.loads(dumps(event)))
    PROGRAMME.validate(json.loads(dumps(programme)))


def test_the_schema_rejects_what_the_reader_rejects() -> None:
    document = json.loads(dump_pathway(to_state(make_programme(), r.State.ACTIVE)))
    document["events"][0]["child"]["sex"] = "female"
    assert not PATHWAY.is_valid(document)
    document["events"][0]["child"]["sex"] = "F"
    document["events"][1]["colour"] = "bleu"
    assert not PATHWAY.is_valid(document)


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_schema_prints_the_generated_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run("schema", capsys=capsys)
    assert code == 0
    assert json.loads(out) == json_schema()
    code, out, _ = run("schema", "Programme", capsys=capsys)
    assert json.loads(out)["$ref"] == "#/$defs/Programme"
    code, _, err = run("schema", "Nothing", capsys=capsys)
    assert code == 2
    assert err.startswith("reussite schema : erreur : type inconnu « Nothing » : pathway, cohort")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    programme = make_programme()
    pathway = to_state(programme, r.State.ACTIVE)
    good = tmp_path / "parcours.json"
    good.write_text(dump_pathway(pathway), encoding="utf-8")
    cohort = tmp_path / "cohorte.jsonl"
    dump_cohort(distinct([pathway] * 3), cohort)
    lines = cohort.read_text(encoding="utf-8").splitlines()
    broken = json.loads(lines[2])
    broken["events"][0]["child"]["birth_date"] = "2009-02-30"
    broken["events"][2]["typo"] = 1
    bad_cohort = tmp_path / "mauvaise.jsonl"
    bad_cohort.write_text("\n".join([*lines[:2], json.dumps(broken), lines[3], "{"]) + "\n")
    bad = tmp_path / "mauvais.json"
    programme_json = json.loads(dumps(programme))
    envelope = {"schema": "reussite.pathway", "version": 4, "programme": programme_json}
    bad.write_text(json.dumps(envelope | broken), encoding="utf-8")
    bad_header = tmp_path / "entete.jsonl"
    bad_header.write_text('{"schema": "reussite.cohort", "version": 2}\n')
    return {
        "good": good,
        "cohort": cohort,
        "bad_cohort": bad_cohort,
        "bad": bad,
        "bad_header": bad_header,
    }


def test_validate_a_good_document_and_cohort(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("validate", str(files["good"]), capsys=capsys) == (0, "1 parcours valide\n", "")
    assert run("validate", str(files["cohort"]), capsys=capsys) == (0, "3 parcours valides\n", "")


def test_validate_skips_blank_lines_before_the_header_as_every_reader_does(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review of issue 20: a blank first line made ``validate`` read a cohort file as one
    pathway document (refused), while ``report``, ``export`` and the loader read it."""
    spaced = tmp_path / "espacee.jsonl"
    spaced.write_bytes(b"\n \t\r\n" + files["cohort"].read_bytes())
    assert run("validate", str(spaced), capsys=capsys) == (0, "3 parcours valides\n", "")
    document = tmp_path / "espace.json"
    document.write_bytes(b"\n\n" + files["good"].read_bytes())
    assert run("validate", str(document), capsys=capsys) == (0, "1 parcours valide\n", "")
    blank = tmp_path / "blanc.jsonl"
    blank.write_bytes(b"\n \n\r\n")
    said = [
        run(*argv, str(blank), capsys=capsys)[2]
        for argv in (["validate"], ["report", "--year", "2017"])
    ]
    assert said[0].replace("reussite validate :", "reussite report :", 1) == said[1]
    assert "expected the cohort header on line 1, the file is empty" in said[0]


def test_a_line_beyond_the_bound_gets_advice_the_command_line_can_follow(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Review of issue 20: the advice named ``max_line_bytes=``, no option of the CLI."""
    huge = tmp_path / "enorme.jsonl"
    header, *lines = files["cohort"].read_bytes().splitlines(keepends=True)
    huge.write_bytes(header + b'{"id": "' + b"x" * (16 << 20) + b'"}\n' + b"".join(lines))
    code, out, err = run("validate", str(huge), capsys=capsys)
    assert (code, out) == (1, "3 parcours valides, 1 ligne refusée\n")
    assert "the command line reads lines up to 16 MiB; from Python, load_cohort(" in err
    assert "max_bytes=" not in err
    assert err.endswith("@ $ (line 2)\n")


def test_validate_lists_each_problem_with_its_line_on_stderr(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = files["bad_cohort"]
    code, out, err = run("validate", str(path), capsys=capsys)
    assert code == 1
    assert out == "2 parcours valides, 2 lignes refusées\n"
    assert err.splitlines() == [
        f"reussite validate : erreur : {path} : expected a date as YYYY-MM-DD, got a string"
        " (not shown: personal data) (day is out of range for month)"
        " @ $.events[0].child.birth_date (line 3)",
        f"reussite validate : erreur : {path} : unknown key (check its spelling, or pass "
        "--ignore-unknown-keys) @ $.events[2].typo (line 3)",
        f"reussite validate : erreur : {path} : invalid JSON: Expecting property name enclosed"
        " in double quotes (column 2) @ $ (line 5)",
    ]


def test_validate_for_tools(files: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run("validate", str(files["bad_cohort"]), "--format", "json", capsys=capsys)
    assert (code, err) == (1, "")
    document = json.loads(out)
    assert (document["kind"], document["valid"], document["invalid"]) == ("cohort", 2, 2)
    assert document["problems"][0] == {
        "line": 3,
        "path": "$.events[0].child.birth_date",
        "message": "expected a date as YYYY-MM-DD, got a string (not shown: personal data)"
        " (day is out of range for month)",
    }
    code, out, _ = run("validate", str(files["good"]), "--format", "json", capsys=capsys)
    assert code == 0
    assert json.loads(out) == {
        "file": str(files["good"]),
        "kind": "pathway",
        "valid": 1,
        "invalid": 0,
        "problems": [],
    }


def test_validate_a_bad_document_and_a_bad_header(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run("validate", str(files["bad"]), capsys=capsys)
    assert code == 1
    assert out == "0 parcours valide, document refusé\n"
    assert "@ $.events[0].child.birth_date\n" in err
    code, out, err = run("validate", str(files["bad_header"]), capsys=capsys)
    assert code == 1
    assert out == "0 parcours valide, 1 ligne refusée\n"
    assert err == (
        f"reussite validate : erreur : {files['bad_header']} : required key missing"
        " @ $.programme (line 1)\n"
    )
    code, _, _ = run("validate", "--ignore-unknown-keys", str(files["bad"]), capsys=capsys)
    assert code == 1  # the date is still wrong
    absent = files["good"].with_name("absent.json")
    code, out, err = run("validate", str(absent), capsys=capsys)
    assert (code, out) == (2, "")
    assert err == f"reussite validate : erreur : {absent} : fichier introuvable\n"


def test_an_empty_file_gets_the_same_message_from_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "vide.jsonl"
    empty.write_bytes(b"")
    for argv in (["validate"], ["report", "--year", "2017"], ["budget"]):
        code, out, err = run(*argv, str(empty), capsys=capsys)
        assert (code, out) == (1, "")
        assert err == f"reussite {argv[0]} : erreur : {empty} : le fichier est vide\n"


def test_python_m_reussite_validate_reads_standard_input(files: dict[str, Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reussite", "validate", "-"],
        input=files["cohort"].read_bytes(),
        capture_output=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, b"3 parcours valides\n", b"")


def test_the_benchmark_runs_in_quick_mode() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_serialization.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "fully validated" in done.stdout


def test_the_realistic_cohort_is_deterministic_and_valid() -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks._cohort import realistic_pathways
    finally:
        sys.path.remove(str(ROOT))
    first: list[Any] = realistic_pathways(30, seed=7)
    assert first == realistic_pathways(30, seed=7)
    assert first != realistic_pathways(30, seed=8)
    for pathway in first:
        assert r.replay(pathway.history, programme=pathway.programme) == pathway
    states = {p.state for p in first}
    assert {r.State.CLOSED, r.State.ACTIVE} <= states


def test_schema_descriptions_are_plain_text() -> None:
    def descriptions(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [node["description"]] if isinstance(node.get("description"), str) else []
            return found + [d for value in node.values() for d in descriptions(value)]
        if isinstance(node, list):
            return [d for value in node for d in descriptions(value)]
        return []

    found = descriptions(json_schema()) + descriptions(json_schema(Cohort))
    assert len(found) > 20
    for text in found:
        assert not re.search(r":[a-z]+:`|``|\*", text), text


# --- issue 18 ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_validate_survives_deep_nesting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    path = tmp_path / f"profond{suffix}"
    path.write_text("[" * 10_000 + "]" * 10_000)
    code, out, err = run("validate", str(path), capsys=capsys)
    assert code == 1
    assert out == "0 parcours valide, document refusé\n"
    assert err == f"reussite validate : erreur : {path} : invalid JSON: nested too deeply @ $\n"


def test_validate_prints_no_personal_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pathway = to_state(make_programme(), r.State.ACTIVE)
    stream = io.StringIO()
    dump_cohort([pathway], stream)
    header, line = stream.getvalue().splitlines()
    record = json.loads(line)
    child = record["events"][0]["child"]
    family = record["events"][0]["family"]
    child["last_name"] = "Chérif\u0000"
    second = json.dumps(record, ensure_ascii=False)
    child["last_name"] = "Kaci"
    family["guardians"] = [family["guardians"][0]] * 2  # a duplicate guardian id
    child["birth_date"] = "2009-02-30"
    first = json.dumps(record, ensure_ascii=False)
    path = tmp_path / "cohorte.jsonl"
    path.write_text(f"{header}\n{first}\n{second}\n", encoding="utf-8")
    code, _, out = run("validate", str(path), capsys=capsys)  # the problems: on stderr
    assert code == 1
    assert "$.events[0].family.guardians" in out
    assert "'g-1' appears twice" in out
    assert "$.events[0].child.birth_date" in out
    assert "$.events[0].child.last_name" in out
    for personal in ("Nadia", "Kaci", "Chérif", "2009-02-30", "mère"):
        assert personal not in out


def test_validate_counts_the_lines_it_does_not_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stream = io.StringIO()
    dump_cohort([to_state(make_programme(), r.State.ACTIVE)], stream)
    header = stream.getvalue().splitlines()[0]
    path = tmp_path / "cohorte.jsonl"
    path.write_text(header + "\n" + "[]\n" * 1005)
    code, out, err = run("validate", str(path), capsys=capsys)
    assert code == 1
    assert err.splitlines()[-1] == (
        f"reussite validate : erreur : {path} : … et 5 autres lignes refusées"
    )
    assert out == "0 parcours valide, 1005 lignes refusées\n"
