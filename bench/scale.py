"""Benchmark: the real pipeline on a synthetic graph of N triples, with its peers side by side.

Why: the project's targets (build of 1M triples under 60 s and of 10M under 10 min, memory
under 4 GiB; validation of 1M at least 10x faster than pySHACL on rdflib; named queries at 10M
with p50 under 50 ms) can only be judged against numbers measured on this machine, in one run.

What it does, each step in its own process so that time and peak memory (RSS of the process
tree, sampled with psutil) are its own:

1. generates source tables for about N triples (``bench/generate.py``, seeded) into a project root;
2. builds them with the real pipeline (``pactgraph.build.build``), stage by stage;
3. dumps the build as N-Quads, and runs the peers on the same data: rdflib loading the dump,
   pySHACL on rdflib and the owlrl OWL-RL closure (both stopped after ``--timeout`` seconds,
   reported as ``>T s``), ``oxigraph load``;
4. serves it with ``pactgraph serve`` and ``oxigraph serve-read-only`` (and rdflib-endpoint,
   when rdflib can hold the graph), and drives each with wrk, the same named queries, with
   parameters that hit the synthetic data;
5. prints markdown tables and writes them to ``bench/results/scale-<N>.md``.

Needs: ``pip install -e '.[bench]'`` (rdflib-endpoint, psutil) and wrk (Debian package ``wrk``).
Run:   .venv/bin/python bench/scale.py --triples 1000000 [--timeout 900] [--seconds 10]
       .venv/bin/python bench/scale.py --triples 10000000 --skip rdflib,pyshacl,owlrl,rdflib-endpoint
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
GIB = 2 ** 30
MIB = 2 ** 20

#: Named queries and parameters that hit the synthetic graph (bench/generate.py).
NAMED_QUERIES: dict[str, dict[str, str]] = {
    "acts-applicable": {"asOf": "2901-06-01"},
    "articles-of-act": {"celex": "32901R0003"},
    "documents-citing": {"celex": "32901R0003"},
    "obligations-depending-on": {"target": "https://w3id.org/pactgraph/id/obligation/syn-2-1-1"},
    "obligations-of-member-state": {"memberState": "NL", "before": "2901-03-01"},
    "statements-about": {"about": "http://data.europa.eu/eli/reg/2901/3/oj"},
    "member-state-classification": {"cycle": "2902"},
    "implementation-gaps": {"memberState": "NL"},
}


@dataclass
class Run:
    """One measured child process: wall time, peak RSS of its tree, what it printed as JSON."""

    name: str
    seconds: float = 0.0
    peak_rss: int = 0
    timed_out: bool = False
    failed: str | None = None
    output: dict = field(default_factory=dict)

    def time(self, limit: float | None = None) -> str:
        if self.failed:
            return "failed"
        if self.timed_out:
            return f">{limit:.0f} s" if limit else "timeout"
        return f"{self.seconds:.1f} s"

    @property
    def memory(self) -> str:
        return f"{self.peak_rss / MIB:,.0f} MiB" if self.peak_rss else "–"


def tree_rss(process: psutil.Process) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(name: str, command: list[str], *, timeout: float | None = None, env: dict | None = None) -> Run:
    """Run ``command`` to its end (or ``timeout``), sampling the RSS of its process tree."""
    run = Run(name)
    started = time.perf_counter()
    out = tempfile.TemporaryFile()
    child = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}, text=True)
    watched = psutil.Process(child.pid)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.append(child.stderr.read()), daemon=True)
    reader.start()
    while child.poll() is None:
        run.peak_rss = max(run.peak_rss, tree_rss(watched))
        if timeout is not None and time.perf_counter() - started > timeout:
            run.timed_out = True
            for member in [*watched.children(recursive=True), watched]:
                try:
                    member.kill()
                except psutil.Error:
                    pass
            child.wait()
            break
        time.sleep(0.2)
    run.seconds = time.perf_counter() - started
    reader.join(timeout=5)
    if not run.timed_out and child.returncode != 0:
        run.failed = (errors[0] if errors else "")[-2000:] or f"exit code {child.returncode}"
        print(f"  {name} failed:\n{run.failed}", file=sys.stderr)
    out.seek(0)
    lines = [line for line in out.read().decode("utf-8", "replace").splitlines() if line.startswith("{")]
    if lines:
        run.output = json.loads(lines[-1])
    print(f"  {name}: {run.time(timeout)}, peak {run.memory}", file=sys.stderr, flush=True)
    return run


def child(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", *args]


# ---------------------------------------------------------------------------------------------
# The children: each runs one thing and prints one JSON line.
# ---------------------------------------------------------------------------------------------

def child_build(root: str, store: str) -> dict:
    from pactgraph.build import build
    from pactgraph.settings import Settings

    report = build(Settings(root=Path(root), store_path=Path(store)))
    return {"seconds": report.seconds, "stages": report.stages, "sizes": report.quads_by_graph,
            "results": len(report.validation.results), "violations": len(report.validation.violations),
            "warnings": len(report.validation.warnings), "validation_seconds": report.validation.seconds,
            "inferred": report.inference.triples, "rounds": report.inference.rounds}


def child_dump(store: str, nquads: str, asserted: str, union: str) -> dict:
    """The build as N-Quads (for the loaders and servers), the asserted graphs as N-Triples (what
    owlrl closes) and the union the build validates (ontology, data, inferred: what pySHACL checks)."""
    from pyoxigraph import RdfFormat, Store

    from pactgraph.vocab import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

    source = Store.read_only(str(Path(store).resolve()))
    source.dump(nquads, format=RdfFormat.N_QUADS)
    with open(asserted, "wb") as out:
        for graph in (ONTOLOGY_GRAPH, DATA_GRAPH):
            source.dump(out, format=RdfFormat.N_TRIPLES, from_graph=graph)
    shutil.copyfile(asserted, union)
    with open(union, "ab") as out:
        source.dump(out, format=RdfFormat.N_TRIPLES, from_graph=INFERRED_GRAPH)
    return {"quads": len(source)}


def child_rdflib_load(nquads: str) -> dict:
    from rdflib import Dataset

    started = time.perf_counter()
    dataset = Dataset()
    dataset.parse(nquads, format="nquads")
    return {"seconds": time.perf_counter() - started, "quads": len(dataset)}


def child_pyshacl(ntriples: str, shapes_dir: str) -> dict:
    """pySHACL on rdflib, as the build ran it before: the validated union in an rdflib graph,
    the same options (advanced, no inference)."""
    import pyshacl
    from rdflib import Graph

    from pactgraph.validation import load_shapes

    started = time.perf_counter()
    data = Graph()
    data.parse(ntriples, format="nt")
    loaded = time.perf_counter() - started
    conforms, report, _ = pyshacl.validate(data, shacl_graph=load_shapes(Path(shapes_dir)), advanced=True,
                                            allow_warnings=True, allow_infos=True)
    return {"load_seconds": loaded, "seconds": time.perf_counter() - started, "conforms": bool(conforms)}


def child_owlrl(ntriples: str) -> dict:
    import owlrl
    from rdflib import Graph

    started = time.perf_counter()
    graph = Graph()
    graph.parse(ntriples, format="nt")
    before = len(graph)
    loaded = time.perf_counter() - started
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return {"load_seconds": loaded, "seconds": time.perf_counter() - started, "inferred": len(graph) - before}


def child_validate(store: str, shapes_dir: str, engine: str) -> dict:
    from pyoxigraph import Store

    from pactgraph.validation import load_shapes, validate_store

    started = time.perf_counter()
    report = validate_store(Store.read_only(str(Path(store).resolve())), load_shapes(Path(shapes_dir)), engine=engine)
    return {"seconds": time.perf_counter() - started, "results": len(report.results), "conforms": report.conforms}


def child_rdflib_endpoint(nquads: str, port: str) -> dict:
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    uvicorn.run(SparqlEndpoint(graph=dataset), host="127.0.0.1", port=int(port), log_level="warning")
    return {}


CHILDREN = {"build": child_build, "dump": child_dump, "rdflib-load": child_rdflib_load, "pyshacl": child_pyshacl,
            "owlrl": child_owlrl, "validate": child_validate, "rdflib-endpoint": child_rdflib_endpoint}


# ---------------------------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return True
        except OSError:
            time.sleep(0.5)
    return False


def query_texts(queries_dir: Path) -> dict[str, str]:
    """The named queries rendered with their benchmark parameters, prefixes written out."""
    from pactgraph.catalog import get_query, load_catalog
    from pactgraph.vocab import PREFIXES

    catalog = load_catalog(queries_dir)
    header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in PREFIXES.items())
    return {name: header + get_query(catalog, name).render(params) for name, params in NAMED_QUERIES.items()}


#: A wrk script that makes every request's query text new (a comment with a counter), so that no
#: answer cache can hide the engine: the query runs each time.
LUA_DISTINCT = """
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "%s" .. i .. "%s", {["Accept"] = "application/sparql-results+json"})
end
"""
LUA_DISTINCT_POST = """
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "%s", {["Accept"] = "application/sparql-results+json",
                                   ["Content-Type"] = "application/x-www-form-urlencoded"}, "%s" .. i)
