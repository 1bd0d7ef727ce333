"""French text and CSV of a return and of the national synthesis, in the survey's block order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from .._french import number_fr
from ..budget import format_euros
from ..codes import ExitReason, ReferralSource, Sex
from ..privacy import CountTable, suppress_small_counts
from ._editions import SurveyEdition, edition
from ._return import Count, PreReturn, histogram
from ._synthesis import NationalFigure, Synthesis

__all__ = ["return_csv", "return_text", "synthesis_csv", "synthesis_text"]

BLOCKS = (
    "PRE",
    "1. Identification",
    "2. Établissements scolaires couverts",
    "3. Partenaires et gouvernance",
    "4. Enfants accompagnés dans l'année scolaire",
    "5. Parcours",
    "6. Personnel",
    "7. Financements de l'année civile",
)
"""The survey's blocks, in order (0: the PREs themselves, in a synthesis)."""

NOT_ANSWERED = "non renseigné"

Row = tuple[int, str, str, str]
"""``(block, item code, French label, printed value)``."""


def _labels(enum_cls: type[ExitReason] | type[ReferralSource] | type[Sex]) -> dict[str, str]:
    return {m.value: m.label_fr for m in enum_cls}


def _masked(counts: tuple[Count, ...], k: int | None) -> dict[str, str]:
    """Each count printed, counts of 1 to k - 1 (and their complements) as ``< k``."""
    shown = {c.code: number_fr(c.n) for c in counts}
    if k is None or not counts:
        return shown
    table = CountTable(
        rows=("total",), columns=tuple(c.code for c in counts), counts=(tuple(c.n for c in counts),)
    )
    cells = suppress_small_counts(table, k).cells[0]
    return {
        c.code: f"< {k}"
        if cell is None and c.n < k
        else ("secret" if cell is None else shown[c.code])
        for c, cell in zip(counts, cells, strict=True)
    }


_SINGULAR = {
    "enfants": "enfant",
    "établissements": "établissement",
    "réunions": "réunion",
    "jours": "jour",
    "postes": "poste",
    "répondants": "répondant",
}
"""French nouns of units and their singular (the rest are invariable: mois, ETP, PRE...)."""


def agreed(value: float, noun: str) -> str:
    """``noun`` agreed with ``value`` in French: singular below 2 (``1 poste``, ``1,5 jour``).

    >>> agreed(1, "postes"), agreed(0, "jours"), agreed(2, "postes"), agreed(3, "mois")
    ('poste', 'jour', 'postes', 'mois')
    """
    return _SINGULAR.get(noun, noun) if abs(value) < 2 else noun


def _total(n: int, k: int | None) -> str:
    return f"< {k}" if k is not None and 0 < n < k else number_fr(n)


def _mean(bins_total: int, count: int, places: int = 1) -> str:
    return number_fr(bins_total / count, places) if count else "sans objet"


def _return_rows(r: PreReturn, k: int | None, survey: SurveyEdition | None) -> Iterator[Row]:
    ed = edition(r.edition) if survey is None else survey
    i = r.identity
    yield 1, "programme", "PRE", f"{r.programme_name} ({r.programme_id})"
    yield 1, "school_year", "Année scolaire", f"{r.school_year}-{r.school_year + 1}"
    yield (
        1,
        "carrier",
        "Structure porteuse",
        (NOT_ANSWERED if i.carrier is None else ed.label("carriers", i.carrier)),
    )
    yield 1, "active", "Actif à la date de référence", "oui" if i.active else "non"
    yield 1, "communes", "Communes couvertes", ", ".join(i.communes) or "aucune"
    yield (
        1,
        "qpv_count",
        "Quartiers prioritaires couverts",
        (NOT_ANSWERED if i.qpv_count is None else number_fr(i.qpv_count)),
    )
    yield (
        1,
        "outside_priority_geography",
        "Hors géographie prioritaire",
        (
            NOT_ANSWERED
            if i.outside_priority_geography is None
            else ("oui" if i.outside_priority_geography else "non")
        ),
    )
    if r.schools is None:
        yield 2, "schools", "Établissements couverts", NOT_ANSWERED
    else:
        for c in r.schools:
            yield 2, f"schools.{c.code}", ed.label("school_levels", c.code), number_fr(c.n)
        yield 2, "schools", "Total", number_fr(sum(c.n for c in r.schools))
    g = r.governance
    if g.partners is None:
        yield 3, "partners", "Partenaires", NOT_ANSWERED
    else:
        for p in g.partners:
            roles = ", ".join(ed.label("partner_roles", x) for x in p.roles)
            yield 3, f"partners.{p.partner}", ed.label("partners", p.partner), roles
    yield 3, "eps", "Nombre d'EPS", NOT_ANSWERED if g.eps is None else number_fr(g.eps)
    yield (
        3,
        "eps_meetings",
        "Réunions d'EPS dans l'année",
        (NOT_ANSWERED if g.eps_meetings is None else number_fr(g.eps_meetings)),
    )
    delays = histogram(g.referral_to_review_days)
    admitted = sum(delays.values())
    yield (
        3,
        "delay_referral_to_review_mean",
        "Délai moyen orientation → examen en EPS (jours)",
        (_mean(sum(d * n for d, n in delays.items()), admitted)),
    )
    ch = r.children
    yield 4, "children_in_pathway", "Enfants en parcours personnalisé", _total(ch.in_pathway, k)
    yield (
        4,
        "children_collective_only",
        "Enfants en actions collectives seulement",
        (NOT_ANSWERED if ch.collective_only is None else _total(ch.collective_only, k)),
    )
    supported = ch.supported
    yield (
        4,
        "children_supported",
        "Enfants accompagnés (total)",
        (NOT_ANSWERED if supported is None else _total(supported, k)),
    )
    sexes = _labels(Sex)
    for code, shown in _masked(ch.by_sex, k).items():
        yield 4, f"children_by_sex.{code}", f"Sexe : {sexes.get(code, code)}", shown
    for code, shown in _masked(ch.by_age_band, k).items():
        yield 4, f"children_by_age_band.{code}", f"Âge : {ed.label('age_bands', code)}", shown
    sources = _labels(ReferralSource)
    for code, shown in _masked(ch.by_referral_source, k).items():
        yield 4, f"children_by_source.{code}", f"Orientés par : {sources.get(code, code)}", shown
    pw = r.pathways
    yield 5, "entries", "Entrées en parcours", number_fr(pw.entries)
    yield 5, "exits", "Sorties de parcours", number_fr(pw.exits)
    reasons = _labels(ExitReason)
    for code, shown in _masked(pw.exits_by_reason, k).items():
        yield 5, f"exits_by_reason.{code}", f"Sorties : {reasons.get(code, code)}", shown
    durations = histogram(pw.durations_months)
    yield (
        5,
        "duration_mean",
        "Durée moyenne des parcours finis (mois)",
        _mean(sum(d * n for d, n in durations.items()), sum(durations.values())),
    )
    st = r.staff
    fte = {c.code: c.n for c in st.fte_hundredths}
    for c in st.posts:
        computed = c.code == "referent"
        if st.declared or computed:
            value = (
                f"{number_fr(c.n)} {agreed(c.n, 'postes')}, {number_fr(fte[c.code] / 100, 2)} ETP"
            )
        else:
            value = NOT_ANSWERED
        yield 6, f"staff.{c.code}", ed.label("staff_functions", c.code), value
    m = r.money
    if m is None:
        yield 7, "money", "Financements", NOT_ANSWERED
        return
    yield 7, "money_year", "Année civile", str(m.year)
    for c in m.direct:
        yield 7, f"direct.{c.code}", ed.label("funders", c.code), format_euros(c.n)
    yield 7, "direct", "Financements directs (total)", format_euros(m.direct_cents)
    for x in m.in_kind:
        label = f"En nature : {ed.label('in_kind_types', x.type)} ({ed.label('funders', x.giver)})"
        yield 7, f"in_kind.{x.type}.{x.giver}", label, format_euros(x.cents)
    yield 7, "in_kind", "Contributions en nature (total)", format_euros(m.in_kind_cents)
    if m.unclassified_lines:
        yield (
            7,
            "unclassified",
            "Recettes non classées (dans « autres »)",
            str(m.unclassified_lines),
        )


