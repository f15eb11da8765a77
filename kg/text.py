"""Article -> Document: language, site furniture, title, date, source and sentences.

The article text is never rewritten: ``Document.content`` lists the spans of
``Article.text`` that are article content, and every sentence is a span of it.
Decisions use line shapes and the per-language data in ``data/lang/*.json``.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import filterfalse

from .errors import InputError
from .extract.dates import find_dates, find_full_dates
from .extract.rules import LANGS, fold, lang_rules
from .model import Article, Document, Sentence

__all__ = ["analyse", "detect_language", "split_sentences", "dateline", "Dateline"]

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# characters that are never part of a _WORD_RE word: digits and punctuation but apostrophes
_NOT_WORD_CHARS = string.digits + string.punctuation.replace("'", "") + "“”‘–—…«»"  # (a test checks it)
_DOMAIN_RE = re.compile(r"(?<![\w@])([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*\.(?:id|com|net|org|co\.id|go\.id|ac\.id|or\.id|news|info|asia|tv))(?![\w.])", re.IGNORECASE)
_DATELINE_RE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][\wÀ-ÿ.'’ -]{1,40}?)"
    r"(?:\s*,\s*(?P<src>[\w.-]+\.[a-z]{2,}))?"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,?\s+\d{4})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?(?:\s+\d{4})?))?"
    r"(?:\s*\((?P<paren>[^)]{1,40})\))?"
    r"\s*[–—-]{1,2}\s+"
)
_PLACE_DATE_LINE_RE = re.compile(r"^(?P<place>[A-ZÀ-Ý][\wÀ-ÿ.'’ -]{1,40}?),\s+(?P<rest>.+)$")
# a sentence end: "." "!" "?" (repeated, then closing quotes or brackets), or a closing
# quote, before a space; it starts with one of _SENT_END_CHARS (see _sentence_ends)
_SENT_END_CHARS = '.!?"”'
_SENT_END_RE = re.compile(rf"[{_SENT_END_CHARS}](?:(?<=[.!?])[.!?]*[\"”’)]*)?(?=\s)")
_QUOTE_CHARS = re.compile('[“”"]')
_NEXT_CHAR_RE = re.compile(r"\S")
_OPEN_Q = "“"
_CLOSE_Q = "”"


@dataclass(frozen=True)
class Dateline:
    """The place (and source) that opens the first paragraph: "JAKARTA, Antara –"."""

    start: int
    end: int
    place: str
    place_start: int
    place_end: int


def detect_language(text: str) -> str:
    """"id" or "en", by which language's function words are more frequent.

    >>> detect_language("Delegasi itu mengunjungi sentra tersebut dan bertemu dengan para petugas.")
    'id'
    >>> detect_language("The delegation visited the school and met the principal.")
    'en'
    """
    counts = dict.fromkeys(LANGS, 0)
    chunks = text[:6000].lower().split()  # a few hundred words decide it
    # the words of _WORD_RE that are function words, found faster: a chunk of letters only
    # is one word (most chunks are), a function word when it is in the set; so is another
    # chunk with only digits or punctuation around its letters ("said.", "(bmbf)"),
    # stripped of them; the regex reads the others. Only the counts matter, not the order.
    any_fw, letters_fw, fws = _function_words()
    words = list(filter(letters_fw.__contains__, chunks))
    rest = [c.strip(_NOT_WORD_CHARS) for c in filterfalse(str.isalpha, chunks)]
    more = list(filter(str.isalpha, rest))
    more += _WORD_RE.findall(" ".join(filterfalse(str.isalpha, rest)))
    words += filter(any_fw.__contains__, more)
    for lang, fw in zip(LANGS, fws):
        counts[lang] = sum(map(fw.__contains__, words))
    return max(LANGS, key=lambda lg: (counts[lg], lg == "id"))


@lru_cache(maxsize=None)
def _function_words() -> tuple[frozenset[str], frozenset[str], tuple[frozenset[str], ...]]:
    """The function words of any language, those of them that are letters only, and the
    function words of each language in LANGS."""
    fws = tuple(lang_rules(lang).function_words for lang in LANGS)
    any_fw = frozenset().union(*fws)
    return any_fw, frozenset(filter(str.isalpha, any_fw)), fws


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its newline and outer spaces."""
    return [m.span() for m in _LINE_RE.finditer(text)]


# a line's first to its last character that is not a space (\S is "not isspace()", as strip() reads it)
_LINE_RE = re.compile(r"\S(?:[^\n]*\S)?")


