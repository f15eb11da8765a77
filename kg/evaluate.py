"""Score kg-facts/1 predictions against gold files, by the rules of FORMAT.md.

The rules (``../shared/eval/FORMAT.md``), as implemented here:

* entities match when a normalised name or alias of one equals one of the other,
  or when their best fuzzy similarity (``difflib`` ratio, the measure the shared
  scorer uses) is at least 0.90. Each predicted entity picks one gold entity: an
  exact name first, then one of the same type, then the closest. Predicted
  entities claim gold entities from the most similar down; a second claim of the
  same gold entity is a duplicate (counted as a false entity);
* a fact matches when ``rel`` and the matched subject and object agree (``metWith``
  in either order); a gold ``date`` must be equal; ``said`` and ``role`` compare
  their value by word-set overlap (Dice >= 0.7, small words ignored), ``role`` also
  part by part and by containment when the extra words are only names of the
  article's organisations, places and countries;
* an entity's ``country`` is one more fact, ``(country, entity, CODE)``;
* optional gold facts and entities are never needed and never false.

``score_article`` scores one article into an ``ArticleScore``; ``Report`` adds them
up per relation, per language and per entity type. ``evaluate_gold_files`` runs the
project's own extraction on the article beside each gold file first.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

__all__ = [
    "ENTITY_THRESHOLD",
    "VALUE_THRESHOLD",
    "PRF",
    "ArticleScore",
    "Report",
    "normalise",
    "value_matches",
    "match_entities",
    "score_article",
    "gold_files",
    "article_path",
    "predict",
    "evaluate_gold_files",
    "format_report",
]

ENTITY_THRESHOLD = 0.90
VALUE_THRESHOLD = 0.70
#: Relations whose object is a text value, compared loosely.
VALUE_RELATIONS = frozenset({"role", "said"})
SYMMETRIC_RELATIONS = frozenset({"metWith"})
#: Relations scored (``country`` is the entity attribute scored as a fact).
SCORED_RELATIONS = frozenset(
    {
        "visited", "metWith", "memberOf", "sentBy", "role", "represents",
        "hostedBy", "accompaniedBy", "said", "locatedIn", "partOf", "country",
    }
)
#: Small words ignored when comparing values (English and Indonesian).
SMALL_WORDS = frozenset(
    "the of for and in at to a an on s or di dan untuk dari ke pada yang serta atau".split()
)
_ROLE_PARTS = re.compile(r",|;|\band\b|\bdan\b|\bserta\b|\batau\b|\bor\b")
_NOT_WORD = re.compile(r"[^\w]+")


# --------------------------------------------------------------------- text


def normalise(text: object) -> str:
    """Case, accents, punctuation and extra spaces removed.

    >>> normalise("  Sécurité-Intérieure (DGSI) ")
    'securite interieure dgsi'
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def _words(text: object) -> frozenset[str]:
    return frozenset(normalise(text).split())


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice overlap of word sets; small words dropped unless nothing else is left."""
    a = (a - SMALL_WORDS) or a
    b = (b - SMALL_WORDS) or b
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b).ratio()


def value_matches(gold: dict, predicted: str, context: frozenset[str] = frozenset()) -> bool:
    """Whether a predicted ``role``/``said`` value matches the gold fact's value.

    ``context`` holds the words of the article's non-person entity names: extra words
    that are only those (or small words) do not stop a role title from matching.

    >>> value_matches({"rel": "role", "value": "Head of the ICRC Delegation"}, "Head", frozenset({"icrc", "delegation"}))
    True
    >>> value_matches({"rel": "said", "value": "We learnt a lot here"}, "we learnt a lot")
    True
    """
    pred = _words(predicted)
    gold_value = gold.get("value", "")
    if gold.get("value_truncated"):
        # a quote cut short in the gold file: most of its words must be predicted
        g = _words(gold_value)
        return bool(g) and len(g & pred) / len(g) >= VALUE_THRESHOLD
    if gold.get("rel") != "role":
        return _dice(_words(gold_value), pred) >= VALUE_THRESHOLD
    gold_parts = [_words(x) for x in [gold_value, *_ROLE_PARTS.split(gold_value)]]
    pred_parts = [_words(x) for x in [predicted, *_ROLE_PARTS.split(predicted)]]
    for g in gold_parts:
        if not g:
            continue
        for p in pred_parts:
            if not p:
                continue
            if _dice(g, p) >= VALUE_THRESHOLD:
                return True
            if g <= p:
                inner, extra = g, p - g
            elif p <= g:
                inner, extra = p, g - p
            else:
                continue
            if inner - SMALL_WORDS and extra <= (context | SMALL_WORDS):
                return True
    return False


# ----------------------------------------------------------------- entities


def _names(entity: dict) -> list[str]:
    forms = [entity.get("name", ""), *entity.get("aliases", [])]
    return [n for n in (normalise(f) for f in forms if f is not None) if n]


def _types(entity: dict) -> frozenset[str]:
    t = entity.get("type") or []
    return frozenset([t] if isinstance(t, str) else t)


def _primary_type(entity: dict) -> str:
    t = entity.get("type") or "?"
    return t if isinstance(t, str) else (t[0] if t else "?")


def _entity_similarity(a: list[str], b: list[str]) -> float:
    if set(a) & set(b):
        return 1.0
    return max((_similarity(x, y) for x in a for y in b), default=0.0)


@dataclass
class EntityMatch:
    """How the predicted entities of one article map onto its gold entities."""

    gold_of: dict[str, str | None]  # predicted id -> gold id (or None)
    claimed: set[str]  # gold ids claimed by some predicted entity
    duplicate: set[int]  # indexes of predicted entities that claimed an already claimed gold


def match_entities(predicted: Sequence[dict], gold: Sequence[dict]) -> EntityMatch:
    """Each predicted entity's gold entity (or None), claims and duplicates."""
    gold_names = [_names(g) for g in gold]
    gold_types = [_types(g) for g in gold]
    choices: list[tuple[float, int, int | None]] = []  # (similarity, pred index, gold index)
    for i, p in enumerate(predicted):
        names, types = _names(p), _types(p)
        best: tuple[tuple[bool, bool, float], int] | None = None
        for j in range(len(gold)):
            sim = _entity_similarity(names, gold_names[j])
            rank = (sim >= 1.0, sim >= ENTITY_THRESHOLD and bool(types & gold_types[j]), sim)
            if best is None or rank > best[0]:  # ties: the first gold entity wins
                best = (rank, j)
        if best is None:
            choices.append((0.0, i, None))
        else:
            sim = best[0][2]
            choices.append((sim, i, best[1] if sim >= ENTITY_THRESHOLD else None))
    gold_of: dict[str, str | None] = {}
    claimed: set[str] = set()
    duplicate: set[int] = set()
    # the most similar claim first; equal similarity in prediction order
    for sim, i, j in sorted(choices, key=lambda c: -c[0]):
        gid = gold[j]["id"] if j is not None else None
        gold_of[predicted[i]["id"]] = gid
        if gid is None:
            continue
        if gid in claimed:
            duplicate.add(i)
        claimed.add(gid)
    return EntityMatch(gold_of, claimed, duplicate)


