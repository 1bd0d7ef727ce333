"""``reussite validate FICHIER`` and ``reussite schema``: check files, print the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any, Literal

from .. import __all__ as _public
from ..errors import InvalidInput
from ..pathway import Pathway
from ..programme import Programme
from ..serialization import Cohort, json_schema, load_cohort, load_pathway, map_cohort
from ..serialization._cohort import COHORT_SCHEMA
from ..serialization._documents import MAX_BYTES
from ..serialization._errors import Problems as NotParsed
from ..serialization._json import parse
from ._common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_command,
    add_input,
    add_jobs,
    jobs_for,
    library_message,
    plural,
    problem,
    reading,
    sharded_progress,
    unread,
)

UnknownKeys = Literal["reject", "ignore"]
Problems = list[tuple[int | None, str]]
"""Each problem: its line in a cohort file (``None`` in a document), and its text."""


def register(subparsers: Subparsers) -> None:
    """Add the ``validate`` and ``schema`` sub-commands."""
    validate = add_command(
        subparsers,
        "validate",
        summary="vérifie un document de parcours ou un fichier de cohorte",
        description=(
            "Vérifie un document de parcours (JSON) ou un fichier de cohorte (JSON Lines) :\n"
            "types et formats, puis règles du parcours en rejouant ses événements.\n"
            "Chaque problème est écrit sur la sortie d'erreur avec son emplacement\n"
            "(« message @ $.chemin (line N) ») ; la sortie standard donne le bilan\n"
            "(« 294 parcours valides »), ou tout en JSON avec --format json."
        ),
    )
    add_input(validate, "un document de parcours (.json) ou un fichier de cohorte (.jsonl)")
    validate.add_argument(
        "--ignore-unknown-keys",
        action="store_true",
        help="accepte les clés que le schéma ne connaît pas (par défaut : refusées)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text : bilan en français, problèmes sur la sortie d'erreur (par défaut) ;"
        " json : bilan et problèmes en JSON sur la sortie standard",
    )
    add_jobs(validate)
    validate.set_defaults(handler=_validate)
    schema = add_command(
        subparsers,
        "schema",
        summary="affiche le schéma JSON des documents",
        description=(
            "Affiche le schéma JSON (draft 2020-12) des documents, généré depuis les types :\n"
            "pathway (un document de parcours, par défaut), cohort (chaque ligne d'un\n"
            "fichier de cohorte) ou un type public (Programme, Child…)."
        ),
    )
    schema.add_argument(
        "type",
        nargs="?",
        default="pathway",
        metavar="TYPE",
        help="pathway (par défaut), cohort, ou un type public tel que Programme",
    )
    schema.set_defaults(handler=_schema)


def _is_cohort_header(line: bytes) -> bool:
    """Whether a file's first line is a cohort header (parsed strictly)."""
    try:
        header = parse(line)
    except NotParsed:  # not JSON, nested too deeply...: the reader will say what
        return False
    return isinstance(header, dict) and header.get("schema") == COHORT_SCHEMA


