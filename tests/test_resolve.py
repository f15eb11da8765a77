"""kg.resolve: deterministic IRIs, cross-article merges, guards, judgements."""

from __future__ import annotations

import dataclasses

import pytest

from kg.errors import InputError
from kg.model import Entity, Extraction
from kg.ontology import ID
from kg.pipeline import ingest_articles
from kg.resolve import (
    Judgements,
    Resolver,
    country_iri,
    default_judgements_path,
    entity_iri,
    parse_id,
    short_id,
    type_segment,
)

from .conftest import make_extraction


def art(key: str, *entities: Entity) -> Extraction:
    """A hand-made extraction of article ``key`` holding just these entities."""
    base = make_extraction(key)
    doc = dataclasses.replace(base.document, article=dataclasses.replace(base.article, key=key))
    return Extraction(document=doc, entities=entities, facts=())


def E(key, type_, name, aliases=(), country=None):
    types = (type_,) if isinstance(type_, str) else tuple(type_)
    return Entity(key, types, name, tuple(aliases), country)


def iri(seg: str, tail: str) -> str:
    return f"{ID}{seg}/{tail}"


def ingest(store, resolver, *extractions):
    return ingest_articles(list(extractions), store, iri_of=resolver.iri_of)


def iris_in_store(store) -> set[str]:
    rows = store.query(
        "SELECT DISTINCT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l "
        f'FILTER(STRSTARTS(STR(?e), "{ID}")) }}'
    )
    return {r["e"].value for r in rows}


# ------------------------------------------------------------ deterministic


def test_deterministic_iris_unchanged():
    assert type_segment("Organization") == "org"
    assert type_segment("Facility") == "facility"
    assert type_segment("Unknown") == "thing"
    assert entity_iri(E("c", "Country", "France", country="fr")) == iri("country", "FR")
    assert entity_iri(E("p", "Person", "Thierry Toutin")) == iri("person", "thierry-toutin")
    assert entity_iri(E("o", ("Facility", "Organization"), "Sentra Handayani Jakarta")) == iri(
        "facility", "sentra-handayani-jakarta"
    )
    assert country_iri("id") == iri("country", "ID")


def test_fresh_resolver_gives_the_deterministic_iri():
    r = Resolver()
    for e in make_extraction().entities:
        assert r.iri_of(e) == entity_iri(e)


def test_short_ids_round_trip():
    assert short_id(iri("org", "dgsi")) == "org:dgsi"
    assert parse_id("org:dgsi") == iri("org", "dgsi")
    assert parse_id(f"<{iri('person', 'x')}>") == iri("person", "x")
    with pytest.raises(InputError):
        parse_id("dgsi")


# ------------------------------------------------------------ sure merges


def test_alias_and_acronym_merge_across_articles(store):
    r = Resolver.load(store)
    ingest(
        store,
        r,
        art("a1", E("dgsi", "Organization", "Direction Générale de la Sécurité Intérieure", ["DGSI"], "FR")),
    )
    full = iri("org", "direction-generale-de-la-securite-interieure")
    # a new resolver reads what the store holds
    r2 = Resolver.load(store)
    assert r2.iri_of(E("x", "Organization", "DGSI", country="FR")) == full
    assert r2.iri_of(E("x", "Organization", "DGSI")) == full  # alias equal, no country to contradict
    # an acronym that is the initials of a known full name, same country
    ingest(store, r2, art("a2", E("b", "Organization", "Badan Nasional Penanggulangan Terorisme", country="ID")))
    assert Resolver.load(store).iri_of(E("x", "Organization", "BNPT", country="ID")) == iri(
        "org", "badan-nasional-penanggulangan-terorisme"
    )


def test_organisation_and_facility_share_a_node(store):
    r = Resolver.load(store)
    ingest(store, r, art("a1", E("s", ("Facility", "Organization"), "Sentra Handayani Jakarta", ["Sentra Handayani"])))
    got = Resolver.load(store).iri_of(E("s", "Organization", "Sentra Handayani"))
    assert got == iri("facility", "sentra-handayani-jakarta")


def test_spelling_variants_merge(store):
    r = Resolver.load(store)
    ingest(
        store,
        r,
        art(
            "a1",
            E("t", "Person", "Thierry Toutin"),
            E("k", "Organization", "Kementerian Luar Negeri", ["Kemlu"], "ID"),
        ),
    )
    r2 = Resolver.load(store)
    assert r2.iri_of(E("t", "Person", "Thierry Toutine")) == iri("person", "thierry-toutin")
    assert r2.iri_of(E("k", "Organization", "Kementrian Luar Negeri", country="ID")) == iri(
        "org", "kementerian-luar-negeri"
    )
    # a different ministry is not a spelling variant
    assert r2.iri_of(E("d", "Organization", "Kementerian Dalam Negeri", country="ID")) == iri(
        "org", "kementerian-dalam-negeri"
    )


