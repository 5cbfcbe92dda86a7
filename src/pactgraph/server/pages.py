"""What the server says about itself: the home page for people, the SPARQL service
description (W3C ``sd:`` vocabulary) for programs."""

from __future__ import annotations

from html import escape

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..catalog import CatalogError, load_catalog
from ..settings import Settings
from ..vocab import RDF, VOID, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def home_page(settings: Settings) -> str:
    """The page a browser gets at ``/`` (and at ``/sparql`` without a query)."""
    try:
        catalog = load_catalog(settings.queries_dir)
        items = "".join(
            f"<li><a href='/api/queries/{escape(q.name)}'><strong>{escape(q.title)}</strong></a> "
            f"({escape(q.name)}): {escape(q.description)}</li>" for q in catalog.values())
    except CatalogError as error:
        items = f"<li>The named queries cannot be read: {escape(str(error))}</li>"
    update = ("<p>Updates are enabled on a scratch store: SPARQL Update at <code>/update</code>, the Graph Store "
              "Protocol at <code>/store</code> (with the bearer token).</p>") if settings.allow_update else ""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>pactgraph</title></head><body>"
        "<h1>pactgraph</h1><p>The knowledge graph of the EU Pact on Migration and Asylum.</p>"
        "<p>SPARQL 1.1 endpoint: <a href='/sparql'>/sparql</a> (GET or POST <code>query</code>). "
        "API documentation: <a href='/docs'>/docs</a>. Whole graph: <a href='/dump.ttl'>Turtle</a>, "
        "<a href='/dump.nq'>N-Quads</a>, <a href='/dump.jsonld'>JSON-LD</a>.</p>"
        f"{update}<h2>Named queries</h2><ul>{items}</ul></body></html>")


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
