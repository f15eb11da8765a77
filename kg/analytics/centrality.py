"""Centrality: degree, weighted degree, PageRank, betweenness, eigenvector.

A graph in, ``{node: float}`` out. Betweenness is exact on small graphs and
sampled with a fixed seed on large ones, with the sample size chosen from a time
budget; :class:`Betweenness` says which it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import networkx as nx

__all__ = [
    "MEASURES",
    "Betweenness",
    "degree",
    "weighted_degree",
    "pagerank",
    "betweenness",
    "sample_size",
    "eigenvector",
    "centrality_table",
]

#: Measures ``centrality_table`` computes, in column order.
MEASURES: tuple[str, ...] = ("degree", "weighted_degree", "pagerank", "betweenness", "eigenvector")

#: Exact betweenness below this many nodes (O(n*m) is then a fraction of a second).
EXACT_BETWEENNESS_NODES = 1500


def _undirected(g: nx.Graph) -> nx.Graph:
    from .projection import simple_graph

    return g if (not g.is_directed() and not g.is_multigraph()) else simple_graph(g)


def degree(g: nx.Graph) -> dict[str, float]:
    """Number of distinct neighbours (either direction).

    >>> degree(nx.path_graph(3))
    {0: 1.0, 1: 2.0, 2: 1.0}
    """
    u = _undirected(g)
    return {n: float(d) for n, d in u.degree()}


def weighted_degree(g: nx.Graph) -> dict[str, float]:
    """Sum of edge weights (supporting articles/records) at each node.

    >>> g = nx.Graph(); g.add_edge("a", "b", weight=3)
    >>> weighted_degree(g)
    {'a': 3.0, 'b': 3.0}
    """
    u = _undirected(g)
    return {n: float(d) for n, d in u.degree(weight="weight")}


def pagerank(g: nx.Graph, *, alpha: float = 0.85) -> dict[str, float]:
    """Weighted PageRank.

    On the entity graph (a multigraph whose relation directions mean different
    things: visited, memberOf, locatedIn...) it runs on the undirected weighted
    graph; on a directed simple view (countries: who visits whom) it follows the
    direction, so it ranks the most visited.

    >>> round(sum(pagerank(nx.path_graph(4)).values()), 6)
    1.0
    """
    if g.number_of_nodes() == 0:
        return {}
    h = _undirected(g) if g.is_multigraph() else g
    return nx.pagerank(h, alpha=alpha, weight="weight")


@dataclass(frozen=True)
class Betweenness:
    """Betweenness scores and how they were computed."""

    scores: dict
    exact: bool
    k: int
    seconds: float

    @property
    def note(self) -> str:
        if self.exact:
            return "exact"
        return f"sampled: {self.k} of the sources, seed 42 (an estimate)"


def betweenness(g: nx.Graph, *, budget_s: float = 10.0, seed: int = 42, exact_below: int = EXACT_BETWEENNESS_NODES) -> Betweenness:
    """Normalised betweenness on the undirected simple graph (fewest hops).

    Exact when the graph has fewer than ``exact_below`` nodes or the budget covers
    every source; otherwise ``k`` source nodes are sampled with ``seed``, ``k``
    chosen by :func:`sample_size` to fit in about ``budget_s`` seconds -- from the
    graph's size, not a clock, so the same graph always gives the same scores.

    >>> b = betweenness(nx.path_graph(3)); b.exact, b.scores[1]
    (True, 1.0)
    """
    u = _undirected(g)
    n = u.number_of_nodes()
    t0 = time.perf_counter()
    k = sample_size(n, u.number_of_edges(), budget_s=budget_s)
    if n < exact_below or k >= n:
        scores = nx.betweenness_centrality(u, normalized=True)
        return Betweenness(scores, True, n, time.perf_counter() - t0)
    scores = nx.betweenness_centrality(u, k=k, seed=seed, normalized=True)
    return Betweenness(scores, False, k, time.perf_counter() - t0)


#: Seconds per source node and per (node + edge) of one betweenness pass, measured
#: on this project's 2-core machine (networkx 3.x); used so the sample size, and so
#: the result, does not depend on how busy the machine is at the time.
SECONDS_PER_ELEMENT = 2.5e-6


def sample_size(n: int, m: int, *, budget_s: float) -> int:
    """Sources to sample for betweenness within about ``budget_s`` seconds (deterministic).

    >>> sample_size(4000, 9000, budget_s=6.0)
    184
    """
    per_source = max(SECONDS_PER_ELEMENT * (n + m), 1e-6)
    return int(max(min(n, 16), min(n, budget_s / per_source)))


def eigenvector(g: nx.Graph) -> dict[str, float] | None:
    """Eigenvector centrality on the largest connected component (others get 0).

    Returns None where it is not defined (no edges) or does not converge.

    >>> e = eigenvector(nx.star_graph(3)); max(e, key=e.get)
    0
    """
    u = _undirected(g)
    if u.number_of_edges() == 0:
        return None
    lcc = max(nx.connected_components(u), key=len)
    sub = u.subgraph(lcc)
    if sub.number_of_nodes() < 3:
        return None
    try:
        # ARPACK (scipy) converges on hub-and-spoke graphs where power iteration oscillates
        scores = nx.eigenvector_centrality_numpy(sub, weight="weight", max_iter=5000, tol=1e-6)
    except (nx.NetworkXException, ArithmeticError, ValueError):
        try:
            scores = nx.eigenvector_centrality(sub, max_iter=1000, tol=1e-8, weight="weight")
        except (nx.PowerIterationFailedConvergence, nx.NetworkXException):
            return None
    out = {n: 0.0 for n in u}
    out.update(scores)
    return out


def centrality_table(g: nx.Graph, *, budget_s: float = 10.0, seed: int = 42) -> tuple[dict[str, dict[str, float]], dict[str, str]]:
    """All measures: ``({measure: {node: score}}, {measure: note})``."""
    table: dict[str, dict[str, float]] = {
        "degree": degree(g),
        "weighted_degree": weighted_degree(g),
        "pagerank": pagerank(g),
    }
    notes: dict[str, str] = {}
    b = betweenness(g, budget_s=budget_s, seed=seed)
    table["betweenness"] = b.scores
    notes["betweenness"] = b.note
    e = eigenvector(g)
    if e is None:
        notes["eigenvector"] = "not defined (no edges or no convergence)"
    else:
        table["eigenvector"] = e
        notes["eigenvector"] = "largest connected component; 0 elsewhere"
    return table, notes
