"""The SPARQL endpoint answers standard clients; it never shows a stack trace."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from pactgraph.server.app import create_app


@pytest.fixture(scope="module")
def client(build_report, project_settings) -> TestClient:
    return TestClient(create_app(project_settings), raise_server_exceptions=False)


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
    assert form.json()["boolean"] is True and direct.json()["boolean"] is True


def test_accept_picks_csv_over_json_by_quality(client):
    response = client.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pg:MemberState }"},
                          headers={"accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert response.headers["content-type"].startswith("text/csv") and len(response.text.splitlines()) == 28


def test_construct_answers_turtle(client):
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a pg:BuildingBlock }"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=response.text, format="turtle")) == 10


def test_a_syntax_error_is_a_400_with_the_position_not_a_trace(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x ?y }"})
    assert response.status_code == 400
    assert "not valid SPARQL" in response.text and "1:" in response.text and "Traceback" not in response.text


def test_unacceptable_format_is_406_and_missing_query_400(client):
    assert client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "image/png"}).status_code == 406
    assert client.get("/sparql").status_code == 400


def test_the_home_page_lists_the_named_queries(client):
    page = client.get("/")
    assert page.status_code == 200 and "Obligations that depend on Eurodac" in page.text
