"""networkx graph -> one self-contained pyvis HTML page.

Safe with untrusted text, and offline:

* everything the page needs is inlined (vis-network); the CDN tags pyvis adds are
  removed, so the page makes no network request;
* pyvis gets integer node ids, labels, colours and sizes -- no ``title`` (pyvis
  switches every tooltip to ``innerHTML`` when a title contains "href") and no
  select menu (it writes ids raw). Labels are drawn on the canvas, never parsed as
  HTML; pyvis JSON-escapes them (``<`` becomes ``\\u003c``);
* tooltips, the details panel, the legend and the filters are built by our own
  script from a JSON blob with ``textContent`` and ``createElement`` only;
* physics stops once the layout has settled (``stabilizationIterationsDone``);
  nodes and edges are added in batches (``Network.from_nx`` is quadratic).
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path

import networkx as nx

__all__ = ["render_html", "TYPE_STYLE", "safe_json"]

#: entity type -> (colour, vis.js shape)
TYPE_STYLE: dict[str, tuple[str, str]] = {
    "Person": ("#4e79a7", "dot"),
    "Organization": ("#f28e2b", "box"),
    "Delegation": ("#e15759", "diamond"),
    "Facility": ("#76b7b2", "triangle"),
    "Place": ("#59a14f", "square"),
    "Country": ("#edc948", "star"),
}
_OTHER = ("#bab0ac", "dot")

_CDN_TAG = re.compile(
    r"<link[^>]*https?://[^>]*>|<script[^>]*src=\"https?://[^\"]*\"[^>]*>\s*</script>", re.I | re.S
)


def safe_json(data: object) -> str:
    """JSON that can sit inside a ``<script>`` element whatever the strings hold.

    >>> safe_json({"x": "</script><img src=x onerror=alert(1)>"})
    '{"x": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _edges(graph: nx.Graph):
    if graph.is_multigraph():
        yield from graph.edges(keys=False, data=True)
    else:
        yield from graph.edges(data=True)


