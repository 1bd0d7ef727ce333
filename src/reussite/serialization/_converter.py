"""The one converter between domain values and JSON: every wire rule lives here.

Classes know nothing about JSON; this module registers, on a cattrs converter, how each
type crosses the boundary. :func:`configure_converter` lists the rules.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable
from typing import Any, Generic, Literal, TypeVar, get_args
from typing import get_origin as _get_origin

import attrs
from cattrs import Converter
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.preconf.json import make_converter as _make_json_converter

from ..events import EVENT_TYPES, Event
from ..pathway import Pathway
from ..timeline import Timeline
from ._errors import Problems, WireError, at_index, at_key, show
from ._fast import compilable, compile_class, items_of, optional_of, wire_keys
from ._scalars import (
    INT_BOUND,
    structure_bool,
    structure_date,
    structure_enum,
    structure_float,
    structure_int,
    structure_str,
)

__all__ = ["INT_BOUND", "configure_converter", "converters", "make_converter"]


def get_origin(t: Any) -> Any:
    """``typing.get_origin``, typed loosely (it is given any type form here)."""
    return _get_origin(t)


T = TypeVar("T")
Hook = Callable[..., Any]

# --- containers and special forms -------------------------------------------------------


def _is_optional(t: Any) -> bool:
    return optional_of(t) is not None


def _optional_hook(t: Any, conv: Converter) -> Hook:
    inner = optional_of(t)
    inner_hook = conv.get_structure_hook(inner)

    def structure_optional(value: Any, _: Any = None) -> Any:
        return None if value is None else inner_hook(value, inner)

    return structure_optional


def _is_homogeneous_tuple(t: Any) -> bool:
    return items_of(t) is not None


def _items(hook: Hook, item: Any, value: Any, kind: type, detailed: bool) -> list[Any]:
    """Structure each item of a JSON array, with each failure's index in detailed mode."""
    if type(value) is not list:
        raise WireError("an array", value)
    if not detailed:
        return [hook(v, item) for v in value]
    result: list[Any] = []
    errors: list[Exception] = []
    for index, v in enumerate(value):
        try:
            result.append(hook(v, item))
        except Exception as error:
            errors.append(at_index(error, index))
    if errors:
        raise IterableValidationError(f"While structuring {kind.__name__}", errors, kind)
    return result


def _item_hook(t: Any, conv: Converter) -> Callable[[], Hook]:
    """The items' hook, looked up once, on first use (their hooks may not exist yet)."""
    return functools.cache(lambda: conv.get_structure_hook(get_args(t)[0]))


def _tuple_hook(t: Any, conv: Converter) -> Hook:
    item = get_args(t)[0]
    item_hook = _item_hook(t, conv)
    detailed = conv.detailed_validation

    def structure_tuple(value: Any, _: Any = None) -> tuple[Any, ...]:
        return tuple(_items(item_hook(), item, value, tuple, detailed))

    return structure_tuple


def _frozenset_hook(t: Any, conv: Converter) -> Hook:
    item = get_args(t)[0]
    item_hook = _item_hook(t, conv)
    detailed = conv.detailed_validation

    def structure_frozenset(value: Any, _: Any = None) -> frozenset[Any]:
        items = _items(item_hook(), item, value, frozenset, detailed)
        result = frozenset(items)
        if len(result) != len(items):
            raise WireError("an array of distinct items", value)
        return result

    return structure_frozenset


def _literal_hook(t: Any, conv: Converter) -> Hook:
    accepted = get_args(t)

    def structure_literal(value: Any, _: Any = None) -> Any:
        for option in accepted:
            if type(value) is type(option) and value == option:
                return option
        shown = " or ".join(show(a) for a in accepted)
        raise WireError(shown, value)

    return structure_literal


def _enum_value(member: enum.Enum) -> Any:
    return member.value


# --- attrs classes ----------------------------------------------------------------------


def _object_guard(cls: type, fn: Hook) -> Hook:
    def structure_object(value: Any, _: Any = None) -> Any:
        if type(value) is not dict:
            raise WireError(f"a JSON object ({cls.__name__})", value)
        return fn(value, cls)

    return structure_object


def _attrs_hook(cls: Any, conv: Converter) -> Hook:
    if not conv.detailed_validation and compilable(cls):
        return compile_class(cls, conv.get_structure_hook, forbid_extra_keys=conv.forbid_extra_keys)
    fn = make_dict_structure_fn(cls, conv)
    # A non-object fails on its first required key anyway; only a class whose every
    # field has a default would quietly accept ``[]``: those, and detailed mode, check.
    required = any(a.default is attrs.NOTHING for a in attrs.fields(get_origin(cls) or cls))
    if required and not conv.detailed_validation:
        return fn
    return _object_guard(cls, fn)


@attrs.frozen
class Period(Generic[T]):
    """One period of a :class:`~reussite.timeline.Timeline` on the wire."""

    start: dt.date
    value: T


@attrs.frozen
class TimelineDocument(Generic[T]):
    """A :class:`~reussite.timeline.Timeline` on the wire: its name and periods."""

    name: str
    periods: tuple[Period[T], ...]


