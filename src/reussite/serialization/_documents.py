"""Values and pathway documents in and out: ``dumps``/``loads``, ``dump_pathway``/``load_pathway``.

A pathway document is a JSON object::

    {"schema": "reussite.pathway", "version": 3, "id": "p-1", "state": "active",
     "programme": {...}, "events": [{"type": "referred", ...}, ...]}

The events are the source of truth: reading replays them through the lifecycle, so every
rule is checked. ``state`` is derived, optional on reading, and must agree with the
replay; ``id`` must be the referral's ``pathway_id``. ``programme`` may be left out when
the reader supplies it (``programme=``), as in a cohort file whose header carries it.
"""

from __future__ import annotations

import functools
from typing import Any, Literal, TypeVar, overload

import attrs
from cattrs import Converter

from ..errors import EventRefused, InvalidInput, InvalidValue, ReussiteError
from ..events import Event
from ..lifecycle import apply, open_pathway, replay
from ..pathway import Pathway, State
from ..programme import Programme
from ._converter import converters, make_converter
from ._errors import Problems, error_lines, show
from ._json import dump, parse
from ._migrations import SCHEMA_VERSION, check_version, upgrade
from ._mirror import Mirror

__all__ = ["MAX_BYTES", "dump_pathway", "dumps", "load_pathway", "loads"]

T = TypeVar("T")
UnknownKeys = Literal["reject", "ignore"]

PATHWAY_SCHEMA = "reussite.pathway"
DOCUMENT_KEYS = ("schema", "version", "id", "state", "programme", "events")
"""The keys of a pathway document in the order they are written (a line: the last four)."""


@attrs.frozen(kw_only=True)
class PathwayLine:
    """A pathway as one line of a cohort file: what a pathway document holds, bar the envelope.

    Attributes:
        id: the pathway's id (the referral's ``pathway_id``).
        state: the state its events lead to (derived; checked when present).
        programme: the PRE (left out when the cohort's header carries it).
        events: every event, oldest first: the source of truth.
    """

    id: str
    state: State | None = None
    programme: Programme | None = None
    events: tuple[Event, ...]


@attrs.frozen(kw_only=True)
class PathwayDocument(PathwayLine):
    """A pathway document: a :class:`PathwayLine` with its schema name and version."""

    schema: Literal["reussite.pathway"]
    version: Literal[4]  # SCHEMA_VERSION: a test ties the two


MAX_BYTES = 16 * 1024 * 1024
"""The largest pathway document or cohort line read by default: 16 MiB of UTF-8.

A pathway of a thousand events takes about 500 kB; anything much larger is not a
pathway, and parsing it would cost several times its size in memory. Larger text is
refused before it is decoded (``max_bytes=``, ``max_line_bytes=`` raise the bound).
"""


def forbids(unknown_keys: object, *, owner: str = "load_pathway") -> bool:
    """Whether ``unknown_keys`` asks to reject unknown keys (``"reject"``) or not.

    Raises:
        InvalidValue: if it is neither ``"reject"`` nor ``"ignore"``.
    """
    if unknown_keys == "reject" and type(unknown_keys) is str:
        return True
    if unknown_keys == "ignore" and type(unknown_keys) is str:
        return False
    raise InvalidValue(owner, "unknown_keys", unknown_keys, "'reject' or 'ignore'")


def check_bound(value: object, *, owner: str, field: str) -> int:
    """A size bound given as an argument: an integer of at least 1.

    Raises:
        InvalidValue: for anything else (a bool, a float, 0).
    """
    if type(value) is not int or value < 1:
        raise InvalidValue(owner, field, value, "an integer >= 1")
    return value


RAISE_THE_BOUND = "raise it with max_bytes= or max_line_bytes= if the data are right"
"""The advice of a text too large, in Python's words (the command line words it its way)."""


def too_large(size: int, limit: int, *, unit: str = "bytes", where: str = "$") -> Problems:
    """The problem of a text larger than the size bound, refused before it is read."""
    return Problems(
        [
            f"too large to read: {size} {unit}, more than the limit of {limit} bytes "
            f"({RAISE_THE_BOUND}) @ {where}"
        ]
    )


