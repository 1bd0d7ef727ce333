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

from . import _sensitivity as sens
from . import _validate as v
from .codes import PriorityEducation, SchoolLevel, Sex

__all__ = ["Child", "Family", "Guardian"]


@attrs.frozen(kw_only=True)
class Guardian:
    """A legal guardian of the child (*responsable légal*).

    Attributes:
        id: the guardian's identifier within the family.
        first_name: their first name (a direct identifier).
        last_name: their last name (a direct identifier).
        relationship: their tie to the child, in words (``"mère"``, ``"tuteur"``).
        phone: their phone number, when known.
        email: their e-mail address, when known.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.ORDINARY)
    first_name: str = attrs.field(validator=v.text(max_length=200), metadata=sens.DIRECT)
    last_name: str = attrs.field(validator=v.text(max_length=200), metadata=sens.DIRECT)
    relationship: str = attrs.field(
        default="parent", validator=v.text(max_length=100), metadata=sens.FAMILY
    )
    phone: str | None = attrs.field(
        default=None, validator=v.optional(v.text(max_length=40)), metadata=sens.DIRECT
    )
    email: str | None = attrs.field(
        default=None, validator=v.optional(v.text(max_length=320)), metadata=sens.DIRECT
    )


@attrs.frozen(kw_only=True)
class Family:
    """A family followed by the PRE (*famille*): one or more guardians, several children.

    Rule: a family has at least one guardian, with distinct ids.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.DIRECT)
    guardians: tuple[Guardian, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.typed(Guardian), min_length=1),
            v.unique(lambda g: g.id, "guardian ids"),
        ),
        metadata=sens.DIRECT,
    )

    def guardian(self, guardian_id: str) -> Guardian | None:
        """The guardian with this id, or ``None``."""
        return next((g for g in self.guardians if g.id == guardian_id), None)


@attrs.frozen(kw_only=True)
class Child:
    """A child referred to the PRE (*enfant, bénéficiaire*), as known at referral.

    Attributes:
        id: the child's identifier (stable across pathways: a child may re-enter).
        first_name: first name (a direct identifier).
        last_name: last name (a direct identifier).
        birth_date: date of birth.
        sex: recorded sex.
        school_level: class attended (*niveau*).
        school_uai: the school's UAI code (8 characters), when schooled.
        priority_education: REP / REP+ status of the school.
        commune: INSEE code of the commune of residence.
        qpv: code of the priority neighbourhood (*QPV*) of residence, or ``None``.
        family_id: the family the child belongs to.
    """

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.DIRECT)
    first_name: str = attrs.field(validator=v.text(max_length=200), metadata=sens.DIRECT)
    last_name: str = attrs.field(validator=v.text(max_length=200), metadata=sens.DIRECT)
    birth_date: dt.date = attrs.field(validator=v.date_between(), metadata=sens.QUASI)
    sex: Sex = attrs.field(validator=v.member(Sex), metadata=sens.ORDINARY)
    school_level: SchoolLevel = attrs.field(validator=v.member(SchoolLevel), metadata=sens.SCHOOL)
    priority_education: PriorityEducation = attrs.field(
        default=PriorityEducation.NONE, validator=v.member(PriorityEducation), metadata=sens.SCHOOL
    )
    commune: str = attrs.field(validator=v.INSEE_COMMUNE, metadata=sens.QUASI)
    qpv: str | None = attrs.field(
        default=None, validator=v.optional(v.QPV_CODE), metadata=sens.QUASI
    )
    school_uai: str | None = attrs.field(
        default=None, validator=v.optional(v.UAI_CODE), metadata=sens.QUASI
    )
    family_id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.DIRECT)
