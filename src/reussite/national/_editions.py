"""Survey editions: the category lists of the State's annual PRE survey, as data.

The questionnaire itself was not found in public sources (``NATIONAL.md``): every list a
return is checked against — age bands, legal carriers, partners and their roles, school
levels, staff functions, funders, in-kind types — lives in one TOML file per edition, so
the real questionnaire can replace ours without a code change.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from .. import _validate as v
from ..budget import FundingCategory, normalise_text
from ..errors import InvalidInput, InvalidValue

__all__ = [
    "EDITIONS",
    "AgeBandSpec",
    "Category",
    "FunderSpec",
    "InKindTypeSpec",
    "StaffFunction",
    "SurveyEdition",
    "edition",
    "load_edition",
    "read_edition",
]

OUTSIDE_BANDS = "hors_tranches"
"""The age-band code of a child whose age at referral is in none of the edition's bands."""

_CODE = v.pattern(r"[a-z0-9][a-z0-9_+\-]{0,39}", "a code of lowercase letters, digits, _ + -")


def _unique_codes(_: object, attribute: attrs.Attribute[Any], items: tuple[Any, ...]) -> None:
    codes = [item.code for item in items]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InvalidValue("SurveyEdition", attribute.name, twice, "codes that appear once")
    if not items:
        raise InvalidValue("SurveyEdition", attribute.name, items, "at least one category")


@attrs.frozen(kw_only=True)
class Category:
    """One answer of a closed list (*modalité*): a code files carry and its French label."""

    code: str = attrs.field(validator=_CODE)
    label_fr: str = attrs.field(validator=v.text(max_length=200))


@attrs.frozen(kw_only=True)
class AgeBandSpec:
    """An age band of the edition (*tranche d'âge*), in whole years at referral.

    >>> AgeBandSpec(code="17+", label_fr="17 ans et plus", min_age=17).holds(18)
    True
    """

    code: str = attrs.field(validator=_CODE)
    label_fr: str = attrs.field(validator=v.text(max_length=200))
    min_age: int = attrs.field(validator=v.integer(min_value=0, max_value=30))
    max_age: int | None = attrs.field(
        default=None, validator=v.optional(v.integer(min_value=0, max_value=30))
    )

    def holds(self, age: int) -> bool:
        """Whether a child of ``age`` whole years is in this band."""
        return self.min_age <= age and (self.max_age is None or age <= self.max_age)


@attrs.frozen(kw_only=True)
class StaffFunction:
    """A staff function (*fonction*); ``computed`` when the library counts it itself."""

    code: str = attrs.field(validator=_CODE)
    label_fr: str = attrs.field(validator=v.text(max_length=200))
    computed: bool = attrs.field(default=False, validator=v.typed(bool))


@attrs.frozen(kw_only=True)
class FunderSpec:
    """A funder of the survey's money block and the budget categories it gathers.

    Attributes:
        categories: :class:`reussite.budget.FundingCategory` values; ``"*"`` gathers
            every category no other funder names.
        state: whether the funder is the State (for the State share).
        politique_de_la_ville: whether it is the State's *politique de la ville* credits
            (for the co-funding rate).
    """

    code: str = attrs.field(validator=_CODE)
    label_fr: str = attrs.field(validator=v.text(max_length=200))
    categories: tuple[str, ...] = attrs.field(validator=v.tuple_of(v.typed(str), min_length=1))
    state: bool = attrs.field(default=False, validator=v.typed(bool))
    politique_de_la_ville: bool = attrs.field(default=False, validator=v.typed(bool))


@attrs.frozen(kw_only=True)
class InKindTypeSpec:
    """A type of in-kind contribution, recognised by keywords of the line's label.

    Keywords are compared folded (:func:`reussite.budget.normalise_text`); a type with no
    keyword takes the lines no other type recognises.
    """

    code: str = attrs.field(validator=_CODE)
    label_fr: str = attrs.field(validator=v.text(max_length=200))
    keywords: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of(v.typed(str)))