def _validate(args: argparse.Namespace) -> int:
    unknown_keys: UnknownKeys = "ignore" if args.ignore_unknown_keys else "reject"
    problems: Problems = []
    with reading(args.file) as stream:
        first = stream.readline(MAX_BYTES + 1)  # bounded: a longer line is refused unread
        blank: list[bytes] = []  # skipped before the header, as the loader skips them
        while first and not first.strip(b" \t\r\n") and len(blank) < MAX_BYTES:
            blank.append(first)
            first = stream.readline(MAX_BYTES + 1)
        whole = unread(stream, b"".join(blank) + first)
        if _is_cohort_header(first) or not first:  # blank lines only: as report says it
            kind = "cohort"
            jobs = jobs_for(args.file, args.jobs)
            if jobs > 1:
                valid, invalid = _check_shards(args.file, jobs, unknown_keys, problems)
            else:
                valid, invalid = _check_cohort(whole, unknown_keys, problems)
        else:
            kind = "pathway"
            valid = _check_document(whole, unknown_keys, problems)
            invalid = 1 - valid
    if args.format == "json":
        document: dict[str, Any] = {
            "file": args.file,
            "kind": kind,
            "valid": valid,
            "invalid": invalid,
            "problems": [_problem_record(line, text) for line, text in problems],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for line, text in problems:
            where = f" (line {line})" if line is not None else ""
            problem(args.command, f"{args.file} : {text}{where}")
        listed = len({line for line, _ in problems})
        if kind == "cohort" and invalid > listed:
            problem(args.command, f"{args.file} : … et {invalid - listed} autres lignes refusées")
        summary = plural(valid, "parcours valide", "parcours valides")
        if invalid:
            refused = (
                plural(invalid, "ligne refusée", "lignes refusées")
                if kind == "cohort"
                else "document refusé"
            )
            summary = f"{summary}, {refused}"
        print(summary)
    return EXIT_DATA if invalid else EXIT_OK


def _problem_record(line: int | None, text: str) -> dict[str, Any]:
    message, _, path = text.rpartition(" @ ")
    if not message:
        message, path = text, "$"
    return {"line": line, "path": path, "message": message}


def _check_document(
    stream: IO[bytes],
    unknown_keys: Literal["reject", "ignore"],
    problems: list[tuple[int | None, str]],
) -> int:
    try:
        load_pathway(stream.read(MAX_BYTES + 1), unknown_keys=unknown_keys)  # more: refused
    except InvalidInput as error:
        problems.extend((None, library_message(line)) for line in error.errors)
        return 0
    return 1


def _check_cohort(
    stream: IO[bytes],
    unknown_keys: Literal["reject", "ignore"],
    problems: list[tuple[int | None, str]],
) -> tuple[int, int]:
    """The valid and refused lines of a cohort file; the problems of the first ones."""
    try:
        cohort = load_cohort(stream, on_error="collect", unknown_keys=unknown_keys)
    except InvalidInput as error:  # the header: no line can be read without it
        problems.extend((1, library_message(_without_line(line))) for line in error.errors)
        return 0, 1
    with cohort:
        valid = sum(1 for _ in cohort) - len(cohort.withdrawn)  # refused by a later line
    for failure in cohort.errors:  # the first ones: the reader keeps a bounded number
        problems.extend((failure.line, library_message(line)) for line in failure.errors)
    return valid, cohort.error_count


def _nothing(pathways: Iterator[Pathway], programme: Programme) -> None:
    """A shard's work when validating: the reader checks and counts."""


def _check_shards(
    name: str,
    jobs: int,
    unknown_keys: Literal["reject", "ignore"],
    problems: list[tuple[int | None, str]],
) -> tuple[int, int]:
    """:func:`_check_cohort` with ``jobs`` processes: the same counts and problems."""
    progress = sharded_progress(name)
    try:
        read = map_cohort(
            name,
            _nothing,
            jobs=jobs,
            on_error="collect",
            unknown_keys=unknown_keys,
            progress=progress.advance,
        )
    except InvalidInput as error:  # the header
        problems.extend((1, library_message(_without_line(line))) for line in error.errors)
        return 0, 1
    finally:
        progress.close()
    for failure in read.errors:
        problems.extend((failure.line, library_message(line)) for line in failure.errors)
    return read.valid, read.error_count


def _without_line(text: str) -> str:
    """A header problem without its ``(line 1)``, which the report adds back."""
    return text.removesuffix(" (line 1)")


def _schema(args: argparse.Namespace) -> int:
    import reussite

    named: dict[str, Any] = {"pathway": reussite.Pathway, "cohort": Cohort}
    named.update(
        {n: getattr(reussite, n) for n in _public if isinstance(getattr(reussite, n), type)}
    )
    if args.type not in named:
        raise CommandError(
            f"type inconnu « {args.type} » : pathway, cohort ou un type public "
            "(Programme, Child, Event…)",
            status=EXIT_USAGE,
        )
    try:
        schema = json_schema(named[args.type])
    except TypeError:  # an error, a report, the lifecycle: not read from JSON
        raise CommandError(
            f"« {args.type} » n'a pas de forme JSON : pathway, cohort ou un type que les "
            "documents contiennent (Programme, Child, Event…)",
            status=EXIT_USAGE,
        ) from None
    json.dump(schema, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return EXIT_OK
