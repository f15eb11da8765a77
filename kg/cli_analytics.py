"""CLI: network analytics (``kg analyze ...``), interactive HTML (``kg viz``), ``kg report``."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from .cli_common import StoreOpt, err, open_cli_store, out
from .errors import InputError

__all__ = ["register"]

ViewOpt = Annotated[str, typer.Option("--view", help="entity | countries | people | orgs")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | csv | json")]
TopOpt = Annotated[int, typer.Option("--top", "-n", help="How many rows (0 = all).")]
WriteOpt = Annotated[bool, typer.Option("--write", help="Store the scores in the analytics named graph.")]
BudgetOpt = Annotated[float, typer.Option("--budget", help="Seconds for betweenness on large graphs (then sampled).")]

FORMATS = ("table", "csv", "json")

analyze_app = typer.Typer(
    help="Network analytics on the graph: centrality, communities, paths, brokers, time.",
    no_args_is_help=True,
)


def _check(view: str, fmt: str) -> None:
    from .analytics import VIEWS

    if view not in VIEWS:
        raise InputError(f"unknown --view '{view}' (use {', '.join(VIEWS)})")
    if fmt not in FORMATS:
        raise InputError(f"unknown --format '{fmt}' (use {', '.join(FORMATS)})")


def _emit(rows: list[dict[str, Any]], fmt: str, *, title: str = "", note: str = "", extra: dict | None = None) -> None:
    """Rows to stdout as a table, CSV or JSON; notes go to stderr (JSON carries them)."""
    if fmt == "json":
        doc: dict[str, Any] = {"rows": rows}
        if title:
            doc["title"] = title
        if note:
            doc["note"] = note
        if extra:
            doc.update(extra)
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return
    columns: list[str] = []
    for r in rows:
        for k in r:
            if k not in columns:
                columns.append(k)
    if fmt == "csv":
        w = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _cell(v) for k, v in r.items()})
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title or None, show_lines=False)
        for c in columns:
            table.add_column(Text(c), overflow="fold")
        for r in rows:
            table.add_row(*[Text(_cell(r.get(c))) for c in columns])
        out.print(table)
    if note:
        err.print(note, highlight=False, markup=False)


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, list | tuple):
        return "; ".join(map(str, v))
    return str(v)


def _short(text: str, n: int = 32) -> str:
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def _graph(st, view: str):
    from .analytics import view_graph

    return view_graph(st, view)


@analyze_app.command()
def centrality(
    store: StoreOpt = None,
    view: ViewOpt = "entity",
    fmt: FormatOpt = "table",
    top_n: TopOpt = 20,
    sort: Annotated[str, typer.Option(help="Measure to sort by.")] = "pagerank",
    write: WriteOpt = False,
    budget: BudgetOpt = 10.0,
) -> None:
    """Degree, weighted degree, PageRank, betweenness and eigenvector per entity."""
    from .analytics.centrality import MEASURES, centrality_table

    _check(view, fmt)
    if sort not in MEASURES:
        raise InputError(f"unknown --sort '{sort}' (use {', '.join(MEASURES)})")
    with open_cli_store(store, must_exist=True) as st:
        g = _graph(st, view)
        table, notes = centrality_table(g, budget_s=budget)
        if write:
            from .analytics.scores import write_scores

            n = write_scores(st, view, table)
            err.print(f"wrote {n} score records (view {view}) to the analytics graph", highlight=False)
    key = table.get(sort, table["pagerank"])
    nodes = sorted(g, key=lambda n: (-key.get(n, 0.0), str(n)))
    if top_n:
        nodes = nodes[:top_n]
    rows = []
    for n in nodes:
        d = g.nodes[n]
        row: dict[str, Any] = {"entity": d.get("label", n), "type": d.get("type"), "country": d.get("country")}
        for m in MEASURES:
            if m in table:
                row[m] = round(table[m].get(n, 0.0), 6)
        row["id"] = n
        rows.append(row)
    note = "; ".join(f"{m}: {t}" for m, t in notes.items())
    _emit(rows, fmt, title=f"centrality ({view} view, {g.number_of_nodes()} nodes)", note=note, extra={"notes": notes})


@analyze_app.command()
def communities(
    store: StoreOpt = None,
    view: ViewOpt = "entity",
    fmt: FormatOpt = "table",
    top_n: TopOpt = 20,
    write: WriteOpt = False,
    seed: Annotated[int, typer.Option(help="Random seed for Louvain.")] = 42,
) -> None:
    """Louvain communities (seeded), connected components and k-cores."""
    from .analytics.communities import components, core_numbers, louvain

    _check(view, fmt)
    with open_cli_store(store, must_exist=True) as st:
        g = _graph(st, view)
        parts, q = louvain(g, seed=seed)
        cores = core_numbers(g)
        comps = components(g)
        if write:
            from .analytics.scores import write_scores

            member = {n: float(i) for i, c in enumerate(parts) for n in c}
            comp = {n: float(i) for i, c in enumerate(comps) for n in c}
            n = write_scores(st, f"{view}-structure", {"community": member, "component": comp, "kcore": {k: float(v) for k, v in cores.items()}})
            err.print(f"wrote {n} records (view {view}-structure) to the analytics graph", highlight=False)
    u_deg = dict(g.degree())
    rows = []
    for i, c in enumerate(parts[: top_n or None]):
        members = sorted(c, key=lambda n: (-u_deg.get(n, 0), str(n)))
        rows.append({
            "community": i,
            "size": len(c),
            "max_kcore": max(cores.get(n, 0) for n in c),
            "members": [g.nodes[n].get("label", n) for n in members[:8]],
        })
    note = (f"{len(parts)} communities (Louvain, seed {seed}, modularity {q:.3f}); "
            f"{len(comps)} connected components, largest {len(comps[0]) if comps else 0}; "
            f"main core k={max(cores.values()) if cores else 0}")
    _emit(rows, fmt, title=f"communities ({view} view)", note=note,
          extra={"modularity": q, "components": [len(c) for c in comps], "communities": len(parts)})


@analyze_app.command()
def path(
    a: Annotated[str, typer.Argument(help="First entity: name, alias or id (person:jane-doe).")],
    b: Annotated[str, typer.Argument(help="Second entity.")],
    store: StoreOpt = None,
    view: ViewOpt = "entity",
    fmt: FormatOpt = "table",
) -> None:
    """The shortest connection between two entities, with the evidence sentence for every hop."""
    from .analytics.paths import shortest_connection

    _check(view, fmt)
    with open_cli_store(store, must_exist=True) as st:
        g = _graph(st, view)
        hops = shortest_connection(st, g, a, b)
    rows = []
    for i, h in enumerate(hops, 1):
        ev = h.evidence[0] if h.evidence else {}
        rows.append({
            "hop": i,
            "from": h.source_label,
            "relation": ", ".join(h.rels),
            "to": h.target_label,
            "evidence": ev.get("sentence"),
            "source": ev.get("title") or ev.get("article"),
            "date": ev.get("date"),
        })
    _emit(rows, fmt, title=f"{hops[0].source_label} -> {hops[-1].target_label}: {len(hops)} hop(s)" if hops else "")


@analyze_app.command()
def ego(
    name: Annotated[str, typer.Argument(help="The entity at the centre.")],
    store: StoreOpt = None,
    view: ViewOpt = "entity",
    fmt: FormatOpt = "table",
    depth: Annotated[int, typer.Option(help="Hops from the centre.")] = 1,
    top_n: TopOpt = 50,
) -> None:
    """An entity's neighbourhood: who and what is within DEPTH hops, by distance and weight."""
    import networkx as nx

    from .analytics.paths import ego_network, find_node

    _check(view, fmt)
    if depth < 1:
        raise InputError("--depth must be at least 1")
    with open_cli_store(store, must_exist=True) as st:
        g = _graph(st, view)
    center = find_node(g, name)
    sub = ego_network(g, center, depth=depth)
    u = sub.to_undirected(as_view=True)
    dist = nx.single_source_shortest_path_length(u, center)
    rows = []
    for n in sub:
        if n == center:
            continue
        rels = set()
        w = 0
        for x, y in ((center, n), (n, center)):
            if sub.has_edge(x, y):
                data = sub.get_edge_data(x, y)
                for d in data.values() if sub.is_multigraph() else [data]:
                    rels.add(str(d.get("rel")))
                    w += d.get("weight", 1)
        d = sub.nodes[n]
        rows.append({"entity": d.get("label", n), "type": d.get("type"), "country": d.get("country"),
                     "hops": dist.get(n), "relations": sorted(rels), "weight": w, "id": n})
    rows.sort(key=lambda r: (r["hops"], -r["weight"], r["entity"]))
    if top_n:
        rows = rows[:top_n]
    label = g.nodes[center].get("label", center)
    _emit(rows, fmt, title=f"ego network of {label} (depth {depth}): {sub.number_of_nodes() - 1} entities",
          extra={"center": center})


