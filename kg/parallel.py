"""Multi-process extraction with one writer: ``kg ingest --workers N``.

Each worker process extracts its own share of the articles and turns them into
quads; the calling process reads the input, hands out batches, and is the single
writer of the store. Input is streamed and results come back in input order as
they are ready, with a bounded number of batches in flight, so memory stays flat
however many articles pass through (nothing is accumulated but the report's paths).

Why not ``nlp.pipe(n_process=...)``: it pickles every spaCy ``Doc`` between
processes and ran 6x slower than one process on this machine; here a worker gets
plain articles and returns N-Quads bytes (cheap to pickle, parsed in Rust).

Each article is written atomically: new articles together, in bulk loads of about
:data:`BULK_QUADS` quads that the store adds in one atomic step (in a thread, while
extraction goes on); an article that was stored before is dropped and inserted in one
transaction. After a crash an article is fully present, or absent and re-extracted
by the next run; it is never half there.

>>> from kg.store import open_store
>>> reader = PathReader(["data/articles"])
>>> with open_store("/tmp/kg-doc-store") as st:  # doctest: +SKIP
...     report = ingest_parallel(reader, st, workers=2)
>>> len(report.ingested), reader.done == reader.total  # doctest: +SKIP
(1, True)

Workers are started with the ``forkserver`` method: a script that calls this must
guard its entry point with ``if __name__ == "__main__":`` (the ``kg`` command does).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import KgError
from .model import Article, Extraction, Skip

__all__ = ["ingest_parallel", "extract_parallel", "PathReader", "default_workers"]

#: Articles per task sent to a worker: large enough to amortise the IPC, small
#: enough to keep both workers busy to the end.
BATCH = 8
#: Quads written between two flushes of the embedded store's memtables (memory bound).
FLUSH_EVERY = 50_000
#: New article graphs are written to the embedded store together, in one atomic
#: ingestion of sorted files, once this many quads are waiting (or at the end, or
#: before anything that must see them): about 150 articles of 300 quads. Per-article
#: transactions cost ~2x more CPU (a lock and a read per index key and per string).
BULK_QUADS = 50_000
#: Batches in flight per worker (bounds memory: at most workers * INFLIGHT * BATCH articles).
INFLIGHT = 4


def default_workers() -> int:
    """Worker processes to use when asked for ``--workers 0`` (auto): the CPUs available."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ---------------------------------------------------------------- reading with a file count


class PathReader:
    """Stream the articles of files and folders, counting files for a progress bar.

    ``total`` (the number of files) is known before anything is read; ``done``
    counts files read so far. Iterate it once.

    >>> r = PathReader(["data/articles"])
    >>> r.total >= 1
    True
    >>> items = list(r)
    >>> r.done == r.total
    True
    """

    def __init__(self, paths: Iterable[str | Path]) -> None:
        from .ingest.files import list_files

        self.files, self._missing = list_files(paths)
        self.total = len(self.files)
        self.done = 0

    def __iter__(self) -> Iterator[Article | Skip]:
        from .ingest.files import read_file

        yield from self._missing
        for f in self.files:
            yield from read_file(f)
            self.done += 1


# ---------------------------------------------------------------- the worker side

_IRI_OF = None
_VERSION = ""
#: One article per language, extracted by each worker before real work (builds its pipelines).
_WARM_UP = (
    "Delegasi Kementerian Luar Negeri Jepang mengunjungi Sentra Handayani Jakarta, Senin (12/2/2024). "
    "Rombongan dipimpin oleh Duta Besar Kenji Tanaka.",
    "A delegation of the Ministry of Foreign Affairs of Japan visited the Handayani Centre in Jakarta on "
    "Monday, Feb. 12, 2024. The delegation was led by Ambassador Kenji Tanaka.",
)


def _init_worker(iri_of_blob: bytes | None, version: str) -> None:
    global _IRI_OF, _VERSION
    _IRI_OF = pickle.loads(iri_of_blob) if iri_of_blob else None
    _VERSION = version
    # warm the extractor once per process (gazetteers, spaCy pipelines)
    from .pipeline import extract_article, tune_gc

    tune_gc()

    for text in _WARM_UP:
        try:
            extract_article(Article(key="warm-up", text=text))
        except Exception:  # noqa: BLE001 - a real article will report the error
            pass


@dataclass(frozen=True)
class _Done:
    """A worker's result for one article."""

    nquads: bytes | None = None  # the article graph, serialised
    quads: int = 0
    facts: int = 0
    extraction: Extraction | None = None  # when quads are made by the writer
    skip: str | None = None
    error: BaseException | None = None


