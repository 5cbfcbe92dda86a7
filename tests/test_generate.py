"""The synthetic graph generator (bench/generate.py): deterministic, valid source tables, the
size asked for; and the fast validation path it exists to measure gives pySHACL's results."""

from __future__ import annotations

import filecmp
import importlib.util
import sys
from pathlib import Path

import pytest

from pactgraph.build import build
from pactgraph.settings import Settings
from pactgraph.sources import load_tables
from pactgraph.store import GraphStore
from pactgraph.validation import load_shapes, validate_store, without_lookahead

from .conftest import PROJECT

_spec = importlib.util.spec_from_file_location("pactgraph_bench_generate", PROJECT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = generate
_spec.loader.exec_module(generate)

SMALL = generate.Plan(acts=2)


def tables_of(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "mappings" / "sources").glob("*.csv"))}


def test_the_same_seed_gives_identical_files_and_another_seed_different_ones(tmp_path: Path):
    generate.generate(tmp_path / "a", SMALL, seed=7)
    generate.generate(tmp_path / "b", SMALL, seed=7)
    generate.generate(tmp_path / "c", SMALL, seed=8)
    a, b, c = (tables_of(tmp_path / n) for n in "abc")
    assert a == b
    assert set(a) == set(c) and a != c
    assert not filecmp.cmp(tmp_path / "a" / "mappings" / "sources" / "measures.csv",
                           tmp_path / "c" / "mappings" / "sources" / "measures.csv", shallow=False)


def test_the_tables_have_the_projects_columns_and_pass_its_checks(tmp_path: Path):
    generate.generate(tmp_path, SMALL, seed=1)
    real = {t.name: [c.name for c in t.columns] for t in load_tables(PROJECT / "mappings")}
    tables = load_tables(tmp_path / "mappings")   # raises SourceTableError on any problem
    assert {t.name: [c.name for c in t.columns] for t in tables} == real
    for table in tables:
        with table.path.open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        assert header == [c.name for c in table.columns if not c.virtual]
    counts = {t.name: len(t.rows) for t in tables}
    assert counts["member-states"] == 27 and counts["acts"] == 2


def test_everything_but_the_member_states_is_marked_synthetic(tmp_path: Path):
    generate.generate(tmp_path, SMALL, seed=1)
    tables = {t.name: t for t in load_tables(tmp_path / "mappings")}
    for act in tables["acts"].rows:
        assert int(act.cells["eli"].split("/")[1]) >= generate.FIRST_YEAR
        assert act.cells["label_en"].startswith("Synthetic")
    for name in ("obligations", "measures", "documents", "statements", "persons", "it-systems"):
        key = "id"
        assert all(row.cells[key].startswith("syn-") for row in tables[name].rows), name
        assert all(row.cells.get("note") == generate.NOTE for row in tables[name].rows), name
    real_states = {t.name: t for t in load_tables(PROJECT / "mappings")}["member-states"]
    assert [r.cells for r in tables["member-states"].rows] == [r.cells for r in real_states.rows]


def test_every_member_state_has_a_plan(tmp_path: Path):
    generate.generate(tmp_path, generate.Plan(acts=3), seed=1)
    tables = {t.name: t for t in load_tables(tmp_path / "mappings")}
    planned = {row.cells["member_state"] for row in tables["measures"].rows}
    assert planned == {row.cells["code"] for row in tables["member-states"].rows}


@pytest.fixture(scope="module")
def synthetic_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, object, int]:
    """A generated graph of about 20k triples, built for real in a temporary store."""
    root = tmp_path_factory.mktemp("synthetic")
    asked = 20_000
    generate.generate(root, generate.plan_for(asked, seed=3), seed=3)
    settings = Settings(root=root, store_path=root / "var" / "store")
    return settings, build(settings), asked


def test_the_generated_graph_builds_with_no_violation(synthetic_build):
    settings, report, _ = synthetic_build
    assert report.validation.conforms and not report.validation.violations
    assert GraphStore.open(settings.store).graph_sizes() == report.quads_by_graph


def test_the_graph_is_about_the_size_asked_for(synthetic_build):
    _, report, asked = synthetic_build
    assert abs(sum(report.quads_by_graph.values()) - asked) <= 0.15 * asked


def test_the_size_follows_the_request():
    small, large = generate.plan_for(50_000), generate.plan_for(200_000)
    assert 3 <= large.acts / small.acts <= 5


def test_the_rust_engine_gives_pyshacls_results_on_the_generated_graph(synthetic_build):
    settings, _, _ = synthetic_build
    store = GraphStore.open(settings.store).store
    shapes = load_shapes(PROJECT / "shapes")
    assert set(validate_store(store, shapes, engine="rust").results) == set(validate_store(store, shapes, engine="pyshacl").results)