@attrs.frozen(kw_only=True)
class SurveyEdition:
    """One edition of the State's annual survey of PREs: its closed lists, as data.

    Read from a TOML file (:func:`read_edition`); the library ships ``anct-2021`` and
    ``cget-2015`` (:data:`EDITIONS`).

    >>> ed = edition("anct-2021")
    >>> [b.code for b in ed.age_bands]
    ['2-5', '6-10', '11-16', '17+']
    >>> ed.age_band(17), ed.age_band(1)
    ('17+', 'hors_tranches')
    >>> ed.funder_of("social_bodies"), ed.funder_of("eu_funds")
    ('caf', 'other')
    """

    id: str = attrs.field(validator=_CODE)
    label_fr: str = attrs.field(validator=v.text(max_length=300))
    reference_month: int = attrs.field(validator=v.integer(min_value=1, max_value=12))
    age_bands: tuple[AgeBandSpec, ...] = attrs.field(validator=_unique_codes)
    carriers: tuple[Category, ...] = attrs.field(validator=_unique_codes)
    partners: tuple[Category, ...] = attrs.field(validator=_unique_codes)
    partner_roles: tuple[Category, ...] = attrs.field(validator=_unique_codes)
    school_levels: tuple[Category, ...] = attrs.field(validator=_unique_codes)
    staff_functions: tuple[StaffFunction, ...] = attrs.field(validator=_unique_codes)
    funders: tuple[FunderSpec, ...] = attrs.field(validator=_unique_codes)
    in_kind_types: tuple[InKindTypeSpec, ...] = attrs.field(validator=_unique_codes)
    _funder_by_category: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False)
    _digest: str = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        _check_bands(self.age_bands)
        known = {c.value for c in FundingCategory}
        by_category: dict[str, str] = {}
        catch_all = None
        for funder in self.funders:
            for category in funder.categories:
                if category == "*":
                    catch_all = funder.code
                elif category not in known:
                    raise InvalidValue(
                        "SurveyEdition",
                        f"funders.{funder.code}.categories",
                        category,
                        f"a reussite.budget.FundingCategory value ({', '.join(sorted(known))})",
                    )
                elif category in by_category:
                    raise InvalidValue(
                        "SurveyEdition",
                        f"funders.{funder.code}.categories",
                        category,
                        f"a category no other funder gathers (already {by_category[category]})",
                    )
                else:
                    by_category[category] = funder.code
        if catch_all is None:
            raise InvalidValue(
                "SurveyEdition", "funders", self.funders, 'one funder gathering "*" (the rest)'
            )
        for category in known - set(by_category):
            by_category[category] = catch_all
        object.__setattr__(self, "_funder_by_category", MappingProxyType(by_category))
        computed = [f.code for f in self.staff_functions if f.computed]
        if computed != ["referent"]:
            raise InvalidValue(
                "SurveyEdition",
                "staff_functions",
                computed,
                'one computed function, "referent" (the programme\'s referents)',
            )
        if sum(1 for t in self.in_kind_types if not t.keywords) != 1:
            raise InvalidValue(
                "SurveyEdition", "in_kind_types", self.in_kind_types, "one type without keywords"
            )
        lists = {name: [attrs.asdict(item) for item in getattr(self, name)] for name in _LISTS}
        canonical = json.dumps(
            {"id": self.id, "reference_month": self.reference_month, **lists},
            sort_keys=True,
            ensure_ascii=False,
        )
        digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
        object.__setattr__(self, "_digest", digest)

    @property
    def digest(self) -> str:
        """A fingerprint of the edition's id and lists (16 hex digits).

        A return records it, so that a synthesis can tell when it is given another
        edition under the same id (labels count: the lists are compared whole).
        """
        return self._digest

    def age_band(self, age: int) -> str:
        """The code of the band of ``age`` (:data:`OUTSIDE_BANDS` when none holds it)."""
        for band in self.age_bands:
            if band.holds(age):
                return band.code
        return OUTSIDE_BANDS

    def funder_of(self, category: str) -> str:
        """The funder code gathering a :class:`~reussite.budget.FundingCategory` value."""
        return self._funder_by_category[category]

    def in_kind_type_of(self, label: str) -> str:
        """The in-kind type whose keywords the (folded) ``label`` contains."""
        folded = normalise_text(label)
        rest = ""
        for kind in self.in_kind_types:
            if not kind.keywords:
                rest = kind.code
            elif any(normalise_text(k) in folded for k in kind.keywords):
                return kind.code
        return rest

    def codes(self, list_name: str) -> tuple[str, ...]:
        """The codes of one of the edition's lists (``"carriers"``, ``"funders"``...)."""
        items: tuple[Any, ...] = getattr(self, list_name)
        return tuple(item.code for item in items)

    def label(self, list_name: str, code: str) -> str:
        """The French label of ``code`` in one of the edition's lists (the code if unknown)."""
        items: tuple[Any, ...] = getattr(self, list_name)
        if list_name == "age_bands" and code == OUTSIDE_BANDS:
            return "hors tranches d'âge"
        return next((item.label_fr for item in items if item.code == code), code)


def _check_bands(bands: tuple[AgeBandSpec, ...]) -> None:
    """Age bands in increasing order, each starting the year after the previous one ends."""
    for index, band in enumerate(bands):
        if band.max_age is not None and band.max_age < band.min_age:
            raise InvalidValue(
                "SurveyEdition",
                f"age_bands[{index}].max_age",
                band.max_age,
                f"an age of at least min_age ({band.min_age})",
            )
        if index == 0:
            continue
        previous = bands[index - 1]
        if previous.max_age is None:
            raise InvalidValue(
                "SurveyEdition",
                f"age_bands[{index - 1}].max_age",
                None,
                "an upper age (only the last band is open-ended)",
            )
        if band.min_age != previous.max_age + 1:
            kind = "overlaps" if band.min_age <= previous.max_age else "leaves a gap after"
            raise InvalidValue(
                "SurveyEdition",
                f"age_bands[{index}].min_age",
                band.min_age,
                f"{previous.max_age + 1}, the year after band {previous.code!r} ends"
                f" (this band {kind} it)",
            )


