"""OWL consistency of the ontology, checked by HermiT through owlready2 where Java is present."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import RdfFormat, Store, serialize
from rdflib import Graph

from .vocab import DATA_GRAPH


@dataclass(frozen=True)
class ConsistencyCheck:
    """What the reasoner said; ``consistent`` is None when no reasoner could run."""

    reasoner: str
    consistent: bool | None
    message: str
    seconds: float = 0.0


def check_ontology(ontology_dir: Path, data: Store | None = None) -> ConsistencyCheck:
    """Load the ontology files, and the asserted data of a store if one is given, into owlready2
    and run HermiT (consistency and classification).

    HermiT needs Java; without it the check is skipped and the result says so, rather than
    failing the validation of the data.
    """
    if shutil.which("java") is None:
        return ConsistencyCheck("none", None, "Java is not installed: the HermiT consistency check was skipped")
    import owlready2

    started = time.perf_counter()
    graph = Graph()
    for path in sorted(ontology_dir.glob("*.ttl")):
        graph.parse(path, format="turtle")
    what = "the ontology"
    if data is not None:
        triples = (q.triple for q in data.quads_for_pattern(None, None, None, DATA_GRAPH))
        graph.parse(data=(serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8"), format="nt")
        what = "the ontology with the data"
    with tempfile.TemporaryDirectory() as folder:
        owl_file = Path(folder) / "pactgraph.owl"
        graph.serialize(owl_file, format="xml")
        world = owlready2.World()
        world.get_ontology(owl_file.as_uri()).load()
        try:
            with world.get_ontology("https://w3id.org/pactgraph/ontology#"):
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                               ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ConsistencyCheck("HermiT", False, f"{what} is inconsistent", time.perf_counter() - started)
        unsatisfiable = list(world.inconsistent_classes())
    seconds = time.perf_counter() - started
    if unsatisfiable:
        names = ", ".join(sorted(str(c) for c in unsatisfiable))
        return ConsistencyCheck("HermiT", False, f"unsatisfiable classes: {names}", seconds)
    return ConsistencyCheck("HermiT", True, f"{what} is consistent", seconds)
