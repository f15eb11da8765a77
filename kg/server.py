"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the store.

* ``GET /sparql?query=...``, ``POST /sparql`` (form ``query=`` or an
  ``application/sparql-query`` body); ``/query`` is the same.
* Content negotiation (``Accept`` or ``format=``): SPARQL results as JSON, XML,
  CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, RDF/XML or JSON-LD.
* CORS for every origin (read-only data), preflight included.
* Refusals before anything runs (:mod:`kg.sparql_safety`): updates, ``SERVICE``,
  ``LOAD`` and ``FROM`` get 403; a malformed query 400 with its line and column.
* Each query runs in a worker process holding the store open read-only; a query
  past the timeout has its worker killed and replaced (a pyoxigraph query cannot
  be interrupted from Python), and gets 503. When every worker is busy the
  request waits briefly, then gets 503 with ``Retry-After``. Results larger than
  ``max_rows`` get 413 instead of being cut silently.
* ``GET /`` is a small query page that works offline (no CDN, no external
  request): it lists the saved queries and runs them. ``GET /queries`` lists
  them as JSON and ``GET /queries/NAME?param=value`` runs one with its
  parameters bound as data.
"""

from __future__ import annotations

import html
import json
import pickle
import queue
import secrets
import select
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .errors import InputError, KgError, QueryError, StoreError

__all__ = ["ServerSettings", "SparqlServer", "make_server", "render_result", "negotiate", "HttpError"]


@dataclass(frozen=True)
class ServerSettings:
    """How ``kg serve`` runs."""

    host: str = "127.0.0.1"
    port: int = 7879
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    #: Seconds a request waits for a free worker before it gets 503.
    queue_wait: float = 2.0
    #: Largest request body (bytes).
    max_body: int = 1_000_000
    cors_origin: str = "*"


class HttpError(Exception):
    """An HTTP error answer: status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


# ------------------------------------------------------------------ formats

RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
#: Accepted media types -> format name (aliases included).
_MEDIA: dict[str, str] = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "text/javascript": "json",
    "application/javascript": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "turtle",
    "application/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
    "application/ld+json": "jsonld",
}


def negotiate(accept: str | None, format_param: str | None, *, graph: bool) -> str:
    """The format name to answer in, from ``format=`` or the ``Accept`` header.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", None, graph=False)
    'xml'
    >>> negotiate("text/html,*/*;q=0.8", None, graph=True)
    'turtle'
    >>> negotiate(None, "tsv", graph=False)
    'tsv'
    """
    allowed = GRAPH_TYPES if graph else RESULT_TYPES
    default = "turtle" if graph else "json"
    if format_param:
        f = format_param.strip().lower()
        f = _MEDIA.get(f, f)
        if f not in allowed:
            raise HttpError(406, f"format '{format_param}' is not available for this query (use {', '.join(allowed)})")
        return f
    if not accept or not accept.strip():
        return default
    ranked: list[tuple[float, int, str]] = []
    wildcard = False
    for i, part in enumerate(accept.split(",")):
        fields = [x.strip() for x in part.split(";")]
        media = fields[0].lower()
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            wildcard = True
            continue
        name = _MEDIA.get(media)
        if name in allowed:
            ranked.append((-q, i, name))
    if ranked:
        return sorted(ranked)[0][2]
    if wildcard:
        return default
    raise HttpError(406, f"none of the accepted types is available (this query gives: {', '.join(allowed.values())})")


class ResultTooLarge(Exception):
    pass


