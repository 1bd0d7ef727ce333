"""Benchmark: the full annual report vs five core indicators in pandas; streaming memory.

    python benchmarks/bench_indicators.py             # 100,000 pathways; memory at 10k, 100k
    python benchmarks/bench_indicators.py --quick     # 2,000 pathways: a correctness run (CI)

The national-scale cohort is the bundled Pays Salonais cohort repeated: each copy's
history is rewritten with new pathway and child ids and REPLAYED through the lifecycle
(every rule checked), so the pathways are valid and their children distinct.

1. Time: ``annual_report`` (every indicator) over the pathways in memory, against pandas
   computing five core indicators (children followed, share by commune, mean duration of
   finished pathways, share referred by Éducation nationale, exits by attainment) from the
   same pathways in the same run, building its DataFrame included. Both results are
   checked equal.
2. Memory: peak resident memory of a fresh process streaming ``report`` over a cohort file
   of 10k and of 100k pathways (``resource.getrusage``), beside its memory after imports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

import attrs

import reussite as r
from reussite.indicators import annual_report
from reussite.periods import SchoolYear
from reussite.samples import sample_path
from reussite.serialization import dump_cohort, load_cohort

DATA = sample_path("cohort")
PERIOD = SchoolYear(2017)
AS_OF = dt.date(2018, 8, 31)


def national(count: int) -> tuple[r.Programme, list[r.Pathway]]:
    """``count`` valid pathways: copies of the seed cohort, replayed with new ids."""
    with load_cohort(DATA) as cohort:
        programme = cohort.programme
        seed = list(cohort)
    out: list[r.Pathway] = []
    copy = 0
    while len(out) < count:
        for p in seed:
            if len(out) == count:
                break
            first = p.history[0]
            assert isinstance(first, r.Referred)
            renamed = attrs.evolve(
                first,
                pathway_id=f"{p.id}-{copy}",
                child=attrs.evolve(first.child, id=f"{first.child.id}-{copy}"),
                previous_pathway_id=None
                if first.previous_pathway_id is None
                else f"{first.previous_pathway_id}-{copy}",
            )
            out.append(r.replay([renamed, *p.history[1:]], programme=programme))
        copy += 1
    return programme, out


def pandas_five(pathways: list[r.Pathway]) -> dict[str, object]:
    """Five core indicators with pandas, frame construction included."""
    import pandas as pd

    rows = []
    for p in pathways:
        admission = p.admission
        if admission is None:
            continue
        exit_ = p.exit
        ended = p.ended_on
        rows.append(
            (
                p.child.id,
                p.child.commune,
                p.referral.on,
                p.id,
                p.referral.source.value,
                admission.on,
                ended,
                None if exit_ is None else exit_.on,
                None if exit_ is None else exit_.attainment.value,
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "child",
            "commune",
            "referral",
            "pid",
            "source",
            "admitted",
            "ended",
            "exit",
            "attainment",
        ],
    )
    for column in ("referral", "admitted", "ended", "exit"):
        frame[column] = pd.to_datetime(frame[column])
    start, end = pd.Timestamp(PERIOD.start), pd.Timestamp(PERIOD.end)
    as_of = pd.Timestamp(AS_OF)
    known = frame[frame["referral"] <= as_of]
    span_end = known["ended"].where(known["ended"] <= as_of).fillna(as_of)
    followed = known[
        (known["admitted"] <= end) & (span_end >= start) & (known["admitted"] <= as_of)
    ]
    latest = followed.sort_values(["referral", "pid"]).drop_duplicates("child", keep="last")
    children = len(latest)
    exits = known[(known["exit"] >= start) & (known["exit"] <= end) & (known["exit"] <= as_of)]
    a, b = exits["admitted"], exits["exit"]
    months = (b.dt.year - a.dt.year) * 12 + (b.dt.month - a.dt.month) - (b.dt.day < a.dt.day)
    return {
        "children_followed": children,
        "children_by_commune": (latest["commune"].value_counts() / children * 100)
        .round(9)
        .to_dict(),
        "finished_pathway_duration_mean": float(months.mean()),
        "referral_sources:education_nationale": float(
            (latest["source"] == "education_nationale").mean() * 100
        ),
        "exits_by_attainment": (exits["attainment"].value_counts() / len(exits) * 100)
        .round(9)
        .to_dict(),
    }


def ours_five(report: r.indicators.Report) -> dict[str, object]:
    def shares(indicator: str) -> dict[str, float]:
        return {
            f.category: round(f.value, 9)
            for f in report.figures
            if f.indicator.id == indicator and f.numerator
        }

    return {
        "children_followed": report.value("children_followed"),
        "children_by_commune": shares("children_by_commune"),
        "finished_pathway_duration_mean": report.value("finished_pathway_duration_mean"),
        "referral_sources:education_nationale": report.value(
            "referral_sources", "education_nationale"
        ),
        "exits_by_attainment": shares("exits_by_attainment"),
    }


def best_of(repeat: int, fn, *args):  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_kib() -> int:
    """This process's peak resident memory in KiB (Linux ``VmHWM``: reset by exec, unlike
    ``ru_maxrss``, which keeps the parent's peak across ``exec``)."""
    status = pathlib.Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # pragma: no cover


def memory_child(path: str) -> None:
    """In a fresh process: memory after imports, then peak after streaming the report."""
    before = peak_kib()
    with load_cohort(path) as cohort:
        report = annual_report(cohort, PERIOD, as_of=AS_OF, programme=cohort.programme)
    after = peak_kib()
    print(before, after, report.tally.pathways, report.value("children_followed"))


def measure_memory(programme: r.Programme, pathways: list[r.Pathway], sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = pathlib.Path(folder) / f"cohort-{size}.jsonl"
            dump_cohort(pathways[:size], path, programme=programme)
            megabytes = path.stat().st_size / 1e6
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--memory-child", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds = time.perf_counter() - started
            before, after, read, children = (int(x) for x in done.stdout.split())
            print(
                f"  streaming report from a {megabytes:,.0f} MB file of {read:,} pathways"
                f" ({children:,} children followed): peak RSS {after / 1024:,.1f} MiB"
                f" (after imports {before / 1024:,.1f} MiB), {seconds:,.1f} s"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 pathways, correctness only")
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--memory-child", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child)
        return 0
    count = 2_000 if args.quick else args.pathways
    started = time.perf_counter()
    programme, pathways = national(count)
    events = sum(p.version for p in pathways)
    print(
        f"{count:,} pathways, {events:,} events, built by replay in"
        f" {time.perf_counter() - started:,.1f} s"
    )
    repeat = 1 if args.quick else 3
    ours_s, report = best_of(repeat, lambda: annual_report(pathways, PERIOD, as_of=AS_OF))
    theirs_s, five = best_of(repeat, pandas_five, pathways)
    mine = ours_five(report)
    if mine != five:
        print(f"MISMATCH\n  reussite: {mine}\n  pandas:   {five}")
        return 1
    print(f"  full report ({len(report.figures)} figures): {ours_s:.3f} s")
    print(f"  pandas, five core indicators (frame included): {theirs_s:.3f} s")
    print(f"  ratio full report / pandas five: {ours_s / theirs_s:.2f}x (same values: yes)")
    sizes = [min(count, 1_000)] if args.quick else [10_000, count]
    measure_memory(programme, pathways, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
