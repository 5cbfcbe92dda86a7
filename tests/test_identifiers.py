"""Identifiers are parsed, checked and converted exactly: every canonical form round-trips,
every malformed one raises an IdentifierError that says what is wrong."""

from __future__ import annotations

import string
from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pactgraph.identifiers import (
    CELEX_SECTORS,
    ELI_ACT_TYPES,
    ELI_AGREEMENT_TYPES,
    BwbId,
    Celex,
    CelexError,
    CommissionDocument,
    ConversionError,
    DocumentReferenceError,
    DutchReferenceError,
    Eli,
    EliError,
    IdentifierError,
    Kamerstuk,
    OjReference,
    Staatsblad,
    TweedeKamerNumber,
    celex_to_commission_document,
    celex_to_eli,
    com_to_celex,
    eli_to_celex,
    parse_bwb_id,
    parse_celex,
    parse_commission_document,
    parse_eli,
    parse_kamerstuk,
    parse_oj_reference,
    parse_staatsblad,
    parse_tweede_kamer_number,
)

# ── strategies: valid identifiers of each kind ──────────────────────────────────────────

UPPER = string.ascii_uppercase
years = st.integers(1952, 2099)
two_digits = st.integers(1, 99).map(lambda n: f"{n:02d}")


def digits(size: int) -> st.SearchStrategy[str]:
    return st.text(string.digits, min_size=size, max_size=size)


CELEX_NUMBERS = {
    "1": st.one_of(digits(3), st.just("/TXT")),
    "2": digits(4),
    "3": st.one_of(digits(4), digits(5)),
    "4": digits(4),
    "5": st.one_of(digits(4), digits(5)),
    "6": digits(4),
    "7": digits(4),
    "8": digits(4),
    "9": st.one_of(digits(4), digits(6)),
    "0": digits(4),
    "C": st.builds(lambda issue, letter, notice: f"{issue}{letter}/{notice}",
                   st.integers(1, 999), st.sampled_from(["", "A", "E", "I"]), two_digits),
    "E": digits(4),
}


@st.composite
def celexes(draw: st.DrawFn) -> Celex:
    sector = draw(st.sampled_from(list(CELEX_SECTORS)))
    return Celex(
        sector=sector,
        year=draw(years),
        descriptor="" if sector == "C" else draw(st.text(UPPER, min_size=1, max_size=2)),
        number=draw(CELEX_NUMBERS[sector]),
        sequence=draw(st.none() | two_digits),
        corrigendum=None if sector in "07" else draw(st.none() | two_digits),
        consolidation_date=draw(st.dates(date(1990, 1, 1), date(2099, 12, 31))) if sector == "0" else None,
        member_state=draw(st.text(UPPER, min_size=3, max_size=3)) if sector == "7" else None,
        measure=draw(st.integers(1, 10**9).map(str)) if sector == "7" else None,
    )


natural_numbers = st.builds(lambda n, seq: f"{n}({seq})" if seq else str(n),
                            st.integers(1, 99999), st.none() | st.integers(1, 9))
subdivisions = st.builds(
    lambda art, par, pnt: (("art", str(art)),) + ((("par", str(par)),) if par else ()) + ((("pnt", pnt),) if pnt else ()),
    st.integers(1, 300), st.none() | st.integers(1, 30), st.none() | st.text("abcdefghij", min_size=1, max_size=2),
)
dates = st.dates(date(1990, 1, 1), date(2099, 12, 31))


@st.composite
def elis(draw: st.DrawFn) -> Eli:
    type_ = draw(st.sampled_from(sorted(ELI_ACT_TYPES | ELI_AGREEMENT_TYPES)))
    base = {"type": type_, "year": draw(years), "number": draw(natural_numbers)}
    if type_ in ELI_AGREEMENT_TYPES:
        return Eli(**base, oj=draw(st.booleans()))
    variant = draw(st.sampled_from(["act", "alias", "subdivision", "corrigendum", "point-in-time"]))
    if variant == "alias":
        return Eli(**base, oj=False)
    if variant == "point-in-time":
        return Eli(**base, point_in_time=draw(dates), oj=False)
    language = draw(st.none() | st.sampled_from(["eng", "nld", "fra", "deu"]))
    format_ = draw(st.none() | st.sampled_from(["pdf", "html"])) if language else None
    extra = {"subdivision": draw(subdivisions)} if variant == "subdivision" else {}
    if variant == "corrigendum":
        extra = {"corrigendum_date": draw(dates)}
    return Eli(**base, **extra, language=language, format=format_)


