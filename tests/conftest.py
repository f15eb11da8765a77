"""Shared fixtures. Tests never need ../shared: fixtures are written here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

_TEXT = (
    "Delegasi Kementerian Luar Negeri Freedonia mengunjungi Balai Latihan Kerja Surabaya, "
    "Senin (12/2/2024).\n\n"
    "Delegasi itu terdiri dari Anna Berg sebagai Direktur Asia dan Piet Vos sebagai Staf Ahli.\n\n"
    "\u201cKami belajar banyak,\u201d kata Anna Berg.\n"
)


def _ev(text: str, needle: str, rule: str) -> tuple[Evidence, ...]:
    start = text.index(needle)
    return (Evidence(start, start + len(needle), needle, rule),)


def make_extraction(key: str = "fixture-1", text: str = _TEXT) -> Extraction:
    """A small hand-made extraction (no extractor involved) for RDF/store/view tests."""
    art = Article(key=key, text=text, title="Delegasi Freedonia", published=date(2024, 2, 13), source="example.org")
    s1 = text.split("\n\n")[0]
    s2 = text.split("\n\n")[1]
    s3 = text.split("\n\n")[2].strip()
    doc = Document(
        article=art,
        lang="id",
        title=art.title,
        published=art.published,
        source=art.source,
        content=((0, len(text)),),
        sentences=tuple(Sentence(text.index(s), text.index(s) + len(s), s) for s in (s1, s2, s3)),
    )
    ents = (
        Entity("d", ("Delegation",), "Delegasi Kementerian Luar Negeri Freedonia", ("Delegasi",), "FD"),
        Entity("mfa", ("Organization",), "Kementerian Luar Negeri Freedonia", ("Kemlu Freedonia",), "FD"),
        Entity("blk", ("Facility", "Organization"), "Balai Latihan Kerja Surabaya", ("BLK Surabaya",), "ID"),
        Entity("sby", ("Place",), "Surabaya", (), "ID"),
        Entity("id", ("Country",), "Indonesia", (), "ID"),
        Entity("anna", ("Person",), "Anna Berg", ("Anna",)),
        Entity("piet", ("Person",), "Piet Vos", ()),
    )
    facts = (
        Fact("visited", "d", "blk", date=date(2024, 2, 12), evidence=_ev(text, s1, "id.visit.mengunjungi")),
        Fact("sentBy", "d", "mfa", evidence=_ev(text, s1, "id.delegation.of")),
        Fact("memberOf", "anna", "d", evidence=_ev(text, s2, "id.members.terdiri")),
        Fact("memberOf", "piet", "d", evidence=_ev(text, s2, "id.members.terdiri")),
        Fact("memberOf", "anna", "mfa", evidence=_ev(text, s2, "id.members.terdiri")),
        Fact("role", "anna", value="Direktur Asia", org="mfa", evidence=_ev(text, s2, "id.role.sebagai")),
        Fact("role", "piet", value="Staf Ahli", evidence=_ev(text, s2, "id.role.sebagai")),
        Fact("locatedIn", "blk", "sby", evidence=_ev(text, s1, "id.place.trailing")),
        Fact("locatedIn", "sby", "id", evidence=_ev(text, s1, "gazetteer")),
        Fact("said", "anna", value="Kami belajar banyak", evidence=_ev(text, s3, "id.quote.kata")),
        Fact("visited", "d", "sby", date=date(2024, 3, 1), planned=True, evidence=_ev(text, s1, "id.plan.akan")),
    )
    return Extraction(document=doc, entities=ents, facts=facts)


@pytest.fixture
def extraction() -> Extraction:
    return make_extraction()


@pytest.fixture
def store(tmp_path):
    from kg.store import open_store

    st = open_store(tmp_path / "store")
    yield st
    st.close()
