"""The SPARQL query operation: run a query, answer in the format the client accepts."""

from __future__ import annotations

from typing import Optional

from fastapi.responses import PlainTextResponse, Response
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

from ..federation import ServiceNotAllowedError
from ..store import GraphStore
from ..vocab import PREFIXES

_RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
_GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/rdf+xml": RdfFormat.RDF_XML,
}


def run_sparql(graph: GraphStore, query: Optional[str], accept: Optional[str]) -> Response:
    if not query:
        return PlainTextResponse("missing the 'query' parameter", 400)
    try:
        result = graph.query(query)
    except SyntaxError as error:
        return PlainTextResponse(f"the query is not valid SPARQL: {error}", 400)
    except ServiceNotAllowedError as error:
        return PlainTextResponse(str(error), 403)
    except OSError as error:
        return PlainTextResponse(f"a SERVICE endpoint could not be reached or answered wrongly: {error}", 502)
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        media = _choose(accept, _RESULT_TYPES, "application/sparql-results+json")
        if media is None:
            return PlainTextResponse(f"cannot answer in {accept}; offered: {', '.join(_RESULT_TYPES)}", 406)
        return Response(result.serialize(format=_RESULT_TYPES[media]), media_type=media)
    media = _choose(accept, _GRAPH_TYPES, "text/turtle")
    if media is None:
        return PlainTextResponse(f"cannot answer in {accept}; offered: {', '.join(_GRAPH_TYPES)}", 406)
    fmt = _GRAPH_TYPES[media]
    body = serialize(result, format=fmt, prefixes=PREFIXES) if fmt is RdfFormat.TURTLE else serialize(result, format=fmt)
    return Response(body, media_type=media)


def _choose(accept: Optional[str], offered: dict, default: str) -> Optional[str]:
    """The first acceptable offered type, by the client's order of preference."""
    if not accept:
        return default
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    for negative_quality, _, media in sorted(ranked):
        if negative_quality == 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*", "text/*"):
            return default
    return None
