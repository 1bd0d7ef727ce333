"""The ``budget`` sub-command: ``python -m reussite budget FILE.csv``."""

from __future__ import annotations

import argparse
import json
import sys

from ..budget._categories import Chart
from ..budget._ledger import load_ledger
from ..budget._summary import Basis, BudgetSummary

__all__ = ["register", "run"]

_FORMATS = ("text", "json", "cerfa", "records")


def _children(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of children >= 1, got {text!r}")
    return value


def _year(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
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
            " Sens, Compte, Libellé, Financeur, Forme, Montant), classify every line and"
            " print the budget summary. Exit status: 0 on success, 1 if the file has"
            " errors (each named by line, column and value), 2 on a usage error."
        ),
    )
    parser.add_argument("file", metavar="FILE.csv", help="the ledger export to read")
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text: French summary (default); json: the summary as JSON; cerfa: the"
        " CERFA 12156 budget table; records: one JSON record per classified line",
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
        help="children followed in the year, for the cost per child",
    )
    parser.add_argument(
        "--chart",
        choices=[c.value for c in Chart],
        default=Chart.UNKNOWN.value,
        help="chart of accounts of rows without a Nomenclature column",
    )
    parser.add_argument("--year", type=_year, help="budget year of rows without an Exercice column")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="summarise the rows that could be read and list the others on stderr"
        " (the exit status is still 1)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run ``budget`` with parsed arguments; return the exit status (0, 1 or 2).

    Args:
        args: the namespace :func:`register`'s parser produced.

    Returns:
        0 on success, 1 when the ledger has errors (listed on stderr). A ledger that cannot
        be read at all raises (``InvalidInput``, ``OSError``): :func:`reussite.cli.main`
        prints it and exits 1, like every other command.
    """
    ledger = load_ledger(
        args.file,
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
        count = len(ledger.errors)
        lines = "\n".join(f"  {e}" for e in ledger.errors)
        sys.stderr.write(
            f"reussite budget: {args.file}: {count} problem(s), rows left out:\n{lines}\n"
        )
        return 1
    return 0
