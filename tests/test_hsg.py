"""HSG (Office of the Historian) records -> extractions -> the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.ingest import hsg
from kg.ingest.hsg import country_code, met_people, read_hsg_paths, split_title
from kg.model import Extraction, Skip
from kg.pipeline import ingest_articles
from kg.resolve import entity_iri

FIX = Path(__file__).resolve().parent / "fixtures" / "hsg"
ROOT = Path(__file__).resolve().parent.parent
SHARED_HSG = ROOT.parent / "shared" / "data" / "hsg"


def _conftest():
    """tests/conftest.py as a module (it is not importable by name: tests/ is no package)."""
    import importlib.util
    import sys

    mod = sys.modules.get("kg_tests_conftest")
    if mod is None:
        spec = importlib.util.spec_from_file_location("kg_tests_conftest", Path(__file__).parent / "conftest.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        sys.modules["kg_tests_conftest"] = mod
    return mod


@pytest.fixture(autouse=True)
def no_extractor(monkeypatch):
    """Unit tests do not depend on the English extractor (being written elsewhere)."""
    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", None)


def _by_key(items):
    return {i.article.key: i for i in items if isinstance(i, Extraction)}


def test_trip_becomes_visit_with_dates_role_country_and_city():
    ex = _by_key(read_hsg_paths([FIX / "trips.xml"]))["hsg-trip-3324"]
    art = ex.article
    assert art.path.endswith("trips.xml") and art.source == "history.state.gov"
    assert "John Forbes Kerry visited London, United Kingdom" in art.text
    ents = {e.key: e for e in ex.entities}
    assert ents["v"].name == "John Forbes Kerry" and ents["v"].country == "US"
    assert ents["dest"].types == ("Country",) and ents["dest"].country == "GB"
    visit = next(f for f in ex.facts if f.rel == "visited")
    assert (visit.subj, visit.obj) == ("v", "dest")
    assert visit.date == date(2013, 2, 25) and visit.end_date == date(2013, 2, 26)
    roles = {(f.subj, f.value) for f in ex.facts if f.rel == "role"}
    assert ("v", "Secretary of State") in roles
    city = next(e for e in ex.entities if e.types == ("Place",))
    assert city.name == "London" and city.country == "GB"


def test_people_met_come_from_remarks_with_roles_and_evidence():
    ex = _by_key(read_hsg_paths([FIX / "trips.xml"]))["hsg-trip-3325"]
    ents = {e.key: e for e in ex.entities}
    met = {ents[f.obj].name for f in ex.facts if f.rel == "metWith"}
    assert met == {"Guido Westerwelle", "Angela Merkel", "Sergey Lavrov"}
    lavrov = next(e for e in ex.entities if e.name == "Sergey Lavrov")
    assert lavrov.country == "RU"  # "Russian Foreign Minister", although met in Germany
    merkel = next(e for e in ex.entities if e.name == "Angela Merkel")
    assert merkel.country == "DE"
    roles = {(ents[f.subj].name, f.value) for f in ex.facts if f.rel == "role"}
    assert ("Angela Merkel", "Chancellor") in roles
    for f in ex.facts:
        for ev in f.evidence:
            assert ex.article.text[ev.start : ev.end] == ev.text
    assert len([e for e in ex.entities if e.types == ("Place",)]) == 2


def test_unnamed_officials_are_not_people():
    ex = _by_key(read_hsg_paths([FIX / "trips.xml"]))["hsg-trip-3390"]
    assert not [f for f in ex.facts if f.rel == "metWith"]


def test_foreign_leader_visit_splits_title_and_goes_to_the_us():
    ex = _by_key(read_hsg_paths([FIX / "visits.xml"]))["hsg-visit-2100"]
    ents = {e.key: e for e in ex.entities}
    assert ents["v"].name == "Susilo Bambang Yudhoyono" and ents["v"].country == "ID"
    visit = next(f for f in ex.facts if f.rel == "visited")
    assert ents[visit.obj].country == "US"
    assert ("v", "President") in {(f.subj, f.value) for f in ex.facts if f.rel == "role"}
    met = {ents[f.obj].name for f in ex.facts if f.rel == "metWith"}
    assert met == {"Barack Obama", "Hillary Clinton"}


def test_unknown_country_and_non_record_files_are_skips():
    items = list(read_hsg_paths([FIX]))
    skips = [i for i in items if isinstance(i, Skip)]
    reasons = " | ".join(s.reason for s in skips)
    assert "unknown country 'Atlantis'" in reasons
    assert "code-table" in reasons
    assert len([i for i in items if isinstance(i, Extraction)]) == 6


@pytest.mark.parametrize(
    "hsg_id, text, code",
    [("indonesia", "Indonesia", "ID"), ("turkey", "Turkey", "TR"), ("russia", "U.S.S.R.", "RU"),
     ("burma", "Burma (Myanmar)", "MM"), ("korea-south", "Korea, South", "KR"), ("czechoslovakia", "", "CS")],
)
def test_country_codes(hsg_id, text, code):
    assert country_code(hsg_id, text) == code


def test_titles_and_meeting_lists():
    assert split_title("Prime Minister Churchill") == ("Prime Minister", "Churchill")
    assert [m.name for m in met_people("Met with King Hussein; reviewed the Middle East peace process.")] == ["Hussein"]
    assert [m.name for m in met_people("Met with President Bush in Washington.")] == ["Bush"]


def test_record_country_is_the_same_node_as_a_news_country(store):
    make_extraction = _conftest().make_extraction

    items = list(read_hsg_paths([FIX / "trips.xml", FIX / "visits.xml"]))
    report = ingest_articles(items + [make_extraction()], store)
    assert len(report.ingested) == 7 and len(report.skipped) == 1
    news_id = next(e for e in make_extraction().entities if e.type == "Country")
    iri = entity_iri(news_id)
    assert iri.endswith("country/ID")
    rows = list(store.query(f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ <{iri}> a ?t }} }}"))
    assert int(rows[0]["n"].value) == 3  # the news article, Kerry in Jakarta, Yudhoyono's visit
    again = ingest_articles(list(read_hsg_paths([FIX / "trips.xml"])), store)
    assert len(again.unchanged) == 4


def test_extractor_people_are_merged(monkeypatch):
    from kg.model import Article, Document, Entity, Evidence, Fact

    def fake_extract(article: Article) -> Extraction:
        text = article.text
        doc = Document(article, "en", None, None, None, ((0, len(text)),), ())
        if "David Cameron" not in text:
            return Extraction(doc, (), ())
        i = text.index("David Cameron")
        ents = (Entity("p1", ("Person",), "David Cameron", spans=((i, i + 13),)),
                Entity("p2", ("Person",), "William Hague", spans=((text.index("William"), text.index("William") + 13),)))
        facts = (Fact("role", "p2", value="Foreign Secretary", evidence=(Evidence(0, len(text), text, "en.role"),)),)
        return Extraction(doc, ents, facts)

    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", fake_extract)
    ex = _by_key(read_hsg_paths([FIX / "trips.xml"]))["hsg-trip-3324"]
    people = [e.name for e in ex.entities if e.types == ("Person",)]
    assert sorted(people) == ["David Cameron", "John Forbes Kerry", "William Hague"]


@pytest.mark.slow
@pytest.mark.skipif(not SHARED_HSG.is_dir(), reason="../shared/data/hsg not available")
def test_full_hsg_import(tmp_path):
    from kg.store import open_store

    items = list(read_hsg_paths([SHARED_HSG]))
    assert len(items) > 7000
    assert not [i for i in items if isinstance(i, Skip)]
    with open_store(tmp_path / "store") as st:
        report = ingest_articles(items, st)
        assert len(report.ingested) == len(items)
        n = list(st.query("PREFIX kg: <https://w3id.org/kg-visits/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?v a kg:Visit }"))
        assert int(n[0]["n"].value) == len(items)


@pytest.mark.skipif(not SHARED_HSG.is_dir(), reason="../shared/data/hsg not available")
def test_real_secretary_file_reads_cleanly():
    items = list(read_hsg_paths([SHARED_HSG / "travels" / "secretary-travels" / "kerry-john-forbes.xml"]))
    assert items and all(isinstance(i, Extraction) for i in items)
    first = _by_key(items)["hsg-trip-3324"]
    assert {e.name for e in first.entities} >= {"David Cameron", "William Hague", "United Kingdom"}


def test_extractor_people_need_a_meeting_or_a_title(monkeypatch, tmp_path):
    from kg.model import Article, Document, Entity

    xml = tmp_path / "t.xml"
    xml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<trips><trip role="secretary" who="x"><id>1</id>'
        "<role>secretary</role><name>Jane Roe</name><start-date>2001-01-01</start-date>"
        '<end-date>2001-01-02</end-date><country id="france">France</country><locale>Paris</locale>'
        "<remarks>Accompanied President Obama to talks at the White House.</remarks></trip></trips>",
        encoding="utf-8",
    )

    def fake_extract(article: Article) -> Extraction:
        t = article.text
        doc = Document(article, "en", None, None, None, ((0, len(t)),), ())
        o, w = t.index("Obama"), t.index("White House")
        return Extraction(doc, (Entity("o", ("Person",), "Obama", spans=((o, o + 5),)),
                                Entity("w", ("Person",), "White House", spans=((w, w + 11),))), ())

    monkeypatch.setitem(hsg._EXTRACTOR_STATE, "fn", fake_extract)
    ex = next(iter(read_hsg_paths([xml])))
    ents = {e.key: e for e in ex.entities}
    people = {e.name for e in ex.entities if e.types == ("Person",)}
    assert people == {"Jane Roe", "Obama"}
    assert ("Obama", "President") in {(ents[f.subj].name, f.value) for f in ex.facts if f.rel == "role"}
    assert {ents[f.obj].name for f in ex.facts if f.rel == "metWith"} == {"Obama"}  # "talks" in the sentence
