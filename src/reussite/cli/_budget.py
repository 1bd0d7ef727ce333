"""The ``budget`` sub-command: ``python -m reussite budget FICHIER.csv``."""

from __future__ import annotations

import argparse
import json
import sys

from ..budget._categories import Chart
from ..budget._ledger import read_ledger
from ..budget._summary import Basis, BudgetSummary
from ._common import (
    EXIT_DATA,
    EXIT_OK,
    CommandError,
    Subparsers,
    add_command,
    add_input,
    problem,
    reading,
    year_argument,
)

__all__ = ["register", "run"]

_FORMATS = ("text", "json", "cerfa", "records")


def _children(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"nombre d'enfants attendu, au moins 1, tel que 192, reçu « {text} »"
        )
    return value


_SHOWN_ERRORS = 20
"""Rows in error listed one by one; the others are counted."""


def register(subparsers: Subparsers) -> None:
    """Add the ``budget`` sub-command; its parser calls ``set_defaults(handler=run)``.

    Args:
        subparsers: the object ``ArgumentParser.add_subparsers()`` returned.

    >>> parser = argparse.ArgumentParser(prog="reussite")
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["budget", "ledger.csv", "--format", "json"])
    >>> args.format, args.handler is run
    ('json', True)
    """
    parser = add_command(
        subparsers,
        "budget",
        summary="synthèse d'un budget de PRE (grand livre CSV) : financeurs et dépenses",
        description=(
            "Lit un export du grand livre (CSV séparé par « ; », virgule décimale, en-têtes\n"
            "français tels que Sens, Compte, Libellé, Financeur, Forme, Montant), classe\n"
            "chaque ligne et affiche la synthèse du budget. Chaque ligne en erreur est\n"
            "nommée sur la sortie d'erreur par sa ligne, sa colonne et sa valeur."
        ),
    )
    add_input(parser, "l'export du grand livre (.csv)")
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text : synthèse en français (par défaut) ; json : la synthèse en JSON ;"
        " cerfa : le tableau budgétaire du CERFA 12156 ; records : un enregistrement JSON"
        " par ligne classée",
    )
    parser.add_argument(
        "--basis",
        choices=[b.value for b in Basis],
        default=Basis.CASH.value,
        help="cash : financements et dépenses en numéraire seulement (par défaut) ; all :"
        " avec les contributions en nature valorisées",
    )
    parser.add_argument(
        "--children",
        type=_children,
        metavar="N",
        help="enfants suivis dans l'année, pour le coût par enfant",
    )
    parser.add_argument(
        "--chart",
        choices=[c.value for c in Chart],
        default=Chart.UNKNOWN.value,
        help="nomenclature comptable des lignes sans colonne Nomenclature",
    )
    parser.add_argument(
        "--year",
        type=year_argument,
        metavar="ANNÉE",
        help="exercice des lignes sans colonne Exercice",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="synthèse des lignes lisibles, les autres listées sur la sortie d'erreur"
        " (le code de sortie reste 1)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``budget`` with parsed arguments; return the exit status (0, 1 or 2).

    Args:
        args: the namespace :func:`register`'s parser produced.

    Returns:
        0 on success, 1 when the ledger has errors (listed on stderr). A ledger that cannot
        be read at all raises (``InvalidInput``, ``CommandError``): :func:`reussite.cli.main`
        prints it and exits 1, like every other command.
    """
    with reading(args.file) as stream:
        data = stream.read()
    if data.lstrip()[:1] in (b"{", b"["):
        raise CommandError(
            f"{args.file} : ce fichier est du JSON (une cohorte ?), pas un export CSV du grand"
            " livre ; un fichier de cohorte se lit avec « reussite report » ou « reussite"
            " validate »"
        )
    source = "entrée standard" if args.file == "-" else args.file
    ledger = read_ledger(
        data,
        source=source,
        strict=not args.lenient,
        chart={c.value: c for c in Chart}[args.chart],
        year=args.year,
    )
    summary = BudgetSummary.from_lines(
        ledger.lines,
        basis={b.value: b for b in Basis}[args.basis],
        children_followed=args.children,
    )
    if args.format == "json":
        output = json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "records":
        output = json.dumps(summary.records(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "cerfa":
        output = summary.to_cerfa_text()
    else:
        output = summary.to_text()
    sys.stdout.write(output)
    if ledger.errors:
        for error in ledger.errors[:_SHOWN_ERRORS]:
            problem(args.command, f"{source} : {error} (ligne laissée de côté)")
        if len(ledger.errors) > _SHOWN_ERRORS:
            problem(
                args.command,
                f"{source} : … et {len(ledger.errors) - _SHOWN_ERRORS} autres lignes"
                " en erreur, laissées de côté",
            )
        return EXIT_DATA
    return EXIT_OK
