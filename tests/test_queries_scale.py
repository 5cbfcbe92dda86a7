"""Named queries rewritten to be fast on large graphs still give the answers of their plain forms.

Why: the texts of obligations-depending-on, statements-about, implementation-gaps and
impact-of-delay are written for Oxigraph's planner (one hop a nested EXISTS, single-pattern
OPTIONALs, UNION branches that start from the parameter); the plain formulations kept here say
what they mean. Both are run on a small generated graph (bench/generate.py) and compared row
for row, in order; and the shortest dependency paths are checked against a breadth-first search
on a hand-made graph with a diamond, a cycle and a chain longer than ten steps.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import deque
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store

from pactgraph.build import build
from pactgraph.catalog import bind_values, load_catalog
from pactgraph.inference import materialise
from pactgraph.settings import Settings
from pactgraph.store import GraphStore
from pactgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH

from .conftest import PROJECT

_spec = importlib.util.spec_from_file_location("pactgraph_bench_generate_scale", PROJECT / "bench" / "generate.py")
generate = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = generate
_spec.loader.exec_module(generate)

CATALOG = load_catalog(PROJECT / "queries")
ID = "https://w3id.org/pactgraph/id/"

_LENGTHS = "\n      UNION ".join(
    f"{{ ?obligation {'/'.join(['pg:dependsOn'] * k)} ?target BIND ({k} AS ?length) }}" for k in range(1, 11))

#: The plain formulations, as the queries were first written.
REFERENCE = {
    "obligations-depending-on": f"""
