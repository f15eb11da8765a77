"""Communities and structure: Louvain (seeded), connected components, k-core."""

from __future__ import annotations

import networkx as nx

__all__ = ["louvain", "components", "core_numbers", "k_core"]


def _undirected(g: nx.Graph) -> nx.Graph:
    from .projection import simple_graph

    return g if (not g.is_directed() and not g.is_multigraph()) else simple_graph(g)


def louvain(g: nx.Graph, *, seed: int = 42, resolution: float = 1.0) -> tuple[list[set], float]:
    """Louvain communities (largest first) and their modularity, reproducible by ``seed``.

    >>> parts, q = louvain(nx.barbell_graph(5, 0)); len(parts), round(q, 2)
    (2, 0.45)
    """
    u = _undirected(g)
    if u.number_of_edges() == 0:
        return [{n} for n in u], 0.0
    parts = nx.community.louvain_communities(u, weight="weight", seed=seed, resolution=resolution)
    parts = sorted(parts, key=lambda c: (-len(c), min(map(str, c))))
    q = nx.community.modularity(u, parts, weight="weight")
    return parts, q


def components(g: nx.Graph) -> list[set]:
    """Connected components (weakly, for directed views), largest first.

    >>> [len(c) for c in components(nx.Graph([(1, 2), (3, 4), (4, 5)]))]
    [3, 2]
    """
    u = _undirected(g)
    return sorted(nx.connected_components(u), key=len, reverse=True)


def core_numbers(g: nx.Graph) -> dict:
    """k-core number of each node (self-loops ignored).

    >>> core_numbers(nx.complete_graph(4))[0]
    3
    """
    return nx.core_number(_undirected(g))


def k_core(g: nx.Graph, k: int | None = None) -> nx.Graph:
    """The k-core subgraph (default: the main core, largest k)."""
    u = _undirected(g)
    return nx.k_core(u, k=k)
