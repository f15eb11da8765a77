"""A synthetic, seeded corpus of news articles about diplomatic visits.

Each article is a JSON object (one per line) that ``kg ingest`` reads as is
(``id``, ``title``, ``text``, ``published``, ``source``, ``lang``, ``url``) plus
``_gold``: what the article states (entities, facts, the sentence each fact is in),
so store, query and analytics benchmarks can build graphs of the same shape without
depending on the extractor.

About half the articles are Indonesian, half English, 300-700 words each, built from
varied templates: a delegation of an organisation of some country visits a facility or
a ministry, led by an official and made of members with roles; it is received by a host,
accompanied by companions; people are quoted; dates are written in several styles.
People, organisations, facilities and places are invented but plausible, and drawn
with a Zipf-like popularity, so that some recur across thousands of articles (entity
resolution and hub-shaped graphs occur) while most appear a few times. The filler
text draws from a Zipf vocabulary of invented words so that the number of distinct
word types grows as in real news (the spaCy tokenizer's speed depends on it).

Usage::

    python -m benchmarks.corpus -n 1000 --seed 7 -o benchmarks/out/corpus.jsonl

Same ``n`` and ``seed`` give byte-identical output.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GAZETTEERS = ROOT / "data" / "gazetteers"

__all__ = ["World", "generate", "write_jsonl", "gold_extraction", "gazetteer_phrases"]

# --------------------------------------------------------------------------- literals

DOMAINS: tuple[tuple[str, str], ...] = (
    ("Foreign Affairs", "Luar Negeri"),
    ("Social Affairs", "Sosial"),
    ("Health", "Kesehatan"),
    ("Education", "Pendidikan"),
    ("Trade", "Perdagangan"),
    ("Manpower", "Ketenagakerjaan"),
    ("Agriculture", "Pertanian"),
    ("Defence", "Pertahanan"),
    ("Home Affairs", "Dalam Negeri"),
    ("Tourism", "Pariwisata"),
    ("Environment", "Lingkungan Hidup"),
    ("Maritime Affairs", "Kelautan dan Perikanan"),
    ("Energy", "Energi"),
    ("Transport", "Perhubungan"),
    ("Industry", "Perindustrian"),
    ("Religious Affairs", "Agama"),
    ("Women's Empowerment", "Pemberdayaan Perempuan"),
    ("Communication", "Komunikasi dan Informatika"),
    ("Finance", "Keuangan"),
    ("Law and Human Rights", "Hukum dan HAM"),
    ("Research and Technology", "Riset dan Teknologi"),
    ("Public Works", "Pekerjaan Umum"),
    ("Cooperatives", "Koperasi"),
    ("Youth and Sports", "Pemuda dan Olahraga"),
)
AGENCY_TOPICS: tuple[tuple[str, str], ...] = (
    ("Counter-Terrorism", "Penanggulangan Terorisme"),
    ("Disaster Management", "Penanggulangan Bencana"),
    ("Drug Control", "Narkotika"),
    ("Food and Drug Control", "Pengawas Obat dan Makanan"),
    ("Statistics", "Pusat Statistik"),
    ("Migrant Worker Protection", "Pelindungan Pekerja Migran"),
    ("Search and Rescue", "Pencarian dan Pertolongan"),
    ("Standardisation", "Standardisasi"),
    ("Meteorology", "Meteorologi dan Geofisika"),
    ("Investment", "Koordinasi Penanaman Modal"),
)
FACILITY_HEADS: tuple[tuple[str, str], ...] = (
    ("Sentra", "Centre"), ("Balai", "Centre"), ("Balai Besar", "Centre"), ("Pusat", "Centre"),
    ("Panti", "Home"), ("Balai Latihan Kerja", "Vocational Training Centre"),
    ("Rumah Sakit", "Hospital"), ("Laboratorium", "Laboratory"), ("Sekolah", "School"),
    ("Politeknik", "Polytechnic"), ("Pelabuhan", "Port"), ("Pos Lintas Batas", "Border Post"),
)
FACILITY_NAMES = (
    "Handayani", "Mulya Jaya", "Sejahtera", "Harapan Bangsa", "Bina Insan", "Budi Luhur", "Tan Miyat",
    "Melati", "Wyata Guna", "Inten Suweno", "Paramita", "Nipotowe", "Antasena", "Galih Pakuan",
    "Naibonat", "Abiseka", "Pangudi Luhur", "Ciungwanara", "Satria", "Kartini", "Dharma Guna",
    "Bahagia", "Phala Martha", "Margo Laras", "Terpadu", "Kasih Ibu", "Cahaya Bangsa", "Nusantara",
    "Mandiri", "Karya Wijaya", "Pelita", "Bhakti Luhur", "Ratnawati", "Gau Mabaji", "Efata",
)
ID_FIRST = (
    "Agus", "Budi", "Siti", "Dewi", "Rudi", "Yulianti", "Andi", "Fitri", "Hendra", "Rina", "Bambang",
    "Sri", "Joko", "Ratna", "Eko", "Wahyu", "Indah", "Agung", "Nur", "Dian", "Hadi", "Lestari",
    "Teguh", "Ayu", "Rizky", "Putri", "Fajar", "Maya", "Arief", "Nanda", "Bayu", "Kartika", "Dimas",
    "Retno", "Yusuf", "Wulan", "Irfan", "Intan", "Gilang", "Sekar", "Taufik", "Anisa", "Herman",
    "Endang", "Sutrisno", "Asep", "Ujang", "Made", "Ketut", "Nyoman", "Wayan", "Ahmad", "Muhammad",
)
ID_LAST = (
    "Mukhtar", "Santoso", "Wijaya", "Susanto", "Hidayat", "Saputra", "Kurniawan", "Pratama", "Setiawan",
    "Nugroho", "Rahmawati", "Siregar", "Nasution", "Harahap", "Simanjuntak", "Lubis", "Sitompul",
    "Purnomo", "Wibowo", "Suharto", "Gunawan", "Hartono", "Permana", "Syahputra", "Ramadhan",
    "Firmansyah", "Maulana", "Hakim", "Aritonang", "Manurung", "Tanjung", "Sembiring", "Ginting",
    "Tarigan", "Pangaribuan", "Pardede", "Situmorang", "Sinaga", "Daulay", "Rangkuti", "Rusdi",
    "Widodo", "Haryanto", "Utomo", "Prasetyo", "Suryadi", "Mahendra", "Sudirman", "Kusuma",
)
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "west": (
        ("Anna", "Piet", "Thierry", "Marie", "Lukas", "Sofia", "James", "Emma", "Oliver", "Claire",
         "Henrik", "Ingrid", "Marco", "Giulia", "Pablo", "Lucia", "Jan", "Eva", "Tomas", "Helena",
         "Michael", "Sarah", "Daniel", "Laura", "Pierre", "Camille", "Stefan", "Katrin", "Ivan", "Olga"),
        ("Berg", "Vos", "Toutin", "Dubois", "Schmidt", "Rossi", "Garcia", "Smith", "Brown", "Jansen",
         "Muller", "Novak", "Kowalski", "Lindqvist", "Hansen", "Moreau", "Bernard", "Fischer", "Weber",
         "Martin", "Costa", "Silva", "Petrov", "Ivanova", "Nielsen", "Andersen", "OConnor", "Murphy"),
    ),
    "asia": (
        ("Hiroshi", "Yuki", "Kenji", "Aiko", "Min-jun", "Ji-woo", "Wei", "Li", "Mei", "Somchai",
         "Nguyen", "Thanh", "Rajesh", "Priya", "Arjun", "Ravi", "Kim", "Siew", "Ahmad", "Farah",
         "Takeshi", "Haruka", "Seo-yeon", "Jun", "Ling", "Anan", "Ploy", "Minh", "Sunil", "Kavita"),
        ("Tanaka", "Suzuki", "Sato", "Kim", "Park", "Lee", "Wang", "Zhang", "Chen", "Liu", "Srisuk",
         "Tran", "Pham", "Sharma", "Patel", "Singh", "Gupta", "Tan", "Lim", "Wong", "Abdullah",
         "Rahman", "Yamamoto", "Nakamura", "Choi", "Huang", "Zhao", "Chaiyasit", "Le", "Reddy"),
    ),
    "arab": (
        ("Mohammed", "Abdullah", "Fatima", "Omar", "Khalid", "Aisha", "Hassan", "Layla", "Yousef",
         "Mariam", "Faisal", "Noura", "Tariq", "Huda", "Saeed", "Rania", "Ali", "Salma", "Karim", "Amal"),
        ("Al-Saud", "Al-Thani", "Al-Maktoum", "Haddad", "Khoury", "Nasser", "Mansour", "Saleh", "Aziz",
         "Farouk", "Hamdan", "Qasim", "Rashid", "Othman", "Yilmaz", "Demir", "Kaya", "Sahin", "Hosseini"),
    ),
}
ARAB_CODES = {"SA", "AE", "QA", "EG", "TR", "IR", "IQ", "PS", "JO", "MA", "DZ", "TN", "SY", "LB", "KW", "OM",
              "BH", "YE", "SD", "AF"}
ASIA_CODES = {"JP", "KR", "KP", "CN", "TW", "MY", "SG", "TH", "VN", "PH", "MM", "KH", "LA", "BN", "IN", "PK",
              "BD", "NP", "LK", "TL", "KZ", "UZ"}
ROLES: tuple[tuple[str, str], ...] = (
    ("Director for Asia", "Direktur Asia"), ("Deputy Director", "Wakil Direktur"),
    ("Senior Adviser", "Staf Ahli"), ("First Secretary", "Sekretaris Pertama"),
    ("Second Secretary", "Sekretaris Kedua"), ("Head of Cooperation", "Kepala Bagian Kerja Sama"),
    ("Programme Officer", "Analis Program"), ("Researcher", "Peneliti"),
    ("Head of Division", "Kepala Bidang"), ("Spokesperson", "Juru Bicara"),
    ("Legal Adviser", "Penasihat Hukum"), ("Attaché", "Atase"), ("Coordinator", "Koordinator"),
    ("Protocol Officer", "Staf Protokol"), ("Technical Specialist", "Spesialis Teknis"),
)
LEADER_TITLE: dict[str, tuple[str, str]] = {
    "ministry": ("Minister", "Menteri"),
    "mfa": ("Foreign Minister", "Menteri Luar Negeri"),
    "agency": ("Head", "Kepala"),
    "embassy": ("Ambassador", "Duta Besar"),
    "dg": ("Director-General", "Direktur Jenderal"),
    "university": ("Rector", "Rektor"),
    "province": ("Governor", "Gubernur"),
}
ID_DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ID_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
             "Oktober", "November", "Desember")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")
EN_MONTHS_AP = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
TOPICS: tuple[tuple[str, str], ...] = (
    ("social rehabilitation", "rehabilitasi sosial"), ("vocational training", "pelatihan vokasi"),
    ("disaster preparedness", "kesiapsiagaan bencana"), ("maritime security", "keamanan maritim"),
    ("public health", "kesehatan masyarakat"), ("digital economy", "ekonomi digital"),
    ("renewable energy", "energi terbarukan"), ("food security", "ketahanan pangan"),
    ("counter-radicalisation", "deradikalisasi"), ("migrant worker protection", "pelindungan pekerja migran"),
    ("teacher exchange", "pertukaran guru"), ("halal certification", "sertifikasi halal"),
    ("climate adaptation", "adaptasi perubahan iklim"), ("child protection", "perlindungan anak"),
    ("trade facilitation", "fasilitasi perdagangan"), ("border management", "pengelolaan perbatasan"),
)
SITES = ("antaranews.com", "kompas.com", "detik.com", "tempo.co", "mjnews.id", "jakartaglobe.id",
         "thejakartapost.com", "kemlu.go.id", "kemensos.go.id", "republika.co.id", "cnnindonesia.com",
         "beritasatu.com", "liputan6.com", "okezone.com", "suara.com", "tribunnews.com")

_SYLLABLES = ("ba", "ka", "ri", "tu", "ngan", "lah", "pe", "me", "si", "da", "ra", "wi", "jo", "ko", "nu",
              "sa", "ta", "la", "ma", "ni", "bu", "an", "ing", "kan", "per", "ter", "ber", "se", "di", "go",
              "lu", "hu", "ya", "ci", "pu", "ram", "tion", "ment", "ex", "pro", "con", "dis", "ver", "al")


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(itertools.accumulate(1.0 / (r ** s) for r in range(1, n + 1)))


def _pick(rng: random.Random, items: list, cum: list[float]):
    return items[bisect.bisect_left(cum, rng.random() * cum[-1])]


def _tsv(name: str) -> list[dict[str, str]]:
    with (GAZETTEERS / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


# --------------------------------------------------------------------------- the world


@dataclass
class Ent:
    key: str
    types: tuple[str, ...]
    name_en: str
    name_id: str
    country: str | None = None
    kind: str = ""
    parent: Ent | None = None  # an org's or facility's parent org, a person's org
    place: Ent | None = None  # a facility's city, an org's seat


@dataclass
class World:
    """Invented entities with Zipf popularity; all choices come from ``seed``."""

    seed: int = 1
    countries: list[Ent] = field(default_factory=list)
    places: list[Ent] = field(default_factory=list)
    orgs: list[Ent] = field(default_factory=list)
    facilities: list[Ent] = field(default_factory=list)

    def __post_init__(self) -> None:
        rng = random.Random(f"world-{self.seed}")
        self._rng = rng
        by_code: dict[str, Ent] = {}
        for row in _tsv("countries.tsv"):
            names_id = (row.get("names_id") or row["name"]).split("|")[0]
            demonym = (row.get("demonyms") or row["name"]).split("|")[0]
            c = Ent(f"c:{row['code']}", ("Country",), row["name"], names_id, row["code"], kind=demonym)
            by_code[row["code"]] = c
            self.countries.append(c)
        self.by_code = by_code
        capitals: dict[str, Ent] = {}
        for row in _tsv("places.tsv"):
            if row.get("kind") not in ("city", "regency") or not row.get("country"):
                continue
            alias = (row.get("aliases") or "").split("|")[0]
            name_id = alias if alias and row["country"] == "ID" and " " in row["name"] and len(alias) > 3 else row["name"]
            p = Ent(f"p:{row['name']}", ("Place",), row["name"], name_id, row["country"], kind=row["kind"])
            self.places.append(p)
            capitals.setdefault(row["country"], p)
        self.capitals = capitals
        self.id_cities = [p for p in self.places if p.country == "ID"]
        rng.shuffle(self.id_cities)
        # countries: Indonesia first (the most named), others shuffled into a popularity order
        others = [c for c in self.countries if c.country != "ID"]
        rng.shuffle(others)
        self.foreign = others
        self.foreign_cum = _zipf_cum(len(others), 0.9)
        # organisations
        indonesia = by_code["ID"]
        for c in self.countries:
            home = c.country == "ID"
            of_en = "" if home else f" of {c.name_en}"
            of_id = "" if home else f" {c.name_id}"
            seat = capitals.get(c.country)
            doms = list(DOMAINS[1:])
            rng.shuffle(doms)
            self._org(c, "mfa", f"Ministry of Foreign Affairs{of_en}", f"Kementerian Luar Negeri{of_id}", seat)
            for en, id_ in doms[: (18 if home else 5)]:
                self._org(c, "ministry", f"Ministry of {en}{of_en}", f"Kementerian {id_}{of_id}", seat)
            ags = list(AGENCY_TOPICS)
            rng.shuffle(ags)
            for en, id_ in ags[: (10 if home else 2)]:
                self._org(c, "agency", f"National Agency for {en}{of_en}",
                          f"Badan {id_}{' Nasional' if home else of_id}", seat)
            if not home:
                jakarta = capitals.get("ID")
                self._org(c, "embassy", f"Embassy of {c.name_en} in Jakarta", f"Kedutaan Besar {c.name_id} di Jakarta",
                          jakarta)
                self._org(indonesia, "embassy", f"Embassy of Indonesia in {seat.name_en if seat else c.name_en}",
                          f"KBRI {seat.name_id if seat else c.name_id}", seat, host_country=c)
        for city in self.id_cities[:40]:
            self._org(indonesia, "university", f"University of {city.name_en}", f"Universitas {city.name_id}", city)
        for en, id_ in DOMAINS[1:13]:
            self._org(indonesia, "dg", f"Directorate General of {en} Services",
                      f"Direktorat Jenderal Layanan {id_}", capitals.get("ID"))
        orgs = list(self.orgs)
        rng.shuffle(orgs)
        self.orgs = orgs
        self.id_orgs = [o for o in orgs if o.country == "ID" and o.kind != "embassy"]
        self.id_orgs_cum = _zipf_cum(len(self.id_orgs))
        self.foreign_orgs: dict[str, list[Ent]] = {}
        for o in orgs:
            if o.country != "ID":
                self.foreign_orgs.setdefault(o.country or "", []).append(o)
        # facilities: Indonesian, each in a city, under an Indonesian ministry
        ministries = [o for o in self.id_orgs if o.kind in ("ministry", "agency", "dg")]
        seen: set[str] = set()
        for head, head_en in FACILITY_HEADS:
            for name in FACILITY_NAMES:
                if rng.random() > 0.45:
                    continue
                city = rng.choice(self.id_cities)
                full = f"{head} {name} {city.name_id}"
                if full in seen:
                    continue
                seen.add(full)
                self.facilities.append(Ent(f"f:{full}", ("Facility", "Organization"), full, full, "ID",
                                           kind=head_en, parent=rng.choice(ministries), place=city))
        rng.shuffle(self.facilities)
        self.fac_cum = _zipf_cum(len(self.facilities))
        self._people: dict[tuple[str, int], Ent] = {}

    def _org(self, country: Ent, kind: str, en: str, id_: str, seat: Ent | None, host_country: Ent | None = None):
        o = Ent(f"o:{en}", ("Organization",), en, id_, country.country, kind=kind, place=seat)
        o.host_country = host_country  # type: ignore[attr-defined]
        self.orgs.append(o)
        return o

    def person(self, org: Ent, j: int) -> Ent:
        """The j-th most prominent person of an organisation (0 is its head)."""
        k = (org.key, j)
        p = self._people.get(k)
        if p is None:
            r = random.Random(f"person-{self.seed}-{org.key}-{j}")
            if org.country == "ID":
                first, last = ID_FIRST, ID_LAST
            else:
                pool = "arab" if org.country in ARAB_CODES else "asia" if org.country in ASIA_CODES else "west"
                first, last = NAME_POOLS[pool]
            name = f"{r.choice(first)} {r.choice(last)}"
            if r.random() < 0.15 and org.country == "ID":
                name = f"{name} {r.choice(ID_LAST)}"
            p = Ent(f"h:{name}", ("Person",), name, name, None, parent=org)
            p.role = ROLES[r.randrange(len(ROLES))] if j else LEADER_TITLE.get(org.kind, ("Head", "Kepala"))  # type: ignore[attr-defined]
            self._people[k] = p
        return p

    def staff(self, rng: random.Random, org: Ent, *, exclude: set[int]) -> tuple[int, Ent]:
        """A staff member of ``org`` (Zipf over its staff: a few appear often)."""
        for _ in range(20):
            j = 1 + min(int(rng.paretovariate(1.1)) - 1, 150)
            if j not in exclude:
                return j, self.person(org, j)
        j = max(exclude) + 1
        return j, self.person(org, j)

    @cached_property
    def vocabulary(self) -> tuple[list[str], list[float]]:
        """60,000 invented word types with Zipf frequencies."""
        rng = random.Random(f"vocab-{self.seed}")
        words: list[str] = []
        seen: set[str] = set()
        while len(words) < 60000:
            w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
            if w not in seen:
                seen.add(w)
                words.append(w)
        return words, _zipf_cum(len(words), 1.05)


# --------------------------------------------------------------------------- one article


class _Builder:
    """Sentences with their offsets, and the facts each states."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.sents: list[tuple[int, int]] = []
        self.ents: dict[str, list] = {}
        self.facts: list[list] = []
        self.words = 0

    def ent(self, e: Ent, lang: str) -> str:
        name = e.name_id if lang == "id" else e.name_en
        if e.key not in self.ents:
            country = e.country
            if country is None and e.parent is not None:
                country = e.parent.country
            aliases = sorted({e.name_en, e.name_id} - {e.name_en})
            self.ents[e.key] = [e.key, list(e.types), e.name_en, aliases, country]
        return name

    def sentence(self, text: str, facts: list[list] | None = None) -> int:
        start = self.pos + (1 if self.parts and not self.parts[-1].endswith("\n") else 0)
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append(" ")
        self.parts.append(text)
        self.pos = start + len(text)
        self.sents.append((start, self.pos))
        self.words += len(text.split())
        i = len(self.sents) - 1
        for f in facts or ():
            f.append(i)
            self.facts.append(f)
        return i

    def paragraph(self) -> None:
        self.parts.append("\n\n")
        self.pos += 2

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _id_date(rng: random.Random, d: date) -> str:
    day = ID_DAYS[d.weekday()]
    return rng.choice((
        f"{day} ({d.day}/{d.month}/{d.year})",
        f"{day}, {d.day} {ID_MONTHS[d.month - 1]} {d.year}",
        f"pada {day} {d.day} {ID_MONTHS[d.month - 1]} {d.year}",
        f"{day} ({d.day}/{d.month})",
    ))


