"""Text analysis: language, furniture, title, dates, source, sentences."""

from __future__ import annotations

from datetime import date

import pytest

from kg.errors import InputError
from kg.model import Article
from kg.text import analyse, dateline, detect_language, split_sentences

ID_ARTICLE = """Beranda » Berita » Nasional

Delegasi Jepang Kunjungi Kantor Badan Penanggulangan Bencana di Bandung

Selasa, 13 Februari 2024 - 09:41 WIB
Dibaca 287 kali

BANDUNG, Kabarbandung.id – Delegasi Kementerian Luar Negeri Jepang melakukan kunjungan kerja ke Badan Penanggulangan Bencana Daerah di Bandung, Senin (12/2/2024). Kunjungan itu difokuskan pada pertukaran pengalaman dengan para petugas di lapangan.

Baca Juga: Banjir Rendam Pesisir, Ratusan Warga Mengungsi

Rombongan diterima oleh Kepala Badan, Dr. H. Asep Sunandar, yang menjelaskan sistem peringatan dini kepada para tamu dari Jepang.

Tags: BPBD, Jepang
Bagikan: Facebook | X | WhatsApp
"""

EN_ARTICLE = """HOME / WORLD

Dutch team studies Surabaya port logistics in a three-day visit

By Ayu Lestari | Thursday, October 5, 2023 08:12 WIB

SURABAYA — A delegation from the Port of Rotterdam visited the Port of Tanjung Perak on Tuesday (Oct. 3) to see how the port handles containers. The team was received by Director Budi Santoso at the port's main office.

Read also: Exports rise in third quarter

Share this article: Facebook | X
"""


def test_language_is_detected_from_function_words():
    assert detect_language("Delegasi itu mengunjungi sentra tersebut dan bertemu dengan para petugas.") == "id"
    assert detect_language("The delegation visited the centre and met the officials of the agency.") == "en"


def test_empty_text_is_an_input_error():
    with pytest.raises(InputError):
        analyse(Article(key="empty", text="   \n "))


def test_indonesian_article_title_date_source_and_furniture():
    doc = analyse(Article(key="a", text=ID_ARTICLE))
    assert doc.lang == "id"
    assert doc.title == "Delegasi Jepang Kunjungi Kantor Badan Penanggulangan Bencana di Bandung"
    assert doc.published == date(2024, 2, 13)
    assert doc.source == "kabarbandung.id"
    content = " ".join(doc.text[s:e] for s, e in doc.content)
    assert "Baca Juga" not in content and "Tags:" not in content and "Dibaca" not in content
    assert any("Rombongan diterima" in s.text for s in doc.sentences)


def test_content_spans_index_the_original_text():
    doc = analyse(Article(key="a", text=ID_ARTICLE))
    for s in doc.sentences:
        assert doc.text[s.start:s.end] == s.text


def test_english_byline_date_and_dateline():
    doc = analyse(Article(key="b", text=EN_ARTICLE))
    assert doc.lang == "en"
    assert doc.published == date(2023, 10, 5)
    assert doc.title.startswith("Dutch team studies")
    dl = dateline(doc)
    assert dl is not None and dl.place == "SURABAYA"


def test_metadata_given_with_the_article_wins():
    doc = analyse(Article(key="c", text=EN_ARTICLE, title="Given title", published=date(2020, 1, 1),
                          source="example.org", lang="en"))
    assert (doc.title, doc.published, doc.source) == ("Given title", date(2020, 1, 1), "example.org")


def test_release_date_from_received_statement():
    text = ("Judul Berita Tentang Kunjungan Delegasi Asing\n\n"
            "Portal.id – Delegasi Prancis mengunjungi Sentra Mulya Jaya di Jakarta.\n\n"
            "Dalam keterangan yang diterima Portal.id pada Selasa 3 Oktober 2023, kunjungan itu disebut berhasil.\n")
    doc = analyse(Article(key="d", text=text))
    assert doc.published == date(2023, 10, 3)


@pytest.mark.parametrize("text, n", [
    ("Dr. Sokha met Insp. Gen. Harun on Jl. Sudirman No. 5 in Jakarta. They talked.", 2),
    ("The visit ended on Sept. 29 with a dinner. Guests left.", 2),
    ("Kombes Pol. Arief Wicaksono menerima H. Ahmad, S.H., M.Si. di kantornya. Ia senang.", 2),
    ("“Kerja sama ini penting. Kami siap,” kata Rustian. Ia tersenyum.", 2),
])
def test_sentences_do_not_cut_after_abbreviations_or_inside_quotes(text, n):
    abbrevs = frozenset({"Dr", "Insp", "Gen", "Jl", "No", "Sept", "Kombes", "Pol", "H", "S.H", "M.Si"})
    spans = split_sentences(text, 0, len(text), abbrevs)
    assert len(spans) == n, [text[s:e] for s, e in spans]


@pytest.mark.parametrize("module", ["kg.text", "kg.extract", "kg.extract.rules", "kg.extract.dates"])
def test_docstring_examples_of_the_text_and_extraction_modules(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_characters_stripped_before_language_detection_are_never_part_of_a_word():
    from kg.text import _NOT_WORD_CHARS, _WORD_RE

    assert not any(_WORD_RE.match(c) or c in "'’" for c in _NOT_WORD_CHARS)


def test_sentence_end_scan_finds_what_the_regex_finds():
    import random

    from kg.text import _SENT_END_RE, _sentence_ends

    rnd = random.Random(11)
    pieces = ["Dr.", "a", "b.", "?", "!", '"', "”", "’", ")", " ", "  ", "\n", "x.y", "...", "?!"]
    for _ in range(3000):
        seg = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 15)))
        assert [m.span() for m in _sentence_ends(seg)] == [m.span() for m in _SENT_END_RE.finditer(seg)], seg
