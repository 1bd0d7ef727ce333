"""Canonical text read in C: msgspec structs that mirror the wire format of attrs classes.

Most text a ``reussite`` reader meets was written by ``reussite`` (a cohort file, a
pathway document). Such text is decoded by msgspec straight into *mirror* structs, one
per attrs class, which check in C what the wire rules check in Python: exact JSON types,
64-bit integers, ``YYYY-MM-DD`` dates, enumeration values, literals, event tags and
unknown keys. Encoding the mirror back and comparing the bytes then proves the mirrored
text canonical, so a repeated key or any other spelling cannot pass; what a mirror keeps
raw (a programme) is read by the general path's parser, strict as ever.

One generated function per class converts the mirror to the domain values. A plain
class (its ``__init__`` the one attrs wrote, nothing run after it) is built field by
field, the checks its validators describe (:class:`~reussite._validate.Spec`) written
inline and the other validators called on the built object, as ``__init__`` would; any
other class is built by its ``__init__``. Either way every domain rule is checked.

Any failure, and any text written otherwise, is left to the general path
(:func:`~reussite.serialization._json.parse`, the compiled fast path, then the detailed
converter), which decides the same and says what and where. Property tests hold the two
to the same decisions and values. Mirrors are not tracked by the garbage collector: they
hold no cycles and live for one document.
"""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal, Union

import attrs
import msgspec

from .._fields import field_setter
from .._validate import Spec, controls, spec_of
from ..events import EVENT_TYPES, Event
from ._fast import Refused, bind, compilable, items_of, optional_of
from ._json import parse
from ._scalars import INT_BOUND

Structure = Callable[[Any, Any], Any]
"""Structures a parsed value as a type (the fast path; raises on any problem)."""

_INT = Annotated[int, msgspec.Meta(ge=-INT_BOUND, le=INT_BOUND - 1)]
_SCALARS = (str, bool, dt.date)
"""Types msgspec decodes exactly as the wire rules read them (``int`` is bounded apart)."""


class NotCanonical(ValueError):
    """The text is not what ``reussite`` would write for its value."""


def _mirrorable(cls: type) -> bool:
    """Whether attrs class ``cls`` can be mirrored (no default computed from the instance)."""
    return compilable(cls) and not any(
        getattr(a.default, "takes_self", False) for a in attrs.fields(cls) if a.init
    )


def _nested_event(cls: type, t: Any) -> bool:
    """Whether field type ``t`` of ``cls`` is an event held by an event.

    A correction holds the event it replaces: the mirror leaves it raw (read the general
    way), rather than mirroring the union of events inside one of its own members.
    """
    return issubclass(cls, Event) and (t is Event or optional_of(t) is Event)


