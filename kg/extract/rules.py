"""Language data for extraction: loaded once from ``data/lang/*.json`` and ``data/gazetteers/*.tsv``.

Everything a rule needs to know about a language (cue words, titles, honorifics, date
words, furniture phrases) lives in data files; this module only reads them, builds the
lookup tables and compiles the regular expressions, once per process.
"""

from __future__ import annotations

import csv
import gettext
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ..paths import DATA_DIR  # data/ of the project, or kg/data of an installed wheel

__all__ = [
    "DATA_DIR",
    "LANGS",
    "Pattern",
    "LangRules",
    "Gazetteer",
    "lang_rules",
    "gazetteer",
    "fold",
    "load_lang_file",
    "word_class",
]

LANGS = ("id", "en")


class _FoldTable(dict):
    """Short text -> :func:`fold` of it: the table that ``fold`` reads.

    ``fold`` is this table's own lookup (a dict lookup, with no Python call in front of it,
    for it is called for nearly every word); a text not in it is folded by ``__missing__``.
    Words and names repeat, so short strings are folded once and remembered (a bounded
    table, emptied when full: cheaper than an LRU cache's upkeep); long ones (lines,
    sentence windows) rarely repeat and are folded each time.

    >>> fold("Jum’at Mérida")
    "jum'at merida"
    """

    def __missing__(self, text: str) -> str:
        got = fold_text(text)
        if len(text) <= 40:
            if len(self) >= 100_000:
                self.clear()
            self[text] = got
        return got


_FOLDED = _FoldTable()
#: Lower-case, strip accents, unify apostrophes: the key used by every lexicon
#: (``fold("Jum’at Mérida") == "jum'at merida"``).
fold = _FOLDED.__getitem__


class _Combining(dict):
    """Is a character a combining mark? Asked of unicodedata once per character."""

    def __missing__(self, ch: str) -> bool:
        is_mark = self[ch] = unicodedata.combining(ch) != 0
        return is_mark


_COMBINING = _Combining()
# every combining mark is at U+0300 or above, so only those characters need the test
_FROM_U0300_RE = re.compile("[\u0300-\U0010ffff]")


def fold_text(text: str) -> str:
    """:func:`fold` without the cache."""
    if text.isascii():  # the common case, and the same result: no accents, casefold is lower
        return text.replace("`", "'").lower()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text)
    # strip the accents: one replace per distinct mark, not a test of every character
    # (most non-ASCII texts are ASCII apart from a few quotes and dashes)
    for ch in set(_FROM_U0300_RE.findall(text)):
        if _COMBINING[ch]:
            text = text.replace(ch, "")
    return text.casefold()


@lru_cache(maxsize=None)
def word_class(*keys: str) -> frozenset[str]:
    """The folded words listed under any of ``keys`` in every language file (a key that no
    language file has is an error: a typo must not read as an empty list)."""
    for key in keys:
        if not any(key in lang_rules(lg).raw for lg in LANGS):
            raise KeyError(f"no language file lists {key!r}")
    return frozenset(fold(w) for key in keys for lg in LANGS for w in lang_rules(lg).raw.get(key, ()))


@dataclass(frozen=True)
class Pattern:
    """One cue pattern of a language file: id (the rule id on evidence), kind, regex."""

    id: str
    kind: str
    cue: str
    example: str
    regex: re.Pattern[str]
    anchors: frozenset[str] = frozenset()


