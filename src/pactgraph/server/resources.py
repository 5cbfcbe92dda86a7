"""What the resource page shows of one IRI: its label and types, its statements grouped by
property, what links to it, the source rows its facts come from, and where to read the law.

``describe`` is a worker job (see ``jobs.py``): it takes the worker's open store and plain
arguments and returns plain frozen dataclasses, so the page obeys the server's timeout like
every other query. It reads the store by triple patterns, never by SPARQL text, so the IRI a
visitor types is never pasted into a query.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from ..identifiers import Eli, IdentifierError, eli_to_celex, parse_celex, parse_eli
from ..store import GraphStore
from ..vocab import CSVW, DCTERMS, ELI, INFERRED_GRAPH, PG, PROV, RDF, RDFS, SKOS
from .jobs import Failure

FOAF = "http://xmlns.com/foaf/0.1/"
EURLEX = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:"

#: Where a resource's name is found, best first; within one, English, then no language, then Dutch.
LABEL_PREDICATES = (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title", ELI + "title", FOAF + "name")
LANGUAGE_ORDER = ("en", "", "nl")
#: Predicates that the page shows in their own place rather than among the properties.
TYPE = RDF + "type"
DESCRIBES = CSVW + "describes"
#: How many values of one property (or subjects linking by one property) the page lists.
DEFAULT_CAP = 120

_ABSOLUTE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")
_SOURCE_ROW = re.compile(r"/sources/(?P<table>[^/#]+)#row=(?P<line>[0-9]+)$")


@dataclass(frozen=True)
class Value:
    """One RDF term as the page shows it.

    ``known`` says whether the graph has statements about an IRI (so its resource page has
    something to show); ``inferred`` that the statement is only in the inferred graph;
    ``nested`` holds a blank node's own statements (two levels deep), or the members of an RDF
    list (with an empty property).
    """

    kind: str  # iri | literal | bnode | list | triple
    value: str
    language: str | None = None
    datatype: str | None = None
    label: str | None = None
    known: bool = False
    inferred: bool = False
    nested: tuple[tuple[str, "Value"], ...] = ()


@dataclass(frozen=True)
class PropertyGroup:
    """The values of one property (outgoing), or the subjects linking by it (incoming);
    ``more`` counts those left out past the cap."""

    predicate: str
    label: str | None
    values: tuple[Value, ...]
    more: int = 0


@dataclass(frozen=True)
class SourceRow:
    """A row of a source table that states facts about the resource, and where it comes from."""

    iri: str
    table: str | None
    line: int | None
    locator: str | None
    note: str | None
    source: str | None
    source_title: str | None
    source_page: str | None


@dataclass(frozen=True)
class LegalLink:
    """Where to read an act or article: EUR-Lex by CELEX, or the ELI itself."""

    label: str
    url: str


@dataclass(frozen=True)
class Resource:
    """Everything the resource page shows; ``used_as_property`` counts statements using the IRI as
    their property (an ontology property, for one), ``graph_size`` those in the named graph the
    IRI names, if it names one."""

    iri: str
    label: str | None
    types: tuple[Value, ...]
    properties: tuple[PropertyGroup, ...]
    incoming: tuple[PropertyGroup, ...]
    provenance: tuple[SourceRow, ...]
    celex: str | None = None
    eli: str | None = None
    links: tuple[LegalLink, ...] = ()
    used_as_property: int = 0
    graph_size: int | None = None


@dataclass(frozen=True)
class Elsewhere:
    """The text was not an IRI but named one resource (a CELEX, a short name): go there."""

    iri: str


def describe(graph: GraphStore, text: str, cap: int = DEFAULT_CAP) -> Resource | Elsewhere | Failure:
    """The resource page's data for an IRI, or for a CELEX number, short name or label.

    A text that is not an absolute IRI is resolved like a dependency target: one match is
    ``Elsewhere`` (the page redirects), none or several a not-found Failure with candidates.
    An IRI the graph never mentions is a not-found Failure.
    """
    text = text.strip()
    node = _named_node(text)
    if node is None:
        return _resolve(graph, text)
    store = graph.store
    view = _View(store)
    outgoing = list(store.quads_for_pattern(node, None, None, None))
    incoming_quads = store.quads_for_pattern(None, None, node, None)
    incoming, rows = _incoming(view, incoming_quads, cap)
    used = sum(1 for _ in store.quads_for_pattern(None, node, None, None))
    graph_size = sum(1 for _ in store.quads_for_pattern(None, None, None, node)) \
        if store.contains_named_graph(node) else None
    if not outgoing and not incoming and not rows and not used and graph_size is None:
        return Failure("not-found", f"the graph has nothing about <{text}>")
    types = tuple(sorted((view.value(o, inferred) for o, inferred in _objects(outgoing, TYPE)),
                         key=lambda v: (v.label or v.value).lower()))
    properties = _outgoing(view, outgoing, cap)
    provenance = tuple(_source_row(view, row) for row in rows)
    celex, eli, links = _legal(view, node)
    return Resource(text, view.label(node), types, properties, incoming, provenance, celex, eli, links, used, graph_size)


def _named_node(text: str) -> NamedNode | None:
    if not _ABSOLUTE_IRI.match(text):
        return None
    try:
        return NamedNode(text)
    except ValueError:
        return None


def _resolve(graph: GraphStore, text: str) -> Elsewhere | Failure:
    from ..targets import TargetNotFoundError, resolve_target

    if not text:
        return Failure("not-found", "give an IRI, a CELEX number or a name")
    try:
        return Elsewhere(resolve_target(graph, text).iri)
    except TargetNotFoundError as error:
        return Failure("not-found", str(error), tuple(error.candidates))


class _View:
    """Label and term look-ups over one store, remembered for the length of one job."""

    def __init__(self, store: Store):
        self.store = store
        self._labels: dict[str, str | None] = {}
        self._known: dict[str, bool] = {}

    def label(self, node: NamedNode | BlankNode) -> str | None:
        key = str(node)
        if key not in self._labels:
            self._labels[key] = self._find_label(node)
        return self._labels[key]

    def _find_label(self, node: NamedNode | BlankNode) -> str | None:
        for predicate in LABEL_PREDICATES:
            found = [q.object for q in self.store.quads_for_pattern(node, NamedNode(predicate), None, None)
                     if isinstance(q.object, Literal)]
            if found:
                label = min(found, key=_language_rank).value
                return self._numbered(node, label) if predicate == ELI + "title" else label
        return None

    def _numbered(self, node: NamedNode | BlankNode, title: str) -> str:
        """An article's heading with its number in front: headings repeat across acts."""
        number = next((q.object for q in self.store.quads_for_pattern(node, NamedNode(ELI + "number"), None, None)), None)
        return f"Article {number.value}: {title}" if isinstance(number, Literal) else title

    def known(self, node: NamedNode) -> bool:
        if node.value not in self._known:
            self._known[node.value] = next(iter(self.store.quads_for_pattern(node, None, None, None)), None) is not None
        return self._known[node.value]

    def value(self, term: object, inferred: bool = False, *, depth: int = 0) -> Value:
        if isinstance(term, NamedNode):
            return Value("iri", term.value, label=self.label(term), known=self.known(term), inferred=inferred)
        if isinstance(term, Literal):
            language = term.language or None
            datatype = None if language or term.datatype.value == "http://www.w3.org/2001/XMLSchema#string" \
                else term.datatype.value
            return Value("literal", term.value, language=language, datatype=datatype, inferred=inferred)
        if isinstance(term, BlankNode):
            items = self._list(term)
            if items is not None:
                return Value("list", term.value, inferred=inferred,
                             nested=tuple(("", self.value(item, depth=depth + 1)) for item in items))
            nested: tuple[tuple[str, Value], ...] = ()
            if depth < 2:
                quads = list(self.store.quads_for_pattern(term, None, None, None))[:20]
                nested = tuple((q.predicate.value, self.value(q.object, depth=depth + 1)) for q in quads)
            return Value("bnode", term.value, inferred=inferred, nested=nested)
        return Value("triple", str(term), inferred=inferred)


    def _list(self, node: BlankNode, limit: int = 50) -> list[object] | None:
        """The members of an RDF list (owl:unionOf ...), or None when the node is not one."""
        first, rest, nil = NamedNode(RDF + "first"), NamedNode(RDF + "rest"), NamedNode(RDF + "nil")
        items: list[object] = []
        current: object = node
        while isinstance(current, BlankNode) and len(items) < limit:
            head = next((q.object for q in self.store.quads_for_pattern(current, first, None, None)), None)
            if head is None:
                return None if not items else items
            items.append(head)
            current = next((q.object for q in self.store.quads_for_pattern(current, rest, None, None)), nil)
        return items


