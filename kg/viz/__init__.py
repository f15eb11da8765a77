"""Interactive HTML graphs (pyvis), working with no network at all."""

from .html import TYPE_STYLE, render_html
from .views import SIZE_MEASURES, render_view, select_view

__all__ = ["render_html", "render_view", "select_view", "TYPE_STYLE", "SIZE_MEASURES"]
