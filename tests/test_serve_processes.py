"""``pactgraph serve --http-processes N``: several HTTP processes serve the same graph."""

from __future__ import annotations

import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

PACTGRAPH = str(Path(sys.executable).parent / "pactgraph")


def test_two_http_processes_serve_the_graph_and_its_named_queries(live_server):
    base = live_server("--http-processes", "2")
    query = urllib.parse.quote('PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?a WHERE { ?a eli:id_local "32024R1358" }')
    for _ in range(6):  # several connections, so both processes answer some
        request = urllib.request.Request(f"{base}/sparql?query={query}", headers={"Accept": "text/csv", "Connection": "close"})
        body = urllib.request.urlopen(request, timeout=30).read().decode()
        assert "http://data.europa.eu/eli/reg/2024/1358/oj" in body
    with urllib.request.urlopen(f"{base}/api/queries/acts?format=csv", timeout=30) as response:
        assert "32024R1358" in response.read().decode()


def test_updates_need_a_single_http_process(build_report, tmp_path):
    result = subprocess.run([PACTGRAPH, "serve", "--store", str(build_report.store), "--allow-update", "--http-processes", "2",
                             "--port", "1"], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "PACTGRAPH_UPDATE_TOKEN": "secret"})
    assert result.returncode == 2
    assert "--allow-update needs a single HTTP process" in result.stderr


@pytest.mark.parametrize("value", ["-1", "lots"])
def test_a_bad_cache_size_is_refused_naming_the_variable(build_report, value):
    result = subprocess.run([PACTGRAPH, "serve", "--store", str(build_report.store), "--port", "1"], capture_output=True,
                            text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "PACTGRAPH_CACHE_BYTES": value})
    assert result.returncode == 2
    assert "PACTGRAPH_CACHE_BYTES" in result.stderr