def test_the_rust_engine_gives_pyshacls_results_on_the_real_graph(graph):
    shapes = load_shapes(PROJECT / "shapes")
    rust = validate_store(graph.store, shapes, engine="rust")
    pyshacl = validate_store(graph.store, shapes, engine="pyshacl")
    assert rust.results and set(rust.results) == set(pyshacl.results)
    assert rust.conforms == pyshacl.conforms


@pytest.mark.parametrize("pattern, text", [
    ("^(?!Kamerstuk)\\S.*$", "Kamerstuk 1"), ("^(?!Kamerstuk)\\S.*$", "Kamer"), ("^(?!Kamerstuk)\\S.*$", "SYN-1"),
    ("^(?!Kamerstuk)\\S.*$", " x"), ("^(?!Kamerstuk)\\S.*$", "Kamerstukken"), ("^(?!Kamerstuk)\\S.*$", "KamerX"),
    ("^(?!https://w3id\\.org/x#)", "https://w3id.org/x#A"), ("^(?!https://w3id\\.org/x#)", "https://w3id.org/y"),
    ("^(?!https://w3id\\.org/x#)", ""), ("^(?!https://w3id\\.org/x#)", "https://w3idXorg/x#A"),
])
def test_a_negative_lookahead_is_rewritten_to_match_the_same_strings(pattern: str, text: str):
    import re

    rewritten = without_lookahead(pattern)
    assert "(?!" not in rewritten
    assert bool(re.search(rewritten, text)) == bool(re.search(pattern, text))


# The build's fast paths, which the generated graph exists to exercise, against plain references.

def test_the_mapping_written_as_nquads_is_the_mapping(tmp_path: Path):
    import io

    from pyoxigraph import RdfFormat, parse

    from pactgraph.mapping import map_tables, write_nquads
    from pactgraph.vocab import DATA_GRAPH

    generate.generate(tmp_path, SMALL, seed=5)
    tables = load_tables(tmp_path / "mappings")
    text = io.StringIO()
    written = write_nquads(tables, DATA_GRAPH, text)
    quads = set(parse(text.getvalue(), format=RdfFormat.N_QUADS))
    assert quads == set(map_tables(tables, DATA_GRAPH)) and written >= len(quads) > 0


def test_inference_skipping_unchanged_rules_reaches_the_naive_fixpoint(tmp_path: Path):
    """Every rule every round until nothing is new (the reference) and the build's scheduled
    INSERT rules infer the same graph."""
    from pyoxigraph import Quad, Store

    from pactgraph.build import load_data
    from pactgraph.inference import materialise
    from pactgraph.vocab import INFERRED_GRAPH, PREFIXES

    generate.generate(tmp_path, generate.Plan(acts=3, chain_length=4), seed=2)
    settings = Settings(root=tmp_path)
    stores = []
    for _ in range(2):
        store = Store()
        load_data(store, settings, load_tables(settings.mappings_dir))
        stores.append(store)
    report = materialise(stores[0], settings.ontology_dir / "rules")
    rules = [p.read_text(encoding="utf-8") for p in sorted((settings.ontology_dir / "rules").glob("*.rq"))]
    reference = stores[1]
    while True:
        new = set()
        for rule in rules:
            new |= set(reference.query(rule, use_default_graph_as_union=True, prefixes=PREFIXES))
        if not new:
            break
        reference.extend(Quad(t.subject, t.predicate, t.object, INFERRED_GRAPH) for t in new)
    inferred = [set(s.quads_for_pattern(None, None, None, INFERRED_GRAPH)) for s in stores]
    assert inferred[0] == inferred[1] and report.triples == len(inferred[0]) > 0


@pytest.mark.parametrize("rule, expected", [
    ("CONSTRUCT { ?s a ?b } WHERE { ?s a ?a . ?a rdfs:subClassOf ?b }", {"rdf:type", "rdfs:subClassOf"}),
    ("CONSTRUCT { ?s ?q ?o } WHERE { ?p rdfs:subPropertyOf ?q . ?s ?p ?o }", None),
    ("CONSTRUCT { ?s a ?b } WHERE { ?s pg:x ?o ; ?p ?z }", None),
    ("CONSTRUCT { ?s a ?b } WHERE { [ pg:x ?y ] ?p ?z }", None),
    ("CONSTRUCT { ?s a ?b } WHERE { ?s unknown:x ?o }", None),
    ("CONSTRUCT { [] a <urn:x> } WHERE { ?s a ?c }", None),
    ("CONSTRUCT { ?s a ?b } WHERE { { ?a owl:equivalentClass ?b } UNION { ?b owl:equivalentClass ?a } FILTER (isIRI(?b)) ?s a ?a }",
     {"rdf:type", "owl:equivalentClass"}),
])
def test_a_rule_reads_what_its_where_clause_names_or_anything(rule: str, expected: set[str] | None):
    from pactgraph.inference import reads
    from pactgraph.vocab import PREFIXES

    found = reads(rule)
    if expected is None:
        assert found is None
    else:
        assert found == {PREFIXES[n.split(":")[0]] + n.split(":")[1] for n in expected}
