"""The kg-facts/1 view: one article's named graph read back as facts JSON.

This is a view of the RDF graph, not a second extraction path: ``facts_view``
reads only quads (from a store or straight from ``kg.rdf``) and never sees text.
"""

from __future__ import annotations

from typing import Any

from pyoxigraph import Store

from .model import Extraction
from .ontology import CLASS_TYPE, ID, sparql_prefixes
from .rdf import article_iri, extraction_quads

__all__ = ["facts_view", "facts_view_of_graph", "local_id"]

_PREFIXES = sparql_prefixes()


def local_id(iri: str) -> str:
    """A short id for an entity IRI, used in the facts view.

    >>> local_id("https://w3id.org/kg-visits/id/person/thierry-toutin")
    'person:thierry-toutin'
    """
    if iri.startswith(str(ID)):
        return iri[len(str(ID)) :].replace("/", ":")
    return iri


def _rows(store: Store, graph: str, body: str) -> list[dict[str, Any]]:
    q = _PREFIXES + body.replace("$G", f"<{graph}>")
    res = store.query(q)
    names = [v.value for v in res.variables]
    out = []
    for sol in res:
        row = {}
        for n in names:
            term = sol[n]
            row[n] = None if term is None else term.value
        out.append(row)
    return out


def facts_view_of_graph(store: Store, graph: str) -> dict[str, Any]:
    """The kg-facts/1 dict of the named graph ``graph`` in ``store``."""
    meta = _rows(
        store,
        graph,
        """SELECT ?key ?title ?published ?source ?url ?lang WHERE { GRAPH $G {
             $G a kg:Article ; kg:sourceKey ?key .
             OPTIONAL { $G schema:headline ?title }
             OPTIONAL { $G schema:datePublished ?published }
             OPTIONAL { $G kg:sourceSite ?source }
             OPTIONAL { $G schema:url ?url }
             OPTIONAL { $G schema:inLanguage ?lang } } }""",
    )
    if not meta:
        from .errors import StoreError

        raise StoreError(f"no article graph {graph} in the store")
    m = meta[0]
    article = {
        "id": m["key"],
        "lang": m["lang"],
        "title": m["title"],
        "published": m["published"],
        "source": m["source"],
        "url": m["url"],
    }

    entities: dict[str, dict[str, Any]] = {}
    for r in _rows(
        store,
        graph,
        """SELECT ?e ?cls ?label WHERE { GRAPH $G {
             ?e a ?cls ; rdfs:label ?label .
             FILTER(STRSTARTS(STR(?cls), STR(kg:))) } }""",
    ):
        t = CLASS_TYPE.get(r["cls"])
        if t is None:
            continue
        ent = entities.setdefault(
            r["e"], {"id": local_id(r["e"]), "type": [], "name": r["label"], "aliases": []}
        )
        if t not in ent["type"]:
            ent["type"].append(t)
    order = ["Person", "Organization", "Delegation", "Facility", "Place", "Country"]
    for r in _rows(store, graph, "SELECT ?e ?alt WHERE { GRAPH $G { ?e skos:altLabel ?alt } }"):
        if r["e"] in entities:
            entities[r["e"]]["aliases"].append(r["alt"])
    for r in _rows(
        store,
        graph,
        """SELECT ?e ?code WHERE { GRAPH $G {
             { ?e kg:country/kg:isoCode ?code } UNION { ?e a kg:Country ; kg:isoCode ?code } } }""",
    ):
        if r["e"] in entities:
            entities[r["e"]]["country"] = r["code"]
    for ent in entities.values():
        ent["type"] = sorted(ent["type"], key=order.index)
        if len(ent["type"]) == 1:
            ent["type"] = ent["type"][0]
        ent["aliases"] = sorted(set(ent["aliases"]))

    def eid(iri: str | None) -> str | None:
        return local_id(iri) if iri else None

    facts: list[dict[str, Any]] = []
    for r in _rows(
        store,
        graph,
        """SELECT ?s ?o ?d ?e WHERE { GRAPH $G { ?v a kg:Visit ; kg:visitor ?s ; kg:destination ?o .
             OPTIONAL { ?v schema:startDate ?d } OPTIONAL { ?v schema:endDate ?e } } }""",
    ):
        f = {"rel": "visited", "subj": eid(r["s"]), "obj": eid(r["o"])}
        if r["d"]:
            f["date"] = r["d"]
        if r["e"]:
            f["end_date"] = r["e"]
        facts.append(f)
    for r in _rows(
        store,
        graph,
        """SELECT ?s ?o ?d WHERE { GRAPH $G { ?m a kg:Meeting ; kg:participant ?s, ?o .
             FILTER(STR(?s) < STR(?o)) OPTIONAL { ?m schema:startDate ?d } } }""",
    ):
        f = {"rel": "metWith", "subj": eid(r["s"]), "obj": eid(r["o"])}
        if r["d"]:
            f["date"] = r["d"]
        facts.append(f)
    direct = {
        "memberOf": "org:memberOf",
        "sentBy": "kg:sentBy",
        "represents": "kg:represents",
        "hostedBy": "kg:hostedBy",
        "accompaniedBy": "kg:accompaniedBy",
        "locatedIn": "kg:locatedIn",
        "partOf": "kg:partOf",
    }
    for rel, pred in direct.items():
        for r in _rows(store, graph, f"SELECT ?s ?o WHERE {{ GRAPH $G {{ ?s {pred} ?o }} }}"):
            facts.append({"rel": rel, "subj": eid(r["s"]), "obj": eid(r["o"])})
    for r in _rows(
        store,
        graph,
        """SELECT ?s ?label ?org WHERE { GRAPH $G { ?m a org:Membership ; org:member ?s ;
             org:role/rdfs:label ?label . OPTIONAL { ?m org:organization ?org } } }""",
    ):
        f = {"rel": "role", "subj": eid(r["s"]), "value": r["label"]}
        if r["org"]:
            f["org"] = eid(r["org"])
        facts.append(f)
    for r in _rows(
        store,
        graph,
        """SELECT ?s ?text WHERE { GRAPH $G { ?q a schema:Quotation ; schema:creator ?s ;
             schema:text ?text } }""",
    ):
        facts.append({"rel": "said", "subj": eid(r["s"]), "value": r["text"]})

    facts.sort(key=lambda f: (f["rel"], f["subj"] or "", f.get("obj") or "", f.get("value") or ""))
    return {
        "format": "kg-facts/1",
        "article": article,
        "entities": sorted(entities.values(), key=lambda e: e["id"]),
        "facts": facts,
    }


def facts_view(extraction: Extraction) -> dict[str, Any]:
    """The kg-facts/1 dict of one extraction, read back from its RDF quads."""
    store = Store()
    store.extend(extraction_quads(extraction))
    return facts_view_of_graph(store, article_iri(extraction.article))


