"""Entity resolution: from an extracted entity to its IRI in the graph.

IRIs are deterministic: type + normalised canonical name (ISO code for countries),
so the same name gives the same node across articles and runs (``entity_iri``).

A ``Resolver`` goes further, across articles. Loaded with what the store already
holds (labels, aliases, types, countries of every entity), it gives a new entity
the IRI of a known one when it is *surely* the same thing:

* the same full name or alias (a multi-word form), within one family of types
  (people; organisations and facilities; places; countries; delegations);
* an acronym or short form of one equal to a name or alias of the other, or the
  initials of the other's full name, when no country contradicts it and the form
  is not shared by several known entities;
* a spelling variant of a multi-word name: the same words but one, which differs
  by a small edit ("Thierry Toutin" / "Thierry Toutine", "Kementerian" /
  "Kementrian"; never "Luar" / "Dalam"), and the same numbers in both.

Guards: two people are never merged on one shared word (a surname or a first
name alone), and single names ("Olivier") never merge with anything else;
delegations (one visit's group) merge only by their exact name; two entities with
different countries never merge automatically (a same-named one gets the country
appended to its IRI). Less certain pairs are *candidates*, listed by
``kg resolve`` for an analyst, whose judgements (accept / reject, one per line in
a plain file, by default ``judgements.tsv`` in the store folder) are applied on
every ingest: accepted pairs share one IRI, rejected pairs never merge.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .model import Entity, Extraction
from .names import fold, slug
from .ontology import ID

__all__ = [
    "entity_iri",
    "type_segment",
    "country_iri",
    "short_id",
    "Judgements",
    "Verdict",
    "Candidate",
    "Known",
    "Resolver",
    "default_judgements_path",
    "JUDGEMENTS_FILE",
]

_SEGMENT = {
    "Person": "person",
    "Organization": "org",
    "Delegation": "delegation",
    "Facility": "facility",
    "Place": "place",
    "Country": "country",
}


def type_segment(entity_type: str) -> str:
    """The IRI path segment of an entity type.

    >>> type_segment("Organization")
    'org'
    """
    return _SEGMENT.get(entity_type, "thing")


def entity_iri(entity: Entity) -> str:
    """The IRI of an entity, from its type and canonical name.

    >>> entity_iri(Entity("c", ("Country",), "France", country="FR"))
    'https://w3id.org/kg-visits/id/country/FR'
    >>> entity_iri(Entity("p", ("Person",), "Thierry Toutin"))
    'https://w3id.org/kg-visits/id/person/thierry-toutin'
    """
    if entity.type == "Country" and entity.country:
        return f"{ID}country/{entity.country.upper()}"
    return f"{ID}{type_segment(entity.type)}/{slug(entity.name)}"


def country_iri(code: str) -> str:
    """The IRI of a country from its ISO 3166-1 alpha-2 code."""
    return f"{ID}country/{code.upper()}"


# ----------------------------------------------------------------- ids


_ID = str(ID)


def short_id(iri: str) -> str:
    """``org:dgsi`` for ``https://w3id.org/kg-visits/id/org/dgsi`` (as in the facts view).

    >>> short_id("https://w3id.org/kg-visits/id/person/thierry-toutin")
    'person:thierry-toutin'
    """
    if iri.startswith(_ID):
        return iri[len(_ID) :].replace("/", ":")
    return iri


def parse_id(text: str) -> str:
    """An IRI from a full IRI, ``<IRI>``, or a short id (``org:dgsi``).

    >>> parse_id("org:dgsi")
    'https://w3id.org/kg-visits/id/org/dgsi'
    """
    from .errors import InputError

    t = text.strip()
    if t.startswith("<") and t.endswith(">"):
        t = t[1:-1]
    if t.startswith(("http://", "https://", "urn:")):
        return t
    seg, sep, rest = t.partition(":")
    if not sep or not rest or seg not in set(_SEGMENT.values()) | {"thing"}:
        raise InputError(f"'{text}' is not an entity IRI or id like org:dgsi or person:thierry-toutin")
    return f"{_ID}{seg}/{rest}"


def _segment_of(iri: str) -> str | None:
    if not iri.startswith(_ID):
        return None
    return iri[len(_ID) :].split("/", 1)[0]


#: Types that may share a node: organisations and facilities are often both.
_FAMILY = {
    "person": "person",
    "org": "org",
    "facility": "org",
    "delegation": "delegation",
    "place": "place",
    "country": "country",
}


def _family_of_iri(iri: str) -> str | None:
    return _FAMILY.get(_segment_of(iri) or "")


# ---------------------------------------------------------- judgements

JUDGEMENTS_FILE = "judgements.tsv"
_HEADER = (
    "# kg resolve judgements, one per line: accept|reject <TAB> A <TAB> B [<TAB> when] [<TAB> note]\n"
    "# accept: A and B are one entity (B takes A's IRI); reject: never merge A and B. Later lines win.\n"
)


def default_judgements_path(store) -> Path | None:
    """``judgements.tsv`` in the folder of an embedded store (None for memory or remote stores)."""
    loc = getattr(store, "location", None)
    if not loc or loc == ":memory:" or "://" in str(loc):
        return None
    return Path(loc) / JUDGEMENTS_FILE


@dataclass
class Judgements:
    """Accepted and rejected merges, in the order they were made."""

    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (verdict, A IRI, B IRI)
    _new: list[str] = field(default_factory=list, repr=False)

    parse_id = staticmethod(parse_id)

    @classmethod
    def read(cls, path: Path | None) -> Judgements:
        """The judgements in ``path`` (none when it does not exist)."""
        from .errors import InputError

        book = cls()
        if path is None or not Path(path).exists():
            return book
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{path}: cannot read judgements ({e})") from None
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) < 3 or parts[0].strip().lower() not in ("accept", "reject"):
                raise InputError(f"{path}:{n}: expected 'accept|reject<TAB>A<TAB>B', got {line.strip()[:60]!r}")
            try:
                a, b = parse_id(parts[1]), parse_id(parts[2])
            except InputError as e:
                raise InputError(f"{path}:{n}: {e}") from None
            book.entries.append((parts[0].strip().lower(), a, b))
        return book

    def record(self, verdict: str, a: str, b: str, note: str = "") -> None:
        """Add a judgement (written by :meth:`write`)."""
        if verdict not in ("accept", "reject"):
            raise ValueError(verdict)
        self.entries.append((verdict, a, b))
        when = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{verdict}\t{short_id(a)}\t{short_id(b)}\t{when}"
        if note:
            line += "\t" + " ".join(note.split())
        self._new.append(line)

    def write(self, path: Path) -> None:
        """Append the judgements recorded since reading to ``path`` (one line each)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        new_file = not path.exists() or path.stat().st_size == 0
        with path.open("a", encoding="utf-8") as f:
            if new_file:
                f.write(_HEADER)
            for line in self._new:
                f.write(line + "\n")
        self._new.clear()

    def final(self) -> dict[frozenset[str], tuple[str, str, str]]:
        """The standing judgement of each pair (the last one made)."""
        out: dict[frozenset[str], tuple[str, str, str]] = {}
        for verdict, a, b in self.entries:
            out[frozenset((a, b))] = (verdict, a, b)
        return out


