"""Faults the graph and the server must survive.

A build killed (SIGKILL: no cleanup runs) at any moment leaves the published graph in service,
whole, and the next build publishes and clears what the killed ones left behind. A query worker
killed under a query costs that one request a 503 with a message, and the server goes on; a
worker killed while idle costs no request anything.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpx
import psutil
import pytest

from pactgraph.settings import Settings
from pactgraph.store import GraphStore, builds_dir

from .conftest import PROJECT

PACTGRAPH = str(Path(sys.executable).parent / "pactgraph")
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ACT = 'ASK { ?act eli:id_local "32024R1358" }'

#: Seconds after its start at which a build is killed: seeded, so a failure can be replayed,
#: and spread over a build's steps (tables, mapping, inference, validation, copy, publish).
_RANDOM = random.Random(20240514)
DELAYS = sorted(round(_RANDOM.uniform(0.3, 12.0), 2) for _ in range(3))


# --- killing the build ------------------------------------------------------------------------

@dataclass(frozen=True)
class KillPoint:
    """When to kill a build: after a delay, or as soon as its copy into the new build folder starts."""

    name: str
    wait: Callable[[subprocess.Popen, Path], None]


def after(seconds: float) -> KillPoint:
    def wait(process: subprocess.Popen, builds: Path) -> None:
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            pass
    return KillPoint(f"after {seconds} s", wait)


def when_the_copy_starts() -> KillPoint:
    """The last step before publishing: the finished store is being copied into its folder."""
    def wait(process: subprocess.Popen, builds: Path) -> None:
        folder = builds / "none"
        deadline = time.monotonic() + 300
        while process.poll() is None and time.monotonic() < deadline:
            folder = next((p for p in builds.glob(f"*-{process.pid}") if p.is_dir()), folder)
            if folder.is_dir() and any(folder.iterdir()):
                return
            time.sleep(0.005)
    return KillPoint("when the copy starts", wait)


KILL_POINTS = [*(after(seconds) for seconds in DELAYS), when_the_copy_starts()]


@dataclass(frozen=True)
class Aftermath:
    """What a killed build left: where the store pointed before and after, and what it answered."""

    point: str
    pid: int
    finished_first: bool
    before: Path
    after: Path
    sizes: dict[str, int]
    answers: bool


def run_build(store: Path) -> subprocess.Popen:
    environment = {**os.environ, "PACTGRAPH_HOME": str(PROJECT)}
    environment.pop("PACTGRAPH_STORE", None)
    return subprocess.Popen([PACTGRAPH, "build", "--store", str(store)], env=environment,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL a build we started, and any process it started."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    for child in children:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass
    process.kill()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, build_report, project_settings: Settings) -> Path:
    """A store of its own with a good build published: a copy of the session's build."""
    root = tmp_path_factory.mktemp("faults")
    published = project_settings.store.resolve()
    copy = builds_dir(root / "store") / published.name
    shutil.copytree(published, copy)
    (root / "store").symlink_to(copy, target_is_directory=True)
    return root / "store"


@pytest.fixture(scope="module")
def killed(store: Path) -> list[Aftermath]:
    """Builds killed at every kill point, one after the other, each seen right after its kill."""
    seen = []
    for point in KILL_POINTS:
        before = store.resolve()
        process = run_build(store)
        point.wait(process, builds_dir(store))
        finished_first = process.poll() is not None
        kill_tree(process)
        graph = GraphStore.open(store)
        seen.append(Aftermath(point.name, process.pid, finished_first, before, store.resolve(), graph.graph_sizes(),
                              bool(graph.query(ACT))))
    return seen


def test_a_build_killed_at_any_point_leaves_a_whole_graph_published(killed: list[Aftermath], build_report):
    assert any(not k.finished_first for k in killed), "every build finished before its kill point"
    for k in killed:
        assert k.after.is_dir(), f"{k.point}: the store points at {k.after}, which is gone"
        assert k.sizes == build_report.quads_by_graph, f"{k.point}: the published graph is not whole: {k.sizes}"
        assert k.answers, f"{k.point}: the published graph does not answer"
        if not k.finished_first:
            # killed before its end: the old build stays, unless the kill came after the swap
            assert k.after == k.before or k.after.name.endswith(f"-{k.pid}"), k


