"""Completeness per Member State and building block, on a fixture that shows each kind of gap."""

from __future__ import annotations

import csv
import io
import json

import pytest
from pyoxigraph import RdfFormat, Store
from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.completeness import completeness
from pactgraph.completeness_output import completeness_csv, completeness_html, completeness_json, completeness_png
from pactgraph.store import GraphStore
from pactgraph.vocab import DATA_GRAPH

from .conftest import PROJECT, TESTS


@pytest.fixture(scope="module")
def report():
    store = Store()
    store.load(path=str(TESTS / "fixtures" / "completeness-graph.ttl"), format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    return completeness(GraphStore(store), PROJECT / "queries")


def test_each_kind_of_gap_is_found(report):
    netherlands = next(s for s in report.member_states if s.code == "NL")
    gaps = {g.obligation.rsplit("/", 1)[1]: g.gap for g in netherlands.gaps}
    assert gaps == {"b": "no responsible organisation", "c": "date after the obligation applies", "d": "no measure"}


def test_cells_count_needed_and_covered_per_building_block(report):
    netherlands = next(s for s in report.member_states if s.code == "NL")
    cells = {block: (c.needed, c.covered) for block, c in netherlands.cells().items()}
    assert cells == {1: (2, 1), 2: (2, 0)}


def test_a_member_state_without_measures_has_no_data_not_full_marks(report):
    germany = next(s for s in report.member_states if s.code == "DE")
    assert germany.has_data is False and germany.cells() == {} and germany.gaps == ()
    assert "DE,,,,,,no data" in completeness_csv(report)


def test_one_member_state_by_any_of_its_codes(report):
    store = Store()
    store.load(path=str(TESTS / "fixtures" / "completeness-graph.ttl"), format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    for code in ("NL", "NLD", "nl"):
        [only] = completeness(GraphStore(store), PROJECT / "queries", code).member_states
        assert only.code == "NL"
    with pytest.raises(ValueError, match="no Member State"):
        completeness(GraphStore(store), PROJECT / "queries", "XX")


def test_json_csv_html_and_png_carry_the_same_figures(report):
    body = json.loads(completeness_json(report))
    nl = next(s for s in body["memberStates"] if s["code"] == "NL")
    assert nl["blocks"] == {"1": {"needed": 2, "covered": 1}, "2": {"needed": 2, "covered": 0}}
    rows = list(csv.DictReader(io.StringIO(completeness_csv(report))))
    assert {r["gap"] for r in rows if r["member_state"] == "NL"} == {"no responsible organisation", "no measure",
                                                                      "date after the obligation applies"}
    page = completeness_html(report)
    assert "1/2" in page and "0/2" in page and "no data" in page and "no measure" in page
    assert completeness_png(report)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_command_reports_the_netherlands_from_the_real_graph(build_report, project_settings):
    result = CliRunner().invoke(app, ["completeness", "--member-state", "NL", "--format", "json",
                                      "--store", str(project_settings.store)])
    assert result.exit_code == 0, result.output
    [nl] = json.loads(result.stdout)["memberStates"]
    assert nl["code"] == "NL"
