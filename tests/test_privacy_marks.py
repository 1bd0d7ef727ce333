"""Helpers shared by the privacy tests: mark every direct identifier so leaks can be seen."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given

import reussite as r
from reussite._sensitivity import Sensitivity, category_of
from reussite.strategies import pathways

ID_MARK = "zid-"
TEXT_MARK = "§"


_ID_FIELDS = frozenset({"given_by", "by"})
"""Direct identifiers that hold ids (of guardians) though their names do not end in ``id``."""


def _marked(name: str, value: str) -> str:
    if name == "id" or name.endswith("_id") or name in _ID_FIELDS:
        return f"{ID_MARK}{value}"
    return f"{TEXT_MARK}{value}{TEXT_MARK}"


def mark(value: Any) -> Any:
    """A copy of ``value`` whose every direct-identifier string carries a marker.

    Ids become ``zid-<id>`` (still valid identifiers, and the same id always gets the
    same mark, so families and re-entries stay consistent); text becomes ``§text§``.
    Neither marker can occur in an export by chance: pseudonyms are hexadecimal, codes
    and dates are ASCII words, and no code contains ``zid``.
    """
    if attrs.has(type(value)):
        changes: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            if not field.init:
                continue
            current = getattr(value, field.name)
            if category_of(field) is Sensitivity.DIRECT_IDENTIFIER and isinstance(current, str):
                changes[field.alias] = _marked(field.name, current)
            elif (
                category_of(field) is Sensitivity.DIRECT_IDENTIFIER
                and isinstance(current, tuple)
                and all(isinstance(x, str) for x in current)
            ):
                changes[field.alias] = tuple(_marked(field.name, x) for x in current)
            else:
                changes[field.alias] = mark(current)
        return attrs.evolve(value, **changes)
    if isinstance(value, tuple):
        return tuple(mark(x) for x in value)
    if isinstance(value, frozenset):
        return frozenset(mark(x) for x in value)
    return value


def marked_pathway(pathway: r.Pathway) -> r.Pathway:
    """The same pathway, replayed from a history whose direct identifiers are marked."""
    programme = mark(pathway.programme)
    return r.replay([mark(e) for e in pathway.history], programme=programme)


# --- the marking itself is checked, so the leak tests cannot pass vacuously ---------------


def direct_strings(value: Any) -> list[str]:
    """Every string held by a direct-identifier field, anywhere inside ``value``."""
    found: list[str] = []
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            current = getattr(value, field.name)
            if category_of(field) is Sensitivity.DIRECT_IDENTIFIER and isinstance(current, str):
                found.append(current)
            elif category_of(field) is Sensitivity.DIRECT_IDENTIFIER and isinstance(current, tuple):
                found.extend(x for x in current if isinstance(x, str))
            found.extend(direct_strings(current))
    elif isinstance(value, tuple | frozenset):
        for item in value:
            found.extend(direct_strings(item))
    return found


@given(pathways())
def test_marking_reaches_every_direct_identifier(pathway):
    marked = marked_pathway(pathway)
    strings = direct_strings(marked)
    assert strings  # names and ids always exist
    assert all(s.startswith((ID_MARK, TEXT_MARK)) for s in strings)
    assert marked.state is pathway.state
    assert marked.child.id == ID_MARK + pathway.child.id
    assert marked.child.first_name == f"{TEXT_MARK}{pathway.child.first_name}{TEXT_MARK}"
