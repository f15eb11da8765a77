"""Extraction on small made-up articles: entities, relations, dates, plans."""

from __future__ import annotations

from datetime import date

import pytest

from kg.errors import InputError
from kg.extract import extract
from kg.model import RELATIONS, Article

ID_TEXT = """Delegasi Kepolisian Belanda Kunjungi Polda Jawa Barat

Sabtu, 21 Oktober 2023

BANDUNG – Delegasi Kepolisian Nasional Belanda (Nationale Politie) mengunjungi Laboratorium Forensik (Labfor) Polda Jawa Barat di Bandung, Kamis (19/10/2023). Kedatangan rombongan disambut oleh Kepala Bidang Laboratorium Forensik Polda Jawa Barat, Kombes Pol Budi Santoso, beserta jajaran.

Delegasi beranggotakan tiga orang itu dipimpin oleh Pieter van Dijk sebagai Hoofd Recherche. Anggota delegasi lainnya antara lain Anneke de Graaf, ahli forensik digital dari Nederlands Forensisch Instituut (NFI).

"Kami melihat standar kerja yang sangat rapi di sini dan ingin belajar lebih banyak," kata Pieter van Dijk.

Keesokan harinya, Jumat (20/10/2023), delegasi Belanda meninjau Markas Polda Jawa Barat. Rombongan dijadwalkan mengunjungi Universitas Padjadjaran pada Senin (23/10/2023).
"""

EN_TEXT = """Thai delegation studies flood management in Semarang

Monday, 9 October 2023 | 14:30 WIB

SEMARANG — A delegation from Thailand's Royal Irrigation Department (RID) visited the Semarang Flood Control Center on Tuesday (Oct. 3) to learn how the city manages its polders.

The six-member RID delegation was led by Somchai Prasert, the department's Deputy Director-General for Water Management, and was accompanied by Thailand's Ambassador to Indonesia, Narong Siriwat.

The visitors were received by the centre's head, Agus Widodo. "Our pumps run day and night in the rainy season," Agus said.

Somchai said Thailand wanted to learn from the city's early warning system.

On Wednesday (Oct. 4), the delegation met officials of the Central Java Provincial Government at the Gubernuran complex. The delegation will visit Jakarta next week.
"""


@pytest.fixture(scope="module")
def id_x():
    return extract(Article(key="id-test", text=ID_TEXT))


@pytest.fixture(scope="module")
def en_x():
    return extract(Article(key="en-test", text=EN_TEXT))


def _name(x, key):
    return next(e.name for e in x.entities if e.key == key)


def _facts(x, rel):
    return [(f, _name(x, f.subj), _name(x, f.obj) if f.obj else f.value) for f in x.facts if f.rel == rel]


def test_empty_article_raises_input_error():
    with pytest.raises(InputError):
        extract(Article(key="e", text=""))


def test_every_fact_has_a_known_relation_and_evidence(id_x, en_x):
    for x in (id_x, en_x):
        keys = {e.key for e in x.entities}
        for f in x.facts:
            assert f.rel in RELATIONS
            assert f.evidence and f.subj in keys
            assert f.obj is None or f.obj in keys


def test_acronym_in_parentheses_gives_one_organisation_with_both_names(id_x):
    nfi = [e for e in id_x.entities if "NFI" in (e.name, *e.aliases)]
    assert len(nfi) == 1 and nfi[0].name == "Nederlands Forensisch Instituut"


def test_indonesian_visit_with_date_in_parentheses(id_x):
    visits = {(s, o, f.date) for f, s, o in _facts(id_x, "visited")}
    assert any("Laboratorium Forensik" in o and d == date(2023, 10, 19) for s, o, d in visits)


def test_delegation_is_sent_by_its_organisation_and_country(id_x):
    sent = {o for f, s, o in _facts(id_x, "sentBy")}
    assert "Netherlands" in sent
    assert any("Kepolisian Nasional Belanda" in o for o in sent)


def test_rank_is_kept_out_of_the_person_name(id_x):
    people = {e.name for e in id_x.entities if e.type == "Person"}
    assert "Budi Santoso" in people
    hosts = {o for f, s, o in _facts(id_x, "hostedBy")}
    assert "Budi Santoso" in hosts


def test_members_from_led_by_and_member_list(id_x):
    members = {s for f, s, o in _facts(id_x, "memberOf") if id_x.entities and "Delegasi" in o}
    assert {"Pieter van Dijk", "Anneke de Graaf"} <= members


def test_role_after_sebagai(id_x):
    roles = {(s, o) for f, s, o in _facts(id_x, "role")}
    assert ("Pieter van Dijk", "Hoofd Recherche") in roles


def test_quote_is_attributed_to_the_named_speaker(id_x):
    said = {s for f, s, o in _facts(id_x, "said")}
    assert "Pieter van Dijk" in said


def test_next_day_visit_is_dated_and_planned_visit_is_marked(id_x):
    visits = [(o, f.date, f.planned) for f, s, o in _facts(id_x, "visited")]
    assert any("Markas Polda Jawa Barat" in o and d == date(2023, 10, 20) and not p for o, d, p in visits)
    assert all(p for o, d, p in visits if "Padjadjaran" in o)


def test_english_delegation_from_possessive_country(en_x):
    sent = {o for f, s, o in _facts(en_x, "sentBy")}
    assert "Thailand" in sent
    assert any("Royal Irrigation Department" in o for o in sent)


