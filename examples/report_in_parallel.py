"""One annual report over several cohort files, computed in parallel processes.

    python examples/report_in_parallel.py [--shards 4]

The bundled Pays Salonais cohort is split into shard files (as a national file would be
split by department); each process reads one shard in a single streaming pass and returns
its partial report; the partial reports merge exactly. The result is compared with one
pass over the whole file, and printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import pathlib
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor

from reussite.indicators import Report, annual_report
from reussite.periods import SchoolYear
from reussite.samples import sample_path
from reussite.serialization import dump_cohort, load_cohort

DATA = sample_path("cohort")
PERIOD = SchoolYear(2017)
AS_OF = dt.date(2018, 8, 31)


def shard_report(path: str) -> Report:
    """The partial report of one shard file: one streaming pass, nothing kept but counts."""
    with load_cohort(path) as cohort:
        return annual_report(cohort, PERIOD, as_of=AS_OF, programme=cohort.programme)


def split(source: pathlib.Path, folder: pathlib.Path, shards: int) -> list[str]:
    """Write the pathways of ``source`` round-robin into ``shards`` cohort files."""
    with load_cohort(source) as cohort:
        programme = cohort.programme
        buckets: list[list] = [[] for _ in range(shards)]
        for i, pathway in enumerate(cohort):
            buckets[i % shards].append(pathway)
    paths = []
    for i, bucket in enumerate(buckets):
        path = folder / f"shard-{i}.jsonl"
        dump_cohort(bucket, path, programme=programme)
        paths.append(str(path))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shards", type=int, default=4)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        paths = split(DATA, pathlib.Path(folder), args.shards)
        with ProcessPoolExecutor(max_workers=args.shards) as pool:
            partials = list(pool.map(shard_report, paths))
    merged = partials[0]
    for partial in partials[1:]:
        merged = merged.merge(partial)
    single = shard_report(str(DATA))
    print(merged.to_text(detail=False), end="")
    sizes = ", ".join(str(p.tally.pathways) for p in partials)
    same = merged == single and merged.to_json() == single.to_json()
    print(f"\n{args.shards} fichiers ({sizes} parcours), {args.shards} processus.")
    print(
        "Rapport fusionné identique au calcul en un seul passage."
        if same
        else "ÉCART entre le rapport fusionné et le calcul en un seul passage."
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
