"""``reussite export`` and ``reussite keygen``: pseudonymised exports and their key."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import warnings
from typing import Any

from ..errors import InvalidValue
from ..privacy import (
    MIN_KEY_BYTES,
    PURPOSES,
    ExportManifest,
    KeyFileReadable,
    Purpose,
    Sensitivity,
    export_cohort,
    export_pseudonymised,
    read_key,
    write_key,
)
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    CommandError,
    Subparsers,
    add_command,
    add_input,
    add_jobs,
    add_output,
    date_argument,
    jobs_for,
    notice,
    option_error,
    os_error,
    reading,
    sharded_progress,
    writing,
)

_OPTIONS = {
    ("export_pseudonymised", "as_of"): "--as-of",
    ("export_pseudonymised", "key"): "--key-file",
    ("read_key", "key"): "--key-file",
    ("read_key", "path"): "--key-file",
    ("write_key", "path"): "FICHIER",
    ("export_pseudonymised", "include"): "--include",
    ("Purpose", "name"): "--purpose",
    ("Purpose", "label_fr"): "--purpose",
}
"""The library's (owner, field) of each value given as an option, and the option."""


def register(subparsers: Subparsers) -> None:
    """Add the ``export`` and ``keygen`` sub-commands."""
    export = add_command(
        subparsers,
        "export",
        summary="extraction pseudonymisée d'un fichier de cohorte",
        description=(
            "Écrit une ligne pseudonymisée par parcours : pseudonymes HMAC-SHA256 (clé du\n"
            "responsable de traitement, portée par la finalité), tranches d'âge, aucun nom,\n"
            "contact, identifiant brut ni texte libre ; santé et protection de l'enfance\n"
            "exclues sauf --include. La première ligne décrit l'extraction. Avec -o, le\n"
            "fichier n'est lisible que par son propriétaire et n'existe qu'une fois\n"
            "l'extraction complète."
        ),
    )
    add_input(export, "le fichier de cohorte (.jsonl)")
    export.add_argument(
        "--purpose",
        required=True,
        metavar="FINALITÉ",
        help=f"finalité, qui porte les pseudonymes : {', '.join(PURPOSES)} ou un nom à vous",
    )
    export.add_argument(
        "--key-file",
        required=True,
        metavar="FICHIER",
        help=f"fichier de la clé secrète (fait par « reussite keygen » ; au moins"
        f" {MIN_KEY_BYTES} octets d'apparence aléatoire, lus tels quels : un retour à la ligne"
        " final fait partie de la clé)",
    )
    export.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        default="jsonl",
        help="jsonl : une ligne JSON par parcours (par défaut) ; csv",
    )
    add_output(export, what="l'extraction")
    export.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="date de référence, AAAA-MM-JJ (par défaut : aujourd'hui)",
    )
    export.add_argument(
        "--include",
        action="append",
        default=[],
        choices=[Sensitivity.HEALTH.value, Sensitivity.CHILD_PROTECTION.value],
        help="garde aussi cette catégorie (option répétable)",
    )
    export.add_argument(
        "--ages",
        choices=("band", "years"),
        default="band",
        help="band : tranches d'âge (par défaut) ; years : tranches et âges en années",
    )
    add_jobs(export)
    export.set_defaults(handler=_export)
    keygen = add_command(
        subparsers,
        "keygen",
        summary="écrit une nouvelle clé de pseudonymisation",
        description=(
            f"Écrit une clé aléatoire de {MIN_KEY_BYTES} octets (sans retour à la ligne) dans\n"
            "FICHIER, lisible par son seul propriétaire (mode 0600). Gardez-la chez le\n"
            "responsable de traitement : qui a la clé peut recalculer les pseudonymes.\n"
            "Un fichier existant n'est jamais remplacé, sauf --force."
        ),
    )
    keygen.add_argument("file", metavar="FICHIER", help="le fichier de clé à créer")
    keygen.add_argument(
        "--force",
        action="store_true",
        help="remplace un fichier existant (sa clé est perdue)",
    )
    keygen.set_defaults(handler=_keygen)


def _read_key(name: str) -> bytes:
    """The key of the file ``name``; a warning on stderr if other users can read it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", KeyFileReadable)
        try:
            key = read_key(name)
        except OSError as error:
            raise os_error(error, f"--key-file {name}") from None
        except InvalidValue as error:
            raise CommandError(
                f"--key-file {name} : expected {error.expected}", status=EXIT_USAGE
            ) from None
    for warning in caught:
        notice("export", str(warning.message))
    return key


def _keygen(args: argparse.Namespace) -> int:
    try:
        key = write_key(args.file, overwrite=args.force)
    except OSError as error:
        raise os_error(error, args.file) from None
    except InvalidValue as error:
        raise CommandError(
            f"{args.file} existe déjà : une clé n'est jamais remplacée, sauf --force (les"
            " extractions faites avec l'ancienne clé ne seraient plus reliées)",
            status=EXIT_USAGE,
        ) from error
    print(
        f"clé de {len(key)} octets écrite dans {args.file} (mode 0600) : gardez-la chez le "
        "responsable de traitement, copiez le fichier tel quel",
        file=sys.stderr,
    )
    return EXIT_OK


def _purpose(name: str) -> Purpose:
    try:
        return Purpose.of(name)
    except InvalidValue as error:
        refused = option_error(error, _OPTIONS)
        raise CommandError(str(refused), status=EXIT_USAGE) from None


def _export(args: argparse.Namespace) -> int:
    from ..serialization import load_cohort

    # Every option is checked before anything is read or written.
    purpose = _purpose(args.purpose)
    key = _read_key(args.key_file)
    as_of: dt.date = args.as_of or dt.datetime.now(dt.UTC).astimezone().date()
    options = {
        "key": key,
        "purpose": purpose,
        "as_of": as_of,
        "format": args.format,
        "include": args.include,
        "ages": args.ages,
    }
    jobs = jobs_for(args.file, args.jobs)
    try:
        if jobs > 1:
            manifest = _sharded(args, options, jobs)
        else:
            with (
                reading(args.file) as stream,
                load_cohort(stream) as cohort,
                writing(args.output, private=True) as out,
            ):
                manifest = export_pseudonymised(
                    cohort,
                    out=out,
                    check_register=False,  # the cohort checks them as it reads, naming lines
                    **options,
                )
    except InvalidValue as error:
        raise option_error(error, _OPTIONS) from None
    if args.output not in (None, STDIO):
        print(
            f"{manifest.rows} parcours exportés vers {args.output} "
            f"(finalité {manifest.purpose.name}, au {as_of.isoformat()})",
            file=sys.stderr,
        )
    return EXIT_OK


def _sharded(args: argparse.Namespace, options: dict[str, Any], jobs: int) -> ExportManifest:
    """The export of ``args.file`` by ``jobs`` processes: the same bytes as by one."""
    from ..serialization import load_cohort

    # opened and checked (not empty, its header) as by one process, before the output
    with reading(args.file) as stream, load_cohort(stream):
        pass
    # the shards' rows wait beside the output file (the system's folder for stdout)
    output: str | None = args.output
    beside = None
    if output not in (None, STDIO) and (os.path.isfile(output) or not os.path.exists(output)):
        beside = os.path.dirname(output) or "."
    with writing(output, private=True) as out:
        progress = sharded_progress(args.file)
        try:
            done = export_cohort(
                args.file,
                out=out,
                jobs=jobs,
                progress=progress.advance,
                temp_dir=beside,
                **options,
            )
        finally:
            progress.close()
    return done.manifest