def _checked_text(document: object, limit: int) -> str | bytes | bytearray | memoryview:
    """``document`` if it is JSON text within ``limit`` bytes of UTF-8.

    Raises:
        InvalidValue: if it is not text (``str``, ``bytes``, ``bytearray``, ``memoryview``).
        Problems: if it is larger than ``limit``.
    """
    if isinstance(document, str):
        if len(document) > limit // 4 and utf8_size(document) > limit:
            raise too_large(utf8_size(document), limit)
        return document
    if isinstance(document, bytes | bytearray | memoryview):
        if len(document) > limit:
            raise too_large(len(document), limit)
        return document
    raise InvalidValue(
        "load_pathway", "document", document, "JSON text (str or bytes) or a parsed dict"
    )


def utf8_size(text: str) -> int:
    """How many bytes ``text`` takes in UTF-8 (lone surrogates count three)."""
    return len(text.encode("utf-8", "surrogatepass"))


def structure(value: Any, type_: Any, fast: Converter, detailed: Converter) -> Any:
    """Structure on the fast path; on failure, again in detail, to say what and where.

    Raises:
        Problems: every problem found, located.
    """
    try:
        return fast.structure(value, type_)
    except (InvalidInput, Problems):
        raise
    except Exception as error:
        if fast is detailed:
            raise Problems(error_lines(error)) from None
        try:
            # The fast path is meant to refuse only what this refuses; should it ever
            # refuse more, the value is still read (a test holds the two together).
            return detailed.structure(value, type_)
        except Exception as located:
            raise Problems(error_lines(located)) from None


def _envelope_version(value: dict[str, Any]) -> int:
    problems: list[str] = []
    if "schema" not in value:
        problems.append("required key missing @ $.schema")
    elif value["schema"] != PATHWAY_SCHEMA or type(value["schema"]) is not str:
        problems.append(f'expected "{PATHWAY_SCHEMA}", got {show(value["schema"])} @ $.schema')
    if "version" not in value:
        problems.append("required key missing @ $.version")
    else:
        try:
            version = check_version(value["version"])
        except Problems as error:
            problems.extend(error.lines)
    if problems:
        raise Problems(problems)
    return version


def record_from_object(
    value: Any,
    *,
    fast: Converter,
    detailed: Converter,
    version: int | None = None,
) -> PathwayLine:
    """The typed record of a pathway document (``version=None``) or cohort line, unreplayed.

    Raises:
        Problems: every problem of types, formats and ranges, located.
    """
    if type(value) is not dict:
        raise Problems([f"expected a pathway (a JSON object), got {show(value)} @ $"])
    kind: type[PathwayLine] = PathwayLine
    if version is None:
        kind = PathwayDocument
        version = _envelope_version(value)
    if version != SCHEMA_VERSION:
        value = upgrade(value, version)
        if kind is PathwayDocument:
            value = {**value, "version": SCHEMA_VERSION}
    record: PathwayLine = structure(value, kind, fast, detailed)
    return record


@functools.cache
def _mirror(document: bool) -> Mirror:
    """The mirror reader of a pathway document (``True``) or of a cohort line.

    Keys in the order :func:`pathway_object` writes them; a line leaves out its programme.
    """
    fast, detailed = converters(True)
    kind = PathwayDocument if document else PathwayLine
    return Mirror(
        kind,
        structure=lambda value, t: structure(value, t, fast, detailed),
        order=[key for key in DOCUMENT_KEYS if document or key in attrs.fields_dict(kind)],
        omit_defaults=True,
    )


def record_from_text(
    raw: str | bytes | bytearray | memoryview,
    *,
    fast: Converter,
    detailed: Converter,
    version: int | None = None,
    where: str = "",
) -> PathwayLine:
    """The typed record of a pathway document (``version=None``) or cohort line, as JSON text.

    Text as ``reussite`` writes it, of the current version, is read through the mirrors
    (:mod:`._mirror`, in C); any other text, and any text they refuse, is parsed and
    structured the general way, which checks the same and locates every problem.

    Raises:
        Problems: every problem of JSON, types, formats and ranges, located.
    """
    if version is None or version == SCHEMA_VERSION:
        try:
            record: PathwayLine = _mirror(version is None).read(raw)
        except Exception:  # any refusal: the general path says what is wrong
            pass
        else:
            return record
    value = parse(raw, where=where)
    return record_from_object(value, fast=fast, detailed=detailed, version=version)