@analyze_app.command()
def timeline(
    names: Annotated[list[str] | None, typer.Argument(help="Optional: one entity (its visits) or two (their contacts).")] = None,
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    by: Annotated[str, typer.Option(help="year | month")] = "year",
    plot: Annotated[Path | None, typer.Option("--plot", help="Also write a bar chart (PNG).")] = None,
) -> None:
    """Visits per year or month; with two entities, their first and last contact."""
    from .analytics import entity_graph
    from .analytics.paths import find_node
    from .analytics.timeline import pair_contacts, plot_timeline, visits_over_time

    if fmt not in FORMATS:
        raise InputError(f"unknown --format '{fmt}' (use {', '.join(FORMATS)})")
    if by not in ("year", "month"):
        raise InputError(f"unknown --by '{by}' (use year or month)")
    names = names or []
    if len(names) > 2:
        raise InputError("give at most two entities")
    if plot is not None and plot.suffix.lower() != ".png":
        raise InputError(f"--plot {plot}: give a .png file name")
    with open_cli_store(store, must_exist=True) as st:
        entity = None
        title = "visits"
        if names:
            g = entity_graph(st)
            iris = [find_node(g, n) for n in names]
            labels = [g.nodes[i].get("label", i) for i in iris]
            if len(iris) == 2:
                c = pair_contacts(st, iris[0], iris[1])
                _emit([{"a": labels[0], "b": labels[1], **c}], fmt, title="first and last contact")
                return
            entity = iris[0]
            title = f"visits involving {labels[0]}"
        series = visits_over_time(st, by=by, entity=entity)
    rows = [{by: p, "visits": n} for p, n in series]
    _emit(rows, fmt, title=f"{title} per {by}")
    if plot is not None:
        plot_timeline(series, plot, title=f"{title} per {by}")
        err.print(f"wrote {plot}", highlight=False)