def test_learns_within_one_run(store):
    r = Resolver.load(store)
    ingest(
        store,
        r,
        art("a1", E("o", "Organization", "Badan Nasional Penanggulangan Bencana", ["BNPB"], "ID")),
        art("a2", E("o", "Organization", "BNPB", country="ID")),
    )
    assert iri("org", "bnpb") not in iris_in_store(store)
    assert iri("org", "badan-nasional-penanggulangan-bencana") in iris_in_store(store)


# ------------------------------------------------------------------- guards


def test_people_sharing_only_a_surname_or_first_name_stay_apart(store):
    r = Resolver.load(store)
    ingest(store, r, art("a1", E("a", "Person", "Anna Berg"), E("p", "Person", "Piet Vos")))
    r2 = Resolver.load(store)
    assert r2.iri_of(E("x", "Person", "Anna Lindqvist")) == iri("person", "anna-lindqvist")
    assert r2.iri_of(E("x", "Person", "Jan Vos")) == iri("person", "jan-vos")
    assert r2.iri_of(E("x", "Person", "Anna")) == iri("person", "anna")
    assert r2.iri_of(E("x", "Person", "Berg")) == iri("person", "berg")
    # one letter on a short first name is not a sure misspelling
    assert r2.iri_of(E("x", "Person", "Hanna Berg")) == iri("person", "hanna-berg")
    # nor may a single-word alias carry a merge
    assert r2.iri_of(E("x", "Person", "Anna Svensson", ["Anna"])) == iri("person", "anna-svensson")


def test_different_countries_never_merge(store):
    r = Resolver.load(store)
    ingest(store, r, art("a1", E("m", "Organization", "Ministry of Foreign Affairs", ["MFA"], "FR")))
    r2 = Resolver.load(store)
    assert r2.iri_of(E("m", "Organization", "Ministry of Foreign Affairs", ["MFA"], "ID")) == iri(
        "org", "ministry-of-foreign-affairs-id"
    )
    assert r2.iri_of(E("m", "Organization", "Ministry of Foreign Affairs", country="FR")) == iri(
        "org", "ministry-of-foreign-affairs"
    )


def test_ambiguous_acronym_is_not_merged(store):
    r = Resolver.load(store)
    ingest(
        store,
        r,
        art("a1", E("a", "Organization", "Badan Intelijen Negara", ["BIN"], "ID")),
        art("a2", E("b", "Organization", "Barisan Nasional", ["BIN"], "ID")),  # unsure: left apart
    )
    assert Resolver.load(store).iri_of(E("x", "Organization", "BIN", country="ID")) == iri("org", "bin")


def test_delegations_merge_only_by_exact_name(store):
    r = Resolver.load(store)
    ingest(store, r, art("a1", E("d", "Delegation", "Delegasi DGSI Prancis", ["Delegasi Prancis"], "FR")))
    r2 = Resolver.load(store)
    assert r2.iri_of(E("d", "Delegation", "Delegasi Kemlu Prancis", ["Delegasi Prancis"], "FR")) == iri(
        "delegation", "delegasi-kemlu-prancis"
    )
    assert r2.iri_of(E("d", "Delegation", "Delegasi DGSI Prancis")) == iri("delegation", "delegasi-dgsi-prancis")


def test_resolve_keeps_entities_of_one_article_apart(store):
    r = Resolver.load(store)
    ingest(store, r, art("a1", E("o", "Organization", "Direction Générale de la Sécurité Intérieure", ["DGSI"], "FR")))
    r2 = Resolver.load(store)
    x = art(
        "a2",
        E("a", "Organization", "DGSI", country="FR"),
        E("b", "Organization", "Direction Generale de la Securite Interieure", country="FR"),
    )
    got = r2.resolve(x)
    assert got["b"] == iri("org", "direction-generale-de-la-securite-interieure")
    assert got["a"] != got["b"]


def test_countries_by_code_and_by_known_name(store):
    r = Resolver.load(store)
    ingest(store, r, art("a1", E("f", "Country", "France", ["Prancis"], "FR")))
    r2 = Resolver.load(store)
    assert r2.iri_of(E("f", "Country", "Prancis")) == iri("country", "FR")
    assert r2.iri_of(E("f", "Country", "Whatever", country="de")) == iri("country", "DE")


# --------------------------------------------------------------- judgements


def test_judgements_file_round_trip(tmp_path):
    path = tmp_path / "j.tsv"
    book = Judgements.read(path)
    assert book.entries == []
    book.record("accept", iri("org", "a"), iri("org", "b"))
    book.record("reject", iri("person", "x"), iri("person", "y"), note="different people")
    book.write(path)
    text = path.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    assert len(lines) == 2 and lines[0].startswith("accept\torg:a\torg:b\t")
    again = Judgements.read(path)
    assert again.entries == [("accept", iri("org", "a"), iri("org", "b")), ("reject", iri("person", "x"), iri("person", "y"))]
    path.write_text(text + "reject\torg:b\torg:a\n", encoding="utf-8")  # a later line wins
    r = Resolver(Judgements.read(path))
    assert r.canonical(iri("org", "b")) == iri("org", "b")
    path.write_text("maybe org:a org:b\n", encoding="utf-8")
    with pytest.raises(InputError, match=":1:"):
        Judgements.read(path)