def _extract_batch(articles: list[Article], make_quads: bool, slim: bool = False) -> list[_Done]:
    """Extract a batch in a worker: N-Quads (``make_quads``) or the extractions themselves.

    ``slim`` drops the mentions (neither the resolver nor the RDF writer reads them),
    which halves what is pickled back to the writer.
    """
    from dataclasses import replace

    from .pipeline import extract_article
    from .rdf import extraction_nquads

    out: list[_Done] = []
    for article in articles:
        try:
            extraction = extract_article(article)
            if not make_quads:
                sent = replace(extraction, mentions=()) if slim else extraction
                out.append(_Done(extraction=sent, facts=len(extraction.facts)))
                continue
            nquads, n_quads = extraction_nquads(extraction, pipeline_version=_VERSION, iri_of=_IRI_OF)
        except KgError as e:
            out.append(_Done(skip=str(e)))
        except RecursionError:
            out.append(_Done(skip="text too deeply nested to analyse"))
        except Exception as e:  # a bug: re-raised by the writer, in input order
            out.append(_Done(error=_picklable(e)))
        else:
            out.append(_Done(nquads, n_quads, len(extraction.facts)))
    return out


def _picklable(e: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(e))
        return e
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(e).__name__}: {e}")


def _extract_extractions(articles: list[Article], slim: bool = False) -> list[_Done]:
    return _extract_batch(articles, make_quads=False, slim=slim)


def _pool(workers: int, iri_of, version: str) -> tuple[ProcessPoolExecutor, bool]:
    """A pool of warmed workers; the bool says whether they can make quads themselves."""
    blob: bytes | None = None
    make_quads = True
    if iri_of is not None:
        try:
            blob = pickle.dumps(iri_of)
        except Exception:  # noqa: BLE001 - an unpicklable resolver: quads are made here
            make_quads = False
    # forkserver: workers start from a clean process (no store handles or threads
    # inherited from the writer), with kg already imported
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.pipeline", "kg.rdf", "kg.model"])
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                               initargs=(blob, version))
    return pool, make_quads


# ---------------------------------------------------------------- ordered, bounded streaming


@dataclass
class _Slot:
    items: list  # the input items of this slot, in order
    work: bool  # a batch of articles to extract (else one item that needs no worker)
    future: Future | None = None


def _slots(items: Iterable, batch: int, needs_work: Callable[[object], bool]) -> Iterator[_Slot]:
    """Group consecutive items needing extraction into batches; others pass alone."""
    current: list = []
    for item in items:
        if needs_work(item):
            current.append(item)
            if len(current) >= batch:
                yield _Slot(current, True)
                current = []
        else:
            if current:
                yield _Slot(current, True)
                current = []
            yield _Slot([item], False)
    if current:
        yield _Slot(current, True)


def extract_parallel(
    articles: Iterable[Article], *, workers: int = 2, batch: int = BATCH
) -> Iterator[tuple[Article, Extraction | Skip]]:
    """Extract articles in ``workers`` processes; yield ``(article, extraction or skip)`` in input order.

    Streams: at most ``workers * INFLIGHT`` batches are in flight. ``workers=1``
    extracts in this process.
    """
    from .pipeline import extract_article

    if workers <= 1:
        for a in articles:
            try:
                yield a, extract_article(a)
            except KgError as e:
                yield a, Skip(a.path or a.key, str(e))
        return
    from .pipeline import pipeline_version

    pool, _ = _pool(workers, None, pipeline_version())
    pending: deque[_Slot] = deque()

    def drain(slot: _Slot) -> Iterator[tuple[Article, Extraction | Skip]]:
        for a, done in zip(slot.items, slot.future.result()):  # type: ignore[union-attr]
            if done.error is not None:
                raise done.error
            yield a, done.extraction if done.skip is None else Skip(a.path or a.key, done.skip)

    try:
        for slot in _slots(articles, batch, lambda _: True):
            slot.future = pool.submit(_extract_extractions, slot.items)
            pending.append(slot)
            while len(pending) >= workers * INFLIGHT:
                yield from drain(pending.popleft())
        while pending:
            yield from drain(pending.popleft())
    finally:
        for slot in pending:
            slot.future.cancel()  # type: ignore[union-attr]
        pool.shutdown(wait=True, cancel_futures=True)


