"""Issue 20: the cohort reader decodes lines in batches with the collector paused.

The pause is the reader's own: the caller's collector is on whenever a pathway is handed
back, stays off if the caller switched it off, and the register, the errors and the line
number follow what was handed back, not what was decoded ahead.
"""

from __future__ import annotations

import gc
import io
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import as_version_3
from reussite.errors import InvalidInput, InvalidValue
from reussite.samples import sample_path
from reussite.serialization import _pause, load_cohort
from reussite.serialization._cohort import _BATCH_BYTES, _BATCH_LINES
from reussite.serialization._pause import _PAUSE, collector_paused

LINES = sample_path("cohort").read_bytes().splitlines(keepends=True)
HEADER, BODY = LINES[0], LINES[1:]
IDS = [json.loads(line)["id"] for line in BODY]


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    assert _PAUSE.holders == 0
    if not was:  # pragma: no cover - pytest runs with the collector on
        gc.disable()


def test_the_collector_is_on_whenever_a_pathway_is_handed_back() -> None:
    seen = []
    with load_cohort(sample_path("cohort")) as cohort:
        for _ in cohort:
            seen.append(gc.isenabled())
    assert len(seen) == len(BODY)
    assert all(seen)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with load_cohort(sample_path("cohort")) as cohort:
            assert not any(gc.isenabled() for _ in cohort)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_pause_is_held_during_decoding_and_released_after_the_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reussite.serialization._cohort as module

    during = []
    decode = module.pathway_from_record

    def spy(*args: object, **kwargs: object) -> object:
        during.append(gc.isenabled())
        return decode(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "pathway_from_record", spy)
    with load_cohort(sample_path("cohort")) as cohort:
        first = next(cohort)
        assert gc.isenabled()
        assert first.id
        assert len(during) == _BATCH_LINES  # one batch decoded ahead, no more
        assert not any(during)
        assert len(cohort._batch) == _BATCH_LINES - 1


def test_a_batch_is_bounded_in_text_as_well_as_in_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    import reussite.serialization._cohort as module

    bound = 10 * 4096
    monkeypatch.setattr(module, "_BATCH_BYTES", bound)
    big = [line for line in BODY if len(line) > 4096]
    assert len(big) > 20
    assert bound < _BATCH_BYTES
    with load_cohort([HEADER, *big], check_register=False) as cohort:
        next(cohort)
        ahead = len(cohort._batch) + 1
        text = sum(len(line.rstrip(b"\n")) for line in big[:ahead])
    assert ahead < 11
    assert text >= bound  # it stopped at the bound, with the line that crossed it
    assert text - len(big[ahead - 1].rstrip(b"\n")) < bound


@settings(max_examples=3, deadline=None)
@given(taken=st.integers(0, len(BODY)))
@example(taken=0)
@example(taken=_BATCH_LINES)  # the last of the first batch
@example(taken=_BATCH_LINES + 1)  # the first of the second
@example(taken=len(BODY))
def test_the_register_and_the_line_follow_what_was_handed_back(taken: int) -> None:
    with load_cohort(sample_path("cohort")) as cohort:
        got = [next(cohort) for _ in range(taken)]
        assert cohort.register is not None
        assert len(cohort.register) == taken
        assert cohort.line == taken + 1  # the header is line 1, no blank line
        assert [p.id for p in got] == IDS[:taken]


