"""Dependency walks and delay impact, on the real graph and on a graph with a cycle."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from pyoxigraph import RdfFormat, Store
from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.dependencies import Direction, impact, parse_delay, walk
from pactgraph.store import GraphStore
from pactgraph.targets import TargetNotFoundError, resolve_member_state, resolve_target
from pactgraph.vocab import DATA_GRAPH

OBLIGATION = "https://w3id.org/pactgraph/id/obligation/"
EURODAC = "https://w3id.org/pactgraph/id/it-system/eurodac"
SCREENING_BIOMETRICS = {"sr-8-5-d", "sr-9-2-b", "sr-14-2"}
AMMR_HIT_DEADLINES = {"ammr-39-1", "ammr-40-2", "ammr-41-1", "ammr-45"}


def test_screening_biometrics_and_ammr_hit_deadlines_are_downstream_of_eurodac(graph):
    reached = {r.iri.removeprefix(OBLIGATION): r for r in walk(graph, EURODAC, Direction.up).reached}
    assert SCREENING_BIOMETRICS | AMMR_HIT_DEADLINES <= set(reached)
    path = reached["ammr-41-1"].path
    assert path[0] == EURODAC and path[-1] == OBLIGATION + "ammr-41-1" and len(path) >= 3


def test_walking_down_from_an_obligation_reaches_eurodac(graph):
    down = walk(graph, OBLIGATION + "ammr-41-1", Direction.down)
    assert EURODAC in {r.iri for r in down.reached}


def test_depth_limits_the_walk(graph):
    assert all(r.depth == 1 for r in walk(graph, EURODAC, Direction.up, depth=1).reached)


def test_a_30_day_eurodac_delay_from_12_june_2026_hits_them(graph):
    result = impact(graph, EURODAC, delay=timedelta(days=30))
    assert (result.expected, result.ready) == (date(2026, 6, 12), date(2026, 7, 12))
    hits = {h.obligation.removeprefix(OBLIGATION): h for h in result.hits}
    assert SCREENING_BIOMETRICS | AMMR_HIT_DEADLINES <= set(hits)
    assert hits["sr-8-5-d"].late_by_days == 30
    assert hits["ammr-41-1"].late_by_days == 11  # the AMMR applies from 1 July 2026
    assert "eurodac-26" not in hits  # applies from 12 June 2029, after Eurodac is ready


def test_an_early_readiness_date_hits_nothing_due_later(graph):
    result = impact(graph, EURODAC, until=date(2026, 6, 20))
    assert all(h.due < date(2026, 6, 20) for h in result.hits)
    assert "ammr-41-1" not in {h.obligation.removeprefix(OBLIGATION) for h in result.hits}


def test_targets_by_name_label_celex_and_iri(graph):
    assert resolve_target(graph, "eurodac").iri == EURODAC
    assert resolve_target(graph, "Eurodac").iri == EURODAC
    assert resolve_target(graph, "screening").iri.endswith("/procedure/screening")
    assert resolve_target(graph, "32024R1358").iri == "http://data.europa.eu/eli/reg/2024/1358/oj"
    assert resolve_target(graph, "ammr-41-1").iri == OBLIGATION + "ammr-41-1"
    assert resolve_target(graph, EURODAC).iri == EURODAC


def test_an_ambiguous_or_unknown_target_lists_candidates(graph):
    with pytest.raises(TargetNotFoundError) as caught:
        resolve_target(graph, "screen")
    assert caught.value.ambiguous and any(iri.endswith("/procedure/screening") for iri, _ in caught.value.candidates)
    with pytest.raises(TargetNotFoundError) as unknown:
        resolve_target(graph, "no such thing at all")
    assert not unknown.value.ambiguous


def test_member_states_by_any_code(graph):
    assert resolve_member_state(graph, "EL").iri == resolve_member_state(graph, "GR").iri == resolve_member_state(graph, "grc").iri


def test_a_cycle_is_reported_not_looped_on():
    store = Store()
    store.load("""@prefix pg: <https://w3id.org/pactgraph/ontology#> .
        <urn:a> pg:dependsOn <urn:b> . <urn:b> pg:dependsOn <urn:c> . <urn:c> pg:dependsOn <urn:a> .""",
               format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    result = walk(GraphStore(store), "urn:a", Direction.down)
    assert {r.iri for r in result.reached} == {"urn:b", "urn:c"}
    assert ("urn:a", "urn:b", "urn:c", "urn:a") in result.cycles


@pytest.mark.parametrize("text, days", [("30d", 30), ("P30D", 30), ("6w", 42), ("P2W", 14)])
def test_delays_are_read_in_days_or_weeks(text, days):
    assert parse_delay(text) == timedelta(days=days)


def test_impact_command_as_json(build_report, project_settings):
    import json

    result = CliRunner().invoke(app, ["impact", "eurodac", "--delay", "30d", "-m", "NL", "-f", "json",
                                      "--store", str(project_settings.store)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["ready"] == "2026-07-12" and any(h["obligation"].endswith("/sr-8-5-d") for h in body["hits"])


def test_impact_command_refuses_both_or_neither_of_delay_and_until(build_report, project_settings):
    result = CliRunner().invoke(app, ["impact", "eurodac", "--store", str(project_settings.store)])
    assert result.exit_code == 2 and "either --delay or --until" in result.stderr