@dataclass
class LangRules:
    """The compiled rules of one language."""

    lang: str
    raw: dict
    function_words: frozenset[str]
    initial_words: frozenset[str]
    connectors: frozenset[str]
    name_connectors: frozenset[str]
    abbreviations: frozenset[str]
    honorifics: tuple[str, ...]
    ranks: tuple[str, ...]
    degrees: tuple[str, ...]
    title_abbreviations: dict[str, str]
    delegation_heads: tuple[str, ...]
    delegation_refs: tuple[str, ...]
    group_refs: tuple[str, ...]
    pronouns: frozenset[str]
    member_cues: tuple[str, ...]
    furniture_prefixes: tuple[str, ...]
    furniture_contains: tuple[str, ...]
    breadcrumb_separators: tuple[str, ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative_days: tuple[dict, ...]
    vague_past: tuple[str, ...]
    date_suffix_past: tuple[str, ...]
    received_markers: tuple[str, ...]
    plan_cues: tuple[str, ...]
    speech_after_quote: frozenset[str]
    pronoun_speech: frozenset[str]
    speech_reported: tuple[str, ...]
    according_to: tuple[str, ...]
    patterns: tuple[Pattern, ...]
    by_kind: dict[str, tuple[Pattern, ...]] = field(default_factory=dict)
    plan_re: re.Pattern[str] | None = None
    relative_re: re.Pattern[str] | None = None
    vague_re: re.Pattern[str] | None = None
    plan_anchors: frozenset[str] = frozenset()
    relative_phrases: tuple[frozenset[str], ...] = ()
    vague_phrases: tuple[frozenset[str], ...] = ()

    def has_phrase(self, words: frozenset[str], phrases: tuple[frozenset[str], ...]) -> bool:
        """Could one of ``phrases`` occur in a text with these words? (all its words present)"""
        return any(map(words.issuperset, phrases))  # (p <= words for each p, without a Python loop)


_WORDS_RE = re.compile(r"[^\W\d_]+")


def anchor_words(source: str) -> frozenset[str]:
    """The words of a cue regex or phrase list: a text containing none cannot match it.

    >>> sorted(anchor_words(r"didampingi(?:\\s+oleh)?|beserta"))
    ['beserta', 'didampingi', 'oleh']
    """
    cleaned = re.sub(r"\\[sSwWdDbB]", " ", source)
    return frozenset(fold(w) for w in _WORDS_RE.findall(cleaned) if len(w) >= 2)


def _top_level(src: str, sep: str = "|") -> list[str]:
    """``src`` cut at ``sep`` outside groups and character classes."""
    out, cur, depth, i, in_class = [], [], 0, 0, False
    while i < len(src):
        ch = src[i]
        if ch == "\\" and i + 1 < len(src):
            cur.append(src[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    out.append("".join(cur))
    return out


def _without_groups(src: str) -> str:
    """``src`` with every group and character class replaced by a gap (they may be optional)."""
    out, depth, i, in_class = [], 0, 0, False
    while i < len(src):
        ch = src[i]
        if ch == "\\" and i + 1 < len(src):
            if depth == 0 and not in_class:
                out.append(src[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
            if not in_class and depth == 0:
                out.append("\x00")
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                out.append("\x00")
        elif depth == 0:
            out.append(ch)
        i += 1
    return "".join(out)


_LITERAL_RE = re.compile(r"(?:^|(?<= )|(?<=\\s)|(?<=\\s\+)|(?<=\\s\*))([^\W\d_]{2,})(?=$| |\\s)")
_COMMON = frozenset("with also then was were by to on the of and dan di ke oleh dengan yang untuk pada".split())


def required_words(source: str) -> frozenset[str] | None:
    """One word each alternative of a cue regex cannot match without (its longest plain
    word outside groups), or None when some alternative has none: a sentence without any
    of them cannot match, so the regex need not run on it.

    >>> sorted(required_words(r"met with|met|held (?:bilateral )?talks with|courtesy calls?"))
    ['courtesy', 'held', 'met']
    >>> required_words(r"(?:re)?visited|went to") is None
    True
    """
    words = set()
    for alt in _top_level(source):
        bare = _without_groups(alt)
        lits = [m.group(1) for m in _LITERAL_RE.finditer(bare)
                if bare[m.end():m.end() + 1] not in ("?", "*", "{", "+")]
        if not lits:
            return None
        rare = [w for w in lits if fold(w) not in _COMMON] or lits
        words.add(fold(max(rare, key=len)))
    return frozenset(words)


def text_words(text: str) -> frozenset[str]:
    """The folded words of a text, for anchor checks."""
    return frozenset(fold(w) for w in _WORDS_RE.findall(text))


def _phrases_re(phrases) -> re.Pattern[str]:
    """Phrases as one case-insensitive regex, longest first, each a whole word or words
    (written for the fast scan where each starts with a letter: :func:`word_start_branches`).

    >>> [m.group(0) for m in _phrases_re(["last week", "week"]).finditer("Last week; weekly, a week")]
    ['Last week', 'week']
    """
    alts = sorted({p for p in phrases if p}, key=len, reverse=True)
    body = "|".join(re.escape(p) for p in alts) or "(?!x)x"
    branches = word_start_branches(body) if alts else None
    if branches is None:
        return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)
    return re.compile(rf"(?:{'|'.join(branches)})(?![\w])")


def load_lang_file(path: Path) -> dict:
    """Read one language file; raise InputError naming the file when it is malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"language file {path}: {exc}") from exc
    for key in ("lang", "function_words", "patterns", "months", "weekdays"):
        if key not in data:
            raise InputError(f"language file {path}: missing key {key!r}")
    for pat in data["patterns"]:
        for key in ("id", "kind", "cue", "example"):
            if key not in pat:
                raise InputError(f"language file {path}: pattern without {key!r}: {pat}")
    return data


def _first_chars(items) -> set[str] | None:
    """The characters a match of a parsed regex sequence can start with; None when not known
    (a class by category, any character) or when the sequence can match the empty string."""
    from re import _constants as C

    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
            return out
        if op is C.IN:
            for o, a in av:
                if o is C.LITERAL:
                    out.add(chr(a))
                elif o is C.RANGE and a[1] - a[0] <= 64:
                    out.update(chr(c) for c in range(a[0], a[1] + 1))
                else:
                    return None
            return out
        if op is C.BRANCH:
            for alt in av[1]:
                f = _first_chars(alt)
                if f is None:
                    return None
                out |= f
            return out
        if op is C.SUBPATTERN:
            f = _first_chars(av[-1])
            if f is None:
                return None
            out |= f
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            lo, _hi, sub = av
            f = _first_chars(sub)
            if f is None:
                return None
            out |= f
            if lo >= 1:
                return out
            continue  # optional: what follows may start the match too
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):
            continue  # zero-width
        return None
    return None


def either_case(letter: str) -> str:
    """The characters a case-insensitive regex matches with a lower-case ASCII ``letter``:
    both cases, and the odd ones of Unicode ("ſ" is an "s", the Kelvin sign a "k").

    >>> either_case("k"), either_case("b")
    ('kK\u212a', 'bB')
    """
    odd = "".join(ch for ch in "\u0130\u0131\u017f\u212a" if re.fullmatch("(?i)" + re.escape(letter), ch))
    return letter + letter.upper() + odd


_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_TREE_STARTS = _ASCII_LETTERS | frozenset("0123456789")


def letter_tree(words: list[str], esc=re.escape) -> str:
    r"""``words`` as one regex alternation, in their order, written as a tree of shared
    first characters: ["oktober", "okt", "juni"] -> "o(?:kt(?:ober|))|juni"; each word's
    text written by ``esc``.

    The regex engine tries an alternation's branches in turn; as a tree, a position costs
    one try per distinct character, not one per word. It matches the same: words that
    begin with different lower-case ASCII letters or digits never match at one place (not
    even under IGNORECASE), and the order of the words is kept within each branch. Words
    that begin otherwise, or a word that ends where a later one goes on, leave the
    alternation as it is (longest first never puts one there).

    >>> letter_tree(["oktober", "okt", "juni"])
    'o(?:k(?:t(?:ober|)))|juni'
    """
    if len(words) < 2 or not all(w[:1] in _TREE_STARTS for w in words if w) or "" in words[:-1]:
        return "|".join(map(esc, words))
    groups: dict[str, list[str]] = {}
    for w in words:
        if w:
            groups.setdefault(w[0], []).append(w[1:])
    alts = [c + (esc(tails[0]) if len(tails) == 1 else f"(?:{letter_tree(tails, esc)})") for c, tails in groups.items()]
    return "|".join(alts + [""] * words.count(""))


def word_start_branches(alternation: str, follows: str = "", before: str = r"\w") -> list[str] | None:
    r"""A case-insensitive alternation that must start a word (as in ``\b(?i:...)``), as
    case-sensitive branches that each start with a plain letter: "bertemu|menemui" ->
    ["b(?<!\w.)(?i:ertemu)", "B(?<!\w.)(?i:ertemu)", "m(?<!\w.)(?i:enemui)", ...],
    each followed by ``follows``; ``before``: the class of characters that may not precede
    a match (``\w``: a word boundary). None when a branch starts otherwise (a group, a class).

    A regex whose every branch starts with a plain character lets the regex engine skip
    from one such character to the next in one fast scan; otherwise it tries the whole
    pattern at each position. The matches are the same: a character matches one case of
    at most one first letter, so the branches that can match at a place are tried in the
    same order; the lookbehind after the first letter is the word boundary before it.
    (The branches must hold no capturing group: each is written once per case.)
    """
    out = []
    for branch in _top_level(alternation):
        first, rest = branch[:1].lower(), branch[1:]
        if first not in _ASCII_LETTERS or rest[:1] in ("?", "*", "+", "{"):
            return None
        out += [f"{ch}(?<!{before}.)(?i:{rest}){follows}" for ch in either_case(first)]
    return out


def _cue_regex(cue: str) -> re.Pattern[str]:
    """A cue as a word-bounded case-insensitive regex: where every branch starts with a
    letter, written for the fast scan (:func:`word_start_branches`); otherwise with a first
    test of the characters a match can start with (a cheap check at each position before the
    alternations are tried)."""
    from re import _parser

    branches = word_start_branches(cue) if re.compile(cue).groups == 0 else None
    if branches:
        return re.compile(rf"(?:{'|'.join(branches)})(?![\w])")
    try:
        first = _first_chars(_parser.parse(cue, 0).data)
    except re.error:
        first = None
    ahead = "(?=[" + "".join(sorted(re.escape(c) for c in first)) + "])" if first else ""
    return re.compile(rf"{ahead}(?<![\w])(?:{cue})(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=None)
def lang_rules(lang: str) -> LangRules:
    """The rules of ``lang`` ("id" or "en"), built once."""
    if lang not in LANGS:
        raise InputError(f"unsupported language {lang!r}; expected one of {', '.join(LANGS)}")
    raw = load_lang_file(DATA_DIR / "lang" / f"{lang}.json")
    pats = []
    for p in raw["patterns"]:
        try:
            re.compile(rf"(?<![\w])(?:{p['cue']})(?![\w])", re.IGNORECASE)  # reports a bad cue as written
            rx = _cue_regex(p["cue"])
        except re.error as exc:
            raise InputError(f"language file {lang}.json: pattern {p['id']}: {exc}") from exc
        req = required_words(p["cue"])
        pats.append(Pattern(p["id"], p["kind"], p["cue"], p["example"], rx, req if req is not None else anchor_words(p["cue"])))
    fur = raw.get("furniture", {})
    rules = LangRules(
        lang=lang,
        raw=raw,
        function_words=frozenset(w.lower() for w in raw["function_words"]),
        initial_words=frozenset(w.lower() for w in raw.get("sentence_initial_words", [])),
        connectors=frozenset(raw.get("connectors", [])),
        name_connectors=frozenset(raw.get("name_connectors", [])),
        abbreviations=frozenset(raw.get("abbreviations", [])),
        honorifics=tuple(raw.get("honorifics", [])),
        ranks=tuple(raw.get("ranks", [])),
        degrees=tuple(raw.get("degrees", [])),
        title_abbreviations=dict(raw.get("title_abbreviations", {})),
        delegation_heads=tuple(raw.get("delegation_heads", [])),
        delegation_refs=tuple(raw.get("delegation_refs", [])),
        group_refs=tuple(raw.get("group_refs", [])),
        pronouns=frozenset(raw.get("pronouns", [])),
        member_cues=tuple(raw.get("member_cues", [])),
        furniture_prefixes=tuple(fold(x) for x in fur.get("prefixes", [])),
        furniture_contains=tuple(fold(x) for x in fur.get("contains", [])),
        breadcrumb_separators=tuple(fur.get("breadcrumb_separators", [])),
        months={fold(k): v for k, v in raw["months"].items()},
        weekdays={fold(k): v for k, v in raw["weekdays"].items()},
        relative_days=tuple(raw.get("relative_days", [])),
        vague_past=tuple(raw.get("vague_past", [])),
        date_suffix_past=tuple(raw.get("date_suffix_past", [])),
        received_markers=tuple(raw.get("received_markers", [])),
        plan_cues=tuple(raw.get("plan_cues", [])),
        speech_after_quote=frozenset(fold(x) for x in raw.get("speech_verbs_after_quote", [])),
        pronoun_speech=frozenset(fold(x) for x in raw.get("pronoun_speech_verbs", [])),
        speech_reported=tuple(raw.get("speech_verbs_reported", [])),
        according_to=tuple(raw.get("according_to", [])),
        patterns=tuple(pats),
    )
    kinds: dict[str, list[Pattern]] = {}
    for p in pats:
        kinds.setdefault(p.kind, []).append(p)
    rules.by_kind = {k: tuple(v) for k, v in kinds.items()}
    rules.plan_re = _phrases_re(rules.plan_cues)
    rules.relative_re = _phrases_re([r["phrase"] for r in rules.relative_days])
    rules.vague_re = _phrases_re(rules.vague_past)
    rules.plan_anchors = frozenset(fold(p.split()[0]) for p in rules.plan_cues if p.split())
    rules.relative_phrases = tuple(frozenset(fold(w) for w in r["phrase"].split()) for r in rules.relative_days)
    rules.vague_phrases = tuple(frozenset(fold(w) for w in p.split()) for p in rules.vague_past)
    return rules


# --------------------------------------------------------------------------- gazetteers


@dataclass(frozen=True)
class Country:
    code: str
    name: str


@dataclass(frozen=True)
class Place:
    name: str
    kind: str
    country: str | None
    parent: str | None


@dataclass
class Gazetteer:
    """Name lists shared by both languages, keyed by folded surface form."""

    countries: dict[str, Country]  # folded name/alias -> country
    demonyms: dict[str, Country]  # folded demonym -> country
    country_names: dict[str, str]  # code -> English name
    places: dict[str, Place]  # folded name/alias -> place
    org_heads: dict[str, tuple[str, tuple[str, ...], str]]  # folded head -> (lang, types, position)
    titles: dict[str, tuple[str, str]]  # folded title -> (lang, org head)
    max_len: int = 6


def _read_tsv(name: str) -> list[dict[str, str]]:
    path = DATA_DIR / "gazetteers" / name
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return [
                {k: (v or "").strip() for k, v in row.items()}
                for row in csv.DictReader(fh, delimiter="\t")
            ]
    except OSError as exc:
        raise InputError(f"gazetteer {path}: {exc}") from exc


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


@lru_cache(maxsize=None)
def international_bodies() -> frozenset[str]:
    """Folded names of international bodies, which have no country of their own."""
    return frozenset(fold(r["name"]) for r in _read_tsv("international_orgs.tsv"))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """All gazetteers, built once: countries (with pycountry), places, heads, titles."""
    countries: dict[str, Country] = {}
    demonyms: dict[str, Country] = {}
    names: dict[str, str] = {}
    for row in _read_tsv("countries.tsv"):
        c = Country(row["code"], row["name"])
        names[c.code] = c.name
        for n in [row["name"], *_split(row["aliases"]), *_split(row["names_id"])]:
            countries.setdefault(fold(n), c)
        for d in _split(row["demonyms"]):
            demonyms.setdefault(fold(d), c)
    try:  # every other state, by its ISO names, English and Indonesian
        import pycountry

        tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"], fallback=True)
        for pc in pycountry.countries:
            code = pc.alpha_2
            name = names.get(code) or getattr(pc, "common_name", None) or pc.name
            c = Country(code, name)
            names.setdefault(code, name)
            for n in {pc.name, getattr(pc, "common_name", None) or pc.name, tr.gettext(pc.name)}:
                if n and "," not in n:
                    countries.setdefault(fold(n), c)
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    places: dict[str, Place] = {}
    for row in _read_tsv("places.tsv"):
        p = Place(row["name"], row["kind"], row["country"] or None, row["parent"] or None)
        for n in [row["name"], *_split(row["aliases"])]:
            places.setdefault(fold(n), p)
    heads: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for fname in ("org_heads.tsv", "facility_heads.tsv"):
        for row in _read_tsv(fname):
            key = (fold(row["head"]), row["position"])
            heads[f"{key[0]}\t{key[1]}"] = (row["lang"], tuple(_split(row["type"])), row["position"])
    titles: dict[str, tuple[str, str]] = {}
    for row in _read_tsv("titles.tsv"):
        titles[fold(row["title"])] = (row["lang"], row["org_head"])
    for title, lang, org in _portfolio_titles(titles):
        titles.setdefault(fold(title), (lang, org))
    return Gazetteer(countries, demonyms, names, places, heads, titles)


def _portfolio_titles(titles: dict[str, tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Titles of ministers with their portfolio (data/gazetteers/portfolios.tsv), from every
    title whose body is the language's ministry word, in the forms its language file
    lists (``portfolio_titles``): "Menteri Luar Negeri" (Kementerian Luar Negeri),
    "Foreign Minister", "Deputy Foreign Minister", "Minister of/for Foreign Affairs"
    (Ministry of Foreign Affairs). (title, lang, body) triples."""
    out = []
    for row in _read_tsv("portfolios.tsv"):
        lang = row["lang"]
        forms = lang_rules(lang).raw.get("portfolio_titles")
        if not forms:
            continue
        portfolio, field = row["portfolio"], row["field"] or row["portfolio"]
        body = forms["body"].format(portfolio=portfolio, field=field)
        for t, (lg, org) in titles.items():
            if lg != lang or fold(org) != fold(forms["ministry"]):
                continue
            words = t.split()
            for form in forms["title_forms"]:
                title = form.format(title=t, modifiers=" ".join(words[:-1]), head=words[-1], portfolio=portfolio, field=field)
                out.append((" ".join(title.split()), lang, body))
    return out
