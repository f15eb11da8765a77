"""Namespaces and terms of the kg ontology, mirroring ``ontologies/kg.ttl``.

``KG`` is a closed namespace: a term that is not declared here raises, so a typo
fails at once. A test checks that this class and the Turtle file declare the same
terms.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .paths import ONTOLOGY_DIR  # ontologies/ of the project, or of an installed wheel

__all__ = [
    "KG",
    "KGO_IRI",
    "ID",
    "ORG",
    "PROV",
    "SCHEMA",
    "FOAF",
    "SKOS",
    "RDF",
    "RDFS",
    "XSD",
    "DCTERMS",
    "PREFIXES",
    "ONTOLOGY_DIR",
    "sparql_prefixes",
]

KGO_IRI = "https://w3id.org/kg-visits/ontology"


class KG(DefinedNamespace):
    """The project's own terms: only what standard vocabularies lack."""

    _fail = True
    _NS = Namespace("https://w3id.org/kg-visits/ontology#")

    # classes
    Person: URIRef
    Organization: URIRef
    Delegation: URIRef
    Facility: URIRef
    Place: URIRef
    Country: URIRef
    Visit: URIRef
    PlannedVisit: URIRef
    Meeting: URIRef
    Article: URIRef
    Statement: URIRef
    EvidenceSpan: URIRef
    ScoreRecord: URIRef
    # entity relations
    visited: URIRef
    metWith: URIRef
    sentBy: URIRef
    represents: URIRef
    hostedBy: URIRef
    accompaniedBy: URIRef
    locatedIn: URIRef
    partOf: URIRef
    country: URIRef
    isoCode: URIRef
    # visit roles
    visitor: URIRef
    destination: URIRef
    host: URIRef
    companion: URIRef
    participant: URIRef
    visitorRole: URIRef
    # derived at ingest, for queries by country
    fromCountry: URIRef
    toCountry: URIRef
    # provenance
    relation: URIRef
    value: URIRef
    about: URIRef
    rule: URIRef
    startOffset: URIRef
    endOffset: URIRef
    inArticle: URIRef
    contentHash: URIRef
    pipelineVersion: URIRef
    sourceSite: URIRef
    sourceKey: URIRef
    # analytics
    score: URIRef
    measure: URIRef
    view: URIRef
    entity: URIRef


#: Base of the IRIs of data (entities, articles, events).
ID = Namespace("https://w3id.org/kg-visits/id/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

#: Prefixes used in queries, exports and the documentation.
PREFIXES: dict[str, str] = {
    "kg": str(KG._NS),
    "id": str(ID),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcterms": str(DCTERMS),
}

#: kg-facts entity type -> the RDF class written for it.
TYPE_CLASS: dict[str, URIRef] = {
    "Person": KG.Person,
    "Organization": KG.Organization,
    "Delegation": KG.Delegation,
    "Facility": KG.Facility,
    "Place": KG.Place,
    "Country": KG.Country,
}
CLASS_TYPE: dict[str, str] = {str(v): k for k, v in TYPE_CLASS.items()}


def sparql_prefixes() -> str:
    """The PREFIX lines for all namespaces in ``PREFIXES``.

    >>> "PREFIX kg: <https://w3id.org/kg-visits/ontology#>" in sparql_prefixes()
    True
    """
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