end
"""
LUA_REPEATED = 'wrk.headers["Accept"] = "application/sparql-results+json"\n'
LUA_REPEATED_POST = """
wrk.method = "POST"
wrk.body = "%s"
wrk.headers["Accept"] = "application/sparql-results+json"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""
#: Longest request URL sent by GET; a longer query is POSTed, as SPARQL clients do (Oxigraph's
#: server answers 400 to a request line and headers over 8 KB).
MAX_GET_URL = 6000


def wrk(base: str, path: str, query: str, extra: str, seconds: int, connections: int, distinct: bool) -> dict:
    """Drive one named query with wrk; requests/s, p50 and p99 in ms, and failed requests."""
    encoded = f"{path}?query={urllib.parse.quote(query)}"
    post = len(encoded) > MAX_GET_URL
    target = f"{path}?{extra.lstrip('&')}" if extra else path
    body = "query=" + urllib.parse.quote(query)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if post:
            script.write(LUA_DISTINCT_POST % (target, body + "%0A%23%20request%20") if distinct else LUA_REPEATED_POST % body)
        else:
            script.write(LUA_DISTINCT % (encoded + "%0A%23%20request%20", extra) if distinct else LUA_REPEATED)
    try:
        url = base + (target if post else path if distinct else encoded + extra)
        done = subprocess.run(["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
                               "--latency", "-s", script.name, url],
                              capture_output=True, text=True, timeout=seconds + 120)
    finally:
        os.unlink(script.name)
    text = done.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.MULTILINE))
    failed = sum(int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses:|timeout) *(\d+)", text))
    requests = re.search(r"(\d+) requests in", text)
    answered = int(requests.group(1)) if requests else 0
    return {"rps": float(rps.group(1)) if rps else 0.0, "p50": _ms(latency.get("50")) if answered else None,
            "p99": _ms(latency.get("99")) if answered else None, "failed": failed, "requests": answered}