def _language_rank(literal: Literal) -> tuple[int, str]:
    language = (literal.language or "").lower()
    return (LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER), literal.value)


def _objects(quads: Iterable[Quad], predicate: str) -> Iterator[tuple[object, bool]]:
    """The distinct objects of one predicate, each with whether it is only inferred."""
    graphs: dict[object, set[str]] = defaultdict(set)
    for quad in quads:
        if quad.predicate.value == predicate:
            graphs[quad.object].add(str(quad.graph_name))
    for term, names in graphs.items():
        yield term, names == {str(INFERRED_GRAPH)}


def _outgoing(view: _View, quads: list[Quad], cap: int) -> tuple[PropertyGroup, ...]:
    by_predicate: dict[str, dict[object, set[str]]] = defaultdict(lambda: defaultdict(set))
    for quad in quads:
        if quad.predicate.value != TYPE:
            by_predicate[quad.predicate.value][quad.object].add(str(quad.graph_name))
    groups = []
    for predicate, objects in by_predicate.items():
        values = [view.value(term, names == {str(INFERRED_GRAPH)}) for term, names in objects.items()]
        values.sort(key=_value_order)
        groups.append(PropertyGroup(predicate, view.label(NamedNode(predicate)), tuple(values[:cap]),
                                    max(0, len(values) - cap)))
    groups.sort(key=lambda g: (_predicate_rank(g.predicate), (g.label or _local_name(g.predicate)).lower()))
    return tuple(groups)


