"""``reussite retention``: what is due under the retention schedule, and the purge."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

from ..errors import InvalidInput, InvalidValue
from ..pathway import Pathway
from ..privacy import (
    DEFAULT_K,
    EXAMPLE_SCHEDULE,
    MAX_SUPPRESSED,
    QUASI_IDENTIFIERS,
    Phase,
    Purge,
    RetentionSchedule,
    Tombstone,
    categories_held,
    purge_cohort,
    purge_on,
    retention_due,
    retention_starts,
)
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    CommandError,
    Subparsers,
    add_command,
    add_input,
    date_argument,
    library_message,
    notice,
    option_error,
    os_error,
    plural,
    reading,
    writing,
)

_OPTIONS = {
    ("purge_cohort", "as_of"): "--as-of",
    ("retention_due", "as_of"): "--as-of",
    ("anonymise", "k"): "-k",
    ("anonymise", "max_suppressed"): "--max-suppressed",
}
"""The library's (owner, field) of each value given as an option, and the option."""

TRACES_SCHEMA = "reussite.traces"
"""The ``schema`` of a traces file's header line."""


def _k(text: str) -> int:
    if not text.isdigit() or int(text) < 2:
        raise argparse.ArgumentTypeError(f"entier d'au moins 2 attendu, reçu « {text} »")
    return int(text)


def register(subparsers: Subparsers) -> None:
    """Add the ``retention`` sub-command."""
    command = add_command(
        subparsers,
        "retention",
        summary="échéancier de conservation et purge d'un fichier de cohorte",
        description=(
            "Sans --purge : liste les parcours dont une catégorie de données doit être\n"
            "archivée ou purgée à la date --as-of, selon le calendrier de conservation\n"
            "(point de départ : dernier contact avec la famille, par défaut ; les parcours\n"
            "successifs d'un enfant suivent une seule horloge).\n"
            "Avec --purge : écrit dans -o un NOUVEAU fichier de cohorte sans les parcours\n"
            "purgés, et dans --traces leurs traces anonymisées (aucun nom, identifiant,\n"
            "date exacte ni donnée de santé ; chaque trace partage ses identifiants\n"
            "indirects avec au moins k - 1 autres). Le fichier lu n'est jamais modifié.\n"
            "--dry-run dit ce que la purge ferait sans rien écrire."
        ),
    )
    add_input(command, "le fichier de cohorte (.jsonl)")
    command.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="date de l'échéancier ou de la purge, AAAA-MM-JJ (par défaut : aujourd'hui)",
    )
    command.add_argument(
        "--schedule",
        metavar="FICHIER",
        help="calendrier de conservation du responsable de traitement (JSON, voir la"
        " documentation) ; par défaut, le calendrier d'exemple, qui n'a pas valeur légale",
    )
    command.add_argument(
        "--purge", action="store_true", help="purge ce qui est échu (avec -o et --traces)"
    )
    command.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        help="avec --purge : le nouveau fichier de cohorte, sans les parcours purgés",
    )
    command.add_argument(
        "--traces",
        metavar="FICHIER",
        help="avec --purge : le fichier des traces anonymisées (JSON Lines)",
    )
    command.add_argument(
        "--previous-traces",
        metavar="FICHIER",
        help="traces de purges antérieures, anonymisées avec les nouvelles et réécrites"
        " dans --traces",
    )
    command.add_argument(
        "-k",
        type=_k,
        default=DEFAULT_K,
        metavar="K",
        help=f"taille minimale d'un groupe de traces identiques (par défaut : {DEFAULT_K})",
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="avec --purge : dit ce qui serait purgé, n'écrit rien",
    )
    command.add_argument(
        "--json", action="store_true", help="écrit le résultat en JSON sur la sortie standard"
    )
    command.set_defaults(handler=_retention)