SELECT ?obligation ?label ?celex ?article ?provision ?addressee ?timeLimit ?appliesFrom (MIN(?length) AS ?pathLength)
WHERE {{
  ?obligation pg:dependsOn+ ?target ; a pg:Obligation ; rdfs:label ?label ; pg:provision ?provision ;
              pg:imposedBy ?article ; pg:addressee ?addresseeNode ; pg:appliesFrom ?appliesFrom .
  ?article eli:is_part_of ?act . ?act eli:id_local ?celex .
  ?addresseeNode rdfs:label ?addressee . FILTER (lang(?addressee) = "en")
  OPTIONAL {{ ?obligation pg:timeLimit ?timeLimit }}
  OPTIONAL {{ GRAPH <https://w3id.org/pactgraph/graph/data> {{ {_LENGTHS} }} }}
}}
GROUP BY ?obligation ?label ?celex ?article ?provision ?addressee ?timeLimit ?appliesFrom
ORDER BY ?pathLength ?celex ?obligation""",
    "statements-about": """
SELECT ?statement ?date ?claim (GROUP_CONCAT(DISTINCT ?claimantText; separator="; ") AS ?claimedBy)
       ?statedIn ?source ?locator ?validFrom ?validUntil (GROUP_CONCAT(DISTINCT STR(?other); separator=" ") AS ?disagreesWith)
WHERE {
  { ?statement a pg:Statement ; pg:about ?about . }
  UNION
  { ?statement a pg:Statement ; pg:about ?obligation . ?obligation a pg:Obligation ; pg:imposedBy/eli:is_part_of ?about . }
  ?statement pg:claim ?claim ; pg:statedIn ?statedIn .
  FILTER (lang(?claim) = "en")
  OPTIONAL { ?statement pg:statedOn ?statedOn }
  OPTIONAL { ?statedIn dcterms:date ?documentDate }
  BIND (COALESCE(?statedOn, ?documentDate) AS ?date)
  FILTER (!BOUND(?asOf) || (BOUND(?date) && ?date <= ?asOf))
  OPTIONAL { ?row csvw:describes ?statement ; pg:locator ?locator ; prov:wasDerivedFrom ?source . }
  OPTIONAL {
    ?statement pg:claimedBy ?claimant .
    OPTIONAL { ?claimant rdfs:label ?claimantLabel . FILTER (lang(?claimantLabel) = "en" || lang(?claimantLabel) = "") }
    BIND (COALESCE(STR(?claimantLabel), STR(?claimant)) AS ?claimantText)
  }
  OPTIONAL { ?statement pg:validFrom ?validFrom }
  OPTIONAL { ?statement pg:validUntil ?validUntil }
  OPTIONAL { ?statement pg:disagreesWith ?other }
}
GROUP BY ?statement ?date ?claim ?statedIn ?source ?locator ?validFrom ?validUntil
ORDER BY ?date ?statement""",
    "implementation-gaps": """
SELECT DISTINCT ?country ?block ?blockNumber ?obligation ?provision ?label ?due ?measure ?responsible ?date ?status ?gap
WHERE {
  ?country a pg:MemberState .
  { ?country pg:isoCountryCode ?memberState } UNION { ?country pg:euCountryCode ?memberState }
  UNION { ?country skos:notation ?memberState }
  FILTER EXISTS { ?anyMeasure pg:memberState ?country ; a/rdfs:subClassOf* pg:NationalMeasure }
  ?obligation a pg:Obligation ; pg:needsNationalMeasure true ; pg:provision ?provision ; rdfs:label ?label ;
              pg:appliesFrom ?appliesFrom ; pg:addressee ?addressee .
  { ?addressee a pg:MemberStates } UNION { ?addressee pg:memberState ?country }
  OPTIONAL { ?obligation pg:deadline ?deadline }
  BIND (COALESCE(?deadline, ?appliesFrom) AS ?due)
  OPTIONAL { ?obligation pg:inBuildingBlock ?block . ?block pg:blockNumber ?blockNumber }
  OPTIONAL {
    ?measure pg:implementsObligation ?obligation ; pg:memberState ?country ; pg:implementationStatus/skos:notation ?status .
    OPTIONAL { ?measure pg:responsibleOrganisation ?responsible }
    OPTIONAL { ?measure pg:plannedDate ?plannedDate }
    OPTIONAL { ?measure pg:statusDate ?statusDate FILTER (?status IN ("adopted", "in-force", "in-operation")) }
  }
  BIND (COALESCE(?plannedDate, ?statusDate) AS ?date)
  BIND (IF(!BOUND(?measure), "no measure", IF(!BOUND(?responsible), "no responsible organisation",
        IF(!BOUND(?date), "no date", IF(?date > ?due, "date after the obligation applies", "")))) AS ?gap)
}
ORDER BY ?blockNumber ?obligation ?measure""",
    "impact-of-delay": """
SELECT ?obligation ?label ?due ?ready ?daysHit ?procedure ?block (GROUP_CONCAT(DISTINCT STR(?measure); separator=" ") AS ?measures)
WHERE {
  { SELECT ?target (MIN(?date) AS ?expected) WHERE {
      { ?target pg:deadline ?date } UNION { ?target pg:appliesFrom ?date }
      UNION { ?target pg:establishedBy/eli:date_applicability ?date }
    } GROUP BY ?target }
  BIND (?expected + STRDT(CONCAT("P", STR(?delayDays), "D"), xsd:dayTimeDuration) AS ?ready)
  ?obligation pg:dependsOn+ ?target ; a pg:Obligation ; rdfs:label ?label ; pg:appliesFrom ?applies .
  OPTIONAL { ?obligation pg:deadline ?deadline }
  BIND (COALESCE(?deadline, ?applies) AS ?due)
  FILTER (?due < ?ready)
  BIND (IF(?due > ?expected, ?due, ?expected) AS ?from)
  BIND (xsd:integer(STRBEFORE(STRAFTER(STR(?ready - ?from), "P"), "D")) AS ?daysHit)
  OPTIONAL { ?obligation pg:concernsProcedure ?procedure }
  OPTIONAL { ?obligation pg:inBuildingBlock ?block }
  OPTIONAL { ?measure pg:implementsObligation ?obligation }
}
GROUP BY ?obligation ?label ?due ?ready ?daysHit ?procedure ?block
ORDER BY ?due ?obligation""",
}


def answers(graph: GraphStore, text: str) -> list[tuple]:
    result = graph.query(text)
    names = [v.value for v in result.variables]
    return [tuple(None if s[n] is None else str(s[n]) for n in names) for s in result]


def both(graph: GraphStore, name: str, params: dict[str, str]) -> tuple[list[tuple], list[tuple]]:
    """The answers of the named query and of its plain formulation, for the same parameters."""
    named = CATALOG[name]
    return answers(graph, named.render(params)), answers(graph, bind_values(REFERENCE[name], named.bindings(params)))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """A generated graph of three acts: every Member State with measures, chains of dependencies."""
    root = tmp_path_factory.mktemp("scale")
    generate.generate(root, generate.Plan(acts=3), seed=5)
    settings = Settings(root=root, store_path=root / "var" / "store")
    build(settings)
    return GraphStore.open(settings.store)


CASES = [
    ("obligations-depending-on", {"target": ID + "obligation/syn-1-1-1"}),
    ("obligations-depending-on", {"target": ID + "it-system/syn-system-2"}),
    ("statements-about", {"about": "http://data.europa.eu/eli/dir/2901/2/oj"}),
    ("statements-about", {"about": ID + "obligation/syn-2-4-1"}),
    ("statements-about", {"about": "http://publications.europa.eu/resource/authority/country/HUN"}),
    ("statements-about", {"about": "http://data.europa.eu/eli/reg/2901/3/oj", "asOf": "2901-04-28"}),
    ("implementation-gaps", {"memberState": "NL"}),
    ("implementation-gaps", {"memberState": "EL"}),
    ("implementation-gaps", {"memberState": "XX"}),
    ("impact-of-delay", {"target": ID + "it-system/syn-system-2", "delayDays": "400"}),
    ("impact-of-delay", {"target": ID + "obligation/syn-1-1-1", "delayDays": "30"}),
]


@pytest.mark.parametrize("name, params", CASES, ids=[f"{n}-{'-'.join(p.values()).rsplit('/', 1)[-1]}" for n, p in CASES])
def test_a_rewritten_query_answers_as_its_plain_form(synthetic: GraphStore, name: str, params: dict[str, str]):
    fast, plain = both(synthetic, name, params)
    assert fast == plain


def test_the_cases_are_not_empty(synthetic: GraphStore):
    empty = [(n, p) for n, p in CASES if p.get("memberState") != "XX" and not both(synthetic, n, p)[1]]
    assert not empty, f"cases that test nothing on the generated graph: {empty}"


# Shortest dependency paths on a graph made for it.

EDGES = {  # obligation -> what it depends on (asserted edges); target is the IT system "t"
    "a": ["t"],
    "c": ["a", "d"], "d": ["e"], "e": ["t"],               # a diamond: c reaches t in 2 and in 3
    "f": ["g"], "g": ["f", "t"],                           # a cycle
    **{f"h{i}": [f"h{i + 1}"] for i in range(1, 12)}, "h12": ["t"],   # a chain of 12 steps
    "x": ["t", "y"], "y": ["t"],
}


def _graph_text() -> str:
    lines = ["@prefix pg: <https://w3id.org/pactgraph/ontology#> .", "@prefix eli: <http://data.europa.eu/eli/ontology#> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
             f"<{ID}it-system/t> a pg:ITSystem .",
             f"<{ID}act/1> eli:id_local \"39990R0001\" . <{ID}act/1/art/1> eli:is_part_of <{ID}act/1> .",
             f"<{ID}organisation/ms> rdfs:label \"Member States\"@en ."]
    for name, targets in EDGES.items():
        lines.append(f"<{ID}obligation/{name}> a pg:Obligation ; rdfs:label \"{name}\"@en ; pg:provision \"{name}\" ; "
                     f"pg:imposedBy <{ID}act/1/art/1> ; pg:addressee <{ID}organisation/ms> ; "
                     f"pg:appliesFrom \"2030-01-01\"^^xsd:date .")
        for target in targets:
            kind = "it-system" if target == "t" else "obligation"
            lines.append(f"<{ID}obligation/{name}> pg:dependsOn <{ID}{kind}/{target}> .")
    return "\n".join(lines)


def _shortest(start: str, target: str = "t") -> int | None:
    seen, queue = {start}, deque([(start, 0)])
    while queue:
        node, steps = queue.popleft()
        for following in EDGES.get(node, []):
            if following == target:
                return steps + 1
            if following not in seen:
                seen.add(following)
                queue.append((following, steps + 1))
    return None


def test_the_path_length_is_the_shortest_asserted_path_up_to_ten_steps():
    store = Store()
    for path in sorted((PROJECT / "ontology").glob("*.ttl")):
        store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    store.load(_graph_text().encode(), format=RdfFormat.TURTLE, to_graph=DATA_GRAPH)
    materialise(store, PROJECT / "ontology" / "rules")   # the closure of dependsOn, as the build makes it
    graph = GraphStore(store)
    found = {row[0].rstrip(">").rsplit("/", 1)[-1]: row[-1] for row in
             answers(graph, CATALOG["obligations-depending-on"].render({"target": ID + "it-system/t"}))}
    expected = {name: _shortest(name) for name in EDGES}
    assert found == {name: None if length is None or length > 10 else f'"{length}"^^<http://www.w3.org/2001/XMLSchema#integer>'
                     for name, length in expected.items()}
    assert expected["c"] == 2 and expected["h1"] == 12 and expected["h2"] == 11 and expected["h3"] == 10
