"""Where things are: the project's data folders and the store, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .federation import CELLAR_SPARQL, ServicePolicy


def _project_root() -> Path:
    """The folder holding ontology/, mappings/ and queries/.

    PACTGRAPH_HOME wins; otherwise the source tree this package was installed from.
    """
    env = os.environ.get("PACTGRAPH_HOME")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    """Paths of one pactgraph installation. Tests build their own with tmp paths."""

    root: Path = field(default_factory=_project_root)
    store_path: Path | None = None

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
