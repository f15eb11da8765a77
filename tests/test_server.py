"""`kg serve`: a read-only SPARQL 1.1 Protocol endpoint, used through SPARQLWrapper."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.server import ServerSettings, make_server
from kg.store import EmbeddedStore
from tests.access_helpers import Listener, fill, oxigraph_server

pytestmark = pytest.mark.server

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("served") / "store"
    st = EmbeddedStore(path)
    fill(st)
    st.close()
    return path


def _start(target, **settings):
    server = make_server(target, ServerSettings(port=0, **settings))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _stop(server, thread):
    server.shutdown()
    thread.join(timeout=5)
    server.close()


@pytest.fixture(scope="module")
def endpoint(store_dir):
    server, thread = _start(store_dir, timeout=1.0, max_rows=200, workers=2)
    yield server.url
    _stop(server, thread)


def client(url: str, query: str, fmt=JSON, method="GET") -> SPARQLWrapper:
    sw = SPARQLWrapper(url + "sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    return sw


def http(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_select_as_json_through_sparqlwrapper(endpoint):
    res = client(endpoint, "SELECT DISTINCT ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name").query().convert()
    assert res["head"]["vars"] == ["name"]
    assert [b["name"]["value"] for b in res["results"]["bindings"]] == ["Anna Berg", "Budi Santoso", "Piet Vos"]


@pytest.mark.parametrize("method", ["GET", POST])
def test_get_and_post(endpoint, method):
    res = client(endpoint, "ASK { ?v a kg:Visit }", method=method).query().convert()
    assert res["boolean"] is True


def test_content_negotiation(endpoint):
    q = "SELECT ?date WHERE { ?v a kg:Visit ; schema:startDate ?date } ORDER BY ?date"
    xml = client(endpoint, q, XML).query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == ["2023-05-05", "2024-02-12"]
    csv = client(endpoint, q, CSV).query().convert().decode()
    assert csv.split("\r\n")[:3] == ["date", "2023-05-05", "2024-02-12"]
    tsv = client(endpoint, q, TSV).query().convert().decode()
    assert tsv.splitlines()[0] == "?date" and '"2023-05-05"^^<http://www.w3.org/2001/XMLSchema#date>' in tsv


def test_construct_as_turtle(endpoint):
    import rdflib

    ttl = client(endpoint, "CONSTRUCT { ?v a kg:Visit } WHERE { ?v a kg:Visit }", TURTLE).query().convert()
    g = rdflib.Graph().parse(data=ttl.decode(), format="turtle")
    assert len(g) == 2


def test_direct_post_body_and_format_parameter(endpoint):
    status, headers, body = http(
        endpoint + "sparql?format=csv",
        data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Article }",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode().split("\r\n")[1] == "2"


def test_bad_query_is_400_with_position(endpoint):
    with pytest.raises(QueryBadFormed) as e:
        client(endpoint, "SELECT ?s WHERE {\n  ?s ?p \n}").query()
    assert "line 2" in str(e.value) or "line 3" in str(e.value)
    status, _, body = http(endpoint + "sparql?" + urlencode({"query": "SELEKT *"}))
    assert status == 400 and b"syntax error" in body


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://127.0.0.1:9/data.ttl>",
    ],
)
def test_updates_are_403(endpoint, query):
    # as SPARQLWrapper sends them (update=... form) and smuggled in as a query
    sw = client(endpoint, query, method=POST)
    with pytest.raises(urllib.error.HTTPError) as e:
        sw.query()
    assert e.value.code == 403
    status, _, body = http(endpoint + "sparql?" + urlencode({"query": query}))
    assert status == 403
    status, _, _ = http(endpoint + "update", data=urlencode({"update": query}).encode(), method="POST")
    assert status == 403
    status, _, _ = http(
        endpoint + "sparql", data=query.encode(), headers={"Content-Type": "application/sparql-update"}, method="POST"
    )
    assert status == 403
    # nothing changed
    res = client(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").query().convert()
    assert int(res["results"]["bindings"][0]["n"]["value"]) > 0


def test_service_is_403_and_makes_no_connection(endpoint):
    with Listener() as listener:
        for q in (
            f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
            f"SELECT * FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
        ):
            status, _, body = http(endpoint + "sparql?" + urlencode({"query": q}))
            assert status == 403, body
            assert b"network" in body
        status, _, _ = http(endpoint + "sparql", data=urlencode({"update": f"LOAD <{listener.url}>"}).encode())
        assert status == 403
        time.sleep(0.2)
        assert listener.connections == 0


def test_dataset_parameters_are_refused(endpoint):
    q = urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": "http://127.0.0.1:9/"})
    status, _, _ = http(endpoint + "sparql?" + q)
    assert status == 403


def test_result_size_cap_is_413(endpoint):
    status, _, body = http(endpoint + "sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}))
    assert status == 413 and b"LIMIT" in body
    status, _, _ = http(endpoint + "sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 200"}))
    assert status == 200


def test_timeout_stops_the_query_and_the_endpoint_keeps_serving(endpoint):
    started = time.monotonic()
    status, _, body = http(endpoint + "sparql?" + urlencode({"query": SLOW_QUERY}))
    assert status == 503 and b"timeout" in body
    assert time.monotonic() - started < 10
    deadline = time.monotonic() + 20
    while True:  # the killed worker is replaced in the background
        status, _, _ = http(endpoint + "sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert status == 200


def test_busy_store_is_503_with_retry_after(store_dir):
    server, thread = _start(store_dir, timeout=1, workers=1, queue_wait=0.2)
    try:
        slow = threading.Thread(target=http, args=(server.url + "sparql?" + urlencode({"query": SLOW_QUERY}),))
        slow.start()
        time.sleep(0.3)
        status, headers, body = http(server.url + "sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert status == 503 and b"busy" in body and headers.get("Retry-After")
        slow.join(timeout=20)
    finally:
        _stop(server, thread)


def test_cors(endpoint):
    status, headers, _ = http(
        endpoint + "sparql?" + urlencode({"query": "ASK {}"}), headers={"Origin": "http://example.org"}
    )
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(
        endpoint + "sparql",
        method="OPTIONS",
        headers={"Origin": "http://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in headers["Access-Control-Allow-Headers"]


def test_not_acceptable_and_not_found(endpoint):
    status, _, _ = http(endpoint + "sparql?" + urlencode({"query": "ASK {}"}), headers={"Accept": "image/png"})
    assert status == 406
    status, _, _ = http(endpoint + "nowhere")
    assert status == 404


def test_query_page_is_offline_and_escaped(endpoint):
    status, headers, body = http(endpoint)
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    # no external resource of any kind
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    # every saved query is listed
    from kg.queries import load_queries

    for name in load_queries():
        assert f'data-query="{name}"' in page
    # the embedded JSON cannot close its script element
    script = page.split('<script type="application/json" id="saved">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script
    json.loads(script)


def test_saved_query_over_http_binds_parameters_as_data(endpoint):
    status, _, body = http(endpoint + "queries/visits-by-country?country=FD")
    data = json.loads(body)
    assert status == 200 and len(data["results"]["bindings"]) == 2
    status, _, body = http(endpoint + "queries/visits-by-person?person=" + quote('x" } } SERVICE <http://127.0.0.1:9/> {'))
    assert status == 200 and json.loads(body)["results"]["bindings"] == []
    status, _, body = http(endpoint + "queries/visits-by-country")
    assert status == 400 and b"needs --param country" in body
    status, _, _ = http(endpoint + "queries/no-such-query")
    assert status == 404
    status, _, body = http(endpoint + "queries")
    assert status == 200 and len(json.loads(body)) >= 15


def test_serving_a_remote_endpoint(tmp_path):
    """`kg serve --endpoint URL` applies the same refusals in front of another SPARQL server."""
    with oxigraph_server(tmp_path / "ox") as url:
        from kg.store import RemoteStore

        fill(RemoteStore(url))
        server, thread = _start(url, timeout=5)
        try:
            res = client(server.url, "SELECT (COUNT(DISTINCT ?v) AS ?n) WHERE { ?v a kg:Visit }").query().convert()
            assert res["results"]["bindings"][0]["n"]["value"] == "2"
            status, _, _ = http(server.url + "sparql?" + urlencode({"query": "DROP ALL"}))
            assert status == 403
        finally:
            _stop(server, thread)


def test_missing_store_is_reported(tmp_path):
    from kg.errors import InputError

    with pytest.raises(InputError, match="no store"):
        make_server(tmp_path / "nothing", ServerSettings(port=0))


# ------------------------------------------------------------------ the query page in a browser

EVIL = 'Evil <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script>'


def _hostile_store(path):
    from datetime import date

    from kg.model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence

    text = f"{EVIL} mengunjungi Jakarta."
    art = Article(key="hostile-1", text=text, title="x", published=date(2024, 5, 6))
    doc = Document(art, "id", art.title, art.published, None, ((0, len(text)),), (Sentence(0, len(text), text),))
    ev = (Evidence(0, len(text), text, "test"),)
    ents = (Entity("p", ("Person",), EVIL), Entity("j", ("Place",), "Jakarta", (), "ID"))
    st = EmbeddedStore(path)
    fill(st, [Extraction(doc, ents, (Fact("visited", "p", "j", date=date(2024, 5, 5), evidence=ev),))])
    st.close()


@pytest.mark.browser
def test_query_page_runs_a_saved_query_offline_and_shows_hostile_text_as_text(tmp_path):
    from kg.viz.browser import CHROMIUM_FLAGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        pytest.skip("chromium not installed")
    sync_api = pytest.importorskip("playwright.sync_api")
    _hostile_store(tmp_path / "store")
    server, thread = _start(tmp_path / "store", timeout=10)
    flags = list(CHROMIUM_FLAGS)
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=flags)
            page = browser.new_page()
            requests, errors = [], []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server.url)
            page.click('button[data-query="visits-by-person"]')
            page.fill('#params input[name="person"]', EVIL)
            page.click("#run")
            page.wait_for_selector("#out table td", timeout=20_000)
            cells = page.locator("#out td").all_text_contents()
            # a free-text query typed into the box, run through POST /sparql
            page.fill("#q", "SELECT (COUNT(*) AS ?n) WHERE { ?v a kg:Visit }")
            page.click("#run")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # (wait_for_function would need 'unsafe-eval', which the CSP forbids)
                first = page.locator("#out td").first
                if first.count() and first.text_content() == "1":
                    break
                time.sleep(0.1)
            assert page.locator("#out td").first.text_content() == "1"
            xss = page.evaluate("window.__xss")
            browser.close()
        assert EVIL in cells  # shown as text, not markup
        assert xss is None
        assert errors == []
        assert all(u.startswith(server.url) for u in requests), requests
    finally:
        _stop(server, thread)
