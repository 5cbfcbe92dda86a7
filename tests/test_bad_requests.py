"""Requests meant to hurt: malformed, huge, deeply nested, endless, smuggling a SERVICE call,
writing without the token, climbing out of a URL, injecting HTML, or malformed at the HTTP
level. Each gets a 4xx (or a 503 for work stopped by the timeout) with a message, never a
stack trace, a crash or a leak, and the server goes on serving.

``test_server_protocol.py``, ``test_server_limits.py``, ``test_server_update.py`` and
``test_api.py`` hold the plain cases (a syntax error, a body over the cap, an endless query,
a missing token, a query name with ``..``); these are the harder ones.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest

from .conftest import PROJECT, require_program

TOKEN = "a long and correct bearer token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
#: Text that only a leaked file could put into a response.
LEAKS = ("[build-system]", "[project]", 'name = "pactgraph"', "root:x:0:0", "root:*:0:0")
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def client(make_client):
    """A server with one worker, so that its pid tells whether it survived a request."""
    return make_client(workers=1)


@pytest.fixture(scope="module")
def quick(make_client):
    """A server whose queries may run one second."""
    return make_client(query_timeout=1.0, workers=1)


@pytest.fixture(scope="module")
def small(make_client):
    """A server that accepts request bodies of at most 4 KiB."""
    return make_client(max_request_bytes=4096, workers=1)


@pytest.fixture(scope="module")
def writable(make_client, tmp_path_factory):
    return make_client(allow_update=True, update_token=TOKEN, scratch_path=tmp_path_factory.mktemp("scratch") / "store",
                       query_timeout=5.0, workers=1)


@pytest.fixture(scope="module")
def live(live_server) -> str:
    """A real server (uvicorn), for what only reaches the app through a real HTTP parser."""
    return live_server("--workers", "1")


def fresh(query: str = 'ASK { ?act eli:id_local "32024R1358" }') -> str:
    """``query`` made unique, so that no cache can answer it and it reaches a worker."""
    return query.replace("{", f'{{ VALUES ?nonce {{ "{uuid.uuid4()}" }} ', 1)


def worker_pids(client) -> set[int]:
    return {w.process.pid for w in client.app.state.runtime.published._all}


def serves(client) -> bool:
    """Whether the server answers a fresh query; a worker replaced after a timeout may need a
    moment to open the store, and meanwhile the server says it is busy (503)."""
    for _ in range(60):
        response = client.get("/sparql", params={"query": fresh()})
        if response.status_code != 503:
            return response.status_code == 200 and response.json()["boolean"] is True
    return False


def no_trace(response) -> bool:
    return "Traceback (most recent call last)" not in response.text


def raw(url: str, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (no client library tidies them) and read the status and body.

    The status is 0 when the server closed the connection without an answer (it may refuse a
    request it will not read to the end, and the unread rest then resets the connection).
    """
    parts = urlsplit(url)
    data = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        try:
            connection.sendall(request)
            while chunk := connection.recv(65536):
                data += chunk
        except (BrokenPipeError, ConnectionResetError):
            pass
    if not data:
        return 0, b""
    status_line = data.split(b"\r\n", 1)[0]
    return int(status_line.split(b" ")[1]), data.partition(b"\r\n\r\n")[2]


def get_raw(url: str, target: bytes, headers: bytes = b"") -> tuple[int, bytes]:
    return raw(url, b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + headers + b"\r\n")


# --- malformed queries: 400 saying where ---------------------------------------------------------

@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s ?p "unterminated }',
    "SELECT * WHERE { ?s ?p ?o } }",
    "SELECT * WHERE { <http://example.org/a b> ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o > ) }",
    "SELECT (COUNT(?s) AS) WHERE { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }",
    "ASK { ?s ?p ?o } LIMIT banana",
    "SELECT * WHERE { ?s ?p ?o } GROUP",
], ids=["unterminated-string", "extra-brace", "space-in-iri", "half-expression", "as-without-variable",
        "construct-pair", "limit-word", "group-without-by"])
