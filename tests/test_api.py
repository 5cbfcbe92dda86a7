"""The named queries as an API: the catalogue, running one in every format, parameters, and
names that can only be catalogue names."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree

import pytest

from pactgraph.catalog import load_catalog

RESULTS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def client(make_client):
    return make_client()


@pytest.fixture(scope="module")
def catalog(project_settings):
    return load_catalog(project_settings.queries_dir)


def values(bindings: list[dict], name: str) -> list[str]:
    return sorted(b[name]["value"] for b in bindings if name in b)


def test_the_catalogue_lists_every_query_with_its_parameters(client, catalog):
    listed = {q["name"]: q for q in client.get("/api/queries").json()}
    assert set(listed) == set(catalog)
    member_state = listed["obligations-of-member-state"]
    assert member_state["title"] == catalog["obligations-of-member-state"].title
    assert {"name": "memberState", "type": "country", "default": "NL",
            "description": "country code: ISO 3166 alpha-2, EU code (EL) or alpha-3 (NLD)"} in member_state["parameters"]
    assert member_state["url"] == "/api/queries/obligations-of-member-state"


def test_a_named_query_answers_what_the_library_answers(client, catalog, graph):
    response = client.get("/api/queries/obligations-of-member-state", params={"memberState": "EL", "before": "2026-07-01"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/sparql-results+json")
    expected = graph.query(catalog["obligations-of-member-state"].render({"memberState": "EL", "before": "2026-07-01"}))
    assert values(response.json()["results"]["bindings"], "obligation") == sorted(s["obligation"].value for s in expected)


def test_defaults_apply_when_a_parameter_is_left_out(client):
    default = client.get("/api/queries/obligations-of-member-state").json()["results"]["bindings"]
    netherlands = client.get("/api/queries/obligations-of-member-state", params={"memberState": "NL"}).json()
    assert default and values(default, "obligation") == values(netherlands["results"]["bindings"], "obligation")


@pytest.mark.parametrize("fmt, media", [("json", "application/sparql-results+json"), ("csv", "text/csv"),
                                        ("tsv", "text/tab-separated-values"), ("xml", "application/sparql-results+xml")])
def test_every_result_format_by_parameter(client, fmt, media):
    response = client.get("/api/queries/articles-of-act", params={"celex": "32024R1358", "format": fmt},
                          headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200 and response.headers["content-type"].split(";")[0] == media
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
    elif fmt == "tsv":
        rows = response.text.splitlines()[1:]
    elif fmt == "xml":
        rows = ElementTree.fromstring(response.content).findall(f".//{RESULTS}result")
    else:
        rows = response.json()["results"]["bindings"]
    assert len(rows) > 10


def test_formats_by_accept_header(client):
    response = client.get("/api/queries/acts", headers={"accept": "text/csv;q=0.9, application/sparql-results+xml;q=0.1"})
    assert response.headers["content-type"].startswith("text/csv")


def test_a_bad_parameter_is_422_with_the_reason(client):
    response = client.get("/api/queries/obligations-of-member-state", params={"before": "next tuesday"})
    body = response.json()
    assert response.status_code == 422 and body["parameter"] == "before" and body["value"] == "next tuesday"
    assert "YYYY-MM-DD" in body["reason"]


def test_an_unknown_or_repeated_parameter_is_422(client):
    unknown = client.get("/api/queries/acts", params={"colour": "blue"})
    assert unknown.status_code == 422 and unknown.json()["parameter"] == "colour" and "takes" in unknown.json()["reason"]
    repeated = client.get("/api/queries/articles-of-act?celex=32024R1358&celex=32024R1348")
    assert repeated.status_code == 422 and "more than once" in repeated.json()["detail"]


def test_an_unknown_format_is_422_and_a_graph_format_for_a_select_406(client):
    assert client.get("/api/queries/acts", params={"format": "yaml"}).status_code == 422
    assert client.get("/api/queries/acts", params={"format": "turtle"}).status_code == 406


def test_an_unknown_query_is_404_with_the_known_names(client, catalog):
    response = client.get("/api/queries/obligations-of-mars")
    assert response.status_code == 404 and set(response.json()["known"]) == set(catalog)


@pytest.mark.parametrize("path", [
    "/api/queries/..%2F..%2Fpyproject.toml", "/api/queries/%2e%2e%2fREADME.md", "/api/queries/../../pyproject.toml",
    "/api/queries/acts.rq", "/api/queries/.acts", "/api/queries/%2Fetc%2Fpasswd", "/api/queries/queries%2Facts",
])
def test_only_catalogue_names_reach_a_query(client, path):
    response = client.get(path)
    assert response.status_code in (404, 422)
    assert "[project]" not in response.text and "root:" not in response.text and "SELECT" not in response.text


def test_every_named_query_is_documented_in_openapi(client, catalog):
    spec = client.get("/openapi.json").json()
    for name, named in catalog.items():
        operation = spec["paths"][f"/api/queries/{name}"]["get"]
        assert operation["summary"] == named.title
        documented = {p["name"] for p in operation.get("parameters", [])}
        assert documented == {p.name for p in named.parameters} | {"format"}
    assert client.get("/docs").status_code == 200


def test_every_operation_in_openapi_has_an_id_of_its_own(make_client):
    import warnings

    client = make_client()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # FastAPI warns on a duplicate operation id
        schema = client.get("/openapi.json").json()
    ids = [operation["operationId"] for path in schema["paths"].values() for operation in path.values()]
    assert len(ids) == len(set(ids))
    assert {"get", "post"} <= set(schema["paths"]["/sparql"])
