"""Integration: the remote store backend against Virtuoso open source (Debian's
``virtuoso-opensource``), started by the test in a folder of its own with its own
``virtuoso.ini`` on free ports, its dba password set to a fresh secret, and stopped at the end.

Virtuoso is reached as the README says: queries at ``/sparql``, updates at ``/sparql-auth``
and the Graph Store Protocol at ``/sparql-graph-crud-auth``, both with HTTP digest
authentication as dba. Virtuoso stores ``xsd:duration`` literals as a number of seconds;
the push reports that, and these tests pin it down, so that a Virtuoso that keeps them
intact (or a push that stops noticing) shows up here.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyoxigraph import Literal

from pactgraph.catalog import load_catalog
from pactgraph.completeness import completeness
from pactgraph.completeness_output import completeness_json
from pactgraph.push import PushError, push
from pactgraph.remote import RemoteAuth, RemoteConfig, RemoteStore, RemoteStoreError
from pactgraph.settings import Settings
from pactgraph.store import GraphStore
from pactgraph.validation import load_shapes, validate_store
from pactgraph.vocab import GRAPH, PG

from .conftest import PROJECT, require_program
from .remote_support import ClosedPort, free_port, small_build, wait_until_answers

pytestmark = pytest.mark.integration

XSD_DURATION = "<http://www.w3.org/2001/XMLSchema#duration>"

INI = """\
[Database]
DatabaseFile = virtuoso.db
ErrorLogFile = virtuoso.log
LockFile = virtuoso.lck
TransactionFile = virtuoso.trx
xa_persistent_file = virtuoso.pxa
[TempDatabase]
DatabaseFile = virtuoso-temp.db
TransactionFile = virtuoso-temp.trx
[Parameters]
ServerPort = {sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
DirsAllowed = .
[HTTPServer]
ServerPort = {http_port}
ServerThreads = 4
MaxClientConnections = 4
[SPARQL]
; the default, 10000, would cut a read of the data graph (13000 triples); the push and the
; snapshot would then say so rather than lose triples
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@dataclass(frozen=True)
class Virtuoso:
    sparql: str
    auth_file: Path
    auth: RemoteAuth

    def remote(self, **options) -> RemoteStore:
        return RemoteStore(RemoteConfig.for_url(self.sparql, auth=self.auth, **{"attempts": 3, "backoff": 0.2, **options}))


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):
    binary = require_program("virtuoso-t", "the integration test of remote stores runs Virtuoso open source")
    isql = require_program("isql-vt", "it sets the Virtuoso test server's dba password")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(INI.format(http_port=http_port, sql_port=sql_port))
    with (folder / "console.log").open("wb") as log:
        process = subprocess.Popen([binary, "+foreground", "+configfile", "virtuoso.ini"], cwd=folder,
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    sparql = f"http://127.0.0.1:{http_port}/sparql"
    try:
        try:
            wait_until_answers(f"{sparql}?query=ASK%7B%7D", seconds=180, process=process)
        except RuntimeError as error:
            raise RuntimeError(f"{error}:\n{(folder / 'console.log').read_text(errors='replace')}") from None
        password = secrets.token_hex(12)
        subprocess.run([isql, str(sql_port), "dba", "dba", f"exec=user_set_password('dba', '{password}');"],
                       check=True, capture_output=True, timeout=60)
        auth_file = folder / "dba.auth"
        auth_file.write_text(f"dba:{password}\n")
        auth_file.chmod(0o600)
        yield Virtuoso(sparql, auth_file, RemoteAuth("digest", "dba", password))
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, graph: GraphStore, project_settings: Settings):
    """The real graph pushed by the command line, with the credentials in a file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACTGRAPH_REMOTE_")}
    result = subprocess.run([str(Path(sys.executable).parent / "pactgraph"), "push", "--to", virtuoso.sparql,
                             "--auth", "digest", "--auth-file", str(virtuoso.auth_file),
                             "--store", str(project_settings.store)],
                            capture_output=True, text=True, timeout=600, env={**env, "PACTGRAPH_HOME": str(PROJECT)})
    assert result.returncode == 0, result.stderr
    return result


def durations(graph: GraphStore) -> int:
    """The xsd:duration literals of the graph."""
    return sum(1 for q in graph.store.quads_for_pattern(None, None, None, None)
               if isinstance(q.object, Literal) and q.object.datatype.value == XSD_DURATION.strip("<>"))


def test_push_command_loads_the_graph(pushed, virtuoso: Virtuoso, graph: GraphStore):
    remote = virtuoso.remote()
    assert remote.graph_sizes() == graph.graph_sizes()
    assert remote.live_push() is not None
    assert f"Pushed to {virtuoso.sparql}" in pushed.stderr
    assert f"the store holds {durations(graph)} literal(s) otherwise than they were sent" in pushed.stderr
    staging = remote.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                            f"FILTER(STRSTARTS(STR(?g), \"{GRAPH}staging/\")) }}")
    assert staging == []


def test_a_second_push_replaces_the_first_and_reports_the_durations(pushed, virtuoso: Virtuoso, graph: GraphStore):
    remote = virtuoso.remote()
    before = remote.live_push()
    report = push(graph, remote, batch_size=3000)
    assert remote.live_push() == report.stamp != before
    assert remote.graph_sizes() == graph.graph_sizes()  # replaced, not added to
    assert len(report.altered) == durations(graph) > 0
    for sent, stored in report.altered:
        assert sent.endswith(f"{XSD_DURATION} .") or sent.endswith(XSD_DURATION)
        assert f"<{PG}timeLimit>" in sent and f"<{PG}timeLimit>" in stored


def test_push_by_sparql_update_alone(pushed, virtuoso: Virtuoso, graph: GraphStore, tmp_path: Path):
    remote = virtuoso.remote(gsp_url="")
    before = remote.live_push()
    # Virtuoso's SPARQL Update cannot make xsd:duration literals at all: a clear refusal, nothing replaced
    with pytest.raises(PushError, match="xsd:duration can not be created") as failure:
        push(graph, remote)
    assert "nothing was replaced" in str(failure.value)
    assert remote.live_push() == before and remote.graph_sizes() == graph.graph_sizes()
    assert remote.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                         f"FILTER(STRSTARTS(STR(?g), \"{GRAPH}staging/\")) }}") == []
    # without durations, SPARQL Update carries a graph whole, blank nodes (INSERT templates) too
    small = small_build(tmp_path / "small", "small", lists=150, chain=3)
    report = push(small, remote)
    assert report.method == "update" and remote.live_push() == report.stamp
    lists = remote.select(f"SELECT ?list (COUNT(?item) AS ?n) WHERE {{ GRAPH <{GRAPH}ontology> {{ "
                          "?list <https://example.org/items>/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/"
                          "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?item } } GROUP BY ?list")
    assert len(lists) == 150 and {row["n"] for row in lists} == {"3"}
    push(graph, virtuoso.remote())  # the real graph again, by the Graph Store Protocol, for the tests below
    assert remote.graph_sizes() == graph.graph_sizes()


def test_a_wrong_password_is_refused_and_changes_nothing(pushed, virtuoso: Virtuoso, graph: GraphStore):
    before = virtuoso.remote().live_push()
    wrong = RemoteStore(RemoteConfig.for_url(virtuoso.sparql, auth=RemoteAuth("digest", "dba", "not-the-password"),
                                             attempts=1))
    with pytest.raises(RemoteStoreError) as failure:
        push(graph, wrong)
    assert "HTTP 401" in str(failure.value) and "nothing was replaced" in str(failure.value)
    assert isinstance(failure.value, PushError)
    assert virtuoso.remote().live_push() == before


#: Named queries Virtuoso 7.2 answers exactly as the embedded store does. Others differ by the
#: engine (see the README): time limits in seconds, property paths joined with other patterns
#: (``acts``, ``documents`` find fewer rows), the order inside GROUP_CONCAT, and ``timeline``
#: which its SPARQL compiler cannot compile.
NAMED = [("articles-of-act", {"celex": "32024R1356"}), ("member-state-classification", {"cycle": "2026"})]


def values(result, only: tuple[str, ...] | None = None) -> list[str]:
    names = [v.value for v in result.variables if only is None or v.value in only]
    return sorted(json.dumps({n: str(s[n]) for n in names if s[n] is not None}, sort_keys=True) for s in result)


@pytest.mark.parametrize("name,params", NAMED, ids=[n for n, _ in NAMED])
def test_named_queries_answer_as_on_the_embedded_store(pushed, virtuoso: Virtuoso, graph: GraphStore,
                                                       project_settings: Settings, name: str, params: dict):
    text = load_catalog(project_settings.queries_dir)[name].render(params)
    expected = values(graph.query(text))
    assert expected
    assert values(virtuoso.remote().query(text)) == expected


def test_obligations_depending_on_eurodac_but_for_the_time_limits(pushed, virtuoso: Virtuoso, graph: GraphStore,
                                                                   project_settings: Settings):
    text = load_catalog(project_settings.queries_dir)["obligations-depending-on-eurodac"].render({})
    columns = ("obligation", "label", "celex", "article", "provision", "appliesFrom", "pathLength")
    expected = values(graph.query(text), columns)
    assert len(expected) > 10
    assert values(virtuoso.remote().query(text), columns) == expected


def test_virtuoso_s_dialect_is_read(pushed, virtuoso: Virtuoso):
    remote = virtuoso.remote()
    assert bool(remote.query("ASK { ?s a pg:Obligation }")) is True  # Virtuoso answers ASK as a table
    assert bool(remote.query("ASK { ?s a pg:NoSuchClass }")) is False
    blank = list(remote.query("SELECT ?b WHERE { GRAPH <https://w3id.org/pactgraph/graph/ontology> "
                              "{ ?b ?p ?o FILTER(isBlank(?b)) } } LIMIT 3"))  # blank nodes named nodeID://...
    assert len(blank) == 3


def test_completeness_and_validation_on_virtuoso(pushed, virtuoso: Virtuoso, graph: GraphStore,
                                                  project_settings: Settings):
    remote = virtuoso.remote()
    assert completeness_json(completeness(remote, project_settings.queries_dir, "NL")) == \
        completeness_json(completeness(graph, project_settings.queries_dir, "NL"))
    assert len(remote.store) == len(graph.store)
    shapes = load_shapes(project_settings.shapes_dir)
    expected = {(r.source_shape, r.focus) for r in validate_store(graph.store, shapes).results}
    found = validate_store(remote.store, shapes).results
    # what differs is the time limits Virtuoso turned into seconds, and only that
    assert {(r.source_shape, r.focus) for r in found if r.path != f"{PG}timeLimit"} == expected


def test_the_server_over_virtuoso(pushed, virtuoso: Virtuoso, make_client):
    client = make_client(remote=RemoteConfig.for_url(virtuoso.sparql, auth=virtuoso.auth))
    answer = client.get("/sparql", params={"query": "ASK { ?s a pg:Regulation }"},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json() == {"head": {}, "boolean": True}
    articles = client.get("/api/queries/articles-of-act", params={"celex": "32024R1356", "format": "json"})
    assert articles.status_code == 200 and len(articles.json()["results"]["bindings"]) >= 10
    closed = ClosedPort()
    down = make_client(remote=dataclasses.replace(RemoteConfig.for_url(closed.url("/sparql")),
                                                  attempts=1))
    assert down.get("/api/queries/articles-of-act", params={"celex": "32024R1356"}).status_code == 502
