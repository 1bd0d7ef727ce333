"""``reussite return`` (a PRE's yearly return) and ``reussite synthesis`` (the national one)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from ..budget import BudgetSummary
from ..budget._ledger import read_ledger
from ..errors import InvalidInput, InvalidValue
from ..national import PreReturn, SurveyEdition, Synthesis
from ..periods import SchoolYear
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    CommandError,
    Subparsers,
    add_command,
    add_output,
    date_argument,
    notice,
    reading,
    writing,
    year_argument,
)

__all__ = ["register"]

_FORMATS = ("text", "json", "csv")


def register(subparsers: Subparsers) -> None:
    """Add the ``return`` and ``synthesis`` sub-commands.

    >>> parser = argparse.ArgumentParser(prog="reussite")
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["return", "c.jsonl", "l.csv", "--school-year", "2014",
    ...                           "--declared", "d.json"])
    >>> args.school_year, args.money_year, args.format, args.edition
    (2014, None, 'text', 'anct-2021')
    """
    ret = add_command(
        subparsers,
        "return",
        summary="fiche annuelle d'un PRE pour l'enquête nationale (enfants et financements)",
        description=(
            "Calcule la fiche de l'enquête annuelle de suivi d'un PRE : les enfants et\n"
            "parcours de l'année scolaire depuis le fichier de cohorte, les financements de\n"
            "l'année civile depuis l'export du grand livre (CSV), et ce que le PRE déclare\n"
            "(portage, établissements, EPS, personnel...) depuis un fichier JSON.\n"
            "Les listes de modalités sont celles de l'édition de l'enquête (--edition)."
        ),
    )
    ret.add_argument("cohort", metavar="COHORTE", help="le fichier de cohorte (.jsonl)")
    ret.add_argument(
        "ledger", metavar="GRAND-LIVRE", help="l'export CSV du grand livre ; - : aucun"
    )
    ret.add_argument(
        "--school-year",
        type=year_argument,
        required=True,
        metavar="ANNÉE",
        help="année scolaire commençant en septembre de ANNÉE (2014 : 2014/2015)",
    )
    ret.add_argument(
        "--declared",
        metavar="FICHIER",
        help="les réponses déclarées par le PRE (JSON) ; sans lui, elles sont non renseignées",
    )
    ret.add_argument(
        "--money-year",
        type=year_argument,
        metavar="ANNÉE",
        help="année civile des financements (par défaut : celle où commence l'année scolaire)",
    )
    ret.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="lit les parcours tels qu'ils étaient ce jour-là, AAAA-MM-JJ "
        "(par défaut : le dernier jour de l'année scolaire)",
    )
    ret.add_argument(
        "--edition",
        default="anct-2021",
        metavar="ÉDITION",
        help="édition de l'enquête : anct-2021 (par défaut), cget-2015, ou un fichier .toml",
    )
    ret.add_argument(
        "--suppress",
        type=int,
        metavar="K",
        help="masque les effectifs d'enfants de 1 à K-1 (secret statistique, texte et CSV)",
    )
    _format(ret, "fiche en français")
    add_output(ret, what="la fiche")
    ret.set_defaults(handler=_return)
    syn = add_command(
        subparsers,
        "synthesis",
        summary="synthèse nationale de fiches annuelles de PRE",
        description=(
            "Additionne des fiches annuelles (JSON, « reussite return --format json ») ou\n"
            "des synthèses partielles : effectifs sommés, parts recalculées sur les sommes,\n"
            "moyennes sur les totaux, médianes sur les histogrammes fusionnés, et pour\n"
            "chaque item le nombre de PRE qui y ont répondu."
        ),
    )
    syn.add_argument("returns", metavar="FICHE", nargs="+", help="fiches ou synthèses (JSON)")
    _format(syn, "synthèse en français")
    add_output(syn, what="la synthèse")
    syn.set_defaults(handler=_synthesis)


def _format(parser: argparse.ArgumentParser, text: str) -> None:
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help=f"text : {text} (par défaut) ; json : pour les outils (relu sans perte) ;"
        " csv : une ligne par réponse",
    )


def _text(name: str) -> bytes:
    with reading(name) as stream:
        return stream.read()


def _edition(name: str) -> SurveyEdition:
    from ..national import EDITIONS, load_edition

    if name in EDITIONS:
        return EDITIONS[name]
    if not name.endswith(".toml"):
        raise CommandError(
            f"--edition {name} : une édition livrée ({', '.join(EDITIONS)}) ou un fichier .toml",
            status=EXIT_USAGE,
        )
    try:
        return load_edition(name)
    except OSError as error:
        from ._common import os_error

        raise os_error(error, f"--edition {name}") from None


def _return(args: argparse.Namespace) -> int:
    from ..national import Declared, build_return
    from ..serialization import dumps, load_cohort, loads

    survey = _edition(args.edition)
    if args.suppress is not None and args.suppress < 1:
        raise CommandError("--suppress : un entier supérieur ou égal à 1", status=EXIT_USAGE)
    school_year = SchoolYear(args.school_year)
    money_year = args.money_year if args.money_year is not None else school_year.start_year
    declared = None
    if args.declared:
        try:
            declared = loads(_text(args.declared), Declared)
        except InvalidInput as error:
            raise InvalidInput(error.errors, source=args.declared) from None
    budget = None
    if args.ledger != STDIO:
        ledger = read_ledger(_text(args.ledger), source=args.ledger, year=money_year)
        lines = [x for x in ledger.lines if x.year in (None, money_year)]
        if not ledger.lines:
            notice("return", f"{args.ledger} : aucune ligne, bloc financier non renseigné")
        elif not lines:
            years = sorted({x.year for x in ledger.lines if x.year is not None})
            raise CommandError(
                f"{args.ledger} : aucune ligne de l'année civile {money_year}"
                f" (le grand livre a {', '.join(map(str, years)) or 'aucune année'})"
            )
        else:
            budget = BudgetSummary.from_lines(lines)
    with reading(args.cohort) as stream, load_cohort(stream) as cohort:
        try:
            ret = build_return(
                cohort,
                cohort.programme,
                school_year,
                declared=declared,
                budget=budget,
                money_year=money_year,
                survey=survey,
                as_of=args.as_of,
            )
        except InvalidValue as error:
            where = args.declared if error.owner == "Declared" else args.cohort
            raise CommandError(f"{where} : {error}") from None
    if args.format == "json":
        output = dumps(ret) + "\n"
    elif args.format == "csv":
        output = ret.to_csv(suppress_below=args.suppress, survey=survey)
    else:
        output = ret.to_text(suppress_below=args.suppress, survey=survey)
    with writing(args.output) as out:
        out.write(output)
    return EXIT_OK


class _Count:
    """``fiches : 12 / 493`` on standard error while reading, when it is a terminal."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.enabled = sys.stderr.isatty()

    def advance(self) -> None:
        self.done += 1
        if self.enabled:
            sys.stderr.write(f"\rfiches lues : {self.done} / {self.total}\x1b[K")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.done:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _synthesis(args: argparse.Namespace) -> int:
    from ..national import synthesise
    from ..serialization import dumps, loads

    progress = _Count(len(args.returns))

    def parts() -> Iterator[PreReturn | Synthesis]:
        for name in args.returns:
            data = _text(name)
            kind: type[PreReturn] | type[Synthesis] = (
                Synthesis if b'"totals"' in data[:4096] else PreReturn
            )
            try:
                yield loads(data, kind)
            except InvalidInput as error:
                raise InvalidInput(error.errors, source=name) from None
            progress.advance()

    try:
        nation = synthesise(parts())
    except InvalidValue as error:
        raise CommandError(str(error)) from None
    finally:
        progress.close()
    if args.format == "json":
        output = dumps(nation) + "\n"
    elif args.format == "csv":
        output = nation.to_csv()
    else:
        output = nation.to_text()
    with writing(args.output) as out:
        out.write(output)
    return EXIT_OK
