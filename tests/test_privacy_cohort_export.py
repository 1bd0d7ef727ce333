"""export_cohort: a cohort file exported in shards writes what one process writes."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import InlinePool, scaled
from reussite.errors import InvalidInput, InvalidValue
from reussite.privacy import CohortExport, export_cohort
from reussite.samples import sample_path
from reussite.serialization import _shards

KEY = bytes.fromhex("b80433ed315b97e8e6383b2c56a74a026f51af5e11817b22ec2c13dfa0a76f3e")
HEADER, *LINES = sample_path("cohort").read_bytes().splitlines(keepends=True)

# a cohort file: lines of the seed, some repeated (register conflicts, in other shards
# too), some spoilt, some blank; small shards so that a few lines make several of them.
# The seed's pathways 1-30 end by 2017; many of 161-190 end after 2018-06-30, a few
# after 2018-08-31: an export as of those dates refuses them.
lines_of_a_file = st.lists(
    st.one_of(
        st.sampled_from(LINES[:30] + LINES[160:190]),
        st.just(b"\n"),
        st.just(b'{"id": "broken"\n'),
    ),
    max_size=40,
)


def exported(path: Path, jobs: int, **options: Any) -> tuple[Any, str, str | None]:
    """What the export returned (or raised), what it wrote, and the sidecar."""
    out = io.StringIO()
    sidecar = io.StringIO() if options.pop("sidecar") else None
    try:
        done: Any = export_cohort(
            path, key=KEY, purpose="evaluation", out=out, sidecar=sidecar, jobs=jobs, **options
        )
    except (InvalidInput, InvalidValue) as error:
        done = (type(error), str(error))
    return done, out.getvalue(), None if sidecar is None else sidecar.getvalue()


@settings(
    max_examples=scaled(160),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=lines_of_a_file,
    jobs=st.integers(2, 5),
    on_error=st.sampled_from(["raise", "collect"]),
    format=st.sampled_from(["jsonl", "csv"]),
    as_of=st.sampled_from([dt.date(2018, 6, 30), dt.date(2018, 8, 31), dt.date(2019, 1, 1)]),
    sidecar=st.booleans(),
    # a line is about 3 kB: shards of a line or two, or of several (refused rows between
    # rows kept)
    shard_bytes=st.sampled_from([1, 20_000, 60_000]),
)
def test_shards_write_what_one_process_writes(
    tmp_path, monkeypatch, lines, jobs, shard_bytes, **options
):
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(_shards, "_MIN_SHARD", shard_bytes)
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(HEADER + b"".join(lines))
    spare = tmp_path / "rows"
    spare.mkdir(exist_ok=True)
    expected = exported(path, 1, **options)
    assert exported(path, jobs, temp_dir=spare, **options) == expected
    assert list(spare.iterdir()) == []  # the shards' rows are removed, however it ends


def test_collect_mode_leaves_out_and_counts_the_lines_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(_shards, "_MIN_SHARD", 40_000)  # a dozen lines a shard
    path = tmp_path / "cohort.jsonl"
    # a bad line, then duplicates amid rows kept: of a pathway of the same shard, and
    # (the last line) of one of another shard
    lines = [*LINES[:3], b"{}\n", *LINES[3:8], LINES[1], *LINES[8:30], LINES[20]]
    path.write_bytes(HEADER + b"".join(lines))
    options: dict[str, Any] = {"on_error": "collect", "format": "csv", "sidecar": False}
    done, out, _ = exported(path, 2, as_of=dt.date(2019, 1, 1), **options)
    assert isinstance(done, CohortExport)
    assert (done.manifest.rows, done.error_count) == (30, 3)
    assert [error.line for error in done.errors] == [5, 11, 34]
    assert "appears twice" in done.errors[2].errors[0]
    assert len(out.splitlines()) == 2 + 30  # the header, the columns, a row per pathway
    assert exported(path, 1, as_of=dt.date(2019, 1, 1), **options) == (done, out, None)


def test_a_reentry_refused_by_a_later_line_is_named_the_same_with_any_jobs(tmp_path, monkeypatch):
    """Review of issue 20: one process counted the re-entry's row, two did not."""
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(_shards, "_MIN_SHARD", 1)
    line = {x.split(b'"', 4)[3].decode(): x for x in LINES}
    wrong = line["par-0001-b"].replace(
        b'"previous_pathway_id":"par-0001"', b'"previous_pathway_id":"par-0050"'
    )
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(HEADER + wrong + line["par-0001"] + line["par-0050"])
    options: dict[str, Any] = {"on_error": "collect", "format": "jsonl", "sidecar": False}
    done, out, _ = exported(path, 1, as_of=dt.date(2019, 1, 1), **options)
    assert exported(path, 2, as_of=dt.date(2019, 1, 1), **options) == (done, out, None)
    rows = [json.loads(x) for x in out.splitlines()[1:]]
    assert done.manifest.rows == len(rows) == 3  # the re-entry's row was written first
    assert [e.line for e in done.errors] == [2]
    (pseudonym,) = done.withdrawn
    assert rows[0]["pathway"] == pseudonym  # the row to drop


