"""Soak: a bounded load on a real ``pactgraph serve``, to show that it answers everything without
a server error and that its memory stays bounded.

Starts ``pactgraph serve`` on loopback over a built graph (``--store``, default ``var/store``),
checks once that every request of the mix is answered, then runs ``--clients`` concurrent
clients (httpx async, each its own connection) for ``--seconds``: named queries with their
parameters, raw SPARQL by GET and POST (the same few queries, which a cache may answer, and a
distinct one per request, which reaches the engine), the dumps, and the web pages. The server
process and its query workers are sampled every second (RSS, with psutil).

Prints per kind of request: how many, requests/s, errors by status, p50 and p99 latency; and
the server's memory at the start, its maximum and at the end. Exits 1 when a request got a 5xx
or no answer at all, or when the memory passed ``--max-rss-mb``; else 0.

Needs: a built graph (``make build``).
Run:   .venv/bin/python bench/soak.py [--seconds 60] [--clients 32] [--store PATH] [--seed N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from urllib.parse import urlencode

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[1]
PACTGRAPH = Path(sys.executable).parent / "pactgraph"

PREFIXES = ("PREFIX pg: <https://w3id.org/pactgraph/ontology#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
EURODAC = "https://w3id.org/pactgraph/id/it-system/eurodac"

#: Named queries with parameters that have answers in the real graph (path, URL parameters).
NAMED = [
    ("obligations-depending-on-eurodac", {}),
    ("acts", {}),
    ("articles-of-act", {"celex": "32024R1356"}),
    ("obligations-of-member-state", {"memberState": "EL", "before": "2026-07-01"}),
    ("obligations-of-member-state", {"memberState": "NL", "format": "csv"}),
    ("member-state-classification", {"cycle": "2026"}),
    ("documents-citing", {"celex": "32024R1351"}),
    ("implementation-gaps", {"memberState": "NL"}),
    ("acts-applicable", {"asOf": "2026-06-12"}),
    ("documents", {"asOf": "2025-12-31"}),
    ("statements-about", {"about": "http://data.europa.eu/eli/reg/2024/1351/oj"}),
    ("timeline", {"memberState": "NL"}),
]
#: Raw SPARQL asked again and again (a cache may keep their answers).
REPEATED = [
    PREFIXES + 'SELECT ?act ?label WHERE { ?act eli:id_local "32024R1358" ; rdfs:label ?label }',
    PREFIXES + f"SELECT ?o ?label WHERE {{ ?o pg:dependsOn+ <{EURODAC}> ; rdfs:label ?label FILTER(lang(?label)='en') }}",
    PREFIXES + "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n) LIMIT 20",
    PREFIXES + "CONSTRUCT { ?a rdfs:label ?l } WHERE { ?a a pg:Regulation ; rdfs:label ?l }",
]
DUMPS = ["/dump.ttl", "/dump.nq", "/dump.jsonld"]
PAGES = ["/"]
#: Share of each kind of request in the mix.
WEIGHTS = {"named": 30, "sparql-repeated": 20, "sparql-distinct": 25, "dump": 5, "page": 20}


@dataclass
class Kind:
    """What the clients saw of one kind of request."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)  # no answer: the exception's name

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


@dataclass
class Report:
    """A soak's outcome: per kind, the requests; the server's memory, sampled every second."""

    seconds: float
    clients: int
    kinds: dict[str, Kind]
    rss: list[int]
    preflight_failures: list[str]
    answers_after: bool = False

    @property
    def server_errors(self) -> int:
        return sum(n for k in self.kinds.values() for status, n in k.statuses.items() if status >= 500)

    @property
    def failures(self) -> int:
        return sum(sum(k.failures.values()) for k in self.kinds.values())

    @property
    def client_errors(self) -> int:
        return sum(n for k in self.kinds.values() for status, n in k.statuses.items() if 400 <= status < 500)