def _en_date(rng: random.Random, d: date) -> str:
    day = EN_DAYS[d.weekday()]
    return rng.choice((
        f"on {day}, {EN_MONTHS_AP[d.month - 1]} {d.day}, {d.year}",
        f"on {d.day} {EN_MONTHS[d.month - 1]} {d.year}",
        f"on {day} ({d.day} {EN_MONTHS[d.month - 1]})",
        f"on {EN_MONTHS[d.month - 1]} {d.day}",
    ))


def _filler(rng: random.Random, world: World, lang: str, topic: tuple[str, str], place: str, year: int) -> str:
    words, cum = world.vocabulary
    w = [_pick(rng, words, cum) for _ in range(4)]
    num = rng.randint(12, 4800)
    t = topic[1] if lang == "id" else topic[0]
    if lang == "id":
        return rng.choice((
            f"Program {t} di {place} telah menjangkau {num} penerima manfaat sejak {year - rng.randint(1, 9)}.",
            f"Menurut para petugas, kegiatan {w[0]} dan {w[1]} menjadi bagian penting dari upaya {t} yang berkelanjutan.",
            f"Kedua pihak membahas peluang kerja sama di bidang {t}, termasuk pertukaran pengalaman, pelatihan bersama dan penguatan kapasitas.",
            f"Selain itu, peserta juga meninjau fasilitas {w[2]} serta ruang {w[3]} yang digunakan untuk layanan sehari-hari.",
            f"Pemerintah menilai bahwa kolaborasi internasional sangat dibutuhkan untuk mempercepat capaian {t} di tingkat daerah.",
            f"Dalam diskusi tersebut, dibahas pula tantangan {w[0]} yang masih dihadapi masyarakat di sekitar {place}.",
            f"Sebanyak {num} warga telah mengikuti kegiatan {w[1]} yang diselenggarakan bersama mitra lokal pada tahun {year}.",
            f"Hasil kunjungan ini diharapkan dapat ditindaklanjuti dengan nota kesepahaman tentang {t} dan {w[2]}.",
            f"Rombongan kemudian berdialog dengan para pendamping, tenaga ahli dan penerima manfaat mengenai {w[3]}.",
        ))
    return rng.choice((
        f"The {t} programme in {place} has reached {num} beneficiaries since {year - rng.randint(1, 9)}.",
        f"According to officials, {w[0]} and {w[1]} activities are a key part of long-term efforts on {t}.",
        f"Both sides discussed cooperation on {t}, including exchanges of experience, joint training and capacity building.",
        f"The visitors also toured the {w[2]} facilities and the {w[3]} rooms used for daily services.",
        f"The government said international collaboration was needed to speed up progress on {t} in the regions.",
        f"The discussion also covered the {w[0]} challenges still faced by communities around {place}.",
        f"Some {num} residents have taken part in {w[1]} activities organised with local partners in {year}.",
        f"The visit is expected to lead to a memorandum of understanding on {t} and {w[2]}.",
        f"The delegation then spoke with social workers, experts and beneficiaries about {w[3]}.",
    ))


