"""Analytics: RDF -> networkx projections and the measures computed on them."""

from .projection import entity_graph

__all__ = ["entity_graph"]
