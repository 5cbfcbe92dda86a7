"""SHACL validation of the graph: run pySHACL, and give each result back its source row.

The data is validated together with the ontology (so ``sh:targetClass pg:LegalAct`` reaches
every Regulation through ``rdfs:subClassOf``). The union of the graphs is assembled in
Oxigraph and handed to pySHACL through oxrdflib; pySHACL copies it into an rdflib memory graph
before it runs (advanced mode). Letting it work in place on Oxigraph instead was measured 35x
slower on the real graph (95-107 s against 2.6-3.3 s, ``pactgraph validate``), because its
SPARQL-based constraints then go through oxrdflib one focus node at a time.

A large graph (more than ``LARGE_GRAPH`` triples) is validated by the Rust engine of PyPI
``shacl`` instead: pySHACL needs minutes per 100k triples and the graph copied into rdflib
memory, the Rust engine reads an N-Triples dump of the union and takes seconds per million.
Its report is turned into the same ValidationResults (a test holds the two engines to the same
results on the real and on a synthetic graph). The engine has no look-around in ``sh:pattern``,
so a pattern of the form ``(?!prefix)...`` is rewritten into an equivalent one without it;
shapes it still cannot run go to pySHACL. Nested shapes check sh:class in a form the engine
runs in linear time (``_nested_without_class``); SPARQL-based constraints run in Oxigraph,
alongside the engine. Measured on generated graphs (``bench/generate.py``), whole validation:
12 s at 1M triples, 34 s at 3M, 125 s at 10M (1.2 GiB); the engine's part 2.6 s, 7 s and 28 s,
where before the nested rewrite it took 9.5 s, 68 s and 876 s.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field as dataclass_field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Literal as Choice

import pyshacl
from oxrdflib import OxigraphStore
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, Variable
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, SH

from .vocab import CSVW, DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ROW_PREFIX = "https://w3id.org/pactgraph/"
#: Above this many triples ``engine="auto"`` validates with the Rust engine rather than pySHACL.
LARGE_GRAPH = 50_000
Engine = Choice["auto", "pyshacl", "rust"]


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
    #: The W3C report graph, or how to make it: at scale it is made only when someone asks
    #: (31k results took 12 s to put into rdflib, and a build never looks at them).
    report_graph: Graph | Callable[[], Graph] = dataclass_field(repr=False, compare=False)
    seconds: float = 0.0
    shapes: int = 0

    @cached_property
    def graph(self) -> Graph:
        """The ``sh:ValidationReport`` as an rdflib graph."""
        return self.report_graph if isinstance(self.report_graph, Graph) else self.report_graph()

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
                   focus_nodes: Iterable[str] | None = None, engine: Engine = "auto") -> ValidationReport:
    """Validate the union of some named graphs of a store (by default: ontology, data, inferred);
    ``focus_nodes`` (IRIs) limits the validation to those focus nodes.

    ``engine`` picks pySHACL or the Rust engine; ``auto`` takes the Rust engine for a graph of
    more than LARGE_GRAPH triples validated whole, when it can run the shapes. Raises
    ShapesError when the shapes cannot be run.
    """
    graphs = list(graphs)
    if engine == "rust" or (engine == "auto" and focus_nodes is None and _size(store, graphs) > LARGE_GRAPH):
        try:
            return validate_store_rust(store, shapes, graphs=graphs)
        except ShapesError:
            if engine == "rust":
                raise
    union = Store()
    union.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph())
                 for graph in graphs for q in store.quads_for_pattern(None, None, None, graph))
    return validate_graph(_as_rdflib(union), shapes, focus_nodes=focus_nodes)


def validate_store_rust(store: Store, shapes: Graph, *, graphs: Iterable[NamedNode] = (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH)) -> ValidationReport:
    """Validate the union of some named graphs with the Rust engine (PyPI ``shacl``).

    The union is dumped as N-Triples to a temporary file, graph after graph (a triple in two
    graphs is read twice and counted once), so the graph never passes through Python objects.
    The dump and the engine run in a second thread (both let go of the GIL) while the SPARQL
    constraints run in Oxigraph in this one: at 3M triples 25 s of dump and 8 s of engine
    against 17 s of SPARQL.
    Raises ShapesError when the engine cannot compile the shapes.
    """
    import shacl

    graphs = list(graphs)
    started = time.perf_counter()
    try:
        # N-Triples: rdflib's Turtle writer loses list cells of the nested copies.
        compiled = shacl.Shapes.from_text(_rust_shapes(shapes).serialize(format="nt"), format="ntriples")
    except ValueError as error:
        raise ShapesError(f"the shapes cannot be run by the Rust engine: {error}") from None
    sparql = _sparql_constraints(shapes)

    def run_engine() -> object:
        handle, dump = tempfile.mkstemp(suffix=".nt", prefix="pactgraph-validate-")
        try:
            with os.fdopen(handle, "wb") as out:
                for graph in graphs:
                    store.dump(out, format=RdfFormat.N_TRIPLES, from_graph=graph)
            return compiled.validate_file(dump, allow_warnings=True)
        finally:
            os.unlink(dump)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pactgraph-validate") as pool:
        engine = pool.submit(run_engine)
        found = [result for constraint in sparql for result in constraint.run(store, graphs)]
        outcome = engine.result()
    found += [_rust_result(r, store, graphs) for r in outcome.results]
    results = tuple(sorted(found, key=lambda r: (r.severity != "Violation", r.source_shape, r.focus, r.path or "", r.value or "")))

    def report() -> Graph:
        graph = Graph()
        graph.parse(data=outcome.serialize("ntriples"), format="nt")
        _add_results(graph, [r for r in results if r.constraint == str(SH.SPARQLConstraintComponent)])
        return graph

    shape_count = len(set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)))
    return ValidationReport(results=results, report_graph=report, seconds=time.perf_counter() - started, shapes=shape_count)


@dataclass(frozen=True)
class _SparqlConstraint:
    """A SPARQL-based constraint, run as one query inside Oxigraph for all its focus nodes.

    The shape's targets are joined at the head of the constraint's WHERE clause, which binds
    ``$this`` as SHACL's pre-binding does; the Rust engine got a constraint of the real shapes
    wrong (an OPTIONAL under pre-binding), and one query is faster than one per focus node.
    """

    shape: str
    severity: str
    message: str
    path: str | None
    prefixes: str
    head: str
    body: str
    targets: str
    focus_filters: tuple[str, ...]

    @property
    def query(self) -> str:
        """The constraint as one query, the targets and the filters on them in a subquery."""
        return (f"{self.prefixes}{self.head} {{ SELECT DISTINCT ?this WHERE {{ {{ {self.targets} }} "
                f"{' '.join(self.focus_filters)} }} }} {self.body}")

    def run(self, store: Store, graphs: list[NamedNode]) -> Iterable[ValidationResult]:
        query = self.query
        if self.focus_filters:
            # Oxigraph evaluates an EXISTS per solution, with a path from an unbound subject
            # slowly (7 s per focus node at 1M triples); per focus node, as an ASK, it is instant.
            focus = [row["this"] for row in store.query(f"{self.prefixes}SELECT DISTINCT ?this WHERE {{ {self.targets} }}",
                                                        default_graph=graphs)]
            if len(focus) <= _FOCUS_NODES_ONE_BY_ONE:
                asks = [f"{self.prefixes}ASK {{ {f.split('{', 1)[1]}" for f in self.focus_filters]
                negated = [bool(re.match(r"FILTER\s+NOT", f, re.IGNORECASE)) for f in self.focus_filters]
                kept = [node for node in focus
                        if all(bool(store.query(ask, default_graph=graphs, substitutions={Variable("this"): node})) != negate
                               for ask, negate in zip(asks, negated))]
                if not kept:
                    return
                values = " ".join(_sparql_term(node) for node in kept)
                query = f"{self.prefixes}{self.head} VALUES ?this {{ {values} }} {self.body}"
        solutions = store.query(query, default_graph=graphs)
        seen: set[tuple[str, str | None]] = set()
        for solution in solutions:
            this, value = solution["this"], solution["value"] if "value" in [v.value for v in solutions.variables] else None
            if this is None:
                continue
            key = (this.value, None if value is None else value.value)
            if key in seen:
                continue
            seen.add(key)
            rows = tuple(sorted({q.subject.value.removeprefix(_ROW_PREFIX) for graph in graphs
                                 for q in store.quads_for_pattern(None, _DESCRIBES, this, graph)})) \
                if isinstance(this, NamedNode) else ()
            yield ValidationResult(severity=self.severity, source_shape=self.shape, constraint=str(SH.SPARQLConstraintComponent),
                                   focus=this.value, path=self.path, value=key[1], message=self.message, source_rows=rows)


def _sparql_constraints(shapes: Graph) -> list[_SparqlConstraint]:
    """The SPARQL-based constraints of the shapes as queries over the data, targets included.

    Raises ShapesError for what this does not run: a constraint on a blank-node shape, a
    path that is not a property, a constraint without sh:select.
    """
    constraints = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        if (shape, SH.deactivated, Literal(True)) in shapes or (constraint, SH.deactivated, Literal(True)) in shapes:
            continue
        select = shapes.value(constraint, SH.select)
        path = shapes.value(shape, SH.path)
        if not isinstance(shape, URIRef) or select is None or (path is not None and not isinstance(path, URIRef)):
            raise ShapesError(f"the Rust path runs SPARQL constraints of named shapes with a property path only ({shape})")
        prefixes = _prefixes(shapes, constraint) | _prefixes(shapes, shape)
        focus_shapes = _focus_shapes(shapes, shape)
        for target in (t for s in focus_shapes for t in shapes.objects(s, SH.target)):
            prefixes |= _prefixes(shapes, target)
        targets = _targets(shapes, focus_shapes)
        body = str(select).replace("$PATH", f"<{path}>") if path is not None else str(select)
        where = re.search(r"\bWHERE\s*\{", body, re.IGNORECASE)
        if where is None:
            raise ShapesError(f"the SPARQL constraint of {shape} has no WHERE clause")
        head, rest, filters = _hoist_focus_filters(body[:where.end()], body[where.end():])
        header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(prefixes))
        messages = [m for m in shapes.objects(constraint, SH.message)] or [m for m in shapes.objects(shape, SH.message)]
        english = [str(m) for m in messages if not isinstance(m, Literal) or m.language in (None, "en")]
        constraints.append(_SparqlConstraint(
            shape=str(shape), severity=SEVERITIES.get(shapes.value(shape, SH.severity), "Violation"),
            message=english[0] if english else "", path=None if path is None else str(path), prefixes=header,
            head=head, body=_not_exists_as_minus(rest), targets=targets, focus_filters=tuple(filters)))
    return constraints


#: Up to this many focus nodes, filters on the focus node alone are run one node at a time.
_FOCUS_NODES_ONE_BY_ONE = 10_000


def _sparql_term(term: object) -> str:
    """A pyoxigraph term in SPARQL syntax (its ``str`` is N-Triples, which SPARQL reads)."""
    return str(term)


_FILTER_EXISTS = re.compile(r"\bFILTER\s+(NOT\s+)?EXISTS\s*\{", re.IGNORECASE)
_VARIABLE_NAME = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _hoist_focus_filters(head: str, body: str) -> tuple[str, str, list[str]]:
    """Take out of the constraint's WHERE group every ``FILTER [NOT] EXISTS`` that shares no
    variable but ``$this`` with the rest of the query: it then depends on the focus node only,
    so it can filter the focus nodes once instead of every solution (a filter holds for its
    whole group, wherever it is written). Oxigraph evaluates an EXISTS per solution: one of the
    completeness shapes took 10 ms a row that way.
    """
    hoisted: list[str] = []
    position = 0
    while (match := _FILTER_EXISTS.search(body, position)) is not None:
        end = _group_end(body, match.end())
        if end is None or _depth(body, match.start()) != 0:
            position = match.end()
            continue
        text = body[match.start():end]
        inner = set(_VARIABLE_NAME.findall(text))
        outer = set(_VARIABLE_NAME.findall(head + body[:match.start()] + body[end:]))
        if "this" in inner and inner & outer <= {"this"}:
            hoisted.append(text)
            body = body[:match.start()] + " " + body[end:]
            position = match.start()
        else:
            position = end
    return head, body, hoisted


_NOT_EXISTS = re.compile(r"\bFILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)
_NOT_BGP = re.compile(r"[{}()]|\b(FILTER|OPTIONAL|BIND|VALUES|SERVICE|GRAPH|MINUS|UNION|SELECT)\b", re.IGNORECASE)


def _not_exists_as_minus(body: str) -> str:
    """Write each top-level ``FILTER NOT EXISTS { basic graph pattern with $this }`` as ``MINUS``.

    The two differ only for solutions that share no bound variable with the pattern, or when
    the pattern has filters of its own; ``$this`` is bound in every solution of a constraint (the
    targets are joined first), so for a plain pattern naming ``$this`` they are the same. Oxigraph
    runs a NOT EXISTS once per solution and a MINUS as one anti-join: at 1M triples a
    completeness shape took 315 s the one way.
    """
    position = 0
    while (match := _NOT_EXISTS.search(body, position)) is not None:
        end = _group_end(body, match.end())
        if end is None or _depth(body, match.start()) != 0:
            position = match.end()
            continue
        inner = body[match.end():end - 1]
        if _NOT_BGP.search(inner) or "this" not in _VARIABLE_NAME.findall(inner) or '"' in inner or "'" in inner:
            position = end
            continue
        replacement = f"MINUS {{{inner}}}"
        body = body[:match.start()] + replacement + body[end:]
        position = match.start() + len(replacement)
    return body


def _group_end(text: str, start: int) -> int | None:
    """The index just past the brace that closes the group opened before ``start``."""
    depth, i = 1, start
    while i < len(text):
        char = text[i]
        if char in "\"'":
            close = text.find(char, i + 1)
            i = len(text) if close < 0 else close
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if not depth:
                return i + 1
        i += 1
    return None


def _depth(text: str, end: int) -> int:
    """How deep in groups ``end`` lies, counting from the start of the WHERE group."""
    depth = 0
    for char in text[:end]:
        depth += {"{": 1, "}": -1}.get(char, 0)
    return depth


def _prefixes(shapes: Graph, node: object) -> set[tuple[str, str]]:
    found = set()
    for declaring in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(declaring, SH.declare):
            found.add((str(shapes.value(declaration, SH.prefix)), str(shapes.value(declaration, SH.namespace))))
    return found


def _focus_shapes(shapes: Graph, shape: object) -> list[object]:
    """``shape`` and the node shapes whose focus nodes are its focus nodes too: those that
    name it with sh:property, and theirs (pgsh:Ontology-versionIRI has no targets of its own).

    Raises ShapesError for a shape under a property shape (its focus nodes are values).
    """
    found, todo = [shape], [shape]
    while todo:
        for parent in shapes.subjects(SH.property, todo.pop()):
            if (parent, SH.deactivated, Literal(True)) in shapes or parent in found:
                continue
            if (parent, SH.path, None) in shapes:
                raise ShapesError(f"the Rust path runs no SPARQL constraint of a shape under a property shape ({shape})")
            found.append(parent)
            todo.append(parent)
    return found


def _targets(shapes: Graph, focus_shapes: list[object]) -> str:
    """A SPARQL pattern binding ?this to every focus node of some shapes."""
    patterns = []
    for shape in focus_shapes:
        patterns += [f"?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}>"
                     for c in shapes.objects(shape, SH.targetClass)]
        if (shape, RDF.type, _RDFS_CLASS) in shapes:
            patterns.append(f"?this <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{shape}>")
        patterns += [f"VALUES ?this {{ {n.n3()} }}" for n in shapes.objects(shape, SH.targetNode)]
        patterns += [f"?this <{p}> ?target_object" for p in shapes.objects(shape, SH.targetSubjectsOf)]
        patterns += [f"?target_subject <{p}> ?this" for p in shapes.objects(shape, SH.targetObjectsOf)]
        for target in shapes.objects(shape, SH.target):
            select = shapes.value(target, SH.select)
            if select is None:
                raise ShapesError(f"the Rust path runs SPARQL targets with sh:select only ({shape})")
            patterns.append(f"{{ {select} }}")
    if not patterns:
        return "FILTER(false)"
    return " UNION ".join(f"{{ {p} }}" for p in patterns)


def _add_results(report: Graph, results: list[ValidationResult]) -> None:
    """Add results to a W3C validation report graph, and make its sh:conforms say the truth."""
    [node] = list(report.subjects(RDF.type, SH.ValidationReport)) or [BNode()]
    report.add((node, RDF.type, SH.ValidationReport))
    for result in results:
        entry = BNode()
        report.add((node, SH.result, entry))
        report.add((entry, RDF.type, SH.ValidationResult))
        report.add((entry, SH.focusNode, URIRef(result.focus)))
        report.add((entry, SH.resultSeverity, SH[result.severity]))
        report.add((entry, SH.sourceShape, URIRef(result.source_shape)))
        report.add((entry, SH.sourceConstraintComponent, URIRef(result.constraint)))
        report.add((entry, SH.resultMessage, Literal(result.message)))
        if result.path is not None:
            report.add((entry, SH.resultPath, URIRef(result.path)))
        if result.value is not None:
            report.add((entry, SH.value, URIRef(result.value) if "://" in result.value else Literal(result.value)))
    violations = any(report.triples((None, SH.resultSeverity, SH.Violation)))
    report.set((node, SH.conforms, Literal(not violations)))


def _size(store: Store, graphs: list[NamedNode]) -> int:
    total = 0
    for graph in graphs:
        [row] = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
        total += int(row["n"].value)
    return total


def _rust_shapes(shapes: Graph) -> Graph:
    """The shapes as the Rust engine runs them: without their SPARQL constraints (run in
    Oxigraph), with look-around-free patterns, and with nested shapes that check class
    membership by following the types of the node (``_nested_without_class``).

    Raises ShapesError for a pattern with a look-around this cannot rewrite, and for a SPARQL
    constraint in a nested shape.
    """
    copy = Graph()
    for prefix, namespace in shapes.namespaces():
        copy.bind(prefix, namespace)
    constraints = set(shapes.objects(None, SH.sparql))
    for s, p, o in shapes:
        if p == SH.sparql or s in constraints:
            continue  # run in Oxigraph, see _SparqlConstraint
        if p == SH.pattern and "(?" in str(o):
            o = Literal(without_lookahead(str(o)), lang=o.language, datatype=o.datatype)
        copy.add((s, p, o))
    for shape in set(shapes.subjects(SH.sparql, None)):
        if all(p in _NOT_CONSTRAINTS for p in copy.predicates(shape)):
            # Nothing left for the engine to check: its targets (a SPARQL target, say) would
            # only cost time.
            for target in _TARGET_PARAMETERS:
                copy.remove((shape, target, None))
    return _nested_without_class(copy, shapes)


#: The parameters that select focus nodes.
_TARGET_PARAMETERS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
#: The parameters of a shape that constrain nothing.
_NOT_CONSTRAINTS = {RDF.type, SH.path, SH.severity, SH.message, SH.name, SH.description, SH.order, SH.group,
                    SH.deactivated, SH.prefixes, SH.declare, URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
                    URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), *_TARGET_PARAMETERS}
#: Parameters whose shapes are asked only whether a value conforms: a shape and a list of shapes.
_NESTED_SHAPE = (SH.node, SH["not"], SH.qualifiedValueShape)
_NESTED_SHAPES = (SH["and"], SH["or"], SH.xone)
_RDFS_CLASS = URIRef("http://www.w3.org/2000/01/rdf-schema#Class")
_RDFS_SUBCLASS_OF = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")


def _nested_without_class(rust: Graph, shapes: Graph) -> Graph:
    """``rust`` with every shape under sh:node, sh:not, sh:and, sh:or, sh:xone or
    sh:qualifiedValueShape replaced by a copy in which ``sh:class C`` reads
    ``sh:node [ sh:property [ sh:path ( rdf:type [ sh:zeroOrMorePath rdfs:subClassOf ] ) ;
    sh:hasValue C ] ]``: a node is a SHACL instance of C when one of its types is C or below C
    under rdfs:subClassOf, which is what both say.

    The Rust engine checks sh:class by listing every instance of the class, once each time it
    evaluates the shape: once for a shape over its focus nodes, but once per value node for a
    nested shape, so validation grew with the square of the graph (pgsh:ResourceShape, whose
    source rows must conform to pgsh:SourceRowShape, sh:class csvw:Row: 6 s at 1M triples,
    89 s at 3M). The path starts from the value node alone. A nested shape's results are never
    reported, only whether there are any, so the copies change no result; they are copies
    because a named shape may also be validated on its own (pgsh:SourceRowShape is), with its
    sh:class results reported. Copies have no targets.

    Raises ShapesError for a nested shape with a SPARQL constraint (``_SparqlConstraint`` runs
    a constraint on its shape's targets only).
    """
    copies: dict[object, BNode] = {}
    made: set[BNode] = set()
    instance_shapes: dict[object, BNode] = {}

    def instance_of(cls: object) -> BNode:
        if cls not in instance_shapes:
            node, prop, below = BNode(), BNode(), BNode()
            rust.add((below, SH.zeroOrMorePath, _RDFS_SUBCLASS_OF))
            rust.add((prop, SH.path, Collection(rust, BNode(), [RDF.type, below]).uri))
            rust.add((prop, SH.hasValue, cls))
            rust.add((node, SH.property, prop))
            instance_shapes[cls] = node
        return instance_shapes[cls]

    def copy_list(head: object) -> BNode:
        return Collection(rust, BNode(), [copy(member) for member in Collection(rust, head)]).uri

    def copy(shape: object) -> BNode:
        if shape in made:
            return shape
        if shape in copies:
            return copies[shape]
        if (shape, SH.sparql, None) in shapes:
            raise ShapesError(f"the Rust path does not run a SPARQL constraint in a nested shape ({shape})")
        copies[shape] = new = BNode()
        made.add(new)
        for p, o in list(rust.predicate_objects(shape)):
            if p in _TARGET_PARAMETERS or (p, o) == (RDF.type, _RDFS_CLASS):
                continue
            if p == SH["class"]:
                p, o = SH.node, instance_of(o)
            elif p == SH.property or p in _NESTED_SHAPE:
                o = copy(o)
            elif p in _NESTED_SHAPES:
                o = copy_list(o)
            rust.add((new, p, o))
        return new

    for s, p, o in list(rust):
        if s in made or p not in _NESTED_SHAPE + _NESTED_SHAPES:
            continue
        rust.remove((s, p, o))
        rust.add((s, p, copy(o) if p in _NESTED_SHAPE else copy_list(o)))
    return rust


_LOOKAHEAD = re.compile(r"\(\?!((?:[^()\\\[\]{}|*+?.^$]|\\.)+)\)(\\S\.\*)?")


def without_lookahead(pattern: str) -> str:
    """``pattern`` with each negative lookahead of a literal prefix, ``(?!prefix)`` alone or
    followed by ``\\S.*``, written as the alternation it stands for.

    ``(?!ab)`` matches where the text goes on with anything but ``ab``: with nothing, with a
    character other than ``a``, or with ``a`` and then nothing or anything but ``b``.
    Raises ShapesError for any other look-around.
    """
    def rewrite(match: re.Match[str]) -> str:
        prefix = re.findall(r"\\.|.", match.group(1))
        rest = match.group(2) is not None
        alternatives = []
        for i, char in enumerate(prefix):
            literal = char[1] if char.startswith("\\") else char
            excluded = "\\" + literal if literal in "\\]^-[" else literal
            if rest:
                # First character also non-space (\S); what follows is .* (no line break).
                first = f"[^{excluded}\\s]" if i == 0 else f"[^{excluded}\\n]"
                alternatives.append("".join(prefix[:i]) + (first + ".*" if i == 0 else f"(?:{first}.*)?"))
            else:
                alternatives.append("".join(prefix[:i]) + f"(?:[^{excluded}]|$)")
        if not rest:
            alternatives.insert(0, "$")
        return "(?:" + "|".join(alternatives) + ")"

    rewritten = _LOOKAHEAD.sub(rewrite, pattern)
    if "(?=" in rewritten or "(?!" in rewritten or "(?<" in rewritten:
        raise ShapesError(f"the Rust engine cannot run the pattern {pattern!r} (look-around)")
    return rewritten


def _rust_result(result: object, store: Store, graphs: list[NamedNode]) -> ValidationResult:
    focus = _plain(result.focus_node)
    path = result.path
    if path is not None and path.startswith("<") and path.endswith(">") and path.count("<") == 1:
        path = path[1:-1]
    shape = result.source_shape or ""
    return ValidationResult(
        severity=result.severity,
        source_shape=shape[1:-1] if shape.startswith("<") else shape,
        constraint=result.component_iri,
        focus=focus,
        path=path,
        value=result.value_plain,
        message=result.message or "",
        source_rows=tuple(sorted({q.subject.value.removeprefix(_ROW_PREFIX) for graph in graphs
                                  for q in store.quads_for_pattern(None, _DESCRIBES, _node(result.focus_node), graph)})),
    )


_DESCRIBES = NamedNode(CSVW + "describes")


def _plain(term: str) -> str:
    """An N-Triples term as pySHACL's report gives it in text: the IRI, the label or the value."""
    if term.startswith("<"):
        return term[1:-1]
    if term.startswith("_:"):
        return term[2:]
    return term[1:term.rindex('"')] if term.startswith('"') else term


def _node(term: str) -> NamedNode | None:
    return NamedNode(term[1:-1]) if term.startswith("<") else None


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
    # The report's results, not the sh:detail results under them (pySHACL adds those for
    # sh:node; the Rust engine gives none).
    results = tuple(sorted((_result(report, node, data) for node in report.objects(None, SH.result)),
                           key=lambda r: (r.severity != "Violation", r.source_shape, r.focus, r.path or "", r.value or "")))
    shape_count = len(set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape)))
    return ValidationReport(results=results, report_graph=report, seconds=seconds, shapes=shape_count)


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
