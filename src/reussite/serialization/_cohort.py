"""Cohort files: JSON Lines, a header then one pathway per line, read as a stream.

The first line is the header, ``{"schema": "reussite.cohort", "version": 3,
"programme": {...}}``; each following line is a pathway (a pathway document without
``schema``, ``version`` and ``programme``, which the header gives for all). Blank lines
are skipped. Reading holds one line at a time: memory does not grow with the file. A
line larger than the bound (``max_line_bytes``, 16 MiB by default) is refused without
being held whole; in ``"collect"`` mode the lines kept in error are bounded too
(``max_errors``), the others counted.
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import datetime as dt
import io
import os
import sys
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import IO, Any, Literal

import attrs

from ..errors import InvalidInput, InvalidValue
from ..lifecycle import as_known_on
from ..pathway import Pathway
from ..programme import Programme
from ..register import Register, RegisterConflict
from ._converter import converters
from ._documents import (
    _WRITER,
    MAX_BYTES,
    UnknownKeys,
    check_bound,
    forbids,
    pathway_from_record,
    pathway_object,
    record_from_text,
    structure,
    too_large,
    utf8_size,
)
from ._errors import Problems, show
from ._json import dump, parse
from ._migrations import SCHEMA_VERSION, check_version, dated_referents
from ._pause import Hold, collector_paused

__all__ = [
    "MAX_ERRORS",
    "MAX_PROBLEMS_PER_LINE",
    "Cohort",
    "LineError",
    "dump_cohort",
    "load_cohort",
]

COHORT_SCHEMA = "reussite.cohort"

MAX_ERRORS = 1000
"""How many failed lines ``"collect"`` mode keeps by default; the others are counted."""
MAX_PROBLEMS_PER_LINE = 100
"""How many problems a failed line keeps; a last one says how many more there were."""
_SKIP_CHUNK = 1 << 16
"""How much of an overlong line is read at a time while it is skipped."""
_BATCH_LINES = 128
"""How many lines are decoded ahead, in one batch with the collector paused."""
_BATCH_BYTES = 1 << 20
"""How much text (characters or bytes) a batch reads at most, besides its last line."""

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
OnError = Literal["raise", "collect"]


@attrs.frozen(kw_only=True)
class CohortHeader:
    """The first line of a cohort file: what it is, its version, and the programme."""

    schema: Literal["reussite.cohort"]
    version: Literal[4]  # SCHEMA_VERSION: a test ties the two
    programme: Programme


@attrs.frozen
class LineError:
    """A line of a cohort file that could not be loaded, and every problem on it.

    Attributes:
        line: the line number (the header is line 1).
        errors: one ``message @ $.path`` per problem.
    """

    line: int
    errors: tuple[str, ...]


def _line_of(error: LineError) -> int:
    return error.line


def withdrawals(conflict: RegisterConflict) -> list[LineError]:
    """The errors of the re-entries a register conflict with ``recorded`` set refuses.

    Each on its own line (the re-entry's), with the message it would have had if the
    pathway it names had come first.
    """
    return [LineError(c.line, (f"{c} @ $",)) for c in (conflict, *conflict.also)]


def dump_cohort(
    pathways: Iterable[Pathway],
    destination: str | os.PathLike[str] | IO[str],
    *,
    programme: Programme | None = None,
) -> int:
    """Write pathways of one programme as a cohort file; return how many were written.

    Args:
        pathways: the pathways, each of ``programme``.
        destination: a path, or a text stream (left open).
        programme: the programme, written once in the header (default: the first
            pathway's).

    Raises:
        InvalidValue: if a pathway belongs to another programme, or there is no pathway
            and no ``programme``.
    """
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidValue("dump_cohort", "programme", programme, "a Programme or None")
    if isinstance(pathways, str | bytes | Pathway) or not isinstance(pathways, Iterable):
        raise InvalidValue("dump_cohort", "pathways", pathways, "an iterable of Pathway")
    if not isinstance(destination, str | os.PathLike) and not callable(
        getattr(destination, "write", None)
    ):
        raise InvalidValue("dump_cohort", "destination", destination, "a path or a text stream")
    iterator = iter(pathways)
    first = next(iterator, None)
    if programme is None:
        if first is None:
            raise InvalidValue("dump_cohort", "programme", None, "a programme for an empty cohort")
        if not isinstance(first, Pathway):
            raise InvalidValue("dump_cohort", "pathways", first, "an iterable of Pathway")
        programme = first.programme
    header = {
        "schema": COHORT_SCHEMA,
        "version": SCHEMA_VERSION,
        "programme": _WRITER.unstructure(programme, Programme),
    }
    if isinstance(destination, str | os.PathLike):
        with open(destination, "w", encoding="utf-8", newline="\n") as stream:
            return _write(stream, header, first, iterator, programme)
    return _write(destination, header, first, iterator, programme)


def _write(
    stream: IO[str],
    header: dict[str, Any],
    first: Pathway | None,
    rest: Iterator[Pathway],
    programme: Programme,
) -> int:
    stream.write(dump(header) + "\n")
    count = 0
    for pathway in rest if first is None else _chain(first, rest):
        if not isinstance(pathway, Pathway):
            raise InvalidValue("dump_cohort", "pathways", pathway, "an iterable of Pathway")
        if pathway.programme is not programme and pathway.programme != programme:
            raise InvalidValue(
                "dump_cohort",
                "pathways",
                pathway.id,
                f"pathways of the cohort's programme ({programme.id!r})",
            )
        line = pathway_object(pathway, _WRITER, programme=False, envelope=False)
        stream.write(dump(line) + "\n")
        count += 1
    return count


def _chain(first: Pathway, rest: Iterator[Pathway]) -> Iterator[Pathway]:
    yield first
    yield from rest


class _ReadingStopped(Problems):
    """A text stream could not be decoded: the lines after this one cannot be read."""


class _Overlong:
    """A line longer than the bound, skipped unread: its size is all that is known."""

    __slots__ = ("size", "unit")

    def __init__(self, size: int, unit: str) -> None:
        self.size = size
        self.unit = unit


Line = str | bytes | _Overlong


def _stream_lines(stream: Any, limit: int) -> Iterator[Line]:
    """The lines of a stream, each read with a bound: an overlong one is skipped in chunks.

    Text streams count characters, binary ones bytes; a text line within the bound in
    characters may still be too large in UTF-8, which the reader checks.
    """
    readline = stream.readline
    while True:
        line = readline(limit + 1)
        if not line:
            return
        if len(line) <= limit or line[-1:] in ("\n", b"\n"):
            yield line
            continue
        size = len(line)
        while True:  # skip the rest of the line without holding it
            more = readline(_SKIP_CHUNK)
            size += len(more)
            if not more or more[-1:] in ("\n", b"\n"):
                break
        yield _Overlong(size, "characters" if isinstance(line, str) else "bytes")


def _checked_lines(lines: Iterable[Any]) -> Iterator[Line]:
    """The items of an iterable of lines, each ``str`` or ``bytes``.

    Raises:
        InvalidValue: at an item that is neither (a dict, a number).
    """
    for line in lines:
        if not isinstance(line, str | bytes):
            raise InvalidValue("load_cohort", "source", line, "lines of text (str or bytes)")
        yield line


class Cohort:
    """An open cohort file: its programme, then its pathways, one line at a time.

    Use it as a context manager; iterate it once. In ``"collect"`` mode the lines that
    could not be loaded are in :attr:`errors`, filled as iteration proceeds: the first
    ``max_errors`` of them; :attr:`error_count` counts them all.

    Attributes:
        programme: the programme, read from the header when the cohort is opened.
        register: the pathways read so far, checked against each other (``None`` when
            the cohort was opened with ``check_register=False``).
        errors: the lines that failed, in ``"collect"`` mode (the first ``max_errors``).
        error_count: how many lines failed, kept in :attr:`errors` or not.
        withdrawn: in ``"collect"`` mode, the ids of pathways handed back then refused by
            a later line: a re-entry naming a pathway met after it, which turns out to be
            another child's or not ended before the re-entry (``R-REENTRY``); their lines
            are in :attr:`errors`. Drop them from what you kept
            (``[p for p in kept if p.id not in cohort.withdrawn]``: their ids stay taken,
            a later line with one is refused), or write files with each pathway after
            the one it names, as :func:`dump_cohort` of pathways in referral order does.
            A line refused earlier for a conflict with such a re-entry (the same child's
            overlapping pathway, say) stays refused.
        source: the file's name, when known.
        known_on: the date the file is read as known on (``None``: as it is).
        line: the line of the last pathway or error handed back (once the iteration is
            over, the file's last line).

    Lines from a file, a seekable stream or a list are decoded a batch at a time (at
    most :data:`_BATCH_LINES` lines or :data:`_BATCH_BYTES` of text, so memory stays
    bounded) with the cyclic garbage collector paused while the batch is decoded and
    resumed before a pathway is handed back: the collector walks each new object twice
    instead of again and again (see :mod:`reussite.serialization._pause`). A pipe or a
    generator is read line by line. The register, :attr:`errors` and :attr:`line` follow
    what was handed back, not what was decoded ahead.
    """

    def __init__(
        self,
        lines: Iterator[Line],
        *,
        source: str | None,
        on_error: OnError,
        forbid_extra_keys: bool,
        owned: IO[Any] | None = None,
        max_line_bytes: int = MAX_BYTES,
        max_errors: int = MAX_ERRORS,
        restore: Any = None,
        check_register: bool = True,
        batched: bool = False,
        known_on: dt.date | None = None,
    ) -> None:
        self.source = source
        self.errors: list[LineError] = []
        self.error_count = 0
        self.withdrawn: list[str] = []
        self.line = 0
        self._lines = lines
        self._on_error = on_error
        self._fast, self._detailed = converters(forbid_extra_keys)
        self._owned = owned
        self._restore = restore
        self._limit = max_line_bytes
        self._max_errors = max_errors
        self._done = False
        self._stopped: str | None = None  # the exception that stopped the reading
        self._hold: Hold | None = None  # the collector's pause over the last batch decoded
        self._read = 0  # the last line read from the source (self.line: handed back)
        self._batch: collections.deque[tuple[int, Pathway | BaseException]] = collections.deque()
        self._exhausted = False
        self._batch_lines = _BATCH_LINES if batched else 1
        self.register: Register | None = Register() if check_register else None
        self.known_on = known_on
        try:
            self.programme, self.version = self._header()
        except BaseException:
            self.close()
            raise
        self.line = self._read

    def _next_line(self) -> str | bytes | None:
        """The next non-blank line (text, or bytes from a binary stream), or ``None`` at the end.

        Bytes are decoded by :func:`parse`, which reports a line that is not UTF-8; so are
        the lines of a text stream read with ``surrogateescape``, given back as the bytes
        they were, so that a path and a text stream of one file keep the same lines.

        Raises:
            Problems: a line larger than the bound.
            _ReadingStopped: a text stream that could not be decoded any further.
        """
        while True:
            try:
                raw = next(self._lines)
            except StopIteration:
                return None
            except UnicodeDecodeError as error:
                self._read += 1
                raise _ReadingStopped(
                    [
                        f"the text stream could not be decoded ({error.reason}) at or after "
                        "this line: reading stopped here; open the file by its path or in "
                        "binary mode to read the lines after it @ $"
                    ]
                ) from None
            self._read += 1
            # Positions are within the line; a line of JSON whitespace only is skipped,
            # the same from a text or a binary stream.
            if isinstance(raw, bytes):
                data = raw.rstrip(b"\r\n")
                if data.strip(b" \t"):
                    if len(data) > self._limit:  # an item of a list (a stream's are bounded)
                        raise too_large(len(raw), self._limit)  # counted as a stream does
                    return data
            elif isinstance(raw, str):
                text = raw.rstrip("\r\n")
                if text.strip(" \t"):
                    if len(text) > self._limit // 4 and utf8_size(text) > self._limit:
                        raise too_large(utf8_size(text), self._limit)
                    if self._restore is not None and not text.isascii():
                        return _undecoded(text, self._restore)
                    return text
            else:
                raise too_large(raw.size, self._limit, unit=raw.unit)

    def _header(self) -> tuple[Programme, int]:
        try:
            text = self._next_line()
            if text is None:
                self._read = 1  # where the header should be
                raise Problems(["expected the cohort header on line 1, the file is empty @ $"])
            value = parse(text, where="line")
            if type(value) is not dict:
                raise Problems(
                    [f"expected the cohort header (a JSON object), got {show(value)} @ $"]
                )
            if value.get("schema") != COHORT_SCHEMA:
                got = show(value.get("schema")) if "schema" in value else "no schema"
                raise Problems([f'expected "{COHORT_SCHEMA}", got {got} @ $.schema'])
            version = check_version(value.get("version"))
            older = dated_referents(value.get("programme"), version, "$.programme")
            if older:
                raise Problems(older)
            value = {**value, "version": SCHEMA_VERSION}
            header: CohortHeader = structure(value, CohortHeader, self._fast, self._detailed)
        except Problems as error:
            self.line = self._read
            raise self._invalid(error.lines) from None
        return header.programme, version

    def _invalid(self, lines: Iterable[str]) -> InvalidInput:
        return InvalidInput((f"{line} (line {self.line})" for line in lines), source=self.source)

    def __iter__(self) -> Iterator[Pathway]:
        return self

    def __next__(self) -> Pathway:
        if self._stopped is not None:  # iterated again after an interrupt: no silent hole
            raise self._invalid(
                [
                    f"the reading was stopped by {self._stopped} after this line: the lines "
                    "after it were not all read; open the cohort again to read them @ $"
                ]
            )
        item: Pathway | BaseException | None = None
        while not self._done:
            if not self._batch:
                if self._exhausted:
                    self.line = self._read  # blank lines at the end counted
                    break
                try:
                    self._fill()
                except BaseException as error:  # an interrupt, the source failing
                    self._stop(error)
                    raise
                continue
            previous = self.line  # the last line dealt with, should this one be interrupted
            item = None
            try:
                self.line, item = self._batch.popleft()  # an interrupt here: not lost unsaid
                if not isinstance(item, Pathway):
                    raise item
                if self.known_on is not None:
                    known = as_known_on(item, self.known_on)
                    if known is None:  # its referral was recorded later: not in the file then
                        continue
                    item = known
                if self.register is not None:
                    try:
                        self.register.check(item, line=self.line)
                    except RegisterConflict as conflict:
                        if not conflict.recorded:
                            raise Problems([f"{conflict} @ $"]) from None
                        if self._on_error == "raise":  # the first problem: the re-entry's
                            self.line = conflict.line
                            raise Problems(withdrawals(conflict)[0].errors) from None
                        self._withdraw(conflict)
                return item
            except Problems as error:
                error.__traceback__ = None  # it held this frame, which holds it: no cycle
                lines = _capped(error.lines)
                if self._on_error == "raise":
                    self._done = True
                    self.close()
                    raise self._invalid(lines) from None
                self.error_count += 1
                if len(self.errors) < self._max_errors:
                    self.errors.append(LineError(self.line, tuple(lines)))
                if isinstance(error, _ReadingStopped):
                    break
            except BaseException as error:
                if error is not item:  # not the line's own error: its pathway not handed back
                    self.line = previous
                item = None  # the traceback holds this frame: it must not hold the error
                self._stop(error)
                raise
        self._done = True
        self.close()
        raise StopIteration

    def _stop(self, error: BaseException) -> None:
        """End the reading after ``error`` escaped it (an interrupt, a failing source).

        The lines decoded ahead and not handed back are dropped with the cohort: a later
        :meth:`__next__` says so instead of reading on past them.
        """
        if self._hold is not None:  # an interrupt may have cut its release short
            self._hold.release()
        self._stopped = type(error).__name__
        self._done = True
        self._batch.clear()
        self.close()

    def _withdraw(self, conflict: RegisterConflict) -> None:
        """Re-entries handed back earlier that the pathway just read showed wrong.

        In ``"collect"`` mode: each an error of its own line, in line order among
        :attr:`errors`, its id in :attr:`withdrawn`.
        """
        late = withdrawals(conflict)
        for error, refused in zip(late, (conflict, *conflict.also), strict=True):
            self.error_count += 1
            self.withdrawn.append(refused.pathway_id)
            bisect.insort(self.errors, error, key=_line_of)
            del self.errors[self._max_errors :]

    def _fill(self) -> None:
        """Decode the next batch of lines, with the collector paused while they are decoded.

        A batch is at most :data:`_BATCH_LINES` lines, or :data:`_BATCH_BYTES` of text
        and the line that crosses it, read from a source that gives them at once (a file,
        a seekable stream, a list); one line from any other (a pipe, standard input, a
        generator), so that a pathway is handed back as soon as its line comes. Lines are
        read with the collector running: only the decoding pauses it (see
        :mod:`._pause`).

        Each line gives its pathway or the error it raised, handed back in order by
        :meth:`__next__`, which checks the register then (so :attr:`register`,
        :attr:`line` and :attr:`errors` are those of what was handed back). The batch
        stops after an error that ends the reading.
        """
        texts: list[tuple[int, str | bytes | Exception]] = []
        size = 0
        outer = sys.exc_info()[1]  # the caller's own, if it reads us while handling one
        while len(texts) < self._batch_lines and size < _BATCH_BYTES:
            try:
                text = self._next_line()
            except Exception as error:  # raised in its turn, after the lines before it
                texts.append(
                    (self._read, error.detached(outer) if isinstance(error, Problems) else error)
                )
                if not isinstance(error, Problems) or self._on_error == "raise":
                    self._exhausted = True  # an error of the source, or the first problem
                    break
                if isinstance(error, _ReadingStopped):
                    self._exhausted = True
                    break
                continue
            if text is None:
                self._exhausted = True
                break
            texts.append((self._read, text))
            size += len(text)
        batch = self._batch
        item: str | bytes | Exception | None = None
        # The collector paused over the decoding; the hold is given back below and, should
        # an interrupt cut that short, again when the reading stops (_stop).
        self._hold = paused = collector_paused() if len(texts) > 1 else None
        try:
            for line, item in texts:
                if isinstance(item, Exception):
                    batch.append((line, item))
                    continue
                try:
                    record = record_from_text(
                        item,
                        fast=self._fast,
                        detailed=self._detailed,
                        version=self.version,
                        where="line",
                    )
                    batch.append((line, pathway_from_record(record, self.programme)))
                except Problems as error:
                    batch.append((line, error.detached(outer)))
                    if self._on_error == "raise":
                        self._exhausted = True  # nothing after the first problem is kept
                        return
        finally:
            if paused is not None:
                paused.release()
            # An error raised from this batch holds this frame in its traceback: let the
            # frame hold neither the batch's text nor the error (no cycle).
            texts.clear()
            item = None

    def close(self) -> None:
        """Stop the cohort; close the file if it opened it (a stream given is left open).

        A closed cohort hands back nothing more, not even lines it had decoded ahead.
        """
        self._done = True
        self._batch.clear()
        if self._owned is not None:
            self._owned.close()
            self._owned = None
        if self._restore is not None:
            stream, errors = self._restore
            self._restore = None
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile: nothing to do
                stream.reconfigure(errors=errors)

    def __enter__(self) -> Cohort:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _capped(lines: list[str]) -> list[str]:
    """At most :data:`MAX_PROBLEMS_PER_LINE` problems, the last saying how many more."""
    if len(lines) <= MAX_PROBLEMS_PER_LINE:
        return lines
    more = len(lines) - MAX_PROBLEMS_PER_LINE + 1
    return [*lines[: MAX_PROBLEMS_PER_LINE - 1], f"... and {more} more problems on this line @ $"]


def _undecoded(text: str, restore: tuple[Any, str]) -> str | bytes:
    """A line of a text stream read with ``surrogateescape``: as it was, if it held bad bytes.

    A UTF-8 stream's line goes back to its bytes, which :func:`parse` reads as it reads a
    file's (the same message, the same position); another encoding's line is refused here.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        stream, _ = restore
        encoding = str(getattr(stream, "encoding", "utf-8"))
        if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
            return text.encode("utf-8", "surrogateescape")
        raise Problems(
            [f"not valid text in the stream's encoding ({encoding}): a byte it cannot read @ $"]
        ) from None
    return text


def _lines_of(source: object, limit: int) -> tuple[Iterator[Line], Any]:
    """The lines of a stream or an iterable of lines, and how to restore a text stream.

    A text stream over bytes (``open(p, encoding="utf-8")``, ``sys.stdin``) is switched to
    ``surrogateescape`` while the cohort reads it, when nothing was read from it yet: a
    byte that is not UTF-8 then spoils its line only, as it does when reading by path.

    Raises:
        InvalidValue: if ``source`` is neither a stream nor an iterable of lines.
    """
    if callable(getattr(source, "readline", None)):
        restore = None
        errors = getattr(source, "errors", None)
        if isinstance(source, io.TextIOWrapper) and errors == "strict":
            try:
                source.reconfigure(errors="surrogateescape")
            except (OSError, ValueError):  # data already read: decoded as it is
                pass
            else:
                restore = (source, errors)
        return _stream_lines(source, limit), restore
    if isinstance(source, str | bytes | bytearray | memoryview | dict) or not isinstance(
        source, Iterable
    ):
        raise InvalidValue(
            "load_cohort",
            "source",
            source,
            "a path, a text or binary stream, or an iterable of lines (wrap bytes in io.BytesIO)",
        )
    return _checked_lines(source), None


def load_cohort(
    source: Source,
    *,
    on_error: OnError = "raise",
    unknown_keys: UnknownKeys = "reject",
    max_line_bytes: int = MAX_BYTES,
    max_errors: int = MAX_ERRORS,
    check_register: bool = True,
    known_on: dt.date | None = None,
) -> Cohort:
    """Open a cohort file and read its header; iterate the result for the pathways.

    Every line is fully checked: types, formats and ranges, then the lifecycle rules by
    replaying its events; then the rules between pathways
    (:mod:`reussite.register`: a pathway once, one open pathway per child, re-entries
    after the earlier pathway ended), keeping a small record per pathway; of two pathways
    in conflict, the second line is the one refused. The programme is read once, from the
    header.

    Args:
        source: a path, or a text or binary stream (left open), or an iterable of lines.
            A text stream and a path keep the same lines: a byte that is not UTF-8
            spoils its own line only (see :func:`_lines_of`). A file, a seekable stream
            or a list is read a batch of lines ahead of the pathways handed back (see
            :class:`Cohort`): a stream's position is the cohort's business until the
            iteration ends. A pipe, standard input or a generator is read line by line.
        on_error: ``"raise"`` stops at the first bad line; ``"collect"`` keeps loading
            the good lines and records the bad ones in ``Cohort.errors``.
        unknown_keys: ``"reject"`` (default) or ``"ignore"``.
        max_line_bytes: a line larger than this many bytes (UTF-8) is refused unread, as
            a problem of its line (default :data:`MAX_BYTES`, 16 MiB).
        max_errors: how many failed lines ``"collect"`` mode keeps in ``Cohort.errors``
            (default :data:`MAX_ERRORS`); ``Cohort.error_count`` counts them all. Each
            keeps at most :data:`MAX_PROBLEMS_PER_LINE` problems.
        check_register: ``True`` (default) checks the rules between pathways as lines
            are read (:mod:`reussite.register`), a failing line being an error like any
            other; ``False`` leaves them to the caller (a shard of a file, whose register
            is merged elsewhere).
        known_on: read the file as the tracking tool knew it on this date: each pathway
            as known then (:func:`~reussite.as_known_on`: events recorded later left
            out), a pathway whose referral was recorded later skipped; the rules between
            pathways are checked on what was known, so the file reads as a copy of it
            made on that date would (every line is still checked in full first).

    Raises:
        InvalidInput: if the header cannot be read (whatever ``on_error``), or in
            ``"raise"`` mode at the first bad line, with lines ``message @ $.path (line
            N)`` and ``source`` the file's name.
        InvalidValue: if an argument has the wrong type or value.
        OSError: if the file cannot be opened.
    """
    forbid = forbids(unknown_keys, owner="load_cohort")
    if on_error not in ("raise", "collect") or type(on_error) is not str:
        raise InvalidValue("load_cohort", "on_error", on_error, "'raise' or 'collect'")
    limit = check_bound(max_line_bytes, owner="load_cohort", field="max_line_bytes")
    if type(max_errors) is not int or max_errors < 0:
        raise InvalidValue("load_cohort", "max_errors", max_errors, "an integer >= 0")
    if type(check_register) is not bool:
        raise InvalidValue("load_cohort", "check_register", check_register, "True or False")
    if known_on is not None and type(known_on) is not dt.date:
        raise InvalidValue("load_cohort", "known_on", known_on, "a datetime.date or None")
    options: dict[str, Any] = {
        "check_register": check_register,
        "known_on": known_on,
        "on_error": on_error,
        "forbid_extra_keys": forbid,
        "max_line_bytes": limit,
        "max_errors": max_errors,
    }
    if isinstance(source, str | os.PathLike):
        stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 - the Cohort closes it
        return Cohort(
            _stream_lines(stream, limit),
            source=os.fspath(source),
            owned=stream,
            batched=True,
            **options,
        )
    lines, restore = _lines_of(source, limit)
    name = getattr(source, "name", None)
    return Cohort(
        lines,
        source=name if isinstance(name, str) else None,
        restore=restore,
        batched=_at_once(source),
        **options,
    )


def _at_once(source: object) -> bool:
    """Whether ``source`` gives its lines without waiting (its lines are read in batches).

    A seekable stream (a file, a buffer in memory) or a list or tuple of lines. A pipe,
    standard input or a generator is read one line at a time, each pathway handed back
    as soon as its line comes.
    """
    if isinstance(source, list | tuple):
        return True
    seekable = getattr(source, "seekable", None)
    try:
        return bool(seekable()) if callable(seekable) else False
    except (OSError, ValueError):  # a closed or odd stream: read it line by line
        return False
