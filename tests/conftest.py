"""Shared fixtures: the project's own files, a real build in a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest

from pactgraph.build import BuildReport, build
from pactgraph.settings import Settings
from pactgraph.store import GraphStore

TESTS = Path(__file__).parent
PROJECT = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden results of the named queries (review the diff before committing).")


@pytest.fixture(scope="session")
def project_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The project's real ontology, mappings and queries, with a store of the test's own."""
    return Settings(root=PROJECT, store_path=tmp_path_factory.mktemp("store") / "store")


@pytest.fixture(scope="session")
def build_report(project_settings: Settings) -> BuildReport:
    return build(project_settings)


@pytest.fixture(scope="session")
def graph(build_report: BuildReport, project_settings: Settings) -> GraphStore:
    """The real graph, built once for the session from the project's source tables."""
    return GraphStore.open(project_settings.store)


def rows(graph: GraphStore, sparql: str) -> list[dict[str, str]]:
    """SELECT results as dicts of plain values (IRIs and literal values as strings)."""
    result = graph.query(sparql)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]
