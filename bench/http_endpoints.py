"""Benchmark: pactgraph's SPARQL endpoint against Oxigraph's own server, side by side.

Starts ``oxigraph serve-read-only`` (PyPI ``oxigraph``) on an N-Quads dump of the built graph and
``pactgraph serve`` on the graph itself, both on loopback, then drives each with the same bounded
load (wrk: 8 connections, a fixed duration) for every query below, and prints requests/s, p50 and
p99 latency and the ratio pactgraph/Oxigraph. Lookups run twice: the same query repeated, and a
distinct query per request (cycling through every article's ELI), so that a cache cannot hide the
engine path.

Needs: a built graph (``make build``) and ``wrk`` (Debian package ``wrk``).
Run:   .venv/bin/python bench/http_endpoints.py [--seconds 20] [--connections 8]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import RdfFormat, Store

from pactgraph.catalog import load_catalog
from pactgraph.vocab import PREFIXES as PREFIX_IRIS

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

PREFIXES = ("PREFIX pg: <https://w3id.org/pactgraph/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
QUERIES = {
    "celex-lookup": PREFIXES + 'SELECT ?act ?label WHERE { ?act eli:id_local "32024R1358" ; rdfs:label ?label }',
    "eurodac-dependencies": PREFIXES + (
        "SELECT ?o ?label WHERE { ?o pg:dependsOn+ <https://w3id.org/pactgraph/id/it-system/eurodac> ; "
        "rdfs:label ?label FILTER(lang(?label)='en') }"),
}
LUA_CYCLE = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local unique = %s
local i = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
request = function()
  i = i + 1
  local path = paths[(i - 1) %% #paths + 1]
  if unique then path = path .. "%%0A%%23" .. tid .. "-" .. i end
  return wrk.format("GET", path, {["Accept"] = "application/sparql-results+json"})
end
"""
#: Named queries driven by default: the dependency analyses (the issue's target) and a list.
DEFAULT_NAMED = ("obligations-depending-on-eurodac", "impact-of-delay", "acts")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def server(command: list[str], probe: str):
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(probe)
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


def wrk(url_base: str, path_file: Path | None, single_path: str | None, seconds: int, connections: int,
        unique: bool = False) -> dict:
    """One wrk run: the same path repeated, or the paths of a file in turn (``unique``: each
    request made distinct by a SPARQL comment with a request counter, so no cache can answer)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if path_file:
            script.write(LUA_CYCLE % (path_file, "true" if unique else "false"))
        else:
            script.write('wrk.headers["Accept"] = "application/sparql-results+json"\n')
    target = url_base + (single_path or "/")
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", script.name, target], capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": _ms(latency.get("50", "0ms")), "p99": _ms(latency.get("99", "0ms")),
            "errors": int(errors.group(1)) if errors else 0}


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--store", type=Path, default=ROOT / "var" / "store")
    parser.add_argument("--http-processes", type=int, default=1, help="pactgraph serve --http-processes")
    parser.add_argument("--named", nargs="+", default=list(DEFAULT_NAMED),
                        help="named queries to drive ('all': every one without SERVICE)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    store = Store.read_only(str(args.store.resolve()))
    articles = [r["a"].value for r in store.query(
        "SELECT ?a WHERE { GRAPH ?g { ?a a <https://w3id.org/pactgraph/ontology#Article> } }")]
    work = Path(tempfile.mkdtemp(prefix="pactgraph-bench-"))
    dump = work / "graph.nq"
    store.dump(str(dump), format=RdfFormat.N_QUADS)
    oxi_db = work / "oxigraph"
    subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(oxi_db), "--file", str(dump)],
                   check=True, capture_output=True)
    subprocess.run([str(BIN / "oxigraph"), "optimize", "--location", str(oxi_db)], check=False, capture_output=True)

    article_query = PREFIXES + "SELECT ?n ?t WHERE {{ <{}> eli:number ?n ; eli:title ?t }}"
    results: list[tuple[str, str, dict]] = []
    oxi_port, pg_port = free_port(), free_port()
    endpoints = {
        "oxigraph": (f"http://127.0.0.1:{oxi_port}", "/query",
                     [str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi_db), "--bind", f"127.0.0.1:{oxi_port}"],
                     True),
        "pactgraph": (f"http://127.0.0.1:{pg_port}", "/sparql",
                      [str(BIN / "pactgraph"), "serve", "--host", "127.0.0.1", "--port", str(pg_port), "--store", str(args.store),
                       "--http-processes", str(args.http_processes)],
                      False),
    }
    catalog = load_catalog(ROOT / "queries")
    named = list(catalog) if args.named == ["all"] else args.named
    named = [n for n in named if "SERVICE" not in catalog[n].render({}).upper()]  # Oxigraph has no stand-in here
    declared = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIX_IRIS.items())
    for name, (base, path, command, union_param) in endpoints.items():
        extra = "&union-default-graph" if union_param else ""
        with server(command, f"{base}{path}?query={urllib.parse.quote('ASK {}')}"):
            for case, text in QUERIES.items():
                single = f"{path}?query={urllib.parse.quote(text)}{extra}"
                results.append((case + " (repeated)", name, wrk(base, None, single, args.seconds, args.connections)))
            paths = work / f"{name}-articles.txt"
            paths.write_text("\n".join(f"{path}?query={urllib.parse.quote(article_query.format(a))}{extra}"
                                       for a in articles) + "\n", encoding="utf-8")
            results.append(("article lookup (cycling every article)", name,
                            wrk(base, paths, None, args.seconds, args.connections)))
            results.append(("article lookup (unique text per request)", name,
                            wrk(base, paths, None, args.seconds, args.connections, unique=True)))
            for query in named:
                single = (f"/api/queries/{query}" if name == "pactgraph"
                          else f"{path}?query={urllib.parse.quote(declared + catalog[query].render({}))}{extra}")
                results.append((f"named: {query} (repeated)", name, wrk(base, None, single, args.seconds, args.connections)))

    print(f"\n{args.connections} connections, {args.seconds} s per run, loopback; {len(articles)} distinct article lookups\n")
    print(f"{'query':48} {'server':10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    by_case: dict[str, dict[str, dict]] = {}
    for case, name, figures in results:
        by_case.setdefault(case, {})[name] = figures
        print(f"{case:48} {name:10} {figures['rps']:9.0f} {figures['p50']:8.2f} {figures['p99']:8.2f} {figures['errors']:8d}")
    print(f"\n{'query':48} {'pactgraph / oxigraph (req/s)':>30}")
    for case, pair in by_case.items():
        print(f"{case:48} {pair['pactgraph']['rps'] / pair['oxigraph']['rps']:30.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
