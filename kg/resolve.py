"""Entity resolution: from an extracted entity to its IRI in the graph.

IRIs are deterministic: type + normalised canonical name (ISO code for countries),
so the same name gives the same node across articles and runs. Judgements an
analyst made (``kg resolve``) are applied here, on every ingest.
"""

from __future__ import annotations

from .model import Entity
from .names import slug
from .ontology import ID

__all__ = ["entity_iri", "type_segment"]

_SEGMENT = {
    "Person": "person",
    "Organization": "org",
    "Delegation": "delegation",
    "Facility": "facility",
    "Place": "place",
    "Country": "country",
}


def type_segment(entity_type: str) -> str:
    """The IRI path segment of an entity type.

    >>> type_segment("Organization")
    'org'
    """
    return _SEGMENT.get(entity_type, "thing")


def entity_iri(entity: Entity) -> str:
    """The IRI of an entity, from its type and canonical name.

    >>> entity_iri(Entity("c", ("Country",), "France", country="FR"))
    'https://w3id.org/kg-visits/id/country/FR'
    >>> entity_iri(Entity("p", ("Person",), "Thierry Toutin"))
    'https://w3id.org/kg-visits/id/person/thierry-toutin'
    """
    if entity.type == "Country" and entity.country:
        return f"{ID}country/{entity.country.upper()}"
    return f"{ID}{type_segment(entity.type)}/{slug(entity.name)}"


def country_iri(code: str) -> str:
    """The IRI of a country from its ISO 3166-1 alpha-2 code."""
    return f"{ID}country/{code.upper()}"
