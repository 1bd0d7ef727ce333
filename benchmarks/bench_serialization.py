"""Benchmark: loading a cohort file with ``reussite`` against pydantic v2 and msgspec.

On one generated cohort of realistic pathways (``benchmarks/_cohort.py``), written once by
``dump_cohort``, every contender decodes the **same bytes**, one line per pathway:

* ``reussite typed``: JSON → typed values (every type, format and range checked, unknown
  keys rejected), no lifecycle replay;
* ``reussite validated``: ``load_cohort`` → fully validated pathways (the above, then the
  replay of each pathway's events through every lifecycle rule);
* ``pydantic``: a pydantic v2 model of the same document (strict, extra keys forbidden,
  events a discriminated union), ``model_validate_json`` per line; types only;
* ``msgspec``: msgspec structs of the same document (tagged union, unknown fields
  forbidden); types only;
* ``cattrs plain converter``: for reference, cattrs' preconfigured JSON converter as it
  comes (no strict hooks, unknown keys ignored), which issue 8 estimated at about 0.5x
  pydantic's time;
* ``msgspec into the attrs classes``: for reference, msgspec's C decoder building the very
  frozen attrs values ``reussite`` returns, with none of its checks (attrs validators are
  not run, unknown keys inside objects and repeated keys pass unseen): about the least
  it costs to build these values from this JSON, whoever decodes it.

The pydantic models and msgspec structs are generated from the same attrs classes, so
the three describe one document. Times are per pathway, best of ``--repeat`` runs, with
the garbage collector on (Python's default) and off; memory is what ``tracemalloc`` sees
kept per loaded pathway. Ratios are computed from figures measured in this run.

Targets (issue 8): typed ≤ 0.6x pydantic (GC on) and ≤ 4x msgspec; validated ≤ 1.0x
pydantic; memory kept per pathway ≤ 0.5x pydantic's.

Run: ``python benchmarks/bench_serialization.py`` (needs the ``bench`` extra), or
``--quick`` for a correctness-only pass on a tiny cohort (used by the test suite).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import os
import platform
import sys
import time
import tracemalloc
import types
import typing
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import attrs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._cohort import realistic_pathways

import reussite as r
from reussite.serialization import dump_cohort, load_cohort
from reussite.serialization._cohort import _BATCH_LINES
from reussite.serialization._converter import converters
from reussite.serialization._documents import PathwayLine, record_from_text
from reussite.serialization._migrations import SCHEMA_VERSION
from reussite.serialization._pause import collector_paused

Decoder = Callable[[list[bytes]], list[Any]]


# --- the same document, as pydantic models and msgspec structs ---------------------------


def pydantic_decoder() -> Decoder:
    import pydantic

    config = pydantic.ConfigDict(extra="forbid", strict=True, frozen=True)
    models: dict[str, Any] = {}

    def model(t: Any) -> Any:
        origin, args = get_origin(t), get_args(t)
        if t is r.Event:
            union = Union[tuple(model(c) for c in r.EVENT_TYPES.values())]  # noqa: UP007
            return typing.Annotated[union, pydantic.Field(discriminator="type")]
        if origin is tuple:
            return tuple[model(args[0]), ...]  # type: ignore[misc]
        if origin in (Union, types.UnionType):
            return Union[tuple(model(a) for a in args)]  # noqa: UP007
        if attrs.has(t):
            if t.__name__ not in models:
                fields: dict[str, Any] = {}
                if issubclass(t, r.Event):
                    fields["type"] = (Literal[t.tag], ...)
                hints = typing.get_type_hints(t)
                for a in attrs.fields(t):
                    default = ... if a.default is attrs.NOTHING else _plain(a.default)
                    kind = Any if _nested_event(t, hints[a.name]) else model(hints[a.name])
                    fields[a.name] = (kind, default)
                models[t.__name__] = pydantic.create_model(
                    f"P{t.__name__}", __config__=config, **fields
                )
            return models[t.__name__]
        return t

    line = pydantic.create_model(
        "PLine",
        __config__=config,
        id=(str, ...),
        state=(r.State | None, None),
        events=(model(tuple[r.Event, ...]), ...),
    )
    validate = line.model_validate_json
    return lambda lines: [validate(b) for b in lines]


def msgspec_decoder(*, gc: bool = True) -> Decoder:
    """msgspec structs of the line; ``gc=False`` structs are not tracked by the garbage
    collector (as ``reussite``'s own mirror structs are): the floor of decoding."""
    import msgspec

    structs: dict[str, Any] = {}

    def struct(t: Any) -> Any:
        origin, args = get_origin(t), get_args(t)
        if t is r.Event:
            return Union[tuple(struct(c) for c in r.EVENT_TYPES.values())]  # noqa: UP007
        if origin is tuple:
            return tuple[struct(args[0]), ...]  # type: ignore[misc]
        if origin in (Union, types.UnionType):
            return Union[tuple(struct(a) for a in args)]  # noqa: UP007
        if attrs.has(t):
            if t.__name__ not in structs:
                hints = typing.get_type_hints(t)
                kinds = {
                    name: msgspec.Raw | None if _nested_event(t, hint) else struct(hint)
                    for name, hint in hints.items()
                }
                fields = [
                    (a.name, kinds[a.name])
                    if a.default is attrs.NOTHING
                    else (a.name, kinds[a.name], _plain(a.default))
                    for a in attrs.fields(t)
                ]
                tagged = issubclass(t, r.Event)
                structs[t.__name__] = msgspec.defstruct(
                    f"M{t.__name__}",
                    fields,
                    kw_only=True,
                    frozen=True,
                    gc=gc,
                    forbid_unknown_fields=True,
                    tag_field="type" if tagged else None,
                    tag=t.tag if tagged else None,
                )
            return structs[t.__name__]
        return t

    line = msgspec.defstruct(
        "MLine",
        [("id", str), ("events", struct(tuple[r.Event, ...])), ("state", r.State | None, None)],
        kw_only=True,
        frozen=True,
        gc=gc,
        forbid_unknown_fields=True,
    )
    decode = msgspec.json.Decoder(line).decode
    return lambda lines: [decode(b) for b in lines]


def _nested_event(owner: type, hint: Any) -> bool:
    """An event held by an event (a correction's replacement): left untyped by the
    contenders, as the library's own mirror leaves it raw; the data hold none."""
    return issubclass(owner, r.Event) and r.Event in (hint, *get_args(hint))


def _plain(default: Any) -> Any:
    return default if not isinstance(default, attrs.Factory) else default.factory()


def plain_cattrs_decoder() -> Decoder:
    """cattrs' preconfigured JSON converter as it comes (the issue's reference point).

    Standard-library parsing, no strict hooks (``12.5`` would become ``12``), unknown keys
    ignored, events a tagged union on ``"type"``; the attrs validators still run.
    """
    import json

    from cattrs.preconf.json import make_converter
    from cattrs.strategies import configure_tagged_union

    converter = make_converter()
    union = Union[tuple(r.EVENT_TYPES.values())]  # noqa: UP007
    tags = {cls: tag for tag, cls in r.EVENT_TYPES.items()}
    configure_tagged_union(union, converter, tag_generator=tags.__getitem__, tag_name="type")
    converter.register_structure_hook(r.Event, lambda v, _: converter.structure(v, union))
    structure, loads = converter.structure, json.loads
    return lambda lines: [structure(loads(b), PathwayLine) for b in lines]


def msgspec_attrs_decoder() -> Decoder:
    """msgspec's decoder building ``reussite``'s own attrs values, without their checks.

    msgspec decodes attrs classes natively but not a union of them tagged by ``"type"``:
    each event is kept raw, its tag read by a one-field struct, then decoded as its class.
    """
    import msgspec

    tagged = msgspec.defstruct("Tagged", [("type", str)])
    raw_line = msgspec.defstruct(
        "RawLine",
        [("id", str), ("events", list[msgspec.Raw]), ("state", r.State | None, None)],
        kw_only=True,
        forbid_unknown_fields=True,
    )
    line, tag = msgspec.json.Decoder(raw_line).decode, msgspec.json.Decoder(tagged).decode
    events = {t: msgspec.json.Decoder(cls).decode for t, cls in r.EVENT_TYPES.items()}

    def decode(lines: list[bytes]) -> list[PathwayLine]:
        decoded = []
        for b in lines:
            value = line(b)
            typed = tuple([events[tag(raw).type](raw) for raw in value.events])
            decoded.append(PathwayLine(id=value.id, state=value.state, events=typed))
        return decoded

    return decode


# --- reussite ---------------------------------------------------------------------------


def typed_decoder() -> Decoder:
    """The loader's typed stage, as ``load_cohort`` runs it: lines decoded a batch at a
    time with the collector paused over each batch (``_cohort._fill``)."""
    fast, detailed = converters(True)

    def decode(lines: list[bytes]) -> list[PathwayLine]:
        decoded: list[PathwayLine] = []
        for start in range(0, len(lines), _BATCH_LINES):
            with collector_paused():
                decoded.extend(
                    record_from_text(b, fast=fast, detailed=detailed, version=SCHEMA_VERSION)
                    for b in lines[start : start + _BATCH_LINES]
                )
        return decoded

    return decode


def validated_decoder(header: bytes) -> Decoder:
    def decode(lines: list[bytes]) -> list[r.Pathway]:
        with load_cohort(io.BytesIO(header + b"".join(lines))) as cohort:
            return list(cohort)

    return decode


# --- measuring --------------------------------------------------------------------------


def alternated(
    contenders: dict[str, Decoder], lines: list[bytes], *, repeat: int
) -> dict[str, tuple[float, float]]:
    """Best wall time of each contender with the garbage collector on and off.

    Each of the ``repeat`` rounds runs every contender once in each mode, in turn (the
    order reversed every other round), so a change in the machine's load hits them alike.
    """
    best = {name: [float("inf"), float("inf")] for name in contenders}
    for round_ in range(repeat):
        names = list(contenders)
        if round_ % 2:
            names.reverse()
        for name in names:
            for mode, collect in enumerate((True, False)):
                gc.collect()
                if not collect:
                    gc.disable()
                try:
                    start = time.perf_counter()
                    contenders[name](lines)
                    elapsed = time.perf_counter() - start
                finally:
                    gc.enable()
                best[name][mode] = min(best[name][mode], elapsed)
    return {name: (on, off) for name, (on, off) in best.items()}


def load_average() -> str:
    """The 1, 5 and 15-minute load averages, to read the times with."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "unknown"


def kept_bytes(decode: Decoder, lines: list[bytes]) -> float:
    """Memory kept per loaded pathway (what stays allocated while the result is held)."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = decode(lines)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert len(result) == len(lines)
    del result
    return (after - before) / len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pathways", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, correctness only")
    args = parser.parse_args(argv)
    if args.quick:
        args.pathways, args.repeat = 40, 1

    started = time.perf_counter()
    pathways = realistic_pathways(args.pathways, seed=args.seed)
    stream = io.StringIO()
    dump_cohort(pathways, stream)
    header, *text_lines = stream.getvalue().splitlines(keepends=True)
    lines = [line.encode() for line in text_lines]
    events = sum(len(p.history) for p in pathways) / len(pathways)
    size = sum(map(len, lines)) / len(lines)
    print(
        f"cohort: {len(lines)} pathways, {events:.1f} events and {size / 1024:.1f} KiB per "
        f"line on average (generated in {time.perf_counter() - started:.1f} s)"
    )

    contenders: dict[str, Decoder] = {
        "reussite typed": typed_decoder(),
        "reussite fully validated": validated_decoder(header.encode()),
        "cattrs plain converter": plain_cattrs_decoder(),
        "msgspec into the attrs classes": msgspec_attrs_decoder(),  # a runtime dependency
    }
    missing = []
    builds: tuple[tuple[str, Callable[[], Decoder]], ...] = (
        ("pydantic", pydantic_decoder),
        ("msgspec", msgspec_decoder),
        ("msgspec gc=False structs", lambda: msgspec_decoder(gc=False)),
    )
    for name, build in builds:
        try:
            contenders[name] = build()
        except ImportError:
            missing.append(name)

    # Correctness first: the same bytes decode everywhere, and reussite gives them back.
    assert contenders["reussite fully validated"](lines) == pathways
    typed = contenders["reussite typed"](lines)
    assert contenders["cattrs plain converter"](lines) == typed
    assert contenders["msgspec into the attrs classes"](lines) == typed
    for name, decode in contenders.items():
        assert len(decode(lines)) == len(lines), name
    print("correctness: every contender decodes every line; reussite gives the pathways back")
    if args.quick:
        print("quick mode: no timing (fully validated pathways checked)")
        return 0

    load_before = load_average()
    times = alternated(contenders, lines, repeat=args.repeat)
    load_after = load_average()
    rows: dict[str, tuple[float, float, float]] = {
        name: (on / len(lines) * 1e6, off / len(lines) * 1e6, kept_bytes(contenders[name], lines))
        for name, (on, off) in times.items()
    }

    print()
    print(
        f"machine: {os.cpu_count()} CPUs ({platform.machine()}), Python "
        f"{platform.python_version()}, cattrs {version('cattrs')}, attrs {version('attrs')}"
        + "".join(f", {n} {version(n)}" for n in ("pydantic", "msgspec") if n not in missing)
    )
    today = dt.datetime.now(dt.UTC).date().isoformat()
    print(
        f"date: {today}, {len(lines)} pathways, best of {args.repeat}, contenders alternated "
        f"within each round; load average (1, 5, 15 min) {load_before} before, "
        f"{load_after} after"
    )
    print()
    print("| decoder | µs/pathway (GC on) | µs/pathway (GC off) | KiB kept/pathway |")
    print("|---|---:|---:|---:|")
    for name, (on, off, kept) in rows.items():
        print(f"| {name} | {on:.0f} | {off:.0f} | {kept / 1024:.1f} |")
    if missing:
        print(f"\nnot installed (pip install -e '.[bench]'): {', '.join(missing)}")
        return 0

    typed, full, plain, floor, pyd, msg, untracked = (rows[n] for n in contenders)
    print()
    print("| ratio | GC on | GC off | target (issue 20) | met |")
    print("|---|---:|---:|---|---|")
    targets: tuple[tuple[str, Any, Any, tuple[float, float] | None], ...] = (
        ("typed / msgspec gc=False structs", typed, untracked, (3.0, 3.0)),
        ("fully validated / pydantic", full, pyd, (0.5, 1.0)),
        ("typed / pydantic", typed, pyd, None),
        ("typed / msgspec (gc=True structs)", typed, msg, None),
        ("msgspec gc=True / gc=False structs", msg, untracked, None),
        ("(reference) cattrs plain / pydantic", plain, pyd, None),
        ("(reference) msgspec into the attrs classes / pydantic", floor, pyd, None),
    )
    for label, mine, theirs, target in targets:
        on, off = mine[0] / theirs[0], mine[1] / theirs[1]
        if target is None:
            print(f"| {label} | {on:.2f}x | {off:.2f}x | | |")
            continue
        met = "yes" if on <= target[0] and off <= target[1] else "NO"
        print(
            f"| {label} | {on:.2f}x | {off:.2f}x | ≤ {target[0]}x on, ≤ {target[1]}x off | {met} |"
        )
    print()
    print("| GC tax: GC on / GC off | ratio | target |")
    print("|---|---:|---|")
    for name, (on, off, _) in rows.items():
        target = "≤ 1.2x" if name.startswith("reussite") else ""
        print(f"| {name} | {on / off:.2f}x | {target} |")
    print()
    print("| memory kept per pathway | ratio | target | met |")
    print("|---|---:|---|---|")
    for label, mine in (("typed", typed), ("fully validated", full)):
        ratio = mine[2] / pyd[2]
        print(f"| {label} / pydantic | {ratio:.2f}x | ≤ 0.5x | {'yes' if ratio <= 0.5 else 'NO'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
