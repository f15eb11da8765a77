"""Document + chunks -> entities and facts.

One pass over the sentences, in reading order: the chunks of a sentence become entity
mentions (long names paired with their short forms, short and misspelt person names
merged with the full name, "the minister", "Rombongan", "Ketiganya" resolved to whom
they point), then the cue patterns of the language file are read around them
(visits, meetings, hosts, companions, members, roles, speech). Roles, delegation
membership and countries are settled at the end. Every fact keeps the sentence and the
id of the rule that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from rapidfuzz.distance.Levenshtein import distance as _levenshtein

from ..model import Document, Entity, Evidence, Fact, Mention
from .dates import DateSpan, find_dates, resolve_weekday
from .mentions import Chunk, Lexicon, Tok, chunk_sentence, lexicon, title_caps, tokenize
from .rules import (LANGS, LangRules, Pattern, fold, gazetteer, international_bodies, lang_rules, letter_tree, word_class,
                    word_start_branches)

__all__ = ["Extractor"]

_PARAGRAPH_RE = re.compile(r"[^\s][^\n]*")  # a paragraph: one line of text
_EVENT_CUES = ("visit", "visit_noun", "visit_received", "meet", "host_active", "host_passive")
_ADJACENT_GAP = re.compile(r"\s*(?:\([^()]{1,40}\)\s*)?")  # nothing, or a short form in parentheses
_QUOTE_RE = re.compile(r"“([^“”]{3,}?)”|\"([^\"]{3,}?)\"")
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_AGENT_TYPES = ("Person", "Delegation")


_words = word_class  # the folded words of word classes of every language file


def _alternation(words) -> str:
    r"""Words as a regex alternation, longest first, a space matching any whitespace.

    Written as a tree of shared first letters (:func:`~kg.extract.rules.letter_tree`).

    >>> _alternation(["after", "as part of", "to"])
    'a(?:s\\s+part\\s+of|fter)|to'
    """
    ordered = sorted({_spaced(w): w for w in words}.items(), key=lambda x: len(x[0]), reverse=True)
    return letter_tree([w for _, w in ordered], esc=_spaced)


def _spaced(w: str) -> str:
    """``w`` as a regex, its spaces matching any whitespace."""
    return re.escape(w).replace("\\ ", r"\s+")


_PLACEHOLDER = re.compile(r"\{([a-z_]+(?:\+[a-z_]+)*)\}")


@lru_cache(maxsize=None)
def _rx(template: str, flags: int = 0) -> re.Pattern[str]:
    """``template`` compiled once, each ``{key}`` (or ``{key+key}``) replaced by the words of
    those word classes of every language file, longest first, spaces matching any
    whitespace (``{honorific_abbreviations}``: the honorifics written with a dot, without it): ``_rx(r"\\s+(?:{purpose_prepositions})\\s+")``."""

    def alt(m: re.Match[str]) -> str:
        if m.group(1) == "honorific_abbreviations":  # "Dr", "Prof", "H": honorifics written with a dot, as written
            words = frozenset(h[:-1] for lg in LANGS for h in lang_rules(lg).honorifics if h.endswith("."))
        else:
            words = _words(*m.group(1).split("+"))
        if not words:
            raise KeyError(f"word classes {m.group(1)!r} are empty in every language file")
        return "(?:" + _alternation(words) + ")"

    return re.compile(_PLACEHOLDER.sub(alt, template), flags)


_TITLE_REF_EN = _rx(r"(?i)\b({definite_articles}\s+((?:{deputy_words}\s+)?[a-z]+(?:[ -][a-z]+)?))\b")
_TITLE_REF_ID = _rx(r"\b(()([A-Za-z]+(?:\s+[a-z]+)?)\s+{anaphoric_demonstratives})\b")


# letters that a case-insensitive regex equates with an ASCII letter but ``str.lower`` does
# not map to it (dotted and dotless i, long s): where one occurs, a literal pre-check is skipped
_CASE_ODD = ("\u0130", "\u0131", "\u017f")


def _gate_words(words: frozenset[str], text: str) -> frozenset[str] | None:
    """``words`` (a sentence's folded tokens) with the parts of the hyphenated and elided
    ones, which a regex may match on their own; None where a letter of ``text`` folds oddly."""
    if any(map(text.__contains__, _CASE_ODD)):
        return None
    if "-" not in text and "'" not in text and "’" not in text:
        return words  # (no token holds a hyphen or an apostrophe)
    joined = [w for w in words if "-" in w or "'" in w]
    if not joined:
        return words
    return words.union(*(w.replace("'", "-").split("-") for w in joined))


@lru_cache(maxsize=None)
def _needed_text(regex: re.Pattern[str]) -> frozenset[str] | None:
    r"""Lower-case ASCII strings one of which is in every text that ``regex`` matches (None:
    no such set found). Read from the regex's parse tree: a literal run, or one alternative
    of each branch, that every match must go through.

    >>> sorted(_needed_text(re.compile(r"(?i)(?:turut\s+)?mendampingi|menemani")))
    ['mendampingi', 'menemani']
    """
    try:
        from re import _constants as C, _parser as P  # the parser the re module itself uses
        tree = P.parse(regex.pattern, regex.flags)
    except (ImportError, AttributeError, re.error):
        return None

    def better(a, b):
        if b is None:
            return a
        if a is None:
            return b
        return max(a, b, key=lambda x: (min(map(len, x)), -len(x)))

    def needed(items) -> frozenset[str] | None:
        best, run = None, []
        for op, av in list(items) + [(None, None)]:
            if op is C.LITERAL and av < 128:
                run.append(chr(av).lower())
                continue
            if run:
                best = better(best, frozenset(["".join(run)]))
                run = []
            if op is C.SUBPATTERN:
                best = better(best, needed(av[3]))
            elif op is C.ATOMIC_GROUP:
                best = better(best, needed(av))
            elif op is C.BRANCH:
                alts = [needed(a) for a in av[1]]
                if all(alts):
                    best = better(best, frozenset().union(*alts))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and av[0] >= 1:
                best = better(best, needed(av[2]))
        return best

    return needed(tree)


_NEEDED: dict[int, tuple[re.Pattern[str], tuple[str, ...] | None]] = {}


def _needed_strs(regex: re.Pattern[str]) -> tuple[str, ...] | None:
    r""":func:`_needed_text` of ``regex``, without the strings that hold another of them
    (a text holding "kunjungan ke" holds "kunjungan"): a lower-case text that holds none of
    these cannot match (None: no test). Kept by the regex's identity: hashing a compiled
    regex hashes its whole program.

    >>> _needed_strs(re.compile(r"(?i)kunjungan(?:\s+kerja)?\s+ke|lawatan|kunjungan"))
    ('lawatan', 'kunjungan')
    """
    got = _NEEDED.get(id(regex))
    if got is None or got[0] is not regex:
        need = _needed_text(regex)
        least: list[str] = []
        for x in sorted(need or (), key=lambda x: (len(x), x)):
            if not any(y in x for y in least):
                least.append(x)
        got = _NEEDED[id(regex)] = (regex, tuple(least) if need else None)
    return got[1]


def _holds_any(low: str, strs: tuple[str, ...]) -> bool:
    """Does ``low`` hold one of ``strs``? (``in`` per string: faster than one regex of them)"""
    return strs[0] in low if len(strs) == 1 else any(map(low.__contains__, strs))


def _first_words(phrases, *, plural: str = "") -> frozenset[str]:
    """The folded first word of each phrase (``plural``: a language's plural suffix, one-word
    phrases also with it).

    A regex made of these phrases, bounded by non-word characters, matches a sentence only
    when one of these words is among the sentence's words (:meth:`Extractor._may_hold`):
    a sentence holding none of them is not scanned.
    """
    out = set()
    for p in phrases:
        w = fold(p.split()[0])
        out.add(w)
        if plural and " " not in p.strip():
            out.add(w + plural)
    return frozenset(out)


def _optional(text: str) -> str:
    """``text`` as an optional piece of a regex ("s?", "(?:es)?")."""
    return re.escape(text) + "?" if len(text) == 1 else f"(?:{re.escape(text)})?"


@lru_cache(maxsize=None)
def _deleg_re() -> re.Pattern[str]:
    """The delegation head words of every language ("delegasi", "delegation(s)", "trade mission")
    at the start of a word (:func:`_deleg_alt`), written for the fast scan."""
    alt = _deleg_alt()
    branches = word_start_branches(alt, before=r"[\w-]")
    if branches is None:
        return re.compile(rf"(?i)(?<![\w-])(?:{alt})(?![\w-])")
    return re.compile(rf"(?:{'|'.join(branches)})(?![\w-])")


@lru_cache(maxsize=None)
def _deleg_alt() -> str:
    """The delegation head words of every language as an alternation, longest first; heads of
    one word also with their language's plural suffix, if it has one."""
    heads = [re.escape(w) + (_optional(suffix) if suffix and " " not in w else "")
             for lg in LANGS for suffix in (lang_rules(lg).raw["plural_suffix"],)
             for w in lang_rules(lg).raw["delegation_heads"]]
    return "|".join(sorted(heads, key=len, reverse=True))


@lru_cache(maxsize=None)
def _deleg_words() -> frozenset[str]:
    """Words one of which every match of :func:`_deleg_re` holds."""
    return frozenset().union(*(_first_words(lang_rules(lg).raw["delegation_heads"], plural=lang_rules(lg).raw["plural_suffix"])
                               for lg in LANGS))


@lru_cache(maxsize=None)
def _group_re() -> re.Pattern[str]:
    """A group of officials, maybe counted: "three senior officers", "lima orang pejabat", "Officials"."""
    counts = _alternation(w for lg in LANGS for w in lang_rules(lg).raw["group_counts"])
    mods = _alternation(w for lg in LANGS for w in lang_rules(lg).raw["group_count_modifiers"])
    nouns = _alternation(w for lg in LANGS for w in lang_rules(lg).raw["group_nouns"])
    return re.compile(rf"(?i)(?<![\w-])(?:(?:{counts}|\d{{1,2}})\s+)?(?:(?:{mods})\s+)?(?:{nouns})(?![\w-])")


@lru_cache(maxsize=None)
def _group_noun_ends() -> frozenset[str]:
    """The last word of every group noun, folded: one of them ends every match of :func:`_group_re`."""
    return frozenset(fold(w.split()[-1]) for lg in LANGS for w in lang_rules(lg).raw["group_nouns"])


@lru_cache(maxsize=None)
def _speech_before_quote_re() -> re.Pattern[str]:
    """A speech verb right before a quotation: 'X said: "..."', 'X mengatakan, "..."'."""
    verbs = _alternation(w for lg in LANGS for w in
                         lang_rules(lg).raw["speech_verbs_reported"] + lang_rules(lg).raw["speech_verbs_after_quote"])
    return re.compile(rf"(?i)({verbs})\s*[:,]?\s*$")


def _start_of_last_words(st: str, n: int) -> int:
    """Offset in ``st`` (no trailing space) where its last ``n`` words start (its first word
    when it has no more than ``n``)."""
    parts = st.rsplit(None, n)
    if len(parts) <= n:
        return len(st) - len(st.lstrip())
    h = len(parts[0])
    rest = st[h:]
    return h + len(rest) - len(rest.lstrip())




@lru_cache(maxsize=None)
def _pronoun_re() -> re.Pattern[str]:
    """A subject pronoun of any language at a clause start ("..., he", "and she", "Ia")."""
    pronouns = _alternation(w for lg in LANGS for w in lang_rules(lg).raw["pronouns"])
    return re.compile(rf"(?i)(?:^|(?=[,;a])(?:[,;]\s+|\band\s+))({pronouns})\b")  # (?=...): a cheap first test


@lru_cache(maxsize=None)
def _title_words() -> frozenset[str]:
    """Every word of every title and title abbreviation, folded."""
    lx = lexicon()
    return frozenset(w for t in gazetteer().titles for w in t.split()) | frozenset(
        w for t in lx.title_expansions for w in t.split())


@lru_cache(maxsize=None)
def _speech_sets(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """Speech verbs after a name, and words before a name that introduce a person."""
    r = lang_rules(lang)
    speech = frozenset(r.speech_after_quote) | {fold(v) for v in r.speech_reported}
    before = set(_words("person_introducers"))
    if lang == "id":
        before |= set(r.speech_after_quote)
    return frozenset(speech), frozenset(before)


@lru_cache(maxsize=None)
def _intro_alt() -> str:
    """The role introducers of every language ("sebagai", "selaku", "as") as one alternation."""
    words = {w for lg in LANGS for w in lang_rules(lg).raw["role_introducers"]}
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


@lru_cache(maxsize=None)
def _intro_words() -> frozenset[str]:
    """Words one of which every match of :func:`_intro_re` holds."""
    return _first_words(w for lg in LANGS for w in lang_rules(lg).raw["role_introducers"] if w)


@lru_cache(maxsize=None)
def _intro_re(upper_next: bool) -> re.Pattern[str]:
    words = {w for lg in LANGS for w in lang_rules(lg).raw["role_introducers"]}
    first = "".join(sorted({re.escape(w[0]) for w in words if w}))
    ahead = f"(?=[{first}])" if first and all(words) else ""  # how a match can start: a cheap first test
    return re.compile(rf"(?i){ahead}\b({_intro_alt()})\s+" + ("(?=[A-Z])" if upper_next else ""))


def _article_of(ref: str) -> tuple[str, str] | None:
    """(article, noun phrase) of a reference that opens with a definite article of any
    language ("the team" -> ("the", "team")); None for the others ("rombongan")."""
    head, _, rest = ref.partition(" ")
    return (head, rest) if rest and fold(head) in _words("definite_articles") else None


@lru_cache(maxsize=None)
def _ref_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The delegation and group references of ``lang`` as one regex: "rombongan", "the
    delegation", "the Korean delegation" (one word may stand between an article and the noun).

    The references without an article are written as a tree of shared letters. Those with
    one ("the\\s+(?:[\\w-]+\\s+)?delegation|the\\s+(?:[\\w-]+\\s+)?team|...") are tried
    together, in their order, behind one lookahead that holds when any of them can match
    (it fails at most articles, where each would be tried in turn). The matches are the
    same: a reference without an article either starts with another letter or goes on
    after the article with a letter ("they"), so it never matches where an "article ..."
    one does. All of it is written for the fast scan (:func:`word_start_branches`).

    >>> rx = _ref_patterns("en")[0][1]
    >>> [m.group(0) for m in rx.finditer("The Korean delegation and the team met them; they left.")]
    ['The Korean delegation', 'the team', 'they']
    """
    r = lang_rules(lang)
    refs = sorted(set(r.delegation_refs) | set(r.group_refs), key=len, reverse=True)
    nouns_after: dict[str, list[str]] = {}  # article -> the nouns written after it, in order
    plain = []
    for ref in refs:
        got = _article_of(ref)
        if got:
            nouns_after.setdefault(fold(got[0]), []).append(got[1])
        else:
            plain.append(ref)

    def after(art: str) -> str:  # an article, then one word maybe, before the noun
        return re.escape(art) + r"\s+(?:[\w-]+\s+)?"

    blocks = []
    for art, nouns in nouns_after.items():
        # (the first letter taken out in front: a branch that starts with a letter, for the fast scan)
        rest = after(art)[1:]
        blocks.append(f"{art[0]}(?={rest}(?:{letter_tree(nouns)})(?![\\w-]))(?:"
                      + "|".join(rest + re.escape(n) for n in nouns) + ")")
    if all(a.isalpha() for a in nouns_after) and not any(
            fold(x) == a or (fold(x).startswith(a) and x[len(a):len(a) + 1].isspace()) for x in plain for a in nouns_after):
        body = "|".join(blocks + ([letter_tree(plain)] if plain else []))
    else:  # (a reference that is an article itself, or an article and a space: all in one alternation, in order)
        body = "|".join(after(got[0]) + re.escape(got[1]) if (got := _article_of(ref)) else re.escape(ref) for ref in refs)
    branches = word_start_branches(body, before=r"[\w-]")
    if branches is None:
        return (("*", re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.I)),)
    return (("*", re.compile(rf"(?:{'|'.join(branches)})(?![\w-])")),)


@lru_cache(maxsize=None)
def _ref_words(lang: str) -> frozenset[str]:
    """Words one of which every match of ``_ref_patterns(lang)`` holds (after an article,
    the word that follows it)."""
    r = lang_rules(lang)
    return _first_words(got[1] if (got := _article_of(ref)) else ref
                        for ref in set(r.delegation_refs) | set(r.group_refs) if ref.strip())


@lru_cache(maxsize=100_000)
def _canon(f: str) -> str:
    """A language-neutral key of a folded name: "Parlemen Australia" and "Parliament of
    Australia" agree, "Polda Jatim" and "Polda Jawa Timur" agree."""
    gz = gazetteer()
    eq = _head_equivalents()
    longest = _canon_phrase_lengths()
    fillers = _words("name_filler_words")
    words = [w for w in _rx(r"[\s,]+").split(f) if w]
    out = []
    i = 0
    while i < len(words):
        hit = None
        for n in range(min(4, len(words) - i, longest.get(words[i], 0)), 0, -1):
            ph = " ".join(words[i:i + n])
            if ph in gz.countries:
                hit = ("#" + gz.countries[ph].code, n)
            elif ph in gz.demonyms and n == 1 and i == 0:  # "Japanese Embassy" = "Kedutaan Besar Jepang"
                hit = ("#" + gz.demonyms[ph].code, n)
            elif ph in gz.places:
                hit = ("@" + fold(gz.places[ph].name), n)
            elif ph in eq:
                hit = ("$" + eq[ph], n)
            if hit:
                break
        if hit:
            out.append(hit[0])
            i += hit[1]
        else:
            if words[i] not in fillers:
                out.append(words[i])
            i += 1
    return "~" + " ".join(sorted(out))


@lru_cache(maxsize=None)
def _canon_phrase_lengths() -> dict[str, int]:
    """First word -> the most words of a country, demonym, place or head word that starts
    with it: :func:`_canon` tries only phrases that can be one of them."""
    gz = gazetteer()
    out: dict[str, int] = {}
    for table in (gz.countries, gz.demonyms, gz.places, _head_equivalents()):
        for key in table:
            w = key.split(" ")
            out[w[0]] = max(out.get(w[0], 0), len(w))
    return out


@lru_cache(maxsize=None)
def _non_name_words() -> frozenset[str]:
    """Words that are never part of a name, folded."""
    return frozenset(fold(w) for lg in LANGS for w in lang_rules(lg).raw.get("non_name_words", []))


@lru_cache(maxsize=None)
def _folded_markers(lang: str) -> tuple[str, ...]:
    """The received-statement markers of ``lang`` ("keterangan yang diterima"), folded."""
    return tuple(fold(m) for m in lang_rules(lang).received_markers)


@lru_cache(maxsize=None)
def _head_equivalents() -> dict[str, str]:
    eq: dict[str, str] = {}
    for lg in LANGS:
        for k, v in lang_rules(lg).raw.get("head_equivalents", {}).items():
            eq[fold(k)] = v
            eq[fold(v)] = v
    return eq


@lru_cache(maxsize=None)
def _cue_patterns(lang: str) -> tuple[Pattern, ...]:
    """The cue patterns of ``lang`` (the speech patterns are read by :meth:`Relations._said`)."""
    return tuple(p for p in lang_rules(lang).patterns if not p.kind.startswith("said"))


@lru_cache(maxsize=None)
def _cue_needs(lang: str) -> tuple[tuple[str, ...] | None, ...]:
    """For each cue pattern of :func:`_cue_patterns`, :func:`_needed_strs` of its regex."""
    return tuple(_needed_strs(p.regex) for p in _cue_patterns(lang))


@lru_cache(maxsize=None)
def _cue_anchors(lang: str) -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The anchor words of the cue patterns of ``lang``, and for each word the patterns
    (by position in ``_cue_patterns``) that need it: a sentence is tried only against those."""
    pats = _cue_patterns(lang)
    by_word: dict[str, list[int]] = {}
    for i, p in enumerate(pats):
        for w in p.anchors:
            by_word.setdefault(w, []).append(i)
    return frozenset(by_word), {w: tuple(v) for w, v in by_word.items()}


@lru_cache(maxsize=10_000)
def _cue_order(lang: str, hit: frozenset[str]) -> tuple[int, ...]:
    """The cue patterns of ``lang`` (by position in ``_cue_patterns``) anchored on any of the
    words ``hit``, in the patterns' own order (remembered per set of words)."""
    by_word = _cue_anchors(lang)[1]
    return tuple(sorted({pi for w in hit for pi in by_word[w]}))


@lru_cache(maxsize=100_000)
def _named_country(f: str) -> str | None:
    """The country of the first place or country named in ``f`` (not after "for"/"untuk")."""
    gz = gazetteer()
    w = f.split()
    for i in range(len(w)):
        for j in range(min(len(w), i + 4), i, -1):
            ph = " ".join(w[i:j])
            if ph in gz.places and gz.places[ph].country:
                return gz.places[ph].country
            if ph in gz.countries and (i == 0 or w[i - 1] not in _words("purpose_prepositions", "directional_prepositions")):
                return gz.countries[ph].code
    return None


@lru_cache(maxsize=100_000)
def _country_in_name(name: str) -> str | None:
    """The country a body's name names or whose people it names ("Kedutaan Besar Jepang",
    "the Korean Embassy"); words after "for"/"to" name someone else's."""
    gz = gazetteer()
    w = fold(name).split()
    for i in range(len(w)):
        if i > 0 and w[i - 1] in _words("purpose_prepositions", "directional_prepositions"):
            continue
        for j in range(min(len(w), i + 4), i, -1):
            ph = " ".join(w[i:j])
            if ph in gz.countries:
                return gz.countries[ph].code
            if ph in gz.demonyms:
                return gz.demonyms[ph].code
    return None


@lru_cache(maxsize=100_000)
def _lex_key(words: tuple[str, ...]) -> tuple[str, ...]:
    """Written words as a lexicon key: folded, a final dot or apostrophe off."""
    return tuple(fold(w).rstrip(".'") for w in words)


@lru_cache(maxsize=None)
def _vague_windows() -> dict[str, tuple[int, int]]:
    """Vague past phrases and the days before publication they cover ("last week": 1-14)."""
    return {fold(k): (v[0], v[1]) for lg in LANGS for k, v in lang_rules(lg).raw["vague_past_days_ago"].items()}


@lru_cache(maxsize=None)
def _group_sizes() -> dict[str, int]:
    """Counted group words and how many people they stand for ("ketiganya": 3)."""
    return {fold(k): v for lg in LANGS for k, v in lang_rules(lg).raw["group_ref_sizes"].items()}


def _initials_of(name: str) -> str:
    """The initials of a name's capitalised words: "Badan Nasional Penanggulangan Terorisme" -> "BNPT"."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


@lru_cache(maxsize=100_000)
def _names_mission(name: str) -> bool:
    """Does a name hold a word of a diplomatic mission ("Embassy", "Kedutaan")?"""
    n = fold(name)
    return any(h in n for h in _words("mission_words"))


@lru_cache(maxsize=100_000)
def _fwords(name: str) -> tuple[str, ...]:
    """The folded words of a name."""
    return tuple(fold(name).split())


@lru_cache(maxsize=100_000)
def _alias_form(name: str) -> tuple[str, str]:
    """A name as an alias (spaces normalised, edge punctuation off) and its folded key."""
    name = " ".join(name.split()).strip(" ,.-–")
    return name, fold(name)


@lru_cache(maxsize=100_000)
def _lookup_form(name: str) -> str:
    """The folded key a name is looked up by."""
    return fold(" ".join(name.split()).strip(" ,."))


@lru_cache(maxsize=None)
def _home_prefixes() -> tuple[tuple[str, str], ...]:
    """(folded name prefix, country): names a language writes only for its own country's
    bodies ("Kemen..." ministries, "PT ..." companies in Indonesian)."""
    return tuple((fold(p), lang_rules(lg).raw["home_country"]) for lg in LANGS
                 for p in lang_rules(lg).raw.get("home_name_prefixes", ()) if lang_rules(lg).raw.get("home_country"))


def _home_country_by_prefix(names: list[str]) -> str | None:
    for n in names:
        f = fold(n)
        for prefix, country in _home_prefixes():
            if f.startswith(prefix):
                return country
    return None


@lru_cache(maxsize=None)
def _home_pre_heads() -> dict[str, str]:
    """Head words that open a name, of a language that names a home country ("Kementerian",
    "Universitas": Indonesian): an organisation so named is of that country unless its
    name says otherwise. Head word -> the country."""
    out: dict[str, str] = {}
    for k, (lang, _, pos) in gazetteer().org_heads.items():
        home = lang_rules(lang).raw.get("home_country")
        if home and pos == "pre":
            out.setdefault(k.split("\t")[0], home)
    return out


@lru_cache(maxsize=100_000)
def slug(text: str) -> str:
    """The local key part of a name: "Sentra Handayani" -> "sentra-handayani"."""
    return _SLUG_RE.sub("-", fold(text)).strip("-") or "x"


def _last_word(text: str) -> str | None:
    """The last run of word characters in ``text`` (what ``(\\w+)\\W*$`` captures), found
    by one match on the reversed text instead of a search that retries each position.

    >>> _last_word("the head of BPBD NTB, "), _last_word(" ,. ")
    ('NTB', None)
    """
    m = _LEADING_WORD_RE.match(text[::-1])
    return m.group(1)[::-1] if m else None


_LEADING_WORD_RE = re.compile(r"\W*(\w+)")


def lev(a: str, b: str) -> int:
    if a == b:
        return 0
    if abs(len(a) - len(b)) > 3:
        return 9
    return _levenshtein(a, b)


@lru_cache(maxsize=100_000)
def _words_close(f: tuple[str, ...], toks: tuple[str, ...]) -> bool:
    """Does the name of words ``f`` stand for the name of words ``toks``: each of its words
    close to one of theirs, and it is shorter or shares a word exactly?"""
    return all(any(_close(w, t) for t in toks) for w in f) and (len(f) < len(toks) or any(w in toks for w in f))


@lru_cache(maxsize=100_000)
def _close(a: str, b: str) -> bool:
    a, b = fold(a).replace("ue", "u"), fold(b).replace("ue", "u")
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    if a.startswith(b) or b.startswith(a):
        return False  # "Ahmad"/"Ahmadi", "Hasan"/"Hasanah": another name, not a misspelling
    if min(len(a), len(b)) < 5:
        return lev(a, b) <= 1 and a[0] == b[0]
    return lev(a, b) <= (2 if min(len(a), len(b)) >= 6 else 1)


@dataclass
class Ent:
    key: str
    types: list[str]
    names: list[str]
    country: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    role_chunks: list[tuple[str, list[str], int]] = field(default_factory=list)  # (value, org keys, sent)
    senders: list[str] = field(default_factory=list)  # delegation: org/country keys
    head: str | None = None
    intl: bool = False
    place_kind: str | None = None
    lang_head: str | None = None
    first_sent: int = 0
    last_sent: int = 0
    folded: set[str] = field(default_factory=set)  # fold() of each of names, kept with them

    @property
    def name(self) -> str:
        return self.names[0]


@dataclass(slots=True)
class Men:
    """An entity mention inside a sentence (or a resolved reference)."""

    start: int
    end: int
    key: str
    kind: str  # entity type or "ref"
    chunk: Chunk | None = None
    in_role: bool = False


#: the caches of this module keyed by words and names (bounded): :func:`kg.extract.clear_caches`
BOUNDED_CACHES = (_canon, _named_country, _country_in_name, _lex_key, _fwords, _alias_form, _lookup_form,
                  _words_close, _close, _names_mission, slug, _cue_order)


_UNKNOWN = object()  # (an argument not given)


class Extractor:
    """Extraction state for one document."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.text = doc.text
        self.lang = doc.lang
        self.rules: LangRules = lang_rules(doc.lang)
        self.langs = (doc.lang,) + tuple(x for x in LANGS if x != doc.lang)
        self.lx: Lexicon = lexicon()
        self.gz = gazetteer()
        self.ents: dict[str, Ent] = {}
        self.alias: dict[str, str] = {}  # folded name -> key
        self.alias_by_first: dict[str, list[tuple[str, str]]] = {}
        self.alias_by_last: dict[str, list[tuple[str, str]]] = {}
        self.facts: list[Fact] = []
        self.mentions: list[Mention] = []
        self.sent_toks: list[list[Tok]] = []
        self.sent_chunks: list[list[Chunk]] = []
        self.sent_dates: list[list[DateSpan]] = []
        self.sent_mens: list[list[Men]] = []
        self.quotes: list[list[tuple[int, int]]] = []
        self.protagonist: str | None = None
        self.delegations: list[str] = []
        self.members: dict[str, list[str]] = {}
        self.last_person: str | None = None
        self.person_order: list[str] = []
        self.anchor = doc.published
        self.first_event: date | None = None
        self.dateline_place: str | None = None
        self.guessed_country: set[str] = set()  # entities whose country is only guessed from an Indonesian head word
        self.role_spans: dict[int, list[tuple[int, int]]] = {}
        self.sender_ev: dict[tuple[str, str], int] = {}  # (delegation, sender) -> sentence index
        self.date_until: dict[date, date] = {}  # first day of a written range -> its last day
        self.groups: dict[tuple[int, int], list[str]] = {}  # "Ketiganya", "the three": span -> the people listed
        self.last_group: list[str] | None = None  # the people last seen acting together
        self.member_ev: dict[tuple[str, str], int] = {}  # (delegation, person) -> sentence index
        self.sent_words: list[frozenset[str]] = []
        # per sentence, its words and the parts of its hyphenated or elided words ("x-as"):
        # the words a word-bounded regex can match (None: a letter that folds oddly is there)
        self.sent_gate: list[frozenset[str] | None] = []
        self.sent_low: list[str] = []  # each sentence in lower case, for :meth:`_may_match`
        self._evs: dict[tuple[int, str], Evidence] = {}  # (sentence, rule) -> its evidence
        self._received_of: dict[int, bool] = {}  # id of a date of sent_dates -> :meth:`_received`

    def _may_hold(self, si: int, words: frozenset[str]) -> bool:
        """Could a word-bounded regex whose every match holds one of ``words`` match sentence
        ``si``? (False only when none of them is among its words)"""
        gate = self.sent_gate[si]
        return gate is None or not gate.isdisjoint(words)

    def _may_match(self, si: int, regex: re.Pattern[str]) -> bool:
        """Could ``regex`` match sentence ``si``? (False only when the sentence lacks all the
        text one piece of which every match holds: :func:`_needed_text`)"""
        need = _needed_strs(regex)
        return need is None or self.sent_gate[si] is None or _holds_any(self.sent_low[si], need)

    # ------------------------------------------------------------------ entities
    def ent(self, key: str) -> Ent:
        return self.ents[key]

    def add_alias(self, key: str, name: str) -> None:
        name, f = _alias_form(name)
        if not name:
            return
        e = self.ents[key]
        if f not in e.folded:
            e.names.append(name)
            e.folded.add(f)
        if f not in self.alias:
            self.alias[f] = key
            w = f.split()
            if w:
                self.alias_by_first.setdefault(w[0], []).append((f, key))
                self.alias_by_last.setdefault(w[-1], []).append((f, key))
        if e.types[0] in ("Organization", "Facility"):
            self.alias.setdefault(_canon(f), key)

    def new_ent(self, prefix: str, name: str, types: tuple[str, ...], sent: int) -> str:
        name = title_caps(name)
        base = f"{prefix}:{slug(name)}"
        key = base
        n = 2
        while key in self.ents:
            key = f"{base}-{n}"
            n += 1
        self.ents[key] = Ent(key, list(types), [], first_sent=sent, last_sent=sent)
        self.add_alias(key, name)
        return key

    def lookup(self, name: str) -> str | None:
        f = _lookup_form(name)
        return self.alias.get(f) or self.alias.get(_canon(f))

    def country_ent(self, code: str, surface: str | None, sent: int) -> str:
        key = f"country:{code.lower()}"
        if key not in self.ents:
            name = self.gz.country_names.get(code, surface or code)
            self.ents[key] = Ent(key, ["Country"], [], country=code, first_sent=sent, last_sent=sent)
            self.add_alias(key, name)
        if surface:
            self.add_alias(key, surface)
        return key

    # ------------------------------------------------------------------ pass 0: tokens, chunks, dates
    def prepare(self) -> None:
        from ..text import dateline

        dl = dateline(self.doc)
        self.dateline_span = (dl.start, dl.end) if dl else None
        if dl is not None:
            pl = self.gz.places.get(fold(dl.place))
            if pl is not None:
                self.dateline_place = pl.name
        if self.anchor is None:
            # no publication date: the first full date of the story anchors dates without a year
            for s in self.doc.sentences:
                full = [d.value for d in find_dates(s.text, self.langs) if d.kind == "full" and d.value]
                if full:
                    self.anchor = max(full)
                    break
        for si, s in enumerate(self.doc.sentences):
            toks = tokenize(self.text, s.start, s.end, self.lx.abbrevs)
            words = frozenset([t.low.rstrip(".") for t in toks])
            ds = find_dates(s.text, self.langs, self.anchor, words=words)
            for d in ds:
                a, b = s.start + d.start, s.start + d.end
                for t in toks:
                    if a <= t.start < b:
                        t.date = True
            self.sent_toks.append(toks)
            self.sent_dates.append(ds)
            for d in ds:
                if d.until is not None:
                    self.date_until.setdefault(d.value, d.until)  # "10-12 Juni 2024": a visit's last day
            chunks = chunk_sentence(self.text, toks, si, self.lx)
            if self.dateline_span:
                a, b = self.dateline_span
                chunks = [c for c in chunks if not (a <= c.start < b) or c.kind == "place"]
            self.sent_words.append(words)
            self.sent_gate.append(_gate_words(words, s.text))
            self.sent_low.append(s.text.lower())
            qs = []
            for m in (_QUOTE_RE.finditer(s.text) if '"' in s.text or "“" in s.text else ()):
                qs.append((s.start + m.start(), s.start + m.end()))
            self.quotes.append(qs)
            chunks = self._delegation_chunks(si, chunks, qs)
            chunks = self._government_chunks(chunks)
            self._mark_sebagai(si, chunks)
            self.sent_chunks.append(chunks)
            for d in ds:
                if d.value is not None and d.kind in ("full", "dm", "numeric") and not self._received(s.text, d):
                    if self.first_event is None:
                        self.first_event = d.value

    def _delegation_chunks(self, si: int, chunks: list[Chunk], qs) -> list[Chunk]:
        """Delegations named in lower case: "a delegation from X", "the BMBF delegation",
        "delegasi Parlemen Australia", "Nigerian trade mission"."""
        s = self.doc.sentences[si]
        new = []
        for m in (_deleg_re().finditer(s.text) if self._may_hold(si, _deleg_words()) else ()):
            a, b = s.start + m.start(), s.start + m.end()
            if any(c.start <= a < c.end for c in chunks) or any(qa <= a < qb for qa, qb in qs):
                continue
            prev_word = fold(self.text[max(0, a - 20):a]).split()[-1:] 
            if prev_word and prev_word[0] in self.rules.raw.get("delegation_office_modifiers", []):
                continue
            right = next((c for c in chunks if c.start >= b), None)
            left = next((c for c in reversed(chunks) if c.end <= a), None)
            parts: list[Chunk] = []
            country = None
            start = a
            if right is not None:
                gap = self.text[b:right.start]
                if _rx(r"(?i)\s+(?:{source_prepositions+sender_phrases})\s+(?:{definite_articles}\s+)?").fullmatch(gap) or (
                        self.rules.raw["modifiers_follow_head"] and _rx(r"\s+").fullmatch(gap)):
                    if right.kind in ("org", "facility", "name"):
                        parts = [right]
                    elif right.kind in ("country", "demonym"):
                        country = right.country
                        b = right.end
                        after = next((c for c in chunks if c.start > right.end), None)
                        if after is not None and after.possessor is right:
                            parts = [after]
            # "the BMBF delegation": where a modifier comes before its noun, the sender may too
            if not parts and country is None and left is not None and not self.rules.raw["modifiers_follow_head"]:
                gap = self.text[left.end:a]
                if _rx(r"\s+(?:[a-z-]+\s+)?").fullmatch(gap) and left.kind in ("org", "name", "country", "demonym", "delegation") and not left.text[0].isdigit():
                    if left.kind in ("country", "demonym"):
                        country = left.country
                    elif left.kind in ("org", "name"):
                        parts = [left]
                    start = left.start
            if not parts and country is None:
                continue
            # "... organised by the NEPC" after a demonym-named mission
            if right is not None and not parts:
                gap = self.text[b:right.start]
                if _rx(r"(?i)\s+(?:{source_prepositions+sender_phrases})\s+(?:{definite_articles}\s+)?").fullmatch(gap) and right.kind in ("org", "name"):
                    parts = [right]
            d = Chunk("delegation", start, b, self.text[start:b], si, ("Delegation",), country=country)
            d.parts = parts
            new.append(d)
        # "Three senior officers of the Royal Thai Police visited ...": a counted group of a
        # body's people opening the sentence is a visiting party
        for m in (_group_re().finditer(s.text) if self._may_hold(si, _group_noun_ends()) else ()):
            a, b = s.start + m.start(), s.start + m.end()
            if any(qa <= a < qb for qa, qb in qs):
                continue
            # "Officials of the Ministry of ...", read as one name: the body is the rest of it
            whole = next((c for c in chunks if c.start == a and c.kind in ("org", "name") and c.end > b), None)
            if whole is not None:
                gm = _rx(r"(?i)\s+{source_prepositions}\s+(?:{definite_articles}\s+)?").match(self.text, b, whole.end)
                if gm is None:
                    continue
                body = Chunk("org", gm.end(), whole.end, self.text[gm.end():whole.end], si, ("Organization",))
                chunks = sorted([c for c in chunks if c is not whole] + [body], key=lambda c: (c.start, -c.end))
            if any(c.start <= a < c.end for c in chunks if c.kind != "name"):
                continue
            lead = self.text[s.start:a]
            if self.dateline_span and s.start <= self.dateline_span[1] <= a:
                lead = self.text[self.dateline_span[1]:a]
            if lead.strip() and not lead.rstrip().endswith(("—", "–", "-")) and \
                    " ".join(fold(lead).split()) not in _words("group_count_leads"):  # "Sebanyak 25 mahasiswa ..."
                continue
            right = next((c for c in chunks if c.start >= b), None)
            gap = self.text[b:right.start] if right is not None else ""
            if right is None or right.kind not in ("org", "name") or not (
                    _rx(r"(?i)\s+{source_prepositions}\s+(?:{definite_articles}\s+)?").fullmatch(gap)
                    or (self.rules.raw["modifiers_follow_head"] and gap == " ")):  # "25 mahasiswa Universitas ...": no preposition
                continue
            d = Chunk("delegation", a, b, self.text[a:b], si, ("Delegation",))
            d.parts = [right]
            chunks = [c for c in chunks if not (a <= c.start < b)]
            new.append(d)
        if not new:
            return chunks
        return sorted(chunks + new, key=lambda c: (c.start, -c.end))

    def _government_chunks(self, chunks: list[Chunk]) -> list[Chunk]:
        """ "the Japanese government": a demonym and a government word in lower case name
        that state's government, a body of its own."""
        out = []
        for c in chunks:
            if c.kind == "demonym":
                m = _rx(r"\s+({government_words})\b").match(self.text, c.end)
                if m:
                    c = Chunk("org", c.start, m.end(), self.text[c.start:m.end()], c.sent, ("Organization",),
                              country=c.country)
            out.append(c)
        return out

    def _mark_sebagai(self, si: int, chunks: list[Chunk]) -> None:
        """ "Name sebagai CT Expert-Officer": the words after "sebagai" are a title."""
        s = self.doc.sentences[si]
        spans = []
        for m in (_intro_re(True).finditer(s.text) if self._may_hold(si, _intro_words()) else ()):
            a = s.start + m.start()
            prev = next((c for c in reversed(chunks) if c.end <= a), None)
            if prev is None or self.text[prev.end:a].strip() or prev.kind not in ("name", "person"):
                continue
            rest = s.text[m.end():]
            stop = _rx(r",|\s+{role_list_conjunctions}\s+(?=[A-Z])|\.\s*$|\.\s|;").search(rest)
            val = rest[: stop.start()] if stop else rest
            spans.append((s.start + m.end(), s.start + m.end() + len(val)))
        for c in (chunks if spans else ()):
            if any(x <= c.start < y for x, y in spans) and c.kind != "delegation":
                c.kind = "sebagai"

    def _received(self, stext: str, d: DateSpan) -> bool:
        """Is ``d`` the date a statement was received or released ("keterangan tertulis
        yang diterima, Senin"), not the date of an event? Not when what was received is
        a visit or a visiting party ("received a delegation ... on Wednesday")."""
        got = self._received_of.get(id(d))  # asked several times of each date of a sentence
        if got is None:
            got = self._received_of[id(d)] = self._is_received(stext, d)
        return got

    def _is_received(self, stext: str, d: DateSpan) -> bool:
        before = fold(stext[max(0, d.start - 60): d.start])
        if any(p in before for p in _words("received_by_phrases")):
            return False
        for fm in _folded_markers(self.lang):
            at = before.find(fm)
            if at >= 0 and not _rx(r"\s+(?:{articles}\s+)?(?:[\w-]+\s+){0,2}?{visiting_party_words}\b").match(
                    before, at + len(fm)):
                return True
        return False

    # ------------------------------------------------------------------ pass 1: entities
    def _gap(self, a: int, b: int) -> str:
        return self.text[a:b] if b >= a else ""

    def _pair_parens(self, si: int, chunks: list[Chunk]) -> None:
        """ "Long Name (ACR)", "Name (Translation)", "(Long/ACR)": one entity, both names."""
        # every pairing reads a "(" at most 80 characters after a chunk
        if not chunks or "(" not in self.text[min(c.end for c in chunks): max(c.end for c in chunks) + 80]:
            return
        for ci, c in enumerate(chunks):
            if c.kind in ("role", "title_ref") and self.text[c.end: c.end + 3].lstrip().startswith("("):
                op = self.text.index("(", c.end)
                cl = self.text.find(")", op)
                # "Kepala Badan Nasional Penanggulangan Terorisme (BNPT)": the short form of the
                # body that ends the title, when its letters are the body's initials
                body = c.orgs[-1] if c.orgs and c.orgs[-1].end == c.end and c.orgs[-1].kind == "org" else None
                if body is not None and cl > op and _initials_of(body.text) == self.text[op + 1:cl].strip().upper():
                    body.aliases.append(self.text[op + 1:cl].strip())
                    for x in chunks:
                        if op < x.start and x.end <= cl:
                            x.kind, x.entity, x.role, x.parts = "alias_of", None, None, [body]
                    continue
                for x in chunks:
                    if cl > 0 and op < x.start and x.end <= cl and x.kind in ("org", "name", "title_ref"):
                        x.kind = "title_alias"
                continue
            if c.kind in ("role", "title_ref", "person", "delegation"):
                continue
            # look for "(" right after c (or after a few lower-case words: "... on disaster management (AHA Centre)")
            rest = self.text[c.end: c.end + 3]
            if not rest.lstrip().startswith("("):
                if c.kind not in ("org", "facility"):
                    continue
                m = _rx(r"(\s+(?:[a-z]+\s+){1,4})\(([A-Z][A-Za-z]*[A-Z])").match(self.text[c.end: c.end + 80])
                if m is None:
                    continue
                nxt = next((x for x in chunks if x.start > c.end), None)
                if nxt is not None and nxt.start < c.end + len(m.group(1)):
                    continue
                c.end = c.end + len(m.group(1).rstrip())
                c.text = self.text[c.start:c.end]
            op = self.text.index("(", c.end)
            cl = self.text.find(")", op)
            if cl < 0 or cl - op > 120:
                continue
            inside = [x for x in chunks if op < x.start and x.end <= cl]
            if not inside:
                continue
            inner_text = self.text[op + 1: cl]
            if not inner_text[:1].isupper():
                continue
            if c.kind in ("place", "country"):
                continue
            c.aliases.extend(x.strip() for x in _rx(r"[/,]|\s+{disjunctions}\s+").split(inner_text) if x.strip())
            for x in inside:
                x.kind = "alias_of"
                x.entity = None
                x.role = None
                x.parts = [c]
            # a name right after the parenthesis continues the long name: "(Labfor) Polda Jawa Timur"
            after = next((x for x in chunks if x.start > cl and self._gap(cl + 1, x.start).strip() == ""), None)
            if after is not None and (after.kind in ("org", "facility", "place", "country")
                                      or (after.kind == "name" and (len(after.text.split()) == 1 or any(
                                          fold(w) in self.lx.org_head_words or fold(w) in self.lx.delegation_heads
                                          for w in after.text.split())))):
                tail = after.text
                c.aliases.append(f"{c.text} {tail}")
                for a in list(c.aliases):
                    if a != f"{c.text} {tail}" and "/" not in a:
                        c.aliases.append(f"{a} {tail}")
                words = after.text.split()
                sub = (after.kind in ("org", "name") and fold(words[0]) not in self.lx.org_head_words
                       and self.lookup(after.text) is None
                       and any(fold(w) in self.lx.org_head_words or fold(w) in self.lx.delegation_heads for w in words))
                if sub:
                    # "(ICRC) Regional Delegation in Jakarta": a unit of the body just named
                    short = next((a for a in c.aliases if a.isupper()), c.text)
                    after.aliases = [f"{c.text} {after.text}", f"{c.text} ({short}) {after.text}"]
                    after.text = f"{short} {after.text}"
                    after.kind = "org"
                    after.types = ("Organization",)
                    after.parts = [c]
                    c.aliases = [a for a in c.aliases if not a.endswith(words[-1])]
                elif after.kind in ("org", "facility", "name"):
                    qual = len(words) >= 2 and fold(words[0]) in self.lx.org_head_words and all(
                        fold(w) in self.gz.countries or fold(w) in self.gz.places for w in words[1:])
                    if qual:
                        after.kind = "alias_of"
                        after.parts = [c]
                    else:
                        c.parts.append(after)
            if c.kind == "name":
                c.kind = "org"
                c.types = ("Organization",)
            # the short form is the acronym; keep the long form as the name
            if c.kind == "org" and all(ch.isupper() for ch in c.text if ch.isalpha()) and len(c.text) <= 8:
                longs = [a for a in c.aliases if len(a) > len(c.text) and not a.isupper()]
                if longs:
                    c.aliases = [c.text] + [a for a in c.aliases if a != longs[0]]
                    c.text = longs[0]

    def _pair_aka(self, si: int, chunks: list[Chunk]) -> None:
        for c, x in zip(chunks, chunks[1:]):
            if c.kind in ("org", "facility") and x.kind in ("org", "facility", "name") and _rx(r"(?i)^,?\s*{aka_phrases}\s+(?:{definite_articles}\s+)?$").match(self._gap(c.end, x.start)):
                c.aliases.append(x.text)
                x.kind = "alias_of"
                x.parts = [c]

    def _resolve_chunk(self, si: int, ci: int, c: Chunk, chunks: list[Chunk]) -> Men | None:
        k = c.kind
        if k == "alias_of":
            long = c.parts[0] if c.parts else None
            if long is not None and long.entity:
                self.ents[long.entity].spans.append((c.start, c.end))
                return Men(c.start, c.end, long.entity, self.ents[long.entity].types[0], c, long.in_role)
            return None
        if k == "country":
            key = self.country_ent(c.country, c.text, si)
            c.entity = key
            self._touch(key, si, c)
            return Men(c.start, c.end, key, "Country", c, c.in_role)
        if k == "place":
            if c.in_role and self.lookup(c.text) is None:
                return None
            key = self.lookup(c.text)
            if key is None and c.place is not None:
                key = self.lookup(c.place.name)
            if key is None:
                surface = c.place.name if (c.place is not None and c.text.isupper() and len(c.text) > 3) else c.text
                key = self.new_ent("place", surface, ("Place",), si)
                self.ents[key].country = c.country
                self.ents[key].place_kind = c.place.kind if c.place is not None else None
                if c.place is not None and c.place.name != c.text:
                    self.alias.setdefault(fold(c.place.name), key)
            elif not (c.text.isupper() and len(c.text) > 3):
                self.add_alias(key, c.text)
            c.entity = key
            self._touch(key, si, c)
            return Men(c.start, c.end, key, "Place", c, c.in_role)
        if k == "demonym":
            return None
        if k in ("org", "facility") and c.entity is not None and getattr(c, "short_of", False):
            self.add_alias(c.entity, c.text)
            self._touch(c.entity, si, c)
            return Men(c.start, c.end, c.entity, self.ents[c.entity].types[0], c, c.in_role)
        if k in ("org", "facility"):
            return self._resolve_org(si, c, chunks)
        if k == "delegation":
            return self._resolve_delegation(si, ci, c, chunks)
        if k == "person":
            ok_ = self._org_key_for(c.text) if len(c.text.split()) == 1 and c.role is not None else None
            if ok_ and self.ents[ok_].types[0] in ("Organization", "Facility"):
                key = self._title_person(f"{c.role.text} {c.text}", si)
                c.kind = "title_ref"
                c.role = None
                return Men(c.start, c.end, key, "ref", c) if key else None
            self._shift_known_domain(c)
            key = self._person(si, c.text, c)
            return Men(c.start, c.end, key, "Person", c)
        if k == "name":
            return self._resolve_name(si, ci, c, chunks)
        if k in ("role", "title_ref"):
            if k == "title_ref":
                if _rx(r"\s*(?:{purpose_prepositions+directional_prepositions+genitive_prepositions+locative_prepositions}\s+[^,.;]{1,50})?,\s*(?:{honorific_abbreviations}\.\s*)?[A-Z]").match(
                        self.text[c.end: c.end + 70]):
                    return None
                key = self._title_person(c.text, si)
                if key:
                    return Men(c.start, c.end, key, "ref", c)
            return None
        return None

    def _shift_known_domain(self, c: Chunk) -> None:
        """'Gubernur Hiroshima Hidehiko Yuzaki' after 'Prefektur Hiroshima': a first word that
        names a place or body already met belongs to the title, not to the name."""
        words = c.text.split()
        if c.role is None or len(words) < 3 or c.role.end > c.start or not words[0][:1].isupper():
            return
        w0 = fold(words[0])
        known = any(e.types[0] in ("Place", "Facility", "Organization", "Country") and len(e.names[0].split()) > 1
                    and any(w0 in _fwords(n)[1:] for n in e.names) for e in self.ents.values())
        if not known:
            return
        cut = c.start + len(words[0])
        rest = self.text[cut:c.end]
        c.role.end = cut
        c.role.text = self.text[c.role.start:cut]
        c.start = cut + len(rest) - len(rest.lstrip())
        c.text = self.text[c.start:c.end]

    def _touch(self, key: str, si: int, c: Chunk | None) -> None:
        e = self.ents[key]
        e.last_sent = si
        if c is not None:
            e.spans.append((c.start, c.end))

    def _org_key_for(self, text: str) -> str | None:
        self._exact = True
        key = self.lookup(text)
        if key:
            return key
        self._exact = False
        words = text.split()
        # strip trailing qualifiers: "DGSI Prancis", "UNICEF Indonesia", "PMI DKI Jakarta"
        for n in range(len(words) - 1, 0, -1):
            head, tail = " ".join(words[:n]), " ".join(words[n:])
            ft = fold(tail)
            if (ft in self.gz.countries or ft in self.gz.places) and self.lookup(head):
                return self.lookup(head)
        f = fold(text)
        if len(text.split()) == 1 and text.isupper():
            for al, k in self.alias_by_last.get(f, ()):
                if len(al.split()) <= 3 and self.ents[k].types[0] in ("Organization", "Facility"):
                    return k
        fw = f.split()
        for al, k in self.alias_by_first.get(fw[0] if fw else "", ()):
            if self.ents[k].types[0] not in ("Organization", "Facility"):
                continue
            if al.startswith(f + " ") and (al[len(f) + 1:] in self.gz.places or al[len(f) + 1:] in self.gz.countries):
                return k
            if len(fw) == 1 and text.isupper() and self.ents[k].types[0] == "Organization" and 1 < len(al.split()) <= 3:
                return k  # "IPB" for "IPB University"
            if len(fw) >= 2 and fw[0] in self.lx.org_head_words:
                # "Kepolisian Belanda" inside "Kepolisian Nasional Belanda": same head, same country, fewer words
                mine, theirs = set(_canon(f)[1:].split()), set(_canon(al)[1:].split())
                marks = {w for w in mine if w[:1] in "#@"}
                if marks and mine < theirs and marks == {w for w in theirs if w[:1] in "#@"}:
                    return k
        # a known name at the end of a longer string: "Urusan ... Cabinet Office"
        for n in range(1, len(words)):
            tail = " ".join(words[n:])
            key = self.lookup(tail)
            if key and self.ents[key].types[0] in ("Organization", "Facility") and len(tail) > 3:
                dropped = {fold(w) for w in words[:n]}
                if dropped & self.lx.org_head_words or any(
                        w in self.gz.demonyms or w in self.gz.countries or w in self.gz.places for w in dropped):
                    return None
                return key
        return None

    def _qualified(self, short: str) -> str | None:
        """The body already named as ``short`` and its country or place ("DGSI Prancis")."""
        f = fold(short)
        for al, k in self.alias_by_first.get(f, ()):
            rest = al[len(f) + 1:]
            if al.startswith(f + " ") and (rest in self.gz.countries or rest in self.gz.places) \
                    and self.ents[k].types[0] == "Organization":
                return k
        return None

    def _resolve_org(self, si: int, c: Chunk, chunks: list[Chunk]) -> Men | None:
        text = c.text
        if text in self.rules.raw.get("not_org_acronyms", ()) or text in lang_rules("en").raw.get("not_org_acronyms", ()):
            return None
        if fold(text.split()[0]) in _words("street_words"):
            return None
        key = self._org_key_for(text)
        if key is None:
            for a in c.aliases:
                key = self.lookup(a) or key
            if key is not None:
                self._exact = True  # the long form of a body known by its short form: a name of it
        if key is None:
            # "Direction Générale ... (DGSI)" after "DGSI Prancis": the short form finds the body
            for a in c.aliases:
                if a.isupper() and " " not in a:
                    key = key or self._qualified(a)
            self._exact = True
        if key is None and any(qa <= c.start < qb for qa, qb in self.quotes[si]) and not c.aliases:
            return None
        if key is None:
            # a lone head word ("Office", "Kantor") is not a name
            if len(text.split()) == 1 and fold(text) in self.lx.org_head_words:
                return None
            prefix = "fac" if c.kind == "facility" else "org"
            key = self.new_ent(prefix, text, c.types or ("Organization",), si)
            e = self.ents[key]
            e.intl = fold(text) in international_bodies() or any(fold(a) in international_bodies() for a in c.aliases)
            e.country = None if e.intl else (c.country or c.demonym or self._name_country([text, *c.aliases]))
        else:
            if self._exact:
                self.add_alias(key, text)
            e = self.ents[key]
            for t in c.types:
                if t not in e.types and t in ("Facility", "Organization"):
                    e.types.append(t)
            if e.types[0] != "Facility" and "Facility" in e.types:
                e.types.sort(key=lambda t: t != "Facility")
            if e.country is None:
                e.country = c.country or c.demonym
        for a in c.aliases:
            self.add_alias(key, a)
            if fold(a) in international_bodies():
                self.ents[key].intl = True
        self._place_tail(si, key, text)
        if c.possessor is not None and c.possessor.kind == "country" and self.ents[key].country is None:
            self.ents[key].country = c.possessor.country
        elif c.possessor is not None and c.possessor.entity and c.possessor.entity != key:
            owner = self.ents[c.possessor.entity]
            if owner.types[0] == "Organization":
                if self.ents[key].country is None and not owner.intl:
                    self.ents[key].country = owner.country
                self.add_fact("partOf", key, c.possessor.entity, ev=self._ev(si, "partof.possessive"))
        c.entity = key
        self._touch(key, si, c)
        nxt = _rx(r"\s+({site_nouns_after_name})\b").match(self.text[c.end: c.end + 20])
        if nxt and self.ents[key].types[0] == "Organization" and not c.in_role:
            fname = f"{c.text} {nxt.group(1)}"
            fk = self.lookup(fname) or self.new_ent("fac", fname, ("Facility",), si)
            self.add_fact("partOf", fk, key, ev=self._ev(si, "partof.site"))
            self._touch(fk, si, None)
            return Men(c.start, c.end + nxt.end(), fk, "Facility", c, c.in_role)
        return Men(c.start, c.end, key, self.ents[key].types[0], c, c.in_role)

    def _name_country(self, names) -> str | None:
        for n in names:
            code = _country_in_name(n)
            if code:
                return code
        return None

    def _place_tail(self, si: int, key: str, text: str) -> None:
        """ "Sentra Handayani Jakarta", "SMKN 2 Yogyakarta": a city at the end of a site's name."""
        words = text.split()
        for n in (3, 2, 1):
            if len(words) <= n:
                continue
            pl = self.gz.places.get(fold(" ".join(words[-n:])))
            if pl is not None and pl.kind in ("city", "regency", "district"):
                pk = self.lookup(" ".join(words[-n:])) or self.lookup(pl.name)
                if pk is None:
                    pk = self.new_ent("place", " ".join(words[-n:]), ("Place",), si)
                    self.ents[pk].country = pl.country
                    self.ents[pk].place_kind = pl.kind
                if "Facility" in self.ents[key].types:
                    self.add_fact("locatedIn", key, pk, ev=self._ev(si, "located.name"))
                return

    def _resolve_delegation(self, si: int, ci: int, c: Chunk, chunks: list[Chunk]) -> Men | None:
        parts = list(c.parts)
        # "Delegasi dari X", "delegation from X", "delegation of X"
        if not parts:
            nxt = chunks[ci + 1] if ci + 1 < len(chunks) else None
            if nxt is not None:
                gap = fold(self._gap(c.end, nxt.start)).strip()
                if _rx(r"{source_prepositions}(?: {definite_articles})?").fullmatch(gap) and nxt.kind in ("org", "facility", "country", "name"):
                    parts = [nxt]
                    # and a country right after the org: "(DGSI) Prancis"
        sender_keys: list[str] = []
        country = c.country
        for p in parts:
            if p.kind == "country":
                country = country or p.country
                continue
            if p.entity is None and p.kind in ("name", "org"):
                # "the Leiden delegation" after "a delegation from Leiden University": the short
                # form of a sender already named
                pf = fold(p.text).split()
                for dk in self.delegations:
                    hit = next((sk for sk in self.ents[dk].senders
                                if any(fold(n).split()[: len(pf)] == pf for n in self.ents[sk].names)), None)
                    if hit is not None:
                        p.entity = hit
                        p.short_of = True
                        break
            if p.kind == "name":
                p.kind = "org"
                p.types = ("Organization",)
            if p.entity is None and p.kind in ("org", "facility"):
                m = self._resolve_org(si, p, chunks)
                if m is None:
                    continue
            if p.entity:
                sender_keys.append(p.entity)
                if p.possessor is not None and p.possessor.kind == "country":
                    country = country or p.possessor.country
        # a country after the sender's parenthesis: "(DGSI) Prancis"
        if parts:
            last = parts[-1]
            end = last.end
            for x in chunks:
                if x.start > end and x.kind == "country" and _rx(r"\s*(\([^)]*\))?\s*").fullmatch(self._gap(end, x.start)):
                    country = country or x.country
                    break
        # the delegation that matches
        key = None
        for dk in self.delegations:
            d = self.ents[dk]
            if sender_keys and set(sender_keys) & set(d.senders):
                key = dk
                break
            if sender_keys and not d.senders and d.country and any(self.ents[x].country == d.country for x in sender_keys):
                key = dk
                break
            if not sender_keys and country and d.country == country:
                key = dk
                break
        if key is None and not sender_keys and country is None and self.delegations:
            key = self.delegations[-1]
        if key is None and self.delegations and not sender_keys and country is not None:
            # "delegasi Jepang" for a delegation whose sender is Japanese
            for dk in self.delegations:
                if any(self.ents[s].country == country for s in self.ents[dk].senders if s in self.ents):
                    key = dk
        if key is None:
            name = self._deleg_name(c, parts)
            key = self.new_ent("delegation", name, ("Delegation",), si)
            self.delegations.append(key)
            if self.protagonist is None:
                self.protagonist = key
        d = self.ents[key]
        for s in sender_keys:
            if s not in d.senders:
                d.senders.append(s)
                self.sender_ev.setdefault((key, s), si)
        if country:
            self.sender_ev.setdefault((key, "#country"), si)
        if country and d.country is None:
            d.country = country
        if d.country is None:
            for s in d.senders:
                if self.ents[s].country and not self.ents[s].intl:
                    d.country = self.ents[s].country
        full = self._deleg_name(c, parts)
        self.add_alias(key, full)
        if len(c.text.split()) > 1 and not (len(full) > len(c.text) and full.startswith(c.text)
                                            and full[len(c.text):len(c.text) + 1] in ("'", "’")):
            # not "delegation from Japan" cut from "delegation from Japan's Ministry of ..."
            self.add_alias(key, c.text)
        # the short names the reports use: "MLIT delegation", "Delegasi BNPB"
        for sk in sender_keys:
            for n in self.ents[sk].names:
                if n.isupper() and 2 <= len(n) <= 8 and " " not in n:
                    short = self.rules.raw["delegation_name_form"].format(name=n)
                    if fold(short) in self._folded_text():  # only a form the article writes
                        self.add_alias(key, short)
        c.entity = key
        self._touch(key, si, c)
        return Men(c.start, max(c.end, parts[-1].end if parts else c.end), key, "Delegation", c)

    def _folded_text(self) -> str:
        ft = getattr(self, "_ftext", None)
        if ft is None:
            ft = self._ftext = fold(self.text)
        return ft

    def _deleg_name(self, c: Chunk, parts: list[Chunk]) -> str:
        if parts and parts[-1].end > c.end:
            return " ".join(self.text[c.start:parts[-1].end].split())
        return c.text

    def _resolve_name(self, si: int, ci: int, c: Chunk, chunks: list[Chunk]) -> Men | None:
        key = self._org_key_for(c.text)
        if key is not None:
            e = self.ents[key]
            c.entity = key
            self._touch(key, si, c)
            if e.types[0] == "Person":
                pass  # the subject moves on at the end of the sentence
            return Men(c.start, c.end, key, e.types[0], c, c.in_role)
        # a lower-case head word next to the name: "kompleks Singha Durbar", "the Kepatihan complex"
        before = self.text[max(0, c.start - 20): c.start].split()
        after = self.text[c.end: c.end + 20].split()
        after2 = " ".join(after[:2]).strip(",.") if len(after) >= 2 and not after[0].endswith((",", ".")) else ""
        for w, pos in ((before[-1] if before else "", "pre"), (after2, "post"), (after[0].strip(",.") if after else "", "post")):
            hk = f"{fold(w)}\t{pos}"
            if w and w[0].islower() and hk in self.gz.org_heads:
                types = self.gz.org_heads[hk][1]
                name = c.text
                key = self.new_ent("fac" if types[0] == "Facility" else "org", name, types, si)
                full = f"{w} {name}" if pos == "pre" else f"{name} {w}"
                self.add_alias(key, full)
                c.entity = key
                self._touch(key, si, c)
                return Men(c.start, c.end, key, types[0], c)
        # the short name of an organisation already named: "Wageningen" for "Wageningen University & Research"
        if len(c.text.split()) == 1 and c.text[0].isupper():
            f = fold(c.text)
            for ok, oe in self.ents.items():
                if oe.types[0] == "Organization" and len(ow := _fwords(oe.name)) > 1 and ow[0] == f:
                    self.add_alias(ok, c.text)
                    c.entity = ok
                    self._touch(ok, si, c)
                    return Men(c.start, c.end, ok, "Organization", c)
        # an unknown name visited: "melakukan kunjungan ke Kebun Raya Bogor", "toured Kampung Naga"
        prev2 = " ".join(fold(w) for w in before[-2:])
        if len(c.text.split()) >= 2 and _rx(r"(?:^|\s){visit_object_markers}$").search(prev2):
            if _rx(r"(?i)^{place_heads}\s").match(c.text):  # "ke Kota Busan": a place, not a site
                key = self.new_ent("place", c.text, ("Place",), si)
                c.entity, c.kind = key, "place"
                self._touch(key, si, c)
                return Men(c.start, c.end, key, "Place", c)
            key = self.new_ent("fac", c.text, ("Facility",), si)
            c.entity = key
            c.kind = "facility"
            self._touch(key, si, c)
            return Men(c.start, c.end, key, "Facility", c)
        # "... Terminal Purabaya di Sidoarjo": an unknown name after a site and "di"/"in" is its place
        prev = chunks[ci - 1] if ci > 0 else None
        if (prev is not None and prev.entity and "Facility" in self.ents[prev.entity].types
                and fold(self._gap(prev.end, c.start)).strip() in _words("locative_prepositions") and len(c.text.split()) <= 2
                and not any(fold(w) in _non_name_words() for w in c.text.split())):
            key = self.new_ent("place", c.text, ("Place",), si)
            c.entity = key
            c.kind = "place"
            self._touch(key, si, c)
            return Men(c.start, c.end, key, "Place", c)
        # a place named by its position: "in Semanggi, South Jakarta"
        nxt = chunks[ci + 1] if ci + 1 < len(chunks) else None
        prev_word = fold(before[-1]) if before else ""
        if nxt is not None and nxt.kind == "place" and self._gap(c.end, nxt.start).strip() == "," and prev_word in _words("place_prepositions"):
            key = self.new_ent("place", c.text, ("Place",), si)
            self.ents[key].country = nxt.country
            c.entity = key
            c.kind = "place"
            self._touch(key, si, c)
            return Men(c.start, c.end, key, "Place", c)
        if fold(c.text.split()[0]) in _words("street_words") or c.possessor is not None:
            return None
        pkey = self._known_person(c.text, si)
        if pkey is not None or self._person_evidence(si, ci, c, chunks):
            text = c.text
            self._shift_known_domain(c)
            # (the person already found for the name is passed on, unless a word went to the title)
            key = self._person(si, c.text, c, known=pkey if c.text == text else _UNKNOWN)
            return Men(c.start, c.end, key, "Person", c)
        return None

    def _person_evidence(self, si: int, ci: int, c: Chunk, chunks: list[Chunk]) -> bool:
        words = c.text.split()
        toks = self.sent_toks[si]
        first = toks[0].start if toks else -1
        prev = chunks[ci - 1] if ci > 0 else None
        pj = ci - 1
        while pj >= 0 and chunks[pj].in_role:
            pj -= 1
        if pj >= 0 and chunks[pj].kind in ("role", "title_ref") and _rx(r"\s*,\s*").fullmatch(self._strip_hon_tail(self._gap(chunks[ci - 1].end, c.start))):
            return True
        # "Duta Besar RI untuk Malaysia, Hermono,": a role, its domain after a preposition, the name
        rq = next((q for q in range(ci - 1, max(-1, ci - 4), -1) if chunks[q].kind in ("role", "title_ref")), None)
        if rq is not None and _rx(r"\s+{purpose_prepositions+directional_prepositions+locative_prepositions+source_prepositions}\s+[^,.;()]{1,50},\s*").fullmatch(
                                           self._strip_hon_tail(self._gap(chunks[rq].end, c.start))):
            return True
        before = self.text[max(self.doc.sentences[si].start, c.start - 40): c.start]
        after = self.text[c.end: c.end + 40]
        fb = fold(before).rstrip()
        fa = fold(after).lstrip()
        if any(ch.isdigit() for ch in c.text):
            return False
        if prev is not None and prev.kind == "role" and _rx(r"\s*,\s*").fullmatch(self._strip_hon_tail(self._gap(prev.end, c.start))):
            return True
        if _rx(rf"^(?:{_intro_alt()})\b").match(fa):
            return True
        if prev is not None and prev.kind in ("org", "facility") and _rx(r"\s*,\s*").fullmatch(self._gap(prev.end, c.start)):
            # "the head of BPBD NTB, Ahmadi": a title in lower case before the body, then the name
            lm = _rx(r"(\w+)\s+{source_prepositions+locative_prepositions+purpose_prepositions}\s+(?:{definite_articles}\s+)?$").search(
                           self.text[max(self.doc.sentences[si].start, prev.start - 40): prev.start])
            if lm and fold(lm.group(1)) in self.gz.titles:
                return True
        if _rx(r"^,\s*{articles}?\s*\w*").match(fa) and self._starts_with_title(after.lstrip()[1:].lstrip()):
            return True
        speech, before_words = _speech_sets(self.lang)
        nw = _rx(r"^(\w+)").match(fa)
        if nw and nw.group(1) in speech:
            return True
        pw = _last_word(fb)
        if pw is not None and pw in before_words:
            return len(words) >= 1
        # "accompanied by the head of the provincial transport agency, Nyono": a title phrase,
        # a comma, then the name
        if len(words) <= 3 and fb.endswith(",") and not c.text.isupper():
            cand, _ = self._phrase_before_comma(si, c.start)
            if cand and len(cand.split()) <= 14 and cand[:1].islower() and self._starts_with_title(cand):
                return True
        # the last of a list of people, a one-word name: "Retno Marsudi, Zulkifli Hasan dan Hermono"
        last_of_list = (len(words) == 1 and prev is not None and prev.kind == "person" and prev.entity is not None
                        and _rx(r"\s*,?\s*{conjunctions}\s+").fullmatch(self._gap(prev.end, c.start)) is not None
                        and words[0][:1].isupper() and words[0][1:].islower())
        if (len(words) >= 2 or last_of_list) and c.start != first and all(
                w[0].isupper() for w in words if w.isalpha() and fold(w) not in self.lx.name_connectors):
            if any(fold(w) in self.gz.places or fold(w) in self.gz.countries or fold(w) in self.gz.demonyms or w.isupper()
                   or _rx(r"[A-Z]{2}").search(w) or fold(w) in _non_name_words() for w in words):
                return False
            if any(fold(w) in self.lx.org_head_words for w in words):
                return False
            # a bare name needs a neighbour that introduces people: a list, "by", "with", a comma
            prev_w = fb.split()[-1] if fb.split() else ""
            return bool(_rx(r"^[,.;:]|^{conjunctions+speech_verbs_reported}\b").match(fa)) or \
                prev_w == "," or prev_w in _words("name_list_words") \
                or fb.endswith(",")
        return False

    def _phrase_before_comma(self, si: int, pos: int) -> tuple[str | None, int]:
        """The phrase between the previous separator and the comma right before ``pos``
        ("..., accompanied by the head of the transport agency, Nyono": "the head of the
        transport agency"), and where it starts; (None, pos) when no comma ends there."""
        s = self.doc.sentences[si]
        before = self._strip_hon_tail(self.text[s.start: pos])
        end = before.rstrip()  # (what ",\s*$" finds, without a search from every comma)
        if not end.endswith(","):
            return None, pos
        seg = before[: len(end) - 1]
        cut = max((seg.rfind(x) + len(x) for x in (", ", "(", " — ", " – ", " - ", *(f" {w} " for w in _words("title_cut_words")))
                   if x in seg), default=0)
        cand = seg[cut:].strip()
        return cand, s.start + cut + (len(seg[cut:]) - len(seg[cut:].lstrip()))

    def _starts_with_title(self, s: str) -> bool:
        s1 = _rx(r"^{articles+possessive_determiners}\s+", re.I).sub("", s.strip())
        s2 = _rx(r"^[\w&. -]+?['’]s\s+").sub("", s1)  # "the ministry's Deputy ..."
        if s2 != s1 and self._starts_with_title(s1.split("'")[0].split("’")[0] + " x"):
            s2 = s1
        words = [w.strip(",.()") for w in s2.split()[:4]]
        if not words or fold(words[0]) in _words("not_title_start"):
            return False
        for start in (0, 1, 2):
            if start >= len(words) or (start and not all(
                    w[:1].isupper() or fold(w) in _words("title_prefix_modifiers") for w in words[:start])):
                break
            for n in range(min(3, len(words) - start), 0, -1):
                if fold(" ".join(words[start:start + n])) in self.gz.titles:
                    return True
        return False

    def _known_person(self, text: str, si: int) -> str | None:
        f = _fwords(text)
        if not f:
            return None
        key = self.alias.get(" ".join(f))
        if key and self.ents[key].types[0] == "Person":
            return key
        best = None
        weak = None  # a one-word name that is a middle word of a full name: used only when no
        # full name starts or ends with it ("Mohamad" is Mohamad Hasan, not Syed Mohamad Hasrin)
        for pk in reversed(self.person_order):
            e = self.ents[pk]
            toks = _fwords(e.names[0])
            if _words_close(f, toks):
                if len(f) == 1 and len(toks) >= 3 and not (_close(f[0], toks[0]) or _close(f[0], toks[-1])) \
                        and not any(fold(n) == f[0] for n in e.names[1:]):
                    weak = weak or pk
                    continue
                best = pk
                break
            if len(f) >= 2 and f[0] == toks[0] and _close(f[-1], toks[-1]):
                best = pk
                break
            for n in e.names[1:]:
                nt = _fwords(n)
                if len(nt) == len(f) and all(_close(a, b) for a, b in zip(nt, f)):
                    best = pk
                    break
            if best:
                break
        return best or weak

    def _person(self, si: int, text: str, c: Chunk | None, known: str | None | object = _UNKNOWN) -> str:
        """The person named ``text`` (a known one, else a new one); ``known``: what
        :meth:`_known_person` answered for the same name, when the caller asked it already."""
        text = " ".join(text.split())
        key = self._known_person(text, si) if known is _UNKNOWN else known
        if key is None:
            key = self.new_ent("person", text, ("Person",), si)
        else:
            e = self.ents[key]
            if len(text.split()) > len(e.names[0].split()) and fold(e.names[0]) in fold(text):
                e.names.insert(0, text)
                e.folded.add(fold(text))
                self.alias[fold(text)] = key
            else:
                self.add_alias(key, text)
        if c is not None:
            c.entity = key
            c.kind = "person"
            self._touch(key, si, c)
            if c.role is not None:
                self._add_role(key, c.role, si)
        if key in self.person_order:
            self.person_order.remove(key)
        self.person_order.append(key)
        pass  # the subject moves on at the end of the sentence
        return key

    def _strip_hon_tail(self, text: str) -> str:
        """``text`` without the honorifics and ranks that end it (offsets kept: a prefix)."""
        while True:
            # the last three words of the text's last 300 characters (a word cut at that
            # boundary counts from the boundary), found by splitting from the right
            p = max(0, len(text) - 300)
            tail_text = text[p:].rstrip()
            words = tail_text.rsplit(None, 3)[-3:]
            if not words:
                return text
            cut = None
            for n in (3, 2, 1):
                if len(words) >= n:
                    hit = self.lx.table.get(_lex_key(tuple(words[-n:])))
                    if hit and hit[0] in ("HON", "RANK", "DEG"):
                        cut = n
                        break
            if cut is None:
                return text
            text = text[: p + _start_of_last_words(tail_text, cut)]

    def _trim_role(self, val: str) -> str:
        """Drop honorifics and ranks that end a role phrase: "Rector, Prof." -> "Rector"."""
        while True:
            v = val.rstrip(" ,")
            words = v.split()
            cut = False
            for n in (3, 2, 1):
                if len(words) > n:
                    hit = self.lx.table.get(_lex_key(tuple(words[-n:])))
                    if hit and hit[0] in ("HON", "RANK", "DEG"):
                        val = " ".join(words[:-n])
                        cut = True
                        break
            if not cut:
                return v

    def _add_role(self, pkey: str, role: Chunk, si: int, value: str | None = None) -> None:
        val = self._trim_role(value or role.text)
        start = role.possessor.start if role.possessor is not None else role.start
        self.role_spans.setdefault(si, []).append((min(start, role.start), role.end))
        orgs = [o.entity for o in role.orgs if o.entity and self.ents[o.entity].types[0] in ("Organization", "Facility")]
        # "Universitas Gadjah Mada (UGM) Vice Rector ...": the body written right before the title
        if not orgs and si < len(self.sent_chunks):
            before = [c for c in self.sent_chunks[si] if c.end <= role.start and c.kind in ("org", "facility") and c.entity]
            if before and _ADJACENT_GAP.fullmatch(self.text, before[-1].end, role.start):
                orgs.append(before[-1].entity)
        fv = " " + _rx(r"\b{purpose_prepositions+domain_markers}\b.*?(?=\b{genitive_prepositions+locative_prepositions+source_prepositions}\b|$)").sub(" ", fold(val)) + " "
        for al, k in [x for x in self.alias.items() if x[0] in fv]:  # (the aliases in the value: few)
            if al.startswith("~") or len(al) < 3 or k in orgs or self.ents[k].types[0] not in ("Organization", "Facility"):
                continue
            if f" {al} " in fv or f" {al}," in fv:
                if not any(al in fold(n) and al != fold(n) for o in orgs for n in self.ents[o].names):
                    orgs.append(k)
        if role.possessor is not None and role.possessor.entity and self.ents[role.possessor.entity].types[0] in ("Organization", "Facility"):
            orgs.insert(0, role.possessor.entity)
        elif role.possessor is not None and role.possessor.entity and self.ents[role.possessor.entity].types[0] == "Place":
            pn = fold(self.ents[role.possessor.entity].name)
            for ok, oe in self.ents.items():
                if oe.types[0] == "Organization" and any(pn in fold(n) and not _words("government_words").isdisjoint(fold(n).split()) for n in oe.names):
                    orgs.insert(0, ok)
                    break
        self.ents[pkey].role_chunks.append((val, orgs, si))

    def _title_person(self, text: str, si: int) -> str | None:
        """ "Menlu Nepal", "the Ambassador", "Pj Gubernur": the person holding that title."""
        words = text.split()
        exp = []
        for w in words:
            e = self.lx.title_expansions.get(fold(w))
            exp.append(e if e else w)
        want = fold(" ".join(exp))
        wt = [w for w in want.split() if w not in _words("definite_articles", "anaphoric_demonstratives")]
        title_words = [w for w in wt if not (w in self.gz.countries or w in self.gz.places or w.upper() == w)]
        qual = [w for w in wt if w not in title_words]
        order = list(self.person_order)
        if self.last_person in order:
            order.remove(self.last_person)
            order.append(self.last_person)
        for pk in reversed(order):
            e = self.ents[pk]
            for val, orgs, _ in e.role_chunks:
                fv = fold(val)
                if not title_words or not all(re.search(rf"\b{re.escape(t)}\b", fv) for t in title_words):
                    continue
                ok = True
                for q in qual:
                    qk = self.alias.get(q)
                    hit = q in fv.split()
                    if not hit and qk is not None:
                        hit = any(fold(n) in fv for n in self.ents[qk].names) or qk in orgs
                    if not hit:
                        ok = False
                if ok:
                    return pk
        return None

    # ------------------------------------------------------------------ references
    def references(self, si: int) -> list[Men]:
        """Delegation references ("rombongan", "the delegation", "Ketiganya"), title references
        ("the Ambassador", "Menteri itu") and pronouns, resolved."""
        s = self.doc.sentences[si]
        out: list[Men] = []
        taken = [(m.start, m.end) for m in self.sent_mens[si]]
        for r, rxc in (_ref_patterns(self.lang) if self._may_hold(si, _ref_words(self.lang)) else ()):
            for m in rxc.finditer(s.text):
                a, b = s.start + m.start(), s.start + m.end()
                if any(x < b and a < y for x, y in taken):
                    continue
                target = self.protagonist
                if self.delegations:
                    target = self._recent_delegation(si)
                else:
                    # no delegation: "Ketiganya" stands for the last three people named, "the
                    # visitors", "they" for the people last seen acting together
                    listed = self._listed_people(si, a, _group_sizes().get(fold(" ".join(m.group(0).split())), 0))
                    listed = listed or self.last_group
                    if listed:
                        self.groups[(a, b)] = listed
                        target = listed[0]
                if target is None:
                    continue
                if fold(m.group(0)) in _words("plural_pronouns") and not self.delegations and (a, b) not in self.groups:
                    continue
                out.append(Men(a, b, target, "ref"))
                taken.append((a, b))
        # title references in lower case: "the ambassador", "the vice minister", "menteri itu"
        words = self.sent_words[si]
        cands = []
        if words.isdisjoint(_title_words()):
            pass  # no word of any title: no title reference
        elif not words.isdisjoint(_words("definite_articles")):
            cands.extend(_TITLE_REF_EN.finditer(s.text))
        if not words.isdisjoint(_words("anaphoric_demonstratives")) and not words.isdisjoint(_title_words()):
            cands.extend(_TITLE_REF_ID.finditer(s.text))
        for m in cands:
            a, b = s.start + m.start(), s.start + m.end()
            if any(x < b and a < y for x, y in taken):
                continue
            title = m.group(2) or m.group(3)
            if not title:
                continue
            tw = title.split()
            while len(tw) > 1 and fold(tw[-1]) not in self.gz.titles and fold(tw[-1]) not in self.lx.title_expansions:
                tw.pop()
            title = " ".join(tw)
            b = a + len(m.group(0)[: m.group(0).find(title) + len(title)]) if m.group(2) else b
            ft = fold(title)
            if ft not in self.gz.titles and fold(title.split()[-1]) not in self.gz.titles and not any(
                fold(w) in self.gz.titles or fold(w) in self.lx.title_expansions for w in title.split()):
                continue
            tail = self.text[b: min(s.end, b + 90)]
            if _rx(r"^[^,.;]{0,60},\s*(?:{honorific_abbreviations}\.\s*)?[A-Z][\w'’-]+\s+[A-Z]").match(tail):
                continue  # "the Secretary-General of ASEAN, Dr. Sokha Vanna": an apposition
            pk = self._title_person(title, si)
            if pk:
                out.append(Men(a, b, pk, "ref"))
                taken.append((a, b))
        # pronouns at the start of a clause: "Ia", "He", "She"
        if words.isdisjoint(_words("pronouns")) and self.sent_gate[si] is not None:  # (None: a letter folds oddly)
            return out
        for m in _pronoun_re().finditer(s.text):
            a, b = s.start + m.start(1), s.start + m.end(1)
            if self.last_person:
                out.append(Men(a, b, self.last_person, "ref"))
        return out

    def _listed_people(self, si: int, pos: int, n: int) -> list[str] | None:
        """The ``n`` people a counted group word ("Ketiganya", "the three") stands for: the
        last ``n`` people named before it, in this sentence or the two before, when that
        many were named together in one sentence."""
        if n < 2:
            return None
        for sj in range(si, max(-1, si - 3), -1):
            people: list[str] = []
            for m in self.sent_mens[sj] if sj < len(self.sent_mens) else ():
                if m.end <= pos and self.ents[m.key].types[0] == "Person" and m.key not in people:
                    people.append(m.key)
            if len(people) >= n:
                return people[-n:]
        return None

    def _recent_delegation(self, si: int) -> str | None:
        best = None
        for dk in self.delegations:
            if self.ents[dk].last_sent <= si and (best is None or self.ents[dk].last_sent >= self.ents[best].last_sent):
                best = dk
        return best or self.delegations[0]


def _word_start_re(pieces: list[tuple[str, str]], others: str = "") -> re.Pattern[str]:
    """Word-class alternations (:func:`_alternation`) at the start of a word, each with what
    must follow it (``pieces``: (words, regex)), the first letter of each word in either
    case, and then ``others``; one regex, word-bounded like ``\\b(?i:words)``.

    Written so that every branch starts with a plain character (:func:`word_start_branches`).

    >>> rx = _word_start_re([("{infinitive_markers}", r"\\s+(?=[a-z])")], ";")
    >>> [m.group(0) for m in rx.finditer("Ia datang untuk melihat; lalu Untuk Apa, to me")]
    ['untuk ', ';', 'to ']
    """
    alts = []
    for words, follows in pieces:
        tree = _PLACEHOLDER.sub(lambda m: _alternation(_words(*m.group(1).split("+"))), words)
        branches = word_start_branches(tree, follows)
        if branches is None:
            raise ValueError(f"not a word-start alternation: {tree!r}")
        alts += branches
    return re.compile("|".join(alts + ([others] if others else [])))


# where the object of a cue ends: an infinitive ("to visit"), a relative or time clause, ";", a dash
_BOUNDARY_RE = _word_start_re([("{infinitive_markers}", r"\s+(?=[a-z])"), ("{clause_boundary_words}", r"\b")], ";")
_DASH_GAP_RE = re.compile(r"\s[–—]\s")


def _boundary(text: str, start: int, end: int) -> int | None:
    """Where the first boundary of ``_BOUNDARY_RE`` or ``_DASH_GAP_RE`` in
    ``text[start:end]`` starts (the dashes are rare: looked for only where one is)."""
    m = _BOUNDARY_RE.search(text, start, end)
    at = m.start() if m else None
    if text.find("–", start, end) >= 0 or text.find("—", start, end) >= 0:
        d = _DASH_GAP_RE.search(text, start, end)
        if d and (at is None or d.start() < at):
            at = d.start()
    return at


_PLACE_PREP_RE = _rx(r"\s{locative_prepositions}\s+(?:{definite_articles}\s+)?[a-z]")


@dataclass
class Cue:
    kind: str
    rule: str
    start: int
    end: int


class Relations(Extractor):
    """The relation pass (pass 2), run sentence by sentence after entity resolution."""

    def run(self) -> None:
        self.prepare()
        for si, chunks in enumerate(self.sent_chunks):
            self._pair_parens(si, chunks)
            self._pair_aka(si, chunks)
        self.running: date | None = None
        self.objects_of: set[str] = set()
        self.fact_keys: set[tuple] = set()
        for si, chunks in enumerate(self.sent_chunks):
            mens: list[Men] = []
            for ci, c in enumerate(chunks):
                m = self._resolve_chunk(si, ci, c, chunks)
                if m is not None:
                    mens.append(m)
            self.sent_mens.append(mens)
            self._appositions(si, chunks)
            refs = self.references(si)
            allm = sorted(mens + refs, key=lambda m: (m.start, -m.end))
            self._sentence(si, allm)
            self._composites(si, chunks)
            self._unit_of(si, chunks)
        self._continued_quotes()
        self.finalize()

    # -------------------------------------------------------------- appositions and roles
    def _appositions(self, si: int, chunks: list[Chunk]) -> None:
        s = self.doc.sentences[si]
        for ci, c in enumerate(chunks):
            if c.kind != "person" or not c.entity:
                continue
            prev = chunks[ci - 1] if ci > 0 else None
            # "Role of Org, Name" / "Org's Role, Name"
            if prev is not None and prev.kind in ("role",) and _rx(r"\s*,\s*").fullmatch(self._gap(prev.end, c.start)) and c.role is None \
                    and not self._role_after_name(chunks, ci - 1):
                self._add_role(c.entity, prev, si)
                c.role = prev
                continue
            # "Role ... to Mexico, Name": a role chunk earlier in the clause, no comma in between
            if c.role is None:
                for pj in range(ci - 1, -1, -1):
                    p = chunks[pj]
                    if p.kind in ("role", "title_ref") and self.text[:p.start].rstrip().endswith("("):
                        continue
                    if p.kind in ("role", "title_ref") and self._role_after_name(chunks, pj):
                        break
                    if p.kind in ("role", "title_ref"):
                        gap = self._strip_hon_tail(self._gap(p.end, c.start))
                        gap_np = _rx(r"\([^)]*\)").sub("", gap)
                        if (gap_np.count(",") == 1 and gap_np.rstrip().endswith(",") and len(gap) < 80) or (
                                not gap_np.strip() and "(" in gap) or (
                                _rx(r"\s+{purpose_prepositions+directional_prepositions}\s+\S+(?:\s+\S+)?\s+").fullmatch(gap_np) and any(
                                    x.kind in ("country", "place") and x.in_role for x in chunks[pj + 1: ci])):
                            start = p.start
                            q = pj - 1
                            while q >= 1 and _rx(r"\s*\([^)]*\)\s*").fullmatch(self._gap(chunks[q].end, start)) is None \
                                    and chunks[q].kind == "alias_of" and q >= 1:
                                q -= 1
                            prevc = chunks[pj - 2] if pj >= 2 else None
                            if prevc is not None and prevc.kind in ("role", "title_ref") and re.fullmatch(
                                    r"\s*\([^)]*\)\s*", self._gap(prevc.end, p.start)):
                                start = prevc.start
                            val = self._strip_hon_tail(self.text[start: c.start]).rstrip().rstrip(",")
                            rc = Chunk("role", start, start + len(val), val, si)
                            rc.orgs = p.orgs + [x for x in chunks[pj + 1: ci] if x.kind in ("org", "facility")]
                            rc.possessor = p.possessor
                            self._add_role(c.entity, rc, si)
                            c.role = rc
                        break
                    if p.kind in ("person", "delegation"):
                        break
            if c.role is None and prev is not None and prev.kind == "alias_of" and self._gap(prev.end, c.start).strip() == ")":
                owner = prev.parts[0] if prev.parts else None
                rc = next((x for x in chunks if x.kind == "role" and owner is not None and x.end == owner.end), None)
                if rc is not None:
                    self._add_role(c.entity, rc, si)
                    c.role = rc
                    continue
            # lower-case role between an organisation and the name: "Polda Metro Jaya chief Insp. Gen. Harun"
            if (c.role is None and prev is not None and prev.entity
                    and self.ents[prev.entity].types[0] in ("Organization", "Facility")):
                gap = self._strip_hon_tail(self._gap(prev.end, c.start))
                g2 = gap.strip().lstrip("'’s").strip().rstrip(",").strip()
                if g2 and len(g2.split()) <= 4 and g2[0].islower() and self._starts_with_title(g2):
                    val = (self.text[prev.start:prev.end] + " " + g2) if not gap.startswith(("'", "’")) else g2
                    rc = Chunk("role", prev.start, c.start, val, si)
                    rc.orgs = [prev]
                    self._add_role(c.entity, rc, si)
                    c.role = rc
                    continue
            # "the school's principal, Sri", "head of PMI's disaster management division, Yogi"
            if c.role is None and not any(x.kind == "sebagai" and x.end <= c.start and c.start - x.end < 40 for x in chunks):
                cand, cand_start = self._phrase_before_comma(si, c.start)
                if cand is not None:
                    if cand and len(cand.split()) <= 14 and self._starts_with_title(cand) and not any(
                            x.kind in ("person",) and cand_start <= x.start < c.start for x in chunks) and not any(
                            # "A, UNDP's Specialist, B, ...": the title belongs to the name before it
                            x.kind in ("person", "name") and x.end <= cand_start
                            and _rx(r"\s*,\s*").fullmatch(self._gap(x.end, cand_start)) for x in chunks):
                        val = _rx(r"^{articles}\s+", re.I).sub("", cand)
                        rc = Chunk("role", cand_start, cand_start + len(cand), val, si)
                        if _rx(r"(?i)^{possessive_determiners}\s+").match(val):
                            val = _rx(r"(?i)^{possessive_determiners}\s+").sub("", val)
                            rc.text = val
                            own = [x for x in chunks if x.end <= cand_start and x.entity and x.kind in ("org", "facility")]
                            if own:
                                rc.orgs.append(own[-1])
                        pm = _rx(r"^([\w&. -]+?)['’]s\s+").match(val)
                        if pm and self._starts_with_title(pm.group(1)):
                            pm = None  # "head of PMI's division": the possessive is inside the title
                        if pm:
                            owner = self._definite(pm.group(1), si)
                            if owner:
                                rc.orgs.append(Chunk("org", cand_start, cand_start, pm.group(1), si, entity=owner))
                            rc.text = val[pm.end():]
                        rc.orgs += [x for x in chunks if cand_start <= x.start < c.start and x.kind in ("org", "facility") and x.entity]
                        self._add_role(c.entity, rc, si)
                        c.role = rc
                        continue
            # "Name, the ministry's Deputy Director-General for X," / "Name, head of the Agency (ACR)"
            after = self.text[c.end: s.end]
            m = _rx(r"\s*,\s*(?!\s*{apposition_non_starters}\b)([^,;“”\"]+?)(?=,|\.\s*$|\s+{apposition_enders}\b|$)").match(after)
            if c.role is None and m and self._starts_with_title(m.group(1)) and not (
                    self.ents[c.entity].role_chunks and _rx(r"(?i)\s*{articles}\s").match(m.group(1))):
                val = m.group(1).strip()
                val = _rx(r"^{articles}\s+", re.I).sub("", val)
                a = c.end + m.start(1)
                b = c.end + m.end(1)
                rc = Chunk("role", a, b, val, si)
                pm = _rx(r"^([\w&. -]+?)['’]s\s+").match(val)
                if pm:
                    owner = self._definite(pm.group(1), si)
                    if owner:
                        rc.orgs.append(Chunk("org", a, a, pm.group(1), si, entity=owner))
                    val = val[pm.end():]
                    rc.text = val
                rc.orgs += [x for x in chunks if a <= x.start < b and x.kind in ("org", "facility") and x.entity]
                # "at Kemendikbudristek", "of the Agency" inside the value are the organisation
                self._add_role(c.entity, rc, si)
                c.role = rc

    def _role_after_name(self, chunks: list[Chunk], ri: int) -> bool:
        """Is the role chunk at ``ri`` in apposition to a name before it ("A, UNDP's Specialist, B")?"""
        r = chunks[ri]
        start = r.possessor.start if r.possessor is not None else r.start
        q = ri - 1
        while q >= 0 and chunks[q].end > start:
            q -= 1
        if q < 0 or chunks[q].kind not in ("person", "name"):
            return False
        return _rx(r"\s*,\s*(?:{articles}\s+)?").fullmatch(self._gap(chunks[q].end, start)) is not None

    def _definite(self, phrase: str, si: int) -> str | None:
        """ "the ministry", "the school", "GIZ": the organisation a possessor names."""
        p = _rx(r"^{definite_articles+possessive_determiners}\s+", re.I).sub("", phrase.strip())
        key = self._org_key_for(p)
        if key:
            return key
        head = fold(p.split()[-1]) if p.split() else ""
        best = None
        for k, e in self.ents.items():
            if e.types[0] in ("Organization", "Facility") and e.first_sent <= si:
                if any(head in fold(n).split() for n in e.names):
                    if best is None or e.last_sent >= self.ents[best].last_sent:
                        best = k
        return best

    # -------------------------------------------------------------- composites: partOf, locatedIn
    def _composites(self, si: int, chunks: list[Chunk]) -> None:
        ev = self._ev(si, "partof.composite")
        for c in chunks:
            if c.entity and c.parts and c.kind in ("org", "facility"):
                for p in c.parts:
                    if p.entity and p.entity != c.entity and self.ents[p.entity].types[0] in ("Organization", "Facility"):
                        self.add_fact("partOf", c.entity, p.entity, ev=ev)
        ents = [c for c in chunks if c.entity and c.kind in ("org", "facility", "place", "name", "person", "country")]
        partset = {id(p) for c in ents for p in c.parts}
        ents = [c for c in ents if id(c) not in partset or c.kind in ("place", "country")]
        for i, c in enumerate(ents):
            if c.kind == "person" or self.ents[c.entity].types[0] == "Person":
                continue
            e = self.ents[c.entity]
            # "X di/in/at Place[, Place]", "X, Place", "X on the Y campus in Place"
            if e.types[0] in ("Place",) or "Facility" in e.types or self._sited(e):
                self._locate_chain(si, c, ents, i)
            # "X of <Country>": "Wageningen University & Research (WUR) of the Netherlands"
            nxt = ents[i + 1] if i + 1 < len(ents) else None
            if (nxt is not None and nxt.kind == "country" and i + 2 < len(ents) and ents[i + 2].possessor is nxt
                    and fold(self._gap(c.end, nxt.start)).strip() in _words("locative_prepositions", "genitive_prepositions")):
                nxt = ents[i + 2]  # "the Directorate General ... at Indonesia's Ministry of Education"
            # "Pemerintah Provinsi Fujian, Tiongkok, ...": the country written after a body is its own
            if (nxt is not None and nxt.kind == "country" and e.types[0] == "Organization" and e.country is None
                    and not e.intl and self._gap(c.end, nxt.start).strip() == ","
                    and self.text[nxt.end: nxt.end + 1] in (",", ".", ")", ";", "")):
                e.country = self.ents[nxt.entity].country
            if nxt is not None and e.types[0] in ("Organization", "Facility"):
                gap = _rx(r"\([^)]*\)").sub("", fold(self._gap(c.end, nxt.start))).strip()
                if nxt.possessor is not None and nxt.possessor.end <= nxt.start:
                    gap = _rx(r"\([^)]*\)").sub("", fold(self._gap(c.end, nxt.possessor.start))).strip()
                if _rx(r"{genitive_prepositions}(?: {definite_articles})?").fullmatch(gap) and self.ents[nxt.entity].types[0] == "Country":
                    self.add_fact("locatedIn", c.entity, nxt.entity, ev=self._ev(si, "located.of_country"))
                    e.country = e.country or self.ents[nxt.entity].country
                if _rx(r"{genitive_prepositions+locative_prepositions}(?: {definite_articles})?").fullmatch(gap) and self.ents[nxt.entity].types[0] == "Organization" and self._is_unit(e):
                    self.add_fact("partOf", c.entity, nxt.entity, ev=self._ev(si, "partof.of"))

    _LOC_GAP = _rx(r"^(?:,|,?\s*{locative_prepositions}|{locative_prepositions} {street_words} [^,]+,)$")

    def _locate_chain(self, si: int, c: Chunk, ents: list[Chunk], i: int) -> None:
        chunks = self.sent_chunks[si]
        cur_end = max([c.end] + [p.end for p in c.parts] + [x.end for x in chunks if x.kind == "alias_of" and any(p is c for p in x.parts)])
        src = c.entity
        first_place = None
        for nx in ents[i + 1:]:
            if nx.start < cur_end:
                continue
            gap = fold(self._gap(cur_end, nx.start))
            gap = _rx(r"\([^)]*\)").sub(" ", gap).replace("(", " ").replace(")", " ")
            gap = _rx(r"\b{additive_adverbs}\b").sub(" ", gap)
            gap = " ".join(gap.split())
            t = self.ents[nx.entity].types[0]
            if t == "Facility" or "Facility" in self.ents[nx.entity].types:
                if _rx(r"{locative_prepositions}(?: {definite_articles})?").fullmatch(gap):
                    cur_end = nx.end
                    # "... on the Dramaga campus in Bogor": the site word goes with the facility
                    m = _rx(r"\s+[a-z]+(?=\s+{locative_prepositions}\b)").match(self.text[cur_end: cur_end + 20])
                    if m:
                        cur_end += m.end()
                    continue
                break
            if t not in ("Place", "Country") or not self._LOC_GAP.match(gap):
                break
            if first_place is None:
                self.add_fact("locatedIn", src, nx.entity, ev=self._ev(si, "located.adjacent"))
                first_place = nx.entity
            else:
                prev = self.ents[first_place]
                rank = {"district": 1, "place": 1, "city": 2, "regency": 2, "island": 2, "state": 3, "province": 3, "region": 5}
                pr = rank.get(prev.place_kind or "district", 1)
                nr = rank.get(self.ents[nx.entity].place_kind or "city", 2) if t == "Place" else 4
                if pr >= nr:
                    break
                self.add_fact("locatedIn", first_place, nx.entity, ev=self._ev(si, "located.adjacent"))
                if pr == 1 and self.ents[src].types[0] != "Place":
                    self.add_fact("locatedIn", src, nx.entity, ev=self._ev(si, "located.adjacent"))
                first_place = nx.entity
            cur_end = nx.end

    def _unit_of(self, si: int, chunks: list[Chunk]) -> None:
        for c in chunks:
            if c.kind not in ("org", "facility") or not c.entity:
                continue
            m = _rx(r"^(.+?)\s+{genitive_prepositions}\s+(?:{definite_articles}\s+)?(.+)$").match(c.text)
            if not m:
                continue
            k = self.lookup(m.group(2))
            if k and k != c.entity and self.ents[k].types[0] == "Organization" and self._is_unit(self.ents[c.entity]):
                self.add_fact("partOf", c.entity, k, ev=self._ev(si, "partof.of"))

    def _sited(self, e: Ent) -> bool:
        return _names_mission(e.name)

    def _is_unit(self, e: Ent) -> bool:
        n = fold(e.name).split()
        return bool(n) and (n[0] in _words("unit_first_words") or "Facility" in e.types
                            or not _words("unit_words").isdisjoint(n))

    # -------------------------------------------------------------- facts
    def _ev(self, si: int, rule: str) -> Evidence:
        ev = self._evs.get((si, rule))  # made once: the same evidence backs many candidate facts
        if ev is None:
            s = self.doc.sentences[si]
            ev = self._evs[(si, rule)] = Evidence(s.start, s.end, s.text, rule)
        return ev

    def add_fact(self, rel: str, subj: str, obj: str | None = None, *, value: str | None = None,
                 when: date | None = None, org: str | None = None, planned: bool = False,
                 ev: Evidence | None = None) -> None:
        if subj is None or (obj is not None and obj == subj):
            return
        if rel == "partOf" and self.ents[subj].intl:
            return  # an international body is no unit of anything national ("Kerja Sama ASEAN Kemlu")
        k = (rel, subj, obj, fold(value) if value else None, when if rel in ("visited", "metWith") else None, planned)
        if k in self.fact_keys:
            return
        self.fact_keys.add(k)
        until = self.date_until.get(when) if rel == "visited" and when is not None else None
        self.facts.append(Fact(rel, subj, obj, value, when, until, org, planned, (ev,) if ev else ()))

    def _cues(self, si: int) -> list[Cue]:
        """Cue matches of the sentence outside quotes, longest first where they overlap."""
        s = self.doc.sentences[si]
        pats = _cue_patterns(self.lang)
        words = self.sent_words[si]
        anchors = _cue_anchors(self.lang)[0]
        hit = words & anchors
        if not hit:
            return []
        found = []
        needs = _cue_needs(self.lang)
        low = self.sent_low[si] if self.sent_gate[si] is not None else None
        for pi in _cue_order(self.lang, hit):
            p = pats[pi]
            need = needs[pi]
            if need is not None and low is not None and not _holds_any(low, need):
                continue  # (what :meth:`_may_match` tests, without the calls)
            for m in p.regex.finditer(s.text):
                if not m.group(0).strip():
                    continue
                a, b = s.start + m.start(), s.start + m.end()
                a += len(m.group(0)) - len(m.group(0).lstrip())
                if any(qa <= a < qb for qa, qb in self.quotes[si]):
                    continue
                found.append(Cue(p.kind, p.id, a, b))
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        out: list[Cue] = []
        for c in found:
            if out and c.start < out[-1].end:
                continue
            out.append(c)
        return out

    def _date_at(self, si: int, pos: int, limit: int) -> date | None:
        s = self.doc.sentences[si]
        best = None
        cands = []
        for d in self.sent_dates[si]:
            if self._received(s.text, d):
                continue
            v = d.value
            if d.kind == "weekday":
                v = resolve_weekday(d.weekday, self.running, self.anchor)
            if v is None:
                continue
            cands.append((s.start + d.start, v))
        after = [(p, v) for p, v in cands if pos <= p < limit]
        before = [(p, v) for p, v in cands if p < pos]
        if after:
            best = after[0][1]
        elif before:
            best = before[-1][1]
        return best

    def _sentence_date(self, si: int) -> date | None:
        """Relative phrases ("keesokan harinya", "the following day") against the story date."""
        s = self.doc.sentences[si]
        if not self.rules.has_phrase(self.sent_words[si], self.rules.relative_phrases):
            return None
        m = self.rules.relative_re.search(s.text) if self.rules.relative_re else None
        if m:
            for r in self.rules.relative_days:
                if fold(r["phrase"]) == fold(m.group(0)):
                    base = self.anchor if r.get("anchor") == "published" else (self.running or self.first_event)
                    if base is not None:
                        return base + timedelta(days=int(r["days"]))
        return None

    def _visit_gap(self, cue: Cue, m: Men) -> str:
        """The words between a cue and a mention, titles of the mention's person left out."""
        start = m.chunk.role.start if m.chunk is not None and m.chunk.role is not None else m.start
        return self.text[cue.end:start] if start >= cue.end else ""

    def _venue(self, si: int, mens: list[Men], cue: Cue, end: int, visitor: str, **kw) -> None:
        """A site named with "di"/"at"/"in" after a hosting cue, in the same clause or past a
        relative clause ("menerima delegasi ... yang dipimpin X di Gedung Y"): the visitor was there."""
        s = self.doc.sentences[si]
        for o in mens:
            if cue.end <= o.start < end and "Facility" in self.ents[o.key].types and not o.in_role and o.key != visitor:
                pre = [w for w in fold(self.text[max(s.start, o.start - 10): o.start]).split() if w not in _words("definite_articles")]
                if pre and pre[-1] in _words("locative_prepositions"):
                    self.add_fact("visited", visitor, o.key, **kw)

    def _in_vague_window(self, phrase: str) -> bool:
        """Does the story's first event date fall in the stretch a vague phrase names, counted
        back from publication ("last week": 1-14 days before)?"""
        if self.first_event is None or self.anchor is None:
            return False
        window = _vague_windows().get(" ".join(fold(phrase).split()))
        if window is None:
            return True
        ago = (self.anchor - self.first_event).days
        return window[0] <= ago <= window[1]

    def _sentence(self, si: int, mens: list[Men]) -> None:
        s = self.doc.sentences[si]
        cues = self._cues(si)
        rel_date = self._sentence_date(si)
        vm = self.rules.vague_re.search(s.text) if self.rules.vague_re and self.rules.has_phrase(
            self.sent_words[si], self.rules.vague_phrases) else None
        vague = vm is not None
        # "last week": the story's own event date when it falls in that stretch, else no date
        vague_event = self.first_event if vm is not None and self._in_vague_window(vm.group(0)) else None
        explicit = [d for d in self.sent_dates[si] if not self._received(s.text, d) and (d.value or d.kind in ("weekday", "month"))]
        host_objs: list[str] = []
        taken_objs: list[str] = []
        consumed: set[int] = set()
        rspans = self.role_spans.get(si, [])
        # the chunks that are parts of a resolved body are not objects of their own
        part_ids = {id(p) for c in self.sent_chunks[si] for p in c.parts if c.kind in ("org", "facility", "delegation") and c.entity} \
            if cues else set()
        for ci, cue in enumerate(cues):
            nxt = cues[ci + 1].start if ci + 1 < len(cues) else s.end
            venue_end = next((c.start for c in cues[ci + 1:] if c.kind in _EVENT_CUES), s.end)
            bm = _boundary(self.text, cue.end, nxt)
            limit = nxt if bm is None else bm
            if cue.kind not in ("visit", "visit_noun", "meet", "visit_received"):
                pm = _PLACE_PREP_RE.search(self.text, cue.end, limit)
                limit = pm.start() if pm else limit
            objs = [m for m in mens if cue.end <= m.start < limit and not m.in_role and id(m.chunk) not in part_ids
                    and not (self.ents[m.key].types[0] in ("Organization", "Facility", "Place", "Country")
                             and any(x <= m.start < y for x, y in rspans))
                    and not self._attribution(m)]
            when = self._date_at(si, cue.start, nxt)
            if when is None:
                when = rel_date
            if when is None and not explicit:
                when = None if vague else self.running
            if when is None and not any(d.kind == "month" for d in explicit):
                when = vague_event if vague else self.first_event
            planned = self._planned(si, cue)
            subj = self._subject(si, mens, cue, host_objs + taken_objs)
            # "Ketiganya mengunjungi ...", "A, B and C visited ...": each of them
            everyone = self._group_at(mens, cue, subj) or self._coordinated(si, mens, cue, subj) or [subj]
            if len(everyone) > 1:
                self.last_group = everyone
            ev = self._ev(si, cue.rule)
            k = cue.kind
            if k == "visit":
                if subj is None:
                    continue
                for o in objs:
                    t = self.ents[o.key].types[0]
                    if o.key == subj or o.key in self.ents[subj].senders:
                        continue
                    if t == "Person" or o.kind == "ref" and self.ents[o.key].types[0] == "Person":
                        self._add_each(everyone, "metWith", o.key, when=when, planned=planned, ev=ev)
                    elif t in ("Facility", "Place", "Country", "Organization"):
                        self._add_each(everyone, "visited", o.key, when=when, planned=planned, ev=ev)
            elif k == "visit_noun":
                # "Kunjungan Duta Besar X ke Kantor Gubernur ...": the visitor right after the noun
                after = next((m for m in objs if self.ents[m.key].types[0] in _AGENT_TYPES), None)
                if after is not None and self._agent_before(si, mens, cue) is None and _rx(
                        r"^\s*(?:{source_prepositions}\s+)?$").match(self._visit_gap(cue, after)):
                    subj, everyone = after.key, [after.key]
                    if self.protagonist is None:
                        self.protagonist = subj
                if subj is None:
                    continue
                for o in objs:
                    pre = fold(self.text[max(s.start, o.start - 5): o.start]).split()
                    if not pre or pre[-1] not in _words("directional_prepositions", "locative_prepositions"):
                        continue
                    t = self.ents[o.key].types[0]
                    if o.key != subj and t in ("Facility", "Place", "Country", "Organization"):
                        self._add_each(everyone, "visited", o.key, when=when, planned=planned, ev=ev)
            elif k == "visit_received":
                # "UGM Vice Rector X received a delegation": the person hosts, the body is visited
                host = self._agent_before(si, mens, cue, types=("Organization", "Facility", "Person"))
                person_host = self._agent_before(si, mens, cue, types=("Person",))
                host_body = None
                if host is not None and person_host is not None and host != person_host:
                    host_body, host = host, person_host
                visitor = next((m.key for m in objs if self.ents[m.key].types[0] == "Delegation"), None)
                if visitor is None:
                    visitor = next((m.key for m in objs if self.ents[m.key].types[0] == "Person" and m.key != host), None)
                    if visitor is not None and host is not None and self.ents[host].types[0] == "Person":
                        self.add_fact("metWith", visitor, host, when=when, planned=planned, ev=ev)
                visitor = visitor or self.protagonist
                if host is None or visitor is None:
                    continue
                if self.protagonist is None:
                    self.protagonist = visitor
                for body in (host, host_body):
                    if body is not None and self.ents[body].types[0] in ("Organization", "Facility"):
                        self.add_fact("visited", visitor, body, when=when, planned=planned, ev=ev)
                self.add_fact("hostedBy", visitor, host, ev=ev)
                for o in objs:
                    if self.ents[o.key].types[0] in ("Facility", "Place") and o.key != visitor:
                        self.add_fact("visited", visitor, o.key, when=when, planned=planned, ev=ev)
                self._venue(si, mens, cue, venue_end, visitor, when=when, planned=planned, ev=ev)
            elif k == "meet":
                if subj is None:
                    continue
                for o in objs:
                    t = self.ents[o.key].types[0]
                    if o.key == subj:
                        continue
                    pre = fold(self.text[max(s.start, o.start - 25): o.start])
                    if t == "Organization" and self._names_an_event(o):
                        continue  # "di sela KTT ASEAN", "the ASEAN Summit": an event, not a party met
                    at_place = _rx(r"\b{locative_prepositions}(?:\s+{site_nouns_before_name})?\s*$").search(pre)
                    if t in ("Person", "Organization", "Delegation") and not (at_place and t == "Organization"):
                        self._add_each(everyone, "metWith", o.key, when=when, planned=planned, ev=ev)
                    elif t in ("Facility", "Place", "Organization"):
                        self._add_each(everyone, "visited", o.key, when=when, planned=planned, ev=ev)
            elif k == "host_passive":
                if subj is None:
                    continue
                persons = [o.key for o in objs if self.ents[o.key].types[0] == "Person"]
                targets = persons or [o.key for o in objs if self.ents[o.key].types[0] in ("Organization",)][:1]
                for t in targets:
                    self._add_each(everyone, "hostedBy", t, ev=ev)
                host_objs = persons
                for o in objs:
                    if "Facility" in self.ents[o.key].types and o.key not in targets:
                        self._add_each(everyone, "visited", o.key, when=when, planned=planned, ev=ev)
                for v in everyone:  # "was welcomed by X at the Bogor Palace"
                    self._venue(si, mens, cue, venue_end, v, when=when, planned=planned, ev=ev)
            elif k == "host_active":
                visitor = next((m.key for m in objs if self.ents[m.key].types[0] == "Delegation"
                                or (m.kind == "ref" and self.ents[m.key].types[0] == "Delegation")), None)
                host = self._agent_before(si, mens, cue, types=("Person",))
                if visitor is None and host is not None:
                    # "the minister received her Thai counterpart, Don Pramudwinai, at ..."
                    visitor = next((m.key for m in objs if self.ents[m.key].types[0] == "Person" and m.key != host), None)
                    if visitor is not None:
                        self.add_fact("metWith", visitor, host, when=when, planned=planned, ev=ev)
                        if self.protagonist is None:
                            self.protagonist = visitor
                if visitor and host and host != visitor:
                    self.add_fact("hostedBy", visitor, host, ev=ev)
                    self._venue(si, mens, cue, venue_end, visitor, when=when, planned=planned, ev=ev)
            elif k == "invite":
                visitor = subj if subj and self.ents[subj].types[0] in _AGENT_TYPES else self.protagonist
                if visitor is None:
                    continue
                for o in objs:
                    if self.ents[o.key].types[0] in ("Organization", "Person") and o.key != visitor:
                        self.add_fact("hostedBy", visitor, o.key, ev=ev)
            elif k == "accompany_passive":
                who = host_objs[0] if host_objs else subj
                if who is None:
                    continue
                deleg = self.protagonist if self.protagonist and self.ents[self.protagonist].types[0] == "Delegation" else None
                as_members = deleg is not None and who in self.members.get(deleg, [])
                for o in objs:
                    t = self.ents[o.key].types[0]
                    if o.key == who or t not in ("Person", "Organization", "Delegation"):
                        continue
                    if as_members and t == "Person":
                        self._member(deleg, o.key, si, cue.rule)
                    else:
                        self.add_fact("accompaniedBy", who, o.key, ev=ev)
            elif k == "accompany_active":
                helper = self._agent_before(si, mens, cue, types=("Person", "Organization"))
                target = next((m.key for m in objs if self.ents[m.key].types[0] in ("Delegation",)), None)
                if target is None:
                    tail = fold(self.text[cue.end: cue.end + 30])
                    if _rx(r"\s*(?:{definite_articles}\s+)?{visiting_party_words}").match(tail):
                        target = self._recent_delegation(si) if self.delegations else self.protagonist
                if helper and target and helper != target:
                    self.add_fact("accompaniedBy", target, helper, ev=ev)
            elif k == "represent":
                person = None
                for m in mens:
                    if m.end <= cue.start and self.ents[m.key].types[0] == "Person":
                        person = m.key
                if person is None:
                    person = next((m.key for m in mens if m.start >= cue.end and self.ents[m.key].types[0] == "Person"), None)
                target = self._represented(si, cue, limit)
                if person and target:
                    self.add_fact("represents", person, target, ev=ev)
            elif k == "lead":
                deleg = subj if subj and self.ents[subj].types[0] == "Delegation" else (
                    self._recent_delegation(si) if self.delegations else None)
                leader = next((o.key for o in objs if self.ents[o.key].types[0] == "Person"), None)
                if leader is None:
                    leader = next((m.key for m in mens if m.start >= cue.end and self.ents[m.key].types[0] == "Person"), None)
                if deleg and leader:
                    self._member(deleg, leader, si, cue.rule)
            elif k == "members":
                deleg = self._recent_delegation(si) if self.delegations else None
                if deleg is None:
                    continue
                for m in mens:  # up to the next cue: "..., which included A and B, was received by C"
                    if cue.end <= m.start < nxt and self.ents[m.key].types[0] == "Person" and m.kind != "ref":
                        self._member(deleg, m.key, si, cue.rule)
            elif k == "part_of":
                left = [m for m in mens if m.end <= cue.start and self.ents[m.key].types[0] in ("Organization", "Facility")]
                right = [m for m in mens if m.start >= cue.end and self.ents[m.key].types[0] == "Organization"]
                if left and right:
                    self.add_fact("partOf", left[-1].key, right[0].key, ev=ev)
            consumed.add(ci)
            if k in ("lead", "members", "meet", "visit", "host_passive", "accompany_passive", "invite"):
                taken_objs.extend(o.key for o in objs if self.ents[o.key].types[0] == "Person")
        self._owned_sites(si, mens, cues)
        self._roles_from_sebagai(si, mens)
        self._said(si, mens)
        # the story date moves on
        vals = [d for d in self.sent_dates[si] if not self._received(s.text, d)]
        for d in vals:
            v = d.value if d.kind != "weekday" else resolve_weekday(d.weekday, self.running, self.anchor)
            if v is not None:
                self.running = v
        if not vals and rel_date is not None:
            self.running = rel_date
        # the subject of this sentence is who "ia"/"he" points to next
        for m in mens:
            if self.ents[m.key].types[0] == "Person" and not any(qa <= m.start < qb for qa, qb in self.quotes[si]):
                self.last_person = m.key
                break

    _SITE_RE = _rx(r"\b{locative_prepositions}\s+(?:{definite_articles}\s+)?([\w&.-]+(?:\s+[\w&.-]+){0,3}?)['’]s\s+(?:[a-z]+\s+)?"
                   r"{site_nouns_after_name}\b(?:\s+{locative_prepositions}\s+)?")

    def _owned_sites(self, si: int, mens: list[Men], cues: list[Cue]) -> None:
        s = self.doc.sentences[si]
        for m in (self._SITE_RE.finditer(s.text) if "'" in s.text or "’" in s.text else ()):  # "X's office"
            a = s.start + m.start()
            if any(qa <= a < qb for qa, qb in self.quotes[si]):
                continue
            cue = next((c for c in reversed(cues) if c.end <= a and c.kind in ("visit", "meet", "host_passive")), None)
            if cue is None:
                continue
            owner = self._definite(m.group(1), si)
            if owner is None or self.ents[owner].types[0] not in ("Organization", "Facility"):
                continue
            subj = self._subject(si, mens, cue, [])
            if subj is None or subj == owner:
                continue
            when = self._date_at(si, cue.start, s.end) or self.running or self.first_event
            self.add_fact("visited", subj, owner, when=when, planned=self._planned(si, cue), ev=self._ev(si, "visit.owned_site"))
            after = next((x for x in mens if x.start >= s.start + m.end() and x.start <= s.start + m.end() + 2), None)
            if after is not None and self.ents[after.key].types[0] == "Place" and m.group(0).rstrip().endswith("in"):
                self.add_fact("locatedIn", owner, after.key, ev=self._ev(si, "located.owned_site"))

    def _planned(self, si: int, cue: Cue) -> bool:
        s = self.doc.sentences[si]
        seg = self.text[s.start: cue.end]  # the cue may carry the plan word: "will visit"
        if not self.rules.plan_re or self.sent_words[si].isdisjoint(self.rules.plan_anchors):
            return False
        for m in self.rules.plan_re.finditer(seg):
            pos = s.start + m.start()
            if any(qa <= pos < qb for qa, qb in self.quotes[si]):
                continue
            after = fold(self.text[s.start + m.end(): s.start + m.end() + 8])
            if any((fold(m.group(0)) + after).startswith(x) for x in _words("non_plan_phrases")):
                continue
            return True
        return False

    def _agent_before(self, si: int, mens: list[Men], cue: Cue, types=_AGENT_TYPES,
                      exclude: frozenset[str] = frozenset()) -> str | None:
        for m in mens:
            if m.start >= cue.start:
                break
            if m.key in exclude:
                continue
            if any(qa <= m.start < qb for qa, qb in self.quotes[si]):
                continue
            if m.in_role:
                continue
            if self.ents[m.key].types[0] in ("Organization", "Facility") and any(
                    x <= m.start < y for x, y in self.role_spans.get(si, [])):
                continue
            if self.ents[m.key].types[0] in types:
                return m.key
        return None

    def _names_an_event(self, m: Men) -> bool:
        """Is this body named as part of an event ("KTT ASEAN", "the ASEAN Summit")?"""
        before = fold(self.text[max(0, m.start - 20): m.start]).split()
        after = fold(self.text[m.end: m.end + 20]).split()
        events = _words("event_nouns")
        return bool(before and before[-1] in events) or bool(after and after[0].strip(",.") in events)

    def _attribution(self, m: Men) -> bool:
        """ "..., the State Department said.": the source of the report, not an object."""
        before = self.text[max(0, m.start - 12): m.start]
        if not _rx(r",\s*(?:{articles}\s+)?$", re.I).search(before):
            return False
        nxt = fold(self.text[m.end: m.end + 25]).split()
        return bool(nxt) and nxt[0].strip(",.") in _words("speech_verbs_reported", "speech_verbs_after_quote")

    def _group_at(self, mens: list[Men], cue: Cue, subj: str | None) -> list[str] | None:
        """The people a counted group word standing as the cue's subject stands for."""
        for m in reversed(mens):
            if m.end <= cue.start and m.kind == "ref" and m.key == subj:
                return self.groups.get((m.start, m.end))
        return None

    def _coordinated(self, si: int, mens: list[Men], cue: Cue, subj: str | None) -> list[str] | None:
        """The people listed with the subject before the cue: "A, B dan C tiba", "Foreign
        Minister A and Trade Minister B visited" (titles between the names are skipped)."""
        first = next((m for m in mens if m.key == subj and m.start < cue.start and m.kind != "ref"), None)
        if first is None or self.ents[subj].types[0] != "Person":
            return None
        titles = [(c.start, c.end) for c in self.sent_chunks[si] if c.kind in ("role", "title_ref")]
        people, end = [subj], first.end
        for m in mens:
            if m.start < end:
                continue
            if m.start >= cue.start or self.ents[m.key].types[0] != "Person" or m.kind == "ref":
                break
            gap = "".join(" " if any(a <= i < b for a, b in titles) else self.text[i] for i in range(end, m.start))
            if not _rx(r"\s*,?\s*(?:{conjunctions}\s+)?").fullmatch(gap):
                break
            if m.key not in people:
                people.append(m.key)
            end = m.end
        return people if len(people) > 1 else None

    def _add_each(self, subjects: list[str], rel: str, obj: str, **kw) -> None:
        for subj in subjects:
            if subj != obj:
                self.add_fact(rel, subj, obj, **kw)

    def _subject(self, si: int, mens: list[Men], cue: Cue, host_objs: list[str]) -> str | None:
        key = self._agent_before(si, mens, cue, exclude=frozenset(host_objs))
        if key is None and cue.kind in ("visit", "visit_noun", "meet"):
            # "Konsulat Jenderal Tiongkok di Surabaya mengunjungi ...": a body as the subject,
            # when it opens the sentence
            org = self._agent_before(si, mens, cue, types=("Organization",), exclude=frozenset(host_objs))
            first = next((m for m in mens if not m.in_role), None)
            if org is not None and first is not None and first.key == org and not self.text[
                    self.doc.sentences[si].start:first.start].strip(" \t\n—–-\"“"):
                key = org
        if key is None:
            # "Kemensos menerima ...", "the guests": the visiting party of the story
            key = self.protagonist
        if key is not None and self.protagonist is None and self.ents[key].types[0] == "Person" and cue.kind in ("visit", "meet"):
            self.protagonist = key
        return key

    def _represented(self, si: int, cue: Cue, limit: int) -> str | None:
        chunks = self.sent_chunks[si]
        for c in chunks:
            if c.start < cue.end:
                continue
            if c.start > cue.end + 3 + 80:
                break
            if c.entity and self.ents[c.entity].types[0] in ("Organization", "Facility"):
                return c.entity
            if c.kind in ("role", "title_ref"):
                for o in c.orgs:
                    if o.entity and self.ents[o.entity].types[0] in ("Organization", "Facility"):
                        return o.entity
                # "Direktur Jenderal Rehabilitasi Sosial" -> "Direktorat Jenderal Rehabilitasi Sosial"
                return self._title_to_org(c.text)
            if c.kind == "person":
                return c.entity
        return None

    def _title_to_org(self, title: str) -> str | None:
        words = title.split()
        for n in range(min(4, len(words)), 0, -1):
            head = fold(" ".join(words[:n]))
            head = fold(self.lx.title_expansions.get(head, head)) if n == 1 else head
            if head in self.gz.titles and self.gz.titles[head][1]:
                org_head = self.gz.titles[head][1]
                rest = " ".join(words[n:])
                for cand in (f"{org_head} {rest}", rest):
                    key = self._org_key_for(cand.strip()) if cand.strip() else None
                    if key:
                        return key
        # "Kapolda Jatim" -> "Polda Jatim"
        e = self.gz.titles.get(fold(words[0]))
        if e and e[1] and len(words) > 1:
            key = self._org_key_for(f"{e[1]} {' '.join(words[1:])}")
            if key:
                return key
        return None

    def _member(self, deleg: str, person: str, si: int, rule: str) -> None:
        lst = self.members.setdefault(deleg, [])
        if person not in lst:
            lst.append(person)
            self.member_ev.setdefault((deleg, person), si)
        self.add_fact("memberOf", person, deleg, ev=self._ev(si, rule))

    def _roles_from_sebagai(self, si: int, mens: list[Men]) -> None:
        s = self.doc.sentences[si]
        for m in (_intro_re(False).finditer(s.text) if self._may_hold(si, _intro_words()) else ()):
            a = s.start + m.start()
            person = None
            for x in mens:
                if x.end <= a and self.text[x.end:a].strip() == "" and self.ents[x.key].types[0] == "Person":
                    person = x.key
            if person is None:
                continue
            rest = s.text[m.end():]
            stop = _rx(r",|\s+{role_list_conjunctions}\s+(?=[A-Z])|\.\s*$|\.\s|;").search(rest)
            val = rest[: stop.start()] if stop else rest
            val = val.strip().rstrip(".")
            if not val or not val[0].isupper():
                continue
            orgs = [x.key for x in mens if s.start + m.end() <= x.start < s.start + m.end() + len(val)
                    and self.ents[x.key].types[0] == "Organization"]
            self.ents[person].role_chunks.append((val, orgs, si))
            # mentions inside the role are part of a title, not actors
            for x in mens:
                if s.start + m.end() <= x.start < s.start + m.end() + len(val):
                    x.in_role = True

    # -------------------------------------------------------------- speech
    def _speaker_after(self, si: int, pos: int, mens: list[Men], window: int = 80) -> str | None:
        for m in mens:
            if pos <= m.start <= pos + window and self.ents[m.key].types[0] == "Person":
                return m.key
        return None

    def _said(self, si: int, mens: list[Men]) -> None:
        s = self.doc.sentences[si]
        speech_after = self.rules.speech_after_quote
        for qa, qb in self.quotes[si]:
            inner = self.text[qa + 1: qb - 1].strip().rstrip(",").strip()
            tail = self.text[qb: s.end]
            ft = fold(tail)
            speaker = None
            m = _rx(r"\s*,?\s*(\w+)").match(ft)
            if m and m.group(1) in self.rules.pronoun_speech:
                before = [x for x in mens if x.end <= qa and self.ents[x.key].types[0] == "Person"
                          and not any(q1 <= x.start < q2 for q1, q2 in self.quotes[si])]
                speaker = before[-1].key if before else self.last_person
            elif m and m.group(1) in speech_after:
                speaker = self._speaker_after(si, qb + m.end(), mens) or self._ref_after(si, qb + m.end())
                if speaker is None:
                    speaker = self.last_person
            else:
                # '," Krueger told' / '," the vice minister said' / '," he said'
                sp = None
                for x in mens:
                    if qb <= x.start <= qb + 40 and self.ents[x.key].types[0] == "Person":
                        sp = x
                        break
                if sp is not None:
                    after = fold(self.text[sp.end: sp.end + 20]).split()
                    if after and after[0].strip(",.") in speech_after:
                        speaker = sp.key
                if speaker is None:
                    pm = _rx(r"\s*,?\s*({pronouns})\s+(\w+)").match(ft)
                    if pm and pm.group(2) in speech_after:
                        speaker = self.last_person
            if speaker is None:
                # "X said: "..." " or a quote that follows its speaker's sentence
                before = [x for x in mens if x.end <= qa and self.ents[x.key].types[0] == "Person"]
                if before and _speech_before_quote_re().search(self.text[before[-1].end:qa]):
                    speaker = before[-1].key
            if speaker and len(inner.split()) >= 3:
                self.add_fact("said", speaker, value=inner, ev=self._ev(si, f"{self.lang}.said.quote"))
                self.last_person = speaker
        # reported speech
        for p in self.rules.by_kind.get("said_reported", ()):
            if self.sent_words[si].isdisjoint(p.anchors) or not self._may_match(si, p.regex):
                continue
            for m in p.regex.finditer(s.text):
                a, b = s.start + m.start(), s.start + m.end()
                if any(qa <= a < qb for qa, qb in self.quotes[si]):
                    continue
                rest = self.text[b: s.end].strip()
                if not rest or rest[0] in "“\"":
                    continue
                if any(qb <= a <= qb + 60 for qa, qb in self.quotes[si]):
                    continue
                spk = None
                for x in mens:
                    if x.end > a:
                        break
                    if self.ents[x.key].types[0] == "Person" and not any(qa <= x.start < qb for qa, qb in self.quotes[si]):
                        gap = self.text[x.end:a]
                        if len(gap.split()) <= 3 or (gap.strip().startswith(",") and gap.strip().endswith(",")):
                            spk = x.key
                        elif spk is None and len(gap.split()) <= 8 and _rx(r"\b({clause_joiners})\s*$").search(gap.strip()) \
                                and "," not in gap:
                            spk = x.key  # "Canul Pech welcomed the proposal and said ..."
                if spk is None:
                    continue
                val = _rx(r"(?i)^({complementizers})\s+").sub("", rest.lstrip(",: ")).strip()
                val = val.rstrip(".").strip()
                if len(val.split()) < 4:
                    continue
                self.add_fact("said", spk, value=val, ev=self._ev(si, p.id))
                break
        for p in self.rules.by_kind.get("said_according", ()):
            if self.sent_words[si].isdisjoint(p.anchors) or not self._may_match(si, p.regex):
                continue
            for m in p.regex.finditer(s.text):
                a, b = s.start + m.start(), s.start + m.end()
                if any(qa <= a < qb for qa, qb in self.quotes[si]):
                    continue
                comma = self.text.find(",", b, s.end)
                if comma < 0:
                    continue
                who = self.text[b:comma]
                spk = self._speaker_after(si, b, [x for x in mens if x.start < comma]) if who.strip() else None
                if spk is None and (" ".join(fold(self.text[a:comma]).split()) in _words("self_according")
                                   or fold(who).strip() in _words("object_pronouns")):
                    spk = self.last_person
                if spk is None and fold(self.text[a:b + 3]).startswith(tuple(w for w in _words("self_according") if " " not in w)):
                    spk = self.last_person
                if spk is None:
                    continue
                val = self.text[comma + 1: s.end].strip().rstrip(".").strip()
                if len(val.split()) >= 4:
                    self.add_fact("said", spk, value=val, ev=self._ev(si, p.id))
                break

    def _ref_after(self, si: int, pos: int) -> str | None:
        for m in self.references(si):
            if pos <= m.start <= pos + 40 and self.ents[m.key].types[0] == "Person":
                return m.key
        return None

    def _continued_quotes(self) -> None:
        """A quotation over several paragraphs opens each one and closes only the last
        ("“We are impressed ... / “We hope ...,” said Tanaka."): the earlier paragraphs are
        said by whoever said the closing one."""
        paras = [(m.start(), len(m.group(0).rstrip()) + m.start()) for m in _PARAGRAPH_RE.finditer(self.text)]
        said_at = [(f.evidence[0].start, f) for f in self.facts if f.rel == "said" and f.evidence]
        pending: list[tuple[int, int]] = []
        for a, b in paras:
            body = self.text[a:b]
            opens = body[:1] in "“\""
            closed = body.count("”") >= body.count("“") and body.count('"') % 2 == 0
            if opens and not closed:
                pending.append((a, b))
                continue
            if pending and opens:
                said = next((f for pos, f in said_at if a <= pos < b), None)
                if said is not None:
                    for pa, pb in pending:
                        value = self.text[pa + 1:pb].strip()
                        if len(value.split()) >= 3:
                            ev = Evidence(pa, pb, self.text[pa:pb], f"{self.lang}.said.quote_continued")
                            self.add_fact("said", said.subj, value=value, ev=ev)
            pending = []

    # -------------------------------------------------------------- the end of the article
    def finalize(self) -> None:
        def ev_at(si: int | None, rule: str) -> Evidence:
            return self._ev(si if si is not None else 0, rule)

        # roles and the organisations they name
        for pk, e in list(self.ents.items()):
            if e.types[0] != "Person":
                continue
            seen_vals: set[str] = set()
            # a bare short title ("Menlu", "Dubes") adds nothing beside a title written out
            written_out = any(fold(" ".join(val.split()).strip(" ,.")) not in self.lx.title_expansions
                              for val, _, _ in e.role_chunks)
            for val, orgs, si in e.role_chunks:
                v = " ".join(val.split()).strip(" ,.")
                v = _rx(r"^{articles}\s+", re.I).sub("", v)
                if v.endswith("s") and fold(v) not in self.gz.titles and fold(v[:-1]) in self.gz.titles:
                    v = v[:-1]  # "Representatives Joey Salceda and ...": each is a Representative
                if not v or fold(v) in seen_vals or (fold(v) in self.lx.title_expansions and written_out):
                    continue
                seen_vals.add(fold(v))
                mapped = self._title_org(v, orgs)
                org = mapped or (orgs[0] if orgs else None)
                self.add_fact("role", pk, value=v, org=org, ev=self._ev(si, "role.apposition"))
                if mapped:
                    orgs = [o for o in orgs if not any(fold(n) in fold(self.ents[mapped].name) for n in self.ents[o].names)]
                for o in ([mapped] if mapped else []) + orgs:
                    if o and o in self.ents and self.ents[o].types[0] in ("Organization", "Facility"):
                        self.add_fact("memberOf", pk, o, ev=self._ev(si, "role.memberOf"))
        self._countries()
        # delegations: who sent them, and whom their members work for
        for dk in self.delegations:
            d = self.ents[dk]
            for s in d.senders:
                self.add_fact("sentBy", dk, s, ev=ev_at(self.sender_ev.get((dk, s), d.first_sent), "delegation.sentBy"))
            if d.country is None:
                for s in d.senders:
                    if self.ents[s].country and not self.ents[s].intl and s not in self.guessed_country:
                        d.country = self.ents[s].country
                        break
            if d.country:
                ck = self.country_ent(d.country, None, d.first_sent)
                si0 = self.sender_ev.get((dk, "#country"))
                if si0 is None:
                    si0 = min((self.sender_ev.get((dk, s), d.first_sent) for s in d.senders), default=d.first_sent)
                self.add_fact("sentBy", dk, ck, ev=ev_at(si0, "delegation.sentBy.country"))
            orgs = [s for s in d.senders if self.ents[s].types[0] in ("Organization", "Facility")]
            for pk in self.members.get(dk, []):
                own = [o for _, os, _ in self.ents[pk].role_chunks for o in os if o in self.ents
                       and self.ents[o].types[0] in ("Organization", "Facility")]
                if not own and orgs:
                    self.add_fact("memberOf", pk, orgs[0], ev=ev_at(self.member_ev.get((dk, pk)), "delegation.memberOf.sender"))
        self._countries()

    def _title_org(self, value: str, orgs: list[str]) -> str | None:
        """ "Deputy Secretary-General of ASEAN" -> the ASEAN Secretariat, when the article names it."""
        words = value.split()
        for n in range(min(4, len(words)), 0, -1):
            t = fold(" ".join(words[:n]))
            if t in self.gz.titles and self.gz.titles[t][1]:
                oh = fold(self.gz.titles[t][1])
                for o in orgs:
                    for name in self.ents[o].names:
                        for cand in (f"{name} {oh}", f"{oh} {name}"):
                            k = self.lookup(cand)
                            if k and k != o:
                                return k
                if not orgs:
                    rest = " ".join(words[n:])
                    rest2 = " ".join(w for w in words[n:] if fold(w) not in self.gz.countries)
                    for cand in (f"{self.gz.titles[t][1]} {rest}", rest, f"{self.gz.titles[t][1]} {rest2}"):
                        k = self.lookup(cand.strip()) if cand.strip() else None
                        if k and self.ents[k].types[0] in ("Organization", "Facility"):
                            return k
                break
        return None

    def _countries(self) -> None:
        gz = self.gz
        facts_by = {}
        for f in self.facts:
            facts_by.setdefault((f.rel, f.subj), []).append(f.obj)
        for _ in range(3):
            for k, e in self.ents.items():
                if e.country or e.types[0] in ("Person",):
                    continue
                if e.intl or any(fold(n) in international_bodies() for n in e.names):
                    e.intl = True
                    continue
                if e.types[0] == "Delegation":
                    continue
                # a place or an organisation named after a place: "Polda Jawa Timur"
                got = None
                for n in e.names:
                    got = _named_country(fold(n))
                    if got:
                        break
                if not got:
                    for rel in ("partOf", "locatedIn"):
                        for o in facts_by.get((rel, k), []):
                            oe = self.ents.get(o)
                            if oe is not None and oe.country and not oe.intl:
                                if rel == "locatedIn" and e.types[0] == "Organization" and "Facility" not in e.types and not self._sited(e):
                                    continue
                                got = oe.country
                                break
                        if got:
                            break
                if not got:
                    # a name containing an international body's name stays without a country
                    if "Facility" not in e.types and any(not international_bodies().isdisjoint(fold(n).split()) for n in e.names):
                        e.intl = True
                        continue
                if not got and "Facility" in e.types and self.dateline_place:
                    pl = gz.places.get(fold(self.dateline_place))
                    got = pl.country if pl else None
                if not got and e.types[0] in ("Organization", "Facility"):
                    heads = _home_pre_heads()
                    got = next((heads[h] for w in (fold(n).split() for n in e.names) if len(w) > 1
                                for h in (w[0], " ".join(w[:2])) if h in heads), None)
                    if got:
                        self.guessed_country.add(e.key)  # by the language of its head word only
                    if not got:
                        got = _home_country_by_prefix(e.names)
                if not got and "Facility" in e.types and self.dateline_place:
                    pl = gz.places.get(fold(self.dateline_place))
                    got = pl.country if pl else None
                if got:
                    e.country = got

    # -------------------------------------------------------------- output
    def entities_out(self) -> tuple[Entity, ...]:
        out = []
        for k, e in self.ents.items():
            names = list(dict.fromkeys(" ".join(n.split()) for n in e.names if n.strip()))
            if not names:
                continue
            if e.types[0] == "Person":
                name = max(names, key=lambda n: (len(n.split()), len(n)))
            elif e.types[0] == "Country":
                name = names[0]
            else:
                name = max(names, key=len)
            aliases = tuple(n for n in names if n != name)
            country = None if e.types[0] == "Person" or e.intl else e.country
            out.append(Entity(k, tuple(e.types), name, aliases, country, tuple(sorted(set(e.spans)))))
        return tuple(out)

    def mentions_out(self) -> tuple[Mention, ...]:
        out = []
        label = {"Person": "PER", "Organization": "ORG", "Facility": "FAC", "Place": "LOC", "Country": "LOC",
                 "Delegation": "ORG"}
        for si, mens in enumerate(self.sent_mens):
            for m in mens:
                if m.kind == "ref" or m.chunk is None:
                    continue
                e = self.ents[m.key]
                out.append(Mention(m.chunk.start, m.chunk.end, self.text[m.chunk.start:m.chunk.end],
                                   label.get(e.types[0], "MISC"), m.key))
            s = self.doc.sentences[si]
            for d in self.sent_dates[si]:
                out.append(Mention(s.start + d.start, s.start + d.end, d.text, "DATE"))
        return tuple(sorted(out, key=lambda m: (m.start, m.end)))
