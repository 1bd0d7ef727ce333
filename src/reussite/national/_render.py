"""French text and CSV of a return and of the national synthesis, in the survey's block order."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from .._french import number_fr
from .._sums import Relation, SumModel
from ..budget import format_euros
from ..codes import ExitReason, ReferralSource, Sex
from ..errors import InvalidValue
from ._editions import SurveyEdition, edition
from ._return import PreReturn, histogram
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


SECRET = "secret"
"""How a masked count is printed (*secret statistique*)."""


def children_counts(r: PreReturn) -> tuple[dict[str, int], list[tuple[str, tuple[str, ...]]]]:
    """The counts of children a return publishes, by name, and the sums linking them.

    ``followed`` (children in a pathway) is the sum of each of its breakdowns
    (``sex:F``...), ``supported`` of ``followed`` and ``collective``, ``exits`` of the
    exits by reason; ``entries`` stands alone.
    """
    ch, pw = r.children, r.pathways
    values = {"followed": ch.in_pathway, "entries": pw.entries, "exits": pw.exits}
    sums: list[tuple[str, tuple[str, ...]]] = []
    if ch.collective_only is not None:
        values["collective"] = ch.collective_only
        values["supported"] = ch.in_pathway + ch.collective_only
        sums.append(("supported", ("followed", "collective")))
    for prefix, counts, whole in (
        ("sex", ch.by_sex, "followed"),
        ("age", ch.by_age_band, "followed"),
        ("source", ch.by_referral_source, "followed"),
        ("reason", pw.exits_by_reason, "exits"),
    ):
        names = tuple(f"{prefix}:{c.code}" for c in counts)
        values.update((f"{prefix}:{c.code}", c.n) for c in counts)
        if names:
            sums.append((whole, names))
    return values, sums


class _ReturnModel(SumModel):
    """The privacy model of a report, for a return's deeper sums.

    ``supported`` sits above ``followed``, which sits above its breakdowns: a small
    breakdown cell whose whole is masked too may need a count two levels up masked.
    """

    def neighbours(self, key: str) -> list[str]:
        found = super().neighbours(key)
        relation = self.parent_of.get(key)
        while relation is not None:
            above = self.parent_of.get(relation.parent)
            if above is not None:
                found += [p for p in above.parts if p != relation.parent] + [above.parent]
            relation = above
        return list(dict.fromkeys(k for k in found if k not in self.masked and self.values[k] > 0))


def masked_counts(r: PreReturn, k: int | None) -> frozenset[str]:
    """The counts of :func:`children_counts` to mask for publication at threshold ``k``.

    Counts of 1 to ``k - 1`` children, then, as :func:`reussite.privacy.suppress_report`
    does, further counts until no masked one can be recomputed from what is published
    (the totals, the other breakdowns of the same total, the zeros, which stay).
    """
    if k is None:
        return frozenset()
    values, sums = children_counts(r)
    model = _ReturnModel(dict(values), [Relation(w, parts) for w, parts in sums], set())
    model.suppress(k)
    return frozenset(model.masked)


def _shown(name: str, values: dict[str, int], masked: frozenset[str]) -> str:
    return SECRET if name in masked else number_fr(values[name])


def _mean(bins_total: int, count: int, k: int | None = None, places: int = 1) -> str:
    if k is not None and 0 < count < k:
        return SECRET
    return number_fr(bins_total / count, places) if count else "sans objet"


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


def _return_rows(r: PreReturn, k: int | None, survey: SurveyEdition | None) -> Iterator[Row]:
    if k is not None and (type(k) is not int or k < 1):
        raise InvalidValue("PreReturn.to_text", "suppress_below", k, "an integer >= 1 or None")
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
        (_mean(sum(d * n for d, n in delays.items()), admitted, k)),
    )
    ch = r.children
    values, _ = children_counts(r)
    masked = masked_counts(r, k)
    yield (
        4,
        "children_in_pathway",
        "Enfants en parcours personnalisé",
        _shown("followed", values, masked),
    )
    answered = ch.collective_only is not None
    yield (
        4,
        "children_collective_only",
        "Enfants en actions collectives seulement",
        _shown("collective", values, masked) if answered else NOT_ANSWERED,
    )
    yield (
        4,
        "children_supported",
        "Enfants accompagnés (total)",
        _shown("supported", values, masked) if answered else NOT_ANSWERED,
    )
    sexes = _labels(Sex)
    for c in ch.by_sex:
        shown = _shown(f"sex:{c.code}", values, masked)
        yield 4, f"children_by_sex.{c.code}", f"Sexe : {sexes.get(c.code, c.code)}", shown
    for c in ch.by_age_band:
        label = f"Âge : {ed.label('age_bands', c.code)}"
        yield 4, f"children_by_age_band.{c.code}", label, _shown(f"age:{c.code}", values, masked)
    sources = _labels(ReferralSource)
    for c in ch.by_referral_source:
        label = f"Orientés par : {sources.get(c.code, c.code)}"
        shown = _shown(f"source:{c.code}", values, masked)
        yield 4, f"children_by_source.{c.code}", label, shown
    pw = r.pathways
    yield 5, "entries", "Entrées en parcours", _shown("entries", values, masked)
    yield 5, "exits", "Sorties de parcours", _shown("exits", values, masked)
    reasons = _labels(ExitReason)
    for c in pw.exits_by_reason:
        label = f"Sorties : {reasons.get(c.code, c.code)}"
        shown = _shown(f"reason:{c.code}", values, masked)
        yield 5, f"exits_by_reason.{c.code}", label, shown
    durations = histogram(pw.durations_months)
    yield (
        5,
        "duration_mean",
        "Durée moyenne des parcours finis (mois)",
        _mean(sum(d * n for d, n in durations.items()), sum(durations.values()), k),
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
