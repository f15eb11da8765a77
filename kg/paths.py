"""Where kg finds its data files (``data/``) and ontology files (``ontologies/``).

In a checkout, or installed with ``pip install -e .`` (as the Makefile does), they
are the project's top-level folders; an installed wheel carries them inside the
package, as ``kg/data`` and ``kg/ontologies`` (see ``pyproject.toml``).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR", "ONTOLOGY_DIR", "resource_dir"]

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` inside the installed package, else at the project's top."""
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


DATA_DIR = resource_dir("data")
ONTOLOGY_DIR = resource_dir("ontologies")
