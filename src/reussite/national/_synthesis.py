"""The national synthesis of PRE returns: exact sums that merge in any order.

A :class:`Synthesis` keeps integer totals (counts, cents, hundredths of FTE), two
histograms (days, months) and, per item, how many PREs answered; every figure is
computed from them when asked. Two syntheses of disjoint sets of returns
:meth:`~Synthesis.merge` into exactly the synthesis of their union, whatever the split
and the order, so shards can be summed on any machine.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs

from .. import _validate as v
from ..codes import ExitReason, ReferralSource, Sex
from ..errors import InvalidValue
from ._editions import EDITIONS, OUTSIDE_BANDS, SurveyEdition, check_edition_of, edition
from ._return import Bin, PreReturn, _histogram, check_return_codes, histogram

__all__ = [
    "ITEMS",
    "NationalFigure",
    "Synthesis",
    "Total",
    "synthesise",
]

ITEMS: Mapping[str, str] = {
    "identity.carrier": "Structure porteuse",
    "identity.qpv_count": "Quartiers prioritaires couverts",
    "identity.outside_priority_geography": "Hors géographie prioritaire",
    "schools": "Établissements scolaires couverts",
    "governance.partners": "Partenaires et rôles",
    "governance.eps": "Nombre d'EPS",
    "governance.eps_meetings": "Réunions d'EPS",
    "governance.delay": "Délai orientation → examen en EPS",
    "children.collective_only": "Enfants en actions collectives seulement",
    "pathways.durations": "Durées des parcours finis",
    "staff": "Postes et ETP",
    "money": "Financements et contributions en nature",
}
"""The items a PRE may leave unanswered, with their French names: each figure built on
one is computed over the PREs that answered it, and the synthesis says how many did."""

_SOURCES = {m.value: m.label_fr for m in ReferralSource}
_REASONS = {m.value: m.label_fr for m in ExitReason}

PPM = 1_000_000
"""Per-PRE rates are kept in millionths (rounded half up), so that their sum is exact."""


@attrs.frozen(kw_only=True)
class Total:
    """One exact total of the synthesis: ``key`` (``"schools.college"``) and its sum."""

    key: str = attrs.field(validator=v.pattern(r"[a-z][A-Za-z0-9_.+\-]{0,99}", "a dotted key"))
    n: int = attrs.field(validator=v.integer(min_value=0))


def _ppm(fraction: Fraction) -> int:
    return int(
        (Decimal(fraction.numerator) * PPM / fraction.denominator).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    )


def _edition(edition_id: str, survey: SurveyEdition | None) -> SurveyEdition:
    if survey is None:
        return edition(edition_id)
    if not isinstance(survey, SurveyEdition) or survey.id != edition_id:
        raise InvalidValue("Synthesis", "survey", survey, f"the edition {edition_id!r}")
    return survey


def _return_totals(r: PreReturn, ed: SurveyEdition) -> Counter[str]:
    t: Counter[str] = Counter()
    t["pres.returned"] = 1
    t["pres.active"] = int(r.identity.active)
    ident = r.identity
    if ident.carrier is not None:
        t["answered.identity.carrier"] = 1
        t[f"carrier.{ident.carrier}"] += 1
    if ident.qpv_count is not None:
        t["answered.identity.qpv_count"] = 1
        t["qpv"] += ident.qpv_count
    if ident.outside_priority_geography is not None:
        t["answered.identity.outside_priority_geography"] = 1
        t["outside_priority_geography"] += int(ident.outside_priority_geography)
    if r.schools is not None:
        t["answered.schools"] = 1
        for c in r.schools:
            t[f"schools.{c.code}"] += c.n
    g = r.governance
    if g.partners is not None:
        t["answered.governance.partners"] = 1
        for p in g.partners:
            t[f"partners.{p.partner}"] += 1
            for role in p.roles:
                t[f"partners.{p.partner}.{role}"] += 1
    if g.eps is not None:
        t["answered.governance.eps"] = 1
        t["eps"] += g.eps
    if g.eps_meetings is not None:
        t["answered.governance.eps_meetings"] = 1
        t["eps_meetings"] += g.eps_meetings
        if g.eps:
            t["eps_meetings.joint_eps"] += g.eps
            t["eps_meetings.joint"] += g.eps_meetings
    if g.referral_to_review_days:
        t["answered.governance.delay"] = 1
    ch = r.children
    t["children.in_pathway"] += ch.in_pathway
    for c in ch.by_sex:
        t[f"children.sex.{c.code}"] += c.n
    for c in ch.by_age_band:
        t[f"children.age.{c.code}"] += c.n
    for c in ch.by_referral_source:
        t[f"children.source.{c.code}"] += c.n
    supported = ch.supported
    if supported is not None:
        t["answered.children.collective_only"] = 1
        t["children.supported"] += supported
        t["children.supported.in_pathway"] += ch.in_pathway
    pw = r.pathways
    t["pathways.entries"] += pw.entries
    t["pathways.exits"] += pw.exits
    for c in pw.exits_by_reason:
        t[f"exits.{c.code}"] += c.n
    if pw.durations_months:
        t["answered.pathways.durations"] = 1
    for c in r.staff.fte_hundredths:
        if c.code == "referent":
            t["staff.all.fte.referent"] += c.n
    t["staff.all.posts.referent"] += next((c.n for c in r.staff.posts if c.code == "referent"), 0)
    if r.staff.declared:
        t["answered.staff"] = 1
        for c in r.staff.posts:
            t[f"staff.posts.{c.code}"] += c.n
        for c in r.staff.fte_hundredths:
            t[f"staff.fte.{c.code}"] += c.n
    m = r.money
    if m is not None:
        t["answered.money"] = 1
        direct = m.direct_cents
        for c in m.direct:
            t[f"money.direct.{c.code}"] += c.n
            if c.n:
                t[f"money.pres_with.{c.code}"] += 1
        for k in m.in_kind:
            t[f"money.in_kind.type.{k.type}"] += k.cents
            t[f"money.in_kind.giver.{k.giver}"] += k.cents
        if supported is not None:
            t["money.joint.children"] += supported
            t["money.joint.direct"] += direct
            t["money.joint.in_kind"] += m.in_kind_cents
        if direct:
            pv = sum(m.funder_cents(f.code) for f in ed.funders if f.politique_de_la_ville)
            t["money.co_funding.ppm"] += _ppm(Fraction(direct - pv, direct))
            t["money.co_funding.pres"] += 1
    return t


_FIXED = frozenset(
    {
        "pres.returned",
        "pres.active",
        *(f"answered.{item}" for item in ITEMS),
        "qpv",
        "outside_priority_geography",
        "eps",
        "eps_meetings",
        "eps_meetings.joint_eps",
        "eps_meetings.joint",
        "children.in_pathway",
        "children.supported",
        "children.supported.in_pathway",
        "pathways.entries",
        "pathways.exits",
        "staff.all.fte.referent",
        "staff.all.posts.referent",
        "money.joint.children",
        "money.joint.direct",
        "money.joint.in_kind",
        "money.co_funding.ppm",
        "money.co_funding.pres",
    }
)
"""The keys of a synthesis's totals that are not one per code."""

