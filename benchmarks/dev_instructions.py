"""Machine instructions per dev article, counted by valgrind: a speed figure that does not move.

    python benchmarks/dev_instructions.py [--shared ../shared]

Wall and CPU times on a shared virtual machine move by 30-60% between runs of the same
code, so two versions of the extractor cannot be told apart by timing them unless they
differ a lot. The number of instructions the processor runs does not move (with a fixed
hash seed): this script counts them with valgrind's callgrind tool, for

* ``warm``: one more pass over the dev corpus after a first one (what
  ``dev_speed.py`` times: every word and name already seen);
* ``cold``: one pass after the extractor's word caches were emptied and refilled from
  60 other (synthetic) articles: text never seen before, common words known.

Each figure is the difference between two runs that differ only in that last pass, so
start-up and data loading cancel out. valgrind must be installed (``apt-get install
valgrind``); each figure takes a minute or two. Use it to compare two versions (A/B):
instructions fall with time spent, though not exactly in proportion.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# the child: extract the dev articles (and the warm-up articles), then once more or not
CHILD = r"""
import sys
from pathlib import Path
from kg.extract import clear_caches, extract
from kg.ingest import read_paths
from kg.model import Article
from benchmarks.corpus import generate

mode, last, folder = sys.argv[1], sys.argv[2] == "1", Path(sys.argv[3])
dev = [a for a in read_paths(sorted(folder.glob("*.txt"))) if isinstance(a, Article)]
other = [Article(key=d["id"], text=d["text"], title=d.get("title"), lang=d.get("lang"))
         for d in generate(60, seed=1)]
for a in dev + other:
    extract(a)
if mode == "cold":
    clear_caches()
    for a in other:
        extract(a)
if last:
    for a in dev:
        extract(a)
print(len(dev))
"""


def _count(mode: str, last: bool, folder: Path) -> tuple[int, int]:
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONPATH=str(ROOT))
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
           sys.executable, "-c", CHILD, mode, "1" if last else "0", str(folder)]
    run = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    m = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or m is None:
        raise SystemExit(f"error: valgrind run failed: {run.stderr.strip().splitlines()[-1:]}")
    return int(m.group(1)), int(run.stdout.split()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("error: valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    folder = args.shared / "eval" / "dev"
    if not folder.is_dir():
        folder = ROOT / "data" / "articles"
    for mode in ("warm", "cold"):
        without, n = _count(mode, False, folder)
        with_, _ = _count(mode, True, folder)
        print(f"{mode}: {(with_ - without) / n / 1e6:6.1f} M instructions per article ({n} articles of {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