@analyze_app.command("brokers")
def brokers_cmd(
    store: StoreOpt = None,
    view: ViewOpt = "entity",
    fmt: FormatOpt = "table",
    top_n: TopOpt = 20,
) -> None:
    """Articulation points (ranked by how many entities depend on them) and bridges."""
    from .analytics.brokers import bridges, brokers

    _check(view, fmt)
    with open_cli_store(store, must_exist=True) as st:
        g = _graph(st, view)
    bs = brokers(g, limit=max(top_n, 50) if top_n else 10**9)
    rows = [{"entity": g.nodes[b.node].get("label", b.node), "type": g.nodes[b.node].get("type"),
             "separates": b.separates, "degree": b.degree, "id": b.node} for b in bs[: top_n or None]]
    br = bridges(g)
    _emit(rows, fmt, title=f"brokers ({view} view)", note=f"{len(br)} bridges (edges whose removal splits the graph)",
          extra={"bridges": [[g.nodes[x].get("label", x), g.nodes[y].get("label", y)] for x, y in br[:200]]})


@analyze_app.command("summary")
def summary_cmd(
    store: StoreOpt = None,
    fmt: FormatOpt = "table",
    top_n: TopOpt = 10,
    budget: BudgetOpt = 3.0,
) -> None:
    """Sizes of each view, top entities, communities, brokers and the time span."""
    from .analytics.summary import summary

    if fmt not in FORMATS:
        raise InputError(f"unknown --format '{fmt}' (use {', '.join(FORMATS)})")
    with open_cli_store(store, must_exist=True) as st:
        s = summary(st, n=top_n or 10, budget_s=budget)
    if fmt == "json":
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return
    rows = []
    for view, info in s["views"].items():
        rows.append({
            "view": view, "nodes": info["nodes"], "edges": info["edges"], "components": info["components"],
            "largest": info["largest_component"], "communities": info.get("communities"),
            "modularity": info.get("modularity"),
            "top (PageRank)": [x["label"] for x in info.get("top_pagerank", [])[:top_n or 10]],
            "brokers": [x["label"] for x in info.get("brokers", [])[:top_n or 10]],
        })
    if fmt == "csv":
        _emit(rows, fmt)
        return
    _emit([{k: v for k, v in r.items() if k not in ("top (PageRank)", "brokers")} for r in rows], "table", title="kg summary")
    for r in rows:
        if r["top (PageRank)"]:
            out.print(f"{r['view']:>9}  top: " + ", ".join(_short(x) for x in r["top (PageRank)"][:5]), highlight=False, markup=False)
        if r["brokers"]:
            out.print(f"{'':>9}  brokers: " + ", ".join(_short(x) for x in r["brokers"][:5]), highlight=False, markup=False)
    v = s["visits"]
    out.print(f"visits: {v['total']} from {v['first_year']} to {v['last_year']}; busiest: "
              + ", ".join(f"{x['year']} ({x['visits']})" for x in v["busiest_years"]), highlight=False, markup=False)
    out.print("entities: " + ", ".join(f"{t} {n}" for t, n in s["types"].items()), highlight=False, markup=False)
    notes = {view: info.get("betweenness") for view, info in s["views"].items() if info.get("betweenness")}
    err.print("betweenness: " + "; ".join(f"{k}: {v}" for k, v in notes.items()), highlight=False, markup=False)
    err.print(f"computed in {s['timings']['total']} s", highlight=False)


