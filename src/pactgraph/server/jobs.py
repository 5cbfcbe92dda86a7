"""The work the server hands to its worker processes, one function a kind of request.

Each job takes the worker's open store first, then plain, picklable arguments, and returns
plain data: an ``Answer`` (bytes in the format the client asked for), a library dataclass, or
a ``Failure`` saying what the client got wrong. Jobs never raise for a client's mistake, so
nothing but data crosses the process boundary; an exception means a bug, and the worker logs
it and answers 500.

Bodies are serialized here, in the worker, so that the work the timeout bounds includes
reading every row, and the row cap applies before anything is sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pyoxigraph import (BlankNode, DefaultGraph, Literal, NamedNode, Quad, QueryBoolean, QueryResultsFormat,
                        QuerySolutions, RdfFormat, Triple, parse, parse_query_results, serialize)

from ..federation import ServiceNotAllowedError
from ..sparql_text import UpdateDatasetConflict
from ..store import GraphStore
from ..vocab import PREFIXES
from .negotiation import GRAPH_TYPES, RESULT_TYPES

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


@dataclass(frozen=True)
class Answer:
    """A response body in ``media``; ``truncated`` when the row cap cut it to ``rows``."""

    media: str
    body: bytes
    kind: str = "solutions"  # solutions | boolean | graph | report
    rows: int = 0
    truncated: bool = False
    summary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """What the client got wrong, in words for the client.

    ``kind`` is one of: syntax, service-not-allowed, service-failed, not-acceptable, not-found,
    ambiguous, bad-request, conflict, read-only.
    """

    kind: str
    message: str
    candidates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Dataset:
    """The SPARQL protocol's dataset: ``default-graph-uri`` and ``named-graph-uri`` values."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def query(graph: GraphStore, text: str, dataset: Dataset | None, base_iri: str | None,
          result_media: str | None, graph_media: str | None, max_rows: int) -> Answer | Failure:
    """Run a SPARQL query and serialize its result in the chosen format (None: not acceptable)."""
    try:
        if dataset is None:
            result = graph.query(text, base_iri=base_iri)
        else:
            result = graph.query(text, default_graphs=dataset.default_graphs, named_graphs=dataset.named_graphs,
                                 base_iri=base_iri)
        return _answer(result, result_media, graph_media, max_rows)
    except SyntaxError as error:
        return Failure("syntax", f"the query is not valid SPARQL: {error}")
    except ServiceNotAllowedError as error:
        return Failure("service-not-allowed", str(error))
    except OSError as error:
        return Failure("service-failed", f"the query failed while reading the store or calling a SERVICE endpoint: {error}")


def _answer(result: object, result_media: str | None, graph_media: str | None, max_rows: int) -> Answer | Failure:
    if isinstance(result, QueryBoolean):
        if result_media is None:
            return Failure("not-acceptable", "an ASK query answers in SPARQL results formats; "
                                             f"acceptable: {', '.join(RESULT_TYPES)}")
        return Answer(result_media, result.serialize(format=RESULT_TYPES[result_media]), "boolean", 1)
    if isinstance(result, QuerySolutions):
        if result_media is None:
            return Failure("not-acceptable", "a SELECT query answers in SPARQL results formats; "
                                             f"acceptable: {', '.join(RESULT_TYPES)}")
        return _solutions(result, result_media, max_rows)
    if graph_media is None:
        return Failure("not-acceptable", "a CONSTRUCT or DESCRIBE query answers in RDF formats; "
                                         f"acceptable: {', '.join(GRAPH_TYPES)}")
    triples: list[Triple] = []
    truncated = False
    for triple in result:  # type: ignore[attr-defined]
        if len(triples) == max_rows:
            truncated = True
            break
        triples.append(triple)
    return Answer(graph_media, serialize_graph(triples, graph_media), "graph", len(triples), truncated)