def _period_hook(t: Any, conv: Converter) -> Hook:
    fn = make_dict_structure_fn(t, conv, start=override(rename="from"))
    return _object_guard(t, fn) if conv.detailed_validation else fn


def _timeline_hook(t: Any, conv: Converter) -> Hook:
    (item,) = get_args(t) or (Any,)
    document = TimelineDocument[item]  # type: ignore[valid-type]
    hook = conv.get_structure_hook(document)

    def structure_timeline(value: Any, _: Any = None) -> Timeline[Any]:
        wire = hook(value, document)
        try:
            return Timeline(tuple((p.start, p.value) for p in wire.periods), wire.name)
        except Exception as error:
            if not conv.detailed_validation:
                raise
            raise ClassValidationError("While structuring Timeline", [error], Timeline) from None

    return structure_timeline


def _unstructure_timeline(conv: Converter) -> Hook:
    def unstructure_timeline(timeline: Timeline[Any]) -> dict[str, Any]:
        return {
            "name": timeline.name,
            "periods": [
                {"from": start.isoformat(), "value": conv.unstructure(value)}
                for start, value in timeline.periods
            ],
        }

    return unstructure_timeline


# --- events: objects tagged by "type" ---------------------------------------------------


def _event_body_hook(cls: type[Event], conv: Converter) -> Hook:
    """Structure an event object whose ``"type"`` was already read (and is ``cls.tag``)."""
    if not conv.detailed_validation:
        return compile_class(
            cls, conv.get_structure_hook, forbid_extra_keys=conv.forbid_extra_keys, tag=cls.tag
        )
    fn = make_dict_structure_fn(cls, conv, _cattrs_forbid_extra_keys=False)
    allowed = wire_keys(cls, tagged=True)
    forbid = conv.forbid_extra_keys

    def structure_event_body(value: dict[str, Any]) -> Event:
        extra = value.keys() - allowed if forbid else ()
        try:
            event: Event = fn(value, cls)
        except Exception as error:
            if not extra:
                raise
            others = error.exceptions if isinstance(error, ClassValidationError) else [error]
            raise ClassValidationError(
                f"While structuring {cls.__name__}",
                [ForbiddenExtraKeysError("", cls, set(extra)), *others],
                cls,
            ) from None
        if extra:
            raise ForbiddenExtraKeysError("", cls, set(extra))
        return event

    return structure_event_body


_EVENT_LIST = ", ".join(sorted(EVENT_TYPES))


def _tag_error(value: Any, conv: Converter, expected: str) -> Exception:
    if "type" not in value:
        error: Exception = KeyError("type")
    else:
        error = WireError(expected, value["type"])
    if not conv.detailed_validation:
        return error
    return ClassValidationError("While structuring Event", [at_key(error, "type")], Event)


def _event_hook(conv: Converter, made: list[Hook]) -> Hook:
    """The hook of the event union, made once per converter (``made`` keeps it).

    An event may hold an event (a correction's replacement): while the bodies are being
    made, a request for the union gets this very hook, whose bodies are filled before any
    value is read.
    """
    if made:
        return made[0]
    bodies: dict[str, Hook] = {}

    def structure_event(value: Any, _: Any = None) -> Event:
        if type(value) is not dict:
            raise WireError('an event object with a "type"', value)
        tag = value.get("type")
        body = bodies.get(tag) if type(tag) is str else None
        if body is None:
            raise _tag_error(value, conv, f"an event type ({_EVENT_LIST})")
        event: Event = body(value)
        return event

    made.append(structure_event)
    bodies.update({tag: _event_body_hook(cls, conv) for tag, cls in EVENT_TYPES.items()})
    return structure_event


def _event_class_hook(cls: type[Event], conv: Converter) -> Hook:
    body = _event_body_hook(cls, conv)

    def structure_tagged(value: Any, _: Any = None) -> Event:
        if type(value) is not dict:
            raise WireError('an event object with a "type"', value)
        if value.get("type") != cls.tag:
            raise _tag_error(value, conv, show(cls.tag))
        event: Event = body(value)
        return event

    return structure_tagged


def _unstructure_event_class(cls: type[Event], conv: Converter) -> Hook:
    fn = make_dict_unstructure_fn(cls, conv)
    tag = cls.tag

    def unstructure_event(event: Event) -> dict[str, Any]:
        result: dict[str, Any] = {"type": tag}
        result.update(fn(event))
        return result

    return unstructure_event


def _is_event_class(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, Event) and t is not Event


# --- the converter ----------------------------------------------------------------------


