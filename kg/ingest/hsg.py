"""US Office of the Historian (history.state.gov) visit records -> ``Extraction``.

Two XML collections (CC0), both read here:

* ``travels``: ``<trips><trip role="president|secretary" who="...">`` -- trips abroad
  by Presidents and Secretaries of State (id, name, dates, ``country/@id``, locale,
  remarks);
* ``visits``: ``<visits><visit>`` -- foreign leaders' visits to the US (id, dates,
  visitor with title, ``from/@id``, description).

Each record becomes one ``Extraction`` whose ``Article`` is a readable rendering of
the record (key ``hsg-trip-<id>`` / ``hsg-visit-<id>``, path = the XML file), so
every fact carries an evidence span into that text, exactly as for news articles.
The visitor visits the destination *country* (cities are ``Place`` entities located
in it); people met come from the remarks, through a small "met with <title> <name>"
rule here and, when it is importable, the English extractor ``kg.extract.extract``
(its Person entities, roles and meetings are merged in). Countries carry their ISO
3166-1 code, so they resolve to the same IRI as in news articles.
"""

from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from ..model import Article, Document, Entity, Evidence, Extraction, Fact, Sentence, Skip
from ..names import fold

__all__ = [
    "read_hsg_paths",
    "read_hsg_file",
    "country_code",
    "split_title",
    "met_people",
    "SOURCE",
]

SOURCE = "history.state.gov"
_BASE_URL = "https://history.state.gov/departmenthistory"

#: HSG country ids that pycountry does not resolve (historic states, renamed ones).
_COUNTRY_OVERRIDES: dict[str, str] = {
    "burma": "MM",
    "bosnia-herzegovina": "BA",
    "bosnia": "BA",
    "cape-verde": "CV",
    "congo-democratic-republic": "CD",
    "congo-kinshasa": "CD",
    "congo-republic": "CG",
    "cote-divoire": "CI",
    "czechoslovakia": "CS",
    "german-democratic-republic": "DD",
    "hawaii": "US",
    "holy-see": "VA",
    "korea": "KR",
    "korea-south": "KR",
    "korea-north": "KP",
    "kosovo": "XK",
    "macedonia": "MK",
    "north-macedonia": "MK",
    "netherlands-antilles": "AN",
    "palestinian-authority": "PS",
    "west-bank": "PS",
    "russia": "RU",
    "saint-kitts-nevis": "KN",
    "saint-vincent-grenadines": "VC",
    "somoa": "WS",
    "samoa": "WS",
    "swaziland": "SZ",
    "timor-leste": "TL",
    "turkey": "TR",
    "turkiye": "TR",
    "yugoslavia": "YU",
    "taiwan": "TW",
    "china": "CN",
    "united-kingdom": "GB",
    "united-states": "US",
    "iran": "IR",
    "syria": "SY",
    "laos": "LA",
    "vietnam": "VN",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "brunei": "BN",
    "micronesia": "FM",
}

#: Leading titles of people (longest first when matched); literals only.
TITLES: tuple[str, ...] = (
    "Prime Minister", "Deputy Prime Minister", "First Deputy Prime Minister", "Acting Prime Minister",
    "President", "President-elect", "President-Elect", "Vice President", "Acting President",
    "Interim President", "Provisional President", "Junta President", "Federal President",
    "Foreign Minister", "Deputy Foreign Minister", "Foreign Secretary", "Defense Minister",
    "Defence Minister", "Finance Minister", "Interior Minister", "Minister", "State Councilor",
    "Chancellor", "Chancellor-elect", "Federal Chancellor", "Premier", "Vice Premier",
    "King", "Queen", "Emperor", "Empress", "Crown Prince", "Prince", "Princess", "Grand Duke",
    "Grand Duchess", "Shah", "Sultan", "Amir", "Emir", "Sheikh", "Pope", "Chairman",
    "General Secretary", "Secretary-General", "Secretary General", "UN Secretary-General",
    "NATO Secretary General", "Governor-General", "Governor General", "Governor", "Taoiseach",
    "Generalissimo", "General", "Field Marshal", "Marshal", "Brigadier General",
    "Lieutenant General", "Regent", "Prince Regent", "Head of State", "Chief of State",
    "Supreme Leader", "Ambassador", "Mayor", "Archbishop", "Cardinal", "Patriarch",
    "Speaker", "Chief Executive", "Chief Minister", "Crown Princess", "Secretary of State",
    "Secretary of Defense", "National Security Advisor",
)
_TITLES_SORTED = sorted(set(TITLES), key=len, reverse=True)
_TITLE_RE = re.compile(r"^(?:(?:the|The)\s+)?(" + "|".join(re.escape(t) for t in _TITLES_SORTED) + r")\b\s*")
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z\u00c0-\u00de][\w'\u2019.\-]*|bin|ibn|al|al-\w+|el|de|da|do|dos|del|della|di|du|van|von|der|den|le|la|y|Al)$"
)
_NOT_NAME = {"and", "in", "at", "on", "of", "the", "to", "january", "february", "march", "april", "may", "june",
             "july", "august", "september", "october", "november", "december", "jan.", "feb.", "mar.", "apr.",
             "aug.", "sept.", "sep.", "oct.", "nov.", "dec.", "during", "while", "who", "when", "after", "before"}
