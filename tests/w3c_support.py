"""Reading the W3C SPARQL 1.1 test suites in tests/w3c/ (see tests/w3c/LICENSE.md) and
comparing query results the way the suites mean: solutions as multisets (in order where the
query orders them), blank nodes up to renaming, graphs up to isomorphism."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import httpx

from pyoxigraph import (BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, RdfFormat, parse, parse_query_results,
                        serialize)
from rdflib import Graph, URIRef
from rdflib import BNode as RdflibBNode
from rdflib import Literal as RdflibLiteral
from rdflib.collection import Collection
from rdflib.namespace import RDF, Namespace

SUITE = Path(__file__).parent / "w3c"
BASE = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
DATA_FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".rdf": RdfFormat.RDF_XML}


def local(iri: str) -> Path:
    """The file in tests/w3c/ behind a suite IRI."""
    assert iri.startswith(BASE), iri
    return SUITE / iri[len(BASE):]


def manifest(folder: str) -> tuple[Graph, list[URIRef]]:
    """A folder's manifest (parsed with the suite's own base IRI) and its entries in order."""
    graph = Graph().parse(SUITE / folder / "manifest.ttl", format="turtle", publicID=f"{BASE}{folder}/manifest.ttl")
    [root] = graph.subjects(RDF.type, MF.Manifest)
    return graph, list(Collection(graph, graph.value(root, MF.entries)))


def ntriples(iri: str) -> bytes:
    """A data file as N-Triples, its relative IRIs resolved against its suite IRI (Oxigraph keeps
    every literal's lexical form, which rdflib would normalise)."""
    path = local(iri)
    triples = parse(path=str(path), format=DATA_FORMATS[path.suffix], base_iri=iri)
    return serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""


# --- results --------------------------------------------------------------------------------

Row = tuple[tuple[str, object], ...]


@dataclass(frozen=True)
class Solutions:
    variables: frozenset[str]
    rows: tuple[Row, ...]


XSD = "http://www.w3.org/2001/XMLSchema#"


def _boolean(text: str) -> bool:
    if text.strip() not in ("true", "false", "1", "0"):
        raise ValueError(text)
    return text.strip() in ("true", "1")


_BY_VALUE = {XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float, XSD + "boolean": _boolean}


def _term(term: object) -> object:
    """A term as a comparable value; blank nodes as ("_", label) so they can be renamed.

    A decimal, double, float or boolean compares by its value within its datatype ("4.0E-1"
    and "0.4" are the same xsd:double, "0" and "false" the same xsd:boolean): Oxigraph stores
    and writes canonical forms, the suites often do not.
    """
    if isinstance(term, BlankNode):
        return ("_", term.value)
    if isinstance(term, Literal) and term.datatype.value in _BY_VALUE:
        try:
            value = _BY_VALUE[term.datatype.value](term.value)
            return ("value", term.datatype.value, value.normalize() if isinstance(value, Decimal) else value)
        except (ValueError, ArithmeticError):
            pass
    return str(term)


def solutions_from_pyoxigraph(result: object) -> bool | Solutions:
    if isinstance(result, QueryBoolean):
        return bool(result)
    names = [v.value for v in result.variables]  # type: ignore[attr-defined]
    rows = tuple(tuple(sorted((n, _term(s[n])) for n in names if s[n] is not None)) for s in result)  # type: ignore[attr-defined]
    return Solutions(frozenset(names), rows)


def expected_results(iri: str) -> bool | Solutions | Graph:
    """The expected result of a test: SPARQL XML or JSON results, an rs:ResultSet, or a graph."""
    path = local(iri)
    if path.suffix in (".srx", ".srj"):
        fmt = QueryResultsFormat.XML if path.suffix == ".srx" else QueryResultsFormat.JSON
        return solutions_from_pyoxigraph(parse_query_results(path=str(path), format=fmt))
    graph = Graph().parse(path, format="turtle", publicID=iri)
    result_set = graph.value(None, RDF.type, RS.ResultSet)
    if result_set is None:
        return graph
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    variables = frozenset(str(v) for v in graph.objects(result_set, RS.resultVariable))
    rows = []
    for solution in graph.objects(result_set, RS.solution):
        row = []
        for binding in graph.objects(solution, RS.binding):
            row.append((str(graph.value(binding, RS.variable)), _rdflib_term(graph.value(binding, RS.value))))
        rows.append(tuple(sorted(row)))
    return Solutions(variables, tuple(rows))


def _rdflib_term(term: object) -> object:
    if isinstance(term, URIRef):
        return str(NamedNode(str(term)))
    if isinstance(term, RdflibBNode):
        return ("_", str(term))
    assert isinstance(term, RdflibLiteral)
    if term.language:
        return str(Literal(str(term), language=term.language))
    if term.datatype:
        return _term(Literal(str(term), datatype=NamedNode(str(term.datatype))))
    return str(Literal(str(term)))


def same_solutions(expected: Solutions, actual: Solutions, *, ordered: bool) -> bool:
    """Equal as multisets (or sequences), up to a one-to-one renaming of blank nodes."""
    if expected.variables != actual.variables or len(expected.rows) != len(actual.rows):
        return False
    return _match(list(expected.rows), list(actual.rows), {}, {}, ordered)


def _match(expected: list[Row], actual: list[Row], forward: dict, backward: dict, ordered: bool) -> bool:
    if not expected:
        return not actual
    row, rest = expected[0], expected[1:]
    for index, candidate in enumerate(actual):
        if ordered and index > 0:
            break
        unified = _unify(row, candidate, dict(forward), dict(backward))
        if unified is not None and _match(rest, actual[:index] + actual[index + 1:], *unified, ordered):
            return True
    return False


def _unify(row: Row, candidate: Row, forward: dict, backward: dict) -> tuple[dict, dict] | None:
    if [name for name, _ in row] != [name for name, _ in candidate]:
        return None
    for (_, mine), (_, theirs) in zip(row, candidate):
        blank, other_blank = _is_blank(mine), _is_blank(theirs)
        if blank != other_blank:
            return None
        if blank:
            if forward.setdefault(mine, theirs) != theirs or backward.setdefault(theirs, mine) != mine:
                return None
        elif mine != theirs:
            return None
    return forward, backward


def _is_blank(term: object) -> bool:
    return isinstance(term, tuple) and term[0] == "_"


def describe(result: object, limit: int = 12) -> str:
    """A short text of a result, for a failure message."""
    if isinstance(result, Solutions):
        rows = "\n".join(f"  {dict(row)}" for row in result.rows[:limit])
        return f"vars {sorted(result.variables)}, {len(result.rows)} rows\n{rows}"
    if isinstance(result, Graph):
        return result.serialize(format="nt")[:2000]
    return repr(result)


def run_directly(manifest_graph: Graph, entry: URIRef) -> bool | Solutions | Graph:
    """A query-evaluation test run in process by pyoxigraph, without the server: what the
    engine itself answers."""
    from pyoxigraph import DefaultGraph, Quad, QueryTriples, Store

    action = manifest_graph.value(entry, MF.action)
    store = Store()
    for iri in manifest_graph.objects(action, QT.data):
        store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph())
                     for t in parse(ntriples(str(iri)), format=RdfFormat.N_TRIPLES))
    for iri in manifest_graph.objects(action, QT.graphData):
        store.extend(Quad(t.subject, t.predicate, t.object, NamedNode(str(iri)))
                     for t in parse(ntriples(str(iri)), format=RdfFormat.N_TRIPLES))
    query = str(manifest_graph.value(action, QT.query))
    result = store.query(local(query).read_text(encoding="utf-8"), base_iri=query)
    if isinstance(result, QueryTriples):
        return Graph().parse(data=serialize(result, format=RdfFormat.N_TRIPLES) or b"", format="nt")
    return solutions_from_pyoxigraph(result)


@contextmanager
def updatable_server(live_server: Callable[..., str], scratch: Path, token: str, timeout: float) -> Iterator[httpx.Client]:
    """A client of a real ``pactgraph serve --allow-update`` over its own scratch store, holding ``token``."""
    url = live_server("--allow-update", "--scratch", str(scratch), env={"PACTGRAPH_UPDATE_TOKEN": token})
    with httpx.Client(base_url=url, timeout=timeout) as client:
        yield client
