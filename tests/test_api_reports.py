"""The reports over HTTP: SHACL validation (the Fuseki SHACL service contract), completeness,
dependencies and the impact of a delay."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from pactgraph.completeness import completeness
from pactgraph.completeness_output import completeness_json
from pactgraph.dependencies import Direction, impact, walk

NLD = "http://publications.europa.eu/resource/authority/country/NLD"
EURODAC = "https://w3id.org/pactgraph/id/it-system/eurodac"
LABELLED = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix pg: <https://w3id.org/pactgraph/ontology#> .
<urn:test:MemberStateHasFlag> a sh:NodeShape ; sh:targetClass pg:MemberState ;
    sh:property [ sh:path pg:flagColour ; sh:minCount 1 ; sh:message "every Member State needs a flag colour" ] .
"""


@pytest.fixture(scope="module")
def client(make_client):
    return make_client()


# --- POST /api/validate ------------------------------------------------------------------

def conforms(report: Graph) -> bool:
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    return report.value(node, SH.conforms).toPython()


def test_validate_with_the_project_shapes_answers_the_w3c_report(client):
    response = client.post("/api/validate")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    report = Graph().parse(data=response.text, format="turtle")
    assert conforms(report) is True and response.headers["x-shacl-conforms"] == "true"


def test_validate_summary_as_json(client):
    body = client.post("/api/validate", headers={"accept": "application/json"}).json()
    assert body["conforms"] is True and body["violations"] == 0 and body["warnings"] == len(
        [r for r in body["results"] if r["severity"] == "Warning"])


def test_validate_with_shapes_in_the_body(client):
    response = client.post("/api/validate", content=LABELLED, headers={"content-type": "text/turtle",
                                                                        "accept": "application/n-triples"})
    report = Graph().parse(data=response.text, format="nt")
    assert conforms(report) is False and response.headers["x-shacl-conforms"] == "false"
    focus = set(report.objects(None, SH.focusNode))
    assert len(focus) == 27 and URIRef(NLD) in focus


def test_validate_one_focus_node_in_json_ld(client):
    response = client.post("/api/validate", params={"target": NLD}, content=LABELLED,
                           headers={"content-type": "text/turtle", "accept": "application/ld+json"})
    report = Graph().parse(data=response.text, format="json-ld")
    assert set(report.objects(None, SH.focusNode)) == {URIRef(NLD)}


def test_validate_one_named_graph_or_the_union(client):
    ontology_only = client.post("/api/validate", params={"graph": "https://w3id.org/pactgraph/graph/ontology"},
                                content=LABELLED, headers={"content-type": "text/turtle", "accept": "application/json"})
    assert ontology_only.json()["conforms"] is True  # no Member State lives in the ontology graph
    union = client.post("/api/validate", params={"graph": "union"}, content=LABELLED,
                        headers={"content-type": "text/turtle", "accept": "application/json"})
    assert union.json()["violations"] == 27


def test_validate_errors(client):
    unknown_graph = client.post("/api/validate", params={"graph": "https://example.org/none"}, content=LABELLED,
                                headers={"content-type": "text/turtle"})
    bad_turtle = client.post("/api/validate", content="this is not turtle", headers={"content-type": "text/turtle"})
    wrong_type = client.post("/api/validate", content=LABELLED, headers={"content-type": "text/plain"})
    not_acceptable = client.post("/api/validate", content=LABELLED, headers={"content-type": "text/turtle",
                                                                              "accept": "image/png"})
    bad_target = client.post("/api/validate", params={"target": "no iri"})
    assert [r.status_code for r in (unknown_graph, bad_turtle, wrong_type, not_acceptable, bad_target)] == \
        [404, 400, 415, 406, 400]
    assert "Traceback" not in bad_turtle.text and bad_turtle.json()["detail"].startswith("the shapes cannot be read")


# --- GET /api/completeness -----------------------------------------------------------------

def test_completeness_of_one_member_state_is_the_library_report(client, graph, project_settings):
    response = client.get("/api/completeness", params={"memberState": "NL"})
    assert response.status_code == 200
    assert response.json() == json.loads(completeness_json(completeness(graph, project_settings.queries_dir, "NL")))


