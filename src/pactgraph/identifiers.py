"""Identifiers of EU and Dutch legal documents: parse them, check them, convert between them.

The graph joins the Publications Office's Cellar and the Dutch official publications through
identifiers, so a malformed one is a broken link that no query will ever report. Every
identifier here is therefore a frozen dataclass that can only be built valid: parsing a
string and calling the constructor run the same checks, and ``str()`` gives the canonical
form back (``str(parse_celex(x)) == x`` for every canonical ``x``).

Covered, with the rule each follows and where it was checked:

* CELEX numbers of all twelve sectors (EUR-Lex, "CELEX number" help page and "Types of
  documents in EUR-Lex"): :class:`Celex`, :func:`parse_celex`.
* ELI IRIs of EU acts (Publications Office, "URI Templates for European Union legislation",
  publications.europa.eu/mdr/eli/documentation/uri_templates.html): :class:`Eli`,
  :func:`parse_eli`; :func:`celex_to_eli` and :func:`eli_to_celex` between the two.
* Commission documents ``COM/SWD/JOIN(YYYY) N final``: :class:`CommissionDocument`,
  :func:`com_to_celex`, :func:`celex_to_commission_document`.
* Official Journal references, old (issue and page) and new (act-by-act, since
  1 October 2023) style: :class:`OjReference`.
* Dutch parliamentary papers, Staatsblad publications, BWB ids and Tweede Kamer document
  and case numbers: :class:`Kamerstuk`, :class:`Staatsblad`, :class:`BwbId`,
  :class:`TweedeKamerNumber`.

Everything here is pure: no network, no graph. Whether an identifier names something that
exists is for the caller to ask. The ``*_PATTERN`` constants are public because
:mod:`pactgraph.citations` searches running text with the same grammar.

Where a rule rests on observed identifiers rather than on a specification, the comment next
to it says so (5-digit CELEX numbers of OJ C documents, the ELI sequence number ``70(1)``
for CELEX ``(01)``, 5-digit Tweede Kamer numbers, the filing of joint Kamerstukken).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Final
from urllib.parse import quote

# ── errors ──────────────────────────────────────────────────────────────────────────────


class IdentifierError(ValueError):
    """A text is not a well-formed identifier of the kind asked for.

    The message says what is wrong and what was expected, so that it can be shown to the
    person who typed the identifier as it is.
    """


class CelexError(IdentifierError):
    """A malformed CELEX number."""


class EliError(IdentifierError):
    """A malformed ELI, or one of a kind this module does not model."""


class DocumentReferenceError(IdentifierError):
    """A malformed COM/SWD/JOIN reference or Official Journal reference."""


class DutchReferenceError(IdentifierError):
    """A malformed Kamerstuk, Staatsblad, BWB or Tweede Kamer number."""


class ConversionError(IdentifierError):
    """An identifier is well formed but has no counterpart in the scheme asked for."""


def _fail(error: type[IdentifierError], text: object, problem: str, expected: str) -> IdentifierError:
    """One message shape for every error: the input, what is wrong, what would be right."""
    return error(f"{text!r}: {problem}; expected {expected}")


# ── CELEX ───────────────────────────────────────────────────────────────────────────────

#: The sectors of EUR-Lex, by their CELEX character (EUR-Lex help, "CELEX number").
CELEX_SECTORS: Final[dict[str, str]] = {
    "1": "treaties",
    "2": "international agreements",
    "3": "legislation",
    "4": "complementary legislation",
    "5": "preparatory acts",
    "6": "case-law",
    "7": "national transposition measures",
    "8": "references to national case-law concerning EU law",
    "9": "parliamentary questions",
    "0": "consolidated texts",
    "C": "other documents published in the OJ C series",
    "E": "EFTA documents",
}

#: "All documents (except from sectors 0 and 7) may have one or more corrigenda"
#: (EUR-Lex, "Types of documents in EUR-Lex").
_SECTORS_WITHOUT_CORRIGENDA: Final = frozenset("07")

# The document number after the descriptor, per sector. "Most CELEX numbers end in 4
# digits"; the exceptions below are the ones documented or observed:
# * sector 1: treaty articles are 3 digits (11957E086), whole treaties "/TXT"
#   (12012E/TXT, EUR-Lex help);
# * sector 2: a publication date MMDD (22006A1230(03), EUR-Lex help) – still 4 digits;
# * sectors 3 and 5 (and 0, which consolidates sector 3): documents of the act-by-act OJ C
#   series since October 2023 carry 5 digits (52026XG01640, for OJ C/2026/1640);
# * sector 9: written questions have 6 digits since 1999 or so (92001E000119), 4 before
#   (91993E1112);
# * sector C: no descriptor; OJ C issue (with the supplement letter of the C … A, C … E and
#   C … I series) and the notice number: C2022/114A/01, after the notice number
#   "2010/C 2/08" of the Interinstitutional style guide (section 1.3.2).
_CELEX_NUMBER_RULES: Final[dict[str, re.Pattern[str]]] = {
    "1": re.compile(r"\d{3}|/TXT"),
    "2": re.compile(r"\d{4}"),
    "3": re.compile(r"\d{4,5}"),
    "4": re.compile(r"\d{4}"),
    "5": re.compile(r"\d{4,5}"),
    "6": re.compile(r"\d{4}"),
    "7": re.compile(r"\d{4,5}"),
    "8": re.compile(r"\d{4}"),
    "9": re.compile(r"\d{4}|\d{6}"),
    "0": re.compile(r"\d{4,5}"),
    "C": re.compile(r"\d{1,3}[AEI]?/\d{2}"),
    "E": re.compile(r"\d{4}"),
}

_CELEX_DESCRIPTOR: Final = re.compile(r"[A-Z]{1,2}")
_TWO_DIGITS: Final = re.compile(r"\d{2}")
_MEMBER_STATE: Final = re.compile(r"[A-Z]{3}")
_MEASURE: Final = re.compile(r"\d+")

# The whole CELEX number. Sector 7 adds the notifying Member State (ISO 3166-1 alpha-3)
# and the measure's number behind an underscore (72016L0680CZE_225030: EUR-Lex
# "National transposition" help, and the numbers Cellar returns). A plain "(NN)" is the
# sequence number of documents that share a number or a publication date (22006A1230(03),
# 32008D0070(01)); "R(NN)" is a corrigendum; "-YYYYMMDD" dates a consolidated version.
CELEX_PATTERN: Final = re.compile(
    r"""
    (?P<sector>[0-9CE])
    (?P<year>\d{4})
    (?:
        /(?P<oj_c_number>\d{1,3}[AEI]?/\d{2})          # sector C: /issue/notice
      | (?P<descriptor>[A-Z]{1,2})
        (?P<number>/TXT|\d{3,6})
        (?:(?P<member_state>[A-Z]{3})_(?P<measure>\d+))?  # sector 7
    )
    (?:\((?P<sequence>\d{2})\))?
    (?:R\((?P<corrigendum>\d{2})\))?
    (?:-(?P<consolidated>\d{8}))?
    """,
    re.VERBOSE,
)

CELLAR_CELEX_BASE: Final = "http://publications.europa.eu/resource/celex/"


@dataclass(frozen=True)
class Celex:
    """A CELEX number, the language-independent id of a document in EUR-Lex.

    ``number`` is kept as written (``"0086"``, ``"086"``, ``"/TXT"``, ``"114A/01"``) because
    its width is part of the identifier. ``sequence`` is the ``(NN)`` that tells apart
    documents sharing a number or a date; ``corrigendum`` the NN of ``R(NN)``.
    ``consolidation_date`` is set only in sector 0, ``member_state`` and ``measure`` only
    in sector 7. Building one with inconsistent fields raises :class:`CelexError`.
    """

    sector: str
    year: int
    descriptor: str
    number: str
    sequence: str | None = None
    corrigendum: str | None = None
    consolidation_date: date | None = None
    member_state: str | None = None
    measure: str | None = None

    def __post_init__(self) -> None:
        _check_celex(self)

    def __str__(self) -> str:
        if self.sector == "C":
            text = f"C{self.year:04d}/{self.number}"
        else:
            text = f"{self.sector}{self.year:04d}{self.descriptor}{self.number}"
        if self.member_state is not None:
            text += f"{self.member_state}_{self.measure}"
        if self.sequence is not None:
            text += f"({self.sequence})"
        if self.corrigendum is not None:
            text += f"R({self.corrigendum})"
        if self.consolidation_date is not None:
            text += f"-{self.consolidation_date:%Y%m%d}"
        return text

    @property
    def cellar_iri(self) -> str:
        """The Cellar resource of this CELEX number.

        Cellar's own RDF names these resources with the CELEX percent-encoded, parentheses
        and slashes included (``…/celex/32021R0168R%2801%29``, ``11997D%2FTXTR%2801%29``),
        and a request with literal parentheses is reported to fail, so every character
        outside the unreserved set is encoded here.
        """
        return CELLAR_CELEX_BASE + quote(str(self), safe="")

    @property
    def base_act(self) -> Celex:
        """The sector 3 act that a consolidated version (0) or a transposition measure (7) is of.

        The consolidated number repeats the base act's number behind sector ``0``
        (02024R1358-20240522 consolidates 32024R1358); a transposition measure repeats it
        behind sector ``7``. Raises :class:`ConversionError` for other sectors.
        """
        if self.sector not in ("0", "7"):
            raise _fail(ConversionError, str(self), "only sectors 0 and 7 refer to a base act",
                        "a consolidated version (0…) or a transposition measure (7…)")
        return Celex("3", self.year, self.descriptor, self.number, sequence=self.sequence)

    def consolidated(self, on: date) -> Celex:
        """The CELEX of this sector 3 act's consolidated version of date *on*."""
        if self.sector != "3" or self.corrigendum is not None:
            raise _fail(ConversionError, str(self), "only sector 3 acts are consolidated",
                        "a CELEX such as 32024R1358")
        return Celex("0", self.year, self.descriptor, self.number, sequence=self.sequence,
                     consolidation_date=on)


