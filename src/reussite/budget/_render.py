"""French text renderings of a budget summary: the summary table and the CERFA table."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from .._french import number_fr
from ._categories import Side, Stage
from ._money import format_euros, format_percent, round_half_up

if TYPE_CHECKING:
    from fractions import Fraction

    from ._compare import BudgetComparison, Gap
    from ._summary import Breakdown, BudgetSummary, ClassifiedLine

__all__ = ["render_cerfa", "render_comparison", "render_financial_report", "render_text"]

_WIDTH = 58


def _row(label: str, cents: int, percent: str = "", indent: int = 2) -> str:
    text = " " * indent + label
    if len(text) > _WIDTH:
        text = text[: _WIDTH - 1] + "…"
    return f"{text:<{_WIDTH}} {format_euros(cents):>16} {percent:>7}".rstrip()


def _breakdown(title: str, breakdown: Breakdown) -> list[str]:
    lines = [title]
    for part in breakdown.parts:
        lines.append(_row(part.label, part.amount_cents, format_percent(part.percent)))
    shown = sum((p.percent for p in breakdown.parts), Decimal(0))
    total = format_percent(shown) if breakdown.parts else ""
    lines.append(_row("Total", breakdown.total_cents, total))
    return lines


def _describe(item: ClassifiedLine) -> str:
    line = item.line
    where = f"ligne {line.source_row} : " if line.source_row else ""
    who = f"{line.funder} - " if line.funder else ""
    return f"  - {where}{who}{line.label}"


def render_text(summary: BudgetSummary) -> str:
    """The summary as the French text table ``python -m reussite budget`` prints."""
    year = f" - exercice {summary.year}" if summary.year else ""
    stage = f" ({summary.stage.label_fr})" if summary.stage else ""
    out = [
        f"Budget du Programme de Réussite Éducative{year}{stage}",
        f"Base des totaux et des parts : {summary.basis.label_fr}",
        "",
    ]
    out += _breakdown("FINANCEMENTS par catégorie de financeur", summary.funding_by_category)
    out += [""]
    out += _breakdown("FINANCEMENTS par financeur", summary.funding_by_funder)
    state = summary.state_share_percent()
    co_funding = summary.co_funding_rate_percent()
    if state is not None and co_funding is not None:
        out += [
            f"  Part de l'État (numéraire) : {format_percent(state)} ;"
            f" taux de cofinancement : {format_percent(co_funding)}"
        ]
    out += [""]
    out += _breakdown("DÉPENSES selon le regroupement de la source", summary.expenses_by_group)
    out += [""]
    out += _breakdown("DÉPENSES par catégorie (classement fin)", summary.expenses_by_category)
    out += ["", "Regroupement de la source → catégories (classement fin)"]
    for group, inside in summary.group_categories():
        out.append(_row(group.label, group.amount_cents, format_percent(group.percent)))
        for part in inside.parts:
            out.append(_row(f"→ {part.label}", part.amount_cents, format_percent(part.percent), 4))
    out += [
        "",
        "Numéraire : dépenses {}, recettes {}".format(
            format_euros(summary.cash_cents["expense"]),
            format_euros(summary.cash_cents["funding"]),
        ),
        "Contributions en nature valorisées : dépenses {}, recettes {}".format(
            format_euros(summary.in_kind_cents["expense"]),
            format_euros(summary.in_kind_cents["funding"]),
        ),
        "Charges et contributions indirectes : dépenses {}, recettes {}".format(
            format_euros(summary.indirect_cents["expense"]),
            format_euros(summary.indirect_cents["funding"]),
        ),
        f"Solde (recettes - dépenses, base retenue) : {format_euros(summary.balance_cents)}",
    ]
    if summary.cost_per_child_cents is not None:
        out.append(
            f"Coût par enfant suivi ({summary.children_followed} enfants) :"
            f" {format_euros(summary.cost_per_child_cents)}"
        )
    if summary.has_actions:
        out += [""]
        out += _breakdown("DÉPENSES par action", summary.expenses_by_action)
        per_child = summary.cost_per_child_by_action()
        if per_child:
            out.append(
                f"  Coût par enfant suivi, par action ({summary.children_followed} enfants) :"
            )
            for part in summary.expenses_by_action.parts:
                out.append(_row(part.label, per_child[part.key], indent=4))
    if summary.unvalued:
        out += ["", "Contributions sans montant (non comptées dans les totaux) :"]
        out += [_describe(c) for c in summary.unvalued]
    if summary.excluded:
        out += ["", "Investissement (hors budget de fonctionnement) :"]
        out += [_describe(c) for c in summary.excluded]
    out += [""]
    if summary.unclassified:
        out.append("Lignes non classées (ajoutez une règle ou un numéro de compte) :")
        out += [f"{_describe(c)} ({c.classification.explanation_fr})" for c in summary.unclassified]
    else:
        out.append("Toutes les lignes sont classées.")
    checks = [c for c in summary.checks() if "non classée" not in c]
    if checks:
        out += ["", *checks]
    return "\n".join(out) + "\n"


def render_cerfa(summary: BudgetSummary) -> str:
    """The CERFA 12156 budget table of the summary, as French text."""
    year = f" - exercice {summary.year}" if summary.year else ""
    title = {None: "Budget prévisionnel ou réalisé", Stage.FORECAST: "Budget prévisionnel",
             Stage.ACTUAL: "Budget réalisé"}[summary.stage]  # fmt: skip
    out = [f"{title} (CERFA n° 12156, tableau budgétaire){year}"]
    for side in Side:
        out += ["", "CHARGES" if side is Side.EXPENSE else "PRODUITS"]
        for row in summary.cerfa_rows():
            if row.side is not side:
                continue
            if row.kind == "line":
                out.append(_row(row.label, row.amount_cents, row.ref or "", 4))
            elif row.kind == "funder":
                out.append(_row(f"dont {row.label}", row.amount_cents, indent=6))
            elif row.kind == "chapter":
                out.append(_row(row.label, row.amount_cents))
            else:
                out.append(_row(row.label.upper(), row.amount_cents, indent=0))
    unvalued = [c for c in summary.unvalued if c.line.side is Side.FUNDING]
    if unvalued:
        out += ["", "Contributions en nature non valorisées :"]
        out += [_describe(c) for c in unvalued]
    checks = summary.checks()
    if checks:
        out += ["", *checks]
    return "\n".join(out) + "\n"


def _whole(cents: int) -> str:
    return f"{number_fr(Decimal(cents // 100), 0)} €"


def _gap_row(label: str, gap: Gap, indent: int = 2, *, whole: bool = False) -> str:
    text = " " * indent + label
    if len(text) > 44:
        text = text[:43] + "…"
    rate = gap.rate_percent(0)
    shown = "" if rate is None else format_percent(rate)
    money = _whole if whole else format_euros
    return (
        f"{text:<44} {money(gap.before_cents):>15} {money(gap.after_cents):>15}"
        f" {money(gap.gap_cents):>15} {shown:>7}"
    ).rstrip()


def _gap_table(title: str, rows: tuple[Gap, ...], comparison: BudgetComparison) -> list[str]:
    header = (
        f"{title:<44} {comparison.before_label:>15} {comparison.after_label:>15}"
        f" {'Écart':>15} {'Taux':>7}"
    )
    return [header, *(_gap_row(g.label, g) for g in rows)]


def render_comparison(comparison: BudgetComparison) -> str:
    """Forecast vs actual (or two years) by category, funder and action, in French."""
    year = comparison.after.year
    title = (
        f"Exécution du budget - exercice {year}"
        if comparison.before_label == "Prévisionnel"
        else f"Budget {comparison.before_label} et {comparison.after_label} comparés"
    )
    out = [title, f"Base des totaux : {comparison.before.basis.label_fr}", ""]
    out += _gap_table("FINANCEMENTS par catégorie", comparison.funding_by_category, comparison)
    out += [""]
    out += _gap_table("FINANCEMENTS par financeur", comparison.funding_by_funder, comparison)
    out += [""]
    out += _gap_table("DÉPENSES par catégorie", comparison.expenses_by_category, comparison)
    if comparison.before.has_actions or comparison.after.has_actions:
        out += [""]
        out += _gap_table("DÉPENSES par action", comparison.expenses_by_action, comparison)
    for name, summary in ((comparison.before_label, comparison.before),
                          (comparison.after_label, comparison.after)):  # fmt: skip
        share = summary.state_share_percent()
        if share is not None:
            out.append(f"Part de l'État ({name.lower()}) : {format_percent(share)}")
    return "\n".join(out) + "\n"


def render_financial_report(comparison: BudgetComparison, threshold: Fraction) -> str:
    """The *compte rendu financier* (CERFA 15059) budget table with its gaps explained."""
    year = comparison.after.year
    suffix = f" - exercice {year}" if year else ""
    out = [
        f"Compte rendu financier de l'action (CERFA n° 15059), tableau budgétaire{suffix}",
        "Montants en euros, sans centimes.",
    ]
    for side in Side:
        out += ["", "CHARGES" if side is Side.EXPENSE else "PRODUITS"]
        out.append(
            f"{'':<44} {comparison.before_label:>15} {comparison.after_label:>15}"
            f" {'Écart':>15} {'Taux':>7}"
        )
        for gap in comparison.cerfa_gaps(side):
            kind = gap.key.split(":")[0]
            if kind == "line":
                out.append(_gap_row(gap.label, gap, 4, whole=True))
            elif kind == "funder":
                out.append(_gap_row(f"dont {gap.label}", gap, 6, whole=True))
            elif kind == "chapter":
                out.append(_gap_row(gap.label, gap, whole=True))
            else:
                out.append(_gap_row(gap.label.upper(), gap, 0, whole=True))
    explained = comparison.explanations(threshold)
    percent = format_percent(round_half_up(threshold * 100, 0))
    out += [
        "",
        f"Explication des écarts de plus de {percent} entre le prévisionnel et le réalisé :",
    ]
    out += [f"  - {e}" for e in explained] if explained else ["  aucun écart significatif."]
    checks = comparison.after.checks()
    if checks:
        out += ["", *checks]
    return "\n".join(out) + "\n"