def test_completeness_as_html_and_csv(client):
    html = client.get("/api/completeness", params={"memberState": "NL", "format": "html"})
    table = client.get("/api/completeness", params={"format": "csv"})
    assert html.headers["content-type"].startswith("text/html") and "<table" in html.text
    assert table.headers["content-type"].startswith("text/csv") and table.text.startswith("member_state,")


def test_completeness_of_an_unknown_member_state_is_404(client):
    response = client.get("/api/completeness", params={"memberState": "XX"})
    assert response.status_code == 404 and "XX" in response.json()["detail"]
    assert client.get("/api/completeness", params={"format": "png"}).status_code == 422


# --- GET /api/deps and /api/impact -----------------------------------------------------------

def test_deps_is_the_library_walk(client, graph):
    body = client.get("/api/deps", params={"target": "eurodac", "direction": "up", "depth": 2}).json()
    expected = walk(graph, EURODAC, Direction.up, 2)
    assert body["target"] == EURODAC and body["direction"] == "up"
    assert [(r["iri"], r["depth"], tuple(r["path"])) for r in body["reached"]] == \
        [(r.iri, r.depth, r.path) for r in expected.reached]


def test_deps_down(client):
    body = client.get("/api/deps", params={"target": "https://w3id.org/pactgraph/id/obligation/apr-27-1",
                                           "direction": "down"}).json()
    assert EURODAC in {r["iri"] for r in body["reached"]}


def test_an_unknown_target_is_404_and_an_ambiguous_one_409_with_candidates(client):
    unknown = client.get("/api/deps", params={"target": "zzzz-nothing"})
    ambiguous = client.get("/api/deps", params={"target": "regulation"})
    assert unknown.status_code == 404 and "matches nothing" in unknown.json()["detail"]
    assert ambiguous.status_code == 409 and len(ambiguous.json()["candidates"]) > 1
    assert {"iri", "label"} == set(ambiguous.json()["candidates"][0])


def test_a_target_cannot_break_out_of_its_iri(client):
    """Regression: an IRI-looking target was pasted into <...> unchecked."""
    response = client.get("/api/deps", params={"target": "http://x> ?p ?o } UNION { ?s ?p ?o"})
    assert response.status_code == 404


def test_deps_bad_parameters_are_422(client):
    assert client.get("/api/deps", params={"target": "eurodac", "depth": 0}).status_code == 422
    assert client.get("/api/deps", params={"target": "eurodac", "direction": "sideways"}).status_code == 422
    assert client.get("/api/deps").status_code == 422


def test_impact_is_the_library_impact(client, graph):
    body = client.get("/api/impact", params={"target": "eurodac", "delay": "30d", "memberState": "NL"}).json()
    expected = impact(graph, EURODAC, delay=timedelta(days=30), member_state=NLD)
    assert body["ready"] == expected.ready.isoformat() and body["memberState"] == NLD
    assert [(h["obligation"], h["daysHit"]) for h in body["hits"]] == [(h.obligation, h.late_by_days) for h in expected.hits]


def test_impact_until_a_date(client, graph):
    body = client.get("/api/impact", params={"target": "eurodac", "until": "2027-01-01"}).json()
    assert body["ready"] == "2027-01-01"
    assert len(body["hits"]) == len(impact(graph, EURODAC, until=date(2027, 1, 1)).hits)


def test_impact_errors(client):
    neither = client.get("/api/impact", params={"target": "eurodac"})
    both = client.get("/api/impact", params={"target": "eurodac", "delay": "3d", "until": "2027-01-01"})
    bad_delay = client.get("/api/impact", params={"target": "eurodac", "delay": "soon"})
    bad_date = client.get("/api/impact", params={"target": "eurodac", "until": "someday"})
    bad_country = client.get("/api/impact", params={"target": "eurodac", "delay": "3d", "memberState": "XX"})
    assert [r.status_code for r in (neither, both, bad_delay, bad_date, bad_country)] == [400, 400, 400, 422, 404]
    assert "30d" in bad_delay.json()["detail"]
