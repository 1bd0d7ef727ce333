"""The yearly return of one PRE to the State's survey (*enquête annuelle de suivi*).

A :class:`PreReturn` is one programme's answer for one school year (children, activity)
and one calendar year (money), in the survey's blocks. What the library knows it computes
(from the pathways through :func:`reussite.annual_report`, from the programme's referents
and from the ledger's :class:`~reussite.budget.BudgetSummary`); the rest the PRE declares
in a :class:`Declared` value, checked against the survey edition's lists.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from .. import _validate as v
from ..budget import BudgetSummary, FundingCategory, Nature, Side
from ..calendar import age_on
from ..codes import ExitReason, ReferralSource, Sex
from ..errors import InvalidValue
from ..indicators import annual_report
from ..pathway import Pathway
from ..periods import SchoolYear
from ..programme import Programme
from ._editions import EDITIONS, OUTSIDE_BANDS, SurveyEdition, check_edition_of, edition

__all__ = [
    "Bin",
    "Children",
    "Count",
    "Declared",
    "DeclaredPost",
    "Governance",
    "Identity",
    "InKind",
    "Money",
    "PartnerRoles",
    "PathwaysBlock",
    "PreReturn",
    "Staff",
    "build_return",
    "check_return_codes",
    "referent_fte_hundredths",
]

_COUNT = v.integer(min_value=0)
_EDITION_ID = v.pattern(r"[a-z0-9][a-z0-9_+\-]{0,39}", "an edition id")
_SEXES = tuple(m.value for m in Sex)
_SOURCES = tuple(m.value for m in ReferralSource)
_REASONS = tuple(m.value for m in ExitReason)
_CODE = v.pattern(r"[A-Za-z0-9][A-Za-z0-9_+\-]{0,39}", "a code")


def _items(cls: type, key: Callable[[Any], object] | None = None, what: str = "codes") -> Any:
    """A validator: a tuple of ``cls`` values, each ``key`` once; errors name the item."""

    def check(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
        owner = type(inst).__name__
        if not isinstance(value, tuple):
            raise InvalidValue(owner, attr.name, value, f"a tuple of {cls.__name__}")
        seen: set[object] = set()
        for index, item in enumerate(value):
            if not isinstance(item, cls):
                raise InvalidValue(owner, f"{attr.name}[{index}]", item, f"a {cls.__name__}")
            if key is not None:
                k = key(item)
                if k in seen:
                    raise InvalidValue(
                        owner, f"{attr.name}[{index}]", k, f"distinct {what} ({k!r} appears twice)"
                    )
                seen.add(k)

    return check


def _code(item: Any) -> object:
    return item.code


def _counts_of(
    owner: str, field: str, counts: tuple[Any, ...], allowed: Iterable[str], what: str
) -> None:
    """Each ``counts[i].code`` among ``allowed`` (naming the item and the accepted codes)."""
    known = tuple(allowed)
    for index, c in enumerate(counts):
        if c.code not in known:
            raise InvalidValue(
                owner, f"{field}[{index}].code", c.code, f"{what}: {', '.join(known)}"
            )


def _adds_up(owner: str, field: str, counts: tuple[Count, ...], total: int, of: str) -> None:
    found = sum(c.n for c in counts)
    if counts and found != total:
        raise InvalidValue(owner, field, found, f"counts adding up to {of} ({total})")


@attrs.frozen(kw_only=True)
class Count:
    """A count (or an amount) for one category code: ``{"code": "2-5", "n": 14}``."""

    code: str = attrs.field(validator=_CODE)
    n: int = attrs.field(validator=_COUNT)


@attrs.frozen(kw_only=True)
class Bin:
    """One bar of a histogram: how many (``n``) measured ``value`` (days, months)."""

    value: int = attrs.field(validator=_COUNT)
    n: int = attrs.field(validator=v.integer(min_value=1))


def _histogram(inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
    """A validator: :class:`Bin` s in strictly increasing order of value (one bar each)."""
    _items(Bin)(inst, attr, value)
    for index in range(1, len(value)):
        if value[index].value <= value[index - 1].value:
            raise InvalidValue(
                type(inst).__name__,
                f"{attr.name}[{index}].value",
                value[index].value,
                f"a value above the previous bar's ({value[index - 1].value})",
            )


def _counts(items: Iterable[tuple[str, int]]) -> tuple[Count, ...]:
    return tuple(Count(code=c, n=n) for c, n in items)


def _bins(histogram: Counter[int]) -> tuple[Bin, ...]:
    return tuple(Bin(value=k, n=n) for k, n in sorted(histogram.items()) if n)


def histogram(bins: Iterable[Bin]) -> Counter[int]:
    """The :class:`Bin` s as a ``Counter`` (value → how many)."""
    result: Counter[int] = Counter()
    for b in bins:
        result[b.value] += b.n
    return result


@attrs.frozen(kw_only=True)
class PartnerRoles:
    """A partner of the PRE (edition code) and the roles it holds (edition codes)."""

    partner: str = attrs.field(validator=_CODE)
    roles: tuple[str, ...] = attrs.field(
        validator=v.all_of(v.tuple_of(_CODE, min_length=1), v.unique(lambda r: r, "roles"))
    )


@attrs.frozen(kw_only=True)
class DeclaredPost:
    """Posts and full-time equivalent of one staff function, as the PRE declares them.

    ``fte`` is in hundredths of a full-time post (``150`` for 1.5 FTE): exact sums.
    """

    function: str = attrs.field(validator=_CODE)
    posts: int = attrs.field(validator=v.integer(min_value=0, max_value=100_000))
    fte_hundredths: int = attrs.field(validator=_COUNT)

    def __attrs_post_init__(self) -> None:
        if self.fte_hundredths > 100 * self.posts:
            raise InvalidValue(
                "DeclaredPost",
                "fte_hundredths",
                self.fte_hundredths,
                f"at most one full-time post per post: {100 * self.posts} for {self.posts}"
                " post(s) (an FTE needs a post)",
            )


@attrs.frozen(kw_only=True)
class Declared:
    """What a PRE declares in its return: what the library cannot know from its data.

    Every field is optional but ``active``: ``None`` means *not answered*, and the
    synthesis then leaves the PRE out of that item's denominator. Codes are checked
    against the survey edition's lists by :func:`build_return`.

    Attributes:
        carrier: the legal carrier (*portage*), a code of the edition's ``carriers``.
        active: whether the PRE was active at the reference date (June of the survey).
        communes: INSEE codes of the communes covered (default: the programme's).
        qpv_count: priority neighbourhoods (QPV) covered.
        outside_priority_geography: whether the PRE lies outside the priority geography.
        schools: schools covered by level (codes of ``school_levels``).
        partners: partners and their roles (codes of ``partners`` / ``partner_roles``).
        eps: number of support teams (*EPS*).
        eps_meetings: EPS meetings held in the school year (all teams).
        children_collective_only: children in collective actions only (no pathway).
        posts: posts and FTE of the functions not computed (coordination, other).
    """

    carrier: str | None = attrs.field(default=None, validator=v.optional(_CODE))
    active: bool = attrs.field(default=True, validator=v.typed(bool))
    communes: tuple[str, ...] | None = attrs.field(
        default=None,
        validator=v.optional(v.tuple_of(v.pattern(r"[0-9][0-9AB][0-9]{3}", "an INSEE code"))),
    )
    qpv_count: int | None = attrs.field(default=None, validator=v.optional(_COUNT))
    outside_priority_geography: bool | None = attrs.field(
        default=None, validator=v.optional(v.typed(bool))
    )
    schools: tuple[Count, ...] | None = attrs.field(
        default=None, validator=v.optional(_items(Count, _code, "school levels"))
    )
    partners: tuple[PartnerRoles, ...] | None = attrs.field(
        default=None,
        validator=v.optional(_items(PartnerRoles, lambda p: p.partner, "partners")),
    )
    eps: int | None = attrs.field(default=None, validator=v.optional(_COUNT))
    eps_meetings: int | None = attrs.field(default=None, validator=v.optional(_COUNT))
    children_collective_only: int | None = attrs.field(default=None, validator=v.optional(_COUNT))
    posts: tuple[DeclaredPost, ...] | None = attrs.field(
        default=None,
        validator=v.optional(_items(DeclaredPost, lambda p: p.function, "functions")),
    )

    def __attrs_post_init__(self) -> None:
        if self.eps_meetings and not self.eps:
            raise InvalidValue(
                "Declared", "eps", self.eps, "at least one EPS when EPS meetings are declared"
            )


@attrs.frozen(kw_only=True)
class Identity:
    """Block 1, identity (*identification*): carrier, activity, territory."""

    carrier: str | None = attrs.field(validator=v.optional(_CODE))
    active: bool = attrs.field(validator=v.typed(bool))
    communes: tuple[str, ...] = attrs.field(
        validator=v.all_of(
            v.tuple_of(v.pattern(r"[0-9][0-9AB][0-9]{3}", "an INSEE code")),
            v.unique(lambda c: c, "communes"),
        )
    )
    qpv_count: int | None = attrs.field(validator=v.optional(_COUNT))
    outside_priority_geography: bool | None = attrs.field(validator=v.optional(v.typed(bool)))


@attrs.frozen(kw_only=True)
class Governance:
    """Block 3, partners and governance; the delay to the EPS review is computed.

    ``referral_to_review_days``: days from referral to the EPS entry decision, for the
    admissions dated in the school year (a histogram: means and medians merge exactly).
    """

    partners: tuple[PartnerRoles, ...] | None = attrs.field(
        validator=v.optional(_items(PartnerRoles, lambda p: p.partner, "partners"))
    )
    eps: int | None = attrs.field(validator=v.optional(_COUNT))
    eps_meetings: int | None = attrs.field(validator=v.optional(_COUNT))
    referral_to_review_days: tuple[Bin, ...] = attrs.field(validator=_histogram)

    def __attrs_post_init__(self) -> None:
        if self.eps_meetings and not self.eps:
            raise InvalidValue(
                "Governance", "eps", self.eps, "at least one EPS when EPS meetings are declared"
            )


@attrs.frozen(kw_only=True)
class Children:
    """Block 4, children supported in the school year.

    ``in_pathway`` is the annual report's *enfants suivis* (a child with a pathway
    admitted by the EPS and followed in the year); the breakdowns are over them.
    """

    in_pathway: int = attrs.field(validator=_COUNT)
    collective_only: int | None = attrs.field(validator=v.optional(_COUNT))
    by_sex: tuple[Count, ...] = attrs.field(validator=_items(Count, _code))
    by_age_band: tuple[Count, ...] = attrs.field(validator=_items(Count, _code))
    by_referral_source: tuple[Count, ...] = attrs.field(validator=_items(Count, _code))

    def __attrs_post_init__(self) -> None:
        _counts_of("Children", "by_sex", self.by_sex, _SEXES, "a sex code")
        _counts_of(
            "Children", "by_referral_source", self.by_referral_source, _SOURCES, "a referral source"
        )
        for name in ("by_sex", "by_age_band", "by_referral_source"):
            counts = getattr(self, name)
            if self.in_pathway and not counts:
                raise InvalidValue(
                    "Children", name, counts, "a breakdown of the children in pathway"
                )
            _adds_up("Children", name, counts, self.in_pathway, "in_pathway")

    @property
    def supported(self) -> int | None:
        """Children supported: in a pathway or in collective actions only.

        ``None`` when the latter was not answered.
        """
        if self.collective_only is None:
            return None
        return self.in_pathway + self.collective_only


@attrs.frozen(kw_only=True)
class PathwaysBlock:
    """Block 5, pathways: entries and exits in the year, durations of finished pathways."""

    entries: int = attrs.field(validator=_COUNT)
    exits: int = attrs.field(validator=_COUNT)
    exits_by_reason: tuple[Count, ...] = attrs.field(validator=_items(Count, _code))
    durations_months: tuple[Bin, ...] = attrs.field(validator=_histogram)

    def __attrs_post_init__(self) -> None:
        _counts_of(
            "PathwaysBlock", "exits_by_reason", self.exits_by_reason, _REASONS, "an exit reason"
        )
        if self.exits and not self.exits_by_reason:
            raise InvalidValue(
                "PathwaysBlock", "exits_by_reason", (), "a breakdown of the exits by reason"
            )
        _adds_up("PathwaysBlock", "exits_by_reason", self.exits_by_reason, self.exits, "exits")
        finished = sum(b.n for b in self.durations_months)
        if finished > self.exits:
            raise InvalidValue(
                "PathwaysBlock",
                "durations_months",
                finished,
                f"at most one duration per exit ({self.exits})",
            )


@attrs.frozen(kw_only=True)
class Staff:
    """Block 6, staff: posts and FTE (hundredths) by function, the referents computed.

    ``declared`` says whether the other functions were answered; when they were not,
    only the referents' line is known and the synthesis leaves the PRE out of the totals.
    """

    posts: tuple[Count, ...] = attrs.field(validator=_items(Count, _code))
    fte_hundredths: tuple[Count, ...] = attrs.field(validator=_items(Count, _code))
    declared: bool = attrs.field(validator=v.typed(bool))

    def __attrs_post_init__(self) -> None:
        codes = [c.code for c in self.posts]
        if [c.code for c in self.fte_hundredths] != codes:
            raise InvalidValue(
                "Staff",
                "fte_hundredths",
                [c.code for c in self.fte_hundredths],
                f"the functions of posts, in the same order ({', '.join(codes)})",
            )
        if "referent" not in codes:
            raise InvalidValue("Staff", "posts", codes, 'a line for the "referent" function')
        for index, (post, fte) in enumerate(zip(self.posts, self.fte_hundredths, strict=True)):
            if fte.n > 100 * post.n:
                raise InvalidValue(
                    "Staff",
                    f"fte_hundredths[{index}].n",
                    fte.n,
                    f"at most {100 * post.n} for {post.n} post(s) (one FTE per post)",
                )
            if not self.declared and post.code != "referent" and (post.n or fte.n):
                raise InvalidValue(
                    "Staff",
                    f"posts[{index}].n",
                    post.n,
                    "0 when the other functions were not declared (declared: false)",
                )


@attrs.frozen(kw_only=True)
class InKind:
    """An in-kind contribution of the calendar year: its type, its giver, its valuation."""

    type: str = attrs.field(validator=_CODE)
    giver: str = attrs.field(validator=_CODE)
    cents: int = attrs.field(validator=_COUNT)


@attrs.frozen(kw_only=True)
class Money:
    """Block 7, money of the calendar year, in cents.

    Direct funding by funder, in kind by type and giver; ``unclassified_lines`` counts the
    cash receipts no rule classified (filed under the edition's catch-all funder).
    """

    year: int = attrs.field(validator=v.integer(min_value=1990, max_value=2100))
    direct: tuple[Count, ...] = attrs.field(validator=_items(Count, _code, "funders"))
    in_kind: tuple[InKind, ...] = attrs.field(
        validator=_items(InKind, lambda k: (k.type, k.giver), "(type, giver) pairs")
    )
    unclassified_lines: int = attrs.field(default=0, validator=_COUNT)

    @property
    def direct_cents(self) -> int:
        """Total direct (cash) funding."""
        return sum(c.n for c in self.direct)

    @property
    def in_kind_cents(self) -> int:
        """Total valued in-kind contributions."""
        return sum(c.cents for c in self.in_kind)

    def funder_cents(self, code: str) -> int:
        """Direct funding from one funder of the edition (0 when none)."""
        return sum(c.n for c in self.direct if c.code == code)


@attrs.frozen(kw_only=True)
class PreReturn:
    """The yearly return of one PRE, in the survey's blocks (*fiche de l'enquête annuelle*).

    Built by :func:`build_return`; read and written losslessly as JSON with
    :func:`reussite.serialization.dumps` / :func:`~reussite.serialization.loads`; printed
    by :meth:`to_text` and :meth:`to_csv`.

    Attributes:
        edition: the survey edition's id (its lists give the codes' meaning).
        programme_id: the programme's id.
        programme_name: its name.
        school_year: the school year of children and activity (start year: 2014 is
            2014/2015).
        identity, schools, governance, children, pathways, staff, money: the blocks;
            ``schools`` and ``money`` are ``None`` when not answered.
    """

    edition: str = attrs.field(validator=_EDITION_ID)
    programme_id: str = attrs.field(validator=v.IDENTIFIER)
    programme_name: str = attrs.field(validator=v.text(max_length=300))
    school_year: int = attrs.field(validator=v.integer(min_value=1990, max_value=2100))
    identity: Identity = attrs.field(validator=v.typed(Identity))
    schools: tuple[Count, ...] | None = attrs.field(
        validator=v.optional(_items(Count, _code, "school levels"))
    )
    governance: Governance = attrs.field(validator=v.typed(Governance))
    children: Children = attrs.field(validator=v.typed(Children))
    pathways: PathwaysBlock = attrs.field(validator=v.typed(PathwaysBlock))
    staff: Staff = attrs.field(validator=v.typed(Staff))
    money: Money | None = attrs.field(validator=v.optional(v.typed(Money)))
    edition_digest: str | None = attrs.field(
        default=None, validator=v.optional(v.pattern(r"[0-9a-f]{16}", "16 hex digits"))
    )

    def __attrs_post_init__(self) -> None:
        shipped = EDITIONS.get(self.edition)
        if shipped is not None and self.edition_digest in (None, shipped.digest):
            self.check_codes(shipped)

    def check_codes(self, survey: SurveyEdition) -> None:
        """Check every code of the return against its edition's lists.

        Done on construction for a shipped edition; :meth:`Synthesis.of
        <reussite.national.Synthesis.of>` does it with the edition it is given.

        Raises:
            InvalidValue: naming the field path (``money.direct[3].code``) and the codes
                accepted, or the edition when it is not the one the return was built with.
        """
        check_return_codes(self, survey)

    def to_text(
        self, *, suppress_below: int | None = None, survey: SurveyEdition | None = None
    ) -> str:
        """The return in French, block by block (see :mod:`reussite.national`).

        ``suppress_below``: mask the counts of children from 1 to ``k - 1`` (and what
        would let one be recomputed), for publication; ``survey``: the edition, when it
        is not a shipped one.
        """
        from ._render import return_text

        return return_text(self, suppress_below=suppress_below, survey=survey)

    def to_csv(
        self, *, suppress_below: int | None = None, survey: SurveyEdition | None = None
    ) -> str:
        """The return as CSV (``;``), one row per answer, in block order."""
        from ._render import return_csv

        return return_csv(self, suppress_below=suppress_below, survey=survey)


def check_return_codes(ret: PreReturn, survey: SurveyEdition) -> None:
    """Check every code of ``ret`` against ``survey``'s lists (see :meth:`PreReturn.check_codes`).

    Raises:
        InvalidValue: owner ``PreReturn``, the field path, the codes accepted.
    """
    owner = "PreReturn"
    check_edition_of(owner, ret.edition, ret.edition_digest, survey)

    def known(list_name: str) -> tuple[str, ...]:
        return survey.codes(list_name)

    def one(field: str, code: str, list_name: str, codes: tuple[str, ...] | None = None) -> None:
        accepted = known(list_name) if codes is None else codes
        if code not in accepted:
            raise InvalidValue(
                owner, field, code, f"a code of {survey.id} {list_name}: {', '.join(accepted)}"
            )

    if ret.identity.carrier is not None:
        one("identity.carrier", ret.identity.carrier, "carriers")
    for index, c in enumerate(ret.schools or ()):
        one(f"schools[{index}].code", c.code, "school_levels")
    for index, p in enumerate(ret.governance.partners or ()):
        one(f"governance.partners[{index}].partner", p.partner, "partners")
        for j, role in enumerate(p.roles):
            one(f"governance.partners[{index}].roles[{j}]", role, "partner_roles")
    bands = (*known("age_bands"), OUTSIDE_BANDS)
    for index, c in enumerate(ret.children.by_age_band):
        one(f"children.by_age_band[{index}].code", c.code, "age_bands", bands)
    functions = known("staff_functions")
    for name in ("posts", "fte_hundredths"):
        codes = tuple(c.code for c in getattr(ret.staff, name))
        if codes != functions:
            raise InvalidValue(
                owner,
                f"staff.{name}",
                list(codes),
                f"one line per function of {survey.id}, in order: {', '.join(functions)}",
            )
    if ret.money is not None:
        for index, c in enumerate(ret.money.direct):
            one(f"money.direct[{index}].code", c.code, "funders")
        for index, k in enumerate(ret.money.in_kind):
            one(f"money.in_kind[{index}].type", k.type, "in_kind_types")
            one(f"money.in_kind[{index}].giver", k.giver, "funders")


def referent_fte_hundredths(
    programme: Programme, period: SchoolYear, *, until: dt.date | None = None
) -> int:
    """The referents' mean FTE over the school year, in hundredths (*ETP de référents*).

    Rule: each referent's dated FTE (joined, left, working time changed), day by day over
    ``period`` (to ``until``, the as-of date, if earlier), summed and divided by its days
    (:meth:`Programme.referent_fte_days`); undated referents give their declared FTE.

    >>> import attrs, datetime as dt, reussite as r
    >>> from reussite.serialization import load_cohort
    >>> with load_cohort(r.sample_path("cohort")) as cohort:
    ...     programme = cohort.programme
    >>> referents = (r.Referent(id="r1", name="A", fte=0.8), r.Referent(id="r2", name="B", fte=0.5))
    >>> referent_fte_hundredths(attrs.evolve(programme, referents=referents), SchoolYear(2014))
    130
    >>> half = r.Referent(id="r3", name="C", left_on=dt.date(2015, 3, 1))  # 182 days of 365
    >>> referent_fte_hundredths(attrs.evolve(programme, referents=(half,)), SchoolYear(2014))
    50
    """
    last = _last_day(period, until, "referent_fte_hundredths")
    if last < period.start:  # read before the year began: nobody in post in it yet
        return 0
    days = (last - period.start).days + 1
    fte = Decimal(repr(programme.referent_fte_days(period.start, last))) * 100 / days
    return int(fte.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _last_day(period: SchoolYear, until: object, owner: str) -> dt.date:
    """The school year's last day counted: its end, or ``until`` if earlier.

    Raises:
        InvalidValue: if ``until`` is neither a date nor ``None``.
    """
    if until is None:
        return period.end
    if type(until) is not dt.date:
        raise InvalidValue(owner, "until", until, "a datetime.date or None")
    return min(period.end, until)


def referent_posts(
    programme: Programme, period: SchoolYear, *, until: dt.date | None = None
) -> int:
    """The referents in post on some day of the school year (*postes de référents*).

    To ``until`` (the as-of date) if earlier.

    >>> import attrs, datetime as dt, reussite as r
    >>> gone = r.Referent(id="r1", name="A", left_on=dt.date(2014, 8, 31))
    >>> came = r.Referent(id="r2", name="B", joined_on=dt.date(2015, 8, 31))
    >>> from reussite.serialization import load_cohort
    >>> with load_cohort(r.sample_path("cohort")) as cohort:
    ...     programme = attrs.evolve(cohort.programme, referents=(gone, came))
    >>> referent_posts(programme, SchoolYear(2014))
    1
    >>> referent_posts(programme, SchoolYear(2014), until=dt.date(2015, 6, 30))  # not yet
    0
    >>> referent_fte_hundredths(programme, SchoolYear(2014), until=dt.date(2014, 6, 30))
    0
    >>> referent_posts(programme, SchoolYear(2014), until="2015-06-30")
    Traceback (most recent call last):
    ...
    reussite.errors.InvalidValue: referent_posts.until: expected a datetime.date or None, ...
    """
    last = _last_day(period, until, "referent_posts")
    return sum(1 for r in programme.referents if r.fte_days(period.start, last) > 0)


class _Observer:
    """Passes pathways through to the report, keeping what the report does not."""

    def __init__(self, ed: SurveyEdition, start: dt.date, last: dt.date) -> None:
        self.edition = ed
        self.start = start
        self.last = last
        self.band: dict[str, str] = {}
        self.delays: Counter[int] = Counter()

    def watch(self, pathways: Iterable[Pathway]) -> Iterator[Pathway]:
        band, delays, age_band = self.band, self.delays, self.edition.age_band
        start, last = self.start, self.last
        for p in pathways:
            if isinstance(p, Pathway):
                referral_on = p.referral.on
                band[p.id] = age_band(age_on(p.child.birth_date, referral_on))
                admission = p.admission
                if admission is not None and start <= admission.on <= last:
                    delays[(admission.on - referral_on).days] += 1
            yield p


def _check(declared: Declared, ed: SurveyEdition) -> None:
    """Every declared code in the edition's lists; errors name the field path."""

    def one(field: str, code: str, list_name: str, known: tuple[str, ...]) -> None:
        if code not in known:
            raise InvalidValue(
                "Declared", field, code, f"a code of {ed.id} {list_name}: {', '.join(known)}"
            )

    if declared.carrier is not None:
        one("carrier", declared.carrier, "carriers", ed.codes("carriers"))
    for index, c in enumerate(declared.schools or ()):
        one(f"schools[{index}].code", c.code, "school_levels", ed.codes("school_levels"))
    for index, p in enumerate(declared.partners or ()):
        one(f"partners[{index}].partner", p.partner, "partners", ed.codes("partners"))
        for j, role in enumerate(p.roles):
            one(f"partners[{index}].roles[{j}]", role, "partner_roles", ed.codes("partner_roles"))
    declarable = tuple(f.code for f in ed.staff_functions if not f.computed)
    for index, post in enumerate(declared.posts or ()):
        one(f"posts[{index}].function", post.function, "staff_functions (declared)", declarable)


