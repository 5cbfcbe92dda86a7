"""The W3C SPARQL 1.1 query-evaluation tests (tests/w3c/, every folder but protocol/), run
through HTTP against a real server: each test's data is put into the scratch store with the
Graph Store Protocol, its query is POSTed to /sparql, and the answer is compared with the
expected one (solutions as multisets, in order where the query orders; graphs isomorphic).

No test is skipped. The ones that fail because of the engine (Oxigraph) are listed in
EXPECTED_FAILURES with the reason; they run as strict xfails, so the list stays accurate: a
test that starts passing fails the suite until it is taken off the list.
"""

from __future__ import annotations

import re

import httpx
import pytest
from pyoxigraph import QueryResultsFormat, parse_query_results
from rdflib import RDF, Graph
from rdflib.compare import isomorphic

from .w3c_support import (BASE, MF, QT, SUITE, Solutions, describe, expected_results, local, manifest, ntriples,
                          run_directly, same_solutions, solutions_from_pyoxigraph, updatable_server)

TOKEN = "w3c-query-evaluation"
AUTH = {"authorization": f"Bearer {TOKEN}"}
FOLDERS = sorted(p.name for p in SUITE.iterdir() if p.is_dir() and p.name != "protocol")

_ZERO_LENGTH = ("a zero-length path (p* or p?) with a constant end that is not in the data: Oxigraph 0.5 "
                "finds nothing, the test expects the constant itself")
#: Tests that fail because of the engine (Oxigraph 0.5.13), not the HTTP layer: test id ->
#: why. Each runs as a strict xfail (a fixed one fails the suite until it leaves the list), and
#: test_expected_failures_are_the_engines_own checks that Oxigraph run in process, without the
#: server, gives the very answer the server gave.
EXPECTED_FAILURES: dict[str, str] = {
    "aggregates/manifest#agg-groupconcat-04": "GROUP_CONCAT keeps a language tag its values share ('1 2'@en); "
                                              "the test expects a simple literal",
    "aggregates/manifest#agg-groupconcat-06": "GROUP_CONCAT keeps the language tag of its one value ('1'@en); "
                                              "the test expects a simple literal",
    "aggregates/manifest#agg-empty-group-count-graph": "a sub-SELECT with COUNT inside GRAPH ?g: one row with ?g unbound "
                                                       "instead of one count per graph (0 included)",
    "bindings/manifest#graph": "VALUES inside GRAPH ?g that binds ?g too: the UNDEF row is not joined with each graph name",
    "functions/manifest#bnode01": "BNODE(str) gives the same blank node for the same string in different solutions; "
                                  "the test expects a new one per solution",
    "negation/manifest#graph-minus": "MINUS inside GRAPH ?g takes the outer ?g as shared by both sides and removes :a; "
                                     "the test expects sides that share no variable of their own to stay disjoint",
    "property-path/manifest#zero_or_more_set_start": _ZERO_LENGTH,
    "property-path/manifest#zero_or_more_set_end": _ZERO_LENGTH,
    "property-path/manifest#zero_or_one_set_start": _ZERO_LENGTH,
    "property-path/manifest#zero_or_one_set_end": _ZERO_LENGTH,
}


def _cases() -> list:
    cases = []
    for folder in FOLDERS:
        graph, entries = manifest(folder)
        for entry in entries:
            kind = graph.value(entry, RDF.type)
            name = str(entry)[len(BASE):]
            marks = []
            if name in EXPECTED_FAILURES:
                marks.append(pytest.mark.xfail(reason=EXPECTED_FAILURES[name], strict=True))
            cases.append(pytest.param(graph, entry, kind, id=name, marks=marks))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def server(live_server, tmp_path_factory):
    with updatable_server(live_server, tmp_path_factory.mktemp("w3c-scratch") / "store", TOKEN, 60) as client:
        yield client


