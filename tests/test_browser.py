"""The pages in a real browser (Chromium through Playwright) against a real server: a named
query run and its results followed to a resource page, the dependency graph drawn and
clicked, the completeness heat map, the timeline and the API documentation.

Every request that would leave the loopback interface is aborted and recorded, and every test
ends by asserting that there was none and that the page logged no error: the pages work
offline. Screenshots go to ``tests/artefacts/``.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from pactgraph.dependencies import Direction, walk
from pactgraph.timeline import timeline

from .conftest import require_program, rows

ARTEFACTS = Path(__file__).parent / "artefacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EURODAC = "https://w3id.org/pactgraph/id/it-system/eurodac"
WAIT = 60_000  # ms; generous, for a loaded machine: nothing here is about speed


@pytest.fixture(scope="module")
def browser():
    executable = require_program("chromium", "the browser tests drive a real Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def base_url(live_server) -> str:
    return live_server("--timeout", "120")


class Visit:
    """One browser page on the server, recording what went wrong: requests to other hosts
    (aborted), console errors and uncaught exceptions."""

    def __init__(self, browser, base_url: str):
        self.base = base_url
        self.context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True,
                                           service_workers="block")
        self.offsite: list[str] = []
        self.errors: list[str] = []
        self.expected_errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _route(self, route) -> None:
        host = urlsplit(route.request.url).hostname
        if host != "127.0.0.1":
            self.offsite.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)

    def screenshot(self, name: str, *, full_page: bool = False) -> None:
        ARTEFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=full_page)

    def check(self) -> None:
        """Nothing left the machine, and the only errors logged were the ones expected."""
        unexpected = [e for e in self.errors if not any(expected in e for expected in self.expected_errors)]
        assert self.offsite == [], f"requests to other hosts: {self.offsite}"
        assert unexpected == [], f"errors in the browser console: {unexpected}"


@pytest.fixture
def visit(browser, base_url):
    opened = Visit(browser, base_url)
    yield opened
    try:
        opened.check()
    finally:
        opened.context.close()


def editor_text(page) -> str:
    return page.evaluate("window.pactgraph.editor.getValue()")


def result_rows(page) -> int:
    return page.locator("table.results tbody tr").count()


def test_a_named_query_runs_and_its_iris_lead_to_resource_pages(visit, graph):
    page = visit.page
    visit.open("/")
    page.wait_for_selector(".CodeMirror .cm-keyword")  # the editor highlights SPARQL
    page.click("a[data-example='acts']")
    page.wait_for_function("window.pactgraph.editor.getValue().includes('# title: Legal acts')")
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    acts = rows(graph, "SELECT DISTINCT ?act WHERE { ?act a ?t ; eli:id_local ?c . ?t rdfs:subClassOf* pg:LegalAct }")
    assert result_rows(page) == len(acts) > 10
    assert parse_qs(urlsplit(page.url).query) == {"example": ["acts"]}
    assert page.locator("table.results thead th").all_inner_texts()[1:4] == ["act", "celex", "label"]
    visit.screenshot("query-results", full_page=True)

    with page.expect_download() as download:
        page.click("#download-table")
    table = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert table[0][:3] == ["act", "celex", "label"] and len(table) == len(acts) + 1
    assert download.value.suggested_filename == "acts.csv"
    with page.expect_download() as download:
        page.click("#download-json")
    results = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(results["results"]["bindings"]) == len(acts)

    link = page.locator("table.results tbody tr td:nth-child(2) a", has_text="2024/1358")
    link.click()
    page.wait_for_url("**/resource?iri=*")
    assert page.locator("h1").inner_text() == "Regulation (EU) 2024/1358"
    assert page.locator("table.props tbody tr").count() > 5
    assert page.locator(".legal a[href*='CELEX:32024R1358']").count() == 1
    visit.screenshot("resource-page", full_page=True)


def test_a_named_query_with_parameters_reruns_with_new_values(visit, graph):
    page = visit.page
    visit.open("/?example=articles-of-act&celex=32024R1358")
    page.wait_for_selector("table.results tbody tr")
    def articles(celex: str) -> int:
        return len(rows(graph, f'SELECT ?a WHERE {{ ?a eli:is_part_of ?act . ?act eli:id_local "{celex}" }}'))
    assert result_rows(page) == articles("32024R1358")
    assert 'VALUES (?celex) { ("32024R1358") }' in editor_text(page)
    page.fill(".params input[name='celex']", "32024R1356")
    page.click(".params button[type='submit']")
    page.wait_for_function("document.querySelector('#query-form') && "
                           "window.pactgraph.editor.getValue().includes('32024R1356')")
    page.wait_for_function(f"document.querySelectorAll('table.results tbody tr').length === {articles('32024R1356')}")
    assert parse_qs(urlsplit(page.url).query) == {"example": ["articles-of-act"], "celex": ["32024R1356"]}


def test_a_mistake_is_shown_readably_and_a_shared_link_reopens_the_query(visit, browser, base_url):
    page = visit.page
    visit.open("/")
    page.wait_for_selector(".CodeMirror")
    visit.expected_errors.append("400")  # the browser logs the failed request itself
    page.evaluate("window.pactgraph.editor.setValue('SELECT ?x WHERE { ?x }')")
    page.click("#run")
    error = page.wait_for_selector("#results .error")
    assert "The query has a mistake" in error.inner_text() and "not valid SPARQL" in error.inner_text()
    assert page.locator(".CodeMirror .error-line").count() == 1  # the line the message names
    visit.screenshot("query-error")

    query = 'CONSTRUCT { ?act rdfs:label ?label } WHERE { ?act eli:id_local "32024R1358" ; rdfs:label ?label }'
    page.evaluate(f"window.pactgraph.editor.setValue({json.dumps(query)})")
    page.click("#run")
    turtle = page.wait_for_selector("pre.graph-result")
    assert "Regulation (EU) 2024/1358" in turtle.inner_text() and "Verordening (EU) 2024/1358" in turtle.inner_text()
    page.click("#share")
    shared = page.input_value("#share-link")
    assert "#query=" in shared

    other = Visit(browser, base_url)
    try:
        other.page.goto(shared)
        other.page.wait_for_selector("pre.graph-result")
        assert editor_text(other.page) == query
        other.check()
    finally:
        other.context.close()


def test_the_dependency_view_draws_the_graph_and_recentres_on_a_click(visit, graph):
    page = visit.page
    visit.open("/dependencies?target=eurodac")
    page.wait_for_selector(f"#graph[data-target='{EURODAC}']")
    up, down = walk(graph, EURODAC, Direction.up), walk(graph, EURODAC, Direction.down)
    assert int(page.get_attribute("#graph", "data-nodes")) == 1 + len(up.reached) + len(down.reached)
    assert page.evaluate("window.pactgraph.graph.edges().length") >= len(up.reached)
    page.wait_for_selector("#impact-result table tbody tr")
    visit.screenshot("dependencies")

    chosen = next(r.iri for r in up.reached if r.depth == 1)
    label = rows(graph, f'SELECT ?l WHERE {{ <{chosen}> rdfs:label ?l FILTER (lang(?l) = "en") }}')[0]["l"]
    x, y = page.evaluate("""async (iri) => {
        // All of the graph in the viewport, and the scroll seen by cytoscape (scroll events are
        // dispatched before the next animation frame) before it maps a click to a node.
        document.getElementById('graph').scrollIntoView({block: 'start'});
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        const position = window.pactgraph.graph.$id(iri).renderedPosition();
        const box = document.getElementById('graph').getBoundingClientRect();
        return [box.x + position.x, box.y + position.y];
    }""", chosen)
    page.mouse.click(x, y)
    assert page.locator("#node-info h3").inner_text() == label
    page.click("#node-info button:has-text('Centre the view here')")
    page.wait_for_selector(f"#graph[data-target='{chosen}']")
    assert parse_qs(urlsplit(page.url).query)["target"] == [chosen]
    below = walk(graph, chosen, Direction.down)
    assert int(page.get_attribute("#graph", "data-nodes")) == 1 + len(below.reached) + len(walk(graph, chosen).reached)

    page.fill("#target", "ammr")  # ambiguous: the candidates are offered
    visit.expected_errors.append("409")
    page.click("#target-form button[type='submit']")
    candidate = page.wait_for_selector(".candidates button")
    candidate.click()
    page.wait_for_function("document.getElementById('graph').dataset.target.includes('/obligation/ammr-')")


def test_the_completeness_heat_map_links_cells_to_their_gaps(visit, graph):
    states = {r["code"] for r in rows(graph, "SELECT ?code WHERE { ?ms a pg:MemberState ; pg:euCountryCode ?code }")}
    with_measures = {r["code"] for r in rows(graph, """SELECT DISTINCT ?code WHERE {
        ?m pg:memberState ?ms ; a/rdfs:subClassOf* pg:NationalMeasure . ?ms pg:euCountryCode ?code }""")}
    assert "NL" in with_measures
    page = visit.page
    visit.open("/completeness")
    page.wait_for_selector("table.heatmap tbody tr")
    assert page.locator("table.heatmap tbody tr").count() == len(states) == 27
    netherlands = page.locator("table.heatmap tbody tr", has_text="Netherlands")
    cell = netherlands.locator("td a").first
    href = cell.get_attribute("href")
    assert href.startswith("#gaps-NL-")
    assert page.locator("td.nodata").count() == len(states - with_measures)
    visit.screenshot("completeness")
    cell.click()
    target = page.locator(href)
    assert target.is_visible() and target.locator("tbody tr").count() > 0
    assert page.evaluate("location.hash") == href


def test_the_timeline_groups_entries_and_follows_the_filters(visit, graph, project_settings):
    page = visit.page
    visit.open("/timeline?memberState=NL")
    page.wait_for_selector(".timeline li.entry")
    everything = timeline(graph, project_settings.queries_dir, member_state="NL")
    assert page.locator(".timeline li.entry").count() == len(everything.entries)
    years = sorted({e.date.year for e in everything.entries})
    assert page.locator(".timeline .year > h2").all_inner_texts() == [str(y) for y in years]
    visit.screenshot("timeline")

    page.fill("#from", "2026-01-01")
    page.click("#filter button[type='submit']")
    since = timeline(graph, project_settings.queries_dir, member_state="NL", start=date(2026, 1, 1))
    page.wait_for_function(f"document.querySelectorAll('.timeline li.entry').length === {len(since.entries)}")
    assert parse_qs(urlsplit(page.url).query) == {"memberState": ["NL"], "from": ["2026-01-01"]}
    page.locator(".timeline li.entry a").first.click()
    page.wait_for_url("**/resource?iri=*")
    assert parse_qs(urlsplit(page.url).query)["iri"] == [since.entries[0].item]
    assert page.locator("table.props tbody tr").count() > 0


def test_the_api_documentation_works_offline(visit):
    page = visit.page
    visit.open("/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "pactgraph" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path", has_text="/api/timeline").count() == 1
    visit.screenshot("api-docs")
