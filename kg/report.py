"""``kg report``: one folder with index.html, top tables, charts and the graph views.

Everything is static and offline: the index is plain HTML (no script), the charts
are PNG files beside it, and each graph view is a self-contained page from
:mod:`kg.viz`. Every string from the store is escaped.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from html import escape
from pathlib import Path
from typing import Any

__all__ = ["write_report"]


def _bars(items: list[tuple[str, float]], path: Path, *, title: str, xlabel: str, colour: str = "#4e79a7") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    items = list(reversed(items))
    fig, ax = plt.subplots(figsize=(7, 0.32 * max(len(items), 3) + 1.0), dpi=100)
    ax.barh([label[:40] for label, _ in items], [v for _, v in items], color=colour)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{escape(title)}</th>" for _, title in columns)
    body = []
    for r in rows:
        cells = []
        for key, _ in columns:
            v = r.get(key, "")
            if isinstance(v, float):
                v = f"{v:.4g}"
            cells.append(f"<td>{escape(str(v if v is not None else ''))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def write_report(store, output: str | Path, *, top: int = 500, budget_s: float = 3.0, console=None) -> Path:
    """Write ``index.html`` and its charts and views into ``output``; returns the index path.

    Parameters
    ----------
    store : Store
        The store to report on.
    output : path
        Folder to write into (created).
    top : int
        Size of the top-N entity view.
    budget_s : float
        Seconds for sampled betweenness on the entity view (half on the others).
    """
    from .analytics import entity_graph
    from .analytics.summary import summary
    from .analytics.timeline import plot_timeline, visits_over_time
    from .viz import render_view

    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if console is not None:
            console.print(f"[{time.perf_counter() - t0:5.1f} s] {msg}", highlight=False, markup=False)

    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    base = entity_graph(store)
    say(f"entity graph: {base.number_of_nodes()} nodes, {base.number_of_edges()} edges")
    s = summary(store, n=15, budget_s=budget_s, base=base)
    say("measures computed")

    # -- charts
    series = visits_over_time(store, by="year")
    charts: list[tuple[str, str]] = []
    if series:
        plot_timeline(series, out / "timeline.png", title="Visits per year")
        charts.append(("timeline.png", "Visits per year"))
    ent = s["views"]["entity"]
    if ent.get("top_pagerank"):
        _bars([(x["label"], x["score"]) for x in ent["top_pagerank"]], out / "top_entities.png",
              title="Most central entities (PageRank)", xlabel="PageRank")
        charts.append(("top_entities.png", "Most central entities (PageRank)"))
    cg = None
    from .analytics import countries_graph

    cg = countries_graph(store, base=base)
    country_rows = sorted(
        ({"label": d.get("label"), "country": d.get("country"), "visits_out": d.get("visits_out", 0),
          "visits_in": d.get("visits_in", 0)} for _, d in cg.nodes(data=True)),
        key=lambda r: (-(r["visits_out"] + r["visits_in"]), str(r["label"])),
    )[:15]
    if country_rows:
        _bars([(r["label"], r["visits_out"] + r["visits_in"]) for r in country_rows], out / "top_countries.png",
              title="Countries by visits made and received", xlabel="visits", colour="#edc948")
        charts.append(("top_countries.png", "Countries by visits made and received"))
    people = s["views"]["people"]
    if people.get("top_betweenness"):
        _bars([(x["label"], x["score"]) for x in people["top_betweenness"]], out / "top_brokers.png",
              title="People who connect others (betweenness)", xlabel="betweenness", colour="#e15759")
        charts.append(("top_brokers.png", "People who connect others (betweenness)"))
    say("charts written")

    # -- graph views
    views: list[tuple[str, str, str]] = []
    path, g = render_view(store, out / "entities.html", view="entity", size="pagerank", top=top, base=base,
                          title=f"kg: top {top} entities")
    views.append((path.name, f"Entity graph, top {min(top, base.number_of_nodes())} by PageRank",
                  f"{g.number_of_nodes()} entities, {g.number_of_edges()} relations; tooltips with evidence"))
    path, g = render_view(store, out / "countries.html", view="countries", size="pagerank", base=base,
                          title="kg: country network")
    views.append((path.name, "Country network", f"{g.number_of_nodes()} countries, {g.number_of_edges()} directed visit links"))
    path, g = render_view(store, out / "people.html", view="people", size="degree", top=min(top, 400), base=base,
                          title="kg: people who met")
    views.append((path.name, "People network (co-participation)", f"{g.number_of_nodes()} people, {g.number_of_edges()} links"))
    if s["views"]["orgs"]["nodes"]:
        path, g = render_view(store, out / "orgs.html", view="orgs", size="degree", top=top, base=base,
                              title="kg: organisation contacts")
        views.append((path.name, "Organisation contacts", f"{g.number_of_nodes()} organisations, {g.number_of_edges()} links"))
    say("views written")

    # -- index.html
    parts: list[str] = []
    v = s["visits"]
    parts.append(
        f"<p>{escape(str(v['total']))} visits from {escape(str(v['first_year']))} to {escape(str(v['last_year']))}; "
        + escape(", ".join(f"{t} {n}" for t, n in s["types"].items())) + ".</p>"
    )
    parts.append("<h2>Graph views</h2><ul>" + "".join(
        f'<li><a href="{escape(href)}">{escape(name)}</a> <span class="dim">{escape(desc)}</span></li>'
        for href, name, desc in views) + "</ul>")
    parts.append("<h2>Views at a glance</h2>" + _table(
        [{"view": k, **{kk: vv for kk, vv in info.items() if not isinstance(vv, list)}} for k, info in s["views"].items()],
        [("view", "view"), ("nodes", "nodes"), ("edges", "edges"), ("components", "components"),
         ("largest_component", "largest component"), ("communities", "communities"), ("modularity", "modularity"),
         ("betweenness", "betweenness")],
    ))
    parts.append('<div class="charts">' + "".join(
        f'<figure><img src="{escape(src)}" alt="{escape(alt)}"><figcaption>{escape(alt)}</figcaption></figure>'
        for src, alt in charts) + "</div>")
    parts.append('<div class="grid">')
    parts.append("<section><h2>Most central entities</h2>" + _table(
        ent.get("top_pagerank", []), [("label", "entity"), ("score", "PageRank")]) + "</section>")
    parts.append("<section><h2>Countries</h2>" + _table(
        country_rows, [("label", "country"), ("country", "ISO"), ("visits_out", "visits made"), ("visits_in", "visits received")]) + "</section>")
    parts.append("<section><h2>Brokers between people</h2>" + _table(
        people.get("top_betweenness", []), [("label", "person"), ("score", "betweenness")]) +
        f'<p class="dim">{escape(str(people.get("betweenness", "")))}</p></section>')
    parts.append("<section><h2>Who holds the network together</h2>" + _table(
        ent.get("brokers", []), [("label", "entity"), ("separates", "entities reached only through it")]) + "</section>")
    parts.append("<section><h2>Largest communities (entity graph)</h2>" + _table(
        [{"size": c["size"], "members": ", ".join(c["members"])} for c in ent.get("largest_communities", [])],
        [("size", "size"), ("members", "best connected members")]) + "</section>")
    parts.append("<section><h2>Busiest years</h2>" + _table(v["busiest_years"], [("year", "year"), ("visits", "visits")]) + "</section>")
    parts.append("</div>")
    elapsed = time.perf_counter() - t0
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    html = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kg report</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>{_CSS}</style></head>
<body><h1>kg report</h1>
<p class="dim">Generated {escape(stamp)} in {elapsed:.1f} s from {escape(str(getattr(store, "location", "")))}.
Scores are also available to SPARQL after <code>kg analyze centrality --write</code>.</p>
{''.join(parts)}
</body></html>
"""
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    say(f"report written in {elapsed:.1f} s")
    return index


_CSS = """
body { font-family: system-ui, sans-serif; margin: 24px; color: #222; max-width: 1280px; }
h1 { margin-bottom: 0; } h2 { font-size: 17px; margin: 18px 0 6px; }
.dim { color: #666; font-size: 13px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 8px 24px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.charts figure { flex: 1 1 560px; max-width: 640px; }
.charts img { width: 100%; border: 1px solid #eee; }
figure { margin: 0; } figcaption { font-size: 12px; color: #666; }
"""
