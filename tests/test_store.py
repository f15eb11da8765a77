"""The embedded store: per-article graphs, idempotent re-ingest, atomic replace, busy lock."""

from __future__ import annotations

import dataclasses

import pytest

from kg.errors import QueryError, StoreBusyError
from kg.pipeline import ingest_articles
from kg.rdf import article_iri
from kg.store import open_store
from tests.conftest import make_extraction


def test_ingest_twice_changes_nothing(store, extraction):
    r1 = ingest_articles([extraction], store)
    n = store.count()
    r2 = ingest_articles([extraction], store)
    assert len(r1.ingested) == 1 and len(r2.unchanged) == 1 and store.count() == n


def test_changed_article_replaces_its_graph(store, extraction):
    ingest_articles([extraction, make_extraction("other")], store)
    changed_text = extraction.article.text.replace("Kami belajar banyak", "Kami senang sekali")
    changed = make_extraction(text=changed_text)
    r = ingest_articles([changed], store)
    assert len(r.replaced) == 1
    g = article_iri(extraction.article)
    texts = [
        q.object.value
        for q in store.quads(g)
        if q.subject.value == g and q.predicate.value == "https://schema.org/text"
    ]
    assert len(texts) == 1
    assert not any("belajar banyak" in t for t in texts)
    assert any("senang sekali" in t for t in texts)
    assert len(store.graphs()) == 2  # the other article is untouched


def test_second_writer_is_told_store_busy(tmp_path):
    first = open_store(tmp_path / "s")
    try:
        with pytest.raises(StoreBusyError, match="store busy"):
            open_store(tmp_path / "s")
    finally:
        first.close()


def test_bad_sparql_is_a_query_error(store):
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELECT WHERE {")


def test_store_survives_reopen(tmp_path, extraction):
    st = open_store(tmp_path / "s")
    ingest_articles([extraction], st)
    n = st.count()
    st.close()
    st2 = open_store(tmp_path / "s")
    assert st2.count() == n
    st2.close()


def test_skip_items_are_reported_not_stored(store):
    from kg.model import Skip

    r = ingest_articles([Skip("x.bin", "binary data")], store)
    assert r.skipped == [Skip("x.bin", "binary data")] and store.count() == 0


def test_default_store_path_follows_env(monkeypatch, tmp_path):
    from kg.store import default_store_path

    monkeypatch.setenv("KG_STORE", str(tmp_path / "here"))
    assert default_store_path() == tmp_path / "here"


def test_extraction_is_frozen(extraction):
    with pytest.raises(dataclasses.FrozenInstanceError):
        extraction.facts = ()  # type: ignore[misc]
