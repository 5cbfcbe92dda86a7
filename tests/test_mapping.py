"""CSV-to-RDF: each case folder holds a table, its CSVW description and the quads it must give.

The mapping mints no blank nodes, so two outputs are isomorphic exactly when their quad sets
are equal; the diff is shown on failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from pactgraph.mapping import map_tables
from pactgraph.sources import load_tables
from pactgraph.vocab import DATA_GRAPH

CASES = sorted(p for p in (Path(__file__).parent / "mapping_cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_mapping_case_gives_the_expected_quads(case: Path):
    produced = set(map_tables(load_tables(case), DATA_GRAPH))
    expected = set(parse(path=str(case / "expected.nq"), format=RdfFormat.N_QUADS))
    unexpected = sorted(str(q) for q in produced - expected)
    missing = sorted(str(q) for q in expected - produced)
    assert not unexpected and not missing, "unexpected:\n" + "\n".join(unexpected) + "\nmissing:\n" + "\n".join(missing)
