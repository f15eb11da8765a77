"""Finding entities by name, the shortest connection with evidence, ego networks."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..errors import InputError
from ..names import fold
from ..ontology import ID

__all__ = ["find_node", "Hop", "shortest_connection", "ego_network"]


def find_node(g: nx.Graph, name: str) -> str:
    """The node a user means by ``name``: IRI, local id (``person:x``), label or alias.

    Exact (folded) label matches win over alias matches, which win over labels that
    contain the name; ties go to the node with the most connections.

    >>> g = nx.Graph(); g.add_node("i/1", label="Angela Merkel", aliases=["Merkel"]); g.add_node("i/2", label="Merkel Foundation", aliases=[])
    >>> find_node(g, "merkel")
    'i/1'
    """
    if name in g:
        return name
    if ":" in name and not name.startswith("http"):
        iri = f"{ID}{name.replace(':', '/', 1)}"
        if iri in g:
            return iri
    q = fold(name)
    if not q:
        raise InputError("empty entity name")
    exact, alias, partial = [], [], []
    for n, d in g.nodes(data=True):
        label = fold(str(d.get("label", "")))
        if label == q:
            exact.append(n)
        elif any(fold(a) == q for a in d.get("aliases", ())):
            alias.append(n)
        elif q in label:
            partial.append(n)
    for group in (exact, alias, partial):
        if group:
            return max(group, key=lambda n: (g.degree(n), str(n)))
    raise InputError(f"no entity named '{name}' in this view (try a full name, an alias or an id like person:jane-doe)")


@dataclass(frozen=True)
class Hop:
    """One step of a connection: the two entities, the relations and their evidence.

    ``rels`` names the relations from ``source`` to ``target``; "<-visited" means the
    target visited the source.
    """

    source: str
    target: str
    source_label: str
    target_label: str
    rels: tuple[str, ...]
    evidence: tuple[dict, ...] = field(default=())


def shortest_connection(store, g: nx.Graph, a: str, b: str, *, per_hop: int = 1) -> list[Hop]:
    """The fewest-hop connection from entity ``a`` to ``b``, with evidence for every hop.

    Evidence comes from the store: the ``kg:Statement`` behind each edge and the
    sentence (``kg:EvidenceSpan``) it was derived from, with its article.
    Raises ``InputError`` when no connection exists.
    """
    from .projection import edge_evidence

    src, dst = find_node(g, a), find_node(g, b)
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    try:
        path = nx.shortest_path(u, src, dst)
    except nx.NetworkXNoPath:
        raise InputError(f"no connection between '{a}' and '{b}'") from None
    pairs = list(zip(path, path[1:]))
    ev = edge_evidence(store, pairs, per_pair=per_hop)
    hops = []
    for s, o in pairs:
        rels: set[str] = set()
        for x, y, mark in ((s, o, ""), (o, s, "<-")):
            if g.has_edge(x, y):
                data = g.get_edge_data(x, y)
                items = data.values() if g.is_multigraph() else [data]
                rels.update(mark + str(d.get("rel", "")) for d in items if g.is_directed() or not mark)
        hops.append(
            Hop(s, o, str(g.nodes[s].get("label", s)), str(g.nodes[o].get("label", o)), tuple(sorted(rels)),
                tuple(ev.get(frozenset((s, o)), ())))
        )
    return hops


def ego_network(g: nx.Graph, center: str, *, depth: int = 1) -> nx.Graph:
    """Everything within ``depth`` hops of ``center`` (either direction), same graph type.

    >>> sorted(ego_network(nx.path_graph(5), 2, depth=1))
    [1, 2, 3]
    """
    return nx.ego_graph(g, center, radius=depth, undirected=True)
