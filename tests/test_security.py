"""Security of what goes in: values are bound as data, never pasted into SPARQL.

(The SPARQL endpoint's own checks — SERVICE/LOAD refusal, loopback binding, HTML
escaping in the browser — are tested with the endpoint and the viewer.)

* a saved query's parameter that looks like SPARQL stays a string: it matches
  nothing, changes nothing, and reaches no network;
* article text, titles, keys and entity names full of SPARQL and IRI syntax are
  stored as literals, exactly, beside other articles that stay intact.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from kg.model import Article
from kg.pipeline import article_quads
from kg.rdf import article_iri
from kg.store import open_store

from .conftest import make_extraction

ROOT = Path(__file__).resolve().parent.parent


def run_kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200"})


class Listener:
    """A local TCP listener that records every connection made to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def stored(tmp_path) -> Path:
    """A store holding the fixture article (no extractor involved)."""
    store = tmp_path / "store"
    ex = make_extraction()
    with open_store(store) as st:
        st.replace_graph(article_iri(ex.article), article_quads(ex))
    return store


def all_quads(store: Path) -> set[str]:
    with open_store(store) as st:
        return {str(q) for q in st.quads()}


PAYLOADS = [
    'Anna Berg" ) } } DELETE WHERE { ?s ?p ?o } #',
    "x\" || true || \"",
    '") } UNION { ?person_iri ?p ?o } #',
    "Anna Berg' . } INSERT DATA { <urn:x> <urn:y> <urn:z> } #",
    "}}} ; DROP ALL ; #",
    "\\u0022) } #",
]


def kg_in_process(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in this process (fast); the control test below runs the real subprocess."""
    from kg.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_saved_query_parameter_is_bound_as_data(stored, payload, capsys):
    import json

    before = all_quads(stored)
    listener = Listener()
    try:
        payload_with_service = f"{payload} SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?a ?b ?c }}"
        for value in (payload, payload_with_service):
            code, out, err = kg_in_process(capsys, "query", "visits-by-person", "-p", f"person={value}",
                                           "--store", str(stored), "-f", "json")
            assert "Traceback" not in out + err
            if code == 0:
                rows = json.loads(out)
                bindings = rows["results"]["bindings"] if isinstance(rows, dict) and "results" in rows else rows
                assert len(bindings) == 0, f"the parameter matched data: {out[:300]}"
            else:
                assert code == 1 and len(err.strip().splitlines()) == 1, err
    finally:
        listener.close()
    assert listener.connections == 0, "a parameter value made a network request"
    assert all_quads(stored) == before, "a parameter value changed the store"


def test_the_real_name_as_a_parameter_does_match_and_a_payload_does_not(stored):
    """The control, through the real CLI: the real name finds the visit, a payload finds nothing."""
    r = run_kg("query", "visits-by-person", "-p", "person=Anna Berg", "--store", str(stored), "-f", "json")
    assert r.returncode == 0, r.stderr
    assert "Anna Berg" in r.stdout
    r = run_kg("query", "visits-by-person", "-p", f"person={PAYLOADS[2]}", "--store", str(stored), "-f", "json")
    assert "Traceback" not in r.stdout + r.stderr
    assert "Anna Berg" not in r.stdout


NASTY = [
    'Berg" . } } ; DROP ALL ; INSERT DATA { GRAPH <urn:evil> { <urn:a> <urn:b> "c',
    "<script>alert(1)</script> > < & ' \" \\ \\\\ \\n",
    "line one\nline two\r\n\ttabbed \u2028 \u2029 \x85",
    "emoji 🇮🇩 and ZWJ 👩‍💼, RTL \u202eevil\u202c, combining é",
    "IRI <urn:x> and ^^<http://www.w3.org/2001/XMLSchema#int> and @en",
]


@pytest.mark.parametrize("nasty", NASTY)
def test_text_and_names_with_sparql_syntax_are_stored_exactly(tmp_path, nasty):
    good = make_extraction(key="good-article")
    base = make_extraction(key="nasty-article")
    art = replace(base.article, title=f"Judul {nasty}", source=nasty)
    doc = replace(base.document, article=art, title=art.title, source=nasty)
    ents = tuple(replace(e, name=f"{e.name} {nasty}") if e.type == "Person" else e for e in base.entities)
    ex = replace(base, document=doc, entities=ents)
    with open_store(tmp_path / "store") as st:
        st.replace_graph(article_iri(good.article), article_quads(good))
        good_quads = {str(q) for q in st.quads(article_iri(good.article))}
        st.replace_graph(article_iri(art), article_quads(ex))
        assert {str(q) for q in st.quads(article_iri(good.article))} == good_quads
        assert set(st.graphs()) == {article_iri(good.article), article_iri(art)}
        labels = {r["l"].value for r in st.query(
            "SELECT ?l WHERE { GRAPH ?g { ?p a <https://w3id.org/kg-visits/ontology#Person> ; "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?l } }")}
        assert f"Anna Berg {nasty}" in labels
        titles = {r["t"].value for r in st.query(
            "SELECT ?t WHERE { GRAPH ?g { ?a <https://schema.org/headline> ?t } }")}
        assert f"Judul {nasty}" in titles


@pytest.mark.parametrize("key", [
    "> } ; DROP ALL ; #",
    "../../etc/passwd",
    "http://example.org/a b?c=<d>#e",
    "a" * 500,
    "北京",
])
def test_article_keys_with_iri_syntax_give_safe_distinct_graph_iris(tmp_path, key):
    import pyoxigraph as ox

    iri = article_iri(Article(key=key, text="x"))
    ox.NamedNode(iri)  # a valid IRI
    assert not any(c in iri for c in ' <>"{}|\\^`')
    assert iri != article_iri(Article(key=key + "2", text="x"))
