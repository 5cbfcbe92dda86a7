"""Answers of the published build are kept and validated by ETag; nothing that may change is."""

from __future__ import annotations

import pytest

from pactgraph.server.cache import AnswerCache, CacheKey, is_stable, matches
from pactgraph.server.jobs import Answer

CELEX = ('PREFIX eli: <http://data.europa.eu/eli/ontology#> '
         'SELECT ?act WHERE { ?act eli:id_local "32024R1358" }')
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def client(make_client):
    return make_client()


def test_a_query_of_the_published_graph_carries_a_weak_etag_naming_the_build(client, build_report):
    response = client.get("/sparql", params={"query": CELEX}, headers=JSON)
    assert response.status_code == 200
    tag = response.headers["etag"]
    assert tag.startswith('W/"') and build_report.store.resolve().name in tag
    assert response.headers["cache-control"] == "no-cache"


def test_if_none_match_with_the_tag_gets_304_without_a_body(client):
    tag = client.get("/sparql", params={"query": CELEX}, headers=JSON).headers["etag"]
    again = client.get("/sparql", params={"query": CELEX}, headers={**JSON, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag


def test_another_format_or_parameter_gets_another_tag(client):
    json_tag = client.get("/sparql", params={"query": CELEX}, headers=JSON).headers["etag"]
    csv = client.get("/sparql", params={"query": CELEX}, headers={"Accept": "text/csv", "If-None-Match": json_tag})
    assert csv.status_code == 200 and csv.headers["etag"] != json_tag
    nl = client.get("/api/queries/obligations-of-member-state", params={"memberState": "NL"})
    de = client.get("/api/queries/obligations-of-member-state", params={"memberState": "DE"})
    assert nl.headers["etag"] != de.headers["etag"]
    assert client.get("/api/queries/obligations-of-member-state", params={"memberState": "NL"},
                      headers={"If-None-Match": nl.headers["etag"]}).status_code == 304


def test_a_kept_answer_is_served_without_a_worker(make_client):
    client = make_client()
    first = client.get("/sparql", params={"query": CELEX}, headers=JSON)
    client.app.state.runtime.published.close()  # no worker answers any more
    kept = client.get("/sparql", params={"query": CELEX}, headers=JSON)
    assert kept.status_code == 200 and kept.content == first.content
    fresh = client.get("/sparql", params={"query": CELEX + " LIMIT 1"}, headers=JSON)
    assert fresh.status_code >= 500


@pytest.mark.parametrize("query", [
    "SELECT (NOW() AS ?now) WHERE {}",
    "SELECT (STRUUID() AS ?id) WHERE {}",
    "SELECT * WHERE { SERVICE <https://publications.europa.eu/webapi/rdf/sparql> { ?s ?p ?o } } LIMIT 1",
])
def test_answers_that_may_change_carry_no_etag(client, query):
    response = client.get("/sparql", params={"query": query}, headers=JSON)
    assert "etag" not in response.headers


def test_the_scratch_store_answers_carry_no_etag(make_client):
    client = make_client(allow_update=True, update_token="secret")
    response = client.get("/sparql", params={"query": "ASK {}"}, headers=JSON)
    assert response.status_code == 200 and "etag" not in response.headers


def test_a_zero_cache_keeps_nothing(make_client):
    client = make_client(cache_bytes=0)
    assert "etag" not in client.get("/sparql", params={"query": CELEX}, headers=JSON).headers


def test_the_cache_forgets_the_least_recently_used_answer_first():
    cache = AnswerCache("build", max_bytes=100)
    for name in "abc":
        cache.put(name, Answer("text/plain", b"x" * 9))
    cache.get("a")
    for name in "defghijklm":
        cache.put(name, Answer("text/plain", b"x" * 9))
    assert cache.get("a") is not None and cache.get("b") is None
    assert sum(len(cache.get(k).body) for k in "abcdefghijklm" if cache.get(k)) <= 100


def test_an_answer_over_a_tenth_of_the_bound_is_not_kept():
    cache = AnswerCache("build", max_bytes=100)
    cache.put("big", Answer("text/plain", b"x" * 11))
    assert cache.get("big") is None


def test_tags_differ_per_build_and_per_request():
    key = CacheKey("ASK {}", None, "application/sparql-results+json", None, 10)
    assert AnswerCache("b1", 10).tag(key.digest()) != AnswerCache("b2", 10).tag(key.digest())
    assert key.digest() != CacheKey("ASK {}", None, "text/csv", None, 10).digest()


@pytest.mark.parametrize("header, expected", [
    ('W/"b-1"', True), ('"b-1"', True), ('"x", W/"b-1"', True), ("*", True), ('W/"b-2"', False), (None, False)])
def test_if_none_match_compares_weakly(header, expected):
    assert matches(header, 'W/"b-1"') is expected


@pytest.mark.parametrize("text, stable", [
    ("SELECT * WHERE { ?s ?p ?o }", True), ("select (rand() as ?r) {}", False), ("SELECT (BNODE() AS ?b) {}", False),
    ("SELECT * { service <http://x> { ?s ?p ?o } }", False), ("SELECT ?nowhere { ?nowhere ?p ?o }", True)])
def test_which_queries_are_stable(text, stable):
    assert is_stable(text) is stable