def serialize_graph(triples: list, media: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (or quads) in an RDF format; Turtle gets the project's prefixes (or those given)."""
    fmt = GRAPH_TYPES[media]
    if fmt is RdfFormat.TURTLE:
        body = serialize(triples, format=fmt, prefixes=prefixes or PREFIXES)
    else:
        body = serialize(triples, format=fmt)
    return body or b""


def _solutions(result: QuerySolutions, media: str, max_rows: int) -> Answer:
    """At most ``max_rows`` solutions, written as SPARQL JSON and re-serialized by Oxigraph in
    the chosen format (Oxigraph serializes a whole iterator; this cuts it)."""
    names = [v.value for v in result.variables]
    bindings = []
    truncated = False
    for solution in result:
        if len(bindings) == max_rows:
            truncated = True
            break
        bindings.append({name: _term_json(solution[name]) for name in names if solution[name] is not None})
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    fmt = RESULT_TYPES[media]
    body = parse_query_results(document, format=QueryResultsFormat.JSON).serialize(format=fmt)
    return Answer(media, body, "solutions", len(bindings), truncated)


def _term_json(term: object) -> dict:
    """An RDF term in SPARQL 1.1 (and 1.2, for triple terms) Query Results JSON."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if getattr(term, "direction", None) is not None:
                out["its:dir"] = str(term.direction.value if hasattr(term.direction, "value") else term.direction).lower()
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING, _RDF_DIR_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {"type": "triple", "value": {"subject": _term_json(term.subject), "predicate": _term_json(term.predicate),
                                            "object": _term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def update(graph: GraphStore, text: str, using_graphs: tuple[str, ...], using_named_graphs: tuple[str, ...],
           base_iri: str | None) -> None | Failure:
    """Run a SPARQL update on a writable store."""
    try:
        graph.update(text, using_graphs=using_graphs, using_named_graphs=using_named_graphs, base_iri=base_iri)
    except SyntaxError as error:
        return Failure("syntax", f"the update is not valid SPARQL: {error}")
    except UpdateDatasetConflict as error:
        return Failure("conflict", str(error))
    except ServiceNotAllowedError as error:
        return Failure("service-not-allowed", str(error))
    except OSError as error:
        return Failure("service-failed", f"the update failed: {error}")
    return None


def named_graphs(graph: GraphStore) -> dict[str, int]:
    """The named graphs of the store and their sizes, for the service description."""
    return graph.graph_sizes()


# --- the Graph Store Protocol ---------------------------------------------------------------

def _graph_name(name: str | None) -> NamedNode | DefaultGraph:
    return DefaultGraph() if name is None else NamedNode(name)


def _graph_exists(graph: GraphStore, name: str | None) -> bool:
    return name is None or graph.store.contains_named_graph(NamedNode(name))


def graph_get(graph: GraphStore, name: str | None, media: str, max_rows: int) -> Answer | Failure:
    """The triples of one graph (None: the default graph), serialized; the row cap applies."""
    if not _graph_exists(graph, name):
        return Failure("not-found", f"there is no graph <{name}>")
    triples = []
    truncated = False
    for quad in graph.store.quads_for_pattern(None, None, None, _graph_name(name)):
        if len(triples) == max_rows:
            truncated = True
            break
        triples.append(quad.triple)
    return Answer(media, serialize_graph(triples, media), "graph", len(triples), truncated)


def graph_exists(graph: GraphStore, name: str | None) -> bool:
    return _graph_exists(graph, name)


def graph_write(graph: GraphStore, name: str | None, documents: tuple[tuple[bytes, str], ...], base_iri: str | None,
                replace: bool) -> bool | Failure:
    """Put (``replace``) or merge RDF documents (body, media type) into one graph, in one go.

    Every document is parsed before anything is written, so a bad one leaves the graph as it
    was. Returns True when the graph did not exist before (the response is then 201 Created).
    """
    target = _graph_name(name)
    existed = _graph_exists(graph, name)
    quads: list[Quad] = []
    for number, (body, media) in enumerate(documents, start=1):
        where = f"part {number} " if len(documents) > 1 else ""
        if GRAPH_TYPES[media] is RdfFormat.JSON_LD:
            # Oxigraph's JSON-LD parser recurses once a nested object, and a few thousand levels
            # overflow the stack and kill the worker: refuse what Python's own parser cannot nest.
            try:
                json.loads(body)
            except RecursionError:
                return Failure("syntax", f"{where}the body is not valid {media}: its objects are nested too deep")
            except ValueError:
                pass  # Oxigraph's parser says where it is wrong
        try:
            triples = list(parse(body, format=GRAPH_TYPES[media], base_iri=base_iri or None))
        except (SyntaxError, ValueError) as error:
            return Failure("syntax", f"{where}the body is not valid {media}: {error}")
        quads += [Quad(t.subject, t.predicate, t.object, target) for t in triples]
    store = graph.store
    if replace and existed:
        if isinstance(target, DefaultGraph):
            store.clear_graph(target)
        else:
            store.remove_graph(target)
    if not isinstance(target, DefaultGraph) and not store.contains_named_graph(target):
        store.add_graph(target)
    store.extend(quads)
    return not existed


def graph_delete(graph: GraphStore, name: str | None) -> bool:
    """Drop one graph (the default graph is emptied); False when there was no such graph."""
    if not _graph_exists(graph, name):
        return False
    if name is None:
        graph.store.clear_graph(DefaultGraph())
    else:
        graph.store.remove_graph(NamedNode(name))
    return True


# --- validation and reports -------------------------------------------------------------

#: ``?graph=`` values of the validation service that are not IRIs.
DEFAULT_GRAPHS = ("ontology", "data", "inferred")


def validate(graph: GraphStore, shapes_source: tuple[str, str] | None, shapes_dir: Path, which: str | None,
             focus: str | None, media: str) -> Answer | Failure:
    """The Fuseki SHACL service: validate one graph of the store against shapes, report in ``media``.

    ``shapes_source`` is the shapes' text and its rdflib format, or None for the shapes in
    ``shapes_dir``.

    ``which`` is None or ``default`` (ontology, data and inferred graphs, as the build
    validates them), ``union`` (every named graph) or a named graph's IRI. ``focus`` limits
    the validation to one focus node.
    """
    from rdflib import Graph

    from ..validation import ShapesError, load_shapes, validate_store
    from ..validation_output import report_json
    from ..vocab import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

    if shapes_source is None:
        shapes = load_shapes(shapes_dir)
    else:
        text, syntax = shapes_source
        shapes = Graph()
        try:
            shapes.parse(data=text, format=syntax)
        except Exception as error:  # noqa: BLE001 - rdflib's parsers raise many unrelated types
            return Failure("syntax", f"the shapes cannot be read as {syntax}: {error}")
    if which in (None, "", "default"):
        graphs = [ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH]
    elif which == "union":
        graphs = list(graph.store.named_graphs())
    else:
        if not graph.store.contains_named_graph(NamedNode(which)):
            return Failure("not-found", f"there is no graph <{which}>; use a named graph's IRI, 'default' or 'union'")
        graphs = [NamedNode(which)]
    try:
        report = validate_store(graph.store, shapes, graphs=graphs, focus_nodes=[focus] if focus else None)
    except ShapesError as error:
        return Failure("bad-request", str(error))
    summary = {"conforms": report.conforms, "violations": len(report.violations), "warnings": len(report.warnings)}
    if media == "application/json":
        return Answer(media, report_json(report).encode("utf-8"), "report", len(report.results), summary=summary)
    rdflib_format = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                     "application/n-triples": "nt", "application/rdf+xml": "xml"}[media]
    return Answer(media, report.graph.serialize(format=rdflib_format, encoding="utf-8"), "report",
                  len(report.results), summary=summary)


def completeness(graph: GraphStore, queries_dir: Path, member_state: str | None):
    """The completeness report (see ``pactgraph.completeness``); a Failure for an unknown Member State."""
    from ..completeness import completeness as run

    try:
        return run(graph, queries_dir, member_state)
    except ValueError as error:
        return Failure("not-found", str(error))


def dependencies(graph: GraphStore, target: str, direction: str, depth: int | None):
    """The dependency walk from a target given as a person writes it."""
    from ..dependencies import Direction, walk

    resolved = _resolve(graph, target)
    if isinstance(resolved, Failure):
        return resolved
    return walk(graph, resolved, Direction(direction), depth)


def impact(graph: GraphStore, target: str, delay_days: int | None, until: date | None, member_state: str | None):
    """The obligations hit if the target is late (see ``pactgraph.dependencies.impact``)."""
    from datetime import timedelta

    from ..dependencies import impact as run
    from ..targets import TargetNotFoundError, resolve_member_state

    resolved = _resolve(graph, target)
    if isinstance(resolved, Failure):
        return resolved
    try:
        country = resolve_member_state(graph, member_state).iri if member_state else None
    except (ValueError, TargetNotFoundError) as error:
        return Failure("not-found", str(error))
    try:
        return run(graph, resolved, delay=None if delay_days is None else timedelta(days=delay_days),
                   until=until, member_state=country)
    except ValueError as error:
        return Failure("bad-request", str(error))


def _resolve(graph: GraphStore, text: str) -> str | Failure:
    from ..targets import TargetNotFoundError, resolve_target

    try:
        return resolve_target(graph, text).iri
    except TargetNotFoundError as error:
        return Failure("ambiguous" if error.ambiguous else "not-found", str(error), tuple(error.candidates))