class _Merges:
    """Union-find over accepted pairs: every IRI of a group maps to the group's first IRI."""

    def __init__(self, book: Judgements) -> None:
        self.parent: dict[str, str] = {}
        self.rejected: set[frozenset[str]] = set()
        standing = book.final()
        for verdict, a, b in book.entries:
            if standing.get(frozenset((a, b))) != (verdict, a, b):
                continue  # overridden by a later judgement of the same pair
            if verdict == "accept":
                ra, rb = self.find(a), self.find(b)
                if ra != rb:
                    self.parent[rb] = ra
            else:
                self.rejected.add(frozenset((a, b)))

    def find(self, iri: str) -> str:
        root = iri
        while root in self.parent:
            root = self.parent[root]
        while iri != root:  # path compression
            nxt = self.parent[iri]
            self.parent[iri] = root
            iri = nxt
        return root

    def members(self, iri: str) -> list[str]:
        root = self.find(iri)
        return sorted({x for x in list(self.parent) if self.find(x) == root} | {root})

    def is_rejected(self, a: str, b: str) -> bool:
        if frozenset((a, b)) in self.rejected:
            return True
        ra, rb = self.find(a), self.find(b)
        return any(
            {self.find(x), self.find(y)} == {ra, rb} for x, y in (tuple(p) for p in self.rejected if len(p) == 2)
        )


