"""Time: visits per year or month, and the first and last contact of a pair."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..ontology import sparql_prefixes

__all__ = ["visits_over_time", "pair_contacts", "plot_timeline"]

_PRE = sparql_prefixes()


def visits_over_time(store, *, by: str = "year", entity: str | None = None) -> list[tuple[str, int]]:
    """Number of visits per period (``by`` = "year" or "month"), oldest first.

    With ``entity`` (an IRI), only visits where it is the visitor or destination, or
    (for a country) where the visitor or destination belongs to it.
    """
    if by not in ("year", "month"):
        from ..errors import InputError

        raise InputError(f"unknown period '{by}' (use year or month)")
    width = 4 if by == "year" else 7
    where = ""
    if entity:
        where = (f"FILTER(?s = <{entity}> || ?o = <{entity}> || "
                 f"EXISTS {{ ?s kg:country <{entity}> }} || EXISTS {{ ?o kg:country <{entity}> }})")
    q = _PRE + f"""SELECT ?g ?v ?d WHERE {{ GRAPH ?g {{ ?v a kg:Visit ; kg:visitor ?s ; kg:destination ?o ;
      schema:startDate ?d }} {where} }}"""
    counts: Counter[str] = Counter()
    seen = set()
    for r in store.query(q):
        key = (r["g"].value, r["v"].value)
        if key in seen:
            continue
        seen.add(key)
        counts[r["d"].value[:width]] += 1
    return sorted(counts.items())


def pair_contacts(store, a: str, b: str) -> dict:
    """First and last dated contact between two entities (IRIs), and how many.

    A contact is a visit by one to the other (or to its country), a meeting of both,
    or any visit or meeting in which both take part.
    """
    q = _PRE + f"""SELECT DISTINCT ?g ?v ?d ?kind WHERE {{ GRAPH ?g {{
      ?v schema:startDate ?d ; a ?kind .
      FILTER(?kind IN (kg:Visit, kg:Meeting))
      ?v kg:visitor|kg:destination|kg:participant|kg:host|kg:companion <{a}> .
      ?v kg:visitor|kg:destination|kg:participant|kg:host|kg:companion <{b}> . }} }}"""
    dates = []
    for r in store.query(q):
        dates.append((r["d"].value, r["g"].value, r["kind"].value.rsplit("#", 1)[-1]))
    dates.sort()
    return {
        "contacts": len(dates),
        "first": dates[0][0] if dates else None,
        "last": dates[-1][0] if dates else None,
        "first_article": dates[0][1] if dates else None,
        "last_article": dates[-1][1] if dates else None,
    }


def plot_timeline(series: list[tuple[str, int]], path: str | Path, *, title: str = "Visits") -> Path:
    """Bar chart of a ``visits_over_time`` series as PNG (matplotlib, Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(10, 3.6), dpi=100)
    xs = [p for p, _ in series]
    ys = [n for _, n in series]
    ax.bar(range(len(xs)), ys, color="#4e79a7")
    step = max(1, len(xs) // 20)
    ax.set_xticks(range(0, len(xs), step))
    ax.set_xticklabels(xs[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("visits")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
