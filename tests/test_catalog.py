"""The named-query catalogue: headers, typed parameters, presets, safe binding."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Store

from pactgraph.catalog import CatalogError, QueryParameterError, load_catalog

from .conftest import PROJECT


def write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.rq").write_text(text, encoding="utf-8")


def test_the_catalogue_reads_title_description_and_typed_parameters():
    catalog = load_catalog(PROJECT / "queries")
    query = catalog["obligations-of-member-state"]
    assert query.title == "Obligations of a Member State"
    assert {(p.name, p.type, p.default) for p in query.parameters} == {("memberState", "country", "NL"), ("before", "date", None)}


def test_a_preset_fixes_its_parameter_and_hides_it():
    catalog = load_catalog(PROJECT / "queries")
    preset = catalog["obligations-depending-on-eurodac"]
    assert preset.parameters == ()
    assert "<https://w3id.org/pactgraph/id/it-system/eurodac>" in preset.render({})
    with pytest.raises(QueryParameterError, match="not a parameter"):
        preset.render({"target": "https://example.org/other"})


def test_a_parameter_of_the_wrong_type_is_refused_with_the_reason():
    query = load_catalog(PROJECT / "queries")["obligations-of-member-state"]
    with pytest.raises(QueryParameterError) as caught:
        query.render({"before": "next week"})
    assert caught.value.name == "before" and "YYYY-MM-DD" in caught.value.reason


def test_an_unknown_parameter_is_refused_listing_the_known_ones():
    query = load_catalog(PROJECT / "queries")["articles-of-act"]
    with pytest.raises(QueryParameterError, match="it takes: celex"):
        query.render({"celx": "32024R1358"})


def test_a_string_parameter_cannot_inject_sparql(tmp_path: Path):
    write(tmp_path, "q", "# title: t\n# description: d\n# param: name string\nSELECT ?s WHERE { ?s ?p ?name }\n")
    query = load_catalog(tmp_path)["q"]
    rendered = query.render({"name": '"} ; DROP ALL ; SELECT * WHERE { "'})
    store = Store()
    assert list(store.query(rendered)) == []  # parses as one literal, matches nothing
    assert 'VALUES (?name) { ("\\"} ; DROP ALL' in rendered


def test_values_are_bound_before_aggregation(tmp_path: Path):
    """A trailing VALUES would join after GROUP BY and filter nothing."""
    write(tmp_path, "q", "# title: t\n# description: d\n# param: o iri\n"
                         "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p> ?o }\n")
    store = Store()
    store.update("INSERT DATA { <urn:a> <urn:p> <urn:x> . <urn:b> <urn:p> <urn:y> }")
    [row] = list(store.query(load_catalog(tmp_path)["q"].render({"o": "urn:x"})))
    assert row["n"].value == "1"


@pytest.mark.parametrize("header, message", [
    ("# description: d\n", "no '# title:'"),
    ("# title: t\n# description: d\n# param: x bogus\n", "cannot read '# param: x bogus'"),
    ("# title: t\n# description: d\n# param: x date = tomorrow\n", "default of parameter 'x'"),
    ("# title: t\n# description: d\n# uses: missing\n", "uses 'missing'"),
])
def test_a_malformed_header_names_the_file_and_line(tmp_path: Path, header: str, message: str):
    write(tmp_path, "broken", header + "SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(CatalogError, match=message) as caught:
        load_catalog(tmp_path)
    assert "broken.rq" in str(caught.value)
