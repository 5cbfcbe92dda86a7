"""The command line as a user runs it: exit codes, formats, messages."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from typer.testing import CliRunner

from pactgraph.cli import app

from .conftest import PROJECT

runner = CliRunner()


@pytest.fixture(scope="module")
def store(build_report, project_settings) -> list[str]:
    """The --store option pointing at the session's built graph."""
    return ["--store", str(project_settings.store)]


def test_query_by_name_with_a_parameter_as_sparql_json(store):
    result = runner.invoke(app, ["query", "articles-of-act", "--param", "celex=32024R1356", "--format", "json", *store])
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert len(bindings) == 25
    assert bindings[0]["article"]["value"] == "http://data.europa.eu/eli/reg/2024/1356/art_1/oj"


def test_query_as_csv_and_tsv(store):
    result = runner.invoke(app, ["query", "acts", "-f", "csv", *store])
    assert result.exit_code == 0
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"32024R1351", "32024L1346"} <= {r["celex"] for r in table}
    tsv = runner.invoke(app, ["query", "acts", "-f", "tsv", *store])
    assert tsv.stdout.splitlines()[0].split("\t")[:2] == ["?act", "?celex"]


def test_query_as_a_table_for_people(store):
    result = runner.invoke(app, ["query", "member-state-classification", "-p", "cycle=2026", *store])
    assert result.exit_code == 0 and "Netherlands" in result.stdout and "22 rows" in result.stdout


def test_query_from_a_file(store, tmp_path: Path):
    path = tmp_path / "count.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?m a pg:MemberState }", encoding="utf-8")
    result = runner.invoke(app, ["query", str(path), "-f", "csv", *store])
    assert result.exit_code == 0 and result.stdout.splitlines()[1] == "27"


def test_a_bad_parameter_exits_1_with_the_reason(store):
    result = runner.invoke(app, ["query", "obligations-of-member-state", "-p", "before=soon", *store])
    assert result.exit_code == 1
    assert "parameter 'before' 'soon': expected a date YYYY-MM-DD" in result.stderr


def test_an_unknown_query_exits_2_listing_the_known_ones(store):
    result = runner.invoke(app, ["query", "no-such-query", *store])
    assert result.exit_code == 2 and "known: acts" in result.stderr


def test_a_syntax_error_exits_2_and_says_where(store, tmp_path: Path):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT ?x WHERE { ?x ?y }", encoding="utf-8")
    result = runner.invoke(app, ["query", str(path), *store])
    assert result.exit_code == 2 and "not valid SPARQL" in result.stderr and "1:" in result.stderr


def test_export_turtle_and_nquads_round_trip(store, graph):
    turtle = runner.invoke(app, ["export", "--format", "turtle", *store])
    assert turtle.exit_code == 0
    parsed = Graph().parse(data=turtle.stdout, format="turtle")
    [row] = graph.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    assert len(parsed) == int(row["n"].value)
    nquads = runner.invoke(app, ["export", "--format", "nquads", *store])
    dataset = Dataset().parse(data=nquads.stdout, format="nquads")
    assert {str(g.identifier) for g in dataset.graphs() if len(g)} >= {"https://w3id.org/pactgraph/graph/data"}


def test_export_jsonld_to_a_file(store, tmp_path: Path):
    out = tmp_path / "graph.jsonld"
    result = runner.invoke(app, ["export", "-f", "jsonld", "-o", str(out), *store])
    assert result.exit_code == 0
    assert any(isinstance(item, dict) and item.get("@id") == "https://w3id.org/pactgraph/graph/data"
               for item in json.loads(out.read_text(encoding="utf-8")))


def test_info_shows_graphs_classes_and_source_versions(store):
    result = runner.invoke(app, ["info", *store])
    assert result.exit_code == 0
    for expected in ("graph/data", "pg:Obligation", "pg:MemberState", "sources/acts.csv", "sha256:"):
        assert expected in result.stdout


def test_commands_on_an_unbuilt_store_exit_2_and_say_to_build(tmp_path: Path):
    result = runner.invoke(app, ["info", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "pactgraph build" in result.stderr


def test_build_with_a_broken_table_exits_2_naming_file_row_and_column(tmp_path: Path, monkeypatch):
    for folder in ("ontology", "mappings", "queries"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    path = tmp_path / "mappings" / "sources" / "member-states.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("NLD,NL,NL", "NLD,NL,Netherlands"), encoding="utf-8")
    monkeypatch.setenv("PACTGRAPH_HOME", str(tmp_path))
    result = runner.invoke(app, ["build", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert "sources/member-states.csv, row" in result.stderr and "column 'iso_code': got 'Netherlands'" in result.stderr
    assert not (tmp_path / "store").exists()