def render_html(
    graph: nx.Graph,
    path: str | Path,
    *,
    title: str = "kg graph",
    height: str = "800px",
    sizes: dict | None = None,
    size_label: str = "degree",
    evidence: dict | None = None,
    note: str = "",
) -> Path:
    """Write ``graph`` (an entity graph or a derived view) as an interactive HTML page.

    Parameters
    ----------
    graph : networkx graph
        Nodes with ``label``, ``type``, ``country``, ``aliases``, ``roles``; edges
        with ``rel``, ``weight``, ``first``, ``last``.
    path : path
        Where to write (``.html`` is enforced).
    title : str
        Page heading (escaped).
    sizes : dict, optional
        ``{node: score}`` sizing the nodes (default: degree).
    evidence : dict, optional
        ``{frozenset({a, b}): [ {rel, sentence, title, date, article}, ... ]}`` shown
        in edge tooltips and the details panel.
    note : str
        A line under the heading (e.g. "top 500 by PageRank").
    """
    from pyvis.network import Network

    path = Path(path)
    if path.suffix.lower() != ".html":
        path = path.with_suffix(".html")
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = list(graph.nodes)
    index = {n: i for i, n in enumerate(ids)}
    if sizes is None:
        sizes = {n: float(graph.degree(n)) for n in ids}
    top = max((sizes.get(n, 0.0) for n in ids), default=0.0) or 1.0
    directed = graph.is_directed()
    big = len(ids) > 300

    net = Network(height=height, width="100%", directed=directed, cdn_resources="in_line", heading="")
    node_ids, node_attrs = [], {"label": [], "color": [], "shape": [], "size": []}
    info_nodes = []
    for n in ids:
        d = graph.nodes[n]
        colour, shape = TYPE_STYLE.get(d.get("type", ""), _OTHER)
        node_ids.append(index[n])
        node_attrs["label"].append(str(d.get("label", n)))
        node_attrs["color"].append(colour)
        node_attrs["shape"].append(shape)
        node_attrs["size"].append(round(8 + 32 * (max(sizes.get(n, 0.0), 0.0) / top) ** 0.5, 2))
        info_nodes.append({
            "id": index[n],
            "iri": str(n),
            "label": str(d.get("label", n)),
            "type": d.get("type") or "",
            "country": d.get("country") or "",
            "aliases": [str(a) for a in (d.get("aliases") or [])][:12],
            "roles": [str(r) for r in (d.get("roles") or [])][:12],
            "score": round(float(sizes.get(n, 0.0)), 6),
        })
    # batch insert (pyvis add_node scans a list of ids per call: quadratic)
    for i, nid in enumerate(node_ids):
        nd = {"id": nid, **{k: v[i] for k, v in node_attrs.items()}}
        net.nodes.append(nd)
        net.node_ids.append(nid)
        net.node_map[nid] = nd

    info_edges = []
    edge_list = []
    rels = {str(d.get("rel", "")) for _, _, d in _edges(graph)}
    edge_labels = len(rels) > 1 and graph.number_of_edges() <= 300
    for k, (s, o, d) in enumerate(_edges(graph)):
        rel = str(d.get("rel", ""))
        w = d.get("weight", 1)
        edge_list.append({"from": index[s], "to": index[o], "id": k, "value": w,
                          **({"label": rel} if edge_labels else {})})
        ev = (evidence or {}).get(frozenset((s, o)), [])
        info_edges.append({
            "id": k, "from": index[s], "to": index[o], "rel": rel, "weight": w,
            "first": d.get("first") or "", "last": d.get("last") or "",
            "evidence": [{"rel": e.get("rel") or "", "sentence": e.get("sentence") or "", "title": e.get("title") or "",
                          "date": e.get("date") or "", "article": e.get("article") or ""} for e in ev[:3]],
        })
    # batch insert: pyvis add_edge checks every node each time; extend the list directly
    for e in edge_list:
        e.update({"arrows": "to"} if directed else {})
    net.edges.extend(edge_list)

    iterations = 100 if len(ids) > 1000 else (120 if big else 250)
    options = {
        "physics": {
            "solver": "forceAtlas2Based" if big else "barnesHut",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 80, "avoidOverlap": 0.2},
            "barnesHut": {"springLength": 160},
            "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 25, "fit": True},
            "minVelocity": 1.0,
        },
        "layout": {"improvedLayout": len(ids) <= 150, "randomSeed": 42},
        "edges": {"font": {"size": 9, "align": "middle"}, "smooth": False if big else {"type": "continuous"},
                  "scaling": {"min": 1, "max": 8}, "color": {"inherit": "from", "opacity": 0.6}},
        "nodes": {"font": {"size": 14}, "scaling": {"min": 6, "max": 40}},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big},
    }
    net.set_options(json.dumps(options))
    html = net.generate_html(name=str(path), notebook=False)
    html = _CDN_TAG.sub("", html)
    # pyvis writes the heading raw into <h1>; we pass an empty one and write our own header
    html = html.replace("<h1></h1>", "", 2)
    data = {
        "title": title,
        "note": note,
        "size": size_label,
        "types": {t: {"color": c, "shape": s} for t, (c, s) in TYPE_STYLE.items()},
        "nodes": info_nodes,
        "edges": info_edges,
    }
    header = (
        '<div id="kg-header"><b id="kg-title"></b> <span id="kg-counts"></span>'
        '<div id="kg-note"></div><div id="kg-legend"></div>'
        '<div id="kg-filters"><label>type <select id="kg-type"><option value="">all</option></select></label> '
        '<label>country <select id="kg-country"><option value="">all</option></select></label> '
        '<label>from <input id="kg-from" type="date"></label> <label>to <input id="kg-to" type="date"></label> '
        '<label>find <input id="kg-find" type="search" placeholder="name"></label> '
        '<button id="kg-reset" type="button">reset</button> <span id="kg-status">laying out...</span></div></div>'
        '<div id="kg-tip" role="tooltip"></div><div id="kg-panel" aria-live="polite"></div>'
    )
    html = html.replace("<body>", "<body>\n" + header, 1)
    html = html.replace("</head>", f"<style>{_CSS}</style>\n</head>", 1)
    html = html.replace(
        "return network;",
        f"kgInit(network, nodes, edges);\n                  return network;",
        1,
    )
    html = html.replace(
        "</body>",
        f'<script type="application/json" id="kg-data">{safe_json(data)}</script>\n<script>{_JS}</script>\n</body>',
        1,
    )
    # the data script must come before drawGraph() runs: move drawGraph's call to DOMContentLoaded
    html = html.replace("drawGraph();\n", "document.addEventListener('DOMContentLoaded', drawGraph);\n", 1)
    path.write_text(html, encoding="utf-8")
    return path


