"""SHACL validation of the store against ``ontologies/shapes.ttl`` (pySHACL)."""

from __future__ import annotations

from .ontology import ONTOLOGY_DIR

__all__ = ["validate_store", "validate_graph"]


def validate_graph(data_graph) -> tuple[bool, str]:
    """Validate an rdflib Graph; returns (conforms, report text)."""
    import pyshacl
    from rdflib import Graph

    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    ont = Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(
        data_graph, shacl_graph=shapes, ont_graph=ont, inference="none", allow_warnings=True
    )
    return bool(conforms), str(text)


def validate_store(store) -> tuple[bool, str, int]:
    """Validate the union of all graphs of ``store``: (conforms, report, quad count)."""
    from rdflib import Graph, Literal, URIRef

    g = Graph()
    n = 0
    for q in store.quads():
        n += 1
        o = q.object
        if type(o).__name__ == "Literal":
            if o.language:
                obj = Literal(o.value, lang=o.language)
            elif o.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
                obj = Literal(o.value)
            else:
                obj = Literal(o.value, datatype=URIRef(o.datatype.value))
        elif type(o).__name__ == "NamedNode":
            obj = URIRef(o.value)
        else:
            from rdflib import BNode

            obj = BNode(o.value)
        g.add((URIRef(q.subject.value), URIRef(q.predicate.value), obj))
    conforms, text = validate_graph(g)
    return conforms, text, n