class _Builder:
    """The mirror structs and converters of a family of types, built once."""

    def __init__(self, structure: Structure) -> None:
        self.structure = structure
        self.structs: dict[tuple[type, tuple[str, ...], bool], Any] = {}
        self.converters: dict[type, Callable[[Any], Any]] = {}
        self.events: dict[Any, Callable[[Any], Any]] = {}

    # --- the wire types ---------------------------------------------------------------

    def wire(self, t: Any) -> Any:
        """The msgspec type of ``t`` on the wire, or ``msgspec.Raw`` (left to the fast path)."""
        inner = optional_of(t)
        if inner is not None:
            mirrored = self.wire(inner)
            return msgspec.Raw if mirrored is msgspec.Raw else mirrored | None
        if t is int:
            return _INT
        if t in _SCALARS or typing.get_origin(t) is Literal:
            return t
        if isinstance(t, type) and issubclass(t, enum.Enum):
            # By value, as the wire rules read them: strings only (msgspec would take 1).
            return t if all(type(m.value) is str for m in t) else msgspec.Raw
        if items_of(t) is not None:
            item = self.wire(items_of(t))
            return msgspec.Raw if item is msgspec.Raw else tuple[item, ...]  # type: ignore[valid-type]
        if t is Event and all(_mirrorable(c) for c in EVENT_TYPES.values()):
            return Union[tuple(self.struct(c) for c in EVENT_TYPES.values())]  # noqa: UP007
        if isinstance(t, type) and t is not Event and _mirrorable(t):
            return self.struct(t)
        return msgspec.Raw

    def struct(
        self, cls: type, *, order: Sequence[str] | None = None, omit_defaults: bool = False
    ) -> Any:
        """The mirror struct of attrs class ``cls`` (its fields in wire order)."""
        key = (cls, tuple(order or ()), omit_defaults)
        if key in self.structs:
            return self.structs[key]
        hints = typing.get_type_hints(cls)
        by_name = {a.name: a for a in attrs.fields(cls) if a.init}
        if order is not None and sorted(order) != sorted(by_name):
            raise ValueError(f"order {order!r} must list the fields of {cls.__name__} once")
        fields: list[tuple[Any, ...]] = []
        for name in order or by_name:
            a = by_name[name]
            kind = msgspec.Raw if _nested_event(cls, hints[name]) else self.wire(hints[name])
            if a.default is attrs.NOTHING or (kind is msgspec.Raw and a.default is not None):
                fields.append((name, kind))  # a raw key left out is the general path's case
            elif isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                fields.append((name, kind, msgspec.field(default_factory=a.default.factory)))
            else:
                fields.append((name, kind, a.default))
        tag = getattr(cls, "tag", None) if issubclass(cls, Event) else None
        struct = msgspec.defstruct(
            f"Wire{cls.__name__}",
            fields,
            kw_only=True,
            frozen=True,
            forbid_unknown_fields=True,
            gc=False,
            omit_defaults=omit_defaults,
            tag_field="type" if tag else None,
            tag=tag,
        )
        self.structs[key] = struct
        return struct

    # --- the converters ---------------------------------------------------------------

    def convert(
        self, t: Any, var: str, names: dict[str, Any], depth: int = 0, *, raw: bool = False
    ) -> str:
        """An expression converting mirror value ``var`` of type ``t`` to its domain value.

        ``raw``: the mirror left the value raw whatever its type (an event in an event).
        """
        if raw or self.wire(t) is msgspec.Raw:
            key = bind(names, t, "raw")
            # None: the key was left out, and its default is None (see struct)
            return f"(None if {var} is None else structure({var}, {key}))"
        inner = optional_of(t)
        if inner is not None:
            converted = self.convert(inner, var, names, depth)
            return var if converted == var else f"(None if {var} is None else {converted})"
        if items_of(t) is not None:
            item = f"x{depth}"
            converted = self.convert(items_of(t), item, names, depth + 1)
            return var if converted == item else f"tuple([{converted} for {item} in {var}])"
        if t is Event:
            for cls in EVENT_TYPES.values():
                self.events[self.struct(cls)] = self.converter(cls)
            names["events"] = self.events
            return f"events[type({var})]({var})"
        if attrs.has(t):
            return f"{bind(names, self.converter(t), 'convert')}({var})"
        return var  # scalars, enumeration members, literals: as decoded

    def converter(self, cls: type) -> Callable[[Any], Any]:
        """The function building an instance of ``cls`` from its mirror, validators run.

        A plain class (every field set by ``__init__``, nothing run after) is built
        field by field and its validators' checks are written inline where their
        :class:`~reussite._validate.Spec` allows, the others called; any other class is
        built by its ``__init__``.
        """
        if cls in self.converters:
            return self.converters[cls]
        hints = typing.get_type_hints(cls)
        names: dict[str, Any] = {
            "cls": cls,
            "structure": self._structure_raw,
            "new": object.__new__,
            "Refused": Refused,
        }
        fields = [a for a in attrs.fields(cls) if a.init]
        values = [
            self.convert(hints[a.name], f"m.{a.name}", names, raw=_nested_event(cls, hints[a.name]))
            for a in fields
        ]
        lines = ["def convert(m):"]
        if _plain(cls):
            lines.extend(f"    v{i} = {value}" for i, value in enumerate(values))
            lines.append("    o = new(cls)")
            lines.extend(
                f"    {bind(names, field_setter(cls, a.name), 'set')}(o, v{i})"
                for i, a in enumerate(fields)
            )
            for i, a in enumerate(fields):
                if a.validator is not None:
                    lines.extend(_Checks(names, a).lines(a.validator, hints[a.name], f"v{i}"))
            lines.append("    return o")
        else:
            arguments = ", ".join(
                f"{a.alias}={value}" for a, value in zip(fields, values, strict=True)
            )
            lines.append(f"    return cls({arguments})")
        source = "\n".join(lines) + "\n"
        exec(compile(source, f"<reussite mirror {cls.__name__}>", "exec"), names)
        function: Callable[[Any], Any] = names["convert"]
        self.converters[cls] = function
        return function

    def _structure_raw(self, raw: msgspec.Raw, t: Any) -> Any:
        """What a mirror left raw (a programme), read the general way."""
        return self.structure(parse(bytes(raw)), t)


def _plain(cls: type) -> bool:
    """Whether ``cls`` may be built field by field: what its ``__init__`` does, bar checks.

    Its own ``__init__`` must be the one attrs wrote (attrs names its source so), setting
    every field as given; nothing may run before or after it.
    """
    source = getattr(getattr(vars(cls).get("__init__"), "__code__", None), "co_filename", "")
    return (
        source.startswith("<attrs generated")
        and all(a.init and a.converter is None for a in attrs.fields(cls))
        and not hasattr(cls, "__attrs_post_init__")
        and not hasattr(cls, "__attrs_pre_init__")
    )


_WIRE_CHECKED = (*_SCALARS, int)
"""Types whose every value the mirror decodes is already of exactly that type."""