def test_the_next_build_publishes_and_clears_what_killed_builds_left(killed: list[Aftermath], store: Path, build_report):
    result = run_build(store)
    _, errors = result.communicate(timeout=600)
    assert result.returncode == 0, errors.decode(errors="replace")
    published = store.resolve()
    assert published.name.endswith(f"-{result.pid}") and published not in {k.after for k in killed}
    graph = GraphStore.open(store)
    assert graph.graph_sizes() == build_report.quads_by_graph and bool(graph.query(ACT))
    left = sorted(p.name for p in builds_dir(store).iterdir()
                  for k in killed if k.pid != result.pid and k.after.name != p.name
                  and p.name.rsplit("-", 1)[-1].removesuffix(".work") == str(k.pid))
    assert left == [], f"killed builds left these behind: {left}"


# --- killing a query worker ----------------------------------------------------------------------

def server_process(url: str) -> psutil.Process:
    """The ``pactgraph serve`` process (a child of this test process) listening at ``url``."""
    port = url.rsplit(":", 1)[1]
    for child in psutil.Process().children():
        try:
            command = child.cmdline()
        except psutil.NoSuchProcess:
            continue
        if "serve" in command and port in command:
            return child
    raise AssertionError(f"no server process of ours on port {port}")


def workers_of(server: psutil.Process) -> list[psutil.Process]:
    return [p for p in server.children() if "pactgraph.server.workers" in " ".join(p.cmdline())]


def wait_until_busy(worker: psutil.Process, seconds: float = 30) -> None:
    """Until the worker spends CPU: the query has reached it."""
    deadline = time.monotonic() + seconds
    start = sum(worker.cpu_times()[:2])
    while time.monotonic() < deadline:
        time.sleep(0.1)
        if sum(worker.cpu_times()[:2]) - start > 0.2:
            return
    raise AssertionError("the worker never started the query")


def wait_until_dead(worker: psutil.Process, seconds: float = 10) -> None:
    """Until the killed worker is gone or a zombie (its server reaps it only when it next looks)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if worker.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.05)
    raise AssertionError(f"worker {worker.pid} did not die")


def ask(url: str, query: str | None = None) -> httpx.Response:
    """A query no cache can have answered before: it must reach a worker."""
    if query is None:
        query = f'ASK {{ VALUES ?nonce {{ "{uuid.uuid4()}" }} ?act eli:id_local "32024R1358" }}'
    return httpx.get(f"{url}/sparql", params={"query": query}, timeout=120)


@pytest.fixture(scope="module")
def server(live_server) -> str:
    """One worker, and a timeout far longer than the test needs, so that only the kill stops a query."""
    return live_server("--workers", "1", "--timeout", "60")


def test_a_worker_killed_mid_query_costs_that_request_a_503_and_the_server_goes_on(server: str):
    process = server_process(server)
    [worker] = workers_of(process)
    answers: list[httpx.Response] = []
    request = threading.Thread(target=lambda: answers.append(ask(server, ENDLESS)))
    request.start()
    try:
        wait_until_busy(worker)
        worker.kill()
    finally:
        request.join(timeout=120)
    [response] = answers
    assert response.status_code == 503, response.text
    assert "stopped unexpectedly" in response.text and response.headers["retry-after"]
    assert "Traceback" not in response.text
    after = ask(server)
    assert after.status_code == 200 and after.json()["boolean"] is True
    assert process.is_running() and worker.pid not in [w.pid for w in workers_of(process)]


def test_a_worker_killed_while_idle_costs_no_request_an_error(server: str):
    process = server_process(server)
    assert ask(server).status_code == 200  # a worker is up and idle
    [worker] = workers_of(process)
    worker.kill()
    wait_until_dead(worker)
    response = ask(server)
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    assert worker.pid not in [w.pid for w in workers_of(process)]
