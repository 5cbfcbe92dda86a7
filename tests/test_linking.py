"""Citations in a text, linked to what the real graph holds."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.linking import link_text

TEXT = ("Zie artikel 47, lid 1, van Verordening (EU) 2024/1348, Richtlijn 2013/32/EU, COM(2025) 319 final, "
        "Kamerstukken 32317, nr. 985, Kamerstukken 32317, nr. 974 en Regulation (EU) 2019/1896.")


def test_cited_acts_articles_and_papers_are_found_and_checked_against_the_graph(graph):
    found = {c.text: c for c in link_text(graph, TEXT)}
    article = found["artikel 47, lid 1, van Verordening (EU) 2024/1348"]
    assert article.celex == "32024R1348" and "/reg/2024/1348/art_47/" in article.eli and article.known is True
    assert found["Richtlijn 2013/32/EU"].known is True          # a repealed act the graph holds
    assert found["COM(2025) 319 final"].known is True           # by its Cellar IRI
    assert found["Kamerstukken 32317, nr. 985"].known is True    # a seed document
    assert found["Kamerstukken 32317, nr. 974"].known is False   # not in the graph (nr. 973, cited by a seed, is)
    assert found["Regulation (EU) 2019/1896"].known is False


def test_a_lettered_senate_paper_is_known_whatever_the_case_of_its_letter(graph):
    [paper] = link_text(graph, "Zie Kamerstukken I 2026/26, 36 871/35 612, N.")
    assert paper.reference == "kst-36871-N" and paper.known is True
    [other] = link_text(graph, "Zie Kamerstukken I 2026/26, 36 871, M.")
    assert other.known is False


def test_link_command_reads_a_file_and_answers_json(build_report, project_settings, tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["link", str(path), "-f", "json", "--store", str(project_settings.store)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert len(body) == 6 and all(TEXT[c["start"]:c["end"]] == c["text"] for c in body)
