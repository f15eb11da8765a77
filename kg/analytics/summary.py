"""One overview of the graph: sizes of each view, top entities, communities, brokers, time span."""

from __future__ import annotations

import time
from typing import Any

import networkx as nx

from .brokers import brokers
from .centrality import betweenness, pagerank
from .communities import components, louvain
from .projection import VIEWS, entity_graph, simple_graph, view_graph
from .timeline import visits_over_time

__all__ = ["summary", "top"]


def top(scores: dict, n: int = 10) -> list:
    """The ``n`` keys with the highest scores (ties broken by key).

    >>> top({"a": 1, "b": 3, "c": 3}, 2)
    ['b', 'c']
    """
    return sorted(scores, key=lambda k: (-scores[k], str(k)))[:n]


def _label(g: nx.Graph, n) -> str:
    return str(g.nodes[n].get("label", n)) if n in g else str(n)


def summary(store, *, n: int = 10, budget_s: float = 3.0, seed: int = 42,
            base: nx.MultiDiGraph | None = None) -> dict[str, Any]:
    """Headline figures of every view (what ``kg analyze summary`` prints).

    Betweenness gets ``budget_s`` seconds on the entity view and half that on the
    others (exact on small views, sampled and seeded on large ones: see the
    ``betweenness`` note of each view).
    """
    t0 = time.perf_counter()
    base = base if base is not None else entity_graph(store)
    out: dict[str, Any] = {"views": {}, "timings": {"entity_graph": round(time.perf_counter() - t0, 2)}}
    for view in VIEWS:
        t = time.perf_counter()
        g = view_graph(store, view, base=base)
        u = simple_graph(g) if (g.is_directed() or g.is_multigraph()) else g
        comps = components(u)
        info: dict[str, Any] = {
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "components": len(comps),
            "largest_component": len(comps[0]) if comps else 0,
            "density": round(nx.density(u), 6) if u.number_of_nodes() > 1 else 0.0,
        }
        if g.number_of_nodes():
            # the entity view is a multigraph: PageRank runs on its undirected simple
            # graph, which is ``u`` already (no second copy); directed views keep direction
            pr = pagerank(u if g.is_multigraph() else g)
            info["top_pagerank"] = [{"id": k, "label": _label(g, k), "score": round(pr[k], 6)} for k in top(pr, n)]
            deg = dict(u.degree(weight="weight"))
            info["top_weighted_degree"] = [{"id": k, "label": _label(g, k), "score": deg[k]} for k in top(deg, n)]
            b = betweenness(u, budget_s=budget_s / 2 if view != "entity" else budget_s, seed=seed)
            info["top_betweenness"] = [{"id": k, "label": _label(g, k), "score": round(b.scores[k], 6)} for k in top(b.scores, n)]
            info["betweenness"] = b.note
            info["betweenness_seconds"] = round(b.seconds, 2)
            parts, q = louvain(u, seed=seed)
            info["communities"] = len(parts)
            info["modularity"] = round(q, 4)
            info["largest_communities"] = [
                {"size": len(c), "members": [_label(g, m) for m in top({m: u.degree(m) for m in c}, 5)]} for c in parts[:5]
            ]
            info["brokers"] = [
                {"id": br.node, "label": _label(g, br.node), "separates": br.separates} for br in brokers(u, limit=30)[:n]
            ]
        out["views"][view] = info
        out["timings"][view] = round(time.perf_counter() - t, 2)
    years = visits_over_time(store, by="year")
    out["visits"] = {
        "total": sum(c for _, c in years),
        "first_year": years[0][0] if years else None,
        "last_year": years[-1][0] if years else None,
        "busiest_years": [{"year": y, "visits": c} for y, c in sorted(years, key=lambda x: -x[1])[:5]],
    }
    out["types"] = dict(sorted(nx.utils.groups({k: d["type"] for k, d in base.nodes(data=True)}).items()))
    out["types"] = {t: len(v) for t, v in out["types"].items()}
    out["timings"]["total"] = round(time.perf_counter() - t0, 2)
    return out
