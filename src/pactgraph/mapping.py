"""W3C CSV-to-RDF: turn checked source tables into quads, as their CSVW descriptions say.

The descriptions carry the whole mapping (``aboutUrl``, ``propertyUrl``, ``valueUrl``,
datatypes, languages, virtual columns); this module only follows them. Two rules beyond
the minimal CSV2RDF mode, both needed so every fact keeps its source:

- every row becomes a ``csvw:Row`` node (``<table-url#row=N>``, N the line in the file)
  that ``csvw:describes`` the resources the row states facts about; the tables' own
  ``source`` and ``locator`` columns attach the source document to that node;
- a template all of whose columns are empty in a row yields no triple, so a table may
  hold alternative columns (a dependency on an obligation, an IT system or a procedure).
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

import csvw
from csvw.metadata import NAMESPACES
from pyoxigraph import Literal, NamedNode, Quad
from uritemplate import URITemplate

from .sources import SourceRow, SourceTable
from .vocab import CSVW, RDF, XSD, source_row_iri

_RDF_TYPE = NamedNode(RDF + "type")
_CSVW_ROW = NamedNode(CSVW + "Row")
_CSVW_ROWNUM = NamedNode(CSVW + "rownum")
_CSVW_URL = NamedNode(CSVW + "url")
_CSVW_DESCRIBES = NamedNode(CSVW + "describes")
_XSD_INTEGER = NamedNode(XSD + "integer")
_PLAIN_DATATYPES = {"string", "any"}


def map_tables(tables: Iterable[SourceTable], graph: NamedNode) -> Iterator[Quad]:
    """All quads of all tables, in the named graph ``graph``."""
    for table in tables:
        yield from map_table(table, graph)


def map_table(table: SourceTable, graph: NamedNode) -> Iterator[Quad]:
    """The quads one table's rows state, with each row's provenance node."""
    schema = table.description.tableSchema
    columns = [_ColumnMapping.of(c, schema) for c in table.columns]
    for row in table.rows:
        row_node = NamedNode(source_row_iri(table.url, row.line))
        context = _template_context(row)
        subjects: list[NamedNode] = []
        for column in columns:
            for subject, predicate, obj in column.triples(row, context):
                yield Quad(subject, predicate, obj, graph)
                if subject != row_node and subject not in subjects:
                    subjects.append(subject)
        yield Quad(row_node, _RDF_TYPE, _CSVW_ROW, graph)
        yield Quad(row_node, _CSVW_ROWNUM, Literal(str(row.number), datatype=_XSD_INTEGER), graph)
        yield Quad(row_node, _CSVW_URL, row_node, graph)
        for subject in subjects:
            yield Quad(row_node, _CSVW_DESCRIBES, subject, graph)


def _template_context(row: SourceRow) -> dict[str, str]:
    return {**row.cells, "_row": str(row.number), "_sourceRow": str(row.line)}


class _ColumnMapping:
    """One column's part of the mapping, with its templates parsed once."""

    def __init__(self, column: csvw.Column, about: str | None, prop: str | None, value: str | None):
        self.column = column
        self.about = _Template(about) if about else None
        self.prop = _Template(prop) if prop else None
        self.value = _Template(value) if value else None
        datatype = column.datatype
        base = datatype.base if datatype is not None else "string"
        self.datatype = None if base in _PLAIN_DATATYPES else NamedNode(XSD + base)
        language = column.inherit("lang")
        self.language = language if language and language != "und" else None
        self.separator = column.inherit("separator")

    @classmethod
    def of(cls, column: csvw.Column, schema: Any) -> "_ColumnMapping":
        about = column.aboutUrl.uri if column.aboutUrl else (schema.aboutUrl.uri if schema.aboutUrl else None)
        prop = column.propertyUrl.uri if column.propertyUrl else None
        value = column.valueUrl.uri if column.valueUrl else None
        return cls(column, about, prop, value)

    def triples(self, row: SourceRow, context: dict[str, str]) -> Iterator[tuple[NamedNode, NamedNode, Any]]:
        column = self.column
        if column.suppressOutput or self.prop is None or self.about is None:
            return
        subject = self.about.expand(context)
        predicate = self.prop.expand(context)
        if subject is None or predicate is None:
            return
        if column.virtual:
            obj = self.value.expand(context) if self.value else None
            if obj is not None:
                yield subject, predicate, obj
            return
        cell = row.cells.get(column.name)
        if cell is None:
            return
        for item in cell.split(self.separator) if self.separator else [cell]:
            item = item.strip()
            if self.value is not None:
                obj = self.value.expand({**context, column.name: item})
                if obj is not None:
                    yield subject, predicate, obj
            elif self.language:
                yield subject, predicate, Literal(item, language=self.language)
            elif self.datatype is not None:
                yield subject, predicate, Literal(item, datatype=self.datatype)
            else:
                yield subject, predicate, Literal(item)


class _Template:
    """A CSVW URI template: RFC 6570 expansion, then the CSVW default prefixes."""

    def __init__(self, text: str):
        self.text = text
        self.template = URITemplate(text)
        self.variables = set(self.template.variable_names)

    def expand(self, context: dict[str, str]) -> NamedNode | None:
        """The IRI, or None when the row leaves every variable of the template empty.

        Variables left empty expand to nothing (RFC 6570), so one template can join
        alternative columns of which a row fills one.
        """
        present = {k: context[k] for k in self.variables if k in context}
        if self.variables and not present:
            return None
        iri = self.template.expand(present)
        prefix, _, local = iri.partition(":")
        if prefix in NAMESPACES and not local.startswith("//"):
            iri = NAMESPACES[prefix] + local
        return NamedNode(iri)