#: Words that make a capitalised phrase an institution or a place, not a person.
_NOT_PERSON = {"assembly", "council", "summit", "conference", "meeting", "meetings", "committee", "commission",
               "house", "city", "castle", "union", "community", "ministerial", "ministers", "leaders", "island",
               "islands", "parliament", "congress", "government", "embassy", "ministry", "department", "forum",
               "university", "palace", "airport", "base", "states", "nations", "organization", "partnership"}
_PARTICLES = {"bin", "ibn", "al", "el", "de", "da", "do", "dos", "del", "della", "di", "du", "van", "von", "der", "den", "le", "la", "y"}
_MEET_CUE = re.compile(
    r"(?i)\b(?:met|meeting|meetings|talks|conferred|consulted|discussions|called on|audience)\s+with\s+"
)
_MEET_WORD = re.compile(r"(?i)\b(?:met|meet|meeting|meetings|talks|conferred|consulted|discussions|called on|audience)\b")
_TITLE_BEFORE = re.compile(r"\b(" + "|".join(re.escape(t) for t in _TITLES_SORTED) + r")\s+$")
_LIST_END = re.compile(r"[;:]|\.\s*$|\s+(?:to|in order to|on|about|regarding|concerning|for)\s+[a-z]")
_SENT_END = re.compile(r"(?<=[.;!?])\s+(?=[A-Z\u201c\"])")


@dataclass(frozen=True)
class _Met:
    """A person named in the remarks: name, title, span in the remarks, sentence span."""

    name: str
    title: str | None
    start: int
    end: int
    sent_start: int
    sent_end: int
    adjective: str | None = None


# -- countries ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """(code -> name, demonym/name fold -> code) from data/gazetteers/countries.tsv."""
    from ..pipeline import DATA_DIR

    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    path = DATA_DIR / "gazetteers" / "countries.tsv"
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[0].split("\t")
        for line in lines[1:]:
            row = dict(zip(header, line.split("\t")))
            code = row.get("code", "").strip()
            if not code:
                continue
            names[code] = row.get("name", code).strip()
            for d in (row.get("demonyms") or "").split("|"):
                if d.strip():
                    demonyms[fold(d)] = code
    for adj, code in (("Soviet", "RU"), ("British", "GB"), ("Palestinian", "PS"), ("Chinese", "CN"),
                      ("Israeli", "IL"), ("Egyptian", "EG"), ("Afghan", "AF"), ("Iraqi", "IQ"),
                      ("Jordanian", "JO"), ("Saudi", "SA"), ("Syrian", "SY"), ("Lebanese", "LB"),
                      ("Turkish", "TR"), ("Russian", "RU"), ("Japanese", "JP"), ("Korean", "KR"),
                      ("Italian", "IT"), ("Spanish", "ES"), ("Mexican", "MX"), ("Canadian", "CA"),
                      ("Iranian", "IR"), ("Indian", "IN"), ("Pakistani", "PK"), ("German", "DE"),
                      ("French", "FR"), ("Greek", "GR"), ("Polish", "PL"), ("Ukrainian", "UA"),
                      ("Vietnamese", "VN"), ("Kuwaiti", "KW"), ("Qatari", "QA"), ("Emirati", "AE"),
                      ("Australian", "AU"), ("Brazilian", "BR"), ("Argentine", "AR"), ("Dutch", "NL"),
                      ("Belgian", "BE"), ("Swedish", "SE"), ("Norwegian", "NO"), ("Danish", "DK"),
                      ("Finnish", "FI"), ("Hungarian", "HU"), ("Czech", "CZ"), ("Indonesian", "ID"),
                      ("Philippine", "PH"), ("Thai", "TH"), ("Malaysian", "MY"), ("Cuban", "CU"),
                      ("Yugoslav", "YU"), ("Serbian", "RS"), ("Croatian", "HR"), ("Bosnian", "BA"),
                      ("Libyan", "LY"), ("Moroccan", "MA"), ("Algerian", "DZ"), ("Tunisian", "TN"),
                      ("Nigerian", "NG"), ("Kenyan", "KE"), ("Ethiopian", "ET"), ("Sudanese", "SD"),
                      ("Georgian", "GE"), ("Armenian", "AM"), ("Azerbaijani", "AZ"), ("Kazakh", "KZ"),
                      ("Uzbek", "UZ"), ("US", "US"), ("U.S.", "US"), ("American", "US")):
        demonyms.setdefault(fold(adj), code)
    return names, demonyms


