"""The store: where article graphs live and are queried.

``open_store(path)`` opens the embedded Oxigraph store on disk (the default).
Every article is one named graph, written in one atomic update (drop the old
version and insert the new one), so an article is either fully present or absent.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError, StoreBusyError, StoreError
from .ontology import KG

__all__ = ["Store", "EmbeddedStore", "open_store", "default_store_path", "ArticleState"]

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


def open_store(path: str | Path | None = None, *, read_only: bool = False) -> Store:
    """Open the store at ``path`` (default: :func:`default_store_path`)."""
    return EmbeddedStore(path if path is not None else default_store_path(), read_only=read_only)
