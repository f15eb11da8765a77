"""Extract the first N articles of a corpus with ``kg.parallel.extract_parallel``, in a process of its own.

The extraction benchmark runs this with ``os.wait4`` so it can count the CPU time of
the process and all its workers (wall time alone misleads on a shared machine).
Prints one JSON line: the wall time of the extraction proper, articles, words, and the
CPU time of the worker processes (sampled from /proc: they are not our children to reap).

    python -m benchmarks.extract_child CORPUS.jsonl N --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time


def _descendant_cpu(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of every live descendant of ``root``, by pid."""
    tick = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(d)] = int(fields[1])
        cpu[int(d)] = (int(fields[11]) + int(fields[12])) / tick
    out = {}
    for pid in cpu:
        p = parent.get(pid)
        while p and p != root and p in parent:
            p = parent[p]
        if p == root and pid != root:
            out[pid] = cpu[pid]
    return out


class _CpuWatch:
    """Samples the CPU time of this process's descendants (workers are not reaped by us)."""

    def __init__(self, interval: float = 0.2) -> None:
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(interval,), daemon=True)
        self._t.start()

    def _run(self, interval: float) -> None:
        while not self._stop.is_set():
            for pid, c in _descendant_cpu(os.getpid()).items():
                self.seen[pid] = max(self.seen.get(pid, 0.0), c)
            time.sleep(interval)

    def stop(self) -> float:
        self._stop.set()
        self._t.join()
        return sum(self.seen.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.extract_child")
    ap.add_argument("corpus")
    ap.add_argument("n", type=int)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args(argv)
    from kg.ingest.files import article_from_record
    from kg.parallel import extract_parallel

    from .corpus import read_jsonl

    articles = []
    for rec in read_jsonl(args.corpus):
        if len(articles) >= args.n:
            break
        articles.append(article_from_record(rec, default_key=rec["id"]))
    watch = _CpuWatch()
    t = time.perf_counter()
    skipped = 0
    for i, (_, x) in enumerate(extract_parallel(articles, workers=args.workers), 1):
        skipped += not hasattr(x, "facts")
        if i == len(articles) - 1:
            time.sleep(0.3)  # let the watcher see the workers once more before they exit
    wall = time.perf_counter() - t
    workers_cpu = watch.stop()
    words = sum(len(a.text.split()) for a in articles)
    print(json.dumps({"wall": wall, "articles": len(articles), "words": words, "skipped": skipped,
                      "workers_cpu": workers_cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
