"""map_cohort and ``--jobs``: a file read in shards gives what one process gives."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import InlinePool
from reussite.cli import main
from reussite.errors import InvalidInput, InvalidValue
from reussite.indicators import Report, annual_report
from reussite.periods import SchoolYear
from reussite.samples import sample_path
from reussite.serialization import _shards, load_cohort, map_cohort

YEAR = SchoolYear(2017)
HEADER, *LINES = sample_path("cohort").read_bytes().splitlines(keepends=True)


def report(pathways: Any, programme: Any) -> Report:
    return annual_report(pathways, YEAR, as_of=YEAR.end, programme=programme, check_register=False)


def one_process(path: Path, on_error: str) -> tuple[Any, ...]:
    with load_cohort(path, on_error=on_error) as cohort:  # type: ignore[arg-type]
        pathways = list(cohort)
        errors = tuple(cohort.errors)
        count = cohort.error_count
    return len(pathways), errors, count, report(iter(pathways), cohort.programme)


# a cohort file: lines of the seed, some repeated (register conflicts), some spoilt,
# some blank; small shards so that a few lines make several of them
lines_of_a_file = st.lists(
    st.one_of(
        st.sampled_from(LINES[:60]),
        st.just(b"\n"),
        st.just(b'{"id": "broken"\n'),
    ),
    min_size=0,
    max_size=40,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=lines_of_a_file, jobs=st.integers(2, 5), on_error=st.sampled_from(["raise", "collect"])
)
def test_shards_read_as_one_process(tmp_path, monkeypatch, lines, jobs, on_error):
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(_shards, "_MIN_SHARD", 1)
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(HEADER + b"".join(lines))
    try:
        expected = one_process(path, on_error)
    except InvalidInput as error:
        expected = error
    if isinstance(expected, InvalidInput):
        with pytest.raises(InvalidInput) as caught:
            map_cohort(path, report, jobs=jobs, on_error=on_error)  # type: ignore[arg-type]
        assert caught.value.errors == expected.errors
        assert str(caught.value) == str(expected)
        return
    taken: list[tuple[Any, int]] = []
    read = map_cohort(
        path,
        report,
        jobs=jobs,
        on_error=on_error,  # type: ignore[arg-type]
        accepted=lambda result, position: taken.append((result, position)),
    )
    valid, errors, count, whole = expected
    assert (read.valid, read.errors, read.error_count) == (valid, errors, count)
    # each pathway the register accepts, once, in the file's order
    shard_of = {id(result): index for index, result in enumerate(read.results)}
    order = [(shard_of[id(result)], position) for result, position in taken]
    assert len(order) == valid
    assert order == sorted(set(order))
    if on_error == "raise" or not count:
        merged = functools.reduce(Report.merge, read.results)
        assert merged.to_json() == whole.to_json()


def test_a_header_problem_is_raised_once(tmp_path):
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(b'{"schema": "reussite.cohort"}\n' + b"".join(LINES[:3]))
    with pytest.raises(InvalidInput, match=r"line 1"):
        map_cohort(path, report, jobs=1)


@pytest.mark.parametrize(
    ("argument", "value"),
    [
        ("jobs", 0),
        ("jobs", "2"),
        ("on_error", "skip"),
        ("max_errors", -1),
        ("path", 3),
        ("accepted", "yes"),
        ("progress", "x"),  # checked before the file is read, not after
    ],
)
def test_arguments_are_checked(argument, value):
    arguments: dict[str, Any] = {"path": sample_path("cohort"), "work": report}
    arguments[argument] = value
    with pytest.raises(InvalidValue, match=argument):
        map_cohort(**arguments)


def test_cli_jobs_2_prints_what_jobs_1_prints(capsys, tmp_path):
    # real worker processes: the work and results cross process boundaries
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(HEADER + b"".join(LINES) + LINES[5] + b'{"id": 1}\n')
    outputs = []
    for jobs in ("1", "2"):
        for command in (["report", "--school-year", "2017"], ["validate", "--format", "json"]):
            status = main([command[0], str(path), *command[1:], "--jobs", jobs])
            captured = capsys.readouterr()
            outputs.append((status, captured.out, captured.err))
    assert outputs[:2] == outputs[2:]
    assert outputs[0][0] == 1
    assert "(line 296)" in outputs[0][2]
    validated = json.loads(outputs[1][1])
    assert (validated["valid"], validated["invalid"]) == (294, 2)
    good = tmp_path / "good.jsonl"
    good.write_bytes(HEADER + b"".join(LINES))
    printed = []
    for jobs in ("1", "2"):
        assert main(["report", str(good), "--school-year", "2017", "--jobs", jobs]) == 0
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    assert "enfants" in printed[0]


def test_jobs_must_be_positive(capsys):
    argv = ["report", str(sample_path("cohort")), "--school-year", "2017", "--jobs", "0"]
    assert main(argv) == 2
    assert "entier" in capsys.readouterr().err


class _KilledPool(InlinePool):
    """A pool whose workers are killed (by the out-of-memory killer, say)."""

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        future: Future[Any] = Future()
        future.set_exception(BrokenProcessPool("A process in the process pool was terminated"))
        return future


@pytest.mark.parametrize("command", ["report", "validate"])
def test_a_killed_worker_is_a_french_line_and_its_own_status(
    capsys, tmp_path, monkeypatch, command
):
    """Review of issue 20: a raw traceback, and the status of refused data."""
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", _KilledPool)
    monkeypatch.setattr(_shards, "_MIN_SHARD", 1)
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(HEADER + b"".join(LINES[:20]))
    extra = ["--school-year", "2017"] if command == "report" else []
    assert main([command, str(path), *extra, "--jobs", "2"]) == 3
    captured = capsys.readouterr()
    assert captured.err == (
        f"reussite {command} : erreur : un processus de lecture s'est arrêté brutalement "
        "(mémoire insuffisante ?) : relancez avec moins de processus (--jobs 1 lit tout "
        "dans un seul)\n"
    )
    assert captured.out == ""


def test_a_small_file_is_not_cut_into_a_process_per_line():
    """Review of issue 20: ``--jobs 64`` started 64 processes for a file of two lines."""
    assert _shards._ranges(6_000, 100, 64) == [(100, 6_000)]
    assert len(_shards._ranges(1_000_000, 100, 2)) == 2  # the seed: two processes
    assert len(_shards._ranges(1_000_000, 100, 64)) == 16  # a 64 KiB shard each at least
    assert len(_shards._ranges(100 << 20, 100, 2)) == 8  # a large file: more shards than jobs


def test_work_the_workers_cannot_receive_is_refused_before_reading():
    """Review of issue 20: pickling's own error, once a worker had started."""
    with pytest.raises(InvalidValue, match=r"map_cohort\.work: expected a function the worker"):
        map_cohort(sample_path("cohort"), lambda pathways, programme: 0, jobs=2)
    assert map_cohort(sample_path("cohort"), lambda pathways, programme: 0, jobs=1).valid == 294


