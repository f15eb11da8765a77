"""`kg resolve`, `kg evaluate` and `python -m kg.evaluation_gate` from the command line."""

from __future__ import annotations

import copy
import json

import pytest

import kg.evaluate
from kg.cli import main
from kg.evaluation_gate import main as gate_main
from kg.pipeline import ingest_articles
from kg.resolve import Resolver
from kg.store import open_store

from .test_evaluate import GOLD
from .test_resolve import E, art


def run(capsys, *args):
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def two_article_store(tmp_path):
    path = tmp_path / "store"
    st = open_store(path)
    r = Resolver.load(st)
    ingest_articles(
        [
            art("a1", E("a", "Person", "Anna Berg"), E("o", "Organization", "Kementerian Luar Negeri", ["Kemlu"], "ID")),
            art("a2", E("h", "Person", "Hanna Berg"), E("o", "Organization", "Kemlu", country="ID")),
        ],
        st,
        iri_of=r.iri_of,
    )
    st.close()
    return path


def test_resolve_lists_candidates_with_evidence(capsys, two_article_store):
    code, out, err = run(capsys, "resolve", "--store", two_article_store)
    assert code == 0, err
    assert "person:anna-berg" in out and "person:hanna-berg" in out
    assert "a1" in out and "a2" in out and "why:" in out
    assert "org:kemlu" not in out  # merged automatically at ingest
    code, out, _ = run(capsys, "resolve", "--store", two_article_store, "--json")
    data = json.loads(out)
    assert data[0]["a"]["articles"] and data[0]["sure"] is False


def test_resolve_accept_writes_the_judgement_and_merges(capsys, two_article_store):
    code, _, err = run(capsys, "resolve", "--store", two_article_store, "--accept", "person:anna-berg", "person:hanna-berg")
    assert code == 0, err
    lines = (two_article_store / "judgements.tsv").read_text(encoding="utf-8").splitlines()
    assert [ln for ln in lines if not ln.startswith("#")][0].startswith("accept\tperson:anna-berg\tperson:hanna-berg")
    assert "1 article graph(s) rewritten" in err
    code, out, _ = run(capsys, "resolve", "--store", two_article_store)
    assert "hanna-berg" not in out
    code, out, _ = run(capsys, "query", "--store", two_article_store, "--format", "json",
                       "SELECT ?l WHERE { <https://w3id.org/kg-visits/id/person/anna-berg> rdfs:label ?l }")
    assert code == 0
    assert "Hanna Berg" in out and "Anna Berg" in out


def test_resolve_reject_to_a_given_file(capsys, two_article_store, tmp_path):
    jfile = tmp_path / "mine.tsv"
    code, _, err = run(
        capsys, "resolve", "--store", two_article_store, "--judgements", jfile,
        "--reject", "person:anna-berg", "<https://w3id.org/kg-visits/id/person/hanna-berg>",
    )
    assert code == 0, err
    assert "reject\tperson:anna-berg\tperson:hanna-berg" in jfile.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "resolve", "--store", two_article_store, "--judgements", jfile)
    assert "hanna-berg" not in out  # judged pairs are hidden
    code, out, _ = run(capsys, "resolve", "--store", two_article_store, "--judgements", jfile, "--all")
    assert "reject" in out and "hanna-berg" in out


def test_resolve_errors_are_one_line(capsys, two_article_store, tmp_path):
    code, _, err = run(capsys, "resolve", "--store", two_article_store, "--accept", "dgsi", "org:x")
    assert code == 1 and "error" in err and "Traceback" not in err
    code, _, err = run(capsys, "resolve", "--store", tmp_path / "nope")
    assert code == 1 and "no store" in err


def _gold_dir(tmp_path, name="seed"):
    d = tmp_path / "gold"
    d.mkdir(exist_ok=True)
    g = copy.deepcopy(GOLD)
    g["article"] = {"id": name, "lang": "id"}
    (d / f"{name}.gold.json").write_text(json.dumps(g), encoding="utf-8")
    (d / f"{name}.txt").write_text("an article", encoding="utf-8")
    return d


def test_evaluate_scores_predictions_in_a_folder(capsys, tmp_path):
    gold = _gold_dir(tmp_path, "g1")
    pred = tmp_path / "pred"
    pred.mkdir()
    p = copy.deepcopy(GOLD)
    p["facts"] = p["facts"][:3]
    (pred / "g1.json").write_text(json.dumps(p), encoding="utf-8")
    code, out, err = run(capsys, "evaluate", gold, "--pred", pred)
    assert code == 0, err
    assert "relation" in out and "visited" in out and "entity type" in out and "language" in out
    code, out, _ = run(capsys, "evaluate", gold / "g1.gold.json", "--pred", pred, "--json")
    s = json.loads(out)
    assert s["per_relation"]["sentBy"]["tp"] == 1 and s["facts"]["fn"] > 0
    assert s["per_language"]["id"]["articles"] == 1


def test_evaluate_runs_the_extraction(capsys, tmp_path, monkeypatch):
    gold = _gold_dir(tmp_path, "g1")
    monkeypatch.setattr(kg.evaluate, "predict", lambda path: copy.deepcopy(GOLD))
    code, out, err = run(capsys, "evaluate", gold, "--json", "--save-pred", tmp_path / "saved", "--show-errors")
    assert code == 0, err
    assert json.loads(out)["facts"]["f1"] == 1.0
    assert (tmp_path / "saved" / "g1.json").exists()
    code, _, err = run(capsys, "evaluate", tmp_path / "missing")
    assert code == 1 and "no such file" in err


def test_evaluation_gate(capsys, tmp_path, monkeypatch):
    gold = _gold_dir(tmp_path, "seed")
    monkeypatch.setattr(kg.evaluate, "predict", lambda path: copy.deepcopy(GOLD))
    assert gate_main([str(gold)]) == 0
    assert "required-fact recall 1.000" in capsys.readouterr().out

    def partial(path):
        p = copy.deepcopy(GOLD)
        p["facts"] = p["facts"][1:]
        return p

    monkeypatch.setattr(kg.evaluate, "predict", partial)
    assert gate_main([str(gold)]) == 1
    assert "FN visited" in capsys.readouterr().out

    def broken(path):
        raise ImportError("no extractor")

    monkeypatch.setattr(kg.evaluate, "predict", broken)
    assert gate_main([str(gold)]) == 1
    assert gate_main([]) == 2


def test_evaluation_gate_without_seed_never_fails(capsys, tmp_path, monkeypatch):
    gold = _gold_dir(tmp_path, "other")
    monkeypatch.setattr(kg.evaluate, "predict", lambda path: {"entities": [], "facts": []})
    assert gate_main([str(gold)]) == 0
