"""The evaluation gate of CI: ``python -m kg.evaluation_gate DEV_DIR``.

Scores the project's own extraction on every gold file of ``DEV_DIR`` and prints
the table (per relation, per language, entities per type). Exits 1 only if the
founding article (the gold file whose article id or stem is ``seed``) has a
required-fact recall below 1.0 (every non-optional gold fact, entity countries
included, must be found); the other scores are reported, not enforced.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .evaluate import evaluate_gold_files, format_report

__all__ = ["SEED", "main"]

#: The gold file of the founding article.
SEED = "seed"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m kg.evaluation_gate DEV_DIR", file=sys.stderr)
        return 2
    dev = Path(args[0])
    if not dev.is_dir():
        print(f"error: {dev}: no such folder", file=sys.stderr)
        return 2

    def on_error(name: str, e: Exception) -> None:
        print(f"warning: {name}: extraction failed ({type(e).__name__}: {e})", file=sys.stderr)

    from .errors import KgError

    try:
        report = evaluate_gold_files([dev], on_error=on_error)
    except KgError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(format_report(report.summary()))
    seed = report.article(SEED)
    if seed is None:
        print(f"(no {SEED}.gold.json in {dev}: nothing to enforce)")
        return 0
    facts = seed.facts
    required = facts.tp + facts.fn
    print(f"{SEED}: required-fact recall {facts.recall:.3f} ({facts.tp}/{required}), precision {facts.precision:.3f}")
    if facts.recall < 1.0:
        for line in seed.errors:
            if " FN " in line:
                print(f"  {line}")
        print(f"FAIL: {SEED} recall below 1.0", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