# --- the server ------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(store: Path, *options: str) -> Iterator[tuple[str, int]]:
    """``pactgraph serve`` over ``store`` on a free loopback port: yields its URL and process id."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="pactgraph-soak-", suffix=".log")[1])
    environment = {**os.environ, "PACTGRAPH_HOME": str(ROOT)}
    with log.open("wb") as output:
        process = subprocess.Popen([str(PACTGRAPH), "serve", "--host", "127.0.0.1", "--port", str(port),
                                    "--store", str(store), *options], env=environment,
                                   stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"pactgraph serve exited with {process.returncode}:\n{log.read_text()}")
            try:
                httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=5).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"pactgraph serve did not answer:\n{log.read_text()}") from None
                time.sleep(0.2)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


class RssSampler:
    """Samples the resident memory of a process and all its descendants once a second."""

    def __init__(self, pid: int, interval: float = 1.0):
        self.process = psutil.Process(pid)
        self.interval = interval
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def sample(self) -> int:
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
            except psutil.Error:  # a worker replaced between listing and reading
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append(self.sample())
            except psutil.NoSuchProcess:
                return
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        try:
            self.samples.append(self.sample())
        except psutil.NoSuchProcess:
            pass


# --- the load --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """One request of the mix."""

    kind: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None


class Mix:
    """The requests the clients draw from, by weight; distinct SPARQL queries cycle through the
    graph's articles, each with a fresh nonce so that no cache can answer it."""

    def __init__(self, articles: list[str]):
        self.articles = articles or ["http://data.europa.eu/eli/reg/2024/1358/oj"]
        self.kinds = list(WEIGHTS)
        self.weights = [WEIGHTS[k] for k in self.kinds]

    def fixed(self) -> list[Call]:
        """Every request of the mix that is always the same (the preflight asks each once)."""
        calls = [Call("named", "GET", f"/api/queries/{name}", params) for name, params in NAMED]
        calls += [Call("sparql-repeated", "GET", "/sparql", {"query": q}) for q in REPEATED]
        calls += [Call("dump", "GET", path) for path in DUMPS]
        calls += [Call("page", "GET", path, headers={"accept": "text/html"}) for path in PAGES]
        return calls

    def draw(self, rng: random.Random) -> Call:
        kind = rng.choices(self.kinds, self.weights)[0]
        if kind == "sparql-distinct":
            article = rng.choice(self.articles)
            query = f'SELECT ?p ?o WHERE {{ VALUES ?nonce {{ "{uuid.uuid4()}" }} <{article}> ?p ?o }}'
            if rng.random() < 0.5:
                return Call(kind, "POST", "/sparql", headers={"content-type": "application/sparql-query"}, body=query)
            return Call(kind, "GET", "/sparql", {"query": query})
        if kind == "sparql-repeated":
            query, chance = rng.choice(REPEATED), rng.random()
            if chance < 0.2:  # a form POST: never answered from a cache
                return Call(kind, "POST", "/sparql", headers={"content-type": "application/x-www-form-urlencoded"},
                            body=urlencode({"query": query}))
            accept = "text/turtle" if "CONSTRUCT" in query else "text/csv"
            return Call(kind, "GET", "/sparql", {"query": query}, {"accept": accept} if chance < 0.5 else {})
        if kind == "dump":
            gzip = rng.random() < 0.5
            return Call(kind, "GET", rng.choice(DUMPS), headers={"accept-encoding": "gzip" if gzip else "identity"})
        return rng.choice([c for c in self.fixed() if c.kind == kind])


async def send(client: httpx.AsyncClient, call: Call) -> httpx.Response:
    return await client.request(call.method, call.path, params=call.params or None, headers=call.headers,
                                content=call.body)


