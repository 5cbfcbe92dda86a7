"""Source tables are checked against their CSVW schemas before anything is mapped."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from pactgraph.sources import SourceProblem, SourceTableError, load_tables

from .conftest import PROJECT


@pytest.fixture
def mappings(tmp_path: Path) -> Path:
    """A private copy of the project's mappings, to break on purpose."""
    target = tmp_path / "mappings"
    shutil.copytree(PROJECT / "mappings", target)
    return target


def edit_cell(mappings: Path, table: str, key: str, column: str, value: str) -> int:
    """Set one cell of the row whose first cell is ``key``; returns that row's line number."""
    import csv

    path = mappings / "sources" / f"{table}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    index = records[0].index(column)
    for line, record in enumerate(records[1:], start=2):
        if record[0] == key:
            record[index] = value
            break
    else:
        raise AssertionError(f"no row {key} in {table}")
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)
    return line


def only_problem(mappings: Path) -> SourceProblem:
    with pytest.raises(SourceTableError) as caught:
        load_tables(mappings)
    assert len(caught.value.problems) == 1, caught.value.problems
    return caught.value.problems[0]


def test_the_project_tables_pass_their_schemas():
    tables = load_tables(PROJECT / "mappings")
    assert {t.name for t in tables} >= {"acts", "articles", "obligations", "dependencies", "member-states", "sources"}


def test_a_malformed_celex_names_file_row_column_value_and_pattern(mappings: Path):
    line = edit_cell(mappings, "acts", "reg/2024/1358", "celex", "3224R1358")
    problem = only_problem(mappings)
    assert (problem.file, problem.row, problem.column, problem.value) == ("sources/acts.csv", line, "celex", "3224R1358")
    assert "[0-9CE][0-9]{4}" in problem.expected
    assert f"sources/acts.csv, row {line}, column 'celex': got '3224R1358'" in str(problem)


def test_a_bad_date_is_reported_with_the_expected_form(mappings: Path):
    line = edit_cell(mappings, "acts", "reg/2024/1351", "date_application", "1 July 2026")
    problem = only_problem(mappings)
    assert (problem.row, problem.column, problem.value) == (line, "date_application", "1 July 2026")
    assert "YYYY-MM-DD" in problem.expected


def test_a_missing_required_cell_is_reported(mappings: Path):
    line = edit_cell(mappings, "sources", "emn-ee-cip", "title", "")
    problem = only_problem(mappings)
    assert (problem.file, problem.row, problem.column) == ("sources/sources.csv", line, "title")
    assert problem.expected.startswith("a value")


def test_a_reference_to_an_unknown_act_is_reported(mappings: Path):
    line = edit_cell(mappings, "repeals", "reg/2024/1351", "repealed", "reg/2013/999")
    problem = only_problem(mappings)
    assert (problem.file, problem.row, problem.column, problem.value) == ("sources/repeals.csv", line, "repealed", "reg/2013/999")
    assert "sources/acts.csv" in problem.expected


def test_an_unknown_source_id_is_reported(mappings: Path):
    line = edit_cell(mappings, "procedures", "screening", "source", "no-such-source")
    problem = only_problem(mappings)
    assert (problem.column, problem.value, problem.row) == ("source", "no-such-source", line)
    assert "sources/sources.csv" in problem.expected


def test_a_duplicate_key_is_reported(mappings: Path):
    path = mappings / "sources" / "building-blocks.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    problem = only_problem(mappings)
    assert problem.row == len(lines) + 1 and problem.column == "number"
    assert "unique" in problem.expected


def test_an_unknown_column_in_the_header_is_reported(mappings: Path):
    path = mappings / "sources" / "procedures.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    text[0] = text[0].replace("label_nl", "label_dutch")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(SourceTableError) as caught:
        load_tables(mappings)
    columns = {(p.row, p.column) for p in caught.value.problems}
    assert columns == {(1, "label_dutch"), (1, "label_nl")}


def test_a_table_without_a_description_is_reported(mappings: Path):
    (mappings / "sources" / "stray.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    problem = only_problem(mappings)
    assert problem.file == "sources/stray.csv" and "stray.csv-metadata.json" in problem.expected


def test_empty_cells_are_missing_but_na_is_a_value(mappings: Path):
    """NA is Namibia's code: only an empty cell counts as missing."""
    edit_cell(mappings, "procedures", "screening", "label_nl", "NA")
    tables = {t.name: t for t in load_tables(mappings)}
    screening = next(r for r in tables["procedures"].rows if r.cells["id"] == "screening")
    assert screening.cells["label_nl"] == "NA"


def test_the_same_bad_value_is_reported_on_every_row_it_is_on(mappings: Path):
    """Accepted values are remembered per column to read large tables fast; rejected ones are not."""
    first = edit_cell(mappings, "acts", "reg/2024/1351", "date_application", "1 July 2026")
    second = edit_cell(mappings, "acts", "reg/2024/1358", "date_application", "1 July 2026")
    with pytest.raises(SourceTableError) as caught:
        load_tables(mappings)
    rows = [(p.row, p.column) for p in caught.value.problems]
    assert (first, "date_application") in rows and (second, "date_application") in rows


def test_a_value_accepted_in_one_column_is_checked_again_in_another(mappings: Path):
    # 32024R1351 has passed as the celex of the first row before it comes as a date.
    line = edit_cell(mappings, "acts", "reg/2024/1358", "date_application", "32024R1351")
    problem = only_problem(mappings)
    assert (problem.row, problem.column, problem.value) == (line, "date_application", "32024R1351")


def test_checking_large_tables_keeps_their_keys_not_their_rows(tmp_path: Path):
    """At ten million triples the rows took 1.5 GiB; checked and mapped as they are read, they
    take a fraction of what holding them would."""
    import importlib.util
    import tracemalloc

    spec = importlib.util.spec_from_file_location("pactgraph_bench_generate_sources", PROJECT / "bench" / "generate.py")
    generate = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(generate)
    generate.generate(tmp_path, generate.Plan(acts=20), seed=1)
    tracemalloc.start()
    try:
        tables = load_tables(tmp_path / "mappings")
        checking = tracemalloc.get_traced_memory()[1]
        held = [list(t.rows) for t in tables]
        holding = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert sum(len(rows) for rows in held) == sum(len(t.rows) for t in tables) > 4000
    assert checking < holding / 2, (checking, holding)