class _Checks:
    """The inline lines of one field's validator checks (``raise Refused`` when one fails)."""

    def __init__(self, names: dict[str, Any], attribute: attrs.Attribute[Any]) -> None:
        self.names = names
        self.attribute = attribute

    def name(self, value: Any, prefix: str) -> str:
        return bind(self.names, value, prefix)

    def call(self, validator: Any, var: str, pad: str) -> list[str]:
        """Call the validator as ``__init__`` would: on the built object."""
        function, attribute = self.name(validator, "validator"), self.name(self.attribute, "a")
        return [f"{pad}{function}(o, {attribute}, {var})"]

    def lines(
        self, validator: Any, t: Any, var: str, pad: str = "    ", depth: int = 0
    ) -> list[str]:
        """Lines checking ``var`` (of wire type ``t``) as ``validator`` does."""
        spec = spec_of(validator) or Spec("")  # no description: called as it is
        kind, args, inner_t = spec.kind, spec.args, optional_of(t)
        exact = t in _WIRE_CHECKED or (
            isinstance(t, type) and (issubclass(t, enum.Enum) or attrs.has(t))
        )
        if kind in ("typed", "member") and args[0] is t and exact:
            return []  # the mirror decoded (or its converter built) exactly this type
        if kind == "optional":
            inner = self.lines(args[0], t if inner_t is None else inner_t, var, pad + "    ", depth)
            return [f"{pad}if {var} is not None:", *inner] if inner else []
        if kind == "all_of":
            return [line for v in args for line in self.lines(v, t, var, pad, depth)]
        if kind == "text" and t is str:
            low, high, multiline = args
            blank = f"not {var} or {var}.isspace()" if low == 1 else f"len({var}.strip()) < {low}"
            search = self.name(controls(multiline=multiline), "controls")
            controlled = f"not {var}.isprintable() and {search}({var}) is not None"
            return [
                f"{pad}if len({var}) > {high} or {blank} or ({controlled}):",
                f"{pad}    raise Refused",
            ]
        if kind == "pattern" and t is str:
            accepted = self.name(spec.memo, "accepted")  # the validator's memo of accepted ids
            return [f"{pad}if {var} not in {accepted}:", *self.call(validator, var, pad + "    ")]
        if kind in ("integer", "date_between") and t is (int if kind == "integer" else dt.date):
            low, high = (self.name(bound, "bound") if bound is not None else None for bound in args)
            tests = [f"{var} < {low}" if low is not None else None]
            tests.append(f"{var} > {high}" if high is not None else None)
            test = " or ".join(test for test in tests if test is not None)
            return [f"{pad}if {test}:", f"{pad}    raise Refused"] if test else []
        if kind == "unique" and items_of(t) is not None:
            if args[0] is str and items_of(t) is str:  # the strings themselves, distinct
                inner = [
                    f"{pad}    if len(set({var})) < len({var}):",
                    f"{pad}        raise Refused",
                ]
            else:
                inner = self.call(validator, var, pad + "    ")
            return [f"{pad}if len({var}) > 1:", *inner]  # one item or none: distinct
        if kind == "tuple_of" and items_of(t) is not None:
            item, (inner, least) = f"x{depth}", args
            checks = self.lines(inner, items_of(t), item, pad + "    ", depth + 1)
            lines = [f"{pad}if len({var}) < {least}:", f"{pad}    raise Refused"] if least else []
            return [*lines, f"{pad}for {item} in {var}:", *checks] if checks else lines
        return self.call(validator, var, pad)


class Mirror:
    """Reads the canonical text of one attrs class through its mirror; raises on anything else.

    Args:
        cls: the attrs class of the document.
        structure: the fast path, for the parts the mirrors leave raw (a programme).
        order: the document's keys in the order ``reussite`` writes them (default: its
            fields' order, as every nested object is written).
        omit_defaults: whether the writer leaves out a key holding its default (a cohort
            line leaves out the programme its header carries).
    """

    def __init__(
        self,
        cls: type,
        *,
        structure: Structure,
        order: Sequence[str] | None = None,
        omit_defaults: bool = False,
    ) -> None:
        builder = _Builder(structure)
        struct = builder.struct(cls, order=order, omit_defaults=omit_defaults)
        self._decode = msgspec.json.Decoder(struct).decode
        self._encode = msgspec.json.Encoder().encode
        self._convert = builder.converter(cls)

    def read(self, raw: str | bytes | bytearray | memoryview) -> Any:
        """The value of canonical text ``raw`` (JSON whitespace around it allowed).

        Raises:
            NotCanonical: if ``raw`` is not what ``reussite`` writes for the value it holds;
            msgspec's errors, :class:`~reussite.serialization._fast.Refused` (an inline
            check) or what a validator raises, for text it refuses. The caller reads such
            text the general way, which locates every problem.
        """
        text = raw.encode() if type(raw) is str else raw
        if type(text) is not bytes:
            raise NotCanonical("expected bytes or str")
        mirror = self._decode(text)
        if self._encode(mirror) != text.strip(b" \t\r\n"):
            raise NotCanonical("not the canonical text of its value")
        return self._convert(mirror)
