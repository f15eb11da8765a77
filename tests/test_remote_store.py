"""One store interface, two back ends: the same suite on the embedded store and on a real Oxigraph server."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.errors import QueryError, StoreError
from kg.pipeline import ingest_articles
from kg.rdf import article_iri, extraction_quads
from kg.stats import store_stats
from kg.store import EmbeddedStore, RemoteStore, endpoint_urls, is_endpoint, open_store
from tests.access_helpers import free_port, oxigraph_server, sample_extractions, second_extraction
from tests.conftest import make_extraction

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(params=["embedded", "remote"])
def any_store(request, tmp_path, oxigraph_url):
    if request.param == "embedded":
        st = open_store(tmp_path / "store")
    else:
        st = open_store(oxigraph_url)
        st.update("DROP ALL")
    yield st
    st.close()


def test_open_store_picks_the_back_end(tmp_path, oxigraph_url):
    assert isinstance(open_store(oxigraph_url), RemoteStore)
    st = open_store(tmp_path / "s")
    assert isinstance(st, EmbeddedStore)
    st.close()
    assert is_endpoint("HTTPS://example.org/sparql") and not is_endpoint(str(tmp_path))


def test_one_named_graph_per_article(any_store):
    exts = sample_extractions()
    report = ingest_articles(exts, any_store)
    assert len(report.ingested) == 2
    assert any_store.graphs() == sorted(article_iri(x.article) for x in exts)
    for x in exts:
        g = article_iri(x.article)
        assert {q.graph_name.value for q in any_store.quads(g)} == {g}
        assert len(list(any_store.quads(g))) == len(extraction_quads(x, pipeline_version="v"))


def test_ingest_twice_changes_nothing(any_store):
    exts = sample_extractions()
    ingest_articles(exts, any_store)
    n = any_store.count()
    again = ingest_articles(exts, any_store)
    assert len(again.unchanged) == 2 and not again.ingested and not again.replaced
    assert any_store.count() == n


def test_changed_article_replaces_only_its_graph(any_store):
    first = make_extraction("fixture-1")
    ingest_articles([first, second_extraction("fixture-2")], any_store)
    other = article_iri(second_extraction("fixture-2").article)
    before_other = sorted(str(q) for q in any_store.quads(other))
    changed = make_extraction("fixture-1", first.article.text.replace("Kami belajar banyak", "Kami senang sekali"))
    r = ingest_articles([changed], any_store)
    assert len(r.replaced) == 1
    g = article_iri(first.article)
    texts = [
        q.object.value
        for q in any_store.quads(g)
        if q.subject.value == g and q.predicate.value == "https://schema.org/text"
    ]
    assert len(texts) == 1
    assert any("senang sekali" in t for t in texts)
    assert not any("belajar banyak" in t for t in texts)
    assert sorted(str(q) for q in any_store.quads(other)) == before_other


def test_article_state_and_remove(any_store):
    x = make_extraction("fixture-1")
    g = article_iri(x.article)
    assert any_store.article_state(g) is None
    ingest_articles([x], any_store)
    h, v = any_store.article_state(g)
    assert h == x.article.content_hash and v
    any_store.remove_graph(g)
    assert any_store.article_state(g) is None
    assert any_store.graphs() == []


def test_queries_see_the_union_of_article_graphs(any_store):
    ingest_articles(sample_extractions(), any_store)
    res = any_store.query(
        "SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE { ?v a <https://w3id.org/kg-visits/ontology#Visit> }"
    )
    assert int(next(iter(res))["n"].value) == 2
    assert bool(any_store.query("ASK { GRAPH ?g { ?s ?p ?o } }"))
    triples = list(any_store.query("CONSTRUCT { ?s a ?t } WHERE { ?s a ?t } LIMIT 5"))
    assert len(triples) == 5 and all(isinstance(t, ox.Triple) for t in triples)


def test_stats_agree_between_back_ends(tmp_path, oxigraph_url):
    local = open_store(tmp_path / "a")
    remote = open_store(oxigraph_url)
    remote.update("DROP ALL")
    try:
        for st in (local, remote):
            ingest_articles(sample_extractions(), st)
        a, b = store_stats(local), store_stats(remote)
        a.pop("store"), b.pop("store")
        assert a == b
    finally:
        local.close()


def test_dump_is_the_same_dataset_on_both(tmp_path, oxigraph_url):
    local = open_store(tmp_path / "a")
    remote = open_store(oxigraph_url)
    remote.update("DROP ALL")
    try:
        for st in (local, remote):
            ingest_articles(sample_extractions(), st)
        dumps = []
        for st in (local, remote):
            buf = io.BytesIO()
            st.dump(buf, "nquads")
            ds = rdflib.Dataset()
            ds.parse(data=buf.getvalue().decode(), format="nquads")
            dumps.append(ds)
        a, b = dumps
        assert {str(g.identifier) for g in a.graphs()} == {str(g.identifier) for g in b.graphs()}
        for g in a.graphs():
            if len(g):
                assert isomorphic(g, b.graph(g.identifier))
    finally:
        local.close()


def test_bad_query_is_a_query_error(any_store):
    with pytest.raises(QueryError):
        any_store.query("SELECT WHERE {")


def test_unreachable_endpoint_is_a_store_error():
    st = RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        st.graphs()


def test_read_only_remote_store_refuses_writes(oxigraph_url):
    st = RemoteStore(oxigraph_url, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        st.replace_graph("urn:g", [])


def test_read_only_server_refusal_is_reported(tmp_path):
    with oxigraph_server(tmp_path / "ro", read_only=True) as url:
        st = RemoteStore(url)
        with pytest.raises(StoreError, match="refused"):
            st.replace_graph("urn:x:g", [])


def test_graph_iri_is_checked_not_pasted(oxigraph_url):
    st = RemoteStore(oxigraph_url)
    with pytest.raises(StoreError, match="not a graph IRI"):
        st.remove_graph("urn:x> } ; DROP ALL ; #")


@pytest.mark.parametrize(
    "url, update, store",
    [
        ("http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ("http://h:3030/kg/sparql", "http://h:3030/kg/update", "http://h:3030/kg/data"),
        ("http://h:3030/kg/query", "http://h:3030/kg/update", "http://h:3030/kg/data"),
        ("http://h:7200/repositories/kg", "http://h:7200/repositories/kg/statements", "http://h:7200/repositories/kg/rdf-graphs/service"),
        ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
        ("http://h:7001/", "http://h:7001/", None),
    ],
)
def test_endpoint_conventions(url, update, store):
    u = endpoint_urls(url)
    assert (u.query, u.update, u.store) == (url, update, store)


def test_credentials_in_the_url_become_basic_auth():
    st = RemoteStore("http://ann:s3cret@127.0.0.1:1/query")
    assert st.location == "http://127.0.0.1:1/query"
    assert st._auth and st._auth.startswith("Basic ")