def _article(world: World, seed: int, i: int) -> dict:
    rng = random.Random(f"article-{seed}-{i}")
    lang = "id" if rng.random() < 0.5 else "en"
    b = _Builder()
    visit_date = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    published = visit_date + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
    topic = rng.choice(TOPICS)
    outbound = rng.random() < 0.2  # an Indonesian delegation abroad
    if outbound:
        visitor_org = _pick(rng, world.id_orgs, world.id_orgs_cum)
        country = _pick(rng, world.foreign, world.foreign_cum)
        dest_org = rng.choice(world.foreign_orgs.get(country.country or "", [visitor_org]))
        dest = dest_org
        city = world.capitals.get(country.country or "") or country
    else:
        country = _pick(rng, world.foreign, world.foreign_cum)
        visitor_org = rng.choice(world.foreign_orgs[country.country or ""])
        if rng.random() < 0.6:
            dest = _pick(rng, world.facilities, world.fac_cum)
            dest_org = dest.parent
            city = dest.place
        else:
            dest = _pick(rng, world.id_orgs, world.id_orgs_cum)
            dest_org = dest
            city = dest.place or world.capitals["ID"]
    leader = world.person(visitor_org, 0)
    host_org = dest_org if dest_org is not None else dest
    host_j, host = world.staff(rng, host_org, exclude=set()) if dest.kind not in ("ministry", "mfa") or rng.random() < 0.7 else (0, world.person(host_org, 0))
    used = {0}
    members = []
    for _ in range(rng.randint(1, 5)):
        j, m = world.staff(rng, visitor_org, exclude=used)
        used.add(j)
        members.append(m)
    companions = []
    if not outbound and rng.random() < 0.6:
        emb = next((o for o in world.foreign_orgs.get(country.country or "", []) if o.kind == "embassy"), None)
        if emb is not None:
            companions.append(world.person(emb, 0))
    if rng.random() < 0.5:
        j, c = world.staff(rng, host_org, exclude={host_j})
        companions.append(c)
    delegation = Ent(f"d:{visitor_org.key}:{visit_date.isoformat()}", ("Delegation",),
                     f"Delegation of {visitor_org.name_en}", f"Delegasi {visitor_org.name_id}", visitor_org.country)

    E = lambda e: b.ent(e, lang)  # noqa: E731
    d_name, org_name, dest_name, city_name = E(delegation), E(visitor_org), E(dest), E(city)
    country_name = E(country)
    lead_title = leader.role[1 if lang == "id" else 0]  # type: ignore[attr-defined]
    host_title = host.role[1 if lang == "id" else 0]  # type: ignore[attr-defined]
    lname, hname = E(leader), E(host)
    date_text = _id_date(rng, visit_date) if lang == "id" else _en_date(rng, visit_date)
    rule = f"{lang}.bench"
    V = ["visited", delegation.key, dest.key, None, visit_date.isoformat(), None, False, rule]
    S = ["sentBy", delegation.key, visitor_org.key, None, None, None, False, rule]

    # title
    if lang == "id":
        title = rng.choice((
            f"Delegasi {country_name} Kunjungi {dest_name}",
            f"{dest_name} Terima Kunjungan {org_name}",
            f"{lead_title} {lname} Pimpin Kunjungan ke {city_name}",
            f"Kerja Sama {topic[1].title()}: Delegasi {country_name} Belajar di {city_name}",
        ))
    else:
        title = rng.choice((
            f"{country.kind} delegation visits {dest_name}",
            f"{dest_name} hosts {org_name}",
            f"{lead_title} {lname} leads visit to {city_name}",
            f"{country.kind} officials study {topic[0]} in {city_name}",
        ))
    b.sentence(title)
    b.paragraph()
    # lead
    if lang == "id":
        lead = rng.choice((
            f"{d_name} mengunjungi {dest_name} di {city_name}, {date_text}.",
            f"Delegasi dari {org_name} melakukan kunjungan kerja ke {dest_name}, {city_name}, {date_text}.",
            f"{dest_name} menerima kunjungan {d_name} {date_text}, dalam rangka kerja sama {topic[1]}.",
        ))
    else:
        lead = rng.choice((
            f"A delegation from the {org_name} visited {dest_name} in {city_name} {date_text}.",
            f"{dest_name} in {city_name} received a delegation of the {org_name} {date_text} to discuss {topic[0]}.",
            f"Officials of the {org_name} paid a working visit to {dest_name}, {city_name}, {date_text}.",
        ))
    b.sentence(lead, [V, S, ["locatedIn", dest.key, city.key, None, None, None, False, rule]])
    # leader and members
    mem_facts = [["memberOf", leader.key, delegation.key, None, None, None, False, rule],
                 ["role", leader.key, None, lead_title, None, visitor_org.key, False, rule]]
    if lang == "id":
        b.sentence(rng.choice((
            f"Rombongan dipimpin oleh {lead_title} {lname}.",
            f"Delegasi tersebut dipimpin {lead_title} {org_name}, {lname}.",
        )), mem_facts)
    else:
        b.sentence(rng.choice((
            f"The delegation was led by {lead_title} {lname}.",
            f"{lname}, {lead_title} of the {org_name}, headed the delegation.",
        )), mem_facts)
    facts = []
    parts = []
    for m in members:
        role = m.role[1 if lang == "id" else 0]  # type: ignore[attr-defined]
        facts += [["memberOf", m.key, delegation.key, None, None, None, False, rule],
                  ["role", m.key, None, role, None, visitor_org.key, False, rule]]
        nm = E(m)
        parts.append((nm, role))
    if lang == "id":
        listed = ", ".join(f"{n} sebagai {r}" for n, r in parts[:-1])
        listed = f"{listed} dan {parts[-1][0]} sebagai {parts[-1][1]}" if listed else f"{parts[-1][0]} sebagai {parts[-1][1]}"
        b.sentence(rng.choice((f"Delegasi itu terdiri dari {listed}.", f"Turut hadir dalam rombongan {listed}.")), facts)
    else:
        listed = ", ".join(f"{r} {n}" for n, r in parts[:-1])
        listed = f"{listed} and {parts[-1][1]} {parts[-1][0]}" if listed else f"{parts[-1][1]} {parts[-1][0]}"
        b.sentence(rng.choice((f"The delegation included {listed}.", f"Also in the delegation were {listed}.")), facts)
    b.paragraph()
    # host and companions
    host_facts = [["hostedBy", delegation.key, host.key, None, None, None, False, rule],
                  ["role", host.key, None, host_title, None, host_org.key, False, rule],
                  ["memberOf", host.key, host_org.key, None, None, None, False, rule]]
    for c in companions:
        host_facts.append(["accompaniedBy", delegation.key, c.key, None, None, None, False, rule])
    comp = [f"{c.role[1 if lang == 'id' else 0]} {E(c)}" for c in companions]  # type: ignore[attr-defined]
    if lang == "id":
        s = f"Kedatangan delegasi disambut oleh {host_title} {hname}"
        s += f", didampingi {' dan '.join(comp)}." if comp else "."
    else:
        s = f"The visitors were welcomed by {host_title} {hname}"
        s += f", accompanied by {' and '.join(comp)}." if comp else "."
    b.sentence(s, host_facts)
    # quotes and filler
    quotes_id = ("Kami belajar banyak dari program ini", "Kerja sama internasional sangat penting bagi kedua negara",
                 "Kami berharap kunjungan ini membuka peluang kolaborasi yang lebih luas",
                 "Pengalaman Indonesia dapat menjadi contoh bagi negara lain")
    quotes_en = ("We have learned a great deal from this programme", "International cooperation matters to both countries",
                 "We hope this visit opens the way to broader collaboration",
                 "Indonesia's experience can be an example for other countries")
    target = rng.randint(300, 700)
    place_name = city_name
    n_quotes = 0
    while b.words < target:
        b.paragraph()
        for _ in range(rng.randint(2, 4)):
            b.sentence(_filler(rng, world, lang, topic, place_name, visit_date.year))
        if n_quotes < 3 and rng.random() < 0.5:
            who = rng.choice([leader, host] + members)
            q = rng.choice(quotes_id if lang == "id" else quotes_en)
            nm = E(who)
            verb = rng.choice(("kata", "ujar", "ungkap", "tutur")) if lang == "id" else rng.choice(("said", "added", "noted"))
            b.sentence(f"\u201c{q},\u201d {verb} {nm}.", [["said", who.key, None, q, None, None, False, rule]])
            n_quotes += 1
    # a meeting or a planned visit to close
    b.paragraph()
    if rng.random() < 0.5:
        other = world.person(host_org, 0)
        on = E(other)
        f = [["metWith", leader.key, other.key, None, visit_date.isoformat(), None, False, rule]]
        b.sentence(f"Sebelumnya, {lname} juga bertemu dengan {on} untuk membahas {topic[1]}." if lang == "id"
                   else f"Earlier, {lname} also met {on} to discuss {topic[0]}.", f)
    else:
        nxt = rng.choice(world.id_cities)
        nn = E(nxt)
        later = visit_date + timedelta(days=rng.randint(5, 60))
        f = [["visited", delegation.key, nxt.key, None, later.isoformat(), None, True, rule]]
        b.sentence(f"Delegasi dijadwalkan akan mengunjungi {nn} pada {later.day} {ID_MONTHS[later.month - 1]} {later.year}."
                   if lang == "id" else f"The delegation is scheduled to visit {nn} on {later.day} {EN_MONTHS[later.month - 1]} {later.year}.", f)
    site = rng.choice(SITES)
    rid = f"bench-{seed}-{i:07d}"
    return {
        "id": rid,
        "title": title,
        "text": b.text,
        "published": published.isoformat(),
        "source": site,
        "url": f"https://{site}/berita/{rid}",
        "lang": lang,
        "_gold": {"sents": b.sents, "ents": list(b.ents.values()), "facts": b.facts},
    }


