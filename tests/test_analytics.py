"""Projections and measures on a small store: HSG fixture records plus a news article."""

from __future__ import annotations

import doctest
import importlib
import json
from pathlib import Path

import networkx as nx
import pytest

from kg.analytics import countries_graph, entity_graph, orgs_graph, people_graph, view_graph
from kg.analytics.brokers import articulation_points, bridges, brokers
from kg.analytics.centrality import betweenness, centrality_table, eigenvector, pagerank
from kg.analytics.communities import components, core_numbers, louvain
from kg.analytics.paths import ego_network, find_node, shortest_connection
from kg.analytics.scores import ANALYTICS_GRAPH, write_scores
from kg.analytics.timeline import pair_contacts, plot_timeline, visits_over_time
from kg.errors import InputError
from kg.ingest import hsg
from kg.ontology import ID
from kg.pipeline import ingest_articles

FIX = Path(__file__).resolve().parent / "fixtures" / "hsg"
US, GB, DE, ID_ = (f"{ID}country/{c}" for c in ("US", "GB", "DE", "ID"))
KERRY = f"{ID}person/john-forbes-kerry"
MERKEL = f"{ID}person/angela-merkel"


def _make_extraction():
    import importlib.util
    import sys

    mod = sys.modules.get("kg_tests_conftest")
    if mod is None:
        spec = importlib.util.spec_from_file_location("kg_tests_conftest", Path(__file__).parent / "conftest.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        sys.modules["kg_tests_conftest"] = mod
    return mod.make_extraction()


@pytest.fixture
def kg_store(store, monkeypatch):
    """HSG fixture records (without the English extractor) and the conftest article."""
    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", None)
    items = list(hsg.read_hsg_paths([FIX / "trips.xml", FIX / "visits.xml"]))
    ingest_articles(items + [_make_extraction()], store)
    return store


@pytest.fixture
def base(kg_store):
    return entity_graph(kg_store)


def test_entity_graph_nodes_and_edges_carry_attributes(base):
    kerry = base.nodes[KERRY]
    assert kerry["label"] == "John Forbes Kerry" and kerry["type"] == "Person" and kerry["country"] == "US"
    assert kerry["roles"] == ["Secretary of State"] and kerry["mentions"] == 3
    blk = base.nodes[f"{ID}facility/balai-latihan-kerja-surabaya"]
    assert blk["types"] == ["Organization", "Facility"] and blk["aliases"] == ["BLK Surabaya"]
    e = base.get_edge_data(KERRY, DE)["visited"]
    assert e["rel"] == "visited" and e["weight"] == 1 and e["first"] == e["last"] == "2013-02-26"
    assert base.get_edge_data(KERRY, MERKEL)["metWith"]["first"] == "2013-02-26"


def test_one_country_node_for_records_and_news(base):
    assert base.nodes[ID_]["mentions"] == 3
    assert len([n for n, d in base.nodes(data=True) if d["label"] == "Indonesia"]) == 1


def test_countries_graph_is_directed_weighted_by_year(kg_store, base):
    g = countries_graph(kg_store, base=base)
    assert g.is_directed()
    assert g.edges[US, GB]["weight"] == 1 and g.edges[US, GB]["by_year"] == {2013: 1}
    assert g.has_edge(ID_, US) and g.has_edge(US, ID_)
    assert g.nodes[US]["visits_out"] == 4  # Kerry x3, Obama x1
    only_2010 = countries_graph(kg_store, base=base, years=(2010, 2010))
    assert not only_2010.has_edge(US, GB) and only_2010.has_edge(ID_, US)


def test_people_graph_links_co_participants(kg_store, base):
    g = people_graph(kg_store, base=base)
    assert g.has_edge(KERRY, MERKEL) and g.edges[KERRY, MERKEL]["weight"] == 1
    assert all(g.nodes[n]["type"] == "Person" for n in g)


def test_orgs_graph_links_organisations_through_delegations(kg_store, base):
    g = orgs_graph(kg_store, base=base)
    mfa = f"{ID}org/kementerian-luar-negeri-freedonia"
    blk = f"{ID}facility/balai-latihan-kerja-surabaya"
    assert g.has_edge(mfa, blk)


def test_view_graph_rejects_unknown_view(kg_store):
    with pytest.raises(InputError, match="unknown view"):
        view_graph(kg_store, "planets")


def test_centrality_measures(base):
    table, notes = centrality_table(base)
    assert set(table) >= {"degree", "weighted_degree", "pagerank", "betweenness"}
    assert sum(table["pagerank"].values()) == pytest.approx(1.0)
    assert notes["betweenness"] == "exact"
    top = max(table["degree"], key=table["degree"].get)
    assert top in (US, KERRY)


def test_betweenness_is_sampled_and_seeded_on_large_graphs():
    g = nx.barabasi_albert_graph(400, 3, seed=1)
    a = betweenness(g, exact_below=100, budget_s=0.05)
    b = betweenness(g, exact_below=100, budget_s=0.05)
    assert not a.exact and a.k < 400 and "sampled" in a.note and "seed 42" in a.note
    assert a.scores == b.scores
    assert betweenness(g).exact


def test_eigenvector_defined_on_star_and_undefined_without_edges():
    assert eigenvector(nx.empty_graph(3)) is None
    e = eigenvector(nx.star_graph(50))
    assert max(e, key=e.get) == 0


def test_pagerank_uses_weights():
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", weight=5)
    g.add_edge("c", "b", weight=1)
    pr = pagerank(g)
    assert max(pr, key=pr.get) == "b"


def test_louvain_is_reproducible_and_components_sorted(base):
    p1, q1 = louvain(base, seed=7)
    p2, q2 = louvain(base, seed=7)
    assert p1 == p2 and q1 == q2
    comps = components(base)
    assert [len(c) for c in comps] == sorted((len(c) for c in comps), reverse=True)
    assert max(core_numbers(base).values()) >= 1


def test_brokers_articulation_points_and_bridges(base):
    points = articulation_points(base)
    assert KERRY in points and US in points
    bs = brokers(base)
    assert bs[0].separates >= bs[-1].separates
    assert {b.node for b in bs} == points
    assert bridges(base)


def test_shortest_connection_has_evidence_for_every_hop(kg_store, base):
    hops = shortest_connection(kg_store, base, "Angela Merkel", "Indonesia")
    assert [h.source_label for h in hops] == ["Angela Merkel", "John Forbes Kerry"]
    assert hops[-1].target_label == "Indonesia"
    assert hops[0].rels == ("<-metWith",) and hops[1].rels == ("visited",)
    for h in hops:
        assert h.evidence, h
        ev = h.evidence[0]
        assert ev["sentence"] and ev["article"].startswith(f"{ID}article/") and ev["title"]
    assert "Angela Merkel" in hops[0].evidence[0]["sentence"]
    assert "Jakarta, Indonesia" in hops[1].evidence[0]["sentence"]


def test_no_connection_and_unknown_names_are_input_errors(kg_store, base):
    with pytest.raises(InputError, match="no entity named"):
        shortest_connection(kg_store, base, "Nobody Atall", "Indonesia")
    apart = nx.Graph()
    apart.add_node("x", label="Alpha", aliases=[])
    apart.add_node("y", label="Beta", aliases=[])
    with pytest.raises(InputError, match="no connection"):
        shortest_connection(kg_store, apart, "Alpha", "Beta")


def test_find_node_by_alias_and_local_id(base):
    assert find_node(base, "BLK Surabaya").endswith("balai-latihan-kerja-surabaya")
    assert find_node(base, "person:john-forbes-kerry") == KERRY
    assert find_node(base, "kerry") == KERRY


def test_ego_network(base):
    ego = ego_network(base, MERKEL, depth=1)
    assert set(ego) == {MERKEL, KERRY}
    assert len(ego_network(base, MERKEL, depth=2)) > 5


def test_timeline_per_year_and_month_and_pair(kg_store, tmp_path):
    years = dict(visits_over_time(kg_store))
    assert years == {"2010": 3, "2013": 3, "2024": 1}
    months = dict(visits_over_time(kg_store, by="month"))
    assert months["2013-02"] == 2
    # Kerry in Jakarta, Yudhoyono from Indonesia, and the delegation at a facility in Indonesia
    assert dict(visits_over_time(kg_store, entity=ID_)) == {"2010": 1, "2013": 1, "2024": 1}
    c = pair_contacts(kg_store, KERRY, MERKEL)
    assert c["contacts"] == 1 and c["first"] == c["last"] == "2013-02-26"
    png = plot_timeline(list(years.items()), tmp_path / "t.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_scores_are_written_to_their_own_graph_and_sortable(kg_store, base):
    table, _ = centrality_table(base)
    n = write_scores(kg_store, "entity", {"pagerank": table["pagerank"]})
    assert n == base.number_of_nodes()
    write_scores(kg_store, "countries", {"pagerank": {US: 0.9, GB: 0.1}})
    write_scores(kg_store, "entity", {"pagerank": table["pagerank"]})  # replaces, keeps countries
    q = f"""PREFIX kg: <https://w3id.org/kg-visits/ontology#>
    SELECT ?e ?s ?v WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{ ?r a kg:ScoreRecord ; kg:entity ?e ; kg:measure "pagerank" ;
      kg:view ?v ; kg:score ?s }} }} ORDER BY DESC(?s)"""
    rows = list(kg_store.query(q))
    assert len(rows) == base.number_of_nodes() + 2
    entity_rows = [r for r in rows if r["v"].value == "entity"]
    best = max(table["pagerank"], key=table["pagerank"].get)
    assert entity_rows[0]["e"].value == best


def test_analytics_do_not_see_scores_as_entities(kg_store, base):
    write_scores(kg_store, "entity", {"degree": {KERRY: 3.0}})
    again = entity_graph(kg_store)
    assert again.number_of_nodes() == base.number_of_nodes()


def test_empty_store_gives_empty_views(store):
    g = entity_graph(store)
    assert g.number_of_nodes() == 0
    assert countries_graph(store, base=g).number_of_nodes() == 0
    table, notes = centrality_table(g)
    assert table["pagerank"] == {} and "eigenvector" in notes


@pytest.mark.parametrize(
    "name",
    ["kg.analytics.projection", "kg.analytics.centrality", "kg.analytics.communities", "kg.analytics.brokers",
     "kg.analytics.paths", "kg.analytics.summary", "kg.viz.html", "kg.ingest.hsg"],
)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


# -- the CLI -----------------------------------------------------------------------


@pytest.fixture
def cli_store(tmp_path, monkeypatch):
    from kg.store import open_store

    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", None)
    path = tmp_path / "store"
    with open_store(path) as st:
        ingest_articles(list(hsg.read_hsg_paths([FIX / "trips.xml", FIX / "visits.xml"])) + [_make_extraction()], st)
    return path


def _run(capsys, *args):
    from kg.cli import main

    code = main(list(args))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


@pytest.mark.parametrize("view", ["entity", "countries", "people", "orgs"])
def test_cli_centrality_json_per_view(capsys, cli_store, view):
    code, out, err = _run(capsys, "analyze", "centrality", "--store", str(cli_store), "--view", view, "-f", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["rows"] and {"entity", "pagerank", "betweenness", "id"} <= set(doc["rows"][0])
    assert doc["notes"]["betweenness"] == "exact"


def test_cli_centrality_write_then_sparql(capsys, cli_store):
    code, _, err = _run(capsys, "analyze", "centrality", "--store", str(cli_store), "--write", "-f", "csv")
    assert code == 0 and "score records" in err
    from kg.store import open_store

    with open_store(cli_store) as st:
        rows = list(st.query(f"""PREFIX kg: <https://w3id.org/kg-visits/ontology#>
          SELECT ?e WHERE {{ GRAPH <{ANALYTICS_GRAPH}> {{ ?r kg:entity ?e ; kg:measure "betweenness" ; kg:score ?s }} }}
          ORDER BY DESC(?s) LIMIT 1"""))
    assert rows[0]["e"].value in (US, KERRY)


def test_cli_path_csv_has_evidence(capsys, cli_store):
    code, out, err = _run(capsys, "analyze", "path", "Angela Merkel", "Indonesia", "--store", str(cli_store), "-f", "csv")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0] == "hop,from,relation,to,evidence,source,date"
    assert len(lines) == 3 and "Met with Foreign Minister Guido Westerwelle" in lines[1]


def test_cli_path_unknown_entity_is_one_line_error(capsys, cli_store):
    code, out, err = _run(capsys, "analyze", "path", "Zorro", "Indonesia", "--store", str(cli_store))
    assert code == 1 and "error:" in err and "Zorro" in err and "Traceback" not in err


def test_cli_ego_communities_brokers_summary(capsys, cli_store):
    s = str(cli_store)
    code, out, _ = _run(capsys, "analyze", "ego", "Kerry", "--store", s, "-f", "json", "--depth", "1")
    assert code == 0 and {r["entity"] for r in json.loads(out)["rows"]} >= {"Angela Merkel", "Indonesia"}
    code, out, err = _run(capsys, "analyze", "communities", "--store", s, "-f", "json")
    assert code == 0 and json.loads(out)["communities"] >= 2
    code, out, err = _run(capsys, "analyze", "brokers", "--store", s, "--view", "people", "-f", "json")
    assert code == 0 and json.loads(out)["rows"][0]["entity"] == "John Forbes Kerry"
    code, out, err = _run(capsys, "analyze", "summary", "--store", s, "-f", "json")
    doc = json.loads(out)
    assert code == 0 and doc["views"]["countries"]["nodes"] == 6 and doc["visits"]["total"] == 7
    code, out, err = _run(capsys, "analyze", "summary", "--store", s)
    assert code == 0 and "entity" in out and "visits: 7" in out


def test_cli_timeline_plot_and_pair(capsys, cli_store, tmp_path):
    png = tmp_path / "t.png"
    code, out, err = _run(capsys, "analyze", "timeline", "--store", str(cli_store), "--plot", str(png), "-f", "csv")
    assert code == 0 and out.splitlines()[0] == "year,visits" and png.stat().st_size > 1000
    code, out, err = _run(capsys, "analyze", "timeline", "Kerry", "Merkel", "--store", str(cli_store), "-f", "json")
    assert code == 0 and json.loads(out)["rows"][0]["first"] == "2013-02-26"
    code, out, err = _run(capsys, "analyze", "timeline", "--store", str(cli_store), "--plot", str(tmp_path / "t.jpg"))
    assert code == 1 and ".png" in err


def test_cli_bad_options_are_one_line_errors(capsys, cli_store):
    code, _, err = _run(capsys, "analyze", "centrality", "--store", str(cli_store), "--view", "planets")
    assert code == 1 and "unknown --view" in err and "Traceback" not in err
    code, _, err = _run(capsys, "analyze", "centrality", "--store", str(cli_store), "-f", "xml")
    assert code == 1 and "unknown --format" in err
    code, _, err = _run(capsys, "analyze", "summary", "--store", str(cli_store.parent / "nope"))
    assert code == 1 and "no store" in err
