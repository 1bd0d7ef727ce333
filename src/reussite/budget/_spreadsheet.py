"""The CERFA tables as a spreadsheet a finance officer can file (``.xlsx``, whole euros).

Needs the optional extra ``spreadsheet`` (openpyxl): ``pip install 'reussite[spreadsheet]'``.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from ..errors import ReussiteError
from ._categories import Side

if TYPE_CHECKING:
    from ._compare import BudgetComparison
    from ._summary import BudgetSummary

__all__ = ["to_xlsx"]

_BOLD_KINDS = ("chapter", "total", "grand_total")


class MissingExtra(ReussiteError, ImportError):
    """An optional dependency is not installed; the message says which extra to add."""


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - the test environment has the extra
        raise MissingExtra(
            "writing .xlsx needs openpyxl: pip install 'reussite[spreadsheet]'"
        ) from None
    return openpyxl


def to_xlsx(summary: BudgetSummary, *, comparison: BudgetComparison | None = None) -> bytes:
    """The CERFA 12156 table (and the CERFA 15059 one, given a comparison) as ``.xlsx``.

    Sheets: *CERFA 12156* (charges and produits by chapter, line and funder, in whole
    euros that add up), *Compte rendu 15059* with the forecast, actual, gap and rate
    and the gaps explained (when ``comparison`` is given), *Lignes* (every line with its
    classification and the rule that decided) and *Contrôles* (charges = produits, 86 =
    87, unclassified lines).

    Args:
        summary: the budget to file (the forecast, for a subsidy request).
        comparison: forecast vs actual, for the *compte rendu financier*.

    Returns:
        The workbook's bytes.

    Raises:
        MissingExtra: openpyxl is not installed.
    """
    openpyxl = _openpyxl()
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "CERFA 12156"
    stage = summary.stage.label_fr if summary.stage else "prévisionnel ou réalisé"
    year = f", exercice {summary.year}" if summary.year else ""
    sheet.append([f"Budget {stage} (CERFA n° 12156){year}, en euros"])
    sheet["A1"].font = bold
    for side in Side:
        sheet.append([])
        sheet.append(["CHARGES" if side is Side.EXPENSE else "PRODUITS", "", "Montant (€)"])
        sheet.cell(sheet.max_row, 1).font = bold
        for row in summary.cerfa_rows(whole_euros=True):
            if row.side is not side:
                continue
            label = f"dont {row.label}" if row.kind == "funder" else row.label
            ref = row.ref if row.kind in ("line", "chapter") else ""
            sheet.append([ref or "", label, row.amount_cents // 100])
            if row.kind in _BOLD_KINDS:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 14
    if comparison is not None:
        report = book.create_sheet("Compte rendu 15059")
        report.append([f"Compte rendu financier (CERFA n° 15059){year}, en euros"])
        report["A1"].font = bold
        for side in Side:
            report.append([])
            title = "CHARGES" if side is Side.EXPENSE else "PRODUITS"
            report.append(
                [
                    title,
                    comparison.before_label,
                    comparison.after_label,
                    "Écart",
                    "Taux (%)",
                ]
            )
            report.cell(report.max_row, 1).font = bold
            for gap in comparison.cerfa_gaps(side):
                kind = gap.key.split(":")[0]
                rate = gap.rate_percent(0)
                label = f"dont {gap.label}" if kind == "funder" else gap.label
                report.append(
                    [
                        label,
                        gap.before_cents // 100,
                        gap.after_cents // 100,
                        gap.gap_cents // 100,
                        None if rate is None else int(rate),
                    ]
                )
                if kind in _BOLD_KINDS:
                    for cell in report[report.max_row]:
                        cell.font = bold
        report.append([])
        report.append(["Explication des écarts"])
        report.cell(report.max_row, 1).font = bold
        for sentence in comparison.explanations() or ("aucun écart significatif.",):
            report.append([sentence])
        report.column_dimensions["A"].width = 70
    lines = book.create_sheet("Lignes")
    records = (
        summary.records()
        if comparison is None
        else [
            *comparison.before.records(),
            *(r for r in comparison.after.records() if r["stage"] == "actual"),
        ]
    )
    columns = [
        "source_row", "year", "stage", "side", "chart", "account_code", "label", "funder",
        "action", "amount_cents", "category", "category_label", "nature", "indirect",
        "cerfa_line", "envelope", "rule_id", "explanation_fr", "note",
    ]  # fmt: skip
    lines.append(columns)
    for record in records:
        lines.append([_cell(record[c]) for c in columns])
    checks = book.create_sheet("Contrôles")
    found = summary.checks() + (comparison.after.checks() if comparison is not None else ())
    for message in dict.fromkeys(found) or ("Aucune anomalie : le budget est équilibré.",):
        checks.append([message])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value
