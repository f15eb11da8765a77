"""Derived visit countries (kg:fromCountry, kg:toCountry), written with each visit.

They must say what the query-time rules said (the former body of the saved query
country-visit-counts-by-year, kept below as REFERENCE): checked on hand-made cases
and on random article graphs.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from kg.model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence
from kg.ontology import KG
from kg.queries import get_query, run
from kg.rdf import extraction_quads
from kg.resolve import country_iri
from kg.store import EmbeddedStore

#: The query before the links existed: the rules applied at query time.
REFERENCE = """
PREFIX kg: <https://w3id.org/kg-visits/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
SELECT ?year ?from_country ?to_country (COUNT(DISTINCT ?visit) AS ?visits)
WHERE {
  { SELECT ?visit ?article WHERE { GRAPH ?article { ?visit a kg:Visit } } }
  { SELECT ?visit ?article ?visitor WHERE { GRAPH ?article { ?visit kg:visitor ?visitor } } }
  { SELECT ?visit ?article ?dest WHERE { GRAPH ?article { ?visit kg:destination ?dest } } }
  OPTIONAL { SELECT ?visit ?article ?d WHERE { GRAPH ?article { ?visit schema:startDate ?d } } }
  OPTIONAL { SELECT ?article ?p WHERE { GRAPH ?article { ?article schema:datePublished ?p } } }
  OPTIONAL { GRAPH ?article { ?visitor kg:country ?own } }
  OPTIONAL { SELECT ?visitor ?article ?sender WHERE { GRAPH ?article { ?visitor kg:sentBy ?sender } } }
  BIND(COALESCE(?sender, <urn:kg:none>) AS ?sender_iri)
  OPTIONAL { GRAPH ?article { ?sender_iri kg:country ?senders } }
  OPTIONAL { GRAPH ?article { ?visitor org:memberOf ?body } }
  BIND(COALESCE(?body, <urn:kg:none>) AS ?body_iri)
  OPTIONAL { GRAPH ?article { ?body_iri kg:country ?bodys } }
  BIND(COALESCE(?own, ?senders, ?bodys, <urn:kg:none>) AS ?from_iri)
  OPTIONAL { GRAPH ?article { ?from_iri kg:isoCode ?from_country } }
  OPTIONAL { GRAPH ?article { ?dest kg:isoCode ?dest_code } }
  OPTIONAL { GRAPH ?article { ?dest kg:country ?dest_country } }
  OPTIONAL { SELECT ?dest ?article ?in WHERE { GRAPH ?article { ?dest kg:locatedIn ?in } } }
  BIND(COALESCE(?in, <urn:kg:none>) AS ?in_iri)
  OPTIONAL { GRAPH ?article { ?in_iri kg:isoCode ?in_code } }
  OPTIONAL { GRAPH ?article { ?in_iri kg:country ?in_country } }
  BIND(COALESCE(?dest_country, ?in_country, <urn:kg:none>) AS ?to_iri)
  OPTIONAL { GRAPH ?article { ?to_iri kg:isoCode ?to_code } }
  BIND(COALESCE(?dest_code, ?to_code, ?in_code) AS ?to_country)
  BIND(YEAR(COALESCE(?d, ?p)) AS ?year)
  FILTER(BOUND(?from_country) && BOUND(?to_country))
}
GROUP BY ?year ?from_country ?to_country
"""

_TEXT = "Sentence one about a visit. Sentence two about who sent whom."


def _extraction(entities, facts, key="vc-1", published=date(2024, 5, 1)) -> Extraction:
    art = Article(key=key, text=_TEXT, title="t", published=published)
    sent = Sentence(0, 27, _TEXT[:27])
    doc = Document(article=art, lang="en", title="t", published=published, source=None,
                   content=((0, len(_TEXT)),),
                   sentences=(sent,))
    ev = (Evidence(0, 27, _TEXT[:27], "test"),)
    return Extraction(document=doc, entities=tuple(entities),
                      facts=tuple(Fact(*f[:3], evidence=ev, **(f[3] if len(f) > 3 else {})) for f in facts))


def _links(extraction, predicate) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in extraction_quads(extraction):
        if q.predicate.value == str(predicate):
            out.setdefault(q.subject.value.rsplit("/", 2)[-2], set()).add(q.object.value.rsplit("/", 1)[-1])
    return out


def _from(extraction) -> set[str]:
    return set().union(*_links(extraction, KG.fromCountry).values()) if _links(extraction, KG.fromCountry) else set()


def _to(extraction) -> set[str]:
    return set().union(*_links(extraction, KG.toCountry).values()) if _links(extraction, KG.toCountry) else set()


PERSON = Entity("p", ("Person",), "Ana Lima")
SITE = Entity("site", ("Facility",), "Harbour Works")


def test_a_visitor_without_a_country_comes_from_its_senders_country():
    d = Entity("d", ("Delegation",), "Delegation of the Ministry")
    mfa = Entity("mfa", ("Organization",), "Ministry of Trade", (), "FR")
    site = Entity("site", ("Facility",), "Harbour Works", (), "ID")
    ex = _extraction([d, mfa, site], [("visited", "d", "site"), ("sentBy", "d", "mfa")])
    assert (_from(ex), _to(ex)) == ({"FR"}, {"ID"})


def test_own_country_comes_before_the_senders_and_the_bodys():
    d = Entity("d", ("Delegation",), "Delegation of the Ministry", (), "JP")
    mfa = Entity("mfa", ("Organization",), "Ministry of Trade", (), "FR")
    body = Entity("b", ("Organization",), "Union of Ports", (), "DE")
    ex = _extraction([d, mfa, body, SITE], [("visited", "d", "site"), ("sentBy", "d", "mfa"), ("memberOf", "d", "b")])
    assert _from(ex) == {"JP"}


def test_else_the_body_the_visitor_belongs_to():
    body = Entity("b", ("Organization",), "Union of Ports", (), "DE")
    ex = _extraction([PERSON, body, SITE], [("visited", "p", "site"), ("memberOf", "p", "b")])
    assert _from(ex) == {"DE"}


def test_a_sender_without_a_country_falls_back_to_the_body():
    mfa = Entity("mfa", ("Organization",), "Ministry of Trade")
    body = Entity("b", ("Organization",), "Union of Ports", (), "DE")
    ex = _extraction([PERSON, mfa, body, SITE], [("visited", "p", "site"), ("sentBy", "p", "mfa"),
                                                  ("memberOf", "p", "b")])
    assert _from(ex) == {"DE"}


def test_destination_country_itself_its_country_or_that_of_the_place_it_lies_in():
    country = Entity("c", ("Country",), "Indonesia", (), "ID")
    town = Entity("t", ("Place",), "Surabaya", (), "ID")
    plain = Entity("site", ("Facility",), "Harbour Works")
    own = Entity("x", ("Facility",), "Dock Seven", (), "MY")
    mfa = Entity("mfa", ("Organization",), "Ministry of Trade", (), "FR")
    d = Entity("d", ("Delegation",), "Delegation of the Ministry")
    assert _to(_extraction([d, mfa, country], [("visited", "d", "c"), ("sentBy", "d", "mfa")])) == {"ID"}
    assert _to(_extraction([d, mfa, own], [("visited", "d", "x"), ("sentBy", "d", "mfa")])) == {"MY"}
    assert _to(_extraction([d, mfa, plain, town], [("visited", "d", "site"), ("sentBy", "d", "mfa"),
                                                   ("locatedIn", "site", "t")])) == {"ID"}
    # a place that is a country (no country of its own): its code
    assert _to(_extraction([d, mfa, plain, country], [("visited", "d", "site"), ("sentBy", "d", "mfa"),
                                                      ("locatedIn", "site", "c")])) == {"ID"}


def test_no_country_no_link():
    ex = _extraction([PERSON, SITE], [("visited", "p", "site")])
    assert (_from(ex), _to(ex)) == (set(), set())


def test_links_are_country_nodes_of_the_graph():
    d = Entity("d", ("Delegation",), "Delegation of the Ministry", (), "FR")
    site = Entity("site", ("Facility",), "Harbour Works", (), "ID")
    quads = extraction_quads(_extraction([d, site], [("visited", "d", "site"), ("visited", "d", "site", {"planned": True})]))
    links = {(q.predicate.value, q.object.value) for q in quads if q.predicate.value in (str(KG.fromCountry), str(KG.toCountry))}
    assert links == {(str(KG.fromCountry), country_iri("FR")), (str(KG.toCountry), country_iri("ID"))}
    # planned visits get them too; the count query keeps to visits that happened
    visits = {q.subject.value for q in quads if q.predicate.value == str(KG.fromCountry)}
    assert len(visits) == 2


def _rows(res) -> list[tuple]:
    return sorted((tuple(None if s[v] is None else s[v].value for v in ("year", "from_country", "to_country", "visits"))
                   for s in res), key=repr)


def _random_extraction(rng: random.Random, n: int) -> Extraction:
    codes = ["FR", "ID", "JP", "DE"]
    kinds = [("Person",), ("Organization",), ("Delegation",), ("Facility",), ("Place",), ("Country",)]
    ents = []
    for i in range(rng.randint(3, 7)):
        types = rng.choice(kinds)
        code = rng.choice(codes) if types == ("Country",) or rng.random() < 0.4 else None
        ents.append(Entity(f"e{i}", types, f"Name {n} {i}" if types != ("Country",) else f"Land {code}", (), code))
    keys = [e.key for e in ents]
    facts = []
    for _ in range(rng.randint(2, 9)):
        rel = rng.choice(["visited", "visited", "sentBy", "memberOf", "locatedIn"])
        a, b = rng.sample(keys, 2)
        extra = {}
        if rel == "visited":
            if rng.random() < 0.5:
                extra["date"] = date(2020 + rng.randint(0, 4), 1, 1)
            extra["planned"] = rng.random() < 0.2
        facts.append((rel, a, b, extra))
    published = date(2019, 6, 1) if rng.random() < 0.7 else None
    return _extraction(ents, facts, key=f"rand-{n}", published=published)


@pytest.mark.parametrize("seed", range(5))
def test_saved_query_gives_the_rows_of_the_query_time_rules(seed):
    rng = random.Random(seed)
    st = EmbeddedStore(None)
    for n in range(40):
        st.oxigraph.extend(extraction_quads(_random_extraction(rng, n)))
    saved = get_query("country-visit-counts-by-year").bind({})
    expected = _rows(st.query(REFERENCE))
    assert len(expected) > 3, "the random graphs should hold some country-to-country visits"
    assert _rows(run(st, saved)[1]) == expected
    st.close()


def test_same_rows_on_the_sample_store():
    from tests.access_helpers import fill

    st = EmbeddedStore(None)
    fill(st)
    saved = get_query("country-visit-counts-by-year").bind({})
    assert _rows(run(st, saved)[1]) == _rows(st.query(REFERENCE)) != []
    st.close()


def test_hsg_records_get_the_links(monkeypatch):
    from pathlib import Path

    from kg.ingest import hsg

    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", None)  # the records alone, as in test_hsg
    fix = Path(__file__).resolve().parent / "fixtures" / "hsg"
    got = {}
    for ex in hsg.read_hsg_paths([fix / "trips.xml", fix / "visits.xml"]):
        if isinstance(ex, Extraction):
            got[ex.article.key] = (_from(ex), _to(ex))
    assert got["hsg-trip-3324"] == ({"US"}, {"GB"})  # the Secretary of State went to the United Kingdom
    assert got["hsg-visit-2100"] == ({"ID"}, {"US"})  # a foreign leader came to the US
