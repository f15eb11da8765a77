"""The HTML views in a real browser (Debian's chromium driven by Playwright).

Run ``tests/setup_browser.sh`` first to install chromium; without chromium or
Playwright these tests skip. The page must make no network request, log no
console error, draw every node, and show hostile text as text.
"""

from __future__ import annotations

from datetime import date

import pytest

from kg.model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence
from kg.pipeline import ingest_articles
from kg.viz.browser import CHROMIUM_FLAGS, find_chromium

pytestmark = pytest.mark.browser

CHROMIUM = find_chromium()
IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"
EVIL_NAME = f"Evil {IMG} {SCRIPT} href"


def _hostile_extraction() -> Extraction:
    text = f"{EVIL_NAME} visited Freedonia on Monday. Said {IMG} and {SCRIPT} loudly."
    art = Article(key="hostile-1", text=text, title=f"Headline {IMG}", published=date(2024, 5, 6), source="x.org")
    s1 = text.index(" on Monday.") + len(" on Monday.")
    doc = Document(art, "en", art.title, art.published, art.source, ((0, len(text)),),
                   (Sentence(0, s1, text[:s1]), Sentence(s1 + 1, len(text), text[s1 + 1 :])))
    ents = (
        Entity("p", ("Person",), EVIL_NAME, (f"alias {SCRIPT}",)),
        Entity("c", ("Country",), "Freedonia", country="FD"),
        Entity("q", ("Person",), "Plain Person"),
    )
    ev = (Evidence(0, len(text), text, "test.rule"),)
    facts = (
        Fact("visited", "p", "c", date=date(2024, 5, 6), evidence=ev),
        Fact("metWith", "p", "q", date=date(2024, 5, 6), evidence=ev),
        Fact("role", "p", value=f"Minister {IMG}", evidence=ev),
    )
    return Extraction(doc, ents, facts)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("chromium not installed (run tests/setup_browser.sh)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        yield b
        b.close()


def _open(browser, path):
    """Open a page, recording requests, console errors and dialogs."""
    seen = {"requests": [], "errors": [], "dialogs": []}
    page = browser.new_page()
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def on_dialog(d):
        seen["dialogs"].append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri())
    page.wait_for_function("window.kgSettled === true", timeout=30_000)
    return page, seen


def _external(urls):
    return [u for u in urls if not u.startswith(("file:", "data:", "about:", "blob:"))]


def _store_with_hostile(tmp_path):
    from kg.store import open_store

    st = open_store(tmp_path / "store")
    ingest_articles([_hostile_extraction()], st)
    return st


def test_page_is_offline_quiet_and_draws_every_node(browser, tmp_path):
    from kg.viz import render_view

    st = _store_with_hostile(tmp_path)
    path, g = render_view(st, tmp_path / "graph.html", view="entity")
    st.close()
    page, seen = _open(browser, path)
    assert _external(seen["requests"]) == []
    assert seen["errors"] == []
    drawn = int(page.get_attribute("body", "data-kg-drawn"))
    assert drawn == g.number_of_nodes() == 3
    assert page.evaluate("network.body.data.nodes.length") == g.number_of_nodes()
    page.close()


def test_hostile_label_and_evidence_show_as_text(browser, tmp_path):
    from kg.viz import render_view

    st = _store_with_hostile(tmp_path)
    path, g = render_view(st, tmp_path / "graph.html", view="entity")
    st.close()
    page, seen = _open(browser, path)
    evil = next(i for i, n in enumerate(g.nodes) if "Evil" in g.nodes[n]["label"])
    # click the hostile node: the details panel lists its label, role, aliases and evidence
    box = page.locator("#mynetwork canvas").bounding_box()
    pos = page.evaluate(f"(() => {{ const p = network.getPositions([{evil}])[{evil}]; return network.canvasToDOM(p); }})()")
    page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_timeout(400)
    tip = page.text_content("#kg-tip")
    assert IMG in tip and "Minister" in tip
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_timeout(300)
    panel = page.text_content("#kg-panel")
    assert IMG in panel and SCRIPT in panel  # shown literally, as text
    assert "Headline" in panel  # the evidence carries the article title
    assert page.evaluate("document.querySelectorAll('#kg-panel *:not(div):not(h3), #kg-tip *').length") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert _external(seen["requests"]) == []
    page.close()


def test_country_view_and_filters(browser, tmp_path):
    from kg.viz import render_view

    st = _store_with_hostile(tmp_path)
    path, g = render_view(st, tmp_path / "graph.html", view="entity")
    st.close()
    page, seen = _open(browser, path)
    page.select_option("#kg-type", "Country")
    shown = page.evaluate("network.body.data.nodes.get({filter: n => !n.hidden}).length")
    assert shown == 1
    page.click("#kg-reset")
    page.fill("#kg-from", "2030-01-01")
    page.dispatch_event("#kg-from", "change")
    hidden_edges = page.evaluate("network.body.data.edges.get({filter: e => e.hidden}).length")
    assert hidden_edges >= 2
    assert seen["errors"] == []
    page.close()
