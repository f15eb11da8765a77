"""networkx graph -> one self-contained pyvis HTML page.

Everything the page needs is inlined (vis-network), the CDN tags pyvis adds are
removed, and every string from the input is treated as text: tooltips are plain
text, never HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

__all__ = ["render_html", "TYPE_STYLE"]

#: entity type -> (colour, vis.js shape)
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#f28e2b", "box"),
    "Delegation": ("#e15759", "diamond"),
    "Facility": ("#76b7b2", "triangle"),
    "Place": ("#59a14f", "square"),
    "Country": ("#edc948", "star"),
}

_CDN_TAG = re.compile(
    r"<link[^>]*https?://[^>]*>|<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I | re.S
)


def _plain(text: str) -> str:
    # pyvis switches every tooltip to innerHTML when any title contains "href";
    # break that word so tooltips always stay plain text.
    return re.sub(r"(?i)href", lambda m: m.group(0)[:3] + "\u200b" + m.group(0)[3:], text)


def _tooltip(data: dict) -> str:
    lines = [f"{data.get('label', '')} ({data.get('type', '')})"]
    if data.get("country"):
        lines.append(f"country: {data['country']}")
    if data.get("aliases"):
        lines.append("also: " + ", ".join(sorted(data["aliases"])[:8]))
    return _plain("\n".join(lines))


def render_html(graph: nx.MultiDiGraph, path: str | Path, *, title: str = "kg graph", height: str = "800px") -> Path:
    """Write ``graph`` (an entity graph) as an interactive HTML page at ``path``."""
    from pyvis.network import Network

    path = Path(path)
    if path.suffix.lower() != ".html":
        path = path.with_suffix(".html")
    path.parent.mkdir(parents=True, exist_ok=True)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line", heading="")
    ids = list(graph.nodes)
    index = {n: i for i, n in enumerate(ids)}
    for n in ids:
        d = graph.nodes[n]
        colour, shape = TYPE_STYLE.get(d.get("type", ""), ("#bab0ac", "dot"))
        net.add_node(
            index[n],
            label=_plain(str(d.get("label", n))),
            title=_tooltip(d),
            color=colour,
            shape=shape,
            size=12 + 3 * min(graph.degree(n), 10),
        )
    for s, o, d in graph.edges(data=True):
        net.add_edge(index[s], index[o], label=d.get("rel", ""), title=_plain(f"{d.get('rel')} ({d.get('weight', 1)} source(s))"), value=d.get("weight", 1))
    net.set_options(
        """{"physics": {"stabilization": {"iterations": 300}, "barnesHut": {"springLength": 160}},
            "edges": {"arrows": {"to": {"enabled": true, "scaleFactor": 0.5}}, "font": {"size": 9, "align": "middle"},
                      "smooth": {"type": "dynamic"}},
            "nodes": {"font": {"size": 14}},
            "interaction": {"hover": true, "tooltipDelay": 150}}"""
    )
    html = net.generate_html(name=str(path), notebook=False)
    html = _CDN_TAG.sub("", html)
    # stop the physics once the layout has settled, so big graphs stay responsive
    html = html.replace(
        "return network;",
        'network.once("stabilizationIterationsDone", function () { network.setOptions({physics: false}); });\n'
        "                  return network;",
        1,
    )
    legend = "".join(
        f'<span style="margin-right:14px"><span style="display:inline-block;width:12px;height:12px;'
        f'background:{c};margin-right:4px"></span>{t}</span>'
        for t, (c, _) in TYPE_STYLE.items()
    )
    from html import escape

    header = (
        f'<div style="font-family:sans-serif;padding:6px 10px"><b>{escape(title)}</b> '
        f"&middot; {graph.number_of_nodes()} entities, {graph.number_of_edges()} relations"
        f'<div style="font-size:13px;margin-top:4px">{legend}</div></div>'
    )
    html = html.replace("<body>", "<body>\n" + header, 1)
    path.write_text(html, encoding="utf-8")
    return path
