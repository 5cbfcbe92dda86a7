"""Writing: read-only by default; with --allow-update, SPARQL Update and the Graph Store
Protocol on a scratch store, for holders of the bearer token, never on the published build."""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

TOKEN = "correct horse battery staple"
AUTH = {"authorization": f"Bearer {TOKEN}"}
UPDATE = {"content-type": "application/sparql-update", **AUTH}
TURTLE = "@prefix ex: <http://example.org/> . ex:a ex:p 1 , 2 . ex:b ex:q ex:a ."
GRAPH = "http://example.org/graph/one"


@pytest.fixture(scope="module")
def read_only(make_client):
    return make_client()


@pytest.fixture(scope="module")
def scratch_path(tmp_path_factory):
    return tmp_path_factory.mktemp("scratch") / "store"


@pytest.fixture(scope="module")
def writable(make_client, scratch_path):
    return make_client(allow_update=True, update_token=TOKEN, scratch_path=scratch_path, query_timeout=2.0)


def ask(client, query: str) -> bool:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


# --- read-only by default ---------------------------------------------------------------------

def test_a_read_only_server_refuses_updates_with_a_message(read_only):
    by_endpoint = read_only.post("/update", content="CLEAR ALL", headers=UPDATE)
    by_sparql = read_only.post("/sparql", data={"update": "CLEAR ALL"}, headers=AUTH)
    assert by_endpoint.status_code == 403 and by_sparql.status_code == 403 and "--allow-update" in by_endpoint.text
    for method in ("put", "post", "delete"):
        response = getattr(read_only, method)("/store", params={"graph": GRAPH}, headers=AUTH,
                                              **({"content": TURTLE} if method != "delete" else {}))
        assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD" and "read-only" in response.text


def test_a_read_only_server_still_reads_graphs(read_only):
    response = read_only.get("/store", params={"graph": "https://w3id.org/pactgraph/graph/build"},
                             headers={"accept": "application/n-triples"})
    assert response.status_code == 200 and len(response.text.splitlines()) > 10
    assert read_only.head("/store", params={"graph": "https://example.org/none"}).status_code == 404


# --- the bearer token ---------------------------------------------------------------------------

def test_an_update_without_the_token_is_401_and_with_a_wrong_one_403(writable):
    missing = writable.post("/update", content="CLEAR ALL", headers={"content-type": "application/sparql-update"})
    wrong = writable.post("/update", content="CLEAR ALL", headers={"content-type": "application/sparql-update",
                                                                   "authorization": "Bearer guess"})
    basic = writable.post("/update", content="CLEAR ALL", headers={"content-type": "application/sparql-update",
                                                                   "authorization": "Basic dXNlcjpwYXNz"})
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    assert wrong.status_code == 403 and basic.status_code == 401
    put = writable.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"content-type": "text/turtle"})
    assert put.status_code == 401


# --- SPARQL Update on the scratch store -------------------------------------------------------------

def test_updates_reach_the_scratch_store_and_never_the_build(writable, graph, scratch_path):
    insert = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> <http://example.org/p> 'x' } }"
    assert writable.post("/update", content=insert, headers=UPDATE).status_code == 204
    assert ask(writable, "ASK { GRAPH <http://example.org/g> { <http://example.org/s> ?p 'x' } }")
    assert not graph.store.contains_named_graph(__import__("pyoxigraph").NamedNode("http://example.org/g"))
    assert scratch_path.exists()


def test_update_by_form_at_the_sparql_endpoint(writable):
    form = writable.post("/sparql", data={"update": "INSERT DATA { <http://example.org/form> <http://example.org/p> 1 }"},
                         headers=AUTH)
    assert form.status_code == 204 and ask(writable, "ASK { <http://example.org/form> ?p 1 }")


def test_the_scratch_store_has_its_own_default_graph(writable):
    writable.post("/update", content="INSERT DATA { GRAPH <http://example.org/h> { <http://example.org/only-named> <http://example.org/p> 1 } }",
                  headers=UPDATE)
    assert not ask(writable, "ASK { <http://example.org/only-named> ?p ?o }")


def test_using_graph_uri_and_its_conflict_with_with(writable):
    setup = ("DROP SILENT GRAPH <http://example.org/src> ; DROP SILENT GRAPH <http://example.org/dst> ; "
             "INSERT DATA { GRAPH <http://example.org/src> { <http://example.org/d> a <http://example.org/Doc> } }")
    assert writable.post("/update", content=setup, headers=UPDATE).status_code == 204
    copy = "INSERT { GRAPH <http://example.org/dst> { ?s a <http://example.org/Copied> } } WHERE { ?s a <http://example.org/Doc> }"
    response = writable.post("/update?using-graph-uri=http%3A%2F%2Fexample.org%2Fsrc", content=copy, headers=UPDATE)
    assert response.status_code == 204
    assert ask(writable, "ASK { GRAPH <http://example.org/dst> { <http://example.org/d> a <http://example.org/Copied> } }")
    conflict = writable.post("/update?using-graph-uri=http%3A%2F%2Fexample.org%2Fsrc",
                             content="WITH <http://example.org/src> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", headers=UPDATE)
    assert conflict.status_code == 400 and "WITH" in conflict.text


def test_relative_iris_resolve_against_the_endpoint(writable):
    writable.post("/update", content="INSERT DATA { GRAPH <http://example.org/base> { <http://example.org/s> <http://example.org/p> <rel> } }",
                  headers=UPDATE)
    response = writable.get("/sparql", params={"query": "SELECT ?o WHERE { GRAPH <http://example.org/base> { ?s ?p ?o } }"})
    assert response.json()["results"]["bindings"][0]["o"]["value"] == "http://testserver/rel"


