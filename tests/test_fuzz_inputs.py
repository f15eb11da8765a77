"""Bad input, fuzzed: every unreadable input is a one-line skip, nothing stored is lost.

Random bytes, invalid UTF-8 and legacy encodings, empty and huge files, deeply nested
or truncated HTML, JSON Lines with broken lines, XML that is not an article: the
readers never raise, say why in one line, and the store keeps what it had.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.ingest.files import MAX_BYTES, SUFFIXES, decode, read_file, read_paths
from kg.model import Article, Skip

from .conftest import make_extraction

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r\f"} | {"\x7f"}


def extractor_ready() -> bool:
    try:
        import kg.extract

        return hasattr(kg.extract, "extract")
    except ImportError:
        return False


needs_extractor = pytest.mark.skipif(not extractor_ready(), reason="kg.extract.extract is not there yet")


def check_items(items: list) -> None:
    """What every reader result must satisfy."""
    for item in items:
        assert isinstance(item, (Article, Skip))
        if isinstance(item, Skip):
            assert item.reason.strip(), item
            assert "\n" not in item.reason and "\r" not in item.reason, item
            assert len(item.reason) <= 200
            assert "Traceback" not in item.reason
        else:
            assert item.text.strip()
            assert not (set(item.text) & CONTROL), "control characters reached the article text"
            item.text.encode("utf-8")  # no lone surrogates
            item.key.encode("utf-8")
            if item.title:
                item.title.encode("utf-8")


def read_bytes_as(tmp_path: Path, data: bytes, suffix: str, name: str = "input") -> list:
    p = tmp_path / f"{name}{suffix}"
    p.write_bytes(data)
    items = list(read_file(p))
    check_items(items)
    return items


# ----------------------------------------------------------------------------- property tests


@FUZZ
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES + (".xml",)))
def test_random_bytes_never_raise_and_skips_are_one_line(tmp_path_factory, data, suffix):
    read_bytes_as(tmp_path_factory.mktemp("fuzz"), data, suffix)


@FUZZ
@given(text=st.text(max_size=2000), encoding=st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1", "utf-8-sig"]))
def test_text_in_any_encoding_is_read_or_skipped(tmp_path_factory, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    read_bytes_as(tmp_path_factory.mktemp("enc"), data, ".txt")


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            st.fixed_dictionaries({"id": st.text(max_size=20), "text": st.text(min_size=1, max_size=300)}),
            st.binary(max_size=200),
            st.text(max_size=200),
            st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                         lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5), c, max_size=3),
                         max_leaves=10),
        ),
        max_size=25,
    )
)
def test_jsonl_with_broken_lines_yields_one_item_per_line(tmp_path_factory, lines):
    raw = []
    for line in lines:
        if isinstance(line, bytes):
            raw.append(line.replace(b"\n", b" ").replace(b"\r", b" "))
        elif isinstance(line, str):
            raw.append(line.replace("\n", " ").replace("\r", " ").replace("\u2028", " ").replace("\u2029", " ")
                       .replace("\x85", " ").replace("\x0b", " ").replace("\x0c", " ").replace("\x1c", " ")
                       .replace("\x1d", " ").replace("\x1e", " ").encode("utf-8", "surrogatepass"))
        else:
            raw.append(json.dumps(line).encode("utf-8"))
    items = read_bytes_as(tmp_path_factory.mktemp("jsonl"), b"\n".join(raw), ".jsonl")
    if items and isinstance(items[0], Skip) and ":" not in items[0].path.rsplit("/", 1)[-1]:
        return  # the whole file was refused (binary data in the first 8 KB)
    valid = sum(
        1 for line in lines
        if isinstance(line, dict) and isinstance(line.get("text"), str)
        and any(c not in CONTROL and not c.isspace() for c in line["text"])
    )
    assert sum(isinstance(i, Article) for i in items) >= valid


@needs_extractor
@settings(max_examples=25, deadline=None)
@given(text=st.text(min_size=1, max_size=3000))
def test_extractor_on_garbage_text_raises_only_input_errors(text):
    from kg.errors import KgError
    from kg.pipeline import extract_article
    from kg.rdf import extraction_quads

    article = Article(key="fuzz", text=text)
    try:
        quads = extraction_quads(extract_article(article))
    except KgError:
        return
    assert quads


# ----------------------------------------------------------------------------- named cases


def test_empty_and_whitespace_files(tmp_path):
    assert read_bytes_as(tmp_path, b"", ".txt")[0].reason == "empty file"
    assert "whitespace" in read_bytes_as(tmp_path, b" \n\t\n", ".md", "ws")[0].reason
    assert read_bytes_as(tmp_path, b"", ".jsonl", "e")[0].reason == "empty file"
    assert "whitespace" in read_bytes_as(tmp_path, b"\n\n  \n", ".jsonl", "wsj")[0].reason


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\x7fELF\x02\x01\x01\x00", "executable"),
        (b"abc\x00def\x00" * 100, "NUL"),
    ],
)
def test_binary_files_are_skipped_with_their_kind(tmp_path, data, expected):
    for suffix in (".txt", ".html", ".jsonl"):
        (item,) = read_bytes_as(tmp_path, data, suffix)
        assert isinstance(item, Skip) and expected in item.reason


def test_text_of_control_characters_is_skipped(tmp_path):
    data = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13)) * 50
    for suffix in (".txt", ".html", ".jsonl"):
        (item,) = read_bytes_as(tmp_path, data, suffix)
        assert isinstance(item, Skip) and "control characters" in item.reason


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("Menteri Luar Negeri Prancis mengunjungi Jakarta pada Jum’at — « café » naïve.", "cp1252"),
        ("Delegasi dari Kraków dan Łódź tiba di Surabaya.", "utf-16"),
        ("Le ministre français a visité Surabaya. Très bien, déjà vu.", "latin-1"),
        ("Делегация посетила Джакарту в понедельник и встретилась с министром.", "cp1251"),
    ],
)
def test_legacy_encodings_are_decoded(tmp_path, text, encoding):
    (item,) = read_bytes_as(tmp_path, text.encode(encoding), ".txt")
    assert isinstance(item, Article)
    assert item.text == text


def test_mostly_utf8_with_one_bad_byte_is_read(tmp_path):
    data = "Delegasi Jepang mengunjungi Sentra Handayani Jakarta, Senin (12/2/2024). ".encode() * 20
    data = data[:100] + b"\xff" + data[100:]
    (item,) = read_bytes_as(tmp_path, data, ".txt")
    assert isinstance(item, Article) and "Sentra Handayani" in item.text


def test_decode_refuses_binary():
    from kg.ingest.files import _Unreadable

    with pytest.raises(_Unreadable):
        decode(b"\x00\x01\x02binary")


def test_a_50_mb_file_is_skipped_as_too_large(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: cheap to make
    (item,) = list(read_file(big))
    assert isinstance(item, Skip) and "too large" in item.reason and "52.4 MB" in item.reason


def test_a_50_mb_jsonl_line_is_skipped_and_the_next_line_read(tmp_path):
    p = tmp_path / "big.jsonl"
    with p.open("wb") as f:
        f.write(b'{"id": "a", "text": "' + b"x" * (MAX_BYTES + 10) + b'"}\n')
        f.write(json.dumps({"id": "b", "text": "Delegasi Jepang tiba di Jakarta."}).encode() + b"\n")
    items = list(read_file(p))
    check_items(items)
    assert isinstance(items[0], Skip) and "line too long" in items[0].reason and items[0].path.endswith(":1")
    assert isinstance(items[1], Article) and items[1].key == "b" and items[1].path.endswith(":2")


def test_a_large_jsonl_archive_is_streamed(tmp_path):
    p = tmp_path / "archive.jsonl"
    line = json.dumps({"text": "Delegasi Jepang mengunjungi Jakarta. " * 200}).encode() + b"\n"
    n = (12 * 1024 * 1024) // len(line) + 1  # over MAX_BYTES as a whole
    p.write_bytes(line * n)
    count = sum(1 for item in read_file(p) if isinstance(item, Article))
    assert count == n


def test_text_longer_than_an_article_is_skipped(tmp_path):
    (item,) = read_bytes_as(tmp_path, b"kata " * 300_000, ".txt")
    assert isinstance(item, Skip) and "too long" in item.reason


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_deeply_nested_html_is_skipped_or_read(tmp_path, depth):
    html = ("<html><body>" + "<div>" * depth + "<p>Delegasi Jepang mengunjungi Jakarta.</p>"
            + "</div>" * depth + "</body></html>")
    read_bytes_as(tmp_path, html.encode(), ".html", f"nested{depth}")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9])
def test_truncated_html_is_read_or_skipped(tmp_path, cut):
    body = "".join(f"<p>Paragraf {i}: Delegasi Jepang mengunjungi Sentra Handayani Jakarta.</p>" for i in range(40))
    html = f"<!DOCTYPE html><html><head><title>Kunjungan</title></head><body><article>{body}</article></body></html>"
    read_bytes_as(tmp_path, html[: int(len(html) * cut)].encode(), ".html", f"trunc{cut}")


def test_html_entities_do_not_read_local_files(tmp_path):
    html = (b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            b'<!ENTITY lol "lollollollollollollol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b"<html><body><article><p>&xxe; &lol2; Delegasi Jepang mengunjungi Jakarta pada hari Senin "
            b"dan bertemu dengan Menteri Luar Negeri.</p></article></body></html>")
    for item in read_bytes_as(tmp_path, html, ".html"):
        if isinstance(item, Article):
            assert "root:" not in item.text


@pytest.mark.parametrize(
    "xml, expected",
    [
        (b'<?xml version="1.0"?>\n<!-- feed -->\n<rss version="2.0"><channel/></rss>', "<rss> is not an article"),
        (b'<?xml version="1.0" encoding="UTF-8"?><visits xmlns="http://history.state.gov/ns/site/hsg">'
         b"<visit/></visits>", "--source hsg"),
        (b"not xml at all", "no root element"),
        (b"", "no root element"),
    ],
)
def test_xml_passed_as_an_article_is_skipped_with_a_reason(tmp_path, xml, expected):
    (item,) = read_bytes_as(tmp_path, xml, ".xml")
    assert isinstance(item, Skip) and expected in item.reason


@pytest.mark.parametrize(
    "line, expected",
    [
        (b'{"id": "x", "text": "ok', "invalid JSON"),
        (b"[1, 2, 3]", "must be an object"),
        (b'{"id": "x"}', "no 'text' field"),
        (b'{"id": "x", "text": 42}', "no 'text' field"),
        (b"[" * 100_000 + b"]" * 100_000, "JSON"),
        (b'{"text": "\\u0000\\u0001\\u0002"}', "no 'text' field"),
    ],
)
def test_broken_jsonl_lines_are_skipped_one_by_one(tmp_path, line, expected):
    good = json.dumps({"id": "good", "text": "Delegasi Jepang tiba di Jakarta."}).encode()
    items = read_bytes_as(tmp_path, good + b"\n" + line + b"\n" + good.replace(b"good", b"good2") + b"\n", ".jsonl")
    assert [type(i).__name__ for i in items] == ["Article", "Skip", "Article"]
    assert expected in items[1].reason and items[1].path.endswith(":2")


def test_jsonl_lone_surrogates_and_odd_fields_are_cleaned(tmp_path):
    line = b'{"id": {"a": 1}, "text": "Delegasi \\ud800 tiba\\u0000 di Jakarta.", "title": ["x"], "url": 5}'
    (item,) = read_bytes_as(tmp_path, line + b"\n", ".jsonl")
    assert isinstance(item, Article)
    assert "\ufffd" in item.text and "\x00" not in item.text
    assert item.title is None and item.url is None


def test_jsonl_in_a_legacy_encoding_is_read(tmp_path):
    line = json.dumps({"id": "a", "text": "Menteri Prancis: « très bien », déjà vu."}, ensure_ascii=False)
    (item,) = read_bytes_as(tmp_path, line.encode("cp1252") + b"\r\n", ".jsonl")
    assert isinstance(item, Article) and "déjà" in item.text


def test_names_that_slug_to_nothing_do_not_collide(tmp_path):
    from kg.rdf import article_iri

    for name in ("北京", "上海"):
        (tmp_path / f"{name}.txt").write_text("Delegasi Jepang mengunjungi Jakarta.", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert len({article_iri(i) for i in items}) == 2


def test_unsupported_missing_and_special_paths(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    items = list(read_paths([tmp_path / "notes.docx", tmp_path / "missing.txt", tmp_path]))
    check_items(items)
    reasons = [i.reason for i in items if isinstance(i, Skip)]
    assert any("unsupported file type '.docx'" in r for r in reasons)
    assert any("no such file" in r for r in reasons)


def test_a_symlink_loop_in_a_folder_does_not_hang(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "a.txt").write_text("Delegasi Jepang mengunjungi Jakarta.", encoding="utf-8")
    os.symlink(d, d / "loop")
    items = list(read_paths([d]))
    assert [isinstance(i, Article) for i in items] == [True]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_an_unreadable_file_is_skipped(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text("x")
    p.chmod(0)
    (item,) = list(read_file(p))
    assert isinstance(item, Skip) and "cannot read" in item.reason


# ----------------------------------------------------------------------------- through the CLI


def bad_inputs(folder: Path) -> int:
    """Write one file of each kind of bad input; return how many skips to expect (at least)."""
    folder.mkdir()
    files = {
        "empty.txt": b"",
        "blank.md": b"  \n\n ",
        "binary.txt": bytes(range(256)) * 64,
        "doc.html": b"%PDF-1.4 binary",
        "nested.html": b"<html><body>" + b"<div>" * 20000 + b"</body></html>",
        "broken.jsonl": b'{"id": 1, "text": \n[1,2]\n{"no": "text"}\n\xff\xfe garbage\n',
        "feed.xml": b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>',
        "image.htm": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    big = folder / "big.txt"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    return len(files) + 1 + 3  # + big, + the broken JSON lines counted one by one


def run_kg(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {}), "COLUMNS": "200"})


def test_kg_ingest_of_bad_inputs_reports_one_line_each_and_keeps_the_store(tmp_path):
    from kg.store import open_store

    store = tmp_path / "store"
    ex = make_extraction()
    from kg.pipeline import article_quads
    from kg.rdf import article_iri

    with open_store(store) as st:
        st.replace_graph(article_iri(ex.article), article_quads(ex))
        before = {str(q) for q in st.quads()}
    expected = bad_inputs(tmp_path / "bad")
    r = run_kg("ingest", str(tmp_path / "bad"), str(tmp_path / "bad" / "feed.xml"), "--store", str(store), "-q")
    assert "Traceback" not in r.stderr + r.stdout
    assert r.returncode == 0, r.stderr
    skip_lines = [ln for ln in r.stderr.splitlines() if ln.startswith("  skipped ")]
    assert len(skip_lines) >= expected, r.stderr
    for ln in skip_lines:
        path, _, reason = ln[len("  skipped "):].partition(": ")
        assert reason.strip(), ln
    with open_store(store) as st:
        after = {str(q) for q in st.quads()}
    assert before <= after, "a stored article was lost"