commission_documents = st.builds(CommissionDocument, st.sampled_from(["COM", "SWD", "JOIN"]),
                                 st.integers(1958, 2099), st.integers(1, 9999), st.booleans())

oj_references = st.one_of(
    st.builds(lambda s, d, y, n: OjReference(s, d, document=f"{y}/{n}"),
              st.sampled_from("LC"), st.dates(date(2023, 10, 1), date(2099, 12, 31)), years, st.integers(1, 99999)),
    st.builds(lambda s, d, i, sup, p: OjReference(s, d, issue=f"{i}{sup}", page=p),
              st.sampled_from("LC"), st.dates(date(1968, 1, 1), date(2023, 9, 30)), st.integers(1, 9999),
              st.sampled_from(["", " A", " E", " I"]), st.none() | st.integers(1, 9999)),
)

dossiers = st.builds(lambda n, sub: f"{n}-{sub:02d}" if sub else str(n),
                     st.integers(1000, 99999), st.none() | st.integers(1, 99))
sessions = st.integers(1990, 2098).map(lambda y: f"{y}/{str(y + 1)[2:]}" if y != 1999 else "1999/2000")


@st.composite
def kamerstukken(draw: st.DrawFn) -> Kamerstuk:
    dossier = draw(dossiers)
    lettered = draw(st.booleans())
    number = draw(st.sampled_from(UPPER)) if lettered else draw(
        st.builds(lambda n, s: f"{n}{s}", st.integers(1, 9999), st.sampled_from(["", "", "a", "b"])))
    chapter = None if "-" in dossier else draw(st.none() | st.sampled_from(["VII", "IX", "XVI", "A", "B"]))
    return Kamerstuk(
        dossier, number, chapter=chapter,
        chamber="I" if lettered else draw(st.sampled_from(["I", "II"])),
        session=draw(sessions),
        joint_dossiers=tuple(draw(st.lists(st.integers(10000, 99999).map(str), max_size=2))) if not chapter else (),
    )


# ── CELEX ───────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("32024R1356R(01)", {"sector": "3", "year": 2024, "descriptor": "R", "number": "1356", "corrigendum": "01"}),
        ("02024R1358-20240522", {"sector": "0", "descriptor": "R", "number": "1358",
                                 "consolidation_date": date(2024, 5, 22)}),
        ("52025DC0795", {"sector": "5", "year": 2025, "descriptor": "DC", "number": "0795"}),
        ("32024L1346", {"sector": "3", "descriptor": "L", "number": "1346", "corrigendum": None}),
        ("11957E086", {"sector": "1", "descriptor": "E", "number": "086"}),
        ("12012E/TXT", {"sector": "1", "number": "/TXT"}),
        ("22006A1230(03)", {"sector": "2", "number": "1230", "sequence": "03"}),
        ("62004TJ0201", {"sector": "6", "descriptor": "TJ", "number": "0201"}),
        ("72016L0680CZE_225030", {"sector": "7", "number": "0680", "member_state": "CZE", "measure": "225030"}),
        ("82014DK1114(51)", {"sector": "8", "descriptor": "DK", "sequence": "51"}),
        ("92001E000119", {"sector": "9", "descriptor": "E", "number": "000119"}),
        ("C2022/114A/01", {"sector": "C", "descriptor": "", "number": "114A/01"}),
        ("E2022C0029", {"sector": "E", "descriptor": "C", "number": "0029"}),
        ("52026XG01640", {"sector": "5", "descriptor": "XG", "number": "01640"}),
    ],
)
def test_real_celex_numbers_parse_into_their_parts_and_back(text: str, fields: dict[str, object]):
    celex = parse_celex(text)
    assert {name: getattr(celex, name) for name in fields} == fields
    assert str(celex) == text


def test_the_cellar_iri_percent_encodes_parentheses_and_slashes():
    assert parse_celex("32024R1356R(01)").cellar_iri == "http://publications.europa.eu/resource/celex/32024R1356R%2801%29"
    assert parse_celex("32024R1356").cellar_iri == "http://publications.europa.eu/resource/celex/32024R1356"
    assert parse_celex("12012E/TXT").cellar_iri.endswith("/12012E%2FTXT")


def test_a_consolidated_version_and_a_transposition_measure_lead_back_to_their_act():
    assert parse_celex("02024R1358-20240522").base_act == parse_celex("32024R1358")
    assert parse_celex("72016L0680CZE_225030").base_act == parse_celex("32016L0680")
    assert parse_celex("32024R1358").consolidated(date(2024, 5, 22)) == parse_celex("02024R1358-20240522")


