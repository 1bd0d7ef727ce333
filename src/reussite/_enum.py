"""Enumerations that carry their official French label."""

from __future__ import annotations

import enum
from typing import Self


class LabelledEnum(enum.StrEnum):
    """A string enumeration whose members carry a French label (``.label_fr``).

    Members are declared as ``NAME = ("wire value", "libellé officiel")``; the wire value is
    what files and JSON carry, the label what reports for practitioners print.
    """

    label_fr: str

    def __new__(cls, value: str, label_fr: str) -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label_fr = label_fr
        return obj