_ENUM_FAMILIES = {
    "children.sex.": tuple(m.value for m in Sex),
    "children.source.": tuple(_SOURCES),
    "exits.": tuple(_REASONS),
}
"""Families of totals, one per code of a library enumeration."""

_EDITION_FAMILIES = {
    "carrier.": "carriers",
    "schools.": "school_levels",
    "children.age.": "age_bands",
    "staff.posts.": "staff_functions",
    "staff.fte.": "staff_functions",
    "money.direct.": "funders",
    "money.pres_with.": "funders",
    "money.in_kind.type.": "in_kind_types",
    "money.in_kind.giver.": "funders",
    "partners.": "partners",
}
"""Families of totals, one per code of a list of the survey edition (longest prefix wins)."""

_GATED = {
    "schools.": "schools",
    "carrier.": "identity.carrier",
    "qpv": "identity.qpv_count",
    "outside_priority_geography": "identity.outside_priority_geography",
    "partners.": "governance.partners",
    "eps": "governance.eps",
    "eps_meetings": "governance.eps_meetings",
    "children.supported": "children.collective_only",
    "staff.posts.": "staff",
    "staff.fte.": "staff",
    "money.": "answered.money",
}
"""Totals that only PREs answering an item add to (key or key prefix → item)."""


def _family(key: str) -> tuple[str, str] | None:
    """``(prefix, code)`` of a per-code total (``partners.caf.eps``: ``partners.``)."""
    if key in _FIXED:
        return None
    for prefix in (*_ENUM_FAMILIES, *sorted(_EDITION_FAMILIES, key=len, reverse=True)):
        if key.startswith(prefix):
            return prefix, key[len(prefix) :]
    return None


