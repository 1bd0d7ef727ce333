"""A cohort file exported by several processes: the bytes one process would write.

Each worker writes the rows of its shard to a temporary file of its own (readable by its
owner only), keeping only where each row ends; the parent checks the register in the
file's order (:func:`~reussite.serialization.map_cohort`) and copies, shard after shard,
the rows of the pathways it accepts, a megabyte at a time. Memory does not grow with the
rows; the temporary files take as much disk as the export, and are removed however the
export ends.
"""

from __future__ import annotations

import codecs
import datetime as dt
import functools
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TextIO

import attrs

from .._sensitivity import Sensitivity
from ..errors import InvalidValue
from ..pathway import Pathway
from ..programme import Programme
from ..serialization import MAX_ERRORS, LineError, load_cohort, map_cohort
from ..serialization._cohort import OnError
from ..serialization._documents import MAX_BYTES, UnknownKeys
from ..serialization._shards import check_jobs
from ._export import (
    ExportManifest,
    _head,
    _row,
    _row_text,
    _start,
    _too_late,
    check_streams,
    export_pseudonymised,
)
from ._purpose import Purpose, pseudonymiser

__all__ = ["CohortExport", "export_cohort"]

_CHUNK = 1 << 20
"""Bytes of rows copied at a time."""
_TEXT = "surrogatepass"
"""How rows cross the temporary files: any text comes back as it was written."""


@attrs.frozen(kw_only=True)
class CohortExport:
    """What :func:`export_cohort` wrote (*extraction d'un fichier de cohorte*).

    Attributes:
        manifest: what the export contains; ``manifest.rows`` counts the pathways written.
        errors: in ``"collect"`` mode, the first ``max_errors`` lines refused, in the
            file's order (:class:`~reussite.serialization.LineError`).
        error_count: how many lines were refused, kept in :attr:`errors` or not.
        withdrawn: in ``"collect"`` mode, the pseudonyms (column ``pathway``) of rows
            written then refused by a later line: a re-entry naming a pathway met after
            it that turns out another child's, or not ended before it (see
            ``Cohort.withdrawn``); their lines are in :attr:`errors`, their rows in the
            export and counted by ``manifest.rows``. Drop them when you read the export.
    """

    manifest: ExportManifest
    errors: tuple[LineError, ...] = ()
    error_count: int = 0
    withdrawn: tuple[str, ...] = ()