async def one_client(url: str, mix: Mix, rng: random.Random, until: float, kinds: dict[str, Kind]) -> None:
    """A client on its own connection, one request after the other until the time is up."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        while time.monotonic() < until:
            call = mix.draw(rng)
            started = time.perf_counter()
            try:
                response = await send(client, call)
                await response.aread()
            except httpx.HTTPError as error:
                kinds[call.kind].failures[type(error).__name__] += 1
                continue
            kinds[call.kind].latencies.append(time.perf_counter() - started)
            kinds[call.kind].statuses[response.status_code] += 1


async def preflight(url: str) -> tuple[Mix, list[str]]:
    """Ask every fixed request once (warming the server's caches and dumps); returns the mix and
    the requests that were not answered 200."""
    async with httpx.AsyncClient(base_url=url, timeout=300) as client:
        response = await client.get("/sparql", params={"query": PREFIXES + "SELECT ?a WHERE { ?a a pg:Article } LIMIT 400"})
        articles = [b["a"]["value"] for b in response.json()["results"]["bindings"]] if response.status_code == 200 else []
        mix = Mix(articles)
        failed = []
        for call in mix.fixed():
            answer = await send(client, call)
            if answer.status_code != 200:
                failed.append(f"{call.method} {call.path} {call.params}: {answer.status_code} {answer.text[:200]}")
        return mix, failed


async def load(url: str, seconds: float, clients: int, seed: int, mix: Mix) -> dict[str, Kind]:
    kinds: dict[str, Kind] = defaultdict(Kind)
    until = time.monotonic() + seconds
    await asyncio.gather(*(one_client(url, mix, random.Random(seed + i), until, kinds) for i in range(clients)))
    return dict(kinds)


def still_answers(url: str) -> bool:
    """Whether the server answers a query that no cache can have seen."""
    query = f'ASK {{ VALUES ?nonce {{ "{uuid.uuid4()}" }} ?act <http://data.europa.eu/eli/ontology#id_local> "32024R1358" }}'
    try:
        response = httpx.get(f"{url}/sparql", params={"query": query}, timeout=60)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and response.json().get("boolean") is True


def soak(url: str, pid: int, *, seconds: float, clients: int, seed: int = 0) -> Report:
    """Drive the server at ``url`` (process ``pid``) for ``seconds`` with ``clients`` clients."""
    mix, failed = asyncio.run(preflight(url))
    with RssSampler(pid) as sampler:
        started = time.monotonic()
        kinds = asyncio.run(load(url, seconds, clients, seed, mix))
        elapsed = time.monotonic() - started
    report = Report(elapsed, clients, kinds, sampler.samples, failed)
    report.answers_after = still_answers(url)
    return report


# --- the report ----------------------------------------------------------------------------------

def table(report: Report) -> str:
    """The report as a plain-text table."""
    def row(cells: list[str]) -> str:
        return "  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in enumerate(zip(cells, widths)))

    header = ["kind", "requests", "req/s", "errors by status", "p50 ms", "p99 ms"]
    lines = []
    total = Kind()
    for name in sorted(report.kinds):
        kind = report.kinds[name]
        total.latencies += kind.latencies
        total.statuses.update(kind.statuses)
        total.failures.update(kind.failures)
        lines.append(_cells(name, kind, report.seconds))
    lines.append(_cells("all", total, report.seconds))
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    out = [row(header), row(["-" * w for w in widths]), *(row(r) for r in lines)]
    mib = [s / 2**20 for s in report.rss] or [float("nan")]
    out.append("")
    out.append(f"{report.clients} clients for {report.seconds:.1f} s; server RSS (server and workers, MiB): "
               f"start {mib[0]:.0f}, max {max(mib):.0f}, end {mib[-1]:.0f} ({len(report.rss)} samples)")
    out.append(f"answers after the soak: {'yes' if report.answers_after else 'NO'}")
    for failure in report.preflight_failures:
        out.append(f"preflight: not answered 200: {failure}")
    return "\n".join(out)


def _cells(name: str, kind: Kind, seconds: float) -> list[str]:
    errors = {str(s): n for s, n in kind.statuses.items() if s >= 400}
    errors.update({f"no answer ({e})": n for e, n in kind.failures.items()})
    text = ", ".join(f"{s}: {n}" for s, n in sorted(errors.items())) or "none"
    return [name, str(kind.requests), f"{kind.requests / seconds:.1f}", text,
            f"{kind.percentile(0.5) * 1000:.1f}", f"{kind.percentile(0.99) * 1000:.1f}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the load lasts (default 60)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--store", type=Path, default=ROOT / "var" / "store", help="the built graph (default var/store)")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes of the server (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the clients' choices (default 0)")
    parser.add_argument("--max-rss-mb", type=float, default=2048.0,
                        help="fail when the server and its workers hold more than this (default 2048)")
    args = parser.parse_args(argv)
    if not args.store.exists():
        print(f"no graph is built at {args.store}; run 'make build' first", file=sys.stderr)
        return 2
    with serving(args.store, "--workers", str(args.workers)) as (url, pid):
        report = soak(url, pid, seconds=args.seconds, clients=args.clients, seed=args.seed)
    print(table(report))
    wrong = verdict(report, args.max_rss_mb)
    print("FAIL: " + "; ".join(wrong) if wrong else "OK: no server error, memory within bounds")
    return 1 if wrong else 0


def verdict(report: Report, max_rss_mb: float) -> list[str]:
    """What went wrong in a soak (nothing: it passed)."""
    wrong = []
    if report.server_errors or report.failures:
        wrong.append(f"{report.server_errors} server errors and {report.failures} requests without an answer")
    peak = max(report.rss, default=0) / 2**20
    if peak > max_rss_mb:
        wrong.append(f"the server held {peak:.0f} MiB, more than {max_rss_mb:.0f}")
    if report.preflight_failures or not report.answers_after:
        wrong.append("some requests of the mix were not answered before or after the soak")
    return wrong


if __name__ == "__main__":
    sys.exit(main())
