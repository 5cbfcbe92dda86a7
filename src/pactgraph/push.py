"""Push the built graph into a remote SPARQL 1.1 store, replacing what is there only when the
new graphs are complete.

The steps, each of which can fail without touching the live graphs:

1. every built graph (ontology, data, inferred, build) is uploaded into a staging graph of
   its own, ``<prefix>staging/<stamp>/<name>``, in batches: N-Triples through the Graph
   Store Protocol (POST), or ``INSERT DATA`` where the store has only SPARQL Update;
2. the store's count of each staging graph is checked against the build's, and the triples
   are read back: a literal the store changed on the way in (Virtuoso turns ``"P3D"^^xsd:duration``
   into ``"259200.0"^^xsd:duration``) is reported in ``PushReport.altered``, with what was sent;
3. one SPARQL Update request moves every staging graph onto its live graph (``MOVE``) and
   rewrites the record of which push is live (``<prefix>push``): as atomic as the store
   makes one request (Oxigraph: one transaction).

On a failure before the swap the staging graphs are dropped (when the store can still be
reached) and the live graphs are as they were. Staging graphs that a failed push could not drop
(the store had gone) are dropped by a later push once they are older than ``stale_after``: a
younger one may belong to a push still running elsewhere. A connection lost during the swap itself is
settled by reading the record back (for as long as one request may take), never by sending
the swap again; when the store cannot tell, the staging graphs are kept and named.

A blank node label means one node only within one request, so the triples that share blank
nodes travel in the same batch; and a batch with blank nodes is not sent twice after a
failure that may have reached the store (it would add a copy of each blank node): only
batches without them, which the store merges as a set, are retried after such failures.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, serialize

from .remote import PROJECT_GRAPHS, RemoteRefusedError, RemoteStore, RemoteStoreError
from .store import GraphStore
from .vocab import DCTERMS, PROV, VOID, XSD

#: Called with the number of triples just stored, and the total.
ProgressListener = Callable[[int, int], None]

DEFAULT_BATCH = 5000
#: Staging graphs older than this are left over from a push that failed: a later push drops them.
DEFAULT_STALE_AFTER = timedelta(hours=24)
_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"
_STAGING_STAMP = re.compile(r"staging/([0-9]{8}T[0-9]{12}Z)-[0-9a-f]+/")
#: Answers to the first Graph Store Protocol POST that mean "no Graph Store Protocol here".
_NO_GSP = {404, 405, 415, 501}
#: Triples per INSERT DATA at most (Virtuoso's SPARQL compiler runs out of memory near 5000),
#: and with blank nodes per INSERT template (Virtuoso turns a longer one into too much SQL).
_DATA_BATCH = 1000
_TEMPLATE_BATCH = 100


class PushError(RemoteStoreError):
    """The push did not complete; the live graphs are those that were live before it."""


@dataclass(frozen=True)
class PushReport:
    """What a push did."""

    stamp: str
    #: Triples of each live graph after the push, by its IRI in the store.
    graphs: dict[str, int]
    batches: int
    #: ``gsp`` (Graph Store Protocol) or ``update`` (INSERT DATA).
    method: str
    seconds: float
    #: Triples the store holds otherwise than they were sent: (sent, stored) in N-Triples, matched
    #: on subject and predicate (blank-node triples are counted, not compared).
    altered: tuple[tuple[str, str], ...] = ()
    #: Staging graphs left by earlier pushes that failed, dropped by this one.
    cleared: tuple[str, ...] = ()


def push(local: GraphStore, remote: RemoteStore, *, batch_size: int = DEFAULT_BATCH,
         on_progress: ProgressListener | None = None, stale_after: timedelta = DEFAULT_STALE_AFTER) -> PushReport:
    """Load the built graphs of ``local`` into ``remote`` and make them live together, after
    dropping the staging graphs that failed pushes left more than ``stale_after`` ago.

    Raises RemoteStoreError when the store is down or refuses before anything was written,
    and PushError when the push fails later; in both cases the live graphs are unchanged.
    """
    started = time.perf_counter()
    remote.ping()
    config = remote.config
    now = datetime.now(timezone.utc)
    cleared = clear_stale_staging(remote, now - stale_after)
    stamp = now.strftime(_STAMP_FORMAT) + "-" + secrets.token_hex(3)
    staging = {name: f"{config.graph_prefix}staging/{stamp}/{name}" for name in PROJECT_GRAPHS}
    contents = {name: [q.triple for q in local.store.quads_for_pattern(None, None, None, iri)]
                for name, iri in PROJECT_GRAPHS.items()}
    total = sum(len(triples) for triples in contents.values())
    loader = _Loader(remote, total, on_progress or (lambda done, total: None))
    try:
        for name, triples in contents.items():
            for batch in batches(triples, batch_size):
                loader.load(staging[name], batch)
        for name, triples in contents.items():
            stored = remote.count(staging[name])
            if stored != len(triples):
                raise PushError(f"the store holds {stored} triples in the staging graph of {name}, "
                                f"not the {len(triples)} sent; nothing was replaced")
        altered = tuple(pair for name, triples in contents.items() for pair in _altered(triples, remote.fetch(staging[name])))
    except BaseException as error:
        left = _drop(remote, [graph for graph in staging.values() if graph in loader.touched])
        if isinstance(error, RemoteStoreError) and not isinstance(error, PushError):
            raise PushError(f"{error}; nothing was replaced{left}") from None
        if isinstance(error, PushError) and left:
            raise PushError(f"{error}{left}") from None
        raise
    sizes = {config.live_graph(name): len(triples) for name, triples in contents.items()}
    _swap(remote, staging, sizes, stamp)
    return PushReport(stamp, sizes, loader.batches, loader.method, time.perf_counter() - started, altered, cleared)


def clear_stale_staging(remote: RemoteStore, before: datetime) -> tuple[str, ...]:
    """Drop the staging graphs (under the graph prefix) of pushes started before ``before``;
    the graphs dropped. Raises RemoteStoreError when the store cannot be asked or refuses."""
    prefix = remote.config.graph_prefix + "staging/"
    rows = remote.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
                         f"FILTER (STRSTARTS(STR(?g), {Literal(prefix)})) }}")
    stale = []
    for graph in sorted(row["g"] for row in rows if "g" in row):
        match = _STAGING_STAMP.match(graph, len(prefix) - len("staging/"))
        if match and datetime.strptime(match.group(1), _STAMP_FORMAT).replace(tzinfo=timezone.utc) < before:
            stale.append(graph)
    for graph in stale:
        remote.update(f"DROP SILENT GRAPH <{graph}>", idempotent=True, what="drop a stale staging graph")
    return tuple(stale)


def _altered(sent: list[Triple], stored: list[Triple]) -> list[tuple[str, str]]:
    """The triples without blank nodes that came back otherwise than they were sent.

    Both sides pass through an Oxigraph store first, which keeps typed literals by value, so
    another lexical form of the same value (``.57659Z`` read back as ``.576590Z``) is no change.
    """
    def plain(triples: list[Triple]) -> set[str]:
        store = Store()
        store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples
                     if not isinstance(t.subject, BlankNode) and not isinstance(t.object, BlankNode))
        return {str(q.triple) for q in store}

    ours, theirs = plain(sent), plain(stored)
    missing, extra = sorted(ours - theirs), sorted(theirs - ours)
    by_key: dict[str, list[str]] = {}
    for line in extra:
        by_key.setdefault(_subject_predicate(line), []).append(line)
    return [(line, (by_key.get(_subject_predicate(line)) or [""]).pop(0)) for line in missing]


def _subject_predicate(ntriple: str) -> str:
    return " ".join(ntriple.split(" ", 2)[:2])


def batches(triples: list[Triple], size: int) -> Iterator[list[Triple]]:
    """The triples in batches of about ``size``; triples linked through blank nodes stay together
    (a group larger than ``size`` is one batch of its own)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    plain: list[Triple] = []
    linked: list[tuple[str, Triple]] = []
    for triple in triples:
        nodes = [t.value for t in (triple.subject, triple.object) if isinstance(t, BlankNode)]
        if not nodes:
            plain.append(triple)
            continue
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
        linked.append((nodes[0], triple))
    groups: dict[str, list[Triple]] = {}
    for node, triple in linked:
        groups.setdefault(root(node), []).append(triple)
    batch: list[Triple] = []
    for group in [*groups.values(), *([t] for t in plain)]:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


