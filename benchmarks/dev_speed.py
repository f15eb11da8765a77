"""Extraction speed on the dev corpus, repeated: articles/s and CPU ms per 500 words.

    python benchmarks/dev_speed.py [--shared ../shared] [--repeat 20] [--runs 5]

Reads the dev articles from ``../shared/eval/dev`` (falls back to
``data/articles`` when ../shared is absent), warms the extractor up once, then
times ``kg.extract.extract`` over the corpus repeated ``--repeat`` times, ``--runs``
times, and prints the median. CPU time is process time (this process only).

Repeating a corpus flatters a tool that remembers words and names (extraction keeps
bounded tables of them): the second time round every word is known. So the script also
times passes that each start with those tables emptied (``kg.extract.clear_caches``):
the cost of text never seen before, with nothing remembered, not even the commonest words.
A real stream of new articles lies between the two figures.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)
    from kg.extract import clear_caches, extract
    from kg.pipeline import GC_THRESHOLDS, tune_gc

    tune_gc()  # as the kg command runs extraction
    from kg.ingest import read_paths
    from kg.model import Article

    folder = args.shared / "eval" / "dev"
    paths = sorted(folder.glob("*.txt")) if folder.is_dir() else sorted((ROOT / "data" / "articles").glob("*.txt"))
    articles = [a for a in read_paths(paths) if isinstance(a, Article)]
    if not articles:
        print("error: no articles found", file=sys.stderr)
        return 1
    words = sum(len(a.text.split()) for a in articles)
    for a in articles:  # warm-up: pipelines and data load once
        extract(a)
    wall, cpu = [], []
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            for a in articles:
                extract(a)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    cold = []  # each pass over the corpus with nothing remembered
    for _ in range(args.runs * args.repeat):
        clear_caches()
        c0 = time.process_time()
        for a in articles:
            extract(a)
        cold.append(time.process_time() - c0)
    n = len(articles) * args.repeat
    w, c = statistics.median(wall), statistics.median(cpu)
    cc = statistics.median(cold) / len(articles)
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}; "
          f"gc thresholds {GC_THRESHOLDS} as set by the kg command")
    print(f"corpus: {len(articles)} articles, {words} words ({words / len(articles):.0f} words/article), repeated {args.repeat}x, median of {args.runs} runs")
    print(f"articles/s      {n / w:10.1f}")
    print(f"words/s         {n * words / len(articles) / w:10.0f}")
    print(f"CPU ms/article  {1000 * c / n:10.2f}")
    print(f"CPU ms/500 words{1000 * c / (n * words / len(articles)) * 500:10.2f}")
    print(f"caches emptied before each pass (median of {len(cold)} passes):")
    print(f"CPU ms/article  {1000 * cc:10.2f}")
    print(f"CPU ms/500 words{1000 * cc / (words / len(articles)) * 500:10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