def ingest_parallel(
    items: Iterable[Article | Extraction | Skip],
    store,
    *,
    workers: int = 2,
    on_item: Callable[[Article | Extraction | Skip, str], None] | None = None,
    iri_of=None,
    resolver=None,
    batch: int = BATCH,
):
    """Like :func:`kg.pipeline.ingest_articles`, extracting in ``workers`` processes.

    Same items, same outcomes (``ingested``, ``replaced``, ``unchanged``,
    ``skipped``), same report, ``on_item`` called in input order. The calling
    process is the only one that touches ``store``. ``workers=1`` extracts in
    this process (no pool) and writes through the same fast writer.

    A ``resolver`` (:class:`kg.resolve.Resolver`) learns from each article it
    resolves, so it runs here, in the writer, in input order: workers then send
    back extractions instead of quads. Without one, workers make the quads too
    (with ``iri_of`` when it can be pickled).

    Returns
    -------
    kg.pipeline.IngestReport
    """
    from .pipeline import IngestReport, extract_article, pipeline_version
    from .rdf import article_iri, extraction_nquads

    report = IngestReport()
    version = pipeline_version()
    write = _writer(store)

    def store_one(item: Article | Extraction, done: _Done | None) -> str:
        article = item.article if isinstance(item, Extraction) else item
        where = article.path or article.key
        if done is not None and done.error is not None:
            raise done.error
        if done is not None and done.skip is not None:
            report.skipped.append(Skip(where, done.skip))
            return "skipped"
        graph = article_iri(article)
        # checked here, in input order: an earlier item of this run may have stored it
        state = write.state(graph)
        new_state = (article.content_hash, version)
        if state == new_state:
            report.unchanged.append(where)
            return "unchanged"
        if done is not None and done.nquads is not None:
            write(graph, state is not None, nquads=done.nquads, state=new_state, n_quads=done.quads)
            n_quads, n_facts = done.quads, done.facts
        else:
            extraction = done.extraction if done is not None else None
            try:
                if extraction is None:
                    extraction = item if isinstance(item, Extraction) else extract_article(item)
                mapper = iri_of
                if resolver is not None:
                    iris = resolver.resolve(extraction)
                    mapper = lambda e, _m=iris: _m[e.key]  # noqa: E731
                nquads, n_quads = extraction_nquads(extraction, pipeline_version=version, iri_of=mapper)
            except KgError as e:
                report.skipped.append(Skip(where, str(e)))
                return "skipped"
            except RecursionError:
                report.skipped.append(Skip(where, "text too deeply nested to analyse"))
                return "skipped"
            write(graph, state is not None, nquads=nquads, state=new_state, n_quads=n_quads)
            n_facts = len(extraction.facts)
        report.quads += n_quads
        report.facts += n_facts
        (report.replaced if state is not None else report.ingested).append(where)
        return "replaced" if state is not None else "ingested"

    def handle(item, done: _Done | None) -> None:
        if isinstance(item, Skip):
            report.skipped.append(item)
            outcome = "skipped"
        else:
            outcome = store_one(item, done)
        if on_item is not None:
            on_item(item, outcome)

    if workers <= 1:
        try:
            for item in items:
                handle(item, None)
        finally:
            write.close()  # what is written so far stays, even when an item raised
        return report

    def needs_work(item) -> bool:
        return isinstance(item, Article) and write.state(article_iri(item)) != (item.content_hash, version)

    pool, make_quads = _pool(workers, iri_of if resolver is None else None, version)
    make_quads = make_quads and resolver is None
    pending: deque[_Slot] = deque()

    def drain(slot: _Slot) -> None:
        if slot.future is None:
            handle(slot.items[0], None)
            return
        for item, done in zip(slot.items, slot.future.result()):
            handle(item, done)

    try:
        for slot in _slots(items, batch, needs_work):
            if slot.work:
                slot.future = (pool.submit(_extract_batch, slot.items, True) if make_quads
                               else pool.submit(_extract_extractions, slot.items, True))
            pending.append(slot)
            # keep a bounded number of batches in flight; pass ready items at the head at once
            while pending and (len(pending) >= workers * INFLIGHT or pending[0].future is None):
                drain(pending.popleft())
        while pending:
            drain(pending.popleft())
    finally:
        for slot in pending:
            if slot.future is not None:
                slot.future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        write.close()
    return report


def _as_quads(nquads: bytes | None, quads: list | None) -> list:
    """An article graph as quads, whether a worker sent it as N-Quads or as quads."""
    return quads if quads is not None else list(ox.parse(nquads or b"", format=ox.RdfFormat.N_QUADS))


