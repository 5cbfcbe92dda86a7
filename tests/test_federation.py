"""SERVICE calls: only to the allowlist (Cellar by default), redirected to a local stand-in in tests."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store
from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.federation import CELLAR_SPARQL, ServiceNotAllowedError, ServicePolicy, services
from pactgraph.server.app import create_app
from pactgraph.store import GraphStore


def test_services_are_found_but_not_in_strings_or_comments():
    text = '''# SERVICE <http://in.a/comment>
        SELECT * WHERE { ?s ?p "SERVICE <http://in.a/string>" .
          SERVICE SILENT <https://publications.europa.eu/webapi/rdf/sparql> { ?s ?p ?o }
          service ?endpoint { ?a ?b ?c } }'''
    assert services(text) == [CELLAR_SPARQL, "?endpoint"]


@pytest.mark.parametrize("target", ["<http://127.0.0.1:9/sparql>", "?endpoint", "ex:sparql"])
def test_an_endpoint_off_the_allowlist_is_refused(target):
    with pytest.raises(ServiceNotAllowedError, match="not allowed; endpoints allowed: https://publications"):
        ServicePolicy().apply(f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}")


def test_an_empty_allowlist_refuses_even_cellar():
    with pytest.raises(ServiceNotAllowedError, match="endpoints allowed: none"):
        ServicePolicy(frozenset()).apply(f"SELECT * WHERE {{ SERVICE <{CELLAR_SPARQL}> {{ ?s ?p ?o }} }}")


def test_a_redirect_sends_cellar_calls_to_the_stand_in(cellar):
    graph = GraphStore(Store(), services=ServicePolicy(redirects={CELLAR_SPARQL: cellar}))
    rows = list(graph.query(f"""SELECT ?t WHERE {{ SERVICE <{CELLAR_SPARQL}> {{
        ?e <http://publications.europa.eu/ontology/cdm#expression_title> ?t }} }}"""))
    assert len(rows) == 3


def test_the_cli_runs_a_cellar_query_against_the_stand_in(build_report, project_settings, cellar, monkeypatch):
    monkeypatch.setenv("PACTGRAPH_SERVICE_REDIRECTS", f"{CELLAR_SPARQL}={cellar}")
    result = CliRunner().invoke(app, ["query", "cellar-titles", "-p", "celex=32024R1358", "-f", "json",
                                      "--store", str(project_settings.store)])
    assert result.exit_code == 0, result.output
    titles = {b["title"]["value"] for b in json.loads(result.stdout)["results"]["bindings"]}
    assert titles == {"Regulation on Eurodac (test title)", "Verordening over Eurodac (testtitel)"}


def test_the_cli_refuses_a_service_off_the_allowlist(build_report, project_settings, tmp_path):
    path = tmp_path / "probe.rq"
    path.write_text("SELECT * WHERE { SERVICE <http://127.0.0.1:22/> { ?s ?p ?o } }", encoding="utf-8")
    result = CliRunner().invoke(app, ["query", str(path), "--store", str(project_settings.store)])
    assert result.exit_code == 2 and "SERVICE <http://127.0.0.1:22/> is not allowed" in result.stderr


def test_the_endpoint_answers_403_for_a_service_off_the_allowlist(build_report, project_settings):
    client = TestClient(create_app(project_settings))
    response = client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:23/> { ?s ?p ?o } }"})
    assert response.status_code == 403 and "not allowed" in response.text
