"""Peer benchmark: kg's entity recognition on public Indonesian (and English) NER test sets.

Reads the CoNLL-style sets in ``../shared/bench/ner/`` (never copied into the
project), runs ``kg.extract`` on each sentence as a one-sentence article, and
scores entity-level exact-match precision/recall/F1 for PER, ORG and LOC.

    python benchmarks/ner.py [--shared ../shared] [--limit N]

Published scores of fine-tuned models are quoted in the README beside ours.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: dataset -> (files, language, column of the tag (-1 = last))
DATASETS = {
    "idner_news_2k": (["test.txt"], "id"),
    "indolem_nerui": (["test.01.tsv", "test.02.tsv", "test.03.tsv", "test.04.tsv", "test.05.tsv"], "id"),
    "indolem_nerugm": (["test.01.tsv", "test.02.tsv", "test.03.tsv", "test.04.tsv", "test.05.tsv"], "id"),
    "indonlu_nergrit": (["test_preprocess.txt"], "id"),
    "wnut17": (["emerging.test.annotated"], "en"),
}

#: dataset tag -> the three classes compared (others ignored)
TAG_MAP = {
    "PER": "PER", "PERSON": "PER", "person": "PER",
    "ORG": "ORG", "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "corporation": "ORG", "group": "ORG",
    "LOC": "LOC", "PLACE": "LOC", "LOCATION": "LOC", "location": "LOC", "GPE": "LOC",
}
#: kg mention/entity label -> class
KG_MAP = {
    "PER": "PER", "Person": "PER",
    "ORG": "ORG", "Organization": "ORG", "Delegation": "ORG",
    "LOC": "LOC", "Place": "LOC", "Country": "LOC", "Facility": "LOC", "GPE": "LOC", "FAC": "LOC",
}


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences as lists of (token, tag); blank lines separate sentences."""
    sents, cur = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.replace("\t", " ").split()
        if not parts:
            if cur:
                sents.append(cur)
                cur = []
            continue
        cur.append((parts[0], parts[-1]))
    if cur:
        sents.append(cur)
    return sents


def gold_spans(sent: list[tuple[str, str]]) -> set[tuple[int, int, str]]:
    spans, start, label = set(), None, None
    for i, (_, tag) in enumerate(sent + [("", "O")]):
        prefix, _, kind = tag.partition("-")
        if start is not None and (prefix != "I" or TAG_MAP.get(kind) != label):
            spans.add((start, i, label))
            start = None
        if prefix == "B" or (prefix == "I" and start is None):
            mapped = TAG_MAP.get(kind)
            if mapped:
                start, label = i, mapped
    return spans


def predicted_spans(sent, extract, lang) -> set[tuple[int, int, str]]:
    from kg.model import Article

    tokens = [t for t, _ in sent]
    offsets, pos = [], 0
    for t in tokens:
        offsets.append((pos, pos + len(t)))
        pos += len(t) + 1
    text = " ".join(tokens)
    try:
        x = extract(Article(key="ner", text=text, lang=lang))
    except Exception:
        return set()
    found = set()
    char_spans = [(m.start, m.end, KG_MAP.get(m.label)) for m in x.mentions]
    for ent in x.entities:
        label = KG_MAP.get(ent.type)
        char_spans += [(a, b, label) for a, b in ent.spans]
    for a, b, label in char_spans:
        if label is None:
            continue
        toks = [i for i, (s, e) in enumerate(offsets) if s >= a and e <= b]
        if toks and offsets[toks[0]][0] == a and offsets[toks[-1]][1] == b:
            found.add((toks[0], toks[-1] + 1, label))
    return found


def score(pred: Counter, gold: Counter, tp: Counter, label: str | None = None) -> tuple[float, float, float]:
    keys = [label] if label else list(gold | pred)
    t = sum(tp[k] for k in keys)
    p = sum(pred[k] for k in keys)
    g = sum(gold[k] for k in keys)
    prec = t / p if p else 0.0
    rec = t / g if g else 0.0
    return prec, rec, (2 * prec * rec / (prec + rec) if prec + rec else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--limit", type=int, default=0, help="at most N sentences per dataset (0 = all)")
    ap.add_argument("--datasets", nargs="*", default=list(DATASETS))
    args = ap.parse_args(argv)
    base = args.shared / "bench" / "ner"
    if not base.is_dir():
        print(f"error: {base} not found (the NER sets live in ../shared/bench/ner)", file=sys.stderr)
        return 1
    from kg.extract import extract

    rows = []
    for name in args.datasets:
        files, lang = DATASETS[name]
        sents = []
        for f in files:
            if (base / name / f).exists():
                sents += read_conll(base / name / f)
        if args.limit:
            sents = sents[: args.limit]
        gold, pred, tp = Counter(), Counter(), Counter()
        t0 = time.perf_counter()
        for sent in sents:
            g = gold_spans(sent)
            p = predicted_spans(sent, extract, lang)
            gold.update(s[2] for s in g)
            pred.update(s[2] for s in p)
            tp.update(s[2] for s in g & p)
        dt = time.perf_counter() - t0
        row = {"dataset": name, "lang": lang, "sentences": len(sents), "seconds": dt}
        for lab in ("PER", "ORG", "LOC"):
            row[lab] = score(pred, gold, tp, lab)[2]
        row["micro"] = score(pred, gold, tp)
        rows.append(row)
    print(f"{'dataset':<18}{'lang':<6}{'sents':>7}{'PER F1':>8}{'ORG F1':>8}{'LOC F1':>8}{'micro P':>9}{'micro R':>9}{'micro F1':>9}{'sec':>7}")
    for r in rows:
        p, rc, f = r["micro"]
        print(f"{r['dataset']:<18}{r['lang']:<6}{r['sentences']:>7}{r['PER']:>8.3f}{r['ORG']:>8.3f}{r['LOC']:>8.3f}{p:>9.3f}{rc:>9.3f}{f:>9.3f}{r['seconds']:>7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
