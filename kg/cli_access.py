"""CLI: query and export (analyst access to the store)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import StoreOpt, open_cli_store, out
from .errors import InputError, QueryError

__all__ = ["register"]

EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml")


def _query_text(query: str) -> str:
    if query.startswith("@"):
        p = Path(query[1:])
        try:
            return p.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"{p}: cannot read query file ({e.strerror or e})") from None
        except UnicodeDecodeError:
            raise InputError(f"{p}: query file is not UTF-8 text") from None
    return query


def query(
    query: Annotated[str, typer.Argument(help="SPARQL text, or @file.rq.")],
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="table | csv | json")] = "table",
) -> None:
    """Run a SPARQL query over all article graphs (their union is the default graph)."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

    from .ontology import sparql_prefixes

    text = _query_text(query)
    if not text.strip():
        raise QueryError("empty query")
    if format not in ("table", "csv", "json"):
        raise InputError(f"unknown --format '{format}' (use table, csv or json)")
    if "PREFIX" not in text.upper():
        text = sparql_prefixes() + text
    with open_cli_store(store, must_exist=True) as st:
        res = st.query(text)
        if isinstance(res, QueryBoolean):
            print("true" if bool(res) else "false")
            return
        if not isinstance(res, QuerySolutions):
            sys.stdout.write(res.serialize(format=RdfFormat.TURTLE).decode("utf-8"))
            return
        if format == "json":
            sys.stdout.write(res.serialize(format=QueryResultsFormat.JSON).decode("utf-8") + "\n")
            return
        if format == "csv":
            sys.stdout.write(res.serialize(format=QueryResultsFormat.CSV).decode("utf-8"))
            return
        from rich.table import Table

        names = [v.value for v in res.variables]
        table = Table(*names, show_lines=False)
        n = 0
        for sol in res:
            table.add_row(*["" if sol[v] is None else str(sol[v].value) for v in names])
            n += 1
        out.print(table)
        out.print(f"{n} row(s)", style="dim")


def export(
    store: StoreOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=" | ".join(EXPORT_FORMATS))] = "trig",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    graph: Annotated[str | None, typer.Option("--graph", help="Only this article graph (IRI).")] = None,
) -> None:
    """Export the store (or one article graph) as RDF."""
    if format not in EXPORT_FORMATS:
        raise InputError(f"unknown --format '{format}' (use {', '.join(EXPORT_FORMATS)})")
    with open_cli_store(store, must_exist=True) as st:
        if graph is not None and graph not in st.graphs():
            raise InputError(f"no graph {graph} in the store (see: kg query 'SELECT ?g WHERE {{ GRAPH ?g {{}} }}')")
        if output is None:
            import io

            buf = io.BytesIO()
            st.dump(buf, format, graph=graph)
            sys.stdout.write(buf.getvalue().decode("utf-8"))
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            st.dump(str(output), format, graph=graph)
            typer.echo(f"wrote {output}", err=True)


def register(app: typer.Typer) -> None:
    app.command()(query)
    app.command()(export)
