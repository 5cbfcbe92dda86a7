"""The SHACL shapes (shapes/*.ttl): each against its fixtures, the rules for writing them, the real graph.

Every named shape has a folder ``tests/shapes/{shape local name}/`` with at least one
``valid-{case}.ttl`` and one ``invalid-{case}.ttl``. Each fixture opens with a comment saying why
it conforms or violates; an invalid one starts with ``# expect: sh:{Component}``, the constraint
component it must trigger. Fixtures are self-contained: they hold the few ontology triples a shape
needs (such as ``pg:Regulation rdfs:subClassOf pg:LegalAct`` for a shape targeting pg:LegalAct),
not the whole ontology. Each is validated against the shapes file that defines its shape, so that
the other files' shapes (which all see the same small graph) add no noise and no time; only the
results of the shape under test are looked at.

- a valid fixture gives no result from its shape;
- an invalid fixture gives a result whose ``sh:sourceShape`` is the shape and whose
  ``sh:sourceConstraintComponent`` is the one the fixture names;
- every named shape has both kinds of fixture, and every fixture folder names a shape;
- every shape has an English ``sh:message`` and the ``sh:severity`` of its file;
- every class of the ontology is covered by a core shape and by the provenance check;
- the graph built from the project's own files has no violation.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from pactgraph.build import GraphNotConformingError
from pactgraph.validation import ValidationReport, load_shapes, validate_store, validate_turtle

TESTS = Path(__file__).parent
PROJECT = TESTS.parent
SHAPES_DIR = PROJECT / "shapes"
ONTOLOGY = PROJECT / "ontology" / "pactgraph.ttl"
FIXTURES = TESTS / "shapes"

PGSH = "https://w3id.org/pactgraph/shapes#"
PG = "https://w3id.org/pactgraph/ontology#"

#: The severity every shape of a file must have.
SEVERITY_OF_FILE = {
    "core.ttl": SH.Violation,
    "vocabularies.ttl": SH.Violation,
    "ontology.ttl": SH.Violation,
    "recommended.ttl": SH.Warning,
    "completeness.ttl": SH.Info,
}

#: Classes whose instances pgsh:ResourceShape leaves to another provenance check (or none).
PROVENANCE_EXCEPTIONS = {PG + "Source", PG + "Obligation"}

_EXPECT = re.compile(r"^# expect: sh:(?P<component>[A-Za-z]+ConstraintComponent)\s*$")


@cache
def shapes_file(name: str) -> Graph:
    """One shapes file, parsed once."""
    return Graph().parse(SHAPES_DIR / name, format="turtle")


def named_shapes(graph: Graph) -> set[URIRef]:
    """The shapes of a graph that have an IRI in the pgsh: namespace."""
    candidates = (set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
                  | set(graph.objects(None, SH.property)) | set(graph.subjects(SH.path, None)))
    return {s for s in candidates if isinstance(s, URIRef) and str(s).startswith(PGSH)}


@cache
def file_of_shape() -> dict[str, str]:
    """Shape local name -> the shapes file that defines it."""
    found: dict[str, str] = {}
    for name in SEVERITY_OF_FILE:
        for shape in named_shapes(shapes_file(name)):
            local = str(shape).removeprefix(PGSH)
            assert local not in found, f"pgsh:{local} is defined in both {found[local]} and {name}"
            found[local] = name
    return found


def fixtures(kind: str) -> list:
    return [pytest.param(folder.name, path, id=f"{folder.name}/{path.stem}")
            for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir())
            for path in sorted(folder.glob(f"{kind}-*.ttl"))]


def validate_fixture(shape_name: str, path: Path) -> ValidationReport:
    assert shape_name in file_of_shape(), f"fixture folder {shape_name} names no shape of shapes/*.ttl"
    return validate_turtle([path], shapes_file(file_of_shape()[shape_name]))


def results_of(report: ValidationReport, shape_name: str) -> list:
    return [r for r in report.results if r.source_shape == PGSH + shape_name]


def describe(results: list) -> str:
    return "\n".join(f"  {r.constraint.removeprefix(str(SH))} focus={r.focus} value={r.value}: {r.message}"
                     for r in results) or "  (none)"


# ---------------------------------------------------------------------------------------------
# Each shape against its fixtures
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("shape_name", "path"), fixtures("valid"))
def test_valid_fixture_gives_no_result_from_its_shape(shape_name: str, path: Path) -> None:
    results = results_of(validate_fixture(shape_name, path), shape_name)
    assert not results, f"{path.name} should conform to pgsh:{shape_name}, but gives:\n{describe(results)}"


@pytest.mark.parametrize(("shape_name", "path"), fixtures("invalid"))
def test_invalid_fixture_gives_the_expected_result(shape_name: str, path: Path) -> None:
    match = _EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} must start with '# expect: sh:{{Component}}ConstraintComponent'"
    component = str(SH) + match["component"]
    results = results_of(validate_fixture(shape_name, path), shape_name)
    expected = [r for r in results if r.constraint == component]
    assert expected, (f"{path.name} should give a result of pgsh:{shape_name} from sh:{match['component']}, "
                      f"but pgsh:{shape_name} gives:\n{describe(results)}")
    assert all(r.message for r in expected), "every result carries the shape's message"


def test_fixtures_open_with_a_comment_saying_why() -> None:
    for folder in (p for p in FIXTURES.iterdir() if p.is_dir()):
        for path in folder.glob("*.ttl"):
            lines = path.read_text(encoding="utf-8").splitlines()
            why = lines[1] if path.name.startswith("invalid-") else lines[0]
            prefix = "# Violates: " if path.name.startswith("invalid-") else "# Conforms: "
            assert why.startswith(prefix), f"{folder.name}/{path.name} must say why, in a comment starting {prefix!r}"
            assert path.name.startswith(("valid-", "invalid-")), f"{folder.name}/{path.name}: name it valid-* or invalid-*"


# ---------------------------------------------------------------------------------------------
# Rules for writing shapes
# ---------------------------------------------------------------------------------------------

def test_every_named_shape_has_a_valid_and_an_invalid_fixture() -> None:
    missing = []
    for name in sorted(file_of_shape()):
        folder = FIXTURES / name
        for kind in ("valid", "invalid"):
            if not list(folder.glob(f"{kind}-*.ttl")):
                missing.append(f"{folder.relative_to(TESTS)}/{kind}-*.ttl")
    assert not missing, "shapes without fixtures:\n" + "\n".join(missing)


def test_every_fixture_folder_names_a_shape() -> None:
    orphans = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and p.name not in file_of_shape())
    assert not orphans, f"fixture folders for shapes that do not exist: {orphans}"


def test_property_shapes_are_named() -> None:
    for name in SEVERITY_OF_FILE:
        graph = shapes_file(name)
        blank = [str(s) for s in graph.objects(None, SH.property) if not isinstance(s, URIRef)]
        assert not blank, f"{name}: every sh:property must point to a named shape (pgsh:...), so reports name it"


@pytest.mark.parametrize("file_name", sorted(SEVERITY_OF_FILE))
def test_every_shape_has_a_message_and_the_severity_of_its_file(file_name: str) -> None:
    graph = shapes_file(file_name)
    for shape in sorted(named_shapes(graph)):
        messages = [m for m in graph.objects(shape, SH.message) if isinstance(m, Literal) and m.language == "en"]
        assert messages, f"{file_name}: {shape} needs an sh:message in English"
        severities = set(graph.objects(shape, SH.severity))
        assert severities == {SEVERITY_OF_FILE[file_name]}, \
            f"{file_name}: {shape} must have sh:severity {SEVERITY_OF_FILE[file_name].removeprefix(str(SH))}"


@pytest.mark.parametrize("file_name", sorted(SEVERITY_OF_FILE))
def test_every_shapes_file_opens_with_a_comment_on_what_it_covers(file_name: str) -> None:
    text = (SHAPES_DIR / file_name).read_text(encoding="utf-8")
    assert text.startswith("# pactgraph "), f"{file_name} must open with a comment on what it covers"


def test_every_shapes_file_has_a_known_strictness() -> None:
    files = sorted(p.name for p in SHAPES_DIR.glob("*.ttl"))
    assert files == sorted(SEVERITY_OF_FILE), f"shapes/ holds {files}; give each file its severity in SEVERITY_OF_FILE"


# ---------------------------------------------------------------------------------------------
# Coverage of the ontology
# ---------------------------------------------------------------------------------------------

@cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def pg_classes() -> list[URIRef]:
    return sorted(c for c in ontology().subjects(RDF.type, OWL.Class) if str(c).startswith(PG))


def covered(cls: URIRef, targets: set) -> bool:
    """The class or one of its superclasses is a target (sh:targetClass reaches subclasses)."""
    return any(c in targets for c in ontology().transitive_objects(cls, RDFS.subClassOf))


def test_every_class_of_the_ontology_has_a_core_shape() -> None:
    targets = set(shapes_file("core.ttl").objects(None, SH.targetClass))
    uncovered = [str(c) for c in pg_classes() if not covered(c, targets)]
    assert not uncovered, f"classes no shape of core.ttl targets: {uncovered}"


def test_every_class_of_the_ontology_is_checked_for_provenance() -> None:
    targets = set(shapes_file("core.ttl").objects(URIRef(PGSH + "ResourceShape"), SH.targetClass))
    uncovered = [str(c) for c in pg_classes() if str(c) not in PROVENANCE_EXCEPTIONS and not covered(c, targets)]
    assert not uncovered, f"add these classes to the sh:targetClass of pgsh:ResourceShape: {uncovered}"


# ---------------------------------------------------------------------------------------------
# The real graph
# ---------------------------------------------------------------------------------------------

def test_the_project_graph_conforms(request: pytest.FixtureRequest) -> None:
    """The graph built from the project's source tables has no violation (warnings may remain).

    The session fixture ``graph`` builds the graph, and the build itself refuses a graph that
    violates a shape; that refusal is turned into a failure listing the violations.
    """
    try:
        graph = request.getfixturevalue("graph")
    except GraphNotConformingError as refused:
        report = refused.report
    else:
        report = validate_store(graph.store, load_shapes(SHAPES_DIR))
    problems = "\n".join(f"  {r.source_shape.removeprefix(PGSH)} {r.focus} {r.value or ''}: {r.message} {list(r.source_rows)}"
                         for r in report.violations)
    assert report.conforms, f"{len(report.violations)} violation(s):\n{problems}"