def _is_body(line: str) -> bool:
    # a line of news prose: 12 words or more that end like a sentence, or 25 words or more;
    # split only as far as needed (12 parts tell if there are 12 words), not a whole paragraph
    if len(line.split(None, 11)) < 12:
        return False
    return line.rstrip()[-1:] in '.!?"”’)' or len(line.split(None, 24)) >= 25


_COUNT_LINE_RE = re.compile(r"[\d.,\s]+")
_PAREN_LINE_RE = re.compile(r"\([^()]{1,60}\)")
_CAPTION_RE = re.compile(r"\.\s*\((?:f|foto|ist|dok)?/?[^()]{1,30}\)\s*$")


@lru_cache(maxsize=None)
def _furniture_rules() -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The furniture prefixes and contained phrases of all languages, the breadcrumb
    separators of each language, and those of all languages (each phrase and separator
    once: the languages share most of them)."""
    rules = [lang_rules(lang) for lang in LANGS]
    return (tuple(p for r in rules for p in r.furniture_prefixes),
            tuple(dict.fromkeys(c for r in rules for c in r.furniture_contains)),
            tuple(r.breadcrumb_separators for r in rules),
            tuple(dict.fromkeys(s for r in rules for s in r.breadcrumb_separators)))


def _furniture(line: str, folded: str) -> bool:
    """Is ``line`` site furniture? ``folded`` is ``fold(line)``, folded once by the caller."""
    if not line.strip():
        return True
    if _COUNT_LINE_RE.fullmatch(line):
        return True  # a view count
    if _PAREN_LINE_RE.fullmatch(line.strip()):
        return True  # "(rel)", "(PMI Public Relations)"
    f = folded.strip()
    if ")" in line and _CAPTION_RE.search(line):  # (`in`: a quick test)
        return True  # a photo caption with its credit
    prefixes, contains, separators, all_separators = _furniture_rules()
    if f.startswith(prefixes) or any(map(f.__contains__, contains)):
        return True
    present = set(filter(line.__contains__, all_separators))
    if not present or _is_body(line):
        return False  # no separator, or prose: not a breadcrumb
    for lang_seps in separators:
        seps = [s for s in lang_seps if s in present]
        if seps:
            parts = re.split("|".join(re.escape(s) for s in seps), line)
            if len(parts) > 1 and all(len(p.split()) <= 6 for p in parts):
                return True
    return False


def _similar(fa: str, fb: str) -> bool:
    """Are two folded lines the same but for small differences?"""
    if fa == fb:
        return True
    la, lb = len(fa), len(fb)
    if abs(la - lb) > 0.3 * max(la, lb, 1) or la > 400:
        return False
    # SequenceMatcher's real_quick_ratio() and quick_ratio() (the characters the lines
    # share), computed as it does but without building one: only ratio() needs it
    if 2.0 * min(la, lb) / (la + lb) < 0.85:
        return False
    if 2.0 * sum((Counter(fa) & Counter(fb)).values()) / (la + lb) < 0.85:
        return False
    return SequenceMatcher(None, fa, fb, autojunk=False).ratio() >= 0.85


@lru_cache(maxsize=None)
def _abbreviations() -> frozenset[str]:
    """The abbreviations of all languages: a period after one does not end a sentence."""
    return frozenset().union(*(lang_rules(x).abbreviations for x in LANGS))


def _abbrev_before(text: str, pos: int, abbrevs: frozenset[str]) -> bool:
    """Is the period at ``pos`` the end of an abbreviation or an initial?

    Degrees written after a name ("M.Si.", "S.H.") may end a sentence; titles before a
    name ("Dr.", "H.", "Kombes Pol.") never do.
    """
    # the word (letters, digits, dots) that ends at pos, at most 60 characters long: the
    # characters that are isalnum() or "._", read by a regex from the reversed window
    i = pos - _WORD_RUN_RE.match(text[max(0, pos - 60):pos][::-1]).end()
    if i == pos:
        return False
    tok = text[i:pos].rstrip(".")
    if tok in _DEGREES:
        return False
    last = tok.split(".")[-1]
    if tok in abbrevs or last in abbrevs:
        return True
    if len(last) == 1 and last.isalpha() and last.isupper():
        return True  # an initial: "H.", "S.H."
    return False


_WORD_RUN_RE = re.compile(r"[\w.]*")  # \w: the characters that are isalnum(), and "_"
_DEGREES = frozenset(d.rstrip(".") for lg in LANGS for d in lang_rules(lg).degrees)


def split_sentences(text: str, start: int, end: int, abbrevs: frozenset[str]) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]`` (one paragraph); no cut inside quotes.

    >>> t = "Dr. Sokha met Insp. Gen. Harun on Jl. Sudirman. They talked."
    >>> [t[s:e] for s, e in split_sentences(t, 0, len(t), frozenset({"Dr", "Insp", "Gen", "Jl"}))]
    ['Dr. Sokha met Insp. Gen. Harun on Jl. Sudirman.', 'They talked.']
    """
    seg = text[start:end]
    straight_ok = seg.count('"') % 2 == 0
    # quote depth before each boundary: walk the quote characters once
    quotes = ([(m.start(), m.group(0)) for m in _QUOTE_CHARS.finditer(seg)]
              if '"' in seg or _OPEN_Q in seg or _CLOSE_Q in seg else [])  # `in` is the faster scan
    spans = []
    cur = 0
    qi = 0
    depth = 0
    straight_open = False
    for m in _sentence_ends(seg):
        pos = m.end() - 1
        while qi < len(quotes) and quotes[qi][0] <= pos:
            ch = quotes[qi][1]
            if ch == _OPEN_Q:
                depth += 1
            elif ch == _CLOSE_Q:
                depth = max(0, depth - 1)
            elif straight_ok:
                straight_open = not straight_open
            qi += 1
        if depth > 0 or straight_open:
            continue
        nm = _NEXT_CHAR_RE.search(seg, m.end())  # the first character after the boundary
        if not nm:
            continue
        nxt = nm.group(0)
        if nxt.islower() or nxt in ",;:":
            continue  # (the cheap test first: the tests only skip a boundary, in any order)
        end_char = m.group(0)[0]
        if end_char == "." and _abbrev_before(seg, m.start(), abbrevs):
            continue
        if end_char in '"”' and seg[m.start() - 1: m.start()] not in ".!?":
            continue  # a closing quote ends a sentence only when the quote ended with . ! ?
        spans.append((start + cur, start + m.end()))
        cur = nm.start()  # the spaces after the boundary skipped: \S is "not isspace()"
    if cur < len(seg) and seg[cur:].strip():
        spans.append((start + cur, start + len(seg.rstrip())))
    # every span holds a character that is not a space: the boundary's, or (the last
    # one) what strip() kept
    return spans


