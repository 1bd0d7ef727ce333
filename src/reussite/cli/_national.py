"""``reussite return`` (a PRE's yearly return) and ``reussite synthesis`` (the national one)."""

from __future__ import annotations

import argparse
import sys

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
        help="masque les effectifs d'enfants de 1 à K-1 et ceux qui permettraient de les"
        " recalculer (secret statistique ; texte et CSV, pas JSON)",
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
    syn.add_argument(
        "--edition",
        metavar="ÉDITION",
        help="fichier .toml de l'édition des fiches quand ce n'est pas une édition livrée"
        " (anct-2021, cget-2015) ; les codes des fiches y sont vérifiés",
    )
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
    if args.suppress is not None and args.format == "json":
        raise CommandError(
            "--suppress ne s'applique pas au format json, relu sans perte par les outils"
            " (il publierait les effectifs) : choisissez --format text ou csv",
            status=EXIT_USAGE,
        )
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
            if error.owner == "Declared":
                raise InvalidInput([_located(error)], source=args.declared) from None
            raise CommandError(f"{args.cohort} : {error}") from None
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


_MERGE_FR = {
    "edition": "édition {got} différente de celle des fiches précédentes ({had})",
    "edition_digest": "fiche construite avec une autre édition du même nom que les fiches"
    " précédentes",
    "school_year": "année scolaire {got} différente de celle des fiches précédentes ({had})",
    "money_year": "année des financements {got} différente de celle des fiches précédentes ({had})",
    "programmes": "PRE déjà compté dans une fiche précédente : {got} (chaque PRE une seule fois)",
}


def _located(error: InvalidValue) -> str:
    """``expected ..., got ... @ $.field``, the line of a document's problem."""
    import json

    value = error.value
    plain = value is None or isinstance(value, str | int | float | bool)
    shown = json.dumps(value, ensure_ascii=False) if plain and not error.personal else error.shown
    return f"expected {error.expected}, got {shown} @ $.{error.field}"


def _merge_error(name: str, error: InvalidValue, result: Synthesis) -> CommandError:
    """A merge refused, in French, naming the file that does not fit the ones before."""
    template = _MERGE_FR.get(error.field)
    if template is None:  # pragma: no cover - every refusal of merge has a message
        return CommandError(f"{name} : {error}")
    got = ", ".join(error.value) if isinstance(error.value, list) else error.value
    had = getattr(result, error.field, "")
    return CommandError(f"{name} : " + template.format(got=got, had=had))


def _part(name: str, data: bytes, survey: SurveyEdition | None) -> Synthesis:
    """One file read and checked against its edition (``survey`` or a shipped one)."""
    import json

    from ..national import EDITIONS
    from ..serialization import loads

    try:
        parsed = json.loads(data)
    except ValueError:
        parsed = None
    kind: type[PreReturn] | type[Synthesis] = (
        Synthesis if isinstance(parsed, dict) and "totals" in parsed else PreReturn
    )
    try:
        item = loads(data, kind)
    except InvalidInput as error:
        raise InvalidInput(error.errors, source=name) from None
    if survey is None and item.edition not in EDITIONS:
        raise CommandError(
            f"{name} : édition « {item.edition} » inconnue (livrées : {', '.join(EDITIONS)}) :"
            " donnez son fichier avec --edition FICHIER.toml"
        )
    if survey is not None and item.edition != survey.id:
        raise CommandError(
            f"{name} : fiche de l'édition « {item.edition} », --edition donne « {survey.id} »"
        )
    ed = EDITIONS[item.edition] if survey is None else survey
    try:
        if isinstance(item, Synthesis):
            item.check_codes(ed)
            return item
        return Synthesis.of(item, survey=ed)
    except InvalidValue as error:
        if error.field.startswith("edition"):
            raise CommandError(
                f"{name} : construite avec une autre édition nommée « {item.edition} » que"
                " celle donnée : donnez son fichier avec --edition FICHIER.toml"
            ) from None
        raise InvalidInput([_located(error)], source=name) from None


def _synthesis(args: argparse.Namespace) -> int:
    from ..serialization import dumps

    survey = None if args.edition is None else _edition(args.edition)
    progress = _Count(len(args.returns))
    nation: Synthesis | None = None
    try:
        for name in args.returns:
            part = _part(name, _text(name), survey)
            if nation is None:
                nation = part
            else:
                try:
                    nation = nation.merge(part)
                except InvalidValue as error:
                    raise _merge_error(name, error, nation) from None
            progress.advance()
    finally:
        progress.close()
    assert nation is not None  # argparse: one file at least
    if args.format == "json":
        output = dumps(nation) + "\n"
    elif args.format == "csv":
        output = nation.to_csv(survey=survey)
    else:
        output = nation.to_text(survey=survey)
    with writing(args.output) as out:
        out.write(output)
    return EXIT_OK
