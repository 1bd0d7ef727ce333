"""Renderings of a report: French text, records, JSON, CSV, HTML and pandas."""

from __future__ import annotations

import csv
import html
import importlib
import io
import json
from typing import TYPE_CHECKING, Any

from .._french import number_fr
from ._definitions import INDICATORS, NOT_APPLICABLE, Kind, Unit

if TYPE_CHECKING:
    from ._report import Figure, Report, Value

__all__ = ["format_fr", "records", "to_csv", "to_dataframe", "to_html", "to_json", "to_text"]

RECORD_FIELDS = (
    "indicator",
    "category",
    "label_fr",
    "value",
    "status",
    "numerator",
    "denominator",
    "unit",
    "kind",
    "version",
    "period",
    "as_of",
)
"""The keys of every record, in order (the CSV header)."""


def format_fr(value: Value, kind: Kind, unit: Unit, *, precise: bool = False) -> str:
    """A figure's value as a French report prints it.

    Rule: shares as whole percents (one decimal under 1 %, ``precise`` adds one); counts
    as integers; means and medians of months and days with one decimal when ``precise``;
    ratios as whole numbers; not applicable as ``"sans objet"``. Rounding is half up.

    >>> format_fr(79.166, Kind.SHARE, Unit.CHILDREN)
    '79 %'
    >>> format_fr(0.9345, Kind.SHARE, Unit.REFERRALS)
    '0,9 %'
    >>> format_fr(12.76, Kind.MEAN, Unit.MONTHS, precise=True)
    '12,8 mois'
    >>> format_fr(NOT_APPLICABLE, Kind.SHARE, Unit.EXITS)
    'sans objet'
    """
    if value is NOT_APPLICABLE:
        return NOT_APPLICABLE.label_fr
    assert not isinstance(value, type(NOT_APPLICABLE))
    if kind is Kind.COUNT:
        return number_fr(value, 0)
    if kind is Kind.SHARE:
        places = (1 if 0 < value < 1 else 0) + (1 if precise else 0)
        return f"{number_fr(value, places)} %"
    if kind is Kind.RATIO:
        return number_fr(value, 1 if precise else 0)
    places = 1 if precise else 0
    suffix = {Unit.MONTHS: " mois", Unit.DAYS: " jours"}.get(unit, "")
    return f"{number_fr(value, places)}{suffix}"


def _value(figure: Figure, *, precise: bool = False) -> str:
    ind = figure.indicator
    return format_fr(figure.value, ind.kind, ind.unit, precise=precise)


def _date_fr(report: Report) -> str:
    known_on = report.tally.known_on
    known = f", connues au {known_on:%d/%m/%Y}" if known_on is not None else ""
    return f"{report.as_of:%d/%m/%Y}{known}"


def _title(report: Report) -> str:
    names = report.programme_names
    return " + ".join(names) if names else "PRE"


def _box(report: Report) -> list[tuple[str, str]]:
    """The seed's "en quelques chiffres" lines: (label, value)."""
    f = report.figure
    rows: list[tuple[str, str]] = [("Enfants suivis", _value(f("children_followed")))]
    for figure in report.figures:
        if figure.indicator.id == "children_by_commune":
            rows.append((f"  dont {figure.category_label_fr}", _value(figure)))
    rows += [
        ("Enfants suivis par référent temps plein", _value(f("children_per_referent_fte"))),
        ("Durée moyenne du parcours fini", _value(f("finished_pathway_duration_mean"))),
        ("Parcours individualisés", _value(f("individual_pathways"))),
        ("Actions hors temps scolaire", _value(f("actions_out_of_school_time"))),
        (
            "Enfants orientés par l'Éducation nationale",
            _value(f("referral_sources", "education_nationale")),
        ),
        ("Familles refusant le dispositif", _value(f("family_refusal_rate"))),
        (
            "Actions : droit commun / réussite éducative",
            f"{_value(f('actions_by_funding', 'mainstream'))} / "
            f"{_value(f('actions_by_funding', 'pre_funded'))}",
        ),
        (
            "Sorties : atteinte complète / partielle",
            f"{_value(f('exits_by_attainment', 'complete'))} / "
            f"{_value(f('exits_by_attainment', 'partial'))}",
        ),
        (
            "Sorties avec une évolution satisfaisante",
            _value(f("exits_satisfactory_evolution")),
        ),
    ]
    return rows


def _terms(figure: Figure) -> str:
    num, den = figure.numerator, figure.denominator
    if den is None:
        return ""
    shown_den = _terms_number(den)
    if num is None:
        return f"(sur {shown_den})"
    return f"({_terms_number(num)} / {shown_den})"


def _terms_number(value: int | float) -> str:
    """An integer as it is; a float with at most two decimals, French style."""
    if isinstance(value, float):
        return number_fr(value, 2).rstrip("0").rstrip(",")
    return str(value)


