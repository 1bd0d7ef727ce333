"""The ``budget`` sub-command: ``python -m reussite budget FILE.csv``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from ..budget._categories import Chart, Stage
from ..budget._classify import classify
from ..budget._compare import BudgetComparison, split_by_year
from ..budget._defaults import DEFAULT_RULES
from ..budget._ledger import Ledger, load_ledger
from ..budget._line import BudgetLine
from ..budget._rulefile import load_rules
from ..budget._rules import RuleSet
from ..budget._spreadsheet import to_xlsx
from ..budget._summary import Basis, BudgetSummary, ClassifiedLine
from ..errors import InvalidInput

__all__ = ["register", "run"]

_FORMATS = ("text", "json", "cerfa", "crf", "records", "xlsx")


def _children(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of children >= 1, got {text!r}")
    return value


def _year(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"expected a year such as 2018, got {text!r}")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``budget`` sub-command; its parser calls ``set_defaults(handler=run)``.

    Args:
        subparsers: the object ``ArgumentParser.add_subparsers()`` returned.

    >>> parser = argparse.ArgumentParser(prog="reussite")
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["budget", "ledger.csv", "--format", "json"])
    >>> args.format, args.handler is run
    ('json', True)
    """
    parser = subparsers.add_parser(
        "budget",
        help="summarise a PRE budget ledger (CSV): who funds it, what it is spent on",
        description=(
            "Read a ledger export (CSV with ';', decimal comma, French headers such as"
            " Sens, Compte, Libellé, Financeur, Forme, Montant, or Prévisionnel and"
            " Réalisé), classify every line and print the budget summary. A ledger with"
            " forecast and actual amounts prints the execution (gap and rate); a ledger"
            " of several years prints each year apart. Exit status: 0 on success, 1 if"
            " the file has errors (each named by line, column and value), 2 on a usage"
            " error."
        ),
    )
    parser.add_argument("file", metavar="FILE.csv", help="the ledger export to read")
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text: French summary (default); json: the summary as JSON; cerfa: the"
        " CERFA 12156 budget table (the forecast); crf: the compte rendu financier"
        " (CERFA 15059) from the actuals, gaps explained; records: one JSON line per"
        " classified line (JSON Lines); xlsx: the CERFA tables in whole euros as a"
        " spreadsheet (needs --output and the 'spreadsheet' extra)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (replaced atomically) instead of standard output",
    )
    parser.add_argument(
        "--rules",
        metavar="RULES.toml",
        help="a rule file (TOML, the format of the default rules) that adds to or"
        " replaces the default classification rules",
    )
    parser.add_argument(
        "--basis",
        choices=[b.value for b in Basis],
        default=Basis.CASH.value,
        help="cash: direct funding and expenses only (default); all: add the in-kind"
        " contributions that have a valuation",
    )
    parser.add_argument(
        "--children",
        type=_children,
        metavar="N",
        help="children followed in the year (the indicators' children_followed), for the"
        " cost per child and per action",
    )
    parser.add_argument(
        "--chart",
        choices=[c.value for c in Chart],
        default=Chart.UNKNOWN.value,
        help="chart of accounts of rows without a Nomenclature column",
    )
    parser.add_argument("--year", type=_year, help="budget year of rows without an Exercice column")
    parser.add_argument(
        "--only-year",
        type=_year,
        metavar="YEAR",
        help="summarise one year of a ledger that spans several",
    )
    parser.add_argument(
        "--compare-years",
        type=_year,
        nargs=2,
        metavar=("BEFORE", "AFTER"),
        help="compare two years of the ledger by category, funder and action",
    )
    parser.add_argument(
        "--stage",
        choices=[s.value for s in Stage],
        help="with forecast and actual amounts: summarise only the forecast or the"
        " actual instead of comparing them",
    )
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="summarise the rows that could be read and list the others on stderr"
        " (the exit status is still 1)",
    )
    parser.set_defaults(handler=run)


def _write(args: argparse.Namespace, output: str | bytes) -> None:
    """Write to standard output, or atomically to ``--output`` (temp file + rename)."""
    data = output.encode("utf-8") if isinstance(output, str) else output
    if args.output in (None, "-"):
        if isinstance(output, bytes):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            sys.stdout.write(output)
        return
    target = Path(args.output)
    handle, temp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _stderr(ledger: Ledger, summaries: list[BudgetSummary]) -> None:
    for warning in ledger.warnings:
        sys.stderr.write(f"attention : {warning}\n")
    seen: set[str] = set()
    for summary in summaries:
        for check in summary.checks():
            if check not in seen:
                seen.add(check)
                sys.stderr.write(f"{check}\n")


def run(args: argparse.Namespace) -> int:
    """Run ``budget`` with parsed arguments; return the exit status (0, 1 or 2).

    Args:
        args: the namespace :func:`register`'s parser produced.

    Returns:
        0 on success, 1 when the ledger has errors (listed on stderr), 2 when the
        options do not fit the ledger. A ledger or rule file that cannot be read at all
        raises (``InvalidInput``, ``InvalidRuleSet``, ``OSError``):
        :func:`reussite.cli.main` prints it and exits 1, like every other command.
    """
    rules: RuleSet | None = load_rules(args.rules) if args.rules else None
    ledger = load_ledger(
        args.file,
        strict=not args.lenient,
        chart={c.value: c for c in Chart}[args.chart],
        year=args.year,
    )
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
        sys.stderr.write(f"reussite budget: {usage}\n")
        return 2
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
    if args.format == "xlsx" and args.output in (None, "-") and sys.stdout.isatty():
        return "--format xlsx writes a spreadsheet: give --output FICHIER.xlsx"
    if args.only_year is not None and args.only_year not in years:
        return f"--only-year {args.only_year}: the ledger has {_years(years)}"
    if args.compare_years:
        missing = [y for y in args.compare_years if y not in years]
        if missing:
            return f"--compare-years: the ledger has no {missing[0]} ({_years(years)})"
    if len(years) > 1 and args.only_year is None and args.format in ("xlsx", "crf"):
        return f"the ledger spans {_years(years)}: choose one with --only-year"
    return None


def _years(years: list[int]) -> str:
    return "years " + ", ".join(map(str, years)) if years else "no year"


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
                ["--format crf needs forecast and actual amounts (Prévisionnel and Réalisé"
                 " columns, or a Stade column)"],
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
    if ledger.errors:
        count = len(ledger.errors)
        lines = "\n".join(f"  {e}" for e in ledger.errors)
        sys.stderr.write(
            f"reussite budget: {args.file}: {count} problem(s), rows left out:\n{lines}\n"
        )
        return 1
    return 0
