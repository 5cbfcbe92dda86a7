"""W3C CSV-to-RDF: turn checked source tables into quads, as their CSVW descriptions say.

The descriptions carry the whole mapping (``aboutUrl``, ``propertyUrl``, ``valueUrl``,
datatypes, languages, virtual columns); this module only follows them. Two rules beyond
the minimal CSV2RDF mode, both needed so every fact keeps its source:

- every row becomes a ``csvw:Row`` node (``<table-url#row=N>``, N the line in the file)
  that ``csvw:describes`` the resources the row states facts about; the tables' own
  ``source`` and ``locator`` columns attach the source document to that node;
- a template all of whose columns are empty in a row yields no triple, so a table may
  hold alternative columns (a dependency on an obligation, an IT system or a procedure).

The mapping runs once per row in Python, so it is written to be cheap there: templates are
parsed once, each distinct template is expanded once per row (every column of a row shares its
``aboutUrl``), and terms stay strings until the end. ``write_nquads`` streams them as N-Quads
text, which the build bulk-loads into Oxigraph without making a Python object per quad;
``map_tables`` gives the same statements as pyoxigraph quads.
"""

from __future__ import annotations

import re
import urllib.parse
from typing import Any, Iterable, Iterator, TextIO

import csvw
from csvw.metadata import NAMESPACES
from pyoxigraph import Literal, NamedNode, Quad
from uritemplate import URITemplate

from .sources import SourceRow, SourceTable
from .vocab import CSVW, RDF, XSD, source_row_iri

_RDF_TYPE = RDF + "type"
_CSVW_ROW = CSVW + "Row"
_CSVW_ROWNUM = CSVW + "rownum"
_CSVW_URL = CSVW + "url"
_CSVW_DESCRIBES = CSVW + "describes"
_XSD_INTEGER = XSD + "integer"
_PLAIN_DATATYPES = {"string", "any"}

#: An object: ("iri", iri) or ("literal", lexical form, datatype IRI or None, language or None).
Term = tuple
#: One statement with its terms as strings: subject IRI, predicate IRI, object.
Statement = tuple[str, str, Term]


def map_tables(tables: Iterable[SourceTable], graph: NamedNode) -> Iterator[Quad]:
    """All quads of all tables, in the named graph ``graph``."""
    for table in tables:
        yield from map_table(table, graph)


def map_table(table: SourceTable, graph: NamedNode) -> Iterator[Quad]:
    """The quads one table's rows state, with each row's provenance node."""
    nodes: dict[str, NamedNode] = {}

    def node(iri: str) -> NamedNode:
        found = nodes.get(iri)
        if found is None:
            found = nodes[iri] = NamedNode(iri)
            if len(nodes) > 65536:
                nodes.clear()
                nodes[iri] = found
        return found

    for subject, predicate, obj in statements(table):
        if obj[0] == "iri":
            term: Any = node(obj[1])
        elif obj[3] is not None:
            term = Literal(obj[1], language=obj[3])
        elif obj[2] is not None:
            term = Literal(obj[1], datatype=node(obj[2]))
        else:
            term = Literal(obj[1])
        yield Quad(node(subject), node(predicate), term, graph)


def write_nquads(tables: Iterable[SourceTable], graph: NamedNode, out: TextIO) -> int:
    """Write the quads of all tables to ``out`` as N-Quads, row by row; the number written."""
    suffix = f" <{graph.value}> .\n"
    written = 0
    for table in tables:
        lines = []
        for subject, predicate, obj in statements(table):
            lines.append(f"<{subject}> <{predicate}> {_nt_object(obj)}{suffix}")
            if len(lines) >= 4096:
                out.write("".join(lines))
                written += len(lines)
                lines.clear()
        out.write("".join(lines))
        written += len(lines)
    return written


def statements(table: SourceTable) -> Iterator[Statement]:
    """What one table's rows state, row by row, with each row's provenance node last."""
    schema = table.description.tableSchema
    columns = [_ColumnMapping.of(c, schema) for c in table.columns]
    columns = [c for c in columns if c.active]
    for row in table.rows:
        row_node = source_row_iri(table.url, row.line)
        context = _template_context(row)
        expanded: dict[_Template, str | None] = {}
        subjects: list[str] = []
        for column in columns:
            for subject, predicate, obj in column.triples(row, context, expanded):
                yield subject, predicate, obj
                if subject != row_node and subject not in subjects:
                    subjects.append(subject)
        yield row_node, _RDF_TYPE, ("iri", _CSVW_ROW)
        yield row_node, _CSVW_ROWNUM, ("literal", str(row.number), _XSD_INTEGER, None)
        yield row_node, _CSVW_URL, ("iri", row_node)
        for subject in subjects:
            yield row_node, _CSVW_DESCRIBES, ("iri", subject)


def _template_context(row: SourceRow) -> dict[str, str]:
    return {**row.cells, "_row": str(row.number), "_sourceRow": str(row.line)}


def _nt_object(obj: Term) -> str:
    if obj[0] == "iri":
        return f"<{obj[1]}>"
    text = obj[1]
    if '"' in text or "\\" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if obj[3] is not None:
        return f'"{text}"@{obj[3]}'
    if obj[2] is not None:
        return f'"{text}"^^<{obj[2]}>'
    return f'"{text}"'