@pytest.mark.parametrize("on_error", ["raise", "collect"])
def test_a_pathway_the_register_refuses_is_not_checked_against_the_date(
    tmp_path, monkeypatch, on_error
):
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
    path = tmp_path / "cohort.jsonl"
    # line 3 names the child of line 2 with another birth date, and has events after
    # the export's date: refused by the register, it is not the one the date refuses
    other = LINES[88].replace(b'"enf-0089"', b'"enf-0001"')
    path.write_bytes(HEADER + b"".join([LINES[0], other, LINES[1], LINES[98], *LINES[2:6]]))
    options: dict[str, Any] = {"as_of": dt.date(2018, 6, 30), "format": "jsonl"}
    expected = exported(path, 1, on_error=on_error, sidecar=False, **options)
    assert exported(path, 2, on_error=on_error, sidecar=False, **options) == expected
    done, out, _ = expected
    if on_error == "raise":
        assert done[0] is InvalidInput
        assert "(line 3)" in done[1]
        assert len(out.splitlines()) == 2  # the header and the row of line 2
    else:
        assert done[0] is InvalidValue
        assert "an event on 2018-07-22" in done[1]  # line 5's
        assert len(out.splitlines()) == 3  # the header, the rows of lines 2 and 4


@pytest.mark.parametrize(
    ("argument", "value"),
    [("jobs", 0), ("jobs", True), ("path", 3), ("out", None), ("sidecar", False)],
)
def test_arguments_are_checked(argument, value):
    arguments: dict[str, Any] = {
        "path": sample_path("cohort"),
        "key": KEY,
        "purpose": "evaluation",
        "as_of": dt.date(2019, 1, 1),
        "out": io.StringIO(),
    }
    arguments[argument] = value
    with pytest.raises(InvalidValue, match=f"export_cohort.{argument}"):
        export_cohort(**arguments)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("out", None),
        ("sidecar", "x.json"),
        ("out", io.BytesIO()),  # bytes, not text
        ("sidecar", io.BytesIO()),
        ("out", io.StringIO()),  # closed below
        ("pathways", None),
    ],
)
def test_an_export_that_cannot_write_is_refused_before_writing(argument, value):
    """Review of issue 20: ``AttributeError: 'NoneType' object has no attribute 'write'``."""
    from reussite.privacy import export_pseudonymised

    arguments: dict[str, Any] = {
        "key": KEY,
        "purpose": "evaluation",
        "as_of": dt.date(2019, 1, 1),
        "out": io.StringIO(),
        "pathways": [],
        argument: value,
    }
    if isinstance(value, io.StringIO):
        value.close()
    with pytest.raises(InvalidValue, match=f"export_pseudonymised.{argument}"):
        export_pseudonymised(**arguments)