# ------------------------------------------------------------- names

_SMALL = frozenset(
    "of the and for de la le les des du von van der di dan untuk dari ke pada yang serta bin binti al el".split()
)
_DIGITS = re.compile(r"\d+")


def _is_short_form(form: str) -> bool:
    """An acronym or one-word short form ("DGSI", "Kemensos", "BNPT")."""
    return len(fold(form).split()) == 1


def _initials(folded: str) -> set[str]:
    words = folded.split()
    if len(words) < 2:
        return set()
    out = {"".join(w[0] for w in words if w not in _SMALL)}
    out.add("".join(w[0] for w in words))
    return {x for x in out if len(x) >= 2}


def _ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def _edit(a: str, b: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


def _person_variant(a: str, b: str) -> bool:
    """Same words but one, which differs by a small edit (a misspelling)."""
    return _one_word_typo(a.split(), b.split())


def _name_variant(a: str, b: str) -> bool:
    """Organisation or place names: equal but for spaces, or for a misspelt word
    (small words like "of" ignored)."""
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    return _one_word_typo([w for w in a.split() if w not in _SMALL], [w for w in b.split() if w not in _SMALL])


def _one_word_typo(x: list[str], y: list[str]) -> bool:
    if len(x) != len(y) or len(x) < 2:
        return False
    diffs = [(p, q) for p, q in zip(x, y) if p != q]
    if len(diffs) != 1:
        return False
    p, q = diffs[0]
    d, m = _edit(p, q), min(len(p), len(q))
    return (m >= 5 and d == 1) or (m >= 7 and d == 2)


def _initial_form(short: str, full: str) -> bool:
    """"J. Comtois" for "Joseph Comtois": same words, some cut to an initial."""
    x, y = short.split(), full.split()
    if len(x) != len(y) or x == y:
        return False
    return all(p == q or (len(p) == 1 and q.startswith(p)) or (len(q) == 1 and p.startswith(q)) for p, q in zip(x, y))


@dataclass
class Known:
    """What the graph says of one entity node."""

    iri: str
    types: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)  # source keys (or graph IRIs)

    @property
    def family(self) -> str | None:
        return _family_of_iri(self.iri)

    @property
    def forms(self) -> list[str]:
        return sorted(self.labels) + sorted(self.aliases - self.labels)

    @property
    def name(self) -> str:
        # the longest label is the fullest form
        return max(sorted(self.labels), key=len) if self.labels else short_id(self.iri)

    def describe(self) -> str:
        types = "/".join(sorted(self.types)) or "?"
        bits = [f"{self.name!r} [{types}]"]
        others = [f for f in self.forms if f != self.name]
        if others:
            bits.append("also " + ", ".join(repr(f) for f in others[:8]))
        if self.countries:
            bits.append("country " + ",".join(sorted(self.countries)))
        if self.articles:
            arts = sorted(self.articles)
            more = f" (+{len(arts) - 5})" if len(arts) > 5 else ""
            bits.append("in " + ", ".join(arts[:5]) + more)
        return "; ".join(bits)


@dataclass(frozen=True)
class _Profile:
    iri: str
    family: str
    long: frozenset[str]  # folded multi-word forms
    short: frozenset[str]  # folded one-word forms (acronyms, short names)
    initials: frozenset[str]
    countries: frozenset[str]

    @classmethod
    def make(cls, iri: str, family: str, forms: Iterable[str], countries: Iterable[str]) -> _Profile:
        long, short = set(), set()
        for f in forms:
            k = fold(f)
            if not k:
                continue
            if len(k.split()) > 1:
                long.add(k)
            elif not f.strip()[:1].islower():  # "DGSI", "Kemensos"; not a common word like "delegation"
                short.add(k)
        inits = set()
        for k in long:
            inits |= _initials(k)
        return cls(iri, family, frozenset(long), frozenset(short), frozenset(inits), frozenset(c.upper() for c in countries if c))


