"""Refuse SPARQL that reaches the network or changes the store, before it runs.

``SERVICE`` and ``LOAD`` make real HTTP requests in rdflib, pyoxigraph and the
Oxigraph server, and ``FROM``/``FROM NAMED`` make rdflib fetch URLs (see
STACK.md). pyoxigraph has no switch to stop them and Python audit hooks do not
see its sockets, so every query is inspected here first:

1. it is parsed with rdflib's SPARQL grammar (no translation, no evaluation: the
   parser never touches the network) and the parse tree is searched for service
   patterns, ``LOAD`` and dataset clauses; a text that does not parse is a syntax
   error with its line and column;
2. independently, a small lexer (strings, IRIs and comments removed, ``\\u``
   escapes decoded as the SPARQL grammar requires) looks for the keywords
   ``SERVICE``, ``LOAD`` and ``FROM``; a keyword the parser did not report is
   still refused. Both checks must pass.

>>> inspect_query("SELECT * WHERE { ?s ?p ?o }").form
'SELECT'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.sparql_safety.RefusedQueryError: refused: SERVICE <http://example.org/sparql> would reach the network (pass --allow-network to permit it)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .errors import QueryError

__all__ = [
    "QueryInfo",
    "RefusedQueryError",
    "SparqlSyntaxError",
    "inspect_query",
    "check_query",
    "UPDATE_FORMS",
]

#: Query forms (``SELECT``...) and the form reported for SPARQL Update requests.
QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_FORMS = ("UPDATE",)

_FORM_OF = {
    "SelectQuery": "SELECT",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
    "AskQuery": "ASK",
}

#: Longest query text inspected (characters); longer texts are refused.
MAX_QUERY_CHARS = 1_000_000


class RefusedQueryError(QueryError):
    """A well-formed query that is not allowed here (network access or an update)."""


class SparqlSyntaxError(QueryError):
    """A query that does not parse; ``line`` and ``column`` are 1-based."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


@dataclass(frozen=True)
class QueryInfo:
    """What a SPARQL text is and what it would do.

    ``form`` is one of ``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK`` or
    ``UPDATE``. ``network`` lists the operations that would reach the network
    (``SERVICE <iri>``, ``LOAD <iri>``, ``FROM <iri>``...), in text order.
    """

    text: str
    form: str
    network: tuple[str, ...] = ()

    @property
    def is_update(self) -> bool:
        return self.form in UPDATE_FORMS

    @property
    def returns_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")


# ------------------------------------------------------------------ lexical scan

_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_TOKENS = re.compile(
    r"""
      (?P<long1>'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<long2>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<str1>'(?:[^'\\\n\r]|\\.)*')
    | (?P<str2>"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<comment>\#[^\n\r]*)
    | (?P<word>(?<![\w:?$\-])[A-Za-z]+(?![\w:\-]))
    | (?P<other>[\s\S])
    """,
    re.VERBOSE,
)

_NETWORK_WORDS = {"SERVICE", "LOAD", "FROM"}


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return m.group(0)

    return _UNICODE_ESCAPE.sub(repl, text)


def _network_keywords(text: str) -> list[str]:
    """Keywords that reach the network, found outside strings, IRIs and comments.

    >>> _network_keywords('SELECT * WHERE { ?service <urn:LOAD> "FROM" } # SERVICE')
    []
    >>> _network_keywords('SELECT * WHERE { \\\\u0053ERVICE <http://x> { } }')
    ['SERVICE']
    """
    found = []
    for m in _TOKENS.finditer(_unescape(text)):
        word = m.group("word")
        if word is not None and word.upper() in _NETWORK_WORDS:
            found.append(word.upper())
    return found


# ------------------------------------------------------------------ parse tree


