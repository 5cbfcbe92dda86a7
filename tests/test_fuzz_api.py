"""Fuzzing the HTTP API: never a server error (5xx), whatever is sent.

- From the app's own OpenAPI description (schemathesis): for every operation, parameters,
  headers and bodies valid by the schema and deliberately invalid. The app is the real one over
  the real graph as ``pactgraph serve`` runs it, its Cellar queries pointed at the local
  stand-in (no network in tests); a second, writable app fuzzes the write routes with the token.
- The SPARQL endpoint, whose query the description cannot type (it reads the protocol's own
  parameters): random text and valid queries with random edits (Hypothesis). A query stopped by
  the timeout (503, "too long") is the server doing its job, not failing.

The number of examples is bounded so that the whole file runs in about a minute.
schemathesis' own pytest integration (``@schema.parametrize()`` with a fixture) does not run
under this pytest, so the operations are walked here and each is given to Hypothesis directly.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from pactgraph.federation import CELLAR_SPARQL
from pactgraph.vocab import BUILD_GRAPH

TOKEN = "fuzzing token"
WRITES = "SPARQL 1.1 Update and Graph Store Protocol"
#: Examples per operation and mode: enough to reach every parameter's edge cases, few enough
#: for about a minute in all; derandomized, so that a failure replays.
EXAMPLES = 15
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
#: Values fixed for an operation, the others still generated: validation runs on the small
#: build graph (the whole graph takes tens of seconds, test_api_reports covers it).
FIXED = {"POST /api/validate": {"query": {"graph": BUILD_GRAPH.value}}}


def fuzz(schema: schemathesis.BaseSchema, headers: dict[str, str] | None = None) -> dict[str, str]:
    """Every operation of the schema, in both modes; returns the failures by operation."""
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema lists no operation"
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, **FIXED.get(operation.label, {}))

            @FUZZ
            @given(case=strategy)
            def run(case: schemathesis.Case) -> None:
                case.call_and_validate(checks=[not_a_server_error], headers=headers)

            try:
                run()
            except Unsatisfiable:
                pass  # nothing in the schema to violate: the mode has no example to make
            except (Exception, ExceptionGroup) as error:  # noqa: BLE001 - collected: one run shows every failing operation
                failures[f"{operation.label} ({mode.value})"] = f"{type(error).__name__}: {error}"[:3000]
    return failures


def report(failures: dict[str, str]) -> str:
    return "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())


@pytest.fixture(scope="module")
def cellar_stand_in(cellar):
    """The Cellar endpoint reached at the local stand-in, for the workers the fixtures start."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PACTGRAPH_SERVICE_REDIRECTS", f"{CELLAR_SPARQL}={cellar}")
        yield


@pytest.fixture(scope="module")
def read_only_schema(make_client, cellar_stand_in) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", make_client(workers=1).app)


@pytest.fixture(scope="module")
def writable_schema(make_client, cellar_stand_in, tmp_path_factory) -> schemathesis.BaseSchema:
    client = make_client(allow_update=True, update_token=TOKEN, workers=1,
                         scratch_path=tmp_path_factory.mktemp("fuzz-scratch") / "store")
    return schemathesis.openapi.from_asgi("/openapi.json", client.app).include(tag=WRITES)


def test_no_operation_answers_a_server_error(read_only_schema):
    failures = fuzz(read_only_schema)
    assert not failures, report(failures)


def test_no_write_answers_a_server_error_with_the_token(writable_schema):
    failures = fuzz(writable_schema, headers={"authorization": f"Bearer {TOKEN}"})
    assert not failures, report(failures)


# --- the SPARQL endpoint ----------------------------------------------------------------------------

VALID = [
    'SELECT ?act ?label WHERE { ?act eli:id_local "32024R1358" ; rdfs:label ?label FILTER(lang(?label) = "en") }',
    "SELECT ?o (COUNT(*) AS ?n) WHERE { ?o pg:dependsOn+ ?x OPTIONAL { ?o rdfs:label ?l } } GROUP BY ?o ORDER BY DESC(?n) LIMIT 5",
    "ASK { GRAPH <https://w3id.org/pactgraph/graph/data> { ?s a pg:MemberState } }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a pg:Regulation ; rdfs:label ?l } LIMIT 10",
    "DESCRIBE <http://data.europa.eu/eli/reg/2024/1358/oj>",
    "SELECT * WHERE { VALUES (?a ?b) { (1 'x') (UNDEF <urn:y>) } BIND(STRLEN(STR(?b)) + ?a AS ?c) } ORDER BY ?c",
    "SELECT * WHERE { ?s ?p ?o FILTER(REGEX(STR(?o), '^[a-z]+$', 'i')) } LIMIT 3",
]
#: Characters that matter to a SPARQL lexer, and some that matter to nobody.
TOKENS = list("{}()[]<>\"'#\\?$:.;,*|^!/@-+=&_ \n\t\r0") + ["\u0000", "\u00e9", "\U0001F600", "\ufeff", '"""', "'''",
                                                         "SERVICE ", "GRAPH ", "FILTER(", "<urn:x>", "\\u0022", "%"]


@st.composite
def edited_queries(draw: st.DrawFn) -> str:
    """A valid query with a few random cuts, insertions and swaps."""
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["cut", "insert", "swap"]))
        if edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 8)):]
        elif edit == "insert":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2:]
    return text


ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)


@pytest.fixture(scope="module")
def endpoint(make_client):
    """The endpoint with a short timeout, so that an accidental cartesian product costs two seconds."""
    return make_client(query_timeout=2.0, workers=1)


def check_answer(response) -> None:
    if response.status_code == 503:
        assert "too long" in response.text or "busy" in response.text, response.text
        return
    assert response.status_code in (200, 400, 403, 406), (response.status_code, response.text[:500])
    assert "Traceback (most recent call last)" not in response.text


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(query=st.one_of(edited_queries(), ANY_TEXT))
def test_any_query_text_gets_an_answer_or_a_client_error(endpoint, query):
    check_answer(endpoint.get("/sparql", params={"query": query}))


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(edited_queries().map(str.encode), st.binary(max_size=300)),
       content_type=st.sampled_from(["application/sparql-query", "application/x-www-form-urlencoded",
                                     "application/sparql-query; charset=utf-8", "application/sparql-update"]),
       accept=st.sampled_from(["*/*", "text/csv", "text/turtle", "application/sparql-results+xml",
                               "application/ld+json;q=0.5, text/tab-separated-values", "image/png"]))
def test_any_post_body_gets_an_answer_or_a_client_error(endpoint, body, content_type, accept):
    response = endpoint.post("/sparql", content=body, headers={"content-type": content_type, "accept": accept})
    if content_type == "application/sparql-update":
        assert response.status_code in (400, 403), response.text  # read-only: refused, whatever it says
        return
    check_answer(response)