@settings(max_examples=2, deadline=None)
@given(bad=st.integers(0, len(BODY) - 1), blanks=st.integers(0, 3))
@example(bad=0, blanks=0)
@example(bad=_BATCH_LINES - 1, blanks=1)  # the last line of the first batch
@example(bad=_BATCH_LINES, blanks=0)  # the first of the second
@example(bad=len(BODY) - 1, blanks=2)
def test_an_error_in_a_batch_comes_after_the_pathways_before_it(bad: int, blanks: int) -> None:
    lines = [HEADER, *BODY[:bad], b'{"id": 3}\n', *BODY[bad:], *[b"\n"] * blanks]
    handed: list[str] = []
    with pytest.raises(InvalidInput) as raised, load_cohort(lines) as cohort:
        handed.extend(p.id for p in cohort)
    assert len(handed) == bad
    assert f"(line {bad + 2})" in str(raised.value)
    assert gc.isenabled()
    with load_cohort(lines, on_error="collect") as cohort:
        assert sum(1 for _ in cohort) == len(BODY)
        assert [e.line for e in cohort.errors] == [bad + 2]
        assert cohort.line == len(lines)  # trailing blank lines counted


def test_a_bad_item_of_the_source_is_raised_in_its_turn() -> None:
    lines: list[object] = [HEADER, *BODY[:3], {"not": "a line"}, *BODY[3:]]
    handed: list[str] = []

    def read() -> None:
        handed.extend(p.id for p in load_cohort(lines))  # type: ignore[arg-type]

    with pytest.raises(InvalidValue, match="lines of text"):
        read()
    assert len(handed) == 3
    assert gc.isenabled()


def test_readers_in_threads_share_one_pause() -> None:
    results: list[int] = []
    barrier = threading.Barrier(3)

    def read() -> None:
        barrier.wait()
        with load_cohort(sample_path("cohort")) as cohort:
            results.append(sum(1 for _ in cohort))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [len(BODY)] * 3
    assert gc.isenabled()
    assert _PAUSE.holders == 0


def test_the_pause_nests_and_survives_an_error() -> None:
    inside: list[bool] = []

    def fail() -> None:
        with collector_paused():
            with collector_paused():
                inside.append(gc.isenabled())
            inside.append(gc.isenabled())  # the outer holder still holds it
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert inside == [False, False]
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")
def test_a_process_forked_during_a_batch_gets_the_collector_back() -> None:
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(10)
        assert not gc.isenabled()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            os.write(write, b"1" if gc.isenabled() and _PAUSE.holders == 0 else b"0")
            os._exit(0)
        os.close(write)
        assert os.read(read, 1) == b"1"
        os.close(read)
        os.waitpid(pid, 0)
    finally:
        release.set()
        holder.join()
    assert gc.isenabled()


def test_a_slow_source_is_read_line_by_line_with_the_collector_on() -> None:
    asked: list[tuple[int, bool]] = []

    def lines() -> Iterator[bytes]:  # a generator: may wait for each line (a live feed)
        for number, line in enumerate(LINES, 1):
            asked.append((number, gc.isenabled()))
            yield line

    with load_cohort(lines()) as cohort:
        first = next(cohort)
        assert first.id == json.loads(BODY[0])["id"]
        assert [n for n, _ in asked] == [1, 2]  # nothing read ahead of the pathway
        assert sum(1 for _ in cohort) == len(BODY) - 1
    assert all(on for _, on in asked)  # reading never runs with the collector paused


def test_a_pipe_is_read_line_by_line_and_a_file_in_batches(tmp_path: Path) -> None:
    read, write = os.pipe()
    with open(read, "rb") as pipe, open(write, "wb") as feed:
        feed.write(HEADER + BODY[0])
        feed.flush()
        with load_cohort(pipe) as cohort:
            assert next(cohort).id  # handed back without waiting for the rest
            assert not cohort._batch
    path = tmp_path / "cohort.jsonl"
    path.write_bytes(b"".join(LINES))
    for source in (path, io.BytesIO(path.read_bytes()), LINES):
        with load_cohort(source) as cohort:  # type: ignore[arg-type]
            next(cohort)
            assert len(cohort._batch) == _BATCH_LINES - 1


