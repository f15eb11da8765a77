"""Helpers for the analyst-access tests: a real Oxigraph server, free ports, sample data."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from tests.conftest import make_extraction  # noqa: F401 - re-exported for the access tests

from kg.model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.02)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


@contextlib.contextmanager
def oxigraph_server(location: Path, *, read_only: bool = False) -> Iterator[str]:
    """Run ``oxigraph serve`` on a free loopback port; yield its query URL."""
    if read_only and not Path(location).exists():
        import pyoxigraph

        store = pyoxigraph.Store(str(location))  # serve-read-only needs an existing store
        store.flush()
        del store
    port = free_port()
    cmd = [OXIGRAPH, "serve-read-only" if read_only else "serve", "--location", str(location),
           "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        yield f"http://127.0.0.1:{port}/query"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)


class Listener:
    """A loopback socket that records every connection made to it (it must see none)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def second_extraction(key: str = "fixture-2") -> Extraction:
    """Another article: Anna Berg (of Freedonia) visits Jakarta, hosted by Budi Santoso, in 2023."""
    text = (
        "Anna Berg dari Freedonia mengunjungi Jakarta pada 5 Mei 2023 didampingi Piet Vos, "
        "disambut Budi Santoso dari Kementerian Luar Negeri Indonesia.\n\n"
        "\u201cKerja sama pelatihan vokasi penting,\u201d kata Anna Berg."
    )
    s1, s2 = text.split("\n\n")
    art = Article(key=key, text=text, title="Anna Berg di Jakarta", published=date(2023, 5, 6), source="example.org")
    doc = Document(
        article=art,
        lang="id",
        title=art.title,
        published=art.published,
        source=art.source,
        content=((0, len(text)),),
        sentences=tuple(Sentence(text.index(s), text.index(s) + len(s), s) for s in (s1, s2)),
    )

    def ev(s: str, rule: str) -> tuple[Evidence, ...]:
        i = text.index(s)
        return (Evidence(i, i + len(s), s, rule),)

    ents = (
        Entity("anna", ("Person",), "Anna Berg", ("Anna", "A. Berg"), "FD"),
        Entity("piet", ("Person",), "Piet Vos", ()),
        Entity("budi", ("Person",), "Budi Santoso", ("Budi",), "ID"),
        Entity("kemlu", ("Organization",), "Kementerian Luar Negeri Indonesia", ("Kemlu",), "ID"),
        Entity("jkt", ("Place",), "Jakarta", (), "ID"),
        Entity("id", ("Country",), "Indonesia", (), "ID"),
    )
    facts = (
        Fact("visited", "anna", "jkt", date=date(2023, 5, 5), evidence=ev(s1, "id.visit.mengunjungi")),
        Fact("hostedBy", "anna", "budi", evidence=ev(s1, "id.host.disambut")),
        Fact("accompaniedBy", "anna", "piet", evidence=ev(s1, "id.companion.didampingi")),
        Fact("memberOf", "budi", "kemlu", evidence=ev(s1, "id.members.dari")),
        Fact("role", "budi", value="Direktur Jenderal", org="kemlu", evidence=ev(s1, "id.role")),
        Fact("locatedIn", "jkt", "id", evidence=ev(s1, "gazetteer")),
        Fact("said", "anna", value="Kerja sama pelatihan vokasi penting", evidence=ev(s2, "id.quote.kata")),
    )
    return Extraction(document=doc, entities=ents, facts=facts)


def sample_extractions() -> list[Extraction]:
    return [make_extraction("fixture-1"), second_extraction("fixture-2")]


def fill(store, extractions: list[Extraction] | None = None) -> None:
    from kg.pipeline import ingest_articles

    ingest_articles(extractions if extractions is not None else sample_extractions(), store)


def env_without_proxy() -> dict[str, str]:
    env = dict(os.environ)
    for k in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        env.pop(k, None)
    return env
