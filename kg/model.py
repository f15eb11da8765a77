"""The data objects passed between pipeline stages: frozen dataclasses only.

Character offsets (``start``, ``end``) always index ``Article.text``, the article's
text exactly as read; cleaning never rewrites that text, it only marks which spans
are content (see ``Document.content``).
"""

from __future__ import annotations

import hashlib
from dataclasses import MISSING, dataclass, field, fields
from datetime import date

__all__ = [
    "ENTITY_TYPES",
    "RELATIONS",
    "Article",
    "Sentence",
    "Document",
    "Mention",
    "Evidence",
    "Entity",
    "Fact",
    "Extraction",
    "Skip",
]

#: Entity types of the kg-facts/1 view (and of the ontology).
ENTITY_TYPES: tuple[str, ...] = (
    "Person",
    "Organization",
    "Delegation",
    "Facility",
    "Place",
    "Country",
)

#: Relations of the kg-facts/1 view.
RELATIONS: tuple[str, ...] = (
    "visited",
    "metWith",
    "memberOf",
    "sentBy",
    "role",
    "represents",
    "hostedBy",
    "accompaniedBy",
    "said",
    "locatedIn",
    "partOf",
)


def one_call_init(cls):
    """Give a frozen dataclass an ``__init__`` that sets all its fields in one call.

    A frozen dataclass's own ``__init__`` sets each field with a call of
    ``object.__setattr__`` (its ``__setattr__`` refuses); this one hands the instance its
    whole ``__dict__`` at once, about twice as fast, for the records made by the thousand
    per article. Same signature, same defaults; the class stays frozen (only for classes
    with plain defaults, no ``default_factory`` and no ``__post_init__``).

    >>> Sentence(0, 5, "Halo.")
    Sentence(start=0, end=5, text='Halo.')
    """
    fs = fields(cls)
    if any(f.default_factory is not MISSING or not f.init for f in fs) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: only plain fields can be set in one call")
    defaults = {f"_d_{f.name}": f.default for f in fs if f.default is not MISSING}
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_d_{f.name}" for f in fs)
    body = ", ".join(f"{f.name!r}: {f.name}" for f in fs)
    scope = {"_set": object.__setattr__, **defaults}
    exec(f"def __init__(self, {params}):\n    _set(self, '__dict__', {{{body}}})\n", scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@dataclass(frozen=True)
class Article:
    """One article (or record) as read from its source, before any analysis.

    ``key`` identifies the article across versions (its URL when known, else the
    file name or record id): a changed article with the same key replaces the old one.
    """

    key: str
    text: str
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    path: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text and the metadata given with it (hex)."""
        h = hashlib.sha256()
        for part in (self.text, self.title, self.published, self.source, self.url, self.lang):
            h.update(b"\x1f" + str(part if part is not None else "").encode("utf-8"))
        return h.hexdigest()


@one_call_init
@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    """An article after text analysis: language, metadata found in the text, sentences.

    ``content`` lists the (start, end) spans of ``article.text`` that are article
    content (site furniture such as view counts, captions and menus excluded).
    """

    article: Article
    lang: str
    title: str | None
    published: date | None
    source: str | None
    content: tuple[tuple[int, int], ...]
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return self.article.text


@one_call_init
@dataclass(frozen=True)
class Mention:
    """A typed span of the article text (a name, title, date, cue word...)."""

    start: int
    end: int
    text: str
    label: str
    entity: str | None = None  # key of the Entity it refers to, once known


@one_call_init
@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence (offsets into Article.text) and the rule."""

    start: int
    end: int
    text: str
    rule: str


@one_call_init
@dataclass(frozen=True)
class Entity:
    """One real-world thing named in an article.

    ``key`` is local to the extraction. ``types`` holds one or more of
    ENTITY_TYPES, most specific first. ``country`` is an ISO 3166-1 alpha-2 code.
    """

    key: str
    types: tuple[str, ...]
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def type(self) -> str:
        return self.types[0]


@one_call_init
@dataclass(frozen=True)
class Fact:
    """One relation between entities (or an entity and a value), with its evidence.

    ``obj`` is an Entity key for entity relations; ``value`` holds text for ``role``
    and ``said``. ``org`` qualifies a ``role``. ``planned`` marks a visit or meeting
    announced for the future: it is stored as a plan, never as a visit.
    """

    rel: str
    subj: str
    obj: str | None = None
    value: str | None = None
    date: date | None = None
    end_date: date | None = None
    org: str | None = None
    planned: bool = False
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one article."""

    document: Document
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    mentions: tuple[Mention, ...] = field(default=(), repr=False)

    @property
    def article(self) -> Article:
        return self.document.article


@dataclass(frozen=True)
class Skip:
    """An input that was not ingested, and why (reported at the end of a run)."""

    path: str
    reason: str