def country_code(hsg_id: str, text: str = "") -> str | None:
    """ISO 3166-1 alpha-2 code of an HSG country id (and its display text).

    >>> country_code("indonesia", "Indonesia")
    'ID'
    >>> country_code("korea-south", "Korea, Republic of")
    'KR'
    >>> country_code("german-democratic-republic")
    'DD'
    """
    key = hsg_id.strip().lower()
    if key in _COUNTRY_OVERRIDES:
        return _COUNTRY_OVERRIDES[key]
    import pycountry

    for q in (text.strip(), key.replace("-", " ")):
        if not q:
            continue
        try:
            return pycountry.countries.lookup(q).alpha_2
        except LookupError:
            continue
    return None


def _country_name(code: str, fallback: str) -> str:
    names, _ = _gazetteer()
    if code in names:
        return names[code]
    import pycountry

    c = pycountry.countries.get(alpha_2=code)
    if c is not None:
        return getattr(c, "common_name", None) or c.name
    return fallback.strip() or code


# -- people ------------------------------------------------------------------------


def split_title(text: str) -> tuple[str | None, str]:
    """Split a leading title off a person's designation.

    >>> split_title("Prime Minister David Cameron")
    ('Prime Minister', 'David Cameron')
    >>> split_title("King Juan Carlos I")
    ('King', 'Juan Carlos I')
    >>> split_title("Anna Berg")
    (None, 'Anna Berg')
    """
    text = " ".join(text.split())
    m = _TITLE_RE.match(text)
    if not m or m.end() >= len(text):
        return None, text
    return m.group(1), text[m.end() :].strip()


def _name_prefix(words: list[str]) -> int:
    """How many leading words form a personal name (capitalised tokens and particles)."""
    n = 0
    for w in words:
        bare = w.rstrip(",;:")
        if not _NAME_TOKEN.match(bare) or bare.lower() in _NOT_NAME:
            break
        n += 1
        if bare != w:
            break
    while n and words[n - 1].rstrip(",;:").lower() in _PARTICLES:
        n -= 1
    if any(w.rstrip(",;:").lower() in _NOT_PERSON for w in words[:n]):
        return 0
    return n


