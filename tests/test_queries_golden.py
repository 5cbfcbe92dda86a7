"""Every named query against a small fixture graph, compared with its stored golden result.

Golden files live in tests/golden/<query>[--<case>].json: the parameters used and the
expected rows (terms in N-Triples form). Rows are compared as a multiset. To regenerate
after a deliberate change: pytest tests/test_queries_golden.py --update-golden, then review
the diff.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

from pactgraph.catalog import load_catalog
from pactgraph.federation import CELLAR_SPARQL, ServicePolicy
from pactgraph.inference import materialise
from pactgraph.store import GraphStore
from pactgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH

from .conftest import PROJECT, TESTS

GOLDEN = TESTS / "golden"
CATALOG = load_catalog(PROJECT / "queries")
CASES = sorted(GOLDEN.glob("*.json"))


@pytest.fixture(scope="module")
def fixture_graph(cellar: str) -> GraphStore:
    """The fixture graph, its SERVICE calls to Cellar sent to the local stand-in."""
    store = Store()
    for path in sorted((PROJECT / "ontology").glob("*.ttl")):
        store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    store.load(path=str(TESTS / "fixtures" / "mini-graph.ttl"), format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    materialise(store, PROJECT / "ontology" / "rules")  # as the build does: queries must not double-count inferred facts
    return GraphStore(store, services=ServicePolicy(redirects={CELLAR_SPARQL: cellar}))


def run(graph: GraphStore, name: str, params: dict[str, str]) -> list[dict[str, str]]:
    named = CATALOG[name]
    result = graph.query(named.render(params))
    names = [v.value for v in result.variables]
    return [{n: str(s[n]) for n in names if s[n] is not None} for s in result]


def test_every_named_query_has_a_golden_result():
    covered = {p.stem.split("--")[0] for p in CASES}
    assert set(CATALOG) <= covered, f"no golden result for {sorted(set(CATALOG) - covered)}"


@pytest.mark.parametrize("case", CASES, ids=[p.stem for p in CASES])
def test_named_query_matches_its_golden_result(case: Path, fixture_graph: GraphStore, request: pytest.FixtureRequest):
    golden = json.loads(case.read_text(encoding="utf-8"))
    got = run(fixture_graph, case.stem.split("--")[0], golden["params"])
    if request.config.getoption("--update-golden"):
        golden["rows"] = sorted(got, key=lambda r: json.dumps(r, sort_keys=True))
        case.write_text(json.dumps(golden, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got, "a golden case must return rows, or it pins nothing"
    as_multiset = lambda rows: Counter(json.dumps(r, sort_keys=True) for r in rows)  # noqa: E731
    assert as_multiset(got) == as_multiset(golden["rows"])
