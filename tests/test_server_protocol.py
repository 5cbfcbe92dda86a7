"""The SPARQL 1.1 Protocol at /sparql: operations, the dataset, content negotiation, the
service description, and the errors a client can cause."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
GRAPHS = "https://w3id.org/pactgraph/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def client(make_client):
    return make_client()


def count(response) -> int:
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


# --- operations -------------------------------------------------------------------------

def test_select_by_get_answers_sparql_json(client):
    query = 'SELECT ?act WHERE { ?act eli:id_local "32024R1358" }'
    response = client.get(f"/sparql?query={quote(query)}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/sparql-results+json")
    [binding] = response.json()["results"]["bindings"]
    assert binding["act"]["value"] == "http://data.europa.eu/eli/reg/2024/1358/oj"


def test_post_form_and_direct_query_bodies(client):
    ask = "ASK { ?m a pg:MemberState }"
    form = client.post("/sparql", data={"query": ask})
    direct = client.post("/sparql", content=ask, headers={"content-type": "application/sparql-query"})
    charset = client.post("/sparql", content=ask, headers={"content-type": "application/sparql-query; charset=UTF-8"})
    assert form.json()["boolean"] is True and direct.json()["boolean"] is True and charset.json()["boolean"] is True


def test_head_answers_headers_without_a_body(client):
    response = client.head("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/sparql-results+json")
    assert response.content == b""
    description = client.head("/sparql")
    assert description.status_code == 200 and description.headers["content-type"].startswith("text/turtle")


# --- the dataset ------------------------------------------------------------------------

def test_default_graph_uri_makes_the_default_graph_those_graphs_only(client, graph):
    sizes = graph.graph_sizes()
    build = client.get("/sparql", params={"query": COUNT, "default-graph-uri": GRAPHS + "build"})
    both = client.get("/sparql", params=[("query", COUNT), ("default-graph-uri", GRAPHS + "build"),
                                         ("default-graph-uri", GRAPHS + "ontology")])
    assert count(build) == sizes[GRAPHS + "build"]
    assert count(both) == sizes[GRAPHS + "build"] + sizes[GRAPHS + "ontology"]


def test_named_graph_uri_limits_graph_and_empties_the_default_graph(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.post(f"/sparql?named-graph-uri={quote(GRAPHS + 'data')}", content=query,
                           headers={"content-type": "application/sparql-query"})
    assert [b["g"]["value"] for b in response.json()["results"]["bindings"]] == [GRAPHS + "data"]
    assert count(client.get("/sparql", params={"query": COUNT, "named-graph-uri": GRAPHS + "data"})) == 0


def test_dataset_parameters_in_a_form_body(client, graph):
    response = client.post("/sparql", data={"query": COUNT, "default-graph-uri": GRAPHS + "build"})
    assert count(response) == graph.graph_sizes()[GRAPHS + "build"]


def test_from_in_the_query_is_honoured_and_the_protocol_dataset_wins(client, graph):
    """Regression: the union default graph used to override a query's own FROM."""
    sizes = graph.graph_sizes()
    query = f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS}build> WHERE {{ ?s ?p ?o }}"
    assert count(client.get("/sparql", params={"query": query})) == sizes[GRAPHS + "build"]
    overridden = client.get("/sparql", params={"query": query, "default-graph-uri": GRAPHS + "ontology"})
    assert count(overridden) == sizes[GRAPHS + "ontology"]


def test_without_a_dataset_the_default_graph_is_the_union(client):
    assert count(client.get("/sparql", params={"query": COUNT})) > 10_000


def test_a_dataset_iri_that_is_not_absolute_is_400(client):
    response = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert response.status_code == 400 and "default-graph-uri" in response.text


# --- content negotiation ----------------------------------------------------------------

def test_accept_picks_csv_over_json_by_quality(client):
    response = client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pg:MemberState }"},
                          headers={"accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert response.headers["content-type"].startswith("text/csv") and len(response.text.splitlines()) == 28
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/*", "text/csv"),
    ("*/*", "application/sparql-results+json"),
    ("image/png, application/json;q=0.2", "application/json"),
    ("text/csv;q=0.1, application/sparql-results+xml;q=0.9, */*;q=0.01", "application/sparql-results+xml"),
])
def test_select_formats_by_accept(client, accept, media):
    response = client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pg:MemberState } ORDER BY ?m LIMIT 2"},
                          headers={"accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media
    if media.endswith("xml"):
        results = ElementTree.fromstring(response.content).findall(".//{http://www.w3.org/2005/sparql-results#}result")
        assert len(results) == 2
    elif media == "text/csv":
        assert len(list(csv.reader(io.StringIO(response.text)))) == 3
    elif media.startswith("text/tab"):
        assert response.text.splitlines()[0] == "?m"
    else:
        assert len(response.json()["results"]["bindings"]) == 2


def test_ask_answers_xml_when_asked(client):
    response = client.get("/sparql", params={"query": "ASK { ?m a pg:MemberState }"},
                          headers={"accept": "application/sparql-results+xml"})
    assert ElementTree.fromstring(response.content).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), (None, "turtle"),
])
def test_construct_in_every_rdf_format(client, accept, rdflib_format):
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a pg:BuildingBlock }"}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == (accept or "text/turtle")
    assert len(Graph().parse(data=response.content, format=rdflib_format)) == 10