def met_people(remarks: str) -> list[_Met]:
    """People named after a meeting cue ("Met with Prime Minister X and Foreign Secretary Y").

    >>> [(m.title, m.name) for m in met_people("Met with Prime Minister David Cameron and Foreign Secretary William Hague.")]
    [('Prime Minister', 'David Cameron'), ('Foreign Secretary', 'William Hague')]
    >>> [(m.adjective, m.name) for m in met_people("Met with Chancellor Merkel, and Russian Foreign Minister Sergey Lavrov.")]
    [(None, 'Merkel'), ('Russian', 'Sergey Lavrov')]
    >>> met_people("Met with senior Syrian officials.")
    []
    """
    out: list[_Met] = []
    bounds = [0] + [m.end() for m in _SENT_END.finditer(remarks)] + [len(remarks)]
    for a, b in zip(bounds, bounds[1:]):
        sent = remarks[a:b]
        for cue in _MEET_CUE.finditer(sent):
            stop = _LIST_END.search(sent, cue.end())
            seg_end = stop.start() if stop else len(sent)
            pos = cue.end()
            for chunk in re.split(r"(,\s*(?:and\s+)?|\s+and\s+)", sent[cue.end() : seg_end]):
                chunk_start = pos
                pos += len(chunk)
                if not chunk or chunk.startswith(",") or chunk.strip() == "and":
                    continue
                lead = len(chunk) - len(chunk.lstrip())
                body = chunk.strip()
                adjective = None
                m = _TITLE_RE.match(body)
                if m is None:
                    first, _, rest = body.partition(" ")
                    m2 = _TITLE_RE.match(rest)
                    if not first[:1].isupper() or m2 is None:
                        continue
                    adjective = first
                    offset = len(first) + 1
                    m = m2
                else:
                    offset = 0
                title = m.group(1)
                name_from = offset + m.end()
                words = body[name_from:].split()
                n = _name_prefix(words)
                if n == 0:
                    continue
                name = " ".join(w.rstrip(",;:") for w in words[:n])
                s = a + chunk_start + lead + offset + (m.start(1))
                e = a + chunk_start + lead + name_from + body[name_from:].index(words[n - 1]) + len(words[n - 1].rstrip(",;:"))
                out.append(_Met(name, title, s, e, a, a + len(sent.rstrip()), adjective))
    return out


# -- the English extractor, when present ---------------------------------------------

_EXTRACTOR_STATE: dict[str, object] = {}


def _extractor():
    """``kg.extract.extract`` if importable and working, else None (checked once)."""
    if "fn" not in _EXTRACTOR_STATE:
        try:
            from ..extract import extract  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - optional enrichment: any import failure disables it
            extract = None
        _EXTRACTOR_STATE["fn"] = extract
    return _EXTRACTOR_STATE["fn"]


def _extract_remarks(key: str, remarks: str) -> Extraction | None:
    fn = _extractor()
    if fn is None or not remarks.strip():
        return None
    try:
        ex = fn(Article(key=f"{key}-remarks", text=remarks, lang="en"))
    except Exception as e:  # noqa: BLE001 - enrichment only; the record itself is still imported
        warnings.warn(f"HSG import: English extractor failed ({type(e).__name__}: {e}); "
                      "importing the remaining records without it", stacklevel=2)
        _EXTRACTOR_STATE["fn"] = None
        return None
    return ex if isinstance(ex, Extraction) else None


# -- records -----------------------------------------------------------------------


def _text(el: ET.Element | None) -> str:
    if el is None:
        return ""
    return " ".join("".join(el.itertext()).split())


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _places(locale: str) -> list[str]:
    """City names in a locale field ("Bonn, Mainz", "Jerusalem and Tel Aviv")."""
    parts = re.split(r"\s*[,;/]\s*|\s+and\s+", locale)
    return [p.strip(" .") for p in parts if p.strip(" .") and p.strip()[:1].isupper()]


class _Builder:
    """Collects the rendering text, entities and facts of one record."""

    def __init__(self) -> None:
        self.text = ""
        self.sentences: list[Sentence] = []
        self.entities: dict[str, Entity] = {}
        self.facts: list[Fact] = []

    def line(self, s: str) -> tuple[int, int]:
        if self.text:
            self.text += "\n"
        start = len(self.text)
        self.text += s
        return start, len(self.text)

    def ev(self, start: int, end: int, rule: str) -> tuple[Evidence, ...]:
        return (Evidence(start, end, self.text[start:end], rule),)

    def entity(self, key: str, types: tuple[str, ...], name: str, *, country: str | None = None,
               aliases: tuple[str, ...] = (), span: tuple[int, int] | None = None) -> str:
        if key not in self.entities:
            self.entities[key] = Entity(key, types, name, aliases, country, (span,) if span else ())
        return key


