"""Time queries on an embedded store in a process the benchmark can kill.

A query running inside pyoxigraph cannot be interrupted from Python, so the query
benchmark sends each query here (one JSON object per stdin line: ``text``, ``runs``)
and reads one JSON line back (``median``, ``rows``, ``error``); when a query overruns
its budget the parent kills this process and starts another.

    python -m benchmarks.query_child STORE_DIR
"""

from __future__ import annotations

import json
import statistics
import sys
import time


def _rows(result) -> int:
    try:
        return sum(1 for _ in result)
    except TypeError:  # ASK
        return 1


def main() -> int:
    from kg.store import EmbeddedStore

    st = EmbeddedStore(sys.argv[1])
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            t = time.perf_counter()
            rows = _rows(st.query(job["text"]))  # warm-up
            warm = time.perf_counter() - t
            times = [warm] if warm > job.get("slow", 5.0) else []  # a slow query runs once
            for _ in range(0 if times else max(1, job.get("runs", 5))):
                t = time.perf_counter()
                rows = _rows(st.query(job["text"]))
                times.append(time.perf_counter() - t)
            out = {"median": statistics.median(times), "rows": rows, "runs": len(times)}
        except Exception as e:  # noqa: BLE001 - reported in the table
            out = {"error": f"{type(e).__name__}: {e}"[:200]}
        print(json.dumps(out), flush=True)
    st.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
