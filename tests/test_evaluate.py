"""kg.evaluate: the rules of FORMAT.md on small hand-made gold files, and agreement
with ../shared/eval/score.py (when ../shared is present)."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from kg.evaluate import (
    Report,
    article_path,
    evaluate_gold_files,
    format_report,
    match_entities,
    normalise,
    score_article,
    value_matches,
)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE_PY = SHARED / "eval" / "score.py"
DEV = SHARED / "eval" / "dev"


def _ent(id_, type_, name, aliases=(), country=None, **kw):
    e = {"id": id_, "type": type_, "name": name, "aliases": list(aliases)}
    if country:
        e["country"] = country
    e.update(kw)
    return e


GOLD = {
    "format": "kg-facts/1",
    "article": {"id": "g1", "lang": "id", "file": "g1.txt"},
    "entities": [
        _ent("dgsi", "Organization", "Direction Générale de la Sécurité Intérieure", ["DGSI"], "FR"),
        _ent("del", "Delegation", "Delegasi DGSI Prancis", ["delegasi DGSI"], "FR"),
        _ent("sentra", ["Facility", "Organization"], "Sentra Handayani Jakarta", ["Sentra Handayani"], "ID"),
        _ent("olivier", "Person", "Olivier", ["Oliever"]),
        _ent("thierry", "Person", "Thierry Toutin"),
        _ent("yulianti", "Person", "Yulianti Mukhtar"),
        _ent("galeri", "Facility", "Galeri SKA", optional=True),
    ],
    "facts": [
        {"rel": "visited", "subj": "del", "obj": "sentra", "date": "2023-09-29"},
        {"rel": "sentBy", "subj": "del", "obj": "dgsi"},
        {"rel": "memberOf", "subj": "olivier", "obj": "dgsi"},
        {"rel": "memberOf", "subj": "thierry", "obj": "dgsi"},
        {"rel": "metWith", "subj": "del", "obj": "yulianti"},
        {"rel": "role", "subj": "thierry", "value": "Head of the DGSI, Expert-Officer"},
        {"rel": "said", "subj": "yulianti", "value": "Kami menyambut baik kunjungan delegasi dari Prancis ini"},
        {"rel": "visited", "subj": "del", "obj": "galeri", "optional": True},
    ],
}


def _pred(entities, facts):
    return {"format": "kg-facts/1", "entities": entities, "facts": facts}


def test_normalise_ignores_case_accents_punctuation():
    assert normalise("  Sécurité-Intérieure  (DGSI) ") == "securite interieure dgsi"
    assert normalise("Jum’at") == "jum at"


def test_entities_match_by_alias_fuzzy_and_type_preference():
    gold = GOLD["entities"]
    pred = [
        _ent("a", "Organization", "DGSI"),  # alias of the gold name
        _ent("b", "Person", "Thierry Toutine"),  # fuzzy >= 0.90
        _ent("c", "Person", "Oliever"),  # gold alias
        _ent("d", "Person", "Somebody Else"),
    ]
    m = match_entities(pred, gold)
    assert m.gold_of == {"a": "dgsi", "b": "thierry", "c": "olivier", "d": None}
    assert m.duplicate == set()


def test_perfect_prediction_scores_one():
    pred = copy.deepcopy(GOLD)
    sc = score_article(GOLD, pred, "g1")
    assert sc.facts.fn == 0 and sc.facts.fp == 0
    assert sc.entities.fp == 0 and sc.entities.fn == 0
    # optional entity and optional fact: neither needed nor false
    assert sc.entities.tp == 6
    assert sc.rel("country").tp == 3
    assert sc.facts.tp == 7 + 3


def test_duplicates_dates_symmetry_values_and_optional():
    pred = _pred(
        [
            _ent("p_del", "Delegation", "Delegasi DGSI", country="FR"),
            _ent("p_dgsi", "Organization", "DGSI", country="ID"),  # wrong country: one false country fact
            _ent("p_sentra", "Organization", "Sentra Handayani"),  # type overlap still ok, no country: a miss
            _ent("p_oli", "Person", "Olivier"),
            _ent("p_oli2", "Person", "Olivierr"),  # the same person again: a duplicate
            _ent("p_thi", "Person", "Thierry Toutin"),
            _ent("p_yul", "Person", "Yulianti Mukhtar"),
            _ent("p_gal", "Facility", "Galeri SKA"),  # optional gold entity: not counted
            _ent("p_x", "Place", "Atlantis"),  # false entity
        ],
        [
            {"rel": "visited", "subj": "p_del", "obj": "p_sentra", "date": "2023-09-30"},  # wrong date
            {"rel": "visited", "subj": "p_del", "obj": "p_gal"},  # optional: not false, not counted
            {"rel": "sentBy", "subj": "p_del", "obj": "p_dgsi"},
            {"rel": "sentBy", "subj": "p_del", "obj": "p_dgsi"},  # the same gold fact again: once
            {"rel": "memberOf", "subj": "p_oli2", "obj": "p_dgsi"},  # via the duplicate: still olivier
            {"rel": "metWith", "subj": "p_yul", "obj": "p_del"},  # symmetric
            {"rel": "role", "subj": "p_thi", "value": "Head"},  # extra words only names of the article: DGSI
            {"rel": "said", "subj": "p_yul", "value": "kami menyambut baik kunjungan delegasi Prancis"},
            {"rel": "hostedBy", "subj": "p_del", "obj": "p_x"},  # false
            {"rel": "likes", "subj": "p_del", "obj": "p_x"},  # unknown relation: ignored
        ],
    )
    sc = score_article(GOLD, pred, "g1")
    assert (sc.entities.tp, sc.entities.fp, sc.entities.fn, sc.duplicates) == (6, 2, 0, 1)
    assert sc.type_ok == 6
    r = {k: (v.tp, v.fp, v.fn) for k, v in sc.relations.items()}
    assert r["visited"] == (0, 1, 1)
    assert r["sentBy"] == (1, 0, 0)
    assert r["memberOf"] == (1, 0, 1)
    assert r["metWith"] == (1, 0, 0)
    assert r["role"] == (1, 0, 0)
    assert r["said"] == (1, 0, 0)
    assert r["hostedBy"] == (0, 1, 0)
    assert r["country"] == (1, 1, 1)  # del FR ok; dgsi ID wrong; sentra missing
    assert sc.ignored == {"likes": 1}
    assert any("DUP entity 'Olivierr'" in e for e in sc.errors)


def test_value_rules():
    role = {"rel": "role", "value": "Direktur Jenderal Urusan Penanggulangan Bencana, Cabinet Office"}
    assert value_matches(role, "Direktur Jenderal Urusan Penanggulangan Bencana")
    assert not value_matches(role, "Sekretaris Utama")
    assert value_matches({"rel": "role", "value": "Head"}, "Head of the ICRC", frozenset({"icrc"}))
    assert not value_matches({"rel": "role", "value": "Head"}, "Head of the ICRC")
    trunc = {"rel": "said", "value": "one two three four five", "value_truncated": True}
    assert value_matches(trunc, "one two three four five six seven eight nine ten")
    assert not value_matches({"rel": "said", "value": "one two three four five"}, "one two three four five six seven eight nine ten")


def test_per_type_and_per_language_summary():
    rep = Report()
    rep.add(score_article(GOLD, copy.deepcopy(GOLD), "a"))
    en = copy.deepcopy(GOLD)
    en["article"]["lang"] = "en"
    rep.add(score_article(en, _pred([], []), "b"))
    s = rep.summary()
    assert set(s["per_language"]) == {"id", "en"}
    assert s["per_language"]["id"]["facts"]["f1"] == 1.0
    assert s["per_language"]["en"]["facts"]["recall"] == 0.0
    assert s["entities_per_type"]["Person"]["tp"] == 3 and s["entities_per_type"]["Person"]["fn"] == 3
    # Sentra is Facility and Organization: counted under both
    assert s["entities_per_type"]["Facility"]["tp"] == 1
    assert s["entities_per_type"]["Organization"]["tp"] == 2
    text = format_report(s)
    assert text.splitlines()[0].startswith("relation") and "entities" in text and "Person" in text


def test_article_path(tmp_path):
    g = tmp_path / "x.gold.json"
    assert article_path(g, {"article": {}}) == tmp_path / "x.txt"
    assert article_path(g, {"article": {"file": "../seeds/s.txt"}}) == (tmp_path.parent / "seeds" / "s.txt").resolve()


def test_evaluate_gold_files_with_predictor_and_pred_dir(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (gold_dir / "g1.gold.json").write_text(json.dumps(GOLD), encoding="utf-8")
    (gold_dir / "g1.txt").write_text("text", encoding="utf-8")
    seen = []

    def predictor(path):
        seen.append(path.name)
        return copy.deepcopy(GOLD)

    rep = evaluate_gold_files([gold_dir], predictor=predictor, save_dir=tmp_path / "pred")
    assert seen == ["g1.txt"]
    assert rep.summary()["facts"]["f1"] == 1.0
    rep2 = evaluate_gold_files([gold_dir / "g1.gold.json"], pred_dir=tmp_path / "pred")
    assert rep2.summary()["facts"] == rep.summary()["facts"]
    rep3 = evaluate_gold_files([gold_dir], pred_dir=tmp_path)  # no g1.json there
    assert rep3.summary()["missing_predictions"] == ["g1"]


# ------------------------------------------------------- agreement with score.py


def _perturb(gold: dict, rng: random.Random) -> dict:
    """A plausible imperfect prediction made from a gold file (misses, typos, extras)."""
    ents, ids = [], {}
    for e in gold["entities"]:
        if rng.random() < 0.1:
            continue
        p = {"id": "p_" + e["id"], "type": e["type"], "name": e["name"], "aliases": list(e.get("aliases", []))}
        ids[e["id"]] = p["id"]
        x = rng.random()
        if x < 0.15 and len(p["name"]) > 3:  # a typo
            k = rng.randrange(1, len(p["name"]) - 1)
            p["name"] = p["name"][:k] + p["name"][k + 1 :]
        elif x < 0.25:
            p["name"] = p["name"].upper()
        if rng.random() < 0.3:
            p["aliases"] = []
        if rng.random() < 0.1:
            p["type"] = rng.choice(["Person", "Organization", "Place", "Facility"])
        if e.get("country") and rng.random() > 0.15:
            p["country"] = e["country"] if rng.random() > 0.2 else "XX"
        elif rng.random() < 0.1:
            p["country"] = "ID"
        ents.append(p)
        if rng.random() < 0.08:  # the same entity twice
            ents.append(dict(p, id=p["id"] + "_dup", name=p["name"] + "s"))
            ids[e["id"] + "#dup"] = p["id"] + "_dup"
    for k in range(rng.randrange(0, 4)):
        ents.append({"id": f"p_extra{k}", "type": "Organization", "name": f"Spurious Body {k} {rng.random():.3f}", "aliases": []})
    rng.shuffle(ents)
    pid = [e["id"] for e in ents]
    facts = []
    for f in gold["facts"]:
        if rng.random() < 0.15:
            continue
        p = {k: v for k, v in f.items() if k not in ("optional", "value_truncated")}
        p["subj"] = ids.get(f["subj"], "p_missing")
        if rng.random() < 0.2 and f["subj"] + "#dup" in ids:
            p["subj"] = ids[f["subj"] + "#dup"]
        if "obj" in f:
            p["obj"] = ids.get(f["obj"], "p_missing")
            if f["rel"] == "metWith" and rng.random() < 0.5:
                p["subj"], p["obj"] = p["obj"], p["subj"]
        if "date" in f and rng.random() < 0.2:
            del p["date"]
        elif rng.random() < 0.05:
            p["date"] = "2020-01-01"
        if "value" in f and rng.random() < 0.3:
            words = f["value"].split()
            keep = max(1, int(len(words) * rng.uniform(0.4, 1.0)))
            p["value"] = " ".join(words[:keep])
        facts.append(p)
        if rng.random() < 0.05:
            facts.append(dict(p))
    rels = ["visited", "metWith", "memberOf", "hostedBy", "role", "said", "partOf", "mentions"]
    for _ in range(rng.randrange(0, 6)):
        if not pid:
            break
        rel = rng.choice(rels)
        f = {"rel": rel, "subj": rng.choice(pid)}
        if rel in ("role", "said"):
            f["value"] = rng.choice(["Minister", "Head of Delegation", "we came to learn", "Director"])
        else:
            f["obj"] = rng.choice(pid)
        facts.append(f)
    return {"format": "kg-facts/1", "article": gold["article"], "entities": ents, "facts": facts}


def _score_py(gold_files: list[Path], pred_dir: Path) -> dict:
    res = subprocess.run(
        [sys.executable, str(SCORE_PY), *map(str, gold_files), "--pred", str(pred_dir), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout)


def _comparable_ours(s: dict) -> dict:
    e = s["entities"]
    return {
        "facts": {k: s["facts"][k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")},
        "per_relation": {r: {k: c[k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")} for r, c in s["per_relation"].items()},
        "entities": {
            "tp": e["tp"], "fp+dup": e["fp"], "dup": e["duplicates"], "fn": e["fn"], "precision": e["precision"],
            "recall": e["recall"], "f1": e["f1"], "type_accuracy": e["type_accuracy"],
        },
        "ignored": s["ignored_relations"],
        "missing": s["missing_predictions"],
    }


def _comparable_theirs(s: dict) -> dict:
    e = s["entities"]
    return {
        "facts": s["facts"],
        "per_relation": s["per_relation"],
        "entities": {
            "tp": e["tp"], "fp+dup": e["fp"] + e["duplicates"], "dup": e["duplicates"], "fn": e["fn"],
            "precision": e["precision"], "recall": e["recall"], "f1": e["f1"], "type_accuracy": e["type_accuracy"],
        },
        "ignored": s["ignored_relations"],
        "missing": s["missing_predictions"],
    }


needs_shared = pytest.mark.skipif(not (SCORE_PY.exists() and DEV.is_dir()), reason="../shared/eval not present")


@needs_shared
@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_score_py_on_perturbed_dev_predictions(tmp_path, seed):
    rng = random.Random(seed)
    golds = sorted(DEV.glob("*.gold.json"))
    for gf in golds:
        if rng.random() < 0.05:
            continue  # now and then no prediction at all
        gold = json.loads(gf.read_text(encoding="utf-8"))
        pred = gold if rng.random() < 0.1 else _perturb(gold, rng)
        (tmp_path / gf.name.replace(".gold.json", ".json")).write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    theirs = _score_py(golds, tmp_path)
    ours = evaluate_gold_files(golds, pred_dir=tmp_path).summary()
    assert _comparable_ours(ours) == _comparable_theirs(theirs)


def _extractor_available() -> bool:
    try:
        from kg.extract import extract  # noqa: F401
    except ImportError:
        return False
    return True


@needs_shared
def test_agrees_with_score_py_on_own_extraction(tmp_path):
    if not _extractor_available():
        pytest.skip("the extractor (kg.extract) is not available")
    golds = sorted(DEV.glob("*.gold.json"))
    ours = evaluate_gold_files(golds, save_dir=tmp_path, on_error=lambda name, e: None).summary()
    theirs = _score_py(golds, tmp_path)
    assert _comparable_ours(ours) == _comparable_theirs(theirs)
