"""Options and helpers shared by every CLI module (results on stdout, the rest on stderr)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import InputError

__all__ = ["StoreOpt", "EndpointOpt", "out", "err", "open_cli_store"]

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="KG_STORE",
        help="Embedded store directory (default: $KG_STORE or ~/.local/share/kg/store).",
        show_default=False,
    ),
]

EndpointOpt = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        envvar="KG_ENDPOINT",
        help=(
            "SPARQL 1.1 endpoint (query URL, e.g. http://localhost:7878/query) to use instead of "
            "the embedded store: Oxigraph server, Fuseki, GraphDB, Virtuoso... ($KG_ENDPOINT)."
        ),
        show_default=False,
    ),
]


def open_cli_store(
    store: Path | None,
    *,
    endpoint: str | None = None,
    read_only: bool = False,
    must_exist: bool = False,
):
    """Open the store a command was given.

    ``--endpoint URL`` (or ``$KG_ENDPOINT`` when no ``--store`` is given) opens a
    remote SPARQL store; otherwise ``--store`` / ``$KG_STORE`` / the default
    directory opens the embedded one.
    """
    from .store import default_store_path, is_endpoint, open_store

    if endpoint is None and store is None:
        endpoint = os.environ.get("KG_ENDPOINT") or None
    if endpoint:
        if not is_endpoint(endpoint):
            raise InputError(f"--endpoint '{endpoint}' is not an http:// or https:// URL")
        return open_store(endpoint, read_only=read_only)
    path = store if store is not None else default_store_path()
    if (must_exist or read_only) and not path.exists():
        raise InputError(f"no store at {path}: run 'kg ingest' first or pass --store DIR")
    return open_store(path, read_only=read_only)