class _Loader:
    """Sends batches by the Graph Store Protocol, or INSERT DATA once the store has shown it has
    no (usable) Graph Store Protocol."""

    def __init__(self, remote: RemoteStore, total: int, on_progress: ProgressListener):
        self.remote, self.total, self.on_progress = remote, total, on_progress
        self.method = "gsp" if remote.config.gsp_url else "update"
        self.batches = self.done = 0
        #: Staging graphs that may hold something (a refused request wrote nothing).
        self.touched: set[str] = set()

    def load(self, graph: str, batch: list[Triple]) -> None:
        try:
            self._send(graph, batch)
        except RemoteRefusedError:
            raise
        except BaseException:
            self.touched.add(graph)
            raise
        self.touched.add(graph)
        self.batches += 1
        self.done += len(batch)
        self.on_progress(len(batch), self.total)

    def _send(self, graph: str, batch: list[Triple]) -> None:
        safe = not any(_has_blank_node(t) for t in batch)
        if self.method == "gsp":
            body = serialize(batch, format=RdfFormat.N_TRIPLES) or b""
            try:
                self.remote.request("POST", self.remote.config.gsp_url, idempotent=safe, what=f"store a batch in <{graph}>",
                                    params={"graph": graph}, content=body,
                                    headers={"Content-Type": "application/n-triples"})
            except RemoteRefusedError as error:
                if self.batches or error.status not in _NO_GSP:
                    raise
                self.method = "update"  # no Graph Store Protocol there: SPARQL Update it is
        if self.method == "update":
            # INSERT DATA where it can. Some stores (Virtuoso) take no blank nodes in it: those
            # triples go as a template over the one empty solution (standard SPARQL too), in small
            # parts, as Virtuoso compiles a template into SQL of bounded length
            plain = [t for t in batch if not _has_blank_node(t)]
            for start in range(0, len(plain), _DATA_BATCH):
                triples = (serialize(plain[start:start + _DATA_BATCH], format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
                self.remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{triples}}} }}", idempotent=True,
                                   what=f"store a batch in <{graph}>")
            for part in batches([t for t in batch if _has_blank_node(t)], _TEMPLATE_BATCH):
                triples = (serialize(part, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")
                self.remote.update(f"INSERT {{ GRAPH <{graph}> {{\n{triples}}} }} WHERE {{}}", idempotent=False,
                                   what=f"store a batch in <{graph}>")


def _has_blank_node(triple: Triple) -> bool:
    return isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)


def _drop(remote: RemoteStore, graphs: Iterable[str]) -> str:
    """Drop the staging graphs; what could not be dropped, as words to add to an error."""
    left = []
    for graph in graphs:
        try:
            remote.update(f"DROP SILENT GRAPH <{graph}>", idempotent=True, what="drop a staging graph")
        except (RemoteStoreError, SyntaxError):
            left.append(graph)
    if not left:
        return ""
    return ("; these staging graphs could not be dropped and may be dropped by hand (DROP SILENT GRAPH): "
            + " ".join(f"<{g}>" for g in left))


def _swap(remote: RemoteStore, staging: dict[str, str], sizes: dict[str, int], stamp: str) -> None:
    """Make the staging graphs live in one update request, with the record of this push.

    Raises PushError when the store refuses the swap (the staging graphs are dropped, the live
    graphs stay) or when it cannot be told whether the swap happened.
    """
    config = remote.config
    record = config.record_graph
    now = datetime.now(timezone.utc).isoformat()
    facts = [f"<{record}> <{DCTERMS}identifier> {Literal(stamp)} .",
             f"<{record}> <{PROV}endedAtTime> {Literal(now, datatype=NamedNode(XSD + 'dateTime'))} ."]
    operations = []
    for name, graph in staging.items():
        live = config.live_graph(name)
        if sizes[live]:
            operations.append(f"MOVE <{graph}> TO <{live}>")
        else:
            operations.append(f"DROP SILENT GRAPH <{live}>")
        facts.append(f"<{live}> <{VOID}triples> {Literal(str(sizes[live]), datatype=NamedNode(XSD + 'integer'))} .")
    operations.append(f"DROP SILENT GRAPH <{record}>")
    operations.append(f"INSERT DATA {{ GRAPH <{record}> {{ {' '.join(facts)} }} }}")
    try:
        remote.update(" ;\n".join(operations), what="make the pushed graphs live")
    except (RemoteRefusedError, SyntaxError) as error:
        left = _drop(remote, staging.values())
        raise PushError(f"the store refused to make the pushed graphs live: {error}; nothing was replaced{left}") from None
    except RemoteStoreError as error:
        if not _became_live(remote, stamp):
            kept = " ".join(f"<{g}>" for g in staging.values())
            raise PushError(f"the connection was lost while the pushed graphs were being made live ({error}), and the "
                            f"store has not shown that they are. The staging graphs are kept, in case the store is "
                            f"still moving them: if <{record}> does not name push {stamp} once the store answers, "
                            f"drop them (DROP SILENT GRAPH) and push again: {kept}") from None


def _became_live(remote: RemoteStore, stamp: str) -> bool:
    """Whether the push ``stamp`` is recorded as live, asked until the store's own timeout has
    passed (an update whose answer was lost may still be running there)."""
    deadline = time.monotonic() + remote.config.timeout
    pause = remote.config.backoff
    while True:
        try:
            if remote.live_push() == stamp:
                return True
        except RemoteStoreError:
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(pause)
        pause = min(pause * 2, 5.0)
