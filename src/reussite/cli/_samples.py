"""``reussite sample``: the sample files shipped with the library, for the how-to guides."""

from __future__ import annotations

import argparse

from ..samples import SAMPLES, sample_path
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_command,
    add_output,
    writing,
)


def register(subparsers: Subparsers) -> None:
    """Add the ``sample`` sub-command."""
    sample = add_command(
        subparsers,
        "sample",
        summary="écrit un fichier d'exemple livré avec reussite (cohorte, budget)",
        description=(
            "Écrit un des fichiers d'exemple (synthétiques) sur lesquels s'appuie la\n"
            "documentation, ou les liste sans NOM. Par exemple :\n"
            "  python -m reussite sample budget -o budget.csv\n"
            "  python -m reussite sample cohort | python -m reussite validate -"
        ),
    )
    sample.add_argument(
        "name",
        nargs="?",
        metavar="NOM",
        help=f"le fichier : {', '.join(SAMPLES)} (sans NOM : la liste)",
    )
    add_output(sample, what="le fichier")
    sample.set_defaults(handler=_sample)


def _sample(args: argparse.Namespace) -> int:
    if args.name is None:
        for name, sample in SAMPLES.items():
            print(f"{name:<8} {sample.file} : {sample.description_fr}")
        return EXIT_OK
    if args.name not in SAMPLES:
        raise CommandError(
            f"pas de fichier d'exemple « {args.name} » : {', '.join(SAMPLES)}",
            status=EXIT_USAGE,
        )
    with writing(args.output, binary=True) as out:
        out.write(sample_path(args.name).read_bytes())
    return EXIT_OK
