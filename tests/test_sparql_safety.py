"""Refusing SPARQL that reaches the network or writes, before any engine sees it."""

from __future__ import annotations

import pytest
from tests.access_helpers import Listener

from kg.errors import QueryError
from kg.sparql_safety import RefusedQueryError, SparqlSyntaxError, check_query, inspect_query
from kg.store import EmbeddedStore


@pytest.mark.parametrize(
    "text, op",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE <http://example.org/sparql>"),
        ("SELECT * WHERE { SERVICE SILENT <http://example.org/s> { ?s ?p ?o } }", "SERVICE <http://example.org/s>"),
        ("SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE ?endpoint"),
        ("PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }", "SERVICE ex:sparql"),
        ("SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <http://x/> { ?s ?p ?o } } }", "SERVICE <http://x/>"),
        ("SELECT * WHERE { FILTER EXISTS { SERVICE <http://x/> { ?s ?p ?o } } }", "SERVICE <http://x/>"),
        ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }", "SERVICE <http://x/>"),
        ("select * where { service <http://x/> { ?s ?p ?o } }", "SERVICE <http://x/>"),
        ("SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", "SERVICE <http://x/>"),
        ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "FROM <http://example.org/data.ttl>"),
        ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM NAMED <http://example.org/g>"),
        ("CONSTRUCT { ?s ?p ?o } FROM <http://x/> WHERE { ?s ?p ?o }", "FROM <http://x/>"),
        ("LOAD <http://example.org/data.ttl>", "LOAD <http://example.org/data.ttl>"),
        ("LOAD SILENT <http://example.org/d.ttl> INTO GRAPH <urn:g>", "LOAD <http://example.org/d.ttl>"),
        ("DELETE { ?s ?p ?o } USING <http://x/> WHERE { ?s ?p ?o }", "USING <http://x/>"),
        ("INSERT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SERVICE <http://x/>"),
    ],
)
def test_network_operations_are_found_and_refused(text, op):
    info = inspect_query(text)
    assert op in info.network
    with pytest.raises(RefusedQueryError, match="reach the network"):
        check_query(text, allow_update=True)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?service ?load ?from WHERE { ?service ?load ?from }",
        'SELECT * WHERE { ?s ?p "SERVICE <http://x/> { }" }',
        "SELECT * WHERE { ?s ?p '''LOAD <http://x/>\nFROM <http://y/>''' }",
        "PREFIX service: <http://x/> SELECT * WHERE { ?s service:load service:from }",
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE <http://x/> { }",
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_the_words_as_data_are_not_refused(text):
    assert check_query(text).network == ()


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <urn:g>",
        "CREATE GRAPH <urn:g>",
        "COPY <urn:a> TO <urn:b>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_unless_allowed(text):
    with pytest.raises(RefusedQueryError, match="updates are not allowed"):
        check_query(text)
    assert check_query(text, allow_update=True).form == "UPDATE"


def test_network_refusal_can_be_lifted():
    text = "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"
    assert check_query(text, allow_network=True).network == ("SERVICE <http://x/>",)


@pytest.mark.parametrize(
    "text, form",
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ASK { ?s ?p ?o }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <urn:x>", "DESCRIBE"),
        ("PREFIX kg: <https://w3id.org/kg-visits/ontology#>\nSELECT ?v WHERE { ?v a kg:Visit }", "SELECT"),
    ],
)
def test_query_forms(text, form):
    assert inspect_query(text).form == form


def test_syntax_error_gives_line_and_column():
    with pytest.raises(SparqlSyntaxError) as e:
        inspect_query("SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(?s = \n}")
    assert e.value.line is not None and e.value.line >= 2
    assert e.value.column is not None
    assert "line" in str(e.value) and "column" in str(e.value)
    assert isinstance(e.value, QueryError)


@pytest.mark.parametrize("text", ["", "   ", "SELECT", "hello world", "SELECT * WHERE { ?s ?p ?o"])
def test_malformed_text_is_a_syntax_error(text):
    with pytest.raises(SparqlSyntaxError):
        inspect_query(text)


def test_refused_service_makes_no_connection():
    """The local listener stands for a remote SPARQL service: it must see nothing."""
    from kg.queries import run

    with Listener() as listener:
        store = EmbeddedStore(None)
        text = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        with pytest.raises(RefusedQueryError):
            run(store, text)
        load = f"LOAD <{listener.url}>"
        with pytest.raises(RefusedQueryError):
            run(store, load, allow_update=True)
        assert listener.connections == 0


def test_listener_sees_the_connection_when_network_is_allowed():
    """Positive control: the listener does notice a SERVICE call that is let through."""
    from kg.queries import run

    with Listener() as listener:
        store = EmbeddedStore(None)
        text = f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}"
        try:
            info, res = run(store, text, allow_network=True)
            list(res)
        except QueryError:
            pass
        import time

        deadline = time.monotonic() + 5
        while listener.connections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert listener.connections >= 1
