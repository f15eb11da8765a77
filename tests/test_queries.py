"""The saved-query library: headers, safe parameter binding, and every query running."""

from __future__ import annotations

import doctest
import importlib

import pyoxigraph as ox
import pytest

from kg.errors import InputError, QueryError
from kg.queries import (
    QUERY_DIR,
    get_query,
    load_queries,
    parse_param_args,
    parse_saved_query,
    placeholders,
    run,
    to_term,
)
from kg.sparql_safety import check_query
from kg.store import EmbeddedStore
from tests.access_helpers import Listener, fill

SAVED = load_queries()

#: Topics the issue asks the library to cover, each with a saved query name.
COVERAGE = {
    "visits by visiting country": "visits-by-country",
    "visits by organisation": "visits-by-organisation",
    "visits by person": "visits-by-person",
    "visits by host": "visits-by-host",
    "visits by place": "visits-to-place",
    "visits by date range": "visits-in-date-range",
    "members of an organisation with roles": "organisation-members",
    "a person's timeline": "person-timeline",
    "who accompanied and who hosted a delegation": "visit-companions-and-hosts",
    "quotes by a person": "quotes-by-person",
    "quotes about a topic word": "quotes-about",
    "organisations and units of a country": "country-organisations",
    "country-to-country visit counts by year": "country-visit-counts-by-year",
    "co-participants of a person": "co-participants",
    "the evidence sentences and article of any fact": "fact-evidence",
    "the most recent visits": "recent-visits",
    "entities with most aliases": "most-aliases",
}


@pytest.fixture(scope="module")
def sample_store():
    st = EmbeddedStore(None)
    fill(st)
    yield st
    st.close()


def rows(res) -> list[dict[str, str | None]]:
    names = [v.value for v in res.variables]
    return [{n: (None if s[n] is None else s[n].value) for n in names} for s in res]


@pytest.mark.parametrize("name", ["kg.queries", "kg.sparql_safety", "kg.export", "kg.store", "kg.server"])
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_library_has_at_least_fifteen_queries_covering_the_issue():
    assert len(SAVED) >= 15
    for topic, name in COVERAGE.items():
        assert name in SAVED, topic


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_header_is_complete(name):
    q = SAVED[name]
    assert q.title and q.description
    assert sorted(placeholders(q.text)) == sorted({p.name for p in q.params} | set(placeholders(q.text)))
    assert {p.name for p in q.params} == set(placeholders(q.text))
    for p in q.params:
        assert p.description, p.name
    if any(p.required for p in q.params):
        assert q.example, "a query with parameters shows an example"


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_is_safe_sparql_as_written(name):
    info = check_query(SAVED[name].text)
    assert info.form == "SELECT" and info.network == ()


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_answers_its_example(name, sample_store):
    q = SAVED[name]
    info, res = run(sample_store, q.bind(dict(q.example)))
    got = rows(res)
    assert got, f"{name} returned nothing for its example {q.example}"


def test_visits_by_country_finds_both_visits_newest_first(sample_store):
    q = get_query("visits-by-country")
    got = rows(run(sample_store, q.bind({"country": "fd"}))[1])
    assert [r["date"] for r in got] == ["2024-02-12", "2023-05-05"]
    assert got[0]["visitor"] == "Delegasi Kementerian Luar Negeri Freedonia"
    assert rows(run(sample_store, q.bind({"country": "ID"}))[1]) == []


def test_planned_visits_are_not_visits(sample_store):
    got = rows(run(sample_store, get_query("visits-to-place").bind({"place": "Surabaya"}))[1])
    assert [r["destination"] for r in got] == ["Balai Latihan Kerja Surabaya"]
    planned = rows(run(sample_store, get_query("planned-visits").bind({}))[1])
    assert [r["date"] for r in planned] == ["2024-03-01"]


def test_companions_and_hosts(sample_store):
    got = rows(run(sample_store, get_query("visit-companions-and-hosts").bind({"visitor": "anna berg"}))[1])
    assert len(got) == 1
    assert got[0]["companions"] == "Piet Vos" and got[0]["hosts"] == "Budi Santoso"


def test_date_range_bounds_are_inclusive_and_optional(sample_store):
    q = get_query("visits-in-date-range")
    assert len(rows(run(sample_store, q.bind({}))[1])) == 2
    assert len(rows(run(sample_store, q.bind({"from": "2024-02-12"}))[1])) == 1
    assert len(rows(run(sample_store, q.bind({"to": "2023-05-05"}))[1])) == 1
    assert rows(run(sample_store, q.bind({"from": "2025-01-01"}))[1]) == []


