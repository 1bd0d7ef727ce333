"""``reussite validate FILE`` and ``reussite schema``: check files, print the JSON Schema."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Literal

from .. import __all__ as _public
from ..errors import InvalidInput
from ..serialization import Cohort, json_schema, load_cohort, load_pathway
from ..serialization._cohort import COHORT_SCHEMA
from ..serialization._documents import MAX_BYTES
from ..serialization._errors import Problems
from ..serialization._json import parse

_PROGRESS_EVERY = 1000


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` and ``schema`` sub-commands."""
    validate = subparsers.add_parser(
        "validate",
        help="check a pathway document or a cohort file (vérifie un fichier)",
        description=(
            "Vérifie un document de parcours (JSON) ou un fichier de cohorte (JSON Lines) : "
            "types, formats, puis règles du parcours. Affiche « N pathways OK » ou chaque "
            "problème avec son emplacement ; code de sortie 1 si quelque chose ne va pas."
        ),
    )
    validate.add_argument("file", help="a pathway document (.json) or a cohort file (.jsonl)")
    validate.add_argument(
        "--ignore-unknown-keys",
        action="store_true",
        help="ignore keys the schema does not know (default: reject them)",
    )
    validate.set_defaults(handler=_validate)
    schema = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of the documents (schéma JSON)",
        description="Affiche le schéma JSON (draft 2020-12), généré depuis les types.",
    )
    schema.add_argument(
        "type",
        nargs="?",
        default="pathway",
        help="pathway (default), cohort (each line of a cohort file), or a type (Programme)",
    )
    schema.set_defaults(handler=_schema)


def _is_cohort(path: str) -> bool:
    """Whether the file's first line is a cohort header (read with a bound, strictly)."""
    with open(path, "rb") as stream:
        first = stream.readline(MAX_BYTES + 1)
    try:
        header = parse(first)
    except Problems:  # not JSON, nested too deeply...: the reader will say what
        return False
    return isinstance(header, dict) and header.get("schema") == COHORT_SCHEMA


def _validate(args: argparse.Namespace) -> int:
    unknown_keys: Literal["reject", "ignore"] = "ignore" if args.ignore_unknown_keys else "reject"
    if not _is_cohort(args.file):
        with open(args.file, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)  # more is refused unread
        try:
            load_pathway(data, unknown_keys=unknown_keys)
        except InvalidInput as error:
            for line in error.errors:
                print(f"{args.file}: {line}")
            print("0 pathways OK, 1 with problems")
            return 1
        print("1 pathways OK")
        return 0
    try:
        cohort = load_cohort(args.file, on_error="collect", unknown_keys=unknown_keys)
    except InvalidInput as error:
        for line in error.errors:
            print(f"{args.file}: {line}")
        return 1
    return _report(args.file, cohort)


def _report(path: str, cohort: Cohort) -> int:
    progress = sys.stderr.isatty()
    count = 0
    with cohort:
        for _ in cohort:
            count += 1
            if progress and count % _PROGRESS_EVERY == 0:
                print(f"\r{count} pathways…", end="", file=sys.stderr, flush=True)
    if progress:
        print("\r", end="", file=sys.stderr, flush=True)
    for failure in cohort.errors:
        for line in failure.errors:
            print(f"{path}: {line} (line {failure.line})")
    if cohort.error_count > len(cohort.errors):
        print(f"{path}: ... {cohort.error_count - len(cohort.errors)} more lines with problems")
    if cohort.error_count:
        print(f"{count} pathways OK, {cohort.error_count} with problems")
        return 1
    print(f"{count} pathways OK")
    return 0


def _schema(args: argparse.Namespace) -> int:
    import reussite

    named = {"pathway": reussite.Pathway, "cohort": Cohort}
    named.update(
        {n: getattr(reussite, n) for n in _public if isinstance(getattr(reussite, n), type)}
    )
    if args.type not in named:
        print(
            f"erreur : unknown type {args.type!r}; use pathway, cohort or a public type name",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(json_schema(named[args.type]), ensure_ascii=False, indent=2))
    return 0