def _add_met(b: _Builder, key: str, remarks: str, offset: int, visitor: str, default_country: str | None,
             when: date | None = None) -> None:
    """People met, from the rule above and from the English extractor, merged by name."""
    _, demonyms = _gazetteer()
    people: dict[str, str] = {}  # folded name -> entity key

    def find(name: str) -> str | None:
        f = fold(name)
        for other, k in people.items():
            if f == other or f.endswith(" " + other) or other.endswith(" " + f):
                return k
        return None

    visitor_name = fold(b.entities[visitor].name)
    for i, m in enumerate(met_people(remarks)):
        if fold(m.name) == visitor_name or find(m.name):
            continue
        country = demonyms.get(fold(m.adjective)) if m.adjective else default_country
        k = b.entity(f"met{i}", ("Person",), m.name, country=country, span=(offset + m.start, offset + m.end))
        people[fold(m.name)] = k
        ev = b.ev(offset + m.sent_start, offset + m.sent_end, "hsg.remarks.met_with")
        b.facts.append(Fact("metWith", visitor, k, date=when, evidence=ev))
        if m.title:
            b.facts.append(Fact("role", k, value=m.title, evidence=ev))

    ex = _extract_remarks(key, remarks)
    if ex is None:
        return
    keymap: dict[str, str] = {}
    in_meeting = {x for f in ex.facts if f.rel == "metWith" for x in (f.subj, f.obj)}
    titles: dict[str, str] = {}
    for j, ent in enumerate(ex.entities):
        if "Person" not in ent.types or not ent.name.strip():
            continue
        if fold(ent.name) == visitor_name:
            keymap[ent.key] = visitor
            continue
        k = find(ent.name)
        if k is None:
            # a quality gate on a young extractor: keep a "person" only when the extractor
            # saw a meeting with it, or a title names it ("President Obama"), which keeps
            # out "White House", "Camp David", "Foreign Ministers"
            title, name = split_title(ent.name)
            before = _TITLE_BEFORE.search(remarks[: ent.spans[0][0]]) if ent.spans else None
            if before is not None:
                title = title or before.group(1)
            if ent.key not in in_meeting and title is None:
                continue
            if not _name_prefix(name.split()):
                continue
            spans = tuple((s + offset, e + offset) for s, e in ent.spans)
            k = f"x{j}"
            b.entities[k] = Entity(k, ("Person",), name, ent.aliases, ent.country or default_country, spans)
            people[fold(name)] = k
            if title:
                titles[k] = title
        keymap[ent.key] = k

    def shift(evs: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
        return tuple(Evidence(e.start + offset, e.end + offset, e.text, e.rule) for e in evs)

    met: set[str] = {f.obj for f in b.facts if f.rel == "metWith" and f.obj}
    has_role = {f.subj for f in b.facts if f.rel == "role"}
    for f in ex.facts:
        if f.subj not in keymap:
            continue
        s = keymap[f.subj]
        if f.rel == "role" and f.value and s != visitor and s not in has_role and s not in titles:
            if _TITLE_RE.match(f.value) and len(f.value.split()) <= 4:
                b.facts.append(Fact("role", s, value=f.value, evidence=shift(f.evidence)))
                has_role.add(s)
        elif f.rel == "metWith" and f.obj in keymap and not f.planned:
            o = keymap[f.obj]
            if s != o:
                b.facts.append(Fact("metWith", s, o, date=f.date or when, evidence=shift(f.evidence)))
                met.update({s, o} - {visitor})
    for k, title in titles.items():
        if k not in has_role:
            ent = b.entities[k]
            at = ent.spans[0][0] if ent.spans else offset
            bounds = [0] + [m.end() for m in _SENT_END.finditer(remarks)] + [len(remarks)]
            a, z = next(((a, z) for a, z in zip(bounds, bounds[1:]) if a <= at - offset < z), (0, len(remarks)))
            b.facts.append(Fact("role", k, value=title, evidence=b.ev(offset + a, offset + len(remarks[:z].rstrip()), "hsg.remarks.title")))
    # people the extractor found in a sentence with a meeting cue: the visitor met them
    for ent in ex.entities:
        k = keymap.get(ent.key)
        if k is None or k == visitor or k in met or not ent.spans:
            continue
        s0 = ent.spans[0][0]
        bounds = [0] + [m.end() for m in _SENT_END.finditer(remarks)] + [len(remarks)]
        for a, z in zip(bounds, bounds[1:]):
            if a <= s0 < z and _MEET_WORD.search(remarks[a:z]):
                b.facts.append(Fact("metWith", visitor, k, date=when, evidence=b.ev(offset + a, offset + len(remarks[:z].rstrip()), "hsg.remarks.extractor")))
                met.add(k)
                break


def _finish(b: _Builder, *, key: str, title: str, path: str, url: str, published: date | None) -> Extraction:
    art = Article(key=key, text=b.text, title=title, published=published, source=SOURCE, url=url, lang="en", path=path)
    doc = Document(
        article=art,
        lang="en",
        title=title,
        published=published,
        source=SOURCE,
        content=((0, len(b.text)),),
        sentences=tuple(b.sentences),
    )
    return Extraction(document=doc, entities=tuple(b.entities.values()), facts=tuple(b.facts))


def _sentences(b: _Builder, start: int, end: int) -> None:
    seg = b.text[start:end]
    bounds = [0] + [m.end() for m in _SENT_END.finditer(seg)] + [len(seg)]
    for a, z in zip(bounds, bounds[1:]):
        s = seg[a:z].rstrip()
        if s:
            b.sentences.append(Sentence(start + a, start + a + len(s), s))


def _country_of(c_el: ET.Element | None) -> tuple[str, str | None]:
    """A record's country element -> (its text, its ISO code or None)."""
    text = _text(c_el)
    return text, country_code(c_el.get("id", "") if c_el is not None else "", text)


def _dates(el: ET.Element) -> tuple[date | None, date | None, str]:
    """A record's start and end dates, and the phrase for them (" from A to B", " on A")."""
    start, end = _date(_text(el.find("start-date"))), _date(_text(el.find("end-date")))
    when = f" from {start.isoformat()} to {end.isoformat()}" if start and end and end != start else (
        f" on {start.isoformat()}" if start else "")
    return start, end, when


def _us(b: _Builder, other: str, code: str) -> str:
    """The United States' entity: ``other`` when the record's country is the US itself."""
    return other if code == "US" else b.entity("us", ("Country",), _country_name("US", "United States"), country="US")


def _trip(el: ET.Element, path: str) -> Extraction | Skip:
    rid = _text(el.find("id"))
    role_code = (el.get("role") or _text(el.find("role"))).lower()
    who = el.get("who") or ""
    name = _text(el.find("name"))
    c_el = el.find("country")
    c_text, code = _country_of(c_el)
    start, end, when = _dates(el)
    where = f"{path}#trip-{rid}"
    if not rid or not name:
        return Skip(where, "trip without id or traveller name")
    if code is None:
        return Skip(where, f"unknown country '{c_text or (c_el.get('id') if c_el is not None else '')}'")
    role = "Secretary of State" if role_code == "secretary" else "President of the United States"
    locale = _text(el.find("locale"))
    remarks = _text(el.find("remarks"))
    cname = _country_name(code, c_text)
    cities = _places(locale)

    b = _Builder()
    place = f"{', '.join(cities)}, {cname}" if cities else cname
    first = f"{role} {name} visited {place}{when}."
    s0, e0 = b.line(first)
    b.sentences.append(Sentence(s0, e0, first))
    v = b.entity("v", ("Person",), name, country="US", span=(len(role) + 1, len(role) + 1 + len(name)))
    dest = b.entity("dest", ("Country",), cname, country=code, aliases=(c_text,) if c_text and c_text != cname else ())
    us = _us(b, dest, code)
    ev0 = b.ev(s0, e0, "hsg.record")
    b.facts.append(Fact("visited", v, dest, date=start, end_date=end or start, evidence=ev0))
    b.facts.append(Fact("represents", v, us, evidence=ev0))
    if role_code == "secretary":
        dos = b.entity("dos", ("Organization",), "United States Department of State", country="US",
                       aliases=("Department of State", "State Department"))
        b.facts.append(Fact("role", v, value=role, org=dos, evidence=ev0))
        b.facts.append(Fact("memberOf", v, dos, evidence=ev0))
    else:
        b.facts.append(Fact("role", v, value=role, evidence=ev0))
    for i, city in enumerate(cities):
        pos = first.find(city)
        c = b.entity(f"city{i}", ("Place",), city, country=code, span=(pos, pos + len(city)) if pos >= 0 else None)
        b.facts.append(Fact("locatedIn", c, dest, evidence=ev0))
    if remarks:
        rs, re_ = b.line(remarks)
        _sentences(b, rs, re_)
        _add_met(b, f"hsg-trip-{rid}", remarks, rs, v, code, start)
    title = f"{name} in {place}" + (f" ({start.isoformat()})" if start else "")
    url = f"{_BASE_URL}/travels/{role_code}/{who}" if who else f"{_BASE_URL}/travels"
    return _finish(b, key=f"hsg-trip-{rid}", title=title, path=path, url=url, published=start)


def _visit(el: ET.Element, path: str) -> Extraction | Skip:
    rid = _text(el.find("id"))
    visitor = _text(el.find("visitor"))
    f_text, code = _country_of(el.find("from"))
    start, end, when = _dates(el)
    where = f"{path}#visit-{rid}"
    if not rid or not visitor:
        return Skip(where, "visit without id or visitor")
    if code is None:
        return Skip(where, f"unknown country '{f_text}'")
    title_word, name = split_title(visitor)
    description = _text(el.find("description"))
    cname = _country_name(code, f_text)

    b = _Builder()
    first = f"{visitor} of {cname} visited the United States{when}."
    s0, e0 = b.line(first)
    b.sentences.append(Sentence(s0, e0, first))
    name_at = len(visitor) - len(name)
    v = b.entity("v", ("Person",), name, country=code, aliases=(visitor,) if visitor != name else (),
                 span=(name_at, len(visitor)))
    home = b.entity("from", ("Country",), cname, country=code, aliases=(f_text,) if f_text and f_text != cname else ())
    us = _us(b, home, code)
    ev0 = b.ev(s0, e0, "hsg.record")
    b.facts.append(Fact("visited", v, us, date=start, end_date=end or start, evidence=ev0))
    b.facts.append(Fact("represents", v, home, evidence=ev0))
    if title_word:
        b.facts.append(Fact("role", v, value=title_word, evidence=ev0))
    if description:
        ds, de = b.line(description)
        _sentences(b, ds, de)
        _add_met(b, f"hsg-visit-{rid}", description, ds, v, "US", start)
    title = f"{visitor} ({cname}) in the United States" + (f" ({start.isoformat()})" if start else "")
    return _finish(b, key=f"hsg-visit-{rid}", title=title, path=path, url=f"{_BASE_URL}/visits", published=start)


def read_hsg_file(path: str | Path) -> Iterator[Extraction | Skip]:
    """Yield one ``Extraction`` per record of an HSG ``trips`` or ``visits`` file (or ``Skip``)."""
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except (ET.ParseError, OSError) as e:
        yield Skip(str(p), f"not readable as XML: {e}")
        return
    if root.tag == "trips":
        make, tag = _trip, "trip"
    elif root.tag == "visits":
        make, tag = _visit, "visit"
    else:
        yield Skip(str(p), f"not an HSG trips or visits file (root element <{root.tag}>)")
        return
    for el in root.iter(tag):
        yield make(el, str(p))


def _walk(paths: Iterable[str | Path]) -> Iterator[Path | Skip]:
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(p.rglob("*.xml")):
                if "schema" in f.parts or "code-tables" in f.parts or f.name == "presidents.xml":
                    continue
                yield f
        elif p.is_file():
            yield p
        else:
            yield Skip(str(p), "no such file or folder")


def read_hsg_paths(paths: Iterable[str | Path]) -> Iterator[Extraction | Skip]:
    """Yield an ``Extraction`` (or ``Skip``) per HSG record in the given files and folders.

    Folders are searched recursively for ``*.xml``; schema folders, code tables and
    the presidents list are left out.

    Examples
    --------
    >>> items = list(read_hsg_paths(["/nonexistent"]))
    >>> items[0].reason
    'no such file or folder'
    """
    for item in _walk(paths):
        if isinstance(item, Skip):
            yield item
        else:
            yield from read_hsg_file(item)
