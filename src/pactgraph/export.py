"""Dumps of the whole graph in standard RDF formats."""

from __future__ import annotations

from enum import Enum
from typing import BinaryIO

from pyoxigraph import RdfFormat, serialize

from .store import GraphStore
from .vocab import PREFIXES


class ExportFormat(str, Enum):
    turtle = "turtle"
    nquads = "nquads"
    jsonld = "jsonld"


def export_graph(graph: GraphStore, fmt: ExportFormat, output: BinaryIO) -> None:
    """Write the graph: N-Quads and JSON-LD keep the named graphs; Turtle holds their union."""
    if fmt is ExportFormat.turtle:
        triples = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        serialize(triples, output, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    elif fmt is ExportFormat.nquads:
        graph.store.dump(output, format=RdfFormat.N_QUADS)
    else:
        graph.store.dump(output, format=RdfFormat.JSON_LD)
