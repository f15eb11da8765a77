"""Facts -> RDF: one named graph per article, every fact with its evidence.

The writer never re-reads text: it turns an ``Extraction`` into quads of the
article's graph. Layout (prefixes as in ``kg.ontology``):

* the article: ``kg:Article`` with headline, date, site, URL, language, hash, text;
* entities: typed, ``rdfs:label``, ``skos:altLabel`` aliases, ``kg:country``;
* n-ary nodes: ``kg:Visit`` (visitor, destination, dates, hosts, companions,
  members) beside a direct ``kg:visited`` edge; ``kg:Meeting``; ``org:Membership``
  with its ``org:role`` beside ``org:memberOf``; ``schema:Quotation`` with its
  ``schema:creator``;
* provenance: every fact is also a ``kg:Statement`` (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object`` or ``kg:value``) derived from a
  ``kg:EvidenceSpan`` (sentence text, character offsets, article).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, Quad

from .model import Article, Extraction, Fact
from .names import slug
from .ontology import FOAF, ID, KG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TYPE_CLASS, XSD
from .resolve import country_iri, entity_iri

__all__ = ["article_iri", "extraction_quads", "RELATION_PREDICATE", "STANDARD_CLASS"]


def _n(iri: object) -> NamedNode:
    return NamedNode(str(iri))


#: Direct edge written for each entity relation.
RELATION_PREDICATE: dict[str, str] = {
    "visited": str(KG.visited),
    "metWith": str(KG.metWith),
    "memberOf": str(ORG.memberOf),
    "sentBy": str(KG.sentBy),
    "represents": str(KG.represents),
    "hostedBy": str(KG.hostedBy),
    "accompaniedBy": str(KG.accompaniedBy),
    "locatedIn": str(KG.locatedIn),
    "partOf": str(KG.partOf),
    "role": str(ORG.role),
    "said": str(SCHEMA.creator),
}

#: A standard class written beside the kg class, for tools that know only those.
STANDARD_CLASS: dict[str, str] = {
    "Person": str(FOAF.Person),
    "Organization": str(ORG.Organization),
    "Delegation": str(ORG.Organization),
    "Facility": str(SCHEMA.Place),
    "Place": str(SCHEMA.Place),
    "Country": str(SCHEMA.Country),
}

_A = _n(RDF.type)
_XSD_DATE = _n(XSD.date)
_XSD_INT = _n(XSD.integer)


def article_iri(article: Article) -> str:
    """The IRI of an article (and of its named graph), stable across versions.

    >>> article_iri(Article(key="000_4c58", text="x"))
    'https://w3id.org/kg-visits/id/article/000-4c58'
    >>> article_iri(Article(key="Łódź", text="x")) != article_iri(Article(key="Lodz", text="x"))
    True
    """
    key = article.key
    plain = key.lower().replace("_", "-").replace(" ", "-")
    if any(c in key for c in "/:?#") or len(key) > 60 or slug(key) != plain:
        # the slug alone would lose information (URL, accents, other scripts):
        # a digest of the key keeps two different keys apart
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        return f"{ID}article/{slug(key, limit=40)}-{digest}"
    return f"{ID}article/{slug(key)}"


def _digest(*parts: object) -> str:
    h = hashlib.sha1("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8"))
    return h.hexdigest()[:16]


def _date(d) -> Literal:
    return Literal(d.isoformat(), datatype=_XSD_DATE)


def extraction_quads(
    extraction: Extraction, *, pipeline_version: str = "", iri_of=None
) -> list[Quad]:
    """All quads of one article's named graph.

    Parameters
    ----------
    extraction : Extraction
        What was read from the article.
    pipeline_version : str
        Fingerprint of code and rule data, stored so a changed pipeline re-extracts.
    iri_of : callable, optional
        Entity -> IRI; defaults to :func:`kg.resolve.entity_iri` (a resolver with
        analyst judgements passes its own).
    """
    iri_of = iri_of or entity_iri
    doc = extraction.document
    art = doc.article
    g = _n(article_iri(art))
    out: list[Quad] = []

    def add(s, p, o) -> None:
        out.append(Quad(s, p if isinstance(p, NamedNode) else _n(p), o, g))

    # -- the article
    add(g, _A, _n(KG.Article))
    add(g, KG.sourceKey, Literal(art.key))
    add(g, KG.contentHash, Literal(art.content_hash))
    if pipeline_version:
        add(g, KG.pipelineVersion, Literal(pipeline_version))
    title = doc.title or art.title
    if title:
        add(g, SCHEMA.headline, Literal(title))
    published = doc.published or art.published
    if published:
        add(g, SCHEMA.datePublished, _date(published))
    source = doc.source or art.source
    if source:
        add(g, KG.sourceSite, Literal(source))
    if art.url:
        add(g, SCHEMA.url, Literal(art.url))
    add(g, SCHEMA.inLanguage, Literal(doc.lang))
    add(g, SCHEMA.text, Literal(art.text))

    # -- entities
    iris: dict[str, NamedNode] = {}
    types: dict[str, tuple[str, ...]] = {}
    for ent in extraction.entities:
        node = _n(iri_of(ent))
        iris[ent.key] = node
        types[ent.key] = ent.types
        for t in ent.types:
            add(node, _A, _n(TYPE_CLASS[t]))
            add(node, _A, _n(STANDARD_CLASS[t]))
        add(node, RDFS.label, Literal(ent.name))
        for alias in ent.aliases:
            if alias != ent.name:
                add(node, SKOS.altLabel, Literal(alias))
        if ent.country:
            code = ent.country.upper()
            if ent.type == "Country":
                add(node, KG.isoCode, Literal(code))
            else:
                cnode = _n(country_iri(code))
                add(node, KG.country, cnode)
                add(cnode, KG.isoCode, Literal(code))
        add(node, PROV.wasDerivedFrom, g)

    # -- evidence spans
    def spans(fact: Fact) -> list[NamedNode]:
        nodes = []
        for ev in fact.evidence:
            if ev.end <= ev.start:  # no sentence: written without evidence, flagged by kg validate
                continue
            span = _n(f"{g.value}/span/{ev.start}-{ev.end}")
            add(span, _A, _n(KG.EvidenceSpan))
            add(span, SCHEMA.text, Literal(ev.text))
            add(span, KG.startOffset, Literal(str(ev.start), datatype=_XSD_INT))
            add(span, KG.endOffset, Literal(str(ev.end), datatype=_XSD_INT))
            add(span, KG.inArticle, g)
            nodes.append(span)
        return nodes

    # context for n-ary visits: hosts, companions and members of each visitor
    hosts: dict[str, list[str]] = defaultdict(list)
    companions: dict[str, list[str]] = defaultdict(list)
    members: dict[str, list[str]] = defaultdict(list)
    for f in extraction.facts:
        if f.obj is None or f.subj not in iris or f.obj not in iris:
            continue
        if f.rel == "hostedBy":
            hosts[f.subj].append(f.obj)
        elif f.rel == "accompaniedBy":
            companions[f.subj].append(f.obj)
        elif f.rel == "memberOf" and "Delegation" in types.get(f.obj, ()):
            members[f.obj].append(f.subj)

    seen_statements: set[str] = set()
    for f in extraction.facts:
        s = iris.get(f.subj)
        if s is None:
            continue
        o = iris.get(f.obj) if f.obj is not None else None
        if f.obj is not None and o is None:
            continue
        about: NamedNode | None = None
        key = _digest(f.rel, s.value, o.value if o else None, f.value, f.date, f.end_date, f.org, f.planned)
        if f.rel == "visited":
            about = _n(f"{g.value}/visit/{key}")
            add(about, _A, _n(KG.PlannedVisit if f.planned else KG.Visit))
            add(about, KG.visitor, s)
            add(about, KG.destination, o)
            if f.date:
                add(about, SCHEMA.startDate, _date(f.date))
            if f.end_date:
                add(about, SCHEMA.endDate, _date(f.end_date))
            for h in hosts.get(f.subj, ()):
                add(about, KG.host, iris[h])
            for c in companions.get(f.subj, ()):
                add(about, KG.companion, iris[c])
            for m in members.get(f.subj, ()):
                add(about, KG.participant, iris[m])
            if not f.planned:
                add(s, KG.visited, o)
        elif f.rel == "metWith":
            about = _n(f"{g.value}/meeting/{key}")
            add(about, _A, _n(KG.PlannedVisit if f.planned else KG.Meeting))
            add(about, KG.participant, s)
            add(about, KG.participant, o)
            if f.date:
                add(about, SCHEMA.startDate, _date(f.date))
            if not f.planned:
                add(s, KG.metWith, o)
        elif f.rel == "memberOf":
            about = _n(f"{g.value}/membership/{_digest(s.value, o.value)}")
            add(about, _A, _n(ORG.Membership))
            add(about, ORG.member, s)
            add(about, ORG.organization, o)
            add(s, ORG.memberOf, o)
        elif f.rel == "role":
            if not f.value:
                continue
            org_node = iris.get(f.org) if f.org else None
            about = _n(f"{g.value}/membership/{_digest(s.value, org_node.value if org_node else None)}")
            add(about, _A, _n(ORG.Membership))
            add(about, ORG.member, s)
            if org_node is not None:
                add(about, ORG.organization, org_node)
            role = _n(f"{ID}role/{slug(f.value)}")
            add(role, _A, _n(ORG.Role))
            add(role, RDFS.label, Literal(f.value))
            add(about, ORG.role, role)
        elif f.rel == "said":
            if not f.value:
                continue
            about = _n(f"{g.value}/quote/{key}")
            add(about, _A, _n(SCHEMA.Quotation))
            add(about, SCHEMA.creator, s)
            add(about, SCHEMA.text, Literal(f.value))
        elif f.rel in RELATION_PREDICATE:
            add(s, RELATION_PREDICATE[f.rel], o)
            if f.rel == "partOf" and "Organization" in types.get(f.subj, ()) and "Organization" in types.get(f.obj, ()):
                add(s, ORG.subOrganizationOf, o)
        else:
            continue

        st = _n(f"{g.value}/fact/{key}")
        span_nodes = spans(f)
        if about is not None:
            for span in span_nodes:
                add(about, PROV.wasDerivedFrom, span)
        if st.value in seen_statements:
            continue
        seen_statements.add(st.value)
        add(st, _A, _n(KG.Statement))
        add(st, KG.relation, Literal(f.rel))
        add(st, RDF.subject, s)
        add(st, RDF.predicate, _n(RELATION_PREDICATE[f.rel]))
        if o is not None:
            add(st, RDF.object, o)
        if f.value:
            add(st, KG.value, Literal(f.value))
        if about is not None:
            add(st, KG.about, about)
        for span in span_nodes:
            add(st, PROV.wasDerivedFrom, span)
        rules = sorted({ev.rule for ev in f.evidence})
        for r in rules:
            add(st, KG.rule, Literal(r))
    return list(dict.fromkeys(out))


def graph_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Deduplicated list of quads (order kept)."""
    return list(dict.fromkeys(quads))
