"""Document -> mentions: capitalised spans typed by gazetteers, heads, titles and context.

A sentence is tokenised, date phrases are set aside, and runs of capitalised words are
cut into pieces: a role phrase ("Sekretaris Utama BNPB"), the person it introduces
("Rustian Hadiwijaya"), organisations and facilities (by their head words),
places and countries (by gazetteer), delegations ("Delegasi Jepang", "the German
delegation"). Parenthesised names pair a long form with its short form or translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .rules import LANGS, Gazetteer, fold, gazetteer, lang_rules, word_class

__all__ = ["Tok", "Chunk", "Lexicon", "lexicon", "tokenize", "chunk_sentence"]

_TOKEN_RE = re.compile(r"\w+(?:[’'\-]\w+)*|[^\w\s]")
# the same tokens, each with the whitespace before it: the offsets follow from the lengths
# (possessive quantifiers: the pattern never needs to backtrack, so the regex engine need not
# remember where it could)
_SPACED_TOKEN_RE = re.compile(r"(\s*+)(\w++(?:[’'\-]\w++)*+|[^\w\s])")
_POSS_RE = re.compile(r"^(.+?)['’]s$")
_ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{0,3}|IX|X)$")
_OPEN_QUOTES = "“\"'‘"
_DOTTED = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}\.){2,}$")


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int
    low: str
    cap: bool
    upper: bool
    kind: str = ""  # lexicon class of the token, filled per run
    info: object = None
    date: bool = False


def tokenize(text: str, start: int, end: int, abbrevs: frozenset[str]) -> list[Tok]:
    """Tokens of ``text[start:end]`` with absolute offsets; abbreviations keep their dot,
    possessive "'s" is its own token."""
    out: list[Tok] = []
    append = out.append
    info = _TOK_INFO
    new_tok = _new_tok
    # (pieces are remembered for a frozenset of abbreviations, as the lexicon's; with any
    # other collection they are cut each time)
    remember = type(abbrevs) is frozenset
    s = start
    # Most words stand between single spaces and are one whole token: a known token (the
    # regex would match such a piece as that one token) or letters and digits only (one
    # "\w+"), found without the regex. Any other piece (punctuation, other whitespace,
    # apostrophes, "_") is cut by _piece_tokens, once per distinct piece.
    for w in text[start:end].split(" "):
        e = s + len(w)
        ti = info.get(w)
        if ti is None and w.isalnum():
            ti = _tok_info(w)
        if ti:
            # built without Tok(...): the class call and its __init__ cost about as much as
            # the rest of this loop
            tok = new_tok(Tok)
            tok.text = w
            tok.start = s
            tok.end = e
            tok.low, tok.cap, tok.upper = ti
            tok.kind = ""  # Tok's defaults
            tok.info = None
            tok.date = False
            append(tok)
        elif not remember:
            if w:
                _tokenize_piece(text, s, e, end, abbrevs, out)
        elif w:
            # a piece's tokens depend on its text alone (and the abbreviations): remembered
            # with offsets from the piece's start
            cut = info.get((abbrevs, w))
            if cut is None:
                cut = _piece_tokens(text, s, e, end, abbrevs)
            for t, a, b, low, cap, upper in cut:
                append(Tok(t, s + a, s + b, low, cap, upper))
        s = e + 1
    return out


def _piece_tokens(text: str, start: int, end: int, sent_end: int, abbrevs: frozenset[str]) -> "tuple[tuple[str, int, int, str, bool, bool], ...]":
    """The tokens of the piece ``text[start:end]`` (an entry of ``_TOK_INFO``): (text, start
    and end from the piece's start, folded, capitalised, all capitals).

    They follow from the piece's text: _tokenize_piece looks at the tokens before only
    within the piece, and at the text after a token only within the piece or at its end (the
    sentence's end or a space)."""
    toks: list[Tok] = []
    _tokenize_piece(text, start, end, sent_end, abbrevs, toks)
    cut = tuple([(t.text, t.start - start, t.end - start, t.low, t.cap, t.upper) for t in toks])
    if len(_TOK_INFO) > 200_000:
        _TOK_INFO.clear()
    _TOK_INFO[(abbrevs, text[start:end])] = cut
    return cut


def _tokenize_piece(text: str, start: int, end: int, sent_end: int, abbrevs: frozenset[str], out: list[Tok]) -> None:
    """Append the tokens of ``text[start:end]``, a piece of a sentence between two spaces, to ``out``."""
    info = _TOK_INFO
    e = start
    # findall is much cheaper than match objects; only whitespace lies between two
    # tokens, so each token starts after the whitespace matched before it
    for sp, t in _SPACED_TOKEN_RE.findall(text, start, end):
        s = e + len(sp)
        e = s + len(t)
        ti = info.get(t)
        if ti is None:
            ti = _tok_info(t)
        if ti:
            out.append(Tok(t, s, e, ti[0], ti[1], ti[2]))
            continue
        if t in ("'", "’") and out and out[-1].end == s and out[-1].cap and (e >= sent_end or text[e].isspace()):
            prev = out[-1]  # "Dato' Dr. X": a trailing apostrophe belongs to the word
            out[-1] = Tok(prev.text + t, prev.start, e, prev.low, prev.cap, prev.upper)
            continue
        pm = _POSS_RE.match(t) if ("'" in t or "’" in t) else None
        if pm and len(pm.group(1)) > 1:
            b = pm.group(1)
            out.append(_mk(b, s, s + len(b)))
            out.append(_mk(t[len(b):], s + len(b), e))
            continue
        if t == "." and out and out[-1].end == s:
            prev = out[-1]
            if prev.text in abbrevs or (len(prev.text) == 1 and prev.text.isupper()) or prev.text.endswith("."):
                merged = prev.text + "."
                if len(out) >= 2 and out[-2].end == prev.start and out[-2].text.endswith(".") and len(prev.text) <= 3:
                    # S.H. / M.Si. / Ph.D.
                    p2 = out.pop(-2)
                    out[-1] = _mk(p2.text + merged, p2.start, e)
                    continue
                out[-1] = _mk(merged, prev.start, e)
                continue
        out.append(_mk(t, s, e))


_new_tok = object.__new__
# token text -> (folded, capitalised, all capitals), False: needs the slow path;
# (abbreviations, piece between two spaces) -> its tokens (see _piece_tokens)
_TOK_INFO: dict = {}


def _tok_info(t: str) -> "tuple[str, bool, bool] | bool":
    """Remember what a token's text says about it (an entry of ``_TOK_INFO``)."""
    if len(_TOK_INFO) > 200_000:
        _TOK_INFO.clear()
    if t != "." and "'" not in t and "’" not in t:
        ti = _TOK_INFO[t] = (fold(t), t[0].isupper(), len(t) >= 2 and t.isupper() and not t[1:2] in "'’-")
    else:
        ti = _TOK_INFO[t] = False
    return ti


def _mk(t: str, s: int, e: int) -> Tok:
    return Tok(t, s, e, fold(t), t[0].isupper(), len(t) >= 2 and t.isupper() and not t[1:2] in "'’-")


# --------------------------------------------------------------------------- lexicon


@dataclass
class Lexicon:
    """Multi-word lookup over folded token tuples -> (class, info)."""

    table: dict[tuple[str, ...], tuple[str, object]]
    max_len: int
    connectors: frozenset[str]
    name_connectors: frozenset[str]
    initial_words: frozenset[str]
    function_words: frozenset[str]
    abbrevs: frozenset[str]
    title_expansions: dict[str, str]
    delegation_heads: frozenset[str]
    org_head_words: frozenset[str]
    intl: frozenset[str] = frozenset()
    first: dict[str, int] = field(default_factory=dict)  # first token -> longest entry length
    head_first_words: frozenset[str] = frozenset()
    head_last_words: frozenset[str] = frozenset()
    title_mods: frozenset[str] = frozenset()  # "Senior", "Utama": extend a title before them
    place_quals: frozenset[str] = frozenset()  # "North", "Utara": a part of the place they qualify
    role_intro: frozenset[str] = frozenset()  # "sebagai", "selaku", "as": a role follows a name
    title_fields: frozenset[tuple[str, ...]] = frozenset()  # "Kerja Sama", "Hukum": a title's field, after it
    purpose_words: frozenset[str] = frozenset()  # "for", "untuk": a title's field may follow them

    def match(self, toks: list[Tok], i: int, j: int | None = None) -> tuple[int, str, object] | None:
        """Longest lexicon entry starting at token i (ending before j): (length, class, info)."""
        j = len(toks) if j is None else j
        low = toks[i].low
        key = low.rstrip(".")
        ml = self.first.get(key) or (key != low and self.first.get(low))
        if not ml:
            return None  # most words start no entry
        top = ml if ml < j - i else j - i
        if top <= 0:
            return None
        table = self.table
        if top == 1:  # (the usual case, the steps below for one word: no tuples to build)
            hit = table.get((key,))
            if hit is None and key != low:
                hit = table.get((low,))
            return None if hit is None else (1, hit[0], hit[1])
        lows = tuple([t.low for t in toks[i:i + top]])
        # (most words have no dot: then the stripped words are the words)
        dotted = "." in "".join(lows)
        stripped = tuple([x.rstrip(".") for x in lows]) if dotted else lows
        dotted = dotted and stripped != lows  # else the second lookup would repeat the first
        for n in range(top, 0, -1):
            hit = table.get(stripped[:n])
            if hit is None and dotted:
                hit = table.get(lows[:n])
            if hit is not None:
                return n, hit[0], hit[1]
        return None


def _toks_key(phrase: str) -> tuple[str, ...]:
    return tuple(fold(m.group(0)).rstrip(".") for m in _TOKEN_RE.finditer(phrase) if m.group(0) != ".")


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    """One lexicon for both languages (articles mix them: English titles in Indonesian text)."""
    gz: Gazetteer = gazetteer()
    table: dict[tuple[str, ...], tuple[str, object]] = {}

    def put(phrase: str, cls: str, info: object, *, override: bool = False) -> None:
        key = _toks_key(phrase)
        if not key:
            return
        if override or key not in table:
            table[key] = (cls, info)

    for rule_lang in LANGS:
        r = lang_rules(rule_lang)
        for h in r.honorifics:
            put(h, "HON", h)
        for h in r.ranks:
            put(h, "RANK", h)
        for h in r.degrees:
            put(h, "DEG", h)
        for abbr, full in r.title_abbreviations.items():
            put(abbr, "TITLE", full)
        for h in r.delegation_heads:
            put(h, "DELEG", h)
        for h in r.raw.get("org_short_forms", ()):  # "Kemlu", "Bappenas": a body's short name, like an acronym
            put(h, "ACR", None)
    for key, (lang, types, pos) in gz.org_heads.items():
        head = key.split("\t")[0]
        k = _toks_key(head)
        prev = table.get(k)
        if prev and prev[0] == "ORGH":
            positions = set(prev[1][1]) | {pos}
            table[k] = ("ORGH", (prev[1][0], tuple(sorted(positions))))
        elif prev is None or prev[0] in ("TITLE",):
            table[k] = ("ORGH", (types, (pos,)))
    for t, (lang, orghead) in gz.titles.items():
        put(t, "TITLE", orghead)
    # the plural of a one-word title before a list of names, in a language that marks it:
    # "Representatives A and B", "Senators A and B" (not the nouns that name a group of
    # officials: "Officials of ...")
    groups = word_class("group_nouns")
    for t, (lang, orghead) in gz.titles.items():
        suffix = lang_rules(lang).raw["plural_suffix"]
        if suffix and " " not in t and t.isalpha() and not t.endswith(suffix) and t + suffix not in groups:
            put(t + suffix, "TITLE", orghead)
    for name, place in gz.places.items():
        put(name, "PLACE", place, override=True)
    for name, c in gz.countries.items():
        put(name, "COUNTRY", c, override=True)
    for name, c in gz.demonyms.items():
        put(name, "DEMONYM", c)
    # initials written as one token ("U.S.", "U.K."): the same entry under the dotted key
    for k, v in list(table.items()):
        if len(k) >= 2 and all(len(x) == 1 and x.isalpha() for x in k):
            table.setdefault((".".join(k),), v)
    max_len = max(len(k) for k in table)
    conn: set[str] = set()
    nconn: set[str] = set()
    init: set[str] = set()
    fw: set[str] = set()
    ab: set[str] = set()
    exp: dict[str, str] = {}
    dh: set[str] = set()
    tm: set[str] = set()
    tf: set[tuple[str, ...]] = set()
    ri: set[str] = set()
    pq: set[str] = set()
    for rule_lang in LANGS:
        r = lang_rules(rule_lang)
        tm |= {fold(x) for x in r.raw.get("title_modifiers", [])}
        tf |= {_toks_key(x) for x in r.raw.get("title_fields", [])}
        pq |= {fold(x) for x in r.raw.get("place_qualifiers", [])}
        ri |= {fold(x) for x in r.raw.get("role_introducers", [])}
        conn |= {fold(c) for c in r.connectors}
        nconn |= {fold(c) for c in r.name_connectors}
        init |= r.initial_words
        fw |= r.function_words
        ab |= r.abbreviations
        exp.update({fold(k): v for k, v in r.title_abbreviations.items()})
        dh |= {fold(x) for x in r.delegation_heads}
    heads = frozenset(k.split("\t")[0] for k in gz.org_heads)
    first: dict[str, int] = {}
    for k in table:
        first[k[0]] = max(first.get(k[0], 0), len(k))
    return Lexicon(table, max_len, frozenset(conn), frozenset(nconn), frozenset(init), frozenset(fw),
                   frozenset(ab), exp, frozenset(dh), heads, first=first,
                   head_first_words=frozenset(h.split()[0] for h in heads if h.split()),
                   head_last_words=frozenset(h.split()[-1] for h in heads if h.split()),
                   title_mods=frozenset(tm), role_intro=frozenset(ri), place_quals=frozenset(pq),
                   title_fields=frozenset(k for k in tf if k), purpose_words=word_class("purpose_prepositions"))


# --------------------------------------------------------------------------- chunks


@dataclass(eq=False, slots=True)
class Chunk:
    """A typed piece of a sentence.

    kind: person | org | facility | place | country | delegation | role | name | title_ref
    """

    kind: str
    start: int
    end: int
    text: str
    sent: int
    types: tuple[str, ...] = ()
    country: str | None = None  # for country/place/demonym-qualified chunks
    place: object = None
    role: "Chunk | None" = None  # the role phrase that introduces a person
    orgs: list["Chunk"] = field(default_factory=list)  # orgs inside a role phrase
    parts: list["Chunk"] = field(default_factory=list)  # orgs named inside an org ("A B")
    aliases: list[str] = field(default_factory=list)
    demonym: str | None = None
    possessor: "Chunk | None" = None  # "Germany's" in "Germany's Federal Ministry"
    in_role: bool = False
    entity: str | None = None
    head_title: str | None = None
    evidence: set[str] = field(default_factory=set)  # reasons a name is a person
    nested: bool = False  # a place named inside an organisation's name
    short_of: bool = False  # entity set as the short form of a sender already named


def _new_chunk(kind: str, start: int, end: int, text: str, sent: int, types: tuple[str, ...] = (),
               country: str | None = None, place: object = None) -> Chunk:
    """``Chunk(kind, start, end, text, sent, types, country=country, place=place)``, built
    without the dataclass __init__ (which costs half as much again) for the chunks made per
    run; every field is set as __init__ sets it (a test checks it)."""
    c = object.__new__(Chunk)
    c.kind = kind
    c.start = start
    c.end = end
    c.text = text
    c.sent = sent
    c.types = types
    c.country = country
    c.place = place
    c.role = None
    c.orgs = []
    c.parts = []
    c.aliases = []
    c.demonym = None
    c.possessor = None
    c.in_role = False
    c.entity = None
    c.head_title = None
    c.evidence = set()
    c.nested = False
    c.short_of = False
    return c


@lru_cache(maxsize=None)
def _id_titles() -> frozenset[str]:
    return frozenset(t for t, (lang, _) in gazetteer().titles.items() if lang == "id")


def _lower_title(word: str) -> bool:
    return word in _id_titles()


def _is_cap(t: Tok, lx: Lexicon) -> bool:
    return t.cap


_VOWELS = frozenset("AEIOUY")


def spoken_caps(word: str) -> bool:
    """A word in capitals that reads as a name, not an acronym: "EDISTASIUS", "SURABAYA".

    >>> spoken_caps("EDISTASIUS"), spoken_caps("BNPB"), spoken_caps("DPR")
    (True, False, False)
    """
    if len(word) < 4 or not word.isalpha() or not word.isupper():
        return False
    v = sum(map(word.count, _VOWEL_LIST))  # (str.count per vowel: no loop over the letters in Python)
    # (no four letters in a row without a vowel)
    return v >= 2 and v / len(word) >= 0.25 and _CONSONANT_RUN.search(word) is None


_VOWEL_LIST = sorted(_VOWELS)
_CONSONANT_RUN = re.compile("[^" + "".join(_VOWEL_LIST) + "]{4}")


def title_caps(name: str) -> str:
    """A name written in capitals in its ordinary form: "EDISTASIUS ENDI" -> "Edistasius Endi"."""
    if not name.isupper():
        return name  # (every word must be in capitals; the whole name is then too)
    words = name.split()
    if len(words) >= 2 and all(spoken_caps(w) or (w.isalpha() and len(w) <= 3 and w.isupper() and w.lower() in word_class("name_connectors")) for w in words):
        return " ".join(w.capitalize() for w in words)
    return name


def _class_tokens(toks: list[Tok], i: int, j: int, lx: Lexicon) -> bool:
    """Set the kind of the tokens of the run toks[i:j]; is one of them a possessive "'s"?"""
    connectors = lx.connectors
    first = lx.first
    titled = False  # a title among them (else the title steps at the end have nothing to do)
    possessive = False
    k = i
    while k < j:
        t = toks[k]
        low = t.low
        text = t.text
        if low in ("'s", "’s"):
            t.kind = "POSS"
            possessive = True
            k += 1
            continue
        if k == i and text[:1].islower() and _lower_title(low):
            t.kind = "TITLE"
            t.info = ""
            titled = True
            k += 1
            continue
        if not t.cap and not text[0].isdigit():
            t.kind = "CONN" if low in connectors or text in "&-–" else "LOW"
            k += 1
            continue
        # (Lexicon.match is called only for the words that start an entry, as it would
        # check first; most words do not)
        hit = lx.match(toks, k, j) if low in first or low.rstrip(".") in first else None
        if hit:
            n, cls, info = hit
            t.kind = cls
            t.info = info
            if cls == "TITLE":
                titled = True
            cls += "+"
            for q in range(k + 1, k + n):
                toks[q].kind = cls
                toks[q].info = info
            k += n
            continue
        if text[0].isdigit() or (text[0] in "IVX" and _ROMAN.match(text)):
            t.kind = "NUM"
        elif "." in text and _DOTTED.match(text) and (k == i or toks[k - 1].kind.rstrip("+") in ("DEG", "DOT")):
            t.kind = "DOT"  # "S.I.K.", "U.E.": initials or a degree, decided by position
        elif len(text) == 2 and text[1] == "." and t.cap:
            t.kind = "W"  # an initial of a name: "M. Herindra", "Lee H. Kim"
        elif t.upper and len(text) >= 2 and not _spoken_run(toks, k, i, j):
            t.kind = "ACR"
        else:
            t.kind = "W"
        k += 1
    if not titled:
        return possessive
    # title modifiers extend the title before them: "Analis Senior", "Sekretaris Utama"
    # (a token's kind is "TITLE" or "TITLE+" when kind.rstrip("+") == "TITLE": kinds end in
    # at most one "+")
    title_mods = lx.title_mods
    prev = toks[i]
    for k in range(i + 1, j):
        t = toks[k]
        if t.kind == "W" and t.low in title_mods and prev.kind in ("TITLE", "TITLE+"):
            t.kind = "TITLE+"
            t.info = prev.info
        prev = t
    # the field words of a title: "Kepala Bagian Kerja Sama Made ...", "Penasihat Hukum Ujang ..."
    # (also after "for"/"untuk": "Vice Rector for International Affairs Wening Udasmoro")
    if lx.title_fields:
        purpose_words = lx.purpose_words
        k = i + 1
        while k < j:
            if toks[k - 1].kind in ("TITLE", "TITLE+") and (toks[k].kind == "W" or toks[k].low in purpose_words):
                f = k + 1 if toks[k].low in purpose_words else k
                # the longest field of up to five words from f (a field is never the last
                # word: a name must follow it)
                lows = tuple([x.low for x in toks[f:min(f + 5, j - 1)]])
                n = next((n for n in range(len(lows), 0, -1) if lows[:n] in lx.title_fields), 0)
                if n:
                    for q in range(k, f + n):
                        toks[q].kind = "TITLE+"
                        toks[q].info = toks[k - 1].info
                k = f + n if n else k + 1
                continue
            k += 1
    return possessive


def _spoken_run(toks: list[Tok], k: int, i: int, j: int) -> bool:
    """Is token k, in capitals, one of two or more spoken words in a row in toks[i:j]? Names
    written in capitals ("REGENT EDISTASIUS ENDI") are read as ordinary capitalised words, not
    acronyms (asked only of the tokens that could be acronyms)."""
    if not spoken_caps(toks[k].text):
        return False
    return (k > i and toks[k - 1].upper and spoken_caps(toks[k - 1].text)) or (
        k + 1 < j and toks[k + 1].upper and spoken_caps(toks[k + 1].text))


def _enumeration_ok(toks: list[Tok], j: int, end: int, lx: Lexicon, has_head: bool) -> bool:
    """At a comma at token j inside a name: is it "A, B and C" of one organisation name?"""
    k = j + 1
    saw_and = False
    conj = word_class("name_conjunctions")
    while k < end:
        t = toks[k]
        if t.text == ",":
            k += 1
            continue
        if t.low in conj or t.text == "&":
            if k + 1 < end and toks[k + 1].text[:1].isupper():
                saw_and = True
                k += 1
                continue
            break
        if t.text[0].isupper():
            hit = lx.match(toks, k, end)
            if (hit and hit[1] in ("HON", "RANK", "DEG")) or _DOTTED.match(t.text):
                return False  # "Polda Sumut, Kombes Pol. Jeffrey ...": a person follows, not a name part
            k += 1
            continue
        break
    if not saw_and:
        return False
    if has_head:
        return True
    # followed by a head word: "Education, Youth and Sports Agency"
    last = toks[k - 1].low if k - 1 < end else ""
    return last in lx.head_last_words


def chunk_sentence(text: str, toks: list[Tok], sent_idx: int, lx: Lexicon) -> list[Chunk]:
    """Cut the capitalised runs of one sentence into typed chunks."""
    n = len(toks)
    runs: list[tuple[int, int]] = []
    done = 0  # the tokens before it are in a run already
    for i, t in enumerate(toks):
        # (most words are not capitalised: that test first)
        if not t.cap or i < done or t.date or t.text in _OPEN_QUOTES:
            continue
        j = i + 1
        while j < n:
            nx = toks[j]
            if nx.date:
                break
            if nx.cap or (nx.text[0].isdigit() and j > i and not toks[j - 1].date):
                j += 1
                continue
            if nx.low in ("'s", "’s") and j + 1 < n and toks[j + 1].cap and not toks[j + 1].date:
                j += 1
                continue
            if nx.text in ("-", "–") and j + 1 < n and toks[j + 1].cap and nx.start == toks[j - 1].end \
                    and toks[j + 1].start == nx.end:
                j += 1
                continue
            if nx.low in lx.connectors or nx.text == "&":
                k = j
                while k < n and (toks[k].low in lx.connectors or toks[k].text == "&"):
                    k += 1
                # a locative preposition and an article ("in the") end the run
                if k - j == 2 and toks[j].low in word_class("locative_prepositions") and toks[j + 1].low in word_class("definite_articles"):
                    break
                if k < n and toks[k].cap and not toks[k].date and k - j <= 2:
                    j = k
                    continue
                break
            if nx.text == ",":
                # commas inside an enumeration that belongs to one organisation name
                nxt_ok = j + 1 < n and (toks[j + 1].cap or (toks[j + 1].low in word_class("name_conjunctions") and j + 2 < n and toks[j + 2].cap))
                if nxt_ok and _enumeration_ok(toks, j, n, lx, not lx.head_first_words.isdisjoint([x.low for x in toks[i:j]])):
                    j += 1
                    continue
                break
            break
        if i > 0 and toks[i - 1].text[:1].islower() and len(toks[i - 1].text) >= 4 and _lower_title(toks[i - 1].low):
            runs.append((i - 1, j))
        else:
            runs.append((i, j))
        done = j
    chunks: list[Chunk] = []
    for (i, j) in runs:
        possessive = _class_tokens(toks, i, j, lx)
        chunks.extend(_segment(text, toks, i, j, sent_idx, lx, possessive))
    return chunks


def _span(text: str, toks: list[Tok], i: int, j: int) -> tuple[int, int, str]:
    s, e = toks[i].start, toks[j - 1].end
    return s, e, text[s:e]


def _strip(toks: list[Tok], i: int, j: int, lx: Lexicon) -> tuple[int, int]:
    """Drop leading function words ("The", "On", "Menurut") and trailing connectors."""
    while i < j:
        t = toks[i]
        kind = t.kind
        if not (kind in ("CONN", "LOW", "POSS") or (kind == "W" and (t.low in lx.function_words or t.low in lx.initial_words))
                or t.text in ",-–&"):
            break
        i += 1
    while j > i and (toks[j - 1].kind in ("CONN", "LOW", "POSS") or toks[j - 1].text in ",-–&"):
        j -= 1
    return i, j


def _split_and(toks: list[Tok], i: int, j: int, lx: Lexicon) -> list[tuple[int, int]]:
    """Cut a run at "and"/"dan"/"&" unless the words belong to one name or title."""
    conj = word_class("name_conjunctions")
    out = []
    cur = i
    for k in range(i, j):
        t = toks[k]
        if t.low in conj or t.text == "&":
            left = toks[cur:k]
            right = toks[k + 1:j]
            lk = {x.kind for x in left}
            keep = False
            if "ORGH" in lk or "TITLE" in lk or "DELEG" in lk:
                keep = True
            if left and left[0].kind in ("COUNTRY", "PLACE") and all(x.kind.endswith("+") for x in left[1:]):
                keep = False
            if left and all(x.kind in ("ACR",) for x in left):
                keep = False
            if right and right[0].kind in ("COUNTRY", "PLACE", "ACR") and len(right) == 1:
                keep = "TITLE" in lk and not ("ORGH" in lk)
            if right and right[0].kind == "TITLE" and "TITLE" in lk:
                keep = True  # "Executive Director and Chief Executive Officer"
                if any(x.kind in ("HON", "RANK") for x in left) and left[-1].kind == "W":
                    keep = False  # "Wakapolda Brigjen Pol. I Ketut dan Direktur ...": a name, then a new role
            if "TITLE" in lk and _titled_name(left) and (_opens_title(right) or (
                    len(right) >= 2 and len(left) >= 3 and left[-2].kind == "W" and all(x.kind == "W" and x.cap for x in right))):
                keep = False  # "Menteri Perdagangan Zulkifli Hasan dan Duta Besar Hermono": two people;
                # "Representatives Joey Salceda and Stella Quimbo": two people, one title
            if right and any(x.kind == "ORGH" for x in right) and all(x.kind.rstrip("+") in ("W", "LOW", "CONN", "PLACE", "DEMONYM") or x.text == "," for x in left):
                keep = True  # "Education, Youth and Sports Agency", "Economics and Finance Institute"
            r0 = next((x for x in right if x.kind != "CONN"), None)
            if keep and r0 is not None and r0 is not right[0] and r0.kind == "ORGH" and "pre" in r0.info[1] \
                    and "TITLE" not in lk:
                keep = False  # "the Ministry of X and the University of Y": two bodies
            if keep and right and j < len(toks) and toks[j].low in lx.role_intro \
                    and all(x.kind == "W" for x in right):
                keep = False  # "... Internasional dan Kim Dae-jung sebagai Analis": a new name
            if not keep:
                out.append((cur, k))
                cur = k + 1
    if cur == i:  # no cut (the usual case)
        return [(i, j)] if j > i else []
    out.append((cur, j))
    return [(a, b) for a, b in out if b > a]


def _titled_name(left: list[Tok]) -> bool:
    """Do these tokens end with a name right after a title (or the title's country, place
    or acronym): "Menteri Perdagangan Zulkifli Hasan", "Trade Minister Zulkifli Hasan"?"""
    q = len(left)
    while q > 0 and left[q - 1].kind == "W" and left[q - 1].cap:
        q -= 1
    if q == len(left) or q == 0:
        return False
    f = 0
    while f < q and left[f].kind.rstrip("+") in ("COUNTRY", "DEMONYM"):  # "Indonesian Foreign Minister"
        f += 1
    return left[q - 1].kind.rstrip("+") in ("TITLE", "ACR", "COUNTRY", "PLACE", "ORGH") and f < q and left[f].kind == "TITLE"


def _opens_title(right: list[Tok]) -> bool:
    """Does a title open these tokens, maybe after capitalised modifiers ("Technical Specialist")?"""
    for x in right[:3]:
        if x.kind == "TITLE":
            return True
        if not (x.kind == "W" and x.cap):
            return False
    return False


def _segment(text: str, toks: list[Tok], i: int, j: int, si: int, lx: Lexicon, possessive: bool = True) -> list[Chunk]:
    """The chunks of the run toks[i:j] (``possessive``: has it a possessive "'s"?)."""
    out: list[Chunk] = []
    # possessive cuts: "Germany's Federal Ministry" -> possessor + rest
    k = i
    pieces = []
    cur = i
    while possessive and k < j:
        if toks[k].kind == "POSS":
            pieces.append((cur, k, True))
            cur = k + 1
        k += 1
    pieces.append((cur, j, False))
    prev_poss: Chunk | None = None
    for a, b, is_poss in pieces:
        for a2, b2 in _split_and(toks, a, b, lx):
            a3, b3 = _strip(toks, a2, b2, lx)
            if a3 >= b3:
                continue
            got = _piece(text, toks, a3, b3, si, lx)
            if prev_poss is not None and got:
                got[0].possessor = prev_poss
                prev_poss = None
            out.extend(got)
            if is_poss and got:
                prev_poss = got[-1]
    return out


# (constants: a set written in the test would be built at every call)
_TITLE_CLASSES = frozenset({"TITLE", "HON", "RANK"})
_DEGREE_CLASSES = frozenset({"DEG", "DOT"})
_ACR_CLASSES = frozenset({"ACR"})
_QUALIFIER_KINDS = frozenset({"ACR", "COUNTRY", "PLACE", "NUM", "DEMONYM", "CONN"})  # a piece of only these is no name


def _piece(text: str, toks: list[Tok], a: int, b: int, si: int, lx: Lexicon) -> list[Chunk]:
    """Type one stretch of capitalised tokens."""
    s, e = toks[a].start, toks[b - 1].end  # (_span, without the call)
    t = text[s:e]
    base = [x.kind.rstrip("+") for x in toks[a:b]]
    classes = set(base)
    # a country, demonym or place on its own
    first = toks[a].kind
    # (the usual one-word place needs no scan of the tokens after it)
    if first in ("COUNTRY", "PLACE", "DEMONYM") and (b - a == 1 or all(x.kind == first + "+" for x in toks[a + 1:b])):
        info = toks[a].info
        if first == "PLACE":
            return [_new_chunk("place", s, e, t, si, ("Place",), country=info.country, place=info)]
        if first == "COUNTRY":
            return [_new_chunk("country", s, e, t, si, ("Country",), country=info.code)]
        return [_new_chunk("demonym", s, e, t, si, (), country=info.code)]
    if classes <= _TITLE_CLASSES:
        return [Chunk("title_ref", s, e, t, si, head_title=t)]
    # "North Lombok", "Lombok Utara": a known place with a compass word is a place of its country
    if "PLACE" in classes and any(x.low in lx.place_quals for x in toks[a:b]) and all(
            k == "PLACE" or (k == "W" and x.low in lx.place_quals) for k, x in zip(base, toks[a:b])):
        info = next(x.info for x in toks[a:b] if x.kind == "PLACE")
        return [Chunk("place", s, e, t, si, ("Place",), country=info.country)]
    if classes <= _DEGREE_CLASSES:
        return []  # degrees after a name: "S.H., M.Si.", "S.I.K."
    # honorific / rank anchors a person: everything after the last one is the name
    anchor = None
    if ("HON" in classes or "RANK" in classes) and base[0] != "ORGH":  # not "Balai ... Kasih Ibu Sorong"
        anchor = max(q for q in range(a, b) if base[q - a] in ("HON", "RANK"))
    name_from = None
    if anchor is not None:
        q = anchor + 1
        while q < b and toks[q].kind.endswith("+"):
            q += 1
        if q < b and all(x.kind in ("W", "CONN", "ACR", "NUM") or x.kind.endswith("+") or x.kind in ("PLACE", "COUNTRY", "DEMONYM", "TITLE", "ORGH") for x in toks[q:b]):
            name_from = q
        # the role is what precedes the first honorific/rank
        first_anchor = next(q for q in range(a, b) if base[q - a] in ("HON", "RANK"))
        role_end = first_anchor
    else:
        # trailing unknown words after a closed token (acronym, country, place, title)
        q = b
        while q > a and toks[q - 1].kind in ("W",) or (q > a and toks[q - 1].low in lx.name_connectors and q - 1 > a):
            q -= 1
        if a < q < b:
            before = toks[q - 1]
            bk = before.kind.rstrip("+")
            if bk in ("ACR", "COUNTRY", "PLACE", "TITLE", "DEMONYM", "NUM"):
                if bk == "TITLE" and "ORGH" not in base[: q - a] and "ACR" not in base[: q - a]:
                    name_from = q if b - q >= 1 else None
                    if name_from is not None:
                        role_end = q
                        # a title followed by its own domain words and a comma: role, not name
                        nxt = _next_tok(toks, b)
                        if nxt is not None and nxt.text == "(":
                            name_from = None  # "Wakil Menteri Luar Negeri (Wamenlu)": a title and its short form
                        if nxt is not None and nxt.text == ",":
                            after = _next_tok(toks, b + 1)
                            if after is not None and after.text[:1].isupper():
                                hit = lx.match(toks, b + 1)
                                if not (hit and hit[1] == "TITLE"):
                                    # "Rektor Undana, Prof. Dr. Maxs ...": the person follows the comma
                                    name_from = None
                elif bk == "ORGH":
                    name_from = None
                elif b - q >= 2 or bk == "TITLE":
                    name_from = q
                    role_end = q
                elif bk in ("COUNTRY", "PLACE", "ACR") and base[0] == "TITLE" and toks[q].text[1:].islower():
                    # "Menteri Luar Negeri RI Sugiono": a one-word name after the title's
                    # country; not when a comma or a parenthesis follows ("... Kemlu, Abdul")
                    nxt = _next_tok(toks, b)
                    if nxt is None or nxt.text not in (",", "(", "-", "–"):
                        name_from = q
                        role_end = q
            elif before.kind == "ORGH+" and "TITLE" in base[: q - a] and b - q >= 2 and not (
                    _next_tok(toks, b) is not None and _next_tok(toks, b).text == ","):
                name_from = q  # "anggota House of Representatives Daniel Okafor-Reid"
                role_end = q
        if name_from is not None and base[0] not in ("TITLE",) and not any(k in ("TITLE",) for k in base[: name_from - a]):
            # no title before: "BNPB Rustian" is not a person; "KNPA Park" neither
            name_from = None
            # "Duta Besar RI untuk Jepang Heri Akhmadi": the run is the domain of the title
            # before "untuk"/"to", then the name
            if (base[0] in ("COUNTRY", "PLACE") and b - q >= 2 and a >= 2 and toks[a - 1].low in word_class("purpose_prepositions", "directional_prepositions", "locative_prepositions")
                    and toks[a - 2].kind.rstrip("+") in ("TITLE", "COUNTRY", "ACR", "PLACE")
                    and all(k.rstrip("+") in ("COUNTRY", "PLACE") for k in base[: q - a])):
                ds, de, dt = _span(text, toks, a, q)
                info = toks[a].info
                dom = Chunk("country" if base[0] == "COUNTRY" else "place", ds, de, dt, si,
                            ("Country",) if base[0] == "COUNTRY" else ("Place",),
                            country=info.code if base[0] == "COUNTRY" else info.country,
                            place=info if base[0] == "PLACE" else None)
                dom.in_role = True
                ns, ne, nt = _span(text, toks, q, b)
                person = Chunk("person", ns, ne, nt, si, ("Person",))
                person.evidence.add("title")
                return [dom, person]
    if name_from is not None and name_from < b:
        role_end = role_end if anchor is None else next(q for q in range(a, b) if base[q - a] in ("HON", "RANK"))
        ns, ne, nt = _span(text, toks, name_from, b)
        person = Chunk("person", ns, ne, nt, si, ("Person",))
        person.evidence.add("title" if anchor is None else "honorific")
        out = [person]
        if role_end > a:
            role = _role_chunk(text, toks, a, role_end, si, lx)
            person.role = role
            out.insert(0, role)
            out[1:1] = role.orgs
        return out
    if base[0] == "W" and "TITLE" in base[1:3] and all(k in ("W",) for k in base[: base.index("TITLE")]) and "ORGH" not in base[: base.index("TITLE")]:
        base = ["TITLE"] + base[1:]
    if base[0] == "TITLE":
        role = _role_chunk(text, toks, a, b, si, lx)
        return [role, *role.orgs]
    if base[0] in ("COUNTRY", "DEMONYM"):
        # "the Japanese Ambassador", "the U.S. Ambassador": a title qualified by its state
        k = 1
        while k < len(base) and toks[a + k].kind == toks[a].kind + "+":
            k += 1
        if k < len(base) and all(x == "TITLE" for x in base[k:]):
            role = _role_chunk(text, toks, a, b, si, lx)
            return [role, *role.orgs]
    if toks[a].text[0].isdigit():
        return []
    if base[0] == "DELEG":
        d = Chunk("delegation", s, e, t, si, ("Delegation",))
        q = a + 1
        while q < b and toks[q].kind.endswith("+"):
            q += 1
        rest = _org_parts(text, toks, q, b, si, lx) if q < b else []
        if not rest and q < b and not all(x.kind.rstrip("+") in ("COUNTRY", "DEMONYM", "PLACE") for x in toks[q:b]):
            rs, re_, rt = _span(text, toks, q, b)
            rest = [Chunk("org", rs, re_, rt, si, ("Organization",))]
        d.parts = rest
        for x in toks[q:b]:
            if x.kind in ("COUNTRY", "DEMONYM") and d.country is None:
                d.country = x.info.code
        return [d, *rest]
    if base[-1] == "DELEG" and len(base) > 1 and toks[b - 1].text[0].isupper() and base[-2] in ("W", "ORGH"):
        # "ICRC Regional Delegation", "Country Cluster Delegation": a standing office
        c = Chunk("org", s, e, t, si, ("Organization",))
        return [c]
    if base[-1] == "DELEG":
        d = Chunk("delegation", s, e, t, si, ("Delegation",))
        hs = _head_start(toks, b - 1)
        inner = _org_parts(text, toks, a, hs, si, lx) if hs > a else []
        d.parts = inner
        for x in toks[a:hs]:
            if x.kind in ("COUNTRY", "DEMONYM") and d.country is None:
                d.country = x.info.code
        return [d, *inner]
    # (_org_parts finds nothing without a head word or an acronym)
    orgs = _org_parts(text, toks, a, b, si, lx, has_head=True) if "ORGH" in classes or "ACR" in classes else []
    if orgs:
        return orgs
    if classes == _ACR_CLASSES:
        return [Chunk("org", s, e, t, si, ("Organization",))]  # acronyms only
    return [_new_chunk("name", s, e, t, si)]


def _next_tok(toks: list[Tok], k: int) -> Tok | None:
    return toks[k] if k < len(toks) else None


def _role_chunk(text: str, toks: list[Tok], a: int, b: int, si: int, lx: Lexicon) -> Chunk:
    s, e, t = _span(text, toks, a, b)
    role = _new_chunk("role", s, e, t, si)
    # the organisation part starts at the first pre-position head word or acronym,
    # or is the stretch of name words before a post-position head ("... Cooperation Agency")
    q = a
    in_domain = False
    purpose = word_class("purpose_prepositions")
    other_preps = word_class("genitive_prepositions", "locative_prepositions", "source_prepositions")
    while q < b:
        if toks[q].low in purpose:
            in_domain = True
        elif toks[q].low in other_preps:
            in_domain = False
        if not in_domain and (toks[q].kind == "ACR" or (toks[q].kind == "ORGH" and "pre" in toks[q].info[1]
                                                        and not (q > a and toks[q - 1].kind == "W" and "post" in toks[q].info[1]))):
            break
        q += 1
    if q >= b:
        for h in range(b - 1, a, -1):
            if toks[h].kind == "ORGH" and "post" in toks[h].info[1]:
                q = h
                while q > a and toks[q - 1].kind.rstrip("+") in ("W", "COUNTRY", "DEMONYM", "PLACE", "CONN", "NUM", "ORGH"):
                    q -= 1
                while q < h and toks[q].kind == "CONN":
                    q += 1
                break
    if q < b:
        role.orgs = _org_parts(text, toks, q, b, si, lx)
        for o in role.orgs:
            o.in_role = True
    # places and countries inside a role ("Gubernur NTB") are role-internal mentions
    for x in range(a, b):
        if toks[x].kind in ("PLACE", "COUNTRY") and not any(o.start <= toks[x].start < o.end for o in role.orgs):
            y = x + 1
            while y < b and toks[y].kind == toks[x].kind + "+":
                y += 1
            ps, pe, pt = _span(text, toks, x, y)
            info = toks[x].info
            c = Chunk("place" if toks[x].kind == "PLACE" else "country", ps, pe, pt, si,
                      ("Place",) if toks[x].kind == "PLACE" else ("Country",),
                      country=info.country if toks[x].kind == "PLACE" else info.code,
                      place=info if toks[x].kind == "PLACE" else None)
            c.in_role = True
            role.orgs.append(c)
    return role


def _head_types(info) -> tuple[str, ...]:
    types = info[0]
    return tuple(types) if isinstance(types, tuple) else (types,)


def _org_parts(text: str, toks: list[Tok], a: int, b: int, si: int, lx: Lexicon, has_head: bool = False) -> list[Chunk]:
    """Organisations and facilities in toks[a:b]: "BKSAP DPR RI" -> BKSAP, DPR RI.
    (``has_head``: the caller knows there is a head word or an acronym among them)"""
    if not has_head:
        base = [t.kind.rstrip("+") for t in toks[a:b]]
        if "ORGH" not in base and "ACR" not in base:
            return []
    # "Officers of the Philippine National Police": plain words and "of the" before a name
    # that ends in its own post-position head are not part of it
    q = a
    while q < b and toks[q].kind == "W":
        q += 1
    if a < q < b - 2 and toks[q].low in word_class("genitive_prepositions"):
        r = q + 1
        while r < b and toks[r].kind == "CONN":
            r += 1
        last = _head_start(toks, b - 1)
        if r < last and toks[last].kind == "ORGH" and "post" in toks[last].info[1] \
                and not any(t.kind == "ORGH" for t in toks[r:last]):
            a = r
    starts = []
    for q in range(a, b):
        k = toks[q].kind
        if k == "ORGH":
            pos = toks[q].info[1]
            prev_t = toks[q - 1] if q > a else None
            after_head = (prev_t is not None and prev_t.kind == "ORGH" and "pre" in prev_t.info[1]
                          and (q - 1 == a or (q - 1) in starts)
                          and (tuple(prev_t.info[0]) == ("Facility",) or prev_t.low in word_class("legal_form_heads")))
            cur = starts[-1] if starts else a
            adjectives_only = q > cur and all(t.kind.rstrip("+") in ("DEMONYM", "COUNTRY") for t in toks[cur:q])
            # "Pancasila Building of the Ministry of Foreign Affairs": a site named by its own
            # post-position head, then "of (the)" and the body it belongs to
            r = q - 1
            while r > a and toks[r].kind == "CONN" and toks[r].low in word_class("genitive_prepositions", "definite_articles"):
                r -= 1
            site_of = (r < q - 1 and r > a and toks[r].kind.rstrip("+") == "ORGH"
                       and "post" in toks[_head_start(toks, r)].info[1] and "pre" in pos)
            if q == a or site_of or ("pre" in pos and "post" not in pos and not after_head and not adjectives_only):
                starts.append(q)
        elif k == "ACR" and q > a and toks[q - 1].kind == "ORGH" and "pre" in toks[q - 1].info[1]:
            continue  # "Graha BNPB", "KBRI Dhaka": the acronym completes the head
        elif k == "ACR" and (q == a or toks[q - 1].kind.rstrip("+") in ("ACR", "COUNTRY", "PLACE", "NUM", "ORGH") or toks[q - 1].kind == "W"):
            starts.append(q)
    if not starts or starts[0] != a:
        starts.insert(0, a)
    # an acronym directly before a head word qualifies it: "UPT Asrama Haji ..." -> one piece
    merged = []
    for q in starts:
        if merged and toks[merged[-1]].kind == "ACR" and q == merged[-1] + 1 and toks[q].kind == "ORGH":
            merged[-1] = q
            continue
        merged.append(q)
    starts = merged
    # country/place-only pieces attach to the previous piece ("DPR RI", "UNICEF Indonesia")
    pieces = []
    for idx, q in enumerate(starts):
        end = starts[idx + 1] if idx + 1 < len(starts) else b
        if toks[q].kind == "ACR":
            for r in range(q + 1, end):
                if toks[r].kind == "ORGH":
                    break
                if toks[r].kind in ("CONN", "TITLE"):
                    end = r
                    break
        head_is_site = toks[q].kind == "ORGH" and ("Facility" in toks[q].info[0] or toks[q].low in ("kantor", "office"))
        if not head_is_site:
            for r in range(q + 1, end):
                if toks[r].kind == "TITLE":  # "BIOTROP Director", "Senate President": the title is not the name
                    end = r
                    break
        while end - 1 > q and toks[end - 1].kind == "CONN":
            end -= 1  # "... Building of the" before the next piece
        pieces.append([q, end])
    # a piece that is only a post head ("Research", "Institute") belongs to what precedes
    out: list[Chunk] = []
    for p_start, p_end in pieces:
        s, e = toks[p_start].start, toks[p_end - 1].end  # (_span, without the call)
        t = text[s:e]
        kinds = [x.kind.rstrip("+") for x in toks[p_start:p_end]]
        types: tuple[str, ...] = ("Organization",)
        for x in toks[p_start:p_end]:
            if x.kind == "ORGH":
                types = _head_types(x.info)
                if "pre" in x.info[1] and x is toks[p_start]:
                    break
        # a post-position head decides when it ends the piece ("Port of Tanjung Priok" is pre)
        last = toks[p_end - 1]
        if last.kind.rstrip("+") == "ORGH" and "post" in (last.info[1] if last.kind == "ORGH" else toks[_head_start(toks, p_end - 1)].info[1]):
            hs = _head_start(toks, p_end - 1)
            types = _head_types(toks[hs].info)
        if kinds[0] != "ACR" and _QUALIFIER_KINDS.issuperset(kinds):
            continue
        kind = "facility" if types[0] == "Facility" else "org"
        c = _new_chunk(kind, s, e, t, si, types)
        # countries and places named inside: qualifiers (country of the org)
        for x in (toks[p_start:p_end] if "COUNTRY" in kinds or "DEMONYM" in kinds else ()):
            if x.kind == "COUNTRY" and c.country is None:
                c.country = x.info.code
            if x.kind == "DEMONYM" and c.demonym is None:
                c.demonym = x.info.code
        c.parts = []
        out.append(c)
    for x, y in zip(out, out[1:]):
        if x.end <= y.start and text[x.end:y.start].strip() == "":
            x.parts.append(y)
    return out


def _head_start(toks: list[Tok], q: int) -> int:
    while q > 0 and toks[q].kind.endswith("+"):
        q -= 1
    return q
