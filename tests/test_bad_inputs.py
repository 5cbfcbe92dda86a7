"""The catalogue of bad source data: each case gives one clear message naming file, row,
column, value and what was expected; exit code 2 (1 for a shape violation); the published
graph stays untouched and queryable; fixing the line and rebuilding publishes the new graph.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.store import GraphStore

from .conftest import PROJECT

runner = CliRunner()


def replace(table: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "mappings" / "sources" / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {table}.csv"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return edit


def write_bytes(table: str, data: bytes) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        (root / "mappings" / "sources" / f"{table}.csv").write_bytes(data)
    return edit


def append_line(table: str, line: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / "mappings" / "sources" / f"{table}.csv"
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return edit


# (case id, the edit, exit code, fragments the message must contain)
CASES = [
    ("malformed-csv-line", append_line("building-blocks", '11,"unclosed quote,52024DC0251,x,y,'), 2,
     ["sources/building-blocks.csv", "well-formed CSV"]),
    ("wrong-number-of-cells", append_line("building-blocks", "11,Eleven"), 2,
     ["sources/building-blocks.csv, row 12", "cells as in the header"]),
    ("unknown-column", replace("procedures", "label_nl", "label_dutch"), 2,
     ["sources/procedures.csv, row 1, column 'label_dutch'", "one of the described columns"]),
    ("missing-column", replace("it-systems", "id,label_en,", "id,"), 2,
     ["sources/it-systems.csv, row 1, column 'label_en'", "this column in the header"]),
    ("empty-file", write_bytes("repeals", b""), 2, ["sources/repeals.csv, row 1", "a header row"]),
    ("not-utf-8", write_bytes("building-blocks", "number,label_en\n1,Caf\xe9\n".encode("latin-1")), 2,
     ["sources/building-blocks.csv", "UTF-8"]),
    ("duplicate-identifier", replace("procedures", "relocation,Relocation", "screening,Relocation"), 2,
     ["sources/procedures.csv", "column 'id': got 'screening'", "unique key"]),
    ("invalid-celex", replace("acts", ",32024R1358,", ",3224R1358,"), 2,
     ["sources/acts.csv, row 6, column 'celex': got '3224R1358'", "CELEX"]),
    ("invalid-eli", replace("articles", "reg/2024/1358,26,", "regulation/2024/1358,26,"), 2,
     ["sources/articles.csv, row", "column 'act': got 'regulation/2024/1358'", "(reg|dir|dec"]),
    ("invalid-date", replace("repeals", "2026-07-01", "2026-13-01"), 2,
     ["sources/repeals.csv, row 2, column 'with_effect_from': got '2026-13-01'", "YYYY-MM-DD"]),
    ("unknown-reference", replace("dependencies", "ammr-41-1,eurodac-15-1-a", "ammr-41-1,eurodac-99"), 2,
     ["sources/dependencies.csv, row", "column 'on_obligation': got 'eurodac-99'", "sources/obligations.csv"]),
    ("unknown-member-state", replace("classifications", "2026,NLD,", "2026,NDL,"), 2,
     ["sources/classifications.csv, row", "column 'member_state': got 'NDL'", "sources/member-states.csv"]),
    ("dependency-cycle", append_line("dependencies", "eurodac-15-1-a,ammr-41-1,,,cycle for the test,eurlex-32024R1351,Art 41,"), 1,
     ["eurodac-15-1-a", "depend"]),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for folder in ("ontology", "mappings", "queries", "shapes"):
        if (PROJECT / folder).exists():
            shutil.copytree(PROJECT / folder, tmp_path / folder)
    return tmp_path


def build(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PACTGRAPH_HOME", str(root))
    return runner.invoke(app, ["build", "--store", str(root / "var" / "store")])


@pytest.mark.parametrize("case, edit, code, fragments", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_the_good_graph_stays(project: Path, monkeypatch, case, edit, code, fragments):
    assert build(project, monkeypatch).exit_code == 0
    store = project / "var" / "store"
    published = store.resolve()
    pristine = {p: p.read_bytes() for p in (project / "mappings" / "sources").glob("*.csv")}

    edit(project)
    result = build(project, monkeypatch)
    assert result.exit_code == code, result.output
    message = " ".join(result.stderr.split())
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{result.stderr}"
    assert store.resolve() == published
    assert bool(GraphStore.open(store).query('ASK { ?a eli:id_local "32024R1358" }'))

    for path, data in pristine.items():  # the user fixes the line
        path.write_bytes(data)
    assert build(project, monkeypatch).exit_code == 0
    assert store.resolve() != published
