"""Brokers: articulation points and bridges (who holds parts of the network together)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

__all__ = ["Broker", "articulation_points", "bridges", "brokers"]


def _undirected(g: nx.Graph) -> nx.Graph:
    from .projection import simple_graph

    return g if (not g.is_directed() and not g.is_multigraph()) else simple_graph(g)


@dataclass(frozen=True)
class Broker:
    """An articulation point and how many nodes only reach the rest through it."""

    node: str
    separates: int
    degree: int


def articulation_points(g: nx.Graph) -> set:
    """Nodes whose removal disconnects their component.

    >>> sorted(articulation_points(nx.path_graph(4)))
    [1, 2]
    """
    return set(nx.articulation_points(_undirected(g)))


def bridges(g: nx.Graph) -> list[tuple]:
    """Edges whose removal disconnects their component.

    >>> sorted(bridges(nx.path_graph(3)))
    [(0, 1), (1, 2)]
    """
    return list(nx.bridges(_undirected(g)))


def _cut_pieces(u: nx.Graph) -> tuple[dict, dict]:
    """For every node, the sizes of the pieces its removal cuts off (Tarjan, one DFS).

    Returns ``(pieces, component_size)``: ``pieces[v]`` lists the sizes of the DFS
    subtrees below ``v`` that reach nothing above it.
    """
    disc: dict = {}
    low: dict = {}
    size: dict = {}
    pieces: dict = {}
    comp_size: dict = {}
    t = 0
    for root in u:
        if root in disc:
            continue
        disc[root] = low[root] = t
        t += 1
        size[root] = 1
        members = [root]
        stack = [(root, None, iter(u[root]))]
        while stack:
            v, parent, it = stack[-1]
            advanced = False
            for w in it:
                if w == v:
                    continue
                if w not in disc:
                    disc[w] = low[w] = t
                    t += 1
                    size[w] = 1
                    members.append(w)
                    stack.append((w, v, iter(u[w])))
                    advanced = True
                    break
                if w != parent and disc[w] < low[v]:
                    low[v] = disc[w]
            if advanced:
                continue
            stack.pop()
            if parent is not None:
                if low[v] < low[parent]:
                    low[parent] = low[v]
                size[parent] += size[v]
                if low[v] >= disc[parent]:
                    pieces.setdefault(parent, []).append(size[v])
        for m in members:
            comp_size[m] = len(members)
    return pieces, comp_size


def brokers(g: nx.Graph, *, limit: int = 50) -> list[Broker]:
    """Articulation points ranked by the number of nodes cut off when they are removed.

    ``separates`` is the size of the component minus the largest piece left (and the
    node itself): how many entities reach the rest only through this one. One
    depth-first search (linear time) serves every node; ``limit`` caps the list.

    >>> [(b.node, b.separates) for b in brokers(nx.Graph([(0, 1), (1, 2), (1, 3), (3, 4)]))]
    [(1, 2), (3, 1)]
    """
    u = _undirected(g)
    pieces, comp_size = _cut_pieces(u)
    out = []
    for v, cut in pieces.items():
        n = comp_size[v]
        rest = n - 1 - sum(cut)
        is_root = rest == 0 and len(cut) >= 1
        if is_root and len(cut) < 2:
            continue  # a DFS root with one subtree is no cut point
        largest = max(cut + [rest])
        out.append(Broker(v, n - 1 - largest, u.degree(v)))
    out.sort(key=lambda b: (-b.separates, -b.degree, str(b.node)))
    return out[:limit] if limit else out