@given(celexes())
def test_every_valid_celex_round_trips(celex: Celex):
    assert str(parse_celex(str(celex))) == str(celex)
    assert parse_celex(str(celex)) == celex


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("32024R135", "does not fit sector 3"),
        ("3202R1358", "not a CELEX number"),
        ("X2024R1356", "not a CELEX number"),
        ("32024ABC1356", "not a CELEX number"),
        ("02024R1358R(01)", "sector 0 has no corrigenda"),
        ("72016L0680CZE_225030R(01)", "sector 7 has no corrigenda"),
        ("02024R1358", "consolidated version needs sector 0 and a date"),
        ("32024R1358-20240522", "consolidated version needs sector 0 and a date"),
        ("02024R1358-20241340", "is not a date"),
        ("32024r1356", "not a CELEX number"),
        (" 32024R1356", "not a CELEX number"),
    ],
)
def test_malformed_celex_numbers_say_what_is_wrong(text: str, problem: str):
    with pytest.raises(CelexError) as error:
        parse_celex(text)
    assert problem in str(error.value) and "expected" in str(error.value)


MUTATIONS = [
    lambda s: "X" + s[1:],                         # no such sector
    lambda s: s[0] + s[2:],                        # a 3-digit year
    lambda s: s[:5] + "?" + s[5:],                 # a character that is never part of a CELEX
    lambda s: s.lower() if any(c.isalpha() for c in s) else s + "#",
    lambda s: s + " ",
    lambda s: s[:5] + "ABC" + s[5:].lstrip(UPPER),  # a 3-letter descriptor
]


@given(celexes(), st.sampled_from(MUTATIONS))
def test_every_corrupted_celex_is_rejected(celex: Celex, mutate):
    corrupted = mutate(str(celex))
    assume(corrupted != str(celex))
    with pytest.raises(CelexError):
        parse_celex(corrupted)


@given(st.text(max_size=30))
def test_any_text_is_a_canonical_celex_or_a_celex_error(text: str):
    try:
        celex = parse_celex(text)
    except CelexError:
        return
    assert str(celex) == text


# ── ELI ─────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("iri", "fields"),
    [
        ("http://data.europa.eu/eli/reg/2024/1358/art_15/oj",
         {"type": "reg", "year": 2024, "number": "1358", "subdivision": (("art", "15"),), "oj": True}),
        ("http://data.europa.eu/eli/reg/2024/1356/corrigendum/2025-11-25/oj",
         {"type": "reg", "number": "1356", "corrigendum_date": date(2025, 11, 25)}),
        ("http://data.europa.eu/eli/dec_impl/2024/2150/oj", {"type": "dec_impl", "year": 2024, "number": "2150"}),
        ("http://data.europa.eu/eli/reg/2016/679/art_6/par_1/pnt_a/oj",
         {"subdivision": (("art", "6"), ("par", "1"), ("pnt", "a"))}),
        ("http://data.europa.eu/eli/reg/2024/1689/oj/eng/pdf", {"language": "eng", "format": "pdf"}),
        ("http://data.europa.eu/eli/dir/1980/181/2009-05-27", {"point_in_time": date(2009, 5, 27), "oj": False}),
        ("http://data.europa.eu/eli/reg/1958/1(1)/oj", {"number": "1(1)"}),
        ("http://data.europa.eu/eli/dir/2000/31", {"oj": False}),
        ("http://data.europa.eu/eli/agree_internation/2021/689(1)/oj", {"type": "agree_internation"}),
    ],
)
def test_real_elis_parse_into_their_parts_and_back(iri: str, fields: dict[str, object]):
    eli = parse_eli(iri)
    assert {name: getattr(eli, name) for name in fields} == fields
    assert str(eli) == iri


def test_the_eur_lex_alias_reads_as_the_canonical_eli():
    assert str(parse_eli("https://eur-lex.europa.eu/eli/reg/2016/679/art_4/par_1/oj")) == \
        "http://data.europa.eu/eli/reg/2016/679/art_4/par_1/oj"


