"""Options and helpers shared by every CLI module (results on stdout, the rest on stderr)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from .errors import InputError

__all__ = ["StoreOpt", "out", "err", "open_cli_store"]

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


def open_cli_store(store: Path | None, *, read_only: bool = False, must_exist: bool = False):
    """Open the store a command was given (``--store`` / ``KG_STORE`` / default)."""
    from .store import default_store_path, open_store

    path = store if store is not None else default_store_path()
    if (must_exist or read_only) and not path.exists():
        raise InputError(f"no store at {path}: run 'kg ingest' first or pass --store DIR")
    return open_store(path, read_only=read_only)
