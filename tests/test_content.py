"""The real graph, built from the project's source tables, says what the acts say.

These tests pin the content the foundation promises: identifiers, dates, counts and the
Eurodac dependency set. A change in a source table that breaks one of them is a change in
what the graph claims, and must be deliberate.
"""

from __future__ import annotations

import pytest

from .conftest import rows

ELI = "http://data.europa.eu/eli/"
OBLIGATION = "https://w3id.org/pactgraph/id/obligation/"

#: The ten acts of the Pact: CELEX -> (ELI path, date of application or None for the directive).
PACT = {
    "32024R1351": ("reg/2024/1351", "2026-07-01"),
    "32024R1348": ("reg/2024/1348", "2026-06-12"),
    "32024R1349": ("reg/2024/1349", "2026-06-12"),
    "32024R1359": ("reg/2024/1359", "2026-07-01"),
    "32024R1358": ("reg/2024/1358", "2026-06-12"),
    "32024R1356": ("reg/2024/1356", "2026-06-12"),
    "32024R1352": ("reg/2024/1352", "2026-06-12"),
    "32024R1347": ("reg/2024/1347", "2026-07-01"),
    "32024L1346": ("dir/2024/1346", None),
    "32024R1350": ("reg/2024/1350", "2024-06-11"),
}

#: Every obligation that pact-facts section 4 lists as depending on Eurodac.
EURODAC_DEPENDENT = {
    "eurodac-13-1", "eurodac-14", "eurodac-15-1-a", "eurodac-15-1-b", "eurodac-15-2", "eurodac-16",
    "eurodac-18-1", "eurodac-18-2", "eurodac-20", "eurodac-22", "eurodac-23", "eurodac-24", "eurodac-26",
    "eurodac-29", "eurodac-57-4", "eurodac-61", "eurodac-63-4", "eurodac-63-6",
    "sr-8-3", "sr-8-5-d", "sr-9-2-b", "sr-14-2", "sr-15", "sr-18-7",
    "apr-9-2-d", "apr-27-1", "apr-41-1-b",
    "ammr-17-3", "ammr-19-1-j", "ammr-20", "ammr-33", "ammr-38-3", "ammr-39-1", "ammr-40-2", "ammr-41-1", "ammr-45",
    "cfmr-10-7", "cfmr-12", "urf-9-24",
}


def test_the_ten_pact_acts_carry_celex_eli_and_their_own_dates_of_application(graph):
    found = {r["celex"]: r for r in rows(graph, """
        SELECT ?act ?celex ?cellar ?applies ?force WHERE {
          ?act eli:id_local ?celex ; owl:sameAs ?cellar .
          OPTIONAL { ?act eli:date_applicability ?applies }
          OPTIONAL { ?act eli:first_date_entry_in_force ?force } }""")}
    for celex, (path, applies) in PACT.items():
        act = found[celex]
        assert act["act"] == f"{ELI}{path}/oj"
        assert act["cellar"] == f"http://publications.europa.eu/resource/celex/{celex}"
        assert act.get("applies") == applies, celex
    assert {found[c].get("force") for c in PACT if c != "32024R1352"} == {"2024-06-11"}


def test_the_directive_has_a_transposition_deadline_and_is_typed_a_directive(graph):
    [row] = rows(graph, f"SELECT ?d WHERE {{ <{ELI}dir/2024/1346/oj> a pg:Directive ; pg:transpositionDeadline ?d }}")
    assert row["d"] == "2026-06-12"


def test_exceptional_dates_of_application_are_on_their_articles(graph):
    dates = {r["a"]: r["d"] for r in rows(graph, "SELECT ?a ?d WHERE { ?a a pg:Article ; pg:appliesFrom ?d }")}
    assert dates[f"{ELI}reg/2024/1358/art_26/oj"] == "2029-06-12"
    assert dates[f"{ELI}reg/2024/1351/art_84/oj"] == "2024-06-11"
    [urf] = rows(graph, f"SELECT ?d WHERE {{ <{OBLIGATION}urf-9-24> pg:appliesFrom ?d }}")
    assert urf["d"] == "2026-06-12"


def test_the_repeals_are_recorded_with_their_dates(graph):
    repeals = {(r["by"], r["old"], r["from"]) for r in rows(graph, """
        SELECT ?by ?old ?from WHERE { ?r a pg:Repeal ; pg:repealingAct/eli:id_local ?by ;
                                         pg:repealedAct/eli:id_local ?old ; pg:withEffectFrom ?from .
                                    ?a pg:repeals ?o . }""")}
    assert repeals == {("32024R1351", "32013R0604", "2026-07-01"), ("32024R1358", "32013R0603", "2026-06-12"),
                       ("32024R1348", "32013L0032", "2026-06-12"), ("32024L1346", "32013L0033", "2026-06-12"),
                       ("32024R1347", "32011L0095", "2026-06-12")}


@pytest.mark.parametrize("celex, count", [("32024R1351", 85), ("32024R1348", 79), ("32024R1349", 14), ("32024R1359", 20),
                                          ("32024R1358", 63), ("32024R1356", 25), ("32024R1347", 42), ("32024L1346", 38),
                                          ("32024R1350", 16)])
def test_every_article_of_the_nine_acts_is_an_eli_subdivision(graph, celex, count):
    found = rows(graph, f"""SELECT ?article ?number WHERE {{ ?act eli:id_local "{celex}" .
        ?article eli:is_part_of ?act ; a pg:Article ; eli:number ?number ; eli:title ?heading }}""")
    assert len(found) == count
    assert all(r["article"].endswith(f"/art_{r['number']}/oj") for r in found)


