"""The cheap pre-checks that spare extraction a regex scan never change what it finds.

Each pre-check claims: "this regex cannot match a text that lacks X". These tests hold every
such claim against real sentences (the fixture articles, the bundled samples) and against
each pattern's own example, and check that forgetting the caches changes no output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.extract import clear_caches, extract, facts
from kg.extract.rules import LANGS, either_case, lang_rules
from kg.model import Article
from kg.text import analyse
from kg.views import facts_view

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_FILES = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt")) + sorted(
    (ROOT / "data" / "articles").glob("*.txt"))
# plus sentences made to sit at the edges: hyphens, elisions, capitals, letters that fold oddly
EDGE_SENTENCES = [
    "The co-delegation visited the plant; the TEAM's officials met as co-chairs.",
    "DELEGASI itu bertemu pejabat-pejabat dan anggota delegasi lainnya sebagai tamu.",
    "Mereka, the three officers and the visitors' team, were received as guests.",
    "ſebagai Dırektur, the İnvestigators met the delegation of the mission.",
    "x-as Kepala, y-sebagai Ketua: the guests-of-honour and the delegations'.",
]


def _sentences() -> list[str]:
    out = list(EDGE_SENTENCES)
    for path in ARTICLE_FILES:
        doc = analyse(Article(key=path.stem, text=path.read_text(encoding="utf-8")))
        out.extend(s.text for s in doc.sentences)
    return out


SENTENCES = _sentences()


def _all_patterns():
    for lang in LANGS:
        for p in lang_rules(lang).patterns:
            yield lang, p


def test_there_are_enough_sentences_to_check():
    assert len(SENTENCES) > 150


@pytest.mark.parametrize("lang, pattern", list(_all_patterns()), ids=lambda x: getattr(x, "id", x))
def test_needed_text_is_in_every_match(lang, pattern):
    need = facts._needed_strs(pattern.regex)
    for text in [pattern.example, *SENTENCES]:
        if pattern.regex.search(text) and not any(c in text for c in facts._CASE_ODD):
            assert need is None or facts._holds_any(text.lower(), need), (pattern.id, text)


def test_needed_text_reads_branches_and_repeats():
    got = facts._needed_text(re.compile(r"(?i)\b(?:(?:turut|ikut)\s+)?mendampingi|menemani(?:nya)?\b"))
    assert got == {"mendampingi", "menemani"}
    assert facts._needed_text(re.compile(r"(?:abc)+x?")) == {"abc"}
    assert facts._needed_text(re.compile(r"(?:abc)*|d")) is None  # "abc" may be absent
    assert facts._needed_text(re.compile(r"[ab]\d")) is None


def _word_gate(text: str):
    from kg.extract.mentions import tokenize, lexicon

    toks = tokenize(text, 0, len(text), lexicon().abbrevs)
    return facts._gate_words(frozenset(t.low.rstrip(".") for t in toks), text)


GATED = [
    ("delegation heads", facts._deleg_re, facts._deleg_words),
    ("group nouns", facts._group_re, facts._group_noun_ends),
    ("role introducers", lambda: facts._intro_re(False), facts._intro_words),
] + [(f"references {lg}", (lambda lg=lg: facts._ref_patterns(lg)[0][1]), (lambda lg=lg: facts._ref_words(lg))) for lg in LANGS]


@pytest.mark.parametrize("name, regex, words", GATED, ids=[g[0] for g in GATED])
def test_word_gate_never_hides_a_match(name, regex, words):
    hits = 0
    for text in SENTENCES:
        gate = _word_gate(text)
        if regex().search(text):
            hits += 1
            assert gate is None or not gate.isdisjoint(words()), (name, text)
    assert hits > 0, f"no sentence exercises the {name} gate"


def test_clear_caches_forgets_and_changes_nothing():
    art = Article(key="a", text=ARTICLE_FILES[0].read_text(encoding="utf-8"))
    before = json.dumps(facts_view(extract(art)), sort_keys=True)
    assert any(f.cache_info().currsize for f in facts.BOUNDED_CACHES)
    clear_caches()
    assert all(f.cache_info().currsize == 0 for f in facts.BOUNDED_CACHES)
    assert json.dumps(facts_view(extract(art)), sort_keys=True) == before


def test_every_bounded_cache_is_cleared():
    # a cache added later must be listed, or clear_caches would leave it full
    bounded = {name for name, f in vars(facts).items()
               if hasattr(f, "cache_parameters") and f.cache_parameters()["maxsize"] not in (None, 1)}
    assert bounded == {f.__wrapped__.__name__ for f in facts.BOUNDED_CACHES}


# ---------------------------------------------------------------- regexes rewritten for speed


def test_either_case_is_what_a_case_insensitive_regex_matches():
    # every code point that "(?i)[a-z]" matches, by the letter it matches
    by_letter: dict[str, set[str]] = {}
    any_letter = re.compile("(?i)[a-z]")
    for cp in range(0x110000):
        ch = chr(cp)
        if any_letter.fullmatch(ch):
            for letter in "abcdefghijklmnopqrstuvwxyz":
                if re.fullmatch("(?i)" + letter, ch):
                    by_letter.setdefault(letter, set()).add(ch)
    for letter, chars in by_letter.items():
        assert set(either_case(letter)) == chars, letter


def test_boundary_finds_what_the_plain_regex_finds():
    import random

    # the boundary regex as it reads, before it was written for the fast scan
    plain = facts._rx(r"\b(?:(?i:{infinitive_markers})\s+(?=[a-z])|(?i:{clause_boundary_words}\b))|;|\s[–—]\s")
    words = sorted(facts._words("infinitive_markers", "clause_boundary_words")) + [
        "Untuk", "TO", "To", "Yang", "ſetelah", "İtem", "x", "_to", "to_", "9to", ";", "–", "—", "-", "Ab"]
    rnd = random.Random(7)
    texts = list(SENTENCES)
    for _ in range(3000):
        texts.append("".join(rnd.choice(words) + rnd.choice([" ", "", "\n", ",", "  ", "\u00a0"])
                             for _ in range(rnd.randint(1, 10))))
    for text in texts:
        for _ in range(10):
            a = rnd.randint(0, len(text))
            b = rnd.randint(a, len(text))
            m = plain.search(text, a, b)
            assert facts._boundary(text, a, b) == (m.start() if m else None), (text, a, b)


@pytest.mark.parametrize("lang, pattern", list(_all_patterns()), ids=lambda x: getattr(x, "id", x))
def test_cue_regex_finds_what_the_plain_cue_finds(lang, pattern):
    plain = re.compile(rf"(?<![\w])(?:{pattern.cue})(?![\w])", re.IGNORECASE)
    odd = [pattern.example.upper(), pattern.example.replace("s", "ſ").replace("k", "\u212a"),
           "x" + pattern.example, pattern.example.replace(" ", "_")]
    for text in [pattern.example, *odd, *SENTENCES]:
        assert [m.span() for m in pattern.regex.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_delegation_heads_found_as_by_the_plain_regex():
    plain = re.compile(rf"(?i)(?<![\w-])(?:{facts._deleg_alt()})(?![\w-])")
    fast = facts._deleg_re()
    assert fast.pattern != plain.pattern  # the fast form is in use
    for text in SENTENCES + ["Delegations-x, co-delegasi DELEGASI ſ delegation_ Trade  Mission TRADE MISSION misi-misi"]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize("lang", LANGS)
def test_references_found_as_by_the_plain_regex(lang):
    import random

    # every reference in one case-insensitive alternation, longest first: the regex as it reads
    r = lang_rules(lang)
    alts = [r"the\s+(?:[\w-]+\s+)?" + re.escape(ref[4:]) if ref.lower().startswith("the ") else re.escape(ref)
            for ref in sorted(set(r.delegation_refs) | set(r.group_refs), key=len, reverse=True)]
    plain = re.compile(rf"(?<![\w-])(?:{'|'.join(alts)})(?![\w-])", re.I)
    fast = facts._ref_patterns(lang)[0][1]
    words = [w for ref in r.delegation_refs + r.group_refs for w in ref.split()] + [
        "the", "The", "THE", "x", "-", "'", "they", "Korean", "ſ", "_"]
    rnd = random.Random(5)
    texts = list(SENTENCES) + [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 8))) for _ in range(3000)]
    for text in texts:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("attr, phrases", [("plan_re", lambda r: r.plan_cues), ("vague_re", lambda r: r.vague_past),
                                           ("relative_re", lambda r: [d["phrase"] for d in r.relative_days])])
def test_phrase_regexes_match_whole_phrases_as_the_plain_regex(lang, attr, phrases):
    r = lang_rules(lang)
    listed = sorted({p for p in phrases(r) if p}, key=len, reverse=True)
    if not listed:
        pytest.skip(f"{lang} lists no {attr} phrases")
    plain = re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, listed))})(?![\w])", re.IGNORECASE)
    fast = getattr(r, attr)
    for p in listed:
        # every phrase is found on its own, and none inside a longer word
        assert fast.fullmatch(p) and fast.fullmatch(p.upper()), p
        assert not fast.search("x" + p + "x") or plain.search("x" + p + "x"), p
    for text in SENTENCES + [" ".join(listed), "x".join(listed)]:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_new_chunk_sets_every_field_as_chunk_does():
    from dataclasses import fields

    from kg.extract.mentions import Chunk, _new_chunk

    a = _new_chunk("org", 0, 1, "A", 0, ("Organization",), "ID", 1)
    b = Chunk("org", 0, 1, "A", 0, ("Organization",), "ID", 1)
    assert [getattr(a, f.name) for f in fields(Chunk)] == [getattr(b, f.name) for f in fields(Chunk)]
    assert a.orgs is not b.orgs and a.evidence is not _new_chunk("name", 0, 1, "A", 0).evidence  # fresh containers
