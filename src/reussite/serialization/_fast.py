"""The fast path of structuring: one generated function per class, checks written inline.

Good data should pay for reading it once. cattrs' generated functions call one hook per
field (a Python call for every string, integer or date); here each class gets a function
whose source checks the wire types of its fields inline, and calls only for nested
objects and arrays. It is meant to accept exactly what the detailed converter accepts,
and says nothing about why it refused: on any failure the caller reads the value again
with the detailed converter, which locates every problem, or gives the value if it finds
none (``_documents.structure``). Tests hold the two to the same decisions and values.

The wire rules are those of :func:`~reussite.serialization._converter.configure_converter`;
the domain validators run when the values are built, as on every path.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable
from typing import Any, Union

import attrs

from ._scalars import DATES, INT_BOUND, enum_members, structure_date, utf8_encodable

Hook = Callable[..., Any]
Resolve = Callable[[Any], Hook]
"""Gives the structure hook of a type (the fast converter's ``get_structure_hook``)."""


class Refused(ValueError):
    """The fast path refused a value; the detailed converter will say why."""


def bind(names: dict[str, Any], value: Any, prefix: str) -> str:
    """Add ``value`` to a generated function's globals ``names``; give its new name."""
    key = f"{prefix}_{len(names)}"
    names[key] = value
    return key


def optional_of(t: Any) -> Any:
    """The ``X`` of type ``X | None`` (or ``Optional[X]``), else ``None``."""
    args = typing.get_args(t)
    if typing.get_origin(t) in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        return next(a for a in args if a is not type(None))
    return None


def items_of(t: Any) -> Any:
    """The ``X`` of type ``tuple[X, ...]``, else ``None``."""
    args = typing.get_args(t)
    if typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def compilable(cls: Any) -> bool:
    """Whether ``cls`` is an attrs class this module compiles (not a generic alias)."""
    return isinstance(cls, type) and attrs.has(cls) and not getattr(cls, "__parameters__", ())


class _Source:
    """The lines and names of one generated function."""

    def __init__(self, resolve: Resolve) -> None:
        self.lines: list[str] = []
        self.names: dict[str, Any] = {
            "Refused": Refused,
            "dates_get": DATES.get,
            "date": structure_date,
            "utf8": utf8_encodable,
            "BOUND": INT_BOUND,
        }
        self.resolve = resolve

    def name(self, value: Any, prefix: str) -> str:
        """A global name in the generated function for ``value``."""
        return bind(self.names, value, prefix)

    def check(self, var: str, t: Any, indent: int) -> None:
        """Lines that check the wire value in ``var`` against ``t`` and leave its value."""
        pad = " " * indent
        add = self.lines.append
        origin, args = typing.get_origin(t), typing.get_args(t)
        if t is str:
            add(f"{pad}if type({var}) is not str or not ({var}.isascii() or utf8({var})):")
            add(f"{pad}    raise Refused")
        elif t is int:
            add(f"{pad}if type({var}) is not int or not -BOUND <= {var} < BOUND:")
            add(f"{pad}    raise Refused")
        elif t is bool:
            add(f"{pad}if {var} is not True and {var} is not False:")
            add(f"{pad}    raise Refused")
        elif t is dt.date:
            add(f"{pad}{var}_ = dates_get({var}) if type({var}) is str else None")
            add(f"{pad}{var} = date({var}) if {var}_ is None else {var}_")
        elif isinstance(t, type) and issubclass(t, enum.Enum):
            members = self.name(enum_members(t), "members")
            add(f"{pad}{var} = {members}.get({var}) if type({var}) is str else None")
            add(f"{pad}if {var} is None:")
            add(f"{pad}    raise Refused")
        elif optional_of(t) is not None:
            add(f"{pad}if {var} is not None:")
            self.check(var, optional_of(t), indent + 4)
        elif items_of(t) is not None:
            item = self.name(_item_function(items_of(t), self.resolve), "item")
            add(f"{pad}if type({var}) is not list:")
            add(f"{pad}    raise Refused")
            add(f"{pad}{var} = tuple([{item}(x) for x in {var}])")
        elif origin is frozenset:
            item = self.name(_item_function(args[0], self.resolve), "item")
            add(f"{pad}if type({var}) is not list:")
            add(f"{pad}    raise Refused")
            add(f"{pad}{var}_ = [{item}(x) for x in {var}]")
            add(f"{pad}{var} = frozenset({var}_)")
            add(f"{pad}if len({var}) != len({var}_):")
            add(f"{pad}    raise Refused")
        else:  # nested objects, literals, timelines, events: their own hook
            hook, kind = self.name(self.resolve(t), "hook"), self.name(t, "type")
            add(f"{pad}{var} = {hook}({var}, {kind})")

    def function(self, name: str) -> Hook:
        namespace = dict(self.names)
        exec(compile("\n".join(self.lines), f"<reussite fast {name}>", "exec"), namespace)
        function: Hook = namespace[name]
        return function


def _item_function(t: Any, resolve: Resolve) -> Hook:
    """A one-argument function structuring one item of an array of ``t``."""
    if typing.get_origin(t) is None and compilable(t):
        hook = resolve(t)
        return lambda value: hook(value, t)
    source = _Source(resolve)
    source.lines.append("def item(x):")
    source.check("x", t, 4)
    source.lines.append("    return x")
    return source.function("item")


def wire_keys(cls: type, *, tagged: bool = False) -> frozenset[str]:
    """The keys an object of attrs class ``cls`` may hold on the wire.

    Its fields set by ``__init__``, and ``"type"`` for a tagged event.
    """
    names = frozenset(a.name for a in attrs.fields(cls) if a.init)
    return names | {"type"} if tagged else names


def compile_class(cls: type, resolve: Resolve, *, forbid_extra_keys: bool, tag: str = "") -> Hook:
    """The fast structure function of attrs class ``cls``: ``(value, type=None) -> cls``.

    ``tag``, for an event class, is the value of its ``"type"`` key: allowed in the
    object (and not checked here: the event dispatch read it).

    Raises (when called): :class:`Refused`, ``KeyError`` (a required key missing), or
    what the class's validators raise.
    """
    hints = typing.get_type_hints(cls)
    fields = [a for a in attrs.fields(cls) if a.init]
    source = _Source(resolve)
    add = source.lines.append
    fn = f"structure_{cls.__name__}"
    add(f"def {fn}(o, _=None):")
    add("    if type(o) is not dict:")
    add("        raise Refused")
    if forbid_extra_keys:
        allowed = source.name(wire_keys(cls, tagged=bool(tag)), "allowed")
        add(f"    if not o.keys() <= {allowed}:")
        add("        raise Refused")
    arguments = []
    reads_self = [a for a in fields if getattr(a.default, "takes_self", False)]
    if reads_self:
        add("    given = {}")  # the defaults computed from the instance: left to __init__
        arguments.append("**given")
    for index, a in enumerate(fields):
        var = f"v{index}"
        if a.default is attrs.NOTHING:
            add(f"    {var} = o[{a.name!r}]")
            source.check(var, hints[a.name], 4)
            arguments.append(f"{a.alias}={var}")
            continue
        add(f"    if {a.name!r} in o:")
        add(f"        {var} = o[{a.name!r}]")
        source.check(var, hints[a.name], 8)
        if a in reads_self:
            add(f"        given[{a.alias!r}] = {var}")
            continue
        add("    else:")
        if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
            add(f"        {var} = {source.name(a.default.factory, 'factory')}()")
        else:
            add(f"        {var} = {source.name(a.default, 'default')}")
        arguments.append(f"{a.alias}={var}")
    add(f"    return {source.name(cls, 'cls')}({', '.join(arguments)})")
    return source.function(fn)