def test_a_malformed_query_is_400_naming_the_line_and_column(client, query):
    by_get = client.get("/sparql", params={"query": query})
    by_form = client.post("/sparql", data={"query": query})
    for response in (by_get, by_form):
        assert response.status_code == 400, response.text
        assert "not valid SPARQL" in response.text and re.search(r"\b1:\d+\b", response.text), response.text
        assert no_trace(response)


def test_an_unknown_prefix_is_400_not_a_trace(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:thing ?o }"})
    assert response.status_code == 400 and no_trace(response)
    assert "prefix not found" in response.text.lower() and "1:31" in response.text


# --- huge: 413 over the request cap, 4xx over the HTTP parser's limits -------------------------

@pytest.mark.parametrize("method, path, headers, body", [
    ("post", "/sparql", {"content-type": "application/x-www-form-urlencoded"}, "query=" + "ASK%20%7B%7D" + "%20" * 5000),
    ("post", "/update", {"content-type": "application/sparql-update", **AUTH}, "CLEAR ALL" + " " * 5000),
    ("post", "/api/validate", {"content-type": "text/turtle"}, "# shapes\n" * 1000),
    ("put", "/store?graph=http://example.org/g", {"content-type": "text/turtle", **AUTH}, "# triples\n" * 1000),
], ids=["sparql-form", "update", "validate", "graph-store"])
def test_a_body_over_the_cap_is_413_on_every_endpoint_that_reads_one(small, method, path, headers, body):
    response = getattr(small, method)(path, content=body, headers=headers)
    assert response.status_code == 413 and "4096 bytes" in response.text


def test_a_url_longer_than_the_http_parser_takes_is_refused_and_the_server_goes_on(live):
    status, _ = get_raw(live, b"/sparql?query=ASK%20%7B%7D" + b"%20" * 400_000)
    assert status == 0 or 400 <= status < 500
    assert get_raw(live, b"/sparql?query=ASK%20%7B%7D")[0] == 200


def test_a_megabyte_of_headers_is_answered_or_refused_and_the_server_goes_on(live):
    """uvicorn's HTTP parser (h11) takes headers this large when they arrive whole; whichever it
    does, the answer is no 5xx and the server stays up."""
    status, _ = get_raw(live, b"/sparql?query=ASK%20%7B%7D", b"X-Padding: " + b"a" * 1_200_000 + b"\r\n")
    assert status == 0 or 200 <= status < 500
    many, _ = get_raw(live, b"/sparql?query=ASK%20%7B%7D", b"".join(b"X-H%d: v\r\n" % i for i in range(100_000)))
    assert many == 0 or 200 <= many < 500
    assert get_raw(live, b"/sparql?query=ASK%20%7B%7D")[0] == 200


