"""The remote store backend against a real Oxigraph server holding the pushed real graph: the
library's reports, the command line (``--store URL``) and the HTTP server (``serve --store URL``)
give what they give on the embedded store; a store that is down or refuses says so."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import httpx
import pytest
from pyoxigraph import QueryBoolean, QueryTriples
from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.completeness import completeness
from pactgraph.completeness_output import completeness_json
from pactgraph.dependencies import walk, walk_json
from pactgraph.info import describe_store
from pactgraph.push import push
from pactgraph.remote import RemoteAuth, RemoteConfig, RemoteStore, RemoteUnavailableError
from pactgraph.settings import Settings
from pactgraph.store import GraphStore
from pactgraph.validation import load_shapes, validate_store
from pactgraph.vocab import GRAPH

from .conftest import rows
from .remote_support import ClosedPort, OxigraphServer

NAMED = [("obligations-depending-on-eurodac", {}), ("acts", {}), ("articles-of-act", {"celex": "32024R1356"}),
         ("implementation-gaps", {"memberState": "NL"}), ("timeline", {"memberState": "NL"}),
         ("acts-applicable", {"asOf": "2026-07-01"})]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, graph: GraphStore):
    """An Oxigraph server holding the real graph, pushed, plus a graph that is not the project's."""
    running = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "store").start()
    remote = RemoteStore(RemoteConfig.for_url(running.query_url))
    push(graph, remote)
    httpx.post(f"{running.base}/store", params={"graph": "https://example.org/elsewhere"},
               content=b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
               headers={"Content-Type": "application/n-triples"}).raise_for_status()
    yield running
    running.stop()


@pytest.fixture
def remote(server: OxigraphServer) -> RemoteStore:
    store = RemoteStore(RemoteConfig.for_url(server.query_url))
    yield store
    store.close()


def multiset(result) -> list[str]:
    names = [v.value for v in result.variables]
    return sorted(json.dumps({n: str(s[n]) for n in names if s[n] is not None}, sort_keys=True) for s in result)


@pytest.mark.parametrize("name,params", NAMED, ids=[n for n, _ in NAMED])
def test_named_queries_answer_as_on_the_embedded_store(remote: RemoteStore, graph: GraphStore,
                                                       project_settings: Settings, name: str, params: dict):
    from pactgraph.catalog import load_catalog

    text = load_catalog(project_settings.queries_dir)[name].render(params)
    expected = multiset(graph.query(text))
    assert expected, f"{name} finds nothing: a vacuous comparison"
    assert multiset(remote.query(text)) == expected


def test_the_default_graph_is_the_union_of_the_project_graphs(remote: RemoteStore, graph: GraphStore):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert rows(remote, count) == rows(graph, count)  # the other graph in the store is not seen
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert {r["g"] for r in rows(remote, named)} == {r["g"] for r in rows(graph, named)}
    assert remote.query("ASK { GRAPH ?g { <https://example.org/a> ?p ?o } }", whole_store=True)  # it is there
    given = remote.query(count, default_graphs=[GRAPH + "build"])
    assert [s["n"].value for s in given] == [str(graph.graph_sizes()[GRAPH + "build"])]


def test_results_have_the_embedded_store_types(remote: RemoteStore, graph: GraphStore):
    yes, no = remote.query("ASK { ?s a pg:Obligation }"), remote.query("ASK { ?s a pg:NoSuchClass }")
    assert isinstance(yes, QueryBoolean) and bool(yes) and not bool(no)
    construct = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a pg:MemberState ; rdfs:label ?l }"
    triples = remote.query(construct)
    assert isinstance(triples, QueryTriples)
    assert sorted(map(str, triples)) == sorted(map(str, graph.query(construct)))


def test_a_bad_query_gets_the_store_s_message(remote: RemoteStore):
    with pytest.raises(SyntaxError):
        remote.query("SELEC * WHERE { ?s ?p ?o }")


def test_reports_run_on_the_remote_store(remote: RemoteStore, graph: GraphStore, project_settings: Settings):
    assert completeness_json(completeness(remote, project_settings.queries_dir, "NL")) == \
        completeness_json(completeness(graph, project_settings.queries_dir, "NL"))
    assert walk_json(walk(remote, "https://w3id.org/pactgraph/id/it-system/eurodac")) == \
        walk_json(walk(graph, "https://w3id.org/pactgraph/id/it-system/eurodac"))
    assert describe_store(remote) == describe_store(graph)


def test_validation_reads_the_remote_graphs(remote: RemoteStore, graph: GraphStore, project_settings: Settings):
    assert len(remote.store) == len(graph.store)
    shapes = load_shapes(project_settings.shapes_dir)
    report = validate_store(remote.store, shapes)
    expected = validate_store(graph.store, shapes)
    assert report.conforms and [r.focus for r in report.results] == [r.focus for r in expected.results]
    assert remote.store is remote.store  # fetched once per live push


def test_a_store_that_is_down_says_so():
    closed = ClosedPort()
    url = closed.url()
    down = RemoteStore(RemoteConfig.for_url(url, attempts=2, backoff=0.01))
    with pytest.raises(RemoteUnavailableError, match=f"cannot reach the store at {url}.*tried 2 times"):
        down.query("ASK {}")


