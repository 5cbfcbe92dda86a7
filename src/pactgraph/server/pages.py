"""What the server says about itself: the pages for people, the SPARQL service description
(W3C ``sd:`` vocabulary) for programs.

The pages share one layout (``layout``): the navigation, the stylesheet and the page's own
script, all served from ``/static`` so that they work without a network. The query,
dependency, completeness and timeline pages are shells their scripts fill from the API; the
resource page is rendered here, from the data ``resources.describe`` gathers. Every text that
comes from the graph or the request is HTML-escaped where it is written into the page.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any, Iterable, Sequence
from urllib.parse import quote, urlencode

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..catalog import CatalogError, load_catalog
from ..settings import Settings
from ..vocab import BASE, COUNTRY, DATA_GRAPH, ELI, PG, PREFIXES, RDF, SKOS, VOID, XSD
from .resources import FOAF, PropertyGroup, Resource, SourceRow, Value

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")

#: The navigation of every page: path, name.
NAV = (("/", "Query"), ("/dependencies", "Dependencies"), ("/completeness", "Completeness"),
       ("/timeline", "Timeline"), ("/docs", "API docs"))
#: Prefixes for showing IRIs short; queries get only the project's own (``PREFIXES``).
DISPLAY_PREFIXES = {**PREFIXES, "foaf": FOAF, "country": COUNTRY}
#: IRIs in these spaces have a resource page; others are links out of the graph.
RESOURCE_SPACES = (BASE, "http://data.europa.eu/eli/", COUNTRY)
NOT_RESOURCE_SPACES = (ELI,)
#: Types whose resources have a dependency view.
DEPENDENCY_TYPES = {PG + "Obligation", PG + "ITSystem", PG + "Procedure"}
SKOS_ALT_LABEL = SKOS + "altLabel"

_DURATION = re.compile(r"^P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
                       r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$")
_DURATION_WORDS = {"Y": "year", "M": "month", "W": "week", "D": "day", "h": "hour", "m": "minute", "s": "second"}

DEFAULT_QUERY = """# The legal acts in the graph with their CELEX number. Ctrl+Enter runs the query.
SELECT ?act ?celex ?label WHERE {
  ?act a pg:LegalAct ;
       eli:id_local ?celex ;
       rdfs:label ?label .
  FILTER (lang(?label) = "en")
}
ORDER BY ?celex
"""


# --- the layout -------------------------------------------------------------------------

def layout(title: str, body: str, *, active: str | None = None, scripts: Sequence[str] = (),
           classic_scripts: Sequence[str] = (), styles: Sequence[str] = (), wide: bool = False) -> str:
    """A whole page: head, navigation, ``body`` (HTML, already escaped), footer and scripts.

    ``classic_scripts`` (the vendored libraries, which define globals) run before ``scripts``
    (the page's own ES modules); both are deferred, so they run in this order once the page
    is parsed. The page data (prefixes, which IRIs have a resource page) travels as JSON in
    the page, so that the scripts need no request to start.
    """
    current = " aria-current='page'"
    nav = "".join(f"<a href='{escape(path)}'{current if path == active else ''}>{escape(name)}</a>" for path, name in NAV)
    data = {"prefixes": DISPLAY_PREFIXES, "queryPrefixes": PREFIXES, "resourceSpaces": list(RESOURCE_SPACES),
            "notResourceSpaces": list(NOT_RESOURCE_SPACES), "dataGraph": DATA_GRAPH.value}
    links = "".join(f"<link rel='stylesheet' href='{escape(href)}'>" for href in ("/static/app/site.css", *styles))
    tags = "".join(f"<script defer src='{escape(src)}'></script>" for src in classic_scripts)
    tags += "".join(f"<script type='module' src='{escape(src)}'></script>" for src in scripts)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(title)} · pactgraph</title>"
        "<link rel='icon' href='/static/app/favicon.svg' type='image/svg+xml'>"
        f"{links}{tags}</head><body>"
        "<header class='site'><div class='bar'><a class='brand' href='/'>pact<span>graph</span></a>"
        "<span class='tagline'>EU Pact on Migration and Asylum</span>"
        f"<nav aria-label='Main'>{nav}</nav></div></header>"
        f"<main class='{'wide' if wide else 'narrow'}'>{body}</main>"
        "<footer class='site'><p>The whole graph: <a href='/dump.ttl'>Turtle</a> · <a href='/dump.nq'>N-Quads</a> · "
        "<a href='/dump.jsonld'>JSON-LD</a>. SPARQL 1.1 endpoint: <code>/sparql</code>. "
        "Every fact traces to a source document and a locator.</p></footer>"
        f"<script type='application/json' id='page-data'>{_json_in_html(data)}</script>"
        "</body></html>")


def _json_in_html(value: Any) -> str:
    """JSON that cannot end the script element it sits in, nor open a comment."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- the query page -----------------------------------------------------------------------

def home_page(settings: Settings) -> str:
    """The query page a browser gets at ``/`` (and at ``/sparql`` without a query): a SPARQL editor
    with the project's prefixes, and the named queries as examples to open in it."""
    try:
        catalog = load_catalog(settings.queries_dir)
        items = "".join(
            f"<li><a href='/?{escape(urlencode({'example': q.name}))}' data-example='{escape(q.name)}'>"
            f"<strong>{escape(q.title)}</strong></a><code>{escape(q.name)}</code>"
            f"<p>{escape(q.description)}</p></li>" for q in catalog.values())
    except CatalogError as error:
        items = f"<li class='problem'>The named queries cannot be read: {escape(str(error))}</li>"
    update = ("<p class='note'>Updates are enabled on a scratch store: SPARQL Update at <code>/update</code>, the Graph "
              "Store Protocol at <code>/store</code> (with the bearer token). Queries here read the scratch store.</p>"
              ) if settings.allow_update else ""
    prefixes = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    starter = escape(prefixes + "\n" + DEFAULT_QUERY)
    body = f"""
<div class='query-layout'>
<section class='query-pane' aria-labelledby='query-title'>
  <h1 id='query-title'>Query the graph</h1>
  <p class='lead'>The knowledge graph of the EU Pact on Migration and Asylum: its acts and articles, the
  obligations they impose and what these depend on, the Member States' national measures and the parliamentary
  record. Write a SPARQL query, or open one of the named queries.</p>
  {update}
  <div id='example' class='example' hidden></div>
  <form id='query-form' class='query-form' method='post' action='/sparql'>
    <label for='query' class='visually-hidden'>SPARQL query</label>
    <textarea id='query' name='query' rows='18' spellcheck='false'>{starter}</textarea>
    <div class='toolbar'>
      <button type='submit' id='run' class='primary'>Run query</button>
      <span class='hint'>Ctrl+Enter</span>
      <span class='spacer'></span>
      <button type='button' id='share'>Copy link</button>
      <button type='button' id='download-table' disabled>Download CSV</button>
      <button type='button' id='download-json' disabled>Download JSON</button>
    </div>
    <div id='share-box' class='share-box' hidden><label>Link to this query <input id='share-link' readonly></label></div>
  </form>
  <section id='results' class='results' aria-live='polite'></section>
</section>
<aside class='examples' aria-labelledby='examples-title'>
  <h2 id='examples-title'>Named queries</h2>
  <ul id='examples'>{items}</ul>
</aside>
</div>"""
    return layout("Query", body, active="/", wide=True,
                  styles=("/static/vendor/codemirror/lib/codemirror.css",),
                  classic_scripts=("/static/vendor/codemirror/lib/codemirror.js",
                                   "/static/vendor/codemirror/mode/sparql/sparql.js",
                                   "/static/vendor/codemirror/addon/edit/matchbrackets.js"),
                  scripts=("/static/app/query.js",))


# --- the report pages (filled by their scripts from the API) ------------------------------

def dependencies_page() -> str:
    """The dependency view: the graph around a target, the lists, and the impact of a delay."""
    body = """
<h1>Dependencies</h1>
<p class='lead'>What an obligation, IT system or procedure depends on, and what depends on it, along the
<code>pg:dependsOn</code> links stated in the articles. Name the target by its IRI, CELEX number, ELI, short name
(<code>eurodac</code>, <code>ammr-41-1</code>) or label. Click a node to see it; double-click to centre the view on it.</p>
<form id='target-form' class='filters'>
  <label>Target <input id='target' name='target' list='target-names' required placeholder='eurodac' size='34'></label>
  <label>Steps <select id='depth' name='depth'><option value=''>all</option><option>1</option><option>2</option>
  <option>3</option><option>4</option></select></label>
  <button type='submit' class='primary'>Show</button>
  <datalist id='target-names'></datalist>
</form>
<div id='message' class='message' role='status'></div>
<div class='graph-layout'>
  <div id='graph' class='graph' aria-label='Dependency graph'></div>
  <aside id='node-info' class='panel' aria-live='polite'><p class='muted'>Click a node to see what it is.</p></aside>
</div>
<ul class='legend' id='legend'>
  <li><span class='swatch target'></span>target</li><li><span class='swatch up'></span>depends on the target</li>
  <li><span class='swatch down'></span>the target depends on it</li>
  <li><span class='shape obligation'></span>obligation</li><li><span class='shape system'></span>IT system</li>
  <li><span class='shape procedure'></span>procedure</li>
</ul>
<div class='columns' id='lists'></div>
<section id='impact' class='impact'>
  <h2>Impact of a delay</h2>
  <p class='muted'>The obligations that cannot be met in time if the target comes late, and by how many days.</p>
  <form id='impact-form' class='filters'>
    <label>Delay <input id='delay' name='delay' value='30d' size='6' pattern='P?[0-9]+[dDwW]' title='30d, 6w or P30D'></label>
    <label>National measures of <select id='impact-member-state' name='memberState'><option value=''>no Member State</option></select></label>
    <button type='submit'>Compute</button>
  </form>
  <div id='impact-result'></div>
</section>"""
    return layout("Dependencies", body, active="/dependencies", wide=True,
                  classic_scripts=("/static/vendor/cytoscape/dist/cytoscape.min.js",),
                  scripts=("/static/app/dependencies.js",))


def completeness_page() -> str:
    """The completeness heat map: Member State x building block, cells linking to their gaps."""
    body = """
<h1>Implementation completeness</h1>
<p class='lead'>For each Member State and building block of the Common Implementation Plan: how many of the
obligations that need a national measure are covered by a complete measure. A cell links to its gaps.
<em>No data</em> means that no national measure of that Member State is in the graph; it never means complete.</p>
<form id='filter' class='filters'>
  <label>Member State <select id='member-state' name='memberState'><option value=''>all Member States</option></select></label>
  <button type='submit' class='primary'>Show</button>
  <span class='spacer'></span>
  <a id='download-csv' href='/api/completeness?format=csv' download='completeness.csv'>Gaps as CSV</a>
</form>
<div id='message' class='message' role='status'></div>
<div id='heatmap' class='heatmap-wrap'></div>
<div id='blocks'></div>
<section id='gaps'></section>"""
    return layout("Completeness", body, active="/completeness", wide=True, scripts=("/static/app/completeness.js",))


def timeline_page() -> str:
    """The timeline: everything dated, grouped by year and month, for the Union or a Member State."""
    body = """
<h1>Timeline</h1>
<p class='lead'>Everything dated in the graph, in order: Council meetings and other events, stages of national
measures, letters to and from the Dutch parliament, reports, and the days acts were adopted, entered into force
and apply. With a Member State: the Union's entries and that Member State's.</p>
<form id='filter' class='filters'>
  <label>Member State <select id='member-state' name='memberState'><option value=''>the Union and all Member States</option></select></label>
  <label>From <input type='date' id='from' name='from'></label>
  <label>To <input type='date' id='to' name='to'></label>
  <button type='submit' class='primary'>Show</button>
</form>
<div id='message' class='message' role='status'></div>
<div id='kinds' class='kinds'></div>
<div id='timeline' class='timeline'></div>"""
    return layout("Timeline", body, active="/timeline", scripts=("/static/app/timeline.js",))


# --- the resource page --------------------------------------------------------------------

def resource_url(iri: str) -> str:
    return "/resource?" + urlencode({"iri": iri})


def query_url(text: str) -> str:
    """A link that opens ``text`` in the query page (and runs it)."""
    return "/#" + urlencode({"query": text}, quote_via=quote)


def compact(iri: str) -> str:
    """``pg:Obligation`` for an IRI in a known namespace, else the IRI."""
    best = max(((name, space) for name, space in DISPLAY_PREFIXES.items() if iri.startswith(space)),
               key=lambda item: len(item[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def has_resource_page(iri: str) -> bool:
    return iri.startswith(RESOURCE_SPACES) and not iri.startswith(NOT_RESOURCE_SPACES)


def resource_page(resource: Resource) -> str:
    """The page of one resource: what it is, its properties, what links to it, where its facts come from."""
    title = resource.label or _row_title(resource.iri) or compact(resource.iri)
    if resource.graph_size is not None and not resource.label:
        title = f"Named graph {_local_name(resource.iri)}"
    types = "".join(f"<li>{_iri_link(t)}</li>" for t in resource.types)
    parts = [f"<header class='resource-head'><p class='kicker'>{escape(_type_names(resource.types))}</p>"
             f"<h1>{escape(title)}</h1>{_subtitle(resource, title)}"
             f"<p class='iri'><code>{escape(resource.iri)}</code>{_out_link(resource.iri, 'open')}</p>"
             + (f"<ul class='chips' aria-label='Types'>{types}</ul>" if types else "") + "</header>"]
    parts.append(_legal_box(resource))
    actions = _actions(resource)
    if actions:
        parts.append(f"<p class='actions'>{actions}</p>")
    if resource.properties:
        parts.append("<section aria-labelledby='properties'><h2 id='properties'>Properties</h2>"
                     f"{_groups(resource, resource.properties, incoming=False)}</section>")
    if resource.incoming:
        parts.append("<section aria-labelledby='incoming'><h2 id='incoming'>What links here</h2>"
                     f"{_groups(resource, resource.incoming, incoming=True)}</section>")
    if resource.graph_size is not None:
        parts.append("<section aria-labelledby='graph'><h2 id='graph'>A named graph</h2>"
                     f"<p>The store's named graph <code>{escape(compact(resource.iri))}</code> holds "
                     f"{resource.graph_size} statement{'s' if resource.graph_size != 1 else ''}: "
                     f"<a href='{escape(query_url(_graph_query(resource.iri)))}'>query it</a>.</p></section>")
    if resource.used_as_property:
        parts.append("<section aria-labelledby='usage'><h2 id='usage'>Used as a property</h2>"
                     f"<p>In {resource.used_as_property} statement{'s' if resource.used_as_property != 1 else ''}: "
                     f"<a href='{escape(query_url(_usage_query(resource.iri)))}'>list them in the query page</a>.</p></section>")
    parts.append(_provenance(resource.provenance))
    return layout(title, "".join(parts), active=None)


def _subtitle(resource: Resource, title: str) -> str:
    """Under the title: the English alternative name (``Eurodac Regulation``), or the act an
    article is part of."""
    for group in resource.properties:
        if group.predicate == SKOS_ALT_LABEL:
            names = [v.value for v in group.values if v.kind == "literal" and v.language in ("en", None) and v.value != title]
            if names:
                return f"<p class='subtitle'>{escape(' · '.join(names))}</p>"
        if group.predicate == ELI + "is_part_of":
            acts = [_iri_link(v) for v in group.values if v.kind == "iri"]
            if acts:
                return f"<p class='subtitle'>of {', '.join(acts)}</p>"
    return ""


def _type_names(types: Iterable[Value]) -> str:
    """The kinds of the resource, as the ontology names them (``legal act · regulation``)."""
    names = [t.label for t in types if t.label]
    return " · ".join(names[:3]) if names else "resource"


def _row_title(iri: str) -> str | None:
    match = re.search(r"/sources/([^/#]+)#row=([0-9]+)$", iri)
    return f"{match[1]}, line {match[2]}" if match else None


def _legal_box(resource: Resource) -> str:
    if not resource.links and not resource.celex:
        return ""
    facts = []
    if resource.celex:
        facts.append(f"<dt>CELEX</dt><dd><code class='celex'>{escape(resource.celex)}</code></dd>")
    if resource.eli:
        facts.append(f"<dt>ELI</dt><dd><code>{escape(resource.eli)}</code></dd>")
    links = "".join(f"<li><a class='external' href='{escape(link.url)}' rel='noopener'>{escape(link.label)}</a></li>"
                    for link in resource.links)
    return (f"<aside class='legal' aria-label='Read the law'><h2>Read the law</h2><dl>{''.join(facts)}</dl>"
            f"<ul>{links}</ul></aside>")


def _actions(resource: Resource) -> str:
    types = {t.value for t in resource.types}
    links = []
    if types & DEPENDENCY_TYPES:
        links.append(f"<a class='button' href='/dependencies?{escape(urlencode({'target': resource.iri}))}'>Dependencies</a>")
    links.append(f"<a class='button' href='{escape(query_url(_describe_query(resource.iri)))}'>Query it</a>")
    return " ".join(links)


def _describe_query(iri: str) -> str:
    return f"# Every statement about the resource, in which named graph.\nSELECT ?property ?value ?graph WHERE {{\n  GRAPH ?graph {{ <{iri}> ?property ?value }}\n}}\nORDER BY ?property ?value\n"


def _graph_query(iri: str) -> str:
    return f"SELECT ?subject ?property ?value WHERE {{\n  GRAPH <{iri}> {{ ?subject ?property ?value }}\n}}\nLIMIT 1000\n"


def _usage_query(iri: str) -> str:
    return f"SELECT ?subject ?value WHERE {{\n  ?subject <{iri}> ?value\n}}\nORDER BY ?subject\nLIMIT 1000\n"


def _groups(resource: Resource, groups: Sequence[PropertyGroup], *, incoming: bool) -> str:
    rows = []
    for group in groups:
        values = "".join(f"<li>{_value(v)}</li>" for v in group.values)
        more = ""
        if group.more:
            text = (f"SELECT ?subject WHERE {{\n  ?subject <{group.predicate}> <{resource.iri}>\n}}\nORDER BY ?subject\n"
                    if incoming else f"SELECT ?value WHERE {{\n  <{resource.iri}> <{group.predicate}> ?value\n}}\nORDER BY ?value\n")
            more = f"<li class='more'><a href='{escape(query_url(text))}'>and {group.more} more</a></li>"
        name = group.label or _local_name(group.predicate)
        rows.append(f"<tr><th scope='row'><span class='plabel'>{escape(name)}</span>"
                    f"<a class='pname' href='{escape(_term_href(group.predicate))}'>{escape(compact(group.predicate))}</a></th>"
                    f"<td><ul class='values'>{values}{more}</ul></td></tr>")
    caption = "the things that point at this one, by property" if incoming else "statements about this resource, by property"
    return f"<table class='props'><caption class='visually-hidden'>{caption}</caption><tbody>{''.join(rows)}</tbody></table>"


def _term_href(iri: str) -> str:
    return resource_url(iri) if has_resource_page(iri) else iri


def _value(value: Value) -> str:
    if value.kind == "iri":
        html = _iri_link(value)
    elif value.kind == "literal":
        html = _literal(value)
    elif value.kind == "list":
        html = "<span class='list'>( " + ", ".join(_value(v) for _, v in value.nested) + " )</span>"
    elif value.kind == "bnode":
        inner = "".join(f"<div><span class='pname'>{escape(compact(p))}</span> {_value(v)}</div>" for p, v in value.nested)
        html = f"<div class='bnode'>{inner or '<span class=muted>(blank node)</span>'}</div>"
    else:
        html = f"<code>{escape(value.value)}</code>"
    if value.inferred:
        html += ("<span class='tag inferred' title='Implied by the ontology (the inferred graph), not stated in a source "
                 "table'>inferred</span>")
    return html


def _iri_link(value: Value) -> str:
    text = value.label or compact(value.value)
    if value.known or has_resource_page(value.value):
        return f"<a href='{escape(resource_url(value.value))}' title='{escape(value.value)}'>{escape(text)}</a>"
    if value.value.startswith(("http://", "https://")):
        return (f"<a class='external' href='{escape(value.value)}' rel='noopener' title='{escape(value.value)}'>"
                f"{escape(text)}</a>")
    return f"<code>{escape(value.value)}</code>"


def _out_link(iri: str, text: str) -> str:
    if not iri.startswith(("http://", "https://")):
        return ""
    return f" <a class='external small' href='{escape(iri)}' rel='noopener'>{escape(text)}</a>"


def _literal(value: Value) -> str:
    text = escape(value.value)
    css = "literal long" if len(value.value) > 120 or "\n" in value.value else "literal"
    html = f"<span class='{css}'>{text}</span>"
    if value.language:
        html += f"<span class='lang' title='language'>{escape(value.language)}</span>"
    if value.datatype:
        if value.datatype == XSD + "duration":
            words = humanize_duration(value.value)
            if words:
                html += f" <span class='muted'>({escape(words)})</span>"
        html += f"<span class='datatype'>{escape(compact(value.datatype))}</span>"
    return html


def humanize_duration(text: str) -> str | None:
    """``P2D`` as ``2 days``, ``PT72H`` as ``72 hours``; None for what is not an ISO 8601 duration."""
    match = _DURATION.match(text)
    if not match or text in ("P", "PT"):
        return None
    parts = [f"{amount} {_DURATION_WORDS[unit]}{'' if amount in ('1', '1.0') else 's'}"
             for unit, amount in match.groupdict().items() if amount is not None]
    return ", ".join(parts) or None


def _provenance(rows: Sequence[SourceRow]) -> str:
    if not rows:
        return ("<section aria-labelledby='provenance'><h2 id='provenance'>Where the facts come from</h2>"
                "<p class='muted'>No source row states facts about this resource: it is part of the ontology, the build "
                "record, or only mentioned by other resources.</p></section>")
    items = []
    for row in rows:
        where = f"{row.table}, line {row.line}" if row.table and row.line is not None else compact(row.iri)
        source = ""
        if row.source:
            title = escape(row.source_title or compact(row.source))
            source = f"<a href='{escape(resource_url(row.source))}'>{title}</a>"
            if row.source_page:
                source += f" <a class='external small' href='{escape(row.source_page)}' rel='noopener'>document</a>"
        note = f"<p class='note'>{escape(row.note)}</p>" if row.note else ""
        items.append(f"<tr><td><a href='{escape(resource_url(row.iri))}'><code>{escape(where)}</code></a></td>"
                     f"<td>{escape(row.locator or '')}</td><td>{source}{note}</td></tr>")
    return ("<section aria-labelledby='provenance'><h2 id='provenance'>Where the facts come from</h2>"
            "<p class='muted'>The rows of the source tables that state facts about this resource, with the place in the "
            "source document (locator).</p>"
            "<table class='provenance'><thead><tr><th>Source row</th><th>Locator</th><th>Source</th></tr></thead>"
            f"<tbody>{''.join(items)}</tbody></table></section>")


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1].replace("_", " ")


def lookup_form(value: str = "") -> str:
    return ("<form class='filters' action='/resource' method='get'><label>IRI, CELEX number or name "
            f"<input name='iri' value='{escape(value)}' size='48' placeholder='http://data.europa.eu/eli/reg/2024/1358/oj'>"
            "</label><button type='submit' class='primary'>Open</button></form>")


def lookup_page() -> str:
    """``/resource`` without an IRI: a form to name one."""
    body = ("<h1>Look up a resource</h1><p class='lead'>Any IRI of the graph, a CELEX number (<code>32024R1358</code>) or a "
            "name (<code>eurodac</code>, <code>screening</code>, <code>ammr-41-1</code>).</p>" + lookup_form())
    return layout("Look up", body)


def not_found_page(text: str, message: str, candidates: Sequence[tuple[str, str]] = ()) -> str:
    """The friendly 404 of the resource page: what was asked, what is near, where else to look."""
    near = ""
    if candidates:
        items = "".join(f"<li><a href='{escape(resource_url(iri))}'>{escape(label)}</a> <code>{escape(compact(iri))}</code></li>"
                        for iri, label in candidates)
        near = f"<h2>Did you mean</h2><ul class='candidates'>{items}</ul>"
    outside = ""
    if text.startswith(("http://", "https://")):
        outside = f"<p>The IRI may name something outside the graph: <a class='external' href='{escape(text)}' rel='noopener'>open it</a>.</p>"
    body = (f"<h1>Not in the graph</h1><p class='lead'>Nothing in the graph answers to <code>{escape(text)}</code>.</p>"
            f"<p class='muted'>{escape(message)}</p>{near}{outside}{lookup_form(text)}")
    return layout("Not found", body)


def error_page(status: int, message: str) -> str:
    """A page for what went wrong on the server's side (a timeout, a busy server)."""
    body = (f"<h1>{'The server could not answer' if status >= 500 else 'That did not work'}</h1>"
            f"<p class='lead'>{escape(message)}</p><p class='muted'>HTTP status {status}.</p>")
    return layout("Error", body)


def service_description(endpoint: str, graphs: dict[str, int], *, union_default_graph: bool, update: bool) -> list[Triple]:
    """The triples of the service description: endpoint, languages, result formats, features
    and the default dataset with every named graph and its size."""
    def iri(text: str) -> NamedNode:
        return NamedNode(text)

    a = iri(RDF + "type")
    service, dataset, default = BlankNode(), BlankNode(), BlankNode()
    triples = [
        Triple(service, a, iri(SD + "Service")),
        Triple(service, iri(SD + "endpoint"), iri(endpoint)),
        Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        Triple(service, iri(SD + "feature"), iri(SD + "BasicFederatedQuery")),
        Triple(service, iri(SD + "defaultDataset"), dataset),
        Triple(dataset, a, iri(SD + "Dataset")),
        Triple(dataset, iri(SD + "defaultGraph"), default),
        Triple(default, a, iri(SD + "Graph")),
    ]
    triples += [Triple(service, iri(SD + "resultFormat"), iri(FORMATS + name)) for name in RESULT_FORMATS]
    if update:
        triples.append(Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Update")))
    if union_default_graph:
        triples.append(Triple(service, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")))
    for name, size in sorted(graphs.items()):
        named, described = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, iri(SD + "namedGraph"), named),
            Triple(named, a, iri(SD + "NamedGraph")),
            Triple(named, iri(SD + "name"), iri(name)),
            Triple(named, iri(SD + "graph"), described),
            Triple(described, a, iri(SD + "Graph")),
            Triple(described, iri(VOID + "triples"), Literal(str(size), datatype=iri(XSD + "integer"))),
        ]
    return triples
