"""`pactgraph validate`: the report in four formats, with source rows, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SH
from typer.testing import CliRunner

from pactgraph.cli import app

runner = CliRunner()

FAILING_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pg: <https://w3id.org/pactgraph/ontology#> .
<https://example.org/shapes#ProcedureNeedsAPrefix> a sh:NodeShape ; sh:targetClass pg:Procedure ;
    sh:property <https://example.org/shapes#Procedure-prefix> .
<https://example.org/shapes#Procedure-prefix> sh:path pg:bogus ; sh:minCount 1 ;
    sh:message "A procedure needs a pg:bogus value."@en .
"""


def invoke(store, *args):
    return runner.invoke(app, ["validate", *args, "--store", str(store)])


def test_the_real_graph_conforms_and_the_text_report_says_so(build_report, project_settings):
    result = invoke(project_settings.store)
    assert result.exit_code == 0, result.output
    assert "ontology: " in result.stdout and "graph conforms: 0 violation(s)" in result.stdout


def test_strict_fails_on_the_warnings(build_report, project_settings):
    report = json.loads(invoke(project_settings.store, "-f", "json").stdout)
    assert report["conforms"] is True
    strict = invoke(project_settings.store, "--strict")
    assert strict.exit_code == (1 if report["warnings"] else 0)


def test_violations_exit_1_and_name_shape_focus_message_and_source_row(build_report, project_settings, tmp_path: Path):
    (tmp_path / "extra.ttl").write_text(FAILING_SHAPE, encoding="utf-8")
    text = invoke(project_settings.store, "--shapes", str(tmp_path))
    assert text.exit_code == 1
    assert "Violation https://example.org/shapes#Procedure-prefix (9)" in text.stdout
    assert "pgid:procedure/screening" in text.stdout and "A procedure needs a pg:bogus value." in text.stdout
    assert "from sources/procedures.csv, row 2" in text.stdout

    body = json.loads(invoke(project_settings.store, "--shapes", str(tmp_path), "-f", "json").stdout)
    screening = next(r for r in body["results"] if r["focusNode"].endswith("/procedure/screening"))
    assert screening["sourceConstraintComponent"] == str(SH.MinCountConstraintComponent)
    assert screening["sourceRows"] == ["sources/procedures.csv#row=2"]

    turtle = invoke(project_settings.store, "--shapes", str(tmp_path), "-f", "turtle").stdout
    report = Graph().parse(data=turtle, format="turtle")
    assert len(list(report.subjects(SH.resultSeverity, SH.Violation))) == 9

    table = invoke(project_settings.store, "--shapes", str(tmp_path), "-f", "table")
    assert table.exit_code == 1 and "9 violation(s)" in table.stdout


def test_shapes_that_cannot_be_read_exit_2(build_report, project_settings, tmp_path: Path):
    (tmp_path / "broken.ttl").write_text("this is not turtle", encoding="utf-8")
    result = invoke(project_settings.store, "--shapes", str(tmp_path))
    assert result.exit_code == 2 and "cannot read the shapes" in result.stderr
