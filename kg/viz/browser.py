"""Where Debian's Chromium is, and the flags that keep it quiet and offline (STACK.md)."""

from __future__ import annotations

import shutil

__all__ = ["CHROMIUM_FLAGS", "find_chromium"]

#: Headless, no sandbox (root), and none of the background requests Chromium makes on its own.
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def find_chromium() -> str | None:
    """The path of the Chromium executable, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")
