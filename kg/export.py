"""Exports for analysts' tools: RDF dumps and the entity graph for Gephi, Neo4j, Cytoscape.

RDF formats (``turtle``, ``trig``, ``nquads``, ``ntriples``, ``jsonld``,
``rdfxml``) are the store's own dump. Graph formats carry the entity projection
of :func:`kg.analytics.projection.entity_graph`: nodes with label, type and
country; edges with the relation name, first and last date and the number of
supporting articles.

* ``graphml`` and ``gexf``: one file, read by Gephi, yEd, Cytoscape desktop and networkx;
* ``csv``: a folder with ``nodes.csv`` and ``edges.csv`` (Gephi's spreadsheet
  import reads their ``Id``/``Label`` and ``Source``/``Target``/``Type``/``Weight``
  columns; Neo4j reads them with ``LOAD CSV WITH HEADERS``, see the
  ``neo4j-import.cypher`` written beside them);
* ``cytoscape``: Cytoscape.js ``{"elements": {"nodes": [...], "edges": [...]}}``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from .errors import InputError

__all__ = [
    "RDF_FORMATS",
    "GRAPH_FORMATS",
    "EXPORT_FORMATS",
    "projection",
    "flat_graph",
    "write_graphml",
    "write_gexf",
    "write_csv",
    "cytoscape_elements",
    "export_store",
]

RDF_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml")
GRAPH_FORMATS = ("graphml", "gexf", "csv", "cytoscape")
EXPORT_FORMATS = RDF_FORMATS + GRAPH_FORMATS

NODE_COLUMNS = ("Id", "Label", "Type", "Types", "Country", "Aliases")
EDGE_COLUMNS = ("Id", "Source", "Target", "Type", "Label", "Relation", "Weight", "Articles", "First", "Last")

_NEO4J_CYPHER = """// Load nodes.csv and edges.csv (copy them into Neo4j's import folder first).
CREATE CONSTRAINT kg_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
MERGE (n:Entity {id: row.Id})
SET n.label = row.Label, n.type = row.Type, n.types = split(row.Types, '|'),
    n.country = row.Country, n.aliases = CASE row.Aliases WHEN '' THEN [] ELSE split(row.Aliases, '|') END;
LOAD CSV WITH HEADERS FROM 'file:///edges.csv' AS row
MATCH (s:Entity {id: row.Source}), (t:Entity {id: row.Target})
MERGE (s)-[r:RELATED {id: row.Id}]->(t)
SET r.relation = row.Relation, r.weight = toInteger(row.Weight),
    r.first = row.First, r.last = row.Last;
"""


def projection(store, *, graph: str | None = None) -> nx.MultiDiGraph:
    """The entity graph of the whole store, or of one article graph."""
    from .analytics.projection import entity_graph

    if graph is None:
        return entity_graph(store)
    from .store import EmbeddedStore

    local = EmbeddedStore(None)
    try:
        local.oxigraph.extend(store.quads(graph))
        return entity_graph(local)
    finally:
        local.close()


def _edge_id(source: str, target: str, rel: str) -> str:
    return f"{source}|{rel}|{target}"


def flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with only scalar attributes (lists joined by ``|``, no ``None``).

    GraphML and GEXF hold strings and numbers only.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", types=["Person"], country=None, aliases=[])
    >>> g.add_edge("a", "a", key="metWith", rel="metWith", weight=1, first=None, last=None)
    'metWith'
    >>> f = flat_graph(g)
    >>> f.nodes["a"], f.edges["a", "a", "metWith"]["label"]
    ({'label': 'A', 'types': 'Person', 'aliases': ''}, 'metWith')
    """
    out = nx.MultiDiGraph()
    for n, data in g.nodes(data=True):
        attrs: dict[str, Any] = {}
        for k, v in data.items():
            if v is None:
                continue
            attrs[k] = "|".join(str(x) for x in v) if isinstance(v, (list, tuple, set)) else v
        attrs.setdefault("label", str(n))
        out.add_node(n, **attrs)
    for s, t, key, data in g.edges(keys=True, data=True):
        attrs = {k: v for k, v in data.items() if v is not None and not isinstance(v, (list, tuple, set, dict))}
        rel = str(data.get("rel", key))
        attrs.setdefault("label", rel)
        attrs["id"] = _edge_id(s, t, rel)
        out.add_edge(s, t, key=key, **attrs)
    return out


