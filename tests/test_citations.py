"""References in English and Dutch prose are found with their exact span and identifiers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pactgraph.citations import Citation, CitationKind, find_citations, resolve

ELI = "http://data.europa.eu/eli/"


@pytest.mark.parametrize(
    ("text", "kind", "celex", "eli", "reference"),
    [
        ("Verordening (EU) 2024/1348", "regulation", "32024R1348", ELI + "reg/2024/1348/oj", None),
        ("Regulation (EU) No 604/2013", "regulation", "32013R0604", ELI + "reg/2013/604/oj", None),
        ("Regulation (EU) 2024/1351", "regulation", "32024R1351", ELI + "reg/2024/1351/oj", None),
        ("Richtlijn 2013/32/EU", "directive", "32013L0032", ELI + "dir/2013/32/oj", None),
        ("Directive (EU) 2024/1346", "directive", "32024L1346", ELI + "dir/2024/1346/oj", None),
        ("Council Directive 2001/55/EC", "directive", "32001L0055", ELI + "dir/2001/55/oj", None),
        ("COM(2025) 319 final", "commission-document", "52025DC0319", None, None),
        ("COM(2025)795", "commission-document", "52025DC0795", None, None),
        ("SWD(2024) 251 final", "commission-document", "52024SC0251", None, None),
        ("Uitvoeringsbesluit (EU) 2024/2150", "implementing-decision", "32024D2150", ELI + "dec_impl/2024/2150/oj", None),
        ("Implementing Decision (EU) 2025/2323", "implementing-decision", "32025D2323",
         ELI + "dec_impl/2025/2323/oj", None),
        ("Kamerstukken 32317, nr. 973", "kamerstuk", None, None, "kst-32317-973"),
        ("Kamerstuk 36 871", "kamerstuk-dossier", None, None, "36871"),
        ("Kamerstukken II 2025/26, 36 871, nr. 5", "kamerstuk", None, None, "kst-36871-5"),
        ("artikel 47, lid 1, van Verordening (EU) 2024/1348", "regulation", "32024R1348",
         ELI + "reg/2024/1348/art_47/par_1/oj", None),
        ("Article 15(1)(a) of Regulation (EU) 2024/1358", "regulation", "32024R1358",
         ELI + "reg/2024/1358/art_15/par_1/pnt_a/oj", None),
        ("Stb. 2000, 495", "staatsblad", None, None, "stb-2000-495"),
        # beyond the brief's list
        ("Kamerstukken I 2026/26, 36 871/35 612, N", "kamerstuk", None, None, "kst-36871-N"),
        ("artikel 47, eerste lid, onder a, van de Verordening (EU) 2024/1348", "regulation", "32024R1348",
         ELI + "reg/2024/1348/art_47/par_1/pnt_a/oj", None),
        ("Article 3 of Directive 2013/33/EU", "directive", "32013L0033", ELI + "dir/2013/33/art_3/oj", None),
        ("Directive 93/13/EEC", "directive", "31993L0013", ELI + "dir/1993/13/oj", None),
        ("Regulation (EEC) No 1612/68", "regulation", "31968R1612", ELI + "reg/1968/1612/oj", None),
        ("Regulation 604/2013", "regulation", "32013R0604", ELI + "reg/2013/604/oj", None),
        ("Commission Delegated Regulation (EU) 2024/1234", "delegated-regulation", "32024R1234",
         ELI + "reg_del/2024/1234/oj", None),
        ("Gedelegeerde Verordening (EU) 2024/1234", "delegated-regulation", "32024R1234",
         ELI + "reg_del/2024/1234/oj", None),
        ("Council Implementing Decision (EU) 2025/2642", "implementing-decision", "32025D2642",
         ELI + "dec_impl/2025/2642/oj", None),
        ("richtlijn 2013/32/EU", "directive", "32013L0032", ELI + "dir/2013/32/oj", None),
        ("OJ L, 2024/1351, 22.5.2024", "oj-reference", None, None, "OJ L, 2024/1351, 22.5.2024"),
        ("OJ L 180, 29.6.2013, p. 31", "oj-reference", None, None, "OJ L 180, 29.6.2013, p. 31"),
        ("kst-36871-5", "kamerstuk", None, None, "kst-36871-5"),
        ("KST 36600-XX, nr. 5", "kamerstuk", None, None, "kst-36600-XX-5"),
        ("2024Z03504", "parliamentary-case", None, None, "2024Z03504"),
        ("TZ202403-087", "commitment", None, None, "TZ202403-087"),
        ("stb-2000-496", "staatsblad", None, None, "stb-2000-496"),
        ("CELEX:62014CJ0362", "eu-document", "62014CJ0362", None, None),
        ("32024R1356R(01)", "regulation", "32024R1356R(01)", None, None),
        ("02024R1358-20240522", "consolidated-version", "02024R1358-20240522", None, None),
        (ELI + "reg/2024/1356/corrigendum/2025-11-25/oj", "regulation", "32024R1356",
         ELI + "reg/2024/1356/corrigendum/2025-11-25/oj", None),
    ],
)
def test_each_form_is_found_whole_with_its_identifiers(text, kind, celex, eli, reference):
    prose = f"Zie {text}. See also."
    start = prose.index(text)
    assert find_citations(prose) == [
        Citation(span=(start, start + len(text)), text=text, kind=CitationKind(kind),
                 celex=celex, eli=eli, reference=reference)
    ]


def expected(text: str, *found: tuple[str, str, str | None, str | None, str | None]) -> list[Citation]:
    """Citations of the fragments *found*, each located at its first occurrence in *text*."""
    citations = []
    for fragment, kind, celex, eli, reference in found:
        start = text.index(fragment)
        citations.append(Citation((start, start + len(fragment)), fragment, CitationKind(kind), celex, eli, reference))
    return citations


DUTCH = (
    "Op grond van artikel 47, lid 1, van Verordening (EU) 2024/1348 beslist de IND binnen twaalf weken. "
    "De Procedureverordening vervangt Richtlijn 2013/32/EU; de Opvangrichtlijn, Richtlijn (EU) 2024/1346, "
    "wordt omgezet bij het wetsvoorstel (Kamerstukken II 2025/26, 36 871, nr. 5). De rapporteur schreef "
    "eerder over het pact (Kamerstukken 32317, nr. 973). De Vreemdelingenwet 2000 (Stb. 2000, 495) wordt "
    "gewijzigd en het Uitvoeringsbesluit (EU) 2024/2150 bepaalt de capaciteit; zie ook Kamerstuk 36 871."
)


def test_a_dutch_paragraph_yields_each_citation_in_order():
    assert find_citations(DUTCH) == expected(
        DUTCH,
        ("artikel 47, lid 1, van Verordening (EU) 2024/1348", "regulation", "32024R1348",
         ELI + "reg/2024/1348/art_47/par_1/oj", None),
        ("Richtlijn 2013/32/EU", "directive", "32013L0032", ELI + "dir/2013/32/oj", None),
        ("Richtlijn (EU) 2024/1346", "directive", "32024L1346", ELI + "dir/2024/1346/oj", None),
        ("Kamerstukken II 2025/26, 36 871, nr. 5", "kamerstuk", None, None, "kst-36871-5"),
        ("Kamerstukken 32317, nr. 973", "kamerstuk", None, None, "kst-32317-973"),
        ("Stb. 2000, 495", "staatsblad", None, None, "stb-2000-495"),
        ("Uitvoeringsbesluit (EU) 2024/2150", "implementing-decision", "32024D2150", ELI + "dec_impl/2024/2150/oj", None),
        ("Kamerstuk 36 871", "kamerstuk-dossier", None, None, "36871"),
    )


ENGLISH = (
    "Under Article 15(1)(a) of Regulation (EU) 2024/1358, Member States take biometric data. "
    "Regulation (EU) No 604/2013 is repealed by Regulation (EU) 2024/1351 (OJ L, 2024/1351, 22.5.2024). "
    "The Common Implementation Plan (COM(2024) 251 final), the staff working document SWD(2024) 251 final "
    "and the first report, COM(2025)795, say nothing of Council Directive 2001/55/EC, "
    "whereas Implementing Decision (EU) 2025/2323 does."
)


def test_an_english_paragraph_yields_each_citation_in_order():
    assert find_citations(ENGLISH) == expected(
        ENGLISH,
        ("Article 15(1)(a) of Regulation (EU) 2024/1358", "regulation", "32024R1358",
         ELI + "reg/2024/1358/art_15/par_1/pnt_a/oj", None),
        ("Regulation (EU) No 604/2013", "regulation", "32013R0604", ELI + "reg/2013/604/oj", None),
        ("Regulation (EU) 2024/1351", "regulation", "32024R1351", ELI + "reg/2024/1351/oj", None),
        ("OJ L, 2024/1351, 22.5.2024", "oj-reference", None, None, "OJ L, 2024/1351, 22.5.2024"),
        ("COM(2024) 251 final", "commission-document", "52024DC0251", None, None),
        ("SWD(2024) 251 final", "commission-document", "52024SC0251", None, None),
        ("COM(2025)795", "commission-document", "52025DC0795", None, None),
        ("Council Directive 2001/55/EC", "directive", "32001L0055", ELI + "dir/2001/55/oj", None),
        ("Implementing Decision (EU) 2025/2323", "implementing-decision", "32025D2323",
         ELI + "dec_impl/2025/2323/oj", None),
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The Pact applies from 12 June 2026; Article 15 applies to 36 871 people counted in 2024/25.",
        "De Vreemdelingenwet 2000 en het Vreemdelingenbesluit 2000 worden gewijzigd per 1 juli 2026.",
        "Regulation (EU) 2024 and Directive 32 were discussed; COM documents follow.",
        "A number like 12345AB678 or 2026D08986 is not an EU reference here.",
    ],
)
def test_text_without_references_yields_nothing(text: str):
    assert find_citations(text) == []


def test_the_longest_of_overlapping_citations_wins():
    text = "artikel 47, lid 1, van Verordening (EU) 2024/1348"
    (only,) = find_citations(text)
    assert only.span == (0, len(text))
    (council,) = find_citations("Council Implementing Decision (EU) 2025/2642")
    assert council.kind is CitationKind.IMPLEMENTING_DECISION and council.span[0] == 0


def test_an_act_whose_identifiers_cannot_be_formed_is_kept_without_them():
    (citation,) = find_citations("Regulation (EU) 2024/0")
    assert citation.kind is CitationKind.REGULATION and citation.celex is None and citation.eli is None


def test_resolve_asks_the_callers_predicate_about_each_iri():
    in_graph = {
        ELI + "reg/2024/1348/oj",
        "http://publications.europa.eu/resource/celex/52024SC0251",
    }
    text = "Verordening (EU) 2024/1348, artikel 3 van Verordening (EU) 2024/1348, SWD(2024) 251 final, Kamerstuk 36 871"
    asked: list[str] = []

    def known(iri: str) -> bool:
        asked.append(iri)
        return iri in in_graph

    resolved = resolve(find_citations(text), known)
    assert [c.known for c in resolved] == [True, False, True, None]
    assert asked == [ELI + "reg/2024/1348/oj", ELI + "reg/2024/1348/art_3/oj",
                     "http://publications.europa.eu/resource/celex/52024SC0251"]
    assert [c.known for c in find_citations(text)] == [None] * 4


FRAGMENTS = [
    "Verordening (EU) ", "Regulation ", "(EU) ", "No ", "nr. ", "2024/1348", "604/2013", "/EU", "Article 15",
    "(1)", "(a)", " of ", "artikel 47", ", lid 1,", " van ", "eerste lid", "COM(", "2025)", " 795", " final",
    "Kamerstukken II ", "2025/26, ", "36 871", ", nr. 5", ", N", "Stb. 2000, ", "495", "kst-36871-5", "stb-2000-",
    "OJ L", ", 2024/1351, ", "22.5.2024", ", p. 31", "CELEX:", "32024R1356", "R(01)", "-20240522",
    "http://data.europa.eu/eli/", "reg/2024/1358/", "art_15/", "oj", "Council ", "Implementing ", "Decision ",
    " ", ", ", ".", "(", ")", "/", "\u00a0",
]
prose = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=30).map("".join),
)


@given(prose)
def test_find_citations_never_raises_and_every_span_slices_to_its_text(text: str):
    citations = find_citations(text)
    for citation in citations:
        start, end = citation.span
        assert text[start:end] == citation.text and start < end
    spans = [c.span for c in citations]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_a_footnotes_short_kamerstuk_in_brackets_is_found():
    prose = "Motie Ceder (nr. 19 637, 3193); zie ook nr. 19 637, 3193 zonder haakjes."
    found = find_citations(prose)
    assert [(c.text, c.reference) for c in found] == [("nr. 19 637, 3193", "kst-19637-3193")]


@pytest.mark.parametrize("text", ["2024Z0350", "12024Z03504", "TZ202413-087", "TZ202403-87", "x2024Z03504"])
def test_near_misses_of_parliamentary_identifiers_are_not_found(text):
    assert find_citations(f"Zie {text}.") == []
