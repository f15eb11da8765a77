"""Counts that summarise a store: articles, entities by type, visits, facts."""

from __future__ import annotations

from typing import Any

from .ontology import sparql_prefixes

__all__ = ["store_stats", "format_stats"]

_Q_TYPES = """SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a ?cls } } GROUP BY ?cls"""
_Q_REL = """SELECT ?rel (COUNT(?st) AS ?n) WHERE { GRAPH ?g { ?st a kg:Statement ; kg:relation ?rel } } GROUP BY ?rel"""


def _value(term) -> Any:
    return None if term is None else term.value


def store_stats(store) -> dict[str, Any]:
    """A dict of counts for ``store`` (articles, entities by type, visits, facts, quads)."""
    from .ontology import CLASS_TYPE, KG

    by_class = {_value(r["cls"]): int(_value(r["n"])) for r in store.query(sparql_prefixes() + _Q_TYPES)}
    entities = {t: by_class.get(iri, 0) for iri, t in CLASS_TYPE.items()}
    relations = {_value(r["rel"]): int(_value(r["n"])) for r in store.query(sparql_prefixes() + _Q_REL)}
    return {
        "store": store.location,
        "articles": by_class.get(str(KG.Article), 0),
        "entities": entities,
        "visits": by_class.get(str(KG.Visit), 0),
        "planned_visits": by_class.get(str(KG.PlannedVisit), 0),
        "meetings": by_class.get(str(KG.Meeting), 0),
        "facts": sum(relations.values()),
        "facts_by_relation": dict(sorted(relations.items())),
        "quads": store.count(),
    }


def format_stats(s: dict[str, Any]) -> str:
    """Plain-text rendering of :func:`store_stats`."""
    lines = [
        f"store      {s['store']}",
        f"articles   {s['articles']}",
        f"entities   {sum(s['entities'].values())}",
    ]
    lines += [f"  {t:<15}{n}" for t, n in s["entities"].items()]
    lines += [
        f"visits     {s['visits']} (planned {s['planned_visits']}, meetings {s['meetings']})",
        f"facts      {s['facts']}",
    ]
    lines += [f"  {r:<15}{n}" for r, n in s["facts_by_relation"].items()]
    lines.append(f"quads      {s['quads']}")
    return "\n".join(lines)