def _check_celex(celex: Celex) -> None:
    """Reject a CELEX whose parts do not fit its sector (see ``_CELEX_NUMBER_RULES``)."""
    text = _celex_sketch(celex)
    if celex.sector not in CELEX_SECTORS:
        raise _fail(CelexError, text, f"unknown sector {celex.sector!r}",
                    f"one of {', '.join(CELEX_SECTORS)}")
    if not 0 <= celex.year <= 9999:
        raise _fail(CelexError, text, "the year has not 4 digits", "a year such as 2024")
    if celex.sector == "C":
        if celex.descriptor:
            raise _fail(CelexError, text, "sector C has no descriptor",
                        "C, the year, then /issue/notice, as in C2022/114A/01")
    elif not _CELEX_DESCRIPTOR.fullmatch(celex.descriptor):
        raise _fail(CelexError, text, f"descriptor {celex.descriptor!r} is not 1 or 2 capitals",
                    "a descriptor such as R, L, D, DC or CJ")
    if not _CELEX_NUMBER_RULES[celex.sector].fullmatch(celex.number):
        raise _fail(CelexError, text, f"number {celex.number!r} does not fit sector {celex.sector}",
                    _CELEX_NUMBER_EXAMPLES[celex.sector])
    for name in ("sequence", "corrigendum"):
        value = getattr(celex, name)
        if value is not None and not _TWO_DIGITS.fullmatch(value):
            raise _fail(CelexError, text, f"{name} {value!r} is not two digits", "01 to 99")
    if celex.corrigendum is not None and celex.sector in _SECTORS_WITHOUT_CORRIGENDA:
        raise _fail(CelexError, text, f"sector {celex.sector} has no corrigenda",
                    "a corrigendum suffix R(NN) only outside sectors 0 and 7")
    if (celex.consolidation_date is not None) != (celex.sector == "0"):
        raise _fail(CelexError, text, "a consolidated version needs sector 0 and a date",
                    "0, the base act's number, then -YYYYMMDD, as in 02024R1358-20240522")
    is_measure = celex.member_state is not None or celex.measure is not None
    if is_measure != (celex.sector == "7"):
        raise _fail(CelexError, text, "a transposition measure needs sector 7, a Member State and a number",
                    "7, the directive's number, the ISO alpha-3 code, _ and a number, "
                    "as in 72016L0680CZE_225030")
    if is_measure and not (
        _MEMBER_STATE.fullmatch(celex.member_state or "") and _MEASURE.fullmatch(celex.measure or "")
    ):
        raise _fail(CelexError, text, "the Member State or the measure number is malformed",
                    "three capitals, _ and digits, as in CZE_225030")


