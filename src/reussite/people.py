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

__all__ = ["Child", "Family", "Guardian", "Situation"]


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

    id: str = attrs.field(validator=v.IDENTIFIER, metadata=sens.DIRECT)
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


@attrs.frozen(kw_only=True)
class Situation:
    """Where a child lives and goes to school from a date on (*situation de l'enfant*).

    Rule: a child's situation changes during a pathway (moving house, changing school,
    moving up a class each September or repeating a year); each change is a full
    situation in force from its date until the next. Eligibility stays judged on the
    situation at referral; the indicators say which of the two they read.

    Attributes:
        on: the date it applies from.
        commune: INSEE code of the commune of residence.
        qpv: code of the priority neighbourhood (*QPV*) of residence, or ``None``.
        school_level: class attended (*niveau*).
        priority_education: REP / REP+ status of the school.
        school_uai: the school's UAI code, when schooled.

    >>> import datetime as dt
    >>> from reussite.codes import SchoolLevel, Sex
    >>> child = Child(id="c-1", first_name="Inès", last_name="Martin",
    ...               birth_date=dt.date(2009, 3, 14), sex=Sex.FEMALE,
    ...               school_level=SchoolLevel.CM2, commune="13103", family_id="f-1")
    >>> Situation.of(child, on=dt.date(2017, 10, 2)).promoted(dt.date(2018, 9, 3)).school_level
    <SchoolLevel.SIXIEME: '6e'>
    """

    on: dt.date = attrs.field(validator=v.date_between(), metadata=sens.ORDINARY)
    commune: str = attrs.field(validator=v.INSEE_COMMUNE, metadata=sens.QUASI)
    qpv: str | None = attrs.field(
        default=None, validator=v.optional(v.QPV_CODE), metadata=sens.QUASI
    )
    school_level: SchoolLevel = attrs.field(validator=v.member(SchoolLevel), metadata=sens.SCHOOL)
    priority_education: PriorityEducation = attrs.field(
        default=PriorityEducation.NONE, validator=v.member(PriorityEducation), metadata=sens.SCHOOL
    )
    school_uai: str | None = attrs.field(
        default=None, validator=v.optional(v.UAI_CODE), metadata=sens.QUASI
    )

    @classmethod
    def of(cls, child: Child, *, on: dt.date) -> Situation:
        """The situation a child was referred in, as applying from ``on``."""
        return cls(
            on=on,
            commune=child.commune,
            qpv=child.qpv,
            school_level=child.school_level,
            priority_education=child.priority_education,
            school_uai=child.school_uai,
        )

    def promoted(self, on: dt.date) -> Situation:
        """The same situation from ``on``, one class up (*passage*, each September)."""
        return attrs.evolve(self, on=on, school_level=self.school_level.next)
