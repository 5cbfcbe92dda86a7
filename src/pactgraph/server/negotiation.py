"""Content negotiation: which of the formats we offer a client's ``Accept`` header prefers.

The header is parsed by ``python-mimeparse`` (q-values, several types, ``type/*`` and ``*/*``).
Offers are listed from the least to the most desirable, as mimeparse expects, so a tie (``*/*``,
or no Accept header at all) goes to the last one: the default.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import mimeparse
from pyoxigraph import QueryResultsFormat, RdfFormat

#: SELECT and ASK results; SPARQL JSON is the default.
RESULT_TYPES: dict[str, QueryResultsFormat] = {
    "application/xml": QueryResultsFormat.XML,
    "application/json": QueryResultsFormat.JSON,
    "text/tab-separated-values": QueryResultsFormat.TSV,
    "text/csv": QueryResultsFormat.CSV,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "application/sparql-results+json": QueryResultsFormat.JSON,
}
#: CONSTRUCT and DESCRIBE results, the service description and graphs; Turtle is the default.
GRAPH_TYPES: dict[str, RdfFormat] = {
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/turtle": RdfFormat.TURTLE,
}
#: ``?format=`` names for results and graphs.
RESULT_FORMAT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                       "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_FORMAT_NAMES = {"turtle": "text/turtle", "ttl": "text/turtle", "ntriples": "application/n-triples",
                      "nt": "application/n-triples", "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml",
                      "xml": "application/rdf+xml", "json": "application/ld+json"}


def choose(accept: str | None, offered: Sequence[str] | Mapping[str, object]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them.

    No header, or one that cannot be parsed, accepts anything: the last (default) offer wins.
    """
    offers = list(offered)
    if not accept or not accept.strip():
        return offers[-1]
    try:
        return mimeparse.best_match(offers, accept) or None
    except (mimeparse.MimeTypeParseException, ValueError):
        return offers[-1]


def prefers_html(accept: str | None, offered: Sequence[str] | Mapping[str, object]) -> bool:
    """True when the client (a browser) prefers ``text/html`` to every other offer."""
    return choose(accept, [*offered, "text/html"]) == "text/html" if accept and "text/html" in accept else False