def _celex_sketch(celex: Celex) -> str:
    """The CELEX as far as it can be written, for an error message about it."""
    try:
        return str(celex)
    except (TypeError, ValueError):
        return f"{celex.sector}{celex.year}{celex.descriptor}{celex.number}"


_CELEX_NUMBER_EXAMPLES: Final[dict[str, str]] = {
    "1": "3 digits for a treaty article or /TXT, as in 11957E086 or 12012E/TXT",
    "2": "4 digits (a date MMDD), as in 22006A1230(03)",
    "3": "4 digits (5 for OJ C documents since 2023), as in 32024R1356",
    "4": "4 digits, as in 42000A0922(01)",
    "5": "4 digits (5 for OJ C documents since 2023), as in 52025DC0795",
    "6": "4 digits, as in 62004TJ0201",
    "7": "4 digits, as in 72016L0680CZE_225030",
    "8": "4 digits, as in 82014DK1114(51)",
    "9": "4 or 6 digits, as in 92001E000119",
    "0": "the base act's 4 digits, as in 02024R1358-20240522",
    "C": "the OJ C issue and notice number, as in C2022/114A/01",
    "E": "4 digits, as in E2022C0029",
}


def parse_celex(text: str) -> Celex:
    """Read a CELEX number such as ``32024R1356R(01)`` or ``02024R1358-20240522``.

    The text must be the number alone, without ``CELEX:`` and without spaces. Raises
    :class:`CelexError` saying which part is wrong.
    """
    match = CELEX_PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(CelexError, text, "not a CELEX number",
                    "sector, 4-digit year, 1-2 letter descriptor and number, as in 32024R1356")
    parts = match.groupdict()
    consolidated = parts["consolidated"]
    return Celex(
        sector=parts["sector"],
        year=int(parts["year"]),
        descriptor=parts["descriptor"] or "",
        number=parts["number"] or parts["oj_c_number"] or "",
        sequence=parts["sequence"],
        corrigendum=parts["corrigendum"],
        consolidation_date=_compact_date(consolidated, text) if consolidated else None,
        member_state=parts["member_state"],
        measure=parts["measure"],
    )


def _compact_date(digits: str, text: str) -> date:
    """``20240522`` as a date, or a :class:`CelexError` naming the impossible date."""
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _fail(CelexError, text, f"{digits} is not a date", "-YYYYMMDD, as in -20240522") from None


# ── ELI ─────────────────────────────────────────────────────────────────────────────────

ELI_BASE: Final = "http://data.europa.eu/eli/"

#: Document types of the Publications Office's ELI templates for acts in the OJ L series
#: (uri_templates.html, items 1-3). ``dir`` is an alias of ``dir_impl``/``dir_del``.
ELI_ACT_TYPES: Final = frozenset(
    {"reg", "reg_impl", "reg_del", "dir", "dir_impl", "dir_del", "dec", "dec_impl", "dec_del"}
)
#: Types of international agreements (item 4). Their template has no ``/oj``.
ELI_AGREEMENT_TYPES: Final = frozenset(
    {"agree_internation", "agree_amend", "arrang", "convention", "declar", "exch_let",
     "memorandum_underst", "minutes", "agree_prot", "prot"}
)
ELI_TYPES: Final = ELI_ACT_TYPES | ELI_AGREEMENT_TYPES

#: Subdivisions as EUR-Lex writes them: ``art_6/par_1/pnt_a`` (Article 6(1)(a)), in this
#: order. Others (recitals, annexes) are not accepted until their ELI form is checked.
ELI_SUBDIVISIONS: Final[tuple[str, ...]] = ("art", "par", "pnt")
_SUBDIVISION_VALUE: Final[dict[str, re.Pattern[str]]] = {
    "art": re.compile(r"[1-9]\d*"),
    "par": re.compile(r"[1-9]\d*"),
    "pnt": re.compile(r"[a-z]{1,2}"),
}

# The natural number, with the sequence number in brackets where two acts share a number:
# http://data.europa.eu/eli/reg/1958/1(1)/oj, …/dec/2008/70(1)/oj. The templates mention a
# "seqnumber" without showing it; the pairing with CELEX 32008D0070(01) is observed, not specified.
_ELI_NUMBER: Final = re.compile(r"(?P<natural>[1-9]\d*)(?:\((?P<sequence>[1-9]\d?)\))?")
_ELI_LANGUAGE: Final = re.compile(r"[a-z]{3}")   # ISO 639-2/T, as in …/oj/eng
_ELI_FORMAT: Final = re.compile(r"[a-z][a-z0-9]*")  # as in …/oj/eng/pdf
_ISO_DATE: Final = r"\d{4}-\d{2}-\d{2}"

