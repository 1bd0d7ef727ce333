"""A cohort file read by several processes: byte-range shards, one result in file order.

The file is cut into byte ranges at line boundaries; each worker process reads the
header, then the lines starting in its range, checks each one as :func:`load_cohort`
does and hands its pathways to ``work``, keeping nothing else but what the register
needs of each pathway (:meth:`~reussite.register.Register.entry`). The parent then checks
the register in the file's order, numbering lines as in the whole file, so errors,
counts and results are those of one process reading the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, Generic, TypeVar

import attrs

from ..errors import InvalidInput, InvalidValue
from ..pathway import Pathway
from ..programme import Programme
from ..register import Entry, Register, RegisterConflict
from ._cohort import (
    MAX_ERRORS,
    Cohort,
    Line,
    LineError,
    OnError,
    _capped,
    _Overlong,
    _stream_lines,
    load_cohort,
    withdrawals,
)
from ._documents import MAX_BYTES, UnknownKeys, check_bound, forbids

__all__ = ["ShardedCohort", "map_cohort"]

T = TypeVar("T")

Work = Callable[[Iterator[Pathway], Programme], T]
"""What a worker does with its shard: ``work(pathways, programme)``, a picklable
top-level function (or ``functools.partial`` of one) returning a picklable result."""

_SHARDS_PER_JOB = 4
"""Shards per worker: a worker that finishes early takes the next; progress is finer."""
_MIN_SHARD = 1 << 20
"""The smallest shard worth cutting further (bytes)."""
_MIN_WORK = 1 << 16
"""The least a worker process is started for (bytes): a few dozen lines."""
_SKIP = 1 << 16


@attrs.frozen
class ShardedCohort(Generic[T]):
    """What :func:`map_cohort` read: the results of each shard, in the file's order.

    Attributes:
        programme: the programme of the file's header.
        results: ``work``'s result for each shard, in the file's order (merge them:
            :meth:`~reussite.indicators.Report.merge` is exact).
        valid: how many pathways passed every check, the register's included.
        errors: in ``"collect"`` mode, the first ``max_errors`` lines refused, in the
            file's order, numbered as in the whole file.
        error_count: how many lines were refused, kept in :attr:`errors` or not.
        register: the register of the valid pathways.
        withdrawn: in ``"collect"`` mode, the pathways ``accepted`` was told of, then
            refused by a later line (a re-entry naming a pathway met after it: see
            :attr:`Cohort.withdrawn <reussite.serialization.Cohort.withdrawn>`); they are
            neither valid nor in the register.
    """

    programme: Programme
    results: tuple[T, ...]
    valid: int
    errors: tuple[LineError, ...]
    error_count: int
    register: Register
    withdrawn: tuple[str, ...] = ()


@attrs.frozen
class _Shard:
    """What a worker hands back: its result, its lines' count, errors and entries."""

    result: Any
    lines: int
    errors: tuple[LineError, ...]
    error_count: int
    entries: list[Entry]


def _shard_lines(path: str, body: int, start: int, end: int, limit: int) -> Iterator[Line]:
    """The lines before ``body`` (the header), then those starting in ``[start, end)``."""
    with open(path, "rb") as stream:
        lines = _stream_lines(stream, limit)
        while stream.tell() < body:
            yield next(lines)
        if start > body:
            stream.seek(start - 1)
            while True:  # the end of the line holding byte start - 1, a chunk at a time
                rest = stream.readline(_SKIP)
                if not rest or rest.endswith(b"\n"):
                    break
        position = stream.tell()
        for line in _stream_lines(stream, limit):
            if position >= end:
                return
            position += line.size if isinstance(line, _Overlong) else len(line)
            yield line