def test_a_very_long_accept_header_is_read_without_trouble(client):
    accept = ", ".join(f"application/x-nothing-{i};q=0.{i % 9 + 1}" for i in range(20_000)) + ", text/csv;q=0.1"
    response = client.get("/sparql", params={"query": fresh()}, headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")


def test_a_very_long_if_none_match_on_a_dump_is_read_without_trouble(client):
    response = client.head("/dump.nq", headers={"if-none-match": ", ".join(f'"tag-{i}"' for i in range(50_000))})
    assert response.status_code == 200


# --- deeply nested: refused before the parser overflows its stack ------------------------------

NESTED = {
    "groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "parentheses": "ASK { FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
    "blank-nodes": "SELECT * WHERE { ?s ?p " + "[ ?p " * 5000 + "?o" + " ]" * 5000 + " }",
    "optionals": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 5000 + "}" * 5000 + " }",
    "subqueries": "SELECT * WHERE " + "{ SELECT * WHERE {" * 2500 + "} }" * 2500,
    "collections": "ASK { ?s ?p " + "(" * 5000 + "1" + ")" * 5000 + " }",
}


@pytest.mark.parametrize("shape", NESTED)
def test_a_deeply_nested_query_is_400_and_its_worker_survives(client, shape):
    before = worker_pids(client)
    response = client.post("/sparql", content=NESTED[shape], headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400, response.text
    assert "nested more than" in response.text and no_trace(response)
    assert worker_pids(client) == before, "the worker died"
    assert serves(client)


def test_nesting_a_real_query_might_use_is_still_answered(client):
    query = "SELECT * WHERE " + "{" * 100 + " ?s a pg:MemberState " + "}" * 100 + " LIMIT 1"
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200 and len(response.json()["results"]["bindings"]) == 1


def test_a_deeply_nested_update_is_400_and_writes_nothing(writable):
    update = "INSERT { <http://example.org/nested> <http://example.org/p> 1 } WHERE " + "{" * 5000 + "}" * 5000
    response = writable.post("/update", content=update, headers={"content-type": "application/sparql-update", **AUTH})
    assert response.status_code == 400 and "nested more than" in response.text
    assert writable.get("/sparql", params={"query": "ASK { <http://example.org/nested> ?p ?o }"}).json()["boolean"] is False


def test_a_deeply_nested_json_ld_graph_is_400_and_the_scratch_worker_survives(writable):
    body = '{"@id": "http://example.org/s", "http://example.org/p": ' + '{"http://example.org/p": ' * 5000 + "1" + "}" * 5001
    pool = writable.app.state.runtime.scratch
    before = {w.process.pid for w in pool._all}
    response = writable.put("/store", params={"graph": "http://example.org/nested"}, content=body,
                            headers={"content-type": "application/ld+json", **AUTH})
    assert response.status_code == 400 and "nested too deep" in response.text
    assert {w.process.pid for w in pool._all} == before, "the scratch worker died"


def test_deeply_nested_turtle_and_shapes_are_answered_without_a_crash(writable, client):
    turtle = "@prefix : <http://example.org/> . :s :p " + "[ :p " * 5000 + "1" + " ]" * 5000 + " ."
    stored = writable.put("/store", params={"graph": "http://example.org/deep"}, content=turtle,
                          headers={"content-type": "text/turtle", **AUTH})
    assert stored.status_code in (201, 204)
    shapes = client.post("/api/validate", content=turtle, headers={"content-type": "text/turtle"})
    assert shapes.status_code == 400 and no_trace(shapes)


# --- endless work: stopped by the timeout ------------------------------------------------------------

BOMBS = {
    "cartesian-ordered": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g",
    "cartesian-distinct": "SELECT (COUNT(DISTINCT *) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "cartesian-grouped": "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?a",
    "path-alternative-star": "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|!<urn:q>)* ?o }",
    "path-inverse-plus": "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:q>|^!<urn:q>)+ ?o }",
    "path-sequence-of-stars": "SELECT (COUNT(*) AS ?n) WHERE { ?s (!<urn:q>)*/(^!<urn:q>)*/(!<urn:q>)* ?o }",
    "parser-bomb": "SELECT * WHERE { ?s ?p " + "[ ?p " * 300 + "?o" + " ]" * 300 + " }",
}


@pytest.mark.parametrize("bomb", BOMBS)
def test_an_endless_query_is_stopped_by_the_timeout_with_503_and_the_server_goes_on(quick, bomb):
    response = quick.get("/sparql", params={"query": BOMBS[bomb]})
    assert response.status_code == 503, response.text[:300]
    assert "too long" in response.text and response.headers["retry-after"] and no_trace(response)
    assert serves(quick)


# --- SERVICE off the allowlist: refused, and no connection is ever made -----------------------------

@pytest.fixture(scope="module")
def listener():
    """A TCP port on loopback that counts who connects to it: a SERVICE call that got through."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    seen: list[tuple] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, address = server.accept()
            except (socket.timeout, OSError):
                continue
            seen.append(address)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", seen
    stop.set()
    thread.join()
    server.close()


SMUGGLED = {
    "no-space": "SELECT * WHERE { SERVICE SILENT<{url}> { ?s ?p ?o } }",
    "comment-between": "SELECT * WHERE { SERVICE SILENT # a comment\n <{url}> { ?s ?p ?o } }",
    "comment-ending-in-cr": "SELECT * WHERE { # a comment\rSERVICE SILENT <{url}> { ?s ?p ?o } }",
    "quote-in-an-iri": "SELECT * WHERE { <http://example.org/'> ?p ?o . SERVICE SILENT <{url}> { ?s ?p ?o } "
                       "<http://example.org/'> ?p ?o }",
    "escaped-quote-in-an-iri": "SELECT * WHERE { <http://example.org/\\u0027'> ?p ?o . SERVICE SILENT <{url}> "
                               "{ ?s ?p ?o } <http://example.org/'> ?p ?o }",
    "escaped-hash-in-a-name": "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:a\\# ?o . "
                              "SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "lower-case": "select * where { service silent <{url}> { ?s ?p ?o } }",
    "variable-endpoint": "SELECT * WHERE { VALUES ?e { <{url}> } SERVICE SILENT ?e { ?s ?p ?o } }",
    "prefixed-endpoint": "PREFIX evil: <{base}> SELECT * WHERE { SERVICE SILENT evil:sparql { ?s ?p ?o } }",
    "relative-endpoint": "BASE <{base}> SELECT * WHERE { SERVICE SILENT <sparql> { ?s ?p ?o } }",
    "in-a-subquery": "SELECT * WHERE { { SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } } } }",
    "in-exists": "ASK { FILTER EXISTS { SERVICE SILENT <{url}> { ?s ?p ?o } } }",
}


@pytest.mark.parametrize("trick", SMUGGLED)
def test_a_service_call_off_the_allowlist_is_refused_however_it_is_written(client, listener, trick):
    url, seen = listener
    query = SMUGGLED[trick].replace("{url}", url).replace("{base}", url.removesuffix("sparql"))
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403, response.text
    assert "not allowed" in response.text and "publications.europa.eu" in response.text
    assert seen == [], "the server connected to a host off the allowlist"


@pytest.mark.parametrize("query", [
    "SELECT ?service WHERE { ?service a pg:MemberState } LIMIT 1",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s a pg:MemberState OPTIONAL { ?s ex:service ?o } } LIMIT 1",
    "SELECT * WHERE { ?s a pg:MemberState ; rdfs:label ?l FILTER(?l != 'SERVICE <http://example.org/>') } LIMIT 1",
], ids=["variable-named-service", "property-named-service", "service-in-a-string"])
def test_the_word_service_outside_a_service_call_is_no_reason_to_refuse(client, query):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    assert len(response.json()["results"]["bindings"]) == 1


@pytest.mark.parametrize("update", [
    "LOAD <{url}>", "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>", "load<{url}>",
    "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 } ; LOAD <{url}>",
], ids=["load", "load-silent-into", "lower-case-no-space", "after-another-operation"])
def test_an_update_that_would_load_from_another_host_is_refused_and_fetches_nothing(writable, listener, update):
    url, seen = listener
    response = writable.post("/update", content=update.replace("{url}", url),
                             headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 403, response.text
    assert "LOAD is not served" in response.text
    assert seen == [], "the server connected to another host"


def test_the_word_load_outside_a_load_operation_is_no_reason_to_refuse(writable):
    update = 'INSERT DATA { GRAPH <http://example.org/words> { <http://example.org/a> <http://example.org/load> "LOAD <x>" } }'
    response = writable.post("/update", content=update,
                             headers={"content-type": "application/sparql-update", "authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text


# --- writes without the token -------------------------------------------------------------------------

GRAPH = "http://example.org/graph/unauthorised"
TURTLE = "<http://example.org/s> <http://example.org/p> <http://example.org/o> ."


@pytest.mark.parametrize("authorization, status", [
    (None, 401), ("Bearer", 401), ("Bearer    ", 401), ("Token " + TOKEN, 401), (TOKEN, 401),
    ("Bearer " + TOKEN[:-1], 403), ("Bearer " + TOKEN + "x", 403), ("Bearer " + TOKEN.upper(), 403),
], ids=["none", "scheme-only", "blank-token", "other-scheme", "no-scheme", "prefix", "suffix", "other-case"])
def test_a_write_without_the_right_token_is_refused_on_every_write_route(writable, authorization, status):
    headers = {"authorization": authorization} if authorization is not None else {}
    insert = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {TURTLE} }} }}"
    responses = {
        "update": writable.post("/update", content=insert, headers={"content-type": "application/sparql-update", **headers}),
        "sparql-form": writable.post("/sparql", data={"update": insert}, headers=headers),
        "store-put": writable.put("/store", params={"graph": GRAPH}, content=TURTLE,
                                  headers={"content-type": "application/n-triples", **headers}),
        "store-post": writable.post("/store", params={"graph": GRAPH}, content=TURTLE,
                                    headers={"content-type": "application/n-triples", **headers}),
        "store-delete": writable.delete("/store", params={"graph": GRAPH}, headers=headers),
    }
    for route, response in responses.items():
        assert response.status_code == status, f"{route}: {response.status_code} {response.text}"
        assert response.headers["www-authenticate"].startswith("Bearer") and TOKEN not in response.text
    assert writable.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"}).json()["boolean"] is False


def test_a_token_anywhere_but_the_authorization_header_does_not_count(writable):
    insert = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {TURTLE} }} }}"
    in_url = writable.post("/update", params={"access_token": TOKEN, "token": TOKEN}, content=insert,
                           headers={"content-type": "application/sparql-update"})
    in_form = writable.post("/sparql", data={"update": insert, "access_token": TOKEN})
    in_cookie = writable.post("/update", content=insert, headers={"content-type": "application/sparql-update",
                                                                  "cookie": f"token={TOKEN}; access_token={TOKEN}"})
    assert [r.status_code for r in (in_url, in_form, in_cookie)] == [401, 401, 401]
    assert writable.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"}).json()["boolean"] is False


# --- climbing out of a URL ------------------------------------------------------------------------------

def leaks(body: bytes | str) -> list[str]:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return [marker for marker in LEAKS if marker in text]


@pytest.mark.parametrize("path", [
    "/static/..%2F..%2F..%2F..%2Fpyproject.toml", "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/app/..%2F..%2F..%2F..%2F..%2Fpyproject.toml", "/static/%2Fetc%2Fpasswd", "/static//etc/passwd",
    "/static/app/%00", "/static/app/..%5C..%5C..%5C..%5Cpyproject.toml", "/static/%252e%252e/%252e%252e/pyproject.toml",
    "/api/queries/..%2F..%2Fpyproject.toml/text", "/api/queries/%2e%2e/text",
    "/resource?iri=file:///etc/passwd", "/resource?iri=../../pyproject.toml", "/resource?iri=/etc/passwd",
    "/resource?iri=file:" + str(PROJECT / "pyproject.toml").replace("/", "%2F"),
    "/store?graph=file:///etc/passwd", "/sparql?query=SELECT%20*%20FROM%20%3Cfile:///etc/passwd%3E%20%7B?s%20?p%20?o%7D",
])
def test_no_url_reaches_a_file_outside_the_static_folder(client, path):
    response = client.get(path)
    assert response.status_code < 500, response.text[:300]
    assert leaks(response.text) == [], response.text[:300]


@pytest.mark.parametrize("target", [
    b"/static/../../pyproject.toml", b"/static/../../../../../../etc/passwd", b"/static/app/../../../../pyproject.toml",
    b"/static/./../../pyproject.toml", b"/static/..\\..\\pyproject.toml", b"/api/queries/../../pyproject.toml",
    b"/api/queries/../../pyproject.toml/text", b"/resource/../pyproject.toml", b"/../../../etc/passwd",
])
def test_dot_segments_sent_raw_to_a_real_server_reach_no_file(live, target):
    status, body = get_raw(live, target)
    assert status < 500 and leaks(body) == []


def test_the_static_folder_still_serves_its_own_files(client):
    """The traversal tests above would pass on a server without /static; this one would not."""
    from pactgraph.server.web import STATIC_DIR

    some = next(p for p in sorted(STATIC_DIR.rglob("*")) if p.is_file())
    relative = some.relative_to(STATIC_DIR).as_posix()
    assert client.get(f"/static/{relative}").content == some.read_bytes()


# --- HTML and script in what the pages show ----------------------------------------------------------

CRAFTED = "http://example.org/crafted"
DATA = "https://w3id.org/pactgraph/graph/data"


@pytest.fixture(scope="module")
def crafted_store(tmp_path_factory) -> Path:
    """A published store whose literals and IRIs carry HTML and script, as a source table could."""
    from pyoxigraph import Literal, NamedNode, Quad, Store

    root = tmp_path_factory.mktemp("crafted")
    graph, x = NamedNode(DATA), NamedNode(CRAFTED)
    rdfs, csvw = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/ns/csvw#"
    row = NamedNode("https://w3id.org/pactgraph/sources/acts.csv#row=2")
    other = NamedNode("http://example.org/other")
    quads = [
        Quad(x, NamedNode(rdfs + "label"), Literal("<script>alert('label')</script>", language="en"), graph),
        Quad(x, NamedNode(rdfs + "comment"), Literal("<img src=x onerror=alert('comment')>"), graph),
        Quad(x, NamedNode("http://example.org/p?a='onmouseover='alert(1)"), Literal("\"><svg onload=alert('value')>"), graph),
        Quad(x, NamedNode("http://example.org/link"), NamedNode("javascript:alert('link')"), graph),
        Quad(x, NamedNode("http://example.org/typed"), Literal("<i onclick=alert(1)>typed</i>",
                                                                datatype=NamedNode("http://example.org/dt'x")), graph),
        Quad(other, NamedNode("http://example.org/refers"), x, graph),
        Quad(other, NamedNode(rdfs + "label"), Literal("<b onclick=alert('incoming')>other</b>", language="en"), graph),
        Quad(row, NamedNode(csvw + "describes"), x, graph),
        Quad(row, NamedNode("https://w3id.org/pactgraph/ontology#locator"), Literal("<script>alert('locator')</script>"), graph),
        Quad(row, NamedNode(rdfs + "comment"), Literal("<iframe src=javascript:alert('note')>"), graph),
    ]
    work = Store(str(root / "work"))
    work.extend(quads)
    work.flush()
    build = root / "builds" / "crafted"
    build.parent.mkdir()
    work.backup(str(build))
    (root / "store").symlink_to(build, target_is_directory=True)
    return root / "store"


class Markup(HTMLParser):
    """What a page would run: inline scripts, event-handler attributes, javascript: links, frames."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script" and not dict(attrs).get("src")
        if tag in ("img", "svg", "iframe"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def injected(html: str) -> list[str]:
    return Markup(html).found


def test_html_and_script_in_the_graph_are_shown_as_text_on_the_resource_page(make_client, crafted_store):
    crafted = make_client(store_path=crafted_store, workers=1)
    response = crafted.get("/resource", params={"iri": CRAFTED}, headers={"accept": "text/html"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert injected(response.text) == []
    for shown in ("alert(&#x27;label&#x27;)", "&lt;img src=x onerror=", "&lt;b onclick=", "&lt;script&gt;alert(&#x27;locator"):
        assert shown in response.text, f"{shown} is not on the page"

@pytest.mark.parametrize("iri", [
    f"http://example.org/{SCRIPT}", f"\"'><img src=x onerror=alert(1)>{SCRIPT}", f"javascript:alert(1)//{SCRIPT}",
    f"eurodac{SCRIPT}",
])
def test_what_a_visitor_types_is_escaped_on_the_resource_page(client, iri):
    response = client.get("/resource", params={"iri": iri}, headers={"accept": "text/html"})
    assert response.status_code < 500 and no_trace(response)
    assert response.headers["content-type"].startswith("text/html")
    assert injected(response.text) == [] and SCRIPT not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize("path, params", [
    ("/sparql", {"query": f"SELECT * WHERE {{ ?s ?p '{SCRIPT}' . }} }}"}),
    ("/sparql", {"query": f"SELECT * WHERE {{ {SCRIPT} }}"}),
    ("/api/queries/articles-of-act", {"celex": SCRIPT}),
    ("/api/queries/articles-of-act/text", {"celex": SCRIPT}),
    ("/api/deps", {"target": SCRIPT}),
    ("/api/completeness", {"memberState": SCRIPT, "format": "html"}),
    ("/api/timeline", {"memberState": SCRIPT}),
    ("/timeline", {"memberState": SCRIPT}),
    ("/", {"example": SCRIPT, "query": SCRIPT}),
])
def test_a_message_that_echoes_script_is_never_html_that_runs_it(client, path, params):
    """An error message may quote what was sent; in an HTML response it is escaped."""
    response = client.get(path, params=params, headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code < 500 and no_trace(response)
    if response.headers.get("content-type", "").startswith("text/html"):
        assert SCRIPT not in response.text and injected(response.text) == []


def test_titles_of_named_queries_are_escaped_on_the_home_page(make_client, project_settings, tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(PROJECT / "queries", root / "queries")
    (root / "queries" / "xss.rq").write_text(
        f"# title: Harmless {SCRIPT}\n# description: <img src=x onerror=alert(1)> too\nSELECT * WHERE {{ ?s ?p ?o }} LIMIT 1\n",
        encoding="utf-8")
    client = make_client(root=root, workers=1)
    page = client.get("/", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Harmless" in page.text
    assert injected(page.text) == [] and "&lt;script&gt;" in page.text


# --- wrong content types, methods and Accept -----------------------------------------------------------

@pytest.mark.parametrize("path, headers", [
    ("/sparql", {"content-type": "multipart/form-data; boundary=x"}),
    ("/sparql", {"content-type": "application/sparql-query; charset=iso-8859-1"}),
    ("/sparql", {"content-type": "application/x-www-form-urlencoded; charset=utf-16"}),
    ("/sparql", {"content-type": ";;;"}),
    ("/update", {"content-type": "application/json"}),
], ids=["multipart", "latin-1-query", "utf-16-form", "garbage", "json-update"])
def test_a_body_of_a_type_the_endpoint_does_not_read_is_415(client, path, headers):
    response = client.post(path, content=b"ASK {}", headers=headers)
    assert response.status_code == 415 and no_trace(response)


@pytest.mark.parametrize("path, headers", [
    ("/store?graph=http://example.org/g", {"content-type": "application/json"}),
    ("/store?graph=http://example.org/g", {"content-type": "text/html"}),
])
def test_a_graph_of_a_type_the_store_does_not_read_is_415(writable, path, headers):
    response = writable.put(path, content=TURTLE, headers={**headers, **AUTH})
    assert response.status_code == 415 and "text/turtle" in response.text


@pytest.mark.parametrize("method, path", [
    ("DELETE", "/sparql"), ("PATCH", "/sparql"), ("POST", "/api/queries"), ("POST", "/api/queries/acts"),
    ("PUT", "/dump.ttl"), ("DELETE", "/api/completeness"), ("GET", "/update"), ("GET", "/api/validate"),
    ("POST", "/resource"), ("POST", "/"), ("PUT", "/api/dump"), ("PATCH", "/store"),
])
def test_a_method_a_route_does_not_take_is_405_with_the_methods_it_does(client, method, path):
    response = client.request(method, path)
    assert response.status_code == 405 and response.headers.get("allow"), (response.status_code, response.headers)
    assert method not in response.headers["allow"]


@pytest.mark.parametrize("path, accept", [
    ("/api/queries/acts", "image/png"),
    ("/api/queries/acts", "text/turtle;q=1, */*;q=0"),
    ("/store?graph=https://w3id.org/pactgraph/graph/build", "text/csv"),
    ("/sparql", "application/sparql-results+json;q=0, application/json;q=0, */*;q=0"),
])
def test_an_accept_header_no_format_satisfies_is_406_with_the_formats_offered(client, path, accept):
    params = {"query": fresh()} if path == "/sparql" else None
    response = client.get(path, params=params, headers={"accept": accept})
    assert response.status_code == 406, response.text
    assert "application/sparql-results+json" in response.text or "text/turtle" in response.text


# --- malformed bytes: invalid UTF-8, NUL ---------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/sparql?query=ASK%FF%FE%7B%7D", "/sparql?query=ASK%20%7B%7D&default-graph-uri=http://example.org/%FF",
    "/api/queries/articles-of-act?celex=%C3%28", "/api/queries/%FF%FE", "/resource?iri=http://example.org/%ED%A0%80",
    "/api/deps?target=%F0%28%8C%BC", "/api/deps?target=http://example.org/%ED%A0%80", "/dump.ttl?%FF=%FE",
    "/store?graph=http://example.org/%C0%AF",
])
def test_invalid_utf8_in_a_url_is_a_4xx_or_read_as_replacement_characters(client, path):
    response = client.get(path)
    assert response.status_code < 500 and no_trace(response), response.text[:300]


@pytest.mark.parametrize("path", [
    "/sparql?query=ASK%00%7B%7D", "/sparql?query=ASK%20%7B%7D&default-graph-uri=http://example.org/%00",
    "/api/queries/acts%00", "/api/queries/articles-of-act?celex=32024R1356%00", "/resource?iri=http://example.org/%00",
    "/store?graph=http://example.org/%00", "/api/deps?target=eurodac%00", "/api/deps?target=http://example.org/%00",
    "/api/impact?target=http://example.org/%00&delay=30d",
])
def test_a_nul_byte_in_a_url_is_a_4xx(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500 and no_trace(response), (response.status_code, response.text[:300])


def test_a_nul_byte_in_a_body_is_400(client):
    form = client.post("/sparql", content=b"query=ASK%20%7B%7D%00", headers={"content-type": "application/x-www-form-urlencoded"})
    direct = client.post("/sparql", content=b"ASK {}\x00", headers={"content-type": "application/sparql-query"})
    assert form.status_code == 400 and direct.status_code == 400


@pytest.mark.parametrize("request_bytes", [
    b"GET /sparql?query=ASK\xff\xfe%7B%7D HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /api/queries/\xff\xfe HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /resource?iri=http://example.org/\xc0\xaf HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: localhost\r\nAccept: text/csv\x00evil\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: localhost\r\nAccept: \xff\xfe\r\nConnection: close\r\n\r\n",
    b"GET /sparql?query=ASK\x00%7B%7D HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    b"GET /sparql HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\nConnection: close\r\n\r\n",
    b"GARBAGE\r\n\r\n",
], ids=["raw-bytes-in-query", "raw-bytes-in-path", "overlong-utf8-in-query", "nul-in-header", "raw-bytes-in-header",
        "nul-in-request-line", "space-in-header-name", "not-http"])
def test_bytes_no_client_library_would_send_get_a_4xx_from_a_real_server(live, request_bytes):
    status, body = raw(live, request_bytes)
    assert 200 <= status < 500 and b"Traceback" not in body
    assert get_raw(live, b"/sparql?query=ASK%20%7B%7D")[0] == 200


# --- the same in a real browser: nothing the graph or a visitor supplies ever runs ----------------------

#: What a page would run, found in the live DOM (after its scripts have filled it).
DOM_INJECTED = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on')) found.push(`<${element.localName} ${attribute.name}>`);
      if (['href', 'src', 'action'].includes(attribute.name) && attribute.value.trim().toLowerCase().startsWith('javascript:'))
        found.push(`<${element.localName} ${attribute.name}=${attribute.value}>`);
    }
  }
  for (const element of document.querySelectorAll("img[src='x'], iframe, script:not([src])"))
    if (element.localName !== 'script' || element.textContent.includes('alert(')) found.push(`<${element.localName}>`);
  return found;
}"""


@pytest.fixture(scope="module")
def browser():
    executable = require_program("chromium", "the escaping is checked in a real Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        yield chromium
        chromium.close()


def test_html_and_script_never_run_in_the_browser_from_results_pages_or_messages(browser, live_server, crafted_store):
    base = live_server("--workers", "1", store=crafted_store)
    context = browser.new_context(service_workers="block")
    context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                  else route.abort())
    dialogs: list[str] = []
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
        page.goto(f"{base}/#" + urlencode({"query": query}, quote_via=quote))
        page.wait_for_selector("table.results tbody tr")
        assert page.evaluate(DOM_INJECTED) == []
        cells = " ".join(page.locator("table.results tbody td").all_inner_texts())
        assert "<script>alert('label')</script>" in cells and "<img src=x onerror=alert('comment')>" in cells

        page.goto(f"{base}/resource?" + urlencode({"iri": CRAFTED}))
        page.wait_for_selector("h1")
        assert page.evaluate(DOM_INJECTED) == []
        assert "<script>alert('label')</script>" in page.locator("h1").inner_text()

        page.goto(f"{base}/?" + urlencode({"example": "articles-of-act", "celex": "<img src=x onerror=alert('param')>"}))
        page.wait_for_selector("#param-error .error")
        assert "<img src=x onerror=alert('param')>" in page.locator("#param-error").inner_text()
        assert page.evaluate(DOM_INJECTED) == []
        assert dialogs == [], f"a script ran: {dialogs}"
    finally:
        context.close()
