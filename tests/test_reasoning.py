"""HermiT through owlready2 checks that the ontology is consistent, and says when it cannot run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pactgraph.reasoning import check_ontology

from .conftest import PROJECT, require_program


@pytest.fixture()
def java() -> str:
    """HermiT runs on Java: skipped where it is missing, except in CI (PACTGRAPH_REQUIRE_EXTERNAL)."""
    return require_program("java", "HermiT, owlready2's reasoner, runs on Java")


needs_java = pytest.mark.usefixtures("java")


@needs_java
def test_the_project_ontology_is_consistent():
    result = check_ontology(PROJECT / "ontology")
    assert (result.reasoner, result.consistent) == ("HermiT", True)


@needs_java
def test_an_individual_of_two_disjoint_classes_is_found_inconsistent(tmp_path: Path):
    (tmp_path / "bad.ttl").write_text("""
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix ex: <https://example.org/> .
        <https://example.org/o> a owl:Ontology .
        ex:Act a owl:Class . ex:Document a owl:Class . ex:Act owl:disjointWith ex:Document .
        ex:x a owl:NamedIndividual , ex:Act , ex:Document .
    """, encoding="utf-8")
    result = check_ontology(tmp_path)
    assert result.consistent is False and "inconsistent" in result.message


def test_without_java_the_check_is_skipped_and_says_so(monkeypatch):
    monkeypatch.setattr("pactgraph.reasoning.shutil.which", lambda name: None)
    result = check_ontology(PROJECT / "ontology")
    assert result.consistent is None and "Java is not installed" in result.message


@needs_java
def test_the_built_data_is_consistent_with_the_ontology(graph):
    result = check_ontology(PROJECT / "ontology", graph.store)
    assert result.consistent is True and result.message == "the ontology with the data is consistent"


@needs_java
def test_data_that_contradicts_the_ontology_is_found_inconsistent():
    from pyoxigraph import RdfFormat, Store

    from pactgraph.vocab import DATA_GRAPH

    store = Store()
    store.load("""@prefix pg: <https://w3id.org/pactgraph/ontology#> .
        <https://example.org/x> a pg:Regulation , pg:Obligation .""", format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    result = check_ontology(PROJECT / "ontology", store)
    assert result.consistent is False and result.message == "the ontology with the data is inconsistent"