def _walk(node: Any) -> Iterator[Any]:
    """Every CompValue in an rdflib parse tree, depth first, in text order."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    seen: set[int] = set()
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, CompValue):
            yield n
            children = list(n.values())
        elif isinstance(n, ParseResults):
            children = list(n)
        elif isinstance(n, (list, tuple)):
            children = list(n)
        elif isinstance(n, dict):
            children = list(n.values())
        else:
            continue
        stack.extend(reversed(children))


def _term_text(term: Any) -> str:
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return str(term)


def _network_operations(tree: Any) -> list[str]:
    ops: list[str] = []
    for comp in _walk(tree):
        name = comp.name
        if name == "ServiceGraphPattern":
            ops.append(f"SERVICE {_term_text(comp['term'])}")
        elif name == "Load":
            ops.append(f"LOAD {_term_text(comp['iri'])}")
        elif name in ("DatasetClause", "UsingClause"):
            # FROM / FROM NAMED of a query, USING / USING NAMED of an update
            keyword = "FROM" if name == "DatasetClause" else "USING"
            if "named" in comp:
                ops.append(f"{keyword} NAMED {_term_text(comp['named'])}")
            else:
                ops.append(f"{keyword} {_term_text(comp.get('default'))}")
    return ops


def _syntax_error(text: str, exc: Exception) -> SparqlSyntaxError:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "col", None)
    msg = getattr(exc, "msg", None) or str(exc).splitlines()[0]
    found = ""
    loc = getattr(exc, "loc", None)
    if isinstance(loc, int) and 0 <= loc <= len(text):
        rest = text[loc:].split(None, 1)
        found = f", found {rest[0][:30]!r}" if rest else ", found end of text"
    where = f" at line {line}, column {col}" if line is not None else ""
    return SparqlSyntaxError(f"SPARQL syntax error{where}: {msg}{found}", line, col)


def inspect_query(text: str) -> QueryInfo:
    """Parse ``text`` (a query or an update) and report its form and network use.

    Raises
    ------
    SparqlSyntaxError
        When the text is neither a SPARQL 1.1 query nor an update; the message
        gives the line and column.

    Examples
    --------
    >>> inspect_query("ASK { ?s ?p ?o }").form
    'ASK'
    >>> inspect_query("LOAD <http://example.org/data.ttl>").network
    ('LOAD <http://example.org/data.ttl>',)
    >>> inspect_query("SELECT * WHERE { ?s ?p }")
    Traceback (most recent call last):
    ...
    kg.sparql_safety.SparqlSyntaxError: SPARQL syntax error at line 1, column 18: Expected SelectQuery, found '?s'
    """
    if not isinstance(text, str) or not text.strip():
        raise SparqlSyntaxError("empty query")
    if len(text) > MAX_QUERY_CHARS:
        raise SparqlSyntaxError(f"query too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    return _inspect(text)


@lru_cache(maxsize=512)
def _inspect(text: str) -> QueryInfo:
    """:func:`inspect_query` proper (the rdflib parse takes ~0.1 s: answers are cached)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as qe:
        try:
            tree = parseUpdate(text)
        except ParseException as ue:
            # report the attempt that got further into the text
            best = ue if (getattr(ue, "loc", 0) or 0) > (getattr(qe, "loc", 0) or 0) else qe
            raise _syntax_error(text, best) from None
        except RecursionError:
            raise SparqlSyntaxError("query too deeply nested to inspect") from None
        form = "UPDATE"
    except RecursionError:
        raise SparqlSyntaxError("query too deeply nested to inspect") from None
    else:
        form = _FORM_OF.get(getattr(tree[1], "name", ""), "SELECT")
    ops = _network_operations(tree)
    # belt and braces: a network keyword the parse tree did not explain
    words = _network_keywords(text)
    explained = {op.split()[0] for op in ops}
    for w in words:
        if w not in explained and not (w == "FROM" and any(op.startswith("FROM") for op in ops)):
            ops.append(f"{w} (keyword)")
            explained.add(w)
    return QueryInfo(text=text, form=form, network=tuple(ops))


def check_query(text: str, *, allow_network: bool = False, allow_update: bool = False) -> QueryInfo:
    """Inspect ``text`` and refuse network access and updates unless allowed.

    Parameters
    ----------
    text : str
        A SPARQL query or update.
    allow_network : bool
        Permit ``SERVICE``, ``LOAD``, ``FROM`` / ``FROM NAMED`` and ``USING``.
    allow_update : bool
        Permit SPARQL Update requests.

    Raises
    ------
    SparqlSyntaxError
        The text does not parse.
    RefusedQueryError
        The text would reach the network or change the store.

    Examples
    --------
    >>> check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    Traceback (most recent call last):
    ...
    kg.sparql_safety.RefusedQueryError: refused: updates are not allowed here (this is a read-only query)
    >>> check_query("INSERT DATA { <urn:a> <urn:b> <urn:c> }", allow_update=True).form
    'UPDATE'
    """
    info = inspect_query(text)
    if info.network and not allow_network:
        what = info.network[0]
        raise RefusedQueryError(f"refused: {what} would reach the network (pass --allow-network to permit it)")
    if info.is_update and not allow_update:
        raise RefusedQueryError("refused: updates are not allowed here (this is a read-only query)")
    return info
