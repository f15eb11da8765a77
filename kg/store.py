"""The store: where article graphs live and are queried.

``open_store(path)`` opens the embedded Oxigraph store on disk (the default);
``open_store("http://host:7878/query")`` talks to any SPARQL 1.1 server
(:class:`RemoteStore`: query, update and Graph Store Protocol). Every article is
one named graph, written in one atomic update (drop the old version and insert
the new one), so an article is either fully present or absent.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreBusyError, StoreError
from .ontology import KG

__all__ = [
    "Store",
    "EmbeddedStore",
    "RemoteStore",
    "EndpointUrls",
    "endpoint_urls",
    "is_endpoint",
    "open_store",
    "default_store_path",
    "ArticleState",
]

ArticleState = tuple[str | None, str | None]  # (content hash, pipeline version)

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
#: Formats that carry named graphs; the others get the union of all graphs.
QUAD_FORMATS = {"trig", "nquads", "jsonld"}


def default_store_path() -> Path:
    """``$KG_STORE``, else ``$XDG_DATA_HOME/kg/store`` (``~/.local/share/kg/store``)."""
    env = os.environ.get("KG_STORE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "kg" / "store"


def _insert_data(graph: str, quads: Iterable[ox.Quad]) -> str:
    body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


class Store:
    """What the pipeline and the CLI need from a store (embedded or remote)."""

    location: str

    def article_state(self, graph: str) -> ArticleState | None:
        raise NotImplementedError

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        raise NotImplementedError

    def remove_graph(self, graph: str) -> None:
        raise NotImplementedError

    def query(self, sparql: str):
        raise NotImplementedError

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one atomic request)."""
        raise NotImplementedError

    def dump(self, output, fmt: str, *, graph: str | None = None) -> None:
        """Write the store (or one graph) to ``output`` in one of ``FORMATS``."""
        raise NotImplementedError

    def graphs(self) -> list[str]:
        raise NotImplementedError

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        raise NotImplementedError

    def count(self) -> int:
        raise NotImplementedError

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class EmbeddedStore(Store):
    """An Oxigraph store in a directory (``path``) or in memory (``path=None``)."""

    def __init__(self, path: str | Path | None = None, *, read_only: bool = False) -> None:
        self.location = str(path) if path is not None else ":memory:"
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                Path(path).mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as e:
            msg = str(e)
            if "lock" in msg.lower() or "LOCK" in msg:
                raise StoreBusyError(
                    f"store busy: another kg process is writing to {path}; wait for it to finish"
                ) from None
            raise StoreError(f"cannot open store {path}: {msg.splitlines()[0]}") from None

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store, for hot paths."""
        return self._store

    def article_state(self, graph: str) -> ArticleState | None:
        g = ox.NamedNode(graph)
        if not self._store.contains_named_graph(g):
            return None
        h = next(self._store.quads_for_pattern(g, ox.NamedNode(str(KG.contentHash)), None, g), None)
        v = next(self._store.quads_for_pattern(g, ox.NamedNode(str(KG.pipelineVersion)), None, g), None)
        return (h.object.value if h else None, v.object.value if v else None)

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        try:
            self._store.update(_insert_data(graph, quads))
        except (OSError, SyntaxError, ValueError) as e:
            raise StoreError(f"cannot write graph {graph}: {e}") from None

    def remove_graph(self, graph: str) -> None:
        self._store.update(f"DROP SILENT GRAPH <{graph}>")

    def query(self, sparql: str):
        try:
            return self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except (OSError, ValueError, RuntimeError) as e:
            raise QueryError(f"query failed: {e}") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update (one atomic transaction)."""
        try:
            self._store.update(sparql)
        except SyntaxError as e:
            raise QueryError(f"SPARQL syntax error: {e}") from None
        except (OSError, ValueError, RuntimeError) as e:
            raise QueryError(f"update failed: {e}") from None

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        g = ox.NamedNode(graph) if graph else None
        return self._store.quads_for_pattern(None, None, None, g)

    def count(self) -> int:
        return len(self._store)

    def dump(self, output, fmt: str, *, graph: str | None = None) -> None:
        """Write the store (or one graph) to ``output`` (path or binary file)."""
        rdf_format = FORMATS[fmt]
        if graph is not None:
            self._store.dump(output, rdf_format, from_graph=ox.NamedNode(graph))
        elif fmt in QUAD_FORMATS:
            self._store.dump(output, rdf_format)
        else:
            union = ox.Store()
            union.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self._store)
            union.dump(output, rdf_format, from_graph=ox.DefaultGraph(), prefixes=_prefixes())
            return

    def flush(self) -> None:
        self._store.flush()

    def close(self) -> None:
        try:
            self._store.flush()
        except OSError:
            pass
        del self._store