def settle(probe: str, seconds: float = 120) -> None:
    """Wait until the server answers a trivial query at once: a query wrk gave up on may still
    be running, and must not slow down the next measurement. Each probe's text is new (a
    comment with a counter), so an answer cache cannot answer it while the workers are busy."""
    deadline = time.time() + seconds
    attempt = 0
    while time.time() < deadline:
        attempt += 1
        try:
            began = time.time()
            urllib.request.urlopen(probe.replace("%7B%7D", f"%7B%7D%20%23%20settle%20{time.time()}-{attempt}%0A", 1),
                                   timeout=5).read()
            if time.time() - began < 0.5:
                return
        except OSError:
            pass
        time.sleep(1)


def _ms(text: str | None) -> float | None:
    if not text:
        return None
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def serve_and_query(name: str, command: list[str], base: str, path: str, extra: str, texts: dict[str, str],
                    args: argparse.Namespace, ready_seconds: float, *, repeated: bool = False) -> tuple[Run, dict[str, dict]]:
    """Start a server, time until it answers, drive every named query (each request a new text;
    with ``repeated``, also the same text over and over, which an answer cache serves), stop it."""
    run = Run(name)
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watched = psutil.Process(process.pid)
    results: dict[str, dict] = {}
    try:
        if not wait_for(f"{base}{path}?query={urllib.parse.quote('ASK {}')}{extra}", process, ready_seconds):
            run.failed = "did not come up"
            print(f"  {name} did not come up in {ready_seconds:.0f} s", file=sys.stderr)
            return run, results
        run.seconds = time.perf_counter() - started
        for mode in ("distinct", "repeated") if repeated else ("distinct",):
            for query, text in texts.items():
                figures = results[f"{query} ({mode})"] = wrk(base, path, text, extra, args.seconds, args.connections,
                                                            mode == "distinct")
                run.peak_rss = max(run.peak_rss, tree_rss(watched))
                settle(f"{base}{path}?query={urllib.parse.quote('ASK {}')}{extra}")
                print(f"  {name} {query} ({mode}): p50 {figures['p50']} ms, {figures['rps']:.1f} req/s, "
                      f"{figures['requests']} answered, {figures['failed']} failed", file=sys.stderr, flush=True)
    finally:
        for member in [*watched.children(recursive=True), watched]:
            try:
                member.terminate()
            except psutil.Error:
                pass
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    return run, results


