"""Standard clients, unchanged, against a real server (``pactgraph serve`` in uvicorn):
SPARQLWrapper and rdflib's SPARQLStore / SPARQLUpdateStore."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

TOKEN = "clients-token"
RESULTS = "{http://www.w3.org/2005/sparql-results#}"
BB = "https://w3id.org/pactgraph/ontology#BuildingBlock"
STATES = "SELECT ?m WHERE { ?m a <https://w3id.org/pactgraph/ontology#MemberState> }"
BLOCKS = f"CONSTRUCT WHERE {{ ?s a <{BB}> }}"


@pytest.fixture(scope="module")
def url(live_server):
    return live_server()


@pytest.fixture(scope="module")
def writable_url(live_server, tmp_path_factory):
    token = tmp_path_factory.mktemp("token") / "token"
    token.write_text(TOKEN)
    return live_server("--allow-update", "--token-file", str(token),
                       "--scratch", str(tmp_path_factory.mktemp("clients-scratch") / "store"))


def wrapper(url: str, query: str, fmt: str, method: str = GET, request_method: str = URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{url}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(request_method)
    return client


@pytest.mark.parametrize("method, request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_select_json_by_every_method(url, method, request_method):
    result = wrapper(url, STATES, JSON, method, request_method).query().convert()
    assert len(result["results"]["bindings"]) == 27


def test_sparqlwrapper_select_xml_csv_tsv(url):
    xml = wrapper(url, STATES, XML).query().convert()
    assert len(xml.getElementsByTagNameNS(RESULTS[1:-1], "result")) == 27
    csv = wrapper(url, STATES, CSV).query().convert()
    tsv = wrapper(url, STATES, TSV).query().convert()
    assert len(csv.decode().splitlines()) == 28 and len(tsv.decode().splitlines()) == 28


def test_sparqlwrapper_ask(url):
    assert wrapper(url, "ASK { ?m a <https://w3id.org/pactgraph/ontology#MemberState> }", JSON).query().convert()["boolean"] is True


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD, N3, XML])
def test_sparqlwrapper_construct_in_its_formats(url, fmt):
    result = wrapper(url, BLOCKS, fmt).query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(
        data=result, format={TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[fmt])
    assert len(graph) == 10


def test_sparqlwrapper_with_a_default_graph(url):
    client = wrapper(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", JSON)
    client.addDefaultGraph("https://w3id.org/pactgraph/graph/build")
    [row] = client.query().convert()["results"]["bindings"]
    assert 0 < int(row["n"]["value"]) < 1000


def test_sparqlwrapper_sees_a_bad_query_as_its_own_error(url):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed) as error:
        wrapper(url, "SELECT ?x WHERE { ?x ?y }", JSON).query()
    assert "not valid SPARQL" in str(error.value)


def test_sparqlwrapper_update_with_the_bearer_token(writable_url):
    client = SPARQLWrapper(f"{writable_url}/sparql", updateEndpoint=f"{writable_url}/update")
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery("INSERT DATA { <http://example.org/wrapper> <http://example.org/p> 'w' }")
    assert client.query().response.status == 204
    check = wrapper(writable_url, "ASK { <http://example.org/wrapper> ?p 'w' }", JSON)
    assert check.query().convert()["boolean"] is True


def test_sparqlwrapper_update_without_the_token_is_refused(writable_url):
    from SPARQLWrapper.SPARQLExceptions import Unauthorized

    client = SPARQLWrapper(f"{writable_url}/sparql", updateEndpoint=f"{writable_url}/update")
    client.setMethod(POST)
    client.setQuery("CLEAR ALL")
    with pytest.raises(Unauthorized):
        client.query()


def test_rdflib_sparqlstore_queries_and_triples(url):
    graph = Graph(SPARQLStore(f"{url}/sparql"))
    rows = list(graph.query(STATES))
    assert len(rows) == 27
    blocks = set(graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(BB)))
    assert len(blocks) == 10
    assert graph.query("ASK { ?s ?p ?o }").askAnswer is True


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore_every_method(url, method):
    graph = Graph(SPARQLStore(f"{url}/sparql", method=method))
    assert len(list(graph.query(STATES))) == 27


def test_rdflib_sparqlstore_one_named_graph(url):
    store = SPARQLStore(f"{url}/sparql")
    build = Graph(store, identifier=URIRef("https://w3id.org/pactgraph/graph/build"))
    whole = Graph(store)
    assert 0 < len(list(build.query("SELECT * WHERE { ?s ?p ?o }"))) < len(list(whole.query("SELECT * WHERE { ?s ?p ?o }")))


def test_rdflib_sparqlupdatestore_with_the_bearer_token(writable_url):
    store = SPARQLUpdateStore(f"{writable_url}/sparql", f"{writable_url}/update",
                              headers={"Authorization": f"Bearer {TOKEN}"})
    graph = Graph(store, identifier=URIRef("http://example.org/rdflib"))
    graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("from rdflib")))
    assert (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("from rdflib")) in graph
    graph.remove((URIRef("http://example.org/s"), None, None))
    assert len(list(graph.triples((URIRef("http://example.org/s"), None, None)))) == 0