def _term_json(term) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        d = {"type": "literal", "value": term.value}
        if term.language:
            d["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = term.datatype.value
        return d
    return {"type": "triple", "value": str(term)}


def _term_xml(term) -> str:
    import pyoxigraph as ox

    e = html.escape
    if isinstance(term, ox.NamedNode):
        return f"<uri>{e(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{e(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{e(term.language)}">{e(term.value)}</literal>'
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f'<literal datatype="{e(term.datatype.value)}">{e(term.value)}</literal>'
        return f"<literal>{e(term.value)}</literal>"
    return f"<literal>{e(str(term))}</literal>"


def _csv_field(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    v = term.value if isinstance(term, (ox.NamedNode, ox.Literal)) else f"_:{term.value}" if isinstance(term, ox.BlankNode) else str(term)
    if any(c in v for c in ',"\r\n'):
        v = '"' + v.replace('"', '""') + '"'
    return v


def _tsv_field(term) -> str:
    return "" if term is None else str(term)


def render_result(res, fmt: str, max_rows: int) -> tuple[str, bytes]:
    """(content type, body) of a query result, refusing more than ``max_rows`` rows.

    ``res`` is what a store's ``query`` returns: solutions, a boolean or triples.
    """
    import pyoxigraph as ox

    if isinstance(res, ox.QueryBoolean) or isinstance(res, bool):
        value = bool(res)
        if fmt == "xml":
            body = (
                '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
            )
            return RESULT_TYPES["xml"], body.encode()
        if fmt in ("csv", "tsv"):
            return RESULT_TYPES[fmt], (b"true\n" if value else b"false\n")
        return RESULT_TYPES["json"], json.dumps({"head": {}, "boolean": value}).encode()
    if isinstance(res, ox.QuerySolutions):
        names = [v.value for v in res.variables]
        rows = []
        for sol in res:
            if len(rows) >= max_rows:
                raise ResultTooLarge(f"result too large: more than {max_rows} rows (add a LIMIT)")
            rows.append([sol[n] for n in names])
        if fmt == "json":
            bindings = [{n: _term_json(t) for n, t in zip(names, row) if t is not None} for row in rows]
            body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False)
            return RESULT_TYPES["json"], body.encode("utf-8")
        if fmt == "xml":
            parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
            parts += [f'<variable name="{html.escape(n)}"/>' for n in names]
            parts.append("</head><results>")
            for row in rows:
                parts.append("<result>")
                parts += [f'<binding name="{html.escape(n)}">{_term_xml(t)}</binding>' for n, t in zip(names, row) if t is not None]
                parts.append("</result>")
            parts.append("</results></sparql>\n")
            return RESULT_TYPES["xml"], "".join(parts).encode("utf-8")
        if fmt == "csv":
            lines = [",".join(names)] + [",".join(_csv_field(t) for t in row) for row in rows]
            return RESULT_TYPES["csv"] + "; charset=utf-8", ("\r\n".join(lines) + "\r\n").encode("utf-8")
        if fmt == "tsv":
            lines = ["\t".join(f"?{n}" for n in names)] + ["\t".join(_tsv_field(t) for t in row) for row in rows]
            return RESULT_TYPES["tsv"] + "; charset=utf-8", ("\n".join(lines) + "\n").encode("utf-8")
        raise HttpError(406, f"format '{fmt}' is not available for SELECT results")
    # triples (CONSTRUCT / DESCRIBE)
    from .ontology import PREFIXES

    triples = []
    for t in res:
        if len(triples) >= max_rows:
            raise ResultTooLarge(f"result too large: more than {max_rows} triples (add a LIMIT)")
        triples.append(t)
    rdf = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }.get(fmt)
    if rdf is None:
        raise HttpError(406, f"format '{fmt}' is not available for graph results")
    if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        body = ox.serialize(triples, format=rdf, prefixes=PREFIXES)
    else:
        body = ox.serialize(triples, format=rdf)
    return GRAPH_TYPES[fmt] + ("; charset=utf-8" if fmt == "turtle" else ""), body or b""


# ------------------------------------------------------------------ executors


def _send_msg(stream, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(data)) + data)
    stream.flush()