def test_endpoints_follow_the_engines_layouts():
    auth = RemoteAuth("digest", "dba", "secret")
    virtuoso = RemoteConfig.for_url("http://h:8890/sparql", auth=auth)
    assert (virtuoso.update_url, virtuoso.gsp_url) == ("http://h:8890/sparql-auth", "http://h:8890/sparql-graph-crud-auth")
    fuseki = RemoteConfig.for_url("http://h:3030/ds")
    assert (fuseki.update_url, fuseki.gsp_url) == ("http://h:3030/ds", "http://h:3030/ds")
    graphdb = RemoteConfig.for_url("http://h:7200/repositories/pact")
    assert (graphdb.update_url, graphdb.gsp_url) == ("http://h:7200/repositories/pact/statements",
                                                     "http://h:7200/repositories/pact/rdf-graphs/service")
    oxigraph = RemoteConfig.for_url("http://h:7878/query", gsp_url="")
    assert (oxigraph.update_url, oxigraph.gsp_url) == ("http://h:7878/update", None)
    assert "secret" not in repr(virtuoso)


def test_credentials_come_from_a_file_or_the_environment(tmp_path: Path):
    secret = tmp_path / "auth"
    secret.write_text("dba:s3cret\n")
    assert RemoteAuth.from_sources("digest", secret, {}) == RemoteAuth("digest", "dba", "s3cret")
    secret.write_text("a-token\n")
    assert RemoteAuth.from_sources(None, secret, {}) == RemoteAuth("bearer", token="a-token")
    env = {"PACTGRAPH_REMOTE_USER": "u", "PACTGRAPH_REMOTE_PASSWORD": "p"}
    assert RemoteAuth.from_sources(None, None, env) == RemoteAuth("basic", "u", "p")
    assert RemoteAuth.from_sources(None, None, {}) is None
    with pytest.raises(ValueError, match="needs a token"):
        RemoteAuth.from_sources("bearer", None, env)


def test_bearer_tokens_are_sent(server: OxigraphServer):
    """The token is sent in the Authorization header of every request (Oxigraph ignores it; what
    is checked is that the client carries it and the store still answers)."""
    store = RemoteStore(RemoteConfig.for_url(server.query_url, auth=RemoteAuth("bearer", token="t0k")))
    assert store.client.headers["Authorization"] == "Bearer t0k"
    assert bool(store.query("ASK { ?s a pg:Obligation }"))


# --- the command line ---------------------------------------------------------------------------

def test_query_command_with_a_store_url(server: OxigraphServer, graph: GraphStore):
    runner = CliRunner()
    remote = runner.invoke(app, ["query", "obligations-depending-on-eurodac", "-f", "csv", "--store", server.query_url])
    local = runner.invoke(app, ["query", "obligations-depending-on-eurodac", "-f", "csv", "--store", str(graph.path)])
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert len(remote.stdout.splitlines()) > 10


def test_validate_and_completeness_commands_with_a_store_url(server: OxigraphServer, graph: GraphStore):
    runner = CliRunner()
    result = runner.invoke(app, ["validate", "-f", "json", "--store", server.query_url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["conforms"] is True
    remote = runner.invoke(app, ["completeness", "-m", "NL", "-f", "json", "--store", server.query_url])
    local = runner.invoke(app, ["completeness", "-m", "NL", "-f", "json", "--store", str(graph.path)])
    assert remote.exit_code == 0 and remote.stdout == local.stdout


def test_commands_say_when_the_store_is_down():
    closed = ClosedPort()
    url = closed.url()
    result = CliRunner().invoke(app, ["query", "acts", "--store", url], env={"PACTGRAPH_REMOTE_ATTEMPTS": "1"})
    assert result.exit_code == 2
    assert f"cannot reach the store at {url}" in result.output
    result = CliRunner().invoke(app, ["build", "--store", url])
    assert result.exit_code == 2 and "pactgraph push" in result.output


# --- the HTTP server ------------------------------------------------------------------------------

def test_the_server_forwards_to_the_remote_store(server: OxigraphServer, make_client, graph: GraphStore):
    remote = make_client(remote=RemoteConfig.for_url(server.query_url))
    local = make_client()
    query = "SELECT ?ms ?code WHERE { ?ms a pg:MemberState ; skos:notation ?code } ORDER BY ?code"
    for path in (f"/sparql?query={query}", "/api/queries/articles-of-act?celex=32024R1356&format=csv",
                 "/api/completeness?memberState=NL"):
        answer, expected = remote.get(path), local.get(path)
        assert answer.status_code == 200, answer.text
        assert answer.content == expected.content
        assert "etag" not in answer.headers  # answers of a remote store are not kept: it may change
    report = remote.post("/api/validate", headers={"Accept": "application/json"})
    assert report.status_code == 200 and report.headers["X-SHACL-Conforms"] == "true"
    construct = remote.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a pg:Regulation }"},
                           headers={"Accept": "application/n-triples"})
    assert construct.status_code == 200 and construct.headers["content-type"].startswith("application/n-triples")
    assert "/ontology#Regulation>" in construct.text
    dump = remote.get("/dump.nq")
    assert dump.status_code == 200 and dump.text.count("\n") == sum(graph.graph_sizes().values())


def test_the_server_says_when_the_remote_store_is_down(make_client):
    closed = ClosedPort()
    url = closed.url()
    client = make_client(remote=dataclasses.replace(RemoteConfig.for_url(url), attempts=1))
    answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 502 and f"cannot reach the store at {url}" in answer.text
    answer = client.get("/api/completeness?memberState=NL")
    assert answer.status_code == 502 and "cannot reach the store" in answer.json()["detail"]


def test_serve_with_a_store_url(server: OxigraphServer, live_server):
    base = live_server(store=server.query_url)
    answer = httpx.get(f"{base}/api/queries/acts", params={"format": "json"}, timeout=30)
    assert answer.status_code == 200
    assert len(answer.json()["results"]["bindings"]) >= 10