def check_synthesis(s: Synthesis) -> None:
    """Check what a synthesis must hold whatever the edition (see :class:`Synthesis`).

    Every key known, sorted and once; the programmes sorted, once each and as many as
    the returns; breakdowns adding up to their totals; parts never above their whole;
    nothing summed for an item no PRE answered.

    Raises:
        InvalidValue: owner ``Synthesis``, the field path (``totals[3].key``).
    """
    owner = "Synthesis"
    index: dict[str, int] = {}
    for i, total in enumerate(s.totals):
        if i and total.key <= s.totals[i - 1].key:
            raise InvalidValue(owner, f"totals[{i}].key", total.key, "keys sorted, each once")
        family = _family(total.key)
        if family is None and total.key not in _FIXED:
            raise InvalidValue(
                owner, f"totals[{i}].key", total.key, "a key of a synthesis's totals"
            )
        if family is not None:
            prefix, code = family
            allowed = _ENUM_FAMILIES.get(prefix)
            if allowed is not None and code not in allowed:
                raise InvalidValue(
                    owner,
                    f"totals[{i}].key",
                    total.key,
                    f"{prefix}<code> with a code among {', '.join(allowed)}",
                )
            parts = code.split(".")
            if not all(parts) or len(parts) > (2 if prefix == "partners." else 1):
                raise InvalidValue(owner, f"totals[{i}].key", total.key, f"{prefix}<code>")
        index[total.key] = i
    t = s.counter()

    def where(key: str) -> str:
        return f"totals[{index[key]}].n" if key in index else "totals"

    def at_most(part: str, whole: str, value: int | None = None, bound: int | None = None) -> None:
        found = t[part] if value is None else value
        limit = t[whole] if bound is None else bound
        if found > limit:
            raise InvalidValue(owner, where(part), found, f"at most {whole} ({limit})")

    def sums(prefix: str, whole: str) -> None:
        found = 0
        for key, n in t.items():
            family = _family(key)
            if family is not None and family[0] == prefix:
                found += n
        if found != t[whole]:
            raise InvalidValue(owner, where(whole), t[whole], f"the sum of {prefix}* ({found})")

    returned = t["pres.returned"]
    programmes = s.programmes
    if list(programmes) != sorted(set(programmes)):
        raise InvalidValue(owner, "programmes", programmes, "programme ids sorted, each once")
    if len(programmes) != returned:
        raise InvalidValue(
            owner, where("pres.returned"), returned, f"the number of programmes ({len(programmes)})"
        )
    for key in ("pres.active", *(f"answered.{item}" for item in ITEMS)):
        at_most(key, "pres.returned")
    for prefix, item in _GATED.items():
        answered = t[item if item.startswith("answered.") else f"answered.{item}"]
        if answered:
            continue
        for key, n in t.items():
            if n and (
                key == prefix or key.startswith(prefix if prefix.endswith(".") else f"{prefix}.")
            ):
                raise InvalidValue(owner, where(key), n, f"0: no PRE answered {item}")
    for prefix in ("children.sex.", "children.age.", "children.source."):
        sums(prefix, "children.in_pathway")
    sums("exits.", "pathways.exits")
    sums("carrier.", "answered.identity.carrier")
    at_most("outside_priority_geography", "answered.identity.outside_priority_geography")
    at_most("children.supported.in_pathway", "children.in_pathway")
    at_most("children.supported.in_pathway", "children.supported")
    at_most("eps_meetings.joint", "eps_meetings")
    at_most("eps_meetings.joint_eps", "eps")
    at_most("money.co_funding.pres", "answered.money")
    at_most("money.co_funding.ppm", "money.co_funding.pres", bound=t["money.co_funding.pres"] * PPM)
    at_most("staff.posts.referent", "staff.all.posts.referent")
    at_most("staff.fte.referent", "staff.all.fte.referent")
    at_most(
        "staff.all.fte.referent",
        "staff.all.posts.referent",
        bound=100 * t["staff.all.posts.referent"],
    )
    kinds = sum(n for k, n in t.items() if k.startswith("money.in_kind.type."))
    givers = sum(n for k, n in t.items() if k.startswith("money.in_kind.giver."))
    if kinds != givers:
        raise InvalidValue(
            owner,
            "totals",
            kinds,
            f"money.in_kind.type.* adding up to money.in_kind.giver.* ({givers})",
        )
    for key in t:
        family = _family(key)
        if family is None:
            continue
        prefix, code = family
        if prefix == "money.pres_with.":
            at_most(key, "answered.money")
        elif prefix == "partners.":
            parts = code.split(".")
            at_most(
                key, "answered.governance.partners" if len(parts) == 1 else f"partners.{parts[0]}"
            )
        elif prefix == "staff.fte.":
            at_most(key, f"staff.posts.{code}", bound=100 * t[f"staff.posts.{code}"])
    finished = sum(b.n for b in s.durations_months)
    at_most("answered.pathways.durations", "durations_months", bound=finished)
    if finished > t["pathways.exits"]:
        raise InvalidValue(
            owner, "durations_months", finished, f"at most pathways.exits ({t['pathways.exits']})"
        )
    if finished and not t["answered.pathways.durations"]:
        raise InvalidValue(
            owner, "durations_months", finished, "no bar when no PRE answered pathways.durations"
        )
    admitted = sum(b.n for b in s.referral_to_review_days)
    at_most("answered.governance.delay", "referral_to_review_days", bound=admitted)
    if admitted and not t["answered.governance.delay"]:
        raise InvalidValue(
            owner,
            "referral_to_review_days",
            admitted,
            "no bar when no PRE answered governance.delay",
        )


