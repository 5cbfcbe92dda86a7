"""The source-table checks under random input (Hypothesis): whatever a cell, a line or the bytes of
a table hold, ``load_tables`` either passes or raises SourceTableError whose problems name the
file (and, for a cell, the row and column); never any other exception.

``test_sources.py`` and ``test_bad_inputs.py`` hold the known cases with their exact messages;
the identifier parsers have their own property tests in ``test_identifiers.py``.
"""

from __future__ import annotations

import csv
import io
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pactgraph.sources import SourceProblem, SourceTableError, load_tables

from .conftest import PROJECT

FUZZ = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

#: Typed columns of small tables: (table, column, its datatype).
TYPED = [
    ("building-blocks", "number", "integer"),
    ("capacities", "value", "integer"),
    ("capacities", "valid_from", "date"),
    ("repeals", "with_effect_from", "date"),
    ("classifications", "cycle", "gYear"),
    ("obligations", "time_limit", "duration"),
    ("obligations", "needs_national_measure", "boolean"),
    ("sources", "document", "anyURI"),
]
#: Columns with a pattern or a foreign key, where most text is wrong.
CONSTRAINED = [("acts", "celex"), ("repeals", "repealing"), ("classifications", "member_state"), ("repeals", "source")]

#: Letters in no lexical form of xsd:integer, date, gYear, duration or boolean: a value holding
#: one is certainly wrong for those columns.
FOREIGN = "qxzwkjQXZWKJ"
CELL_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@pytest.fixture(scope="module")
def mappings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the project's mappings; each example edits a table and puts it back."""
    target = tmp_path_factory.mktemp("sources-fuzz") / "mappings"
    shutil.copytree(PROJECT / "mappings", target)
    return target


@contextmanager
def edited(mappings: Path, table: str, data: bytes) -> Iterator[Path]:
    """The table's file holds ``data`` for the duration of the block."""
    path = mappings / "sources" / f"{table}.csv"
    pristine = path.read_bytes()
    path.write_bytes(data)
    try:
        yield path
    finally:
        path.write_bytes(pristine)


def records(mappings: Path, table: str) -> list[list[str]]:
    with (mappings / "sources" / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def with_cell(rows: list[list[str]], index: int, column: str, value: str) -> tuple[bytes, int]:
    """The table as CSV with one cell replaced; and the line the edited record starts on."""
    header = rows[0]
    changed = [list(r) for r in rows]
    changed[index][header.index(column)] = value
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)  # minimal quoting leaves a lone \r bare
    writer.writerows(changed[:index])
    line = out.getvalue().count("\n") + 1
    writer.writerows(changed[index:])
    return out.getvalue().encode("utf-8"), line


def problems_of(mappings: Path) -> list[SourceProblem] | None:
    """The problems ``load_tables`` reports (None when the tables pass); any other exception fails the test."""
    try:
        load_tables(mappings)
    except SourceTableError as error:
        assert error.problems, "a SourceTableError without problems"
        for problem in error.problems:
            assert isinstance(problem, SourceProblem) and problem.file and problem.expected
            assert problem.row is None or problem.row >= 1
            str(problem)  # the one-line message renders
        return error.problems
    return None


@FUZZ
@given(data=st.data(), spec=st.sampled_from(TYPED), text=CELL_TEXT, letter=st.sampled_from(FOREIGN))
def test_a_wrong_value_in_a_typed_cell_is_reported_at_its_file_row_and_column(mappings, data, spec, text, letter):
    table, column, _ = spec
    rows = records(mappings, table)
    index = data.draw(st.integers(1, len(rows) - 1), label="row")
    at = data.draw(st.integers(0, len(text)), label="where the foreign letter goes")
    value = text[:at] + letter + text[at:]
    body, line = with_cell(rows, index, column, value)
    with edited(mappings, table, body):
        found = problems_of(mappings)
    assert found, f"{value!r} in {table}.{column} passed"
    assert any(p.file == f"sources/{table}.csv" and p.row == line and p.column == column for p in found), found


@FUZZ
@given(data=st.data(), spec=st.sampled_from(TYPED), value=st.one_of(
    CELL_TEXT,
    st.sampled_from(["Infinity", "-Infinity", "inf", "NaN", "1e400", "-0", "+1", "9" * 40, "0x10", "1_000", "P", "PT",
                     "P1Y2M3DT4H5M6.5S", "-P1D", "P99999999999999999999Y", "99999-01-01", "2026-02-30", "0000-01-01",
                     "2026-01-01Z", "2026-01-01+14:00", "TRUE", "1", "http://", "file:///etc/passwd", "a b", "\x00"]),
))
def test_any_value_in_a_typed_cell_passes_or_is_a_source_problem(mappings, data, spec, value):
    table, column, _ = spec
    rows = records(mappings, table)
    body, line = with_cell(rows, data.draw(st.integers(1, len(rows) - 1), label="row"), column, value)
    with edited(mappings, table, body):
        found = problems_of(mappings)
    if found:
        assert all(p.file.endswith(".csv") or p.file.endswith(".json") for p in found)


@FUZZ
@given(data=st.data(), spec=st.sampled_from(CONSTRAINED), value=CELL_TEXT)
def test_any_value_in_a_constrained_cell_passes_or_is_reported_where_it_is(mappings, data, spec, value):
    table, column = spec
    rows = records(mappings, table)
    index = data.draw(st.integers(1, len(rows) - 1), label="row")
    body, line = with_cell(rows, index, column, value)
    with edited(mappings, table, body):
        found = problems_of(mappings)
    if found and value == value.strip() and value:
        here = [p for p in found if p.file == f"sources/{table}.csv" and p.row == line]
        assert here, found
        assert all(column in (p.column or "") for p in here), here


@FUZZ
@given(table=st.sampled_from(["repeals", "building-blocks", "classifications"]), data=st.data(),
       garbage=st.one_of(st.binary(max_size=80), st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")),
                         st.sampled_from([b"\xef\xbb\xbf", b"\x00", b'"', b'"\n"', b"\r", b"\r\n\r\n", b",,,,,,,,,,", b"\xff\xfe",
                                          b'a"b', b"\n" * 3, b"\x1a"])))
def test_garbage_bytes_anywhere_in_a_table_pass_or_are_reported_in_that_file(mappings, table, data, garbage):
    path = mappings / "sources" / f"{table}.csv"
    original = path.read_bytes()
    at = data.draw(st.integers(0, len(original)), label="where the garbage goes")
    with edited(mappings, table, original[:at] + garbage + original[at:]):
        found = problems_of(mappings)
    for problem in found or []:
        # a problem in this table, or a reference from another table to a key this one lost
        assert problem.file == f"sources/{table}.csv" or f"sources/{table}.csv" in problem.expected, problem


@FUZZ
@given(table=st.sampled_from(["repeals", "building-blocks"]), text=st.text(max_size=200))
def test_a_table_replaced_by_any_text_is_reported_in_that_file(mappings, table, text):
    with edited(mappings, table, text.encode("utf-8", "surrogatepass")):
        found = problems_of(mappings)
    assert found, "any text passed as the table"
    assert any(p.file == f"sources/{table}.csv" for p in found), found