ELI_PATTERN: Final = re.compile(
    rf"""
    (?:https?://data\.europa\.eu|https?://eur-lex\.europa\.eu)/eli/
    (?P<type>[a-z_]+)/(?P<year>\d{{4}})/(?P<number>[^/]+)
    (?:
        /corrigendum/(?P<corrigendum>{_ISO_DATE})     # …/corrigendum/2025-11-25/oj
      | /(?P<point_in_time>{_ISO_DATE})               # consolidated: …/reg/2009/223/2024-12-26
      | (?P<subdivision>(?:/[a-z]+_[^/]+)*)           # …/art_15/par_1/pnt_a
    )
    (?P<oj>/oj)?
    (?:/(?P<language>[a-z]{{3}})(?:/(?P<format>[a-z][a-z0-9]*))?)?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Eli:
    """An ELI of an EU act, of a part of one, of a corrigendum or of a consolidated version.

    ``number`` is the natural number with its sequence number if any (``"1358"``,
    ``"70(1)"``). ``subdivision`` is a tuple of ``(kind, value)`` pairs, outermost first:
    ``(("art", "15"), ("par", "1"))``. ``oj`` says whether the IRI ends in the ``/oj``
    manifestation of the act as published; the base template of acts has it, international
    agreements have none, and ``…/dir/2000/31`` is an alias without it. ``language`` (ISO
    639-2/T, ``eng``) and ``format`` (``pdf``) follow ``/oj``.
    """

    type: str
    year: int
    number: str
    subdivision: tuple[tuple[str, str], ...] = ()
    corrigendum_date: date | None = None
    point_in_time: date | None = None
    oj: bool = True
    language: str | None = None
    format: str | None = None

    def __post_init__(self) -> None:
        _check_eli(self)

    def __str__(self) -> str:
        text = f"{ELI_BASE}{self.type}/{self.year:04d}/{self.number}"
        text += "".join(f"/{kind}_{value}" for kind, value in self.subdivision)
        if self.corrigendum_date is not None:
            text += f"/corrigendum/{self.corrigendum_date.isoformat()}"
        if self.point_in_time is not None:
            text += f"/{self.point_in_time.isoformat()}"
        if self.oj:
            text += "/oj"
        if self.language is not None:
            text += f"/{self.language}"
        if self.format is not None:
            text += f"/{self.format}"
        return text

    @property
    def act(self) -> Eli:
        """The ELI of the whole act as published, ``…/{type}/{year}/{number}/oj``."""
        return Eli(self.type, self.year, self.number, oj=self.type in ELI_ACT_TYPES)

    @property
    def natural_number(self) -> int:
        """The number without its sequence number: 70 for ``70(1)``."""
        return int(_ELI_NUMBER.fullmatch(self.number)["natural"])  # type: ignore[index]

    @property
    def sequence(self) -> int | None:
        """The sequence number in brackets, or ``None``."""
        value = _ELI_NUMBER.fullmatch(self.number)["sequence"]  # type: ignore[index]
        return int(value) if value else None

    def article(self, number: int | str) -> Eli:
        """The ELI of article *number* of this act: ``…/art_{number}/oj``."""
        return replace(self.act, subdivision=(("art", str(number)),))

    def paragraph(self, number: int | str) -> Eli:
        """The ELI of paragraph *number* of this article: ``…/art_15/par_{number}/oj``."""
        return self._below("par", str(number))

    def point(self, letter: str) -> Eli:
        """The ELI of point *letter* of this article or paragraph: ``…/pnt_{letter}/oj``."""
        return self._below("pnt", letter)

    def _below(self, kind: str, value: str) -> Eli:
        if not self.subdivision:
            raise _fail(EliError, str(self), f"a {kind} is part of an article", "the ELI of an article first")
        return replace(self, subdivision=(*self.subdivision, (kind, value)), language=None, format=None)


def _check_eli(eli: Eli) -> None:
    """Reject an ELI outside the Publications Office templates this module knows."""
    text = f"{eli.type}/{eli.year}/{eli.number}"
    if eli.type not in ELI_TYPES:
        raise _fail(EliError, text, f"unknown document type {eli.type!r}",
                    f"one of {', '.join(sorted(ELI_ACT_TYPES))} or an agreement type")
    if not 1000 <= eli.year <= 9999:
        raise _fail(EliError, text, "the year has not 4 digits", "a year such as 2024")
    if not _ELI_NUMBER.fullmatch(eli.number):
        raise _fail(EliError, text, f"number {eli.number!r} is malformed",
                    "the natural number without zeros in front, optionally with (n), as in 1358 or 70(1)")
    _check_subdivision(eli, text)
    variants = [eli.subdivision != (), eli.corrigendum_date is not None, eli.point_in_time is not None]
    if sum(variants) > 1:
        raise _fail(EliError, text, "subdivision, corrigendum and point in time exclude each other",
                    "at most one of …/art_N, …/corrigendum/DATE, …/DATE")
    if eli.type in ELI_AGREEMENT_TYPES and any(variants):
        raise _fail(EliError, text, "only the agreement itself has an ELI template",
                    "…/{type}/{year}/{number} for an international agreement")
    if eli.point_in_time is not None and (eli.oj or eli.language or eli.format):
        raise _fail(EliError, text, "a consolidated version has no /oj, language or format here",
                    "…/{type}/{year}/{number}/YYYY-MM-DD")
    if (eli.subdivision or eli.corrigendum_date is not None) and not eli.oj:
        raise _fail(EliError, text, "subdivisions and corrigenda end in /oj", "…/oj")
    if eli.format is not None and eli.language is None:
        raise _fail(EliError, text, "a format needs a language before it", "…/oj/eng/pdf")
    if (eli.language or eli.format) and not eli.oj:
        raise _fail(EliError, text, "language and format follow /oj", "…/oj/eng")
    if eli.language is not None and not _ELI_LANGUAGE.fullmatch(eli.language):
        raise _fail(EliError, text, f"language {eli.language!r} is not an ISO 639-2 code", "eng, nld, fra …")
    if eli.format is not None and not _ELI_FORMAT.fullmatch(eli.format):
        raise _fail(EliError, text, f"format {eli.format!r} is malformed", "a format such as pdf")


def _check_subdivision(eli: Eli, text: str) -> None:
    """``art`` first, then at most one ``par``, then at most one ``pnt``, each once."""
    kinds = [kind for kind, _ in eli.subdivision]
    order = [ELI_SUBDIVISIONS.index(k) if k in ELI_SUBDIVISIONS else -1 for k in kinds]
    if kinds and (kinds[0] != "art" or -1 in order or order != sorted(set(order))):
        raise _fail(EliError, text, f"subdivision {'/'.join(kinds)} is not art[/par][/pnt]",
                    "art_N, art_N/par_N, art_N/pnt_x or art_N/par_N/pnt_x")
    for kind, value in eli.subdivision:
        if not _SUBDIVISION_VALUE[kind].fullmatch(value):
            raise _fail(EliError, text, f"{kind}_{value} is malformed",
                        "art_15, par_1 (numbers) or pnt_a (letters)")


def parse_eli(iri: str) -> Eli:
    """Read an EU ELI IRI such as ``http://data.europa.eu/eli/reg/2024/1358/art_15/oj``.

    The ``https://eur-lex.europa.eu/eli/…`` alias is accepted too; ``str()`` of the result is
    always the canonical ``http://data.europa.eu/eli/…`` form. Raises :class:`EliError`.
    """
    match = ELI_PATTERN.fullmatch(iri) if isinstance(iri, str) else None
    if match is None:
        raise _fail(EliError, iri, "not an EU ELI",
                    "http://data.europa.eu/eli/{type}/{year}/{number}[/art_N…]/oj")
    parts = match.groupdict()
    subdivision = tuple(
        tuple(segment.split("_", 1)) for segment in (parts["subdivision"] or "").split("/") if segment
    )
    return Eli(
        type=parts["type"],
        year=int(parts["year"]),
        number=parts["number"],
        subdivision=subdivision,  # type: ignore[arg-type]
        corrigendum_date=_iso_date(parts["corrigendum"], iri),
        point_in_time=_iso_date(parts["point_in_time"], iri),
        oj=parts["oj"] is not None,
        language=parts["language"],
        format=parts["format"],
    )


def _iso_date(text: str | None, iri: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _fail(EliError, iri, f"{text} is not a date", "YYYY-MM-DD") from None


# ── CELEX ↔ ELI ─────────────────────────────────────────────────────────────────────────

#: The CELEX descriptor of sector 3 acts by ELI type. Implementing and delegated acts share
#: the descriptor of their kind, so the way back needs to be told (see celex_to_eli).
_DESCRIPTOR_OF_ELI_TYPE: Final[dict[str, str]] = {
    "reg": "R", "reg_impl": "R", "reg_del": "R",
    "dir": "L", "dir_impl": "L", "dir_del": "L",
    "dec": "D", "dec_impl": "D", "dec_del": "D",
}
_PLAIN_ELI_TYPE: Final[dict[str, str]] = {"R": "reg", "L": "dir", "D": "dec"}


def celex_to_eli(celex: Celex, *, type: str | None = None) -> Eli:
    """The ELI of a sector 3 regulation (R), directive (L) or decision (D).

    A CELEX number does not say whether an act is implementing or delegated: 32024D2150 is
    Commission *Implementing* Decision (EU) 2024/2150, whose ELI is ``dec_impl/2024/2150``.
    Without *type* the plain type is given (``reg``, ``dir``, ``dec``), which for a
    directive the Publications Office keeps as an alias but for regulations and decisions
    names a different IRI; pass ``type="dec_impl"`` (or another type of the same kind)
    when the act's title says it. A sequence number ``(01)`` becomes ``(1)``.

    Raises :class:`ConversionError` for other sectors and descriptors, for corrigenda (the
    ELI of a corrigendum needs its publication date, which the CELEX does not hold) and for
    a *type* of another kind than the descriptor.
    """
    if celex.sector != "3" or celex.descriptor not in _PLAIN_ELI_TYPE:
        raise _fail(ConversionError, str(celex), "only sector 3 regulations, directives and decisions have an ELI here",
                    "a CELEX such as 32024R1358, 32024L1346 or 32024D2150")
    if celex.corrigendum is not None:
        raise _fail(ConversionError, str(celex), "the ELI of a corrigendum needs its publication date",
                    "Eli(..., corrigendum_date=...) built from the act's ELI")
    eli_type = type or _PLAIN_ELI_TYPE[celex.descriptor]
    if _DESCRIPTOR_OF_ELI_TYPE.get(eli_type) != celex.descriptor:
        raise _fail(ConversionError, str(celex), f"type {eli_type!r} is not of descriptor {celex.descriptor}",
                    f"one of {', '.join(t for t, d in _DESCRIPTOR_OF_ELI_TYPE.items() if d == celex.descriptor)}")
    number = str(int(celex.number))
    if celex.sequence is not None:
        number += f"({int(celex.sequence)})"
    return Eli(eli_type, celex.year, number)


def eli_to_celex(eli: Eli) -> Celex:
    """The CELEX of the act an ELI names: reg* → R, dir* → L, dec* → D, number in 4 digits.

    Only whole acts: CELEX has no article level and its corrigendum numbers are not dates,
    so an ELI with a subdivision, a corrigendum or a point in time raises
    :class:`ConversionError` (use ``eli.act`` for the act of an article).
    """
    if eli.type not in _DESCRIPTOR_OF_ELI_TYPE:
        raise _fail(ConversionError, str(eli), f"type {eli.type} has no sector 3 CELEX here",
                    "a regulation, directive or decision")
    if eli.subdivision or eli.corrigendum_date or eli.point_in_time:
        raise _fail(ConversionError, str(eli), "CELEX numbers name whole acts",
                    "the ELI of the act (eli.act)")
    sequence = f"{eli.sequence:02d}" if eli.sequence is not None else None
    return Celex("3", eli.year, _DESCRIPTOR_OF_ELI_TYPE[eli.type], f"{eli.natural_number:04d}",
                 sequence=sequence)


# ── Commission documents ────────────────────────────────────────────────────────────────

#: CELEX descriptors of sector 5 by series (EUR-Lex, "CELEX number"): COM documents are DC,
#: or PC for legislative proposals; SWD documents SC; JOIN documents JC.
COMMISSION_DESCRIPTORS: Final[dict[str, tuple[str, ...]]] = {
    "COM": ("DC", "PC"),
    "SWD": ("SC",),
    "JOIN": ("JC",),
}
_SERIES_OF_DESCRIPTOR: Final = {d: s for s, ds in COMMISSION_DESCRIPTORS.items() for d in ds}

COMMISSION_DOCUMENT_PATTERN: Final = re.compile(
    r"(?P<series>COM|SWD|JOIN)\s*\((?P<year>\d{4})\)\s*(?P<number>\d{1,4})(?P<final>\s+final)?"
)


@dataclass(frozen=True)
class CommissionDocument:
    """A Commission document by its reference: ``COM(2025) 795 final``.

    ``final`` records whether the reference says so; the adopted version always does.
    """

    series: str
    year: int
    number: int
    final: bool = True

    def __post_init__(self) -> None:
        if self.series not in COMMISSION_DESCRIPTORS:
            raise _fail(DocumentReferenceError, self.series, "unknown series", "COM, SWD or JOIN")
        if not (1000 <= self.year <= 9999 and 1 <= self.number <= 9999):
            raise _fail(DocumentReferenceError, f"{self.series}({self.year}) {self.number}",
                        "year or number out of range", "a 4-digit year and a number of 1 to 4 digits")

    def __str__(self) -> str:
        return f"{self.series}({self.year}) {self.number}" + (" final" if self.final else "")


def parse_commission_document(text: str) -> CommissionDocument:
    """Read ``COM(2025) 795 final``, ``SWD(2024) 251 final`` or ``COM(2025)795``.

    Raises :class:`DocumentReferenceError`.
    """
    match = COMMISSION_DOCUMENT_PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(DocumentReferenceError, text, "not a Commission document reference",
                    "COM(YYYY) N final, SWD(YYYY) N final or JOIN(YYYY) N final")
    return CommissionDocument(match["series"], int(match["year"]), int(match["number"]),
                              final=match["final"] is not None)


def com_to_celex(document: CommissionDocument, kind: str | None = None) -> Celex:
    """The sector 5 CELEX of a Commission document: COM(2025) 795 final → 52025DC0795.

    A COM reference alone does not say whether the document is a legislative proposal
    (``PC``: COM(2016) 272 final is 52016PC0272) or another COM document such as a
    communication or a report (``DC``). *kind* chooses; it defaults to ``DC``, so a
    proposal needs ``kind="PC"``. SWD and JOIN have one descriptor each (SC, JC).
    Raises :class:`ConversionError` for a *kind* the series does not have.
    """
    allowed = COMMISSION_DESCRIPTORS[document.series]
    descriptor = kind or allowed[0]
    if descriptor not in allowed:
        raise _fail(ConversionError, str(document), f"{document.series} documents are not {descriptor}",
                    f"kind one of {', '.join(allowed)}")
    return Celex("5", document.year, descriptor, f"{document.number:04d}")


def celex_to_commission_document(celex: Celex) -> CommissionDocument:
    """The reference of a sector 5 DC, PC, SC or JC document: 52024SC0251 → SWD(2024) 251 final."""
    if celex.sector != "5" or celex.descriptor not in _SERIES_OF_DESCRIPTOR or len(celex.number) != 4:
        raise _fail(ConversionError, str(celex), "not the CELEX of a COM, SWD or JOIN document",
                    "a CELEX such as 52025DC0795, 52016PC0272, 52024SC0251 or 52020JC0005")
    return CommissionDocument(_SERIES_OF_DESCRIPTOR[celex.descriptor], celex.year, int(celex.number))


# ── Official Journal references ─────────────────────────────────────────────────────────

#: Since 1 October 2023 the OJ is published act by act; a reference is then the series,
#: the document number and the date, with no page (eucrim.eu, "New Publication Mode for the
#: EU Official Journal": "OJ L, 2023/2131, 11.10.2023").
ACT_BY_ACT_SINCE: Final = date(2023, 10, 1)

OJ_REFERENCE_PATTERN: Final = re.compile(
    r"""
    OJ\s(?P<series>[LC])
    (?:
        ,\s(?P<document>(?:C/)?\d{4}/\d{1,5})                    # new: OJ L, 2024/1351
      | \s(?P<issue>\d{1,4}(?:\s[AEI])?)                      # old: OJ L 180 / OJ C 137 A
    )
    ,\s(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})
    (?:,\sp\.\s(?P<page>\d{1,5}))?
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class OjReference:
    """A reference to the Official Journal.

    Old style (up to 30 September 2023): ``OJ L 180, 29.6.2013, p. 31``, with the issue
    number (and the supplement letter of the C … A, C … E, L … I series) and a page. New
    style: ``OJ L, 2024/1351, 22.5.2024``, where ``document`` is the act's own number.
    """

    series: str
    date: date
    issue: str | None = None
    document: str | None = None
    page: int | None = None

    def __post_init__(self) -> None:
        text = f"OJ {self.series}"
        if self.series not in ("L", "C"):
            raise _fail(DocumentReferenceError, text, "unknown series", "L or C")
        if (self.issue is None) == (self.document is None):
            raise _fail(DocumentReferenceError, text, "give either an issue (old style) or a document (new)",
                        "OJ L 180, 29.6.2013, p. 31 or OJ L, 2024/1351, 22.5.2024")
        if self.document is not None and self.page is not None:
            raise _fail(DocumentReferenceError, text, "act-by-act references have no page",
                        "OJ L, 2024/1351, 22.5.2024")

    def __str__(self) -> str:
        day = f"{self.date.day}.{self.date.month}.{self.date.year}"
        if self.document is not None:
            return f"OJ {self.series}, {self.document}, {day}"
        text = f"OJ {self.series} {self.issue}, {day}"
        return text + (f", p. {self.page}" if self.page is not None else "")


