"""Worker processes that run queries with a timeout that really stops them.

Oxigraph cannot cancel a running query, and a thread cannot be killed, so every query (and
every validation or report, which run queries too) runs in a worker process that opened the
store once. A job that overruns its timeout gets its worker killed; a fresh worker takes its
place in the background, and the server goes on serving.

A worker is a fresh interpreter (``python -m pactgraph.server.workers``), not a fork of the
server: nothing of the server's threads, sockets or open store is inherited, and it does not
depend on how the server itself was started. It talks to the server over its own socket pair
(POSIX): first the ``StoreSpec``, answered by ``("ready", None)`` once the store is open, then
one job at a time, answered by ``("ok", value)`` or ``("crashed", None)`` (the worker logs the
traceback; the client gets a plain 500). A worker whose server has gone sees its socket close
and exits.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Callable

from ..federation import ServicePolicy
from ..remote import RemoteStoreError
from ..store import GraphStore

log = logging.getLogger("pactgraph.server")


class JobTimeout(Exception):
    """The job ran past its timeout; its worker was stopped."""


class PoolBusy(Exception):
    """No worker became free within the timeout."""


class WorkerCrashed(Exception):
    """The worker died, or the job raised: a bug, logged by the worker."""


class WorkerDied(WorkerCrashed):
    """The worker process ended while it ran the job (killed from outside: the OOM killer, an
    operator); the job itself may be sound, so the client may try again."""


class WorkerOutOfMemory(WorkerDied):
    """The job needed more memory than a worker may allocate; the worker was stopped by it."""


@dataclass(frozen=True)
class StoreSpec:
    """How a worker opens its store: a published build read-only, or a scratch store writable."""

    path: Path
    services: ServicePolicy
    scratch: bool = False

    def open(self) -> GraphStore:
        if self.scratch:
            return GraphStore.open_scratch(self.path, self.services)
        return GraphStore.open(self.path, self.services)


def _work(conn: Connection) -> None:
    """A worker's life: open the store, then answer jobs until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    spec: StoreSpec = conn.recv()  # or a remote.RemoteSpec: anything with open() and path
    try:
        graph = spec.open()
    except Exception as error:  # noqa: BLE001 - reported to the parent, which decides
        conn.send(("failed", f"{type(error).__name__}: {error}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job, args = message
        try:
            outcome = ("ok", job(graph, *args))
        except RemoteStoreError as error:  # a remote store down or refusing: the client's 502, not a bug
            from .jobs import Failure

            outcome = ("ok", Failure("service-failed", str(error)))
        except Exception:  # noqa: BLE001 - a bug in a job: log it here, answer 500 there
            log.exception("job %s failed", getattr(job, "__name__", job))
            outcome = ("crashed", None)
        try:
            conn.send(outcome)
        except Exception:  # noqa: BLE001 - an answer that cannot be pickled is a bug too
            log.exception("the answer of job %s could not be sent", getattr(job, "__name__", job))
            conn.send(("crashed", None))


class _Worker:
    def __init__(self, spec: StoreSpec, startup_timeout: float, memory_limit: int | None = None):
        ours, theirs = socket.socketpair()
        self.conn = Connection(os.dup(ours.fileno()))
        ours.close()
        command = [sys.executable, "-m", "pactgraph.server.workers", str(theirs.fileno())]
        if memory_limit:
            command.append(str(memory_limit))
        self.process = subprocess.Popen(command, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        try:
            self.conn.send(spec)
            if not self.conn.poll(startup_timeout):
                raise RuntimeError(f"a worker did not open {spec.path} within {startup_timeout:.0f} s")
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            status, detail = "failed", "it exited"
        except RuntimeError:
            self.kill()
            raise
        if status != "ready":
            self.kill()
            raise RuntimeError(f"a worker could not open {spec.path}: {detail}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.error("worker %d did not stop", self.process.pid)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class WorkerPool:
    """``size`` worker processes over one store; ``run`` hands a job to a free one.

    ``memory_limit`` (bytes) caps what each worker may allocate (its data segment, where the
    engine's memory lives): a job past it stops the worker. Raises RuntimeError when the
    workers cannot open the store.
    """

    def __init__(self, spec: StoreSpec, size: int, timeout: float, *, startup_timeout: float = 60.0,
                 memory_limit: int | None = None):
        self.spec, self.size, self.timeout, self.startup_timeout = spec, size, timeout, startup_timeout
        self.memory_limit = memory_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add(_Worker(spec, startup_timeout, memory_limit))

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def run(self, job: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """Run ``job(store, *args)`` in a worker and return what it returns.

        Raises PoolBusy when no worker is free within the timeout, JobTimeout when the job
        overruns it (the worker is killed and replaced), WorkerCrashed when the job raised,
        WorkerDied when its worker died under it (it is replaced). A worker found dead while
        idle is replaced and the job goes to the next free one.
        """
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        while True:
            if self._closed:
                raise RuntimeError("the workers have been stopped")
            try:
                worker = self._idle.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                raise PoolBusy(f"all {self.size} workers stayed busy for {limit:g} s") from None
            if worker.process.poll() is None:
                break
            self._replace(worker)  # it died while idle: no request should pay for that
        try:
            worker.conn.send((job, args))
            if not worker.conn.poll(limit):
                self._replace(worker)
                raise JobTimeout(f"stopped after {limit:g} s")
            status, value = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            if self.memory_limit and worker.process.returncode == -signal.SIGABRT:
                # The engine aborts the process when an allocation fails: past the limit.
                raise WorkerOutOfMemory(f"the job needed more than {self.memory_limit // 2 ** 20} MiB") from None
            raise WorkerDied(f"worker {worker.process.pid} died while it ran the job") from None
        self._idle.put(worker)
        if status != "ok":
            raise WorkerCrashed("the job failed")
        return value

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now; start its successor in the background."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        threading.Thread(target=self._respawn, name="pactgraph-respawn", daemon=True).start()

    def _respawn(self) -> None:
        delay = 0.5
        while not self._closed:
            try:
                self._add(_Worker(self.spec, self.startup_timeout, self.memory_limit))
                return
            except RuntimeError:
                log.exception("a replacement worker could not start; trying again in %.1f s", delay)
                time.sleep(delay)
                delay = min(delay * 2, 30)

    def close(self) -> None:
        """Stop every worker (a busy one is killed)."""
        with self._lock:
            self._closed = True
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.stop()


def _limit_memory(limit: int) -> None:
    """Cap the data segment (heap and anonymous mappings, where the engine allocates; the
    store's files are mapped outside it). An allocation past it fails, and the engine aborts."""
    import resource

    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(levelname)s worker %(process)d: %(message)s")
    if len(sys.argv) > 2:
        _limit_memory(int(sys.argv[2]))
    _work(Connection(int(sys.argv[1])))
