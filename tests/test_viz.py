"""HTML views: offline, escaped, legend, selection (top, focus, countries), the report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.ingest import hsg
from kg.pipeline import ingest_articles
from kg.viz import render_html, render_view, select_view
from kg.viz.html import safe_json

FIX = Path(__file__).resolve().parent / "fixtures" / "hsg"
IMG = '<img src=x onerror="alert(1)">'
SCRIPT = "<script>alert(2)</script>"


def _hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("https://x/1", label=f"Evil {IMG} {SCRIPT}", type="Person", types=["Person"], country=None,
               aliases=[f"see href=javascript:alert(3) {SCRIPT}"], roles=[IMG])
    g.add_node("https://x/2", label="Freedonia", type="Country", types=["Country"], country="FD", aliases=[], roles=[])
    g.add_edge("https://x/1", "https://x/2", key="visited", rel="visited", weight=2, first="2024-01-01", last="2024-02-01")
    return g


def _data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_page_has_no_external_resources(tmp_path):
    html = render_html(_hostile_graph(), tmp_path / "g.html").read_text(encoding="utf-8")
    assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)=["\']?https?:', html, re.I)
    assert "cdn" not in html.lower().split("<script>")[0]  # nothing from a CDN in the head
    assert "vis.Network" in html  # vis-network is inlined


def test_hostile_text_never_reaches_the_markup_raw(tmp_path):
    html = render_html(_hostile_graph(), tmp_path / "g.html", title=f"T {SCRIPT}").read_text(encoding="utf-8")
    assert IMG not in html and SCRIPT not in html
    assert "popup.innerHTML" not in html  # pyvis's HTML tooltips stay off even with "href" in the data
    assert "select-node" not in html  # no pyvis select menu (it writes ids raw)
    data = _data(html)
    assert data["title"] == f"T {SCRIPT}"  # carried as data, set with textContent
    assert data["nodes"][0]["label"] == f"Evil {IMG} {SCRIPT}"
    assert data["nodes"][0]["roles"] == [IMG]
    # our script never builds HTML from strings
    ours = html.split('id="kg-data"')[1]
    assert "innerHTML" not in ours and "insertAdjacentHTML" not in ours and "document.write" not in ours


def test_safe_json_escapes_script_breakers():
    s = safe_json({"a": "</script><!--", "b": "\u2028"})
    assert "<" not in s and ">" not in s and "\u2028" not in s
    assert json.loads(s) == {"a": "</script><!--", "b": "\u2028"}


def test_legend_sizes_and_physics_stop(tmp_path):
    g = _hostile_graph()
    html = render_html(g, tmp_path / "g", sizes={"https://x/1": 1.0, "https://x/2": 0.25}, size_label="pagerank")
    assert html.suffix == ".html"
    text = html.read_text(encoding="utf-8")
    data = _data(text)
    assert set(data["types"]) == {"Person", "Organization", "Delegation", "Facility", "Place", "Country"}
    assert data["size"] == "pagerank" and data["edges"][0]["first"] == "2024-01-01"
    assert "stabilizationIterationsDone" in text and "physics: false" in text
    assert 'id="kg-legend"' in text and 'id="kg-type"' in text and 'id="kg-from"' in text


def test_works_for_undirected_views_and_empty_graphs(tmp_path):
    g = nx.Graph()
    g.add_edge("a", "b", rel="co-participation", weight=3)
    assert _data(render_html(g, tmp_path / "u.html").read_text())["edges"][0]["weight"] == 3
    assert _data(render_html(nx.MultiDiGraph(), tmp_path / "e.html").read_text())["nodes"] == []


def test_big_graph_is_written_fast_in_batches(tmp_path):
    import time

    g = nx.gnm_random_graph(5000, 20000, seed=1)
    for n in g:
        g.nodes[n].update(label=f"n{n}", type="Person")
    t = time.perf_counter()
    render_html(g, tmp_path / "big.html")
    assert time.perf_counter() - t < 20  # from_nx took ~28 s at this size


@pytest.fixture
def viz_store(store, monkeypatch):
    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", None)
    ingest_articles(list(hsg.read_hsg_paths([FIX / "trips.xml", FIX / "visits.xml"])), store)
    return store


def test_top_focus_and_country_views(viz_store):
    g, scores, note = select_view(viz_store, top=5)
    assert g.number_of_nodes() == 5 and "top 5" in note
    g, _, note = select_view(viz_store, focus="Angela Merkel", depth=1)
    assert {d["label"] for _, d in g.nodes(data=True)} == {"Angela Merkel", "John Forbes Kerry"}
    g, _, _ = select_view(viz_store, view="countries", size="degree")
    assert all(d["type"] == "Country" for _, d in g.nodes(data=True)) and g.is_directed()
    from kg.errors import InputError

    with pytest.raises(InputError):
        select_view(viz_store, size="colour")


def test_render_view_puts_evidence_in_edge_data(viz_store, tmp_path):
    path, g = render_view(viz_store, tmp_path / "v.html", focus="Kerry", depth=1)
    data = _data(path.read_text(encoding="utf-8"))
    ev = [e for e in data["edges"] if e["evidence"]]
    assert ev and any("Met with Prime Minister David Cameron" in x["sentence"] for e in ev for x in e["evidence"])
    assert all(x["title"] for e in ev for x in e["evidence"])


def test_cli_viz_options(tmp_path, capsys, monkeypatch):
    from kg.cli import main
    from kg.store import open_store

    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", None)
    loc = str(tmp_path / "vstore")
    with open_store(loc) as st:
        ingest_articles(list(hsg.read_hsg_paths([FIX / "trips.xml", FIX / "visits.xml"])), st)
    out = tmp_path / "c.html"
    assert main(["viz", "--store", loc, "-o", str(out), "--view", "countries", "--size", "degree"]) == 0
    assert out.exists()
    assert main(["viz", "--store", loc, "-o", str(tmp_path / "t.html"), "--top", "3", "--focus", "Kerry", "--depth", "2"]) == 0
    assert len(_data((tmp_path / "t.html").read_text())["nodes"]) == 3
    assert main(["viz", "--store", loc, "-o", str(tmp_path / "x.png")]) == 1
    assert "html" in capsys.readouterr().err


def test_report_writes_index_views_and_charts(viz_store, tmp_path):
    from kg.report import write_report

    index = write_report(viz_store, tmp_path / "rep", top=50)
    html = index.read_text(encoding="utf-8")
    for name in ("entities.html", "countries.html", "people.html", "timeline.png", "top_entities.png"):
        assert (tmp_path / "rep" / name).exists(), name
        assert f'"{name}"' in html
    assert "<script" not in html  # the index is plain HTML
    assert "John Forbes Kerry" in html and "Visits per year" in html


def test_report_escapes_store_text(store, tmp_path):
    from kg.model import Article, Document, Entity, Evidence, Extraction, Fact

    text = f"{IMG} visited Freedonia."
    art = Article(key="h", text=text, title="t")
    doc = Document(art, "en", "t", None, None, ((0, len(text)),), ())
    ev = (Evidence(0, len(text), text, "r"),)
    ex = Extraction(doc, (Entity("p", ("Person",), IMG), Entity("c", ("Country",), "Freedonia", country="FD")),
                    (Fact("visited", "p", "c", evidence=ev),))
    ingest_articles([ex], store)
    from kg.report import write_report

    html = write_report(store, tmp_path / "r").read_text(encoding="utf-8")
    assert IMG not in html and "&lt;img src=x" in html