def pathway_from_record(record: PathwayLine, programme: Programme | None = None) -> Pathway:
    """Replay a record's events: every lifecycle rule is checked.

    Raises:
        Problems: a refused event, located by its index; derived state that disagrees.
    """
    if record.programme is None:
        if programme is None:
            raise Problems(
                ["required key missing (no programme in the document, none given) @ $.programme"]
            )
    elif programme is not None and record.programme != programme:
        raise Problems(["the pathway's programme differs from the one given @ $.programme"])
    else:
        programme = record.programme
    events = record.events
    if not events:
        raise Problems(["expected at least one event, the referral @ $.events"])
    try:
        pathway = replay(events, programme=programme)
    except ReussiteError as error:
        raise Problems([_refusal(error, events, programme)]) from None
    problems: list[str] = []
    if record.id != pathway.id:
        problems.append(
            f"expected the referral's pathway_id {show(pathway.id)}, got {show(record.id)} @ $.id"
        )
    if record.state is not None and record.state is not pathway.state:
        problems.append(
            f"expected {show(pathway.state.value)}, the state the events lead to, "
            f"got {show(record.state.value)} @ $.state"
        )
    if problems:
        raise Problems(problems)
    return pathway


def _refusal(error: ReussiteError, events: tuple[Event, ...], programme: Programme) -> str:
    """Locate the event a replay failed on: ``[R-CODE] ... @ $.events[4]``."""
    if isinstance(error, EventRefused):
        for index, event in enumerate(events):
            if event is error.event:
                return f"{error} @ $.events[{index}]"
    # Another failure (a date the programme's rules do not cover, an effect's value out
    # of range): apply one event at a time to find which.
    index = 0
    try:
        pathway = open_pathway(programme, events[0])  # type: ignore[arg-type]
        for index, event in enumerate(events[1:], start=1):  # noqa: B007 - read below
            pathway = apply(pathway, event)
    except ReussiteError as again:
        if isinstance(again, InvalidValue):
            return (
                f"expected {again.expected}, got {again.shown} ({type(again).__name__} "
                f"{again.owner}.{again.field} while applying it) @ $.events[{index}]"
            )
        return f"{again} @ $.events[{index}]"
    return f"{error} @ $.events"  # pragma: no cover - the replay failed, so did a step


def pathway_from_object(
    value: Any,
    *,
    fast: Converter,
    detailed: Converter,
    programme: Programme | None = None,
    version: int | None = None,
) -> Pathway:
    """A pathway from a parsed document (``version=None``) or cohort line: typed, replayed.

    Raises:
        InvalidInput: listing every problem, located (when called through a converter).
        Problems: the same lines, for the readers in this package.
    """
    record = record_from_object(value, fast=fast, detailed=detailed, version=version)
    return pathway_from_record(record, programme)


def pathway_object(
    pathway: Pathway, conv: Converter, *, programme: bool = True, envelope: bool = True
) -> dict[str, Any]:
    """The JSON object of a pathway document (or, without envelope, of a cohort line)."""
    values: dict[str, Any] = {"id": pathway.id, "state": pathway.state.value}
    if envelope:
        values["schema"] = PATHWAY_SCHEMA
        values["version"] = SCHEMA_VERSION
    if programme:
        values["programme"] = conv.unstructure(pathway.programme, Programme)
    values["events"] = [conv.unstructure(event, type(event)) for event in pathway.history]
    return {key: values[key] for key in DOCUMENT_KEYS if key in values}


_WRITER = make_converter()


def dumps(value: Any) -> str:
    """JSON text of any public domain value (a pathway gives its pathway document).

    >>> import datetime as dt
    >>> from reussite import ContactLost
    >>> dumps(ContactLost(on=dt.date(2016, 2, 29)))
    '{"type":"contact_lost","recorded_on":null,"on":"2016-02-29"}'
    """
    if isinstance(value, Pathway):
        return dump_pathway(value)
    try:
        return dump(_WRITER.unstructure(value))
    except (TypeError, ValueError):  # an object JSON cannot hold, a NaN
        raise InvalidValue(
            "dumps", "value", value, "a domain value, or JSON-ready data (no NaN)"
        ) from None