def export_cohort(
    path: str | os.PathLike[str],
    *,
    key: bytes,
    purpose: Purpose | str,
    as_of: dt.date,
    out: TextIO,
    format: str = "jsonl",
    include: Iterable[Sensitivity | str] = (),
    ages: str = "band",
    sidecar: TextIO | None = None,
    jobs: int | None = None,
    on_error: OnError = "raise",
    unknown_keys: UnknownKeys = "reject",
    max_line_bytes: int = MAX_BYTES,
    max_errors: int = MAX_ERRORS,
    progress: Callable[[int], None] | None = None,
    temp_dir: str | os.PathLike[str] | None = None,
) -> CohortExport:
    """Export a cohort file pseudonymised with ``jobs`` processes (*extraction pseudonymisée*).

    Rule: what is written is, byte for byte, what :func:`export_pseudonymised` writes
    from :func:`~reussite.serialization.load_cohort` in one process, in either error
    mode: the rows in the file's order, a line refused (its types, its lifecycle, or the
    register, checked in the file's order) raising at it with the rows before it
    written, or in ``"collect"`` mode left out and counted; the same errors, numbered as
    in the whole file. The file is read in byte-range shards by worker processes
    (:func:`~reussite.serialization.map_cohort`); each writes its rows to a temporary
    file in ``temp_dir``, which this process copies to ``out`` in the file's order, so
    that memory does not grow with the export (the temporary files take as much disk as
    the export, and are removed however it ends).

    >>> import io
    >>> from reussite.privacy import generate_key
    >>> from reussite.samples import sample_path
    >>> out = io.StringIO()
    >>> done = export_cohort(sample_path("cohort"), key=generate_key(), purpose="evaluation",
    ...                      as_of=dt.date(2019, 1, 1), out=out, jobs=1)
    >>> done.manifest.rows, done.error_count, len(out.getvalue().splitlines())
    (294, 0, 295)

    Args:
        path: the cohort file (a path: shards are byte ranges of it).
        key: the data controller's secret, as for :func:`export_pseudonymised`.
        purpose: a :class:`Purpose` or its name.
        as_of: the export's reference date: no pathway may have an event after it.
        out: the text stream the export is written to.
        format: ``"jsonl"`` or ``"csv"``.
        include: extra categories to keep (``"health"``, ``"child_protection"``).
        ages: ``"band"`` (default) or ``"years"``.
        sidecar: a text stream for the header instead of the first line of ``out``.
        jobs: worker processes (default ``os.cpu_count()``); ``1`` reads and writes in
            this process, without temporary files.
        on_error: ``"raise"`` (default) or ``"collect"``, as for ``load_cohort``.
        unknown_keys: ``"reject"`` (default) or ``"ignore"``.
        max_line_bytes: the bound on a line, as for ``load_cohort``.
        max_errors: how many refused lines ``"collect"`` mode keeps.
        progress: called with the bytes read each time a shard is done.
        temp_dir: the folder of the temporary files (default: the system's; give the
            output's folder for a large export).

    Returns:
        The manifest with the number of rows, and the lines refused.

    Raises:
        InvalidInput: if the header cannot be read, or in ``"raise"`` mode at the first
            bad line of the file (``message @ $.path (line N)``).
        InvalidValue: as :func:`export_pseudonymised` (a short key, an unknown format,
            a pathway with events after ``as_of``…), or an argument of the reading.
        OSError: if the file cannot be opened, or the temporary files written.
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidValue("export_cohort", "path", path, "a path to a cohort file")
    jobs = check_jobs(jobs, owner="export_cohort")
    check_streams("export_cohort", out, sidecar)
    reading: dict[str, Any] = {
        "on_error": on_error,
        "unknown_keys": unknown_keys,
        "max_line_bytes": max_line_bytes,
        "max_errors": max_errors,
    }
    plan: dict[str, Any] = {"fmt": format, "as_of": as_of, "ages": ages}
    if jobs == 1:
        with load_cohort(path, **reading) as cohort:
            manifest = export_pseudonymised(
                cohort,
                key=key,
                purpose=purpose,
                out=out,
                include=include,
                sidecar=sidecar,
                check_register=False,  # the cohort checks them as it reads, naming lines
                **{("format" if k == "fmt" else k): v for k, v in plan.items()},
            )
        if progress is not None:
            progress(os.path.getsize(path))
        return CohortExport(
            manifest=manifest,
            errors=tuple(cohort.errors),
            error_count=cohort.error_count,
            withdrawn=_pseudonyms(cohort.withdrawn, key, manifest.purpose),
        )
    with load_cohort(path, **reading):  # the header, before anything is written
        pass
    manifest, _ = _start(key, purpose, include=include, **plan)
    _head(manifest, out, sidecar)
    with tempfile.TemporaryDirectory(prefix="reussite-export-", dir=temp_dir) as folder:
        work = functools.partial(
            _export_shard,
            key=key,
            purpose=manifest.purpose,  # with the categories ``include`` added
            plan=plan,
            folder=folder,
            stop_at_late=on_error == "raise",
        )
        copy = _Copy(out, as_of)
        try:
            read = map_cohort(
                path, work, jobs=jobs, progress=progress, accepted=copy.row, **reading
            )
        finally:
            copy.close()  # the rows accepted before a problem are written, as by one process
    return CohortExport(  # the rows written: those withdrawn were copied before
        manifest=attrs.evolve(manifest, rows=read.valid + len(read.withdrawn)),
        errors=read.errors,
        error_count=read.error_count,
        withdrawn=_pseudonyms(read.withdrawn, key, manifest.purpose),
    )


def _pseudonyms(ids: Iterable[str], key: bytes, purpose: Purpose) -> tuple[str, ...]:
    """The pseudonyms of pathway ids, as the export's ``pathway`` column gives them."""
    pseudonym = pseudonymiser(key, purpose)
    return tuple(pseudonym("pathway", pathway_id) for pathway_id in ids)