def test_a_closed_cohort_hands_back_nothing_more() -> None:
    cohort = load_cohort(sample_path("cohort"))
    next(cohort)
    assert cohort._batch  # decoded ahead
    cohort.close()
    assert list(cohort) == []
    assert cohort.register is not None
    assert len(cohort.register) == 1


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX fork")
def test_a_process_forked_inside_a_pause_leaves_it_whole() -> None:
    read, write = os.pipe()
    seen: list[bool] = []
    with collector_paused():
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            seen.append(gc.isenabled())  # given back at the fork
            with collector_paused():
                seen.append(not gc.isenabled())  # and its own pauses still work
            seen.append(gc.isenabled())
    if pid == 0:  # pragma: no cover
        seen.append(_PAUSE.holders == 0 and gc.isenabled())  # the outer pause left whole
        os.write(write, bytes(seen))
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    got = os.read(read, 8)
    os.close(read)
    assert got == bytes([True, True, True, True])
    assert gc.isenabled()


def _bad_line(kind: str) -> bytes:
    if kind == "not json":
        return b"{not json\n"
    if kind == "not an object":
        return b"[1]\n"
    if kind == "too long":
        return b'{"id": "' + b"x" * 30_000 + b'"}\n'
    if kind == "not utf-8":
        return b"\xff\xfe\n"
    value = json.loads(BODY[5])
    if kind == "bad date":
        value["events"][0]["child"]["birth_date"] = "2018-02-30"
    elif kind == "unknown key":
        value["bogus"] = 1
    elif kind == "refused by the lifecycle":
        del value["events"][1]
    elif kind == "the same pathway twice":
        return BODY[0]
    return (json.dumps(value, separators=(",", ":")) + "\n").encode()


def _garbage_after(read: Callable[[], None]) -> int:
    """What the collector finds after ``read`` ran with it off (twice: the first run fills
    caches once for all).

    What lived before each run is frozen, so that each collection walks only what the
    run made (the test process holds much else: a full walk of it costs more than the
    reads).
    """
    try:
        for _ in range(2):
            gc.collect()
            gc.freeze()
            gc.disable()
            try:
                read()
            finally:
                gc.enable()
        return gc.collect()
    finally:
        gc.unfreeze()


_BAD_KINDS = (
    "not json",
    "not an object",
    "too long",
    "not utf-8",
    "bad date",
    "unknown key",
    "refused by the lifecycle",
    "the same pathway twice",
)


@pytest.mark.parametrize("alone", [False, True])
@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize("kind", _BAD_KINDS)
def test_a_bad_line_leaves_no_garbage_cycle_behind(kind: str, version: int, alone: bool) -> None:
    """A problem is kept without its traceback: nothing for the collector to reclaim."""
    body = BODY[:12]
    if alone:  # the file's only line (or, for a duplicate, the second of two)
        body = BODY[:1] if kind == "the same pathway twice" else []
    header = HEADER
    if version == 3:
        old = as_version_3(json.loads(HEADER))
        old["version"] = 3
        header = (json.dumps(old) + "\n").encode()
        body = [(json.dumps(as_version_3(json.loads(line))) + "\n").encode() for line in body]
    lines = [header, *body[:6], _bad_line(kind), *body[6:]]

    def read() -> None:
        with load_cohort(lines, on_error="collect", max_line_bytes=20_000) as cohort:
            assert len(list(cohort)) == len(body)
            assert cohort.error_count == 1

    assert _garbage_after(read) == 0


_STEPS = ("isenabled", "disable", "enable")


