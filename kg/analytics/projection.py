"""Project the RDF store onto networkx graphs.

The entity graph has one node per typed entity (label, type, types, country -- the
ISO code of the country it is most often linked to --, aliases, roles, mentions) and
one edge per (subject, relation, object), weighted by the number of articles/records
that support it, with the first and last dates seen.
Derived views:

* :func:`countries_graph` -- country -> country visits (directed, weighted, per year);
* :func:`people_graph` -- person -- person co-participation in visits and meetings;
* :func:`orgs_graph` -- organisation -- organisation contacts (through their people,
  delegations, and direct relations).

Queries are written for speed on large stores: no label joins under ``GROUP BY``;
dates and labels are joined in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from ..errors import InputError
from ..ontology import CLASS_TYPE, sparql_prefixes

__all__ = [
    "EDGE_PREDICATES",
    "VIEWS",
    "entity_graph",
    "countries_graph",
    "people_graph",
    "orgs_graph",
    "view_graph",
    "simple_graph",
    "edge_evidence",
    "BULK_EVIDENCE_PAIRS",
]

#: relation name -> SPARQL predicate of the direct edges projected.
EDGE_PREDICATES: dict[str, str] = {
    "visited": "kg:visited",
    "metWith": "kg:metWith",
    "memberOf": "org:memberOf",
    "sentBy": "kg:sentBy",
    "represents": "kg:represents",
    "hostedBy": "kg:hostedBy",
    "accompaniedBy": "kg:accompaniedBy",
    "locatedIn": "kg:locatedIn",
    "partOf": "kg:partOf",
}

#: The analytics views.
VIEWS: tuple[str, ...] = ("entity", "countries", "people", "orgs")

_PRE = sparql_prefixes()
_TYPE_ORDER = ["Person", "Organization", "Delegation", "Facility", "Place", "Country"]

_TYPES = """SELECT DISTINCT ?e ?cls WHERE { GRAPH ?g { ?e a ?cls .
  FILTER(?cls IN (kg:Person, kg:Organization, kg:Delegation, kg:Facility, kg:Place, kg:Country)) } }"""
_LABELS = """SELECT ?e ?l (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e rdfs:label ?l ; prov:wasDerivedFrom ?g } }
  GROUP BY ?e ?l"""
# country links and ISO codes as two index scans joined in Python (one property-path
# query with a UNION took 5-8x the CPU at 1M triples)
_COUNTRY_OF = """SELECT ?e ?k (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e kg:country ?k } } GROUP BY ?e ?k"""
_ISO_CODES = """SELECT DISTINCT ?k ?c WHERE { GRAPH ?g { ?k kg:isoCode ?c } }"""
_ALIASES = """SELECT DISTINCT ?e ?alt WHERE { GRAPH ?g { ?e skos:altLabel ?alt } }"""
_ROLES = """SELECT DISTINCT ?e ?r WHERE { GRAPH ?g { ?m org:role ?ro ; org:member ?e . ?ro rdfs:label ?r } }"""
_MENTIONS = """SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e prov:wasDerivedFrom ?g } } GROUP BY ?e"""
_VISITS = """SELECT ?g ?v ?s ?o ?d WHERE { GRAPH ?g { ?v a kg:Visit ; kg:visitor ?s ; kg:destination ?o .
  OPTIONAL { ?v schema:startDate ?d } } }"""
_EVENT_PEOPLE = """SELECT ?g ?v ?p ?d WHERE { GRAPH ?g {
  { ?v a kg:Visit ; kg:visitor|kg:host|kg:companion|kg:participant ?p }
  UNION { ?v a kg:Meeting ; kg:participant ?p }
  OPTIONAL { ?v schema:startDate ?d } } }"""


def _rows(store, query: str) -> Iterable:
    return store.query(_PRE + query)


def _val(term) -> str | None:
    return None if term is None else term.value


def _cached(store, base: nx.Graph, name: str, query: str, fields: tuple[str, ...]) -> list[tuple]:
    """Rows of a query, kept on ``base.graph`` so several views share one run."""
    cache = base.graph.setdefault("_rows", {})
    if name not in cache:
        cache[name] = [tuple(_val(r[f]) for f in fields) for r in _rows(store, query)]
    return cache[name]


def _edges_query() -> str:
    values = " ".join(f'("{rel}" {pred})' for rel, pred in EDGE_PREDICATES.items())
    return f"""SELECT ?s ?rel ?o (COUNT(DISTINCT ?g) AS ?n) WHERE {{
  VALUES (?rel ?p) {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?s ?rel ?o"""


def _span(dates: Iterable[str]) -> tuple[str | None, str | None]:
    ds = [d for d in dates if d]
    return (min(ds), max(ds)) if ds else (None, None)


def entity_graph(store) -> nx.MultiDiGraph:
    """The entity graph of everything in ``store``.

    Nodes are entity IRIs with ``label``, ``type`` (most specific), ``types``,
    ``country`` (ISO code), ``aliases``, ``roles`` and ``mentions`` (number of
    articles/records naming it); edges (keyed by relation) carry ``rel``, ``weight``
    (supporting articles/records) and ``first``/``last`` dates when known.

    Examples
    --------
    >>> from kg.store import EmbeddedStore
    >>> entity_graph(EmbeddedStore()).number_of_nodes()
    0
    """
    g = nx.MultiDiGraph()
    for r in _rows(store, _TYPES):
        iri, t = r["e"].value, CLASS_TYPE.get(r["cls"].value)
        if t is None:
            continue
        if iri in g:
            types = g.nodes[iri]["types"]
            if t not in types:
                types.append(t)
                types.sort(key=_TYPE_ORDER.index)
                g.nodes[iri]["type"] = types[0]
            continue
        g.add_node(iri, label=iri.rsplit("/", 1)[-1], type=t, types=[t], country=None, aliases=[], roles=[], mentions=0)
    best: dict[str, tuple[int, str]] = {}
    for r in _rows(store, _LABELS):
        iri = r["e"].value
        if iri in g:
            n, label = int(r["n"].value), r["l"].value
            if iri not in best or (n, label) > best[iri]:
                best[iri] = (n, label)
    for iri, (_, label) in best.items():
        g.nodes[iri]["label"] = label
    codes: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _ISO_CODES):
        codes[r["k"].value].add(r["c"].value)
    linked: dict[str, Counter[str]] = defaultdict(Counter)
    for r in _rows(store, _COUNTRY_OF):
        iri = r["e"].value
        if iri in g:
            for c in codes.get(r["k"].value, ()):
                linked[iri][c] += int(r["n"].value)
    for iri, d in g.nodes(data=True):
        # a country's own code; else the code of the country it is most often linked
        # to (ties: the smallest code), so the choice does not depend on row order
        own = codes.get(iri) if "Country" in d["types"] else None
        if own:
            d["country"] = min(own)
        elif iri in linked:
            d["country"] = min(linked[iri].items(), key=lambda kv: (-kv[1], kv[0]))[0]
    for r in _rows(store, _ALIASES):
        iri = r["e"].value
        if iri in g:
            g.nodes[iri]["aliases"].append(r["alt"].value)
    for r in _rows(store, _ROLES):
        iri = r["e"].value
        if iri in g:
            g.nodes[iri]["roles"].append(r["r"].value)
    for r in _rows(store, _MENTIONS):
        iri = r["e"].value
        if iri in g:
            g.nodes[iri]["mentions"] = int(r["n"].value)
    for _, d in g.nodes(data=True):
        d["aliases"] = sorted(set(d["aliases"]) - {d["label"]})
        d["roles"] = sorted(set(d["roles"]))

    # dates of visits and meetings, joined here rather than in the edge query
    dates: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for _g, _v, s, o, d in _cached(store, g, "visits", _VISITS, ("g", "v", "s", "o", "d")):
        if d is not None:
            dates[(s, "visited", o)].append(d)
    meetings: dict[str, list[str]] = defaultdict(list)
    meeting_date: dict[str, str] = {}
    for r in _rows(store, "SELECT ?m ?p ?d WHERE { GRAPH ?g { ?m a kg:Meeting ; kg:participant ?p . OPTIONAL { ?m schema:startDate ?d } } }"):
        meetings[r["m"].value].append(r["p"].value)
        if r["d"] is not None:
            meeting_date[r["m"].value] = r["d"].value
    for m, d in meeting_date.items():
        for a, b in combinations(meetings[m], 2):
            dates[(a, "metWith", b)].append(d)
            dates[(b, "metWith", a)].append(d)

    for r in _rows(store, _edges_query()):
        s, rel, o = r["s"].value, r["rel"].value, r["o"].value
        if s not in g or o not in g:
            continue
        first, last = _span(dates.get((s, rel, o), ()))
        g.add_edge(s, o, key=rel, rel=rel, weight=int(r["n"].value), first=first, last=last)
    return g


def _copy_node(target: nx.Graph, base: nx.MultiDiGraph, n: str) -> None:
    if n not in target:
        target.add_node(n, **{k: (list(v) if isinstance(v, list) else v) for k, v in base.nodes[n].items()})


def countries_graph(store, *, base: nx.MultiDiGraph | None = None, years: tuple[int, int] | None = None) -> nx.DiGraph:
    """Country -> country visits: an edge from the visitor's country to the destination's.

    A visit's countries are the visitor's ``kg:country`` (or the visitor itself when
    it is a country) and the destination's (itself when a country). Edges carry
    ``weight`` (visits), ``by_year`` ({year: visits}), ``first``/``last`` dates and
    ``rel`` = "visits"; nodes the country's attributes plus ``visits_out``/``visits_in``.
    ``years=(from, to)`` keeps visits in that range (inclusive).
    """
    base = base if base is not None else entity_graph(store)
    country_of: dict[str, str] = {}
    code_node: dict[str, str] = {}
    for n, d in base.nodes(data=True):
        if "Country" in d.get("types", ()):
            country_of[n] = n
            if d.get("country"):
                code_node[d["country"]] = n
    for n, d in base.nodes(data=True):
        if n not in country_of and d.get("country") in code_node:
            country_of[n] = code_node[d["country"]]
    g = nx.DiGraph(view="countries")
    seen: set[tuple[str, str]] = set()
    for gr, v, s, o, d in _cached(store, base, "visits", _VISITS, ("g", "v", "s", "o", "d")):
        key = (gr, v)
        if key in seen:
            continue
        seen.add(key)
        a, b = country_of.get(s), country_of.get(o)
        if a is None or b is None or a == b:
            continue
        year = int(d[:4]) if d else None
        if years is not None and (year is None or not years[0] <= year <= years[1]):
            continue
        _copy_node(g, base, a)
        _copy_node(g, base, b)
        if g.has_edge(a, b):
            e = g.edges[a, b]
            e["weight"] += 1
        else:
            g.add_edge(a, b, rel="visits", weight=1, by_year={}, first=None, last=None)
            e = g.edges[a, b]
        if year is not None:
            e["by_year"][year] = e["by_year"].get(year, 0) + 1
        if d:
            e["first"] = d if e["first"] is None or d < e["first"] else e["first"]
            e["last"] = d if e["last"] is None or d > e["last"] else e["last"]
    for n in g:
        g.nodes[n]["visits_out"] = int(g.out_degree(n, weight="weight"))
        g.nodes[n]["visits_in"] = int(g.in_degree(n, weight="weight"))
    return g


def _event_people(store, base: nx.MultiDiGraph) -> dict[tuple[str, str], tuple[set[str], str | None]]:
    events: dict[tuple[str, str], tuple[set[str], str | None]] = {}
    for gr, v, p, date in _cached(store, base, "events", _EVENT_PEOPLE, ("g", "v", "p", "d")):
        if p not in base or "Person" not in base.nodes[p]["types"]:
            continue
        key = (gr, v)
        people, d = events.get(key, (set(), None))
        people.add(p)
        events[key] = (people, d or date)
    return events


def people_graph(store, *, base: nx.MultiDiGraph | None = None) -> nx.Graph:
    """Person -- person co-participation: two people in the same visit or meeting.

    Edge ``weight`` is the number of shared events, ``first``/``last`` their dates,
    ``rel`` = "met/co-visited". People who share no event are left out.
    """
    base = base if base is not None else entity_graph(store)
    g = nx.Graph(view="people")
    for people, d in _event_people(store, base).values():
        for a, b in combinations(sorted(people), 2):
            _copy_node(g, base, a)
            _copy_node(g, base, b)
            if g.has_edge(a, b):
                e = g.edges[a, b]
                e["weight"] += 1
            else:
                g.add_edge(a, b, rel="co-participation", weight=1, first=None, last=None)
                e = g.edges[a, b]
            if d:
                e["first"] = d if e["first"] is None or d < e["first"] else e["first"]
                e["last"] = d if e["last"] is None or d > e["last"] else e["last"]
    return g


def orgs_graph(store, *, base: nx.MultiDiGraph | None = None) -> nx.Graph:
    """Organisation -- organisation contacts.

    Two organisations are in contact when their people (``memberOf``, roles) or
    delegations (``sentBy``) take part in the same visit or meeting, or when one is
    related to the other directly (visited, hostedBy, partOf, ...). ``weight`` counts
    the supporting events and relations.
    """
    base = base if base is not None else entity_graph(store)
    orgish = {n for n, d in base.nodes(data=True) if {"Organization", "Delegation"} & set(d["types"])}
    orgs_of: dict[str, set[str]] = defaultdict(set)
    for s, o, d in base.edges(data=True):
        if d["rel"] in ("memberOf", "sentBy") and o in orgish and "Organization" in base.nodes[o]["types"]:
            orgs_of[s].add(o)
    for n in orgish:
        if "Organization" in base.nodes[n]["types"]:
            orgs_of[n].add(n)
    g = nx.Graph(view="orgs")

    def link(a: str, b: str, rel: str, d: str | None, w: int = 1) -> None:
        if a == b:
            return
        _copy_node(g, base, a)
        _copy_node(g, base, b)
        if g.has_edge(a, b):
            e = g.edges[a, b]
            e["weight"] += w
        else:
            g.add_edge(a, b, rel=rel, weight=w, first=None, last=None)
            e = g.edges[a, b]
        if d:
            e["first"] = d if e["first"] is None or d < e["first"] else e["first"]
            e["last"] = d if e["last"] is None or d > e["last"] else e["last"]

    events: dict[tuple[str, str], tuple[set[str], str | None]] = {}
    for gr, v, p, date in _cached(store, base, "events", _EVENT_PEOPLE, ("g", "v", "p", "d")):
        if p not in orgs_of:
            continue
        key = (gr, v)
        members, d = events.get(key, (set(), None))
        members.add(p)
        events[key] = (members, d or date)
    for members, d in events.values():
        orgs = sorted({o for p in members for o in orgs_of[p]})
        for a, b in combinations(orgs, 2):
            link(a, b, "contact", d)
    for s, o, d in base.edges(data=True):
        if d["rel"] in ("memberOf", "sentBy"):
            continue
        for a in orgs_of.get(s, ()):
            for b in orgs_of.get(o, ()):
                link(a, b, "contact", d.get("last"), d.get("weight", 1))
    return g


def view_graph(store, view: str = "entity", *, base: nx.MultiDiGraph | None = None) -> nx.Graph:
    """The projection named ``view`` (one of :data:`VIEWS`)."""
    if view not in VIEWS:
        raise InputError(f"unknown view '{view}' (use {', '.join(VIEWS)})")
    if view == "entity":
        return base if base is not None else entity_graph(store)
    base = base if base is not None else entity_graph(store)
    return {"countries": countries_graph, "people": people_graph, "orgs": orgs_graph}[view](store, base=base)


def simple_graph(g: nx.Graph) -> nx.Graph:
    """An undirected simple graph (no self-loops) with summed weights, for measures.

    >>> m = nx.MultiDiGraph()
    >>> _ = m.add_edge("a", "b", weight=2), m.add_edge("b", "a", weight=1), m.add_node("c")
    >>> s = simple_graph(m); s["a"]["b"]["weight"], s.number_of_nodes()
    (3, 3)
    """
    out = nx.Graph()
    out.add_nodes_from(g.nodes(data=True))
    w: Counter[tuple[str, str]] = Counter()
    for a, b, d in g.edges(data=True):
        if a != b:
            w[(a, b) if a <= b else (b, a)] += d.get("weight", 1)
    out.add_edges_from((a, b, {"weight": n}) for (a, b), n in w.items())
    return out


#: Above this many pairs, read all statements in one pass instead of one query per pair.
BULK_EVIDENCE_PAIRS = 600

_STATEMENT_FIELDS = "?rel ?text ?g ?title ?date ?pub"


def _item(r, s: str, o: str) -> dict:
    return {
        "rel": r["rel"].value,
        "subject": s,
        "object": o,
        "sentence": r["text"].value,
        "article": r["g"].value,
        "title": _val(r["title"]),
        "date": _val(r["date"]) or _val(r["pub"]),
    }


def _pair_evidence(store, out: dict[frozenset, list[dict]]) -> None:
    # one small query per direction: constant subject and object hit the indexes
    # (a VALUES block over many pairs was orders of magnitude slower in Oxigraph)
    for k in out:
        a, b = sorted(k)
        for s, o in ((a, b), (b, a)):
            q = f"""SELECT {_STATEMENT_FIELDS} WHERE {{ GRAPH ?g {{
  ?st rdf:subject <{s}> ; rdf:object <{o}> ; kg:relation ?rel ; prov:wasDerivedFrom ?span .
  ?span schema:text ?text .
  OPTIONAL {{ ?g schema:headline ?title }} OPTIONAL {{ ?g schema:datePublished ?pub }}
  OPTIONAL {{ ?st kg:about ?about . ?about schema:startDate ?date }} }} }} LIMIT 200"""
            for r in _rows(store, q):
                item = _item(r, s, o)
                if item not in out[k]:
                    out[k].append(item)


def _bulk_evidence(store, out: dict[frozenset, list[dict]]) -> None:
    heads: dict[str, tuple[str | None, str | None]] = {}
    for r in _rows(store, "SELECT ?g ?t ?p WHERE { GRAPH ?g { ?g a kg:Article . OPTIONAL { ?g schema:headline ?t } "
                          "OPTIONAL { ?g schema:datePublished ?p } } }"):
        heads[r["g"].value] = (_val(r["t"]), _val(r["p"]))
    dates = {r["st"].value: r["d"].value for r in _rows(
        store, "SELECT ?st ?d WHERE { GRAPH ?g { ?st kg:about ?a . ?a schema:startDate ?d } }")}
    q = """SELECT ?st ?s ?o ?rel ?g ?text WHERE { GRAPH ?g { ?st rdf:subject ?s ; rdf:object ?o ; kg:relation ?rel ;
      prov:wasDerivedFrom ?span . ?span schema:text ?text } }"""
    for r in _rows(store, q):
        s, o = r["s"].value, r["o"].value
        k = frozenset((s, o))
        if k not in out:
            continue
        g = r["g"].value
        title, pub = heads.get(g, (None, None))
        item = {"rel": r["rel"].value, "subject": s, "object": o, "sentence": r["text"].value, "article": g,
                "title": title, "date": dates.get(r["st"].value) or pub}
        if item not in out[k]:
            out[k].append(item)


def edge_evidence(store, pairs: Iterable[tuple[str, str]], *, per_pair: int = 3) -> dict[frozenset, list[dict]]:
    """Evidence for the statements linking each pair of entities (either direction).

    Returns ``{frozenset({a, b}): [ {rel, subject, object, sentence, article, title,
    date}, ... ]}`` with at most ``per_pair`` items per pair, most recent first.
    """
    keys = {frozenset(p) for p in pairs if p[0] != p[1]}
    out: dict[frozenset, list[dict]] = {k: [] for k in keys}
    if len(keys) > BULK_EVIDENCE_PAIRS:
        _bulk_evidence(store, out)
    else:
        _pair_evidence(store, out)
    for k, items in out.items():
        items.sort(key=lambda x: (x["date"] or "", x["article"]), reverse=True)
        del items[per_pair:]
    return out
