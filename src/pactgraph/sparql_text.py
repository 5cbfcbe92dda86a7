"""What the engine does not tell about a SPARQL text: whether a query names its own dataset
(``FROM``), and where an update's operations take their ``USING`` clauses.

Oxigraph's Python API parses a query only to run it, so these few facts are read from the
text with its strings, IRIs and comments blanked out (same length, offsets kept): a keyword
inside a literal, an IRI or a comment never counts.
"""

from __future__ import annotations

import re
from typing import Iterable

_LEXEMES = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|#[^\n]*",
    re.DOTALL)
_DATASET = re.compile(r"(?<![\w:?$])FROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_WORD = re.compile(r"[?$][\w]+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*|[A-Za-z_]\w*|[{}]")


class UpdateDatasetConflict(ValueError):
    """An update names its dataset both in the request (using-graph-uri) and in the text (USING, WITH)."""


def mask(text: str) -> str:
    """The text with strings, comments and the inside of IRIs replaced by spaces (an IRI keeps
    its angle brackets); offsets are kept."""
    def blank(match: re.Match) -> str:
        lexeme = match.group(0)
        return f"<{' ' * (len(lexeme) - 2)}>" if lexeme.startswith("<") else " " * len(lexeme)
    return _LEXEMES.sub(blank, text)


def has_dataset_clause(query: str) -> bool:
    """True when the query has a ``FROM`` or ``FROM NAMED`` clause."""
    return _DATASET.search(mask(query)) is not None


def add_using(update: str, default_graphs: Iterable[str] = (), named_graphs: Iterable[str] = ()) -> str:
    """The update with ``USING <g>`` and ``USING NAMED <g>`` before the ``WHERE`` of every
    DELETE/INSERT operation: the SPARQL 1.1 Protocol's ``using-graph-uri`` and
    ``using-named-graph-uri`` parameters.

    Raises UpdateDatasetConflict when an operation already has a USING or WITH clause (the
    protocol makes that a client error).
    """
    clause = "".join(f" USING <{iri}>" for iri in default_graphs) + "".join(f" USING NAMED <{iri}>" for iri in named_graphs)
    if not clause:
        return update
    masked = mask(update)
    depth, previous, inserts = 0, "", []
    for match in _WORD.finditer(masked):
        word = match.group(0).upper()
        if word == "{":
            depth += 1
            if depth == 1:
                previous = word
            continue
        if word == "}":
            depth -= 1
            if depth == 0:
                previous = word
            continue
        if depth:
            continue
        if word in ("USING", "WITH"):
            raise UpdateDatasetConflict(f"the update has a {word} clause and the request gives "
                                        "using-graph-uri or using-named-graph-uri; give the dataset in one place")
        if word == "WHERE" and previous != "DELETE":
            inserts.append(match.start())
        previous = word
    for position in reversed(inserts):
        update = f"{update[:position]}{clause.lstrip()} {update[position:]}"
    return update
