"""Repeated GETs of the published graph are answered in front of the app, exactly as the app
answered them; anything else goes through."""

from __future__ import annotations

import gzip

import pytest

from pactgraph.server.cache import AnswerCache

CELEX = ('PREFIX eli: <http://data.europa.eu/eli/ontology#> '
         'SELECT ?act WHERE { ?act eli:id_local "32024R1358" }')
ARTICLES = ('PREFIX eli: <http://data.europa.eu/eli/ontology#> PREFIX pg: <https://w3id.org/pactgraph/ontology#> '
            'SELECT ?article ?title WHERE { ?article a pg:Article ; eli:title ?title } ORDER BY ?article')
JSON = {"Accept": "application/sparql-results+json"}


def stop_the_app_answering(client) -> None:
    """No worker runs queries and the app keeps no answer: only the fast lane can still answer."""
    runtime = client.app.state.runtime
    runtime.published.close()
    runtime._answers = AnswerCache("another", 0)


@pytest.fixture()
def client(make_client):
    return make_client()


def test_a_repeated_get_is_answered_in_front_of_the_app_with_the_same_bytes(client):
    first = client.get("/sparql", params={"query": CELEX}, headers=JSON)
    stop_the_app_answering(client)
    again = client.get("/sparql", params={"query": CELEX}, headers=JSON)
    assert again.status_code == 200
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"] == first.headers["content-type"]


def test_a_kept_answer_honours_if_none_match(client):
    tag = client.get("/api/queries/acts").headers["etag"]
    stop_the_app_answering(client)
    again = client.get("/api/queries/acts", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""


def test_another_accept_header_is_another_request(client):
    client.get("/sparql", params={"query": CELEX}, headers=JSON)
    stop_the_app_answering(client)
    assert client.get("/sparql", params={"query": CELEX}, headers={"Accept": "text/csv"}).status_code >= 500


def test_a_cors_request_goes_through_the_app_and_gets_its_headers(client):
    client.get("/sparql", params={"query": CELEX}, headers=JSON)
    cors = client.get("/sparql", params={"query": CELEX}, headers={**JSON, "Origin": "https://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"


def test_head_of_a_kept_answer_has_no_body(client):
    first = client.get("/sparql", params={"query": CELEX}, headers=JSON)
    head = client.head("/sparql", params={"query": CELEX}, headers=JSON)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == first.headers["etag"]


def test_a_gzipped_answer_is_kept_gzipped_for_clients_that_accept_gzip(client):
    first = client.get("/sparql", params={"query": ARTICLES}, headers={**JSON, "Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    stop_the_app_answering(client)
    raw = client.get("/sparql", params={"query": ARTICLES}, headers={**JSON, "Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    assert raw.content == first.content  # httpx decodes both the same way
    plain = client.get("/sparql", params={"query": ARTICLES}, headers={**JSON, "Accept-Encoding": "identity"})
    assert plain.status_code >= 500  # never answered plain before: not kept


def test_an_error_is_not_kept(client):
    assert client.get("/sparql", params={"query": "SELECT ?x WHERE {"}, headers=JSON).status_code == 400
    assert client.get("/sparql", params={"query": "SELECT ?x WHERE {"}, headers=JSON).status_code == 400
    stop_the_app_answering(client)
    # Had the 400 been kept, the fast lane would send it again; the app can no longer answer.
    assert client.get("/sparql", params={"query": "SELECT ?x WHERE {"}, headers=JSON).status_code >= 500


def test_gzip_bytes_decode_to_the_plain_answer(client):
    import httpx

    base = client.get("/sparql", params={"query": ARTICLES}, headers={**JSON, "Accept-Encoding": "identity"}).content
    assert len(base) > 1024
    with client.stream("GET", "/sparql", params={"query": ARTICLES},
                       headers={**JSON, "Accept-Encoding": "gzip"}) as response:
        packed = b"".join(response.iter_raw())
    assert gzip.decompress(packed) == base
    assert isinstance(response, httpx.Response)