def test_all_27_member_states_use_the_publications_office_country_iris(graph):
    found = rows(graph, """SELECT ?ms ?en ?nl ?eu ?iso WHERE { ?ms a pg:MemberState ; pg:euCountryCode ?eu ;
        pg:isoCountryCode ?iso ; rdfs:label ?en , ?nl . FILTER(lang(?en)='en' && lang(?nl)='nl') }""")
    assert len(found) == 27
    assert all(r["ms"].startswith("http://publications.europa.eu/resource/authority/country/") for r in found)
    greece = next(r for r in found if r["ms"].endswith("/GRC"))
    assert (greece["eu"], greece["iso"], greece["nl"]) == ("EL", "GR", "Griekenland")


def test_the_2026_classification_matches_implementing_decision_2025_2323(graph):
    found = rows(graph, """SELECT ?code ?cat WHERE { ?c pg:cycle "2026"^^xsd:gYear ; pg:memberState/pg:euCountryCode ?code ;
        pg:category ?cat ; pg:decidedBy/eli:id_local "32025D2323" }""")
    by = {}
    for r in found:
        by.setdefault(r["cat"].rsplit("/", 1)[1], set()).add(r["code"])
    assert by == {
        "under-migratory-pressure": {"EL", "CY", "ES", "IT"},
        "at-risk-of-migratory-pressure": {"BE", "BG", "DE", "EE", "IE", "FR", "HR", "LV", "LT", "NL", "PL", "FI"},
        "significant-migratory-situation": {"AT", "BG", "HR", "CZ", "EE", "PL"},
    }


def test_the_ten_building_blocks_and_eurodac_operated_by_eu_lisa(graph):
    assert len(rows(graph, "SELECT ?b WHERE { ?b a pg:BuildingBlock }")) == 10
    [row] = rows(graph, "SELECT ?org ?block WHERE { pgid:it-system\\/eurodac pg:operatedBy ?org ; pg:inBuildingBlock ?block }")
    assert row["org"].endswith("/organisation/eu-lisa") and row["block"].endswith("/building-block/1")


def test_every_section_4_obligation_depends_on_eurodac(graph):
    found = {r["o"].removeprefix(OBLIGATION) for r in rows(graph,
             "SELECT ?o WHERE { ?o a pg:Obligation ; pg:dependsOn+ pgid:it-system\\/eurodac }")}
    assert EURODAC_DEPENDENT <= found


@pytest.mark.parametrize("obligation, limit", [("eurodac-15-1-a", "PT72H"), ("eurodac-26", "P10D"), ("sr-8-3", "P7D"),
                                               ("apr-27-1", "P5D"), ("ammr-40-2", "P14D"), ("ammr-41-1", "P14D")])
def test_time_limits_are_xsd_durations(graph, obligation, limit):
    assert bool(graph.query(f'ASK {{ <{OBLIGATION}{obligation}> pg:timeLimit ?t FILTER(?t = "{limit}"^^xsd:duration) }}'))


def test_take_back_depends_on_the_eurodac_hit_not_only_on_the_system(graph):
    assert bool(graph.query(f"ASK {{ <{OBLIGATION}ammr-41-1> pg:dependsOn <{OBLIGATION}eurodac-15-1-a> }}"))


def test_every_obligation_has_article_addressee_date_and_source(graph):
    incomplete = rows(graph, """SELECT ?o WHERE { ?o a pg:Obligation .
        FILTER NOT EXISTS { ?o pg:imposedBy/eli:is_part_of ?act ; pg:addressee ?who ; pg:appliesFrom ?d .
                            ?row csvw:describes ?o ; prov:wasDerivedFrom ?src ; pg:locator ?loc } }""")
    assert incomplete == []
    assert len(rows(graph, "SELECT ?o WHERE { ?o a pg:Obligation }")) >= 100


def test_no_obligation_depends_on_itself(graph):
    assert not bool(graph.query("ASK { ?o pg:dependsOn+ ?o }"))


def test_every_described_resource_traces_to_a_source_document_and_locator(graph):
    untraced = rows(graph, """SELECT DISTINCT ?s WHERE { GRAPH <https://w3id.org/pactgraph/graph/data> { ?s ?p ?o }
        FILTER NOT EXISTS { ?s a csvw:Row }
        FILTER NOT EXISTS { ?row csvw:describes ?s }
        FILTER NOT EXISTS { ?s a pg:Source } }""")
    assert untraced == []
    unsourced = rows(graph, """SELECT ?row WHERE { ?row a csvw:Row ; csvw:describes ?s .
        FILTER NOT EXISTS { ?s a pg:Source }
        FILTER NOT EXISTS { ?row prov:wasDerivedFrom/pg:sourceDocument ?doc ; pg:locator ?loc } }""")
    assert unsourced == []


def test_eu_lisa_runs_the_large_scale_systems_the_pact_relies_on(graph):
    operated = {r["s"].rsplit("/", 1)[1] for r in rows(graph,
                "SELECT ?s WHERE { ?s a pg:ITSystem ; pg:operatedBy pgid:organisation\\/eu-lisa }")}
    assert operated == {"eurodac", "sis", "vis", "ees", "etias", "ecris-tcn"}
