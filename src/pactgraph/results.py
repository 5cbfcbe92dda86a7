"""Query results in the formats people and programs ask for.

SPARQL results JSON, CSV and TSV come from Oxigraph's own W3C serializers; the table is
for a terminal.
"""

from __future__ import annotations

from enum import Enum

from pyoxigraph import (BlankNode, Literal, NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions,
                        QueryTriples, RdfFormat, serialize)
from rich.table import Table

from .store import QueryResult
from .vocab import PREFIXES


class ResultFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


_RESULTS_FORMATS = {
    ResultFormat.json: QueryResultsFormat.JSON,
    ResultFormat.csv: QueryResultsFormat.CSV,
    ResultFormat.tsv: QueryResultsFormat.TSV,
}


def serialize_results(result: QueryResult, fmt: ResultFormat) -> bytes:
    """SELECT and ASK results in a W3C results format; graphs (CONSTRUCT, DESCRIBE) as N-Triples."""
    if isinstance(result, QueryTriples):
        return serialize(result, format=RdfFormat.N_TRIPLES) or b""
    return result.serialize(format=_RESULTS_FORMATS[fmt])


def results_table(result: QueryResult) -> Table:
    """A rich table of the results, IRIs shortened with the project's prefixes."""
    if isinstance(result, QueryBoolean):
        table = Table("answer")
        table.add_row("yes" if bool(result) else "no")
        return table
    if isinstance(result, QueryTriples):
        table = Table("subject", "predicate", "object")
        for triple in result:
            table.add_row(show(triple.subject), show(triple.predicate), show(triple.object))
        return table
    assert isinstance(result, QuerySolutions)
    names = [v.value for v in result.variables]
    table = Table(*names)
    count = 0
    for solution in result:
        count += 1
        table.add_row(*(show(solution[name]) for name in names))
    table.caption = f"{count} row{'s' if count != 1 else ''}"
    return table


def show(term: object) -> str:
    """A term as a person reads it: prefixed name, plain value, or empty."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return term.value
    if isinstance(term, Literal):
        return term.value if term.language is None else f"{term.value} @{term.language}"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term)
