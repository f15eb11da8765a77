"""Interactive HTML graphs (pyvis), working with no network at all."""

from .html import render_html

__all__ = ["render_html"]