class _ColumnMapping:
    """One column's part of the mapping, with its templates parsed once."""

    def __init__(self, column: csvw.Column, about: str | None, prop: str | None, value: str | None):
        self.column = column
        self.name = column.name
        self.virtual = bool(column.virtual)
        self.about = _Template.of(about) if about else None
        self.prop = _Template.of(prop) if prop else None
        self.value = _Template.of(value) if value else None
        self.active = not column.suppressOutput and self.prop is not None and self.about is not None
        datatype = column.datatype
        base = datatype.base if datatype is not None else "string"
        self.datatype = None if base in _PLAIN_DATATYPES else XSD + base
        language = column.inherit("lang")
        self.language = language if language and language != "und" else None
        self.separator = column.inherit("separator")

    @classmethod
    def of(cls, column: csvw.Column, schema: Any) -> "_ColumnMapping":
        about = column.aboutUrl.uri if column.aboutUrl else (schema.aboutUrl.uri if schema.aboutUrl else None)
        prop = column.propertyUrl.uri if column.propertyUrl else None
        value = column.valueUrl.uri if column.valueUrl else None
        return cls(column, about, prop, value)

    def triples(self, row: SourceRow, context: dict[str, str],
                expanded: dict["_Template", str | None]) -> Iterator[Statement]:
        """The statements of this column in one row; ``expanded`` holds the row's expanded templates."""
        subject = _expand_once(self.about, context, expanded)
        predicate = _expand_once(self.prop, context, expanded)
        if subject is None or predicate is None:
            return
        if self.virtual:
            obj = _expand_once(self.value, context, expanded) if self.value else None
            if obj is not None:
                yield subject, predicate, ("iri", obj)
            return
        cell = row.cells.get(self.name)
        if cell is None:
            return
        for item in cell.split(self.separator) if self.separator else [cell]:
            item = item.strip()
            if self.value is not None:
                obj = self.value.expand({**context, self.name: item}) if self.separator else \
                    _expand_once(self.value, context, expanded)
                if obj is not None:
                    yield subject, predicate, ("iri", obj)
            elif self.language:
                yield subject, predicate, ("literal", item, None, self.language)
            else:
                yield subject, predicate, ("literal", item, self.datatype, None)


def _expand_once(template: "_Template", context: dict[str, str], expanded: dict["_Template", str | None]) -> str | None:
    try:
        return expanded[template]
    except KeyError:
        iri = expanded[template] = template.expand(context)
        return iri


_VARIABLE = re.compile(r"\{([+]?)([A-Za-z0-9_]+)\}")
_UNRESERVED = re.compile(r"[A-Za-z0-9~\-_.]*\Z")
_UNRESERVED_OR_RESERVED = re.compile(r"[A-Za-z0-9~\-_.:/?#\[\]@!$&'()*+,;=]*\Z")
_RESERVED_CHARACTERS = ":/?#[]@!$&'()*+,;="


class _Template:
    """A CSVW URI template: RFC 6570 expansion, then the CSVW default prefixes.

    Templates made only of literal text and simple (``{x}``) or reserved (``{+x}``) variables,
    which is all the project's descriptions use, are expanded here without uritemplate's
    general machinery, with its quoting; any other template goes through uritemplate.
    """

    _cache: dict[str, "_Template"] = {}

    def __init__(self, text: str):
        self.text = text
        self.template = URITemplate(text)
        self.variables = set(self.template.variable_names)
        parts: list[str | tuple[bool, str]] = []
        position = 0
        for match in _VARIABLE.finditer(text):
            parts.append(text[position:match.start()])
            parts.append((match.group(1) == "+", match.group(2)))
            position = match.end()
        parts.append(text[position:])
        simple = "{" not in "".join(p for p in parts if isinstance(p, str))
        self.parts = parts if simple else None

    @classmethod
    def of(cls, text: str) -> "_Template":
        """The parsed template for ``text``; equal texts share one, so a row expands it once."""
        found = cls._cache.get(text)
        if found is None:
            found = cls._cache[text] = cls(text)
        return found

    def expand(self, context: dict[str, str]) -> str | None:
        """The IRI, or None when the row leaves every variable of the template empty.

        Variables left empty expand to nothing (RFC 6570), so one template can join
        alternative columns of which a row fills one.
        """
        if self.parts is None:
            present = {k: context[k] for k in self.variables if k in context}
            if self.variables and not present:
                return None
            iri = self.template.expand(present)
        else:
            pieces = []
            found = not self.variables
            for part in self.parts:
                if isinstance(part, str):
                    pieces.append(part)
                    continue
                value = context.get(part[1])
                if value is None:
                    continue
                found = True
                pieces.append(_quote_reserved(value) if part[0] else _quote(value))
            if not found:
                return None
            iri = "".join(pieces)
        prefix, _, local = iri.partition(":")
        if prefix in NAMESPACES and not local.startswith("//"):
            iri = NAMESPACES[prefix] + local
        return iri


def _quote(value: str) -> str:
    """RFC 6570 simple expansion, as uritemplate does it: everything but unreserved is encoded."""
    if _UNRESERVED.match(value):
        return value
    return urllib.parse.quote(value.encode("utf-8"), "")


def _quote_reserved(value: str) -> str:
    """RFC 6570 reserved expansion, as uritemplate does it: a value with escapes stays as it is."""
    if _UNRESERVED_OR_RESERVED.match(value):
        return value
    if urllib.parse.unquote(value) == value:
        return urllib.parse.quote(value.encode("utf-8"), _RESERVED_CHARACTERS)
    return value
