"""CLI: analyst access to the store: query, saved queries, export, serve."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import EndpointOpt, StoreOpt, err, open_cli_store, out
from .errors import InputError, QueryError
from .export import EXPORT_FORMATS, GRAPH_FORMATS

__all__ = ["register", "QUERY_FORMATS"]

QUERY_FORMATS = ("table", "csv", "tsv", "json", "xml")
#: Formats for CONSTRUCT/DESCRIBE results (``table`` and the tabular ones give Turtle).
GRAPH_RESULT_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld")


def _query_text(query: str) -> tuple[str, object | None]:
    """(SPARQL text, SavedQuery or None) from an argument: text, @file, - or a saved name."""
    from .queries import get_query, is_query_name, parse_saved_query

    if query == "-":
        return sys.stdin.read(), None
    if query.startswith("@"):
        p = Path(query[1:])
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"{p}: cannot read query file ({e.strerror or e})") from None
        except UnicodeDecodeError:
            raise InputError(f"{p}: query file is not UTF-8 text") from None
        if text.lstrip().startswith("# title:"):
            return text, parse_saved_query(text, p.stem, path=str(p))
        return text, None
    if is_query_name(query):
        saved = get_query(query)
        return saved.text, saved
    return query, None


def _bind(text: str, saved, params: dict[str, str]) -> str:
    from .queries import bind, placeholders, to_term

    if saved is not None:
        return saved.bind(params)
    if not params:
        return text
    found = set(placeholders(text))
    terms = {}
    for name, value in params.items():
        if name not in found:
            raise InputError(f"--param {name}: the query has no 'VALUES ?{name} {{ UNDEF }}' placeholder")
        v = value.strip()
        terms[name] = to_term(value, "iri" if v.startswith("<") and v.endswith(">") else "string", name=name)
    return bind(text, terms)


def _print_table(res) -> None:
    from rich.table import Table
    from rich.text import Text

    names = [v.value for v in res.variables]
    table = Table(show_lines=False)
    for n in names:
        table.add_column(Text(n))
    n = 0
    for sol in res:
        table.add_row(*[Text("" if sol[v] is None else str(sol[v].value)) for v in names])
        n += 1
    out.print(table)
    err.print(f"{n} row(s)", style="dim", highlight=False)


def query(
    query: Annotated[str, typer.Argument(help="SPARQL text, @file.rq, - (stdin), or a saved query name (see kg queries).")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="NAME=VALUE for a parameter of the query (repeatable); bound as data."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", "-f", help="table | csv | tsv | json | xml (CONSTRUCT/DESCRIBE: turtle).")
    ] = "table",
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    allow_network: Annotated[
        bool, typer.Option("--allow-network", help="Permit SERVICE, LOAD and FROM (they make HTTP requests).")
    ] = False,
    allow_update: Annotated[bool, typer.Option("--allow-update", help="Permit SPARQL Update (changes the store).")] = False,
) -> None:
    """Run a SPARQL query over all article graphs (their union is the default graph)."""
    from .queries import parse_param_args, run

    if format not in QUERY_FORMATS + GRAPH_RESULT_FORMATS:
        raise InputError(f"unknown --format '{format}' (use {', '.join(QUERY_FORMATS + GRAPH_RESULT_FORMATS)})")
    text, saved = _query_text(query)
    if not text.strip():
        raise QueryError("empty query")
    text = _bind(text, saved, parse_param_args(param or []))
    must_exist = not allow_update
    with open_cli_store(store, endpoint=endpoint, must_exist=must_exist) as st:
        info, res = run(st, text, allow_network=allow_network, allow_update=allow_update)
        try:
            _emit(info, res, format)
        finally:
            # a result keeps the embedded store (and its lock) alive: drop it before closing
            res = None


def _emit(info, res, format: str) -> None:
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

    from .ontology import PREFIXES

    if info.is_update:
        err.print("update done")
        return
    if isinstance(res, QueryBoolean):
        if format in ("json", "xml"):
            fmt = QueryResultsFormat.JSON if format == "json" else QueryResultsFormat.XML
            sys.stdout.write(res.serialize(format=fmt).decode("utf-8") + "\n")
        else:
            print("true" if bool(res) else "false")
        return
    if not isinstance(res, QuerySolutions):
        rdf = {
            "ntriples": RdfFormat.N_TRIPLES,
            "rdfxml": RdfFormat.RDF_XML,
            "jsonld": RdfFormat.JSON_LD,
        }.get(format, RdfFormat.TURTLE)
        triples = list(res)
        if rdf in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
            data = serialize(triples, format=rdf, prefixes=PREFIXES)
        else:
            data = serialize(triples, format=rdf)
        sys.stdout.write((data or b"").decode("utf-8"))
        return
    if format == "table" or format in GRAPH_RESULT_FORMATS:
        _print_table(res)
        return
    fmt = {
        "csv": QueryResultsFormat.CSV,
        "tsv": QueryResultsFormat.TSV,
        "json": QueryResultsFormat.JSON,
        "xml": QueryResultsFormat.XML,
    }[format]
    data = res.serialize(format=fmt)
    sys.stdout.write(data.decode("utf-8") + ("\n" if format in ("json", "xml") else ""))


def queries(
    name: Annotated[str | None, typer.Argument(help="Show this saved query in full.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """List the saved queries (ontologies/queries/*.rq), or show one."""
    import json

    from rich.table import Table
    from rich.text import Text

    from .queries import get_query, load_queries

    if name is not None:
        q = get_query(name)
        if json_out:
            print(json.dumps(_query_json(q), ensure_ascii=False, indent=1))
            return
        out.print(Text(f"{q.name}: {q.title}", style="bold"))
        out.print(Text(q.description))
        for p in q.params:
            opt = "required" if p.required else (f"default {p.default}" if p.default else "optional")
            out.print(Text(f"  --param {p.name}=<{p.type}>  ({opt}) {p.description}"))
        if q.example:
            args = " ".join(f"--param {k}='{v}'" for k, v in q.example)
            out.print(Text(f"example: kg query {q.name} {args}", style="dim"))
        out.print()
        out.print(Text(q.text), highlight=False)
        return
    qs = load_queries()
    if json_out:
        print(json.dumps([_query_json(q) for q in qs.values()], ensure_ascii=False, indent=1))
        return
    table = Table()
    for header in ("name", "title", "parameters"):
        table.add_column(header)
    for q in qs.values():
        params = ", ".join(f"{p.name}{'' if p.required else '?'} ({p.type})" for p in q.params)
        table.add_row(Text(q.name), Text(q.title), Text(params))
    out.print(table)
    err.print(f"{len(qs)} saved queries; run one with: kg query NAME --param KEY=VALUE", style="dim", highlight=False)


def _query_json(q) -> dict:
    return {
        "name": q.name,
        "title": q.title,
        "description": q.description,
        "params": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default, "description": p.description}
            for p in q.params
        ],
        "example": dict(q.example),
        "sparql": q.text,
    }


def export(
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help=" | ".join(EXPORT_FORMATS))] = "trig",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (csv: a folder; default: stdout).")
    ] = None,
    graph: Annotated[str | None, typer.Option("--graph", help="Only this article graph (IRI).")] = None,
) -> None:
    """Export the store (or one article graph) as RDF, or its entity graph for Gephi, Neo4j, Cytoscape."""
    from .export import export_store

    if format not in EXPORT_FORMATS:
        raise InputError(f"unknown --format '{format}' (use {', '.join(EXPORT_FORMATS)})")
    if format == "csv" and output is None:
        raise InputError("--format csv writes nodes.csv and edges.csv: give a folder with -o DIR")
    with open_cli_store(store, endpoint=endpoint, must_exist=True) as st:
        data = export_store(st, format, output, graph=graph)
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        what = f"{output}/nodes.csv, edges.csv" if format == "csv" else str(output)
        kind = "entity graph" if format in GRAPH_FORMATS else "RDF"
        err.print(f"wrote {what} ({format}, {kind})", highlight=False)


def serve(
    store: StoreOpt = None,
    endpoint: EndpointOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 7879,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run before it is stopped.")] = 30.0,
    max_rows: Annotated[int, typer.Option(help="Largest result served (rows or triples).")] = 100_000,
    workers: Annotated[int, typer.Option(help="Queries run at the same time (one process each).")] = 2,
) -> None:
    """Serve a read-only SPARQL 1.1 endpoint (and a query page) over the store."""
    from .server import ServerSettings, make_server

    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach it can query the store")
    settings = ServerSettings(host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers)
    if endpoint is None and store is None:
        import os

        endpoint = os.environ.get("KG_ENDPOINT") or None
    if endpoint:
        target: str | Path = endpoint
    else:
        from .store import default_store_path

        target = store if store is not None else default_store_path()
        if not Path(target).exists():
            raise InputError(f"no store at {target}: run 'kg ingest' first or pass --store DIR")
    server = make_server(target, settings)
    err.print(f"SPARQL endpoint at {server.url}sparql  (query page: {server.url})  Ctrl-C to stop", highlight=False)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


def register(app: typer.Typer) -> None:
    app.command()(query)
    app.command()(queries)
    app.command()(export)
    app.command()(serve)
