"""CLI: interactive HTML graphs (and, later, analytics)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli_common import StoreOpt, err, open_cli_store

__all__ = ["register"]


def viz(
    store: StoreOpt = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")] = Path("outputs/graph.html"),
) -> None:
    """Write the entity graph as an interactive HTML page that works offline."""
    from .analytics import entity_graph
    from .viz import render_html

    with open_cli_store(store, must_exist=True) as st:
        g = entity_graph(st)
    path = render_html(g, output, title="kg entity graph")
    err.print(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


def register(app: typer.Typer) -> None:
    app.command()(viz)
