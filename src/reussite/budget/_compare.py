"""Two budgets side by side: forecast vs actual (*prévisionnel / réalisé*), or two years."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..errors import InvalidValue
from ._categories import Side, Stage
from ._line import BudgetLine
from ._money import format_euros, format_percent, round_half_up
from ._rules import RuleSet
from ._summary import Basis, Breakdown, BudgetSummary, CerfaRow
from ._text import normalise_text

__all__ = ["BudgetComparison", "Gap", "split_by_year"]


def split_by_year(lines: Iterable[BudgetLine]) -> dict[int, tuple[BudgetLine, ...]]:
    """The lines of a multi-year ledger, by budget year (*exercice*), never added up.

    Args:
        lines: budget lines that each state their year.

    Returns:
        ``{year: lines}`` in year order, each year's lines in the order given.

    Raises:
        InvalidValue: a line states no year while others do (it cannot be placed).

    >>> from reussite.budget import BudgetLine, Side
    >>> lines = [BudgetLine(side=Side.EXPENSE, label="Loyer", amount_cents=1, year=y)
    ...          for y in (2024, 2023, 2024)]
    >>> {year: len(part) for year, part in split_by_year(lines).items()}
    {2023: 1, 2024: 2}
    """
    items = list(lines)
    years: dict[int, list[BudgetLine]] = {}
    for line in items:
        if line.year is None:
            where = f"line {line.source_row}" if line.source_row else repr(line.label)
            raise InvalidValue(
                "split_by_year", "lines", where, "a budget year on every line (an Exercice column)"
            )
        years.setdefault(line.year, []).append(line)
    return {year: tuple(years[year]) for year in sorted(years)}


@attrs.frozen(kw_only=True)
class Gap:
    """One row of a comparison: a key, the two amounts, the gap and the rate.

    Attributes:
        key: the stable key (category value, folded funder name, CERFA reference…).
        label: what a report prints.
        before_cents: the forecast (or the earlier year).
        after_cents: the actual (or the later year).
        notes: the sources' comments on the lines behind the row (why it moved).
    """

    key: str
    label: str
    before_cents: int
    after_cents: int
    notes: tuple[str, ...] = ()

    @property
    def gap_cents(self) -> int:
        """After minus before (*écart*): negative when less was spent or received."""
        return self.after_cents - self.before_cents

    @property
    def rate(self) -> Fraction | None:
        """After over before (*taux d'exécution*); None when nothing was planned."""
        return Fraction(self.after_cents, self.before_cents) if self.before_cents else None

    def rate_percent(self, decimals: int = 1) -> Decimal | None:
        """The rate in percent, rounded half up (``None`` when nothing was planned)."""
        rate = self.rate
        return None if rate is None else round_half_up(rate * 100, decimals)

    def significant(self, threshold: Fraction) -> bool:
        """Whether the gap is more than ``threshold`` of the forecast (or unplanned)."""
        if self.gap_cents == 0:
            return False
        return self.before_cents == 0 or abs(Fraction(self.gap_cents, self.before_cents)) > (
            threshold
        )

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON-ready record."""
        rate = self.rate_percent()
        return {
            "key": self.key,
            "label": self.label,
            "before_cents": self.before_cents,
            "after_cents": self.after_cents,
            "gap_cents": self.gap_cents,
            "rate_percent": None if rate is None else float(rate),
            "notes": list(self.notes),
        }


def _gaps(before: Breakdown, after: Breakdown, notes: dict[str, list[str]]) -> tuple[Gap, ...]:
    labels = {p.key: p.label for p in before.parts} | {p.key: p.label for p in after.parts}
    b, a = before.amounts(), after.amounts()
    keys = sorted(labels, key=lambda k: (-max(b.get(k, 0), a.get(k, 0)), k))
    return tuple(
        Gap(
            key=k,
            label=labels[k],
            before_cents=b.get(k, 0),
            after_cents=a.get(k, 0),
            notes=tuple(dict.fromkeys(notes.get(k, []))),
        )
        for k in keys
    )


def _cerfa_gaps(before: BudgetSummary, after: BudgetSummary, side: Side) -> tuple[Gap, ...]:
    def rows(summary: BudgetSummary) -> dict[tuple[str, str | None, str], CerfaRow]:
        return {
            (r.kind, r.ref, r.label if r.kind in ("funder", "chapter") else ""): r
            for r in summary.cerfa_rows(whole_euros=True)
            if r.side is side
        }

    b, a = rows(before), rows(after)
    order = list(b)
    previous: tuple[str, str | None, str] | None = None
    for key in a:  # an unplanned row goes after the row it follows in the actual table
        if key not in b:
            order.insert(order.index(previous) + 1 if previous is not None else 0, key)
        previous = key
    return tuple(
        Gap(
            key=f"{k[0]}:{k[1] or ''}:{k[2]}",
            label=(b.get(k) or a[k]).label,
            before_cents=b[k].amount_cents if k in b else 0,
            after_cents=a[k].amount_cents if k in a else 0,
        )
        for k in order
    )


@attrs.frozen(kw_only=True)
class BudgetComparison:
    """Two budgets compared by category, funder, action and CERFA line (*comparaison*).

    Build it with :meth:`execution` (forecast vs actual of one year: the gap, *écart*,
    and the execution rate, *taux d'exécution*) or :meth:`between_years`. The two
    budgets are summarised apart and compared, never added.

    Attributes:
        before: the forecast (or the earlier year).
        after: the actual (or the later year).
        before_label: ``"Prévisionnel"`` or the earlier year.
        after_label: ``"Réalisé"`` or the later year.
        expenses_by_category, funding_by_category, funding_by_funder,
        expenses_by_action: the rows compared.
    """

    before: BudgetSummary
    after: BudgetSummary
    before_label: str
    after_label: str
    expenses_by_category: tuple[Gap, ...]
    funding_by_category: tuple[Gap, ...]
    funding_by_funder: tuple[Gap, ...]
    expenses_by_action: tuple[Gap, ...]

    @classmethod
    def of(
        cls, before: BudgetSummary, after: BudgetSummary, *, before_label: str, after_label: str
    ) -> BudgetComparison:
        """Compare two summaries already built (same basis)."""
        if not isinstance(before, BudgetSummary) or not isinstance(after, BudgetSummary):
            raise InvalidValue("BudgetComparison", "before/after", (before, after), "summaries")
        notes: dict[str, dict[str, list[str]]] = {"category": {}, "funder": {}, "action": {}}
        for c in (*before.lines, *after.lines):
            if c.line.note:
                keys = {
                    "category": c.classification.category.value,
                    "funder": normalise_text(c.line.funder) if c.line.funder else "",
                    "action": normalise_text(c.line.action) if c.line.action else "",
                }
                for view, key in keys.items():
                    notes[view].setdefault(key, []).append(c.line.note)
        return cls(
            before=before,
            after=after,
            before_label=before_label,
            after_label=after_label,
            expenses_by_category=_gaps(
                before.expenses_by_category, after.expenses_by_category, notes["category"]
            ),
            funding_by_category=_gaps(
                before.funding_by_category, after.funding_by_category, notes["category"]
            ),
            funding_by_funder=_gaps(
                before.funding_by_funder, after.funding_by_funder, notes["funder"]
            ),
            expenses_by_action=_gaps(
                before.expenses_by_action, after.expenses_by_action, notes["action"]
            ),
        )

    @classmethod
    def execution(
        cls,
        lines: Iterable[BudgetLine],
        *,
        rules: RuleSet | None = None,
        basis: Basis = Basis.CASH,
        children_followed: int | None = None,
    ) -> BudgetComparison:
        """Forecast vs actual of one budget year (*exécution du budget*).

        The rule: lines marked :attr:`Stage.FORECAST` make the forecast, lines marked
        :attr:`Stage.ACTUAL` the actual; lines without a stage (an unvalued
        contribution) go to both.

        Raises:
            InvalidValue: the lines have no forecast or no actual, or span years.
        """
        items = list(lines)
        forecast = [x for x in items if x.stage is not Stage.ACTUAL]
        actual = [x for x in items if x.stage is not Stage.FORECAST]
        for stage, part in ((Stage.FORECAST, forecast), (Stage.ACTUAL, actual)):
            if not any(x.stage is stage for x in part):
                raise InvalidValue(
                    "BudgetComparison.execution",
                    "lines",
                    f"no {stage.label_fr} line",
                    "forecast and actual lines (Prévisionnel and Réalisé columns)",
                )
        kwargs: dict[str, Any] = {"basis": basis, "children_followed": children_followed}
        if rules is not None:
            kwargs["rules"] = rules
        return cls.of(
            BudgetSummary.from_lines(forecast, **kwargs),
            BudgetSummary.from_lines(actual, **kwargs),
            before_label="Prévisionnel",
            after_label="Réalisé",
        )

    @classmethod
    def between_years(
        cls,
        lines: Iterable[BudgetLine],
        before: int,
        after: int,
        *,
        rules: RuleSet | None = None,
        basis: Basis = Basis.CASH,
        stage: Stage | None = None,
    ) -> BudgetComparison:
        """Two budget years of a multi-year ledger compared (*évolution*).

        Args:
            lines: the ledger's lines (every line states its year).
            before: the earlier year.
            after: the later year.
            rules: the rule set (the default one when None).
            basis: which lines the totals count.
            stage: which amounts to compare when the ledger has both (None: the lines
                have a single stage).

        Raises:
            InvalidValue: a year has no line.
        """
        years = split_by_year(lines)
        kwargs: dict[str, Any] = {"basis": basis}
        if rules is not None:
            kwargs["rules"] = rules
        summaries = []
        for year in (before, after):
            if year not in years:
                raise InvalidValue(
                    "BudgetComparison.between_years",
                    "year",
                    year,
                    f"a year of the ledger ({', '.join(map(str, years)) or 'none'})",
                )
            chosen = [x for x in years[year] if stage is None or x.stage in (None, stage)]
            summaries.append(BudgetSummary.from_lines(chosen, **kwargs))
        return cls.of(summaries[0], summaries[1], before_label=str(before), after_label=str(after))

    def cerfa_gaps(self, side: Side) -> tuple[Gap, ...]:
        """The CERFA 12156 table of one side with both columns, in whole euros."""
        return _cerfa_gaps(self.before, self.after, side)

    def explanations(self, threshold: Fraction = Fraction(15, 100)) -> tuple[str, ...]:
        """The significant gaps explained, in French, for the *compte rendu financier*.

        The rule: every CERFA line (charges and produits) whose actual differs from the
        forecast by more than ``threshold`` of the forecast (15 % unless given), or that
        was not planned, gets one sentence: the gap, the rate, the lines behind it that
        moved most, and the sources' own comments (an *Explication* column).
        """
        out = []
        for side in Side:
            for gap in self.cerfa_gaps(side):
                if not gap.key.startswith("line:") or not gap.significant(threshold):
                    continue
                ref = gap.key.split(":")[1]
                moved = _moved_lines(self.before, self.after, ref)
                rate = gap.rate_percent(0)
                shown = "non prévu" if rate is None else f"exécuté à {format_percent(rate)}"
                sentence = (
                    f"{ref} {gap.label} : {self.before_label.lower()}"
                    f" {format_euros(gap.before_cents)}, {self.after_label.lower()}"
                    f" {format_euros(gap.after_cents)} ({shown}, écart de"
                    f" {_signed(gap.gap_cents)})"
                )
                if moved:
                    sentence += " ; lignes en cause : " + " ; ".join(moved)
                out.append(sentence + ".")
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """The comparison as JSON-ready data (amounts in cents, rates in percent)."""
        return {
            "before_label": self.before_label,
            "after_label": self.after_label,
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "expenses_by_category": [g.to_dict() for g in self.expenses_by_category],
            "funding_by_category": [g.to_dict() for g in self.funding_by_category],
            "funding_by_funder": [g.to_dict() for g in self.funding_by_funder],
            "expenses_by_action": [g.to_dict() for g in self.expenses_by_action],
            "cerfa_table": {
                side.value: [g.to_dict() for g in self.cerfa_gaps(side)] for side in Side
            },
            "explanations": list(self.explanations()),
        }

    def to_text(self) -> str:
        """The comparison as a French text table (forecast, actual, gap, rate)."""
        from ._render import render_comparison

        return render_comparison(self)

    def to_report_text(self, threshold: Fraction = Fraction(15, 100)) -> str:
        """The *compte rendu financier* (CERFA 15059) budget table, with gaps explained."""
        from ._render import render_financial_report

        return render_financial_report(self, threshold)


def _signed(cents: int) -> str:
    return ("+" if cents > 0 else "-" if cents < 0 else "") + format_euros(abs(cents))


def _moved_lines(before: BudgetSummary, after: BudgetSummary, ref: str) -> list[str]:
    """The lines of a CERFA line that moved most, with their notes (up to three)."""

    def amounts(summary: BudgetSummary) -> dict[tuple[Any, ...], tuple[int, str, str | None]]:
        found: dict[tuple[Any, ...], tuple[int, str, str | None]] = {}
        for c in summary.lines:
            line = c.line
            if c.classification.cerfa_line is None or c.classification.cerfa_line.value != ref:
                continue
            key = (line.side, line.account_code, line.label, line.funder, line.action)
            old = found.get(key, (0, line.label, None))
            found[key] = (old[0] + (line.amount_cents or 0), line.label, line.note or old[2])
        return found

    b, a = amounts(before), amounts(after)
    moves = []
    for key in {**b, **a}:
        was, label, note_b = b.get(key, (0, key[2], None))
        now, _, note_a = a.get(key, (0, key[2], None))
        if was != now:
            note = note_a or note_b
            moves.append((abs(now - was), f"« {label} » {_signed(now - was)}", note))
    moves.sort(key=lambda m: -m[0])
    return [text + (f" ({note})" if note else "") for _, text, note in moves[:3]]
