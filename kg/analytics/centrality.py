"""Centrality: degree, weighted degree, PageRank, betweenness, eigenvector.

A graph in, ``{node: float}`` out. Betweenness is exact on small graphs and
sampled with a fixed seed on large ones, with the sample size chosen from a time
budget; :class:`Betweenness` says which it was.
"""

from __future__ import annotations

import random
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

#: Always exact below this many nodes (at most ~2k edges: well under a second).
#: Above it, exact only when the time budget covers every source (see
#: :func:`sample_size`): cost grows like n * (n + m), so a dense graph of a few
#: hundred nodes can already take many seconds (877 organisations with 6.6k
#: contacts took 7.5 CPU s exact at 1M triples).
EXACT_BETWEENNESS_NODES = 64


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
    n: int = 0
    seed: int = 42

    @property
    def note(self) -> str:
        if self.exact:
            return "exact"
        of = f"{self.k} of {self.n:,} sources" if self.n else f"{self.k} of the sources"
        return f"sampled: {of}, seed {self.seed} (an estimate)"


def betweenness(g: nx.Graph, *, budget_s: float = 10.0, seed: int = 42, exact_below: int = EXACT_BETWEENNESS_NODES) -> Betweenness:
    """Normalised betweenness on the undirected simple graph (fewest hops).

    Exact when the graph has fewer than ``exact_below`` nodes or the budget covers
    every source; otherwise ``k`` source nodes are sampled with ``seed``, ``k``
    chosen by :func:`sample_size` to fit in about ``budget_s`` seconds -- from the
    graph's size, not a clock, so the same graph always gives the same scores.

    The scores are networkx's (``betweenness_centrality(u, k, seed=seed,
    normalized=True)``, networkx 3.5+ rescaling; the same sources are sampled),
    computed by :func:`_dependencies` -- Brandes' algorithm with many sources per
    sparse-matrix product, about 10x faster than networkx's per-source loop. Sampled
    scores are an estimate: rankings of the top nodes are stable, small scores noisy.

    >>> b = betweenness(nx.path_graph(3)); b.exact, b.scores[1]
    (True, 1.0)
    """
    u = _undirected(g)
    n = u.number_of_nodes()
    t0 = time.perf_counter()
    k = sample_size(n, u.number_of_edges(), budget_s=budget_s)
    exact = n < exact_below or k >= n
    if exact:
        k, sources = n, list(u)
    else:
        sources = random.Random(seed).sample(list(u), k)  # as networkx samples them
    nodes, raw = _dependencies(u, sources)
    scores = dict(zip(nodes, _rescale(raw, nodes, n, None if exact else sources).tolist()))
    return Betweenness(scores, exact, k, time.perf_counter() - t0, n, seed)


def _rescale(raw, nodes: list, n: int, sampled: list | None):
    """networkx's normalisation (undirected, endpoints excluded), sampled or not."""
    import numpy as np

    if n - 1 < 2:
        return raw
    if sampled is None:
        return raw / ((n - 1) * (n - 2))
    k = len(sampled)
    scale = np.full(len(nodes), 1.0 / (k * (n - 2)))
    is_source = set(sampled)
    # a source cannot lie on its own paths: it is estimated from the k - 1 others
    scale[[i for i, v in enumerate(nodes) if v in is_source]] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else float("nan")
    return raw * scale


#: Cells (sources x nodes) of one batch of :func:`_dependencies`: ~2 MB per matrix
#: (a dozen live at once); larger batches were not faster.
BATCH_CELLS = 250_000


def _dependencies(u: nx.Graph, sources: list) -> tuple[list, "object"]:
    """Brandes' dependency sums over ``sources`` (BFS on an undirected simple graph).

    Level-synchronous: for a batch of sources, each BFS level is one product of the
    adjacency matrix with the batch's frontier (path counts ``sigma``), and the
    back-propagation of dependencies one product per level as well. Returns the
    nodes and, per node, the sum over sources of its dependency (networkx's raw
    score before rescaling).
    """
    import numpy as np
    import scipy.sparse as sp

    nodes = list(u)
    n = len(nodes)
    if n == 0 or not sources:
        return nodes, np.zeros(n)
    idx = {v: i for i, v in enumerate(nodes)}
    rows: list[int] = []
    cols: list[int] = []
    for a, b in u.edges():
        if a != b:
            ia, ib = idx[a], idx[b]
            rows += (ia, ib)
            cols += (ib, ia)
    adj = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    adj.sum_duplicates()
    adj.data[:] = 1.0  # symmetric: one matrix serves both directions
    src = np.fromiter((idx[s] for s in sources), dtype=np.int64, count=len(sources))
    total = np.zeros(n)
    step = max(1, min(len(src), BATCH_CELLS // n))
    for start in range(0, len(src), step):
        s = src[start:start + step]
        r = np.arange(len(s))
        dist = np.full((len(s), n), -1, dtype=np.int32)
        sigma = np.zeros((len(s), n))
        dist[r, s] = 0
        sigma[r, s] = 1.0
        front = sigma.copy()
        depth = 0
        while True:
            reach = (adj @ front.T).T  # shortest paths arriving from the frontier
            new = (dist < 0) & (reach > 0)
            if not new.any():
                break
            depth += 1
            dist[new] = depth
            sigma[new] = reach[new]
            front = np.where(new, sigma, 0.0)
        delta = np.zeros((len(s), n))
        for level in range(depth, 0, -1):
            at = dist == level
            coef = np.where(at, (1.0 + delta) / np.where(at, sigma, 1.0), 0.0)
            back = (adj @ coef.T).T
            delta += np.where(dist == level - 1, sigma * back, 0.0)
        delta[r, s] = 0.0  # a source gets no credit for its own paths
        total += delta.sum(axis=0)
    return nodes, total


#: Seconds per source node and per (node + edge) of one betweenness pass, measured
#: on this project's 2-core machine (numpy/scipy batched Brandes above: 0.04-0.13
#: microseconds per element on the 1M-triple views, rounded up); used so the sample
#: size, and so the result, does not depend on how busy the machine is at the time.
#: (networkx's own loop costs about 2.5e-6.)
SECONDS_PER_ELEMENT = 2e-7


def sample_size(n: int, m: int, *, budget_s: float) -> int:
    """Sources to sample for betweenness within about ``budget_s`` seconds (deterministic).

    >>> sample_size(4000, 9000, budget_s=6.0)
    2307
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
            # capped: power iteration in Python costs O(m) per step, and on a graph that
            # oscillates more steps do not help -- then the measure is reported undefined
            scores = nx.eigenvector_centrality(sub, max_iter=200, tol=1e-6, weight="weight")
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
