"""The saved-query library: ``ontologies/queries/*.rq`` with their headers.

Each file is plain SPARQL that runs as it is (in YASGUI, Fuseki, ``kg query``),
opened by a comment header::

    # title: Visits by visiting country
    # description: Visits made by people, delegations and organisations of a
    #   country, newest first.
    # param: country (country): ISO 3166-1 alpha-2 code of the visiting side, e.g. FD
    # param: since (date, optional): only visits on or after this date
    # example: country=FD

A parameter is a variable bound by a placeholder in the query body,
``VALUES ?country { UNDEF }``. Binding replaces ``UNDEF`` with the value turned
into an RDF term by pyoxigraph and written in its N-Triples form, so a value is
always one term: quotes, braces and keywords in it are data, never SPARQL.
An optional parameter left out keeps ``UNDEF`` (the query then guards with
``BOUND``). ``example`` gives values, separated by ``;``, that return rows on the
test data; the documentation and the tests use them.

Parameter types: ``string``, ``name`` (a label or alias: bound to the value as
typed and its Title Case, UPPER and lower case variants, so a lookup is an index
hit rather than a scan of every label), ``country`` (ISO alpha-2 code, upper-cased),
``date`` (YYYY-MM-DD), ``year``, ``integer`` and ``iri``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, QueryError
from .ontology import ONTOLOGY_DIR, XSD

__all__ = [
    "QUERY_DIR",
    "PARAM_TYPES",
    "Param",
    "SavedQuery",
    "load_queries",
    "get_query",
    "parse_saved_query",
    "to_term",
    "to_terms",
    "name_variants",
    "bind",
    "parse_param_args",
    "placeholders",
    "is_query_name",
    "with_prefixes",
    "shift_error_position",
    "run",
]

QUERY_DIR = ONTOLOGY_DIR / "queries"

PARAM_TYPES = ("string", "name", "country", "date", "year", "integer", "iri")

#: ``VALUES ?name { UNDEF }``: where a parameter's value goes.
Term = ox.NamedNode | ox.Literal

_PLACEHOLDER = re.compile(r"VALUES\s+\?(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\{\s*UNDEF\s*\}", re.IGNORECASE)
_HEADER_KEY = re.compile(r"^#\s*(?P<key>title|description|param|example)\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*:?\s*(?P<doc>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Param:
    """One parameter of a saved query."""

    name: str
    type: str = "string"
    required: bool = True
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its name (the file stem), header and SPARQL text."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: str | None = None
    example: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def bind(self, values: Mapping[str, str]) -> str:
        """The query text with ``values`` (raw strings, by parameter name) bound.

        Raises
        ------
        InputError
            Unknown parameter, missing required parameter, or a value that is
            not of the parameter's type.
        """
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            known = ", ".join(p.name for p in self.params) or "none"
            raise InputError(f"query '{self.name}' has no parameter '{unknown[0]}' (parameters: {known})")
        terms: dict[str, Term | Sequence[Term]] = {}
        for p in self.params:
            raw = values.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise InputError(
                        f"query '{self.name}' needs --param {p.name}=VALUE ({p.type}: {p.description or 'no description'})"
                    )
                continue
            terms[p.name] = to_terms(raw, p.type, name=p.name)
        return bind(self.text, terms)


def _parse_spec(name: str, spec: str, doc: str, where: str) -> Param:
    parts = [s.strip() for s in spec.split(",") if s.strip()]
    if not parts or parts[0] not in PARAM_TYPES:
        raise InputError(f"{where}: parameter '{name}' has no known type (use one of {', '.join(PARAM_TYPES)})")
    required, default = True, None
    for extra in parts[1:]:
        if extra == "optional":
            required = False
        elif extra.startswith("default="):
            default = extra[len("default=") :].strip()
            required = False
        else:
            raise InputError(f"{where}: parameter '{name}': unknown option '{extra}'")
    return Param(name=name, type=parts[0], required=required, default=default, description=doc.strip())


def parse_saved_query(text: str, name: str, *, path: str | None = None) -> SavedQuery:
    """Read the comment header of a saved query.

    >>> q = parse_saved_query('''# title: People
    ... # description: Every person,
    ... #   by name.
    ... # param: name (name, optional): a name
    ... SELECT ?p WHERE { VALUES ?name { UNDEF } ?p a ?c }''', "people")
    >>> q.title, q.description, q.params[0].required
    ('People', 'Every person, by name.', False)
    """
    where = path or name
    title, description = "", ""
    params: list[Param] = []
    example: list[tuple[str, str]] = []
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        m = _HEADER_KEY.match(stripped)
        if m:
            key, value = m.group("key").lower(), m.group("value").strip()
            last = key
            if key == "title":
                title = value
            elif key == "description":
                description = value
            elif key == "example":
                example.extend(parse_param_args(v.strip() for v in value.split(";") if v.strip()).items())
            else:
                pm = _PARAM.match(value)
                if pm is None:
                    raise InputError(f"{where}: cannot read parameter line '{value}' (use: NAME (TYPE): description)")
                params.append(_parse_spec(pm.group("name"), pm.group("spec"), pm.group("doc"), where))
            continue
        cont = stripped.lstrip("#").strip()
        if cont and re.match(r"#\s{2,}", stripped):
            if last == "description":
                description = f"{description} {cont}".strip()
            elif last == "title":
                title = f"{title} {cont}".strip()
            elif last == "param" and params:
                p = params[-1]
                params[-1] = Param(p.name, p.type, p.required, p.default, f"{p.description} {cont}".strip())
    if not title:
        raise InputError(f"{where}: saved query has no '# title:' line")
    declared = {p.name for p in params}
    found = set(placeholders(text))
    if declared - found:
        missing = sorted(declared - found)[0]
        raise InputError(f"{where}: parameter '{missing}' has no 'VALUES ?{missing} {{ UNDEF }}' placeholder")
    if found - declared:
        extra = sorted(found - declared)[0]
        raise InputError(f"{where}: placeholder ?{extra} is not declared with '# param: {extra} (TYPE): ...'")
    return SavedQuery(
        name=name,
        title=title,
        description=description,
        params=tuple(params),
        text=text,
        path=path,
        example=tuple(example),
    )


def placeholders(text: str) -> list[str]:
    """Names of the ``VALUES ?name { UNDEF }`` placeholders in ``text``, in order.

    >>> placeholders("SELECT * WHERE { VALUES ?a { UNDEF } VALUES ?b {UNDEF} }")
    ['a', 'b']
    """
    return [m.group("name") for m in _PLACEHOLDER.finditer(text)]


def load_queries(directory: str | Path | None = None) -> dict[str, SavedQuery]:
    """All saved queries in ``directory`` (default :data:`QUERY_DIR`), by name."""
    folder = Path(directory) if directory is not None else QUERY_DIR
    if not folder.is_dir():
        return {}
    out: dict[str, SavedQuery] = {}
    for f in sorted(folder.glob("*.rq")):
        try:
            text = f.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{f}: cannot read saved query ({e})") from None
        out[f.stem] = parse_saved_query(text, f.stem, path=str(f))
    return out


def get_query(name: str, directory: str | Path | None = None) -> SavedQuery:
    """The saved query called ``name``; an ``InputError`` names the close ones."""
    queries = load_queries(directory)
    if name in queries:
        return queries[name]
    import difflib

    close = difflib.get_close_matches(name, list(queries), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else " (see: kg queries)"
    raise InputError(f"no saved query '{name}'{hint}")


def is_query_name(text: str) -> bool:
    """Whether ``text`` looks like a saved-query name rather than SPARQL."""
    return bool(_NAME.match(text))


_XSD_DATE = ox.NamedNode(str(XSD.date))
_XSD_INTEGER = ox.NamedNode(str(XSD.integer))


def name_variants(value: str) -> list[str]:
    """The spellings a ``name`` parameter is looked up under (labels are matched
    through the index, so "case-insensitive" means these case variants).

    >>> name_variants("anna berg")
    ['anna berg', 'Anna Berg', 'ANNA BERG']
    >>> name_variants("BLK Surabaya")
    ['BLK Surabaya', 'Blk Surabaya', 'BLK SURABAYA', 'blk surabaya']
    """
    v = " ".join(value.split())
    out = [value, v, v.title(), " ".join(w[:1].upper() + w[1:] for w in v.split(" ")), v.upper(), v.lower()]
    return list(dict.fromkeys(x for x in out if x))


def to_terms(value: str, type: str = "string", *, name: str = "value") -> list[ox.NamedNode | ox.Literal]:
    """The term(s) a raw parameter value binds to: one, or a ``name``'s case variants."""
    if type == "name":
        to_term(value, "string", name=name)  # length and type checks
        return [ox.Literal(v) for v in name_variants(value)]
    return [to_term(value, type, name=name)]