# ------------------------------------------------------------------- scores


@dataclass
class PRF:
    """True positives, false positives, false negatives, and the measures."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class ArticleScore:
    """The score of one article."""

    name: str
    lang: str | None = None
    relations: dict[str, PRF] = field(default_factory=dict)
    entities: PRF = field(default_factory=PRF)  # fp includes duplicates
    duplicates: int = 0
    type_ok: int = 0
    entity_types: dict[str, PRF] = field(default_factory=dict)
    ignored: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    missing_prediction: bool = False

    def rel(self, rel: str) -> PRF:
        return self.relations.setdefault(rel, PRF())

    def etype(self, t: str) -> PRF:
        return self.entity_types.setdefault(t, PRF())

    @property
    def facts(self) -> PRF:
        total = PRF()
        for c in self.relations.values():
            total += c
        return total


def _fact_obj(rel: str, subj, obj):
    if rel in SYMMETRIC_RELATIONS and subj is not None and obj is not None:
        return tuple(sorted((subj, obj)))
    return (subj, obj)


def score_article(gold: dict, pred: dict, name: str = "", lang: str | None = None) -> ArticleScore:
    """Score one kg-facts/1 prediction against its gold file (both as dicts)."""
    sc = ArticleScore(name=name, lang=lang if lang is not None else (gold.get("article") or {}).get("lang"))
    gold_ents: list[dict] = list(gold.get("entities", []))
    gold_by_id = {g["id"]: g for g in gold_ents}
    pred_ents: list[dict] = list(pred.get("entities", []))
    pred_by_id = {p["id"]: p for p in pred_ents}
    m = match_entities(pred_ents, gold_ents)

    # -- entities (and per type: gold type for hits and misses, predicted type for false ones)
    for i, p in enumerate(pred_ents):
        gid = m.gold_of.get(p["id"])
        if gid is None:
            sc.entities.fp += 1
            for t in _types(p):
                sc.etype(t).fp += 1
            sc.errors.append(f"{name}: FP entity {p.get('type')} {p.get('name')!r}")
            continue
        g = gold_by_id[gid]
        if g.get("optional"):
            continue
        if i in m.duplicate:
            sc.entities.fp += 1
            sc.duplicates += 1
            for t in _types(p):
                sc.etype(t).fp += 1
            sc.errors.append(f"{name}: DUP entity {p.get('name')!r} (another entity already is {gid})")
            continue
        sc.entities.tp += 1
        for t in _types(g):
            sc.etype(t).tp += 1
        if _types(p) & _types(g):
            sc.type_ok += 1
        else:
            sc.errors.append(f"{name}: TYPE {p.get('name')!r} is {p.get('type')}, gold {sorted(_types(g))}")
    for g in gold_ents:
        if g.get("optional") or g["id"] in m.claimed:
            continue
        sc.entities.fn += 1
        for t in _types(g):
            sc.etype(t).fn += 1
        sc.errors.append(f"{name}: FN entity {g.get('type')} {g.get('name')!r}")

    # -- country of each entity, as a fact: the first predicted entity of a gold one decides
    decided: set[str] = set()
    for p in pred_ents:
        gid = m.gold_of.get(p["id"])
        if gid is None or gid in decided or not p.get("country"):
            continue
        g = gold_by_id[gid]
        if g.get("optional") or not g.get("country"):
            continue
        decided.add(gid)
        if str(p["country"]).upper() == str(g["country"]).upper():
            sc.rel("country").tp += 1
        else:
            sc.rel("country").fp += 1
            sc.errors.append(f"{name}: FP country {gid}={p['country']}, gold {g['country']}")
    for g in gold_ents:
        if g.get("country") and not g.get("optional") and g["id"] not in decided:
            sc.rel("country").fn += 1
            sc.errors.append(f"{name}: FN country of {g['id']} ({g['country']})")

    # -- relation facts
    gold_facts = [f for f in gold.get("facts", []) if f.get("rel") in SCORED_RELATIONS]
    context: set[str] = set()
    for g in gold_ents:
        if _types(g) - {"Person"}:
            for form in [g.get("name", ""), *g.get("aliases", [])]:
                context |= _words(form)
    frozen_context = frozenset(context)

    def first_gold_match(f: dict) -> int | None:
        rel = f.get("rel")
        subj = m.gold_of.get(f.get("subj"))
        if subj is None:
            return None
        if rel in VALUE_RELATIONS:
            for k, g in enumerate(gold_facts):
                if g["rel"] == rel and g.get("subj") == subj and value_matches(g, f.get("value", ""), frozen_context):
                    return k
            return None
        obj = m.gold_of.get(f.get("obj"))
        if obj is None:
            return None
        want = _fact_obj(rel, subj, obj)
        for k, g in enumerate(gold_facts):
            if g["rel"] != rel or _fact_obj(rel, g.get("subj"), g.get("obj")) != want:
                continue
            if g.get("date") and f.get("date") != g["date"]:
                continue
            return k
        return None

    def describe(f: dict) -> str:
        def nm(eid):
            e = pred_by_id.get(eid)
            return e.get("name") if e else eid

        rel = f.get("rel")
        other = repr(f.get("value", "")[:60]) if rel in VALUE_RELATIONS else nm(f.get("obj"))
        when = f", {f['date']}" if f.get("date") else ""
        return f"{rel}({nm(f.get('subj'))}, {other}{when})"

    predicted_hits: set[int] = set()
    found: set[int] = set()
    for f in pred.get("facts", []):
        rel = f.get("rel")
        if rel not in SCORED_RELATIONS:
            sc.ignored[rel] += 1
            continue
        k = first_gold_match(f)
        if k is None:
            sc.rel(rel).fp += 1
            sc.errors.append(f"{name}: FP {describe(f)}")
            continue
        if k in predicted_hits:  # the same gold fact predicted again: counted once
            continue
        predicted_hits.add(k)
        if gold_facts[k].get("optional"):
            continue
        found.add(k)
        sc.rel(rel).tp += 1
    for k, g in enumerate(gold_facts):
        if g.get("optional") or k in found:
            continue
        sc.rel(g["rel"]).fn += 1
        other = g.get("value", g.get("obj"))
        when = f", {g['date']}" if g.get("date") else ""
        sc.errors.append(f"{name}: FN {g['rel']}({g.get('subj')}, {str(other)[:60]!r}{when})")
    return sc


@dataclass
class Report:
    """Scores of several articles, added up."""

    articles: list[ArticleScore] = field(default_factory=list)

    def add(self, score: ArticleScore) -> None:
        self.articles.append(score)

    def _of(self, articles: Iterable[ArticleScore]) -> dict[str, Any]:
        articles = list(articles)
        rels: dict[str, PRF] = {}
        ent, types = PRF(), {}
        dups = type_ok = 0
        ignored: Counter = Counter()
        for a in articles:
            for r, c in a.relations.items():
                rels.setdefault(r, PRF()).__iadd__(c)
            ent += a.entities
            dups += a.duplicates
            type_ok += a.type_ok
            for t, c in a.entity_types.items():
                types.setdefault(t, PRF()).__iadd__(c)
            ignored.update(a.ignored)
        facts = PRF()
        for c in rels.values():
            facts += c
        entities = ent.as_dict()
        entities["duplicates"] = dups
        entities["type_accuracy"] = round(type_ok / ent.tp, 4) if ent.tp else 0.0
        return {
            "articles": len(articles),
            "facts": facts.as_dict(),
            "per_relation": {r: rels[r].as_dict() for r in sorted(rels)},
            "entities": entities,
            "entities_per_type": {t: types[t].as_dict() for t in sorted(types)},
            "ignored_relations": dict(ignored),
        }

    def summary(self) -> dict[str, Any]:
        """Totals, per relation, per entity type, and the same per language and article."""
        out = self._of(self.articles)
        out["missing_predictions"] = [a.name for a in self.articles if a.missing_prediction]
        langs = sorted({a.lang or "?" for a in self.articles})
        out["per_language"] = {
            lang: self._of(a for a in self.articles if (a.lang or "?") == lang) for lang in langs
        }
        out["per_article"] = {
            a.name: {
                "lang": a.lang,
                "facts": a.facts.as_dict(),
                "entities": a.entities.as_dict(),
            }
            for a in self.articles
        }
        return out

    def article(self, name: str) -> ArticleScore | None:
        return next((a for a in self.articles if a.name == name), None)

    @property
    def errors(self) -> list[str]:
        return [e for a in self.articles for e in a.errors]


def format_report(summary: dict[str, Any]) -> str:
    """The score table: per relation, per language, entities per type."""
    lines = [f"{'relation':<14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>3} {'fn':>3}"]

    def row(label: str, c: dict[str, Any], extra: str = "") -> str:
        return (
            f"{label:<14} {c['precision']:6.2f} {c['recall']:6.2f} {c['f1']:6.2f} "
            f"{c['tp']:4} {c['fp']:3} {c['fn']:3}{extra}"
        )

    def exact(c: dict[str, Any]) -> dict[str, Any]:
        # fact scores from their counts: the summary's are rounded to 4 places (as
        # score.py's JSON is), and rounding them again would print 0.97046 as 0.971
        m = PRF(c["tp"], c["fp"], c["fn"])
        return {**c, "precision": m.precision, "recall": m.recall, "f1": m.f1}

    for rel, c in summary["per_relation"].items():
        lines.append(row(rel, exact(c)))
    lines.append(row("all facts", exact(summary["facts"])))
    e = summary["entities"]
    lines.append(row("entities", e, f"   duplicates {e['duplicates']}, type accuracy {e['type_accuracy']:.2f}"))
    lines.append("")
    lines.append(f"{'entity type':<14} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>3} {'fn':>3}")
    for t, c in summary["entities_per_type"].items():
        lines.append(row(t, c))
    lines.append("")
    lines.append(f"{'language':<14} {'facts P':>8} {'R':>6} {'F1':>6} {'entity F1':>10}  articles")
    for lang, s in summary["per_language"].items():
        f = exact(s["facts"])
        lines.append(
            f"{lang:<14} {f['precision']:8.2f} {f['recall']:6.2f} {f['f1']:6.2f} "
            f"{s['entities']['f1']:10.2f}  {s['articles']}"
        )
    if summary.get("missing_predictions"):
        lines.append(f"no prediction for: {', '.join(summary['missing_predictions'])}")
    f = exact(summary["facts"])
    lines.append(
        f"facts F1 {f['f1']:.3f} (P {f['precision']:.3f}, R {f['recall']:.3f}), "
        f"entity F1 {summary['entities']['f1']:.3f} over {summary['articles']} articles"
    )
    return "\n".join(lines)


# ---------------------------------------------------------------- files


def gold_files(paths: Iterable[Path]) -> list[Path]:
    """``*.gold.json`` files: the files given, and those in the folders given (sorted)."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        out += sorted(p.glob("*.gold.json")) if p.is_dir() else [p]
    return out


