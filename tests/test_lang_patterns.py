"""Every pattern of every language file fires on its own example sentence."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.rules import DATA_DIR, LANGS, lang_rules, load_lang_file
from kg.model import Article

PATTERNS = [(lang, p) for lang in LANGS for p in lang_rules(lang).patterns]


def test_language_files_are_complete():
    for lang in LANGS:
        data = load_lang_file(DATA_DIR / "lang" / f"{lang}.json")
        assert data["lang"] == lang
        ids = [p["id"] for p in data["patterns"]]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize("lang, pattern", PATTERNS, ids=[p.id for _, p in PATTERNS])
def test_pattern_matches_its_example(lang, pattern):
    assert pattern.regex.search(pattern.example), f"{pattern.id} does not match {pattern.example!r}"


FACT_KINDS = {"visit", "visit_noun", "visit_received", "meet", "host_passive", "host_active", "invite",
              "accompany_passive", "accompany_active", "represent", "lead", "members", "part_of",
              "said_reported", "said_according", "said_quote"}


@pytest.mark.parametrize("lang, pattern", [x for x in PATTERNS if x[1].kind in FACT_KINDS],
                         ids=[p.id for _, p in PATTERNS if p.kind in FACT_KINDS])
def test_pattern_example_yields_a_fact_with_its_rule(lang, pattern):
    x = extract(Article(key=pattern.id, text=pattern.example, lang=lang))
    rules = {ev.rule for f in x.facts for ev in f.evidence}
    assert pattern.id in rules, (pattern.id, [(f.rel, f.subj, f.obj, f.value) for f in x.facts])


OPTIONAL_KEYS = {"head_equivalents", "home_country"}  # only a language that has them lists them


def test_language_files_declare_the_same_word_classes():
    """A word class one language lacks would silently read as empty: every language file
    lists every class (an empty list where the language has no such words)."""
    keys = {lang: set(load_lang_file(DATA_DIR / "lang" / f"{lang}.json")) - OPTIONAL_KEYS for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys[LANGS[0]], (lang, keys[lang] ^ keys[LANGS[0]])


def test_word_classes_used_by_the_rules_exist():
    """Every word class the relation rules name (``_words("...")``, ``{class}`` in a template)
    is in the language files, and an unknown one is an error, not an empty list."""
    import re
    from pathlib import Path

    from kg.extract import facts, mentions

    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (facts, mentions))
    used = set()
    for call in re.findall(r'(?:_words|word_class)\(([^)]*)\)', source):
        used |= set(re.findall(r'"([a-z_]+)"', call))
    for template in re.findall(r'_rx\(r"([^"]*)"', source):
        for group in re.findall(r"\{([a-z_+]+)\}", template):
            used |= set(group.split("+"))
    used.discard("honorific_abbreviations")  # computed from the honorifics
    data = load_lang_file(DATA_DIR / "lang" / "en.json")
    assert used and not used - set(data), used - set(data)
    with pytest.raises(KeyError):
        facts._words("no_such_word_class")


def test_portfolio_titles_name_their_ministry():
    from kg.extract.rules import gazetteer

    titles = gazetteer().titles
    assert titles["menteri luar negeri"] == ("id", "Kementerian Luar Negeri")
    assert titles["deputy foreign minister"][1] == "Ministry of Foreign Affairs"
    assert titles["minister for trade"][1] == "Ministry of Trade"
