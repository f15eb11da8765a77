"""The one place that chains the stages.

article -> text -> mentions -> facts -> RDF -> store. Each stage is a function of
the one before; this module wires them and decides what a re-ingest does: an
article whose text, metadata and pipeline are unchanged is left alone; a changed
one has its graph replaced in one atomic write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pyoxigraph import Quad

from . import __version__
from .model import Article, Extraction, Skip
from .paths import DATA_DIR  # data/ of the project, or of an installed wheel
from .rdf import extraction_quads

__all__ = [
    "DATA_DIR",
    "IngestReport",
    "pipeline_version",
    "extract_article",
    "article_quads",
    "ingest_articles",
    "tune_gc",
]

#: The collector's thresholds while extracting (the youngest generation first). Extracting
#: one article makes a few thousand short-lived objects (tokens, chunks, mentions) that
#: reference counting frees when the article is done; with Python's default (700) the
#: collector runs about once an article and spends some 3% of the time walking them.
GC_THRESHOLDS = (10_000, 20, 20)


def tune_gc() -> None:
    """Size the garbage collector for extraction (:data:`GC_THRESHOLDS`).

    A setting of the whole process, so the library's functions never make it: the ``kg``
    command and its worker processes do, and ``benchmarks/dev_speed.py`` times extraction
    the same way.
    """
    import gc

    gc.set_threshold(*GC_THRESHOLDS)



@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Fingerprint of the code version and all rule data (``data/lang``, ``data/gazetteers``).

    Stored with each article graph: when the rules change, a re-ingest re-extracts.
    """
    h = hashlib.sha256(__version__.encode())
    for sub in ("lang", "gazetteers"):
        folder = DATA_DIR / sub
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    h.update(f.name.encode() + b"\0" + f.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def extract_article(article: Article) -> Extraction:
    """Text analysis, mentions and facts for one article."""
    from .extract import extract

    return extract(article)


def article_quads(extraction: Extraction, *, iri_of=None) -> list[Quad]:
    """The quads of an extraction's article graph (with the pipeline fingerprint)."""
    return extraction_quads(extraction, pipeline_version=pipeline_version(), iri_of=iri_of)


@dataclass
class IngestReport:
    """What an ingest run did."""

    ingested: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    quads: int = 0
    facts: int = 0

    @property
    def seen(self) -> int:
        return len(self.ingested) + len(self.replaced) + len(self.unchanged) + len(self.skipped)


def ingest_articles(
    items: Iterable[Article | Extraction | Skip],
    store,
    *,
    on_item: Callable[[Article | Extraction | Skip, str], None] | None = None,
    iri_of=None,
    resolver=None,
) -> IngestReport:
    """Extract and store each article; skip what cannot be read, with the reason.

    Items are articles (extracted here), extractions already made by a structured
    importer (e.g. visit records), or skips from a reader. ``iri_of`` maps an
    entity to its IRI (a resolver with analyst judgements; default
    :func:`kg.resolve.entity_iri`). ``on_item(item, outcome)`` is called after each
    item with outcome one of ``ingested``, ``replaced``, ``unchanged``,
    ``skipped`` (for progress bars). A ``resolver`` (:class:`kg.resolve.Resolver`)
    resolves each article's entities together, against what the store knows and
    the analyst's judgements; it takes precedence over ``iri_of``.
    """
    from .parallel import ingest_parallel  # the one implementation; one process here

    return ingest_parallel(items, store, workers=1, on_item=on_item, iri_of=iri_of, resolver=resolver)
