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
