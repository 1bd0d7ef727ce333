"""JSON Schema (draft 2020-12) generated from the types, never written by hand.

The walk follows the same types the converter reads (attrs fields, enumerations,
tuples, optionals, the tagged events, timelines), so the schema and the reader cannot
drift. It states types and shapes; ranges and formats that the domain validators check
(an INSEE code's pattern, a consent's end after its start) are checked on reading.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import re
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from ..events import EVENT_TYPES, Event
from ..pathway import Pathway
from ..timeline import Timeline
from ._cohort import Cohort, CohortHeader
from ._converter import INT_BOUND, Period, TimelineDocument
from ._documents import PathwayDocument, PathwayLine

__all__ = ["json_schema"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer", "minimum": -INT_BOUND, "maximum": INT_BOUND - 1},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
}


def json_schema(type_: Any = Pathway) -> dict[str, Any]:
    """The JSON Schema of ``type_``'s JSON form.

    Args:
        type_: :class:`~reussite.pathway.Pathway` (default) for a pathway document,
            :class:`~reussite.serialization.Cohort` for any line of a cohort file (the
            header or a pathway), or any public domain type (``Programme``, ``Event``).

    >>> schema = json_schema()
    >>> schema["$schema"]
    'https://json-schema.org/draft/2020-12/schema'
    >>> schema["$defs"]["ContactLost"]["properties"]["type"]
    {'const': 'contact_lost'}
    """
    walker = _Walker()
    if type_ is Cohort:
        root: dict[str, Any] = {
            "oneOf": [walker.schema(CohortHeader), walker.schema(PathwayLine)],
        }
        title = "reussite cohort file: each line (the header, then one pathway per line)"
    else:
        root = walker.schema(PathwayDocument if type_ is Pathway else type_)
        title = "reussite pathway document" if type_ is Pathway else _name(type_)
    return {"$schema": DIALECT, "title": title, **root, "$defs": dict(sorted(walker.defs.items()))}


def _name(t: Any) -> str:
    origin = get_origin(t)
    if origin is None:
        return str(getattr(t, "__name__", t))
    base = "Timeline" if origin is TimelineDocument else origin.__name__
    return "_".join([base, *(_name(a) for a in get_args(t))])


def _summary(t: Any) -> str | None:
    doc = inspect.getdoc(get_origin(t) or t)
    return plain_text(doc.split("\n\n")[0].replace("\n", " ")) if doc else None


_ROLE = re.compile(r":(?:[a-z]+:)?[a-z]+:`~?([^`<]*?)(?:\s*<[^>]*>)?`")


def plain_text(docstring: str) -> str:
    """A docstring's text without its Sphinx markup, for a JSON Schema description.

    Roles keep their target's name (the last part after ``~``), literals and emphasis
    their text.

    >>> plain_text("A :class:`~reussite.pathway.Pathway` of ``Event`` (*parcours*).")
    'A Pathway of Event (parcours).'
    >>> plain_text(":func:`reussite.apply` and **always** :data:`NOT_APPLICABLE`")
    'reussite.apply and always NOT_APPLICABLE'
    """

    def name(match: re.Match[str]) -> str:
        target = match.group(1)
        whole = match.group(0)
        return target.rsplit(".", 1)[-1] if "`~" in whole else target

    text = _ROLE.sub(name, docstring)
    text = re.sub(r"``([^`]*)``", r"\1", text)
    text = re.sub(r"\*\*([^*]+)\*\*", r"\1", text)
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\1", text)


class _Walker:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def _define(self, t: Any, build: typing.Callable[[], dict[str, Any]]) -> dict[str, Any]:
        name = _name(t)
        if name not in self.defs:
            self.defs[name] = {}  # placed first: a type may refer to itself
            definition = build()
            summary = _summary(t)
            if summary:
                definition = {"description": summary, **definition}
            self.defs[name] = definition
        return {"$ref": f"#/$defs/{name}"}

    def schema(self, t: Any) -> dict[str, Any]:
        if t in _SCALARS:
            return dict(_SCALARS[t])
        origin, args = get_origin(t), get_args(t)
        if isinstance(t, type) and issubclass(t, enum.Enum):
            return self._define(t, lambda: {"enum": [m.value for m in t]})
        if origin is Literal:
            return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
        if origin in (Union, types.UnionType):
            return {
                "anyOf": [{"type": "null"} if a is type(None) else self.schema(a) for a in args]
            }
        if origin is tuple:
            return {"type": "array", "items": self.schema(args[0])}
        if origin is frozenset:
            return {"type": "array", "items": self.schema(args[0]), "uniqueItems": True}
        if t is Timeline or origin is Timeline:
            return self.schema(TimelineDocument[args[0] if args else Any])  # type: ignore[misc]
        if t is Pathway:
            return self.schema(PathwayDocument)
        if t is Event:
            return {"oneOf": [self.schema(cls) for cls in EVENT_TYPES.values()]}
        if attrs.has(origin or t):
            return self._define(t, lambda: self._object(t))
        if t is Any:
            return {}
        raise TypeError(f"no JSON form for {t!r}")

    def _object(self, t: Any) -> dict[str, Any]:
        cls = get_origin(t) or t
        hints = typing.get_type_hints(cls)
        bound = dict(zip(getattr(cls, "__parameters__", ()), get_args(t), strict=False))
        properties: dict[str, Any] = {}
        required: list[str] = []
        if isinstance(cls, type) and issubclass(cls, Event):
            properties["type"] = {"const": cls.tag}
            required.append("type")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            key = "from" if cls is Period and field.name == "start" else field.name
            properties[key] = self.schema(_bind(hints[field.name], bound))
            if field.default is attrs.NOTHING:
                required.append(key)
        return {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }


def _bind(t: Any, bound: dict[Any, Any]) -> Any:
    """``t`` with the type variables of a generic class replaced by their arguments."""
    if isinstance(t, typing.TypeVar):
        return bound.get(t, Any)
    args = get_args(t)
    if not args or not bound:
        return t
    origin = get_origin(t)
    new = tuple(_bind(a, bound) for a in args)
    if origin in (Union, types.UnionType):
        return Union[new]  # noqa: UP007 - built from a tuple
    return typing.cast(Any, origin)[new]
