"""Facts -> RDF: one named graph per article, every fact with its evidence.

The writer never re-reads text: it turns an ``Extraction`` into quads of the
article's graph. Layout (prefixes as in ``kg.ontology``):

* the article: ``kg:Article`` with headline, date, site, URL, language, hash, text;
* entities: typed, ``rdfs:label``, ``skos:altLabel`` aliases, ``kg:country``;
* n-ary nodes: ``kg:Visit`` (visitor, destination, dates, hosts, companions,
  members) beside a direct ``kg:visited`` edge; ``kg:Meeting``; ``org:Membership``
  with its ``org:role`` beside ``org:memberOf``; ``schema:Quotation`` with its
  ``schema:creator``;
* derived: each visit's ``kg:fromCountry`` and ``kg:toCountry`` (country nodes,
  by the rules of :func:`visit_countries`), so queries by country need no joins;
* provenance: every fact is also a ``kg:Statement`` (``rdf:subject``,
  ``rdf:predicate``, ``rdf:object`` or ``kg:value``) derived from a
  ``kg:EvidenceSpan`` (sentence text, character offsets, article).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from pyoxigraph import NamedNode, Quad, RdfFormat, parse

from .model import Article, Extraction, Fact
from .names import slug
from .ontology import FOAF, ID, KG, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, TYPE_CLASS, XSD
from .resolve import country_iri, entity_iri

__all__ = ["article_iri", "extraction_quads", "extraction_nquads", "RELATION_PREDICATE", "STANDARD_CLASS"]


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


def _iri(iri: object) -> str:
    """An IRI as an N-Quads term."""
    return f"<{iri}>"


def _lit(value: str) -> str:
    """A plain literal as an N-Quads term (only what N-Quads requires is escaped)."""
    if "\\" in value or '"' in value or "\n" in value or "\r" in value:
        value = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{value}"'


_XSD_DATE_T = _iri(XSD.date)
_XSD_INT_T = _iri(XSD.integer)


def _date(d) -> str:
    return f'"{d.isoformat()}"^^{_XSD_DATE_T}'


def _int(n: int) -> str:
    return f'"{n}"^^{_XSD_INT_T}'


class _T:
    """The constant terms of the writer, as N-Quads text, made once."""

    a = _iri(RDF.type)
    Article = _iri(KG.Article)
    EvidenceSpan = _iri(KG.EvidenceSpan)
    Visit = _iri(KG.Visit)
    PlannedVisit = _iri(KG.PlannedVisit)
    Meeting = _iri(KG.Meeting)
    Statement = _iri(KG.Statement)
    Membership = _iri(ORG.Membership)
    Role = _iri(ORG.Role)
    Quotation = _iri(SCHEMA.Quotation)
    sourceKey = _iri(KG.sourceKey)
    contentHash = _iri(KG.contentHash)
    pipelineVersion = _iri(KG.pipelineVersion)
    headline = _iri(SCHEMA.headline)
    datePublished = _iri(SCHEMA.datePublished)
    sourceSite = _iri(KG.sourceSite)
    url = _iri(SCHEMA.url)
    inLanguage = _iri(SCHEMA.inLanguage)
    text = _iri(SCHEMA.text)
    label = _iri(RDFS.label)
    altLabel = _iri(SKOS.altLabel)
    isoCode = _iri(KG.isoCode)
    country = _iri(KG.country)
    wasDerivedFrom = _iri(PROV.wasDerivedFrom)
    startOffset = _iri(KG.startOffset)
    endOffset = _iri(KG.endOffset)
    inArticle = _iri(KG.inArticle)
    visitor = _iri(KG.visitor)
    destination = _iri(KG.destination)
    startDate = _iri(SCHEMA.startDate)
    endDate = _iri(SCHEMA.endDate)
    host = _iri(KG.host)
    companion = _iri(KG.companion)
    participant = _iri(KG.participant)
    visited = _iri(KG.visited)
    metWith = _iri(KG.metWith)
    member = _iri(ORG.member)
    organization = _iri(ORG.organization)
    memberOf = _iri(ORG.memberOf)
    role = _iri(ORG.role)
    creator = _iri(SCHEMA.creator)
    subOrganizationOf = _iri(ORG.subOrganizationOf)
    relation = _iri(KG.relation)
    subject = _iri(RDF.subject)
    predicate = _iri(RDF.predicate)
    object = _iri(RDF.object)
    value = _iri(KG.value)
    about = _iri(KG.about)
    rule = _iri(KG.rule)
    fromCountry = _iri(KG.fromCountry)
    toCountry = _iri(KG.toCountry)


#: Entity type -> its kg class and its standard class.
_TYPE_TERMS: dict[str, tuple[str, str]] = {t: (_iri(TYPE_CLASS[t]), _iri(STANDARD_CLASS[t])) for t in TYPE_CLASS}
_RELATION_TERM: dict[str, str] = {rel: _iri(iri) for rel, iri in RELATION_PREDICATE.items()}
_ROLE_BASE = f"{ID}role/"


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
    data, _ = extraction_nquads(extraction, pipeline_version=pipeline_version, iri_of=iri_of)
    return list(parse(data, format=RdfFormat.N_QUADS))


def extraction_nquads(extraction: Extraction, *, pipeline_version: str = "", iri_of=None) -> tuple[bytes, int]:
    """The quads of :func:`extraction_quads` as N-Quads (UTF-8), and how many there are.

    What the store writer uses: no Python object per quad (the store parses them).
    """
    lines = _graph_lines(extraction, pipeline_version=pipeline_version, iri_of=iri_of)
    return "".join(lines).encode("utf-8"), len(lines)


def _graph_lines(extraction: Extraction, *, pipeline_version: str = "", iri_of=None) -> list[str]:
    """The article graph as N-Quads lines, each once, in the order written."""
    iri_of = iri_of or entity_iri
    T = _T
    doc = extraction.document
    art = doc.article
    gv = article_iri(art)
    g = _iri(gv)
    tail = f" {g} .\n"
    out: dict[str, None] = {}  # the lines, deduplicated, in order

    def add(s: str, p: str, o: str) -> None:
        out[f"{s} {p} {o}{tail}"] = None

    # -- the article
    add(g, T.a, T.Article)
    add(g, T.sourceKey, _lit(art.key))
    add(g, T.contentHash, _lit(art.content_hash))
    if pipeline_version:
        add(g, T.pipelineVersion, _lit(pipeline_version))
    title = doc.title or art.title
    if title:
        add(g, T.headline, _lit(title))
    published = doc.published or art.published
    if published:
        add(g, T.datePublished, _date(published))
    source = doc.source or art.source
    if source:
        add(g, T.sourceSite, _lit(source))
    if art.url:
        add(g, T.url, _lit(art.url))
    add(g, T.inLanguage, _lit(doc.lang))
    add(g, T.text, _lit(art.text))

    # what the derived visit countries are read from: node -> objects, in this graph
    links: dict[tuple[str, str], dict[str, None]] = defaultdict(dict)

    # -- entities
    iris: dict[str, str] = {}  # entity key -> IRI
    terms: dict[str, str] = {}  # entity key -> <IRI>
    types: dict[str, tuple[str, ...]] = {}
    for ent in extraction.entities:
        iri = iri_of(ent)
        node = _iri(NamedNode(iri).value)  # checked as an IRI here, not when the store parses the graph
        iris[ent.key] = iri
        terms[ent.key] = node
        types[ent.key] = ent.types
        for t in ent.types:
            kg_class, std_class = _TYPE_TERMS[t]
            add(node, T.a, kg_class)
            add(node, T.a, std_class)
        add(node, T.label, _lit(ent.name))
        for alias in ent.aliases:
            if alias != ent.name:
                add(node, T.altLabel, _lit(alias))
        if ent.country:
            code = ent.country.upper()
            if ent.type == "Country":
                add(node, T.isoCode, _lit(code))
                links[node, "iso"][code] = None
            else:
                cnode = _iri(NamedNode(country_iri(code)).value)
                add(node, T.country, cnode)
                add(cnode, T.isoCode, _lit(code))
                links[node, "country"][cnode] = None
                links[cnode, "iso"][code] = None
        add(node, T.wasDerivedFrom, g)

    # -- evidence spans
    span_base = f"{gv}/span/"

    def spans(fact: Fact) -> list[str]:
        nodes = []
        for ev in fact.evidence:
            if ev.end <= ev.start:  # no sentence: written without evidence, flagged by kg validate
                continue
            span = f"<{span_base}{ev.start}-{ev.end}>"
            add(span, T.a, T.EvidenceSpan)
            add(span, T.text, _lit(ev.text))
            add(span, T.startOffset, _int(ev.start))
            add(span, T.endOffset, _int(ev.end))
            add(span, T.inArticle, g)
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
    visits: list[tuple[str, str, str]] = []  # (visit, visitor, destination)
    for f in extraction.facts:
        s_iri = iris.get(f.subj)
        if s_iri is None:
            continue
        o_iri = iris.get(f.obj) if f.obj is not None else None
        if f.obj is not None and o_iri is None:
            continue
        s = terms[f.subj]
        o = terms[f.obj] if o_iri is not None else None
        rel = f.rel
        about: str | None = None
        key = _digest(rel, s_iri, o_iri, f.value, f.date, f.end_date, f.org, f.planned)
        if rel == "visited":
            about = f"<{gv}/visit/{key}>"
            add(about, T.a, T.PlannedVisit if f.planned else T.Visit)
            add(about, T.visitor, s)
            add(about, T.destination, o)
            if f.date:
                add(about, T.startDate, _date(f.date))
            if f.end_date:
                add(about, T.endDate, _date(f.end_date))
            for h in hosts.get(f.subj, ()):
                add(about, T.host, terms[h])
            for c in companions.get(f.subj, ()):
                add(about, T.companion, terms[c])
            for m in members.get(f.subj, ()):
                add(about, T.participant, terms[m])
            if not f.planned:
                add(s, T.visited, o)
            visits.append((about, s, o))
        elif rel == "metWith":
            about = f"<{gv}/meeting/{key}>"
            add(about, T.a, T.PlannedVisit if f.planned else T.Meeting)
            add(about, T.participant, s)
            add(about, T.participant, o)
            if f.date:
                add(about, T.startDate, _date(f.date))
            if not f.planned:
                add(s, T.metWith, o)
        elif rel == "memberOf":
            about = f"<{gv}/membership/{_digest(s_iri, o_iri)}>"
            add(about, T.a, T.Membership)
            add(about, T.member, s)
            add(about, T.organization, o)
            add(s, T.memberOf, o)
            links[s, "memberOf"][o] = None
        elif rel == "role":
            if not f.value:
                continue
            org_iri = iris.get(f.org) if f.org else None
            about = f"<{gv}/membership/{_digest(s_iri, org_iri)}>"
            add(about, T.a, T.Membership)
            add(about, T.member, s)
            if org_iri is not None:
                add(about, T.organization, terms[f.org])
            role = f"<{_ROLE_BASE}{slug(f.value)}>"
            add(role, T.a, T.Role)
            add(role, T.label, _lit(f.value))
            add(about, T.role, role)
        elif rel == "said":
            if not f.value:
                continue
            about = f"<{gv}/quote/{key}>"
            add(about, T.a, T.Quotation)
            add(about, T.creator, s)
            add(about, T.text, _lit(f.value))
        elif rel in _RELATION_TERM:
            add(s, _RELATION_TERM[rel], o)
            if rel in ("sentBy", "locatedIn"):
                links[s, rel][o] = None
            if rel == "partOf" and "Organization" in types.get(f.subj, ()) and "Organization" in types.get(f.obj, ()):
                add(s, T.subOrganizationOf, o)
        else:
            continue

        st = f"<{gv}/fact/{key}>"
        span_nodes = spans(f)
        if about is not None:
            for span in span_nodes:
                add(about, T.wasDerivedFrom, span)
        if st in seen_statements:
            continue
        seen_statements.add(st)
        add(st, T.a, T.Statement)
        add(st, T.relation, _lit(rel))
        add(st, T.subject, s)
        add(st, T.predicate, _RELATION_TERM[rel])
        if o is not None:
            add(st, T.object, o)
        if f.value:
            add(st, T.value, _lit(f.value))
        if about is not None:
            add(st, T.about, about)
        for span in span_nodes:
            add(st, T.wasDerivedFrom, span)
        for r in sorted({ev.rule for ev in f.evidence}):
            add(st, T.rule, _lit(r))

    # -- derived: the countries of each visit (see visit_countries)
    for visit, visitor, dest in visits:
        from_codes, to_codes = visit_countries(visitor, dest, lambda node, what: links.get((node, what), ()))
        for code in from_codes:
            add(visit, T.fromCountry, _iri(NamedNode(country_iri(code)).value))
        for code in to_codes:
            add(visit, T.toCountry, _iri(NamedNode(country_iri(code)).value))
    return list(out)


def visit_countries(visitor: str, dest: str, linked) -> tuple[list[str], list[str]]:
    """The ISO codes of the country a visit came from and of the one it went to.

    From: the visitor's own country (``kg:country``); else that of the body that
    sent it (``kg:sentBy``); else that of the body it belongs to (``org:memberOf``).
    To: the destination's code when it is a country itself; else the code of its
    country, or of the country of the place it lies in (``kg:locatedIn``); else
    the code of that place when it is a country. All as one article graph states
    them: ``linked(node, what)`` gives the objects of ``node`` for ``what`` in
    ``country``, ``iso`` (``kg:isoCode``), ``sentBy``, ``memberOf``, ``locatedIn``.
    Several values give several codes. These are the rules the saved query
    ``country-visit-counts-by-year`` applied at query time before the links were
    written (an OPTIONAL left unmatched is None below, exactly as there).

    >>> links = {("<v>", "sentBy"): ["<org>"], ("<org>", "country"): ["<c/FR>"], ("<c/FR>", "iso"): ["FR"],
    ...          ("<d>", "locatedIn"): ["<city>"], ("<city>", "country"): ["<c/ID>"], ("<c/ID>", "iso"): ["ID"]}
    >>> visit_countries("<v>", "<d>", lambda n, w: links.get((n, w), ()))
    (['FR'], ['ID'])
    """

    def opt(node, what) -> list:
        return list(linked(node, what)) or [None] if node is not None else [None]

    from_codes: dict[str, None] = {}
    for own in opt(visitor, "country"):
        for sender in opt(visitor, "sentBy"):
            for senders in opt(sender, "country"):
                for body in opt(visitor, "memberOf"):
                    for bodys in opt(body, "country"):
                        origin = own or senders or bodys
                        for code in linked(origin, "iso") if origin is not None else ():
                            from_codes[code] = None
    to_codes: dict[str, None] = {}
    for dest_code in opt(dest, "iso"):
        for dest_country in opt(dest, "country"):
            for place in opt(dest, "locatedIn"):
                for in_code in opt(place, "iso"):
                    for in_country in opt(place, "country"):
                        target = dest_country or in_country
                        for to_code in opt(target, "iso"):
                            code = dest_code or to_code or in_code
                            if code:
                                to_codes[code] = None
    return list(from_codes), list(to_codes)


def graph_quads(quads: Iterable[Quad]) -> list[Quad]:
    """Deduplicated list of quads (order kept)."""
    return list(dict.fromkeys(quads))
