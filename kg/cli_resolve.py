"""CLI: entity resolution (``kg resolve``) and evaluation against gold files (``kg evaluate``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import StoreOpt, err, open_cli_store, out
from .errors import InputError

__all__ = ["register", "resolve", "evaluate"]


def resolve(
    store: StoreOpt = None,
    accept: Annotated[
        tuple[str, str] | None,
        typer.Option("--accept", metavar="A B", help="Record that A and B are one entity (B's IRI becomes A's)."),
    ] = None,
    reject: Annotated[
        tuple[str, str] | None,
        typer.Option("--reject", metavar="A B", help="Record that A and B are different entities: never merge them."),
    ] = None,
    judgements: Annotated[
        Path | None,
        typer.Option("--judgements", help="Judgements file (default: judgements.tsv in the store folder)."),
    ] = None,
    min_score: Annotated[float, typer.Option("--min-score", help="Smallest score listed (0-100).")] = 80.0,
    all_: Annotated[bool, typer.Option("--all", help="Also list sure merges and pairs already judged.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many candidates (0: all).")] = 50,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List candidate merges of entities across articles, or record a judgement.

    Entities are given as IRIs or short ids as listed (``org:dgsi``). An accepted
    merge is applied to the store at once and on every later ingest; a rejected one
    is applied on every later ingest (articles already merged are marked for
    re-extraction: run ``kg ingest`` on them again).
    """
    from .resolve import Judgements, Resolver, default_judgements_path, short_id

    if accept and reject:
        raise InputError("give --accept or --reject, not both")
    if accept or reject:
        with open_cli_store(store, must_exist=True) as st:
            path = judgements or default_judgements_path(st)
            if path is None:
                raise InputError("this store has no folder: pass --judgements FILE")
            book = Judgements.read(path)
            verdict, (a, b) = ("accept", accept) if accept else ("reject", reject)
            a_iri, b_iri = book.parse_id(a), book.parse_id(b)
            if a_iri == b_iri:
                raise InputError(f"{a} and {b} are the same entity")
            book.record(verdict, a_iri, b_iri)
            book.write(path)
            resolver = Resolver.load(st, path)
            changed = resolver.apply_to_store(st, verdict, a_iri, b_iri)
        err.print(f"{verdict}ed: {short_id(a_iri)} {short_id(b_iri)} (in {path})", highlight=False)
        if changed:
            what = "rewritten" if verdict == "accept" else "marked for re-extraction (run 'kg ingest' on them again)"
            err.print(f"  {len(changed)} article graph(s) {what}", highlight=False)
        return

    with open_cli_store(store, must_exist=True) as st:
        resolver = Resolver.load(st, judgements)
        cands = resolver.candidates(min_score=min_score, include_sure=all_, include_judged=all_)
    if limit > 0:
        cands = cands[:limit]
    if json_out:
        print(json.dumps([c.as_dict() for c in cands], ensure_ascii=False, indent=1))
        return
    if not cands:
        out.print("no candidate merges", highlight=False)
        return
    for c in cands:
        out.print(c.format(), markup=False, highlight=False)
        out.print("", highlight=False)
    out.print(
        f"{len(cands)} candidate(s). Record a decision with: kg resolve --accept A B  |  kg resolve --reject A B",
        markup=False,
        highlight=False,
    )


def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold files (*.gold.json) or folders of them.")],
    pred: Annotated[
        Path | None,
        typer.Option("--pred", help="Score the predictions in this folder (<stem>.json) instead of extracting."),
    ] = None,
    save: Annotated[
        Path | None, typer.Option("--save-pred", help="Write each prediction made to this folder as <stem>.json.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="The summary as JSON.")] = False,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List every miss and false fact on stderr.")] = False,
) -> None:
    """Score kg's own extraction against kg-facts/1 gold files (rules of FORMAT.md).

    For each gold file the article beside it (``article.file``, else ``<stem>.txt``)
    is extracted and its facts view scored: per relation, per language, entities
    per type.
    """
    from .evaluate import evaluate_gold_files, format_report

    for g in gold:
        if not g.exists():
            raise InputError(f"{g}: no such file or folder")
    if pred is not None and not pred.is_dir():
        raise InputError(f"{pred}: no such folder")

    def on_error(name: str, e: Exception) -> None:
        err.print(f"[yellow]warning:[/yellow] {name}: not extracted ({e})", highlight=False)

    report = evaluate_gold_files(gold, pred_dir=pred, save_dir=save, on_error=on_error)
    summary = report.summary()
    if show_errors:
        for line in report.errors:
            err.print(line, markup=False, highlight=False)
    if json_out:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        out.print(format_report(summary), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve)
    app.command("evaluate")(evaluate)