_LISTS: dict[str, type] = {
    "age_bands": AgeBandSpec,
    "carriers": Category,
    "partners": Category,
    "partner_roles": Category,
    "school_levels": Category,
    "staff_functions": StaffFunction,
    "funders": FunderSpec,
    "in_kind_types": InKindTypeSpec,
}
_SCALARS = ("id", "label_fr", "reference_month")
_IGNORED = ("format", "min_age", "max_age")


def read_edition(text: str, *, source: str = "<edition>") -> SurveyEdition:
    """Read a survey edition from TOML text (the format of the shipped ``*.toml`` files).

    Raises:
        InvalidInput: naming the source and every key that is wrong.

    >>> read_edition('id = "x"', source="mine.toml")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidInput: mine.toml: 10 problems:
      missing key label_fr @ $
      missing key reference_month @ $
      expected a list of tables [[age_bands]] @ $.age_bands
    ...
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput([f"not valid TOML ({error}) @ $"], source=source) from None
    problems: list[str] = []
    values: dict[str, Any] = {}
    for key in sorted(set(data) - set(_LISTS) - set(_SCALARS) - set(_IGNORED)):
        problems.append(f"unknown key @ $.{key}")
    for key in _SCALARS:
        if key not in data:
            problems.append(f"missing key {key} @ $")
        else:
            values[key] = data[key]
    for key, cls in _LISTS.items():
        rows = data.get(key)
        if not isinstance(rows, list) or not rows:
            problems.append(f"expected a list of tables [[{key}]] @ $.{key}")
            continue
        built = []
        for index, row in enumerate(rows):
            where = f"$.{key}[{index}]"
            if not isinstance(row, dict):
                problems.append(f"expected a table @ {where}")
                continue
            fields = {a.name for a in attrs.fields(cls)}
            extra = sorted(set(row) - fields)
            if extra:
                problems.append(f"unknown key {extra[0]} @ {where}")
                continue
            row = {k: tuple(x) if isinstance(x, list) else x for k, x in row.items()}
            try:
                built.append(cls(**row))
            except InvalidValue as error:
                problems.append(
                    f"expected {error.expected}, got {error.shown} @ {where}.{error.field}"
                )
            except TypeError as error:
                problems.append(f"{error} @ {where}")
        values[key] = tuple(built)
    if not problems:
        try:
            return SurveyEdition(**values)
        except InvalidValue as error:
            problems.append(f"expected {error.expected}, got {error.shown} @ $.{error.field}")
    raise InvalidInput(problems, source=source)


def load_edition(path: str | os.PathLike[str]) -> SurveyEdition:
    """Read a survey edition from a TOML file (see :func:`read_edition`)."""
    file = Path(path)
    return read_edition(file.read_text(encoding="utf-8"), source=str(path))


def _shipped() -> Mapping[str, SurveyEdition]:
    folder = resources.files(__package__).joinpath("editions")
    found: dict[str, SurveyEdition] = {}
    for name in ("anct-2021", "cget-2015"):
        text = folder.joinpath(f"{name}.toml").read_text(encoding="utf-8")
        found[name] = read_edition(text, source=f"{name}.toml")
    return MappingProxyType(found)


EDITIONS: Mapping[str, SurveyEdition] = _shipped()
"""The editions shipped with the library, by id: ``anct-2021`` (the ANCT age bands 2–5,
6–10, 11–16, 17+) and ``cget-2015`` (the earlier editions, whose bands are unknown: the
annual report's, as an inference)."""


def edition(edition_id: str) -> SurveyEdition:
    """A shipped edition by id.

    Raises:
        InvalidValue: naming the shipped editions when there is no such one.
    """
    if not isinstance(edition_id, str) or edition_id not in EDITIONS:
        raise InvalidValue("edition", "id", edition_id, f"one of {', '.join(EDITIONS)}")
    return EDITIONS[edition_id]


def check_edition_of(owner: str, edition_id: str, digest: str | None, survey: object) -> None:
    """Check that ``survey`` is the edition a return or synthesis was built with.

    Rule: same id, and the same fingerprint when the document carries one (a custom
    edition reusing a shipped id is told apart by its digest).

    Raises:
        InvalidValue: owner ``owner`` (``PreReturn``, ``Synthesis``), field ``edition`` or
            ``edition_digest``.
    """
    if not isinstance(survey, SurveyEdition):
        raise InvalidValue(owner, "edition", survey, "a SurveyEdition")
    if survey.id != edition_id:
        raise InvalidValue(owner, "edition", edition_id, f"the edition given ({survey.id!r})")
    if digest is not None and digest != survey.digest:
        raise InvalidValue(
            owner,
            "edition_digest",
            digest,
            f"the digest of the edition {survey.id!r} given ({survey.digest}): built with "
            "another edition of that id (give that edition's file)",
        )