def _incoming(view: _View, quads: Iterable[Quad], cap: int) -> tuple[tuple[PropertyGroup, ...], list[NamedNode]]:
    """What links to the resource, by property (at most ``cap`` subjects each), and the source
    rows that describe it (``csvw:describes``), which the page shows as provenance."""
    subjects: dict[str, dict[object, set[str]]] = defaultdict(dict)
    counts: dict[str, set[object]] = defaultdict(set)
    rows: dict[str, NamedNode] = {}
    for quad in quads:
        predicate = quad.predicate.value
        if predicate == DESCRIBES and isinstance(quad.subject, NamedNode):
            rows[quad.subject.value] = quad.subject
            continue
        if quad.subject == quad.object:
            continue  # a statement about itself is among its properties already
        counts[predicate].add(quad.subject)
        kept = subjects[predicate]
        if quad.subject in kept or len(kept) < cap:
            kept.setdefault(quad.subject, set()).add(str(quad.graph_name))
    groups = []
    for predicate, kept in subjects.items():
        values = sorted((view.value(s, names == {str(INFERRED_GRAPH)}) for s, names in kept.items()), key=_value_order)
        groups.append(PropertyGroup(predicate, view.label(NamedNode(predicate)), tuple(values),
                                    len(counts[predicate]) - len(values)))
    groups.sort(key=lambda g: (g.predicate == TYPE, (g.label or _local_name(g.predicate)).lower()))
    return tuple(groups), [rows[k] for k in sorted(rows, key=_row_order)]


def _source_row(view: _View, row: NamedNode) -> SourceRow:
    store = view.store

    def first(subject: NamedNode, predicate: str) -> object | None:
        return next((q.object for q in store.quads_for_pattern(subject, NamedNode(predicate), None, None)), None)

    match = _SOURCE_ROW.search(row.value)
    locator, note, source = first(row, PG + "locator"), first(row, RDFS + "comment"), first(row, PROV + "wasDerivedFrom")
    title = page = None
    if isinstance(source, NamedNode):
        found_title, found_page = first(source, DCTERMS + "title"), first(source, FOAF + "page")
        title = found_title.value if isinstance(found_title, Literal) else view.label(source)
        page = found_page.value if isinstance(found_page, NamedNode) else None
    return SourceRow(row.value, match["table"] if match else None, int(match["line"]) if match else None,
                     locator.value if isinstance(locator, Literal) else None,
                     note.value if isinstance(note, Literal) else None,
                     source.value if isinstance(source, NamedNode) else None, title, page)


def _legal(view: _View, node: NamedNode) -> tuple[str | None, str | None, tuple[LegalLink, ...]]:
    """CELEX, ELI and reading links of an act or an article (or of anything with a CELEX)."""
    celex = _celex_of(view, node)
    try:
        eli = parse_eli(node.value)
    except IdentifierError:
        eli = None
    links: list[LegalLink] = []
    if eli is not None and eli.subdivision:
        act = eli.act
        act_celex = _celex_of(view, NamedNode(str(act))) or _celex_from_eli(act)
        number = dict(eli.subdivision).get("art", "")
        if act_celex:
            # EUR-Lex marks each article of an act's text with the anchor art_N, as ELI does.
            links.append(LegalLink(f"Article {number} on EUR-Lex (CELEX {act_celex})",
                                   f"{EURLEX}{quote(act_celex, safe='()')}#art_{number}"))
        links.append(LegalLink("The article's ELI", node.value))
        links.append(LegalLink("The act's ELI", str(act)))
        return celex or act_celex, node.value, tuple(links)
    if eli is not None:
        celex = celex or _celex_from_eli(eli)
    if celex:
        links.append(LegalLink(f"EUR-Lex (CELEX {celex})", EURLEX + quote(celex, safe="()")))
    if eli is not None:
        links.append(LegalLink("ELI (Publications Office)", node.value))
    return celex, node.value if eli is not None else None, tuple(links)


def _celex_of(view: _View, node: NamedNode) -> str | None:
    for quad in view.store.quads_for_pattern(node, NamedNode(ELI + "id_local"), None, None):
        try:
            return str(parse_celex(quad.object.value))
        except IdentifierError:
            continue
    return None


def _celex_from_eli(eli: Eli) -> str | None:
    """The CELEX an act's ELI implies, where the graph does not state it (None for other ELIs)."""
    try:
        return str(eli_to_celex(eli))
    except IdentifierError:
        return None


#: Properties shown first, in this order: names, then what a thing is part of.
_FIRST = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", DCTERMS + "title", ELI + "title",
          SKOS + "definition", RDFS + "comment", ELI + "id_local", ELI + "is_part_of")


def _predicate_rank(predicate: str) -> int:
    return _FIRST.index(predicate) if predicate in _FIRST else len(_FIRST)


def _value_order(value: Value) -> tuple:
    language = value.language or ""
    rank = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
    return (value.kind != "literal", rank, _natural((value.label or value.value).lower()))


def _natural(text: str) -> tuple:
    """Sort key that puts art_9 before art_10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"([0-9]+)", text))


def _row_order(iri: str) -> tuple:
    return _natural(iri)


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]