def _read_exact(stream, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = stream.read(n - len(buf))
        if not chunk:
            raise EOFError("worker pipe closed")
        buf += chunk
    return bytes(buf)


def _recv_msg(stream) -> Any:
    (n,) = struct.unpack(">Q", _read_exact(stream, 8))
    return pickle.loads(_read_exact(stream, n))


def worker_main(path: str, max_rows: int) -> None:  # pragma: no cover - runs in a child process
    """A query worker: open the store read-only, answer (query, format) messages on stdin/stdout."""
    import sys

    import pyoxigraph as ox

    inp, outp = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the message channel
    try:
        store = ox.Store.read_only(path)
    except OSError as e:
        _send_msg(outp, ("fail", f"cannot open store {path} read-only: {str(e).splitlines()[0]}"))
        return
    _send_msg(outp, ("ready",))
    while True:
        try:
            msg = _recv_msg(inp)
        except (EOFError, OSError):
            return
        if msg is None:
            return
        text, fmt = msg
        try:
            res = store.query(text, use_default_graph_as_union=True)
            ctype, body = render_result(res, fmt, max_rows)
            reply: tuple = ("ok", ctype, body)
        except SyntaxError as e:
            from .queries import shift_error_position

            reply = ("error", 400, shift_error_position(f"SPARQL syntax error: {e}"))
        except ResultTooLarge as e:
            reply = ("error", 413, str(e))
        except HttpError as e:
            reply = ("error", e.status, e.message)
        except Exception as e:  # the query failed while running: report, keep serving
            first = str(e).splitlines()[0] if str(e) else ""
            reply = ("error", 500, f"query failed: {type(e).__name__}: {first}")
        _send_msg(outp, reply)


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, path: str, max_rows: int) -> None:
        code = f"from kg.server import worker_main; worker_main({path!r}, {int(max_rows)})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=str(Path(__file__).resolve().parent.parent),
        )

    def wait_readable(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        return bool(ready)

    def send(self, obj: Any) -> None:
        _send_msg(self.process.stdin, obj)

    def recv(self) -> Any:
        return _recv_msg(self.process.stdout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for f in (self.process.stdin, self.process.stdout):
            try:
                f.close()
            except OSError:
                pass


class ProcessPool:
    """Worker processes holding an embedded store open read-only."""

    def __init__(self, path: str | Path, settings: ServerSettings) -> None:
        self.path = str(Path(path).resolve())
        self.settings = settings
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        starting = [self._start() for _ in range(max(1, settings.workers))]
        try:
            for w in starting:
                self._ready(w)
                self._idle.put(w)
        except KgError:
            self.close()
            raise

    def _start(self) -> _Worker:
        w = _Worker(self.path, self.settings.max_rows)
        with self._lock:
            self._all.add(w)
        return w

    def _ready(self, w: _Worker) -> None:
        try:
            msg = w.recv() if w.wait_readable(60) else ("fail", f"the query worker for {self.path} did not start")
        except (EOFError, OSError, pickle.UnpicklingError):
            msg = ("fail", f"the query worker for {self.path} stopped while starting")
        if msg[0] != "ready":
            self._discard(w)
            raise StoreError(msg[1])

    def _discard(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.kill()

    def _replace(self) -> None:
        def run() -> None:
            if self._closed:
                return
            try:
                w = self._start()
                self._ready(w)
            except (KgError, OSError):
                return
            if self._closed:
                self._discard(w)
            else:
                self._idle.put(w)

        threading.Thread(target=run, daemon=True).start()

    def run(self, text: str, fmt: str) -> tuple[str, bytes]:
        try:
            w = self._idle.get(timeout=self.settings.queue_wait)
        except queue.Empty:
            raise HttpError(
                503, "store busy: every query worker is running a query; retry shortly", {"Retry-After": "2"}
            ) from None
        try:
            w.send((text, fmt))
            msg = w.recv() if w.wait_readable(self.settings.timeout) else None
        except (EOFError, OSError, pickle.UnpicklingError):
            self._discard(w)
            self._replace()
            raise HttpError(503, "store busy: the query worker stopped; retry shortly", {"Retry-After": "2"}) from None
        if msg is None:
            self._discard(w)
            self._replace()
            raise HttpError(503, f"query stopped: it ran longer than the {self.settings.timeout:g} s timeout")
        self._idle.put(w)
        if msg[0] == "ok":
            return msg[1], msg[2]
        raise HttpError(msg[1], msg[2])

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            try:
                w.send(None)
            except (OSError, ValueError):
                pass
            w.kill()


class RemoteExecutor:
    """Queries forwarded to a SPARQL endpoint (timeout through the HTTP client)."""

    def __init__(self, url: str, settings: ServerSettings) -> None:
        from .store import RemoteStore

        self.settings = settings
        self.store = RemoteStore(url, timeout=settings.timeout, read_only=True)
        self._slots = threading.BoundedSemaphore(max(1, settings.workers))

    def run(self, text: str, fmt: str) -> tuple[str, bytes]:
        from .errors import StoreBusyError

        if not self._slots.acquire(timeout=self.settings.queue_wait):
            raise HttpError(503, "store busy: too many queries running; retry shortly", {"Retry-After": "2"})
        try:
            res = self.store.query(text)
            return render_result(res, fmt, self.settings.max_rows)
        except ResultTooLarge as e:
            raise HttpError(413, str(e)) from None
        except StoreBusyError as e:
            raise HttpError(503, str(e), {"Retry-After": "2"}) from None
        except QueryError as e:
            status = 503 if "did not answer within" in str(e) else 400
            raise HttpError(status, str(e)) from None
        except StoreError as e:
            raise HttpError(502, str(e)) from None
        finally:
            self._slots.release()

    def close(self) -> None:
        pass


# ------------------------------------------------------------------ HTTP


def _saved_queries() -> dict[str, Any]:
    from .queries import load_queries

    try:
        return load_queries()
    except InputError:
        return {}


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a <script> element (no tag can close it)."""
    s = json.dumps(data, ensure_ascii=False)
    return s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_PAGE_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;max-width:80em;color:#222}
textarea{width:100%;height:14em;font:13px monospace}
table{border-collapse:collapse;margin-top:1em;font-size:13px}
td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3}
li{margin:.3em 0}
.err{color:#b00;white-space:pre-wrap}
.muted{color:#666}
#params label{margin-right:1em}
pre{white-space:pre-wrap}
"""

_PAGE_JS = """
(function(){
  var saved = JSON.parse(document.getElementById('saved').textContent);
  var q = document.getElementById('q'), out = document.getElementById('out');
  var params = document.getElementById('params'), current = null;
  function el(tag, text){ var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
  function showParams(sq){
    params.textContent = '';
    (sq ? sq.params : []).forEach(function(p){
      var l = el('label', p.name + ' (' + p.type + (p.required ? '' : ', optional') + '): ');
      var i = el('input'); i.name = p.name; i.value = (sq.example || {})[p.name] || '';
      i.title = p.description; l.appendChild(i); params.appendChild(l);
    });
  }
  document.querySelectorAll('button[data-query]').forEach(function(b){
    b.addEventListener('click', function(){
      var sq = saved[b.getAttribute('data-query')];
      current = sq; q.value = sq.sparql; showParams(sq); q.focus();
    });
  });
  q.addEventListener('input', function(){ if (current && q.value !== current.sparql){ current = null; showParams(null); } });
  function render(resp, text){
    out.textContent = '';
    var type = resp.headers.get('Content-Type') || '';
    if (!resp.ok){ out.appendChild(el('p', 'HTTP ' + resp.status + ': ' + text)).className = 'err'; return; }
    if (type.indexOf('sparql-results+json') < 0){ out.appendChild(el('pre', text)); return; }
    var data = JSON.parse(text);
    if (data.boolean !== undefined){ out.appendChild(el('p', String(data.boolean))); return; }
    var t = el('table'), head = el('tr');
    data.head.vars.forEach(function(v){ head.appendChild(el('th', v)); });
    t.appendChild(head);
    data.results.bindings.forEach(function(b){
      var tr = el('tr');
      data.head.vars.forEach(function(v){ tr.appendChild(el('td', b[v] ? b[v].value : '')); });
      t.appendChild(tr);
    });
    out.appendChild(el('p', data.results.bindings.length + ' row(s)')).className = 'muted';
    out.appendChild(t);
  }
  document.getElementById('run').addEventListener('click', function(){
    var fmt = document.getElementById('fmt').value, req;
    out.textContent = 'running...';
    if (current){
      var u = new URLSearchParams();
      params.querySelectorAll('input').forEach(function(i){ if (i.value) u.append(i.name, i.value); });
      if (fmt) u.append('format', fmt);
      req = fetch('queries/' + encodeURIComponent(current.name) + '?' + u.toString());
    } else {
      var body = new URLSearchParams(); body.append('query', q.value);
      if (fmt) body.append('format', fmt);
      req = fetch('sparql', {method: 'POST', body: body});
    }
    req.then(function(r){ return r.text().then(function(t){ render(r, t); }); })
       .catch(function(e){ out.textContent = String(e); });
  });
})();
"""


def query_page(nonce: str) -> bytes:
    """The offline query page: every text escaped, scripts and styles bound to ``nonce``."""
    qs = _saved_queries()
    items = []
    for q in qs.values():
        params = ", ".join(f"{p.name} ({p.type}{'' if p.required else ', optional'})" for p in q.params)
        items.append(
            f'<li><button type="button" data-query="{html.escape(q.name, quote=True)}">use</button> '
            f"<b>{html.escape(q.name)}</b>: {html.escape(q.title)}"
            f'<br><span class="muted">{html.escape(q.description)}'
            f"{' Parameters: ' + html.escape(params) + '.' if params else ''}</span></li>"
        )
    saved = {
        q.name: {
            "name": q.name,
            "title": q.title,
            "sparql": q.text,
            "example": dict(q.example),
            "params": [{"name": p.name, "type": p.type, "required": p.required, "description": p.description} for p in q.params],
        }
        for q in qs.values()
    }
    example = "SELECT ?g (COUNT(*) AS ?quads) WHERE { GRAPH ?g { ?s ?p ?o } }\nGROUP BY ?g ORDER BY DESC(?quads) LIMIT 20"
    n = html.escape(nonce, quote=True)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="{n}">{_PAGE_CSS}</style></head>
<body>
<h1>kg SPARQL endpoint</h1>
<p class="muted">Read-only. SPARQL 1.1 Protocol at <code>sparql</code> (GET or POST). The default graph is the
union of all article graphs; the prefixes kg:, id:, org:, prov:, schema:, foaf:, skos:, rdf:, rdfs:, xsd: and
dcterms: are predeclared. SERVICE, LOAD, FROM and updates are refused.</p>
<textarea id="q" spellcheck="false">{html.escape(example)}</textarea>
<div id="params"></div>
<p><button type="button" id="run">Run</button>
<select id="fmt"><option value="">table</option><option value="csv">CSV</option><option value="tsv">TSV</option>
<option value="xml">XML</option><option value="turtle">Turtle (CONSTRUCT)</option></select></p>
<div id="out"></div>
<h2>Saved queries ({len(items)})</h2>
<ul>{''.join(items)}</ul>
<script type="application/json" id="saved">{_json_for_script(saved)}</script>
<script nonce="{n}">{_PAGE_JS}</script>
</body></html>
"""
    return page.encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet unless asked
        if self.server.verbose:
            super().log_message(format, *args)

    # -- answers
    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", self.server.settings.cors_origin)
        self.send_header("Vary", "Accept, Origin")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, e: HttpError) -> None:
        msg = e.message.replace("\r", " ").replace("\n", " ")
        self.close_connection = True  # an unread request body must not be taken for the next request
        headers = {**e.headers, "Connection": "close"}
        self._send(e.status, "text/plain; charset=utf-8", (msg + "\n").encode("utf-8"), headers)

    def _handle(self, fn) -> None:
        try:
            fn()
        except HttpError as e:
            self._error(e)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as e:  # a bug: answer 500, keep serving
            self._error(HttpError(500, f"internal error: {type(e).__name__}"))

    # -- request parsing
    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raise HttpError(411, "chunked request bodies are not supported: send Content-Length")
        try:
            n = int(length) if length else 0
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if n > self.server.settings.max_body:
            raise HttpError(413, f"request body too large (at most {self.server.settings.max_body} bytes)")
        return self.rfile.read(n) if n > 0 else b""

    def _params(self) -> tuple[str, dict[str, list[str]]]:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        return url.path, params

    # -- methods
    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", self.server.settings.cors_origin)
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        self._handle(self._get)

    def do_HEAD(self) -> None:
        self._handle(self._get)

    def do_POST(self) -> None:
        self._handle(self._post)

    def do_PUT(self) -> None:
        self._handle(self._refuse_write)

    def do_DELETE(self) -> None:
        self._handle(self._refuse_write)

    def do_PATCH(self) -> None:
        self._handle(self._refuse_write)

    def _refuse_write(self) -> None:
        raise HttpError(403, "this endpoint is read-only: updates and graph writes are refused")

    def _get(self) -> None:
        path, params = self._params()
        if path in ("/", "/index.html"):
            nonce = secrets.token_urlsafe(16)
            csp = (
                f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
            )
            self._send(200, "text/html; charset=utf-8", query_page(nonce), {"Content-Security-Policy": csp})
            return
        if path in ("/sparql", "/query"):
            if "update" in params:
                raise HttpError(403, "updates are refused: this endpoint is read-only")
            queries = params.get("query")
            if not queries:
                raise HttpError(400, "missing 'query' parameter")
            self._query(queries, params)
            return
        if path == "/queries":
            data = [
                {"name": q.name, "title": q.title, "description": q.description,
                 "params": [{"name": p.name, "type": p.type, "required": p.required} for p in q.params]}
                for q in _saved_queries().values()
            ]
            self._send(200, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
            return
        if path.startswith("/queries/"):
            self._saved(path[len("/queries/") :], params)
            return
        if path == "/update":
            raise HttpError(403, "updates are refused: this endpoint is read-only")
        raise HttpError(404, f"no such page: {path} (queries go to /sparql)")

    def _post(self) -> None:
        path, params = self._params()
        if path == "/update":
            raise HttpError(403, "updates are refused: this endpoint is read-only")
        if path not in ("/sparql", "/query"):
            raise HttpError(404 if path != "/" else 405, f"POST queries to /sparql, not {path}")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self._body()
        if ctype == "application/sparql-update":
            raise HttpError(403, "updates are refused: this endpoint is read-only")
        if ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise HttpError(400, "query body is not UTF-8") from None
            self._query([text], params)
            return
        if ctype in ("application/x-www-form-urlencoded", ""):
            try:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                raise HttpError(400, "form body is not UTF-8") from None
            if "update" in form or "update" in params:
                raise HttpError(403, "updates are refused: this endpoint is read-only")
            merged = {**params, **form}
            queries = form.get("query") or params.get("query")
            if not queries:
                raise HttpError(400, "missing 'query' parameter")
            self._query(queries, merged)
            return
        raise HttpError(415, f"unsupported Content-Type '{ctype}' (use application/sparql-query or a form)")

    def _saved(self, name: str, params: dict[str, list[str]]) -> None:
        from .queries import get_query

        try:
            q = get_query(name)
        except InputError as e:
            raise HttpError(404, str(e)) from None
        values = {}
        for k, v in params.items():
            if k == "format":
                continue
            if len(v) != 1:
                raise HttpError(400, f"parameter '{k}' given {len(v)} times")
            values[k] = v[0]
        try:
            text = q.bind(values)
        except InputError as e:
            raise HttpError(400, str(e)) from None
        self._query([text], params)

    def _query(self, queries: list[str], params: dict[str, list[str]]) -> None:
        from .queries import with_prefixes
        from .sparql_safety import RefusedQueryError, check_query

        if len(queries) != 1:
            raise HttpError(400, "give exactly one 'query' parameter")
        for key in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
            if key in params:
                raise HttpError(
                    403, f"'{key}' is refused: the default graph is the union of all article graphs; use GRAPH ?g"
                )
        text = queries[0]
        try:
            info = check_query(text)
        except RefusedQueryError as e:
            msg = str(e).replace(" (pass --allow-network to permit it)", "")
            raise HttpError(403, f"{msg}: this endpoint never reaches the network") from None
        except QueryError as e:
            raise HttpError(400, str(e)) from None
        fmt_param = (params.get("format") or [None])[0]
        fmt = negotiate(self.headers.get("Accept"), fmt_param, graph=info.returns_graph)
        started = time.monotonic()
        ctype, body = self.server.executor.run(with_prefixes(text), fmt)
        self._send(200, ctype, body, {"X-Query-Seconds": f"{time.monotonic() - started:.3f}"})


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server; ``executor`` runs the checked queries."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, executor, settings: ServerSettings, *, verbose: bool = False) -> None:
        self.executor = executor
        self.settings = settings
        self.verbose = verbose
        super().__init__((settings.host, settings.port), _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if ":" in str(host):
            host = f"[{host}]"
        return f"http://{host}:{port}/"

    def close(self) -> None:
        self.server_close()
        self.executor.close()


def make_server(target: str | Path, settings: ServerSettings | None = None, *, verbose: bool = False) -> SparqlServer:
    """A server over an embedded store directory or a SPARQL endpoint URL (not started).

    Call ``serve_forever()`` (in a thread, for tests) and ``close()``.
    """
    from .store import is_endpoint

    settings = settings or ServerSettings()
    if is_endpoint(target):
        executor: Any = RemoteExecutor(str(target), settings)
    else:
        if not Path(target).is_dir():
            raise InputError(f"no store at {target}: run 'kg ingest' first or pass --store DIR")
        executor = ProcessPool(target, settings)
    try:
        return SparqlServer(executor, settings, verbose=verbose)
    except OSError as e:
        executor.close()
        raise StoreError(f"cannot listen on {settings.host}:{settings.port}: {e.strerror or e}") from None