def _money(summary: BudgetSummary, ed: SurveyEdition, year: int) -> Money:
    direct: Counter[str] = Counter()
    in_kind: Counter[tuple[str, str]] = Counter()
    unclassified = 0
    for c in summary.lines:
        line, cls = c.line, c.classification
        if line.side is not Side.FUNDING or line.amount_cents is None:
            continue
        if line.year is not None and line.year != year:
            raise InvalidValue(
                "build_return", "budget", line.year, f"lines of the calendar year {year} only"
            )
        category = cls.category
        if not isinstance(category, FundingCategory) or category is FundingCategory.COST_RECOVERY:
            continue
        if cls.nature is Nature.IN_KIND:
            kind = ed.in_kind_type_of(line.label)
            in_kind[(kind, ed.funder_of(category.value))] += line.amount_cents
        else:
            unclassified += not cls.classified
            direct[ed.funder_of(category.value)] += line.amount_cents
    order = ed.codes("funders")
    types = ed.codes("in_kind_types")
    return Money(
        year=year,
        direct=_counts((code, direct[code]) for code in order if direct[code]),
        in_kind=tuple(
            InKind(type=t, giver=g, cents=in_kind[(t, g)])
            for t in types
            for g in order
            if in_kind[(t, g)]
        ),
        unclassified_lines=unclassified,
    )


