"""``kg ingest --workers N`` as a library call, for the ingest benchmark.

Runs exactly what the CLI's ingest does with the streaming edit proposed in
docs/benchmarks.md (PathReader + kg.parallel.ingest_parallel), so the benchmark
measures it before the CLI exposes ``--workers``.

    python -m benchmarks.ingest_child FILE_OR_DIR... STORE --workers 2
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.ingest_child")
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    *inputs, store_path = args.paths
    from kg.parallel import PathReader, ingest_parallel
    from kg.resolve import Resolver
    from kg.store import open_store

    reader = PathReader(inputs)
    with open_store(store_path) as st:
        resolver = Resolver.load(st)  # as `kg ingest` does
        report = ingest_parallel(reader, st, workers=args.workers, resolver=resolver)
    print(f"ingested {len(report.ingested)}, replaced {len(report.replaced)}, unchanged {len(report.unchanged)}, "
          f"skipped {len(report.skipped)} ({report.facts} facts, {report.quads} quads); "
          f"files {reader.done}/{reader.total}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
