# Two commands for a newcomer: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
SHARED ?= ../shared

.PHONY: demo test test-all eval bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

## Ingest the bundled sample corpus into outputs/store and write graph.html, graph.trig, summary.txt.
demo: $(VENV)/.installed
	$(BIN)/kg demo --articles data/articles --output outputs

## Run the test suite (fast tests; slow ones with `make test-all`).
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

test-all: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "slow or not slow"

## Score `kg extract` on the shared dev set (needs ../shared).
eval: $(VENV)/.installed
	$(BIN)/python -m kg.evaluation_gate $(SHARED)/eval/dev

## Benchmarks (benchmarks/RESULTS.md); BENCH_ARGS=--full adds 1M triples and a 20,000-article ingest.
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) outputs/store outputs/*.html outputs/*.trig outputs/*.txt
