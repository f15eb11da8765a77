"""The five benchmarks of kg, each measured beside its baseline in the same run.

1. extraction: articles/s and words/s, 1 process and ``--workers 2``, against a bare
   spaCy pass (blank pipeline + sentencizer + PhraseMatcher of the gazetteer);
2. ingest: ``kg ingest`` end to end into the embedded store, articles/s, peak memory;
3. store load: the pipeline's writers, quads/s, against pyoxigraph's ``bulk_load``;
4. saved queries at about 10k, 100k (and 1M) triples: median latency on the
   embedded store against rdflib's in-memory store;
5. analytics: ``kg analyze summary`` and ``kg viz`` on the same graphs.

Every table is printed and appended to ``benchmarks/RESULTS.md`` with the machine.

Usage::

    python -m benchmarks.run                 # 10k and 100k triples, a few minutes
    python -m benchmarks.run --full          # adds 1M triples and a 20,000-article ingest
    python -m benchmarks.run --only queries,load --runs 7

``KG_BENCH_FULL=1`` is the same as ``--full``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS.md"
PY = sys.executable
BENCHES = ("extraction", "ingest", "load", "queries", "analytics")


# ----------------------------------------------------------------------------- helpers


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *row: object) -> None:
        self.rows.append(list(row))

    def render(self) -> str:
        def cell(v: object) -> str:
            if isinstance(v, float):
                if v == 0:
                    return "0"
                if abs(v) >= 100:
                    return f"{v:,.0f}"
                if abs(v) >= 10:
                    return f"{v:.1f}"
                return f"{v:.2f}"
            if isinstance(v, int):
                return f"{v:,}"
            return str(v)

        lines = [f"### {self.title}", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {n}" for n in self.notes]
        return "\n".join(lines) + "\n"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = int(next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1])
        mem_s = f"{mem / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        mem_s = "? RAM"
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 0
    versions = []
    for mod in ("pyoxigraph", "rdflib", "spacy", "networkx"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except Exception:  # noqa: BLE001
            pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"{cpu}, {cpus} CPUs, {mem_s}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, {', '.join(versions)}; load average at start {load:.2f}")


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of ``runs`` calls (seconds) and the last result."""
    times = []
    result = None
    for _ in range(max(1, runs)):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


class Timeout(Exception):
    pass


def with_timeout(fn: Callable[[], object], seconds: float):
    """Run pure-Python ``fn`` with a wall-clock limit (SIGALRM; main thread only)."""
    def handler(signum, frame):
        raise Timeout()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def corpus_file(n: int, seed: int) -> Path:
    """The synthetic corpus of ``n`` articles (cached in benchmarks/out)."""
    from .corpus import write_jsonl

    path = OUT / f"corpus-{n}-s{seed}.jsonl"
    if not path.exists():
        log(f"generating {n} articles -> {path}")
        tmp = path.with_suffix(".tmp")
        write_jsonl(tmp, n, seed=seed)
        tmp.replace(path)
    return path


def records(n: int, seed: int) -> list[dict]:
    from .corpus import read_jsonl

    return list(read_jsonl(corpus_file(n, seed)))


def extractor_available() -> str | None:
    """None when ``kg.pipeline.extract_article`` works, else why not."""
    try:
        from kg.model import Article
        from kg.pipeline import extract_article

        extract_article(Article(key="probe", text="Delegasi Jepang mengunjungi Jakarta, Senin (12/2/2024)."))
        return None
    except Exception as e:  # noqa: BLE001
        return f"{type(e).__name__}: {e}"


def kg_has(command: list[str], needle: str) -> bool:
    r = subprocess.run([PY, "-m", "kg.cli", *command, "--help"], capture_output=True, text=True, cwd=ROOT)
    return r.returncode == 0 and needle in r.stdout