# ---------------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="folder for the generated root, store and dumps (default: a temporary one, removed)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds after which a peer is stopped")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per query and server")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--reuse", action="store_true",
                        help="with --work: take the generated root, build and dumps left there by an earlier run")
    parser.add_argument("--build-only", action="store_true", help="stop after the build (with --work, to --reuse later)")
    parser.add_argument("--skip", default="", help="comma-separated: rdflib,pyshacl,owlrl,oxigraph,rdflib-endpoint,serve")
    parser.add_argument("--serve-store", type=Path,
                        help="only serve this built store (pactgraph serve and oxigraph serve-read-only) and query it")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:])), flush=True)
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    skip = set(filter(None, args.skip.split(",")))
    work = args.work or Path(tempfile.mkdtemp(prefix="pactgraph-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        tables = run_benchmark(args, work, skip)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"scale-{args.triples}.md"
    out.write_text(tables, encoding="utf-8")
    print(tables)
    print(f"(written to {out.relative_to(ROOT)})")


def serve_only(args: argparse.Namespace, store: Path) -> str:
    """Serve an existing store with pactgraph and Oxigraph and drive the named queries."""
    texts = query_texts(ROOT / "queries")
    serving = {}
    port = free_port()
    serving["pactgraph serve"] = serve_and_query(
        "pactgraph serve", [str(BIN / "pactgraph"), "serve", "--host", "127.0.0.1", "--port", str(port), "--store", str(store)],
        f"http://127.0.0.1:{port}", "/sparql", "", texts, args, 300, repeated=True)
    port = free_port()
    serving["oxigraph serve-read-only"] = serve_and_query(
        "oxigraph serve-read-only", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store),
                                     "--bind", f"127.0.0.1:{port}"],
        f"http://127.0.0.1:{port}", "/query", "&union-default-graph", texts, args, 300)
    lines = [f"# Named queries on {args.triples:,} triples (store served as it is)", ""]
    lines += serving_tables(args, serving)
    lines += ["", "## Targets", ""] + targets(args, None, {}, serving)
    return "\n".join(lines) + "\n"


def run_benchmark(args: argparse.Namespace, work: Path, skip: set[str]) -> str:
    if args.serve_store:
        return serve_only(args, args.serve_store)
    sys.path.insert(0, str(ROOT / "bench"))
    import generate

    root, store = work / "root", work / "root" / "var" / "store"
    nquads, asserted, ntriples = work / "graph.nq", work / "asserted.nt", work / "union.nt"
    saved = work / "build.json"
    if args.reuse and saved.exists():
        kept = json.loads(saved.read_text(encoding="utf-8"))
        plan, rows, generated = generate.Plan(acts=kept["acts"]), kept["rows"], kept["generated"]
        build = Run(**kept["build"])
        print(f"reusing the build in {work}", file=sys.stderr, flush=True)
    else:
        print(f"generating about {args.triples:,} triples (seed {args.seed})", file=sys.stderr, flush=True)
        started = time.perf_counter()
        plan = generate.plan_for(args.triples, args.seed)
        shutil.rmtree(root, ignore_errors=True)
        rows = generate.generate(root, plan, seed=args.seed)
        generated = time.perf_counter() - started
        print("building with the real pipeline", file=sys.stderr, flush=True)
        build = measure("pactgraph build", child("build", str(root), str(store)))
        if build.failed:
            raise SystemExit("the build failed")
        saved.write_text(json.dumps({"acts": plan.acts, "rows": rows, "generated": generated, "build": build.__dict__}),
                         encoding="utf-8")
    if args.build_only:
        return report(args, plan, rows, generated, build, 0, {}, {})
    if args.reuse and nquads.exists() and ntriples.exists():
        quads = sum(build.output.get("sizes", {}).values())
    else:
        dump = measure("dump", child("dump", str(store), str(nquads), str(asserted), str(ntriples)))
        quads = dump.output.get("quads", 0)
    shapes = str(ROOT / "shapes")
    peers: dict[str, Run] = {}
    if "rdflib" not in skip:
        peers["rdflib"] = measure("rdflib load (N-Quads)", child("rdflib-load", str(nquads)), timeout=args.timeout)
    peers["validate"] = measure("pactgraph validation", child("validate", str(store), shapes, "auto"), timeout=args.timeout)
    if "pyshacl" not in skip:
        peers["pyshacl"] = measure("pySHACL on rdflib", child("pyshacl", str(ntriples), shapes), timeout=args.timeout)
    if "owlrl" not in skip:
        peers["owlrl"] = measure("owlrl OWL-RL closure", child("owlrl", str(asserted)), timeout=args.timeout)
    oxigraph_db = work / "oxigraph"
    if "oxigraph" not in skip:
        shutil.rmtree(oxigraph_db, ignore_errors=True)
        peers["oxigraph-load"] = measure("oxigraph load", [str(BIN / "oxigraph"), "load", "--location", str(oxigraph_db),
                                                           "--file", str(nquads)], timeout=args.timeout)

    serving: dict[str, tuple[Run, dict]] = {}
    if "serve" not in skip:
        texts = query_texts(ROOT / "queries")
        port = free_port()
        serving["pactgraph serve"] = serve_and_query(
            "pactgraph serve", [str(BIN / "pactgraph"), "serve", "--host", "127.0.0.1", "--port", str(port), "--store", str(store)],
            f"http://127.0.0.1:{port}", "/sparql", "", texts, args, 120, repeated=True)
        if "oxigraph" not in skip:
            port = free_port()
            serving["oxigraph serve-read-only"] = serve_and_query(
                "oxigraph serve-read-only", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxigraph_db),
                                             "--bind", f"127.0.0.1:{port}"],
                f"http://127.0.0.1:{port}", "/query", "&union-default-graph", texts, args, 120)
        if "rdflib-endpoint" not in skip:
            port = free_port()
            serving["rdflib-endpoint"] = serve_and_query(
                "rdflib-endpoint", child("rdflib-endpoint", str(nquads), str(port)), f"http://127.0.0.1:{port}", "/", "",
                texts, args, args.timeout)
    return report(args, plan, rows, generated, build, quads, peers, serving)