def to_term(value: str, type: str = "string", *, name: str = "value") -> ox.NamedNode | ox.Literal:
    """Turn a raw parameter value into one RDF term of the given type.

    >>> str(to_term('Berg" } SERVICE <http://x> {', "string"))
    '"Berg\\\\" } SERVICE <http://x> {"'
    >>> str(to_term("fd", "country"))
    '"FD"'
    >>> str(to_term("2024-02-12", "date"))
    '"2024-02-12"^^<http://www.w3.org/2001/XMLSchema#date>'
    >>> to_term("12/2/2024", "date", name="from")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: --param from: '12/2/2024' is not a date (use YYYY-MM-DD)
    """
    if not isinstance(value, str):
        raise InputError(f"--param {name}: value must be text")
    if len(value) > 10_000:
        raise InputError(f"--param {name}: value too long ({len(value)} characters)")
    if type in ("string", "name"):
        return ox.Literal(value)
    if type == "country":
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise InputError(f"--param {name}: '{value}' is not an ISO 3166-1 alpha-2 code (e.g. ID, FR)")
        return ox.Literal(code)
    if type == "date":
        try:
            d = date.fromisoformat(value.strip())
        except ValueError:
            raise InputError(f"--param {name}: '{value}' is not a date (use YYYY-MM-DD)") from None
        return ox.Literal(d.isoformat(), datatype=_XSD_DATE)
    if type in ("integer", "year"):
        v = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,18}", v):
            raise InputError(f"--param {name}: '{value}' is not an integer")
        if type == "year" and not 1 <= int(v) <= 9999:
            raise InputError(f"--param {name}: '{value}' is not a year")
        return ox.Literal(str(int(v)), datatype=_XSD_INTEGER)
    if type == "iri":
        v = value.strip()
        if v.startswith("<") and v.endswith(">"):
            v = v[1:-1]
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", v):
            raise InputError(f"--param {name}: '{value}' is not an absolute IRI")
        try:
            return ox.NamedNode(v)
        except ValueError as e:
            raise InputError(f"--param {name}: '{value}' is not a valid IRI ({e})") from None
    raise InputError(f"--param {name}: unknown parameter type '{type}'")


