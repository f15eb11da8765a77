"""`kg query`, `kg queries`, `kg export` on both back ends: exit codes, messages, no tracebacks."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kg.cli import main
from kg.store import EmbeddedStore, RemoteStore
from tests.access_helpers import Listener, fill, oxigraph_server


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "store"
    st = EmbeddedStore(path)
    fill(st)
    st.close()
    return path


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("ox")) as url:
        fill(RemoteStore(url))
        yield url


@pytest.fixture(params=["store", "endpoint"])
def target(request, store_dir, oxigraph_url):
    if request.param == "store":
        return ["--store", str(store_dir)]
    return ["--endpoint", oxigraph_url]


def kg(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def test_query_table(capsys, target):
    code, out, err = kg(capsys, "query", "SELECT DISTINCT ?name WHERE { ?p a kg:Person ; rdfs:label ?name }", *target)
    assert code == 0
    assert "Anna Berg" in out and "Budi Santoso" in out
    assert "3 row(s)" in err


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_query_formats(capsys, target, fmt):
    q = "SELECT ?date WHERE { ?v a kg:Visit ; schema:startDate ?date } ORDER BY ?date"
    code, out, _ = kg(capsys, "query", q, "--format", fmt, *target)
    assert code == 0
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(out))) == [["date"], ["2023-05-05"], ["2024-02-12"]]
    elif fmt == "tsv":
        assert out.splitlines()[0] == "?date" and '"2023-05-05"^^' in out
    elif fmt == "json":
        data = json.loads(out)
        assert [b["date"]["value"] for b in data["results"]["bindings"]] == ["2023-05-05", "2024-02-12"]
    else:
        assert "<sparql" in out and "2024-02-12" in out


def test_construct_prints_turtle(capsys, target):
    import rdflib

    code, out, _ = kg(capsys, "query", "CONSTRUCT { ?v a kg:Visit } WHERE { ?v a kg:Visit }", *target)
    assert code == 0
    assert len(rdflib.Graph().parse(data=out, format="turtle")) == 2


def test_ask(capsys, target):
    assert kg(capsys, "query", "ASK { ?v a kg:Visit }", *target)[:2] == (0, "true\n")


def test_saved_query_with_parameters(capsys, target):
    code, out, _ = kg(capsys, "query", "visits-by-country", "--param", "country=FD", "--format", "csv", *target)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["date"] for r in rows] == ["2024-02-12", "2023-05-05"]


def test_parameter_with_quotes_and_braces_is_data(capsys, target):
    with Listener() as listener:
        value = f'Anna" }} }} SERVICE <{listener.url}> {{ ?s ?p ?o }} #'
        code, out, _ = kg(capsys, "query", "visits-by-person", "--param", f"person={value}", "-f", "csv", *target)
        assert code == 0 and out.strip().splitlines()[1:] == []
        assert listener.connections == 0


def test_syntax_error_shows_message_and_position(capsys, store_dir):
    code, out, err = kg(capsys, "query", "SELECT ?s WHERE {\n  ?s ?p \n}", "--store", str(store_dir))
    assert code == 1 and out == ""
    assert err.startswith("error: SPARQL syntax error at line")
    assert "column" in err


def test_service_is_refused_without_allow_network(capsys, store_dir):
    with Listener() as listener:
        q = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        code, _, err = kg(capsys, "query", q, "--store", str(store_dir))
        assert code == 1 and "refused" in err and "--allow-network" in err
        code, _, err = kg(capsys, "query", f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}", "--store", str(store_dir))
        assert code == 1 and "refused" in err
        code, _, err = kg(capsys, "query", f"LOAD <{listener.url}>", "--allow-update", "--store", str(store_dir))
        assert code == 1 and "refused" in err
        assert listener.connections == 0


def test_updates_need_allow_update(capsys, tmp_path):
    st = EmbeddedStore(tmp_path / "s")
    fill(st)
    st.close()
    code, _, err = kg(capsys, "query", "DROP ALL", "--store", str(tmp_path / "s"))
    assert code == 1 and "updates are not allowed" in err
    code, _, err = kg(capsys, "query", "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> 1 } }", "--allow-update", "--store", str(tmp_path / "s"))
    assert code == 0 and "update done" in err
    code, out, _ = kg(capsys, "query", "ASK { <urn:x:a> <urn:x:b> 1 }", "--store", str(tmp_path / "s"))
    assert out == "true\n"


def test_query_from_file_with_header(capsys, store_dir, tmp_path):
    f = tmp_path / "mine.rq"
    f.write_text(
        "# title: Visits of someone\n# param: who (name): a name\n"
        "SELECT DISTINCT ?v WHERE { VALUES ?who { UNDEF } ?p rdfs:label ?who . ?v kg:visitor ?p }\n",
        encoding="utf-8",
    )
    code, out, _ = kg(capsys, "query", f"@{f}", "-p", "who=Anna Berg", "-f", "csv", "--store", str(store_dir))
    assert code == 0 and len(out.strip().splitlines()) == 2


def test_query_errors(capsys, store_dir, tmp_path):
    s = ["--store", str(store_dir)]
    assert "needs --param country" in kg(capsys, "query", "visits-by-country", *s)[2]
    assert "no saved query 'visits-by-cuntry'" in kg(capsys, "query", "visits-by-cuntry", *s)[2]
    assert "unknown --format" in kg(capsys, "query", "ASK {}", "-f", "pdf", *s)[2]
    assert "cannot read query file" in kg(capsys, "query", f"@{tmp_path / 'none.rq'}", *s)[2]
    assert "no store at" in kg(capsys, "query", "ASK {}", "--store", str(tmp_path / "nothing"))[2]
    assert "not an http" in kg(capsys, "query", "ASK {}", "--endpoint", "ftp://x")[2]


def test_unreachable_endpoint(capsys):
    from tests.access_helpers import free_port

    code, _, err = kg(capsys, "query", "ASK {}", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert code == 1 and "cannot reach" in err


def test_kg_endpoint_environment_variable(capsys, oxigraph_url, monkeypatch):
    monkeypatch.setenv("KG_ENDPOINT", oxigraph_url)
    monkeypatch.delenv("KG_STORE", raising=False)
    code, out, _ = kg(capsys, "query", "ASK { ?v a kg:Visit }")
    assert (code, out) == (0, "true\n")


def test_queries_lists_and_shows(capsys):
    code, out, err = kg(capsys, "queries", "--json")
    data = json.loads(out)
    assert code == 0 and len(data) >= 15
    assert {"name", "title", "description", "params", "sparql"} <= set(data[0])
    code, out, _ = kg(capsys, "queries")
    assert code == 0 and "visits-by-country" in out
    code, out, _ = kg(capsys, "queries", "visits-by-country")
    assert code == 0 and "--param country=<country>" in out and "VALUES ?country" in out


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml", "graphml", "gexf", "cytoscape"])
def test_export_to_a_file(capsys, target, fmt, tmp_path):
    out_path = tmp_path / f"export.{fmt}"
    code, _, err = kg(capsys, "export", "--format", fmt, "-o", str(out_path), *target)
    assert code == 0 and out_path.stat().st_size > 100
    assert "wrote" in err


def test_export_to_stdout_and_one_graph(capsys, target):
    import rdflib

    g = "https://w3id.org/kg-visits/id/article/fixture-2"
    code, out, _ = kg(capsys, "export", "-f", "ntriples", "--graph", g, *target)
    assert code == 0
    assert len(rdflib.Graph().parse(data=out, format="nt")) > 10


def test_export_csv_folder(capsys, target, tmp_path):
    code, _, err = kg(capsys, "export", "-f", "csv", "-o", str(tmp_path / "gephi"), *target)
    assert code == 0
    assert (tmp_path / "gephi" / "nodes.csv").exists() and (tmp_path / "gephi" / "edges.csv").exists()


def test_export_errors(capsys, store_dir):
    s = ["--store", str(store_dir)]
    assert "unknown --format" in kg(capsys, "export", "-f", "pdf", *s)[2]
    assert "give a folder" in kg(capsys, "export", "-f", "csv", *s)[2]
    assert "no graph" in kg(capsys, "export", "--graph", "https://w3id.org/kg-visits/id/article/nope", *s)[2]


def test_kg_serve_command_runs_a_read_only_endpoint(store_dir):
    """`kg serve --port 0` prints its URL, answers queries, refuses updates, stops on Ctrl-C."""
    import re
    import signal
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from urllib.parse import urlencode

    cmd = [sys.executable, "-c", "from kg.cli import run; run()", "serve", "--store", str(store_dir), "--port", "0"]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 30
        while "SPARQL endpoint at" not in line and time.monotonic() < deadline:
            line = proc.stderr.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/)sparql", line)
        assert m, line
        base = m.group(1)
        with urllib.request.urlopen(base + "sparql?" + urlencode({"query": "ASK { ?v a kg:Visit }"}), timeout=10) as r:
            assert json.loads(r.read())["boolean"] is True
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(base + "sparql?" + urlencode({"query": "DROP ALL"}), timeout=10)
        assert e.value.code == 403
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
