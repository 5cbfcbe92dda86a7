"""Find the resource a person means: an IRI, a CELEX number, an ELI, or a short name or label
(``eurodac``, ``Eurodac``, ``screening``, ``ammr-41-1``), matched case-insensitively."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from .store import GraphStore

_CELEX = re.compile(r"^[0-9CE][0-9]{4}[A-Z]{1,2}[0-9]{4}(R\([0-9]{2}\))?$")
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")  # an IRIREF's characters: never closes the <...> it is put in


class TargetNotFoundError(LookupError):
    """No resource, or more than one, answers to the name; ``candidates`` lists the near ones."""

    def __init__(self, text: str, candidates: list[tuple[str, str]], ambiguous: bool):
        self.text, self.candidates, self.ambiguous = text, candidates, ambiguous
        listed = "; ".join(f"{label} <{iri}>" for iri, label in candidates[:12]) or "none"
        what = "is ambiguous" if ambiguous else "matches nothing in the graph"
        super().__init__(f"'{text}' {what}; candidates: {listed}")


@dataclass(frozen=True)
class Target:
    iri: str
    label: str


_SEARCH = """
SELECT DISTINCT ?s ?label ?exact WHERE {
  ?s a ?type .
  VALUES ?type { pg:Obligation pg:ITSystem pg:Procedure pg:Regulation pg:Directive pg:ImplementingDecision
                 pg:Article pg:NationalLaw pg:NationalDecree pg:OperationalMeasure pg:BuildingBlock }
  OPTIONAL { ?s rdfs:label ?l FILTER(lang(?l) = "en" || lang(?l) = "") }
  BIND (COALESCE(?l, STR(?s)) AS ?label)
  BIND (LCASE(REPLACE(STR(?s), "^.*/", "")) AS ?local)
  FILTER (CONTAINS(?local, ?needle)
          || EXISTS { ?s rdfs:label|skos:altLabel ?name FILTER (CONTAINS(LCASE(STR(?name)), ?needle)) })
  BIND (?local = ?needle || EXISTS { ?s rdfs:label|skos:altLabel ?name FILTER (LCASE(STR(?name)) = ?needle) } AS ?exact)
}
"""


def resolve_target(graph: GraphStore, text: str) -> Target:
    """The one resource ``text`` names; raises TargetNotFoundError listing candidates."""
    text = text.strip()
    if _IRI.match(text):
        try:
            NamedNode(text)  # the pattern lets through code points no IRI holds (NUL, U+FFFD): the query would not parse
        except ValueError:
            raise TargetNotFoundError(text, [], ambiguous=False) from None
        rows = list(graph.query(f"SELECT ?label WHERE {{ <{text}> ?p ?o OPTIONAL {{ <{text}> rdfs:label ?label }} }} LIMIT 1"))
        if rows:
            return Target(text, rows[0]["label"].value if rows[0]["label"] else text)
        raise TargetNotFoundError(text, [], ambiguous=False)
    if _CELEX.match(text):
        rows = list(graph.query(f'SELECT ?s ?label WHERE {{ ?s eli:id_local {Literal(text)} OPTIONAL {{ ?s rdfs:label ?label FILTER(lang(?label)="en") }} }}'))
        if len(rows) == 1:
            return Target(rows[0]["s"].value, rows[0]["label"].value if rows[0]["label"] else text)
    needle = Literal(text.lower())
    rows = list(graph.query(_SEARCH.replace("?needle", str(needle))))
    exact = {r["s"].value: r["label"].value for r in rows if r["exact"].value == "true"}
    near = sorted({(r["s"].value, r["label"].value) for r in rows}, key=lambda c: (len(c[1]), c[1]))
    if len(exact) == 1:
        iri, label = next(iter(exact.items()))
        return Target(iri, label)
    if len(exact) > 1:
        raise TargetNotFoundError(text, sorted(exact.items(), key=lambda c: c[1]), ambiguous=True)
    if len(near) == 1:
        return Target(*near[0])
    raise TargetNotFoundError(text, near, ambiguous=bool(near))


@dataclass(frozen=True)
class MemberState:
    iri: str
    eu_code: str
    name: str


def resolve_member_state(graph: GraphStore, code: str) -> MemberState:
    """A Member State by its ISO 3166 code (GR), the EU's code (EL) or the alpha-3 code (GRC)."""
    wanted = Literal(code.strip().upper())
    rows = list(graph.query(f"""SELECT DISTINCT ?ms ?eu ?name WHERE {{ ?ms a pg:MemberState ; pg:euCountryCode ?eu ;
        rdfs:label ?name FILTER(lang(?name) = "en")
        {{ ?ms pg:euCountryCode {wanted} }} UNION {{ ?ms pg:isoCountryCode {wanted} }} UNION {{ ?ms skos:notation {wanted} }} }}"""))
    if len(rows) != 1:
        raise ValueError(f"no Member State with the code {code!r}; use ISO (GR), EU (EL) or alpha-3 (GRC)")
    return MemberState(rows[0]["ms"].value, rows[0]["eu"].value, rows[0]["name"].value)