def parse_oj_reference(text: str) -> OjReference:
    """Read ``OJ L, 2024/1351, 22.5.2024`` or ``OJ L 180, 29.6.2013, p. 31``.

    Raises :class:`DocumentReferenceError`, also for a date that does not exist.
    """
    match = OJ_REFERENCE_PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(DocumentReferenceError, text, "not an Official Journal reference",
                    "OJ L, 2024/1351, 22.5.2024 or OJ L 180, 29.6.2013, p. 31")
    try:
        published = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise _fail(DocumentReferenceError, text, "the date does not exist", "D.M.YYYY") from None
    return OjReference(match["series"], published, issue=match["issue"], document=match["document"],
                       page=int(match["page"]) if match["page"] else None)


# ── Dutch parliamentary papers ──────────────────────────────────────────────────────────

# officielebekendmakingen.nl: kst-{dossier}[-{chapter}]-{ondernummer}. A dossier is 4 or 5
# digits, with a two-digit part for the standing EU series (kst-21501-02-3174); budget
# dossiers have a chapter, a roman numeral or letters (kst-36600-VII-1). The Tweede Kamer
# numbers its papers (kst-36871-5, also 188b); the Eerste Kamer letters them (kst-36067-K).
_DOSSIER: Final = r"\d{4,5}(?:-\d{2})?"
_CHAPTER: Final = r"[IVXLC]+|[A-Z]{1,2}"
_ONDERNUMMER: Final = r"\d{1,5}[a-z]?|[A-Z]{1,2}"
KAMERSTUK_ID_PATTERN: Final = re.compile(
    rf"kst-(?P<dossier>{_DOSSIER})(?:-(?P<chapter>{_CHAPTER}))?-(?P<number>{_ONDERNUMMER})"
)