def write_graphml(g: nx.MultiDiGraph, path) -> None:
    """GraphML with node label/type/country and edge rel/weight/first/last."""
    nx.write_graphml(flat_graph(g), path, named_key_ids=True, edge_id_from_attribute="id")


def write_gexf(g: nx.MultiDiGraph, path) -> None:
    """GEXF 1.2 (Gephi's own format)."""
    nx.write_gexf(flat_graph(g), path, version="1.2draft")


def _node_row(n: str, d: dict[str, Any]) -> list[str]:
    return [
        n,
        d.get("label") or n,
        d.get("type") or "",
        "|".join(d.get("types") or ([d["type"]] if d.get("type") else [])),
        d.get("country") or "",
        "|".join(d.get("aliases") or []),
    ]


def write_csv(g: nx.MultiDiGraph, folder) -> list[Path]:
    """``nodes.csv``, ``edges.csv`` and ``neo4j-import.cypher`` in ``folder``."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: csv export writes a folder (nodes.csv, edges.csv); give a folder path")
    folder.mkdir(parents=True, exist_ok=True)
    nodes, edges, cypher = folder / "nodes.csv", folder / "edges.csv", folder / "neo4j-import.cypher"
    with nodes.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(NODE_COLUMNS)
        for n, d in sorted(g.nodes(data=True)):
            w.writerow(_node_row(n, d))
    with edges.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(EDGE_COLUMNS)
        for s, t, key, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
            rel = str(d.get("rel", key))
            weight = d.get("weight", 1)
            w.writerow(
                [_edge_id(s, t, rel), s, t, "Directed", rel, rel, weight, weight, d.get("first") or "", d.get("last") or ""]
            )
    cypher.write_text(_NEO4J_CYPHER, encoding="utf-8")
    return [nodes, edges, cypher]


def cytoscape_elements(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Cytoscape.js elements: ``{"elements": {"nodes": [{"data": ...}], "edges": [...]}}``.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", type="Person", types=["Person"], country=None, aliases=[])
    >>> cytoscape_elements(g)["elements"]["nodes"][0]["data"]["label"]
    'A'
    """
    nodes = []
    for n, d in sorted(g.nodes(data=True)):
        data = {"id": n, "label": d.get("label") or n, "type": d.get("type"), "types": list(d.get("types") or [])}
        if d.get("country"):
            data["country"] = d["country"]
        if d.get("aliases"):
            data["aliases"] = list(d["aliases"])
        nodes.append({"data": data, "group": "nodes"})
    edges = []
    for s, t, key, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], str(e[2]))):
        rel = str(d.get("rel", key))
        data = {"id": _edge_id(s, t, rel), "source": s, "target": t, "label": rel, "rel": rel, "weight": d.get("weight", 1)}
        for k in ("first", "last"):
            if d.get(k):
                data[k] = d[k]
        edges.append({"data": data, "group": "edges"})
    return {"format_version": "1.0", "generated_by": "kg", "elements": {"nodes": nodes, "edges": edges}}


def export_store(store, fmt: str, output: str | Path | None = None, *, graph: str | None = None) -> bytes | None:
    """Export ``store`` (or one article graph) in ``fmt``.

    With ``output=None`` the export is returned as bytes (not for ``csv``, which
    writes a folder); otherwise it is written to ``output`` and None is returned.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format '{fmt}' (use {', '.join(EXPORT_FORMATS)})")
    if graph is not None and graph not in store.graphs():
        raise InputError(f"no graph {graph} in the store (list them with: kg query articles)")
    if fmt in RDF_FORMATS:
        if output is None:
            buf = io.BytesIO()
            store.dump(buf, fmt, graph=graph)
            return buf.getvalue()
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        store.dump(str(output), fmt, graph=graph)
        return None
    g = projection(store, graph=graph)
    if fmt == "csv":
        if output is None:
            raise InputError("csv export writes nodes.csv and edges.csv: give a folder with -o")
        write_csv(g, output)
        return None
    if fmt == "cytoscape":
        data = (json.dumps(cytoscape_elements(g), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    else:
        buf = io.BytesIO()
        (write_graphml if fmt == "graphml" else write_gexf)(g, buf)
        data = buf.getvalue()
    if output is None:
        return data
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    Path(output).write_bytes(data)
    return None
