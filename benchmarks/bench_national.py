"""Benchmark: the national synthesis of ~500 PREs' files, on one process, all cores, Dask.

    python benchmarks/bench_national.py                  # the whole nation (493 PREs)
    python benchmarks/bench_national.py --scale 0.05     # a small nation (a quick check)
    python benchmarks/bench_national.py --dir DIR        # reuse files written before

The files are written first by ``examples/national_2015.py`` (generation excluded from
the times): per PRE a cohort file (JSON Lines), a ledger (CSV) and its declared answers
(JSON). Each mode then reads every PRE's three files, computes its return
(``build_return``) and sums the syntheses (``Synthesis.merge``), in a fresh process:

- ``serial``: one process, one PRE after the other;
- ``processes``: ``concurrent.futures.ProcessPoolExecutor`` on every core, each worker
  sending back the synthesis of one PRE;
- ``dask``: a ``dask.distributed`` local cluster (one single-threaded worker process per
  core), ``dask.bag`` folding the syntheses (needs the ``dask`` extra).

It prints, per mode, the wall time, the peak resident memory of the largest process
(the driver or a worker) and the load average, and checks that the three syntheses are
equal to the last digit.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

EXAMPLE = pathlib.Path(__file__).parent.parent / "examples" / "national_2015.py"


def _example():  # the generator lives in examples/
    spec = importlib.util.spec_from_file_location("national_2015", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules["national_2015"] = module
    spec.loader.exec_module(module)
    return module


def synthesis_of(base: str):
    """The synthesis of one PRE from its three files (``base`` + .jsonl, .csv, .declared.json)."""
    import reussite as r
    from reussite.budget import BudgetSummary, load_ledger
    from reussite.national import Declared, Synthesis, build_return
    from reussite.serialization import load_cohort, loads

    declared = loads(pathlib.Path(f"{base}.declared.json").read_bytes(), Declared)
    ledger = load_ledger(f"{base}.csv")
    budget = BudgetSummary.from_lines(ledger.lines) if ledger.lines else None
    with load_cohort(f"{base}.jsonl") as cohort:
        ret = build_return(
            cohort,
            cohort.programme,
            r.SchoolYear(2014),
            declared=declared,
            budget=budget,
            money_year=2014,
        )
    return Synthesis.of(ret)


def _merge(a, b):
    return b if a is None else a.merge(b)


def run_mode(mode: str, folder: str, workers: int) -> dict:
    from reussite.serialization import dumps

    bases = sorted(str(p)[: -len(".jsonl")] for p in pathlib.Path(folder).glob("*.jsonl"))
    started = time.perf_counter()
    worker_peaks = [0]
    if mode == "serial":
        nation = None
        for base in bases:
            nation = _merge(nation, synthesis_of(base))
    elif mode == "processes":
        from concurrent.futures import ProcessPoolExecutor

        nation = None
        with ProcessPoolExecutor(workers) as pool:
            for part in pool.map(synthesis_of, bases, chunksize=4):
                nation = _merge(nation, part)
    else:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster

        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            started = time.perf_counter()  # the cluster's start-up is not the work
            bag = db.from_sequence(bases, npartitions=min(len(bases), workers * 8))
            nation = bag.map(synthesis_of).fold(_merge, _merge, initial=None).compute()
            peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            worker_peaks = list(peaks.values())
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "mode": mode,
        "pres": len(bases),
        "seconds": round(elapsed, 2),
        "peak_mib": round(max(own, children, *worker_peaks) / 1024, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "synthesis": dumps(nation),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dir", help="the folder of the nation's files (written if empty)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--modes", default="serial,processes,dask")
    parser.add_argument("--mode", help=argparse.SUPPRESS)  # one mode, in a fresh process
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.dir, args.workers)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.dir or tmp
        if not any(pathlib.Path(folder).glob("*.jsonl")):
            example = _example()
            from concurrent.futures import ProcessPoolExecutor

            plans = example.plan(2015, args.scale)
            started = time.perf_counter()
            with ProcessPoolExecutor(args.workers) as pool:
                events = sum(pool.map(example.write_pre, plans, [folder] * len(plans)))
            size = sum(p.stat().st_size for p in pathlib.Path(folder).iterdir())
            print(
                f"generated {len(plans)} PREs, {events:,} events, {len(plans) * 3} files, "
                f"{size / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s (not timed below)"
            )
        results = []
        for mode in args.modes.split(","):
            if mode == "dask" and importlib.util.find_spec("dask") is None:
                print('dask: not installed (pip install "reussite[dask]"), skipped')
                continue
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--mode",
                    mode,
                    "--dir",
                    folder,
                    "--workers",
                    str(args.workers),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append(result)
            print(
                f"{mode:10} {result['pres']} PREs  {result['seconds']:6.1f} s  "
                f"peak {result['peak_mib']:6.1f} MiB  load {result['load_average']}"
            )
        same = len({r["synthesis"] for r in results}) == 1
        print(f"same synthesis in every mode, to the last digit: {same}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