def _aligned(rows: Iterable[Row], title: str) -> str:
    lines = [title, "=" * len(title)]
    current = -1
    for block, _, label, value in rows:
        if block != current:
            current = block
            lines += ["", BLOCKS[block], "-" * len(BLOCKS[block])]
        lines.append(f"{label} : {value}")
    return "\n".join(lines) + "\n"


def _csv(rows: Iterable[tuple[object, ...]], header: tuple[str, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def return_text(
    r: PreReturn, *, suppress_below: int | None = None, survey: SurveyEdition | None = None
) -> str:
    """The return in French, block by block."""
    year = f"{r.school_year}-{r.school_year + 1}"
    title = f"Fiche de l'enquête annuelle PRE — {r.programme_name} — {year}"
    return _aligned(_return_rows(r, suppress_below, survey), title)


def return_csv(
    r: PreReturn, *, suppress_below: int | None = None, survey: SurveyEdition | None = None
) -> str:
    """The return as CSV: ``bloc;code;libellé;valeur``, in block order."""
    answers = _return_rows(r, suppress_below, survey)
    rows = ((BLOCKS[b], code, label, value) for b, code, label, value in answers)
    return _csv(rows, ("bloc", "code", "libellé", "valeur"))


def _value(f: NationalFigure) -> str:
    if f.value is None:
        return "sans objet"
    if f.unit == "€":
        return format_euros(round(f.value * 100))
    if f.unit == "%":
        return f"{number_fr(f.value, 1)} %"
    if isinstance(f.value, int):
        return number_fr(f.value)
    return f"{number_fr(f.value, 2 if f.unit == 'ETP' else 1)} {agreed(f.value, f.unit)}"


def synthesis_text(s: Synthesis, *, survey: SurveyEdition | None = None) -> str:
    """The synthesis in French: every figure by block, with how many PREs answered."""
    title = f"Synthèse nationale PRE — année scolaire {s.school_year}-{s.school_year + 1}"
    if s.money_year is not None:
        title += f", financements {s.money_year}"

    def rows() -> Iterator[Row]:
        for f in s.figures(survey=survey):
            value = _value(f)
            if f.answered is not None:
                value += f" ({number_fr(f.answered)} PRE {agreed(f.answered, 'répondants')})"
            yield f.block, f.id, f.label_fr, value

    return _aligned(rows(), title)


def synthesis_csv(s: Synthesis, *, survey: SurveyEdition | None = None) -> str:
    """The figures as CSV: ``bloc;code;libellé;unité;valeur;numérateur;dénominateur;répondants``."""
    rows = (
        (
            BLOCKS[f.block],
            f.id,
            f.label_fr,
            f.unit,
            "" if f.value is None else f.value,
            "" if f.numerator is None else f.numerator,
            "" if f.denominator is None else f.denominator,
            "" if f.answered is None else f.answered,
        )
        for f in s.figures(survey=survey)
    )
    return _csv(
        rows,
        ("bloc", "code", "libellé", "unité", "valeur", "numérateur", "dénominateur", "répondants"),
    )
