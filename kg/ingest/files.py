"""Read article files: plain text, Markdown, HTML and JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from ..model import Article, Skip

__all__ = ["SUFFIXES", "MAX_BYTES", "read_paths", "read_file", "decode", "article_from_record"]

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
#: Files larger than this are skipped: no news article is 10 MB of text.
MAX_BYTES = 10 * 1024 * 1024


class _Unreadable(Exception):
    pass


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), else a detected encoding.

    Raises ``_Unreadable`` for binary data.

    >>> decode("Jum’at".encode("utf-8"))
    'Jum’at'
    >>> decode("café".encode("latin-1"))
    'café'
    """
    if b"\x00" in data[:8192]:
        raise _Unreadable("binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _Unreadable("not text in any known encoding")
    text = str(best)
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > 0.01 * max(1, min(len(text), 8192)):
        raise _Unreadable("binary data (control characters), not text")
    return text


def _parse_date(value: object) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def article_from_record(rec: dict, *, default_key: str, path: str | None = None) -> Article:
    """An Article from a JSON object with ``text`` and optional metadata.

    Recognised fields: ``id``, ``url``, ``title``, ``text`` (or ``body``/``content``),
    ``published`` (or ``date``), ``source``, ``lang``.
    """
    text = rec.get("text") or rec.get("body") or rec.get("content")
    if not isinstance(text, str) or not text.strip():
        raise _Unreadable("no 'text' field with article text")
    key = rec.get("id") or rec.get("url") or default_key
    return Article(
        key=str(key),
        text=text,
        title=rec.get("title") if isinstance(rec.get("title"), str) else None,
        published=_parse_date(rec.get("published") or rec.get("date")),
        source=rec.get("source") if isinstance(rec.get("source"), str) else None,
        url=rec.get("url") if isinstance(rec.get("url"), str) else None,
        lang=rec.get("lang") if rec.get("lang") in ("id", "en") else None,
        path=path,
    )


def _html_article(path: Path, raw: str) -> Article:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, favor_precision=True
        )
    except Exception as e:  # trafilatura raises many kinds on broken markup
        raise _Unreadable(f"HTML could not be parsed ({type(e).__name__})") from None
    if doc is None:
        raise _Unreadable("no article text found in the HTML")
    get = doc.get if isinstance(doc, dict) else (lambda k: getattr(doc, k, None))
    text = get("text")
    if not text or not text.strip():
        raise _Unreadable("no article text found in the HTML")
    title = get("title")
    body = f"{title}\n\n{text}" if title else text
    url = get("url")
    return Article(
        key=url or path.stem,
        text=body,
        title=title,
        published=_parse_date(get("date")),
        source=get("sitename") or get("hostname"),
        url=url,
        path=str(path),
    )


def read_file(path: Path) -> Iterator[Article | Skip]:
    """Articles in one file, or a ``Skip`` saying why the file (or a line) was not read."""
    p = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        yield Skip(p, f"unsupported file type '{suffix or 'none'}' (use {', '.join(SUFFIXES)})")
        return
    try:
        size = path.stat().st_size
        if size == 0:
            yield Skip(p, "empty file")
            return
        if size > MAX_BYTES:
            yield Skip(p, f"file too large ({size / 1e6:.1f} MB > {MAX_BYTES / 1e6:.0f} MB)")
            return
        data = path.read_bytes()
    except OSError as e:
        yield Skip(p, f"cannot read: {e.strerror or e}")
        return
    try:
        text = decode(data)
    except _Unreadable as e:
        yield Skip(p, str(e))
        return
    if not text.strip():
        yield Skip(p, "no text (only whitespace)")
        return
    if suffix == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{p}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                yield Skip(where, f"invalid JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(rec, dict):
                yield Skip(where, "a JSON line must be an object with a 'text' field")
                continue
            try:
                yield article_from_record(rec, default_key=f"{path.stem}-{n}", path=where)
            except _Unreadable as e:
                yield Skip(where, str(e))
        return
    if suffix in (".html", ".htm"):
        try:
            yield _html_article(path, text)
        except _Unreadable as e:
            yield Skip(p, str(e))
        return
    yield Article(key=path.stem, text=text, path=p)


def read_paths(paths: Iterable[str | Path]) -> Iterator[Article | Skip]:
    """Articles in files and folders (walked recursively, sorted, hidden ones ignored)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                f
                for f in path.rglob("*")
                if f.is_file()
                and f.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
            for f in files:
                yield from read_file(f)
        elif path.exists():
            yield from read_file(path)
        else:
            yield Skip(str(path), "no such file or folder")
