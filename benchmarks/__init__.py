"""Benchmarks for kg: a synthetic corpus generator and the five measured runs (see run.py)."""
