"""Materialised inference: what the ontology implies lands in the inferred graph, and only there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Store

from pactgraph.inference import InferenceDidNotConvergeError, materialise
from pactgraph.vocab import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

from .conftest import PROJECT

RULES = PROJECT / "ontology" / "rules"
DATA = """
@prefix pg: <https://w3id.org/pactgraph/ontology#> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix ex: <https://example.org/> .
ex:ammr a pg:Regulation ; pg:repeals ex:dublin .
ex:art41 eli:is_part_of ex:ammr .
ex:takeBack a pg:Obligation ; pg:imposedBy ex:art41 ; pg:dependsOn ex:hit .
ex:hit a pg:Obligation ; pg:dependsOn ex:eurodac .
ex:eurodac a pg:ITSystem .
"""


@pytest.fixture
def store() -> Store:
    store = Store()
    for path in sorted((PROJECT / "ontology").glob("*.ttl")):
        store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    store.load(DATA, format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    return store


def inferred(store: Store, sparql_pattern: str) -> bool:
    return bool(store.query(f"""PREFIX pg: <https://w3id.org/pactgraph/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#>
        PREFIX ex: <https://example.org/> ASK {{ GRAPH <{INFERRED_GRAPH.value}> {{ {sparql_pattern} }} }}"""))


def test_each_kind_of_entailment_is_materialised(store: Store):
    report = materialise(store, RULES)
    assert inferred(store, "ex:ammr a pg:LegalAct , eli:LegalResource")          # subclass typing
    assert inferred(store, "ex:ammr eli:repeals ex:dublin")                      # subproperty
    assert inferred(store, "ex:eurodac pg:isDependencyOf ex:hit")                # inverse
    assert inferred(store, "ex:takeBack pg:dependsOn ex:eurodac")                # transitive
    assert inferred(store, "ex:takeBack pg:imposedByAct ex:ammr")                # property chain
    assert report.triples == len(list(store.quads_for_pattern(None, None, None, INFERRED_GRAPH)))
    assert report.rounds >= 2


def test_asserted_facts_are_not_repeated_in_the_inferred_graph(store: Store):
    materialise(store, RULES)
    assert not inferred(store, "ex:takeBack pg:dependsOn ex:hit")
    assert not inferred(store, "ex:ammr a pg:Regulation")


def test_a_second_run_adds_nothing(store: Store):
    materialise(store, RULES)
    again = materialise(store, RULES)
    assert again.triples == 0 and again.rounds == 1


def test_a_rule_that_never_settles_is_stopped(tmp_path: Path, store: Store):
    (tmp_path / "runaway.rq").write_text("CONSTRUCT { [] a <urn:x> } WHERE { }", encoding="utf-8")
    with pytest.raises(InferenceDidNotConvergeError):
        materialise(store, tmp_path, max_rounds=3)


@pytest.mark.parametrize("rule, expected", [
    ("CONSTRUCT { ?s a ?b } WHERE { { SELECT DISTINCT ?a ?b WHERE { ?a rdfs:subClassOf+ ?b } } ?s a ?a }",
     {"rdf:type", "rdfs:subClassOf"}),
    ("CONSTRUCT { ?s a ?b } WHERE { { SELECT ?a ?b (COUNT(*) AS ?n) WHERE { ?a ?p ?b } GROUP BY ?a ?b } ?s a ?a }", None),
])
def test_a_subquery_in_a_rule_is_read_for_the_predicates_it_names(rule: str, expected: set[str] | None):
    """Rules put their ontology part in a subquery to be fast; that must not make them run every round."""
    from pactgraph.inference import reads
    from pactgraph.vocab import PREFIXES

    found = reads(rule)
    assert found == (None if expected is None else {PREFIXES[n.split(":")[0]] + n.split(":")[1] for n in expected})


def test_the_project_rules_each_name_what_they_read():
    """A rule read as "anything" runs again every round: at a million triples each run is a scan."""
    from pactgraph.inference import reads

    for path in sorted(RULES.glob("*.rq")):
        if path.name.startswith(("10-", "60-equivalence-classes")):
            assert reads(path.read_text(encoding="utf-8")) is not None, path.name


def test_large_outputs_loaded_in_bulk_give_the_same_graph(store: Store, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A rule's output above a size is bulk-loaded (new files on disk) instead of one transaction;
    the graph inferred must not depend on which."""
    from pactgraph import inference

    on_disk = Store(str(tmp_path / "store"))
    on_disk.extend(store)
    expected = materialise(store, RULES)
    monkeypatch.setattr(inference, "_BULK", 0)
    bulk = materialise(on_disk, RULES, scratch=tmp_path)
    assert (bulk.triples, bulk.by_rule) == (expected.triples, expected.by_rule)
    assert set(on_disk.quads_for_pattern(None, None, None, INFERRED_GRAPH)) == \
        set(store.quads_for_pattern(None, None, None, INFERRED_GRAPH))
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # the scratch files are gone