def to_text(report: Report, *, detail: bool = True) -> str:
    """The report in French: the seed's box, then (``detail``) every figure with its terms."""
    width = 48
    lines = [
        f"{_title(report)} — en quelques chiffres",
        f"{report.period.label_fr[:1].upper()}{report.period.label_fr[1:]}"
        f" (données au {_date_fr(report)})",
        "",
    ]
    lines += [f"  {label:<{width}} {value}" for label, value in _box(report)]
    programme = report.tally.programme
    if programme is not None and programme.referents:
        on = min(report.period.end, report.as_of)  # the referents in post then, as the ratio
        in_post = sum(1 for referent in programme.referents if referent.fte_on(on) > 0)
        fte = number_fr(programme.referent_fte_on(on), 2)
        lines.append(f"  {'Référents de parcours':<{width}} {in_post} ({fte} ETP)")
    if not detail:
        return "\n".join(lines) + "\n"
    lines += ["", "Détail des indicateurs (numérateur / dénominateur)"]
    current = None
    for figure in report.figures:
        ind = figure.indicator
        if ind.id != current:
            current = ind.id
            if ind.breakdown is not None:
                lines.append(f"  {ind.label_fr}")
        label = (
            f"    {figure.category_label_fr}" if figure.category_label_fr else f"  {ind.label_fr}"
        )
        value = _value(figure, precise=True)
        lines.append(f"{label:<{width + 2}} {value:>12}  {_terms(figure)}".rstrip())
    caseloads = report.caseloads()
    if caseloads:
        lines += ["", "File active par référent (moyenne sur la période)"]
        lines.append(f"  {'Référent':<24} {'parcours':>9} {'enfants':>8} {'ETP':>6} {'par ETP':>8}")
        for c in caseloads:
            per_fte = c.per_fte
            lines.append(
                f"  {c.referent_id:<24} {c.pathways:>9} {number_fr(c.mean_children, 1):>8} "
                f"{number_fr(c.mean_fte, 2):>6} "
                f"{format_fr(per_fte, Kind.RATIO, Unit.CHILDREN_PER_FTE, precise=True):>8}"
            )
        for c in caseloads:
            if c.child_days_out_of_post:
                lines.append(
                    f"  {c.referent_id} : {c.child_days_out_of_post} jours-enfants hors de son "
                    "poste (après son départ ou avant son arrivée), hors « par ETP » : "
                    "un changement de référent confierait ces enfants à un référent en poste"
                )
    skipped = report.tally.not_yet_known
    unknown = f"orientés après le {report.as_of:%d/%m/%Y}"
    if report.tally.known_on is not None:
        unknown += f" ou saisis après le {report.tally.known_on:%d/%m/%Y}"
    lines += [
        "",
        f"Parcours lus : {report.tally.pathways}"
        + (f" ; {unknown} (non comptés) : {skipped}" if skipped else ""),
        "Définitions : reussite.indicators.INDICATORS (version de chaque indicateur en JSON).",
    ]
    return "\n".join(lines) + "\n"


def _plain(value: Value) -> int | float | None:
    if value is NOT_APPLICABLE:
        return None
    assert not isinstance(value, type(NOT_APPLICABLE))
    return value


def records(report: Report) -> list[dict[str, Any]]:
    """One dict per figure, with :data:`RECORD_FIELDS` as keys, JSON-ready."""
    period = report.period.key
    as_of = report.as_of.isoformat()
    return [
        {
            "indicator": f.indicator.id,
            "category": f.category,
            "label_fr": f.label_fr,
            "value": _plain(f.value),
            "status": "ok" if f.applicable else NOT_APPLICABLE.value,
            "numerator": f.numerator,
            "denominator": f.denominator,
            "unit": f.indicator.unit.value,
            "kind": f.indicator.kind.value,
            "version": f.indicator.version,
            "period": period,
            "as_of": as_of,
        }
        for f in report.figures
    ]


def to_json(report: Report, *, indent: int | None = 2) -> str:
    """The report as a JSON document: period, as-of date, definitions and figures."""
    document = {
        "report": "reussite.annual_report",
        "period": report.period.to_dict(),
        "as_of": report.as_of.isoformat(),
        "known_on": None if report.tally.known_on is None else report.tally.known_on.isoformat(),
        "programmes": list(report.programme_names),
        "pathways_read": report.tally.pathways,
        "pathways_not_yet_known": report.tally.not_yet_known,
        "definitions": [
            {
                "id": i.id,
                "label_fr": i.label_fr,
                "description": i.description,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "unit": i.unit.value,
                "kind": i.kind.value,
                "in_period": i.in_period,
                "breakdown": i.breakdown,
                "version": i.version,
            }
            for i in INDICATORS.values()
        ],
        "figures": records(report),
        "caseloads": [
            {
                "programme": c.programme_id,
                "referent": c.referent_id,
                "pathways": c.pathways,
                "child_days": c.child_days,
                "child_days_out_of_post": c.child_days_out_of_post,
                "fte_days": c.fte_days,
                "days": c.days,
                "per_fte": _plain(c.per_fte),
            }
            for c in report.caseloads()
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=indent)


def to_csv(report: Report) -> str:
    """The figures as CSV with a header row (comma separated, one line per figure)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=RECORD_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records(report))
    return out.getvalue()


def to_html(report: Report) -> str:
    """An HTML table of the figures, for notebooks (``_repr_html_``)."""
    head = "".join(f"<th>{h}</th>" for h in ("indicateur", "valeur", "numérateur", "dénominateur"))
    rows = []
    for f in report.figures:
        cells = (
            f.label_fr,
            _value(f, precise=True),
            "" if f.numerator is None else str(f.numerator),
            "" if f.denominator is None else str(f.denominator),
        )
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    caption = html.escape(
        f"{_title(report)} — {report.period.label_fr} (données au {_date_fr(report)})"
    )
    return (
        f'<table class="reussite-report"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def to_dataframe(report: Report) -> Any:
    """The records as a pandas DataFrame (optional extra ``pandas``)."""
    from ._report import MissingOptionalDependency

    try:
        pd = importlib.import_module("pandas")
    except ImportError as error:
        raise MissingOptionalDependency(
            "Report.to_dataframe needs pandas, an optional extra: "
            "pip install 'reussite[pandas]' (or use to_records() / to_csv())"
        ) from error
    return pd.DataFrame.from_records(records(report), columns=list(RECORD_FIELDS))
