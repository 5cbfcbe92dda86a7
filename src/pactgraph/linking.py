"""Link the references found in a text to the graph: which cited acts, articles and documents
the graph holds."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from .citations import Citation, find_citations, resolve
from .store import GraphStore
from .vocab import ID

_SUBDIVISION = re.compile(r"^(?P<article>.*/art_[^/]+)/(?:par|pnt)_.*?(?P<suffix>/oj)?$")


def graph_knows(graph: GraphStore) -> Callable[[str], bool]:
    """Whether the graph holds an IRI, as a subject or as the Cellar resource an act is the same as.

    A cited paragraph or point counts as known when its article is: the graph goes down to articles.
    """
    def known(iri: str) -> bool:
        candidates = [iri]
        match = _SUBDIVISION.match(iri)
        if match:
            candidates.append(match["article"] + (match["suffix"] or "/oj"))
        return any(bool(graph.query(f"ASK {{ {{ <{c}> ?p ?o }} UNION {{ ?s owl:sameAs <{c}> }} }}")) for c in candidates)
    return known


def link_text(graph: GraphStore, text: str) -> list[Citation]:
    """Every citation in the text, with ``known`` telling whether the graph holds what it cites.

    Dutch papers have no ELI: a Kamerstuk is known when the graph has the document minted
    from its officielebekendmakingen id (``kst-32317-985``).
    """
    known = graph_knows(graph)

    def paper_known(reference: str) -> bool:
        # Document keys are IRI slugs in lower case ("kst-36871-n"); the identifier keeps the
        # case officielebekendmakingen uses for chapters and letters ("kst-36871-N").
        return any(known(ID + "document/" + key) for key in dict.fromkeys((reference, reference.lower())))

    return [replace(c, known=paper_known(c.reference))
            if c.known is None and c.reference and c.reference.startswith("kst-") else c
            for c in resolve(find_citations(text), known)]
