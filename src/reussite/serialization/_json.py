"""Strict JSON text in and out: UTF-8, no BOM, no duplicate keys, no NaN or Infinity.

The standard library's parser is lenient where data could be lost: a repeated key keeps
the last value, ``NaN`` and ``1e400`` become floats no JSON tool agrees on, bytes with a
BOM or in UTF-16 are decoded silently. Here each of those is a located problem.

Two parsers, one meaning. Text exactly as ``reussite`` writes it (compact, UTF-8, each key
once: what :func:`dump` gives) is parsed by msgspec's C parser, then proved canonical by
writing the parsed value back and comparing the bytes: a repeated key, a non-finite
number or anything written otherwise cannot come back identical. Every other text goes
through the standard library's parser with the strict hooks below, which locates what
is wrong. Both give the same value for the same canonical text (a property test).
"""

from __future__ import annotations

import json
import math
from typing import Any

import msgspec

from ._errors import NonFinite, Problems


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:  # pragma: no branch - a duplicate is there
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _float(text: str) -> float | NonFinite:
    value = float(text)
    return value if math.isfinite(value) else NonFinite(text)


_DECODER = json.JSONDecoder(object_pairs_hook=_object, parse_constant=NonFinite, parse_float=_float)


_FAST_DECODE = msgspec.json.Decoder().decode
_FAST_ENCODE = msgspec.json.Encoder().encode
_NOT_CANONICAL = object()


def _canonical(raw: bytes | str) -> Any:
    """The value of ``raw`` if it is the canonical JSON of that value, else a marker.

    JSON whitespace around the value (a line's end) is allowed.
    """
    try:
        text = raw.encode() if isinstance(raw, str) else raw
        value = _FAST_DECODE(text)
        canonical = _FAST_ENCODE(value) == text.strip(b" \t\r\n")
    except Exception:  # any failure: the standard parser will say what it is
        return _NOT_CANONICAL
    return value if canonical else _NOT_CANONICAL


def decode_text(data: str | bytes | bytearray | memoryview) -> str:
    """UTF-8 text of ``data`` (strict), refusing a byte order mark.

    Raises:
        Problems: naming the byte that is not UTF-8, or the BOM.
    """
    if isinstance(data, str):
        text = data
    else:
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Problems(
                [f"not valid UTF-8 at byte {error.start} ({error.reason}) @ $"]
            ) from None
    if text.startswith("\ufeff"):
        raise Problems(
            ["the text starts with a byte order mark (BOM): save it as UTF-8 without BOM @ $"]
        )
    return text


def parse(data: str | bytes | bytearray | memoryview, *, where: str = "") -> Any:
    """Parse one JSON document strictly; ``where`` completes positions (``line 3``).

    Raises:
        Problems: one located line saying what is wrong with the text.
    """
    if type(data) is bytes or type(data) is str:
        value = _canonical(data)
        if value is not _NOT_CANONICAL:
            return value
    text = decode_text(data)
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        position = (
            f"column {error.colno}" if where else f"line {error.lineno}, column {error.colno}"
        )
        raise Problems([f"invalid JSON: {error.msg} ({position}) @ $"]) from None
    except _DuplicateKey as error:
        raise Problems(
            [
                f"duplicate key {json.dumps(error.key, ensure_ascii=False)} in an object: "
                "each key may appear once @ $"
            ]
        ) from None
    except RecursionError:
        raise Problems(["invalid JSON: nested too deeply @ $"]) from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise Problems([f"invalid JSON: {error} @ $"]) from None


def dump(value: Any) -> str:
    """Compact JSON on one line, UTF-8 characters kept, ``NaN`` refused."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
