"""``reussite export`` and ``reussite keygen``: pseudonymised exports and their key."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..pathway import Pathway
from ..privacy import (
    MIN_KEY_BYTES,
    PURPOSES,
    ExportManifest,
    KeyFileReadable,
    Sensitivity,
    export_pseudonymised,
    read_key,
    write_key,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` and ``keygen`` sub-commands."""
    export = subparsers.add_parser(
        "export",
        help="pseudonymised export of a cohort file (extraction pseudonymisée)",
        description=(
            "Écrit une ligne pseudonymisée par parcours : pseudonymes HMAC-SHA256 (clé du "
            "responsable de traitement, portée par la finalité), tranches d'âge, aucun nom, "
            "contact, identifiant brut ni texte libre ; santé et protection de l'enfance "
            "exclues sauf --include. La première ligne décrit l'extraction."
        ),
    )
    export.add_argument("file", metavar="FILE", help="cohort file (JSON Lines)")
    export.add_argument(
        "--purpose",
        required=True,
        help=f"purpose scoping the pseudonyms: {', '.join(PURPOSES)} or a name of yours",
    )
    export.add_argument(
        "--key-file",
        required=True,
        type=Path,
        help=(
            f"file holding the secret key (made by `reussite keygen`; at least {MIN_KEY_BYTES} "
            "random-looking bytes, used byte for byte: a trailing newline is part of the key)"
        ),
    )
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    export.add_argument(
        "--as-of",
        type=_date,
        help="reference date, YYYY-MM-DD (default: today)",
    )
    export.add_argument(
        "--include",
        action="append",
        default=[],
        choices=[Sensitivity.HEALTH.value, Sensitivity.CHILD_PROTECTION.value],
        help="also keep this category (repeatable)",
    )
    export.add_argument(
        "--ages",
        choices=("band", "years"),
        default="band",
        help="age bands (default) or bands and ages in whole years",
    )
    export.set_defaults(handler=_export)
    keygen = subparsers.add_parser(
        "keygen",
        help="write a new pseudonymisation key (clé de pseudonymisation)",
        description=(
            f"Écrit une clé aléatoire de {MIN_KEY_BYTES} octets (sans retour à la ligne) "
            "dans FILE, lisible par son seul propriétaire (mode 0600). Gardez-la chez le "
            "responsable de traitement : qui a la clé peut recalculer les pseudonymes. "
            "Un fichier existant n'est jamais remplacé, sauf --force."
        ),
    )
    keygen.add_argument("file", metavar="FILE", type=Path, help="the key file to create")
    keygen.add_argument(
        "--force", action="store_true", help="replace an existing file (its key is lost)"
    )
    keygen.set_defaults(handler=_keygen)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date attendue AAAA-MM-JJ, reçu {text!r}") from None


def _read_key(path: Path) -> bytes:
    """The key of ``path``; a warning on stderr if other users can read the file."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KeyFileReadable)
        key = read_key(path)
    for warning in caught:
        print(f"attention : {warning.message}", file=sys.stderr)
    return key


def _keygen(args: argparse.Namespace) -> int:
    key = write_key(args.file, overwrite=args.force)
    print(
        f"clé de {len(key)} octets écrite dans {args.file} (mode 0600) : gardez-la chez le "
        "responsable de traitement, copiez le fichier tel quel",
        file=sys.stderr,
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from ..serialization import load_cohort

    key = _read_key(args.key_file)
    as_of: dt.date = args.as_of or dt.datetime.now(dt.UTC).astimezone().date()
    with load_cohort(args.file) as cohort:
        if args.output is None:
            _write(cohort, key, args, as_of, sys.stdout)
        else:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                manifest = _write(cohort, key, args, as_of, out)
            print(
                f"{manifest.rows} parcours exportés vers {args.output} "
                f"(finalité {manifest.purpose.name}, au {as_of.isoformat()})",
                file=sys.stderr,
            )
    return 0


def _write(
    pathways: Iterable[Pathway],
    key: bytes,
    args: argparse.Namespace,
    as_of: dt.date,
    out: TextIO,
) -> ExportManifest:
    return export_pseudonymised(
        pathways,
        key=key,
        purpose=args.purpose,
        as_of=as_of,
        format=args.format,
        out=out,
        include=args.include,
        ages=args.ages,
    )