def _prefixes() -> dict[str, str]:
    from .ontology import PREFIXES

    return dict(PREFIXES)


# ----------------------------------------------------------------- remote store

_ACCEPT_ANY = (
    "application/sparql-results+json, application/sparql-results+xml;q=0.9, "
    "application/n-triples;q=0.8, text/turtle;q=0.7, application/rdf+xml;q=0.5"
)
_RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def is_endpoint(target: object) -> bool:
    """Whether ``target`` names a SPARQL endpoint (an http or https URL).

    >>> is_endpoint("http://localhost:7878/query"), is_endpoint("data/store")
    (True, False)
    """
    return isinstance(target, str) and re.match(r"(?i)^https?://", target) is not None


@dataclass(frozen=True)
class EndpointUrls:
    """Where a SPARQL server answers queries, updates and Graph Store requests."""

    query: str
    update: str
    store: str | None = None


def endpoint_urls(url: str) -> EndpointUrls:
    """The update and Graph Store URLs that go with a query URL, by server convention.

    Oxigraph ``/query`` -> ``/update``, ``/store``; Fuseki ``/DS/query`` or
    ``/DS/sparql`` -> ``/DS/update``, ``/DS/data``; GraphDB
    ``/repositories/ID`` -> ``.../statements``, ``.../rdf-graphs/service``;
    Virtuoso ``/sparql`` -> ``/sparql``, ``/sparql-graph-crud``. Any other URL
    takes updates itself and has no Graph Store (graphs are read with SPARQL).

    >>> endpoint_urls("http://localhost:7878/query")
    EndpointUrls(query='http://localhost:7878/query', update='http://localhost:7878/update', store='http://localhost:7878/store')
    >>> endpoint_urls("http://h:3030/kg/sparql").store
    'http://h:3030/kg/data'
    >>> endpoint_urls("http://h:7200/repositories/kg").update
    'http://h:7200/repositories/kg/statements'
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    path = parts.path.rstrip("/")

    def at(p: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, p, parts.query, ""))

    if path == "/query":
        return EndpointUrls(url, at("/update"), at("/store"))
    if re.search(r"^/repositories/[^/]+$", path):
        return EndpointUrls(url, at(path + "/statements"), at(path + "/rdf-graphs/service"))
    if path == "/sparql":
        return EndpointUrls(url, url, at("/sparql-graph-crud"))
    m = re.match(r"^(/.+)/(query|sparql)$", path)
    if m:
        return EndpointUrls(url, at(m.group(1) + "/update"), at(m.group(1) + "/data"))
    return EndpointUrls(url, url, None)


class RemoteTriples:
    """The triples of a CONSTRUCT or DESCRIBE answered by a remote endpoint.

    Iterates like pyoxigraph's ``QueryTriples`` and serialises the same way.
    """

    def __init__(self, triples: list[ox.Triple]) -> None:
        self._triples = triples

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)

    def serialize(self, output=None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES):
        return ox.serialize(self._triples, output, format=format, prefixes=_prefixes())


class RemoteStore(Store):
    """A store on a SPARQL 1.1 server: query, update and Graph Store Protocol.

    Parameters
    ----------
    endpoint : str
        The query URL (e.g. ``http://localhost:7878/query``). ``user:password@``
        in it is sent as HTTP basic authentication.
    update_endpoint, store_endpoint : str, optional
        Override the URLs :func:`endpoint_urls` derives.
    timeout : float
        Seconds to wait for an answer.
    read_only : bool
        Refuse writes before sending them.

    The server must answer queries with the union of the named graphs as the
    default graph (Oxigraph: ``--union-default-graph``), as the embedded store does.
    """

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        store_endpoint: str | None = None,
        timeout: float = 60.0,
        read_only: bool = False,
    ) -> None:
        import base64
        from urllib.parse import urlsplit, urlunsplit

        if not is_endpoint(endpoint):
            raise StoreError(f"not a SPARQL endpoint URL: {endpoint} (use http:// or https://)")
        parts = urlsplit(endpoint)
        self._auth: str | None = None
        if parts.username is not None:
            from urllib.parse import unquote

            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            self._auth = "Basic " + base64.b64encode(token).decode("ascii")
            host = parts.hostname or ""
            if parts.port:
                host = f"{host}:{parts.port}"
            endpoint = urlunsplit((parts.scheme, host, parts.path, parts.query, ""))
        urls = endpoint_urls(endpoint)
        self.urls = EndpointUrls(
            query=urls.query,
            update=update_endpoint or urls.update,
            store=store_endpoint if store_endpoint is not None else urls.store,
        )
        self.location = self.urls.query
        self.timeout = timeout
        self.read_only = read_only
        self._opener = self._make_opener(parts.hostname or "")

    @staticmethod
    def _make_opener(host: str):
        import urllib.request

        if host in ("localhost", "127.0.0.1", "::1") or host.startswith("127."):
            return urllib.request.build_opener(urllib.request.ProxyHandler({}))
        return urllib.request.build_opener()

    # -- HTTP
    def _request(
        self,
        url: str,
        *,
        method: str = "GET",
        data: bytes | None = None,
        content_type: str | None = None,
        accept: str | None = None,
        what: str = "query",
    ) -> tuple[str, bytes]:
        import socket
        import urllib.error
        import urllib.request

        req = urllib.request.Request(url, data=data, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        if accept:
            req.add_header("Accept", accept)
        req.add_header("User-Agent", "kg (SPARQL client)")
        if self._auth:
            req.add_header("Authorization", self._auth)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                ctype = resp.headers.get_content_type()
                body = resp.read()
        except urllib.error.HTTPError as e:
            detail = _first_line(e.read().decode("utf-8", "replace")) or e.reason
            if e.code == 503:
                raise StoreBusyError(f"store busy: {self.location} answered 503 ({detail})") from None
            if e.code in (400, 406, 415, 422) and what in ("query", "update"):
                raise QueryError(f"the endpoint rejected the {what}: {detail}") from None
            if e.code in (401, 403):
                raise StoreError(
                    f"the endpoint refused the {what} (HTTP {e.code}: {detail}); "
                    "check credentials (user:password@ in the URL) or whether it is read-only"
                ) from None
            if e.code == 404:
                raise StoreError(f"no SPARQL service at {url} (HTTP 404)") from None
            raise StoreError(f"{what} failed at {url}: HTTP {e.code} {detail}") from None
        except (socket.timeout, TimeoutError):
            raise QueryError(f"{self.location} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as e:
            raise StoreError(f"cannot reach SPARQL endpoint {url}: {e.reason}") from None
        except (ConnectionError, OSError) as e:
            raise StoreError(f"cannot reach SPARQL endpoint {url}: {e}") from None
        return ctype, body

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} is opened read-only")

    # -- queries and updates
    def query(self, sparql: str):
        """Run a query; SELECT/ASK give pyoxigraph results, graphs :class:`RemoteTriples`."""
        from urllib.parse import urlencode

        ctype, body = self._request(
            self.urls.query,
            method="POST",
            data=urlencode({"query": sparql}).encode("utf-8"),
            content_type="application/x-www-form-urlencoded",
            accept=_ACCEPT_ANY,
        )
        try:
            if ctype in _RESULT_FORMATS:
                return ox.parse_query_results(body, _RESULT_FORMATS[ctype])
            if ctype in _GRAPH_FORMATS:
                return RemoteTriples(
                    [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, _GRAPH_FORMATS[ctype])]
                )
        except (SyntaxError, ValueError) as e:
            detail = _first_line(body.decode("utf-8", "replace")[-500:])
            raise QueryError(f"the endpoint sent an unreadable answer ({_first_line(str(e))}): {detail}") from None
        raise QueryError(f"the endpoint answered with unexpected content type '{ctype}'")

    def _select(self, sparql: str) -> list[ox.QuerySolution]:
        res = self.query(sparql)
        if not isinstance(res, ox.QuerySolutions):
            raise StoreError(f"{self.location} did not answer a SELECT with solutions")
        return list(res)

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the update endpoint."""
        from urllib.parse import urlencode

        self._check_writable()
        self._request(
            self.urls.update,
            method="POST",
            data=urlencode({"update": sparql}).encode("utf-8"),
            content_type="application/x-www-form-urlencoded",
            what="update",
        )

    # -- the Store interface
    def article_state(self, graph: str) -> ArticleState | None:
        g = _iri(graph)
        rows = self._select(
            f"SELECT ?h ?v WHERE {{ {{ SELECT ?x WHERE {{ GRAPH {g} {{ ?x ?y ?z }} }} LIMIT 1 }}"
            f" OPTIONAL {{ GRAPH {g} {{ {g} <{KG.contentHash}> ?h }} }}"
            f" OPTIONAL {{ GRAPH {g} {{ {g} <{KG.pipelineVersion}> ?v }} }} }}"
        )
        if not rows:
            return None
        r = rows[0]
        h, v = r["h"], r["v"]
        return (h.value if h is not None else None, v.value if v is not None else None)

    def replace_graph(self, graph: str, quads: list[ox.Quad]) -> None:
        self._check_writable()
        _iri(graph)
        self.update(_insert_data(graph, quads))

    def remove_graph(self, graph: str) -> None:
        self._check_writable()
        self.update(f"DROP SILENT GRAPH {_iri(graph)}")

    def graphs(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return sorted(r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))

    def _graph_store_triples(self, graph: str) -> list[ox.Triple] | None:
        """One graph through the Graph Store Protocol, or None if there is none."""
        from urllib.parse import urlencode

        if not self.urls.store:
            return None
        sep = "&" if "?" in self.urls.store else "?"
        url = f"{self.urls.store}{sep}{urlencode({'graph': graph})}"
        try:
            ctype, body = self._request(url, accept="application/n-triples", what="graph read")
        except StoreBusyError:
            raise
        except StoreError:
            return None
        fmt = _GRAPH_FORMATS.get(ctype)
        if fmt is None or fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
            return None
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt)]
        except (SyntaxError, ValueError):
            return None

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        if graph is not None:
            g = ox.NamedNode(_iri(graph)[1:-1])
            triples = self._graph_store_triples(graph)
            if triples is not None:
                return iter([ox.Quad(t.subject, t.predicate, t.object, g) for t in triples])
            rows = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {_iri(graph)} {{ ?s ?p ?o }} }}")
            return iter([ox.Quad(r["s"], r["p"], r["o"], g) for r in rows])
        rows = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return iter([ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows])

    def count(self) -> int:
        rows = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value) if rows else 0

    def dump(self, output, fmt: str, *, graph: str | None = None) -> None:
        """Write the store (or one graph) to ``output``, as :meth:`EmbeddedStore.dump` does."""
        local = EmbeddedStore(None)
        try:
            local.oxigraph.extend(self.quads(graph))
            local.dump(output, fmt, graph=graph)
        finally:
            local.close()


def _first_line(text: str) -> str:
    for line in text.strip().splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def _iri(graph: str) -> str:
    """``<graph>`` as SPARQL, after checking it is an IRI (no pasting of raw text)."""
    try:
        return str(ox.NamedNode(graph))
    except (TypeError, ValueError):
        raise StoreError(f"not a graph IRI: {graph!r}") from None


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``path`` (default: :func:`default_store_path`).

    An ``http://`` or ``https://`` URL opens a :class:`RemoteStore` on that
    SPARQL endpoint instead of a directory.
    """
    if is_endpoint(path):
        return RemoteStore(str(path), read_only=read_only)
    return EmbeddedStore(path if path is not None else default_store_path(), read_only=read_only)
