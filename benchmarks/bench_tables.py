"""Benchmark: tidy tables against loading and against pandas by hand; several years in one pass.

    python benchmarks/bench_tables.py              # 100,000 pathways
    python benchmarks/bench_tables.py --quick      # 1,000 pathways: a correctness run (CI)

The cohort is the bundled Pays Salonais cohort repeated (each copy replayed with new ids,
see ``bench_indicators.national``), written to a cohort file. All the times are measured
in one run, best of ``--repeat``, with the load average printed beside them (the machine
is shared: compare ratios, not seconds).

1. Load: ``list(load_cohort(file))``, every pathway checked by replay.
2. Tables: ``tidy_tables`` (all seven tables) over the pathways in memory, then their
   pandas DataFrames; against building the same pathways, events, actions and exits
   DataFrames by hand from ``Pathway`` objects (list of dicts, ``pd.to_datetime``,
   ``astype("category")``), the way a notebook does it. Both give the same values.
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
from reussite.tables import tidy_tables, write_parquet


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
    """The pathways, events, actions and exits frames, written the way a notebook does."""
    import pandas as pd

    rows, events, actions, exits = [], [], [], []
    for p in pathways:
        child, exit_ = p.child, p.exit
        admitted = p.admission.on if p.admission else None
        rows.append(
            {
                "pathway_id": p.id,
                "child_id": child.id,
                "state": p.state.value,
                "referral_on": p.referral.on,
                "referral_source": p.referral.source.value,
                "sex": child.sex.value,
                "age_at_referral": r.age_on(child.birth_date, p.referral.on),
                "school_level": child.school_level.value,
                "commune": child.commune,
                "admitted_on": admitted,
                "started_on": p.started_on,
                "ended_on": p.ended_on,
                "exit_reason": exit_.reason.value if exit_ else None,
                "attainment": exit_.attainment.value if exit_ else None,
                "duration_days": (p.ended_on - admitted).days if admitted and p.ended_on else None,
                "objectives": len(p.objectives),
                "actions": len(p.actions),
            }
        )
        for n, event in enumerate(p.facts, start=1):
            events.append({"pathway_id": p.id, "position": n, "event": event.tag, "on": event.on})
        for a in p.actions:
            actions.append(
                {
                    "pathway_id": p.id,
                    "action_id": a.id,
                    "funding": a.funding.value,
                    "kind": a.kind.value,
                    "start": a.start,
                    "end": a.end,
                    "cost_cents": a.cost_cents,
                }
            )
        if exit_ is not None:
            exits.append(
                {
                    "pathway_id": p.id,
                    "on": exit_.on,
                    "reason": exit_.reason.value,
                    "attainment": exit_.attainment.value,
                    "duration_whole_months": r.months_between(admitted, exit_.on)
                    if admitted
                    else None,
                }
            )
    frames = {
        "pathways": pd.DataFrame(rows),
        "events": pd.DataFrame(events),
        "actions": pd.DataFrame(actions),
        "exits": pd.DataFrame(exits),
    }
    dates = {
        "pathways": ("referral_on", "admitted_on", "started_on", "ended_on"),
        "events": ("on",),
        "actions": ("start", "end"),
        "exits": ("on",),
    }
    codes = {
        "pathways": ("state", "referral_source", "sex", "school_level", "commune", "attainment"),
        "events": ("event",),
        "actions": ("funding", "kind"),
        "exits": ("reason", "attainment"),
    }
    for name, frame in frames.items():
        for column in dates[name]:
            frame[column] = pd.to_datetime(frame[column])
        for column in codes[name]:
            frame[column] = frame[column].astype("category")
        for column in ("duration_days", "duration_whole_months"):
            if column in frame:
                frame[column] = frame[column].astype("Int64")
    return frames


def same_values(mine: dict[str, Any], theirs: dict[str, Any]) -> bool:
    for name, frame in theirs.items():
        ours_ = mine[name][list(frame.columns)]
        for column in frame.columns:
            a, b = ours_[column], frame[column]
            if a.dtype.name == "category":
                a, b = a.astype("string"), b.astype("string")
            if str(b.dtype).startswith("datetime64"):
                a, b = a.astype("datetime64[s]"), b.astype("datetime64[s]")
            if not a.reset_index(drop=True).equals(b.reset_index(drop=True).astype(a.dtype)):
                print(f"MISMATCH {name}.{column}")
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
        print(f"  pandas by hand, 4 of those DataFrames, fewer columns: {hand_s:.2f} s")
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
