"""Budget summaries: totals and shares by category, funder and CERFA line, exact in cents."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from .._enum import LabelledEnum
from ..errors import InvalidValue
from ._categories import (
    CERFA_CHAPTERS,
    CerfaLine,
    Envelope,
    ExpenseCategory,
    FundingCategory,
    Nature,
    Side,
    Stage,
)
from ._classify import Classification, classify
from ._defaults import DEFAULT_RULES
from ._line import BudgetLine
from ._money import format_euros, largest_remainder, round_half_up
from ._rules import RuleSet
from ._text import normalise_text

__all__ = ["Basis", "Breakdown", "BudgetSummary", "CerfaRow", "ClassifiedLine", "Part"]

NO_GROUP = "(sans regroupement)"
NO_ACTION = "(hors action)"
NO_FUNDER = "(financeur non précisé)"
UNCLASSIFIED_CERFA = "(non classé)"


class Basis(LabelledEnum):
    """Which lines the totals and shares are computed on (*base de calcul*).

    ``CASH`` counts direct funding and expenses only, as the State's annual PRE survey
    separates *financements directs* from *contributions non financières*; ``ALL`` adds
    the in-kind contributions that have a valuation.

    >>> Basis.CASH.label_fr
    'numéraire (hors contributions en nature)'
    """

    CASH = ("cash", "numéraire (hors contributions en nature)")
    ALL = ("all", "numéraire et contributions en nature valorisées")


@attrs.frozen(kw_only=True)
class ClassifiedLine:
    """A budget line with its classification."""

    line: BudgetLine
    classification: Classification

    def to_dict(self) -> dict[str, Any]:
        """The line and its classification as a flat, JSON-ready record."""
        line, c = self.line, self.classification
        return {
            "source_row": line.source_row,
            "side": line.side.value,
            "year": line.year,
            "chart": line.chart.value,
            "account_code": line.account_code,
            "label": line.label,
            "group": line.group,
            "funder": line.funder,
            "amount_cents": line.amount_cents,
            "share": line.share,
            "quantity": line.quantity.value if line.quantity else None,
            "unit": line.quantity.unit if line.quantity else None,
            "category": c.category.value,
            "category_label": c.category.label_fr,
            "nature": c.nature.value,
            "indirect": c.indirect,
            "cerfa_line": c.cerfa_line.value if c.cerfa_line else None,
            "envelope": c.envelope.value if c.envelope else None,
            "stage": line.stage.value if line.stage else None,
            "action": line.action,
            "note": line.note,
            "rule_id": c.rule_id,
            "modifiers": list(c.modifiers),
            "explanation_fr": c.explanation_fr,
            "explanation_en": c.explanation_en,
        }


@attrs.frozen(kw_only=True)
class Part:
    """One row of a breakdown: a key, its amount and its displayed share.

    Attributes:
        key: the stable key (a category value, a CERFA reference, a folded name).
        label: what a report prints (French).
        amount_cents: the exact amount.
        percent: the displayed share, rounded so that a breakdown adds up to 100.
        lines: how many budget lines make it up.
    """

    key: str
    label: str
    amount_cents: int
    percent: Decimal
    lines: int

    def to_dict(self) -> dict[str, Any]:
        """The part as a JSON-ready record."""
        return {
            "key": self.key,
            "label": self.label,
            "amount_cents": self.amount_cents,
            "percent": _number(self.percent),
            "lines": self.lines,
        }


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@attrs.frozen(kw_only=True)
class Breakdown:
    """Amounts of a total split by some key; parts add up to the total to the cent.

    Parts are ordered by decreasing amount, then key, whatever the order of the lines.

    >>> b = Breakdown.of([("a", "A", 200), ("b", "B", 100), ("a", "A", 100)])
    >>> [(p.key, p.amount_cents, str(p.percent)) for p in b.parts]
    [('a', 300, '75'), ('b', 100, '25')]
    >>> b["b"].amount_cents, b.total_cents
    (100, 400)
    """

    parts: tuple[Part, ...]
    total_cents: int

    @classmethod
    def of(cls, items: Iterable[tuple[str, str, int]], *, decimals: int = 0) -> Breakdown:
        """Group ``(key, label, cents)`` items by key and compute the shares."""
        amounts: dict[str, int] = {}
        labels: dict[str, str] = {}
        counts: dict[str, int] = {}
        for key, label, cents in items:
            amounts[key] = amounts.get(key, 0) + cents
            counts[key] = counts.get(key, 0) + 1
            labels[key] = min(labels.get(key, label), label)
        keys = sorted(amounts, key=lambda k: (-amounts[k], k))
        percents = largest_remainder([amounts[k] for k in keys], decimals=decimals)
        parts = tuple(
            Part(key=k, label=labels[k], amount_cents=amounts[k], percent=p, lines=counts[k])
            for k, p in zip(keys, percents, strict=True)
        )
        return cls(parts=parts, total_cents=sum(amounts.values()))

    def __getitem__(self, key: str) -> Part:
        for part in self.parts:
            if part.key == key:
                return part
        keys = ", ".join(repr(p.key) for p in self.parts) or "none"
        raise InvalidValue("Breakdown", "key", key, f"one of the keys present ({keys})")

    def __contains__(self, key: object) -> bool:
        return any(p.key == key for p in self.parts)

    def amounts(self) -> dict[str, int]:
        """``{key: cents}`` for every part."""
        return {p.key: p.amount_cents for p in self.parts}

    def percents(self) -> dict[str, Decimal]:
        """``{key: displayed percent}`` for every part (they add up to 100)."""
        return {p.key: p.percent for p in self.parts}

    def to_list(self) -> list[dict[str, Any]]:
        """The parts as JSON-ready records."""
        return [p.to_dict() for p in self.parts]


@attrs.frozen(kw_only=True)
class CerfaRow:
    """One row of the CERFA 12156 budget table as :meth:`BudgetSummary.cerfa_rows` lays it.

    Attributes:
        side: charges (expense) or produits (funding).
        kind: ``"chapter"`` (a group such as *64 - Charges de personnel*), ``"line"``,
            ``"funder"`` (one funder of a line 74, after its line: subsidy portals ask
            for each ministry and each envelope), ``"total"`` (direct charges or
            produits) or ``"grand_total"`` (with the in-kind blocks 86 and 87).
        ref: the Dauphin reference of a line or the chapter code; None for totals.
        label: the printed label.
        amount_cents: the amount.
    """

    side: Side
    kind: str
    ref: str | None
    label: str
    amount_cents: int


@attrs.frozen(kw_only=True)
class BudgetSummary:
    """The budget of a PRE summarised: who funds it, what it is spent on (*synthèse*).

    Build it with :meth:`from_lines`. Totals and breakdowns count the lines of the
    chosen :class:`Basis` that have an amount; in-kind lines without a valuation and
    share- or quantity-only lines are listed in ``unvalued``; investment lines (class
    2) in ``excluded``. Every breakdown's parts add up to its total to the cent, and its
    displayed percents add up to 100.

    Attributes:
        basis: which lines the totals count.
        lines: every line with its classification, in the order given.
        expenses_by_category: expenses by :class:`ExpenseCategory` (the fine view).
        expenses_by_group: expenses by the source's own grouping (*regroupement*).
        expenses_by_cerfa_line: expenses by CERFA 12156 line.
        funding_by_category: funding by :class:`FundingCategory`.
        funding_by_funder: funding by funder name (folded, so spellings merge).
        funding_by_cerfa_line: funding by CERFA 12156 line.
        cash_cents: ``{"expense": …, "funding": …}`` valued cash lines.
        in_kind_cents: the same for valued in-kind lines.
        indirect_cents: the same for lines flagged indirect (any nature).
        state_cents: cash funding from the State (all ministries).
        funding_base_cents: the cash funding the State share is a share of: every
            classified cash receipt except refunds (*remboursements*, *atténuations de
            charges*, which are not funding).
        expenses_by_action: expenses by the source's action (*fiche action*); lines
            without one under ``""``.
        unvalued: lines counted in no total (in kind without valuation, share-only).
        excluded: investment lines, outside the operating budget.
        unclassified: lines no rule classified, each with its reason.
        children_followed: the number of children followed, if given.
        decimals: decimal places of the displayed percents.
    """

    basis: Basis
    lines: tuple[ClassifiedLine, ...]
    expenses_by_category: Breakdown
    expenses_by_group: Breakdown
    expenses_by_cerfa_line: Breakdown
    funding_by_category: Breakdown
    funding_by_funder: Breakdown
    funding_by_cerfa_line: Breakdown
    cash_cents: dict[str, int]
    in_kind_cents: dict[str, int]
    indirect_cents: dict[str, int]
    state_cents: int
    funding_base_cents: int
    expenses_by_action: Breakdown
    unvalued: tuple[ClassifiedLine, ...]
    excluded: tuple[ClassifiedLine, ...]
    unclassified: tuple[ClassifiedLine, ...]
    children_followed: int | None
    decimals: int

    @classmethod
    def from_lines(
        cls,
        lines: Iterable[BudgetLine],
        *,
        rules: RuleSet = DEFAULT_RULES,
        basis: Basis = Basis.CASH,
        children_followed: int | None = None,
        decimals: int = 0,
    ) -> BudgetSummary:
        """Classify ``lines`` and summarise them.

        Args:
            lines: budget lines of both sides (a :class:`Ledger`'s ``lines``).
            rules: the rule set; :data:`DEFAULT_RULES` unless given.
            basis: :attr:`Basis.CASH` (default) or :attr:`Basis.ALL`.
            children_followed: children followed in the year (an indicator), for the
                cost per child; None if unknown.
            decimals: decimal places of displayed percents (0 to 4).

        Returns:
            The summary.

        Raises:
            InvalidValue: an item is not a :class:`BudgetLine`, or an argument is out of
                range.

        >>> from reussite.budget import BudgetLine, Side
        >>> s = BudgetSummary.from_lines([
        ...     BudgetLine(side=Side.FUNDING, funder="CGET", label="Subvention PRE",
        ...                amount_cents=15_000_000),
        ...     BudgetLine(side=Side.FUNDING, funder="Métropole Aix-Marseille-Provence",
        ...                label="Participation", amount_cents=8_650_000),
        ... ])
        >>> s.state_share_percent()
        Decimal('63.4')
        """
        items = tuple(lines) if not isinstance(lines, BudgetLine) else (lines,)
        for index, line in enumerate(items):
            if not isinstance(line, BudgetLine):
                raise InvalidValue("BudgetSummary", f"lines[{index}]", line, "a BudgetLine")
        if not isinstance(basis, Basis):
            raise InvalidValue("BudgetSummary", "basis", basis, "a Basis (CASH or ALL)")
        if children_followed is not None and (
            isinstance(children_followed, bool)
            or not isinstance(children_followed, int)
            or children_followed < 1
        ):
            raise InvalidValue(
                "BudgetSummary", "children_followed", children_followed, "an int >= 1 or None"
            )
        if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
            raise InvalidValue("BudgetSummary", "decimals", decimals, "an int from 0 to 4")
        _one_budget(items)
        classified = tuple(
            ClassifiedLine(line=line, classification=classify(line, rules=rules)) for line in items
        )
        return cls._build(classified, basis, children_followed, decimals)

    @classmethod
    def _build(
        cls,
        classified: tuple[ClassifiedLine, ...],
        basis: Basis,
        children: int | None,
        decimals: int,
    ) -> BudgetSummary:
        unvalued = tuple(c for c in classified if c.line.amount_cents is None)
        excluded = tuple(
            c
            for c in classified
            if c.classification.category is ExpenseCategory.INVESTMENT and c.line.valued
        )
        valued = [c for c in classified if c.line.valued and c not in excluded]
        counted = [c for c in classified if _counts(c, basis)]
        expenses = [c for c in counted if c.line.side is Side.EXPENSE]
        funding = [c for c in counted if c.line.side is Side.FUNDING]

        def by(
            items: list[ClassifiedLine], key: Callable[[ClassifiedLine], tuple[str, str]]
        ) -> Breakdown:
            return Breakdown.of(
                ((*key(c), c.line.amount_cents or 0) for c in items), decimals=decimals
            )

        def totals(nature: Nature | None, indirect: bool = False) -> dict[str, int]:
            result = {"expense": 0, "funding": 0}
            for c in valued:
                if nature is not None and c.classification.nature is not nature:
                    continue
                if indirect and not c.classification.indirect:
                    continue
                result[c.line.side.value] += c.line.amount_cents or 0
            return result

        cash_funding = [
            c
            for c in valued
            if c.line.side is Side.FUNDING and c.classification.nature is Nature.CASH
        ]
        state = sum(
            c.line.amount_cents or 0
            for c in cash_funding
            if isinstance(c.classification.category, FundingCategory)
            and c.classification.category.is_state
        )
        base = sum(
            c.line.amount_cents or 0
            for c in cash_funding
            if c.classification.classified
            and c.classification.category is not FundingCategory.COST_RECOVERY
        )
        return cls(
            basis=basis,
            lines=classified,
            expenses_by_category=by(expenses, _category_key),
            expenses_by_group=by(expenses, _group_key),
            expenses_by_cerfa_line=by(expenses, _cerfa_key),
            funding_by_category=by(funding, _category_key),
            funding_by_funder=by(funding, _funder_key),
            funding_by_cerfa_line=by(funding, _cerfa_key),
            cash_cents=totals(Nature.CASH),
            in_kind_cents=totals(Nature.IN_KIND),
            indirect_cents=totals(None, indirect=True),
            state_cents=state,
            funding_base_cents=base,
            expenses_by_action=by(expenses, _action_key),
            unvalued=unvalued,
            excluded=excluded,
            unclassified=tuple(c for c in classified if not c.classification.classified),
            children_followed=children,
            decimals=decimals,
        )

    @property
    def expense_total_cents(self) -> int:
        """Total expenses on the summary's basis."""
        return self.expenses_by_category.total_cents

    @property
    def funding_total_cents(self) -> int:
        """Total funding on the summary's basis."""
        return self.funding_by_category.total_cents

    @property
    def balance_cents(self) -> int:
        """Funding minus expenses on the summary's basis (0 for a balanced budget)."""
        return self.funding_total_cents - self.expense_total_cents

    @property
    def state_share(self) -> Fraction | None:
        """The State's share of cash funding (*part de l'État*), exact; None if no cash.

        The rule: State cash over :attr:`funding_base_cents`, the classified cash
        receipts that are funding (refunds and unclassified lines left out).
        """
        base = self.funding_base_cents
        return Fraction(self.state_cents, base) if base else None

    @property
    def co_funding_rate(self) -> Fraction | None:
        """The share of cash funding not from the State (*taux de cofinancement*).

        The CGET's national average was 37 % in 2015.
        """
        share = self.state_share
        return None if share is None else 1 - share

    def state_share_percent(self, decimals: int = 1) -> Decimal | None:
        """The State share in percent, rounded half up (63.4 for the seed)."""
        share = self.state_share
        return None if share is None else round_half_up(share * 100, decimals)

    def co_funding_rate_percent(self, decimals: int = 1) -> Decimal | None:
        """The co-funding rate in percent, rounded half up (36.6 for the seed)."""
        rate = self.co_funding_rate
        return None if rate is None else round_half_up(rate * 100, decimals)

    @property
    def cost_per_child_cents(self) -> int | None:
        """Expenses on the basis divided by the children followed, rounded half up."""
        if not self.children_followed:
            return None
        exact = Fraction(self.expense_total_cents, self.children_followed)
        return int(round_half_up(exact, 0))

    @property
    def has_actions(self) -> bool:
        """Whether some expense line names its action (*fiche action*)."""
        return any(p.key for p in self.expenses_by_action.parts)

    def cost_per_child_by_action(self) -> dict[str, int]:
        """Each action's expenses over the children followed, rounded half up, in cents.

        The rule: the action's expenses on the summary's basis divided by
        :attr:`children_followed` (the indicators' count, ``annual_report(...)
        .value("children_followed")``); the figures add up, to rounding, to
        :attr:`cost_per_child_cents`. Empty when the number of children is unknown.
        """
        if not self.children_followed:
            return {}
        return {
            p.key: int(round_half_up(Fraction(p.amount_cents, self.children_followed), 0))
            for p in self.expenses_by_action.parts
        }

    @property
    def stage(self) -> Stage | None:
        """Forecast or actual, when the lines say so (they never mix in one summary)."""
        stages = {c.line.stage for c in self.lines if c.line.stage is not None}
        return stages.pop() if stages else None

    def checks(self) -> tuple[str, ...]:
        """What a finance officer must fix before filing, in French (empty when none).

        The rules of the CERFA 12156 table: total charges equal total produits, and the
        in-kind uses (86) equal the in-kind contributions (87); and every line is
        classified (an unclassified line lands on no CERFA line).
        """
        rows = {(r.side, r.kind): r.amount_cents for r in self.cerfa_rows()}
        charges, produits = rows[(Side.EXPENSE, "total")], rows[(Side.FUNDING, "total")]
        uses = rows[(Side.EXPENSE, "grand_total")] - charges
        contributions = rows[(Side.FUNDING, "grand_total")] - produits
        problems = []
        if charges != produits:
            problems.append(
                f"Attention : le total des charges ({format_euros(charges)}) n'est pas égal"
                f" au total des produits ({format_euros(produits)}), écart de"
                f" {format_euros(abs(charges - produits))} ; le CERFA 12156 exige un budget"
                " équilibré."
            )
        if uses != contributions:
            problems.append(
                f"Attention : les emplois des contributions en nature (86 :"
                f" {format_euros(uses)}) ne sont pas égaux aux contributions volontaires en"
                f" nature (87 : {format_euros(contributions)}), écart de"
                f" {format_euros(abs(uses - contributions))}."
            )
        if self.unclassified:
            problems.append(
                f"Attention : {len(self.unclassified)} ligne(s) non classée(s), portée(s)"
                " hors des lignes du CERFA : ajoutez un numéro de compte ou une règle."
            )
        return tuple(problems)

    @property
    def year(self) -> int | None:
        """The budget year, when every line that states one states the same."""
        years = {c.line.year for c in self.lines if c.line.year is not None}
        return years.pop() if len(years) == 1 else None

    def group_categories(self) -> tuple[tuple[Part, Breakdown], ...]:
        """The source's groups side by side with the categories their lines fall in.

        For each part of :attr:`expenses_by_group`, the breakdown by category of its
        lines (percents there are of the whole expense total, so they compare with the
        group's). This shows where the source's grouping and the fine classification
        differ: the seed's "fournitures non stockées" holds documentation and software
        maintenance.
        """
        expenses = [c for c in self.lines if c.line.side is Side.EXPENSE and _counts(c, self.basis)]
        result = []
        for group in self.expenses_by_group.parts:
            inside = [c for c in expenses if _group_key(c)[0] == group.key]
            amounts: dict[str, int] = {}
            labels: dict[str, str] = {}
            for c in inside:
                key, label = _category_key(c)
                amounts[key] = amounts.get(key, 0) + (c.line.amount_cents or 0)
                labels[key] = label
            whole = self.expenses_by_category
            parts = tuple(
                Part(
                    key=k,
                    label=labels[k],
                    amount_cents=amounts[k],
                    percent=whole[k].percent
                    if amounts[k] == whole[k].amount_cents
                    else round_half_up(
                        Fraction(amounts[k] * 100, whole.total_cents or 1), self.decimals
                    ),
                    lines=sum(1 for c in inside if _category_key(c)[0] == k),
                )
                for k in sorted(amounts, key=lambda k: (-amounts[k], k))
            )
            result.append((group, Breakdown(parts=parts, total_cents=group.amount_cents)))
        return tuple(result)

    def cerfa_rows(self, *, whole_euros: bool = False) -> tuple[CerfaRow, ...]:
        """The CERFA 12156 budget table: charges then produits, by chapter and line.

        Every valued line counts, whatever the basis: direct lines in chapters 60-79
        (plus *charges indirectes* and *ressources propres*), in-kind lines in 86 and
        87. Each line 74 is followed by one row per funder and envelope (*droit commun*
        or politique de la ville). Unclassified lines are shown on a row of their own
        so the totals still add up; investment lines are left out, as the form's
        operating budget does.

        Args:
            whole_euros: round to whole euros, as the form asks ("ne pas indiquer les
                centimes"): each side's lines are rounded by largest remainder so that
                they add up to its rounded total, and chapters and totals are the sums
                of the rounded lines (amounts stay in cents, multiples of 100).
        """
        rows = self._cerfa_rows()
        return _whole_euros(rows) if whole_euros else rows

    def _cerfa_rows(self) -> tuple[CerfaRow, ...]:
        rows: list[CerfaRow] = []
        included = [c for c in self.lines if c.line.valued and c not in self.excluded]
        for side in Side:
            mine = [c for c in included if c.line.side is side]
            direct = [c for c in mine if not _in_kind_row(c)]
            in_kind = [c for c in mine if _in_kind_row(c)]
            rows.extend(_cerfa_block(side, direct))
            direct_total = sum(c.line.amount_cents or 0 for c in direct)
            total_label = "Total des charges" if side is Side.EXPENSE else "Total des produits"
            rows.append(
                CerfaRow(
                    side=side, kind="total", ref=None, label=total_label, amount_cents=direct_total
                )
            )
            rows.extend(_cerfa_block(side, in_kind))
            in_kind_total = sum(c.line.amount_cents or 0 for c in in_kind)
            rows.append(
                CerfaRow(
                    side=side,
                    kind="grand_total",
                    ref=None,
                    label="TOTAL",
                    amount_cents=direct_total + in_kind_total,
                )
            )
        return tuple(rows)

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data: amounts in integer cents, shares in percent."""
        return {
            "year": self.year,
            "basis": self.basis.value,
            "expenses": {
                "total_cents": self.expense_total_cents,
                "by_category": self.expenses_by_category.to_list(),
                "by_group": self.expenses_by_group.to_list(),
                "by_cerfa_line": self.expenses_by_cerfa_line.to_list(),
                "groups_to_categories": [
                    {**group.to_dict(), "categories": inside.to_list()}
                    for group, inside in self.group_categories()
                ],
            },
            "funding": {
                "total_cents": self.funding_total_cents,
                "by_category": self.funding_by_category.to_list(),
                "by_funder": self.funding_by_funder.to_list(),
                "by_cerfa_line": self.funding_by_cerfa_line.to_list(),
            },
            "balance_cents": self.balance_cents,
            "cash_cents": dict(self.cash_cents),
            "in_kind_cents": dict(self.in_kind_cents),
            "indirect_cents": dict(self.indirect_cents),
            "state_cents": self.state_cents,
            "funding_base_cents": self.funding_base_cents,
            "state_share_percent": _maybe(self.state_share_percent()),
            "co_funding_rate_percent": _maybe(self.co_funding_rate_percent()),
            "children_followed": self.children_followed,
            "cost_per_child_cents": self.cost_per_child_cents,
            "expenses_by_action": self.expenses_by_action.to_list() if self.has_actions else [],
            "cost_per_child_by_action_cents": self.cost_per_child_by_action()
            if self.has_actions
            else {},
            "stage": self.stage.value if self.stage else None,
            "checks": list(self.checks()),
            "unvalued": [c.to_dict() for c in self.unvalued],
            "excluded": [c.to_dict() for c in self.excluded],
            "unclassified": [c.to_dict() for c in self.unclassified],
            "cerfa_table": [
                {
                    "side": r.side.value,
                    "kind": r.kind,
                    "ref": r.ref,
                    "label": r.label,
                    "amount_cents": r.amount_cents,
                }
                for r in self.cerfa_rows()
            ],
            "cerfa_table_euros": [
                {
                    "side": r.side.value,
                    "kind": r.kind,
                    "ref": r.ref,
                    "label": r.label,
                    "euros": r.amount_cents // 100,
                }
                for r in self.cerfa_rows(whole_euros=True)
            ],
        }

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready record per line with its classification (for a data frame)."""
        return [c.to_dict() for c in self.lines]

    def to_text(self) -> str:
        """The summary as a French text table (what ``reussite budget`` prints)."""
        from ._render import render_text

        return render_text(self)

    def to_cerfa_text(self) -> str:
        """The CERFA 12156 budget table as French text."""
        from ._render import render_cerfa

        return render_cerfa(self)


def _counts(c: ClassifiedLine, basis: Basis) -> bool:
    """Whether a line counts in the totals of ``basis``."""
    return (
        c.line.valued
        and c.classification.category is not ExpenseCategory.INVESTMENT
        and (basis is Basis.ALL or c.classification.nature is Nature.CASH)
    )


def _maybe(value: Decimal | None) -> int | float | None:
    return None if value is None else _number(value)


def _in_kind_row(c: ClassifiedLine) -> bool:
    line = c.classification.cerfa_line
    return line is not None and line.in_kind


def _cerfa_block(side: Side, items: list[ClassifiedLine]) -> list[CerfaRow]:
    order = {line: index for index, line in enumerate(CerfaLine)}
    chapters = list(CERFA_CHAPTERS)
    amounts: dict[CerfaLine | None, int] = {}
    for c in items:
        line = c.classification.cerfa_line
        amounts[line] = amounts.get(line, 0) + (c.line.amount_cents or 0)
    known = sorted(
        (line for line in amounts if line is not None),
        key=lambda line: (chapters.index(line.chapter), order[line]),
    )
    rows: list[CerfaRow] = []
    current = None
    for line in known:
        if line.chapter != current:
            current = line.chapter
            chapter_total = sum(amounts[x] for x in known if x.chapter == current)
            rows.append(
                CerfaRow(
                    side=side,
                    kind="chapter",
                    ref=current,
                    label=CERFA_CHAPTERS[current],
                    amount_cents=chapter_total,
                )
            )
        rows.append(
            CerfaRow(
                side=side,
                kind="line",
                ref=line.value,
                label=line.label_fr,
                amount_cents=amounts[line],
            )
        )
        if line.chapter == "74":
            funders = Breakdown.of(
                _funder_detail(c)
                for c in items
                if c.classification.cerfa_line is line and c.line.amount_cents is not None
            )
            rows.extend(
                CerfaRow(
                    side=side,
                    kind="funder",
                    ref=line.value,
                    label=part.label,
                    amount_cents=part.amount_cents,
                )
                for part in funders.parts
            )
    if None in amounts:
        rows.append(
            CerfaRow(
                side=side,
                kind="chapter",
                ref=None,
                label=UNCLASSIFIED_CERFA,
                amount_cents=amounts[None],
            )
        )
    return rows


def _funder_detail(c: ClassifiedLine) -> tuple[str, str, int]:
    """One funder and envelope of a line 74: ``(key, label, cents)``."""
    name = c.line.funder or c.classification.category.label_fr
    envelope = c.classification.envelope or Envelope.MAINSTREAM
    short = "politique de la ville" if envelope is Envelope.POLITIQUE_VILLE else "droit commun"
    return (
        f"{normalise_text(name)}|{envelope.value}",
        f"{name} ({short})",
        c.line.amount_cents or 0,
    )


def apportion_euros(amounts_cents: list[int], target_euros: int | None = None) -> list[int]:
    """Whole euros for ``amounts_cents`` that add up to ``target_euros``.

    The rule (largest remainder): every amount is rounded down to the euro, then the
    euros still missing go one each to the largest remainders (ties: the earlier). The
    target defaults to the total rounded half up.

    >>> apportion_euros([50, 50, 50])
    [1, 1, 0]
    """
    total = sum(amounts_cents)
    if target_euros is None:
        target_euros = int(round_half_up(Fraction(total, 100), 0))
    floors = [a // 100 for a in amounts_cents]
    missing = target_euros - sum(floors)
    order = sorted(range(len(amounts_cents)), key=lambda i: (-(amounts_cents[i] % 100), i))
    for i in order[: max(missing, 0)]:
        floors[i] += 1
    return floors


def _whole_euros(rows: tuple[CerfaRow, ...]) -> tuple[CerfaRow, ...]:
    """The table in whole euros, lines rounded by largest remainder, sums recomputed."""
    result: list[CerfaRow] = []
    for side in Side:
        mine = [r for r in rows if r.side is side]
        leaves = [
            i
            for i, r in enumerate(mine)
            if r.kind == "line" or (r.kind == "chapter" and r.ref is None)
        ]
        rounded = apportion_euros([mine[i].amount_cents for i in leaves])
        euros = dict(zip(leaves, rounded, strict=True))
        funders: dict[int, list[int]] = {}  # a line 74 and its funder rows
        for i, row in enumerate(mine):
            if row.kind == "funder":
                funders.setdefault(max(j for j in leaves if j < i), []).append(i)
        for parent, group in funders.items():
            split = apportion_euros([mine[j].amount_cents for j in group], euros[parent])
            euros.update(zip(group, split, strict=True))
        running = 0
        chapter: int | None = None
        for i, row in enumerate(mine):
            if row.kind == "chapter" and row.ref is not None:
                chapter = i
                euros[i] = 0
            elif row.kind == "line" and chapter is not None:
                euros[chapter] += euros[i]
            elif row.kind in ("total", "grand_total"):
                euros[i] = running
                chapter = None
            if i in leaves:
                running += euros[i]
        result.extend(attrs.evolve(row, amount_cents=euros[i] * 100) for i, row in enumerate(mine))
    return tuple(result)


def _one_budget(lines: tuple[BudgetLine, ...]) -> None:
    """Refuse lines of several years or of both stages: they must not be added."""
    years = sorted({line.year for line in lines if line.year is not None})
    if len(years) > 1:
        raise InvalidValue(
            "BudgetSummary",
            "lines",
            f"lines of {len(years)} years: {', '.join(map(str, years))}",
            "lines of one budget year (split a multi-year ledger with split_by_year, or"
            " compare two years with BudgetComparison.between_years)",
        )
    stages = {line.stage for line in lines if line.stage is not None}
    if len(stages) > 1:
        raise InvalidValue(
            "BudgetSummary",
            "lines",
            "forecast and actual lines",
            "lines of one stage (compare the forecast with the actual with"
            " BudgetComparison.execution instead of adding them)",
        )


def _action_key(c: ClassifiedLine) -> tuple[str, str]:
    action = c.line.action
    if action is None:
        return "", NO_ACTION
    return normalise_text(action), action


def _category_key(c: ClassifiedLine) -> tuple[str, str]:
    category = c.classification.category
    return category.value, category.label_fr


def _group_key(c: ClassifiedLine) -> tuple[str, str]:
    group = c.line.group
    if group is None:
        return "", NO_GROUP
    return normalise_text(group), group


def _funder_key(c: ClassifiedLine) -> tuple[str, str]:
    funder = c.line.funder
    if funder is None:
        return "", NO_FUNDER
    return normalise_text(funder), funder


def _cerfa_key(c: ClassifiedLine) -> tuple[str, str]:
    line = c.classification.cerfa_line
    if line is None:
        return "", UNCLASSIFIED_CERFA
    return line.value, f"{line.value} - {line.label_fr}"