def test_describe_answers_a_graph(client):
    response = client.get("/sparql", params={"query": "DESCRIBE <http://data.europa.eu/eli/reg/2024/1358/oj>"},
                          headers={"accept": "application/n-triples"})
    described = Graph().parse(data=response.text, format="nt")
    assert (URIRef("http://data.europa.eu/eli/reg/2024/1358/oj"), None, None) in described


def test_unacceptable_formats_are_406(client):
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"}).status_code == 406
    ask_as_turtle = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "text/turtle"})
    assert ask_as_turtle.status_code == 406 and "SPARQL results formats" in ask_as_turtle.text
    construct_as_csv = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                                  headers={"accept": "text/csv"})
    assert construct_as_csv.status_code == 406


def test_a_malformed_accept_header_is_treated_as_any(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "garbage"})
    assert response.status_code == 200 and response.json()["boolean"] is True


# --- the service description --------------------------------------------------------------

def test_get_without_query_is_the_service_description(client):
    response = client.get("/sparql")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    description = Graph().parse(data=response.text, format="turtle")
    service = description.value(None, RDF.type, SD.Service)
    assert description.value(service, SD.endpoint) == URIRef("http://testserver/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in description
    assert (service, SD.feature, SD.UnionDefaultGraph) in description
    assert len(set(description.objects(service, SD.resultFormat))) == 8
    dataset = description.value(service, SD.defaultDataset)
    names = {str(description.value(g, SD.name)) for g in description.objects(dataset, SD.namedGraph)}
    assert names == {GRAPHS + g for g in ("ontology", "data", "inferred", "build")}


def test_service_description_in_json_ld(client):
    response = client.get("/sparql", headers={"accept": "application/ld+json"})
    description = Graph().parse(data=response.text, format="json-ld")
    assert (None, RDF.type, SD.Service) in description


def test_a_browser_gets_the_home_page(client):
    response = client.get("/sparql", headers={"accept": BROWSER})
    assert response.headers["content-type"].startswith("text/html") and "Named queries" in response.text


def test_the_home_page_lists_the_named_queries(client):
    page = client.get("/")
    assert page.status_code == 200 and "Obligations that depend on Eurodac" in page.text


# --- errors a client causes ---------------------------------------------------------------

def test_a_syntax_error_is_a_400_with_the_position_not_a_trace(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "not valid SPARQL" in response.text and "1:" in response.text and "Traceback" not in response.text


def test_a_syntax_error_on_a_later_line_names_that_line(client):
    response = client.post("/sparql", content="SELECT ?x\nWHERE {\n  ?x ?y\n}", headers={"content-type": "application/sparql-query"})
    assert response.status_code == 400 and "4:" in response.text


@pytest.mark.parametrize("headers", [{"content-type": "text/plain"}, {}, {"content-type": "application/json"}])
def test_a_post_body_of_another_type_is_415(client, headers):
    response = client.post("/sparql", content="ASK {}", headers=headers)
    assert response.status_code == 415 and "application/sparql-query" in response.text


def test_a_body_not_in_utf8_is_refused(client):
    utf16 = client.post("/sparql", content="ASK {}".encode("utf-16"),
                        headers={"content-type": "application/sparql-query; charset=UTF-16"})
    latin = client.post("/sparql", content="ASK { FILTER('\xe9') }".encode("latin-1"),
                        headers={"content-type": "application/sparql-query"})
    assert utf16.status_code == 415 and latin.status_code == 400 and "UTF-8" in latin.text


def test_protocol_misuse_is_400(client):
    two = client.get("/sparql?query=ASK%20%7B%7D&query=SELECT%20%2A%20%7B%7D")
    update_by_get = client.get("/sparql", params={"update": "CLEAR ALL"})
    empty_post = client.post("/sparql", data={"other": "x"})
    using_on_a_query = client.get("/sparql", params={"query": "ASK {}", "using-graph-uri": "http://example.org/g"})
    assert [r.status_code for r in (two, update_by_get, empty_post, using_on_a_query)] == [400] * 4
    assert "exactly one" in two.text and "POST" in update_by_get.text


def test_other_methods_are_405(client):
    assert client.put("/sparql?query=ASK%20%7B%7D", content="", headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 405


def test_a_service_off_the_allowlist_is_refused(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }"})
    assert response.status_code == 403 and "not allowed" in response.text


def test_cors_lets_any_origin_read(client):
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={"origin": "https://example.org", "access-control-request-method": "POST",
                                                   "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]


def test_errors_are_json_under_api_and_text_on_sparql(client):
    assert json.loads(client.get("/api/queries/no-such-query").text)["detail"].startswith("no named query")
    assert client.get("/sparql", params={"query": "ASK {"}).headers["content-type"].startswith("text/plain")
