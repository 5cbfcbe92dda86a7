"""The build publishes a complete store or nothing: a failed build keeps the last good graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pactgraph.build import build
from pactgraph.settings import Settings
from pactgraph.sources import SourceTableError
from pactgraph.store import GraphStore, builds_dir
from pactgraph.vocab import BUILD_GRAPH, DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

from .conftest import PROJECT


@pytest.fixture
def project(tmp_path: Path) -> Settings:
    """A private copy of the project's data folders, with its own store."""
    for folder in ("ontology", "mappings", "queries"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return Settings(root=tmp_path, store_path=tmp_path / "var" / "store")


def test_build_publishes_the_named_graphs(build_report, project_settings):
    sizes = GraphStore.open(project_settings.store).graph_sizes()
    assert set(sizes) == {ONTOLOGY_GRAPH.value, DATA_GRAPH.value, INFERRED_GRAPH.value, BUILD_GRAPH.value}
    assert sizes == build_report.quads_by_graph
    assert project_settings.store.is_symlink()


def test_the_default_graph_is_the_union_of_the_named_graphs(graph):
    """A class from the ontology graph and its instances from the data graph meet in one pattern."""
    [row] = graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?a a pg:Article . pg:Article rdfs:label ?l FILTER(lang(?l)='nl') }")
    assert int(row["n"].value) > 300


def test_the_build_records_when_and_from_which_source_versions(graph):
    rows = list(graph.query(f"""SELECT ?file ?v WHERE {{ GRAPH <{BUILD_GRAPH.value}> {{
        ?b prov:used ?file . ?file dcterms:hasVersion ?v }} }}"""))
    files = {r["file"].value.removeprefix("https://w3id.org/pactgraph/") for r in rows}
    assert {"sources/acts.csv", "mappings/acts.csv-metadata.json", "ontology/pactgraph.ttl"} <= files
    assert all(r["v"].value.startswith("sha256:") and len(r["v"].value) == 71 for r in rows)


def test_a_broken_table_leaves_the_published_graph_untouched(project: Settings):
    build(project)
    published = project.store.resolve()
    acts = project.root / "mappings" / "sources" / "acts.csv"
    acts.write_text(acts.read_text(encoding="utf-8").replace("32024R1358,32024R1358", "3224R1358,32024R1358"), encoding="utf-8")
    with pytest.raises(SourceTableError):
        build(project)
    assert project.store.resolve() == published
    assert [p.resolve() for p in builds_dir(project.store).iterdir()] == [published]
    assert bool(GraphStore.open(project.store).query('ASK { ?a eli:id_local "32024R1358" }'))


def test_a_failure_after_mapping_discards_the_new_build(project: Settings):
    build(project)
    published = project.store.resolve()
    (project.root / "ontology" / "pactgraph.ttl").write_text("@prefix : <urn:x#> . :a :b", encoding="utf-8")
    with pytest.raises(SyntaxError):
        build(project)
    assert project.store.resolve() == published
    assert [p.resolve() for p in builds_dir(project.store).iterdir()] == [published]


def test_a_new_build_replaces_the_old_and_keeps_one_previous(project: Settings):
    first = (build(project), project.store.resolve())[1]
    second = (build(project), project.store.resolve())[1]
    third = (build(project), project.store.resolve())[1]
    assert len({first, second, third}) == 3
    assert sorted(p.resolve() for p in builds_dir(project.store).iterdir()) == sorted([second, third])
