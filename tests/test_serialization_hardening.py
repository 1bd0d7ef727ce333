"""Issue 18: bad input at every door of the serialization (one test per audit finding)."""

from __future__ import annotations

import collections
import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reussite as r
import reussite.strategies as rs
from conftest import D, as_version_3, make_programme, scaled, to_state
from reussite.serialization import (
    MAX_BYTES,
    MAX_ERRORS,
    MAX_PROBLEMS_PER_LINE,
    SCHEMA_VERSION,
    dump_cohort,
    dump_pathway,
    dumps,
    load_cohort,
    load_pathway,
    loads,
)
from reussite.serialization._migrations import MIGRATIONS

BUNDLED = resources.files("reussite") / "data" / "pays-salonais-2017-2018.jsonl"


def bundled_lines() -> list[bytes]:
    return BUNDLED.read_bytes().splitlines(keepends=True)


def active() -> r.Pathway:
    return to_state(make_programme(), r.State.ACTIVE)


# --- 5. a text stream keeps the same good lines as a path -------------------------------


def test_a_text_stream_with_an_undecodable_byte_keeps_the_same_lines_as_a_path(
    tmp_path: Path,
) -> None:
    lines = bundled_lines()
    spoiled = {5, 120, 200}  # 0-based indexes of the lines given a byte that is not UTF-8
    for index in spoiled:
        lines[index] = lines[index].replace(b'"', b'"\xff', 1)
    path = tmp_path / "cohorte.jsonl"
    path.write_bytes(b"".join(lines))

    with load_cohort(path, on_error="collect") as by_path:
        read_by_path = list(by_path)
    with (
        open(path, encoding="utf-8") as stream,
        load_cohort(stream, on_error="collect") as by_stream,
    ):
        read_by_stream = list(by_stream)
        assert stream.errors == "strict"  # given back as it was
    assert len(read_by_path) == len(lines) - 1 - len(spoiled)
    assert read_by_stream == read_by_path
    assert by_stream.errors == by_path.errors
    assert [e.line for e in by_path.errors] == [i + 1 for i in sorted(spoiled)]
    assert by_path.errors[0].errors[0].startswith("not valid UTF-8 at byte")


def test_a_text_stream_already_read_is_decoded_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "cohorte.jsonl"
    lines = bundled_lines()
    lines[-2] = lines[-2].replace(b'"', b'"\xff', 1)
    path.write_bytes(b"# extraction du 1er septembre\n" + b"".join(lines))
    with open(path, encoding="utf-8") as stream:
        stream.readline()  # the caller read a line: the stream cannot be reconfigured
        with load_cohort(stream, on_error="collect") as cohort:
            read = list(cohort)
        assert stream.errors == "strict"
    assert len(cohort.errors) == 1
    assert "reading stopped here" in cohort.errors[0].errors[0]
    assert 0 < len(read) < len(lines) - 2  # the lines decoded before the bad chunk


def test_a_stream_in_another_encoding_names_it(tmp_path: Path) -> None:
    path = tmp_path / "cohorte.jsonl"
    lines = bundled_lines()[:3]
    lines[1] = lines[1].replace(b'"', b'"\x81', 1)  # undefined in Windows-1252
    path.write_bytes(b"".join(lines))
    with (
        open(path, encoding="cp1252") as stream,
        load_cohort(stream, on_error="collect") as cohort,
    ):
        assert len(list(cohort)) == 1
    assert cohort.errors[0].line == 2
    assert "not valid text in the stream's encoding (cp1252)" in cohort.errors[0].errors[0]