class Sampler:
    """Run a command; sample the RSS of its process tree; report the peak and the curve."""

    def __init__(self, argv: list[str], *, env: dict | None = None, interval: float = 0.25) -> None:
        self.argv, self.env, self.interval = argv, env, interval
        self.samples: list[tuple[float, int, int]] = []  # (t, main RSS kB, tree RSS kB)

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    @staticmethod
    def _children(pid: int) -> list[int]:
        out = []
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                try:
                    out += [int(x) for x in (task / "children").read_text().split()]
                except OSError:
                    pass
        except OSError:
            pass
        return out

    def tree(self, pid: int) -> list[int]:
        seen, todo = [], [pid]
        while todo:
            p = todo.pop()
            seen.append(p)
            todo += self._children(p)
        return seen

    def run(self) -> tuple[int, float, str]:
        """(exit code, wall seconds, stderr)."""
        t0 = time.perf_counter()
        proc = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        err_chunks: list[str] = []
        import threading

        reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        while proc.poll() is None:
            main = self._rss(proc.pid)
            tree = sum(self._rss(p) for p in self.tree(proc.pid))
            self.samples.append((time.perf_counter() - t0, main, tree))
            time.sleep(self.interval)
        wall = time.perf_counter() - t0
        reader.join(5)
        return proc.returncode, wall, "".join(err_chunks)

    def peak(self) -> tuple[int, int]:
        return (max((s[1] for s in self.samples), default=0), max((s[2] for s in self.samples), default=0))

    def flatness(self) -> str:
        """Main-process RSS (MB) at 25%, 50%, 75% of the run and at the end: flat means streamed."""
        if len(self.samples) < 8:
            return "n/a (run too short)"
        live = [s for s in self.samples if s[1] > 0]  # the last sample may catch the process exiting
        n = len(live)
        marks = [live[min(n - 1, n * k // 4)][1] / 1024 for k in (1, 2, 3)]
        last = live[-1][1] / 1024
        return " / ".join(f"{m:.0f}" for m in (*marks, last)) + " MB"


# ----------------------------------------------------------------------------- 1. extraction


def bench_extraction(args) -> Table:
    import spacy
    from spacy.matcher import PhraseMatcher

    from kg.ingest.files import article_from_record

    from .corpus import gazetteer_phrases

    recs = records(args.extract_articles, args.seed)
    articles = [article_from_record(r, default_key=r["id"]) for r in recs]
    words = sum(len(a.text.split()) for a in articles)
    t = Table(f"1. Extraction: {len(articles)} synthetic articles, {words:,} words "
              f"({words / len(articles):.0f} words/article), median of {args.runs}",
              ["pipeline", "articles/s (wall)", "words/s (wall)", "articles per CPU-s", "CPU share of bare spaCy",
               "vs 1 process (wall)"])
    # bare spaCy: blank pipeline + sentencizer + PhraseMatcher of the gazetteer
    phrases = gazetteer_phrases()
    nlps = {}
    for lang in ("id", "en"):
        nlp = spacy.blank(lang)
        nlp.add_pipe("sentencizer")
        m = PhraseMatcher(nlp.vocab, attr="LOWER")
        m.add("GAZ", list(nlp.tokenizer.pipe(phrases)))
        nlps[lang] = (nlp, m)
    by_lang = {lang: [a.text for a in articles if (a.lang or "id") == lang] for lang in ("id", "en")}

    def spacy_pass() -> int:
        hits = 0
        for lang, texts in by_lang.items():
            nlp, m = nlps[lang]
            for doc in nlp.pipe(texts, batch_size=64):
                hits += len(m(doc))
        return hits

    c0 = time.process_time()
    base, hits = timed(spacy_pass, args.runs)
    base_cpu = (time.process_time() - c0) / max(1, args.runs)
    t.add(f"bare spaCy (blank + sentencizer + PhraseMatcher, {len(phrases):,} phrases)",
          len(articles) / base, words / base, len(articles) / base_cpu, 1.0, "")
    why = extractor_available()
    if why is not None:
        t.notes.append(f"kg extraction not measured: the extractor is not available ({why}).")
        return t
    corpus = corpus_file(args.extract_articles, args.seed)
    rows: dict[int, tuple[float, float]] = {}
    for w in (1, 2):
        log(f"extraction: --workers {w}")
        start_wall, start_cpu = _extract_child(corpus, 2, w)
        walls, cpus = [], []
        for _ in range(max(1, args.runs)):
            wall, cpu = _extract_child(corpus, len(articles), w)
            walls.append(wall)
            cpus.append(cpu)
        wall = max(statistics.median(walls) - start_wall, 1e-9)  # steady state: start-up and warm-up removed
        cpu = max(statistics.median(cpus) - start_cpu, 1e-9)
        rows[w] = (wall, cpu)
        n = len(articles) - 2
        t.add(f"kg extract, {'1 process' if w == 1 else '--workers 2'}", n / wall, words * n / len(articles) / wall,
              n / cpu, (n / cpu) / (len(articles) / base_cpu), rows[1][0] / wall if w == 2 else 1.0)
        t.notes.append(f"--workers {w}: start-up and warm-up {start_wall:.2f} s wall, excluded above; CPU counts "
                       "the process and its workers.")
    eff = (rows[1][1] / rows[2][1]) if rows[2][1] else 0.0
    t.notes.append(f"CPU cost per article, 1 process vs --workers 2: {eff:.2f} (1.00 = no overhead from the "
                   "workers; their wall-clock scaling needs two idle cores, see the load average above).")
    t.notes.append("Targets: >= 100 articles/s per process; --workers 2 >= 1.6x.")
    t.notes.append(f"PhraseMatcher hits per pass: {hits:,}. The synthetic corpus's vocabulary grows like news "
                   "(Zipf over 60k invented words), but is smaller than a real archive's.")
    return t


def _extract_child(corpus: Path, n: int, workers: int) -> tuple[float, float]:
    """(extraction wall s, CPU s of the process and all its workers) of benchmarks/extract_child.py."""
    proc = subprocess.Popen([PY, "-m", "benchmarks.extract_child", str(corpus), str(n), "--workers", str(workers)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = b"", b""
    import threading

    def pump() -> None:
        nonlocal out, err
        out, err = proc.stdout.read(), proc.stderr.read()  # type: ignore[union-attr]

    th = threading.Thread(target=pump, daemon=True)
    th.start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    th.join(10)
    if proc.returncode != 0:
        raise RuntimeError(f"extract_child failed: {err.decode(errors='replace').strip().splitlines()[-1:]}")
    res = json.loads(out.decode().strip().splitlines()[-1])
    return res["wall"], usage.ru_utime + usage.ru_stime + res.get("workers_cpu", 0.0)


# ----------------------------------------------------------------------------- 2. ingest


def bench_ingest(args) -> Table:
    n = args.ingest_articles
    path = corpus_file(n, args.seed)
    t = Table(f"2. Ingest end to end: {n:,} synthetic articles (one JSONL file) into a fresh embedded store",
              ["command", "wall s", "articles/s", "peak RSS main MB", "peak RSS tree MB", "main RSS at 25/50/75/100%",
               "exit"])
    why = extractor_available()
    if why is not None:
        t.notes.append(f"not measured: the extractor is not available ({why}).")
        return t
    cli_workers = kg_has(["ingest"], "--workers")
    variants: list[tuple[str, list[str]]] = []
    store_root = Path(tempfile.mkdtemp(prefix="kg-bench-ingest-"))
    try:
        modes = [m.strip() for m in args.ingest_modes.split(",")]
        if "cli" in modes:
            variants.append(("kg ingest (CLI as is)", [PY, "-m", "kg.cli", "ingest", str(path), "--store",
                                                       str(store_root / "cli"), "--quiet"]))
        for w in [int(m) for m in modes if m.isdigit()]:
            if cli_workers:
                argv = [PY, "-m", "kg.cli", "ingest", str(path), "--store", str(store_root / f"w{w}"),
                        "--quiet", "--workers", str(w)]
                name = f"kg ingest --workers {w}"
            else:
                argv = [PY, "-m", "benchmarks.ingest_child", str(path), str(store_root / f"w{w}"), "--workers", str(w)]
                name = f"kg.parallel.ingest_parallel, workers={w} (streaming)"
            variants.append((name, argv))
        for name, argv in variants:
            log(f"ingest: {name}")
            s = Sampler(argv)
            code, wall, err = s.run()
            main, tree = s.peak()
            t.add(name, wall, n / wall if code == 0 else 0.0, main / 1024, tree / 1024, s.flatness(), code)
            summary = next((ln.strip() for ln in reversed(err.splitlines()) if ln.strip().startswith("ingested")), "")
            if summary:
                t.notes.append(f"{name}: {summary.split(' into ')[0]}")
            if code != 0:
                t.notes.append(f"{name} failed: {err.strip().splitlines()[-1] if err.strip() else 'no message'}")
        if not cli_workers:
            t.notes.append("`kg ingest` has no --workers option yet: the streaming rows run the same library call "
                           "it will make (benchmarks/ingest_child.py: PathReader + kg.parallel.ingest_parallel).")
        t.notes.append("Wall time includes interpreter start-up and imports; peak RSS sampled every 0.25 s "
                       "(tree = the main process and its workers).")
        t.notes.append("Target: >= 50 articles/s; memory flat over a 20,000-article ingest (--full).")
        hsg = ROOT.parent / "shared" / "data" / "hsg"
        if "hsg" in modes and hsg.is_dir() and (ROOT / "kg" / "ingest" / "hsg.py").exists():
            log("ingest: HSG records")
            s = Sampler([PY, "-m", "kg.cli", "ingest", "--source", "hsg", str(hsg), "--store",
                         str(store_root / "hsg"), "--quiet"])
            code, wall, err = s.run()
            main, tree = s.peak()
            line = next((ln for ln in err.splitlines() if ln.startswith("ingested")), "")
            n_hsg = int(line.split()[1].rstrip(",")) if line.startswith("ingested") else 0
            t.add("kg ingest --source hsg (real HSG records)", wall, n_hsg / wall if wall else 0.0,
                  main / 1024, tree / 1024, s.flatness(), code)
            t.notes.append(f"HSG: {line or (err.strip().splitlines() or ['no output'])[-1]}")
    finally:
        shutil.rmtree(store_root, ignore_errors=True)
    return t


# ----------------------------------------------------------------------------- 3. store load


def _gold_graphs(n_articles: int, seed: int):
    """(graph IRI, quads) per article of the synthetic corpus, from its gold facts."""
    from kg.pipeline import article_quads
    from kg.rdf import article_iri

    from .corpus import generate, gold_extraction

    out = []
    for rec in generate(n_articles, seed=seed):
        ex = gold_extraction(rec)
        out.append((article_iri(ex.article), article_quads(ex)))
    return out


def bench_load(args) -> Table:
    import pyoxigraph as ox

    from kg.parallel import _writer
    from kg.store import EmbeddedStore

    graphs = _gold_graphs(args.load_articles, args.seed)
    n_quads = sum(len(q) for _, q in graphs)
    nq = [ox.serialize(q, format=ox.RdfFormat.N_QUADS) for _, q in graphs]
    blob = b"".join(nq)
    t = Table(f"3. Store load on disk: {len(graphs):,} article graphs, {n_quads:,} quads "
              f"(gold facts of the synthetic corpus), median of {args.runs}",
              ["writer", "quads/s", "articles/s", "bulk_load / this"])
    root = Path(tempfile.mkdtemp(prefix="kg-bench-load-"))
    counter = iter(range(10**6))

    def fresh() -> Path:
        return root / f"s{next(counter)}"

    def bulk() -> None:
        st = ox.Store(str(fresh()))
        st.bulk_load(blob, format=ox.RdfFormat.N_QUADS)
        st.flush()
        del st

    def replace_graph() -> None:
        with EmbeddedStore(fresh()) as st:
            for g, q in graphs:
                st.replace_graph(g, q)

    def parallel_writer() -> None:
        with EmbeddedStore(fresh()) as st:
            w = _writer(st)
            for (g, _), b in zip(graphs, nq):
                w(g, False, nquads=b)
            w.close()  # new graphs are written in bulk, in the background: wait for them

    def parallel_writer_replace() -> None:  # the same articles written over a stored version
        path = fresh()
        with EmbeddedStore(path) as st:
            st.oxigraph.bulk_load(blob, format=ox.RdfFormat.N_QUADS)
            w = _writer(st)
            t0 = time.perf_counter()
            for (g, _), b in zip(graphs, nq):
                w(g, True, nquads=b)
            w.close()
            parallel_writer_replace.elapsed = time.perf_counter() - t0  # type: ignore[attr-defined]

    try:
        t_bulk, _ = timed(bulk, args.runs)
        t.add("pyoxigraph bulk_load (not atomic per article: the engine's ceiling)", n_quads / t_bulk,
              len(graphs) / t_bulk, 1.0)
        t_rep, _ = timed(replace_graph, args.runs)
        t.add("kg.store replace_graph per article (SPARQL DROP + INSERT DATA)", n_quads / t_rep,
              len(graphs) / t_rep, t_rep / t_bulk)
        t_par, _ = timed(parallel_writer, args.runs)
        t.add("kg.parallel writer, new articles (atomic bulk loads of ~150 articles)", n_quads / t_par,
              len(graphs) / t_par, t_par / t_bulk)
        times = []
        for _ in range(max(1, args.runs)):
            parallel_writer_replace()
            times.append(parallel_writer_replace.elapsed)  # type: ignore[attr-defined]
        t_par2 = statistics.median(times)
        t.add("kg.parallel writer, re-ingest of changed articles (drop graph + load)", n_quads / t_par2,
              len(graphs) / t_par2, t_par2 / t_bulk)
        # in memory, for reference
        def mem_bulk() -> None:
            ox.Store().bulk_load(blob, format=ox.RdfFormat.N_QUADS)

        def mem_load() -> None:
            st = ox.Store()
            for b in nq:
                st.load(b, format=ox.RdfFormat.N_QUADS)

        t_mb, _ = timed(mem_bulk, args.runs)
        t_ml, _ = timed(mem_load, args.runs)
        t.add("(in memory) bulk_load", n_quads / t_mb, len(graphs) / t_mb, "")
        t.add("(in memory) one atomic load per article", n_quads / t_ml, len(graphs) / t_ml, f"{t_ml / t_mb:.2f} (vs in-memory bulk)")
        t.notes.append("Target: within 2x of bulk_load. Per-article atomicity is what crash safety needs; bulk_load "
                       "writes sorted files outside transactions: a load bigger than the engine's batch (1,000,000 quads) "
                       "can be left partial if killed; kg's loads of ~50,000 quads are one step each.")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return t


# ----------------------------------------------------------------------------- 4. saved queries


@dataclass
class Sized:
    target: int
    path: Path
    quads: int
    articles: int
    nquads: bytes
    values: dict[str, str]


def _param_values(graphs_recs) -> dict[str, str]:
    """Parameter values that exist in the data: the most frequent entity of each kind."""
    people, orgs, places, countries, hosts = Counter(), Counter(), Counter(), Counter(), Counter()
    for rec in graphs_recs:
        ents = {e[0]: e for e in rec["_gold"]["ents"]}
        for key, types, name, _al, country in ents.values():
            if "Person" in types:
                people[name] += 1
            elif "Country" in types:
                countries[country] += 1
            elif "Place" in types:
                places[name] += 1
            elif "Organization" in types and "Facility" not in types:
                orgs[name] += 1
        for f in rec["_gold"]["facts"]:
            if f[0] == "hostedBy":
                hosts[ents[f[2]][2]] += 1
    top = lambda c, d: c.most_common(1)[0][0] if c else d  # noqa: E731
    person = top(people, "Anna Berg")
    return {"person": person, "entity": person, "host": top(hosts, person), "org": top(orgs, "Ministry of Health"),
            "place": top(places, "Jakarta"), "country": top(countries, "JP"), "word": "delegasi",
            "from": "2021-01-01", "to": "2022-12-31"}


def _sized_store(target: int, per_article: float, seed: int, root: Path) -> Sized:
    import pyoxigraph as ox

    from kg.pipeline import article_quads

    from .corpus import generate, gold_extraction

    n_articles = max(1, math.ceil(target / per_article))
    recs, chunks, quads = [], [], 0
    for rec in generate(n_articles, seed=seed):
        q = article_quads(gold_extraction(rec))
        quads += len(q)
        chunks.append(ox.serialize(q, format=ox.RdfFormat.N_QUADS))
        rec.pop("text")
        recs.append(rec)
    blob = b"".join(chunks)
    path = root / f"q-{target}"
    st = ox.Store(str(path))
    st.bulk_load(blob, format=ox.RdfFormat.N_QUADS)
    st.flush()
    st.optimize()
    quads = len(st)
    del st
    return Sized(target, path, quads, n_articles, blob, _param_values(recs))


def _saved_queries():
    try:
        from kg.queries import load_queries
    except ImportError:
        load_queries = None
    qdir = ROOT / "ontologies" / "queries"
    if load_queries is not None:
        return load_queries(qdir), None
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(qdir.glob("*.rq"))}, "kg.queries is missing"


def _bind(q, values: dict[str, str]) -> tuple[str | None, str]:
    """(query text, note) with parameters bound through kg.queries, or (None, why)."""
    if isinstance(q, str):
        return (None, "parametrised, no kg.queries to bind it") if "UNDEF" in q else (q, "")
    given = {}
    for p in q.params:
        if p.name in values and (p.required or p.name in ("from", "to")):
            given[p.name] = values[p.name]
        elif p.required:
            ex = dict(q.example)
            if p.name in ex:
                given[p.name] = ex[p.name]
            else:
                return None, f"no value for required parameter {p.name}"
    try:
        return q.bind(given), ", ".join(f"{k}={v}" for k, v in given.items())
    except Exception as e:  # noqa: BLE001
        return None, f"cannot bind: {e}"


class QueryRunner:
    """Times queries in a child process (benchmarks/query_child.py) that is killed on overrun."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.proc: subprocess.Popen | None = None

    def _start(self) -> None:
        self.proc = subprocess.Popen([PY, "-m", "benchmarks.query_child", str(self.path)], cwd=ROOT, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._read(120)

    def _read(self, timeout: float) -> dict:
        import select

        assert self.proc is not None and self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise Timeout()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("query process died")
        return json.loads(line)

    def run(self, text: str, runs: int, timeout: float) -> dict:
        if self.proc is None:
            self._start()
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"text": text, "runs": runs, "slow": timeout / 4}) + "\n")
        self.proc.stdin.flush()
        try:
            return self._read(timeout)
        except (Timeout, RuntimeError):
            self.close(kill=True)
            raise Timeout() from None

    def close(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if kill:
            self.proc.kill()
        else:
            self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait()
        self.proc = None


def bench_queries(args, sizes: list[Sized]) -> Table:
    import rdflib

    queries, missing = _saved_queries()
    t = Table(f"4. Saved queries ({len(queries)} in ontologies/queries): median latency, embedded Oxigraph store "
              f"on disk vs rdflib in-memory Dataset (union default graph), same data",
              ["query", "triples", "oxigraph ms", "rdflib ms", "rdflib / oxigraph", "rows (ox / rdflib)", "parameters"])
    if missing:
        t.notes.append(f"{missing}: parametrised queries skipped.")
    if not queries:
        t.notes.append("no saved queries found in ontologies/queries/.")
        return t
    summary: list[str] = []
    for sz in sizes:
        log(f"queries: {sz.quads:,} quads; loading rdflib")
        ds = rdflib.Dataset(default_union=True)
        t0 = time.perf_counter()
        try:
            with_timeout(lambda: ds.parse(data=sz.nquads, format="nquads"), max(300.0, args.rdflib_timeout * 4))
            rdf_ok = True
        except Timeout:
            rdf_ok = False
        rdf_load = time.perf_counter() - t0
        runner = QueryRunner(sz.path)
        over, slow, faster = [], [], []
        try:
            for name, q in queries.items():
                text, note = _bind(q, sz.values)
                if text is None:
                    t.add(name, sz.quads, "skipped", "", "", "", note)
                    continue
                log(f"  {name}")
                try:
                    r = runner.run(text, args.query_runs, args.query_timeout)
                except Timeout:
                    t.add(name, sz.quads, f"> {args.query_timeout * 1000:,.0f} (killed)", "", "", "", note)
                    over.append(name)
                    continue
                if "error" in r:
                    t.add(name, sz.quads, f"error: {r['error'][:60]}", "", "", "", note)
                    continue
                med, res = r["median"], r["rows"]
                if r.get("runs", 1) == 1:
                    note = f"{note} (1 run: slow)".strip()
                if med > 0.2:
                    slow.append(f"{name} {med * 1000:,.0f} ms")
                rcell, ratio, rrows = "not loaded", "", "-"
                if rdf_ok:
                    try:
                        times = []
                        for _ in range(max(1, min(3, args.query_runs))):
                            t1 = time.perf_counter()
                            rrows = with_timeout(lambda: len(list(ds.query(text))), args.rdflib_timeout)
                            times.append(time.perf_counter() - t1)
                        rmed = statistics.median(times)
                        rcell, ratio = rmed * 1000, (rmed / med if med else float("inf"))
                        if ratio < 10:
                            faster.append(f"{name} {ratio:.1f}x")
                    except Timeout:
                        rcell = f"> {args.rdflib_timeout * 1000:,.0f}"
                        ratio = f"> {args.rdflib_timeout / med:,.0f}" if med else ""
                        rrows = "timeout"
                    except Exception as e:  # noqa: BLE001
                        rcell, rrows = f"error: {str(e)[:50]}", "error"
                t.add(name, sz.quads, med * 1000, rcell, ratio, f"{res} / {rrows}", note)
        finally:
            runner.close()
        summary.append(f"{sz.quads:,} quads ({sz.articles:,} article graphs; rdflib load {rdf_load:.1f} s"
                       f"{'' if rdf_ok else ', timed out'}): over 200 ms: {', '.join(slow) or 'none'}; "
                       f"killed: {', '.join(over) or 'none'}; under 10x vs rdflib: {', '.join(faster) or 'none'}.")
        del ds
    t.notes += summary
    t.notes.append(f"Oxigraph: median of {args.query_runs} runs after one warm-up (a query slower than "
                   f"{args.query_timeout / 4:.0f} s runs once), killed after {args.query_timeout:.0f} s; rdflib: "
                   f"median of up to 3 runs, each stopped after {args.rdflib_timeout:.0f} s. Parameters: the most "
                   "frequent entity of the kind in the data.")
    t.notes.append("Targets: every saved query < 200 ms median at 1M triples (--full), >= 10x faster than rdflib.")
    return t


# ----------------------------------------------------------------------------- 5. analytics


def bench_analytics(args, sizes: list[Sized]) -> Table:
    t = Table("5. Analytics and visualisation on the same stores (CLI, wall time incl. start-up)",
              ["command", "triples", "wall s", "exit", "last line"])
    have_summary = kg_has(["analyze", "summary"], "--store") if kg_has(["analyze"], "summary") else False
    html_dir = Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    try:
        for sz in sizes:
            cmds = []
            if have_summary:
                cmds.append(("kg analyze summary", ["analyze", "summary", "--store", str(sz.path)]))
            cmds.append(("kg viz", ["viz", "--store", str(sz.path), "-o", str(html_dir / f"g{sz.target}.html")]))
            for name, argv in cmds:
                log(f"analytics: {name} on {sz.quads:,} quads")
                t0 = time.perf_counter()
                try:
                    r = subprocess.run([PY, "-m", "kg.cli", *argv], cwd=ROOT, capture_output=True, text=True,
                                       timeout=args.analytics_timeout)
                    wall = time.perf_counter() - t0
                    last = (r.stderr.strip() or r.stdout.strip() or "").splitlines()
                    t.add(name, sz.quads, wall, r.returncode, (last[-1] if last else "")[:90])
                except subprocess.TimeoutExpired:
                    t.add(name, sz.quads, f"> {args.analytics_timeout}", "timeout", "")
        if not have_summary:
            t.notes.append("`kg analyze summary` does not exist yet in this build: not measured.")
        t.notes.append("Target: kg analyze summary on 1M triples < 60 s (sampled betweenness, seeded).")
    finally:
        shutil.rmtree(html_dir, ignore_errors=True)
    return t


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.run", description="Run kg's benchmarks.")
    ap.add_argument("--full", action="store_true", default=os.environ.get("KG_BENCH_FULL") == "1",
                    help="add the 1M-triple size and a 20,000-article ingest (also KG_BENCH_FULL=1)")
    ap.add_argument("--only", default=",".join(BENCHES), help=f"comma-separated subset of {','.join(BENCHES)}")
    ap.add_argument("--runs", type=int, default=3, help="runs per measurement (median), default 3")
    ap.add_argument("--query-runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--extract-articles", type=int, default=200)
    ap.add_argument("--ingest-articles", type=int, default=None, help="default 500, 20000 with --full")
    ap.add_argument("--ingest-modes", default="cli,1,2,hsg",
                    help="ingest variants: cli (kg ingest as is), worker counts (1,2), hsg (real HSG records)")
    ap.add_argument("--load-articles", type=int, default=300)
    ap.add_argument("--sizes", default=None, help="triples per query-benchmark store, e.g. 10000,100000")
    ap.add_argument("--rdflib-timeout", type=float, default=30.0, help="seconds per rdflib query run")
    ap.add_argument("--query-timeout", type=float, default=60.0, help="seconds before an Oxigraph query is killed")
    ap.add_argument("--analytics-timeout", type=int, default=600)
    ap.add_argument("--no-append", action="store_true", help="do not append to benchmarks/RESULTS.md")
    args = ap.parse_args(argv)
    only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(only) - set(BENCHES)
    if unknown:
        ap.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if args.ingest_articles is None:
        args.ingest_articles = 20000 if args.full else 500
    sizes_t = [int(x) for x in args.sizes.split(",")] if args.sizes else ([10_000, 100_000, 1_000_000] if args.full
                                                                          else [10_000, 100_000])
    OUT.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    started = datetime.now(timezone.utc)
    mach = machine()
    print(f"# kg benchmarks, {started:%Y-%m-%d %H:%M} UTC\n\nMachine: {mach}\n", flush=True)
    tables: list[Table] = []

    def emit(tab: Table) -> None:
        tables.append(tab)
        print(tab.render(), flush=True)

    if "extraction" in only:
        emit(bench_extraction(args))
    if "ingest" in only:
        emit(bench_ingest(args))
    if "load" in only:
        emit(bench_load(args))
    sizes: list[Sized] = []
    if "queries" in only or "analytics" in only:
        root = Path(tempfile.mkdtemp(prefix="kg-bench-q-"))
        try:
            sample = _gold_graphs(50, args.seed + 1000)
            per_article = sum(len(q) for _, q in sample) / len(sample)
            for target in sizes_t:
                log(f"building a ~{target:,}-triple store")
                sizes.append(_sized_store(target, per_article, args.seed, root))
            if "queries" in only:
                emit(bench_queries(args, sizes))
            if "analytics" in only:
                emit(bench_analytics(args, sizes))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    elapsed = (datetime.now(timezone.utc) - started).total_seconds()
    if not args.no_append:
        head = (f"\n## {started:%Y-%m-%d %H:%M} UTC{' (--full)' if args.full else ''}\n\n"
                f"Machine: {mach}. Benchmarks: {', '.join(only)}; took {elapsed:.0f} s.\n\n")
        with RESULTS.open("a", encoding="utf-8") as f:
            if f.tell() == 0:
                f.write("# Benchmark results\n\nAppended by `python -m benchmarks.run` (`make bench`); newest last.\n")
            f.write(head + "\n".join(tab.render() for tab in tables))
        log(f"appended to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
