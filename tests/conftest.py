"""Shared fixtures: the project's own files, a real build in a temporary store."""

from __future__ import annotations

import os
import shutil
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


def require_program(name: str, why: str) -> str:
    """The path of an external program a test needs (chromium, virtuoso-t, wrk).

    Where it is missing the test is skipped with the reason, except when
    PACTGRAPH_REQUIRE_EXTERNAL is set (as ``.ci/run`` does): then it fails, so that CI cannot
    pass by skipping what it was meant to run.
    """
    found = shutil.which(name)
    if found:
        return found
    message = f"{name} is not installed ({why}); on Debian: apt-get install the package that provides it"
    if os.environ.get("PACTGRAPH_REQUIRE_EXTERNAL"):
        pytest.fail(message)
    pytest.skip(message)


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


@pytest.fixture(scope="session")
def cellar(tmp_path_factory: pytest.TempPathFactory):
    """A real Oxigraph server (PyPI ``oxigraph``) holding a small CDM-shaped stand-in for Cellar.

    Yields its SPARQL query URL; the server is stopped at the end of the session.
    """
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    location = tmp_path_factory.mktemp("cellar")
    subprocess.run([binary, "load", "--location", str(location), "--file", str(TESTS / "fixtures" / "cellar" / "cdm.ttl")],
                   check=True, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the Oxigraph server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def make_client(build_report: BuildReport, project_settings: Settings):
    """A factory of TestClients over the real graph, with server settings overridden
    (``make_client(query_timeout=1)``); each is started (its workers too) and closed at the end."""
    import dataclasses

    from fastapi.testclient import TestClient

    from pactgraph.server.app import create_app

    clients = []

    def make(**overrides) -> TestClient:
        client = TestClient(create_app(dataclasses.replace(project_settings, **overrides)), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def live_server(build_report: BuildReport, project_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """A factory of real servers: ``live_server(*serve_options, env={...}, store=PATH)`` runs
    ``pactgraph serve`` in a uvicorn process on a free loopback port over the real graph (or
    the store given) and returns its base URL; every server is stopped at the end of the session."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    servers = []

    def start(*options: str, env: dict[str, str] | None = None, store: Path | None = None) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        log = tmp_path_factory.mktemp("server") / "server.log"
        command = [str(Path(sys.executable).parent / "pactgraph"), "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--store", str(store or project_settings.store), *options]
        environment = {**os.environ, "PACTGRAPH_HOME": str(PROJECT), **(env or {})}
        with log.open("wb") as output:
            process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
        servers.append(process)
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            if process.poll() is not None:
                raise RuntimeError(f"pactgraph serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                urllib.request.urlopen(f"{url}/sparql?query=ASK%7B%7D", timeout=2).read()
                return url
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"pactgraph serve did not answer:\n{log.read_text()}")

    yield start
    for process in servers:
        process.terminate()
    for process in servers:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