def _sentence_ends(seg: str):
    """The matches of _SENT_END_RE in ``seg``, as finditer() gives them.

    A match opens with one of _SENT_END_CHARS, and str.find finds those much faster than
    the regex engine scans for them: the regex is tried only there, left to right, each
    time after the end of the match before.
    """
    starts = []
    for ch in _SENT_END_CHARS:
        i = seg.find(ch)
        while i >= 0:
            starts.append(i)
            i = seg.find(ch, i + 1)
    starts.sort()
    end = 0
    for i in starts:
        if i >= end:
            m = _SENT_END_RE.match(seg, i)
            if m:
                end = m.end()
                yield m


def dateline(doc: Document) -> Dateline | None:
    """The dateline that opens the first content paragraph, if there is one."""
    if not doc.content:
        return None
    return _dateline(doc.text, doc.content[0], doc.lang)


# (analyse and the extractor both ask it of the same text: the last answers are kept, by
# what the dateline depends on)
@lru_cache(maxsize=4)
def _dateline(text: str, first: tuple[int, int], lang: str) -> Dateline | None:
    """:func:`dateline` of a text whose first content paragraph is ``first``."""
    s, e = first
    m = _DATELINE_RE.match(text[s:e])
    if not m:
        # a place-and-date line above the story: "Kathmandu, 8 Maret 2023"
        langs = (lang,) + tuple(x for x in LANGS if x != lang)
        for ls, le in reversed(_lines(text[:s])):
            pm = _PLACE_DATE_LINE_RE.match(text[ls:le])
            if pm and find_dates(pm.group("rest"), langs) and len(pm.group("place").split()) <= 3:
                place = pm.group("place").strip()
                return Dateline(ls, le, place, ls, ls + len(place))
        return None
    place = m.group("place").strip()
    if len(place.split()) > 4:
        return None
    ps = s + m.start("place")
    return Dateline(s, s + m.end(), place, ps, ps + len(place))


