"""``reussite report FILE`` and ``reussite demo``: the annual report from a cohort file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from importlib import resources

from ..errors import InvalidValue
from ..indicators import Report, annual_report
from ..pathway import Pathway
from ..periods import CalendarYear, DateRange, Period, SchoolYear

__all__ = ["DEMO_FILE", "register"]

DEMO_FILE = "pays-salonais-2017-2018.jsonl"
"""The bundled synthetic cohort (``reussite/data``), built by examples/make_pays_salonais.py."""

_FORMATS = ("text", "json", "csv")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD (2018-08-31), got {text!r}"
        ) from None


def _year(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"expected a year such as 2017, got {text!r}")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` and ``demo`` sub-commands.

    >>> parser = argparse.ArgumentParser(prog="reussite")
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["report", "cohort.jsonl", "--school-year", "2017"])
    >>> args.school_year, args.format
    (2017, 'text')
    """
    report = subparsers.add_parser(
        "report",
        help="annual report of a cohort file (indicateurs du bilan annuel)",
        description=(
            "Calcule les indicateurs du bilan annuel (« en quelques chiffres ») d'un fichier"
            " de parcours (JSON Lines, reussite.serialization) sur une année scolaire, une"
            " année civile ou une période. Code de sortie : 0 si tout va bien, 1 si le"
            " fichier a des erreurs, 2 en cas d'erreur d'usage."
        ),
    )
    report.add_argument("file", metavar="FILE", help="the cohort file (.jsonl) to read")
    period = report.add_mutually_exclusive_group(required=True)
    period.add_argument(
        "--school-year",
        type=_year,
        metavar="YEAR",
        help="school year starting in September of YEAR (2017: 2017/2018)",
    )
    period.add_argument("--year", type=_year, metavar="YEAR", help="calendar year")
    period.add_argument(
        "--from",
        dest="start",
        type=_date,
        metavar="DATE",
        help="first day of a period (with --to)",
    )
    report.add_argument("--to", dest="end", type=_date, metavar="DATE", help="last day (--from)")
    report.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="read the pathways as they stood on DATE (default: the period's last day)",
    )
    _format(report)
    report.set_defaults(handler=_report, parser=report)
    demo = subparsers.add_parser(
        "demo",
        help="the seed's table (PRE du Pays Salonais, 2017/2018) from the bundled data",
        description=(
            "Affiche le tableau « en quelques chiffres » du PRE du Pays Salonais 2017/2018,"
            " recalculé depuis la cohorte synthétique livrée avec reussite."
        ),
    )
    _format(demo)
    demo.set_defaults(handler=_demo)


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text: French table (default); json: figures and definitions; csv: figures",
    )


def _period(args: argparse.Namespace) -> Period | None:
    if args.end is not None and args.start is None:
        return None  # --to without --from: a usage error, never silently ignored
    if args.school_year is not None:
        return SchoolYear(args.school_year)
    if args.year is not None:
        return CalendarYear(args.year)
    if args.end is None or args.end < args.start:
        return None
    return DateRange(start=args.start, end=args.end)


def _progress(pathways: Iterator[Pathway]) -> Iterator[Pathway]:
    """Pass pathways through, counting on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield from pathways
        return
    count = 0
    for count, pathway in enumerate(pathways, start=1):
        if count % 10_000 == 0:
            print(f"\r{count} parcours lus…", end="", file=sys.stderr, flush=True)
        yield pathway
    print(f"\r{count} parcours lus.", file=sys.stderr)


def _print(report: Report, fmt: str) -> None:
    if fmt == "json":
        print(report.to_json())
    elif fmt == "csv":
        sys.stdout.write(report.to_csv())
    else:
        sys.stdout.write(report.to_text())


def _report(args: argparse.Namespace) -> int:
    from ..serialization import load_cohort

    period = _period(args)
    if period is None:
        parser: argparse.ArgumentParser = args.parser
        parser.print_usage(sys.stderr)
        print(
            f"{parser.prog}: error: --from and --to go together, --to on or after --from "
            f"(got --from {args.start}, --to {args.end})",
            file=sys.stderr,
        )
        return 2
    as_of = args.as_of or period.end
    if as_of < period.start:
        raise InvalidValue(
            "report", "--as-of", as_of, f"a date on or after the period's start ({period.start})"
        )
    with load_cohort(args.file) as cohort:
        report = annual_report(
            _progress(iter(cohort)), period, as_of=as_of, programme=cohort.programme
        )
    _print(report, args.format)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from ..serialization import load_cohort

    school_year, calendar_year = SchoolYear(2017), CalendarYear(2017)
    data = resources.files("reussite") / "data" / DEMO_FILE
    with resources.as_file(data) as path, load_cohort(path) as cohort:
        pathways = list(cohort)
        programme = cohort.programme
    report = annual_report(pathways, school_year, as_of=school_year.end, programme=programme)
    if args.format != "text":
        _print(report, args.format)
        return 0
    year = annual_report(pathways, calendar_year, as_of=calendar_year.end, programme=programme)
    sys.stdout.write(report.to_text(detail=False))
    print(f"  ({year.value('children_followed')} enfants suivis en {calendar_year.year})")
    print(
        "\nDonnées synthétiques (noms inventés, codes QPV illustratifs) construites événement"
        " par événement par examples/make_pays_salonais.py ; détail : reussite report."
    )
    return 0