def test_an_eli_knows_its_act_and_builds_its_parts():
    article = parse_eli("http://data.europa.eu/eli/reg/2024/1358/art_15/oj")
    assert str(article.act) == "http://data.europa.eu/eli/reg/2024/1358/oj"
    assert str(article.act.article(47)) == "http://data.europa.eu/eli/reg/2024/1358/art_47/oj"
    assert str(article.paragraph(1).point("a")) == "http://data.europa.eu/eli/reg/2024/1358/art_15/par_1/pnt_a/oj"
    corrigendum = parse_eli("http://data.europa.eu/eli/reg/2024/1356/corrigendum/2025-11-25/oj")
    assert str(corrigendum.act) == "http://data.europa.eu/eli/reg/2024/1356/oj"
    with pytest.raises(EliError, match="part of an article"):
        article.act.paragraph(1)


@given(elis())
def test_every_valid_eli_round_trips(eli: Eli):
    assert str(parse_eli(str(eli))) == str(eli)
    assert parse_eli(str(eli)) == eli


@pytest.mark.parametrize(
    ("iri", "problem"),
    [
        ("http://data.europa.eu/eli/regulation/2024/1358/oj", "unknown document type"),
        ("http://data.europa.eu/eli/reg/2024/01358/oj", "number '01358' is malformed"),
        ("http://data.europa.eu/eli/reg/2024/1358/par_1/art_15/oj", "is not art[/par][/pnt]"),
        ("http://data.europa.eu/eli/reg/2024/1358/art_15/rct_3/oj", "is not art[/par][/pnt]"),
        ("http://data.europa.eu/eli/reg/2024/1358/art_15", "subdivisions and corrigenda end in /oj"),
        ("http://data.europa.eu/eli/reg/2024/1358/corrigendum/2025-02-30/oj", "is not a date"),
        ("http://data.europa.eu/eli/reg/2024/1358/oj/en", "not an EU ELI"),
        ("http://example.org/eli/reg/2024/1358/oj", "not an EU ELI"),
        ("http://data.europa.eu/eli/reg/0000/1358/oj", "the year has not 4 digits"),
        ("http://data.europa.eu/eli/convention/2024/1358/art_1/oj", "only the agreement itself"),
    ],
)
def test_malformed_elis_say_what_is_wrong(iri: str, problem: str):
    with pytest.raises(EliError) as error:
        parse_eli(iri)
    assert problem in str(error.value) and "expected" in str(error.value)


@given(elis(), st.sampled_from([
    lambda s: s.replace("/eli/", "/ELI/"),
    lambda s: s.replace("http://data.europa.eu", "http://data.europa.org"),
    lambda s: s + "/",
    lambda s: s.replace("/oj", "/OJ"),
    lambda s: s.replace("data.europa.eu/eli/", "data.europa.eu/eli/x"),
]))
def test_every_corrupted_eli_is_rejected(eli: Eli, mutate):
    corrupted = mutate(str(eli))
    assume(corrupted != str(eli))
    with pytest.raises(EliError):
        parse_eli(corrupted)


@given(st.text(max_size=60).map(lambda t: "http://data.europa.eu/eli/" + t))
def test_any_text_under_the_eli_root_is_a_canonical_eli_or_an_eli_error(text: str):
    try:
        eli = parse_eli(text)
    except EliError:
        return
    assert str(eli) == text


# ── CELEX ↔ ELI ─────────────────────────────────────────────────────────────────────────


def test_a_celex_gives_the_plain_eli_type_unless_told_otherwise():
    decision = parse_celex("32024D2150")
    assert str(celex_to_eli(decision)) == "http://data.europa.eu/eli/dec/2024/2150/oj"
    assert str(celex_to_eli(decision, type="dec_impl")) == "http://data.europa.eu/eli/dec_impl/2024/2150/oj"
    assert str(celex_to_eli(parse_celex("32024L1346"))) == "http://data.europa.eu/eli/dir/2024/1346/oj"
    assert str(celex_to_eli(parse_celex("32008D0070(01)"))) == "http://data.europa.eu/eli/dec/2008/70(1)/oj"


def test_an_eli_gives_the_celex_of_its_act_with_a_four_digit_number():
    assert str(eli_to_celex(parse_eli("http://data.europa.eu/eli/dec_impl/2024/2150/oj"))) == "32024D2150"
    assert str(eli_to_celex(parse_eli("http://data.europa.eu/eli/reg/2013/604/oj"))) == "32013R0604"
    assert str(eli_to_celex(parse_eli("http://data.europa.eu/eli/dir_del/2015/13/oj"))) == "32015L0013"
    assert str(eli_to_celex(parse_eli("http://data.europa.eu/eli/reg/2024/1358/art_15/oj").act)) == "32024R1358"


