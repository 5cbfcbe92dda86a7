"""What the server reads from SPARQL text itself: a query's own dataset, an update's USING."""

from __future__ import annotations

import pytest

from pactgraph.sparql_text import UpdateDatasetConflict, add_using, has_dataset_clause


@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", True),
    ("select * from named <http://example.org/g> { graph ?g { ?s ?p ?o } }", True),
    ("PREFIX ex: <http://example.org/> ASK FROM ex:g { ?s ?p ?o }", True),
    ("SELECT * WHERE { ?s <http://example.org/FROM> <http://example.org/x> }", False),
    ('SELECT * WHERE { ?s ?p "FROM <http://example.org/g>" }', False),
    ("# FROM <http://example.org/g>\nSELECT * WHERE { ?s ?p ?o }", False),
    ("SELECT ?from WHERE { ?from ?p ?o }", False),
])
def test_has_dataset_clause(query, expected):
    assert has_dataset_clause(query) is expected


def test_add_using_goes_before_each_where_of_a_modify():
    update = ("PREFIX ex: <http://example.org/> CLEAR ALL ; INSERT DATA { GRAPH ex:g { ex:a ex:b 'WHERE { x }' } } ; "
              "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; DELETE WHERE { ?a ?b ?c } ; "
              "INSERT { ?a ?b ?c } WHERE { { ?a ?b ?c } UNION { } }")
    out = add_using(update, ["http://example.org/d"], ["http://example.org/n"])
    clause = "USING <http://example.org/d> USING NAMED <http://example.org/n> WHERE"
    assert out.count(clause) == 2 and "DELETE WHERE { ?a" in out and "'WHERE { x }'" in out


def test_add_using_without_graphs_changes_nothing():
    assert add_using("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }") == "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("update", [
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } USING <http://example.org/g> WHERE { ?s ?p ?o }",
])
def test_add_using_refuses_a_dataset_given_twice(update):
    with pytest.raises(UpdateDatasetConflict):
        add_using(update, ["http://example.org/d"])
