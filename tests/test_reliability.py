"""Crash safety and concurrency of ``kg ingest``, through the real CLI in subprocesses.

* SIGKILL at random points of a long ingest, then re-run: every article graph is
  either exactly what an uninterrupted run writes or absent, and the final store
  equals the uninterrupted run's (quad for quad: the graphs have no blank nodes,
  so equality is isomorphism).
* A second writer gets "store busy" (exit 1, one line); queries during an ingest
  answer or say busy; nothing ever prints a traceback.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
PIPELINE_VERSION = "https://w3id.org/kg-visits/ontology#pipelineVersion"


def extractor_ready() -> bool:
    try:
        import kg.extract

        return hasattr(kg.extract, "extract")
    except ImportError:
        return False


pytestmark = pytest.mark.skipif(not extractor_ready(), reason="kg.extract.extract is not there yet")


def cli_has_workers() -> bool:
    r = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--help"], capture_output=True, text=True,
                       env={**os.environ, "COLUMNS": "200"})
    return "--workers" in r.stdout


def write_corpus(path: Path, n: int, seed: int = 11) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for rec in generate(n, seed=seed):
            rec.pop("_gold")
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def ingest_argv(corpus: Path, store: Path, mode: str) -> list[str]:
    if mode == "cli":
        return [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), "--quiet"]
    if cli_has_workers():
        return [sys.executable, "-m", "kg.cli", "ingest", str(corpus), "--store", str(store), "--quiet",
                "--workers", "2"]
    # what `kg ingest --workers 2` runs (kg.parallel), until the CLI exposes the option
    code = ("import sys\n"
            "from kg.parallel import PathReader, ingest_parallel\n"
            "from kg.resolve import Resolver\n"
            "from kg.store import open_store\n"
            "if __name__ == '__main__':\n"
            "    with open_store(sys.argv[2]) as st:\n"
            "        r = ingest_parallel(PathReader([sys.argv[1]]), st, workers=2, resolver=Resolver.load(st))\n"
            "    print(f'ingested {len(r.ingested)}, unchanged {len(r.unchanged)}', file=sys.stderr)\n")
    return [sys.executable, "-c", code, str(corpus), str(store)]


def start(argv: list[str]) -> subprocess.Popen:
    # a session of its own: SIGKILL hits the writer and its workers at once, like a power cut
    return subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "COLUMNS": "200"})


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate(timeout=60)


def wait_group_gone(pgid: int, timeout: float = 30) -> None:
    """Wait until no process of the group is left (workers hold no lock, but be sure)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def graphs_of(store: Path) -> dict[str, set[str]]:
    import pyoxigraph as ox

    out: dict[str, set[str]] = defaultdict(set)
    st = ox.Store(str(store))
    try:
        for q in st:
            obj = q.object
            if q.predicate.value == PIPELINE_VERSION:  # other work on the rules may move it while we run
                obj = "VERSION"
            out[str(q.graph_name)].add(f"{q.subject} {q.predicate} {obj}")
    finally:
        del st
    return dict(out)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus.jsonl", 40)


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> tuple[dict[str, set[str]], float]:
    store = tmp_path_factory.mktemp("ref") / "store"
    t = time.monotonic()
    r = subprocess.run(ingest_argv(corpus, store, "cli"), cwd=ROOT, capture_output=True, text=True, timeout=900)
    elapsed = time.monotonic() - t
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    graphs = graphs_of(store)
    assert len(graphs) == 40
    return graphs, elapsed


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["cli", "workers"])
def test_sigkill_at_random_points_then_rerun_gives_the_uninterrupted_graph(corpus, reference, tmp_path, mode):
    ref, ref_time = reference
    store = tmp_path / "store"
    rng = random.Random(f"crash-{mode}")
    kills = 0
    for _ in range(4):
        proc = start(ingest_argv(corpus, store, mode))
        time.sleep(rng.uniform(0.3, max(0.6, ref_time * 0.9)))
        finished = proc.poll() is not None
        kill_group(proc)
        wait_group_gone(proc.pid)
        kills += not finished
        if not store.exists():
            continue
        got = graphs_of(store)
        for g, quads in got.items():
            assert g in ref, f"unexpected graph {g}"
            assert quads == ref[g], f"article graph {g} is half written after SIGKILL"
    assert kills >= 2, "the ingest finished before it could be killed: make the corpus longer"
    r = subprocess.run(ingest_argv(corpus, store, mode), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert graphs_of(store) == ref


@pytest.mark.slow
def test_parallel_ingest_writes_the_same_graph_as_one_process(corpus, reference, tmp_path):
    ref, _ = reference
    store = tmp_path / "store"
    r = subprocess.run(ingest_argv(corpus, store, "workers"), cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    assert graphs_of(store) == ref
    again = subprocess.run(ingest_argv(corpus, store, "workers"), cwd=ROOT, capture_output=True, text=True,
                           timeout=900)
    assert again.returncode == 0 and "unchanged 40" in again.stderr, again.stderr


def lock_held(pid: int, store: Path) -> bool:
    """Whether process ``pid`` has the store's LOCK file open (its writer lock)."""
    lock = str((store / "LOCK").resolve())
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == lock:
                    return True
            except OSError:
                continue
    except OSError:
        pass
    return False


def wait_for_lock(proc: subprocess.Popen, store: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the ingest ended before taking the lock: {proc.communicate()[1]}")
        if lock_held(proc.pid, store):
            return
        time.sleep(0.05)
    pytest.fail("the ingest never took the store lock")


def run_kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "COLUMNS": "200"})


@pytest.mark.slow
def test_second_writer_and_queries_during_an_ingest(tmp_path):
    corpus = write_corpus(tmp_path / "long.jsonl", 200, seed=12)  # long enough to outlast the others' start-up
    store = tmp_path / "store"
    other = tmp_path / "other.txt"
    other.write_text("Delegasi Jepang mengunjungi Sentra Handayani Jakarta, Senin (12/2/2024).", encoding="utf-8")
    proc = start(ingest_argv(corpus, store, "cli"))
    try:
        wait_for_lock(proc, store)
        second = run_kg("ingest", str(other), "--store", str(store), "--quiet")
        if proc.poll() is not None and second.returncode == 0:
            pytest.fail("the ingest finished before the second writer started: the machine is too busy for this test")
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "store busy" in lines[0], second.stderr
        assert "Traceback" not in second.stderr
        answered = busy = 0
        while proc.poll() is None and answered + busy < 6:
            q = run_kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", str(store),
                       "--format", "json")
            assert "Traceback" not in q.stderr + q.stdout
            if q.returncode == 0:
                answered += 1
            else:
                assert q.returncode == 1
                assert len(q.stderr.strip().splitlines()) == 1 and "busy" in q.stderr, q.stderr
                busy += 1
        assert answered + busy >= 1
        out, err = proc.communicate(timeout=900)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            kill_group(proc)
    assert len(graphs_of(store)) == 200
    after = run_kg("ingest", str(other), "--store", str(store), "--quiet")
    assert after.returncode == 0, after.stderr


def test_a_writer_holding_the_lock_makes_the_cli_say_store_busy(tmp_path):
    """Fast version of the busy check: this process holds the lock, the CLI is refused."""
    from kg.store import open_store

    store = tmp_path / "store"
    other = tmp_path / "a.txt"
    other.write_text("Delegasi Jepang mengunjungi Jakarta.", encoding="utf-8")
    with open_store(store):
        for args in (("ingest", str(other), "--store", str(store), "-q"),
                     ("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--store", str(store))):
            r = run_kg(*args)
            assert r.returncode == 1, r.stderr
            lines = r.stderr.strip().splitlines()
            assert len(lines) == 1 and "store busy" in lines[0], r.stderr
            assert "Traceback" not in r.stderr + r.stdout