@pytest.mark.parametrize(
    "call",
    [
        lambda: celex_to_eli(parse_celex("32024R1356R(01)")),            # a corrigendum has no date
        lambda: celex_to_eli(parse_celex("52025DC0795")),                # not sector 3
        lambda: celex_to_eli(parse_celex("32024R1356"), type="dec_impl"),  # not a regulation type
        lambda: celex_to_eli(parse_celex("32024H1356")),                 # a recommendation
        lambda: eli_to_celex(parse_eli("http://data.europa.eu/eli/reg/2024/1358/art_15/oj")),
        lambda: eli_to_celex(parse_eli("http://data.europa.eu/eli/convention/2021/689")),
    ],
)
def test_what_has_no_counterpart_raises_a_conversion_error(call):
    with pytest.raises(ConversionError):
        call()


@given(st.sampled_from(sorted(ELI_ACT_TYPES)), years, natural_numbers)
def test_eli_to_celex_and_back_is_the_same_act(type_: str, year: int, number: str):
    eli = Eli(type_, year, number)
    assert celex_to_eli(eli_to_celex(eli), type=type_) == eli


@given(st.sampled_from("RLD"), years, st.integers(1, 99999), st.none() | two_digits)
def test_celex_to_eli_and_back_is_the_same_act(descriptor: str, year: int, number: int, sequence: str | None):
    celex = Celex("3", year, descriptor, f"{number:04d}", sequence=sequence)
    assert eli_to_celex(celex_to_eli(celex)) == celex


# ── Commission documents and the Official Journal ───────────────────────────────────────


def test_commission_documents_map_to_sector_5():
    assert str(com_to_celex(parse_commission_document("COM(2025) 795 final"))) == "52025DC0795"
    assert str(com_to_celex(parse_commission_document("COM(2016) 272 final"), kind="PC")) == "52016PC0272"
    assert str(com_to_celex(parse_commission_document("SWD(2024) 251 final"))) == "52024SC0251"
    assert str(com_to_celex(parse_commission_document("JOIN(2020) 5 final"))) == "52020JC0005"
    assert str(celex_to_commission_document(parse_celex("52025DC0795"))) == "COM(2025) 795 final"
    assert str(celex_to_commission_document(parse_celex("52024SC0251"))) == "SWD(2024) 251 final"
    assert parse_commission_document("COM(2025)795") == CommissionDocument("COM", 2025, 795, final=False)
    with pytest.raises(ConversionError):
        com_to_celex(parse_commission_document("SWD(2024) 251 final"), kind="PC")
    with pytest.raises(DocumentReferenceError):
        parse_commission_document("COM 2025 795")


@given(commission_documents)
def test_every_commission_reference_round_trips_and_maps_back_from_its_celex(document: CommissionDocument):
    assert parse_commission_document(str(document)) == document
    assert celex_to_commission_document(com_to_celex(document)) == replace_final(document)


def replace_final(document: CommissionDocument) -> CommissionDocument:
    return CommissionDocument(document.series, document.year, document.number, final=True)


def test_official_journal_references_of_both_styles():
    new = parse_oj_reference("OJ L, 2024/1351, 22.5.2024")
    assert (new.series, new.document, new.date, new.page) == ("L", "2024/1351", date(2024, 5, 22), None)
    old = parse_oj_reference("OJ L 180, 29.6.2013, p. 31")
    assert (old.series, old.issue, old.date, old.page) == ("L", "180", date(2013, 6, 29), 31)
    assert str(old) == "OJ L 180, 29.6.2013, p. 31"
    for bad in ("OJ L, 2024/1351, 31.2.2024", "OJ X 180, 29.6.2013", "OJ L 180 29.6.2013"):
        with pytest.raises(DocumentReferenceError):
            parse_oj_reference(bad)


@given(oj_references)
def test_every_oj_reference_round_trips(reference: OjReference):
    assert parse_oj_reference(str(reference)) == reference


# ── Dutch references ────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("text", "identifier", "citation"),
    [
        ("kst-36871-5", "kst-36871-5", "Kamerstukken 36 871, nr. 5"),
        ("kst-36704-D", "kst-36704-D", "Kamerstukken I, 36 704, D"),
        ("kst-36600-VII-1", "kst-36600-VII-1", "Kamerstukken 36 600 VII, nr. 1"),
        ("kst-21501-02-3174", "kst-21501-02-3174", "Kamerstukken 21 501-02, nr. 3174"),
        ("Kamerstukken II 2025/26, 36 871, nr. 5", "kst-36871-5", "Kamerstukken II 2025/26, 36 871, nr. 5"),
        ("Kamerstukken I 2025/26, 36 871, N", "kst-36871-N", "Kamerstukken I 2025/26, 36 871, N"),
        ("Kamerstukken 32317, nr. 973", "kst-32317-973", "Kamerstukken 32 317, nr. 973"),
    ],
)
def test_kamerstukken_by_id_and_by_citation(text: str, identifier: str, citation: str):
    paper = parse_kamerstuk(text)
    assert paper.identifier == identifier == str(paper)
    assert paper.citation == citation