@overload
def loads(
    data: str | bytes | bytearray,
    type_: type[T],
    *,
    unknown_keys: UnknownKeys = ...,
    max_bytes: int = ...,
) -> T: ...
@overload
def loads(
    data: str | bytes | bytearray,
    type_: Any,
    *,
    unknown_keys: UnknownKeys = ...,
    max_bytes: int = ...,
) -> Any: ...
def loads(
    data: str | bytes | bytearray,
    type_: Any,
    *,
    unknown_keys: UnknownKeys = "reject",
    max_bytes: int = MAX_BYTES,
) -> Any:
    """Read a value of ``type_`` from JSON text, checking every type, format and range.

    A :class:`~reussite.pathway.Pathway` is read from its document and replayed.

    Args:
        data: JSON text (or UTF-8 bytes).
        type_: the type to read (a domain class, ``Event``, ``frozenset[str]``...).
        unknown_keys: ``"reject"`` (default) or ``"ignore"``.
        max_bytes: text larger than this many bytes of UTF-8 is refused before it is
            parsed (default :data:`MAX_BYTES`, 16 MiB).

    Raises:
        InvalidInput: listing every problem as ``message @ $.path``.
        InvalidValue: if an argument has the wrong type.

    >>> import datetime as dt
    >>> from reussite import ContactLost
    >>> loads('{"type": "contact_lost", "on": "2016-02-29"}', ContactLost)
    ContactLost(on=datetime.date(2016, 2, 29))
    >>> loads('{"type": "contact_lost", "on": "2018-02-30"}', ContactLost)
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidInput: 1 problem:
      expected a date as YYYY-MM-DD, got "2018-02-30" (day is out of range for month) @ $.on
    """
    if type_ is Pathway:
        return load_pathway(data, unknown_keys=unknown_keys, max_bytes=max_bytes)
    fast, detailed = converters(forbids(unknown_keys, owner="loads"))
    limit = check_bound(max_bytes, owner="loads", field="max_bytes")
    if isinstance(data, dict) or not isinstance(data, str | bytes | bytearray | memoryview):
        raise InvalidValue("loads", "data", data, "JSON text (str or bytes)")
    try:
        return structure(parse(_checked_text(data, limit)), type_, fast, detailed)
    except Problems as error:
        raise InvalidInput(error.lines) from None


def dump_pathway(pathway: Pathway, *, programme: Programme | None = None) -> str:
    """The pathway document of ``pathway``, as JSON text on one line.

    Args:
        pathway: the pathway to write.
        programme: the programme the reader will supply: when given (and it must be the
            pathway's), the document leaves it out.

    Raises:
        InvalidValue: if ``pathway`` is not a pathway, or ``programme`` not the pathway's.
    """
    if not isinstance(pathway, Pathway):
        raise InvalidValue("dump_pathway", "pathway", pathway, "a Pathway")
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidValue("dump_pathway", "programme", programme, "a Programme or None")
    if (
        programme is not None
        and programme is not pathway.programme
        and (programme != pathway.programme)
    ):
        raise InvalidValue(
            "dump_pathway",
            "programme",
            programme.id,
            f"the pathway's programme ({pathway.programme.id!r})",
        )
    return dump(pathway_object(pathway, _WRITER, programme=programme is None))


def load_pathway(
    document: str | bytes | bytearray | dict[str, Any],
    *,
    programme: Programme | None = None,
    unknown_keys: UnknownKeys = "reject",
    max_bytes: int = MAX_BYTES,
) -> Pathway:
    """Read a pathway document: check every value, upgrade an older version, replay.

    Args:
        document: JSON text (or bytes, UTF-8) or the already parsed object.
        programme: the programme, when the document leaves it out.
        unknown_keys: ``"reject"`` (default: a typo must not drop data) or ``"ignore"``.
        max_bytes: text larger than this many bytes of UTF-8 is refused before it is
            parsed (default :data:`MAX_BYTES`, 16 MiB).

    Raises:
        InvalidInput: listing every problem as ``message @ $.path``: a type, a format, a
            range, a refused event (``[R-CONSENT-FIRST] ... @ $.events[4]``), a derived
            state that disagrees with the events, a version too new, a version that is
            not what the content is written in, text larger than ``max_bytes``.
        InvalidValue: if an argument has the wrong type (``None``, a number, a list).
    """
    fast, detailed = converters(forbids(unknown_keys))
    limit = check_bound(max_bytes, owner="load_pathway", field="max_bytes")
    if programme is not None and not isinstance(programme, Programme):
        raise InvalidValue("load_pathway", "programme", programme, "a Programme or None")
    try:
        if isinstance(document, dict):
            return pathway_from_object(document, fast=fast, detailed=detailed, programme=programme)
        record = record_from_text(_checked_text(document, limit), fast=fast, detailed=detailed)
        return pathway_from_record(record, programme)
    except Problems as error:
        raise InvalidInput(error.lines) from None
