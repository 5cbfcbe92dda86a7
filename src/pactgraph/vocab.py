"""Namespaces and the IRIs of the named graphs.

One place for every IRI the code itself needs; the data's IRIs are minted by the
CSVW templates in ``mappings/``, never here.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

BASE = "https://w3id.org/pactgraph/"
PG = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

ELI = "http://data.europa.eu/eli/ontology#"
CELEX = "http://publications.europa.eu/resource/celex/"
COUNTRY = "http://publications.europa.eu/resource/authority/country/"
CSVW = "http://www.w3.org/ns/csvw#"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"

ONTOLOGY_GRAPH = NamedNode(GRAPH + "ontology")
DATA_GRAPH = NamedNode(GRAPH + "data")
INFERRED_GRAPH = NamedNode(GRAPH + "inferred")
BUILD_GRAPH = NamedNode(GRAPH + "build")

#: Prefixes offered to every query, so named queries and users can write ``pg:Obligation``.
PREFIXES: dict[str, str] = {
    "pg": PG,
    "pgid": ID,
    "eli": ELI,
    "csvw": CSVW,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "void": VOID,
}


def source_row_iri(table_url: str, source_row: int) -> str:
    """The IRI of one row of a source table (RFC 7111 fragment, as CSV2RDF uses)."""
    return f"{BASE}{table_url}#row={source_row}"
