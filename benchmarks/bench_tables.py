"""Benchmark: tidy tables against loading and against pandas by hand; several years in one pass.

    python benchmarks/bench_tables.py              # 100,000 pathways
    python benchmarks/bench_tables.py --quick      # 1,000 pathways: a correctness run (CI)

The cohort is the bundled Pays Salonais cohort repeated (each copy replayed with new ids,
see ``bench_indicators.national``), written to a cohort file. All the times are measured
in one run, best of ``--repeat``, with the load average printed beside them (the machine
is shared: compare ratios, not seconds).

1. Load: ``list(load_cohort(file))``, every pathway checked by replay.
2. Tables: ``tidy_tables`` (all seven tables) over the pathways in memory, then their
   pandas DataFrames; against building the same seven DataFrames, same columns and
   dtypes, by hand from ``Pathway`` objects (rows as tuples, ``pd.to_datetime``,
   categoricals), the best way we know. Both give the same frames (checked).
3. Streaming: ``write_parquet`` from the file (load included) against the load alone.
4. Several years: ``annual_reports`` over N school years from one read of the file,
   against N single ``annual_report`` runs that each read the file; and the same in
   memory (N tallies fed in one pass against N passes).
"""

from __future__ import annotations

import argparse
import gc
import os
import pathlib
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench_indicators import national

import reussite as r
from reussite.serialization import dump_cohort, load_cohort
from reussite.tables import SCHEMAS, tidy_tables, write_parquet


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def load(path: pathlib.Path) -> list[r.Pathway]:
    with load_cohort(path) as cohort:
        return list(cohort)


def ours(pathways: list[r.Pathway]) -> dict[str, Any]:
    tables = tidy_tables(pathways)
    return {name: table.to_pandas() for name, table in tables.items()}


def by_hand(pathways: list[r.Pathway]) -> dict[str, Any]:
    """The same seven frames, same columns and dtypes, the best way we know by hand.

    Rows as tuples appended in one loop over the pathways (quicker than dicts), the
    domain rules through the library's public helpers (``age_on``, ``AgeBand.of``,
    ``PriorityArea.of``, ``exact_months``, ``months_between``), then one
    ``pd.DataFrame(rows, columns=...)`` per table and a typed conversion per column:
    categoricals of the declared codes, ``datetime64[s]``, ``Int64``, ``boolean``, ``string``.
    """
    import pandas as pd

    from reussite.events import ObjectiveSet, Reassessed
    from reussite.indicators import AgeBand, PriorityArea
    from reussite.tables import exact_months

    def span(start: Any, end: Any) -> tuple[Any, Any, Any]:
        if start is None or end is None or end < start:
            return None, None, None
        return (end - start).days, exact_months(start, end), r.months_between(start, end)

    def value(code: Any) -> Any:
        return None if code is None else code.value

    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in SCHEMAS}
    for p in pathways:
        child, referral, exit_ = p.child, p.referral, p.exit
        handover, not_taken_on, ended_on = p.handover, p.not_taken_on, p.ended_on
        consent_on = p.consents[0].on if p.consents else None
        admitted = p.admission.on if p.admission else None
        started = p.started_on
        age = r.age_on(child.birth_date, referral.on)
        eligibility = p.eligibility
        facts = p.facts
        rows["pathways"].append(
            (
                p.id, child.id, p.family.id, p.programme.id, p.previous_pathway_id,
                p.state.value, referral.on, referral.source.value, child.sex.value,
                child.birth_date, age, AgeBand.of(age).value, child.school_level.value,
                child.school_level.group.value, child.priority_education.value,
                child.commune, child.qpv,
                PriorityArea.of(in_qpv=eligibility.in_qpv, in_rep=eligibility.in_rep).value,
                eligibility.eligible, p.referent_id, consent_on,
                p.assessment.on if p.assessment else None, admitted, started, ended_on,
                exit_.on if exit_ else None, value(exit_ and exit_.reason),
                value(exit_ and exit_.attainment),
                exit_.satisfactory_evolution if exit_ else None,
                value(not_taken_on and not_taken_on.reason),
                handover.on if handover else None, value(handover and handover.recipient),
                p.consent_withdrawn_on,
                (consent_on - referral.on).days if consent_on else None,
                (admitted - consent_on).days if admitted and consent_on else None,
                (started - admitted).days if started and admitted else None,
                *span(admitted, ended_on),
                p.days_suspended(ended_on) if ended_on and p.suspensions else 0,
                len(p.objectives), len(p.actions), len(p.reviews), len(facts),
                len(p.history) - len(facts),
            )
        )  # fmt: skip
        for n, event in enumerate(facts, start=1):
            rows["events"].append((p.id, n, event.tag, event.on, (event.on - referral.on).days))
        set_on: dict[str, Any] = {}
        for event in facts:
            if type(event) is ObjectiveSet:
                set_on[event.objective.id] = event.on
            elif type(event) is Reassessed:
                set_on.update((o.id, event.on) for o in event.objectives)
        for o in p.objectives:
            served = sum(o.id in a.objective_ids for a in p.actions)
            rows["objectives"].append(
                (p.id, o.id, o.domain.value, o.status.value, set_on.get(o.id), served)
            )
        for a in p.actions:
            rows["actions"].append(
                (
                    p.id, a.id, a.funding.value, a.kind.value, a.timing.value, a.start, a.end,
                    (a.end - a.start).days if a.end and a.end >= a.start else None,
                    a.cost_cents, a.family_share_cents, a.cancelled, len(a.objective_ids),
                )
            )  # fmt: skip
            rows["action_objectives"].extend((p.id, a.id, oid) for oid in a.objective_ids)
        previous = started
        for n, review in enumerate(p.reviews, start=1):
            since = (review.on - previous).days if previous else None
            rows["reviews"].append((p.id, n, review.on, since, len(review.participants)))
            previous = review.on
        if exit_ is not None:
            rows["exits"].append(
                (
                    p.id, child.id, exit_.on, r.SchoolYear.containing(exit_.on).key,
                    exit_.reason.value, exit_.attainment.value, exit_.satisfactory_evolution,
                    exit_.decision is not None, admitted, *span(admitted, exit_.on),
                )
            )  # fmt: skip
    frames = {}
    for name, table_rows in rows.items():
        schema = SCHEMAS[name]
        frame = pd.DataFrame(table_rows, columns=list(schema.names))
        for c in schema.columns:
            if c.dtype.value == "category":
                codes = c.codes if c.codes is not None else sorted(frame[c.name].dropna().unique())
                frame[c.name] = frame[c.name].astype(pd.CategoricalDtype(codes))
            elif c.dtype.value == "date":
                frame[c.name] = pd.to_datetime(frame[c.name]).astype("datetime64[s]")
            elif c.dtype.value != "float":
                frame[c.name] = frame[c.name].astype(c.pandas_dtype())
        frames[name] = frame
    return frames