def viz(
    store: StoreOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("outputs/graph.html"),
    view: ViewOpt = "entity",
    size: Annotated[str, typer.Option("--size", help="Node size by: pagerank | degree | betweenness")] = "pagerank",
    top_n: Annotated[int, typer.Option("--top", help="Keep the N highest-ranked entities (0 = all).")] = 0,
    focus: Annotated[str | None, typer.Option("--focus", help="Ego view around this entity.")] = None,
    depth: Annotated[int, typer.Option("--depth", help="Hops around --focus.")] = 1,
    evidence: Annotated[bool, typer.Option("--evidence/--no-evidence", help="Evidence sentences in edge tooltips.")] = True,
) -> None:
    """Write a graph view as an interactive HTML page that works offline."""
    from .analytics import VIEWS
    from .viz import render_view

    if view not in VIEWS:
        raise InputError(f"unknown --view '{view}' (use {', '.join(VIEWS)})")
    if output.suffix.lower() != ".html":
        raise InputError(f"--output {output}: give an .html file name")
    with open_cli_store(store, must_exist=True) as st:
        path, g = render_view(st, output, view=view, size=size, top=top_n, focus=focus, depth=depth, evidence=evidence)
    err.print(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", highlight=False)


def report(
    store: StoreOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write index.html and the views into.")] = Path("outputs/report"),
    top_n: Annotated[int, typer.Option("--top", help="Entities in the top-N entity view.")] = 500,
    budget: BudgetOpt = 3.0,
) -> None:
    """Write an HTML report: index.html with top tables, charts and links to the graph views."""
    from .report import write_report

    with open_cli_store(store, must_exist=True) as st:
        index = write_report(st, output, top=top_n, budget_s=budget, console=err)
    err.print(f"wrote {index}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(viz)
    app.command()(report)
    app.add_typer(analyze_app, name="analyze")
