"""k-anonymity of purge traces: coarsen the quasi-identifiers, then suppress what stays rare.

A trace keeps, for statistics, a few values someone who knows the child could know too:
the month of the referral and of the end, the age band, sex, class, REP status, commune
and priority neighbourhood (*quasi-identifiants*). On the bundled cohort, before this
module, every purged record was unique on its referral and end dates alone. Here each
quasi-identifier has a ladder of coarser values (month → school year → nothing; class →
stage → nothing; QPV code → "in a QPV" → nothing…), and :func:`anonymise` climbs them
for the whole set until every record shares its quasi-identifiers with at least ``k - 1``
others, or until at most ``max_suppressed`` of the records stand apart; those are then
left out (*suppression*). When even the coarsest values leave fewer than ``k`` records,
all are left out: fewer than ``k`` traces are never written.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ..codes import SchoolLevel
from ..errors import InvalidValue

if TYPE_CHECKING:
    from ._retention import Tombstone

__all__ = [
    "DEFAULT_K",
    "LADDERS",
    "MAX_SUPPRESSED",
    "QUASI_IDENTIFIERS",
    "Anonymised",
    "anonymise",
    "coarsen",
    "school_year_of_month",
]

DEFAULT_K = 5
"""The least number of traces that share their quasi-identifiers (as the suppression of
small counts: ``k = 5``)."""
MAX_SUPPRESSED = 0.05
"""The share of traces that may be left out rather than coarsen every trace further."""

QUASI_IDENTIFIERS: tuple[str, ...] = (
    "priority_education",
    "qpv",
    "school_level",
    "sex",
    "age_band",
    "referral_period",
    "commune",
    "end_period",
)
"""The fields of a trace someone who knows the child could know, in the order they are
given up: the first is left out first, the end's school year last (the figures of a year
need it)."""

HORS_QPV = "hors-qpv"
"""A trace's ``qpv`` for a child living outside the priority neighbourhoods."""
IN_QPV = "qpv"
"""A trace's ``qpv`` once coarsened: the child lives in one of the priority neighbourhoods."""

_STAGES = {level.value: level.group.value for level in SchoolLevel}
_COARSE_AGES = {"0-1": "0-5", "2-5": "0-5", "6-10": "6-10", "11-15": "11+", "16+": "11+"}


def school_year_of_month(month: str) -> str:
    """The school year (September to August) of a month written ``YYYY-MM``.

    >>> school_year_of_month("2017-10"), school_year_of_month("2018-08")
    ('2017-2018', '2017-2018')
    """
    year, number = int(month[:4]), int(month[5:7])
    first = year if number >= 9 else year - 1
    return f"{first}-{first + 1}"


def _drop(value: str) -> str | None:
    return None


Step = Callable[[str], "str | None"]


@attrs.frozen
class _Ladder:
    """How a quasi-identifier coarsens: one function per rung, and how to tell a rung.

    ``steps[i]`` takes a value of rung ``i`` to rung ``i + 1``; the top rung is ``None``
    (left out). ``finest`` says whether a value can be of rung 0 (some values are of two
    rungs: ``6-10`` is a band and a coarse band; ``hors-qpv`` is both too).
    """

    steps: tuple[Step, ...]
    rung: Callable[[str], int]

    @property
    def rungs(self) -> int:
        """How many steps from the finest value to nothing."""
        return len(self.steps)

    def level(self, value: str | None) -> int:
        """The lowest rung ``value`` can be of (``None``: the top)."""
        return self.rungs if value is None else self.rung(value)


_SCHOOL_LEVELS = frozenset(level.value for level in SchoolLevel)
_AGE_BANDS = frozenset(_COARSE_AGES)

LADDERS: Mapping[str, _Ladder] = MappingProxyType(
    {
        # month → school year → nothing
        "referral_period": _Ladder((school_year_of_month, _drop), lambda v: int(len(v) != 7)),
        "end_period": _Ladder((school_year_of_month, _drop), lambda v: int(len(v) != 7)),
        # code (or outside) → in a QPV or outside → nothing
        "qpv": _Ladder(
            (lambda v: v if v == HORS_QPV else IN_QPV, _drop), lambda v: int(v == IN_QPV)
        ),
        # class → stage → nothing
        "school_level": _Ladder(
            (_STAGES.__getitem__, _drop), lambda v: int(v not in _SCHOOL_LEVELS)
        ),
        # band → 0-5, 6-10, 11+ → nothing
        "age_band": _Ladder((_COARSE_AGES.__getitem__, _drop), lambda v: int(v not in _AGE_BANDS)),
        "priority_education": _Ladder((_drop,), lambda v: 0),
        "commune": _Ladder((_drop,), lambda v: 0),
        "sex": _Ladder((_drop,), lambda v: 0),
    }
)
"""Each quasi-identifier's ladder, from its finest values to nothing."""


def coarsen(column: str, value: str | None, level: int) -> str | None:
    """``value`` of a quasi-identifier, climbed to ``level`` (0 finest; never back down).

    >>> coarsen("referral_period", "2017-10", 1), coarsen("referral_period", "2017-10", 2)
    ('2017-2018', None)
    >>> coarsen("school_level", "CM2", 1), coarsen("qpv", "QP013952", 1)
    ('elementaire', 'qpv')
    >>> coarsen("age_band", "6-10", 1), coarsen("age_band", "16+", 1)
    ('6-10', '11+')
    >>> coarsen("referral_period", "2017-2018", 1), coarsen("qpv", "hors-qpv", 1)
    ('2017-2018', 'hors-qpv')
    """
    ladder = LADDERS[column]
    rung = ladder.level(value)
    while value is not None and rung < level:
        value = ladder.steps[rung](value)
        rung += 1
    return value


