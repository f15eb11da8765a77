"""Analytics: RDF -> networkx projections and the measures computed on them.

One family of measures per module: ``projection`` (views of the store),
``centrality``, ``communities``, ``brokers``, ``paths`` (shortest connection with
evidence, ego networks), ``timeline``, ``scores`` (write results back as RDF) and
``summary``. Graphs in, plain data out.
"""

from .projection import (
    VIEWS,
    countries_graph,
    edge_evidence,
    entity_graph,
    orgs_graph,
    people_graph,
    simple_graph,
    view_graph,
)

__all__ = [
    "VIEWS",
    "entity_graph",
    "countries_graph",
    "people_graph",
    "orgs_graph",
    "view_graph",
    "simple_graph",
    "edge_evidence",
]
