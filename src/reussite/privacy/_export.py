"""The pseudonymised export: JSON Lines or CSV that no one outside the team can re-identify.

Columns are declared once (:data:`COLUMNS`), each with the catalogue fields it is derived
from; the category a column reveals is computed from the catalogue, so a column derived
from a direct identifier can only ever be a keyed pseudonym, and a purpose that does not
keep a category drops every column that reveals it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO

import attrs

from .._enum import LabelledEnum
from .._sensitivity import Sensitivity, value_categories
from ..calendar import age_on
from ..codes import (
    ActionFunding,
    ActionKind,
    ActionTiming,
    ObjectiveDomain,
    ObjectiveStatus,
)
from ..errors import InvalidValue
from ..indicators._definitions import AgeBand
from ..pathway import Pathway
from ..plan import Objective
from ..referral import Referral
from ..register import Register
from ._catalogue import catalogue
from ._purpose import Purpose, categories_of, check_key, pseudonymiser

__all__ = [
    "AGE_BANDS",
    "COLUMNS",
    "Column",
    "ExportManifest",
    "Transform",
    "age_band",
    "export_pseudonymised",
]

Value = str | int | bool | list[str] | None
"""What one cell holds: text, a number, a flag, a list of codes, or nothing."""

AGE_BANDS: tuple[str, ...] = tuple(band.value for band in AgeBand)
"""Age bands (*tranches d'âge*), whole years: the indicators' profile bands
(:class:`~reussite.indicators.AgeBand`), so exports and reports can be compared."""


def age_band(birth_date: dt.date, on: dt.date) -> str:
    """The age band of a child on a date (``"6-10"``, ``"16+"``): see :data:`AGE_BANDS`.

    >>> age_band(dt.date(2009, 5, 4), dt.date(2017, 10, 2))
    '6-10'
    """
    return AgeBand.of(age_on(birth_date, on)).value


class Transform(LabelledEnum):
    """How a column is derived from its source fields (*transformation*)."""

    COPY = ("copy", "copie d'un code, d'une date ou d'un indicateur")
    PSEUDONYM = ("pseudonym", "pseudonyme HMAC-SHA256 (clé et finalité)")
    AGE = ("age", "âge en années révolues à la date d'orientation")
    AGE_BAND = ("age_band", "tranche d'âge à la date d'orientation")
    COUNT = ("count", "dénombrement")
    SUM = ("sum", "somme")


@attrs.frozen(kw_only=True)
class _Context:
    key: bytes = attrs.field(repr=False)
    purpose: Purpose
    kept: frozenset[Sensitivity]
    _pseudonym: Callable[[str, str], str] = attrs.field(
        init=False,
        eq=False,
        repr=False,
        default=attrs.Factory(lambda c: pseudonymiser(c.key, c.purpose), takes_self=True),
    )

    def pseudonym(self, kind: str, raw: str | None) -> str | None:
        if raw is None:
            return None
        return self._pseudonym(kind, raw)

    def codes(self, values: Iterable[LabelledEnum], column: Column) -> list[str]:
        return [str(c.value) for c in values if self.shows(c, column)]

    def shows(self, code: LabelledEnum, column: Column) -> bool:
        category = column.value_categories.get(str(code.value))
        return category is None or category in self.kept


Extract = Callable[[Pathway, _Context, "Column"], Value]


@attrs.frozen(kw_only=True)
class Column:
    """One column of the export (*variable exportée*).

    Attributes:
        name: its name in the header and in each row.
        sources: the catalogue fields it is derived from (``"Child.birth_date"``).
        transform: how it is derived.
        description_fr: what it holds, in French, for the export's header.
        value_categories: codes whose mere value reveals a more sensitive category
            (the referral source ``ase`` reveals child protection); they are left out
            when the purpose does not keep that category.
        reveals: a category the column reveals beyond its sources' (the count of
            objectives in the health domain reveals health).
    """

    name: str
    sources: tuple[str, ...]
    transform: Transform
    description_fr: str
    extract: Extract = attrs.field(eq=False, repr=False)
    value_categories: Mapping[str, Sensitivity] = attrs.field(factory=dict, repr=False)
    reveals: Sensitivity | None = None

    def category(self, fields: Mapping[str, Sensitivity] | None = None) -> Sensitivity:
        """The most sensitive category the column reveals, from the catalogue.

        A keyed pseudonym of a direct identifier reveals nothing ordinary data do not.

        Raises:
            KeyError: never for the declared columns (a test checks every source exists).
        """
        fields = _field_categories() if fields is None else fields
        found = [fields[s] for s in self.sources]
        if self.transform is Transform.PSEUDONYM:
            found = [
                Sensitivity.ORDINARY if c is Sensitivity.DIRECT_IDENTIFIER else c for c in found
            ]
        if self.reveals is not None:
            found.append(self.reveals)
        return max(found, key=lambda c: c.rank)


def _field_categories() -> dict[str, Sensitivity]:
    return {entry.name: entry.category for entry in catalogue()}


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


# Declared once, on the fields (the catalogue's value categories).
SOURCE_CATEGORIES = value_categories(attrs.fields(Referral).source)
REASON_CATEGORIES = value_categories(attrs.fields(Referral).reasons)
DOMAIN_CATEGORIES = value_categories(attrs.fields(Objective).domain)


def _col(
    name: str,
    sources: tuple[str, ...],
    description_fr: str,
    extract: Extract,
    transform: Transform = Transform.COPY,
    **extra: Any,
) -> Column:
    return Column(
        name=name,
        sources=sources,
        transform=transform,
        description_fr=description_fr,
        extract=extract,
        **extra,
    )


def _objectives_in(domain: ObjectiveDomain) -> Column:
    return _col(
        f"objectives_{domain.value}",
        ("Objective.domain",),
        f"nombre d'objectifs du domaine « {domain.label_fr} »",
        lambda p, c, col: sum(1 for o in p.objectives if o.domain is domain),
        Transform.COUNT,
        reveals=DOMAIN_CATEGORIES.get(domain.value),
    )


def _actions_where(name: str, description: str, source: str, test: Callable[[Any], bool]) -> Column:
    return _col(
        name,
        (source,),
        description,
        lambda p, c, col: sum(1 for a in p.actions if test(a)),
        Transform.COUNT,
    )


PS = Transform.PSEUDONYM

COLUMNS: tuple[Column, ...] = (
    _col("pathway", ("Pathway.id",), "pseudonyme du parcours",
         lambda p, c, col: c.pseudonym("pathway", p.id), PS),
    _col("child", ("Child.id",), "pseudonyme de l'enfant (relie ses parcours successifs)",
         lambda p, c, col: c.pseudonym("child", p.child.id), PS),
    _col("family", ("Family.id",), "pseudonyme de la famille (relie les fratries)",
         lambda p, c, col: c.pseudonym("family", p.family.id), PS),
    _col("previous_pathway", ("Pathway.previous_pathway_id",),
         "pseudonyme du parcours précédent de l'enfant (réentrée)",
         lambda p, c, col: c.pseudonym("pathway", p.previous_pathway_id), PS),
    _col("programme", ("Programme.id",), "identifiant du PRE",
         lambda p, c, col: p.programme.id),
    _col("state", ("Pathway.state",), "situation du parcours",
         lambda p, c, col: p.state.value),
    _col("referral_on", ("Referral.on",), "date d'orientation",
         lambda p, c, col: _iso(p.referral.on)),
    _col("referral_source", ("Referral.source",),
         "partenaire orienteur (vide si le code révèle une catégorie non retenue)",
         lambda p, c, col: p.referral.source.value if c.shows(p.referral.source, col) else None,
         value_categories=SOURCE_CATEGORIES),
    _col("referral_reasons", ("Referral.reasons",),
         "problématiques repérées (sans celles qui relèvent d'une catégorie non retenue)",
         lambda p, c, col: c.codes(p.referral.reasons, col),
         value_categories=REASON_CATEGORIES),
    _col("eligible", ("Eligibility.unmet",), "éligible sans dérogation à la date d'orientation",
         lambda p, c, col: p.eligibility.eligible),
    _col("unmet_criteria", ("Eligibility.unmet",), "critères d'éligibilité non remplis",
         lambda p, c, col: c.codes(p.eligibility.unmet, col)),
    _col("sex", ("Child.sex",), "sexe", lambda p, c, col: p.child.sex.value),
    _col("age_at_referral", ("Child.birth_date", "Referral.on"),
         "âge en années révolues à la date d'orientation (option ages='years')",
         lambda p, c, col: age_on(p.child.birth_date, p.referral.on), Transform.AGE),
    _col("age_band", ("Child.birth_date", "Referral.on"),
         "tranche d'âge à la date d'orientation",
         lambda p, c, col: age_band(p.child.birth_date, p.referral.on), Transform.AGE_BAND),
    _col("school_level", ("Child.school_level",), "niveau scolaire à l'orientation",
         lambda p, c, col: p.child.school_level.value),
    _col("school_stage", ("Child.school_level",), "cycle (maternelle, élémentaire, collège…)",
         lambda p, c, col: p.child.school_level.group.value),
    _col("priority_education", ("Child.priority_education",), "éducation prioritaire (REP, REP+)",
         lambda p, c, col: p.child.priority_education.value),
    _col("commune", ("Child.commune",), "code INSEE de la commune de résidence",
         lambda p, c, col: p.child.commune),
    _col("qpv", ("Child.qpv",), "code du quartier prioritaire (QPV) de résidence",
         lambda p, c, col: p.child.qpv),
    _col("consent_on", ("Consent.on",), "date du premier accord écrit de la famille",
         lambda p, c, col: _iso(p.consents[0].on) if p.consents else None),
    _col("consent_withdrawn_on", ("Pathway.consent_withdrawn_on",), "date du retrait de l'accord",
         lambda p, c, col: _iso(p.consent_withdrawn_on)),
    _col("assessed_on", ("Assessment.on",), "date du diagnostic",
         lambda p, c, col: _iso(p.assessment.on) if p.assessment else None),
    _col("assessment_needs", ("Assessment.needs",),
         "domaines de besoin du diagnostic (sans ceux d'une catégorie non retenue)",
         lambda p, c, col: c.codes(p.assessment.needs, col) if p.assessment else [],
         value_categories=DOMAIN_CATEGORIES),
    _col("admitted_on", ("TeamDecision.on",), "date de la validation de l'entrée par l'EPS",
         lambda p, c, col: _iso(p.admission.on) if p.admission else None),
    _col("started_on", ("Pathway.started_on",), "date de démarrage du parcours",
         lambda p, c, col: _iso(p.started_on)),
    _col("exit_on", ("Exit.on",), "date de sortie",
         lambda p, c, col: _iso(p.exit.on) if p.exit else None),
    _col("exit_reason", ("Exit.reason",), "motif de sortie",
         lambda p, c, col: p.exit.reason.value if p.exit else None),
    _col("attainment", ("Exit.attainment",), "atteinte des résultats",
         lambda p, c, col: p.exit.attainment.value if p.exit else None),
    _col("satisfactory_evolution", ("Exit.satisfactory_evolution",),
         "évolution satisfaisante de la situation",
         lambda p, c, col: p.exit.satisfactory_evolution if p.exit else None),
    _col("not_taken_on_on", ("NotTakenOn.on",), "date de la non-prise en charge",
         lambda p, c, col: _iso(p.not_taken_on.on) if p.not_taken_on else None),
    _col("not_taken_on_reason", ("NotTakenOn.reason",), "motif de non-prise en charge",
         lambda p, c, col: p.not_taken_on.reason.value if p.not_taken_on else None),
    _col("handover_on", ("Handover.on",), "date du passage de relais",
         lambda p, c, col: _iso(p.handover.on) if p.handover else None),
    _col("handover_recipient", ("Handover.recipient",), "destinataire du relais (CRIP, ASE…)",
         lambda p, c, col: p.handover.recipient.value if p.handover else None),
    _col("parents_informed", ("Handover.parents_informed",),
         "parents informés du passage de relais",
         lambda p, c, col: p.handover.parents_informed if p.handover else None),
    _col("objectives_total", ("Objective.id",), "nombre d'objectifs",
         lambda p, c, col: len(p.objectives), Transform.COUNT),
    _col("objectives_met", ("Objective.status",), "nombre d'objectifs atteints",
         lambda p, c, col: sum(1 for o in p.objectives if o.status is ObjectiveStatus.MET),
         Transform.COUNT),
    *(_objectives_in(domain) for domain in ObjectiveDomain),
    _col("actions_total", ("Action.id",), "nombre d'actions",
         lambda p, c, col: len(p.actions), Transform.COUNT),
    _actions_where("actions_pre_funded", "actions financées par la réussite éducative",
                   "Action.funding", lambda a: a.funding is ActionFunding.PRE_FUNDED),
    _actions_where("actions_collective", "actions collectives",
                   "Action.kind", lambda a: a.kind is ActionKind.COLLECTIVE),
    _actions_where("actions_school_time", "actions sur temps scolaire",
                   "Action.timing", lambda a: a.timing is ActionTiming.SCHOOL_TIME),
    _actions_where("actions_cancelled", "actions annulées avant de commencer",
                   "Action.cancelled", lambda a: a.cancelled),
    _col("actions_cost_cents", ("Action.cost_cents",), "coût des actions pour le PRE, en centimes",
         lambda p, c, col: sum(a.cost_cents for a in p.actions), Transform.SUM),
    _col("family_share_cents", ("Action.family_share_cents",),
         "participation des familles, en centimes",
         lambda p, c, col: sum(a.family_share_cents for a in p.actions), Transform.SUM),
    _col("reviews_total", ("Review.on",), "nombre de bilans",
         lambda p, c, col: len(p.reviews), Transform.COUNT),
)  # fmt: skip
"""Every column an export can hold, in order; a purpose keeps those whose category it keeps."""


@attrs.frozen(kw_only=True)
class ExportManifest:
    """What an export contains (*description de l'extraction*): its header, and a count.

    Attributes:
        purpose: the purpose the pseudonyms are scoped by.
        as_of: the export's reference date.
        format: ``"jsonl"`` or ``"csv"``.
        columns: the columns written, in order.
        categories_kept: the categories the export keeps.
        categories_dropped: the categories it leaves out (always direct identifiers).
        withheld_codes: per column, the codes left out because they reveal a
            category the purpose does not keep.
        rows: how many pathways were written.
    """

    purpose: Purpose
    as_of: dt.date
    format: str
    columns: tuple[Column, ...]
    categories_kept: frozenset[Sensitivity]
    categories_dropped: frozenset[Sensitivity]
    withheld_codes: Mapping[str, tuple[str, ...]]
    rows: int = 0

    def header(self) -> dict[str, Any]:
        """The header as JSON-ready data: purpose, date, schema and categories kept."""
        fields = _field_categories()
        return {
            "reussite_export": {
                "version": 1,
                "format": self.format,
                "purpose": self.purpose.name,
                "purpose_label_fr": self.purpose.label_fr,
                "as_of": self.as_of.isoformat(),
                "pseudonyms": (
                    "HMAC-SHA256 keyed by the data controller's key and scoped by the "
                    f"purpose {self.purpose.name!r}; 32 hexadecimal characters"
                ),
                "categories_kept": _ordered(self.categories_kept),
                "categories_dropped": _ordered(self.categories_dropped),
                "withheld_codes": {k: list(v) for k, v in self.withheld_codes.items()},
                "columns": [
                    {
                        "name": c.name,
                        "category": c.category(fields).value,
                        "transform": c.transform.value,
                        "sources": list(c.sources),
                        "description_fr": c.description_fr,
                    }
                    for c in self.columns
                ],
            }
        }


def _ordered(categories: Iterable[Sensitivity]) -> list[str]:
    return [c.value for c in sorted(categories, key=lambda c: c.rank)]


_FORMATS = ("jsonl", "csv")
_AGES = ("band", "years")


def _plan(
    purpose: Purpose, *, fmt: str, as_of: dt.date, ages: str, include: Iterable[Sensitivity | str]
) -> ExportManifest:
    owner = "export_pseudonymised"
    if fmt not in _FORMATS:
        raise InvalidValue(owner, "format", fmt, "'jsonl' or 'csv'")
    if ages not in _AGES:
        raise InvalidValue(owner, "ages", ages, "'band' (age bands) or 'years' (bands and ages)")
    if not isinstance(as_of, dt.date) or isinstance(as_of, dt.datetime):
        raise InvalidValue(owner, "as_of", as_of, "a datetime.date")
    extra = categories_of(include, owner=owner)
    if extra:
        purpose = purpose.including(*extra)
    kept = purpose.categories
    fields = _field_categories()
    columns = tuple(
        c
        for c in COLUMNS
        if c.category(fields) in kept and (ages == "years" or c.transform is not Transform.AGE)
    )
    withheld = {
        c.name: tuple(code for code, cat in c.value_categories.items() if cat not in kept)
        for c in columns
    }
    return ExportManifest(
        purpose=purpose,
        as_of=as_of,
        format=fmt,
        columns=columns,
        categories_kept=kept,
        categories_dropped=frozenset(Sensitivity) - kept,
        withheld_codes={name: codes for name, codes in withheld.items() if codes},
    )


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def export_pseudonymised(
    pathways: Iterable[Pathway],
    *,
    key: bytes,
    purpose: Purpose | str,
    as_of: dt.date,
    format: str = "jsonl",
    out: TextIO,
    include: Iterable[Sensitivity | str] = (),
    ages: str = "band",
    sidecar: TextIO | None = None,
    check_register: bool = True,
) -> ExportManifest:
    """Write one pseudonymised row per pathway as JSON Lines or CSV (*extraction pseudonymisée*).

    Rule: ids become keyed pseudonyms (HMAC-SHA256, the caller's key, scoped by the
    purpose); the birth date becomes an age band at the referral date (and, with
    ``ages="years"``, the age in whole years); names, contact details, raw ids and free
    text never leave; health and child-protection columns (and the codes that reveal
    them) are left out unless the purpose or ``include`` names them; commune, QPV and
    school level stay for statistics. The export first states what it contains (purpose,
    date, schema, categories kept): a first JSON line ``{"reussite_export": …}``, a first
    CSV line ``# {"reussite_export": …}``, or the whole header in ``sidecar`` when given.

    Args:
        pathways: the pathways to export, read once (a stream is fine).
        key: the data controller's secret, at least 32 bytes; keep it to re-link later.
        purpose: a :class:`Purpose` or its name (``"evaluation"``, ``"survey"``, …).
        as_of: the export's reference date: no pathway may have an event after it.
        format: ``"jsonl"`` or ``"csv"``.
        out: the text stream rows are written to.
        include: extra categories to keep (``"health"``, ``"child_protection"``).
        ages: ``"band"`` (default) or ``"years"`` (bands and ages in whole years).
        sidecar: a text stream for the header instead of the first line of ``out``.
        check_register: check the pathways against each other before each row is
            written (:class:`~reussite.Register`: a pathway once, one open pathway per
            child...); ``False`` when they were checked already (a cohort file read by
            :func:`~reussite.serialization.load_cohort`).

    Returns:
        The manifest of what was written, with the number of rows.

    Raises:
        InvalidValue: for a short key, an unknown format, category or purpose, a
            ``direct_identifier`` in ``include``, or a pathway with events after ``as_of``.
        RegisterConflict: at a pathway in conflict with one exported before it (the rows
            before it are written).

    >>> import io
    >>> from reussite.privacy import generate_key
    >>> out = io.StringIO()
    >>> export_pseudonymised([], key=generate_key(), purpose="evaluation",
    ...                      as_of=dt.date(2024, 1, 1), out=out).rows
    0
    >>> json.loads(out.getvalue())["reussite_export"]["categories_dropped"]
    ['health', 'child_protection', 'direct_identifier']
    """
    if isinstance(pathways, str | bytes | Pathway) or not isinstance(pathways, Iterable):
        raise InvalidValue("export_pseudonymised", "pathways", pathways, "an iterable of Pathway")
    check_streams("export_pseudonymised", out, sidecar)
    manifest, context = _start(key, purpose, fmt=format, as_of=as_of, ages=ages, include=include)
    _head(manifest, out, sidecar)
    text = _row_text(manifest)
    rows = 0
    register = Register() if check_register else None
    for pathway in pathways:
        row = _row(pathway, manifest, context)
        if register is not None:
            register.check(pathway)
        out.write(text(row))
        rows += 1
    return attrs.evolve(manifest, rows=rows)


def check_streams(owner: str, out: object, sidecar: object) -> None:
    """Check that an export can write: ``out`` a text stream, ``sidecar`` one or ``None``.

    Raises:
        InvalidValue: naming the argument, before anything is written.
    """
    for name, stream in (("out", out), ("sidecar", sidecar)):
        if stream is None and name == "sidecar":
            continue
        if (
            not callable(getattr(stream, "write", None))
            or isinstance(stream, io.RawIOBase | io.BufferedIOBase)  # bytes, not text
            or getattr(stream, "closed", False) is True
        ):
            expected = "a text stream open for writing" + (", or None" if name == "sidecar" else "")
            raise InvalidValue(owner, name, stream, expected)


def _start(
    key: bytes,
    purpose: Purpose | str,
    *,
    fmt: str,
    as_of: dt.date,
    ages: str,
    include: Iterable[Sensitivity | str],
) -> tuple[ExportManifest, _Context]:
    """The manifest and the pseudonyms' context of an export, every argument checked."""
    secret = check_key(key, owner="export_pseudonymised")
    manifest = _plan(Purpose.of(purpose), fmt=fmt, as_of=as_of, ages=ages, include=include)
    return manifest, _Context(key=secret, purpose=manifest.purpose, kept=manifest.categories_kept)


def _head(manifest: ExportManifest, out: TextIO, sidecar: TextIO | None) -> None:
    """Write what the export contains: its first line(s) in ``out``, or ``sidecar``."""
    header = json.dumps(manifest.header(), ensure_ascii=False)
    if sidecar is not None:
        sidecar.write(json.dumps(manifest.header(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(header + "\n" if manifest.format == "jsonl" else f"# {header}\n")
    if manifest.format == "csv":
        csv.writer(out, lineterminator="\n").writerow([c.name for c in manifest.columns])


def _row_text(manifest: ExportManifest) -> Callable[[dict[str, Value]], str]:
    """What writes a row as text: a JSON line, or a CSV record (each ends a line)."""
    if manifest.format == "jsonl":
        return lambda row: json.dumps(row, ensure_ascii=False) + "\n"
    names = [c.name for c in manifest.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def record(row: dict[str, Value]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(row[name]) for name in names])
        return buffer.getvalue()

    return record


def _row(pathway: Pathway, manifest: ExportManifest, context: _Context) -> dict[str, Value]:
    owner = "export_pseudonymised"
    if not isinstance(pathway, Pathway):
        raise InvalidValue(owner, "pathways", f"<{type(pathway).__name__}>", "Pathway values")
    if pathway.last_event_on > manifest.as_of:
        raise _too_late(manifest.as_of, pathway.last_event_on)
    return {c.name: c.extract(pathway, context, c) for c in manifest.columns}


def _too_late(as_of: dt.date, last_event_on: dt.date) -> InvalidValue:
    """The refusal of an export date before a pathway's last event."""
    return InvalidValue(
        "export_pseudonymised",
        "as_of",
        as_of,
        f"a date on or after every pathway's last event (one pathway has an event on "
        f"{last_event_on}): an export cannot describe the future",
    )