def configure_converter(conv: Converter) -> None:
    """Register the ``reussite`` wire rules on a cattrs converter.

    The rules, each checked exactly (nothing is coerced, nothing silently dropped):

    * strings are JSON strings (``151`` is not a string), of Unicode characters;
    * integers are JSON integers within 64 bits (``12.5`` and ``true`` are not);
    * booleans are ``true``/``false`` (``"no"``, ``0`` are not);
    * numbers (a referent's FTE) are finite JSON numbers;
    * dates are ISO 8601 strings ``YYYY-MM-DD`` that exist (``2018-02-30`` does not);
    * money is an integer number of euro cents (``cost_cents``);
    * enumerations are their wire value (``"education_nationale"``), never their label;
    * tuples are JSON arrays; frozensets are arrays written sorted, read without
      duplicates;
    * a :class:`~reussite.timeline.Timeline` is ``{"name": ..., "periods": [{"from":
      date, "value": ...}, ...]}``;
    * events are objects tagged by ``"type"``, the event class's ``tag``;
    * a :class:`~reussite.pathway.Pathway` is its document (see
      :func:`reussite.serialization.dump_pathway`): its events, replayed on reading;
    * objects are JSON objects whose unknown keys are rejected when the converter was
      made with ``forbid_extra_keys`` (the default of :func:`make_converter`).

    Domain validators (``InvalidValue``) still run when values are built.
    """
    # Registered by class (cattrs looks these up first, subclasses included): the
    # enumerations are registered too, or their ``str`` base would take them.
    for kind, hook in (
        (str, structure_str),
        (int, structure_int),
        (float, structure_float),
        (bool, structure_bool),
        (dt.date, structure_date),
        (enum.Enum, structure_enum),
        (enum.StrEnum, structure_enum),
        (enum.IntEnum, structure_enum),
    ):
        conv.register_structure_hook(kind, hook)
    conv.register_structure_hook_factory(attrs.has, lambda t: _attrs_hook(t, conv))
    conv.register_structure_hook_factory(_is_optional, lambda t: _optional_hook(t, conv))
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda t: _tuple_hook(t, conv))
    conv.register_structure_hook_factory(
        lambda t: get_origin(t) is frozenset, lambda t: _frozenset_hook(t, conv)
    )
    conv.register_structure_hook_factory(
        lambda t: get_origin(t) is Literal, lambda t: _literal_hook(t, conv)
    )
    conv.register_structure_hook_factory(
        lambda t: get_origin(t) is Period, lambda t: _period_hook(t, conv)
    )
    conv.register_structure_hook_factory(
        lambda t: t is Timeline or get_origin(t) is Timeline, lambda t: _timeline_hook(t, conv)
    )
    conv.register_structure_hook_factory(_is_event_class, lambda t: _event_class_hook(t, conv))
    # A factory is called on first use, once every event class's hook can be made.
    made: list[Hook] = []
    conv.register_structure_hook_factory(lambda t: t is Event, lambda _: _event_hook(conv, made))
    conv.register_structure_hook_func(lambda t: t is Pathway, _pathway_hook(conv))

    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    for kind in (enum.Enum, enum.StrEnum, enum.IntEnum):  # by class, as for structuring
        conv.register_unstructure_hook(kind, _enum_value)
    conv.register_unstructure_hook_factory(
        lambda t: t is frozenset or get_origin(t) is frozenset,
        lambda t: lambda items: sorted(conv.unstructure(i) for i in items),
    )
    conv.register_unstructure_hook_func(
        lambda t: t is Timeline or get_origin(t) is Timeline, _unstructure_timeline(conv)
    )
    conv.register_unstructure_hook_factory(
        _is_event_class, lambda t: _unstructure_event_class(t, conv)
    )
    conv.register_unstructure_hook_func(
        lambda t: t is Event, lambda e: conv.unstructure(e, type(e))
    )
    conv.register_unstructure_hook_func(lambda t: t is Pathway, _unstructure_pathway(conv))


def _pathway_hook(conv: Converter) -> Hook:
    def structure_pathway(value: Any, _: Any = None) -> Pathway:
        from ..errors import InvalidInput
        from ._documents import pathway_from_object

        try:
            return pathway_from_object(value, fast=conv, detailed=conv)
        except Problems as error:
            raise InvalidInput(error.lines) from None

    return structure_pathway


def _unstructure_pathway(conv: Converter) -> Hook:
    def unstructure_pathway(pathway: Pathway) -> dict[str, Any]:
        from ._documents import pathway_object

        return pathway_object(pathway, conv)

    return unstructure_pathway


def make_converter(
    *, forbid_extra_keys: bool = True, detailed_validation: bool = True
) -> Converter:
    """A JSON converter with the ``reussite`` wire rules (see :func:`configure_converter`).

    Built on ``cattrs.preconf.json.make_converter``. ``detailed_validation=False`` is
    cattrs' fast path: it stops at the first problem and does not say where.

    >>> import datetime as dt
    >>> conv = make_converter()
    >>> conv.structure("2018-02-28", dt.date)
    datetime.date(2018, 2, 28)
    >>> conv.structure(12.5, int)
    Traceback (most recent call last):
    ...
    reussite.serialization._errors.WireError: expected an integer, got 12.5
    """
    conv = _make_json_converter(
        forbid_extra_keys=forbid_extra_keys, detailed_validation=detailed_validation
    )
    configure_converter(conv)
    return conv


@functools.cache
def converters(forbid_extra_keys: bool) -> tuple[Converter, Converter]:
    """The shared (fast, detailed) pair: good data pays the fast path only."""
    return (
        make_converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=False),
        make_converter(forbid_extra_keys=forbid_extra_keys, detailed_validation=True),
    )
