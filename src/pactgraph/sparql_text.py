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
    r'|<(?:[^<>"{}|^`\\\s]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'  # an IRI may hold \u escapes
    r"|\\[^\r\n]"  # an escape in a local name (ex:a\#b, ex:a\'b): neither a comment nor a string
    r"|#[^\r\n]*",  # a comment ends at either line break
    re.DOTALL)
_DATASET = re.compile(r"(?<![\w:?$])FROM\s+(?:NAMED\s+)?(?:<|[A-Za-z_][\w.-]*:|:)", re.IGNORECASE)
_WORD = re.compile(r"[?$][\w]+|[A-Za-z_][\w.-]*:[\w.:%-]*|:[\w.:%-]*|[A-Za-z_]\w*|[{}]")


class UpdateDatasetConflict(ValueError):
    """An update names its dataset both in the request (using-graph-uri) and in the text (USING, WITH)."""


#: Brackets (``{``, ``(``, ``[``) a query or update may nest. Oxigraph's parser recurses once a
#: level, and a few thousand levels overflow the stack: the process dies, it raises nothing.
MAX_NESTING = 512
_BRACKETS = re.compile(r"[{}()\[\]]")


class NestingTooDeep(SyntaxError):
    """The text nests brackets deeper than ``MAX_NESTING``; it is refused before it is parsed."""


def mask(text: str) -> str:
    """The text with strings, comments and the inside of IRIs replaced by spaces (an IRI keeps
    its angle brackets); offsets are kept."""
    def blank(match: re.Match) -> str:
        lexeme = match.group(0)
        if lexeme.startswith("<"):
            return f"<{' ' * (len(lexeme) - 2)}>"
        return ("_" if lexeme.startswith("\\") else " ") * len(lexeme)  # an escape stays part of its name
    return _LEXEMES.sub(blank, text)


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Refuse a text that nests brackets (outside strings, IRIs and comments) more than
    ``limit`` deep, before the engine's parser overflows its stack on it.

    Raises NestingTooDeep naming the line and column where the limit is passed.
    """
    depth = 0
    for match in _BRACKETS.finditer(mask(text)):
        depth += 1 if match.group(0) in "{([" else -1
        if depth > limit:
            offset = match.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            raise NestingTooDeep(f"error at {line}:{column}: brackets nested more than {limit} deep; "
                                 "this server does not parse deeper queries")


#: The LOAD operation of SPARQL Update, read in the masked text (not a name such as ``?load``).
_LOAD = re.compile(r"(?<![\w:?$-])LOAD\b", re.IGNORECASE)


def has_load(update: str) -> bool:
    """Whether an update has a LOAD operation, which makes the engine fetch a document by its IRI."""
    return _LOAD.search(mask(update)) is not None


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
