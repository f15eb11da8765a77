"""One shallow exception hierarchy. Library code raises; only the CLI prints."""

from __future__ import annotations

__all__ = ["KgError", "InputError", "StoreError", "StoreBusyError", "QueryError"]


class KgError(Exception):
    """Base class of every error ``kg`` reports to a user as one line."""


class InputError(KgError):
    """An input file or value cannot be read or understood."""


class StoreError(KgError):
    """The RDF store cannot be opened, read or written."""


class StoreBusyError(StoreError):
    """Another process holds the store's write lock."""


class QueryError(KgError):
    """A SPARQL query is malformed, refused, or failed while running."""
