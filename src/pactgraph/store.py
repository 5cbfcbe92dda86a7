"""The embedded Oxigraph store: open a published build, query it, publish a new one.

A build is written into its own folder under ``builds/`` beside the store path; the
store path itself is a symbolic link that is swapped in one atomic rename once the
build is complete. Readers never see a half-written store, and a failed build leaves
the last good one in place.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, QueryTriples, Store

from .federation import ServiceNotAllowedError, ServicePolicy
from .sparql_text import add_using, check_nesting, has_dataset_clause, has_load
from .vocab import PREFIXES

QueryResult = QuerySolutions | QueryBoolean | QueryTriples


class StoreNotBuiltError(Exception):
    """There is no published store at the configured path yet."""


@dataclass
class GraphStore:
    """A pyoxigraph store whose default graph is the union of its named graphs.

    A scratch store (``union_default_graph=False``, opened writable by ``open_scratch``) keeps
    SPARQL's own default graph instead, so that it behaves like any SPARQL 1.1 store.
    """

    store: Store
    path: Path | None = None
    services: ServicePolicy = ServicePolicy()
    union_default_graph: bool = True

    @classmethod
    def open(cls, path: Path, services: ServicePolicy | None = None) -> "GraphStore":
        """Open the published store read-only.

        Raises StoreNotBuiltError when nothing has been built at ``path``.
        """
        if not path.exists():
            raise StoreNotBuiltError(f"no graph has been built at {path}; run 'pactgraph build' first")
        return cls(Store.read_only(str(path.resolve())), path, services or ServicePolicy())

    @classmethod
    def open_scratch(cls, path: Path, services: ServicePolicy | None = None) -> "GraphStore":
        """Open (or create) a writable store at ``path`` for updates; never a published build."""
        return cls(Store(str(path)), path, services or ServicePolicy(), union_default_graph=False)

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, base_iri: str | None = None) -> QueryResult:
        """Run a SPARQL query.

        The dataset is, in this order of precedence: the graphs given (the SPARQL protocol's
        ``default-graph-uri`` and ``named-graph-uri``: when either is given, the default graph is
        the merge of ``default_graphs`` and only ``named_graphs`` are named); the query's own
        ``FROM`` and ``FROM NAMED``; else the union of the named graphs (or, for a scratch store,
        its default graph) and every named graph.

        Raises SyntaxError with the parser's message on a bad query (NestingTooDeep, before
        parsing, on one nested too deep for the parser), and ServiceNotAllowedError when it
        calls an endpoint off the allowlist.
        """
        check_nesting(sparql)
        text = self.services.apply(sparql)
        if default_graphs is not None or named_graphs is not None:
            return self.store.query(text, prefixes=PREFIXES, base_iri=base_iri,
                                    default_graph=[NamedNode(g) for g in default_graphs or ()],
                                    named_graphs=[NamedNode(g) for g in named_graphs or ()])
        union = self.union_default_graph and not has_dataset_clause(text)
        return self.store.query(text, use_default_graph_as_union=union, prefixes=PREFIXES, base_iri=base_iri)

    def update(self, sparql: str, *, using_graphs: Sequence[str] = (), using_named_graphs: Sequence[str] = (),
               base_iri: str | None = None) -> None:
        """Run a SPARQL update, in one transaction; ``using_graphs`` and ``using_named_graphs`` are
        the protocol's ``using-graph-uri`` and ``using-named-graph-uri``.

        Raises SyntaxError on a bad update (or one nested too deep), UpdateDatasetConflict when
        the update has its own USING or WITH as well as using graphs, ServiceNotAllowedError for
        an endpoint off the allowlist or a LOAD (the server fetches nothing from other hosts;
        data comes in by the Graph Store Protocol), and OSError when the store is read-only.
        """
        check_nesting(sparql)
        if has_load(sparql):
            raise ServiceNotAllowedError("LOAD is not served: this server fetches nothing from other hosts; "
                                         "send the data with the Graph Store Protocol (PUT or POST /store)")
        text = add_using(self.services.apply(sparql), using_graphs, using_named_graphs)
        self.store.update(text, prefixes=PREFIXES, base_iri=base_iri)

    def graph_sizes(self) -> dict[str, int]:
        """Number of quads in each named graph."""
        rows = self.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
        return {row["g"].value: int(row["n"].value) for row in rows}


def builds_dir(store_path: Path) -> Path:
    """Where the builds behind a store path live."""
    return store_path.parent / "builds"


def new_build_dir(store_path: Path) -> Path:
    """A fresh, empty folder for the next build."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = builds_dir(store_path) / f"{stamp}-{os.getpid()}"
    path.mkdir(parents=True)
    return path


def publish(build: Path, store_path: Path) -> None:
    """Point ``store_path`` at ``build`` atomically, then drop every other build but the one it
    replaces (kept for a manual rollback) and those of builds still under way.

    What a killed build left (its working copy, a half-copied build folder) goes too: a build
    folder is named after its builder's process id, and a folder whose builder is gone and that
    is not one of the two published builds can only be such a leftover.
    """
    if store_path.exists() and not store_path.is_symlink():
        raise OSError(f"{store_path} exists and is not a link to a build; move it away first")
    previous = store_path.resolve() if store_path.is_symlink() else None
    link = store_path.with_name(f".{store_path.name}.{os.getpid()}.tmp")
    if link.is_symlink():
        link.unlink()
    link.symlink_to(build.resolve(), target_is_directory=True)
    os.replace(link, store_path)
    current = build.resolve()
    for stale in builds_dir(store_path).iterdir():
        if stale.resolve() in (current, previous) or stale.name == f"{current.name}.work" or _builder_running(stale):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _builder_running(build: Path) -> bool:
    """Whether another process, whose id ends the folder's name (``<stamp>-<pid>[.work]``), is
    still building it (this process builds one graph at a time: the one it publishes)."""
    pid = build.name.removesuffix(".work").rpartition("-")[2]
    if not pid.isdigit():
        return True  # not a folder we named: leave it alone
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)  # signal 0 sends nothing: it only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discard(build: Path) -> None:
    """Remove a build that failed."""
    shutil.rmtree(build, ignore_errors=True)
