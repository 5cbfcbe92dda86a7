"""Find references to EU acts, Commission documents and Dutch papers in English and Dutch text.

Sources cite the Pact's acts in prose ("artikel 47, lid 1, van Verordening (EU) 2024/1348",
"Article 15(1)(a) of Regulation (EU) 2024/1358", "Kamerstukken II 2025/26, 36 871, nr. 5").
:func:`find_citations` turns each into a :class:`Citation` with the identifiers the graph
uses: the CELEX number, the ELI down to the article, paragraph and point cited, and the
officielebekendmakingen.nl id of a Dutch paper. :func:`resolve` then asks a predicate of the
caller's which of them the graph holds, so this module needs no store and no network.

Reading rules, and why:

* Act numbers: since 1 January 2015 every EU act is numbered ``(domain) YYYY/N``; before,
  regulations (and decisions with "No") were ``No N/YY(YY)`` and directives and decisions
  ``YY(YY)/N/domain`` (Interinstitutional style guide, 1.2.2 "Numbering of acts"). So a
  number behind "No"/"nr." is number/year, any other year/number, except where the first
  part cannot be a year (``Regulation 604/2013``). Two-digit years were used only until
  1998, so they are 19YY.
* Overlapping matches: the longest wins, so an article reference swallows the act it names,
  "Council Directive" the bare "Directive", and "Implementing Decision" the "Decision".
* What is not guessed: a bare CELEX number gets no ELI (a CELEX does not say whether a
  regulation or decision is implementing or delegated, and their ELIs differ), and
  ``COM(…)`` references get the CELEX of a non-legislative COM document (``DC``), since a
  reference alone does not tell a legislative proposal (``PC``) apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

from .identifiers import (
    CELEX_PATTERN,
    COMMISSION_DOCUMENT_PATTERN,
    ELI_ACT_TYPES,
    KAMERSTUK_ID_PATTERN,
    OJ_REFERENCE_PATTERN,
    STAATSBLAD_CITATION_PATTERN,
    STAATSBLAD_ID_PATTERN,
    Celex,
    Eli,
    IdentifierError,
    Kamerstuk,
    com_to_celex,
    eli_to_celex,
    parse_celex,
    parse_commission_document,
    parse_eli,
    parse_kamerstuk,
    parse_oj_reference,
    parse_staatsblad,
)


class CitationKind(StrEnum):
    """What a citation refers to; the values are what reports and the graph show."""

    REGULATION = "regulation"
    IMPLEMENTING_REGULATION = "implementing-regulation"
    DELEGATED_REGULATION = "delegated-regulation"
    DIRECTIVE = "directive"
    IMPLEMENTING_DIRECTIVE = "implementing-directive"
    DELEGATED_DIRECTIVE = "delegated-directive"
    DECISION = "decision"
    IMPLEMENTING_DECISION = "implementing-decision"
    DELEGATED_DECISION = "delegated-decision"
    INTERNATIONAL_AGREEMENT = "international-agreement"
    CONSOLIDATED_VERSION = "consolidated-version"
    EU_DOCUMENT = "eu-document"
    COMMISSION_DOCUMENT = "commission-document"
    OJ_REFERENCE = "oj-reference"
    KAMERSTUK = "kamerstuk"
    KAMERSTUK_DOSSIER = "kamerstuk-dossier"
    STAATSBLAD = "staatsblad"
    PARLIAMENTARY_CASE = "parliamentary-case"
    COMMITMENT = "commitment"


@dataclass(frozen=True)
class Citation:
    """One reference found in a text.

    ``span`` slices ``text`` out of the searched string. ``celex`` and ``eli`` are set where
    the reference determines them; ``eli`` names the article, paragraph or point when one is
    cited. ``reference`` holds the id of what has no CELEX: ``kst-32317-973`` for a
    Kamerstuk, the bare dossier number (``36871``) for a dossier, ``stb-2000-495``, or the
    normalised OJ reference. ``known`` is ``None`` until :func:`resolve` fills it in.
    """

    span: tuple[int, int]
    text: str
    kind: CitationKind
    celex: str | None = None
    eli: str | None = None
    reference: str | None = None
    known: bool | None = None

    @property
    def iri(self) -> str | None:
        """The IRI the graph would hold for this citation: the ELI, else the Cellar resource."""
        if self.eli is not None:
            return self.eli
        if self.celex is not None:
            return parse_celex(self.celex).cellar_iri
        return None


# ── act names ───────────────────────────────────────────────────────────────────────────

#: The name of an act in English and Dutch, lower case, by its ELI type.
ACT_NAMES: Final[dict[str, str]] = {
    "regulation": "reg",
    "implementing regulation": "reg_impl",
    "delegated regulation": "reg_del",
    "directive": "dir",
    "implementing directive": "dir_impl",
    "delegated directive": "dir_del",
    "decision": "dec",
    "implementing decision": "dec_impl",
    "delegated decision": "dec_del",
    "verordening": "reg",
    "uitvoeringsverordening": "reg_impl",
    "gedelegeerde verordening": "reg_del",
    "richtlijn": "dir",
    "uitvoeringsrichtlijn": "dir_impl",
    "gedelegeerde richtlijn": "dir_del",
    "besluit": "dec",
    "uitvoeringsbesluit": "dec_impl",
    "gedelegeerd besluit": "dec_del",
}

_KIND_OF_ELI_TYPE: Final[dict[str, CitationKind]] = {
    "reg": CitationKind.REGULATION,
    "reg_impl": CitationKind.IMPLEMENTING_REGULATION,
    "reg_del": CitationKind.DELEGATED_REGULATION,
    "dir": CitationKind.DIRECTIVE,
    "dir_impl": CitationKind.IMPLEMENTING_DIRECTIVE,
    "dir_del": CitationKind.DELEGATED_DIRECTIVE,
    "dec": CitationKind.DECISION,
    "dec_impl": CitationKind.IMPLEMENTING_DECISION,
    "dec_del": CitationKind.DELEGATED_DECISION,
}
_KIND_OF_DESCRIPTOR: Final[dict[str, CitationKind]] = {
    "R": CitationKind.REGULATION,
    "L": CitationKind.DIRECTIVE,
    "D": CitationKind.DECISION,
}

#: "eerste lid" is paragraph 1: Dutch legal prose counts paragraphs in ordinals.
DUTCH_ORDINALS: Final[dict[str, int]] = {
    word: number
    for number, word in enumerate(
        ("eerste tweede derde vierde vijfde zesde zevende achtste negende tiende elfde twaalfde "
         "dertiende veertiende vijftiende zestiende zeventiende achttiende negentiende twintigste").split(),
        start=1,
    )
}

# ── patterns ────────────────────────────────────────────────────────────────────────────


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of *words*, longest first so that "uitvoeringsbesluit" beats "besluit"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_DOMAINS: Final = r"EU|EC|EEC|EG|EEG|EU,\s?Euratom|Euratom|CFSP|GBVB|JHA|JBZ"

# "Council Directive 2001/55/EC", "Regulation (EU) No 604/2013", "Verordening (EU) nr.
# 604/2013", "Richtlijn 2013/32/EU", "Uitvoeringsbesluit (EU) 2024/2150".
_ACT: Final = rf"""
    (?P<author>(?:Council|Commission)\s+)?
    \b(?P<act_name>{_alternatives(ACT_NAMES)})
    \s+(?:\((?:{_DOMAINS})\)\s+)?
    (?:(?P<no>No\.?|nr\.?)\s*)?
    (?P<first>\d{{1,4}})/(?P<second>\d{{1,4}})(?:/(?:{_DOMAINS}))?
    (?![\w/])
