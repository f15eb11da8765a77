"""kg: a knowledge graph of diplomatic visits, built from news articles and visit records.

The pipeline is one straight line::

    article -> text -> mentions -> facts -> RDF -> store -> (query | analytics | export | HTML)

``kg.pipeline`` is the one place that chains the stages.
"""

__version__ = "0.1.0"
