"""The Python mirror of the ontology and the Turtle file declare the same terms."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, Graph

from kg.ontology import KG, ONTOLOGY_DIR, TYPE_CLASS


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "kg.ttl", format="turtle")


def _declared(g: Graph) -> set[str]:
    ns = str(KG._NS)
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {str(s)[len(ns):] for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(ns)}


def test_python_namespace_and_turtle_declare_the_same_terms(ontology):
    in_python = set(KG.__annotations__)
    assert in_python == _declared(ontology)


def test_every_kg_term_used_in_the_ontology_is_declared(ontology):
    ns = str(KG._NS)
    used = {str(t)[len(ns):] for triple in ontology for t in triple if str(t).startswith(ns)}
    assert used <= _declared(ontology)


def test_undeclared_term_raises():
    with pytest.raises(AttributeError):
        KG.visitedd  # noqa: B018


def test_entity_types_map_to_declared_classes(ontology):
    for cls in TYPE_CLASS.values():
        assert (cls, RDF.type, OWL.Class) in ontology


def test_shapes_parse_and_target_kg_classes():
    shapes = Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")
    assert len(shapes) > 50