def _schedule(name: str | None) -> RetentionSchedule:
    if name is None:
        notice(
            "retention",
            "calendrier d'exemple (sans valeur légale) : passez --schedule avec celui du "
            "responsable de traitement",
        )
        return EXAMPLE_SCHEDULE
    from ..serialization import loads

    try:
        text = Path(name).read_bytes()
    except OSError as error:
        raise os_error(error, f"--schedule {name}") from None
    try:
        schedule: RetentionSchedule = loads(text, RetentionSchedule)
    except InvalidInput as error:
        lines = "\n".join(f"--schedule {name} : {library_message(e)}" for e in error.errors)
        raise CommandError(lines, status=EXIT_USAGE) from None
    return schedule


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _check_outputs(args: argparse.Namespace) -> None:
    if not args.purge:
        for option in ("output", "traces", "previous_traces", "dry_run"):
            if getattr(args, option) not in (None, False):
                flag = "--" + option.replace("_", "-") if option != "output" else "-o"
                raise CommandError(f"{flag} ne sert qu'avec --purge", status=EXIT_USAGE)
        return
    if args.dry_run:
        return
    for option, value in (("-o", args.output), ("--traces", args.traces)):
        if value is None or value == STDIO:
            raise CommandError(
                f"--purge écrit dans de nouveaux fichiers : {option} FICHIER est obligatoire"
                " (ou --dry-run)",
                status=EXIT_USAGE,
            )
    sources = [args.file] + ([args.previous_traces] if args.previous_traces else [])
    for option, value in (("-o", args.output), ("--traces", args.traces)):
        for source in sources:
            if source != STDIO and _same_file(value, source):
                raise CommandError(
                    f"{option} {value} : c'est un fichier lu ; la purge écrit toujours un"
                    " nouveau fichier, jamais sur place",
                    status=EXIT_USAGE,
                )
    if _same_file(args.output, args.traces):
        raise CommandError("-o et --traces doivent nommer deux fichiers", status=EXIT_USAGE)


def _read_traces(name: str | None) -> list[Tombstone]:
    """The traces of a file ``reussite retention --purge`` wrote (its header first)."""
    if name is None:
        return []
    from ..serialization import loads

    traces: list[Tombstone] = []
    with reading(name) as stream:
        first = stream.readline()
        try:
            header = json.loads(first)
        except ValueError:
            header = None
        if not isinstance(header, dict) or header.get("schema") != TRACES_SCHEMA:
            raise CommandError(
                f"{name} : ce n'est pas un fichier de traces (sa première ligne doit être"
                f' {{"schema": "{TRACES_SCHEMA}", …}}, écrite par « reussite retention'
                " --purge »)",
                status=EXIT_USAGE,
            )
        for number, line in enumerate(stream, start=2):
            if not line.strip():
                continue
            try:
                traces.append(loads(line, Tombstone))
            except InvalidInput as error:
                raise CommandError(
                    "\n".join(f"{name} : {e} (line {number})" for e in error.errors)
                ) from None
    return traces


def _retention(args: argparse.Namespace) -> int:
    from ..serialization import load_cohort

    _check_outputs(args)
    schedule = _schedule(args.schedule)
    as_of: dt.date = args.as_of or dt.datetime.now(dt.UTC).astimezone().date()
    previous = _read_traces(args.previous_traces)
    try:
        with reading(args.file) as stream, load_cohort(stream) as cohort:
            pathways = list(cohort)
            programme = cohort.programme
        if args.purge:
            done = purge_cohort(pathways, as_of=as_of, schedule=schedule, k=args.k, traces=previous)
        else:
            due = _due(pathways, as_of, schedule)
    except InvalidValue as error:
        raise option_error(error, _OPTIONS) from None
    if not args.purge:
        _print_due(due, as_of, schedule, as_json=args.json)
        return EXIT_OK
    if not args.dry_run:
        from ..serialization import dump_cohort, dumps

        with writing(args.output, private=True) as out:
            dump_cohort(done.kept, out, programme=programme)
        with writing(args.traces, private=True) as out:
            out.write(json.dumps(_traces_header(done), ensure_ascii=False) + "\n")
            for trace in done.traces:
                out.write(dumps(trace) + "\n")
    _print_purge(done, args, len(previous))
    return EXIT_OK


