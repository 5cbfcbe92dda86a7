"""Materialise what the ontology implies into the named graph for inferred triples.

The rules are SPARQL CONSTRUCT queries in ``ontology/rules/`` (subclass and subproperty
typing, inverse and transitive properties, two-step property chains, equivalences), run over
the union of the graphs until nothing new comes out. Each rule only constructs what is not
already stated, so asserted facts stay in the data graph and a query can ask for one or both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad, Store

from .vocab import INFERRED_GRAPH, PREFIXES


class InferenceDidNotConvergeError(RuntimeError):
    """The rules kept producing new triples; a rule is wrong."""


@dataclass(frozen=True)
class InferenceReport:
    triples: int
    rounds: int
    seconds: float
    by_rule: dict[str, int]


def materialise(store: Store, rules_dir: Path, *, graph: NamedNode = INFERRED_GRAPH, max_rounds: int = 20) -> InferenceReport:
    """Run the rules to a fixpoint and add what they infer to ``graph``."""
    started = time.perf_counter()
    rules = [(path.name, path.read_text(encoding="utf-8")) for path in sorted(rules_dir.glob("*.rq"))]
    by_rule = {name: 0 for name, _ in rules}
    total = 0
    for round_number in range(1, max_rounds + 1):
        new: set = set()
        for name, text in rules:
            found = set(store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)) - new
            by_rule[name] += len(found)
            new |= found
        if not new:
            return InferenceReport(total, round_number, time.perf_counter() - started, by_rule)
        store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in new)
        total += len(new)
    raise InferenceDidNotConvergeError(f"the rules in {rules_dir} still inferred new triples after {max_rounds} rounds")
