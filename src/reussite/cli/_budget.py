"""The ``budget`` sub-command: ``python -m reussite budget FICHIER.csv``."""

from __future__ import annotations

import argparse
import json
import sys

from ..budget._categories import Chart, Stage
from ..budget._classify import classify
from ..budget._compare import BudgetComparison, split_by_year
from ..budget._defaults import DEFAULT_RULES
from ..budget._ledger import Ledger, read_ledger
from ..budget._line import BudgetLine
from ..budget._rulefile import load_rules
from ..budget._rules import RuleSet
from ..budget._spreadsheet import to_xlsx
from ..budget._summary import Basis, BudgetSummary, ClassifiedLine
from ..errors import InvalidInput
from ._common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    STDIO,
    CommandError,
    Subparsers,
    add_command,
    add_input,
    notice,
    os_error,
    problem,
    reading,
    writing,
    year_argument,
)

__all__ = ["register", "run"]

_FORMATS = ("text", "json", "cerfa", "crf", "records", "xlsx")


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
            "français tels que Sens, Compte, Libellé, Financeur, Forme, Montant, ou\n"
            "Prévisionnel et Réalisé), classe chaque ligne et affiche la synthèse du budget.\n"
            "Un grand livre avec prévisionnel et réalisé donne l'exécution (écart et taux) ;\n"
            "un grand livre de plusieurs exercices donne chacun à part. Chaque ligne en\n"
            "erreur est nommée sur la sortie d'erreur par sa ligne, sa colonne et sa valeur."
        ),
    )
    add_input(parser, "l'export du grand livre (.csv)")
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text : synthèse en français (par défaut) ; json : la synthèse en JSON ;"
        " cerfa : le tableau budgétaire du CERFA 12156 (le prévisionnel) ; crf : le compte"
        " rendu financier (CERFA 15059) depuis le réalisé, écarts expliqués ; records : une"
        " ligne JSON par ligne classée (JSON Lines) ; xlsx : les tableaux CERFA en euros"
        " entiers dans un classeur (avec --output et l'extra « spreadsheet »)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        help="écrit le résultat dans FICHIER, en entier ou pas du tout (par défaut, ou -,"
        " sur la sortie standard)",
    )
    parser.add_argument(
        "--rules",
        metavar="FICHIER",
        help="un fichier de règles (TOML, le format des règles par défaut) qui complète ou"
        " remplace les règles de classement par défaut",
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
        help="enfants suivis dans l'année (l'indicateur children_followed), pour le coût"
        " par enfant et par action",
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
        "--only-year",
        type=year_argument,
        metavar="ANNÉE",
        help="synthèse d'un seul exercice d'un grand livre qui en couvre plusieurs",
    )
    parser.add_argument(
        "--compare-years",
        type=year_argument,
        nargs=2,
        metavar=("AVANT", "APRÈS"),
        help="compare deux exercices du grand livre par catégorie, financeur et action",
    )
    parser.add_argument(
        "--stage",
        choices=[s.value for s in Stage],
        help="avec prévisionnel et réalisé : synthèse du seul prévisionnel ou du seul"
        " réalisé au lieu de les comparer",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="synthèse des lignes lisibles, les autres listées sur la sortie d'erreur"
        " (le code de sortie reste 1)",
    )
    parser.set_defaults(handler=run)


def _write(args: argparse.Namespace, output: str | bytes) -> None:
    """Write to standard output, or all at once to ``--output`` (temporary file, renamed)."""
    with writing(args.output, binary=isinstance(output, bytes)) as out:
        out.write(output)


def _stderr(ledger: Ledger, summaries: list[BudgetSummary]) -> None:
    for warning in ledger.warnings:
        notice("budget", f"{_source(ledger)} : {warning}")
    seen: set[str] = set()
    for summary in summaries:
        for check in summary.checks():
            if check not in seen:
                seen.add(check)
                notice("budget", check.removeprefix("Attention : "))


def _source(ledger: Ledger) -> str:
    return ledger.source or "entrée standard"


def _load(args: argparse.Namespace) -> tuple[RuleSet | None, Ledger]:
    """The rule file and the ledger the options name, read (``-``: standard input)."""
    try:
        rules: RuleSet | None = load_rules(args.rules) if args.rules else None
    except OSError as error:
        raise os_error(error, f"--rules {args.rules}") from None
    with reading(args.file) as stream:
        data = stream.read()
    if data.lstrip()[:1] in (b"{", b"["):
        raise CommandError(
            f"{args.file} : ce fichier est du JSON (une cohorte ?), pas un export CSV du grand"
            " livre ; un fichier de cohorte se lit avec « reussite report » ou « reussite"
            " validate »"
        )
    ledger = read_ledger(
        data,
        source="entrée standard" if args.file == STDIO else args.file,
        strict=not args.lenient,
        chart={c.value: c for c in Chart}[args.chart],
        year=args.year,
    )
    return rules, ledger


