"""Real remote stores for the tests of ``pactgraph.remote`` and ``pactgraph.push``: an Oxigraph
server (PyPI ``oxigraph``) on a free loopback port, and a TCP proxy in front of it that can
break connections the way a network does (cut a request after some bytes, go away, or lose
the answer to a request that did reach the store).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Store

from pactgraph.store import GraphStore
from pactgraph.vocab import BUILD_GRAPH, DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ClosedPort:
    """A loopback port that refuses connections for as long as the object lives: bound, never
    listening, so no other process can take it (a port merely found free could be)."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]

    def url(self, path: str = "/query") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def wait_until_answers(url: str, *, seconds: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Wait until ``url`` answers 200 (the server is ready); raises RuntimeError if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds:g} s")


class OxigraphServer:
    """``oxigraph serve`` over a folder of its own; can be killed and started again on the same
    folder and port, as a store that crashes and comes back."""

    def __init__(self, location: Path, *, read_only: bool = False):
        self.location, self.read_only = location, read_only
        self.port = free_port()
        self.binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    def start(self) -> "OxigraphServer":
        command = "serve-read-only" if self.read_only else "serve"
        self.process = subprocess.Popen([self.binary, command, "--location", str(self.location),
                                         "--bind", f"127.0.0.1:{self.port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until_answers(f"{self.query_url}?query=ASK%7B%7D", process=self.process)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


class CuttingProxy:
    """A TCP proxy to ``127.0.0.1:target``.

    ``cut_after(n)``: once ``n`` more bytes of requests have gone through, the connection
    carrying them is cut mid-request; with ``down=True`` every later connection is refused
    (closed at once) too, until ``heal()``. ``lose_answer_to(marker)``: a request containing
    ``marker`` is forwarded whole, the store's answer awaited, and the connection then closed
    without passing the answer on: the request took effect, the client cannot know it.
    """

    def __init__(self, target: int):
        self.target = target
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self._budget: int | None = None
        self._stay_down = False
        self.down = False
        self.cuts = 0
        self._marker: bytes | None = None
        self.lost_answers = 0
        self._swallow: set[socket.socket] = set()
        self._closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str = "/query") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def cut_after(self, n: int, *, down: bool = False) -> None:
        with self._lock:
            self._budget, self._stay_down = n, down

    def lose_answer_to(self, marker: bytes) -> None:
        self._marker = marker

    def heal(self) -> None:
        with self._lock:
            self._budget, self.down, self._stay_down, self._marker = None, False, False, None

    def close(self) -> None:
        self._closing = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closing:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                client.close()
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._upstream, args=(client, server), daemon=True).start()
            threading.Thread(target=self._downstream, args=(server, client), daemon=True).start()

    def _take(self, size: int) -> int | None:
        """How many of ``size`` bytes may pass before the cut (None: all of them)."""
        with self._lock:
            if self._budget is None:
                return None
            allowed = min(size, self._budget)
            self._budget -= allowed
            if self._budget == 0 and allowed <= size:
                self._budget = None
                self.cuts += 1
                self.down = self._stay_down
                return allowed
            return None

    def _upstream(self, client: socket.socket, server: socket.socket) -> None:
        seen = b""
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                allowed = self._take(len(data))
                if allowed is not None:
                    server.sendall(data[:allowed])
                    _close(client, server)
                    return
                seen = (seen + data)[-4096:]
                if self._marker is not None and self._marker in seen:
                    # Marked before the request goes on, so that no answer can slip through first.
                    self._swallow.add(client)
                    self._marker = None
                    server.sendall(data)
                    self._hold_answer(client, server)
                    return
                server.sendall(data)
        except OSError:
            pass
        _close(client, server)

    def _hold_answer(self, client: socket.socket, server: socket.socket) -> None:
        """Forward the rest of the request; the answer is then dropped (see ``_downstream``)."""
        try:
            while True:
                data = client.recv(65536)
                if not data:
                    break
                server.sendall(data)
        except OSError:
            pass

    def _downstream(self, server: socket.socket, client: socket.socket) -> None:
        try:
            while True:
                data = server.recv(65536)
                if not data:
                    break
                if client in self._swallow:  # the store has answered: the request took effect
                    self.lost_answers += 1
                    break
                client.sendall(data)
        except OSError:
            pass
        _close(client, server)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def small_build(path: Path, marker: str, *, lists: int = 1, chain: int = 3) -> GraphStore:
    """A store shaped like a build, small and recognisable: a ``marker`` literal in each of the
    four graphs, and ``lists`` blank-node lists of ``chain`` items each in the ontology graph (as
    OWL axioms have), hung on ``<https://example.org/{marker}/list/{n}>``."""
    store = Store(str(path))
    for graph in (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH, BUILD_GRAPH):
        store.add(Quad(NamedNode(f"https://example.org/{marker}"), NamedNode("https://example.org/in"),
                       Literal(f"{marker} {graph.value}"), graph))
    for n in range(lists):
        head = NamedNode(f"https://example.org/{marker}/list/{n}")
        nodes = [BlankNode() for _ in range(chain)]
        store.add(Quad(head, NamedNode("https://example.org/items"), nodes[0], ONTOLOGY_GRAPH))
        for i, node in enumerate(nodes):
            store.add(Quad(node, NamedNode(RDF + "first"), Literal(str(i)), ONTOLOGY_GRAPH))
            following = nodes[i + 1] if i + 1 < chain else NamedNode(RDF + "nil")
            store.add(Quad(node, NamedNode(RDF + "rest"), following, ONTOLOGY_GRAPH))
    store.flush()
    return GraphStore(store, path)