@settings(max_examples=scaled(100))  # each example reads two cohorts of 40 pathways
@given(st.sets(st.integers(1, 39), max_size=8), st.sampled_from(["cut", "byte", "junk"]))
def test_collect_mode_keeps_exactly_the_good_lines(bad: set[int], how: str) -> None:
    lines = bundled_lines()[:41]  # the header and 40 pathways
    with load_cohort(io.BytesIO(b"".join(lines))) as cohort:
        good = list(cohort)
    corrupted = list(lines)
    for index in bad:
        line = lines[index].rstrip(b"\n")
        corrupted[index] = {
            "cut": line[: len(line) // 2],
            "byte": line[:10] + b"\xfe" + line[10:],
            "junk": b'{"id": 1}',
        }[how] + b"\n"
    with load_cohort(io.BytesIO(b"".join(corrupted)), on_error="collect") as cohort:
        read = list(cohort)
    assert read == [p for i, p in enumerate(good, start=1) if i not in bad]
    assert [e.line for e in cohort.errors] == [i + 1 for i in sorted(bad)]


# --- 6. the version must match the content ----------------------------------------------


def test_a_current_document_labelled_with_an_older_version_is_refused() -> None:
    # a pause exists since version 3 only: no older version can hold this document
    paused = r.apply(active(), r.Suspended(on=D(2018, 2, 5), reason=r.SuspensionReason.OTHER))
    document = json.loads(dump_pathway(paused))
    for old in sorted(MIGRATIONS):
        document["version"] = old
        with pytest.raises(r.InvalidInput) as caught:
            load_pathway(json.dumps(document))
        assert any(
            f"expected the format of version {old}" in line and "does not match the content" in line
            for line in caught.value.errors
        ), caught.value.errors


def test_a_cohort_header_with_an_older_version_than_its_lines_is_refused() -> None:
    lines = bundled_lines()[:4]
    header = json.loads(lines[0])
    assert header["version"] == SCHEMA_VERSION
    header = as_version_3(header)  # its referents as version 1 wrote them: undated
    header["version"] = 1
    text = b"".join([json.dumps(header).encode() + b"\n", *lines[1:]])
    with load_cohort(io.BytesIO(text), on_error="collect") as cohort:
        assert list(cohort) == []
    assert [e.line for e in cohort.errors] == [2, 3, 4]
    assert all("does not match the content" in e.errors[0] for e in cohort.errors)


def test_money_in_cents_in_a_version_1_document_is_refused() -> None:
    document = json.loads(dump_pathway(active()))
    document["version"] = 1
    for event in document["events"]:
        event["event"] = event.pop("type")
    with pytest.raises(r.InvalidInput) as caught:
        load_pathway(json.dumps(document))
    assert caught.value.errors == (
        'expected the format of version 1, found an amount in cents "cost_cents" (a later '
        'version\'s): the "version" declared does not match the content '
        "@ $.events[6].action.cost_cents",
        'expected the format of version 1, found an amount in cents "family_share_cents" (a '
        'later version\'s): the "version" declared does not match the content '
        "@ $.events[6].action.family_share_cents",
    )


# --- 7. public functions check their arguments ------------------------------------------


def _pathway() -> r.Pathway:
    return active()


BAD_CALLS: dict[str, Any] = {
    "load_pathway(None)": lambda: load_pathway(None),  # type: ignore[arg-type]
    "load_pathway(10**8)": lambda: load_pathway(10**8),  # type: ignore[arg-type]
    "load_pathway(list)": lambda: load_pathway([{}]),  # type: ignore[arg-type]
    "load_pathway(unknown_keys)": lambda: load_pathway("{}", unknown_keys="drop"),  # type: ignore[arg-type]
    "load_pathway(programme)": lambda: load_pathway("{}", programme="pre"),  # type: ignore[arg-type]
    "load_pathway(max_bytes)": lambda: load_pathway("{}", max_bytes=0),
    "loads(None)": lambda: loads(None, r.Child),  # type: ignore[arg-type]
    "loads(dict)": lambda: loads({}, r.Child),  # type: ignore[arg-type]
    "loads(unknown_keys)": lambda: loads("{}", r.Child, unknown_keys=True),  # type: ignore[arg-type]
    "load_cohort(None)": lambda: load_cohort(None),  # type: ignore[arg-type]
    "load_cohort(5)": lambda: load_cohort(5),  # type: ignore[arg-type]
    "load_cohort(bytes)": lambda: load_cohort(b'{"schema": "reussite.cohort"}'),  # type: ignore[arg-type]
    "load_cohort(list of dicts)": lambda: load_cohort([{}]),  # type: ignore[list-item]
    "load_cohort(on_error)": lambda: load_cohort(io.StringIO(), on_error="skip"),  # type: ignore[arg-type]
    "load_cohort(unknown_keys)": lambda: load_cohort(io.StringIO(), unknown_keys=None),  # type: ignore[arg-type]
    "load_cohort(max_line_bytes)": lambda: load_cohort(io.StringIO(), max_line_bytes=1.5),  # type: ignore[arg-type]
    "load_cohort(max_errors)": lambda: load_cohort(io.StringIO(), max_errors=-1),
    "dump_pathway(None)": lambda: dump_pathway(None),  # type: ignore[arg-type]
    "dump_pathway(programme)": lambda: dump_pathway(_pathway(), programme="pre"),  # type: ignore[arg-type]
    "dump_cohort(None)": lambda: dump_cohort(None, io.StringIO()),  # type: ignore[arg-type]
    "dump_cohort([1])": lambda: dump_cohort([1], io.StringIO()),  # type: ignore[list-item]
    "dump_cohort([p, 1])": lambda: dump_cohort([_pathway(), 1], io.StringIO()),  # type: ignore[list-item]
    "dump_cohort(destination)": lambda: dump_cohort([_pathway()], 5),  # type: ignore[arg-type]
    "dump_cohort(programme)": lambda: dump_cohort([], io.StringIO(), programme="pre"),  # type: ignore[arg-type]
    "dumps(object)": lambda: dumps(object()),
    "dumps(NaN)": lambda: dumps(float("nan")),
}


@pytest.mark.parametrize("call", sorted(BAD_CALLS))
def test_public_functions_refuse_arguments_of_the_wrong_type(call: str) -> None:
    with pytest.raises(r.InvalidValue) as caught:
        BAD_CALLS[call]()
    assert " expected " in str(caught.value)


# --- 8. an empty cohort; bounded memory in collect mode ---------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", " \t\n"])
def test_an_empty_cohort_is_reported_on_line_1(text: str) -> None:
    with pytest.raises(r.InvalidInput) as caught:
        load_cohort(io.StringIO(text))
    assert caught.value.errors == (
        "expected the cohort header on line 1, the file is empty @ $ (line 1)",
    )


def test_collect_mode_keeps_a_bounded_number_of_failed_lines() -> None:
    header = bundled_lines()[0]
    text = header + b"[]\n" * 50 + bundled_lines()[1]
    with load_cohort(io.BytesIO(text), on_error="collect", max_errors=10) as cohort:
        assert len(list(cohort)) == 1
    assert len(cohort.errors) == 10
    assert cohort.error_count == 50
    assert [e.line for e in cohort.errors] == list(range(2, 12))
    assert MAX_ERRORS == 1000


def test_a_line_keeps_a_bounded_number_of_problems() -> None:
    header = bundled_lines()[0]
    junk = json.dumps({f"k{i}": i for i in range(300)}).encode()
    with load_cohort(io.BytesIO(header + junk + b"\n"), on_error="collect") as cohort:
        assert list(cohort) == []
    (failure,) = cohort.errors
    assert len(failure.errors) == MAX_PROBLEMS_PER_LINE
    assert failure.errors[-1].startswith("... and ")
    assert failure.errors[-1].endswith(" more problems on this line @ $")


# --- 9. lines above the bound are refused before they are decoded -----------------------


class _Recording(io.BytesIO):
    """A binary stream that remembers the longest piece it ever handed out."""

    longest = 0

    def readline(self, size: int | None = -1) -> bytes:
        line = super().readline(size)
        self.longest = max(self.longest, len(line))
        return line


def test_an_overlong_line_is_refused_unread_and_the_next_lines_are_kept() -> None:
    lines = bundled_lines()[:3]
    huge = b"[" + b"1," * 500_000 + b"1]\n"  # 1 MB of JSON
    stream = _Recording(b"".join([lines[0], lines[1], huge, lines[2]]))
    with load_cohort(stream, on_error="collect", max_line_bytes=100_000) as cohort:
        assert len(list(cohort)) == 2
    (failure,) = cohort.errors
    assert failure.line == 3
    assert failure.errors == (
        f"too large to read: {len(huge)} bytes, more than the limit of 100000 bytes "
        "(raise it with max_bytes= or max_line_bytes= if the data are right) @ $",
    )
    assert stream.longest <= 100_001  # never held whole
    for source in (
        [lines[0], lines[1], huge, lines[2]],
        iter([lines[0], lines[1], huge, lines[2]]),
    ):
        with load_cohort(source, on_error="collect", max_line_bytes=100_000) as cohort:
            assert len(list(cohort)) == 2  # a list or a generator of bytes: the same bound
        assert cohort.errors == [failure]


def test_a_text_line_is_measured_in_utf8_bytes() -> None:
    header = bundled_lines()[0].decode()
    line = json.dumps(["é" * 60_000], ensure_ascii=False)  # 60,000 characters, 120 kB
    with load_cohort(
        io.StringIO(header + line + "\n"), on_error="collect", max_line_bytes=100_000
    ) as cohort:
        assert list(cohort) == []
    assert cohort.errors[0].errors[0].startswith("too large to read: 120004 bytes")
    with load_cohort(
        io.StringIO(header + "x" * 200_000 + "\n"), on_error="collect", max_line_bytes=100_000
    ) as cohort:
        assert list(cohort) == []
    assert cohort.errors[0].errors[0].startswith("too large to read: 200001 characters")


def test_documents_above_the_bound_are_refused_before_parsing() -> None:
    text = dump_pathway(active())
    assert load_pathway(text, max_bytes=len(text.encode())).id == "p-1"
    for data in (text, text.encode()):
        with pytest.raises(r.InvalidInput, match="too large to read"):
            load_pathway(data, max_bytes=len(text.encode()) - 1)
    with pytest.raises(r.InvalidInput, match="too large to read"):
        loads('"' + "é" * 40 + '"', str, max_bytes=50)
    assert MAX_BYTES == 16 * 1024 * 1024


@given(rs.pathways(max_events=6))
def test_a_cohort_from_any_iterable_of_lines(pathway: r.Pathway) -> None:
    stream = io.StringIO()
    dump_cohort([pathway], stream)
    as_list = stream.getvalue().splitlines()
    with load_cohort(as_list) as cohort:
        assert list(cohort) == [pathway]
    with load_cohort([line.encode() for line in as_list]) as cohort:
        assert list(cohort) == [pathway]


class _InterruptedDeque(collections.deque):  # type: ignore[type-arg]
    """A batch whose fifth pop is interrupted right after the item left it (a signal
    handled after the C call returned)."""

    pops = 0

    def popleft(self) -> Any:
        item = super().popleft()
        _InterruptedDeque.pops += 1
        if _InterruptedDeque.pops == 5:
            raise KeyboardInterrupt
        return item


@pytest.mark.parametrize("where", ["decoding", "register", "handing back"])
def test_a_cohort_iterated_again_after_an_interrupt_says_so_instead_of_skipping_lines(
    where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review of issue 20: Ctrl-C while a batch was decoded, then the same cohort read
    again (a notebook cell run twice), lost up to a batch of lines without a word; or one
    line, when it came right after the line left the batch."""
    from reussite.serialization import _cohort

    real = _cohort.record_from_text if where == "decoding" else r.Register.check
    calls = 0

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    if where == "decoding":
        monkeypatch.setattr(_cohort, "record_from_text", interrupted)
    elif where == "register":
        monkeypatch.setattr(r.Register, "check", interrupted)
    data = b"".join(bundled_lines()[:40])
    with load_cohort(io.BytesIO(data)) as cohort:
        if where == "handing back":
            _InterruptedDeque.pops = 0
            cohort._batch = _InterruptedDeque()
        kept = []
        with pytest.raises(KeyboardInterrupt):
            kept.extend(cohort)
        handed = cohort.line
        with pytest.raises(r.InvalidInput) as refused:
            kept.extend(cohort)  # again: never on past a hole
    assert len(kept) == (0 if where == "decoding" else 4)  # the fifth never handed back
    assert handed == len(kept) + 1  # the header is line 1
    (message,) = refused.value.errors
    assert message == (
        "the reading was stopped by KeyboardInterrupt after this line: the lines after it "
        f"were not all read; open the cohort again to read them @ $ (line {handed})"
    )
