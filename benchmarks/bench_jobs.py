"""Benchmark: ``reussite report --jobs N`` (or ``export``) end to end on a national file.

    python benchmarks/bench_jobs.py --pathways 1000000    # the issue's target (3 GB file)
    python benchmarks/bench_jobs.py --quick               # 2,000 pathways, correctness only
    python benchmarks/bench_jobs.py --file national.jsonl --keep   # write once, time again
    python benchmarks/bench_jobs.py --command export      # the pseudonymised export

Writes copies of the bundled Pays Salonais cohort with new ids (each replayed, every rule
checked) to a temporary cohort file, streamed: the pathways are never all in memory.
Then runs ``python -m reussite report FILE --school-year 2017 --format json --jobs J``
(or ``export FILE --purpose evaluation --key-file K --as-of 2019-01-01 --jobs J``) in
fresh processes, alternating the values of J within each round, checks that every run
prints the same bytes, and prints the wall times with the load average.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_indicators import seed_copies

from reussite.privacy import generate_key
from reussite.serialization import dump_cohort


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--file", type=Path, help="the cohort file to time (written first if it does not exist)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the --file written")
    parser.add_argument("--command", choices=("report", "export"), default="report")
    args = parser.parse_args(argv)
    if args.quick:
        args.pathways, args.repeat = 2_000, 1
    with tempfile.TemporaryDirectory() as folder:
        path = args.file or Path(folder) / "national.jsonl"
        if not path.exists():
            started = time.perf_counter()
            programme, pathways = seed_copies(args.pathways)
            dump_cohort(pathways, path, programme=programme)
            print(f"written in {time.perf_counter() - started:,.0f} s (not timed)")
        with path.open("rb") as stream:
            count = sum(1 for _ in stream) - 1
        print(f"{count:,} pathways, {path.stat().st_size / 1e6:,.0f} MB; {os.cpu_count()} CPUs")
        key = Path(folder) / "key"
        key.write_bytes(generate_key())
        key.chmod(0o600)
        if args.command == "report":
            what = ["report", str(path), "--school-year", "2017", "--format", "json"]
        else:
            what = ["export", str(path), "--purpose", "evaluation", "--key-file", str(key)]
            what += ["--as-of", "2019-01-01"]
        try:
            return _time(what, args)
        finally:
            if args.file and not args.keep:
                path.unlink()


def _time(what: list[str], args: argparse.Namespace) -> int:
    """Run the command ``what`` with each ``--jobs`` in turn; print the best times.

    The output goes to a temporary file, compared by digest (an export of a million
    pathways is over a gigabyte); the peak memory is the largest of the command's
    processes (``wait4``: the command and the workers it waited for), read per run.
    """
    best = dict.fromkeys(args.jobs, float("inf"))
    digests = set()
    for round_ in range(args.repeat):
        order = args.jobs if round_ % 2 == 0 else args.jobs[::-1]
        for jobs in order:
            before = load()
            command = [sys.executable, "-m", "reussite", *what, "--jobs", str(jobs)]
            with tempfile.TemporaryFile() as out:
                started = time.perf_counter()
                process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(process.pid, 0)
                seconds = time.perf_counter() - started
                process.returncode = os.waitstatus_to_exitcode(status)
                if process.returncode:
                    print(f"  --jobs {jobs}: exit status {process.returncode}")
                    return 1
                out.seek(0)
                digest = hashlib.sha256()
                while chunk := out.read(1 << 20):
                    digest.update(chunk)
                digests.add(digest.hexdigest())
            best[jobs] = min(best[jobs], seconds)
            print(
                f"  --jobs {jobs}: {seconds:,.1f} s (load average {before} before; peak RSS"
                f" {usage.ru_maxrss / 1024:,.0f} MiB, the largest of its processes)"
            )
    if len(digests) != 1:
        print(f"MISMATCH: the runs printed different outputs ({args.command})")
        return 1
    print(f"  same {args.command} output from every run; load average after: {load()}")
    base = best[args.jobs[0]]
    for jobs, seconds in best.items():
        print(f"  --jobs {jobs}: best {seconds:,.1f} s = {base / seconds:.2f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
