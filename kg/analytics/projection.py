"""Project the RDF store onto networkx graphs.

The entity graph has one node per typed entity (label, type, country, aliases) and
one edge per (subject, relation, object), weighted by the number of articles that
support it, with the dates seen.
"""

from __future__ import annotations

import networkx as nx

from ..ontology import CLASS_TYPE, sparql_prefixes

__all__ = ["entity_graph", "EDGE_PREDICATES"]

#: relation name -> SPARQL predicate of the direct edges projected.
EDGE_PREDICATES: dict[str, str] = {
    "visited": "kg:visited",
    "metWith": "kg:metWith",
    "memberOf": "org:memberOf",
    "sentBy": "kg:sentBy",
    "represents": "kg:represents",
    "hostedBy": "kg:hostedBy",
    "accompaniedBy": "kg:accompaniedBy",
    "locatedIn": "kg:locatedIn",
    "partOf": "kg:partOf",
}

_NODES = """SELECT ?e ?cls (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?code) WHERE { GRAPH ?g {
  ?e a ?cls ; rdfs:label ?l .
  FILTER(?cls IN (kg:Person, kg:Organization, kg:Delegation, kg:Facility, kg:Place, kg:Country))
  OPTIONAL { { ?e kg:country/kg:isoCode ?c } UNION { ?e kg:isoCode ?c } } } } GROUP BY ?e ?cls"""

_ALIASES = """SELECT DISTINCT ?e ?alt WHERE { GRAPH ?g { ?e skos:altLabel ?alt } }"""


def _edges_query() -> str:
    values = " ".join(f'("{rel}" {pred})' for rel, pred in EDGE_PREDICATES.items())
    return f"""SELECT ?s ?rel ?o (COUNT(DISTINCT ?g) AS ?n) (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE {{
  VALUES (?rel ?p) {{ {values} }}
  GRAPH ?g {{ ?s ?p ?o .
    OPTIONAL {{ ?v kg:visitor|kg:participant ?s ; kg:destination|kg:participant ?o ; schema:startDate ?d }} }}
}} GROUP BY ?s ?rel ?o"""


def entity_graph(store) -> nx.MultiDiGraph:
    """The entity graph of everything in ``store``.

    Nodes are entity IRIs with ``label``, ``type``, ``types``, ``country`` and
    ``aliases``; edges carry ``rel``, ``weight`` (supporting articles) and
    ``first``/``last`` dates when known.
    """
    pre = sparql_prefixes()
    g = nx.MultiDiGraph()
    order = list(CLASS_TYPE.values())
    for r in store.query(pre + _NODES):
        iri = r["e"].value
        t = CLASS_TYPE.get(r["cls"].value)
        if iri in g:
            types = g.nodes[iri]["types"]
            if t not in types:
                types.append(t)
                types.sort(key=order.index)
                g.nodes[iri]["type"] = types[0]
            continue
        g.add_node(
            iri,
            label=r["label"].value,
            type=t,
            types=[t],
            country=r["code"].value if r["code"] is not None else None,
            aliases=[],
        )
    for r in store.query(pre + _ALIASES):
        iri = r["e"].value
        if iri in g:
            g.nodes[iri]["aliases"].append(r["alt"].value)
    for r in store.query(pre + _edges_query()):
        s, o = r["s"].value, r["o"].value
        if s not in g or o not in g:
            continue
        g.add_edge(
            s,
            o,
            key=r["rel"].value,
            rel=r["rel"].value,
            weight=int(r["n"].value),
            first=r["first"].value if r["first"] is not None else None,
            last=r["last"].value if r["last"] is not None else None,
        )
    return g