def test_update_errors(writable):
    syntax = writable.post("/update", content="CLEAR XYZ", headers=UPDATE)
    query_at_update = writable.post("/update", content="ASK {}", headers={"content-type": "application/sparql-query", **AUTH})
    get_update = writable.get("/update", params={"update": "CLEAR ALL"})
    assert syntax.status_code == 400 and "not valid SPARQL" in syntax.text
    assert query_at_update.status_code == 400 and get_update.status_code == 405


def test_a_stopped_scratch_worker_keeps_the_data(writable):
    writable.post("/update", content="INSERT DATA { <http://example.org/kept> <http://example.org/p> 1 }", headers=UPDATE)
    endless = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"VALUES ?v{i} {{ 1 2 3 4 5 6 7 8 9 10 }}" for i in range(12)) + " }"
    stopped = writable.get("/sparql", params={"query": endless})
    assert stopped.status_code == 503
    for _ in range(50):  # the replacement worker opens the store in the background
        response = writable.get("/sparql", params={"query": "ASK { <http://example.org/kept> ?p 1 }"})
        if response.status_code == 200:
            break
    assert response.json()["boolean"] is True


def test_the_service_description_says_updates_are_served(writable):
    from rdflib import Namespace

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    description = Graph().parse(data=writable.get("/sparql").text, format="turtle")
    assert (None, sd.supportedLanguage, sd.SPARQL11Update) in description
    assert (None, sd.feature, sd.UnionDefaultGraph) not in description


# --- the Graph Store Protocol ------------------------------------------------------------------------

def test_graph_store_put_get_post_head_delete(writable):
    created = writable.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
    replaced = writable.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
    assert (created.status_code, replaced.status_code) == (201, 204)
    got = writable.get("/store", params={"graph": GRAPH})
    assert got.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=got.text, format="turtle"), Graph().parse(data=TURTLE, format="turtle"))
    merged = writable.post("/store", params={"graph": GRAPH}, content="<http://example.org/c> <http://example.org/r> \"3\" .",
                           headers={"content-type": "application/n-triples", **AUTH})
    assert merged.status_code == 204
    as_nt = writable.get("/store", params={"graph": GRAPH}, headers={"accept": "application/n-triples"})
    assert len(as_nt.text.splitlines()) == 4
    assert writable.head("/store", params={"graph": GRAPH}).status_code == 200
    assert writable.delete("/store", params={"graph": GRAPH}, headers=AUTH).status_code == 204
    assert writable.get("/store", params={"graph": GRAPH}).status_code == 404
    assert writable.delete("/store", params={"graph": GRAPH}, headers=AUTH).status_code == 404


def test_graph_store_default_graph(writable):
    assert writable.put("/store?default", content=TURTLE, headers={"content-type": "text/turtle", **AUTH}).status_code in (201, 204)
    got = writable.get("/store?default", headers={"accept": "application/n-triples"})
    assert len(got.text.splitlines()) == 3
    assert ask(writable, "ASK { <http://example.org/b> <http://example.org/q> <http://example.org/a> }")


def test_graph_store_errors(writable):
    neither = writable.get("/store")
    both = writable.get("/store", params={"graph": GRAPH, "default": ""})
    bad_body = writable.put("/store", params={"graph": GRAPH}, content="not turtle {", headers={"content-type": "text/turtle", **AUTH})
    bad_type = writable.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={"content-type": "text/plain", **AUTH})
    bad_iri = writable.get("/store", params={"graph": "no iri"})
    assert [r.status_code for r in (neither, both, bad_body, bad_type, bad_iri)] == [400, 400, 400, 415, 400]


def test_a_post_to_the_store_itself_creates_a_graph_readable_at_its_location(writable):
    created = writable.post("/store", content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
    assert created.status_code == 201
    location = created.headers["location"]
    assert "/store/graphs/" in location
    at_location = writable.get(location.removeprefix(str(writable.base_url)), headers={"accept": "application/n-triples"})
    assert at_location.status_code == 200 and len(at_location.text.splitlines()) == 3
    by_param = writable.get("/store", params={"graph": location}, headers={"accept": "application/n-triples"})
    assert by_param.text == at_location.text
    another = writable.post("/store", content=TURTLE, headers={"content-type": "text/turtle", **AUTH})
    assert another.headers["location"] != location
    assert writable.post("/store", content=TURTLE, headers={"content-type": "text/turtle"}).status_code == 401


def test_a_multipart_post_merges_every_part_into_the_graph(writable):
    target = "http://example.org/graph/multipart"
    files = [("one", ("a.ttl", TURTLE.encode(), "text/turtle")),
             ("two", ("b.nt", b'<http://example.org/c> <http://example.org/r> "3" .\n', "application/octet-stream"))]
    merged = writable.post("/store", params={"graph": target}, files=files, headers=AUTH)
    assert merged.status_code == 201
    got = writable.get("/store", params={"graph": target}, headers={"accept": "application/n-triples"})
    assert len(got.text.splitlines()) == 4


def test_a_bad_part_of_a_multipart_post_writes_nothing(writable):
    target = "http://example.org/graph/multipart-bad"
    files = [("one", ("a.ttl", TURTLE.encode(), "text/turtle")), ("two", ("b.ttl", b"not turtle {", "text/turtle"))]
    refused = writable.post("/store", params={"graph": target}, files=files, headers=AUTH)
    assert refused.status_code == 400 and "part 2" in refused.text
    assert writable.get("/store", params={"graph": target}).status_code == 404
    untyped = writable.post("/store", params={"graph": target}, files=[("x", ("notes.txt", b"hello", "text/plain"))],
                            headers=AUTH)
    assert untyped.status_code == 415 and "notes.txt" in untyped.text