@attrs.frozen(kw_only=True)
class Anonymised:
    """Traces made k-anonymous (*traces anonymisées*), and how.

    Attributes:
        traces: the traces kept, their quasi-identifiers coarsened; every combination of
            quasi-identifiers they show is shown by at least ``k`` of them.
        k: the least size of a group of traces sharing their quasi-identifiers.
        levels: for each quasi-identifier, how far it was coarsened (0: as purged; its
            ladder's top: left out).
        suppressed: how many traces were left out because they stayed rarer than ``k``.
    """

    traces: tuple[Tombstone, ...]
    k: int
    levels: Mapping[str, int]
    suppressed: int


Key = tuple["str | None", ...]
"""A trace's quasi-identifiers, in the order of :data:`QUASI_IDENTIFIERS`."""


def _key(trace: Tombstone) -> Key:
    return tuple(getattr(trace, c) for c in QUASI_IDENTIFIERS)


def _coarser(keys: list[Key], levels: Mapping[str, int]) -> list[Key]:
    """The keys with each quasi-identifier climbed to its level (values computed once)."""
    memo: dict[tuple[int, str | None], str | None] = {}
    targets = [(i, c, levels[c]) for i, c in enumerate(QUASI_IDENTIFIERS)]

    def one(i: int, column: str, level: int, value: str | None) -> str | None:
        found = memo.get((i, value), memo)
        if found is memo:
            found = memo[(i, value)] = coarsen(column, value, level)
        return found  # type: ignore[return-value]

    return [tuple(one(i, c, level, key[i]) for i, c, level in targets) for key in keys]


def _rare(keys: list[Key], k: int) -> int:
    sizes = Counter(keys)
    return sum(size for size in sizes.values() if size < k)


def anonymise(
    traces: Iterable[Tombstone], *, k: int = DEFAULT_K, max_suppressed: float = MAX_SUPPRESSED
) -> Anonymised:
    """Make traces k-anonymous on :data:`QUASI_IDENTIFIERS` (*k-anonymat*).

    Rule: start from the coarsest level any trace already shows for each quasi-identifier;
    while more than ``max_suppressed`` of the traces share their quasi-identifiers with
    fewer than ``k - 1`` others, climb one rung: to a coarser value first (month to
    school year, class to stage, QPV code to "in a QPV", band to wide band), the one that
    leaves the fewest such traces (ties: the order of :data:`QUASI_IDENTIFIERS`); when
    none is left, leave a whole quasi-identifier out, in the order of
    :data:`QUASI_IDENTIFIERS`. Then leave out the traces still rarer than ``k``.
    Deterministic: the same traces give the same result.

    Args:
        traces: traces made by :func:`~reussite.privacy.purge`, or read back from a
            traces file (coarsened already: they are never made finer).
        k: the least group size, at least 2.
        max_suppressed: the share of traces that may be left out, from 0 to 1.

    Raises:
        InvalidValue: for ``k`` below 2 or a share outside 0 to 1.

    >>> anonymise([]).suppressed
    0
    >>> anonymise([], k=1)
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: anonymise.k: expected an integer of at least 2, got 1
    """
    if type(k) is not int or k < 2:
        raise InvalidValue("anonymise", "k", k, "an integer of at least 2")
    if not isinstance(max_suppressed, int | float) or not 0 <= max_suppressed <= 1:
        raise InvalidValue("anonymise", "max_suppressed", max_suppressed, "a share from 0 to 1")
    given = list(traces)
    levels = {
        c: max((LADDERS[c].level(getattr(t, c)) for t in given), default=0)
        for c in QUASI_IDENTIFIERS
    }
    budget = math.floor(max_suppressed * len(given))
    keys = _coarser([_key(t) for t in given], levels)
    rare = _rare(keys, k)
    while rare > budget:
        best: tuple[int, int, str] | None = None  # (leaves it out, rank or rare, column)
        for column in QUASI_IDENTIFIERS:
            if levels[column] >= LADDERS[column].rungs:
                continue
            trial = {**levels, column: levels[column] + 1}
            left = _rare(_coarser(keys, trial), k)
            # A coarser value before none at all; columns are left out in their order.
            final = trial[column] == LADDERS[column].rungs
            cost = (int(final), QUASI_IDENTIFIERS.index(column) if final else left)
            if best is None or cost < best[:2]:
                best = (*cost, column)
        if best is None:  # everything left out already: fewer than k traces in all
            break
        column = best[2]
        levels[column] += 1
        keys = _coarser(keys, levels)
        rare = _rare(keys, k)
    sizes = Counter(keys)
    kept: list[Tombstone] = []
    for trace, key in zip(given, keys, strict=True):
        if sizes[key] >= k:
            values: dict[str, Any] = dict(zip(QUASI_IDENTIFIERS, key, strict=True))
            kept.append(attrs.evolve(trace, **values))
    return Anonymised(
        traces=tuple(kept),
        k=k,
        levels=MappingProxyType(dict(levels)),
        suppressed=len(given) - len(kept),
    )