def check_synthesis_codes(s: Synthesis, survey: SurveyEdition) -> None:
    """Check the code of every per-code total of ``s`` against ``survey``'s lists.

    Raises:
        InvalidValue: owner ``Synthesis``, the field path (``totals[3].key``).
    """
    owner = "Synthesis"
    check_edition_of(owner, s.edition, s.edition_digest, survey)
    for i, t in enumerate(s.totals):
        family = _family(t.key)
        if family is None or family[0] in _ENUM_FAMILIES:
            continue
        prefix, code = family
        list_name = _EDITION_FAMILIES[prefix]
        codes = survey.codes(list_name)
        if prefix == "children.age.":
            codes = (*codes, OUTSIDE_BANDS)
        parts = code.split(".")
        if parts[0] not in codes:
            raise InvalidValue(
                owner,
                f"totals[{i}].key",
                t.key,
                f"{prefix}<code> with a code of {survey.id} {list_name}: {', '.join(codes)}",
            )
        if len(parts) == 2 and parts[1] not in survey.codes("partner_roles"):
            roles = survey.codes("partner_roles")
            raise InvalidValue(
                owner,
                f"totals[{i}].key",
                t.key,
                f"partners.<partner>.<role> with a role of {survey.id}: {', '.join(roles)}",
            )


def _frozen(counter: Mapping[str, int]) -> tuple[Total, ...]:
    return tuple(Total(key=k, n=n) for k, n in sorted(counter.items()) if n)


def _frozen_bins(counter: Counter[int]) -> tuple[Bin, ...]:
    return tuple(Bin(value=k, n=n) for k, n in sorted(counter.items()) if n)


@attrs.frozen(kw_only=True)
class NationalFigure:
    """One figure of the national synthesis, with its exact terms.

    Attributes:
        id: a stable id (``"children_supported"``, ``"direct_funding.commune"``).
        block: the survey block it belongs to (1 to 7; 0 for the PREs themselves).
        label_fr: what the synthesis prints.
        unit: ``"PRE"``, ``"enfants"``, ``"%"``, ``"€"``, ``"jours"``, ``"mois"``, ``"ETP"``...
        value: the figure (``None`` when its denominator is empty: *sans objet*).
        numerator: what was summed (cents for money, hundredths for FTE).
        denominator: what it was divided by, or ``None`` for a total.
        answered: how many PREs answered the item it rests on (``None``: every return).
    """

    id: str
    block: int
    label_fr: str
    unit: str
    value: int | float | None
    numerator: int | None = None
    denominator: int | None = None
    answered: int | None = None


