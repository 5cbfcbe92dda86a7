"""Where things are and how the server behaves: the project's data folders, the store and the
server's limits, in one place.

Every server limit has an environment variable (read when a Settings is made without that
field); ``pactgraph serve`` options set the fields themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .federation import CELLAR_SPARQL, ServicePolicy

if TYPE_CHECKING:
    from .remote import RemoteConfig


def _project_root() -> Path:
    """The folder holding ontology/, mappings/ and queries/.

    PACTGRAPH_HOME wins; otherwise the source tree this package was installed from.
    """
    env = os.environ.get("PACTGRAPH_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def _env_number(name: str, default: float, kind: type = int, *, allow_zero: bool = False) -> float:
    """A positive number from the environment variable ``name``, or ``default`` when it is unset.

    Raises ValueError naming the variable when its value is not a positive number.
    """
    text = os.environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = kind(text)
    except ValueError:
        value = -1
    if value < 0 or (value == 0 and not allow_zero):
        what = "a positive" if not allow_zero else "a zero or positive"
        raise ValueError(f"{name}={text!r}: expected {what} {'whole ' if kind is int else ''}number")
    return value


def _env_remote() -> "RemoteConfig | None":
    """The remote store PACTGRAPH_STORE names when it is a URL (its credentials from the
    environment too); None when it names a folder or is unset."""
    from .remote import RemoteConfig, is_url

    text = os.environ.get("PACTGRAPH_STORE")
    return RemoteConfig.from_env(text) if is_url(text) else None


def _env_path(name: str) -> Path | None:
    text = os.environ.get(name)
    return Path(text).absolute() if text else None


@dataclass(frozen=True)
class Settings:
    """Paths and server limits of one pactgraph installation. Tests build their own with tmp paths."""

    root: Path = field(default_factory=_project_root)
    store_path: Path | None = None

    #: Seconds a query (or validation, report) may run before its worker is stopped: PACTGRAPH_QUERY_TIMEOUT.
    query_timeout: float = field(default_factory=lambda: _env_number("PACTGRAPH_QUERY_TIMEOUT", 30.0, float))
    #: Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) a response holds at most; more are cut: PACTGRAPH_MAX_ROWS.
    max_rows: int = field(default_factory=lambda: _env_number("PACTGRAPH_MAX_ROWS", 10_000))
    #: Largest request body accepted, in bytes; larger ones get 413: PACTGRAPH_MAX_REQUEST_BYTES.
    max_request_bytes: int = field(default_factory=lambda: _env_number("PACTGRAPH_MAX_REQUEST_BYTES", 1_048_576))
    #: Bytes of answers of the published graph kept for repeated queries (0: none): PACTGRAPH_CACHE_BYTES.
    cache_bytes: int = field(default_factory=lambda: _env_number("PACTGRAPH_CACHE_BYTES", 64 * 1_048_576, allow_zero=True))
    #: Worker processes answering queries on the published graph: PACTGRAPH_WORKERS.
    workers: int = field(default_factory=lambda: _env_number("PACTGRAPH_WORKERS", 2))
    #: MiB of memory a query worker may allocate (0: no limit): PACTGRAPH_WORKER_MEMORY. A query
    #: past it stops its worker, like a timeout: a sort over a cartesian product grows by
    #: hundreds of MB a second, faster than a timeout alone can bound.
    worker_memory: int = field(default_factory=lambda: _env_number("PACTGRAPH_WORKER_MEMORY", 2048, allow_zero=True))
    #: Whether SPARQL Update and the Graph Store Protocol are served, on the scratch store.
    allow_update: bool = False
    #: The bearer token updates must carry: PACTGRAPH_UPDATE_TOKEN.
    update_token: str | None = field(default_factory=lambda: os.environ.get("PACTGRAPH_UPDATE_TOKEN") or None, repr=False)
    #: The writable scratch store updates go to (PACTGRAPH_SCRATCH); a temporary one when unset.
    scratch_path: Path | None = field(default_factory=lambda: _env_path("PACTGRAPH_SCRATCH"))
    #: A remote SPARQL store to query instead of the built store (``--store URL``); see remote.py.
    remote: RemoteConfig | None = field(default_factory=_env_remote)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def mappings_dir(self) -> Path:
        return self.root / "mappings"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def services(self) -> ServicePolicy:
        """SERVICE endpoints a query may call (PACTGRAPH_SERVICE_ALLOWLIST, space-separated; by
        default the Cellar endpoint) and where each is reached (PACTGRAPH_SERVICE_REDIRECTS,
        space-separated ``official=actual`` pairs, for a local stand-in)."""
        allow = os.environ.get("PACTGRAPH_SERVICE_ALLOWLIST")
        redirects = dict(pair.split("=", 1) for pair in os.environ.get("PACTGRAPH_SERVICE_REDIRECTS", "").split() if "=" in pair)
        return ServicePolicy(frozenset(allow.split()) if allow is not None else frozenset({CELLAR_SPARQL}), redirects)

    @property
    def store(self) -> Path:
        """The published store: a symlink to the last good build."""
        if self.store_path is not None:
            return self.store_path
        env = os.environ.get("PACTGRAPH_STORE")
        return Path(env).absolute() if env else self.root / "var" / "store"
