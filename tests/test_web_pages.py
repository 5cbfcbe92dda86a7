"""The pages for people (``server/web.py``, ``server/pages.py``, ``server/resources.py``), the
timeline API (``server/timeline.py``) and the static files they load: every page answers with
its structure, the resource page shows what the graph holds about an IRI with its provenance
and its law, literals are escaped, and nothing a page loads comes from outside the server."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from pactgraph.server import pages
from pactgraph.server.resources import Elsewhere, Resource, describe
from pactgraph.store import GraphStore
from pactgraph.timeline import timeline
from pactgraph.vocab import CSVW, DATA_GRAPH, INFERRED_GRAPH, PG, PREFIXES, PROV, RDFS

from .conftest import rows

STATIC = Path(pages.__file__).parent / "static"
EURODAC_ACT = "http://data.europa.eu/eli/reg/2024/1358/oj"
ARTICLE_15 = "http://data.europa.eu/eli/reg/2024/1358/art_15/oj"
EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
PAGES = {"/": "query", "/dependencies": "graph", "/completeness": "heatmap", "/timeline": "timeline", "/resource": None}
#: A reference to something loaded from another host: script, style, picture, frame, import, font.
REMOTE_LOAD = re.compile(r"""(?:\bsrc\s*[=:]\s*["']?|<link[^>]*\bhref\s*=\s*["']?|\burl\(\s*["']?|@import\s+(?:url\()?\s*["']?|"""
                         r"""\bfrom\s+["']|\bimport\(\s*["']|importScripts\(\s*["']|sourceMappingURL=)\s*(?:https?:)?//""",
                         re.IGNORECASE)
VENDORED = {
    "codemirror": ["lib/codemirror.js", "lib/codemirror.css", "mode/sparql/sparql.js", "addon/edit/matchbrackets.js"],
    "cytoscape": ["dist/cytoscape.min.js"],
    "swagger-ui": ["swagger-ui-bundle.js", "swagger-ui.css"],
}


class Page(HTMLParser):
    """A page read back: its elements (tag, attributes, the id of the h2 above them) and text."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str], str | None]] = []
        self.text: list[str] = []
        self.section: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "h2":
            self.section = attributes.get("id")
        self.elements.append((tag, attributes, self.section))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def ids(self) -> set[str]:
        return {a["id"] for _, a, _ in self.elements if "id" in a}

    def links(self, section: str | None = ...) -> list[str]:  # type: ignore[assignment]
        return [a["href"] for t, a, s in self.elements if t == "a" and "href" in a and (section is ... or s == section)]

    def loads(self) -> list[str]:
        """What the browser fetches to show the page: scripts, stylesheets, icons, pictures."""
        found = [a["src"] for t, a, _ in self.elements if t in ("script", "img", "iframe") and a.get("src")]
        return found + [a["href"] for t, a, _ in self.elements if t == "link" and a.get("href")]

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def client(make_client):
    return make_client()


@pytest.fixture(scope="module")
def catalog(project_settings):
    from pactgraph.catalog import load_catalog

    return load_catalog(project_settings.queries_dir)


def resource_link(iri: str) -> str:
    return pages.resource_url(iri)


def linked_iri(link: str) -> str | None:
    """The IRI a link to a resource page is about (None for other links)."""
    parts = urlsplit(link)
    return parse_qs(parts.query)["iri"][0] if parts.path == "/resource" else None


# --- the pages ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_answers_with_the_navigation_and_its_own_parts(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert {"/", "/dependencies", "/completeness", "/timeline", "/docs"} <= set(page.links())
    current = [a["href"] for t, a, _ in page.elements if t == "a" and a.get("aria-current") == "page"]
    assert current == ([path] if path != "/resource" else [])
    if PAGES[path]:
        assert PAGES[path] in page.ids()


def test_the_query_page_has_the_prefixes_and_every_named_query(client, catalog):
    page = Page(client.get("/").text)
    [editor] = [a for t, a, _ in page.elements if t == "textarea" and a.get("id") == "query"]
    for name, iri in PREFIXES.items():
        assert f"PREFIX {name}: <{iri}>" in page.plain
    examples = {a["data-example"]: a["href"] for t, a, _ in page.elements if t == "a" and "data-example" in a}
    assert set(examples) == set(catalog)
    assert all(parse_qs(urlsplit(href).query) == {"example": [name]} for name, href in examples.items())
    assert "/static/vendor/codemirror/lib/codemirror.js" in page.loads() and "/static/app/query.js" in page.loads()


def test_a_browser_asking_the_endpoint_gets_the_query_page(client):
    response = client.get("/sparql", headers={"accept": BROWSER})
    assert response.status_code == 200 and "query-form" in Page(response.text).ids()


def test_the_dependency_page_loads_cytoscape_and_its_script(client):
    loads = Page(client.get("/dependencies").text).loads()
    assert "/static/vendor/cytoscape/dist/cytoscape.min.js" in loads and "/static/app/dependencies.js" in loads


def test_the_api_documentation_uses_the_vendored_swagger_ui(client):
    page = Page(client.get("/docs").text)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page.loads()
    assert "/static/vendor/swagger-ui/swagger-ui.css" in page.loads()


# --- the resource page --------------------------------------------------------------------

def test_the_page_of_an_act_shows_celex_eurlex_incoming_links_and_provenance(client, graph):
    response = client.get("/resource", params={"iri": EURODAC_ACT})
    assert response.status_code == 200
    page = Page(response.text)
    assert "Regulation (EU) 2024/1358" in page.plain and "Eurodac Regulation" in page.plain
    assert "32024R1358" in page.plain
    assert EURLEX + "32024R1358" in page.links() and EURODAC_ACT in page.links()
    articles = {r["a"] for r in rows(graph, f"SELECT ?a WHERE {{ ?a eli:is_part_of <{EURODAC_ACT}> }}")}
    assert len(articles) > 50 and {resource_link(a) for a in articles} <= set(page.links("incoming"))
    expected_rows = {r["row"] for r in rows(graph, f"SELECT ?row WHERE {{ ?row csvw:describes <{EURODAC_ACT}> }}")}
    shown = {linked_iri(link) for link in page.links("provenance")}
    assert {iri for iri in shown if iri and "/sources/" in iri} == expected_rows and len(expected_rows) >= 2
    assert "acts.csv, line" in page.plain and "https://w3id.org/pactgraph/id/source/eurlex-32024R1358" in shown


def test_the_properties_are_grouped_with_language_tags_and_linked_values(client):
    page = Page(client.get("/resource", params={"iri": EURODAC_ACT}).text)
    assert page.plain.count("Verordening (EU) 2024/1358 nl") == 1 and "Regulation (EU) 2024/1358 en" in page.plain
    assert resource_link("http://data.europa.eu/eli/reg/2013/603/oj") in page.links("properties")
    assert "http://publications.europa.eu/resource/celex/32024R1358" in page.links("properties")  # out of the graph
    assert "inferred" in page.plain  # eli:repeals is implied by pg:repeals


def test_the_page_of_an_article_links_to_the_article_on_eurlex(client):
    page = Page(client.get("/resource", params={"iri": ARTICLE_15}).text)
    assert EURLEX + "32024R1358#art_15" in page.links()
    assert "Article 15: Collection and transmission of biometric data" in page.plain
    assert resource_link(EURODAC_ACT) in page.links()


def test_an_obligation_page_links_to_its_dependencies(client):
    iri = "https://w3id.org/pactgraph/id/obligation/eurodac-15-2"
    page = Page(client.get("/resource", params={"iri": iri}).text)
    assert any(link.startswith("/dependencies?target=") and iri in parse_qs(urlsplit(link).query)["target"]
               for link in page.links())
    assert "P2D (2 days)" in page.plain


def test_a_named_graph_has_a_page_with_its_size(client, graph):
    response = client.get("/resource", params={"iri": DATA_GRAPH.value})
    assert response.status_code == 200
    assert f"holds {graph.graph_sizes()[DATA_GRAPH.value]} statements" in Page(response.text).plain


def test_an_rdf_list_reads_as_its_members(client):
    page = Page(client.get("/resource", params={"iri": PG + "isDependencyOf"}).text)
    assert "( obligation , IT system , procedure )" in page.plain


def test_a_celex_number_or_a_name_redirects_to_the_iri(client):
    for text, iri in (("32024R1358", EURODAC_ACT), ("eurodac", "https://w3id.org/pactgraph/id/it-system/eurodac")):
        response = client.get("/resource", params={"iri": text}, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == resource_link(iri)


def test_an_unknown_iri_is_a_friendly_404(client):
    response = client.get("/resource", params={"iri": "https://example.org/not-in-the-graph"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    page = Page(response.text)
    assert "Not in the graph" in page.plain and "https://example.org/not-in-the-graph" in page.links()
    assert "/" in page.links() and any(t == "form" and a.get("action") == "/resource" for t, a, _ in page.elements)


def test_an_ambiguous_name_lists_the_candidates(client):
    response = client.get("/resource", params={"iri": "ammr"})
    assert response.status_code == 404
    links = Page(response.text).links()
    assert resource_link("https://w3id.org/pactgraph/id/obligation/ammr-41-1") in links


def test_a_script_in_the_request_is_escaped_on_the_404_page(client):
    response = client.get("/resource", params={"iri": "<script>alert(1)</script>"})
    assert response.status_code == 404
    assert "<script>alert(1)" not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def crafted_graph() -> GraphStore:
    """A graph whose literals and IRIs try to break out of the page."""
    store = Store()
    thing, other, row = NamedNode("urn:test:thing"), NamedNode("urn:test:other"), NamedNode("https://w3id.org/pactgraph/sources/x.csv#row=2")
    store.extend([
        Quad(thing, NamedNode(RDFS + "label"), Literal("<script>alert('label')</script>", language="en"), DATA_GRAPH),
        Quad(thing, NamedNode(RDFS + "comment"), Literal("a & b <img src=x onerror=alert(2)>"), DATA_GRAPH),
        Quad(thing, NamedNode(PG + "about"), NamedNode("urn:test:x'onmouseover='alert(3)"), DATA_GRAPH),
        Quad(other, NamedNode(PG + "about"), thing, INFERRED_GRAPH),
        Quad(other, NamedNode(RDFS + "label"), Literal("</td></table><script>alert(4)</script>"), DATA_GRAPH),
        Quad(row, NamedNode(CSVW + "describes"), thing, DATA_GRAPH),
        Quad(row, NamedNode(PG + "locator"), Literal("<b>Art 1</b>"), DATA_GRAPH),
        Quad(row, NamedNode(PROV + "wasDerivedFrom"), NamedNode("urn:test:source"), DATA_GRAPH),
    ])
    return GraphStore(store)


def test_every_literal_and_iri_of_the_graph_is_escaped():
    resource = describe(crafted_graph(), "urn:test:thing")
    assert isinstance(resource, Resource)
    html = pages.resource_page(resource)
    for raw in ("<script>alert", "<img src=x", "'onmouseover=", "</td></table>", "<b>Art 1</b>"):
        assert raw not in html
    assert "&lt;script&gt;alert(&#x27;label&#x27;)&lt;/script&gt;" in html
    assert "a &amp; b &lt;img src=x onerror=alert(2)&gt;" in html and "&lt;b&gt;Art 1&lt;/b&gt;" in html
    page = Page(html)
    assert "<script>alert('label')</script>" in page.plain  # the text itself reads as written
    assert [src for src in page.loads() if "alert" in src] == []


def test_describe_marks_inferred_statements_and_reads_the_source_row():
    resource = describe(crafted_graph(), "urn:test:thing")
    [about] = [g for g in resource.incoming if g.predicate == PG + "about"]
    assert [v.value for v in about.values] == ["urn:test:other"] and about.values[0].inferred
    [row] = resource.provenance
    assert (row.table, row.line, row.locator, row.source) == ("x.csv", 2, "<b>Art 1</b>", "urn:test:source")


def test_describe_resolves_names_and_rejects_the_unknown(graph):
    assert describe(graph, "32024R1358") == Elsewhere(EURODAC_ACT)
    unknown = describe(graph, "urn:test:nothing")
    assert not isinstance(unknown, (Resource, Elsewhere)) and unknown.kind == "not-found"


def test_a_resource_without_an_iri_gets_a_form(client):
    page = Page(client.get("/resource").text)
    assert any(t == "input" and a.get("name") == "iri" for t, a, _ in page.elements)


def test_durations_read_as_words():
    assert pages.humanize_duration("P2D") == "2 days" and pages.humanize_duration("PT72H") == "72 hours"
    assert pages.humanize_duration("P1Y6M") == "1 year, 6 months" and pages.humanize_duration("soon") is None


# --- the text of a named query for the editor ----------------------------------------------

def test_the_text_of_a_named_query_has_its_parameters_bound(client):
    response = client.get("/api/queries/obligations-of-member-state/text", params={"memberState": "EL"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/sparql-query")
    assert '"EL"' in response.text and "# title: Obligations of a Member State" in response.text
    default = client.get("/api/queries/obligations-of-member-state/text").text
    assert '"NL"' in default  # the default


def test_the_text_of_a_named_query_rejects_what_the_query_would(client):
    wrong = client.get("/api/queries/articles-of-act/text", params={"celex": "not-a-celex"})
    assert wrong.status_code == 422 and wrong.json()["parameter"] == "celex"
    assert client.get("/api/queries/articles-of-act/text", params={"colour": "red"}).status_code == 422
    unknown = client.get("/api/queries/obligations-of-mars/text")
    assert unknown.status_code == 404 and "acts" in unknown.json()["known"]


# --- GET /api/timeline --------------------------------------------------------------------

def test_the_timeline_api_answers_the_entries_of_the_library(client, graph, project_settings):
    from datetime import date

    body = client.get("/api/timeline", params={"memberState": "NLD", "from": "2026-01-01"}).json()
    expected = timeline(graph, project_settings.queries_dir, member_state="NL", start=date(2026, 1, 1))
    assert body == expected.as_json() and body["memberState"] == "NL" and len(body["entries"]) > 5
    assert all(e["date"] >= "2026-01-01" and e["memberState"] in (None, "NL") for e in body["entries"])


def test_the_timeline_api_says_what_is_wrong(client):
    assert client.get("/api/timeline", params={"memberState": "XX"}).status_code == 404
    reversed_period = client.get("/api/timeline", params={"from": "2026-02-01", "to": "2026-01-01"})
    assert reversed_period.status_code == 400 and "before it starts" in reversed_period.json()["detail"]
    assert client.get("/api/timeline", params={"to": "31-12-2026"}).status_code == 422


# --- static files: vendored, licensed, all there, all local ---------------------------------

@pytest.mark.parametrize("library", sorted(VENDORED))
def test_vendored_libraries_are_served_with_their_licence(client, library):
    licence = STATIC / "vendor" / library / "LICENSE"
    assert licence.is_file() and re.search(r"MIT License|Permission is hereby granted|Apache License", licence.read_text())
    assert client.get(f"/static/vendor/{library}/LICENSE").status_code == 200
    for name in VENDORED[library]:
        response = client.get(f"/static/vendor/{library}/{name}")
        assert response.status_code == 200 and len(response.content) > 1000


def test_every_asset_a_page_loads_is_local_and_served(client):
    for path in [*PAGES, "/docs", f"/resource?iri={EURODAC_ACT}"]:
        for asset in Page(client.get(path).text).loads():
            assert asset.startswith("/static/"), f"{path} loads {asset}"
            assert client.get(asset).status_code == 200, f"{path} loads {asset}, which is missing"


def test_no_static_file_loads_anything_from_another_host():
    files = [p for p in STATIC.rglob("*") if p.suffix in (".js", ".css", ".html", ".svg")]
    assert len(files) >= 10
    for path in files:
        found = REMOTE_LOAD.search(path.read_text(encoding="utf-8"))
        assert found is None, f"{path.relative_to(STATIC)} loads from another host: {found.group(0)!r}"


def test_the_remote_load_check_catches_what_it_is_meant_to():
    for text in ("<script src='https://cdn.example/x.js'>", "el.src = \"//cdn.example/x.js\"", "{src: 'https://x'}",
                 "@import url(https://fonts.example/f.css);", "background: url('https://x/y.png')",
                 "import x from 'https://esm.example/x.js';", "//# sourceMappingURL=https://x/y.map",
                 "<link rel=stylesheet href=https://x/y.css>"):
        assert REMOTE_LOAD.search(text), text
    assert REMOTE_LOAD.search("a link to <a href='https://eur-lex.europa.eu/'>EUR-Lex</a>") is None


def test_the_pages_own_scripts_and_styles_name_no_other_host():
    for path in [*(STATIC / "app").glob("*.js"), *(STATIC / "app").glob("*.css")]:
        assert re.search(r"https?://", path.read_text(encoding="utf-8")) is None, path.name


def test_the_page_scripts_import_only_local_modules():
    for path in (STATIC / "app").glob("*.js"):
        for target in re.findall(r"""\bfrom\s+["']([^"']+)["']""", path.read_text(encoding="utf-8")):
            assert target.startswith("./") and (path.parent / target).is_file(), f"{path.name} imports {target}"