def same_values(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    """Same tables, same columns, same dtypes, same values."""
    if list(mine) != list(theirs):
        print("MISMATCH tables", list(mine), list(theirs))
        return False
    for name, frame in theirs.items():
        ours_ = mine[name]
        if list(ours_.columns) != list(frame.columns) or len(ours_) != len(frame):
            print(f"MISMATCH {name}: columns or rows")
            return False
        for column in frame.columns:
            a, b = ours_[column], frame[column]
            if a.dtype != b.dtype or not a.equals(b):
                print(f"MISMATCH {name}.{column}: {a.dtype} / {b.dtype}")
                return False
    return True


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min), {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 pathways, correctness only")
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--years", type=int, default=4)
    args = parser.parse_args(argv)
    count = 1_000 if args.quick else args.pathways
    repeat = 1 if args.quick else args.repeat
    import pandas as pd

    pd.DataFrame({"warm": [1]}).astype("category")  # imports out of the timings
    programme, pathways = national(count)
    years = [r.SchoolYear(2018 - args.years + i) for i in range(args.years)]
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder) / "cohort.jsonl"
        dump_cohort(pathways, path, programme=programme)
        del pathways
        print(f"{count:,} pathways, {path.stat().st_size / 1e6:,.0f} MB; {load_average()}")

        load_s, pathways = best_of(repeat, lambda: load(path))
        print(f"  load (every pathway replayed and checked): {load_s:.2f} s")

        tables_s, _ = best_of(repeat, lambda: tidy_tables(pathways))
        ours_s, mine = best_of(repeat, lambda: ours(pathways))
        hand_s, theirs = best_of(repeat, lambda: by_hand(pathways))
        if not same_values(mine, theirs):
            return 1
        rows = sum(len(f) for f in mine.values())
        print(f"  tidy_tables, 7 tables, {rows:,} rows: {tables_s:.2f} s (records)")
        print(f"  tidy_tables + 7 pandas DataFrames: {ours_s:.2f} s")
        print(f"  pandas by hand, the same 7 DataFrames, same columns and dtypes: {hand_s:.2f} s")
        print(
            f"  ratios: tables / load {tables_s / load_s:.2f}, tables + pandas / load "
            f"{ours_s / load_s:.2f}, tables + pandas / by hand {ours_s / hand_s:.2f}"
            " (same values: yes)"
        )

        out = pathlib.Path(folder) / "parquet"
        stream_s, _ = best_of(1, lambda: write_parquet(load_cohort(path), out))
        size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
        print(
            f"  write_parquet from the file (load included): {stream_s:.2f} s, {size:,.1f} MB;"
            f" ratio to the load alone {stream_s / load_s:.2f}"
        )

        def single_from_file() -> list[r.indicators.Report]:
            reports = []
            for year in years:
                with load_cohort(path) as cohort:
                    reports.append(r.annual_report(cohort, year, as_of=year.end))
            return reports

        def multi_from_file() -> r.evolution.Reports:
            with load_cohort(path) as cohort:
                return r.annual_reports(cohort, years)

        singles_s, singles = best_of(1, single_from_file)
        multi_s, multi = best_of(1, multi_from_file)
        assert [multi[y] for y in years] == singles
        mem_single_s, _ = best_of(
            repeat, lambda: [r.annual_report(pathways, y, as_of=y.end) for y in years]
        )
        mem_multi_s, _ = best_of(repeat, lambda: r.annual_reports(pathways, years))
        n = len(years)
        print(
            f"  {n} school years from the file: {n} single reports {singles_s:.2f} s, "
            f"annual_reports in one pass {multi_s:.2f} s (ratio {multi_s / singles_s:.2f}, "
            "same reports: yes)"
        )
        print(
            f"  {n} school years in memory: {n} single reports {mem_single_s:.2f} s, "
            f"one pass {mem_multi_s:.2f} s (ratio {mem_multi_s / mem_single_s:.2f})"
        )
        print(f"  {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
