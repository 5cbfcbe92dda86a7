"""SHACL validation of the graph: run pySHACL, and give each result back its source row.

The data is validated together with the ontology (so ``sh:targetClass pg:LegalAct`` reaches
every Regulation through ``rdfs:subClassOf``). The union of the graphs is assembled in
Oxigraph and handed to pySHACL through oxrdflib; pySHACL copies it into an rdflib memory graph
before it runs (advanced mode). Letting it work in place on Oxigraph instead was measured 35x
slower on the real graph (95-107 s against 2.6-3.3 s, ``pactgraph validate``), because its
SPARQL-based constraints then go through oxrdflib one focus node at a time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyshacl
from oxrdflib import OxigraphStore
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store
from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, SH

from .vocab import CSVW, DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ROW_PREFIX = "https://w3id.org/pactgraph/"


@dataclass(frozen=True)
class ShapesError(ValueError):
    """The shapes cannot be run (pySHACL refused them); the message says why."""


@dataclass(frozen=True)
class ValidationResult:
    """One result of the SHACL report, with the source rows of its focus node."""

    severity: str
    source_shape: str
    constraint: str
    focus: str
    path: str | None
    value: str | None
    message: str
    source_rows: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: three views of one report, as pySHACL gives them."""

    results: tuple[ValidationResult, ...]
    graph: Graph
    seconds: float
    shapes: int

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        return tuple(r for r in self.results if r.severity == "Warning")

    @property
    def conforms(self) -> bool:
        """True when no result is a violation (warnings and infos do not count)."""
        return not self.violations


def load_shapes(shapes_dir: Path) -> Graph:
    """All shapes files of a folder as one graph."""
    shapes = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def validate_store(store: Store, shapes: Graph, *, graphs: Iterable[NamedNode] = (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH),
                   focus_nodes: Iterable[str] | None = None) -> ValidationReport:
    """Validate the union of some named graphs of a store (by default: ontology, data, inferred);
    ``focus_nodes`` (IRIs) limits the validation to those focus nodes."""
    union = Store()
    union.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph())
                 for graph in graphs for q in store.quads_for_pattern(None, None, None, graph))
    return validate_graph(_as_rdflib(union), shapes, focus_nodes=focus_nodes)


def validate_turtle(paths: Iterable[Path], shapes: Graph) -> ValidationReport:
    """Validate the union of some Turtle files (the shapes' fixtures use this)."""
    union = Store()
    for path in paths:
        union.load(path=str(path), format=RdfFormat.TURTLE)
    return validate_graph(_as_rdflib(union), shapes)


def _as_rdflib(store: Store) -> Graph:
    """The store's default graph through oxrdflib (pySHACL then queries Oxigraph)."""
    return Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


def validate_graph(data: Graph, shapes: Graph, *, focus_nodes: Iterable[str] | None = None) -> ValidationReport:
    started = time.perf_counter()
    focus = [URIRef(node) for node in focus_nodes] if focus_nodes else None
    _, report, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True, allow_infos=True,
                                       focus_nodes=focus)
    if not isinstance(report, Graph):
        raise ShapesError(f"the shapes cannot be run: {text}")
    seconds = time.perf_counter() - started
    results = tuple(sorted((_result(report, node, data) for node in report.subjects(RDF.type, SH.ValidationResult)),
                           key=lambda r: (r.severity != "Violation", r.source_shape, r.focus, r.path or "", r.value or "")))
    shape_count = len(set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)))
    return ValidationReport(results=results, graph=report, seconds=seconds, shapes=shape_count)


def _result(report: Graph, node: object, data: Graph) -> ValidationResult:
    def one(predicate: URIRef) -> str | None:
        value = report.value(node, predicate)
        return None if value is None else str(value)

    focus = report.value(node, SH.focusNode)
    messages = [str(m) for m in report.objects(node, SH.resultMessage) if not isinstance(m, Literal) or m.language in (None, "en")]
    return ValidationResult(
        severity=SEVERITIES.get(report.value(node, SH.resultSeverity), "Violation"),
        source_shape=one(SH.sourceShape) or "",
        constraint=one(SH.sourceConstraintComponent) or "",
        focus=str(focus),
        path=one(SH.resultPath),
        value=one(SH.value),
        message=messages[0] if messages else "",
        source_rows=_source_rows(data, focus),
    )


def _source_rows(data: Graph, focus: object) -> tuple[str, ...]:
    """``sources/obligations.csv#row=12`` for every row that states facts about the focus node."""
    rows = {str(row).removeprefix(_ROW_PREFIX) for row in data.subjects(URIRef(CSVW + "describes"), focus)}
    return tuple(sorted(rows))
