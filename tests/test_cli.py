"""CLI behaviour: exit codes, one-line errors, no tracebacks; stats and validate on a store."""

from __future__ import annotations

import json

import pytest

from kg.cli import main
from kg.pipeline import ingest_articles
from kg.store import open_store
from tests.conftest import make_extraction


@pytest.fixture
def filled_store(tmp_path):
    path = tmp_path / "store"
    st = open_store(path)
    ingest_articles([make_extraction("a"), make_extraction("b")], st)
    st.close()
    return path


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text


def test_help_lists_the_commands(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for cmd in ("ingest", "extract", "query", "export", "viz", "stats", "validate", "demo"):
        assert cmd in out


def test_stats_counts_articles_and_entities(capsys, filled_store):
    code, out, err = run(capsys, "stats", "--store", filled_store, "--json")
    assert code == 0, err
    s = json.loads(out)
    assert s["articles"] == 2 and s["entities"]["Person"] == 2 and s["visits"] == 2


def test_validate_accepts_what_kg_writes(capsys, filled_store):
    code, out, err = run(capsys, "validate", "--store", filled_store)
    assert code == 0, out + err
    assert "valid" in out


def test_query_on_missing_store_is_one_line_error(capsys, tmp_path):
    code, out, err = run(capsys, "query", "SELECT * WHERE { ?s ?p ?o }", "--store", tmp_path / "nope")
    assert code == 1 and err.strip().startswith("error:") and len(err.strip().splitlines()) == 1
    _no_traceback(err)


def test_nonsense_sparql_is_one_line_error(capsys, filled_store):
    code, out, err = run(capsys, "query", "SELECT nonsense {", "--store", filled_store)
    assert code == 1 and "error:" in err
    _no_traceback(err)


def test_extract_missing_file_is_one_line_error(capsys, tmp_path):
    code, _, err = run(capsys, "extract", tmp_path / "missing.txt")
    assert code == 1 and "no such file" in err
    _no_traceback(err)


def test_ingest_skips_bad_files_with_reasons(capsys, tmp_path, filled_store):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    before = open_store(filled_store)
    n = before.count()
    before.close()
    code, out, err = run(capsys, "ingest", tmp_path / "empty.txt", tmp_path / "bin.txt", tmp_path / "bad.jsonl", "--store", filled_store, "-q")
    assert code == 0
    assert "skipped 3" in err and "empty file" in err and "binary" in err and "invalid JSON" in err
    _no_traceback(err)
    after = open_store(filled_store)
    assert after.count() == n  # nothing stored was lost
    after.close()


def test_second_writer_gets_store_busy(capsys, filled_store):
    holder = open_store(filled_store)
    try:
        code, _, err = run(capsys, "stats", "--store", filled_store)
    finally:
        holder.close()
    assert code == 1 and "store busy" in err
    _no_traceback(err)


def test_export_trig_reparses(capsys, tmp_path, filled_store):
    from rdflib import Dataset

    out_file = tmp_path / "x.trig"
    code, _, err = run(capsys, "export", "--store", filled_store, "--format", "trig", "-o", out_file)
    assert code == 0, err
    ds = Dataset()
    ds.parse(out_file, format="trig")
    assert len(list(ds.graphs())) >= 3  # default + two article graphs


def test_viz_writes_offline_html(capsys, tmp_path, filled_store):
    html = tmp_path / "g.html"
    code, _, err = run(capsys, "viz", "--store", filled_store, "-o", html)
    assert code == 0, err
    page = html.read_text()
    assert "vis.Network" in page or "new vis" in page
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page
    assert "Anna Berg" in page


def test_the_command_sizes_the_collector_for_extraction(capsys):
    import gc

    from kg.cli import main as kg_main
    from kg.pipeline import GC_THRESHOLDS

    old = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert kg_main(["--help"]) == 0
        assert gc.get_threshold() == GC_THRESHOLDS
    finally:
        gc.set_threshold(*old)