_CSS = """
body { font-family: system-ui, sans-serif; margin: 0; }
#kg-header { padding: 6px 10px; font-size: 14px; }
#kg-note { color: #555; font-size: 12px; }
#kg-legend span.kg-key { margin-right: 14px; font-size: 13px; white-space: nowrap; }
#kg-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: middle; }
#kg-filters { margin-top: 4px; font-size: 13px; }
#kg-filters label { margin-right: 8px; }
#kg-status { color: #777; }
#kg-tip { position: fixed; display: none; max-width: 420px; background: #fffff5; border: 1px solid #aaa;
  padding: 6px 8px; font-size: 12px; pointer-events: none; z-index: 10; white-space: pre-wrap; }
#kg-panel { position: fixed; right: 8px; bottom: 8px; width: 380px; max-height: 45%; overflow: auto;
  background: #fff; border: 1px solid #ccc; padding: 8px; font-size: 12px; display: none; z-index: 9; }
#kg-panel h3 { margin: 0 0 4px 0; font-size: 14px; }
#kg-panel .ev { margin: 4px 0; padding-left: 6px; border-left: 3px solid #ddd; }
#loadingBar { display: none !important; }
"""

# Our page script: only textContent / createElement, never innerHTML or HTML strings.
_JS = r"""
(function () {
  var DATA = JSON.parse(document.getElementById('kg-data').textContent);
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  window.kgInit = function (network, nodes, edges) {
    var t0 = performance.now();
    var byId = {}, edgeById = {}, nodeDates = {};
    DATA.nodes.forEach(function (n) { byId[n.id] = n; });
    DATA.edges.forEach(function (e) {
      edgeById[e.id] = e;
      [e.from, e.to].forEach(function (id) {
        if (!e.first && !e.last) { return; }
        var r = nodeDates[id] || (nodeDates[id] = {first: '9999', last: '0000'});
        if (e.first && e.first < r.first) { r.first = e.first; }
        if ((e.last || e.first) > r.last) { r.last = e.last || e.first; }
      });
    });
    document.getElementById('kg-title').textContent = DATA.title;
    document.getElementById('kg-counts').textContent =
      '\u00b7 ' + DATA.nodes.length + ' entities, ' + DATA.edges.length + ' relations \u00b7 size: ' + DATA.size;
    document.getElementById('kg-note').textContent = DATA.note || '';
    var legend = document.getElementById('kg-legend');
    var present = {};
    DATA.nodes.forEach(function (n) { present[n.type] = (present[n.type] || 0) + 1; });
    Object.keys(DATA.types).forEach(function (t) {
      if (!present[t]) { return; }
      var k = el('span', null, 'kg-key');
      var sw = el('i'); sw.style.background = DATA.types[t].color;
      if (DATA.types[t].shape === 'dot') { sw.style.borderRadius = '6px'; }
      k.appendChild(sw); k.appendChild(document.createTextNode(t + ' (' + (present[t] || 0) + ')'));
      legend.appendChild(k);
    });
    var typeSel = document.getElementById('kg-type'), countrySel = document.getElementById('kg-country');
    Object.keys(present).sort().forEach(function (t) { var o = el('option', t); o.value = t; typeSel.appendChild(o); });
    var countries = {};
    DATA.nodes.forEach(function (n) { if (n.country) { countries[n.country] = 1; } });
    Object.keys(countries).sort().forEach(function (c) { var o = el('option', c); o.value = c; countrySel.appendChild(o); });

    var tip = document.getElementById('kg-tip'), panel = document.getElementById('kg-panel');
    function nodeLines(n) {
      var lines = [n.label + ' (' + n.type + ')'];
      if (n.country) { lines.push('country: ' + n.country); }
      if (n.roles.length) { lines.push('roles: ' + n.roles.join(', ')); }
      if (n.aliases.length) { lines.push('also: ' + n.aliases.join(', ')); }
      lines.push(DATA.size + ': ' + n.score);
      return lines;
    }
    function edgeLines(e) {
      var a = byId[e.from], b = byId[e.to];
      var lines = [a.label + ' \u2014' + e.rel + '\u2192 ' + b.label + ' (' + e.weight + ' source(s))'];
      if (e.first) { lines.push(e.first === e.last || !e.last ? e.first : e.first + ' \u2026 ' + e.last); }
      e.evidence.forEach(function (v) {
        lines.push('\u201c' + v.sentence + '\u201d \u2014 ' + (v.title || v.article) + (v.date ? ' (' + v.date + ')' : ''));
      });
      return lines;
    }
    function showTip(lines, ev) {
      tip.textContent = lines.join('\n');
      var x = (ev && ev.clientX) || 20, y = (ev && ev.clientY) || 20;
      tip.style.left = Math.min(x + 14, window.innerWidth - 440) + 'px';
      tip.style.top = (y + 14) + 'px';
      tip.style.display = 'block';
    }
    function pointer(p) { return p && p.event && p.event.srcEvent ? p.event.srcEvent : (p && p.pointer ? {clientX: p.pointer.DOM.x, clientY: p.pointer.DOM.y + 80} : null); }
    network.on('hoverNode', function (p) { showTip(nodeLines(byId[p.node]), pointer(p)); });
    network.on('hoverEdge', function (p) { showTip(edgeLines(edgeById[p.edge]), pointer(p)); });
    network.on('blurNode', function () { tip.style.display = 'none'; });
    network.on('blurEdge', function () { tip.style.display = 'none'; });
    network.on('click', function (p) {
      while (panel.firstChild) { panel.removeChild(panel.firstChild); }
      if (p.nodes.length) {
        var n = byId[p.nodes[0]];
        panel.appendChild(el('h3', n.label));
        nodeLines(n).slice(1).forEach(function (l) { panel.appendChild(el('div', l)); });
        panel.appendChild(el('div', n.iri, 'iri'));
        network.getConnectedEdges(n.id).slice(0, 30).forEach(function (eid) {
          var e = edgeById[eid]; var box = el('div', null, 'ev');
          edgeLines(e).forEach(function (l) { box.appendChild(el('div', l)); });
          panel.appendChild(box);
        });
      } else if (p.edges.length) {
        var e = edgeById[p.edges[0]]; var box = el('div', null, 'ev');
        edgeLines(e).forEach(function (l) { box.appendChild(el('div', l)); });
        panel.appendChild(box);
      } else { panel.style.display = 'none'; return; }
      panel.style.display = 'block';
    });

    function applyFilters() {
      var t = typeSel.value, c = countrySel.value;
      var from = document.getElementById('kg-from').value, to = document.getElementById('kg-to').value;
      var q = document.getElementById('kg-find').value.trim().toLowerCase();
      var visible = {};
      var nodeUpdates = DATA.nodes.map(function (n) {
        var ok = (!t || n.type === t) && (!c || n.country === c);
        if (ok && q) { ok = n.label.toLowerCase().indexOf(q) >= 0 || n.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; }); }
        if (ok && (from || to) && nodeDates[n.id]) {
          var r = nodeDates[n.id];
          ok = (!from || r.last >= from) && (!to || r.first <= to);
        }
        visible[n.id] = ok;
        return {id: n.id, hidden: !ok};
      });
      var edgeUpdates = DATA.edges.map(function (e) {
        var ok = visible[e.from] && visible[e.to];
        if (ok && (from || to) && (e.first || e.last)) {
          ok = (!from || (e.last || e.first) >= from) && (!to || (e.first || e.last) <= to);
        }
        return {id: e.id, hidden: !ok};
      });
      nodes.update(nodeUpdates);
      edges.update(edgeUpdates);
      var shown = nodeUpdates.filter(function (u) { return !u.hidden; }).length;
      document.getElementById('kg-status').textContent = shown + ' of ' + DATA.nodes.length + ' shown';
    }
    ['kg-type', 'kg-country', 'kg-from', 'kg-to'].forEach(function (id) {
      document.getElementById(id).addEventListener('change', applyFilters);
    });
    document.getElementById('kg-find').addEventListener('input', applyFilters);
    document.getElementById('kg-reset').addEventListener('click', function () {
      typeSel.value = ''; countrySel.value = '';
      ['kg-from', 'kg-to', 'kg-find'].forEach(function (id) { document.getElementById(id).value = ''; });
      applyFilters();
    });

    function settled() {
      network.setOptions({physics: false});
      var ms = Math.round(performance.now() - t0);
      document.body.setAttribute('data-kg-settled-ms', String(ms));
      document.body.setAttribute('data-kg-drawn', String(Object.keys(network.getPositions()).length));
      document.getElementById('kg-status').textContent = 'settled in ' + (ms / 1000).toFixed(1) + ' s';
      window.kgSettled = true;
    }
    if (DATA.nodes.length === 0) { settled(); } else {
      network.once('stabilizationIterationsDone', settled);
      network.once('stabilized', function () { if (!window.kgSettled) { settled(); } });
    }
  };
})();
"""