def load(client: httpx.Client, default: list[str], named: list[str]) -> None:
    """Empty the scratch store, then put the test's data in (default graph, named graphs)."""
    response = client.post("/update", content="DROP ALL", headers={"content-type": "application/sparql-update", **AUTH})
    assert response.status_code == 204, response.text
    for index, iri in enumerate(default):
        put = client.request("PUT" if index == 0 else "POST", "/store?default", content=ntriples(iri),
                             headers={"content-type": "application/n-triples", **AUTH})
        assert put.status_code in (201, 204), put.text
    for iri in named:
        put = client.put("/store", params={"graph": iri}, content=ntriples(iri),
                         headers={"content-type": "application/n-triples", **AUTH})
        assert put.status_code in (201, 204), put.text


def with_base(text: str, iri: str) -> str:
    """The query with its own IRI as base (a file's base is where it was read from)."""
    return text if re.search(r"^\s*BASE\s", text, re.IGNORECASE | re.MULTILINE) else f"BASE <{iri}>\n{text}"


def through_http(client: httpx.Client, manifest_graph: Graph, entry) -> tuple[bool | Solutions | Graph, bool]:
    """Load the test's data, POST its query; the answer, and whether the query orders it."""
    action = manifest_graph.value(entry, MF.action)
    query = str(manifest_graph.value(action, QT.query))
    load(client, [str(d) for d in manifest_graph.objects(action, QT.data)],
         [str(g) for g in manifest_graph.objects(action, QT.graphData)])
    text = with_base(local(query).read_text(encoding="utf-8"), query)
    response = client.post("/sparql", content=text.encode("utf-8"), headers={
        "content-type": "application/sparql-query", "accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    assert response.status_code == 200, response.text
    assert "x-sparql-maxrows" not in response.headers
    ordered = re.search(r"ORDER\s+BY", text, re.IGNORECASE) is not None
    if response.headers["content-type"].startswith("application/n-triples"):
        return Graph().parse(data=response.text, format="nt"), ordered
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    return solutions_from_pyoxigraph(parse_query_results(response.content, format=QueryResultsFormat.JSON)), ordered


def same(expected: bool | Solutions | Graph, actual: bool | Solutions | Graph, ordered: bool) -> bool:
    if isinstance(expected, Graph):
        return isinstance(actual, Graph) and isomorphic(expected, actual)
    if isinstance(expected, bool):
        return actual is expected
    return isinstance(actual, Solutions) and same_solutions(expected, actual, ordered=ordered)


@pytest.mark.parametrize("manifest_graph, entry, kind", CASES)
def test_w3c_query_evaluation(server, manifest_graph, entry, kind):
    if kind == MF.NegativeSyntaxTest11:
        query = str(manifest_graph.value(entry, MF.action))
        response = server.post("/sparql", content=local(query).read_bytes(),
                               headers={"content-type": "application/sparql-query"})
        assert response.status_code == 400, response.text
        assert "not valid SPARQL" in response.text
        return
    assert kind == MF.QueryEvaluationTest, kind
    actual, ordered = through_http(server, manifest_graph, entry)
    expected = expected_results(str(manifest_graph.value(entry, MF.result)))
    assert same(expected, actual, ordered), f"expected {describe(expected)}\nactual {describe(actual)}"


@pytest.mark.parametrize("name", sorted(EXPECTED_FAILURES))
def test_expected_failures_are_the_engines_own(server, name):
    """Oxigraph in process, without the server, answers what the server answered: the failure
    is the engine's, and the HTTP layer passes results on unchanged."""
    [case] = [c for c in CASES if c.id == name]
    manifest_graph, entry, _ = case.values
    actual, ordered = through_http(server, manifest_graph, entry)
    direct = run_directly(manifest_graph, entry)
    expected = expected_results(str(manifest_graph.value(entry, MF.result)))
    assert same(direct, actual, ordered=False) and not same(expected, direct, ordered)


def test_the_expected_failures_name_real_tests():
    names = {case.id for case in CASES}
    assert set(EXPECTED_FAILURES) <= names, set(EXPECTED_FAILURES) - names
    assert len(CASES) == 234
