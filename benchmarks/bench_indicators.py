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
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator

import attrs

import reussite as r
from reussite.indicators import annual_report
from reussite.periods import SchoolYear
from reussite.samples import sample_path
from reussite.serialization import dump_cohort, load_cohort

DATA = sample_path("cohort")
PERIOD = SchoolYear(2017)
AS_OF = dt.date(2018, 8, 31)


def seed_copies(count: int) -> tuple[r.Programme, Iterator[r.Pathway]]:
    """``count`` valid pathways, one at a time: copies of the seed cohort, replayed with
    new pathway and child ids (a re-entry names its earlier pathway's copy)."""
    with load_cohort(DATA) as cohort:
        programme = cohort.programme
        seed = list(cohort)

    def generate() -> Iterator[r.Pathway]:
        made, copy = 0, 0
        while True:
            for p in seed:
                if made == count:
                    return
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
                yield r.replay([renamed, *p.history[1:]], programme=programme)
                made += 1
            copy += 1

    return programme, generate()


def national(count: int) -> tuple[r.Programme, list[r.Pathway]]:
    """``count`` valid pathways in memory (:func:`seed_copies`)."""
    programme, pathways = seed_copies(count)
    return programme, list(pathways)


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


_EPOCH = dt.date(1970, 1, 1).toordinal()
_NONE = 2**40  # a day number after every date: "no such date"


def _columns(pathways: list[r.Pathway]) -> dict[str, list[object]]:
    """The columns the five figures need, one list per column (days as integers)."""
    child: list[str] = []
    commune: list[str] = []
    referral: list[int] = []
    pid: list[str] = []
    source: list[str] = []
    admitted: list[int] = []
    ended: list[int] = []
    exit_on: list[int] = []
    attainment: list[str | None] = []
    for p in pathways:
        admission = p.admission
        if admission is None:
            continue
        c = p.child
        child.append(c.id)
        commune.append(c.commune)
        referral.append(p.referral.on.toordinal() - _EPOCH)
        pid.append(p.id)
        source.append(p.referral.source.value)
        admitted.append(admission.on.toordinal() - _EPOCH)
        end = p.ended_on
        ended.append(_NONE if end is None else end.toordinal() - _EPOCH)
        x = p.exit
        exit_on.append(_NONE if x is None else x.on.toordinal() - _EPOCH)
        attainment.append(None if x is None else x.attainment.value)
    return {
        "child": child,
        "commune": commune,
        "referral": referral,
        "pid": pid,
        "source": source,
        "admitted": admitted,
        "ended": ended,
        "exit": exit_on,
        "attainment": attainment,
    }


def _days(on: dt.date) -> int:
    return on.toordinal() - _EPOCH


def pandas_columns(pathways: list[r.Pathway]) -> dict[str, object]:
    """The five figures with pandas written to win: built column-wise, dates as day
    numbers (integer comparisons), categoricals for the counted codes."""
    import numpy as np
    import pandas as pd

    cols = _columns(pathways)
    frame = pd.DataFrame(
        {
            "child": cols["child"],
            "commune": pd.Categorical(cols["commune"]),
            "referral": np.array(cols["referral"], dtype=np.int64),
            "pid": cols["pid"],
            "source": pd.Categorical(cols["source"]),
            "admitted": np.array(cols["admitted"], dtype=np.int64),
            "ended": np.array(cols["ended"], dtype=np.int64),
            "exit": np.array(cols["exit"], dtype=np.int64),
            "attainment": pd.Categorical(cols["attainment"]),
        }
    )
    start, end, as_of = _days(PERIOD.start), _days(PERIOD.end), _days(AS_OF)
    known = frame[frame["referral"].to_numpy() <= as_of]
    ended = known["ended"].to_numpy()
    span_end = np.where(ended <= as_of, ended, as_of)
    admitted = known["admitted"].to_numpy()
    followed = known[(admitted <= min(end, as_of)) & (span_end >= start)]
    latest = followed.sort_values(["referral", "pid"]).drop_duplicates("child", keep="last")
    children = len(latest)
    x = known["exit"].to_numpy()
    exits = known[(x >= start) & (x <= min(end, as_of))]
    a = pd.to_datetime(exits["admitted"].to_numpy(), unit="D")
    b = pd.to_datetime(exits["exit"].to_numpy(), unit="D")
    months = (b.year - a.year) * 12 + (b.month - a.month) - (b.day < a.day)
    by_commune = latest["commune"].value_counts()
    by_attainment = exits["attainment"].value_counts()
    return {
        "children_followed": children,
        "children_by_commune": (by_commune[by_commune > 0] / children * 100).round(9).to_dict(),
        "finished_pathway_duration_mean": float(np.mean(months)),
        "referral_sources:education_nationale": float(
            (latest["source"] == "education_nationale").mean() * 100
        ),
        "exits_by_attainment": (by_attainment[by_attainment > 0] / len(exits) * 100)
        .round(9)
        .to_dict(),
    }


