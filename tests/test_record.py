"""The parliamentary record in the real graph: the five seed documents with their identifiers,
dates, senders and addressees; what they cite, ask, answer and claim; the dated events; the
asOf filters of the named queries; and the ``timeline`` command.

The seeds are the documents this project was made from. These tests pin what the graph says
about them, so that a change in documents.csv, document-parties.csv, questions.csv,
statements.csv or events.csv that alters it must be deliberate.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from pactgraph.catalog import load_catalog
from pactgraph.cli import app
from pactgraph.timeline import timeline

from .conftest import PROJECT, rows

ID = "https://w3id.org/pactgraph/id/"
DOC = ID + "document/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
CATALOG = load_catalog(PROJECT / "queries")

#: Seed document -> (file in the record, kind of document, date or None, identifiers, senders, addressees).
SEEDS = {
    "kst-32317-985": ("000_863689c6fd6f973e.txt", "rapporteur-report", "2025-12-12",
                      {"Kamerstuk 32317-985", "2025D51949", "2025Z21966"}, {"person/podt"}, {"organisation/nl-tweede-kamer"}),
    "tk-answers-2025z12132": ("001_e92e461029583aeb.txt", "answers-to-written-questions", None,
                              {"2025Z12132"}, {"person/van-hijum", "person/keijzer"}, {"organisation/nl-tweede-kamer"}),
    "tk-letter-2026-05-18-voortgangsrapportage": ("002_a189cb291014b77b.txt", "minister-letter", "2026-05-18",
                                                  {"7594851"}, {"person/van-den-brink"}, {"organisation/nl-tweede-kamer"}),
    "ek-letter-2024-12-06-implementatie-migratiepact": ("003_bbbdc452c949e673.txt", "minister-letter-copy", "2024-12-06",
                                                        set(), {"person/faber"}, {"organisation/nl-eerste-kamer"}),
    "ek-letter-2026-06-23-voortgangsrapportage": ("004_b745cdfa3e1a2dc8.txt", "committee-letter", "2026-06-23",
                                                  {"181522"}, {"person/van-hattem", "organisation/nl-ek-commissie-immigratie-asiel"},
                                                  {"person/van-den-brink"}),
}

#: Seed document -> (questions printed in it, statements it makes, documents and acts it cites).
COUNTS = {
    "kst-32317-985": (0, 21, 9),
    "tk-answers-2025z12132": (11, 6, 3),
    "tk-letter-2026-05-18-voortgangsrapportage": (0, 10, 3),
    "ek-letter-2024-12-06-implementatie-migratiepact": (0, 6, 8),
    "ek-letter-2026-06-23-voortgangsrapportage": (17, 4, 5),
}

#: Seed -> events taken from it.
EVENTS = {"seed-000": 4, "seed-001": 1, "seed-002": 0, "seed-003": 4, "seed-004": 0}

runner = CliRunner()


def named(graph, name: str, **params: str) -> list[dict[str, str]]:
    return rows(graph, CATALOG[name].render(params))


# ---------------------------------------------------------------------------------------------
# The seeds as documents
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("document", sorted(SEEDS))
def test_each_seed_is_a_document_with_its_record_file_kind_date_and_identifiers(graph, document):
    record_file, kind, when, identifiers, _, _ = SEEDS[document]
    [found] = rows(graph, f"""SELECT ?file ?kind ?date ?language WHERE {{ <{DOC}{document}> pg:recordFile ?file ;
        pg:documentType/skos:notation ?kind ; dcterms:language ?language . OPTIONAL {{ <{DOC}{document}> dcterms:date ?date }} }}""")
    assert (found["file"], found["kind"], found.get("date")) == (record_file, kind, when)
    assert found["language"].endswith("/language/NLD")
    got = {r["id"] for r in rows(graph, f"SELECT ?id WHERE {{ <{DOC}{document}> dcterms:identifier ?id }}")}
    assert got == identifiers


@pytest.mark.parametrize("document", sorted(SEEDS))
def test_each_seed_names_who_sent_it_to_whom(graph, document):
    *_, senders, addressees = SEEDS[document]
    sent_by = {r["x"].removeprefix(ID) for r in rows(graph, f"SELECT ?x WHERE {{ <{DOC}{document}> pg:sentBy ?x }}")}
    sent_to = {r["x"].removeprefix(ID) for r in rows(graph, f"SELECT ?x WHERE {{ <{DOC}{document}> pg:sentTo ?x }}")}
    assert (sent_by, sent_to) == (senders, addressees)


def test_the_five_seed_sources_point_to_their_documents(graph):
    found = {r["s"].rsplit("/", 1)[1]: r["d"].removeprefix(DOC) for r in rows(graph, """SELECT ?s ?d WHERE {
        ?s a pg:Source ; pg:sourceDocument ?d . FILTER (STRSTARTS(STR(?s), "https://w3id.org/pactgraph/id/source/seed-")) }""")}
    assert found == {"seed-000": "kst-32317-985", "seed-001": "tk-answers-2025z12132",
                     "seed-002": "tk-letter-2026-05-18-voortgangsrapportage",
                     "seed-003": "ek-letter-2024-12-06-implementatie-migratiepact",
                     "seed-004": "ek-letter-2026-06-23-voortgangsrapportage"}


def test_the_persons_carry_their_role_and_organisation(graph):
    found = {r["p"].removeprefix(ID + "person/"): (r["role"].rsplit("/", 1)[1], r["org"].removeprefix(ID + "organisation/"))
             for r in rows(graph, "SELECT ?p ?role ?org WHERE { ?p a pg:Person ; pg:role ?role ; pg:affiliation ?org }")}
    assert found["van-den-brink"] == ("minister", "nl-ministerie-asiel-migratie")
    assert found["podt"] == ("rapporteur", "nl-tweede-kamer")
    assert found["van-hattem"] == ("committee-chair", "nl-ek-commissie-immigratie-asiel")
    assert found["koekkoek"] == ("member-of-parliament", "nl-tweede-kamer")
    [alt] = rows(graph, f"SELECT ?a WHERE {{ <{ID}person/van-den-brink> skos:altLabel ?a }}")
    assert alt["a"] == "G. van den Brink"


@pytest.mark.parametrize("document", sorted(COUNTS))
def test_questions_statements_and_citations_per_seed(graph, document):
    questions, statements, citations = COUNTS[document]
    count = lambda pattern: int(rows(graph, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0]["n"])  # noqa: E731
    assert count(f"?x pg:askedIn <{DOC}{document}>") == questions
    assert count(f"?x pg:statedIn <{DOC}{document}>") == statements
    assert count(f"<{DOC}{document}> pg:cites ?x") == citations


@pytest.mark.parametrize("source", sorted(EVENTS))
def test_events_per_seed(graph, source):
    [row] = rows(graph, f"""SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a pg:Event .
        ?row csvw:describes ?e ; prov:wasDerivedFrom <{ID}source/{source}> }}""")
    assert int(row["n"]) == EVENTS[source]


def test_cited_eu_documents_resolve_to_eli_or_celex(graph):
    cited = {r["x"] for r in rows(graph, f"SELECT ?x WHERE {{ <{DOC}kst-32317-985> pg:cites ?x }}")}
    assert {"http://data.europa.eu/eli/dec_impl/2024/2150/oj", "http://data.europa.eu/eli/reg/2024/1348/oj",
            "http://publications.europa.eu/resource/celex/52025DC0319",
            "http://publications.europa.eu/resource/celex/52025DC0795", DOC + "rvs-advice-w03-25-00165-ii",
            DOC + "kst-32317-973"} <= cited


# ---------------------------------------------------------------------------------------------
# Questions and statements
# ---------------------------------------------------------------------------------------------

def test_the_koekkoek_questions_are_paired_with_their_answers(graph):
    found = rows(graph, f"""SELECT ?number ?on ?answer ?by WHERE {{ ?q pg:askedIn <{DOC}tk-answers-2025z12132> ;
        pg:questionNumber ?number ; pg:askedOn ?on ; pg:askedBy <{ID}person/koekkoek> ;
        pg:answerSummary ?answer ; pg:answeredBy ?by ; pg:answeredIn <{DOC}tk-answers-2025z12132> }}""")
    assert sorted(int(r["number"]) for r in found) == list(range(1, 12))
    assert {r["on"] for r in found} == {"2025-06-13"} and {r["by"] for r in found} == {ID + "person/van-hijum"}


def test_the_senate_questions_have_their_groups_and_no_answer_yet(graph):
    found = rows(graph, f"""SELECT ?q (GROUP_CONCAT(STR(?who); separator=" ") AS ?askers) WHERE {{
        ?q pg:askedIn <{DOC}ek-letter-2026-06-23-voortgangsrapportage> ; pg:askedBy ?who .
        FILTER NOT EXISTS {{ ?q pg:answerSummary ?a }} }} GROUP BY ?q""")
    assert len(found) == 17
    volt = [r for r in found if "-volt-" in r["q"]]
    assert len(volt) == 6 and all("nl-ek-fractie-pvdd" in r["askers"] for r in volt)


def test_every_statement_traces_to_its_place_in_its_document(graph):
    untraced = rows(graph, """SELECT ?s WHERE { ?s a pg:Statement .
        FILTER NOT EXISTS { ?row a csvw:Row ; csvw:describes ?s ; prov:wasDerivedFrom/pg:sourceDocument ?doc ; pg:locator ?loc .
                            FILTER (STRLEN(?loc) > 0) } }""")
    assert untraced == []
    elsewhere = rows(graph, f"""SELECT ?s WHERE {{ ?s a pg:Statement ; pg:statedIn ?doc .
        FILTER (STRSTARTS(STR(?doc), "{DOC}"))
        FILTER NOT EXISTS {{ ?row csvw:describes ?s ; prov:wasDerivedFrom/pg:sourceDocument ?doc }} }}""")
    assert elsewhere == [], "a statement of a document comes from that document"


def test_the_disagreement_on_member_states_at_risk_keeps_both_sources(graph):
    seed, decision = ID + "statement/kst-32317-985-s08", ID + "statement/dec-2025-2323-at-risk-2026"
    assert bool(graph.query(f"ASK {{ <{seed}> pg:disagreesWith <{decision}> . <{decision}> pg:disagreesWith <{seed}> }}"))
    sources = {r["s"]: r["src"].rsplit("/", 1)[1] for r in rows(graph, f"""SELECT ?s ?src WHERE {{
        VALUES ?s {{ <{seed}> <{decision}> }} ?row csvw:describes ?s ; prov:wasDerivedFrom ?src }}""")}
    assert sources == {seed: "seed-000", decision: "eurlex-32025D2323"}
    named_by_seed = {r["ms"].removeprefix(COUNTRY) for r in rows(graph, f"SELECT ?ms WHERE {{ <{seed}> pg:about ?ms . ?ms a pg:MemberState }}")}
    assert len(named_by_seed) == 14 and {"CZE", "AUT", "NLD"} <= named_by_seed
    at_risk = {r["ms"].removeprefix(COUNTRY) for r in rows(graph, """SELECT ?ms WHERE { ?c pg:cycle "2026"^^xsd:gYear ;
        pg:category <https://w3id.org/pactgraph/id/concept/migratory-situation/at-risk-of-migratory-pressure> ; pg:memberState ?ms }""")}
    assert len(at_risk) == 12 and not {"CZE", "AUT"} & at_risk and named_by_seed - at_risk == {"CZE", "AUT"}


def test_the_start_of_application_disagreement_points_to_the_ammr(graph):
    found = {r["o"].rsplit("/", 1)[1] for r in rows(graph, f"SELECT ?o WHERE {{ <{ID}statement/ammr-2024-1351-art-85> pg:disagreesWith ?o }}")}
    assert found == {"tk-answers-2025z12132-s04", "ek-letter-2024-12-06-s02"}


def test_statements_about_a_period_carry_it(graph):
    [row] = rows(graph, f"SELECT ?from ?until WHERE {{ <{ID}statement/kst-32317-985-s14> pg:validFrom ?from ; pg:validUntil ?until }}")
    assert (row["from"], row["until"]) == ("2026-07-01", "2026-07-31")


# ---------------------------------------------------------------------------------------------
# asOf: what had been said and asked by a day
# ---------------------------------------------------------------------------------------------

def test_documents_as_of_a_day_leave_out_later_and_undated_ones(graph):
    told = {r["document"].removeprefix(DOC) for r in named(graph, "documents", sentTo=ID + "organisation/nl-tweede-kamer", asOf="2025-12-31")}
    assert {"kst-32317-985", "kst-32317-908", "kst-32317-965"} <= told
    assert "tk-letter-2026-05-18-voortgangsrapportage" not in told and "tk-answers-2025z12132" not in told
    everything = {r["document"].removeprefix(DOC) for r in named(graph, "documents")}
    assert set(SEEDS) <= everything


def test_questions_as_of_a_day(graph):
    before = named(graph, "questions-and-answers", asOf="2026-06-01")
    assert {r["document"].removeprefix(DOC) for r in before} == {"tk-answers-2025z12132"}
    assert all("answer" not in r for r in before), "the answers to the Koekkoek questions are undated"
    after = named(graph, "questions-and-answers", asOf="2026-06-30")
    assert len(after) == 28
    assert all("answer" in r for r in named(graph, "questions-and-answers", document=DOC + "tk-answers-2025z12132"))


def test_statements_about_the_netherlands_as_of_a_day(graph):
    found = {r["statement"].rsplit("/", 1)[1] for r in named(graph, "statements-about", about=COUNTRY + "NLD", asOf="2026-05-18")}
    assert "tk-letter-2026-05-18-s07" in found and "kst-32317-985-s08" in found
    assert "ek-letter-2026-06-23-s01" not in found and not any(s.startswith("tk-answers") for s in found)


def test_statements_about_an_act_include_those_about_its_obligations(graph):
    found = {r["statement"].rsplit("/", 1)[1] for r in named(graph, "statements-about", about="http://data.europa.eu/eli/reg/2024/1358/oj")}
    assert {"tk-letter-2026-05-18-s06", "ek-letter-2026-06-23-s02"} <= found  # about obligation eurodac-63-6


def test_acts_in_application_on_a_day(graph):
    on = lambda day: {r["celex"] for r in named(graph, "acts-applicable", asOf=day)}  # noqa: E731
    assert {"32024R1358", "32024R1348", "32024L1346"} <= on("2026-06-12")
    assert "32024R1351" not in on("2026-06-30") and "32024R1351" in on("2026-07-01")
    assert on("2024-06-11") == {"32024R1350"}


# ---------------------------------------------------------------------------------------------
# The timeline
# ---------------------------------------------------------------------------------------------

def test_the_timeline_for_one_member_state_keeps_the_union_and_leaves_out_the_others(graph):
    dutch = timeline(graph, PROJECT / "queries", member_state="NLD", start=date(2024, 1, 1), end=date(2026, 12, 31))
    assert dutch.member_state == "NL"
    assert {e.member_state for e in dutch.entries} == {None, "NL"}
    kinds = {e.kind for e in dutch.entries}
    assert {"Council meeting", "act applies", "letter of a minister to parliament", "written questions submitted"} <= kinds
    assert any(k.startswith("stage of a national measure") for k in kinds)
    assert [e.date for e in dutch.entries] == sorted(e.date for e in dutch.entries)
    german = timeline(graph, PROJECT / "queries", member_state="DE")
    assert not any(e.member_state == "NL" for e in german.entries)
    assert any(e.item.endswith("/event/jha-council-2025-12-08") for e in german.entries)


def test_the_timeline_rejects_an_unknown_member_state_and_a_reversed_period(graph):
    with pytest.raises(ValueError, match="no Member State"):
        timeline(graph, PROJECT / "queries", member_state="XX")
    with pytest.raises(ValueError, match="before it starts"):
        timeline(graph, PROJECT / "queries", start=date(2026, 7, 1), end=date(2026, 6, 1))


@pytest.fixture(scope="module")
def store(build_report, project_settings) -> list[str]:
    return ["--store", str(project_settings.store)]


def test_the_timeline_command_as_json(store):
    result = runner.invoke(app, ["timeline", "--member-state", "NL", "--from", "2026-05-01", "--to", "2026-07-31", "-f", "json", *store])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["memberState"], body["from"], body["to"]) == ("NL", "2026-05-01", "2026-07-31")
    dates = [e["date"] for e in body["entries"]]
    assert dates == sorted(dates) and all("2026-05-01" <= d <= "2026-07-31" for d in dates)
    items = {e["item"].removeprefix(ID) for e in body["entries"]}
    assert {"document/tk-letter-2026-05-18-voortgangsrapportage", "document/ek-letter-2026-06-23-voortgangsrapportage",
            "document/ec-third-progress-report-2026-05-08", "event/eurodac-malfunction-2026-06-12",
            "http://data.europa.eu/eli/reg/2024/1351/oj"} <= items


def test_the_timeline_command_as_a_table_and_its_errors(store):
    table = runner.invoke(app, ["timeline", "-m", "EL", "--to", "2024-12-31", *store])
    assert table.exit_code == 0 and "2024-03-04" in table.stdout and "dated entries" in table.stdout
    assert "2025-" not in table.stdout
    unknown = runner.invoke(app, ["timeline", "-m", "XX", *store])
    assert unknown.exit_code == 2 and "no Member State" in unknown.stderr
    bad_date = runner.invoke(app, ["timeline", "--from", "12 June 2026", *store])
    assert bad_date.exit_code == 2 and "--from" in bad_date.stderr
