"""The pipeline: source tables -> checks -> quads -> a new store -> published.

Everything that can fail happens before the new store is published; on any failure the
half-built store is discarded and the previous graph stays in service.

The mapped tables go into the store as N-Quads text through Oxigraph's bulk loader, and the
rules run inside Oxigraph, so no stage holds the graph as Python objects: at 10M triples
that is the difference between minutes and an hour, and between 1 and 10 GiB.
"""

from __future__ import annotations

import gc
import hashlib
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Store

from . import __version__
from .inference import InferenceReport, materialise
from .mapping import write_nquads
from .settings import Settings
from .sources import SourceTable, load_tables
from .store import discard, new_build_dir, publish
from .validation import ValidationReport, load_shapes, validate_store
from .vocab import BASE, BUILD_GRAPH, DATA_GRAPH, DCTERMS, ONTOLOGY_GRAPH, PROV, RDF, RDFS, XSD

#: Called with a short description of each step as it starts.
StepListener = Callable[[str], None]


class GraphNotConformingError(Exception):
    """The new graph violates a core shape; it was not published."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(f"the graph has {len(report.violations)} violation(s) of the core shapes; "
                         "it was not published and the previous graph stays")


@dataclass(frozen=True)
class BuildReport:
    """What a build produced."""

    store: Path
    quads_by_graph: dict[str, int]
    seconds: float
    validation: ValidationReport
    inference: InferenceReport
    tables: dict[str, int] = field(default_factory=dict)
    #: Seconds each step took, by the name ``on_step`` was told.
    stages: dict[str, float] = field(default_factory=dict)


def build(settings: Settings, *, on_step: StepListener | None = None) -> BuildReport:
    """Build the graph from the project's files and publish it at ``settings.store``.

    Raises SourceTableError when a source table breaks its schema (nothing is written),
    GraphNotConformingError when the graph violates a shape of severity sh:Violation, and
    lets any other failure propagate; in every case the unfinished store is discarded.
    """
    listener = on_step or (lambda _: None)
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc)
    stages: dict[str, float] = {}
    current: list = [None, started]

    def step(name: str | None) -> None:
        now = time.perf_counter()
        if current[0] is not None:
            stages[current[0]] = stages.get(current[0], 0.0) + now - current[1]
        current[:] = [name, now]
        if name is not None:
            listener(name)

    step("checking source tables")
    tables = load_tables(settings.mappings_dir)

    target = new_build_dir(settings.store)
    work = target.with_name(target.name + ".work")
    try:
        # pyoxigraph cannot close a store: build in a working copy and publish a checkpoint
        # of it, a database no writer holds open, so readers in this process see it whole.
        store = Store(str(work))
        load_data(store, settings, tables, on_step=step, scratch=target.parent)
        step("inferring")
        inference = materialise(store, settings.ontology_dir / "rules", scratch=target.parent)
        step("recording the build")
        store.extend(_build_record(settings, tables, started_at))
        step("validating")
        validation = validate_store(store, load_shapes(settings.shapes_dir))
        if not validation.conforms:
            raise GraphNotConformingError(validation)
        step("publishing")
        store.flush()
        store.optimize()
        sizes = _graph_sizes(store)
        target.rmdir()
        store.backup(str(target))
        publish(target, settings.store)
    except BaseException:
        discard(target)
        raise
    finally:
        # Close the working store before its folder goes: a store still open (held by a cycle
        # until the collector runs) writes into its folder again and brings it back.
        store = None
        gc.collect()
        discard(work)
    step(None)
    return BuildReport(store=settings.store, quads_by_graph=sizes, seconds=time.perf_counter() - started,
                       validation=validation, inference=inference, tables={t.name: len(t.rows) for t in tables},
                       stages=stages)


def load_data(store: Store, settings: Settings, tables: Iterable[SourceTable], *,
              on_step: StepListener | None = None, scratch: Path | None = None) -> None:
    """The ontology and the mapped tables into ``store`` (graphs ontology and data).

    The tables are mapped to an N-Quads file in ``scratch`` (the system's temporary folder by
    default), row by row, and bulk-loaded from there: Oxigraph parses it without a Python
    object per quad and without holding one transaction for the whole graph.
    """
    step = on_step or (lambda _: None)
    step("loading the ontology")
    for path in sorted(settings.ontology_dir.glob("*.ttl")):
        store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    step("mapping source tables")
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".nq", dir=scratch) as mapped:
        write_nquads(tables, DATA_GRAPH, mapped)
        mapped.flush()
        step("loading the mapped data")
        store.bulk_load(path=mapped.name, format=RdfFormat.N_QUADS)


def _graph_sizes(store: Store) -> dict[str, int]:
    rows = store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"].value: int(row["n"].value) for row in rows}


def _build_record(settings: Settings, tables: Iterable[SourceTable], started_at: datetime) -> Iterator[Quad]:
    """PROV-O record of the build: when, by which version, from which versions of the sources."""
    activity = NamedNode(BASE + "build")
    yield Quad(activity, NamedNode(RDF + "type"), NamedNode(PROV + "Activity"), BUILD_GRAPH)
    yield Quad(activity, NamedNode(PROV + "startedAtTime"),
               Literal(started_at.isoformat(), datatype=NamedNode(XSD + "dateTime")), BUILD_GRAPH)
    yield Quad(activity, NamedNode(PROV + "endedAtTime"),
               Literal(datetime.now(timezone.utc).isoformat(), datatype=NamedNode(XSD + "dateTime")), BUILD_GRAPH)
    software = NamedNode(f"{BASE}software/{__version__}")
    yield Quad(activity, NamedNode(PROV + "wasAssociatedWith"), software, BUILD_GRAPH)
    yield Quad(software, NamedNode(RDFS + "label"), Literal(f"pactgraph {__version__}"), BUILD_GRAPH)
    files = [(t.url, t.path) for t in tables]
    files += [(f"mappings/{p.name}", p) for p in sorted(settings.mappings_dir.glob("*.csv-metadata.json"))]
    files += [(f"ontology/{p.name}", p) for p in sorted(settings.ontology_dir.glob("*.ttl"))]
    files += [(f"ontology/rules/{p.name}", p) for p in sorted((settings.ontology_dir / "rules").glob("*.rq"))]
    for name, path in files:
        entity = NamedNode(BASE + name)
        yield Quad(activity, NamedNode(PROV + "used"), entity, BUILD_GRAPH)
        yield Quad(entity, NamedNode(DCTERMS + "hasVersion"), Literal("sha256:" + _sha256(path)), BUILD_GRAPH)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