@attrs.frozen(kw_only=True)
class Synthesis:
    """The national synthesis of PRE returns (*synthèse nationale*), exact and mergeable.

    Build it with :func:`synthesise` (or :meth:`of` one return and :meth:`merge`).
    Aggregation rules: counts are summed and shares recomputed from the sums (never an
    average of the PREs' percentages); means come from summed totals and counts, medians
    from merged histograms; a PRE that did not answer an item is left out of that item's
    denominator, and each figure says how many PREs answered; *active* PREs (at the
    reference date) and PREs *answering* an item are kept apart.

    Attributes:
        edition: the survey edition of the returns.
        school_year: the school year of the children (start year).
        money_year: the calendar year of the money (``None`` if no return answered it).
        programmes: the ids of the programmes whose returns are counted, sorted (a
            programme counted twice is refused when merging).
        totals: every exact total, sorted by key.
        durations_months: merged histogram of finished pathways' durations.
        referral_to_review_days: merged histogram of delays referral → EPS review.
    """

    edition: str = attrs.field(validator=v.pattern(r"[a-z0-9][a-z0-9_+\-]{0,39}", "an edition id"))
    school_year: int = attrs.field(validator=v.integer(min_value=1990, max_value=2100))
    money_year: int | None = attrs.field(
        validator=v.optional(v.integer(min_value=1990, max_value=2100))
    )
    programmes: tuple[str, ...] = attrs.field(validator=v.tuple_of(v.IDENTIFIER, min_length=1))
    totals: tuple[Total, ...] = attrs.field(validator=v.tuple_of(v.typed(Total)))
    durations_months: tuple[Bin, ...] = attrs.field(validator=_histogram)
    referral_to_review_days: tuple[Bin, ...] = attrs.field(validator=_histogram)
    edition_digest: str | None = attrs.field(
        default=None, validator=v.optional(v.pattern(r"[0-9a-f]{16}", "16 hex digits"))
    )

    def __attrs_post_init__(self) -> None:
        check_synthesis(self)
        shipped = EDITIONS.get(self.edition)
        if shipped is not None and self.edition_digest in (None, shipped.digest):
            check_synthesis_codes(self, shipped)

    def check_codes(self, survey: SurveyEdition) -> None:
        """Check the codes of every total against the edition's lists.

        Done on construction for a shipped edition, and by :meth:`figures` with the
        edition it is given.

        Raises:
            InvalidValue: naming the total (``totals[12].key``) and the codes accepted.
        """
        check_synthesis_codes(self, survey)

    @classmethod
    def of(cls, ret: PreReturn, *, survey: SurveyEdition | None = None) -> Synthesis:
        """The synthesis of one return (``survey``: its edition, if not a shipped one)."""
        if not isinstance(ret, PreReturn):
            raise InvalidValue("Synthesis", "return", ret, "a PreReturn")
        ed = _edition(ret.edition, survey)
        check_return_codes(ret, ed)
        return cls(
            edition=ret.edition,
            edition_digest=ed.digest,
            school_year=ret.school_year,
            money_year=None if ret.money is None else ret.money.year,
            programmes=(ret.programme_id,),
            totals=_frozen(_return_totals(ret, ed)),
            durations_months=ret.pathways.durations_months,
            referral_to_review_days=ret.governance.referral_to_review_days,
        )

    def merge(self, other: Synthesis) -> Synthesis:
        """The synthesis of the returns of both (exact; neither is changed).

        Raises:
            InvalidValue: if the other is of another edition, school year or money year,
                or counts a programme this one counts.
        """
        if not isinstance(other, Synthesis):
            raise InvalidValue("Synthesis", "merge", other, "a Synthesis")
        for name in ("edition", "school_year"):
            if getattr(self, name) != getattr(other, name):
                raise InvalidValue(
                    "Synthesis.merge", name, getattr(other, name), f"{getattr(self, name)!r}"
                )
        digests = {self.edition_digest, other.edition_digest} - {None}
        if len(digests) > 1:
            raise InvalidValue(
                "Synthesis.merge",
                "edition_digest",
                other.edition_digest,
                f"{self.edition_digest!r}: returns built with two editions named {self.edition!r}",
            )
        years = {self.money_year, other.money_year} - {None}
        if len(years) > 1:
            raise InvalidValue(
                "Synthesis.merge", "money_year", other.money_year, f"{self.money_year!r}"
            )
        twice = set(self.programmes) & set(other.programmes)
        if twice:
            raise InvalidValue(
                "Synthesis.merge",
                "programmes",
                sorted(twice),
                "returns of other programmes (each PRE is counted once)",
            )
        totals = self.counter()
        totals.update(other.counter())
        return Synthesis(
            edition=self.edition,
            edition_digest=digests.pop() if digests else None,
            school_year=self.school_year,
            money_year=years.pop() if years else None,
            programmes=tuple(sorted((*self.programmes, *other.programmes))),
            totals=_frozen(totals),
            durations_months=_frozen_bins(
                histogram(self.durations_months) + histogram(other.durations_months)
            ),
            referral_to_review_days=_frozen_bins(
                histogram(self.referral_to_review_days) + histogram(other.referral_to_review_days)
            ),
        )

    def counter(self) -> Counter[str]:
        """The totals as a ``Counter`` (key → sum)."""
        return Counter({t.key: t.n for t in self.totals})

    def total(self, key: str) -> int:
        """One total (0 when nothing was summed under ``key``)."""
        return next((t.n for t in self.totals if t.key == key), 0)

    def answered(self, item: str) -> int:
        """How many PREs answered an item of :data:`ITEMS`.

        Raises:
            InvalidValue: naming the items when there is no such one.
        """
        if item not in ITEMS:
            raise InvalidValue("Synthesis", "item", item, f"one of {', '.join(ITEMS)}")
        return self.total(f"answered.{item}")

    def figures(self, *, survey: SurveyEdition | None = None) -> tuple[NationalFigure, ...]:
        """Every figure of the synthesis, in the survey's block order.

        ``survey``: the edition, when the returns used one that is not shipped.
        """
        ed = _edition(self.edition, survey)
        if survey is not None or self.edition_digest not in (None, ed.digest):
            check_synthesis_codes(self, ed)
        return _figures(self, ed)

    def figure(self, figure_id: str, *, survey: SurveyEdition | None = None) -> NationalFigure:
        """One figure by id.

        Raises:
            InvalidValue: naming the ids when there is no such figure.
        """
        for f in self.figures(survey=survey):
            if f.id == figure_id:
                return f
        raise InvalidValue("Synthesis", "figure", figure_id, "the id of a figure of figures()")

    def to_text(self, *, survey: SurveyEdition | None = None) -> str:
        """The synthesis in French, block by block (``survey``: a custom edition)."""
        from ._render import synthesis_text

        return synthesis_text(self, survey=survey)

    def to_csv(self, *, survey: SurveyEdition | None = None) -> str:
        """The figures as CSV (``;``), one row per figure (``survey``: a custom edition)."""
        from ._render import synthesis_csv

        return synthesis_csv(self, survey=survey)


