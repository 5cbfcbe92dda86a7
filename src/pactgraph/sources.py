"""Curated source tables and their W3C CSVW schemas: load them and check them.

Every CSV under ``mappings/sources/`` has a CSVW table description beside the mappings
(``mappings/<name>.csv-metadata.json``). The description is the schema: columns,
datatypes, required cells, patterns, primary and foreign keys. A table is mapped only
when every table passes, so a spreadsheet slip never reaches the graph.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import csvw

METADATA_SUFFIX = ".csv-metadata.json"

#: The XSD lexical forms of the datatypes the tables use, checked after csvw has read a value:
#: csvw takes any text as a gYear or an anyURI, and Python's parsers take more than XSD does
#: (``1_000`` or full-width digits as an integer, ``PT`` or ``P1.5D`` as a duration, a date
#: with a time as a date). An anyURI must be absolute, as the message says.
_LEXICAL = {name: re.compile(pattern) for name, pattern in {
    "integer": r"[+-]?[0-9]+",
    "date": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?",
    "gYear": r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?",
    "duration": r"-?P(?=[0-9]|T[0-9])([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?",
    "anyURI": r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+",
}.items()}


@dataclass(frozen=True)
class SourceProblem:
    """One thing wrong in a source table, located as precisely as it can be."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}, row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        got = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{got}; expected {self.expected}"


class SourceTableError(Exception):
    """The source tables do not match their schemas; nothing was built."""

    def __init__(self, problems: list[SourceProblem]):
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the source tables:\n{lines}")


@dataclass(frozen=True)
class SourceRow:
    """A row as written (``cells``, empty cells left out) and where it stands in its file."""

    line: int
    number: int
    cells: dict[str, str]


@dataclass
class SourceTable:
    """A CSV file with its CSVW description; its rows are read from the file each time they
    are asked for (``rows``), so a table of millions of rows is never held in memory."""

    name: str
    url: str
    path: Path
    description: csvw.Table
    #: Rows counted when the table was checked.
    row_count: int = 0

    @property
    def rows(self) -> "SourceRows":
        return SourceRows(self)

    @property
    def file(self) -> str:
        """The file name as a user sees it in ``mappings/``."""
        return self.url

    @property
    def columns(self) -> list[csvw.Column]:
        return list(self.description.tableSchema.columns)


class SourceRows:
    """The rows of a checked table, read again from its file on each pass."""

    def __init__(self, table: SourceTable):
        self.table = table

    def __len__(self) -> int:
        return self.table.row_count

    def __iter__(self) -> Iterator[SourceRow]:
        with self.table.path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader)
            for line, number, record in _records(reader):
                yield SourceRow(line=line, number=number, cells={k: v for k, v in zip(header, record) if v != ""})


def load_tables(mappings_dir: Path) -> list[SourceTable]:
    """Read every table and check it against its schema and the other tables.

    Raises SourceTableError listing every problem found (not just the first).
    """
    problems: list[SourceProblem] = []
    tables = [_read_table(path, mappings_dir, problems) for path in _metadata_files(mappings_dir, problems)]
    tables = [t for t in tables if t is not None]
    if not problems:
        _check_keys(tables, problems)
    if problems:
        raise SourceTableError(problems)
    return tables


def _metadata_files(mappings_dir: Path, problems: list[SourceProblem]) -> list[Path]:
    described = sorted(mappings_dir.glob("*" + METADATA_SUFFIX))
    names = {p.name.removesuffix(METADATA_SUFFIX) for p in described}
    for csv_path in sorted((mappings_dir / "sources").glob("*.csv")):
        if csv_path.stem not in names:
            problems.append(SourceProblem(f"sources/{csv_path.name}", None, None, None,
                                          f"a table description {csv_path.stem}{METADATA_SUFFIX} in mappings/"))
    return described


def _read_table(metadata_path: Path, mappings_dir: Path, problems: list[SourceProblem]) -> SourceTable | None:
    name = metadata_path.name.removesuffix(METADATA_SUFFIX)
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        description = csvw.Table.fromvalue(metadata)
    except (ValueError, TypeError, KeyError) as error:
        problems.append(SourceProblem(metadata_path.name, None, None, None, f"a valid CSVW table description ({error})"))
        return None
    url = metadata["url"]
    path = (mappings_dir / url).resolve()
    table = SourceTable(name=name, url=url, path=path, description=description)
    if not path.is_file():
        problems.append(SourceProblem(url, None, None, None, f"the file the description {metadata_path.name} names"))
        return None
    for _ in _read_rows(table, problems):
        table.row_count += 1
    return table


def _read_rows(table: SourceTable, problems: list[SourceProblem]) -> Iterator[SourceRow]:
    columns = [c for c in table.columns if not c.virtual]
    by_name = {c.name: c for c in columns}
    # Values a column has already accepted: a check depends on the value alone, and csvw's is
    # slow (most of the time of reading a large table went into it; codes and dates repeat).
    accepted: dict[str, set[str]] = {c.name: set() for c in columns}
    try:
        with table.path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                problems.append(SourceProblem(table.file, 1, None, None, "a header row"))
                return
            if not _header_ok(table, header, by_name, problems):
                return
            for line, number, record in _records(reader):
                if len(record) != len(header):
                    problems.append(SourceProblem(table.file, line, None, None,
                                                  f"{len(header)} cells as in the header, not {len(record)}"))
                    continue
                cells = {k: v for k, v in zip(header, record) if v != ""}
                for column in columns:
                    value = cells.get(column.name)
                    if value is not None and value in accepted[column.name]:
                        continue
                    if _check_cell(table, line, column, value, problems) and len(accepted[column.name]) < _ACCEPTED_PER_COLUMN:
                        accepted[column.name].add(value)
                yield SourceRow(line=line, number=number, cells=cells)
    except UnicodeDecodeError as error:
        problems.append(SourceProblem(table.file, None, None, None, f"UTF-8 text ({error.reason})"))
    except csv.Error as error:
        problems.append(SourceProblem(table.file, reader.line_num, None, None, f"well-formed CSV ({error})"))