# The citation of the Leidraad voor juridische auteurs: "Kamerstukken II 2025/26, 36 871,
# nr. 5"; the Eerste Kamer cites its lettered papers without "nr.": "Kamerstukken I
# 2025/26, 36 871, N". Dossiers are written with a space between thousands ("36 871") or
# without; papers filed in two dossiers name both ("36 871/35 612"). The session is read
# as written, not checked: a seed gives "2026/26".
_SPACED_DOSSIER: Final = r"\d{1,2}\s?\d{3}(?:-\d{2})?"
KAMERSTUK_CITATION_PATTERN: Final = re.compile(
    rf"""
    Kamerstuk(?:ken)?
    (?:\s(?P<chamber>II|I)\b)?
    (?:\s(?P<session>\d{{4}}/\d{{2}}(?:\d{{2}})?))?
    ,?\s(?P<dossiers>{_SPACED_DOSSIER}(?:/{_SPACED_DOSSIER})*)
    (?:[\s-](?P<chapter>[IVXLC]+|[A-Z]{{1,2}})(?=,))?
    ,\s(?:nr\.\s(?P<number>{_ONDERNUMMER})|(?P<letter>[A-Z]{{1,2}}))
    """,
    re.VERBOSE,
)
_DOSSIER_ONLY: Final = re.compile(_DOSSIER)
_SESSION: Final = re.compile(r"\d{4}/(?:\d{2}|\d{4})")