def _lazy(pathways: Any, programme: Any) -> Any:
    return (p.id for p in pathways)  # a generator: cannot go back to the parent


def _a_lambda(pathways: Any, programme: Any) -> Any:
    list(pathways)
    return lambda: 0  # a result that cannot go back to the parent


def test_a_result_the_workers_cannot_send_back_is_said_so(monkeypatch):
    """Review of issue 20 (round 28): pickling's bare TypeError, after the shard was read;
    and a generator read nothing in one process (its pathways gone), without a word."""
    monkeypatch.setattr(_shards, "ProcessPoolExecutor", InlinePool)
    monkeypatch.setattr(_shards, "_MIN_SHARD", 1)
    with pytest.raises(InvalidValue, match=r"map_cohort\.work: expected a function whose result"):
        map_cohort(sample_path("cohort"), _a_lambda, jobs=2)
    for jobs in (1, 2):
        with pytest.raises(InvalidValue, match=r"reads its pathways before it returns"):
            map_cohort(sample_path("cohort"), _lazy, jobs=jobs)
        read = map_cohort(sample_path("cohort"), _read_then_iterate, jobs=jobs)
        assert sum(len(list(ids)) for ids in read.results) == 294  # an iterator of what it read


def _read_then_iterate(pathways: Any, programme: Any) -> Any:
    return iter([p.id for p in pathways])  # read first: an iterator over a list is fine
