"""``reussite report FICHIER`` and ``reussite demo``: the annual report from a cohort file."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from collections.abc import Iterator

from ..indicators import Report, annual_report
from ..pathway import Pathway
from ..periods import CalendarYear, DateRange, Period, SchoolYear
from ..programme import Programme
from ..samples import sample_path
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Subparsers,
    add_command,
    add_input,
    add_jobs,
    date_argument,
    jobs_for,
    reading,
    sharded_progress,
    year_argument,
)

__all__ = ["register"]

_FORMATS = ("text", "json", "csv")


def register(subparsers: Subparsers) -> None:
    """Add the ``report`` and ``demo`` sub-commands.

    >>> parser = argparse.ArgumentParser(prog="reussite")
    >>> register(parser.add_subparsers())
    >>> args = parser.parse_args(["report", "cohort.jsonl", "--school-year", "2017"])
    >>> args.school_year, args.format
    (2017, 'text')
    """
    report = add_command(
        subparsers,
        "report",
        summary="bilan annuel d'un fichier de cohorte (indicateurs)",
        description=(
            "Calcule les indicateurs du bilan annuel (« en quelques chiffres ») d'un fichier\n"
            "de cohorte (JSON Lines, reussite.serialization) sur une année scolaire, une\n"
            "année civile ou une période. Le fichier est lu ligne à ligne et chaque parcours\n"
            "vérifié : une ligne invalide arrête le bilan en la nommant."
        ),
    )
    add_input(report, "le fichier de cohorte (.jsonl)")
    period = report.add_mutually_exclusive_group(required=True)
    period.add_argument(
        "--school-year",
        type=year_argument,
        metavar="ANNÉE",
        help="année scolaire commençant en septembre de ANNÉE (2017 : 2017/2018)",
    )
    period.add_argument("--year", type=year_argument, metavar="ANNÉE", help="année civile")
    period.add_argument(
        "--from",
        dest="start",
        type=date_argument,
        metavar="DATE",
        help="premier jour d'une période, AAAA-MM-JJ (avec --to)",
    )
    report.add_argument(
        "--to",
        dest="end",
        type=date_argument,
        metavar="DATE",
        help="dernier jour de la période, AAAA-MM-JJ (avec --from)",
    )
    report.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="lit les parcours tels qu'ils étaient ce jour-là, AAAA-MM-JJ "
        "(par défaut : le dernier jour de la période)",
    )
    report.add_argument(
        "--known-on",
        type=date_argument,
        metavar="DATE",
        help="lit les données telles qu'elles étaient saisies ce jour-là, AAAA-MM-JJ : "
        "reproduit un bilan publié à cette date (par défaut : tout ce qui est saisi)",
    )
    _format(report)
    add_jobs(report)
    report.set_defaults(handler=_report)
    demo = add_command(
        subparsers,
        "demo",
        summary="le tableau du PRE du Pays Salonais 2017/2018, recalculé (démonstration)",
        description=(
            "Affiche le tableau « en quelques chiffres » du PRE du Pays Salonais 2017/2018,\n"
            "recalculé depuis la cohorte synthétique livrée avec reussite\n"
            "(python -m reussite sample cohort)."
        ),
    )
    _format(demo)
    demo.set_defaults(handler=_demo)


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=_FORMATS,
        default="text",
        help="text : tableau en français (par défaut) ; json : chiffres et définitions ;"
        " csv : une ligne par chiffre",
    )


def _period(args: argparse.Namespace) -> Period:
    """The period the options name; a usage error if --from and --to do not go together."""
    if args.end is not None and args.start is None:
        raise CommandError("--to va avec --from (la période du --from au --to)", status=EXIT_USAGE)
    if args.school_year is not None:
        return SchoolYear(args.school_year)
    if args.year is not None:
        return CalendarYear(args.year)
    if args.end is None:
        raise CommandError("--from va avec --to (la période du --from au --to)", status=EXIT_USAGE)
    if args.end < args.start:
        raise CommandError(
            f"--to {args.end.isoformat()} est avant --from {args.start.isoformat()}",
            status=EXIT_USAGE,
        )
    return DateRange(start=args.start, end=args.end)


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
    as_of: dt.date = args.as_of or period.end
    if as_of < period.start:
        raise CommandError(
            f"--as-of {as_of.isoformat()} est avant le début de la période "
            f"({period.start.isoformat()}) : aucun parcours n'y serait encore connu",
            status=EXIT_USAGE,
        )
    jobs = jobs_for(args.file, args.jobs)
    if jobs > 1:
        _print(_sharded(args, period, as_of, jobs), args.format)
        return EXIT_OK
    with reading(args.file) as stream, load_cohort(stream, known_on=args.known_on) as cohort:
        # the cohort checks the register as it reads, naming lines: not twice
        report = annual_report(
            cohort,
            period,
            as_of=as_of,
            programme=cohort.programme,
            check_register=False,
            known_on=args.known_on,
        )
    _print(report, args.format)
    return EXIT_OK


def _shard_report(
    pathways: Iterator[Pathway],
    programme: Programme,
    *,
    period: Period,
    as_of: dt.date,
    known_on: dt.date | None,
) -> Report:
    """The report of one shard (the register is checked by the reader, in file order)."""
    return annual_report(
        pathways,
        period,
        as_of=as_of,
        programme=programme,
        check_register=False,
        known_on=known_on,
    )


def _sharded(args: argparse.Namespace, period: Period, as_of: dt.date, jobs: int) -> Report:
    """The report of ``args.file`` read by ``jobs`` processes: the same as one."""
    from ..serialization import map_cohort

    with reading(args.file):  # opened and checked (not empty...) as by one process
        pass
    work = functools.partial(_shard_report, period=period, as_of=as_of, known_on=args.known_on)
    progress = sharded_progress(args.file)
    try:
        read = map_cohort(
            args.file, work, jobs=jobs, progress=progress.advance, known_on=args.known_on
        )
    finally:
        progress.close()
    return functools.reduce(Report.merge, read.results)


def _demo(args: argparse.Namespace) -> int:
    from ..serialization import load_cohort

    school_year, calendar_year = SchoolYear(2017), CalendarYear(2017)
    with load_cohort(sample_path("cohort")) as cohort:
        pathways = list(cohort)
        programme = cohort.programme
    report = annual_report(pathways, school_year, as_of=school_year.end, programme=programme)
    if args.format != "text":
        _print(report, args.format)
        return EXIT_OK
    year = annual_report(pathways, calendar_year, as_of=calendar_year.end, programme=programme)
    sys.stdout.write(report.to_text(detail=False))
    print(f"  ({year.count('children_followed')} enfants suivis en {calendar_year.year})")
    print(
        "\nDonnées synthétiques (noms inventés, codes QPV illustratifs) construites événement"
        " par événement par examples/make_pays_salonais.py ; détail : reussite report."
    )
    return EXIT_OK
