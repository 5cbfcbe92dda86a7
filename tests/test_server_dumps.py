"""Dumps of the whole graph: every format, a strong ETag naming the build, 304, gzip."""

from __future__ import annotations

import gzip

import pytest
from pyoxigraph import RdfFormat, parse
from rdflib import Dataset, Graph

PLAIN = {"accept-encoding": "identity"}


@pytest.fixture(scope="module")
def client(make_client):
    return make_client()


@pytest.fixture(scope="module")
def build_name(project_settings, build_report):
    return project_settings.store.resolve().name


def test_nquads_dump_holds_every_quad(client, graph, build_name):
    response = client.get("/dump.nq", headers=PLAIN)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/n-quads")
    assert "content-encoding" not in response.headers
    assert len(list(parse(response.content, format=RdfFormat.N_QUADS))) == len(graph.store)
    assert response.headers["etag"] == f'"{build_name}.nq"'


def test_turtle_dump_is_the_union_and_jsonld_keeps_the_graphs(client, graph):
    turtle = Graph().parse(data=client.get("/dump.ttl", headers=PLAIN).text, format="turtle")
    distinct = graph.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert len(turtle) == int(next(iter(distinct))["n"].value)
    jsonld = Dataset().parse(data=client.get("/dump.jsonld", headers=PLAIN).text, format="json-ld")
    assert {str(g.identifier) for g in jsonld.graphs() if len(g)} >= {
        "https://w3id.org/pactgraph/graph/data", "https://w3id.org/pactgraph/graph/ontology"}


def test_gzip_when_the_client_accepts_it(client, build_name):
    plain = client.get("/dump.nq", headers=PLAIN)
    packed = client.get("/dump.nq", headers={"accept-encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.headers["etag"] == f'"{build_name}.nq.gz"'
    assert packed.content == plain.content  # httpx decoded it
    assert int(packed.headers["content-length"]) < len(plain.content) / 3
    assert "Accept-Encoding" in packed.headers["vary"]


def test_if_none_match_is_304(client, build_name):
    for tag in (f'"{build_name}.ttl"', f'"{build_name}.ttl.gz"', f'"other", "{build_name}.ttl"', "*"):
        response = client.get("/dump.ttl", headers={"if-none-match": tag})
        assert response.status_code == 304 and response.content == b"" and response.headers["etag"]
    assert client.get("/dump.ttl", headers={"if-none-match": '"an-older-build.ttl"'}).status_code == 200


def test_the_etag_is_strong_and_the_bytes_are_the_same_in_another_server(make_client, client):
    other = make_client()
    first, second = (c.get("/dump.nq", headers=PLAIN) for c in (client, other))
    assert not first.headers["etag"].startswith("W/")
    assert first.headers["etag"] == second.headers["etag"] and first.content == second.content


def test_api_dump_by_format(client, build_name):
    response = client.get("/api/dump", params={"format": "turtle"}, headers=PLAIN)
    assert response.headers["etag"] == f'"{build_name}.ttl"' and response.headers["content-type"].startswith("text/turtle")
    assert client.get("/api/dump", params={"format": "yaml"}).status_code == 422


def test_large_responses_are_gzipped(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 500"},
                          headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip" and len(response.json()["results"]["bindings"]) == 500


def test_head_of_a_dump(client, build_name):
    response = client.head("/dump.nq", headers=PLAIN)
    assert response.status_code == 200 and response.headers["etag"] == f'"{build_name}.nq"' and response.content == b""


def test_the_gzipped_dump_is_a_valid_gzip_file(client):
    with client.stream("GET", "/dump.nq", headers={"accept-encoding": "gzip"}) as response:  # raw: not decoded
        raw = b"".join(response.iter_raw())
    assert gzip.decompress(raw).startswith(b"<")
