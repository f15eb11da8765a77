"""Readers: files and records -> ``Article`` (or ``Skip`` with a reason).

``read_paths`` walks files and folders and yields one item per article found:
``.txt``/``.md`` (one article each), ``.html``/``.htm`` (main text and metadata
through trafilatura), ``.jsonl`` (one article per line). Nothing here analyses
the text: that is ``kg.text``'s job.
"""

from __future__ import annotations

from .files import SUFFIXES, read_file, read_paths

__all__ = ["SUFFIXES", "read_file", "read_paths"]
