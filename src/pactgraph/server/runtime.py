"""What a running app holds: its worker pools, the published build it serves, cached dumps.

Nothing is opened until first use, so ``create_app`` never touches the store. The build a
server serves is fixed when it first opens the store (the store path's target, resolved), so
a build published while the server runs is picked up at the next start, and the ETags of the
dumps name that build.

With a remote store (``serve --store URL``) the workers forward every query to it (see
``pactgraph.remote``), so a push goes live on the server at once; answers are then not kept
(``cache_bytes`` is 0: the remote graph may change under the server), and the dumps and the
service description are of the push that was live when they were first asked for.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
import tempfile
import threading
from pathlib import Path

from ..export import ExportFormat, export_graph
from ..remote import RemoteSpec, RemoteStore, RemoteStoreError
from ..settings import Settings
from ..store import GraphStore, StoreNotBuiltError
from .cache import AnswerCache
from .workers import StoreSpec, WorkerPool

log = logging.getLogger("pactgraph.server")


class Runtime:
    """The pools and caches of one app; thread-safe, closed by the app's shutdown."""

    def __init__(self, settings: Settings):
        if settings.remote is not None:
            settings = dataclasses.replace(settings, cache_bytes=0,
                                           remote=dataclasses.replace(settings.remote, timeout=settings.query_timeout))
        self.settings = settings
        self._lock = threading.Lock()
        self._build: Path | None = None
        self._graph: GraphStore | RemoteStore | None = None
        self._published: WorkerPool | None = None
        self._scratch: WorkerPool | None = None
        self._scratch_dir: Path | None = None
        self._cache_dir: Path | None = None
        self._dumps: dict[ExportFormat, tuple[Path, Path]] = {}
        self._dump_lock = threading.Lock()
        self._sizes: dict[str, int] | None = None
        self._answers: AnswerCache | None = None

    @property
    def build(self) -> Path:
        """The build directory served (the store path resolved once).

        Raises StoreNotBuiltError when nothing has been built.
        """
        with self._lock:
            if self._build is None and self.settings.remote is not None:
                remote = RemoteStore(self.settings.remote, self.settings.services)
                try:
                    stamp = remote.live_push()
                except RemoteStoreError as error:  # answered like a store not built yet: 503, with the reason
                    raise StoreNotBuiltError(str(error)) from None
                finally:
                    remote.close()
                self._build = Path(f"remote-{stamp or 'unrecorded'}")
            if self._build is None:
                if not self.settings.store.exists():
                    raise StoreNotBuiltError(f"no graph has been built at {self.settings.store}; run 'pactgraph build' first")
                self._build = self.settings.store.resolve()
            return self._build

    @property
    def answers(self) -> AnswerCache:
        """Answers of the published build kept for repeated queries (see ``cache.py``)."""
        build = self.build
        with self._lock:
            if self._answers is None:
                self._answers = AnswerCache(build.name, self.settings.cache_bytes)
            return self._answers

    @property
    def graph(self) -> GraphStore | RemoteStore:
        """The published build, opened read-only in this process (dumps, sizes); or the remote store."""
        if self.settings.remote is not None:
            with self._lock:
                if self._graph is None:
                    self._graph = RemoteStore(self.settings.remote, self.settings.services)
                return self._graph
        build = self.build
        with self._lock:
            if self._graph is None:
                self._graph = GraphStore.open(build, self.settings.services)
            return self._graph

    @property
    def published(self) -> WorkerPool:
        """Workers over the published build: named queries, reports, and /sparql when read-only.

        Raises StoreNotBuiltError, or RuntimeError when the workers cannot start.
        """
        if self.settings.remote is not None:
            spec: StoreSpec | RemoteSpec = RemoteSpec(self.settings.remote, self.settings.services)
        else:
            spec = StoreSpec(self.build, self.settings.services)
        with self._lock:
            if self._published is None:
                self._published = WorkerPool(spec, self.settings.workers, self.settings.query_timeout,
                                             memory_limit=self.settings.worker_memory * 2 ** 20 or None)
            return self._published

    @property
    def scratch(self) -> WorkerPool:
        """The one worker that owns the writable scratch store (--scratch PATH, or a temporary one)."""
        with self._lock:
            if self._scratch is None:
                path = self.settings.scratch_path
                if path is None:
                    self._scratch_dir = Path(tempfile.mkdtemp(prefix="pactgraph-scratch-"))
                    path = self._scratch_dir / "store"
                if self._build is not None and path.resolve() == self._build:
                    raise RuntimeError("the scratch store cannot be the published build")
                self._scratch = WorkerPool(StoreSpec(path, self.settings.services, scratch=True), 1,
                                           self.settings.query_timeout, memory_limit=self.settings.worker_memory * 2 ** 20 or None)
            return self._scratch

    @property
    def dataset(self) -> WorkerPool:
        """The pool /sparql and /store answer from: the scratch store when updates are allowed."""
        return self.scratch if self.settings.allow_update else self.published

    def published_sizes(self) -> dict[str, int]:
        """Quads per named graph of the published build (cached: a build never changes)."""
        if self._sizes is None:
            self._sizes = self.graph.graph_sizes()
        return self._sizes

    def dump(self, fmt: ExportFormat) -> tuple[Path, Path]:
        """The whole published graph in ``fmt``, plain and gzipped, written once per server."""
        import gzip

        with self._dump_lock:
            if fmt not in self._dumps:
                if self._cache_dir is None:
                    self._cache_dir = Path(tempfile.mkdtemp(prefix="pactgraph-dumps-"))
                plain = self._cache_dir / f"dump.{fmt.value}"
                with plain.open("wb") as handle:
                    export_graph(self.graph, fmt, handle)
                packed = plain.with_name(plain.name + ".gz")
                with plain.open("rb") as source, gzip.GzipFile(packed, "wb", mtime=0) as target:
                    shutil.copyfileobj(source, target)
                self._dumps[fmt] = (plain, packed)
            return self._dumps[fmt]

    def close(self) -> None:
        """Stop the workers and remove the temporary scratch store and dumps."""
        with self._lock:
            pools, self._published, self._scratch = [self._published, self._scratch], None, None
        for pool in pools:
            if pool is not None:
                pool.close()
        if isinstance(self._graph, RemoteStore):
            self._graph.close()
        for folder in (self._scratch_dir, self._cache_dir):
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        self._scratch_dir = self._cache_dir = None
        self._dumps.clear()