def test_accept_and_reject_are_applied(store, tmp_path):
    jpath = tmp_path / "judgements.tsv"
    jpath.write_text(
        "accept\tperson:anna-berg\tperson:hanna-berg\n"
        "reject\tperson:thierry-toutin\tperson:thierry-toutine\n"
        "accept\torg:kemlu\torg:kementerian-luar-negeri\n",
        encoding="utf-8",
    )
    r = Resolver.load(store, jpath)
    ingest(store, r, art("a1", E("t", "Person", "Thierry Toutin"), E("k", "Organization", "Kementerian Luar Negeri")))
    assert iri("org", "kemlu") in iris_in_store(store)  # the accepted group's IRI
    r2 = Resolver.load(store, jpath)
    assert r2.iri_of(E("h", "Person", "Hanna Berg")) == iri("person", "anna-berg")
    assert r2.iri_of(E("t", "Person", "Thierry Toutine")) == iri("person", "thierry-toutine")


def test_default_judgements_path(store):
    assert default_judgements_path(store) is not None
    assert default_judgements_path(store).name == "judgements.tsv"

    class Mem:
        location = ":memory:"

    assert default_judgements_path(Mem()) is None


# ---------------------------------------------------------------- review


def test_candidates_list_unsure_pairs_with_evidence(store):
    r = Resolver.load(store)
    ingest(
        store,
        r,
        art("a1", E("a", "Person", "Anna Berg"), E("j", "Person", "Joseph Comtois")),
        art("a2", E("h", "Person", "Hanna Berg"), E("j", "Person", "J. Comtois"), E("x", "Person", "Anna Lindqvist")),
    )
    cands = Resolver.load(store).candidates()
    pairs = {frozenset((short_id(c.a.iri), short_id(c.b.iri))): c for c in cands}
    assert frozenset(("person:anna-berg", "person:hanna-berg")) in pairs
    assert frozenset(("person:joseph-comtois", "person:j-comtois")) in pairs
    assert frozenset(("person:anna-berg", "person:anna-lindqvist")) not in pairs  # below the default score
    c = pairs[frozenset(("person:anna-berg", "person:hanna-berg"))]
    assert not c.verdict.sure
    assert {"a1", "a2"} == c.a.articles | c.b.articles
    text = c.format()
    assert "Anna Berg" in text and "a1" in text and "why:" in text
    d = c.as_dict()
    assert d["a"]["articles"] and d["reason"]
    low = Resolver.load(store).candidates(min_score=40)
    assert any({short_id(c.a.iri), short_id(c.b.iri)} == {"person:anna-berg", "person:anna-lindqvist"} for c in low)


def test_accept_rewrites_stored_graphs_and_reject_marks_them_stale(store, tmp_path):
    jpath = tmp_path / "j.tsv"
    r = Resolver.load(store, jpath)
    ingest(store, r, art("a1", E("a", "Person", "Anna Berg")), art("a2", E("h", "Person", "Hanna Berg")))
    book = Judgements.read(jpath)
    book.record("accept", iri("person", "anna-berg"), iri("person", "hanna-berg"))
    book.write(jpath)
    changed = Resolver.load(store, jpath).apply_to_store(store, "accept", iri("person", "anna-berg"), iri("person", "hanna-berg"))
    assert len(changed) == 1
    assert iri("person", "hanna-berg") not in iris_in_store(store)
    assert iri("person", "anna-berg") in iris_in_store(store)

    # an automatic merge, then rejected: the article holding it is re-extracted on the next ingest
    r = Resolver.load(store, jpath)
    ingest(store, r, art("a3", E("t", "Person", "Thierry Toutin")), art("a4", E("t", "Person", "Thierry Toutine")))
    assert iri("person", "thierry-toutine") not in iris_in_store(store)
    book = Judgements.read(jpath)
    book.record("reject", iri("person", "thierry-toutin"), iri("person", "thierry-toutine"))
    book.write(jpath)
    r = Resolver.load(store, jpath)
    changed = r.apply_to_store(store, "reject", iri("person", "thierry-toutin"), iri("person", "thierry-toutine"))
    assert len(changed) == 1 and changed[0].endswith("/a4")
    report = ingest(store, Resolver.load(store, jpath), art("a3", E("t", "Person", "Thierry Toutin")), art("a4", E("t", "Person", "Thierry Toutine")))
    assert report.unchanged == ["a3"] and report.replaced == ["a4"]
    assert iri("person", "thierry-toutine") in iris_in_store(store)
