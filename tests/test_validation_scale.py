"""What the large-graph path (validation.validate_store_rust) changes in the shapes before the
Rust engine runs them, held to pySHACL's results on small graphs, one that conforms and one that
does not for each case:

- a shape under sh:or, sh:xone, sh:node, sh:not or sh:qualifiedValueShape checks sh:class by
  following the value's types (the engine's own sh:class, evaluated per value there, made
  validation quadratic in the size of the graph);
- a SPARQL constraint of a property shape without targets of its own runs on the focus nodes of
  the node shape that names it (pgsh:Ontology-versionIRI was not checked at all);
- a shape left with nothing to check once its SPARQL constraint goes to Oxigraph loses its
  targets (a SPARQL target the engine would evaluate for nothing).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF, SH

from pactgraph.validation import ShapesError, _rust_shapes, load_shapes, validate_store
from pactgraph.vocab import DATA_GRAPH, ONTOLOGY_GRAPH

from .conftest import PROJECT

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""
EX = "http://example.org/"
SHAPES = "http://www.w3.org/ns/shacl#"

# Class membership asked of nested shapes, in every way SHACL nests one. ex:RowShape is also
# validated on its own (targets), as pgsh:SourceRowShape is: its own sh:class results must stay.
NESTED_CLASS_SHAPES = PREFIXES + """
ex:RowShape a sh:NodeShape ;
    sh:targetSubjectsOf ex:derivedFrom ;
    sh:class ex:Row ;
    sh:message "A row is a row."@en ;
    sh:property ex:Row-derivedFrom .
ex:Row-derivedFrom a sh:PropertyShape ; sh:path ex:derivedFrom ; sh:minCount 1 ; sh:class ex:Source ;
    sh:message "A row derives from a source."@en .

ex:ThingShape a sh:NodeShape ;
    sh:targetClass ex:Thing ;
    sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ;
    sh:message "A thing is an A or a B."@en ;
    sh:property ex:Thing-source , ex:Thing-about , ex:Thing-part , ex:Thing-unlike , ex:Thing-both .
ex:Thing-source a sh:PropertyShape ;
    sh:path ex:describedBy ;
    sh:qualifiedValueShape ex:RowShape ;
    sh:qualifiedMinCount 1 ;
    sh:message "A thing has a source row."@en .
ex:Thing-about a sh:PropertyShape ; sh:path ex:about ; sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) ;
    sh:message "A thing is about an A or a B."@en .
ex:Thing-part a sh:PropertyShape ; sh:path ex:part ; sh:node [ sh:class ex:A ] ;
    sh:message "A part is an A."@en .
ex:Thing-unlike a sh:PropertyShape ; sh:path ex:unlike ; sh:not [ sh:class ex:B ] ;
    sh:message "A thing is unlike no B."@en .
ex:Thing-both a sh:PropertyShape ; sh:path ex:both ;
    sh:and ( [ sh:class ex:A ] [ sh:property [ sh:path ex:part ; sh:class ex:B ] ] ) ;
    sh:message "Both: an A whose parts are Bs."@en .
"""

# Conforms: every class reached through rdfs:subClassOf (ex:A2 below ex:A), every source row
# typed and derived from a source.
NESTED_CLASS_VALID = PREFIXES + """
ex:A2 rdfs:subClassOf ex:A .
ex:B2 rdfs:subClassOf ex:B .
ex:t1 a ex:Thing , ex:A2 ; ex:about ex:a1 , ex:b1 ; ex:part ex:a1 ; ex:unlike ex:a1 ; ex:both ex:a1 .
ex:a1 a ex:A2 ; ex:part ex:b1 .
ex:b1 a ex:B2 .
ex:row1 a ex:Row ; ex:derivedFrom ex:source1 .
ex:t1 ex:describedBy ex:row1 .
ex:source1 a ex:Source .
"""

# Does not conform: ex:t2 is both an A and a B (xone), its only row has no type and derives
# from something that is not a source (the row breaks ex:RowShape itself, so ex:t2 has no
# conforming row), and what it is about, its part, what it is unlike and its ex:both value are
# a literal, a B, a B and an A whose part is not a B.
NESTED_CLASS_INVALID = PREFIXES + """
ex:A2 rdfs:subClassOf ex:A .
ex:t2 a ex:Thing , ex:A2 , ex:B ; ex:about "not a node" ; ex:part ex:b1 ; ex:unlike ex:b1 ; ex:both ex:a1 .
ex:a1 a ex:A ; ex:part ex:a1 .
ex:b1 a ex:B .
ex:row2 ex:derivedFrom ex:elsewhere .
ex:t2 ex:describedBy ex:row2 .
"""


def store_with(data: str, graph=DATA_GRAPH) -> Store:
    store = Store()
    store.load(input=data, format=RdfFormat.TURTLE, to_graph=graph)
    return store


def both_engines(store: Store, shapes: Graph, graphs=(DATA_GRAPH,)) -> set[tuple[str, str, str, str | None]]:
    """The results of the Rust path, asserted equal to pySHACL's, as (shape, component, focus, value)."""
    rust = validate_store(store, shapes, graphs=graphs, engine="rust")
    reference = validate_store(store, shapes, graphs=graphs, engine="pyshacl")
    assert set(rust.results) == set(reference.results)
    assert rust.conforms == reference.conforms
    return {(r.source_shape.removeprefix(EX), r.constraint.removeprefix(SHAPES), r.focus.removeprefix(EX),
             None if r.value is None else r.value.removeprefix(EX)) for r in rust.results}


