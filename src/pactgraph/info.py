"""What is in a built store: named graphs, instances per class, and how it was built."""

from __future__ import annotations

from dataclasses import dataclass

from .results import show
from .store import GraphStore
from .vocab import BUILD_GRAPH, DATA_GRAPH


@dataclass(frozen=True)
class StoreSummary:
    built_at: str
    software_version: str
    graphs: dict[str, int]
    classes: dict[str, int]
    sources: dict[str, str]


def describe_store(graph: GraphStore) -> StoreSummary:
    classes = {
        show(row["class"]): int(row["n"].value)
        for row in graph.query(
            f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{DATA_GRAPH.value}> {{ ?s a ?class }} }} "
            "GROUP BY ?class ORDER BY DESC(?n) ?class")
    }
    build = list(graph.query(
        f"SELECT ?ended ?version WHERE {{ GRAPH <{BUILD_GRAPH.value}> "
        "{ ?b prov:endedAtTime ?ended ; prov:wasAssociatedWith/rdfs:label ?version } }"))
    sources = {
        row["file"].value.removeprefix("https://w3id.org/pactgraph/"): row["hash"].value
        for row in graph.query(
            f"SELECT ?file ?hash WHERE {{ GRAPH <{BUILD_GRAPH.value}> "
            "{ ?b prov:used ?file . ?file dcterms:hasVersion ?hash } } ORDER BY ?file")
    }
    ended, version = (build[0]["ended"].value, build[0]["version"].value) if build else ("unknown", "unknown")
    return StoreSummary(ended, version, graph.graph_sizes(), classes, sources)