def gold_stem(path: Path) -> str:
    """``dev-en-01`` for ``dev-en-01.gold.json``."""
    name = path.name
    return name[: -len(".gold.json")] if name.endswith(".gold.json") else path.stem


def article_path(gold_path: Path, gold: dict) -> Path:
    """The article a gold file describes: its ``article.file`` (relative to the gold
    file), else ``<stem>.txt`` beside it."""
    rel = (gold.get("article") or {}).get("file")
    if rel:
        return (gold_path.parent / rel).resolve()
    return gold_path.parent / f"{gold_stem(gold_path)}.txt"


def predict(article_file: Path) -> dict[str, Any]:
    """The project's own kg-facts/1 view of one article file (as ``kg extract`` prints it)."""
    from .errors import InputError
    from .ingest import read_file
    from .model import Skip
    from .pipeline import extract_article
    from .views import facts_view

    item = next(iter(read_file(article_file)), None)
    if item is None:
        raise InputError(f"{article_file}: no article found")
    if isinstance(item, Skip):
        raise InputError(f"{item.path}: {item.reason}")
    return facts_view(extract_article(item))


def _read_json(path: Path) -> dict:
    from .errors import InputError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: not a JSON file ({e})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a kg-facts/1 object")
    return data


def evaluate_gold_files(
    paths: Iterable[Path],
    *,
    pred_dir: Path | None = None,
    save_dir: Path | None = None,
    predictor: Callable[[Path], dict[str, Any]] | None = None,
    on_error: Callable[[str, Exception], None] | None = None,
) -> Report:
    """Score predictions for each gold file.

    Predictions are read from ``pred_dir/<stem>.json`` when ``pred_dir`` is given
    (a missing file scores as an empty prediction), else made by ``predictor``
    (default :func:`predict`, the project's extraction) from the article beside the
    gold file. ``save_dir`` receives each prediction made as ``<stem>.json``. An
    article that cannot be extracted scores as empty and is passed to ``on_error``
    (else the error is raised).
    """
    from .errors import InputError, KgError

    files = gold_files(paths)
    if not files:
        raise InputError("no gold files (*.gold.json) found")
    predictor = predictor or predict
    report = Report()
    if save_dir is not None:
        save_dir.mkdir(parents=True, exist_ok=True)
    for gf in files:
        gold = _read_json(gf)
        stem = gold_stem(gf)
        missing = False
        if pred_dir is not None:
            pf = pred_dir / f"{stem}.json"
            if pf.exists():
                pred = _read_json(pf)
            else:
                pred, missing = {"entities": [], "facts": []}, True
        else:
            src = article_path(gf, gold)
            try:
                if not src.exists():
                    raise InputError(f"{gf}: no article file {src}")
                pred = predictor(src)
            except (KgError, ImportError, RecursionError) as e:
                if on_error is None:
                    raise
                on_error(stem, e)
                pred, missing = {"entities": [], "facts": []}, True
            if save_dir is not None and not missing:
                (save_dir / f"{stem}.json").write_text(
                    json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8"
                )
        sc = score_article(gold, pred, stem)
        sc.missing_prediction = missing
        report.add(sc)
    return report
