"""The ``kg`` command line: thin commands over library calls.

Every command reports a ``KgError`` as one red line on stderr with exit code 1.
Command groups live in their own modules and register themselves here.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import click
import typer

from .cli_common import EndpointOpt, StoreOpt, err, open_cli_store, out
from .errors import InputError, KgError

app = typer.Typer(
    name="kg",
    help="Diplomatic-visit knowledge graph: articles in, RDF with provenance out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.txt .md .html .jsonl).")],
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    source: Annotated[
        str, typer.Option(help="Input kind: 'articles' (news files) or 'hsg' (Office of the Historian XML).")
    ] = "articles",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    judgements: Annotated[
        Path | None,
        typer.Option(help="Merge judgements file (default: judgements.tsv in the store folder; see 'kg resolve')."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", min=0, help="Extraction processes: 1 extracts here, 0 one per CPU."),
    ] = 1,
) -> None:
    """Read articles, extract facts, and store one named graph per article.

    Input is streamed: files are read, extracted and written one at a time (or by
    --workers processes), so memory stays flat on large runs. Unchanged articles
    are left alone; changed ones replace their graph in one atomic write.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .parallel import PathReader, default_workers, ingest_parallel
    from .resolve import Resolver

    reader = None
    if source == "articles":
        reader = PathReader(paths)
        items = iter(reader)
    elif source == "hsg":
        try:
            from .ingest.hsg import read_hsg_paths
        except ImportError:
            raise InputError("the HSG importer is not available in this build") from None
        items = read_hsg_paths(paths)
    else:
        raise InputError(f"unknown --source '{source}' (use 'articles' or 'hsg')")

    with open_cli_store(store, endpoint=endpoint) as st:
        resolver = Resolver.load(st, judgements)
        progress = Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files" if reader is not None else "records"),
            TimeElapsedColumn(),
            console=err,
            disable=quiet or not err.is_terminal,
        )
        with progress:
            task = progress.add_task("ingest", total=reader.total if reader is not None else None)

            def on_item(item, outcome) -> None:
                if reader is not None:
                    progress.update(task, completed=reader.done)
                else:
                    progress.advance(task)

            report = ingest_parallel(
                items, st, workers=workers or default_workers(), on_item=on_item, resolver=resolver
            )
        location = st.location
    err.print(
        f"ingested {len(report.ingested)}, replaced {len(report.replaced)}, "
        f"unchanged {len(report.unchanged)}, skipped {len(report.skipped)} "
        f"({report.facts} facts, {report.quads} quads) into {location}"
    )
    for skip in report.skipped:
        err.print(f"  skipped {skip.path}: {skip.reason}", markup=False, highlight=False)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One article file (.txt .md .html .jsonl: first line).")],
    format: Annotated[str, typer.Option("--format", "-f", help="facts | turtle | trig | jsonld")] = "facts",
) -> None:
    """Print one article's extraction without touching a store."""
    from pyoxigraph import RdfFormat, Store, serialize

    from .ingest import read_file
    from .model import Skip
    from .pipeline import article_quads, extract_article
    from .rdf import article_iri
    from .views import facts_view_of_graph

    if format not in ("facts", "turtle", "trig", "jsonld"):
        raise InputError(f"unknown --format '{format}' (use facts, turtle, trig or jsonld)")
    if not file.exists():
        raise InputError(f"{file}: no such file")
    item = next(iter(read_file(file)), None)
    if item is None:
        raise InputError(f"{file}: no article found")
    if isinstance(item, Skip):
        raise InputError(f"{item.path}: {item.reason}")
    extraction = extract_article(item)
    quads = article_quads(extraction)
    graph = article_iri(item)
    if format == "facts":
        mem = Store()
        mem.extend(quads)
        print(json.dumps(facts_view_of_graph(mem, graph), ensure_ascii=False, indent=1))
        return
    from .ontology import PREFIXES

    if format == "trig":
        data = serialize(quads, format=RdfFormat.TRIG, prefixes=PREFIXES)
    elif format == "turtle":
        from pyoxigraph import Triple

        data = serialize((Triple(q.subject, q.predicate, q.object) for q in quads), format=RdfFormat.TURTLE, prefixes=PREFIXES)
    else:
        data = serialize(quads, format=RdfFormat.JSON_LD)
    sys.stdout.write(data.decode("utf-8"))


@app.command()
def stats(
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Counts: articles, entities by type, visits, facts, quads."""
    from .stats import format_stats, store_stats

    with open_cli_store(store, endpoint=endpoint, must_exist=True) as st:
        s = store_stats(st)
    if json_out:
        print(json.dumps(s, indent=1))
    else:
        out.print(format_stats(s), highlight=False)


@app.command()
def validate(store: StoreOpt = None) -> None:
    """Check the store against the SHACL shapes in ontologies/shapes.ttl."""
    from .validate import validate_store

    with open_cli_store(store, must_exist=True) as st:
        ok, text, n = validate_store(st)
    if ok:
        out.print(f"[green]valid[/green]: {n} quads conform to the shapes")
        return
    out.print(text, markup=False, highlight=False)
    raise typer.Exit(1)


@app.command()
def demo(
    store: StoreOpt = None,
    articles: Annotated[Path, typer.Option(help="Sample corpus folder.")] = Path("data/articles"),
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the outputs.")] = Path("outputs"),
) -> None:
    """Ingest the sample corpus; write graph.html, report/, graph.trig and summary.txt."""
    from .demo import run_demo

    run_demo(articles=articles, output=output, store=store if store is not None else output / "store", console=err)


def _register_groups() -> None:
    for module in ("kg.cli_access", "kg.cli_analytics", "kg.cli_resolve"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as e:
            if e.name == module:
                continue
            raise
        mod.register(app)


_register_groups()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turn every expected error into one line and exit code 1."""
    from .pipeline import tune_gc

    tune_gc()
    try:
        rv = app(args=argv, standalone_mode=False, prog_name="kg")
        return rv if isinstance(rv, int) else 0
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.exceptions.Abort:
        err.print("aborted")
        return 1
    except click.ClickException as e:
        e.show()
        return e.exit_code
    except KgError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: still one line, unless the user asks for the traceback
        if os.environ.get("KG_DEBUG"):
            raise
        err.print(f"[red]error:[/red] internal error: {type(e).__name__}: {e} (set KG_DEBUG=1 for details)", highlight=False)
        return 1


def run() -> None:  # console script
    sys.exit(main())


if __name__ == "__main__":
    run()