def polars_columns(pathways: list[r.Pathway]) -> dict[str, object]:
    """The five figures with polars, from the same columns (dates as day numbers)."""
    import polars as pl

    cols = _columns(pathways)
    frame = pl.DataFrame(
        cols,
        schema={
            "child": pl.String,
            "commune": pl.Categorical,
            "referral": pl.Int64,
            "pid": pl.String,
            "source": pl.Categorical,
            "admitted": pl.Int64,
            "ended": pl.Int64,
            "exit": pl.Int64,
            "attainment": pl.Categorical,
        },
    )
    start, end, as_of = _days(PERIOD.start), _days(PERIOD.end), _days(AS_OF)
    known = frame.filter(pl.col("referral") <= as_of)
    followed = known.filter(
        (pl.col("admitted") <= min(end, as_of))
        & (pl.when(pl.col("ended") <= as_of).then(pl.col("ended")).otherwise(as_of) >= start)
    )
    latest = followed.sort(["referral", "pid"]).unique("child", keep="last", maintain_order=True)
    children = latest.height
    exits = known.filter((pl.col("exit") >= start) & (pl.col("exit") <= min(end, as_of)))
    a = pl.col("admitted").cast(pl.Date)
    b = pl.col("exit").cast(pl.Date)
    months = exits.select(
        (b.dt.year() - a.dt.year()) * 12
        + (b.dt.month().cast(pl.Int32) - a.dt.month().cast(pl.Int32))
        - (b.dt.day() < a.dt.day()).cast(pl.Int32)
    ).to_series()

    def shares(frame: pl.DataFrame, column: str, total: int) -> dict[str, float]:
        counts = frame.group_by(column).len()
        return {
            str(k): round(n / total * 100, 9)
            for k, n in zip(counts[column].to_list(), counts["len"].to_list(), strict=True)
        }

    return {
        "children_followed": children,
        "children_by_commune": shares(latest, "commune", children),
        "finished_pathway_duration_mean": float(months.mean()),  # type: ignore[arg-type]
        "referral_sources:education_nationale": float(
            (latest["source"].cast(pl.String) == "education_nationale").mean() * 100  # type: ignore[operator]
        ),
        "exits_by_attainment": shares(exits, "attainment", exits.height),
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


def alternated(
    repeat: int, contenders: dict[str, Callable[[], object]]
) -> tuple[dict[str, float], dict[str, object]]:
    """Best time of each contender over ``repeat`` rounds, each round running every
    contender once in turn (so a change of load hits them all alike)."""
    best = dict.fromkeys(contenders, float("inf"))
    results: dict[str, object] = {}
    for round_ in range(repeat):
        names = list(contenders)
        if round_ % 2:
            names.reverse()  # nobody always runs first
        for name in names:
            gc.collect()
            started = time.perf_counter()
            results[name] = contenders[name]()
            best[name] = min(best[name], time.perf_counter() - started)
    return best, results


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "unknown"


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
    repeat = 1 if args.quick else 5
    contenders: dict[str, Callable[[], object]] = {
        "reussite, full report": lambda: annual_report(pathways, PERIOD, as_of=AS_OF),
        "pandas, five (rows, as before)": lambda: pandas_five(pathways),
        "pandas, five (column-wise)": lambda: pandas_columns(pathways),
    }
    try:
        import polars  # noqa: F401
    except ImportError:  # pragma: no cover - polars is in the dev extra
        print("  polars not installed: no polars row")
    else:
        contenders["polars, five (column-wise)"] = lambda: polars_columns(pathways)
    print(f"  load average before: {_load()}")
    times, results = alternated(repeat, contenders)
    print(f"  load average after: {_load()}")
    report = results.pop("reussite, full report")
    mine = ours_five(report)  # type: ignore[arg-type]
    for name, five in results.items():
        if mine != five:
            print(f"MISMATCH ({name})\n  reussite: {mine}\n  {name}: {five}")
            return 1
    ours_s = times["reussite, full report"]
    print(f"  best of {repeat}, contenders alternated within each round (same values: yes)")
    for name, seconds in times.items():
        print(f"  {name}: {seconds:.3f} s = {ours_s / seconds:.2f}x ours / it")
    sizes = [min(count, 1_000)] if args.quick else [10_000, count]
    measure_memory(programme, pathways, sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