def generate(n: int, *, seed: int = 1, start: int = 0, world: World | None = None) -> Iterator[dict]:
    """Yield ``n`` article records (deterministic from ``seed``), one at a time."""
    world = world or World(seed)
    for i in range(start, start + n):
        yield _article(world, seed, i)


def write_jsonl(path: str | Path, n: int, *, seed: int = 1) -> dict:
    """Write ``n`` articles to ``path`` (JSON Lines, streamed); return counts."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    words = 0
    langs = {"id": 0, "en": 0}
    with path.open("w", encoding="utf-8") as f:
        for rec in generate(n, seed=seed):
            words += len(rec["text"].split())
            langs[rec["lang"]] += 1
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"articles": n, "words": words, **langs}


def read_jsonl(path: str | Path) -> Iterator[dict]:
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def gold_extraction(rec: dict):
    """The ``kg.model.Extraction`` an ideal extractor would return for a generated record."""
    from kg.model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence

    text = rec["text"]
    art = Article(key=rec["id"], text=text, title=rec["title"], published=date.fromisoformat(rec["published"]),
                  source=rec["source"], url=rec["url"], lang=rec["lang"])
    g = rec["_gold"]
    sents = tuple(Sentence(s, e, text[s:e]) for s, e in g["sents"])
    doc = Document(article=art, lang=rec["lang"], title=art.title, published=art.published, source=art.source,
                   content=((0, len(text)),), sentences=sents)
    ents = tuple(Entity(k, tuple(t), name, tuple(al), c) for k, t, name, al, c in g["ents"])
    facts = []
    for rel, subj, obj, value, d, org, planned, rule, si in g["facts"]:
        s = sents[si]
        facts.append(Fact(rel, subj, obj, value=value, date=date.fromisoformat(d) if d else None, org=org,
                          planned=planned, evidence=(Evidence(s.start, s.end, s.text, rule),)))
    return Extraction(document=doc, entities=ents, facts=tuple(facts))


def gazetteer_phrases(world: World | None = None) -> list[str]:
    """Every name the world (and the project's gazetteers) knows: the bare-spaCy baseline's PhraseMatcher."""
    world = world or World()
    names: set[str] = set()
    for e in itertools.chain(world.countries, world.places, world.orgs, world.facilities):
        names.update((e.name_en, e.name_id))
    for name in ("countries.tsv", "places.tsv", "titles.tsv", "org_heads.tsv", "facility_heads.tsv"):
        for row in _tsv(name):
            for v in row.values():
                if v:
                    names.update(x for x in v.split("|") if len(x) > 1 and not x.isupper() or len(x) > 2)
    for first in itertools.chain(ID_FIRST, *(p[0] for p in NAME_POOLS.values())):
        names.add(first)
    return sorted(n for n in names if n.strip())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("-n", type=int, default=1000, help="number of articles (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--output", type=Path, default=Path("benchmarks/out/corpus.jsonl"))
    args = ap.parse_args(argv)
    stats = write_jsonl(args.output, args.n, seed=args.seed)
    print(f"wrote {args.output}: {stats['articles']} articles ({stats['id']} id, {stats['en']} en), "
          f"{stats['words']} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