def _records(reader: Any) -> Iterator[tuple[int, int, list[str]]]:
    """The records after the header, blank ones left out: (line in the file, row number, cells)."""
    number = 0
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        if not any(cell.strip() for cell in record):
            continue
        number += 1
        yield line, number, record


def _header_ok(table: SourceTable, header: list[str], by_name: dict[str, Any], problems: list[SourceProblem]) -> bool:
    ok = True
    for cell in header:
        if cell not in by_name:
            problems.append(SourceProblem(table.file, 1, cell, None, f"one of the described columns {sorted(by_name)}"))
            ok = False
    for name in by_name:
        if name not in header:
            problems.append(SourceProblem(table.file, 1, name, None, "this column in the header"))
            ok = False
    return ok


#: How many accepted values of a column are remembered (bounds the memory a large table takes).
_ACCEPTED_PER_COLUMN = 10_000


def _check_cell(table: SourceTable, line: int, column: csvw.Column, value: str | None,
                problems: list[SourceProblem]) -> bool:
    """Check one cell; whether it passed (a problem is added when not)."""
    if value is None:
        if column.required:
            problems.append(SourceProblem(table.file, line, column.name, "", f"a value: {_describe(column)}"))
            return False
        return True
    if value != value.strip():
        problems.append(SourceProblem(table.file, line, column.name, value, "no spaces around the value"))
        return False
    try:
        column.read(value)
    except (ValueError, ArithmeticError):  # csvw raises OverflowError for 'Infinity' in an integer column
        problems.append(SourceProblem(table.file, line, column.name, value, _describe(column)))
        return False
    datatype = column.datatype
    lexical = _LEXICAL.get(datatype.base) if datatype is not None and datatype.format is None else None
    if lexical is not None and not lexical.fullmatch(value):
        problems.append(SourceProblem(table.file, line, column.name, value, _describe(column)))
        return False
    return True


def _describe(column: csvw.Column) -> str:
    """What a column accepts, in the words of its description."""
    datatype = column.datatype
    base = datatype.base if datatype is not None else "string"
    text = {"date": "a date YYYY-MM-DD", "duration": "an xsd:duration such as PT72H or P14D",
            "integer": "a whole number", "boolean": "true or false", "gYear": "a year YYYY",
            "anyURI": "an absolute IRI"}.get(base, "text")
    if datatype is not None and datatype.format and base == "string":
        text += f" matching {datatype.format}"
    description = column.common_props.get("dc:description")
    return f"{text} ({description})" if description else text


def _check_keys(tables: list[SourceTable], problems: list[SourceProblem]) -> None:
    """Primary and foreign keys, one pass over each table's rows (keys are all that is kept)."""
    by_url = {t.url: t for t in tables}
    known: dict[tuple[str, tuple[str, ...]], set[tuple[str, ...]]] = {}

    def keys_of(target: SourceTable, columns: list[str]) -> set[tuple[str, ...]]:
        if (target.url, tuple(columns)) not in known:
            known[target.url, tuple(columns)] = {tuple(r.cells.get(c, "") for c in columns) for r in target.rows}
        return known[target.url, tuple(columns)]

    for table in tables:
        key = _colrefs(table.description.tableSchema.primaryKey)
        references = [reference for foreign_key in table.description.tableSchema.foreignKeys
                      if (reference := _reference(table, foreign_key, by_url, keys_of, problems)) is not None]
        seen: dict[tuple[str, ...], int] = {}
        for row in table.rows:
            values = tuple(row.cells.get(c, "") for c in key)
            if key and values in seen:
                problems.append(SourceProblem(table.file, row.line, ", ".join(key), " / ".join(values),
                                              f"a unique key (row {seen[values]} has the same)"))
            seen.setdefault(values, row.line)
            for reference in references:
                reference.check(table, row, problems)


@dataclass(frozen=True)
class _Reference:
    """A foreign key of a table, with the key values of the table it refers to."""

    columns: list[str]
    separator: str | None
    target: SourceTable
    target_columns: list[str]
    targets: set[tuple[str, ...]]

    def check(self, table: SourceTable, row: SourceRow, problems: list[SourceProblem]) -> None:
        values = tuple(row.cells.get(c) for c in self.columns)
        if any(v is None for v in values):
            return
        # A list-valued column refers once per item (CSVW allows this for single-column keys).
        for item in ([(v.strip(),) for v in values[0].split(self.separator)] if self.separator else [values]):
            if item not in self.targets:
                problems.append(SourceProblem(table.file, row.line, ", ".join(self.columns), " / ".join(item),
                                              f"a value of {', '.join(self.target_columns)} in {self.target.file}"))


def _reference(table: SourceTable, foreign_key: Any, by_url: dict[str, SourceTable],
               keys_of: Callable[[SourceTable, list[str]], set[tuple[str, ...]]],
               problems: list[SourceProblem]) -> _Reference | None:
    columns = _colrefs(foreign_key.columnReference)
    target_url = foreign_key.reference.resource.string
    target = by_url.get(target_url)
    if target is None:
        problems.append(SourceProblem(table.file, None, ", ".join(columns), target_url, "a described table"))
        return None
    target_columns = _colrefs(foreign_key.reference.columnReference)
    separator = table.description.tableSchema.get_column(columns[0]).separator if len(columns) == 1 else None
    return _Reference(columns, separator, target, target_columns, keys_of(target, target_columns))


def _colrefs(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)