@attrs.frozen(eq=False)
class _Rows:
    """A worker's rows: their file, where each ends, and the pathways with later events.

    Attributes:
        path: the temporary file of the rows, UTF-8.
        ends: for each pathway the worker was given, where its row ends in ``path`` (a
            pathway with events after ``as_of`` has an empty row).
        late: the positions of the pathways with events after ``as_of``, in order.
        late_on: the ordinal of the last event of each of them.
    """

    path: str
    ends: array[int]
    late: array[int]
    late_on: array[int]


def _export_shard(
    pathways: Iterator[Pathway],
    programme: Programme,
    *,
    key: bytes,
    purpose: Purpose,
    plan: dict[str, Any],
    folder: str,
    stop_at_late: bool,
) -> _Rows:
    """One worker's shard: each row written to a temporary file as it is made."""
    manifest, context = _start(key, purpose, include=(), **plan)
    text = _row_text(manifest)
    as_of = manifest.as_of
    ends, late, late_on = array("q"), array("q"), array("l")
    size = 0
    handle, name = tempfile.mkstemp(dir=folder, suffix=".rows")  # mode 600
    with open(handle, "wb") as stream:
        for position, pathway in enumerate(pathways):
            if pathway.last_event_on > as_of:
                # refused where this process copies the rows, if the register keeps it
                late.append(position)
                late_on.append(pathway.last_event_on.toordinal())
                ends.append(size)
                if stop_at_late:
                    break
                continue
            data = text(_row(pathway, manifest, context)).encode("utf-8", _TEXT)
            stream.write(data)
            size += len(data)
            ends.append(size)
    return _Rows(name, ends, late, late_on)


class _Copy:
    """Copies to ``out`` the rows of the pathways the register accepts, in order.

    Adjacent rows are copied as one range, a megabyte at a time; a shard's file is
    removed once the next shard starts.
    """

    def __init__(self, out: TextIO, as_of: dt.date) -> None:
        self.out = out
        self.as_of = as_of
        self.rows: _Rows | None = None
        self.stream: IO[bytes] | None = None
        self.late = 0  # the next of ``rows.late`` not passed yet
        self.start = self.end = 0  # the range of rows not copied yet

    def row(self, rows: _Rows, position: int) -> None:
        """Take the row of the pathway at ``position`` of the shard ``rows``.

        Raises:
            InvalidValue: if that pathway has events after ``as_of``.
        """
        if rows is not self.rows:
            self._switch(rows)
        late = rows.late
        while self.late < len(late) and late[self.late] < position:
            self.late += 1  # refused by the register: never a problem of its own
        if self.late < len(late) and late[self.late] == position:
            last_event = dt.date.fromordinal(rows.late_on[self.late])
            raise _too_late(self.as_of, last_event)
        start = rows.ends[position - 1] if position else 0
        if start != self.end:
            self._flush()
            self.start = start
        self.end = rows.ends[position]

    def _switch(self, rows: _Rows) -> None:
        self.close()
        self.rows = rows
        self.stream = open(rows.path, "rb")  # noqa: SIM115 (closed by close())
        self.late = self.start = self.end = 0

    def _flush(self) -> None:
        if self.stream is None or self.end <= self.start:
            return
        decoder = codecs.getincrementaldecoder("utf-8")(_TEXT)
        self.stream.seek(self.start)
        left = self.end - self.start
        while left:
            data = self.stream.read(min(left, _CHUNK))
            if not data:  # the file was cut short behind our back
                raise OSError(f"{self.stream.name}: rows missing")
            left -= len(data)
            self.out.write(decoder.decode(data, final=not left))
        self.start = self.end

    def close(self) -> None:
        """Write the rows taken and not yet written; remove the shard's file."""
        if self.stream is None:
            return
        try:
            self._flush()
        finally:
            self.stream.close()
            self.stream = None
            if self.rows is not None:
                os.unlink(self.rows.path)