def test_country_visit_counts(sample_store):
    got = rows(run(sample_store, get_query("country-visit-counts-by-year").bind({}))[1])
    assert {(r["year"], r["from_country"], r["to_country"], r["visits"]) for r in got} == {
        ("2024", "FD", "ID", "1"),
        ("2023", "FD", "ID", "1"),
    }


def test_evidence_of_a_role_gives_sentence_offsets_and_article(sample_store):
    got = rows(run(sample_store, get_query("fact-evidence").bind({"entity": "Anna Berg", "relation": "role"}))[1])
    assert len(got) == 1
    r = got[0]
    assert r["value"] == "Direktur Asia" and r["object"] is None
    assert "Anna Berg sebagai Direktur Asia" in r["sentence"]
    assert int(r["start"]) < int(r["end"]) and r["article"].endswith("/article/fixture-1")


@pytest.mark.parametrize(
    "value",
    [
        'Anna Berg" } } SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } #',
        "x' } UNION { ?a ?b ?c } #",
        "} } } LIMIT 0",
        '"""',
        "\\u0022 }",
        "Anna Berg\n} # newline",
    ],
)
def test_a_value_with_quotes_or_braces_is_data(value, sample_store):
    q = get_query("visits-by-person")
    text = q.bind({"person": value})
    info = check_query(text)  # still one well-formed query, with no network access
    assert info.network == ()
    assert rows(run(sample_store, text)[1]) == []
    # the value comes back unchanged as a term
    assert to_term(value, "name").value == value


def test_injected_service_in_a_value_makes_no_connection(sample_store):
    with Listener() as listener:
        value = f'x" }} SERVICE <{listener.url}> {{ ?s ?p ?o }} #'
        text = get_query("quotes-about").bind({"word": value})
        assert rows(run(sample_store, text)[1]) == []
        assert listener.connections == 0


def test_missing_unknown_and_mistyped_parameters():
    q = get_query("visits-by-country")
    with pytest.raises(InputError, match="needs --param country"):
        q.bind({})
    with pytest.raises(InputError, match="has no parameter 'nation'"):
        q.bind({"country": "FD", "nation": "x"})
    with pytest.raises(InputError, match="not an ISO 3166-1"):
        q.bind({"country": "France"})
    with pytest.raises(InputError, match="not a date"):
        get_query("visits-in-date-range").bind({"from": "12/2/2024"})


@pytest.mark.parametrize(
    "value, type, expected",
    [
        ("Anna", "string", '"Anna"'),
        ("id", "country", '"ID"'),
        ("2024-02-01", "date", '"2024-02-01"^^<http://www.w3.org/2001/XMLSchema#date>'),
        ("2023", "year", '"2023"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        ("<https://w3id.org/kg-visits/id/person/anna-berg>", "iri", "<https://w3id.org/kg-visits/id/person/anna-berg>"),
    ],
)
def test_values_become_single_terms(value, type, expected):
    assert str(to_term(value, type)) == expected


@pytest.mark.parametrize("value", ["not an iri", "http://x/a b", "relative/path", "<http://x/>}"])
def test_bad_iris_are_refused(value):
    with pytest.raises(InputError):
        to_term(value, "iri")


def test_unknown_query_name_suggests_close_ones():
    with pytest.raises(InputError, match="did you mean visits-by-country"):
        get_query("visits-by-cuntry")


def test_header_errors_are_reported_with_the_file():
    with pytest.raises(InputError, match="no '# title:'"):
        parse_saved_query("SELECT * WHERE { ?s ?p ?o }", "x")
    with pytest.raises(InputError, match="no 'VALUES \\?who"):
        parse_saved_query("# title: T\n# param: who (name): someone\nSELECT * WHERE { ?s ?p ?o }", "x")
    with pytest.raises(InputError, match="not declared"):
        parse_saved_query("# title: T\nSELECT * WHERE { VALUES ?who { UNDEF } }", "x")
    with pytest.raises(InputError, match="no known type"):
        parse_saved_query("# title: T\n# param: who (person): x\nSELECT * WHERE { VALUES ?who { UNDEF } }", "x")


def test_param_args():
    assert parse_param_args(["a=1", "b=x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}
    with pytest.raises(InputError):
        parse_param_args(["novalue"])
    with pytest.raises(InputError):
        parse_param_args(["a=1", "a=2"])


def test_engine_syntax_error_positions_refer_to_the_users_text(sample_store):
    # rdflib accepts this (an unknown function is a runtime matter) but make the engine parse fail:
    with pytest.raises(QueryError):
        run(sample_store, "SELECT * WHERE {\n ?s ?p ?o \n FILTER(?x = ) }")


def test_query_dir_holds_the_files():
    assert QUERY_DIR.is_dir()
    assert len(list(QUERY_DIR.glob("*.rq"))) == len(SAVED)
    assert isinstance(to_term("x"), ox.Literal)