def report(args: argparse.Namespace, plan: object, rows: dict[str, int], generated: float, build: Run, quads: int,
           peers: dict[str, Run], serving: dict[str, tuple[Run, dict]]) -> str:
    out = build.output
    total = sum(out.get("sizes", {}).values())
    sizes = ", ".join(f"{g.rsplit('/', 1)[-1]} {n:,}" for g, n in sorted(out.get("sizes", {}).items()))
    machine = f"{os.cpu_count()} cores, {psutil.virtual_memory().total / GIB:.0f} GiB"
    lines = [f"# pactgraph at {args.triples:,} triples",
             "",
             f"Synthetic graph (bench/generate.py, seed {args.seed}): {plan.acts:,} acts, {sum(rows.values()):,} source rows, "
             f"generated in {generated:.1f} s; built {total:,} quads ({sizes}). "
             f"Machine: {machine}. Peers stopped after {args.timeout:.0f} s. Memory: peak RSS of the process tree.",
             "",
             "## Build (the real pipeline)",
             "",
             "| stage | seconds |",
             "|---|---|"]
    lines += [f"| {stage} | {seconds:.1f} |" for stage, seconds in out.get("stages", {}).items()]
    lines += [f"| **whole build** | **{build.seconds:.1f}** (peak {build.memory}) |",
              "",
              f"Inference: {out.get('inferred', 0):,} triples in {out.get('rounds', 0)} rounds. Validation: "
              f"{out.get('violations', 0)} violations, {out.get('warnings', 0)} warnings, {out.get('results', 0):,} results in all.",
              "",
              "## Side by side",
              "",
              "| task | pactgraph | time | peak memory | peer | time | peak memory | ratio |",
              "|---|---|---|---|---|---|---|---|"]
    stages = out.get("stages", {})

    def row(task: str, ours: str, ours_seconds: float, ours_memory: str, peer: str, run: Run | None, peer_seconds: float | None) -> str:
        if run is None:
            return f"| {task} | {ours} | {ours_seconds:.1f} s | {ours_memory} | {peer} | not run | – | – |"
        shown = run.time(args.timeout)
        if peer_seconds is not None and not run.timed_out and not run.failed:
            shown = f"{peer_seconds:.1f} s"
        seconds = peer_seconds if peer_seconds is not None and not run.timed_out else run.seconds
        ratio = f"{'>' if run.timed_out else ''}{seconds / ours_seconds:.0f}x" if ours_seconds and not run.failed else "–"
        return f"| {task} | {ours} | {ours_seconds:.1f} s | {ours_memory} | {peer} | {shown} | {run.memory} | {ratio} |"

    load = stages.get("mapping source tables", 0) + stages.get("loading the mapped data", 0)
    lines.append(row("load", "map + bulk load", load, "(build)", "rdflib parse of the N-Quads dump", peers.get("rdflib"),
                     peers["rdflib"].output.get("seconds") if "rdflib" in peers else None))
    lines.append(row("load", "map + bulk load", load, "(build)", "`oxigraph load` of the dump", peers.get("oxigraph-load"), None))
    validate = peers.get("validate") or Run("validate")
    lines.append(row("validate (all shapes)", "Rust SHACL + Oxigraph SPARQL", validate.output.get("seconds", validate.seconds),
                     validate.memory, "pySHACL on rdflib (load + validate)", peers.get("pyshacl"), None))
    lines.append(row("materialise", "SPARQL rules in Oxigraph", stages.get("inferring", 0), "(build)",
                     "owlrl OWL-RL closure (load + closure)", peers.get("owlrl"), None))
    if serving:
        lines += [""] + serving_tables(args, serving)
    lines += ["", "## Targets", ""]
    lines += targets(args, build, peers, serving)
    return "\n".join(lines) + "\n"