class _Writer:
    """Writes article graphs into a store, each atomically (the generic way: ``replace_graph``).

    ``writer(graph, existed, nquads=... | quads=..., state=...)`` writes one graph;
    ``state(graph)`` is :meth:`kg.store.Store.article_state` that also sees what
    this writer holds back; ``close()`` writes what it holds back.
    """

    def __init__(self, store) -> None:
        self.store = store

    def state(self, graph: str):
        return self.store.article_state(graph)

    def __call__(self, graph: str, existed: bool, *, nquads: bytes | None = None, quads: list | None = None,
                 state=None, n_quads: int | None = None) -> None:
        self.store.replace_graph(graph, _as_quads(nquads, quads))

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.flush()


class _EmbeddedWriter(_Writer):
    """The embedded store's writer.

    A new article graph is held back, with others, until about :data:`BULK_QUADS`
    quads wait; they are then written in one ``bulk_load``: the engine sorts them
    into files that it adds to the store in one atomic step (all indexes at once:
    Oxigraph cuts a load into such steps every 1,000,000 quads, far above
    :data:`BULK_QUADS`), so after a crash each held-back article is fully there or
    absent (and re-extracted by the next run), never half there; the SIGKILL loop in
    ``tests/test_reliability.py`` checks it. That load runs in a thread
    (the engine releases the GIL) while the next articles are extracted; one at a
    time. A changed article (stored before) is dropped and inserted in one
    transaction, after everything before it is written.
    """

    def __init__(self, store) -> None:
        super().__init__(store)
        self.raw = store.oxigraph
        self.held: list[bytes] = []
        self.held_state: dict[str, tuple] = {}
        self.held_quads = 0
        self.written = 0  # quads written in transactions since the last memtable flush
        self._thread = None  # a one-thread executor, made on first use
        self._loading = None  # (future, states of the graphs it writes)

    def state(self, graph: str):
        held = self.held_state.get(graph)
        if held is None and self._loading is not None:
            held = self._loading[1].get(graph)
        if held is not None:
            return held
        return self.store.article_state(graph)

    def __call__(self, graph: str, existed: bool, *, nquads: bytes | None = None, quads: list | None = None,
                 state=None, n_quads: int | None = None) -> None:
        if existed or graph in self.held_state or (self._loading is not None and graph in self._loading[1]):
            # a changed article: drop and insert in one atomic update, so a crash
            # leaves the old version in place rather than no version at all
            self.sync()
            try:
                quads = _as_quads(nquads, quads)
                self.store.replace_graph(graph, quads)
                self.written += len(quads)
                if self.written >= FLUSH_EVERY:
                    # without this the store's memtables grow by about 1 KB per quad written
                    self.raw.flush()
                    self.written = 0
            except (OSError, SyntaxError, ValueError) as e:
                from .errors import StoreError

                raise StoreError(f"cannot write graph {graph}: {e}") from None
            return
        if nquads is None:
            nquads = ox.serialize(quads or [], format=ox.RdfFormat.N_QUADS)
            n = len(quads or ())
        else:
            n = n_quads if n_quads is not None else nquads.count(b"\n")
        self.held.append(nquads)
        self.held_state[graph] = state if state is not None else (None, None)
        self.held_quads += n
        if self.held_quads >= BULK_QUADS:
            self.flush()

    def flush(self) -> None:
        """Start writing what is held back (after the load in progress, if any)."""
        if not self.held:
            return
        self._wait()
        blob = b"".join(self.held)
        states = self.held_state
        self.held, self.held_state, self.held_quads = [], {}, 0
        if self._thread is None:
            from concurrent.futures import ThreadPoolExecutor

            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store-writer")
        future = self._thread.submit(self.raw.bulk_load, blob, format=ox.RdfFormat.N_QUADS)
        self._loading = (future, states)

    def _wait(self) -> None:
        if self._loading is None:
            return
        future, states = self._loading
        try:
            future.result()
        except (OSError, SyntaxError, ValueError) as e:
            from .errors import StoreError

            raise StoreError(f"cannot write {len(states)} article graphs (first {next(iter(states))}): {e}") from None
        finally:
            self._loading = None

    def sync(self) -> None:
        """Write everything held back, and wait until it is in the store."""
        self.flush()
        self._wait()

    def close(self) -> None:
        try:
            self.sync()
        finally:
            if self._thread is not None:
                self._thread.shutdown(wait=True)
                self._thread = None


def _writer(store) -> _Writer:
    """How to write article graphs into ``store``, each atomically (see :class:`_EmbeddedWriter`)."""
    from .store import EmbeddedStore

    if isinstance(store, EmbeddedStore):
        return _EmbeddedWriter(store)
    return _Writer(store)