def _due(
    pathways: list[Pathway], as_of: dt.date, schedule: RetentionSchedule
) -> list[dict[str, Any]]:
    """One record per pathway with something due: its clock, purge date and categories."""
    starts = retention_starts(pathways, schedule.starts_from)
    by_pathway: dict[str, list[Any]] = {}
    for item in retention_due(pathways, as_of, schedule):
        by_pathway.setdefault(item.pathway_id, []).append(item)
    records: list[dict[str, Any]] = []
    for p in pathways:
        items = by_pathway.get(p.id)
        start = starts[p.id]
        if not items or start is None:
            continue
        held = categories_held(p)
        purge_date = purge_on(p, start, schedule)
        records.append(
            {
                "pathway_id": p.id,
                "clock_from": start.isoformat(),
                "purge_on": purge_date.isoformat(),
                "purge": as_of >= purge_date,
                "due": [
                    {
                        "category": item.category.value,
                        "phase": item.phase.value,
                        "since": item.since.isoformat(),
                    }
                    for item in items
                    if item.category in held
                ],
            }
        )
    return records


def _print_due(
    records: list[dict[str, Any]], as_of: dt.date, schedule: RetentionSchedule, *, as_json: bool
) -> None:
    to_purge = sum(1 for r in records if r["purge"])
    if as_json:
        document = {
            "as_of": as_of.isoformat(),
            "schedule": schedule.name,
            "starts_from": schedule.starts_from.value,
            "to_purge": to_purge,
            "to_archive": len(records) - to_purge,
            "pathways": records,
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    from ..privacy import Sensitivity

    labels = {c.value: c.label_fr for c in Sensitivity}
    print(f"Échéancier de conservation au {as_of.isoformat()}")
    print(f"  calendrier : {schedule.name}")
    print(f"  point de départ : {schedule.starts_from.label_fr}")
    print(
        f"  {plural(to_purge, 'parcours à purger', 'parcours à purger')}, "
        f"{plural(len(records) - to_purge, 'parcours à archiver', 'parcours à archiver')}"
    )
    for record in records:
        archived = [
            labels[d["category"]] for d in record["due"] if d["phase"] == Phase.INTERMEDIATE.value
        ]
        if record["purge"]:
            what = f"à purger depuis le {record['purge_on']}"
        else:
            what = f"à archiver ({', '.join(archived)}) ; purge le {record['purge_on']}"
        print(f"  {record['pathway_id']}  horloge depuis le {record['clock_from']}  {what}")


def _traces_header(done: Purge) -> dict[str, Any]:
    return {
        "schema": TRACES_SCHEMA,
        "version": 1,
        "as_of": done.as_of.isoformat(),
        "schedule": done.schedule.name,
        "k": done.anonymised.k,
        "max_suppressed": MAX_SUPPRESSED,
        "quasi_identifiers": list(QUASI_IDENTIFIERS),
        "levels": dict(done.anonymised.levels),
        "suppressed": done.anonymised.suppressed,
        "statistics": [c.value for c in done.schedule.statistics],
    }


def _print_purge(done: Purge, args: argparse.Namespace, previous: int) -> None:
    summary = {
        "as_of": done.as_of.isoformat(),
        "dry_run": bool(args.dry_run),
        "purged": len(done.purged_ids),
        "kept": len(done.kept),
        "traces": len(done.traces),
        "previous_traces": previous,
        "suppressed": done.anonymised.suppressed,
        "k": done.anonymised.k,
        "levels": dict(done.anonymised.levels),
        "output": None if args.dry_run else args.output,
        "traces_file": None if args.dry_run else args.traces,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    head = "simulation, rien n'est écrit : " if args.dry_run else ""
    kept = f"{plural(len(done.kept), 'parcours gardé', 'parcours gardés')}"
    where = "" if args.dry_run else f" dans {args.output}"
    traces = plural(len(done.traces), "trace anonymisée", "traces anonymisées")
    into = "" if args.dry_run else f" dans {args.traces}"
    print(
        f"{head}{plural(len(done.purged_ids), 'parcours purgé', 'parcours purgés')}, "
        f"{kept}{where} ; {traces}{into} (k = {done.anonymised.k}, "
        f"{plural(done.anonymised.suppressed, 'trace écartée', 'traces écartées')})",
        file=sys.stdout if args.dry_run else sys.stderr,
    )