def test_english_visit_date_from_weekday_and_month_in_parentheses(en_x):
    visits = {(o, f.date) for f, s, o in _facts(en_x, "visited")}
    assert ("Semarang Flood Control Center", date(2023, 10, 3)) in visits


def test_apposition_gives_role_and_possessive_organisation(en_x):
    roles = {(s, o) for f, s, o in _facts(en_x, "role")}
    assert any(s == "Somchai Prasert" and "Deputy Director-General" in o for s, o in roles)


def test_reported_speech_becomes_said(en_x):
    said = {(s, o) for f, s, o in _facts(en_x, "said")}
    assert any(s == "Somchai Prasert" and "early warning" in o for s, o in said)


def test_planned_visit_is_not_asserted(en_x):
    for f, s, o in _facts(en_x, "visited"):
        if o == "Jakarta":
            assert f.planned


def test_country_entities_use_english_names_and_own_codes(id_x):
    nl = [e for e in id_x.entities if e.type == "Country" and e.country == "NL"]
    assert nl and nl[0].name == "Netherlands"


def test_mentions_carry_labels_and_offsets(id_x):
    labels = {m.label for m in id_x.mentions}
    assert {"PER", "ORG", "LOC", "DATE"} <= labels
    for m in id_x.mentions:
        assert id_x.document.text[m.start:m.end] == m.text


HOSTED_TEXT = """Gubernur Bali Sambut Delegasi Kota Perth

Selasa, 9 Juli 2024

DENPASAR – Gubernur Bali Made Wirawan menyambut delegasi Pemerintah Kota Perth, Australia, di Gedung Jaya Sabha, Denpasar, Selasa (9/7/2024). Delegasi itu dipimpin Wakil Wali Kota Perth, John Smith.

Ketiganya kemudian meninjau Terminal Mengwi di Badung.

"Kami ingin belajar dari pengalaman Perth," ujar Made Wirawan.
"""

COURTESY_TEXT = """Embassy News

Ambassador calls on the governor

Mérida, 28 February 2024

Indonesia's Ambassador to Mexico, Dewi Lestari Purba, paid a courtesy call on the Governor of Yucatán, Jorge Canul, at the Government Palace (Palacio de Gobierno) in Mérida on 27 February 2024. "Both regions live from tourism," the ambassador said.
"""


def test_host_welcoming_a_delegation_gives_host_and_visit_of_the_place():
    x = extract(Article(key="h", text=HOSTED_TEXT))
    hosted = {o for f, s, o in _facts(x, "hostedBy")}
    assert "Made Wirawan" in hosted
    visits = {(o, f.date) for f, s, o in _facts(x, "visited")}
    assert ("Gedung Jaya Sabha", date(2024, 7, 9)) in visits
    assert any(o == "Terminal Mengwi" for o, d in visits)  # "Ketiganya" is the delegation


def test_courtesy_call_is_a_meeting_and_a_visit_with_the_title_reference_speaker():
    x = extract(Article(key="c", text=COURTESY_TEXT))
    met = {(s, o, f.date) for f, s, o in _facts(x, "metWith")}
    assert ("Dewi Lestari Purba", "Jorge Canul", date(2024, 2, 27)) in met
    palace = next(e for e in x.entities if "Government Palace" in (e.name, *e.aliases))
    assert {"Government Palace", "Palacio de Gobierno"} <= {palace.name, *palace.aliases}
    assert palace.country == "MX"
    assert any(f.obj == palace.key for f in x.facts if f.rel == "visited")
    said = {s for f, s, o in _facts(x, "said")}
    assert "Dewi Lestari Purba" in said


def test_misspelt_surname_is_merged_with_the_full_name():
    text = ("Delegasi Belanda Tiba di Surabaya Hari Ini Untuk Kunjungan\n\n"
            "SURABAYA – Delegasi Belanda dipimpin oleh Hendrik van den Berg sebagai Kepala Kerja Sama "
            "Internasional. \"Kami senang sekali berada di sini bersama rekan kami,\" kata Hendrik van der Burg.\n")
    x = extract(Article(key="m", text=text))
    people = [e for e in x.entities if e.type == "Person"]
    assert len(people) == 1 and "Hendrik van der Burg" in people[0].aliases


def test_host_receiving_a_visiting_minister_gives_meeting_host_and_place():
    text = ("Ministers discuss fisheries in Jakarta this week\n\n"
            "By Andi Wijaya | Tuesday, 5 September 2023\n\n"
            "JAKARTA — Indonesian Foreign Minister Retno Marsudi received her Thai counterpart, Don Pramudwinai, "
            "at the Pancasila Building in Central Jakarta on Monday. Don was accompanied by Thailand's ambassador "
            "to Indonesia, Prapan Disyatat.\n")
    x = extract(Article(key="r", text=text))
    assert ("Don Pramudwinai", "Retno Marsudi", date(2023, 9, 4)) in {(s, o, f.date) for f, s, o in _facts(x, "metWith")}
    assert ("Don Pramudwinai", "Retno Marsudi") in {(s, o) for f, s, o in _facts(x, "hostedBy")}
    assert "Pancasila Building" in {o for f, s, o in _facts(x, "visited")}
    assert ("Don Pramudwinai", "Prapan Disyatat") in {(s, o) for f, s, o in _facts(x, "accompaniedBy")}