def test_the_seeds_combined_citation_with_its_impossible_session_is_read_as_written():
    """The seed writes "2026/26"; the session is kept, not corrected, and both dossiers are read."""
    paper = parse_kamerstuk("Kamerstukken I 2026/26, 36 871/35 612, N")
    assert paper == Kamerstuk("36871", "N", chamber="I", session="2026/26", joint_dossiers=("35612",))
    assert paper.identifier == "kst-36871-N"
    assert paper.citation == "Kamerstukken I 2026/26, 36 871/35 612, N"


@pytest.mark.parametrize(
    "text",
    ["kst-36871", "kst-871-5", "Kamerstuk 36 871", "Kamerstukken II 2025/26, 36 871, D",
     "Kamerstukken III 2025/26, 36 871, nr. 5", "kst-36871-5.html"],
)
def test_malformed_kamerstukken_are_rejected(text: str):
    with pytest.raises(DutchReferenceError):
        parse_kamerstuk(text)


@given(kamerstukken())
def test_every_kamerstuk_round_trips_by_id_and_by_citation(paper: Kamerstuk):
    assert str(parse_kamerstuk(paper.identifier)) == paper.identifier
    assert parse_kamerstuk(paper.citation) == paper


def test_staatsblad_bwb_and_tweede_kamer_numbers():
    assert parse_staatsblad("stb-2000-496") == parse_staatsblad("Stb. 2000, 496") == Staatsblad(2000, 496)
    assert parse_staatsblad("Staatsblad 2000, 496").citation == "Stb. 2000, 496"
    assert str(parse_staatsblad("Stb. 2000, 496")) == "stb-2000-496"
    assert parse_bwb_id("BWBR0011823") == BwbId("R", "0011823")
    document = parse_tweede_kamer_number("2026D08986")
    assert (document.year, document.is_document, str(document)) == (2026, True, "2026D08986")
    assert not parse_tweede_kamer_number("2025Z22479").is_document
    for parse, bad in ((parse_staatsblad, "Stb. 2000 496"), (parse_bwb_id, "BWBX0011823"),
                       (parse_bwb_id, "BWBR011823"), (parse_tweede_kamer_number, "2026X08986"),
                       (parse_tweede_kamer_number, "2026D8986")):
        with pytest.raises(DutchReferenceError):
            parse(bad)


@given(st.integers(1814, 2099), st.integers(1, 9999))
def test_every_staatsblad_round_trips(year: int, number: int):
    publication = Staatsblad(year, number)
    assert str(parse_staatsblad(str(publication))) == str(publication)
    assert parse_staatsblad(publication.citation) == publication


@given(st.sampled_from("RV"), digits(7), years, st.sampled_from("DZ"), digits(5))
def test_every_bwb_id_and_tweede_kamer_number_round_trips(kind: str, number: str, year: int, tk: str, tk_number: str):
    assert str(parse_bwb_id(f"BWB{kind}{number}")) == f"BWB{kind}{number}"
    assert str(parse_tweede_kamer_number(f"{year}{tk}{tk_number}")) == f"{year}{tk}{tk_number}"


# ── every parser: only IdentifierError ──────────────────────────────────────────────────

PARSERS = [parse_celex, parse_eli, parse_commission_document, parse_oj_reference, parse_kamerstuk,
           parse_staatsblad, parse_bwb_id, parse_tweede_kamer_number]


@given(st.sampled_from(PARSERS), st.text(max_size=50))
def test_a_parser_never_raises_anything_but_an_identifier_error(parse, text: str):
    try:
        parse(text)
    except IdentifierError as error:
        assert isinstance(error, ValueError) and "expected" in str(error)


def test_the_errors_form_one_small_hierarchy():
    for error in (CelexError, EliError, DocumentReferenceError, DutchReferenceError, ConversionError):
        assert issubclass(error, IdentifierError) and issubclass(error, ValueError)
    with pytest.raises(IdentifierError):
        Celex("3", 2024, "R", "12")
    with pytest.raises(IdentifierError):
        TweedeKamerNumber(2026, "D", "8986")