@dataclass(frozen=True)
class Verdict:
    """How alike two entities are: a score (0-100), whether a merge is sure, and why."""

    score: float
    sure: bool
    reason: str


def _judge(a: _Profile, b: _Profile) -> Verdict | None:
    """Compare two entities of the same family (None: nothing in common worth listing)."""
    if a.family != b.family:
        return None
    fam = a.family
    if a.countries and b.countries and not (a.countries & b.countries) and fam != "person":
        return None  # different countries: different things
    same_long = a.long & b.long
    if fam == "country":
        if same_long or (a.short & b.short):
            return Verdict(100, True, f"same country name {sorted(same_long or a.short & b.short)[0]!r}")
        return None
    if fam == "person":
        if same_long:
            return Verdict(100, True, f"same full name {sorted(same_long)[0]!r}")
        best: Verdict | None = None

        def keep(v: Verdict) -> None:
            nonlocal best
            if best is None or v.score > best.score:
                best = v

        for x in a.long:
            for y in b.long:
                r = _ratio(x, y)
                if _person_variant(x, y):
                    keep(Verdict(max(r, 90), True, f"spelling variant {x!r} / {y!r}"))
                elif _initial_form(x, y):
                    keep(Verdict(85, False, f"initials: {x!r} / {y!r}"))
                elif set(x.split()) < set(y.split()) or set(y.split()) < set(x.split()):
                    keep(Verdict(82, False, f"one name holds the other: {x!r} / {y!r}"))
                elif r >= 80:
                    keep(Verdict(r, False, f"similar names {x!r} / {y!r}"))
                else:
                    shared = set(x.split()) & set(y.split())
                    if shared:
                        keep(Verdict(50, False, f"share only {sorted(shared)[0]!r}: {x!r} / {y!r}"))
        # single names: never sure
        for s in a.short | b.short:
            other = b if s in a.short else a
            if s in other.short:
                keep(Verdict(80, False, f"same single name {s!r}"))
            elif any(s in y.split() for y in other.long):
                keep(Verdict(60, False, f"single name {s!r} is one word of the other's name"))
            else:
                for y in other.short:
                    if _person_variant("x " + s, "x " + y):
                        keep(Verdict(75, False, f"single names {s!r} / {y!r} differ by a small edit"))
        return best

    # organisations, facilities, places, delegations
    sure_ok = fam != "delegation"
    if same_long:
        k = sorted(same_long)[0]
        return Verdict(100, sure_ok, f"same name {k!r}")
    shared_short = a.short & b.short
    inits = (a.short & b.initials) | (b.short & a.initials)
    both_countries = bool(a.countries & b.countries)
    best_long = max(((_ratio(x, y), x, y) for x in a.long for y in b.long), default=(0.0, "", ""))
    if shared_short:
        k = sorted(shared_short)[0]
        # two full names that disagree outright: the short form is ambiguous (or one is a
        # translation of the other): an analyst decides
        if a.long and b.long and best_long[0] < 60:
            return Verdict(70, False, f"same short form {k!r} but different full names")
        return Verdict(95, sure_ok, f"same acronym/short form {k!r}")
    if inits and not (a.long and b.long and best_long[0] < 60):  # else its own name explains it
        k = sorted(inits)[0]
        return Verdict(90, sure_ok and both_countries, f"{k!r} is the initials of the other's name")
    r, x, y = best_long
    if r >= 80:
        same_numbers = _DIGITS.findall(x) == _DIGITS.findall(y)
        variant = _name_variant(x, y)
        sure = sure_ok and same_numbers and variant
        why = f"similar names {x!r} / {y!r}"
        score = r
        if not same_numbers:
            score, why = min(r, 75), why + " (different numbers)"
        elif not variant:
            wx, wy = set(x.split()) - _SMALL, set(y.split()) - _SMALL
            if not (wx <= wy or wy <= wx):  # a different word, not a misspelt one: "East" / "South"
                score, why = r - 10, why + " (a word differs)"
        return Verdict(score, sure, why)
    return None


