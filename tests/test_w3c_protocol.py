"""The W3C SPARQL 1.1 Protocol tests (tests/w3c/protocol/manifest.ttl), run against real
servers (``pactgraph serve`` in a uvicorn process).

Each test is one or more HTTP requests with the expected status class, result format and
boolean. The query tests run twice: against a read-only server over the project's graph with
the tests' data added as named graphs, and against a server with --allow-update on a scratch
store (the tests' data put in first with the Graph Store Protocol). The update tests run
against the second, every request carrying the bearer token, so that each 4xx a "bad" test
expects comes from the protocol checks, never from authentication.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest
from pyoxigraph import NamedNode, Quad, QueryBoolean, QueryResultsFormat, RdfFormat, Store, parse, parse_query_results
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from .w3c_support import MF, SUITE, local, manifest, ntriples, updatable_server

HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-protocol"
AUTH = {"authorization": f"Bearer {TOKEN}"}
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml", "application/json", "application/xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "application/json", "application/xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"},
}
RESULT_FORMATS = {"application/sparql-results+json": QueryResultsFormat.JSON, "application/json": QueryResultsFormat.JSON,
                  "application/sparql-results+xml": QueryResultsFormat.XML, "application/xml": QueryResultsFormat.XML}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # "2", "3", "4", "5"
    boolean: bool | None
    format: str | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    graphs: tuple[tuple[str, str], ...]  # (data file IRI, graph name)
    requests: tuple[Request, ...] = field(default_factory=tuple)


def _tests() -> list[ProtocolTest]:
    graph, entries = manifest("protocol")
    tests = []
    for entry in entries:
        assert graph.value(entry, RDF.type) == MF.ProtocolTest
        data = tuple((str(graph.value(d, UT.graph)), str(graph.value(d, RDFS.label)))
                     for d in graph.objects(entry, UT.graphData))
        action = graph.value(entry, MF.action)
        requests = []
        for node in Collection(graph, graph.value(action, HT.requests)):
            headers = {}
            listed = graph.value(node, HT.headers)
            for header in Collection(graph, listed) if listed is not None else []:
                headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
            body_node = graph.value(node, HT.body)
            body = None
            if body_node is not None:
                encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(body_node, CNT.chars)).encode(encoding)
            response = graph.value(node, HT.resp)
            statuses = frozenset(str(s).rsplit("StatusCode", 1)[1][0] for s in graph.objects(response, MF.expectedStatus))
            boolean = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            requests.append(Request(str(graph.value(node, HT.methodName)), str(graph.value(node, HT.absolutePath)),
                                    headers, body, statuses, None if boolean is None else boolean.toPython(),
                                    None if fmt is None else str(fmt)))
        tests.append(ProtocolTest(str(entry).rsplit("#", 1)[1], data, tuple(requests)))
    return tests


TESTS = _tests()
QUERY_TESTS = [t for t in TESTS if not t.name.startswith("update_")]


@pytest.fixture(scope="module")
def read_only(live_server, graph, tmp_path_factory):
    """A read-only server over a store holding the project's graph and the protocol tests' data."""
    path = tmp_path_factory.mktemp("w3c-protocol") / "store"
    store = Store(str(path))
    store.bulk_extend(graph.store.quads_for_pattern(None, None, None, None))
    for test in TESTS:
        for iri, name in test.graphs:
            store.bulk_extend(Quad(t.subject, t.predicate, t.object, NamedNode(name))
                              for t in parse(ntriples(iri), format=RdfFormat.N_TRIPLES))
    store.flush()
    del store
    with httpx.Client(base_url=live_server(store=path), timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def writable(live_server, tmp_path_factory):
    with updatable_server(live_server, tmp_path_factory.mktemp("w3c-protocol-scratch") / "store", TOKEN, 30) as client:
        yield client


def endpoint(path: str) -> str:
    """The manifest's paths start with /sparql/; ours is /sparql."""
    assert path.startswith("/sparql/"), path
    return "/sparql" + path[len("/sparql/"):]


def perform(client: httpx.Client, test: ProtocolTest, extra_headers: dict[str, str]) -> None:
    for request in test.requests:
        response = client.request(request.method, endpoint(request.path), content=request.body,
                                  headers={**request.headers, **extra_headers})
        status = str(response.status_code)[0]
        assert status in request.statuses, f"{request.method} {request.path}: {response.status_code} {response.text}"
        if status == "4":
            assert "Traceback" not in response.text and response.text.strip()
            if extra_headers:
                assert response.status_code not in (401, 403), response.text  # a protocol error, not the token
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if request.format is not None:
            assert media in FORMATS[request.format], media
        if request.boolean is not None:
            result = parse_query_results(response.content, format=RESULT_FORMATS[media])
            assert isinstance(result, QueryBoolean) and bool(result) is request.boolean


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_w3c_protocol_read_only(read_only, test):
    perform(read_only, test, {})


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_w3c_protocol_with_updates(writable, test):
    response = writable.post("/update", content="DROP ALL", headers={"content-type": "application/sparql-update", **AUTH})
    assert response.status_code == 204
    for iri, name in test.graphs:
        put = writable.put("/store", params={"graph": name}, content=ntriples(iri),
                           headers={"content-type": "application/n-triples", **AUTH})
        assert put.status_code == 201
    perform(writable, test, AUTH)


def test_every_protocol_test_runs():
    assert len(TESTS) == 34 and len(QUERY_TESTS) == 27
    assert all((SUITE / "protocol" / f"data{n}.nt").exists() for n in (1, 2, 3))
    assert local("http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/data1.nt").exists()


def test_the_read_only_server_refuses_the_update_tests(read_only):
    update = next(t for t in TESTS if t.name == "update_post_form")
    response = read_only.post("/sparql", content=update.requests[0].body, headers=update.requests[0].headers)
    assert response.status_code == 403 and "read-only" in response.text


def test_the_manifest_is_read_whole():
    graph = Graph().parse(SUITE / "protocol" / "manifest.ttl", format="turtle")
    assert len(set(graph.subjects(RDF.type, MF.ProtocolTest))) == len(TESTS)
