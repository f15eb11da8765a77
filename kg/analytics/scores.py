"""Write measures into the store, in their own named graph, so SPARQL can sort by them.

Each score is a ``kg:ScoreRecord`` with ``kg:entity``, ``kg:measure``, ``kg:view``
and ``kg:score`` (xsd:double) in the graph :data:`ANALYTICS_GRAPH`. Writing a view
replaces that view's records and keeps the other views'.

Example query::

    SELECT ?e ?score WHERE { GRAPH <https://w3id.org/kg-visits/id/graph/analytics> {
      ?r kg:entity ?e ; kg:measure "pagerank" ; kg:view "entity" ; kg:score ?score } }
    ORDER BY DESC(?score) LIMIT 10
"""

from __future__ import annotations

import hashlib

from pyoxigraph import Literal, NamedNode, Quad

from ..ontology import ID, KG, RDF, XSD

__all__ = ["ANALYTICS_GRAPH", "score_quads", "write_scores"]

#: The named graph holding analytics results (not an article graph).
ANALYTICS_GRAPH = f"{ID}graph/analytics"


def score_quads(view: str, table: dict[str, dict[str, float]]) -> list[Quad]:
    """Quads of the score records of one view (``{measure: {entity IRI: score}}``)."""
    g = NamedNode(ANALYTICS_GRAPH)
    a, rec_cls = NamedNode(str(RDF.type)), NamedNode(str(KG.ScoreRecord))
    p_entity, p_measure = NamedNode(str(KG.entity)), NamedNode(str(KG.measure))
    p_view, p_score = NamedNode(str(KG.view)), NamedNode(str(KG.score))
    double = NamedNode(str(XSD.double))
    out: list[Quad] = []
    for measure, scores in table.items():
        for node, value in scores.items():
            if not str(node).startswith("http"):
                continue
            h = hashlib.sha1(f"{view}\x1f{measure}\x1f{node}".encode()).hexdigest()[:20]
            r = NamedNode(f"{ID}score/{view}/{measure}/{h}")
            out += [
                Quad(r, a, rec_cls, g),
                Quad(r, p_entity, NamedNode(str(node)), g),
                Quad(r, p_measure, Literal(measure), g),
                Quad(r, p_view, Literal(view), g),
                Quad(r, p_score, Literal(repr(float(value)), datatype=double), g),
            ]
    return out


def write_scores(store, view: str, table: dict[str, dict[str, float]]) -> int:
    """Replace the score records of ``view`` in the analytics graph; returns records written."""
    keep = [q for q in store.quads(ANALYTICS_GRAPH) if not q.subject.value.startswith(f"{ID}score/{view}/")]
    new = score_quads(view, table)
    store.replace_graph(ANALYTICS_GRAPH, [Quad(q.subject, q.predicate, q.object, NamedNode(ANALYTICS_GRAPH)) for q in keep] + new)
    return len(new) // 5