@pytest.mark.parametrize("step", _STEPS)
def test_an_interrupt_at_any_step_leaves_the_collector_as_it_was(
    step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    real = getattr(gc, step)
    calls = []

    def interrupted(*args: object) -> object:
        result = real(*args)
        calls.append(step)
        if len(calls) == 1:  # a signal handled right after the call, once
            raise KeyboardInterrupt
        return result

    fake = types.SimpleNamespace(**{n: getattr(gc, n) for n in dir(gc) if not n.startswith("_")})
    setattr(fake, step, interrupted)
    monkeypatch.setattr(_pause, "gc", fake)

    def read() -> None:
        with load_cohort(sample_path("cohort")) as cohort:
            for _ in cohort:
                pass

    with pytest.raises(KeyboardInterrupt):
        read()
    assert calls
    assert gc.isenabled()
    assert (_PAUSE.holders, _PAUSE.resume) == (0, False)
    monkeypatch.undo()
    with load_cohort(sample_path("cohort")) as cohort:  # and the next read is as ever
        assert sum(1 for _ in cohort) == len(BODY)
    assert gc.isenabled()


def test_an_interrupt_before_the_pause_is_given_back_leaves_it_to_the_reader(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Review of issue 20: a signal handled as the pause was being given back (the first
    instruction of the context manager's exit, say) left the collector off while the
    error was kept (a notebook keeps the last one), or for good in a cycle."""
    real = _pause._Pause.release
    calls = []

    def cut_short(self: _pause._Pause, token: _pause.Hold) -> None:
        calls.append(token)
        if len(calls) == 1:  # the signal, handled before the first step of the release
            raise KeyboardInterrupt
        real(self, token)

    monkeypatch.setattr(_pause._Pause, "release", cut_short)
    kept = []
    with load_cohort(sample_path("cohort")) as cohort:
        with pytest.raises(KeyboardInterrupt) as interrupted:
            kept.extend(cohort)
        assert gc.isenabled()  # while the error is held
        assert _PAUSE.holders == 0
    assert calls[0] is calls[1]  # given back again, by the reader stopping
    assert interrupted.value is not None
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def _read_two_bad_lines() -> None:
    bad = [HEADER, *BODY[:3], b'{"id": "broken"}\n', b'{"id": 1, "events": []}\n']
    with load_cohort(bad, on_error="collect") as cohort:
        assert len(list(cohort)) == 3
        assert cohort.error_count == 2


def test_the_callers_own_exception_keeps_its_frames() -> None:
    """A refused line is let go of with its frames, not the caller's it was read in."""

    def fail(order: int) -> None:
        state = {"order": order}
        raise KeyError(state)

    try:
        fail(42)
    except KeyError:
        _read_two_bad_lines()
        traceback = sys.exc_info()[2]
        assert traceback is not None
        assert traceback.tb_next is not None
        assert traceback.tb_next.tb_frame.f_locals["state"] == {"order": 42}


def test_a_generator_suspended_in_the_callers_exception_is_not_closed() -> None:
    def worker() -> Iterator[object]:
        while True:
            try:
                yield None
            except ValueError as error:
                yield error

    suspended = worker()
    next(suspended)
    thrown = suspended.throw(ValueError("the caller's"))
    assert isinstance(thrown, ValueError)
    try:
        raise thrown
    except ValueError:
        _read_two_bad_lines()
    assert suspended.gi_frame is not None  # not closed
    assert next(suspended) is None


def _read_all(source: object) -> None:
    with load_cohort(source) as cohort:  # type: ignore[arg-type]
        for _ in cohort:
            pass


class _FailingStream(io.BytesIO):
    """A binary stream whose disk fails at its 20th line."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.calls = 0

    def readline(self, size: int | None = -1) -> bytes:
        self.calls += 1
        if self.calls == 20:
            raise OSError("the disk failed")
        return super().readline(size)


@pytest.mark.parametrize("failure", ["an item that is not a line", "a failing stream"])
def test_a_failing_source_leaves_no_garbage_cycle_and_keeps_its_traceback(failure: str) -> None:
    expected: type[Exception] = InvalidValue if failure.startswith("an item") else OSError

    def read() -> None:
        if failure.startswith("an item"):
            source: object = [*LINES[:30], {"not": "a line"}, *LINES[30:]]
        else:
            source = _FailingStream(b"".join(LINES))
        with pytest.raises(expected) as raised:
            _read_all(source)
        frames = [entry.name for entry in raised.traceback]
        assert "_next_line" in frames  # where it came from, for the caller to see
        del raised  # this frame, in the error's traceback, would hold it: the test's cycle

    assert _garbage_after(read) == 0