def _read_shard(
    path: str,
    header: tuple[int, int],
    start: int,
    end: int,
    work: Work[Any],
    options: dict[str, Any],
) -> _Shard:
    """One worker's shard: every line checked, the pathways given to ``work``."""
    options = dict(options)
    stop_at_first = options.pop("stop_at_first")
    sent = options.pop("sent", False)  # a worker process: the result goes back pickled
    body, header_lines = header
    cohort = Cohort(
        _shard_lines(path, body, start, end, options["max_line_bytes"]),
        source=path,
        on_error="collect",
        check_register=False,
        batched=True,
        **options,
    )
    entries: list[Entry] = []
    entry = Register.entry
    read = [False]  # whether work read its pathways to the end

    def pathways() -> Iterator[Pathway]:
        for pathway in cohort:
            if stop_at_first and cohort.error_count:
                return
            entries.append(entry(pathway, line=cohort.line))
            yield pathway
        read[0] = True

    with cohort:
        result = work(pathways(), cohort.programme)
        if isinstance(result, Iterator) and not read[0]:  # lazy over pathways soon gone
            raise InvalidValue(
                "map_cohort",
                "work",
                work,
                "a function that reads its pathways before it returns (it returned "
                f"{type(result).__name__!r}, an iterator, with pathways left unread: "
                "read lazily after, it would find none)",
            )
        for _ in pathways():  # what work left unread is still checked
            pass
    lines = cohort.line - header_lines
    if sent:
        try:  # said as the caller's mistake, not as pickling's own error
            pickle.dumps(result)
        except Exception:
            raise InvalidValue(
                "map_cohort",
                "work",
                work,
                "a function whose result the worker can send back (picklable: no "
                f"generator, open file or lambda in it), not one giving {type(result)!r}",
            ) from None
    return _Shard(result, lines, tuple(cohort.errors), cohort.error_count, entries)