@dataclass(frozen=True)
class Kamerstuk:
    """A parliamentary paper (Kamerstuk): a dossier and the paper's number in it.

    ``chamber`` (``"I"`` Eerste Kamer, ``"II"`` Tweede Kamer) and ``session``
    (``"2025/26"``) come from a citation; the identifier does not hold them, except that a
    lettered paper is always of the Eerste Kamer. ``joint_dossiers`` are further dossiers a
    combined paper is filed in; the identifier uses the first dossier. That this is where
    officielebekendmakingen.nl files a combined paper is an assumption, not a checked rule.
    """

    dossier: str
    number: str
    chapter: str | None = None
    chamber: str | None = None
    session: str | None = None
    joint_dossiers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        text = f"{self.dossier}, {self.number}"
        for dossier in (self.dossier, *self.joint_dossiers):
            if not _DOSSIER_ONLY.fullmatch(dossier):
                raise _fail(DutchReferenceError, text, f"dossier {dossier!r} is malformed",
                            "4 or 5 digits, as in 36871 or 21501-02")
        if not re.fullmatch(_ONDERNUMMER, self.number):
            raise _fail(DutchReferenceError, text, f"paper number {self.number!r} is malformed",
                        "a number (5, 188b) or the Eerste Kamer's letters (N)")
        if self.chapter is not None and not re.fullmatch(_CHAPTER, self.chapter):
            raise _fail(DutchReferenceError, text, f"chapter {self.chapter!r} is malformed", "VII or A")
        if self.chamber not in (None, "I", "II"):
            raise _fail(DutchReferenceError, text, f"chamber {self.chamber!r} is unknown", "I or II")
        if self.number.isalpha() and self.chamber == "II":
            raise _fail(DutchReferenceError, text, "lettered papers are of the Eerste Kamer", "chamber I")
        if self.session is not None and not _SESSION.fullmatch(self.session):
            raise _fail(DutchReferenceError, text, f"session {self.session!r} is malformed", "2025/26")

    def __str__(self) -> str:
        return self.identifier

    @property
    def identifier(self) -> str:
        """The publication id on officielebekendmakingen.nl: ``kst-36871-5``."""
        chapter = f"-{self.chapter}" if self.chapter else ""
        return f"kst-{self.dossier}{chapter}-{self.number}"

    @property
    def citation(self) -> str:
        """The citation: ``Kamerstukken II 2025/26, 36 871, nr. 5`` (``…, N`` for letters)."""
        head = "Kamerstukken" + "".join(f" {part}" for part in (self.chamber, self.session) if part)
        dossiers = "/".join(_spaced(d) for d in (self.dossier, *self.joint_dossiers))
        if self.chapter:
            dossiers += f" {self.chapter}"
        paper = self.number if self.number.isalpha() else f"nr. {self.number}"
        separator = ", " if self.chamber or self.session else " "
        return f"{head}{separator}{dossiers}, {paper}"


