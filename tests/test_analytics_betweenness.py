"""The batched betweenness gives networkx's scores (exact and sampled, same seed)."""

import networkx as nx
import pytest

from kg.analytics.centrality import betweenness, sample_size


@pytest.mark.parametrize("g", [
    nx.path_graph(5),
    nx.barbell_graph(5, 2),
    nx.karate_club_graph(),
    nx.gnm_random_graph(300, 500, seed=3),  # disconnected, isolated nodes
    nx.barabasi_albert_graph(400, 3, seed=1),
])
def test_matches_networkx_exact_and_sampled(g):
    g = nx.Graph(g)
    g.add_edge("loop", "loop")  # self-loops are ignored by both
    exact = betweenness(g, budget_s=1e9)
    ref = nx.betweenness_centrality(g, normalized=True)
    assert exact.exact and exact.note == "exact"
    assert exact.scores == pytest.approx(ref, abs=1e-12)
    if g.number_of_nodes() > 64:
        s = betweenness(g, budget_s=0.01, exact_below=10)
        assert not s.exact and s.k < g.number_of_nodes()
        assert f"{s.k} of {g.number_of_nodes():,} sources, seed 42" in s.note
        ref = nx.betweenness_centrality(g, k=s.k, seed=42, normalized=True)
        assert s.scores == pytest.approx(ref, abs=1e-12)


def test_sample_size_is_deterministic_and_bounded():
    assert sample_size(10, 20, budget_s=0.0) == 10
    assert sample_size(100_000, 500_000, budget_s=0.0) == 16
    assert sample_size(4000, 9000, budget_s=6.0) == sample_size(4000, 9000, budget_s=6.0) < 4000


def test_directed_multigraph_input_uses_the_undirected_simple_graph():
    m = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    assert betweenness(m).scores == pytest.approx(nx.betweenness_centrality(nx.path_graph(["a", "b", "c"])))
