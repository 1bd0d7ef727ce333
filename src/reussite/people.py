"""The people a pathway is about: the child, the family and its guardians.

>>> import datetime as dt
>>> from reussite.codes import PriorityEducation, SchoolLevel, Sex
>>> child = Child(
...     id="c-1", first_name="Inès", last_name="Martin", birth_date=dt.date(2009, 3, 14),
...     sex=Sex.FEMALE, school_level=SchoolLevel.CM1, priority_education=PriorityEducation.REP,
...     commune="13103", qpv="QP013901", family_id="f-1",
... )
>>> child.school_level.group.label_fr
'élémentaire'
>>> Child(**{**attrs.asdict(child), "commune": "Salon"})
Traceback (most recent call last):
...
reussite.errors.InvalidValue: Child.commune: expected an INSEE commune code ..., got 'Salon'
"""

from __future__ import annotations

import datetime as dt

import attrs

from . import _validate as v
from .codes import PriorityEducation, SchoolLevel, Sex

__all__ = ["Child", "Family", "Guardian"]


@attrs.frozen(kw_only=True)
class Guardian:
    """A legal guardian of the child (*responsable légal*).

    Attributes:
        id: the guardian's identifier within the family.
        first_name, last_name: their names (direct identifiers).
        relationship: their tie to the child, in words (``"mère"``, ``"tuteur"``).
        phone, email: contact details, when known.
    """

    id: str = attrs.field(validator=v.IDENTIFIER)
    first_name: str = attrs.field(validator=v.text(max_length=200))
    last_name: str = attrs.field(validator=v.text(max_length=200))
    relationship: str = attrs.field(default="parent", validator=v.text(max_length=100))
    phone: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=40)))
    email: str | None = attrs.field(default=None, validator=v.optional(v.text(max_length=320)))


@attrs.frozen(kw_only=True)
class Family:
    """A family followed by the PRE (*famille*): one or more guardians, several children.

    Rule: a family has at least one guardian, with distinct ids.
    """

    id: str = attrs.field(validator=v.IDENTIFIER)
    guardians: tuple[Guardian, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.typed(Guardian), min_length=1),
            v.unique(lambda g: g.id, "guardian ids"),
        )
    )

    def guardian(self, guardian_id: str) -> Guardian | None:
        """The guardian with this id, or ``None``."""
        return next((g for g in self.guardians if g.id == guardian_id), None)


@attrs.frozen(kw_only=True)
class Child:
    """A child referred to the PRE (*enfant, bénéficiaire*), as known at referral.

    Attributes:
        id: the child's identifier (stable across pathways: a child may re-enter).
        first_name, last_name: names (direct identifiers).
        birth_date: date of birth.
        sex: recorded sex.
        school_level: class attended (*niveau*).
        school_uai: the school's UAI code (8 characters), when schooled.
        priority_education: REP / REP+ status of the school.
        commune: INSEE code of the commune of residence.
        qpv: code of the priority neighbourhood (*QPV*) of residence, or ``None``.
        family_id: the family the child belongs to.
    """

    id: str = attrs.field(validator=v.IDENTIFIER)
    first_name: str = attrs.field(validator=v.text(max_length=200))
    last_name: str = attrs.field(validator=v.text(max_length=200))
    birth_date: dt.date = attrs.field(validator=v.date_between())
    sex: Sex = attrs.field(validator=v.member(Sex))
    school_level: SchoolLevel = attrs.field(validator=v.member(SchoolLevel))
    priority_education: PriorityEducation = attrs.field(
        default=PriorityEducation.NONE, validator=v.member(PriorityEducation)
    )
    commune: str = attrs.field(validator=v.INSEE_COMMUNE)
    qpv: str | None = attrs.field(default=None, validator=v.optional(v.QPV_CODE))
    school_uai: str | None = attrs.field(default=None, validator=v.optional(v.UAI_CODE))
    family_id: str = attrs.field(validator=v.IDENTIFIER)