def _spaced(dossier: str) -> str:
    """``36871`` → ``36 871``: the thousands separated as Dutch citations write them."""
    head, dash, tail = dossier.partition("-")
    if len(head) == 5:
        head = f"{head[:2]} {head[2:]}"
    return head + dash + tail


def parse_kamerstuk(text: str) -> Kamerstuk:
    """Read a Kamerstuk id (``kst-36871-5``) or citation (``Kamerstukken II 2025/26, 36 871, nr. 5``).

    Also read: ``Kamerstukken I 2025/26, 36 871, N``, ``Kamerstukken 32317, nr. 973`` and
    the combined ``Kamerstukken I 2026/26, 36 871/35 612, N``. Raises
    :class:`DutchReferenceError`; a dossier without a paper number is not a paper.
    """
    if not isinstance(text, str):
        raise _fail(DutchReferenceError, text, "not a text", "kst-36871-5")
    if match := KAMERSTUK_ID_PATTERN.fullmatch(text):
        number = match["number"]
        return Kamerstuk(match["dossier"], number, chapter=match["chapter"],
                         chamber="I" if number.isalpha() else None)
    if match := KAMERSTUK_CITATION_PATTERN.fullmatch(text):
        dossiers = [re.sub(r"\s", "", d) for d in match["dossiers"].split("/")]
        number = match["number"] or match["letter"]
        chamber = match["chamber"] or ("I" if number.isalpha() else None)
        return Kamerstuk(dossiers[0], number, chapter=match["chapter"], chamber=chamber,
                         session=match["session"], joint_dossiers=tuple(dossiers[1:]))
    raise _fail(DutchReferenceError, text, "not a Kamerstuk",
                "kst-36871-5 or Kamerstukken II 2025/26, 36 871, nr. 5")


STAATSBLAD_ID_PATTERN: Final = re.compile(r"stb-(?P<year>\d{4})-(?P<number>[1-9]\d*)")
STAATSBLAD_CITATION_PATTERN: Final = re.compile(r"(?:Stb\.|Staatsblad)\s(?P<year>\d{4}),\s(?P<number>[1-9]\d*)")


@dataclass(frozen=True)
class Staatsblad:
    """A publication in the Staatsblad: ``stb-2000-496``, cited ``Stb. 2000, 496``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not (1000 <= self.year <= 9999 and self.number >= 1):
            raise _fail(DutchReferenceError, f"Stb. {self.year}, {self.number}",
                        "year or number out of range", "a 4-digit year and a positive number")

    def __str__(self) -> str:
        return self.identifier

    @property
    def identifier(self) -> str:
        return f"stb-{self.year}-{self.number}"

    @property
    def citation(self) -> str:
        return f"Stb. {self.year}, {self.number}"


def parse_staatsblad(text: str) -> Staatsblad:
    """Read ``stb-2000-496``, ``Stb. 2000, 496`` or ``Staatsblad 2000, 496``."""
    for pattern in (STAATSBLAD_ID_PATTERN, STAATSBLAD_CITATION_PATTERN):
        if isinstance(text, str) and (match := pattern.fullmatch(text)):
            return Staatsblad(int(match["year"]), int(match["number"]))
    raise _fail(DutchReferenceError, text, "not a Staatsblad publication", "stb-2000-496 or Stb. 2000, 496")


# juriconnect.nl, "Wetgeving": BWB, then V for a treaty or R for a national regulation,
# then a 7-digit sequence number.
BWB_PATTERN: Final = re.compile(r"BWB(?P<kind>[RV])(?P<number>\d{7})")


@dataclass(frozen=True)
class BwbId:
    """The id of a regulation (``R``) or treaty (``V``) in the Basiswettenbestand: ``BWBR0011823``."""

    kind: str
    number: str

    def __post_init__(self) -> None:
        if self.kind not in ("R", "V") or not re.fullmatch(r"\d{7}", self.number):
            raise _fail(DutchReferenceError, f"BWB{self.kind}{self.number}", "malformed BWB id",
                        "BWBR or BWBV and 7 digits, as in BWBR0011823")

    def __str__(self) -> str:
        return f"BWB{self.kind}{self.number}"


def parse_bwb_id(text: str) -> BwbId:
    """Read a BWB id such as ``BWBR0011823`` (Vreemdelingenwet 2000)."""
    match = BWB_PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(DutchReferenceError, text, "not a BWB id", "BWBR or BWBV and 7 digits, as in BWBR0011823")
    return BwbId(match["kind"], match["number"])


# The Tweede Kamer's own numbers: a document (D) or a case, zaak (Z), by year. Five digits
# is the form seen in the Kamer's pages and the seed documents (2026D08986, 2025Z22479).
TWEEDE_KAMER_NUMBER_PATTERN: Final = re.compile(r"(?P<year>\d{4})(?P<kind>[DZ])(?P<number>\d{5})")


@dataclass(frozen=True)
class TweedeKamerNumber:
    """A Tweede Kamer document number (``2026D08986``) or case number (``2025Z22479``)."""

    year: int
    kind: str
    number: str

    def __post_init__(self) -> None:
        if self.kind not in ("D", "Z") or not re.fullmatch(r"\d{5}", self.number) or not 1000 <= self.year <= 9999:
            raise _fail(DutchReferenceError, f"{self.year}{self.kind}{self.number}", "malformed Tweede Kamer number",
                        "year, D (document) or Z (zaak) and 5 digits, as in 2026D08986")

    def __str__(self) -> str:
        return f"{self.year:04d}{self.kind}{self.number}"

    @property
    def is_document(self) -> bool:
        return self.kind == "D"


def parse_tweede_kamer_number(text: str) -> TweedeKamerNumber:
    """Read ``2026D08986`` (a document) or ``2025Z22479`` (a zaak)."""
    match = TWEEDE_KAMER_NUMBER_PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise _fail(DutchReferenceError, text, "not a Tweede Kamer number",
                    "year, D or Z and 5 digits, as in 2026D08986 or 2025Z22479")
    return TweedeKamerNumber(int(match["year"]), match["kind"], match["number"])
