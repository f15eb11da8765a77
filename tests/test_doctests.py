"""Docstring examples of pure functions run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["kg.model", "kg.names", "kg.resolve", "kg.rdf", "kg.views", "kg.ontology", "kg.text", "kg.extract",
           "kg.extract.rules", "kg.extract.mentions", "kg.extract.dates", "kg.extract.facts"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