@dataclass
class Candidate:
    """A pair of known entities that may be one, for an analyst to judge."""

    a: Known
    b: Known
    verdict: Verdict
    judged: str | None = None

    def as_dict(self) -> dict[str, Any]:
        def ent(k: Known) -> dict[str, Any]:
            return {
                "id": short_id(k.iri),
                "iri": k.iri,
                "name": k.name,
                "types": sorted(k.types),
                "forms": k.forms,
                "countries": sorted(k.countries),
                "articles": sorted(k.articles),
            }

        return {
            "score": round(self.verdict.score, 1),
            "sure": self.verdict.sure,
            "reason": self.verdict.reason,
            "judged": self.judged,
            "a": ent(self.a),
            "b": ent(self.b),
        }

    def format(self) -> str:
        tag = self.judged or ("sure" if self.verdict.sure else "unsure")
        return (
            f"{self.verdict.score:5.1f}  {tag:<7} {short_id(self.a.iri)}  ~  {short_id(self.b.iri)}\n"
            f"       why: {self.verdict.reason}\n"
            f"       A: {self.a.describe()}\n"
            f"       B: {self.b.describe()}"
        )


# ------------------------------------------------------------- resolver


_LOAD_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg: <https://w3id.org/kg-visits/ontology#>
SELECT ?g ?e ?p ?o WHERE {
  GRAPH ?g { ?e ?p ?o . VALUES ?p { rdf:type rdfs:label skos:altLabel kg:country kg:isoCode } }
  FILTER(STRSTARTS(STR(?e), "%s"))
}
"""
_KEYS_QUERY = """
PREFIX kg: <https://w3id.org/kg-visits/ontology#>
SELECT ?g ?k WHERE { GRAPH ?g { ?g kg:sourceKey ?k } }
"""


class Resolver:
    """Entity -> IRI across articles, with analyst judgements (see the module doc).

    ``iri_of(entity)`` is the function the pipeline passes to the RDF writer; it
    also learns each entity it resolves, so later articles of the same run resolve
    against earlier ones (set ``learn=False`` to keep the state fixed).

    Examples
    --------
    >>> r = Resolver()
    >>> r.iri_of(Entity("a", ("Organization",), "Direction Générale de la Sécurité Intérieure", ("DGSI",), "FR"))
    'https://w3id.org/kg-visits/id/org/direction-generale-de-la-securite-interieure'
    >>> r.iri_of(Entity("b", ("Organization",), "DGSI", (), "FR"))
    'https://w3id.org/kg-visits/id/org/direction-generale-de-la-securite-interieure'
    >>> r.iri_of(Entity("c", ("Person",), "Thierry Toutin"))
    'https://w3id.org/kg-visits/id/person/thierry-toutin'
    >>> r.iri_of(Entity("d", ("Person",), "Thierry Henry"))  # a shared first name is not enough
    'https://w3id.org/kg-visits/id/person/thierry-henry'
    """

    def __init__(self, judgements: Judgements | None = None, *, learn: bool = True) -> None:
        self.judgements = judgements or Judgements()
        self.merges = _Merges(self.judgements)
        self.learn = learn
        self.known: dict[str, Known] = {}
        self._by_form: dict[tuple[str, str], set[str]] = defaultdict(set)  # (family, folded form) -> IRIs
        self._by_initials: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._long_forms: dict[str, list[str]] = defaultdict(list)  # family -> folded long forms
        self._long_iris: dict[str, list[str]] = defaultdict(list)  # ... and the IRI of each
        self._long_seen: set[tuple[str, str, str]] = set()
        self._by_word: dict[tuple[str, str], set[str]] = defaultdict(set)  # for candidate listing
        self._profiles: dict[str, _Profile] = {}

    # -- loading

    @classmethod
    def load(cls, store=None, judgements_path: Path | None = None, *, learn: bool = True) -> Resolver:
        """A resolver that knows the entities of a store and an analyst's judgements.

        Parameters
        ----------
        store : kg.store.Store, optional
            Read (never written): labels, aliases, types and countries of every entity node.
        judgements_path : Path, optional
            The judgements file; default ``judgements.tsv`` in the store folder (none for
            a store in memory or behind a URL). A missing file means no judgements.
        learn : bool
            Whether ``iri_of`` adds each entity it resolves to what the resolver knows.

        Raises
        ------
        InputError
            The judgements file cannot be read or has a malformed line.
        """
        path = judgements_path if judgements_path is not None else (
            default_judgements_path(store) if store is not None else None
        )
        r = cls(Judgements.read(path), learn=learn)
        if store is not None:
            r.read_store(store)
        return r

    def read_store(self, store) -> None:
        """Learn every entity node of the store: types, labels, aliases, countries, articles."""
        from .ontology import CLASS_TYPE

        keys = {}
        for sol in store.query(_KEYS_QUERY):
            keys[sol["g"].value] = sol["k"].value
        rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
        label = "http://www.w3.org/2000/01/rdf-schema#label"
        alt = "http://www.w3.org/2004/02/skos/core#altLabel"
        country = "https://w3id.org/kg-visits/ontology#country"
        iso = "https://w3id.org/kg-visits/ontology#isoCode"
        found: dict[str, Known] = {}
        for sol in store.query(_LOAD_QUERY % _ID):
            e = sol["e"].value
            if _family_of_iri(e) is None:
                continue
            p, o, g = sol["p"].value, sol["o"].value, sol["g"].value
            k = found.get(e)
            if k is None:
                k = found[e] = Known(e)
            if p == rdf_type:
                t = CLASS_TYPE.get(o)
                if t:
                    k.types.add(t)
                    k.articles.add(keys.get(g, short_id(g)))
            elif p == label:
                k.labels.add(o)
            elif p == alt:
                k.aliases.add(o)
            elif p == country:
                k.countries.add(o.rsplit("/", 1)[-1].upper())
            elif p == iso and _segment_of(e) == "country":
                k.countries.add(o.upper())
        for k in found.values():
            if k.types or k.labels:
                self._add(k)

    def _add(self, k: Known) -> None:
        old = self.known.get(k.iri)
        if old is None:
            self.known[k.iri] = old = Known(k.iri)
        elif k.labels <= old.labels and k.aliases <= old.aliases and k.countries <= old.countries:
            # no new name or country: the profile and the indexes stay as they are
            old.types |= k.types
            old.articles |= k.articles
            return
        old.types |= k.types
        old.labels |= k.labels
        old.aliases |= k.aliases
        old.countries |= k.countries
        old.articles |= k.articles
        fam = old.family or ""
        prof = _Profile.make(old.iri, fam, old.forms, old.countries)
        self._profiles[old.iri] = prof
        for f in prof.long | prof.short:
            self._by_form[(fam, f)].add(old.iri)
        for i in prof.initials:
            self._by_initials[(fam, i)].add(old.iri)
        for f in prof.long:
            if (fam, f, old.iri) not in self._long_seen:
                self._long_seen.add((fam, f, old.iri))
                self._long_forms[fam].append(f)
                self._long_iris[fam].append(old.iri)
            for w in f.split():
                if w not in _SMALL:
                    self._by_word[(fam, w)].add(old.iri)
        for f in prof.short:
            self._by_word[(fam, f)].add(old.iri)

    def observe(self, extraction: Extraction, iris: dict[str, str] | None = None) -> None:
        """Learn the entities of an ingested extraction (``iris``: entity key -> IRI given)."""
        for ent in extraction.entities:
            iri = (iris or {}).get(ent.key) or self.iri_of(ent)
            self._learn(ent, iri, extraction.article.key)

    def _learn(self, ent: Entity, iri: str, article: str | None = None) -> None:
        k = Known(iri, set(ent.types), {ent.name}, set(ent.aliases) - {ent.name})
        if ent.country:
            k.countries.add(ent.country.upper())
        if article:
            k.articles.add(article)
        self._add(k)

    # -- resolving

    def canonical(self, iri: str) -> str:
        """The IRI an accepted judgement maps ``iri`` to (itself when none)."""
        return self.merges.find(iri)

    def _profile_of(self, ent: Entity, iri: str) -> _Profile:
        return _Profile.make(iri, _family_of_iri(iri) or "", [ent.name, *ent.aliases], [ent.country] if ent.country else [])

    def _neighbours(self, prof: _Profile, *, fuzzy_cutoff: float | None = 80.0) -> set[str]:
        """Known IRIs worth comparing with a profile: shared forms, initials, similar names
        (``fuzzy_cutoff`` None: no similar names)."""
        fam = prof.family
        out: set[str] = set()
        for f in prof.long | prof.short:
            out |= self._by_form.get((fam, f), set())
        for f in prof.short:
            out |= self._by_initials.get((fam, f), set())
        for i in prof.initials:
            out |= self._by_form.get((fam, i), set())
        choices = self._long_forms.get(fam)
        if choices and prof.long and fuzzy_cutoff is not None:
            from rapidfuzz import fuzz, process

            iris = self._long_iris[fam]
            for q in prof.long:
                for _, _, idx in process.extract(q, choices, scorer=fuzz.ratio, score_cutoff=fuzzy_cutoff, limit=25):
                    out.add(iris[idx])
        out.discard(prof.iri)
        return out

    def _country_suffixed(self, base: str, ent: Entity) -> str:
        """``base``, or ``base-<cc>`` when a known node of that IRI belongs to another country."""
        if not ent.country or _family_of_iri(base) in ("person", "country"):
            return base
        k = self.known.get(base)
        cc = ent.country.upper()
        if k is not None and k.countries and cc not in k.countries:
            return f"{base}-{cc.lower()}"
        return base

    def match(self, ent: Entity) -> tuple[str, Verdict | None]:
        """The IRI of an entity and the verdict of the merge made (None: its own IRI)."""
        base = entity_iri(ent)
        fam = _family_of_iri(base)
        if fam == "country" and ent.country:
            return self.canonical(base), None
        base = self._country_suffixed(base, ent)
        if self.canonical(base) != base:
            return self.canonical(base), Verdict(100, True, "accepted by an analyst")
        if base in self.known:
            return base, None  # the same name is the same node
        if fam is None:
            return base, None
        prof = self._profile_of(ent, base)
        if fam == "person" and not prof.long:
            return base, None  # a single name never merges with another
        scored: list[tuple[float, str, Verdict]] = []
        for other in self._neighbours(prof):
            if self.merges.is_rejected(base, other):
                continue
            v = _judge(prof, self._profiles[other])
            if v is None or not v.sure:
                continue
            scored.append((v.score, self.canonical(other), v))
        if not scored:
            return base, None
        scored.sort(key=lambda s: (-s[0], s[1]))
        top = scored[0]
        rivals = {iri for score, iri, _ in scored if score == top[0]}
        if len(rivals) > 1:
            return base, None  # ambiguous (e.g. an acronym two known bodies share): leave for review
        if self.merges.is_rejected(base, top[1]):
            return base, None
        return top[1], top[2]

    def iri_of(self, entity: Entity) -> str:
        """The IRI of an entity: an existing node when surely the same, else its own."""
        iri, _ = self.match(entity)
        if self.learn:
            self._learn(entity, iri)
        return iri

    def resolve(self, extraction: Extraction) -> dict[str, str]:
        """Entity key -> IRI for one extraction (two entities of one article never share
        an IRI through a merge), learning them for the articles that follow."""
        out: dict[str, str] = {}
        taken: dict[str, str] = {}
        merged: list[tuple[float, int, Entity, str]] = []
        for n, ent in enumerate(extraction.entities):
            iri, verdict = self.match(ent)
            if verdict is None:  # its own IRI (or an analyst's): first claim
                out[ent.key] = iri
                taken.setdefault(iri, ent.key)
            else:
                merged.append((-verdict.score, n, ent, iri))
        for _, _, ent, iri in sorted(merged, key=lambda m: m[:2]):
            if iri in taken and taken[iri] != ent.key:
                iri = self._country_suffixed(entity_iri(ent), ent)  # another entity of this article is that one
            taken.setdefault(iri, ent.key)
            out[ent.key] = iri
        if self.learn:
            for ent in extraction.entities:
                self._learn(ent, out[ent.key], extraction.article.key)
        return out

    # -- review

    def candidates(
        self, *, min_score: float = 80.0, include_sure: bool = False, include_judged: bool = False
    ) -> list[Candidate]:
        """Pairs of known entities that may be one thing, best first.

        Unsure pairs by default; ``include_sure`` adds pairs a new ingest would merge
        automatically (e.g. ingested before the resolver knew one of them),
        ``include_judged`` pairs already accepted or rejected.
        """
        standing = self.judgements.final()
        seen: set[frozenset[str]] = set()
        out: list[Candidate] = []
        similar = self._similar_pairs()
        for iri in sorted(self.known):
            prof = self._profiles[iri]
            near = self._neighbours(prof, fuzzy_cutoff=None) | similar.get(iri, set())
            for f in prof.long | prof.short:  # people: shared words too
                for w in f.split():
                    group = self._by_word.get((prof.family, w), set())
                    if prof.family == "person" and len(group) <= 50:
                        near |= group
            near.discard(iri)
            for other in sorted(near):
                pair = frozenset((iri, other))
                if pair in seen:
                    continue
                seen.add(pair)
                if self.canonical(iri) == self.canonical(other) and pair not in standing:
                    continue
                v = _judge(prof, self._profiles[other])
                if v is None or v.score < min_score:
                    continue
                judged = standing.get(pair, (None,))[0]
                if judged and not include_judged:
                    continue
                if v.sure and not include_sure and not judged:
                    continue
                a, b = sorted((self.known[iri], self.known[other]), key=lambda k: (-len(k.articles), k.iri))
                out.append(Candidate(a, b, v, judged))
        out.sort(key=lambda c: (-c.verdict.score, c.a.iri, c.b.iri))
        return out

    def _similar_pairs(self, cutoff: int = 80, chunk: int = 512) -> dict[str, set[str]]:
        """IRI -> IRIs of the same family with a multi-word form of fuzzy ratio >= cutoff."""
        from rapidfuzz import fuzz, process

        out: dict[str, set[str]] = defaultdict(set)
        for fam, forms in self._long_forms.items():
            iris = self._long_iris[fam]
            for start in range(0, len(forms), chunk):
                m = process.cdist(
                    forms[start : start + chunk], forms, scorer=fuzz.ratio, score_cutoff=cutoff, dtype="uint8", workers=-1
                )
                rows, cols = m.nonzero()
                for i, j in zip(rows.tolist(), cols.tolist()):
                    a, b = iris[start + i], iris[j]
                    if a != b:
                        out[a].add(b)
                        out[b].add(a)
        return out

    # -- applying a judgement to what is stored

    def apply_to_store(self, store, verdict: str, a: str, b: str) -> list[str]:
        """Bring the stored graphs in line with a new judgement; the graphs changed.

        accept: every IRI of the merged group is renamed to the group's IRI in the
        graphs that use it. reject: graphs where one node carries a name whose own
        IRI is the other (an automatic merge) are marked for re-extraction (their
        pipeline version is cleared, so the next ``kg ingest`` of them re-extracts).
        """
        from pyoxigraph import Literal, NamedNode, Quad

        from .ontology import KG

        changed: list[str] = []
        if verdict == "accept":
            root = self.canonical(a)
            for member in self.merges.members(a):
                if member == root:
                    continue
                old, new = NamedNode(member), NamedNode(root)
                for g in _graphs_using(store, member):
                    quads = [
                        Quad(new if q.subject == old else q.subject, q.predicate, new if q.object == old else q.object)
                        for q in store.quads(g)
                    ]
                    store.replace_graph(g, list(dict.fromkeys(quads)))
                    changed.append(g)
            return sorted(set(changed))
        version = NamedNode(str(KG.pipelineVersion))
        for node, other in ((a, b), (b, a)):
            seg = _segment_of(other)
            tail = other[len(_ID) + len(seg or "") + 1 :] if seg else None
            if not tail:
                continue
            for g in _graphs_using(store, node):
                quads = list(store.quads(g))
                label = "http://www.w3.org/2000/01/rdf-schema#label"
                if not any(
                    q.subject == NamedNode(node) and q.predicate.value == label and slug(q.object.value) == tail
                    for q in quads
                ):
                    continue
                kept = [Quad(q.subject, q.predicate, q.object) for q in quads if q.predicate != version]
                kept.append(Quad(NamedNode(g), version, Literal("stale: resolver judgement")))
                store.replace_graph(g, kept)
                changed.append(g)
        return sorted(set(changed))


def _graphs_using(store, iri: str) -> list[str]:
    q = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} }}"
    return sorted(sol["g"].value for sol in store.query(q))
