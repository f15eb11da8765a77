"""Read article files: plain text, Markdown, HTML and JSON Lines.

Every input that cannot be read becomes a ``Skip`` whose reason is one line
(binary data, unknown encoding, empty, too large, broken JSON line, XML that is
not an article...). Nothing here raises for bad input, and nothing is read whole
that does not need to be: JSON Lines files are streamed line by line, so an
archive of any size can be ingested.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from ..model import Article, Skip

__all__ = [
    "SUFFIXES",
    "MAX_BYTES",
    "MAX_CHARS",
    "MAX_LINE_BYTES",
    "read_paths",
    "read_file",
    "list_files",
    "decode",
    "article_from_record",
]

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
#: Files larger than this are skipped (``.jsonl`` excepted: it is streamed by line).
MAX_BYTES = 10 * 1024 * 1024
#: One article's text longer than this is skipped: no news article is a million characters.
MAX_CHARS = 1_000_000
#: One JSON line longer than this is skipped.
MAX_LINE_BYTES = MAX_BYTES

#: Magic numbers of common binary formats, for a precise skip reason.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s>/]")


class _Unreadable(Exception):
    pass


def _one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace so a reason always fits on one line.

    >>> _one_line("cannot\\nread:  file")
    'cannot read: file'
    """
    s = " ".join(str(text).split())
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _binary_kind(head: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head[:8192] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data (NUL bytes)"
    return None


def _too_many_controls(text: str) -> bool:
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    return controls > 0.01 * max(1, len(sample))


def _clean(text: str) -> str:
    """Drop control characters and lone surrogates (they cannot be stored)."""
    text = _CONTROL.sub("", text)
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _mostly_ascii(data: bytes) -> bool:
    sample = data[:65536]
    high = sum(1 for b in sample if b >= 0x80)
    return high <= 0.3 * max(1, len(sample))


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with BOM, else a detected encoding.

    Raises ``_Unreadable`` for binary data or bytes in no known encoding.

    >>> decode("Jum’at".encode("utf-8"))
    'Jum’at'
    >>> decode("café".encode("latin-1"))
    'café'
    >>> decode("Menlu".encode("utf-16"))
    'Menlu'
    """
    kind = _binary_kind(data[:8192])
    if kind is not None:
        raise _Unreadable(f"{kind}, not text")
    text: str | None = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Unreadable("broken UTF-16 text") from None
    if text is None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    if text is None and _mostly_ascii(data):
        # Latin-script news with a few accented letters: a Windows/ISO Latin-1 legacy file
        text = data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")
    if text is None:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise _Unreadable("not text in any known encoding")
        text = str(best)
    if _too_many_controls(text):
        raise _Unreadable("binary data (control characters), not text")
    return text


def _parse_date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _str_field(rec: dict, name: str) -> str | None:
    value = rec.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return _clean(value)


def _safe_key(key: str) -> str:
    """A key whose article IRI will not collide with another's.

    Names made only of characters that the IRI slug drops (e.g. ``北京``) would all
    map to the same graph: mark them so ``article_iri`` adds a digest.

    >>> _safe_key("000_4c58")
    '000_4c58'
    >>> _safe_key("北京")
    'file:北京'
    """
    from ..names import fold

    if not fold(key) and not any(c in key for c in "/:?#"):
        return f"file:{key}"
    return key


def article_from_record(rec: dict, *, default_key: str, path: str | None = None) -> Article:
    """An Article from a JSON object with ``text`` and optional metadata.

    Recognised fields: ``id``, ``url``, ``title``, ``text`` (or ``body``/``content``),
    ``published`` (or ``date``), ``source``, ``lang``. Raises ``_Unreadable`` when
    there is no usable text.

    >>> article_from_record({"id": "a1", "text": "Menlu tiba."}, default_key="f-1").key
    'a1'
    """
    text = rec.get("text") or rec.get("body") or rec.get("content")
    if not isinstance(text, str) or not text.strip():
        raise _Unreadable("no 'text' field with article text")
    if len(text) > MAX_CHARS:
        raise _Unreadable(f"text too long for one article ({len(text):,} characters > {MAX_CHARS:,})")
    text = _clean(text)
    if not text.strip():
        raise _Unreadable("no 'text' field with article text")
    key = rec.get("id") or rec.get("url") or default_key
    if not isinstance(key, (str, int)):
        key = default_key
    url = _str_field(rec, "url")
    return Article(
        key=_safe_key(_clean(str(key))),
        text=text,
        title=_str_field(rec, "title"),
        published=_parse_date(rec.get("published") or rec.get("date")),
        source=_str_field(rec, "source"),
        url=url,
        lang=rec.get("lang") if rec.get("lang") in ("id", "en") else None,
        path=path,
    )


def _html_article(path: Path, raw: str) -> Article:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, favor_precision=True
        )
    except Exception as e:  # trafilatura and lxml raise many kinds on broken markup
        raise _Unreadable(f"HTML could not be parsed ({type(e).__name__})") from None
    if doc is None:
        raise _Unreadable("no article text found in the HTML")
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text = get("text")
    if not isinstance(text, str) or not text.strip():
        raise _Unreadable("no article text found in the HTML")
    title = get("title") if isinstance(get("title"), str) else None
    body = _clean(f"{title}\n\n{text}" if title else text)
    url = get("url") if isinstance(get("url"), str) else None
    source = get("sitename") or get("hostname")
    return Article(
        key=_safe_key(url or path.stem),
        text=body,
        title=_clean(title) if title else None,
        published=_parse_date(get("date")),
        source=_clean(source) if isinstance(source, str) else None,
        url=url,
        path=str(path),
    )


def _xml_reason(head: bytes) -> str:
    """Why an ``.xml`` file is not read as an article (naming its root element)."""
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S)
    m = _XML_ROOT.search(body)
    root = m.group(2).decode("ascii", "replace") if m else None
    if root is None:
        return "XML file with no root element: not an article (kg reads .txt .md .html .jsonl)"
    if root.lower() in {"visits", "visit", "trips", "trip", "travels", "travel"}:
        return f"XML <{root}> records: ingest them with --source hsg, not as articles"
    return f"XML document <{root}> is not an article (kg reads .txt .md .html .jsonl)"


def _read_jsonl(path: Path) -> Iterator[Article | Skip]:
    """Stream a JSON Lines file: one article (or one skip) per non-empty line."""
    p = str(path)
    try:
        f = path.open("rb")
    except OSError as e:
        yield Skip(p, _one_line(f"cannot read: {e.strerror or e}"))
        return
    with f:
        try:
            head = f.read(8192)
        except OSError as e:
            yield Skip(p, _one_line(f"cannot read: {e.strerror or e}"))
            return
        kind = _binary_kind(head)
        if kind is None and _too_many_controls(head.decode("latin-1")):
            kind = "binary data (control characters)"
        if kind is not None:
            yield Skip(p, f"{kind}, not JSON Lines")
            return
        if not head.strip(b" \t\r\n\xef\xbb\xbf"):
            yield Skip(p, "empty file" if not head else "no text (only whitespace)")
            return
        f.seek(0)
        n = 0
        found = False
        while True:
            try:
                raw = f.readline(MAX_LINE_BYTES + 1)
            except OSError as e:
                yield Skip(f"{p}:{n + 1}", _one_line(f"cannot read: {e.strerror or e}"))
                return
            if not raw:
                break
            n += 1
            where = f"{p}:{n}"
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                yield Skip(where, f"line too long (> {MAX_LINE_BYTES / 1e6:.0f} MB)")
                while raw and not raw.endswith(b"\n"):  # drop the rest of the line
                    raw = f.readline(MAX_LINE_BYTES + 1)
                continue
            if n == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            found = True
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    line = decode(raw)
                except _Unreadable as e:
                    yield Skip(where, str(e))
                    continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                yield Skip(where, f"invalid JSON ({e.msg} at column {e.colno})")
                continue
            except RecursionError:
                yield Skip(where, "invalid JSON (nested too deeply)")
                continue
            if not isinstance(rec, dict):
                yield Skip(where, "a JSON line must be an object with a 'text' field")
                continue
            try:
                yield article_from_record(rec, default_key=f"{path.stem}-{n}", path=where)
            except _Unreadable as e:
                yield Skip(where, str(e))
        if not found:
            yield Skip(p, "no text (only whitespace)")


def read_file(path: Path) -> Iterator[Article | Skip]:
    """Articles in one file, or a ``Skip`` saying (in one line) why the file or a line was not read."""
    path = Path(path)
    p = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xml":
        try:
            with path.open("rb") as f:
                head = f.read(4096)
        except OSError as e:
            yield Skip(p, _one_line(f"cannot read: {e.strerror or e}"))
            return
        yield Skip(p, _xml_reason(head))
        return
    if suffix not in SUFFIXES:
        yield Skip(p, f"unsupported file type '{suffix or 'none'}' (use {', '.join(SUFFIXES)})")
        return
    try:
        if not path.is_file():
            yield Skip(p, "not a regular file")
            return
        size = path.stat().st_size
    except OSError as e:
        yield Skip(p, _one_line(f"cannot read: {e.strerror or e}"))
        return
    if size == 0:
        yield Skip(p, "empty file")
        return
    if suffix == ".jsonl":
        yield from _read_jsonl(path)
        return
    if size > MAX_BYTES:
        yield Skip(p, f"file too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
        return
    try:
        data = path.read_bytes()
    except OSError as e:
        yield Skip(p, _one_line(f"cannot read: {e.strerror or e}"))
        return
    try:
        text = decode(data)
    except _Unreadable as e:
        yield Skip(p, _one_line(str(e)))
        return
    if not text.strip():
        yield Skip(p, "no text (only whitespace)")
        return
    if suffix in (".html", ".htm"):
        try:
            article = _html_article(path, text)
        except _Unreadable as e:
            yield Skip(p, _one_line(str(e)))
            return
        except RecursionError:
            yield Skip(p, "HTML nested too deeply to parse")
            return
        if len(article.text) > MAX_CHARS:
            yield Skip(p, f"text too long for one article ({len(article.text):,} characters > {MAX_CHARS:,})")
            return
        yield article
        return
    if len(text) > MAX_CHARS:
        yield Skip(p, f"text too long for one article ({len(text):,} characters > {MAX_CHARS:,})")
        return
    text = _clean(text)
    if not text.strip():
        yield Skip(p, "no text (only control characters)")
        return
    yield Article(key=_safe_key(path.stem), text=text, path=p)


def list_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Skip]]:
    """The files ``read_paths`` would read, in order, and skips for paths that do not exist.

    Folders are walked recursively (symlinked folders not followed, hidden entries
    ignored, names sorted); only files with a known suffix are taken from folders,
    while a file named explicitly is always listed (and skipped later with a reason).
    Cheap: nothing is opened, so a progress bar can count files before reading.
    """
    files: list[Path] = []
    missing: list[Skip] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                        files.append(Path(root) / name)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            missing.append(Skip(str(path), "no such file or folder"))
    return files, missing


def read_paths(paths: Iterable[str | Path]) -> Iterator[Article | Skip]:
    """Articles in files and folders (walked recursively, sorted, hidden ones ignored).

    Streams: one file is read at a time, and a JSON Lines file one line at a time.
    """
    for raw in paths:
        files, missing = list_files([raw])
        yield from missing
        for f in files:
            yield from read_file(f)
