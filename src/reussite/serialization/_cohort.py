"""Cohort files: JSON Lines, a header then one pathway per line, read as a stream.

The first line is the header, ``{"schema": "reussite.cohort", "version": 2,
"programme": {...}}``; each following line is a pathway (a pathway document without
``schema``, ``version`` and ``programme``, which the header gives for all). Blank lines
are skipped. Reading holds one line at a time: memory does not grow with the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import IO, Any, Literal

import attrs

from ..errors import InvalidInput, InvalidValue
from ..pathway import Pathway
from ..programme import Programme
from ._converter import converters
from ._documents import (
    _WRITER,
    UnknownKeys,
    forbids,
    pathway_from_record,
    pathway_object,
    record_from_text,
    structure,
)
from ._errors import Problems, show
from ._json import dump, parse
from ._migrations import SCHEMA_VERSION, check_version

__all__ = ["Cohort", "LineError", "dump_cohort", "load_cohort"]

COHORT_SCHEMA = "reussite.cohort"

Source = str | os.PathLike[str] | IO[str] | IO[bytes]
OnError = Literal["raise", "collect"]


@attrs.frozen(kw_only=True)
class CohortHeader:
    """The first line of a cohort file: what it is, its version, and the programme."""

    schema: Literal["reussite.cohort"]
    version: Literal[2]  # SCHEMA_VERSION: a test ties the two
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
    iterator = iter(pathways)
    first = next(iterator, None)
    if programme is None:
        if first is None:
            raise InvalidValue("dump_cohort", "programme", None, "a programme for an empty cohort")
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


class Cohort:
    """An open cohort file: its programme, then its pathways, one line at a time.

    Use it as a context manager; iterate it once. In ``"collect"`` mode the lines that
    could not be loaded are in :attr:`errors`, filled as iteration proceeds.

    Attributes:
        programme: the programme, read from the header when the cohort is opened.
        errors: the lines that failed, in ``"collect"`` mode.
        source: the file's name, when known.
        line: the number of the last line read.
    """

    def __init__(
        self,
        lines: Iterator[str | bytes],
        *,
        source: str | None,
        on_error: OnError,
        forbid_extra_keys: bool,
        owned: IO[Any] | None = None,
    ) -> None:
        if on_error not in ("raise", "collect"):
            raise ValueError(f"on_error must be 'raise' or 'collect', got {on_error!r}")
        self.source = source
        self.errors: list[LineError] = []
        self.line = 0
        self._lines = lines
        self._on_error = on_error
        self._fast, self._detailed = converters(forbid_extra_keys)
        self._owned = owned
        self._done = False
        try:
            self.programme, self.version = self._header()
        except BaseException:
            self.close()
            raise

    def _next_line(self) -> str | bytes | None:
        """The next non-blank line (text, or bytes from a binary stream), or ``None`` at the end.

        Bytes are decoded by :func:`parse`, which reports a line that is not UTF-8.
        """
        while True:
            try:
                raw = next(self._lines)
            except StopIteration:
                return None
            except UnicodeDecodeError as error:
                self.line += 1
                raise _ReadingStopped(
                    [f"not valid UTF-8 ({error.reason}): reading stopped here @ $"]
                ) from None
            self.line += 1
            # Positions are within the line; a line of JSON whitespace only is skipped,
            # the same from a text or a binary stream.
            if isinstance(raw, bytes):
                data = raw.rstrip(b"\r\n")
                if data.strip(b" \t"):
                    return data
            else:
                text = raw.rstrip("\r\n")
                if text.strip(" \t"):
                    return text

    def _header(self) -> tuple[Programme, int]:
        try:
            text = self._next_line()
            if text is None:
                raise Problems(["expected a header line, the file is empty @ $"])
            value = parse(text, where="line")
            if type(value) is not dict:
                raise Problems(
                    [f"expected the cohort header (a JSON object), got {show(value)} @ $"]
                )
            if value.get("schema") != COHORT_SCHEMA:
                got = show(value.get("schema")) if "schema" in value else "no schema"
                raise Problems([f'expected "{COHORT_SCHEMA}", got {got} @ $.schema'])
            version = check_version(value.get("version"))
            value = {**value, "version": SCHEMA_VERSION}
            header: CohortHeader = structure(value, CohortHeader, self._fast, self._detailed)
        except Problems as error:
            raise self._invalid(error.lines) from None
        return header.programme, version

    def _invalid(self, lines: Iterable[str]) -> InvalidInput:
        return InvalidInput((f"{line} (line {self.line})" for line in lines), source=self.source)

    def __iter__(self) -> Iterator[Pathway]:
        return self

    def __next__(self) -> Pathway:
        while not self._done:
            try:
                text = self._next_line()
                if text is None:
                    break
                record = record_from_text(
                    text,
                    fast=self._fast,
                    detailed=self._detailed,
                    version=self.version,
                    where="line",
                )
                return pathway_from_record(record, self.programme)
            except Problems as error:
                if self._on_error == "raise":
                    self._done = True
                    raise self._invalid(error.lines) from None
                self.errors.append(LineError(self.line, tuple(error.lines)))
                if isinstance(error, _ReadingStopped):
                    break
        self._done = True
        self.close()
        raise StopIteration

    def close(self) -> None:
        """Close the file if the cohort opened it (a stream given is left open)."""
        if self._owned is not None:
            self._owned.close()
            self._owned = None

    def __enter__(self) -> Cohort:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def load_cohort(
    source: Source,
    *,
    on_error: OnError = "raise",
    unknown_keys: UnknownKeys = "reject",
) -> Cohort:
    """Open a cohort file and read its header; iterate the result for the pathways.

    Every line is fully checked: types, formats and ranges, then the lifecycle rules by
    replaying its events. The programme is read once, from the header.

    Args:
        source: a path, or a text or binary stream (left open).
        on_error: ``"raise"`` stops at the first bad line; ``"collect"`` keeps loading
            the good lines and records the bad ones in ``Cohort.errors``.
        unknown_keys: ``"reject"`` (default) or ``"ignore"``.

    Raises:
        InvalidInput: if the header cannot be read (whatever ``on_error``), or in
            ``"raise"`` mode at the first bad line, with lines ``message @ $.path (line
            N)`` and ``source`` the file's name.
    """
    forbid = forbids(unknown_keys)
    if isinstance(source, str | os.PathLike):
        stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 - the Cohort closes it
        return Cohort(
            iter(stream),
            source=os.fspath(source),
            on_error=on_error,
            forbid_extra_keys=forbid,
            owned=stream,
        )
    name = getattr(source, "name", None)
    return Cohort(
        iter(source),
        source=name if isinstance(name, str) else None,
        on_error=on_error,
        forbid_extra_keys=forbid,
    )
