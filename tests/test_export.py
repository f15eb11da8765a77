"""Exports: RDF round-trips, and the entity graph for Gephi, Neo4j and Cytoscape."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.analytics.projection import entity_graph
from kg.errors import InputError
from kg.export import EDGE_COLUMNS, NODE_COLUMNS, RDF_FORMATS, export_store, flat_graph
from kg.rdf import article_iri
from kg.store import EmbeddedStore
from tests.access_helpers import fill, sample_extractions

RDFLIB_FORMAT = {
    "turtle": "turtle",
    "trig": "trig",
    "nquads": "nquads",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}
QUAD_FORMATS = {"trig", "nquads", "jsonld"}


@pytest.fixture(scope="module")
def sample_store():
    st = EmbeddedStore(None)
    fill(st)
    yield st
    st.close()


def _expected_dataset(store) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    buf = io.BytesIO()
    store.oxigraph.dump(buf, __import__("pyoxigraph").RdfFormat.N_QUADS)
    ds.parse(data=buf.getvalue().decode(), format="nquads")
    return ds


def _union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_reparses_to_the_same_graph(fmt, sample_store):
    data = export_store(sample_store, fmt)
    expected = _expected_dataset(sample_store)
    if fmt in QUAD_FORMATS:
        got = rdflib.Dataset()
        got.parse(data=data.decode(), format=RDFLIB_FORMAT[fmt])
        names = {str(g.identifier) for g in expected.graphs() if len(g)}
        assert names == {str(g.identifier) for g in got.graphs() if len(g)}
        for name in names:
            assert isomorphic(expected.graph(rdflib.URIRef(name)), got.graph(rdflib.URIRef(name))), name
    else:
        got = rdflib.Graph().parse(data=data.decode(), format=RDFLIB_FORMAT[fmt])
        assert isomorphic(_union(expected), got)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_one_article_graph(fmt, sample_store, tmp_path):
    graph = article_iri(sample_extractions()[1].article)
    out = tmp_path / f"one.{fmt}"
    export_store(sample_store, fmt, out, graph=graph)
    got = rdflib.Graph().parse(out, format=RDFLIB_FORMAT[fmt])
    expected = rdflib.Graph()
    for q in sample_store.quads(graph):
        expected.parse(data=f"{q.subject} {q.predicate} {q.object} .", format="nt")
    assert isomorphic(expected, got)


def test_unknown_graph_and_format_are_refused(sample_store):
    with pytest.raises(InputError, match="no graph"):
        export_store(sample_store, "turtle", graph="https://w3id.org/kg-visits/id/article/nope")
    with pytest.raises(InputError, match="unknown export format"):
        export_store(sample_store, "pdf")


@pytest.mark.parametrize("fmt, reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_load_in_networkx_with_the_same_counts(fmt, reader, sample_store, tmp_path):
    g = entity_graph(sample_store)
    assert g.number_of_nodes() > 5 and g.number_of_edges() > 5
    out = tmp_path / f"g.{fmt}"
    export_store(sample_store, fmt, out)
    h = reader(out)
    assert h.number_of_nodes() == g.number_of_nodes()
    assert h.number_of_edges() == g.number_of_edges()
    anna = "https://w3id.org/kg-visits/id/person/anna-berg"
    assert h.nodes[anna]["label"] == "Anna Berg" and h.nodes[anna]["type"] == "Person"
    rels = {d.get("rel") for _, _, d in h.edges(data=True)}
    assert {"visited", "memberOf", "hostedBy"} <= rels
    weights = [d.get("weight") for _, _, d in h.edges(data=True)]
    assert all(int(w) >= 1 for w in weights)


def test_graphml_keeps_dates_and_countries(sample_store):
    h = nx.read_graphml(io.BytesIO(export_store(sample_store, "graphml")))
    countries = {d.get("country") for _, d in h.nodes(data=True)}
    assert {"FD", "ID"} <= countries
    visited = [d for s, t, d in h.edges(data=True) if d.get("rel") == "visited"]
    assert any(d.get("first") == "2023-05-05" for d in visited)


def test_csv_nodes_and_edges_for_gephi_and_neo4j(sample_store, tmp_path):
    g = entity_graph(sample_store)
    export_store(sample_store, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "nodes.csv").open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with (tmp_path / "csv" / "edges.csv").open(encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert tuple(nodes[0]) == NODE_COLUMNS and tuple(edges[0]) == EDGE_COLUMNS
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    ids = {n["Id"] for n in nodes}
    assert all(e["Source"] in ids and e["Target"] in ids for e in edges)
    assert all(e["Type"] == "Directed" for e in edges)
    assert len({e["Id"] for e in edges}) == len(edges)
    cypher = (tmp_path / "csv" / "neo4j-import.cypher").read_text()
    assert "LOAD CSV WITH HEADERS FROM 'file:///nodes.csv'" in cypher


def test_csv_needs_a_folder(sample_store, tmp_path):
    with pytest.raises(InputError, match="folder"):
        export_store(sample_store, "csv")
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(InputError, match="folder"):
        export_store(sample_store, "csv", f)


def test_cytoscape_json_follows_the_elements_format(sample_store):
    data = json.loads(export_store(sample_store, "cytoscape"))
    g = entity_graph(sample_store)
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert len(nodes) == g.number_of_nodes() and len(edges) == g.number_of_edges()
    node_ids = {n["data"]["id"] for n in nodes}
    assert all(isinstance(n["data"]["id"], str) and n["data"]["label"] for n in nodes)
    for e in edges:
        d = e["data"]
        assert {"id", "source", "target"} <= set(d)
        assert d["source"] in node_ids and d["target"] in node_ids
    assert len({e["data"]["id"] for e in edges}) == len(edges)
    assert not node_ids & {e["data"]["id"] for e in edges}


def test_flat_graph_has_only_scalars(sample_store):
    f = flat_graph(entity_graph(sample_store))
    for _, d in f.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in d.values())
    for _, _, d in f.edges(data=True):
        assert all(isinstance(v, (str, int, float)) for v in d.values())


def test_graph_export_of_one_article(sample_store):
    graph = article_iri(sample_extractions()[1].article)
    h = nx.read_gexf(io.BytesIO(export_store(sample_store, "gexf", graph=graph)))
    labels = {d["label"] for _, d in h.nodes(data=True)}
    assert "Budi Santoso" in labels and "Balai Latihan Kerja Surabaya" not in labels