def run(args: argparse.Namespace) -> int:
    """Run ``budget`` with parsed arguments; return the exit status (0, 1 or 2).

    Args:
        args: the namespace :func:`register`'s parser produced.

    Returns:
        0 on success, 1 when the ledger has errors (listed on stderr), 2 when the
        options do not fit the ledger. A ledger or rule file that cannot be read at all
        raises (``InvalidInput``, ``InvalidRuleSet``, ``CommandError``):
        :func:`reussite.cli.main` prints it and exits 1 (2 for a file that cannot be
        opened), like every other command.
    """
    rules, ledger = _load(args)
    lines = list(ledger.lines)
    stage = {s.value: s for s in Stage}[args.stage] if args.stage else None
    if stage is not None:
        lines = [x for x in lines if x.stage in (None, stage)]
    basis = {b.value: b for b in Basis}[args.basis]
    options: dict[str, object] = {"basis": basis}
    if rules is not None:
        options["rules"] = rules
    years = sorted({x.year for x in lines if x.year is not None})
    usage = _usage(args, years)
    if usage:
        raise CommandError(usage, status=EXIT_USAGE)
    if args.format == "records":
        records = _records(lines, options)
        _write(args, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        return _finish(args, ledger)
    if args.compare_years:
        before, after = args.compare_years
        compared = BudgetComparison.between_years(
            lines, before, after, stage=stage, rules=rules, basis=basis
        )
        _emit(args, compared.before, compared)
        _stderr(ledger, [compared.before, compared.after])
        return _finish(args, ledger)
    if args.only_year is not None:
        lines = [x for x in lines if x.year == args.only_year]
        years = [args.only_year]
    if len(years) > 1:
        outputs = []
        summaries = []
        for year, part in split_by_year(lines).items():
            one, both = _budget(list(part), args, options)
            summaries.append(one)
            outputs.append((year, one, both))
        if args.format == "json":
            data = {
                "by_year": {
                    str(y): (c.to_dict() if c is not None else s.to_dict()) for y, s, c in outputs
                }
            }
            _write(args, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            _write(args, "\n".join(_text(args, s, c) for _, s, c in outputs))
        _stderr(ledger, summaries)
        return _finish(args, ledger)
    summary, comparison = _budget(lines, args, options)
    _emit(args, summary, comparison)
    _stderr(ledger, [summary] if comparison is None else [comparison.before, comparison.after])
    return _finish(args, ledger)


def _usage(args: argparse.Namespace, years: list[int]) -> str | None:
    """Why the options do not fit the ledger, or None."""
    if args.format == "xlsx" and args.output in (None, STDIO) and sys.stdout.isatty():
        return "--format xlsx écrit un classeur : donner --output FICHIER.xlsx"
    if args.only_year is not None and args.only_year not in years:
        return f"--only-year {args.only_year} : le grand livre a {_years(years)}"
    if args.compare_years:
        missing = [y for y in args.compare_years if y not in years]
        if missing:
            return (
                f"--compare-years : pas d'exercice {missing[0]} dans le grand livre"
                f" ({_years(years)})"
            )
    if len(years) > 1 and args.only_year is None and args.format in ("xlsx", "crf"):
        return f"le grand livre couvre {_years(years)} : en choisir un avec --only-year"
    return None


def _years(years: list[int]) -> str:
    if not years:
        return "aucun exercice"
    return ("l'exercice " if len(years) == 1 else "les exercices ") + ", ".join(map(str, years))


def _records(lines: list[BudgetLine], options: dict[str, object]) -> list[dict[str, object]]:
    rules = options.get("rules", DEFAULT_RULES)
    assert isinstance(rules, RuleSet)
    return [
        ClassifiedLine(line=x, classification=classify(x, rules=rules)).to_dict() for x in lines
    ]


def _budget(
    lines: list[BudgetLine], args: argparse.Namespace, options: dict[str, object]
) -> tuple[BudgetSummary, BudgetComparison | None]:
    """The summary to print, and the comparison when the lines hold both stages."""
    basis = options["basis"]
    rules = options.get("rules")
    assert isinstance(basis, Basis)
    assert rules is None or isinstance(rules, RuleSet)
    stages = {x.stage for x in lines} - {None}
    if len(stages) > 1:
        comparison = BudgetComparison.execution(
            lines, rules=rules, basis=basis, children_followed=args.children
        )
        return comparison.before, comparison
    summary = BudgetSummary.from_lines(
        lines, rules=rules or DEFAULT_RULES, basis=basis, children_followed=args.children
    )
    return summary, None


def _text(
    args: argparse.Namespace, summary: BudgetSummary, comparison: BudgetComparison | None
) -> str:
    if args.format == "cerfa":
        return summary.to_cerfa_text()
    if args.format == "crf":
        if comparison is None:
            raise InvalidInput(
                ["--format crf demande des montants prévisionnels et réalisés (colonnes"
                 " Prévisionnel et Réalisé, ou une colonne Stade)"],
                source=args.file,
            )  # fmt: skip
        return comparison.to_report_text()
    if comparison is not None:
        return comparison.to_text()
    return summary.to_text()


def _emit(
    args: argparse.Namespace, summary: BudgetSummary, comparison: BudgetComparison | None
) -> None:
    if args.format == "json":
        data = comparison.to_dict() if comparison is not None else summary.to_dict()
        _write(args, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "xlsx":
        _write(args, to_xlsx(summary, comparison=comparison))
    else:
        _write(args, _text(args, summary, comparison))


def _finish(args: argparse.Namespace, ledger: Ledger) -> int:
    if not ledger.errors:
        return EXIT_OK
    source = _source(ledger)
    for error in ledger.errors[:_SHOWN_ERRORS]:
        problem(args.command, f"{source} : {error} (ligne laissée de côté)")
    if len(ledger.errors) > _SHOWN_ERRORS:
        problem(
            args.command,
            f"{source} : … et {len(ledger.errors) - _SHOWN_ERRORS} autres lignes en erreur,"
            " laissées de côté",
        )
    return EXIT_DATA
