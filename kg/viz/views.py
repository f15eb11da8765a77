"""Store -> a chosen graph view -> HTML: the logic behind ``kg viz`` and the report."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from ..errors import InputError

__all__ = ["SIZE_MEASURES", "MAX_EVIDENCE_EDGES", "select_view", "render_view"]

SIZE_MEASURES = ("pagerank", "degree", "betweenness")
#: Edge tooltips carry evidence up to this many edges (beyond, the page would grow too big).
MAX_EVIDENCE_EDGES = 5000


def _scores(g: nx.Graph, size: str, *, budget_s: float = 5.0) -> dict:
    from ..analytics.centrality import betweenness, degree, pagerank

    if size == "pagerank":
        return pagerank(g)
    if size == "degree":
        return degree(g)
    return betweenness(g, budget_s=budget_s).scores


def select_view(
    store,
    *,
    view: str = "entity",
    size: str = "pagerank",
    top: int = 0,
    focus: str | None = None,
    depth: int = 1,
    base: nx.MultiDiGraph | None = None,
) -> tuple[nx.Graph, dict, str]:
    """The graph to draw, node sizes and a note saying what was selected."""
    from ..analytics import view_graph
    from ..analytics.paths import ego_network, find_node

    if size not in SIZE_MEASURES:
        raise InputError(f"unknown --size '{size}' (use {', '.join(SIZE_MEASURES)})")
    if depth < 1:
        raise InputError("--depth must be at least 1")
    g = view_graph(store, view, base=base)
    notes = [f"{view} view"]
    if focus:
        center = find_node(g, focus)
        g = ego_network(g, center, depth=depth)
        notes.append(f"within {depth} hop(s) of {g.nodes[center].get('label', center)}")
    scores = _scores(g, size)
    if top and g.number_of_nodes() > top:
        keep = sorted(g, key=lambda n: (-scores.get(n, 0.0), str(n)))[:top]
        total = g.number_of_nodes()
        g = g.subgraph(keep).copy()
        notes.append(f"top {top} of {total} by {size}")
    notes.append(f"node size: {size}")
    return g, scores, "; ".join(notes)


def render_view(
    store,
    output: str | Path,
    *,
    view: str = "entity",
    size: str = "pagerank",
    top: int = 0,
    focus: str | None = None,
    depth: int = 1,
    evidence: bool = True,
    title: str | None = None,
    base: nx.MultiDiGraph | None = None,
) -> tuple[Path, nx.Graph]:
    """Write one view of the store as an HTML page; returns (path, graph drawn)."""
    from ..analytics import edge_evidence
    from .html import render_html

    g, scores, note = select_view(store, view=view, size=size, top=top, focus=focus, depth=depth, base=base)
    ev = None
    if evidence and view == "entity":
        pairs = {(a, b) for a, b in g.edges() if a != b}
        if len(pairs) <= MAX_EVIDENCE_EDGES:
            ev = edge_evidence(store, pairs, per_pair=2)
        else:
            note += f"; evidence omitted from tooltips ({len(pairs)} relations > {MAX_EVIDENCE_EDGES}: use --top or --focus)"
    path = render_html(g, output, title=title or f"kg: {view} graph", sizes={n: scores.get(n, 0.0) for n in g},
                       size_label=size, evidence=ev, note=note)
    return path, g
