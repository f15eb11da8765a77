"""Facts -> RDF: named graph per article, n-ary visits, memberships, evidence."""

from __future__ import annotations

from pyoxigraph import Store

from kg.ontology import sparql_prefixes
from kg.rdf import article_iri, extraction_quads
from kg.views import facts_view

P = sparql_prefixes()


def _store(extraction) -> Store:
    s = Store()
    s.extend(extraction_quads(extraction))
    return s


def test_all_quads_live_in_the_article_graph(extraction):
    g = article_iri(extraction.article)
    assert {q.graph_name.value for q in extraction_quads(extraction)} == {g}


def test_quads_are_deterministic(extraction):
    assert extraction_quads(extraction) == extraction_quads(extraction)


def test_visit_is_an_nary_event_beside_a_direct_edge(extraction):
    s = _store(extraction)
    rows = list(
        s.query(
            P + "SELECT ?d ?m WHERE { GRAPH ?g { ?v a kg:Visit ; kg:visitor ?x ; kg:destination ?y ; "
            "schema:startDate ?d ; kg:participant ?m . ?x kg:visited ?y } }"
        )
    )
    assert {r["d"].value for r in rows} == {"2024-02-12"}
    assert len({r["m"].value for r in rows}) == 2


def test_planned_visit_is_not_a_visit(extraction):
    s = _store(extraction)
    planned = list(s.query(P + "SELECT ?v WHERE { GRAPH ?g { ?v a kg:PlannedVisit } }"))
    assert len(planned) == 1
    edges = list(s.query(P + "SELECT ?o WHERE { GRAPH ?g { ?s kg:visited ?o } }"))
    assert [r["o"].value.rsplit("/", 1)[1] for r in edges] == ["balai-latihan-kerja-surabaya"]


def test_membership_carries_role_and_organisation(extraction):
    s = _store(extraction)
    rows = list(
        s.query(
            P + "SELECT ?role ?org WHERE { GRAPH ?g { ?m a org:Membership ; org:member ?p ; "
            "org:role/rdfs:label ?role ; org:organization ?org . ?p rdfs:label 'Anna Berg' } }"
        )
    )
    assert [r["role"].value for r in rows] == ["Direktur Asia"]


def test_every_statement_has_evidence_with_offsets_into_the_text(extraction):
    s = _store(extraction)
    text = extraction.article.text
    rows = list(
        s.query(
            P + "SELECT ?st ?t ?a ?b WHERE { GRAPH ?g { ?st a kg:Statement ; prov:wasDerivedFrom ?e . "
            "?e schema:text ?t ; kg:startOffset ?a ; kg:endOffset ?b } }"
        )
    )
    statements = {r["st"].value for r in s.query(P + "SELECT ?st WHERE { GRAPH ?g { ?st a kg:Statement } }")}
    assert {r["st"].value for r in rows} == statements
    for r in rows:
        assert text[int(r["a"].value) : int(r["b"].value)] == r["t"].value


def test_which_sentence_says_a_person_is_a_member_of_an_org(extraction):
    s = _store(extraction)
    q = P + """SELECT ?sentence WHERE { GRAPH ?g {
        ?st rdf:subject ?p ; rdf:predicate org:memberOf ; rdf:object ?o ; prov:wasDerivedFrom ?e .
        ?p rdfs:label "Anna Berg" . ?o skos:altLabel "Kemlu Freedonia" . ?e schema:text ?sentence } }"""
    assert [r["sentence"].value for r in s.query(q)] == [
        "Delegasi itu terdiri dari Anna Berg sebagai Direktur Asia dan Piet Vos sebagai Staf Ahli."
    ]


def test_country_links_carry_iso_codes(extraction):
    s = _store(extraction)
    rows = list(s.query(P + "SELECT ?c WHERE { GRAPH ?g { ?e rdfs:label 'Surabaya' ; kg:country/kg:isoCode ?c } }"))
    assert [r["c"].value for r in rows] == ["ID"]


def test_facts_view_round_trips_the_facts(extraction):
    view = facts_view(extraction)
    rels = sorted(f["rel"] for f in view["facts"])
    # the planned visit is not a visit; everything else comes back
    assert rels.count("visited") == 1
    assert rels.count("memberOf") == 3 and rels.count("role") == 2 and rels.count("said") == 1
    assert view["article"] == {
        "id": "fixture-1",
        "lang": "id",
        "title": "Delegasi Freedonia",
        "published": "2024-02-13",
        "source": "example.org",
        "url": None,
    }
    anna = next(e for e in view["entities"] if e["name"] == "Anna Berg")
    assert anna["type"] == "Person" and anna["aliases"] == ["Anna"] and "country" not in anna


def test_same_name_gives_same_iri_across_articles():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from conftest import make_extraction

    a = {q.subject.value for q in extraction_quads(make_extraction("a")) if "/person/" in q.subject.value}
    b = {q.subject.value for q in extraction_quads(make_extraction("b")) if "/person/" in q.subject.value}
    assert a == b and len(a) == 2