"""
ACT_CITATION: Final = re.compile(_ACT, re.IGNORECASE | re.VERBOSE)

# "Article 15(1)(a) of Regulation (EU) 2024/1358"
ENGLISH_ARTICLE_CITATION: Final = re.compile(
    rf"""
    \bArticle\s+(?P<article>\d+)
    (?:\((?P<paragraph>\d+)\))?
    (?:\((?P<point>[a-z]{{1,2}})\))?
    \s+of\s+(?:the\s+)?
    {_ACT}
    """,
    re.IGNORECASE | re.VERBOSE,
)

# "artikel 47, lid 1, van Verordening (EU) 2024/1348", "artikel 47, eerste lid, onder a, van …"
DUTCH_ARTICLE_CITATION: Final = re.compile(
    rf"""
    \bartikel\s+(?P<article>\d+)
    (?:,?\s+(?:lid\s+(?P<paragraph>\d+)|(?P<ordinal>{_alternatives(DUTCH_ORDINALS)})\s+lid))?
    (?:,?\s+(?:onder|punt)\s+(?P<point>[a-z]{{1,2}})\b)?
    ,?\s+van\s+(?:de\s+|het\s+)?
    {_ACT}
    """,
    re.IGNORECASE | re.VERBOSE,
)

COMMISSION_DOCUMENT_CITATION: Final = re.compile(
    rf"(?<![\w/]){COMMISSION_DOCUMENT_PATTERN.pattern}(?![\w/])"
)

# "Kamerstukken II 2025/26, 36 871, nr. 5", "Kamerstukken 32317, nr. 973", "Kamerstuk
# 36 871" (a dossier), "Kamerstukken I 2026/26, 36 871/35 612, N" (a lettered paper of the
# Eerste Kamer, filed in two dossiers).
_SPACED_DOSSIER: Final = r"\d{1,2}\s?\d{3}(?:-\d{2})?"
KAMERSTUK_CITATION: Final = re.compile(
    rf"""
    \b(?:Kamerstuk(?:ken)?|KST)
    (?:\s(?P<chamber>II|I)\b)?
    (?:\s(?P<session>\d{{4}}/\d{{2}}(?:\d{{2}})?))?
    ,?\s(?P<dossiers>{_SPACED_DOSSIER}(?:/{_SPACED_DOSSIER})*)(?!\d)
    (?:[\s-](?P<chapter>[IVXLC]+|[A-Z])(?=,|\s+nr\b))?
    (?:,?\s+nr\.?\s*(?P<number>\d{{1,5}}[a-z]?)(?!\w)|,\s(?P<letter>[A-Z])(?!\w))?
    """,
    re.VERBOSE,
)
KAMERSTUK_ID: Final = re.compile(rf"(?<![\w-]){KAMERSTUK_ID_PATTERN.pattern}(?![\w-])")
# "(nr. 19 637, 3193)": a footnote's short form of Kamerstuk 19 637, nr. 3193 (in brackets only:
# bare, "nr." and two numbers say too little).
KAMERSTUK_SHORT_CITATION: Final = re.compile(r"(?<=\()nr\.\s(?P<dossier>\d{2}\s?\d{3}),\s(?P<number>\d{1,5})(?=\))")
# A Tweede Kamer case ("zaak") number, "2024Z03504", and a minister's recorded commitment
# ("toezegging"), "TZ202403-087": the Tweede Kamer's own identifiers.
PARLIAMENTARY_CASE_CITATION: Final = re.compile(r"(?<![\w-])(?P<year>20\d{2})Z(?P<number>\d{5})(?![\w-])")
COMMITMENT_CITATION: Final = re.compile(r"(?<![\w-])TZ(?P<year>20\d{2})(?P<month>0[1-9]|1[0-2])-(?P<number>\d{3})(?![\w-])")
STAATSBLAD_ID: Final = re.compile(rf"(?<![\w-]){STAATSBLAD_ID_PATTERN.pattern}(?![\w-])")
STAATSBLAD_CITATION: Final = re.compile(rf"(?<![\w-]){STAATSBLAD_CITATION_PATTERN.pattern}(?!\d)")
OJ_CITATION: Final = re.compile(rf"(?<!\w){OJ_REFERENCE_PATTERN.pattern}(?!\w)", OJ_REFERENCE_PATTERN.flags)
# A CELEX number written out, with or without "CELEX:" in front.
CELEX_CITATION: Final = re.compile(
    rf"(?<![\w/(])(?P<prefix>CELEX:\s?)?(?P<celex>{CELEX_PATTERN.pattern})(?![\w(/])", CELEX_PATTERN.flags
)
# Sectors whose bare numbers are specific enough to be read without "CELEX:" in front.
_BARE_CELEX_SECTORS: Final = frozenset("035")
ELI_CITATION: Final = re.compile(r"https?://(?:data|eur-lex)\.europa\.eu/eli/[^\s<>\"'()]*(?:\(\d+\)[^\s<>\"'()]*)*")


# ── finders ─────────────────────────────────────────────────────────────────────────────


def find_citations(text: str) -> list[Citation]:
    """Every reference in *text*, in order; where references overlap, only the longest.

    Never raises on any text: a match whose identifiers do not come out well formed is kept
    without them (an act) or dropped (an identifier written out).
    """
    candidates = [
        citation
        for finder in _FINDERS
        for citation in finder(text)
    ]
    return _longest_first(candidates)


def resolve(citations: Iterable[Citation], known: Callable[[str], bool]) -> list[Citation]:
    """The citations with ``known`` set by *known*, the caller's test of an IRI against the graph.

    The IRI tested is :attr:`Citation.iri` (the ELI, else the Cellar resource of the CELEX);
    citations without one (Dutch papers) keep ``known=None``.
    """
    return [replace(c, known=known(iri)) if (iri := c.iri) is not None else c for c in citations]


def _longest_first(candidates: list[Citation]) -> list[Citation]:
    """Keep the longest of overlapping citations (the earlier one of equal length)."""
    chosen: list[Citation] = []
    for candidate in sorted(candidates, key=lambda c: (c.span[0] - c.span[1], c.span[0])):
        start, end = candidate.span
        if all(end <= other.span[0] or start >= other.span[1] for other in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.span)


def _citation(match: re.Match[str], kind: CitationKind, **identifiers: str | None) -> Citation:
    return Citation(span=match.span(), text=match.group(), kind=kind, **identifiers)


def _acts(text: str) -> Iterator[Citation]:
    for match in ACT_CITATION.finditer(text):
        yield _act_citation(match, None)


def _english_articles(text: str) -> Iterator[Citation]:
    for match in ENGLISH_ARTICLE_CITATION.finditer(text):
        yield _act_citation(match, (match["article"], match["paragraph"], match["point"]))


def _dutch_articles(text: str) -> Iterator[Citation]:
    for match in DUTCH_ARTICLE_CITATION.finditer(text):
        paragraph = match["paragraph"]
        if match["ordinal"]:
            paragraph = str(DUTCH_ORDINALS[match["ordinal"].lower()])
        yield _act_citation(match, (match["article"], paragraph, match["point"]))


def _act_citation(match: re.Match[str], part: tuple[str, str | None, str | None] | None) -> Citation:
    """The citation of an act, or of the article (paragraph, point) *part* of it."""
    eli_type = ACT_NAMES[" ".join(match["act_name"].lower().split())]
    kind = _KIND_OF_ELI_TYPE[eli_type]
    try:
        year, number = _year_and_number(match["first"], match["second"], numbered=bool(match["no"]))
        eli = Eli(eli_type, year, str(number))
        celex = eli_to_celex(eli)
        if part is not None:
            article, paragraph, point = part
            eli = eli.article(int(article))
            if paragraph:
                eli = eli.paragraph(int(paragraph))
            if point:
                eli = eli.point(point.lower())
    except IdentifierError:
        return _citation(match, kind)
    return _citation(match, kind, celex=str(celex), eli=str(eli))


def _year_and_number(first: str, second: str, *, numbered: bool) -> tuple[int, int]:
    """Which of ``first/second`` is the year (see the module docstring)."""
    if numbered or (not _could_be_year(first) and _could_be_year(second)):
        number, year = first, second
    else:
        year, number = first, second
    full_year = 1900 + int(year) if len(year) == 2 else int(year)
    return full_year, int(number)


def _could_be_year(digits: str) -> bool:
    return len(digits) == 2 or (len(digits) == 4 and 1950 <= int(digits) <= 2099)


def _commission_documents(text: str) -> Iterator[Citation]:
    for match in COMMISSION_DOCUMENT_CITATION.finditer(text):
        try:
            celex = str(com_to_celex(parse_commission_document(match.group())))
        except IdentifierError:
            continue
        yield _citation(match, CitationKind.COMMISSION_DOCUMENT, celex=celex)


def _kamerstukken(text: str) -> Iterator[Citation]:
    for match in KAMERSTUK_CITATION.finditer(text):
        dossiers = [re.sub(r"\s", "", d) for d in match["dossiers"].split("/")]
        number = match["number"] or match["letter"]
        if number is None:
            dossier = dossiers[0] + (f"-{match['chapter']}" if match["chapter"] else "")
            yield _citation(match, CitationKind.KAMERSTUK_DOSSIER, reference=dossier)
            continue
        try:
            paper = Kamerstuk(
                dossiers[0], number, chapter=match["chapter"],
                chamber=match["chamber"] or ("I" if number.isalpha() else None),
                session=match["session"], joint_dossiers=tuple(dossiers[1:]),
            )
        except IdentifierError:
            continue
        yield _citation(match, CitationKind.KAMERSTUK, reference=paper.identifier)
    for match in KAMERSTUK_ID.finditer(text):
        try:
            paper = parse_kamerstuk(match.group())
        except IdentifierError:
            continue
        yield _citation(match, CitationKind.KAMERSTUK, reference=paper.identifier)


def _short_kamerstukken(text: str) -> Iterator[Citation]:
    for match in KAMERSTUK_SHORT_CITATION.finditer(text):
        try:
            paper = Kamerstuk(re.sub(r"\s", "", match["dossier"]), match["number"])
        except IdentifierError:
            continue
        yield _citation(match, CitationKind.KAMERSTUK, reference=paper.identifier)


def _parliamentary_identifiers(text: str) -> Iterator[Citation]:
    for match in PARLIAMENTARY_CASE_CITATION.finditer(text):
        yield _citation(match, CitationKind.PARLIAMENTARY_CASE, reference=match.group())
    for match in COMMITMENT_CITATION.finditer(text):
        yield _citation(match, CitationKind.COMMITMENT, reference=match.group())


def _staatsblad(text: str) -> Iterator[Citation]:
    for match in (*STAATSBLAD_ID.finditer(text), *STAATSBLAD_CITATION.finditer(text)):
        try:
            publication = parse_staatsblad(match.group())
        except IdentifierError:
            continue
        yield _citation(match, CitationKind.STAATSBLAD, reference=publication.identifier)


def _oj_references(text: str) -> Iterator[Citation]:
    for match in OJ_CITATION.finditer(text):
        try:
            reference = parse_oj_reference(match.group())
        except IdentifierError:
            continue
        yield _citation(match, CitationKind.OJ_REFERENCE, reference=str(reference))


def _celex_numbers(text: str) -> Iterator[Citation]:
    for match in CELEX_CITATION.finditer(text):
        try:
            celex = parse_celex(match["celex"])
        except IdentifierError:
            continue
        if match["prefix"] or celex.sector in _BARE_CELEX_SECTORS:
            yield _citation(match, _kind_of_celex(celex), celex=str(celex))


def _kind_of_celex(celex: Celex) -> CitationKind:
    if celex.sector == "3" and celex.descriptor in _KIND_OF_DESCRIPTOR:
        return _KIND_OF_DESCRIPTOR[celex.descriptor]
    if celex.sector == "5" and celex.descriptor in ("DC", "PC", "SC", "JC"):
        return CitationKind.COMMISSION_DOCUMENT
    if celex.sector == "0":
        return CitationKind.CONSOLIDATED_VERSION
    return CitationKind.EU_DOCUMENT


def _elis(text: str) -> Iterator[Citation]:
    for match in ELI_CITATION.finditer(text):
        iri = match.group().rstrip(".,;:")
        try:
            eli = parse_eli(iri)
        except IdentifierError:
            continue
        if eli.type in ELI_ACT_TYPES:
            kind = _KIND_OF_ELI_TYPE[eli.type]
            celex: str | None = str(eli_to_celex(eli.act))
        else:
            kind, celex = CitationKind.INTERNATIONAL_AGREEMENT, None
        start = match.start()
        yield Citation(span=(start, start + len(iri)), text=iri, kind=kind, celex=celex, eli=str(eli))


_FINDERS: Final[tuple[Callable[[str], Iterable[Citation]], ...]] = (
    _acts,
    _english_articles,
    _dutch_articles,
    _commission_documents,
    _kamerstukken,
    _short_kamerstukken,
    _parliamentary_identifiers,
    _staatsblad,
    _oj_references,
    _celex_numbers,
    _elis,
)
