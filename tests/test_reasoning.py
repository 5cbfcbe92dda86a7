"""HermiT through owlready2 checks that the ontology is consistent, and says when it cannot run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pactgraph.reasoning import check_ontology

from .conftest import PROJECT

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


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
