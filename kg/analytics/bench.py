"""Benchmark of the analytics on a store: ``python -m kg.analytics.bench --store DIR``.

Times, each in a fresh process as a user would run them: ``kg analyze summary`` and
``kg report -o OUT``; then, when chromium and Playwright are present, how long the
report's country view and top-500 entity view take to settle in a headless browser
(the page records ``data-kg-settled-ms`` once physics has stopped). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from ..viz.browser import CHROMIUM_FLAGS, find_chromium

__all__ = ["main"]



def _timed(args: list[str]) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "command": " ".join(args[1:]) if args[0].endswith("python") else " ".join(args),
        "exit": proc.returncode,
        "wall_s": round(wall, 2),
        "cpu_s": round((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2),
        "stderr_tail": proc.stderr.strip().splitlines()[-3:],
    }


def _settle(pages: list[Path]) -> dict:
    chromium = find_chromium()
    if chromium is None:
        return {"skipped": "chromium not installed (tests/setup_browser.sh)"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright not installed"}
    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=list(CHROMIUM_FLAGS))
        for path in pages:
            if not path.exists():
                continue
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            external: list[str] = []
            page.on("request", lambda r: external.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            t = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_function("window.kgSettled === true", timeout=120_000)
            out[path.name] = {
                "settled_ms_in_page": int(page.get_attribute("body", "data-kg-settled-ms")),
                "load_and_settle_s": round(time.perf_counter() - t, 2),
                "nodes_drawn": int(page.get_attribute("body", "data-kg-drawn")),
                "external_requests": len(external),
            }
            page.close()
        browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True, help="Store directory (e.g. full HSG import + sample articles).")
    ap.add_argument("--out", default="outputs/bench-report", help="Folder for the report.")
    args = ap.parse_args(argv)
    kg = [sys.executable, "-m", "kg.cli"]
    env_note = {"cpus": os.cpu_count(), "load_avg_before": [round(x, 2) for x in os.getloadavg()]}
    result = {"machine": env_note}
    result["summary"] = _timed(kg + ["analyze", "summary", "--store", args.store])
    result["report"] = _timed(kg + ["report", "--store", args.store, "-o", args.out])
    out = Path(args.out)
    result["browser"] = _settle([out / "countries.html", out / "entities.html"])
    result["machine"]["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
