"""The whole pipeline through the CLI on the founding article (bundled in data/articles)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "000_4c58ef622e104cb4.txt"

MEMBERS_OF_DGSI = """
SELECT DISTINCT ?name WHERE {
  ?org skos:altLabel|rdfs:label "DGSI" .
  ?p org:memberOf ?org ; a kg:Person ; rdfs:label ?name .
} ORDER BY ?name
"""


def run(capsys, *args):
    code = main([str(a) for a in args])
    c = capsys.readouterr()
    return code, c.out, c.err


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("e2e") / "store"
    assert main(["ingest", str(SEED), "--store", str(store), "-q"]) == 0
    return store


def test_members_of_dgsi_are_the_three_french_officers(capsys, seeded_store):
    code, out, err = run(capsys, "query", MEMBERS_OF_DGSI, "--store", seeded_store, "--format", "json")
    assert code == 0, err
    names = {b["name"]["value"] for b in json.loads(out)["results"]["bindings"]}
    assert names == {"Joseph Comtois", "Thierry Toutin", "Olivier"}


def test_evidence_sentence_for_a_membership(capsys, seeded_store):
    q = """SELECT ?sentence ?start ?end WHERE {
      ?st rdf:subject ?p ; rdf:predicate org:memberOf ; rdf:object ?o ; prov:wasDerivedFrom ?span .
      ?p rdfs:label "Thierry Toutin" . ?o rdfs:label|skos:altLabel "DGSI" .
      ?span schema:text ?sentence ; kg:startOffset ?start ; kg:endOffset ?end }"""
    code, out, err = run(capsys, "query", q, "--store", seeded_store, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["results"]["bindings"]
    assert rows, "no evidence for Thierry Toutin memberOf DGSI"
    text = SEED.read_text(encoding="utf-8")
    for r in rows:
        a, b = int(r["start"]["value"]), int(r["end"]["value"])
        assert b > a and text[a:b] == r["sentence"]["value"]
        assert "Thierry Toutin" in r["sentence"]["value"]


def test_reingest_changes_nothing(capsys, seeded_store):
    code, _, err = run(capsys, "ingest", SEED, "--store", seeded_store, "-q")
    assert code == 0 and "unchanged 1" in err


def test_export_reparses_and_html_is_written(capsys, tmp_path, seeded_store):
    from rdflib import Dataset

    trig = tmp_path / "all.trig"
    assert run(capsys, "export", "--store", seeded_store, "--format", "trig", "-o", trig)[0] == 0
    ds = Dataset()
    ds.parse(trig, format="trig")
    assert len(ds) > 100 or sum(len(g) for g in ds.graphs()) > 100
    html = tmp_path / "g.html"
    assert run(capsys, "viz", "--store", seeded_store, "-o", html)[0] == 0
    page = html.read_text(encoding="utf-8")
    assert "Thierry Toutin" in page and "cdn.jsdelivr" not in page


def test_store_validates_against_shapes(capsys, seeded_store):
    code, out, err = run(capsys, "validate", "--store", seeded_store)
    assert code == 0, out[-2000:]


def test_extract_facts_is_a_view_of_the_graph(capsys):
    code, out, err = run(capsys, "extract", SEED, "--format", "facts")
    assert code == 0, err
    view = json.loads(out)
    assert view["format"] == "kg-facts/1" and view["article"]["lang"] == "id"
    assert view["article"]["published"] == "2023-10-03"
    names = {e["name"] for e in view["entities"]}
    assert "Exit mobile version" not in names and "Thierry Toutin" in names
    code, out, _ = run(capsys, "extract", SEED, "--format", "turtle")
    assert code == 0 and "kg:Visit" in out or "ontology#Visit" in out


def test_console_script_runs_without_traceback(tmp_path):
    exe = Path(sys.executable).parent / "kg"
    if not exe.exists():
        pytest.skip("console script not installed")
    r = subprocess.run([str(exe), "query", "SELECT", "--store", str(tmp_path / "none")], capture_output=True, text=True)
    assert r.returncode == 1 and "error:" in r.stderr and "Traceback" not in r.stderr