def serving_tables(args: argparse.Namespace, serving: dict[str, tuple[Run, dict]]) -> list[str]:
    lines = [f"## Named queries over HTTP (wrk, {args.connections} connections, {args.seconds} s each)", "",
             "'distinct': every request's text differs (a comment with a counter), so the engine runs each time; "
             "'repeated': the same text again and again, which pactgraph's answer cache serves. "
             "pactgraph cuts an answer at --max-rows (10000) rows; the others send it whole.", ""]
    servers = list(serving)
    lines.append("| query | " + " | ".join(f"{s} p50 ms | p99 ms | req/s" for s in servers) + " |")
    lines.append("|---|" + "---|---|---|" * len(servers))
    for query in [f"{q} ({m})" for m in ("distinct", "repeated") for q in NAMED_QUERIES]:
        cells = []
        for server in servers:
            figures = serving[server][1].get(query)
            if not figures:
                cells.append("– | – | –")
                continue
            if not figures["requests"]:
                cells.append("none answered | – | 0")
                continue
            note = f" ({figures['failed']} failed)" if figures["failed"] else ""
            p50 = "–" if figures["p50"] is None else f"{figures['p50']:.1f}"
            p99 = "–" if figures["p99"] is None else f"{figures['p99']:.1f}"
            cells.append(f"{p50}{note} | {p99} | {figures['rps']:.1f}")
        lines.append(f"| {query} | " + " | ".join(cells) + " |")
    lines += ["", "| server | ready after | peak memory while serving |", "|---|---|---|"]
    for server, (run, _) in serving.items():
        lines.append(f"| {server} | {run.time()} | {run.memory} |")
    return lines


def targets(args: argparse.Namespace, build: Run | None, peers: dict[str, Run], serving: dict[str, tuple[Run, dict]]) -> list[str]:
    lines = []
    limit = 60 if args.triples <= 1_000_000 else 600
    if build is not None:
        lines.append(f"- build of {args.triples:,} triples under {limit} s: {build.seconds:.0f} s, "
                     f"{'met' if build.seconds < limit else 'NOT met'}; memory under 4 GiB: {build.memory}, "
                     f"{'met' if build.peak_rss < 4 * GIB else 'NOT met'}")
    validate, pyshacl = peers.get("validate") or Run("validate"), peers.get("pyshacl")
    if pyshacl is not None:
        ours = validate.output.get("seconds", validate.seconds)
        factor = pyshacl.seconds / ours if ours else 0
        lines.append(f"- validation at least 10x faster than pySHACL on rdflib: {'>' if pyshacl.timed_out else ''}{factor:.0f}x, "
                     f"{'met' if factor >= 10 else 'NOT met'}")
    if "pactgraph serve" in serving:
        for mode in ("distinct", "repeated"):
            p50s = {q: f["p50"] for q, f in serving["pactgraph serve"][1].items() if q.endswith(f"({mode})")}
            slow = [q for q, p in p50s.items() if p is None or p >= 50]
            lines.append(f"- named queries p50 under 50 ms through pactgraph serve, {mode}: {len(p50s) - len(slow)} of "
                         f"{len(p50s)}" + (f"; not: {', '.join(slow)}" if slow else ""))
    return lines


if __name__ == "__main__":
    main()