def bind(text: str, terms: Mapping[str, Term | Sequence[Term]]) -> str:
    """Put each term (or terms) in the placeholder of its variable (all its placeholders).

    The replacement is the terms' N-Triples serialisation from pyoxigraph, one
    term per ``VALUES`` row, so no part of a value can be read as SPARQL.

    >>> bind("SELECT * WHERE { VALUES ?x { UNDEF } }", {"x": ox.Literal('a"}')})
    'SELECT * WHERE { VALUES ?x { "a\\\\"}" } }'
    >>> bind("SELECT * WHERE { VALUES ?x { UNDEF } }", {"x": [ox.Literal("a"), ox.Literal("A")]})
    'SELECT * WHERE { VALUES ?x { "a" "A" } }'
    """
    missing = [n for n in terms if n not in placeholders(text)]
    if missing:
        raise QueryError(f"the query has no 'VALUES ?{missing[0]} {{ UNDEF }}' placeholder to bind")

    def repl(m: re.Match[str]) -> str:
        value = terms.get(m.group("name"))
        if value is None:
            return m.group(0)
        row = [value] if isinstance(value, (ox.NamedNode, ox.Literal)) else list(value)
        if not row:
            raise QueryError(f"no value to bind ?{m.group('name')} to")
        for term in row:
            if not isinstance(term, (ox.NamedNode, ox.Literal)):
                raise QueryError(f"cannot bind ?{m.group('name')} to {type(term).__name__}")
        return f"VALUES ?{m.group('name')} {{ {' '.join(str(t) for t in row)} }}"

    return _PLACEHOLDER.sub(repl, text)


def parse_param_args(args: Iterable[str]) -> dict[str, str]:
    """``["key=value", ...]`` -> dict; the value may contain ``=``.

    >>> parse_param_args(["country=FD", "q=a=b"])
    {'country': 'FD', 'q': 'a=b'}
    """
    out: dict[str, str] = {}
    for a in args:
        key, sep, value = a.partition("=")
        key = key.strip()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise InputError(f"--param '{a}': use --param NAME=VALUE")
        if key in out:
            raise InputError(f"--param {key} given twice")
        out[key] = value
    return out


# ------------------------------------------------------------------ running


def with_prefixes(text: str) -> str:
    """``text`` preceded by one line declaring the project's prefixes.

    Declarations in ``text`` itself come later and win. The added line shifts
    positions by exactly one line (see :func:`shift_error_position`).

    >>> with_prefixes("ASK {}").count("\\n")
    1
    """
    from .ontology import PREFIXES

    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n" + text


def shift_error_position(message: str, lines: int = 1) -> str:
    """Take ``lines`` off the line numbers of an engine's ``error at L:C`` message.

    >>> shift_error_position("SPARQL syntax error: error at 3:2: expected OPTIONAL")
    'SPARQL syntax error: error at line 2, column 2: expected OPTIONAL'
    """

    def repl(m: re.Match[str]) -> str:
        return f"error at line {max(1, int(m.group(1)) - lines)}, column {m.group(2)}"

    return re.sub(r"error at (\d+):(\d+)", repl, message)


def run(store, text: str, *, allow_network: bool = False, allow_update: bool = False):
    """Check ``text`` (:func:`kg.sparql_safety.check_query`) and run it on ``store``.

    Returns ``(info, result)``: the :class:`~kg.sparql_safety.QueryInfo` and the
    store's result (solutions, boolean or triples; None for an update).
    """
    from .sparql_safety import check_query

    info = check_query(text, allow_network=allow_network, allow_update=allow_update)
    full = with_prefixes(text)
    try:
        if info.is_update:
            store.update(full)
            return info, None
        return info, store.query(full)
    except QueryError as e:
        raise type(e)(shift_error_position(str(e))) from None