def analyse(article: Article) -> Document:
    """Analyse the text of an article.

    Metadata given with the article (title, published, source, lang) wins over what is
    read from the text.

    Raises
    ------
    InputError
        When the article has no text.

    Examples
    --------
    >>> a = Article(key="a", text="Title of the story here now\\nMonday, 2 October 2023\\n\\nJAKARTA – The delegation visited the school. It met the principal.")
    >>> d = analyse(a)
    >>> d.lang, d.title, d.published.isoformat(), len(d.sentences)
    ('en', 'Title of the story here now', '2023-10-02', 2)
    """
    text = article.text
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"article {article.key!r} has no text")
    lang = article.lang if article.lang in LANGS else detect_language(text)
    rules = lang_rules(lang)
    langs = (lang,) + tuple(x for x in LANGS if x != lang)
    lines = _lines(text)
    ltext = [text[s:e] for s, e in lines]
    folded = [fold(t) for t in ltext]  # each line is folded once, for all the tests below
    first_body = next((i for i, t in enumerate(ltext) if _is_body(t)), None)
    if first_body is None:
        # no paragraph of news prose: a snippet or a single sentence; every line that ends
        # like a sentence is content
        first_body = next((i for i, t in enumerate(ltext) if t.rstrip()[-1:] in '.!?"”'), len(lines))
    # Header: lines before the first body paragraph.
    # The date line: the first with a full date and 20 words at most; its first date is
    # the publication date.
    date_line = None
    header_dates: list = []
    for i in range(first_body):
        ds = find_full_dates(ltext[i], langs)
        if ds and len(ltext[i].split()) <= 20:
            date_line, header_dates = i, ds
            break
    title_idx = None
    if article.title:
        ftitle = fold(article.title)
        title_idx = next((i for i in range(first_body) if _similar(folded[i], ftitle)), None)
    if title_idx is None:
        cands = [
            i
            for i in range(first_body)
            if i != date_line
            and len(ltext[i].split()) >= 4
            and ltext[i].rstrip()[-1:] not in ".:"
            and not _furniture(ltext[i], folded[i])
            and not find_dates(ltext[i], langs)
        ]
        above = [i for i in cands if date_line is not None and i < date_line]
        if above:
            title_idx = above[-1]
        elif cands:
            title_idx = max(cands, key=lambda i: (len(ltext[i].split()), -i))
    title = article.title or (ltext[title_idx].strip() if title_idx is not None else None)
    content: list[tuple[int, int]] = []
    ftitle = fold(title) if title else None
    for i, (s, e) in enumerate(lines):
        t = ltext[i]
        if i < first_body:
            continue
        if _furniture(t, folded[i]):
            continue
        if ftitle is not None and _similar(folded[i], ftitle):
            continue
        if not _is_body(t) and t.rstrip()[-1:] not in '.!?"”':
            continue  # signature, category, footer line or a related headline
        content.append((s, e))
    # Publication date.
    published = article.published
    source = article.source
    doc0 = Document(article, lang, title, None, None, tuple(content), ())
    dl = dateline(doc0)
    if published is None and header_dates:
        published = header_dates[0].value
    if published is None and dl is not None:
        ds = find_full_dates(text[dl.start:dl.end], langs)
        if ds:
            published = ds[0].value
    if published is None:
        published = _received_date(text, content, rules, langs)
    if source is None:
        source = _source(text, lines, ltext, first_body, dl)
    sentences: list[Sentence] = []
    abbrevs = _abbreviations()
    for s, e in content:
        for ss, se in split_sentences(text, s, e, abbrevs):
            sentences.append(Sentence(ss, se, text[ss:se]))
    return Document(article, lang, title, published, source, tuple(content), tuple(sentences))


def _received_date(text, content, rules, langs) -> date | None:
    """ "Dalam keterangan yang diterima X pada Selasa 3 Oktober 2023": the release date."""
    markers = [fold(m) for m in rules.received_markers]
    for s, e in content[:3]:
        seg = text[s:e]
        for d in find_full_dates(seg, langs):
            before = fold(seg[max(0, d.start - 60): d.start])
            if any(m in before for m in markers):
                return d.value
    return None


def _source(text, lines, ltext, first_body, dl) -> str | None:
    if dl is not None:
        m = _DOMAIN_RE.search(text[dl.start:dl.end])
        if m:
            return m.group(1).lower()
    for i, t in enumerate(ltext):
        if i < first_body:
            continue
        if "." not in t:
            continue  # no domain name without a dot
        if "©" in t or "copyright" in t.lower():
            m = _DOMAIN_RE.search(t)
        else:  # a line that opens with the site's name
            m = _DOMAIN_RE.match(t.strip())
        if m:
            return m.group(1).lower()
    return None