def build_return(
    pathways: Iterable[Pathway],
    programme: Programme,
    school_year: SchoolYear,
    *,
    declared: Declared | None = None,
    budget: BudgetSummary | None = None,
    money_year: int | None = None,
    survey: SurveyEdition | str = "anct-2021",
    as_of: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> PreReturn:
    """The return of ``programme`` for ``school_year``, from its pathways, in one pass.

    Rules (each written out in the how-to *national level*):

    - children in a pathway, their breakdowns, entries, exits by reason and durations
      are the annual report's (:func:`reussite.annual_report` over the school year, as of
      its last day unless ``as_of``); age bands are the edition's, at referral, of the
      pathway the report profiles each child by;
    - the delay to the EPS review is referral → EPS entry decision, in days, for the
      admissions dated in the school year;
    - referents: their number of posts and :func:`referent_fte_hundredths`, over the
      school year to ``as_of`` if earlier;
    - money: the ``budget`` summary's funding lines of ``money_year`` (default the
      calendar year the school year starts in): cash lines by the edition's funder,
      in-kind lines by type and giver; refunds are not funding.

    Raises:
        InvalidValue: a declared code not in the edition's lists (naming the field), a
            budget line of another year, an argument of the wrong type.
        InvalidInput: as :func:`reussite.annual_report`.
    """
    ed = edition(survey) if isinstance(survey, str) else survey
    if not isinstance(ed, SurveyEdition):
        raise InvalidValue("build_return", "survey", survey, "an edition id or a SurveyEdition")
    if not isinstance(programme, Programme):
        raise InvalidValue("build_return", "programme", programme, "a Programme")
    if not isinstance(school_year, SchoolYear):
        raise InvalidValue("build_return", "school_year", school_year, "a SchoolYear")
    declared = Declared() if declared is None else declared
    if not isinstance(declared, Declared):
        raise InvalidValue("build_return", "declared", declared, "a Declared or None")
    if budget is not None and not isinstance(budget, BudgetSummary):
        raise InvalidValue("build_return", "budget", budget, "a BudgetSummary or None")
    if money_year is not None and (type(money_year) is not int or not 1990 <= money_year <= 2100):
        raise InvalidValue("build_return", "money_year", money_year, "a year (1990-2100) or None")
    if as_of is not None and (type(as_of) is not dt.date):
        raise InvalidValue("build_return", "as_of", as_of, "a datetime.date or None")
    if progress is not None and not callable(progress):
        raise InvalidValue("build_return", "progress", progress, "a callable or None")
    _check(declared, ed)
    as_of = school_year.end if as_of is None else as_of
    observer = _Observer(ed, school_year.start, min(school_year.end, as_of))
    report = annual_report(
        observer.watch(pathways), school_year, as_of=as_of, programme=programme, progress=progress
    )
    tally = report.tally
    bands: Counter[str] = Counter(observer.band[facts[1]] for facts in tally.children.values())
    band_codes = [*ed.codes("age_bands"), "hors_tranches"]

    def breakdown(indicator: str) -> tuple[Count, ...]:
        return _counts(
            (f.category, f.numerator)  # type: ignore[misc]
            for f in report.figures
            if f.indicator.id == indicator and f.category is not None and f.numerator
        )

    referent_fte = referent_fte_hundredths(programme, school_year, until=as_of)
    posts: dict[str, int] = {"referent": referent_posts(programme, school_year, until=as_of)}
    fte: dict[str, int] = {"referent": referent_fte}
    for post in declared.posts or ():
        posts[post.function] = post.posts
        fte[post.function] = post.fte_hundredths
    functions = ed.codes("staff_functions")
    year = school_year.start_year if money_year is None else money_year
    return PreReturn(
        edition=ed.id,
        programme_id=programme.id,
        programme_name=programme.name,
        school_year=school_year.start_year,
        identity=Identity(
            carrier=declared.carrier,
            active=declared.active,
            communes=declared.communes
            if declared.communes is not None
            else tuple(sorted({c for t in programme.territory.values() for c in t.communes})),
            qpv_count=declared.qpv_count,
            outside_priority_geography=declared.outside_priority_geography,
        ),
        schools=None
        if declared.schools is None
        else _counts(
            (code, n)
            for code in ed.codes("school_levels")
            for n in [sum(c.n for c in declared.schools if c.code == code)]
        ),
        governance=Governance(
            partners=declared.partners,
            eps=declared.eps,
            eps_meetings=declared.eps_meetings,
            referral_to_review_days=_bins(observer.delays),
        ),
        children=Children(
            in_pathway=report.count("children_followed"),
            collective_only=declared.children_collective_only,
            by_sex=breakdown("children_by_sex"),
            by_age_band=_counts((c, bands[c]) for c in band_codes if bands[c]),
            by_referral_source=breakdown("referral_sources"),
        ),
        pathways=PathwaysBlock(
            entries=report.count("entries"),
            exits=report.count("exits"),
            exits_by_reason=breakdown("exits_by_reason"),
            durations_months=_bins(tally.durations),
        ),
        staff=Staff(
            posts=_counts((f, posts.get(f, 0)) for f in functions),
            fte_hundredths=_counts((f, fte.get(f, 0)) for f in functions),
            declared=declared.posts is not None,
        ),
        money=None if budget is None else _money(budget, ed, year),
        edition_digest=ed.digest,
    )