def _ranges(size: int, body: int, jobs: int) -> list[tuple[int, int]]:
    """The byte ranges of the shards: ``jobs`` of them at least, more in a large file.

    No fewer than :data:`_MIN_WORK` bytes a shard, though: a small file is not worth a
    process per line.
    """
    if jobs == 1:
        return [(body, size)]
    least = min(jobs, max(1, -(-(size - body) // _MIN_WORK)))
    count = max(least, min(jobs * _SHARDS_PER_JOB, (size - body) // _MIN_SHARD))
    step = (size - body) / count
    cuts = [body + round(step * i) for i in range(count)] + [size]
    return list(itertools.pairwise(cuts))


def map_cohort(
    path: str | os.PathLike[str],
    work: Work[T],
    *,
    jobs: int | None = None,
    on_error: OnError = "raise",
    unknown_keys: UnknownKeys = "reject",
    max_line_bytes: int = MAX_BYTES,
    max_errors: int = MAX_ERRORS,
    progress: Callable[[int], None] | None = None,
    accepted: Callable[[T, int], None] | None = None,
    known_on: dt.date | None = None,
) -> ShardedCohort[T]:
    """Read a cohort file with ``jobs`` processes, each giving its shard to ``work``.

    Every line is checked as :func:`load_cohort` checks it (types, lifecycle, then the
    register in the file's order), and problems are numbered as in the whole file:
    the errors, the count of valid pathways and the merged results are those of one
    process. ``work`` sees the pathways of its shard that pass their own checks; a
    pathway refused by the register (a duplicate in another shard, say) is found after,
    when the parent checks the register: in ``"raise"`` mode it raises, in
    ``"collect"`` mode it is an error of its line (subtract it yourself if ``work``
    counted it), or keep only what ``accepted`` names.

    >>> import functools
    >>> from reussite.indicators import annual_report
    >>> from reussite.periods import SchoolYear
    >>> from reussite.samples import sample_path
    >>> year = SchoolYear(2017)
    >>> def report(pathways, programme):  # a top-level function in real code
    ...     return annual_report(pathways, year, as_of=year.end, programme=programme,
    ...                          check_register=False)
    >>> read = map_cohort(sample_path("cohort"), report, jobs=1)
    >>> read.valid, read.results[0].count("children_followed")
    (294, 192)

    Args:
        path: the cohort file (a path: shards are byte ranges of it).
        work: ``work(pathways, programme) -> result``; a top-level function or a
            ``functools.partial`` of one when ``jobs > 1`` (it is sent to the workers),
            which reads its pathways before it returns (an iterator returned with
            pathways left unread, a generator over them say, is refused: read after,
            it would find none) and gives a result that can be pickled when
            ``jobs > 1``.
        jobs: worker processes (default ``os.cpu_count()``); ``1`` reads in this
            process.
        on_error: ``"raise"`` or ``"collect"``, as for :func:`load_cohort`.
        unknown_keys: ``"reject"`` (default) or ``"ignore"``.
        max_line_bytes: the bound on a line, as for :func:`load_cohort`.
        max_errors: how many refused lines ``"collect"`` mode keeps.
        progress: called with the bytes read each time a shard is done.
        accepted: called by this process, as the shards are checked in the file's order
            (each once it and those before it are read), with ``(result, position)``
            for each pathway the register accepts, in the file's order:
            ``work``'s result for its shard and the pathway's rank among those ``work``
            was given there; what ``work`` made of the others is to be dropped. In
            ``"raise"`` mode it is not called after the first problem.
        known_on: read the file as known on this date, as :func:`load_cohort` does.

    Raises:
        InvalidInput: if the header cannot be read, or in ``"raise"`` mode at the first
            bad line of the file (``message @ $.path (line N)``).
        InvalidValue: if an argument has the wrong type or value.
        OSError: if the file cannot be opened.
    """
    if not isinstance(path, str | os.PathLike):
        raise InvalidValue("map_cohort", "path", path, "a path to a cohort file")
    if not callable(work):
        raise InvalidValue("map_cohort", "work", work, "a function (pathways, programme)")
    if accepted is not None and not callable(accepted):
        raise InvalidValue("map_cohort", "accepted", accepted, "a function (result, position)")
    if progress is not None and not callable(progress):
        raise InvalidValue("map_cohort", "progress", progress, "a function of the bytes read")
    jobs = check_jobs(jobs, owner="map_cohort")
    if jobs > 1:
        try:  # sent to the workers: said now, not once the first shard is read
            pickle.dumps(work)
        except Exception:
            raise InvalidValue(
                "map_cohort",
                "work",
                work,
                "a function the worker processes can receive (a top-level function, or a "
                "functools.partial of one; not a lambda or a nested function)",
            ) from None
    forbid = forbids(unknown_keys, owner="map_cohort")
    if on_error not in ("raise", "collect") or type(on_error) is not str:
        raise InvalidValue("map_cohort", "on_error", on_error, "'raise' or 'collect'")
    limit = check_bound(max_line_bytes, owner="map_cohort", field="max_line_bytes")
    if type(max_errors) is not int or max_errors < 0:
        raise InvalidValue("map_cohort", "max_errors", max_errors, "an integer >= 0")
    if known_on is not None and type(known_on) is not dt.date:
        raise InvalidValue("map_cohort", "known_on", known_on, "a datetime.date or None")
    name = os.fspath(path)
    with (
        open(name, "rb") as stream,
        load_cohort(stream, max_line_bytes=limit, unknown_keys=unknown_keys) as cohort,
    ):
        programme = cohort.programme  # the header, checked once here
        header = (stream.tell(), cohort.line)
        size = os.fstat(stream.fileno()).st_size
    ranges = _ranges(size, header[0], jobs)
    options: dict[str, Any] = {
        "forbid_extra_keys": forbid,
        "max_line_bytes": limit,
        "max_errors": 1 if on_error == "raise" else max_errors,
        "known_on": known_on,
    }
    merge = functools.partial(
        _merge, name, programme, on_error=on_error, max_errors=max_errors, accepted=accepted
    )
    opts = _opts(options, on_error)
    if jobs == 1 or len(ranges) == 1:
        return merge(_serial(name, header, ranges, work, opts, progress))
    sent = {**opts, "sent": True}
    with ProcessPoolExecutor(max_workers=min(jobs, len(ranges))) as pool:
        futures: list[Future[_Shard] | None] = [
            pool.submit(_read_shard, name, header, start, end, work, sent) for start, end in ranges
        ]
        try:
            return merge(_in_order(futures, ranges, progress))
        except BaseException:
            for future in futures:  # a problem found: the shards not started are not read
                if future is not None:
                    future.cancel()
            raise


def check_jobs(jobs: object, *, owner: str) -> int:
    """How many processes ``jobs`` asks for: an integer >= 1, ``None`` for every core.

    Raises:
        InvalidValue: for anything else.
    """
    if jobs is None:
        return os.cpu_count() or 1
    if type(jobs) is not int or jobs < 1:
        raise InvalidValue(owner, "jobs", jobs, "an integer >= 1")
    return jobs


def _opts(options: dict[str, Any], on_error: OnError) -> dict[str, Any]:
    return {**options, "stop_at_first": on_error == "raise"}


def _serial(
    name: str,
    header: tuple[int, int],
    ranges: list[tuple[int, int]],
    work: Work[Any],
    opts: dict[str, Any],
    progress: Callable[[int], None] | None,
) -> Iterator[_Shard]:
    """The shards read one after the other in this process."""
    for start, end in ranges:
        shard = _read_shard(name, header, start, end, work, opts)
        if progress is not None:
            progress(end - start)
        yield shard


def _in_order(
    futures: list[Future[_Shard] | None],
    ranges: list[tuple[int, int]],
    progress: Callable[[int], None] | None,
) -> Iterator[_Shard]:
    """The workers' shards in the file's order, each once it and those before it are done.

    ``progress`` is told of every shard done, in any order.

    A shard handed on is forgotten here (its future too): the merge keeps its result and
    drops its register entries, so they are never all in memory at once.
    """
    sizes = {id(f): end - start for f, (start, end) in zip(futures, ranges, strict=True)}
    pending = {f for f in futures if f is not None}
    for index, future in enumerate(futures):
        assert future is not None
        while future in pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            if progress is not None:
                for finished in done:
                    progress(sizes[id(finished)])
        shard = future.result()
        futures[index] = None
        del future
        yield shard


def _merge(
    source: str,
    programme: Programme,
    shards: Iterable[_Shard],
    *,
    on_error: OnError,
    max_errors: int,
    accepted: Callable[[Any, int], None] | None = None,
) -> ShardedCohort[Any]:
    """The shards' lines renumbered, the register checked in the file's order.

    Each shard is let go once checked (its result kept): its entries are not held
    while the next shards are checked.
    """
    register = Register()
    errors: list[LineError] = []
    results: list[Any] = []
    error_count = valid = 0
    withdrawn: list[str] = []
    offset = 0  # the lines of the shards before this one
    for shard in shards:
        results.append(shard.result)
        first_error = shard.errors[0].line + offset if shard.errors else None
        for position, (programme_id, child_id, birth, span) in enumerate(shard.entries):
            line = span[4] + offset
            try:
                register.check_entry((programme_id, child_id, birth, (*span[:4], line)))
            except RegisterConflict as conflict:
                late = withdrawals(conflict) if conflict.recorded else []
                if on_error == "raise":
                    error = late[0] if late else LineError(line, (f"{conflict} @ $",))
                    raise _invalid(source, error) from None
                if not late:
                    errors.append(LineError(line, (f"{conflict} @ $",)))
                    error_count += 1
                    continue
                errors.extend(late)  # re-entries accepted earlier, refused now
                error_count += len(late)
                valid -= len(late)
                withdrawn.extend(c.pathway_id for c in (conflict, *conflict.also))
            valid += 1
            if accepted is not None:
                accepted(shard.result, position)
        if first_error is not None and on_error == "raise":
            raise _invalid(source, attrs.evolve(shard.errors[0], line=first_error))
        errors.extend(attrs.evolve(e, line=e.line + offset) for e in shard.errors)
        error_count += shard.error_count
        offset += shard.lines
    errors.sort(key=lambda e: e.line)
    return ShardedCohort(
        programme=programme,
        results=tuple(results),
        valid=valid,
        errors=tuple(errors[:max_errors]),
        error_count=error_count,
        register=register,
        withdrawn=tuple(withdrawn),
    )


def _invalid(source: str, error: LineError) -> InvalidInput:
    return InvalidInput(
        (f"{line} (line {error.line})" for line in _capped(list(error.errors))), source=source
    )
