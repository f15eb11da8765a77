"""Extraction: Article -> Document -> mentions -> entities and facts.

>>> from kg.model import Article
>>> x = extract(Article(key="t", text="JAKARTA – Delegasi Jepang mengunjungi Graha BNPB di Jakarta, Senin (12/2/2024)."))
>>> sorted(f.rel for f in x.facts if f.rel == "visited")[:1]
['visited']
"""

from __future__ import annotations

from ..model import Article, Document, Extraction

__all__ = ["extract", "extract_document", "clear_caches"]


def extract_document(doc: Document) -> Extraction:
    """Entities, facts and mentions of an analysed document."""
    from .facts import Relations

    r = Relations(doc)
    r.run()
    return Extraction(doc, r.entities_out(), tuple(r.facts), r.mentions_out())


def extract(article: Article) -> Extraction:
    """Analyse an article's text and extract what it reports.

    Raises ``kg.errors.InputError`` when the article has no usable text.
    """
    from ..text import analyse

    return extract_document(analyse(article))


def clear_caches() -> None:
    """Forget what extraction has remembered about the words and names it has seen.

    Extraction keeps bounded tables of folded words, token facts, name keys and name
    comparisons, so that words repeated across articles cost less; the language data and
    compiled rules stay loaded. Clearing them gives the cost of text never seen before
    (``benchmarks/dev_speed.py`` reports both) and frees their memory.
    """
    from . import facts, mentions, rules

    rules._FOLDED.clear()
    mentions._TOK_INFO.clear()
    for f in facts.BOUNDED_CACHES:
        f.cache_clear()