def parse(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def test_nested_class_membership_conforms_as_in_pyshacl():
    assert both_engines(store_with(NESTED_CLASS_VALID), parse(NESTED_CLASS_SHAPES)) == set()


def test_nested_class_membership_fails_as_in_pyshacl():
    found = both_engines(store_with(NESTED_CLASS_INVALID), parse(NESTED_CLASS_SHAPES))
    assert found == {
        ("ThingShape", "XoneConstraintComponent", "t2", "t2"),
        ("Thing-source", "QualifiedMinCountConstraintComponent", "t2", None),
        ("Thing-about", "OrConstraintComponent", "t2", "not a node"),
        ("Thing-part", "NodeConstraintComponent", "t2", "b1"),
        ("Thing-unlike", "NotConstraintComponent", "t2", "b1"),
        ("Thing-both", "AndConstraintComponent", "t2", "a1"),
        # ex:RowShape validated on its own still reports its sh:class and its property's.
        ("RowShape", "ClassConstraintComponent", "row2", "row2"),
        ("Row-derivedFrom", "ClassConstraintComponent", "row2", "elsewhere"),
    }


def _nested_shapes(rust: Graph) -> set[object]:
    """Every shape the engine asks only whether a node conforms, and the shapes under them."""
    found: set[object] = set()
    todo = [o for p in (SH.node, SH["not"], SH.qualifiedValueShape) for o in rust.objects(None, p)]
    for p in (SH["and"], SH["or"], SH.xone):
        for head in rust.objects(None, p):
            todo += list(rust.items(head))
    while todo:
        shape = todo.pop()
        if shape not in found:
            found.add(shape)
            todo += [o for p in (SH.property, SH.node, SH["not"], SH.qualifiedValueShape) for o in rust.objects(shape, p)]
            for p in (SH["and"], SH["or"], SH.xone):
                for head in rust.objects(shape, p):
                    todo += list(rust.items(head))
    return found


def test_no_nested_shape_given_to_the_engine_checks_sh_class():
    """The quadratic case cannot come back unseen: at 3M triples pgsh:ResourceShape alone took
    89 s this way (6 s at 1M)."""
    shapes = load_shapes(PROJECT / "shapes")
    rust = _rust_shapes(shapes)
    nested = _nested_shapes(rust)
    assert nested and not [s for s in nested if (s, SH["class"], None) in rust]
    assert not [s for s in nested if any(rust.objects(s, SH.targetClass))]
    # The shapes validated on their own are unchanged, sh:class and all.
    source_row = URIRef("https://w3id.org/pactgraph/shapes#SourceRowShape")
    assert set(rust.predicate_objects(source_row)) == set(shapes.predicate_objects(source_row))


def test_a_nested_shape_with_a_sparql_constraint_is_refused():
    shapes = parse(PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:node ex:Inner .
        ex:Inner sh:sparql [ sh:select "SELECT $this WHERE { FILTER (false) }" ] .
    """)
    with pytest.raises(ShapesError, match="nested"):
        validate_store(store_with(NESTED_CLASS_VALID), shapes, graphs=[DATA_GRAPH], engine="rust")


# A SPARQL constraint of a property shape with no targets of its own, as pgsh:Ontology-versionIRI:
# its focus nodes are those of the node shape that names it.
VERSION_SHAPES = PREFIXES + """
ex:OntologyShape a sh:NodeShape ; sh:targetNode ex:ontology ; sh:property ex:Ontology-versionIRI .
ex:Ontology-versionIRI a sh:PropertyShape ;
    sh:path ex:versionIRI ;
    sh:message "The version IRI ends in the version."@en ;
    sh:sparql [ sh:select \"\"\"SELECT $this ?value WHERE {
        $this $PATH ?value ; <http://example.org/versionInfo> ?version .
        FILTER (STR(?value) != CONCAT("http://example.org/version/", STR(?version))) }\"\"\" ] .
"""


@pytest.mark.parametrize("version_iri, expected", [
    ("<http://example.org/version/1>", set()),
    ("<http://example.org/version/2>", {("Ontology-versionIRI", "SPARQLConstraintComponent", "ontology", "version/2")}),
])
def test_a_sparql_constraint_under_a_node_shape_runs_on_its_focus_nodes(version_iri: str, expected: set):
    data = PREFIXES + f'ex:ontology ex:versionIRI {version_iri} ; ex:versionInfo "1" .'
    assert both_engines(store_with(data), parse(VERSION_SHAPES)) == expected


def test_the_projects_ontology_version_iri_is_checked(tmp_path: Path):
    """Regression: the Rust path did not run pgsh:Ontology-versionIRI (it has no targets)."""
    store = Store()
    for path in sorted((PROJECT / "ontology").glob("*.ttl")):
        store.load(path=str(path), format=RdfFormat.TURTLE, to_graph=ONTOLOGY_GRAPH)
    ontology = URIRef("https://w3id.org/pactgraph/ontology")
    store.update(f"DELETE {{ GRAPH ?g {{ <{ontology}> <http://www.w3.org/2002/07/owl#versionIRI> ?v }} }} "
                 f"INSERT {{ GRAPH ?g {{ <{ontology}> <http://www.w3.org/2002/07/owl#versionIRI> <{ontology}/0.0.0> }} }} "
                 f"WHERE {{ GRAPH ?g {{ <{ontology}> <http://www.w3.org/2002/07/owl#versionIRI> ?v }} }}")
    found = both_engines(store, load_shapes(PROJECT / "shapes"), graphs=(ONTOLOGY_GRAPH,))
    assert ("https://w3id.org/pactgraph/shapes#Ontology-versionIRI", "SPARQLConstraintComponent",
            str(ontology), f"{ontology}/0.0.0") in found


# A shape with a SPARQL target whose only constraint is SPARQL, as pgsh:Obligation-dependsOn-cycle.
CYCLE_SHAPES = PREFIXES + """
ex:Task-cycle a sh:PropertyShape ;
    sh:target [ a sh:SPARQLTarget ;
        sh:select "SELECT DISTINCT ?this WHERE { ?this <http://example.org/dependsOn> ?next . ?next <http://example.org/dependsOn>* ?this }" ] ;
    sh:path ex:dependsOn ;
    sh:message "No task depends on itself."@en ;
    sh:sparql [ sh:select "SELECT $this ?value WHERE { $this $PATH ?value . ?value <http://example.org/dependsOn>* $this }" ] .
"""


@pytest.mark.parametrize("data, expected", [
    ("ex:a ex:dependsOn ex:b . ex:b ex:dependsOn ex:c .", set()),
    ("ex:a ex:dependsOn ex:b . ex:b ex:dependsOn ex:a , ex:c .",
     {("Task-cycle", "SPARQLConstraintComponent", "a", "b"), ("Task-cycle", "SPARQLConstraintComponent", "b", "a")}),
])
def test_a_shape_left_without_constraints_loses_its_targets_not_its_results(data: str, expected: set):
    shapes = parse(CYCLE_SHAPES)
    rust = _rust_shapes(shapes)
    assert not list(rust.objects(URIRef(EX + "Task-cycle"), SH.target))
    assert both_engines(store_with(PREFIXES + data), shapes) == expected


def test_a_shape_with_more_to_check_keeps_its_targets():
    shapes = parse(CYCLE_SHAPES + "ex:Task-cycle sh:maxCount 1 .")
    assert list(_rust_shapes(shapes).objects(URIRef(EX + "Task-cycle"), SH.target))


def test_the_nested_copies_keep_what_is_not_sh_class():
    """A copy keeps every other parameter (here sh:datatype under sh:or) and has no targets."""
    shapes = parse(PREFIXES + """
        ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:S-value .
        ex:S-value a sh:PropertyShape ; sh:path ex:value ; sh:message "A value is Named or a number."@en ;
            sh:or ( ex:Named [ sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ] ) .
        ex:Named a sh:NodeShape , rdfs:Class ; sh:targetNode ex:x ; sh:class ex:A ; sh:nodeKind sh:IRI .
    """)
    data = PREFIXES + 'ex:t a ex:Thing ; ex:value 3 , ex:a , ex:nota , "x" . ex:a a ex:A . ex:nota ex:p 1 . ex:x a ex:A .'
    assert both_engines(store_with(data), shapes) == {
        ("S-value", "OrConstraintComponent", "t", "nota"), ("S-value", "OrConstraintComponent", "t", "x")}
    rust = _rust_shapes(shapes)
    [copy] = [s for s in _nested_shapes(rust) if (s, SH.nodeKind, SH.IRI) in rust]
    assert isinstance(copy, BNode) and not list(rust.objects(copy, SH.targetNode))
    assert (copy, RDF.type, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")) not in rust
    assert (URIRef(EX + "Named"), SH["class"], URIRef(EX + "A")) in rust