def synthesise(
    returns: Iterable[PreReturn | Synthesis],
    *,
    survey: SurveyEdition | None = None,
    progress: Callable[[int], None] | None = None,
) -> Synthesis:
    """The national synthesis of ``returns`` (returns or partial syntheses, any order).

    Raises:
        InvalidValue: if there is no return, an item is neither a return nor a synthesis,
            or two disagree on edition, school year or money year.
    """
    result: Synthesis | None = None
    for count, item in enumerate(returns, start=1):
        part = item if isinstance(item, Synthesis) else Synthesis.of(item, survey=survey)
        result = part if result is None else result.merge(part)
        if progress is not None:
            progress(count)
    if result is None:
        raise InvalidValue("synthesise", "returns", (), "at least one return")
    return result


# --- the figures -------------------------------------------------------------------------


def _share(num: int, den: int) -> float | None:
    return 100 * num / den if den else None


def _ratio(num: int, den: int, scale: float = 1.0) -> float | None:
    return num / den / scale if den else None


def _median(bins: tuple[Bin, ...]) -> float | None:
    count = sum(b.n for b in bins)
    if not count:
        return None
    middle = ((count - 1) // 2, count // 2)
    found: list[int] = []
    seen = 0
    for b in bins:
        seen += b.n
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(b.value)
    return (found[0] + found[1]) / 2


def _figures(s: Synthesis, ed: SurveyEdition) -> tuple[NationalFigure, ...]:
    t = s.counter()
    out: list[NationalFigure] = []

    def add(
        id_: str,
        block: int,
        label: str,
        unit: str,
        value: int | float | None,
        num: int | None = None,
        den: int | None = None,
        item: str | None = None,
    ) -> None:
        answered = None if item is None else t[f"answered.{item}"]
        out.append(
            NationalFigure(
                id=id_,
                block=block,
                label_fr=label,
                unit=unit,
                value=value,
                numerator=num,
                denominator=den,
                answered=answered,
            )
        )

    def share(
        id_: str, block: int, label: str, num: int, den: int, item: str | None = None
    ) -> None:
        """A share in %, with its terms (``num`` over ``den``)."""
        add(id_, block, label, "%", _share(num, den), num, den, item)

    # 0. the PREs
    add("pres_returned", 0, "PRE ayant transmis une fiche", "PRE", t["pres.returned"])
    add("pres_active", 0, "PRE actifs à la date de référence", "PRE", t["pres.active"])
    add(
        "pres_answering_money",
        0,
        "PRE ayant répondu au bloc financier",
        "PRE",
        t["answered.money"],
        item="money",
    )
    # 1. identity
    carriers = t["answered.identity.carrier"]
    for c in ed.carriers:
        n = t[f"carrier.{c.code}"]
        share(
            f"carrier.{c.code}",
            1,
            f"Portage : {c.label_fr}",
            n,
            carriers,
            "identity.carrier",
        )
    qpv_pres = t["answered.identity.qpv_count"]
    add(
        "qpv_per_pre",
        1,
        "Quartiers prioritaires par PRE (moyenne)",
        "QPV",
        _ratio(t["qpv"], qpv_pres),
        t["qpv"],
        qpv_pres,
        "identity.qpv_count",
    )
    add(
        "outside_priority_geography",
        1,
        "PRE hors géographie prioritaire",
        "PRE",
        t["outside_priority_geography"],
        item="identity.outside_priority_geography",
    )
    # 2. schools
    total_schools = 0
    for c in ed.school_levels:
        n = t[f"schools.{c.code}"]
        total_schools += n
        add(f"schools.{c.code}", 2, c.label_fr, "établissements", n, item="schools")
    add(
        "schools",
        2,
        "Établissements couverts (total)",
        "établissements",
        total_schools,
        item="schools",
    )
    # 3. partners and governance
    partners = t["answered.governance.partners"]
    for c in ed.partners:
        n = t[f"partners.{c.code}"]
        share(
            f"partners.{c.code}",
            3,
            f"PRE ayant pour partenaire : {c.label_fr}",
            n,
            partners,
            "governance.partners",
        )
    add(
        "eps",
        3,
        "Équipes pluridisciplinaires de soutien (EPS)",
        "EPS",
        t["eps"],
        item="governance.eps",
    )
    add(
        "eps_meetings",
        3,
        "Réunions d'EPS dans l'année",
        "réunions",
        t["eps_meetings"],
        item="governance.eps_meetings",
    )
    add(
        "eps_meetings_per_eps",
        3,
        "Réunions par EPS (moyenne)",
        "réunions",
        _ratio(t["eps_meetings.joint"], t["eps_meetings.joint_eps"]),
        t["eps_meetings.joint"],
        t["eps_meetings.joint_eps"],
        "governance.eps_meetings",
    )
    delays = s.referral_to_review_days
    days = sum(b.value * b.n for b in delays)
    admitted = sum(b.n for b in delays)
    add(
        "delay_referral_to_review_mean",
        3,
        "Délai moyen orientation → examen en EPS",
        "jours",
        _ratio(days, admitted),
        days,
        admitted,
        "governance.delay",
    )
    add(
        "delay_referral_to_review_median",
        3,
        "Délai médian orientation → examen en EPS",
        "jours",
        _median(delays),
        None,
        admitted,
        "governance.delay",
    )
    # 4. children
    supported, in_pathway = t["children.supported"], t["children.supported.in_pathway"]
    answering_children = t["answered.children.collective_only"]
    add(
        "children_supported",
        4,
        "Enfants accompagnés",
        "enfants",
        supported,
        item="children.collective_only",
    )
    share(
        "children_in_pathway_share",
        4,
        "dont en parcours personnalisé",
        in_pathway,
        supported,
        "children.collective_only",
    )
    add(
        "children_collective_only",
        4,
        "dont en actions collectives seulement",
        "enfants",
        supported - in_pathway,
        item="children.collective_only",
    )
    add(
        "children_per_pre",
        4,
        "Enfants accompagnés par PRE (moyenne)",
        "enfants",
        _ratio(supported, answering_children),
        supported,
        answering_children,
        "children.collective_only",
    )
    followed = t["children.in_pathway"]
    add("children_in_pathway", 4, "Enfants en parcours (toutes les fiches)", "enfants", followed)
    for prefix, title, codes in (
        (
            "sex",
            "Enfants en parcours selon le sexe",
            [("F", "filles"), ("M", "garçons"), ("U", "sexe non renseigné")],
        ),
        (
            "age",
            "Enfants en parcours selon l'âge à l'orientation",
            [(b.code, b.label_fr) for b in ed.age_bands] + [("hors_tranches", "hors tranches")],
        ),
    ):
        for code, label in codes:
            n = t[f"children.{prefix}.{code}"]
            if n or code not in ("hors_tranches", "U"):
                share(
                    f"children_by_{prefix}.{code}",
                    4,
                    f"{title} : {label}",
                    n,
                    followed,
                )
    for key in sorted(k for k in t if k.startswith("children.source.")):
        code = key.rsplit(".", 1)[1]
        share(
            f"children_by_source.{code}",
            4,
            f"Enfants en parcours orientés par : {_SOURCES.get(code, code)}",
            t[key],
            followed,
        )
    # 5. pathways
    add("entries", 5, "Entrées en parcours dans l'année", "parcours", t["pathways.entries"])
    add("exits", 5, "Sorties de parcours dans l'année", "parcours", t["pathways.exits"])
    for key in sorted(k for k in t if k.startswith("exits.")):
        code = key.split(".", 1)[1]
        share(
            f"exits_by_reason.{code}",
            5,
            f"Sorties selon le motif : {_REASONS.get(code, code)}",
            t[key],
            t["pathways.exits"],
        )
    durations = s.durations_months
    months = sum(b.value * b.n for b in durations)
    finished = sum(b.n for b in durations)
    add(
        "duration_mean",
        5,
        "Durée moyenne des parcours finis",
        "mois",
        _ratio(months, finished),
        months,
        finished,
        "pathways.durations",
    )
    add(
        "duration_median",
        5,
        "Durée médiane des parcours finis",
        "mois",
        _median(durations),
        None,
        finished,
        "pathways.durations",
    )
    # 6. staff
    posts = sum(t[f"staff.posts.{f.code}"] for f in ed.staff_functions)
    fte = sum(t[f"staff.fte.{f.code}"] for f in ed.staff_functions)
    add("posts", 6, "Postes", "postes", posts, item="staff")
    add("fte", 6, "Équivalents temps plein", "ETP", fte / 100, fte, 100, "staff")
    for function in ed.staff_functions:
        f_code, f_label = function.code, function.label_fr
        add(
            f"posts.{f_code}",
            6,
            f"Postes : {f_label}",
            "postes",
            t[f"staff.posts.{f_code}"],
            item="staff",
        )
        add(
            f"fte.{f_code}",
            6,
            f"ETP : {f_label}",
            "ETP",
            t[f"staff.fte.{f_code}"] / 100,
            t[f"staff.fte.{f_code}"],
            100,
            "staff",
        )
    ref_fte = t["staff.all.fte.referent"]
    add(
        "children_per_referent_fte",
        6,
        "Enfants en parcours par ETP de référent",
        "enfants",
        _ratio(followed * 100, ref_fte),
        followed * 100,
        ref_fte,
    )
    # 7. money
    money = t["answered.money"]
    direct = sum(t[f"money.direct.{f.code}"] for f in ed.funders)
    in_kind = sum(t[f"money.in_kind.giver.{f.code}"] for f in ed.funders)
    state = sum(t[f"money.direct.{f.code}"] for f in ed.funders if f.state)
    pv = sum(t[f"money.direct.{f.code}"] for f in ed.funders if f.politique_de_la_ville)
    add("direct_funding", 7, "Financements directs", "€", direct / 100, direct, 100, "money")
    for f in ed.funders:
        n = t[f"money.direct.{f.code}"]
        add(
            f"direct_funding.{f.code}",
            7,
            f"Financements directs : {f.label_fr}",
            "€",
            n / 100,
            n,
            100,
            "money",
        )
        share(
            f"direct_funding_share.{f.code}",
            7,
            f"Part : {f.label_fr}",
            n,
            direct,
            "money",
        )
    share(
        "state_share",
        7,
        "Part de l'État (tous crédits)",
        state,
        direct,
        "money",
    )
    share(
        "co_funding_rate",
        7,
        "Taux de cofinancement (hors politique de la ville, global)",
        direct - pv,
        direct,
        "money",
    )
    ppm, rated = t["money.co_funding.ppm"], t["money.co_funding.pres"]
    add(
        "co_funding_rate_mean",
        7,
        "Taux de cofinancement moyen des PRE",
        "%",
        _ratio(ppm, rated, PPM / 100),
        ppm,
        rated * PPM,
        "money",
    )
    for f in ed.funders:
        n = t[f"money.pres_with.{f.code}"]
        share(
            f"pres_with.{f.code}",
            7,
            f"PRE recevant des financements : {f.label_fr}",
            n,
            money,
            "money",
        )
    add(
        "in_kind",
        7,
        "Contributions en nature valorisées",
        "€",
        in_kind / 100,
        in_kind,
        100,
        "money",
    )
    for f in ed.funders:
        n = t[f"money.in_kind.giver.{f.code}"]
        add(f"in_kind.{f.code}", 7, f"En nature : {f.label_fr}", "€", n / 100, n, 100, "money")
        share(
            f"in_kind_share.{f.code}",
            7,
            f"Part en nature : {f.label_fr}",
            n,
            in_kind,
            "money",
        )
    for k in ed.in_kind_types:
        n = t[f"money.in_kind.type.{k.code}"]
        add(f"in_kind_type.{k.code}", 7, f"En nature : {k.label_fr}", "€", n / 100, n, 100, "money")
    add(
        "total_per_pre",
        7,
        "Budget moyen par PRE (direct et en nature)",
        "€",
        _ratio(direct + in_kind, money, 100),
        direct + in_kind,
        money * 100,
        "money",
    )
    add(
        "direct_per_pre",
        7,
        "Financements directs par PRE (moyenne)",
        "€",
        _ratio(direct, money, 100),
        direct,
        money * 100,
        "money",
    )
    children, joint_direct = t["money.joint.children"], t["money.joint.direct"]
    joint_all = joint_direct + t["money.joint.in_kind"]
    add(
        "cost_per_child",
        7,
        "Coût par enfant accompagné (financements directs)",
        "€",
        _ratio(joint_direct, children, 100),
        joint_direct,
        children * 100,
        "money",
    )
    add(
        "cost_per_child_with_in_kind",
        7,
        "Coût par enfant accompagné (avec l'en nature)",
        "€",
        _ratio(joint_all, children, 100),
        joint_all,
        children * 100,
        "money",
    )
    return tuple(out)
