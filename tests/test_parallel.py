"""kg.parallel: same outcomes and graphs as the one-process pipeline, in input order, streamed."""

from __future__ import annotations

import pytest

import kg.parallel as par
from kg.model import Skip
from kg.parallel import PathReader, ingest_parallel
from kg.pipeline import ingest_articles
from kg.store import open_store

from .conftest import make_extraction


def items():
    e1 = make_extraction(key="article-one")
    e2 = make_extraction(key="article-two")
    return [Skip("a.bin", "binary data"), e1, e2, Skip("b.txt", "empty file"), e1]


def quads_of(st) -> set[str]:
    return {str(q) for q in st.quads()}


@pytest.mark.parametrize("workers", [1, 2])
def test_outcomes_report_and_graph_match_the_pipeline(tmp_path, workers, monkeypatch):
    monkeypatch.setattr(par, "FLUSH_EVERY", 10)  # flush often: must not change what is stored
    seen: list[tuple[str, str]] = []
    with open_store(tmp_path / "seq") as st:
        expected = ingest_articles(items(), st)
        expected_quads = quads_of(st)
    with open_store(tmp_path / "par") as st:
        report = ingest_parallel(items(), st, workers=workers,
                                 on_item=lambda item, outcome: seen.append((type(item).__name__, outcome)))
        assert quads_of(st) == expected_quads
    assert seen == [("Skip", "skipped"), ("Extraction", "ingested"), ("Extraction", "ingested"),
                    ("Skip", "skipped"), ("Extraction", "unchanged")]
    assert (report.ingested, report.unchanged, report.quads, report.facts) == (
        expected.ingested, expected.unchanged, expected.quads, expected.facts)
    assert [s.reason for s in report.skipped] == ["binary data", "empty file"]


def test_a_changed_article_replaces_the_stored_one(tmp_path):
    from dataclasses import replace

    e1 = make_extraction(key="article-one")
    changed = replace(e1, document=replace(e1.document, title="Judul baru",
                                            article=replace(e1.article, title="Judul baru")))
    with open_store(tmp_path / "s") as st:
        ingest_parallel([e1], st, workers=1)
        report = ingest_parallel([changed], st, workers=1)
        assert report.replaced == ["article-one"]
        titles = {q.object.value for q in st.quads() if q.predicate.value == "https://schema.org/headline"}
        assert titles == {"Judul baru"}


def test_path_reader_counts_files_and_streams(tmp_path):
    for i in range(3):
        (tmp_path / f"a{i}.txt").write_text(f"Delegasi {i} tiba di Jakarta.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "satu"}\n{"text": "dua"}\n', encoding="utf-8")
    reader = PathReader([tmp_path, tmp_path / "missing.txt"])
    assert (reader.total, reader.done) == (4, 0)
    it = iter(reader)
    first = next(it)
    assert isinstance(first, Skip) and "no such file" in first.reason
    rest = list(it)
    assert len(rest) == 5 and reader.done == 4


def test_batches_keep_input_order():
    slots = list(par._slots(["a", "b", 1, "c", "d", "e", 2], 2, lambda x: isinstance(x, str)))
    assert [(s.items, s.work) for s in slots] == [
        (["a", "b"], True), ([1], False), (["c", "d"], True), (["e"], True), ([2], False)]


@pytest.mark.parametrize("bulk", [1, 10**9])
def test_a_changed_article_in_the_same_run_replaces_a_held_back_one(tmp_path, monkeypatch, bulk):
    """New graphs are held back and written in bulk: a later version in the same run still wins."""
    from dataclasses import replace

    monkeypatch.setattr(par, "BULK_QUADS", bulk)  # write at once, or hold everything to the end
    e1 = make_extraction(key="article-one")
    e2 = make_extraction(key="article-two")
    changed = replace(e1, document=replace(e1.document, title="Judul baru",
                                            article=replace(e1.article, title="Judul baru")))
    with open_store(tmp_path / "s") as st:
        report = ingest_parallel([e1, e2, e1, changed], st, workers=1)
        assert (report.ingested, report.unchanged, report.replaced) == (
            ["article-one", "article-two"], ["article-one"], ["article-one"])
        titles = {q.object.value for q in st.quads() if q.predicate.value == "https://schema.org/headline"}
        assert titles == {"Judul baru", "Delegasi Freedonia"}
        assert len(st.graphs()) == 2
    with open_store(tmp_path / "s") as st:  # written for good when the ingest returned
        assert ingest_parallel([e2, changed], st, workers=1).unchanged == ["article-two", "article-one"]


def test_bulk_batches_store_the_same_quads(tmp_path, monkeypatch):
    exs = [make_extraction(key=f"article-{i}") for i in range(7)]
    with open_store(tmp_path / "one") as st:
        ingest_parallel(exs, st, workers=1)
        expected = quads_of(st)
    monkeypatch.setattr(par, "BULK_QUADS", 100)  # a bulk write every article or two
    with open_store(tmp_path / "many") as st:
        ingest_parallel(exs, st, workers=1)
        assert quads_of(st) == expected
