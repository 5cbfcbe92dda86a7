"""A SPARQL 1.1 store on the network as the graph's store: the same ``query`` as the embedded
``GraphStore``, answered by a remote endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB ...).

Why it looks like ``GraphStore``: every report (completeness, dependencies, impact, timeline,
targets, info) only calls ``query`` and reads pyoxigraph results, so the remote store parses
the endpoint's answer back into pyoxigraph's own result types and all of them run unchanged.
What needs the triples themselves (SHACL validation, the ontology check, dumps) reads
``store``: the project's graphs fetched into an in-memory Oxigraph store, fetched again only
when a new push has gone live.

The dataset is set on every request (the protocol's ``default-graph-uri`` and
``named-graph-uri``: the project's four graphs), so a query sees the union of the project's
graphs as its default graph, exactly as on the embedded store, whatever the engine's own
default graph is (Oxigraph's is empty, Virtuoso's is every graph) and whatever else the store
holds, staging graphs of a push in progress included.

Endpoints are derived from the one URL given (see ``RemoteConfig.for_url``); credentials come
from the environment or a file, never from the command line.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from pyoxigraph import (DefaultGraph, NamedNode, Quad, QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples,
                        RdfFormat, Store, parse, parse_query_results)

from .federation import ServicePolicy
from .sparql_text import has_dataset_clause, mask
from .vocab import BUILD_GRAPH, DATA_GRAPH, DCTERMS, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES

if TYPE_CHECKING:
    import httpx

#: The project's graphs, by their short name (the last segment of their IRI).
PROJECT_GRAPHS: dict[str, NamedNode] = {g.value.removeprefix(GRAPH): g
                                        for g in (ONTOLOGY_GRAPH, DATA_GRAPH, INFERRED_GRAPH, BUILD_GRAPH)}
#: Short name of the graph recording which push is live, under the graph prefix.
RECORD_NAME = "push"


def is_url(text: str | None) -> bool:
    """Whether a ``--store`` value names a remote store (http:// or https://) rather than a folder."""
    return bool(text) and text.lower().startswith(("http://", "https://"))  # type: ignore[union-attr]


class RemoteStoreError(OSError):
    """The remote store could not be used; the message says which URL and why, in plain words.

    An OSError, so that code written for the embedded store's I/O failures handles it too.
    ``status`` is the HTTP status the store answered, if it answered.
    """

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RemoteUnavailableError(RemoteStoreError):
    """The store is down, unreachable, or answered 5xx even after the retries."""


class RemoteRefusedError(RemoteStoreError):
    """The store refused the request (401, 403, 404, 405 ...): retrying will not help."""


# --- configuration ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RemoteAuth:
    """Credentials for the remote store: ``basic`` or ``digest`` (Virtuoso) with a user and
    password, or a ``bearer`` token. Never printed (``repr`` hides the secrets)."""

    scheme: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)

    SCHEMES = ("basic", "digest", "bearer")

    @classmethod
    def from_sources(cls, scheme: str | None = None, auth_file: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> "RemoteAuth | None":
        """Credentials from a file (``user:password``, or a token for bearer) or, without one,
        from PACTGRAPH_REMOTE_USER and PACTGRAPH_REMOTE_PASSWORD, or PACTGRAPH_REMOTE_TOKEN.

        ``scheme`` (or PACTGRAPH_REMOTE_AUTH) picks basic, digest or bearer; by default bearer
        for a token and basic for a user. The secret is never a command-line argument, where
        any user of the machine could read it in the process list. None when nothing is given.

        Raises ValueError for an unknown scheme, an unreadable file, or a scheme without its
        credentials.
        """
        env = os.environ if environ is None else environ
        scheme = (scheme or env.get("PACTGRAPH_REMOTE_AUTH") or "").strip().lower() or None
        if scheme is not None and scheme not in cls.SCHEMES:
            raise ValueError(f"--auth {scheme!r}: expected one of {', '.join(cls.SCHEMES)}")
        file = auth_file or (Path(env["PACTGRAPH_REMOTE_AUTH_FILE"]) if env.get("PACTGRAPH_REMOTE_AUTH_FILE") else None)
        user = password = token = None
        if file is not None:
            try:
                secret = file.read_text(encoding="utf-8").strip()
            except OSError as error:
                raise ValueError(f"cannot read the auth file: {error}") from None
            if scheme == "bearer" or (scheme is None and ":" not in secret):
                token = secret
            else:
                user, sep, password = secret.partition(":")
                if not sep:
                    raise ValueError(f"the auth file {file} should hold user:password for {scheme} authentication")
        else:
            user, password = env.get("PACTGRAPH_REMOTE_USER") or None, env.get("PACTGRAPH_REMOTE_PASSWORD")
            token = env.get("PACTGRAPH_REMOTE_TOKEN") or None
        if scheme is None:
            if token:
                scheme = "bearer"
            elif user:
                scheme = "basic"
            else:
                return None
        if scheme == "bearer" and not token:
            raise ValueError("bearer authentication needs a token: PACTGRAPH_REMOTE_TOKEN or --auth-file")
        if scheme in ("basic", "digest") and not user:
            raise ValueError(f"{scheme} authentication needs a user and password: PACTGRAPH_REMOTE_USER and "
                             "PACTGRAPH_REMOTE_PASSWORD, or --auth-file holding user:password")
        if scheme == "bearer":
            return cls(scheme, token=token)
        return cls(scheme, user, password or "")

    def httpx_auth(self) -> "httpx.Auth | None":
        """The httpx authentication for basic or digest; None for bearer (sent as a header)."""
        import httpx

        if self.scheme == "digest":
            return httpx.DigestAuth(self.user or "", self.password or "")
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user or "", self.password or "")
        return None

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.scheme == "bearer" else {}


@dataclass(frozen=True)
class RemoteConfig:
    """Where a remote store answers and how to reach it; plain data, so it crosses to worker
    processes.

    ``gsp_url`` None means the store has no Graph Store Protocol (pushes use SPARQL Update).
    ``graph_prefix`` is the namespace of the pushed graphs in the store (the live graphs are
    ``<prefix>ontology``, ``<prefix>data`` ...): by default the project's own graph IRIs.
    """

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    auth: RemoteAuth | None = None
    graph_prefix: str = GRAPH
    #: Seconds one HTTP request may take (the server sets its query timeout here).
    timeout: float = 30.0
    #: Tries of a request that may be repeated safely, and the first pause between them (doubling).
    attempts: int = 5
    backoff: float = 0.5

    @classmethod
    def for_url(cls, url: str, *, update_url: str | None = None, gsp_url: str | None = None,
                auth: RemoteAuth | None = None, graph_prefix: str | None = None, **options) -> "RemoteConfig":
        """The endpoints of a store from one URL, by the layouts the engines use:

        ========================= ======================= ============================
        URL ends in               update                  Graph Store Protocol
        ========================= ======================= ============================
        ``/query`` (Oxigraph)     ``/update``             ``/store``
        ``/sparql`` (Virtuoso)    ``/sparql-auth`` with   ``/sparql-graph-crud-auth``
                                  credentials, else       with credentials, else
                                  ``/sparql``             ``/sparql-graph-crud``
        ``/repositories/<id>``    ``.../statements``      ``.../rdf-graphs/service``
        (GraphDB, RDF4J)
        anything else (Fuseki's   the URL itself          the URL itself
        dataset URL ``/ds``)
        ========================= ======================= ============================

        ``update_url`` and ``gsp_url`` override the guess (an empty ``gsp_url`` says there is
        no Graph Store Protocol).

        Raises ValueError for a URL that is not http(s) or a graph prefix that is not an IRI.
        """
        if not is_url(url):
            raise ValueError(f"{url!r} is not an http:// or https:// URL")
        parts = urlsplit(url)
        path = parts.path.rstrip("/")

        def at(new_path: str) -> str:
            return urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

        if path.endswith("/query"):
            guess = (at(path[:-len("query")] + "update"), at(path[:-len("query")] + "store"))
        elif path.endswith("/sparql"):
            suffix = "-auth" if auth is not None else ""
            guess = (at(path + suffix), at(path + "-graph-crud" + suffix))
        elif re.search(r"/repositories/[^/]+$", path):
            guess = (at(path + "/statements"), at(path + "/rdf-graphs/service"))
        else:
            guess = (url, url)
        prefix = graph_prefix or GRAPH
        try:
            NamedNode(prefix)
        except ValueError:
            raise ValueError(f"--graph-prefix {prefix!r} is not an absolute IRI") from None
        return cls(query_url=url, update_url=update_url or guess[0],
                   gsp_url=guess[1] if gsp_url is None else (gsp_url or None), auth=auth, graph_prefix=prefix, **options)

    @classmethod
    def from_env(cls, url: str, environ: Mapping[str, str] | None = None, **options) -> "RemoteConfig":
        """A store given as ``--store URL``: endpoints, prefix and credentials from the environment
        (PACTGRAPH_REMOTE_UPDATE_URL, PACTGRAPH_REMOTE_GSP_URL, PACTGRAPH_GRAPH_PREFIX,
        PACTGRAPH_REMOTE_ATTEMPTS and the credentials of ``RemoteAuth.from_sources``).

        Raises ValueError as ``for_url`` and ``RemoteAuth.from_sources`` do.
        """
        env = os.environ if environ is None else environ
        options = {**env_options(env), **options}
        return cls.for_url(url, update_url=env.get("PACTGRAPH_REMOTE_UPDATE_URL") or None,
                           gsp_url=env.get("PACTGRAPH_REMOTE_GSP_URL"), auth=RemoteAuth.from_sources(environ=env),
                           graph_prefix=env.get("PACTGRAPH_GRAPH_PREFIX") or None, **options)

    def live_graph(self, name: str) -> str:
        """The IRI in the store of the project's graph ``name`` (ontology, data, inferred, build)."""
        return self.graph_prefix + name

    @property
    def record_graph(self) -> str:
        """The graph that records which push is live."""
        return self.graph_prefix + RECORD_NAME


def env_options(environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """Options of every RemoteConfig from the environment: PACTGRAPH_REMOTE_ATTEMPTS, the tries
    of a request that may be repeated (1: no retries).

    Raises ValueError for a value that is not a whole number.
    """
    env = os.environ if environ is None else environ
    text = env.get("PACTGRAPH_REMOTE_ATTEMPTS")
    if not text:
        return {}
    try:
        return {"attempts": max(1, int(text))}
    except ValueError:
        raise ValueError(f"PACTGRAPH_REMOTE_ATTEMPTS={text!r}: expected a whole number") from None


# --- the store ---------------------------------------------------------------------------------

_RETRY_STATUS = {429, 502, 503, 504}
_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_BASE_DECL = re.compile(r"\bBASE\b", re.IGNORECASE)  # on the masked text, where IRIs are blanked
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
#: What marks Virtuoso's variants of SPARQL JSON results, which pyoxigraph does not read as they are.
_DIALECT = (b'"typed-literal"', b'"nodeID://', b'"lang"')


@dataclass(frozen=True)
class RemoteSpec:
    """How a server's worker process opens the remote store (``WorkerPool`` takes it like a
    ``StoreSpec``)."""

    config: RemoteConfig
    services: ServicePolicy = ServicePolicy()

    @property
    def path(self) -> str:
        """Named like a store's path, for the workers' messages."""
        return self.config.query_url

    def open(self) -> "RemoteStore":
        return RemoteStore(self.config, self.services)


class RemoteStore:
    """A remote SPARQL 1.1 store read and written over HTTP (httpx), one connection pool each.

    Reads and idempotent writes that fail for want of a connection, or get 429, 502, 503 or
    504, are tried again with exponential back-off; everything else fails at once with a
    RemoteStoreError that names the endpoint and the reason.
    """

    path = None
    union_default_graph = True

    def __init__(self, config: RemoteConfig, services: ServicePolicy | None = None):
        self.config = config
        self.services = services or ServicePolicy()
        self._client: httpx.Client | None = None
        self._snapshot: tuple[str, Store] | None = None

    # -- HTTP ----------------------------------------------------------------------------------

    @property
    def client(self) -> "httpx.Client":
        if self._client is None:
            import httpx

            auth = self.config.auth
            self._client = httpx.Client(timeout=httpx.Timeout(self.config.timeout, connect=min(self.config.timeout, 10.0)),
                                        auth=auth.httpx_auth() if auth else None,
                                        headers={"User-Agent": "pactgraph", **(auth.headers() if auth else {})})
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def request(self, method: str, url: str, *, idempotent: bool, what: str, **kwargs) -> "httpx.Response":
        """One HTTP request, tried again with back-off where that is safe.

        A request that never reached the store (no connection) is always safe to repeat; one
        that may have reached it only when ``idempotent``. Returns a 2xx response.

        Raises RemoteUnavailableError when the store cannot be reached or keeps failing,
        RemoteRefusedError for a 4xx (with the store's own words), and SyntaxError for a 400
        answer to a query or update (the store's parser message).
        """
        import httpx

        delay = self.config.backoff
        for attempt in range(1, self.config.attempts + 1):
            last = attempt == self.config.attempts
            try:
                response = self.client.request(method, url, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
                if last:
                    raise RemoteUnavailableError(f"cannot reach the store at {url} to {what}: {_reason(error)} "
                                                 f"(tried {attempt} times)") from None
            except httpx.TimeoutException as error:
                if last or not idempotent:
                    raise RemoteUnavailableError(f"the store at {url} did not answer within {self.config.timeout:g} s "
                                                 f"to {what} ({_reason(error)})") from None
            except httpx.TransportError as error:
                if last or not idempotent:
                    raise RemoteUnavailableError(f"the connection to the store at {url} failed to {what}: "
                                                 f"{_reason(error)}") from None
            else:
                if response.is_success:
                    return response
                if response.status_code in _RETRY_STATUS and idempotent and not last:
                    pass
                else:
                    raise _refusal(response, url, what)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
        raise AssertionError("unreachable")

    # -- SPARQL --------------------------------------------------------------------------------

    def _prepare(self, sparql: str, base_iri: str | None) -> str:
        """The text as sent: the project's prefixes the query uses but does not declare, its base,
        SERVICE checked against the allowlist, and the project's graph IRIs moved under the prefix."""
        text = self.services.apply(sparql)
        masked = mask(text)
        declared = {(m.group(1) or "") for m in _PREFIX_DECL.finditer(masked)}
        prologue = [f"PREFIX {name}: <{iri}>" for name, iri in PREFIXES.items()
                    if name not in declared and re.search(rf"(?<![\w.-]){re.escape(name)}:", masked)]
        if base_iri and not _BASE_DECL.search(masked):
            prologue.insert(0, f"BASE <{base_iri}>")
        if self.config.graph_prefix != GRAPH:
            for name in PROJECT_GRAPHS:
                text = text.replace(f"<{GRAPH}{name}>", f"<{self.config.live_graph(name)}>")
        return "\n".join([*prologue, text]) if prologue else text

    def _graph(self, iri: str) -> str:
        name = iri.removeprefix(GRAPH)
        return self.config.live_graph(name) if iri.startswith(GRAPH) and name in PROJECT_GRAPHS else iri

    def query(self, sparql: str, *, default_graphs: Sequence[str] | None = None,
              named_graphs: Sequence[str] | None = None, base_iri: str | None = None,
              whole_store: bool = False) -> QuerySolutions | QueryBoolean | QueryTriples:
        """Run a query on the store and return pyoxigraph's result types, as ``GraphStore.query`` does.

        The dataset is the graphs given (the protocol's ``default-graph-uri``, ``named-graph-uri``);
        else the query's own FROM; else the project's graphs, default and named alike.
        ``whole_store`` leaves the dataset to the engine (for bookkeeping over staging graphs).

        Raises SyntaxError with the store's message for a query it rejects, ServiceNotAllowedError
        for a SERVICE off the allowlist, and RemoteStoreError when the store cannot answer.
        """
        text = self._prepare(sparql, base_iri)
        form = _query_form(text)
        data: dict[str, str | list[str]] = {"query": text}
        if default_graphs is not None or named_graphs is not None:
            data["default-graph-uri"] = [self._graph(g) for g in default_graphs or ()]
            data["named-graph-uri"] = [self._graph(g) for g in named_graphs or ()]
        elif not whole_store and not has_dataset_clause(text):
            graphs = [self.config.live_graph(name) for name in PROJECT_GRAPHS]
            data["default-graph-uri"] = data["named-graph-uri"] = graphs
        accept = ("application/n-triples, text/turtle;q=0.9" if form in ("CONSTRUCT", "DESCRIBE")
                  else "application/sparql-results+json")
        response = self.request("POST", self.config.query_url, idempotent=True, what="answer a query", data=data,
                                headers={"Accept": accept})
        return _results(response, form, self.config.query_url)

    def select(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT over the whole store, as plain values (for bookkeeping)."""
        result = self.query(sparql, whole_store=True)
        assert isinstance(result, QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

    def update(self, sparql: str, *, idempotent: bool = False, what: str = "run an update") -> None:
        """Run a SPARQL Update at the update endpoint (as sent: no prefixes added, no retries
        unless the update is ``idempotent``).

        Raises SyntaxError, RemoteRefusedError (no update endpoint, no permission) or
        RemoteUnavailableError.
        """
        url = self.config.update_url or self.config.query_url
        self.request("POST", url, idempotent=idempotent, what=what, data={"update": sparql})

    # -- graphs ----------------------------------------------------------------------------------

    def count(self, graph: str) -> int:
        """Triples in one graph of the store (0 when it does not exist)."""
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"]) if rows else 0

    def graph_sizes(self) -> dict[str, int]:
        """Triples in each of the project's graphs that the store holds, by the project's IRIs."""
        sizes = {}
        for name, iri in PROJECT_GRAPHS.items():
            count = self.count(self.config.live_graph(name))
            if count:
                sizes[iri.value] = count
        return dict(sorted(sizes.items()))

    def live_push(self) -> str | None:
        """The identifier of the push that is live (written by ``pactgraph push``), or None."""
        rows = self.select(f"SELECT ?id WHERE {{ GRAPH <{self.config.record_graph}> "
                           f"{{ <{self.config.record_graph}> <{DCTERMS}identifier> ?id }} }}")
        return rows[0]["id"] if rows else None

    def fetch(self, graph: str) -> list:
        """Every triple of one graph of the store: by the Graph Store Protocol where the store has
        it, else by CONSTRUCT; checked against the store's count, because an engine's result cap
        (Virtuoso's ResultSetMaxRows) would otherwise cut the graph silently.

        Raises RemoteStoreError when fewer triples arrive than the store holds.
        """
        expected = self.count(graph)
        if expected == 0:
            return []
        triples = None
        if self.config.gsp_url:
            try:
                response = self.request("GET", self.config.gsp_url, idempotent=True, what=f"read the graph <{graph}>",
                                        params={"graph": graph}, headers={"Accept": "application/n-triples, text/turtle;q=0.9"})
                triples = list(_parse_graph(response, self.config.gsp_url))
            except RemoteRefusedError:
                triples = None  # no usable Graph Store Protocol after all: CONSTRUCT below
        if triples is None:
            result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", whole_store=True)
            triples = list(result)
        if len(triples) < expected:
            raise RemoteStoreError(f"the store holds {expected} triples in <{graph}> but sent {len(triples)}: it cuts "
                                   "long results (on Virtuoso raise ResultSetMaxRows in [SPARQL] of virtuoso.ini)")
        return triples

    @property
    def store(self) -> Store:
        """The project's graphs, fetched into an in-memory store under the project's IRIs, for
        what needs every triple (validation, the ontology check, dumps).

        Fetched once per live push: again only when ``live_push`` has changed (or always, when
        the graphs were not loaded by ``pactgraph push`` and so carry no record).
        """
        stamp = self.live_push()
        if stamp is not None and self._snapshot is not None and self._snapshot[0] == stamp:
            return self._snapshot[1]
        local = Store()
        for name, iri in PROJECT_GRAPHS.items():
            triples = self.fetch(self.config.live_graph(name))
            if triples:
                local.add_graph(iri)
                local.extend(Quad(t.subject, t.predicate, t.object, iri) for t in triples)
        if stamp is not None:
            self._snapshot = (stamp, local)
        return local

    def ping(self) -> None:
        """Ask the store a trivial question, so a store that is down or refuses says so up front.

        Raises RemoteStoreError (also when the URL answers, but not as a SPARQL endpoint).
        """
        try:
            self.query("ASK {}", whole_store=True)
        except SyntaxError as error:
            raise RemoteRefusedError(f"{self.config.query_url} does not answer 'ASK {{}}' as a SPARQL endpoint "
                                     f"does: {error}", 400) from None

    def __repr__(self) -> str:
        return f"RemoteStore({self.config.query_url!r})"


# --- answers -----------------------------------------------------------------------------------

def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text.split("] ", 1)[-1] if text.startswith("[Errno") else text


def _refusal(response: "httpx.Response", url: str, what: str) -> Exception:
    """The exception for a non-2xx answer, with the first lines of what the store said."""
    said = " ".join(response.text.strip().split())[:500] if response.content else ""
    status = response.status_code
    if status == 400 and what in ("answer a query", "run an update"):
        return SyntaxError(said or f"the store at {url} rejected the request (400)")
    hint = {401: "the store wants credentials: set PACTGRAPH_REMOTE_USER and PACTGRAPH_REMOTE_PASSWORD or "
                 "PACTGRAPH_REMOTE_TOKEN, or give --auth-file (and --auth digest for Virtuoso)",
            403: "the credentials given may not do this (on Virtuoso: use the dba account, or grant SPARQL_UPDATE)",
            404: "there is no such endpoint: check the URL (and --update-url, --gsp-url)",
            405: "the endpoint does not allow this method: is it the right one, and writable?"}.get(status, "")
    kind = RemoteUnavailableError if status >= 500 and status != 501 else RemoteRefusedError
    detail = f"; the store said: {said}" if said else ""
    return kind(f"the store at {url} refused to {what}: HTTP {status} {response.reason_phrase}"
                + (f" ({hint})" if hint else "") + detail, status)


def _query_form(text: str) -> str:
    match = _FORM.search(mask(text))
    return match.group(1).upper() if match else "SELECT"


def _results(response: "httpx.Response", form: str, url: str) -> QuerySolutions | QueryBoolean | QueryTriples:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if "sparql-results+json" in media or media == "application/json":
        return _solutions(response.content, form, url)
    if media in ("application/sparql-results+xml", "application/xml"):
        return parse_query_results(response.content, format=QueryResultsFormat.XML)
    local = Store()
    local.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in _parse_graph(response, url))
    return local.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _parse_graph(response: "httpx.Response", url: str) -> Iterable:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    formats = {"application/n-triples": RdfFormat.N_TRIPLES, "text/plain": RdfFormat.N_TRIPLES,
               "text/turtle": RdfFormat.TURTLE, "application/rdf+xml": RdfFormat.RDF_XML,
               "application/ld+json": RdfFormat.JSON_LD, "application/n-quads": RdfFormat.N_QUADS}
    if media not in formats:
        raise RemoteStoreError(f"the store at {url} answered in {media or 'no format'}, which pactgraph cannot read")
    try:
        return list(parse(response.content, format=formats[media]))
    except SyntaxError as error:
        raise RemoteStoreError(f"the store at {url} sent {media} that cannot be read: {error}") from None


def _solutions(body: bytes, form: str, url: str) -> QuerySolutions | QueryBoolean:
    """SPARQL JSON results as pyoxigraph reads them; Virtuoso's variants are mended first (blank
    nodes named ``nodeID://b1``, the old ``typed-literal`` type, ASK as a table)."""
    if form != "ASK" and not any(mark in body for mark in _DIALECT):
        return parse_query_results(body, format=QueryResultsFormat.JSON)  # read lazily, as the rows are used
    try:
        document = json.loads(body)
    except ValueError as error:
        raise RemoteStoreError(f"the store at {url} sent results that are not JSON: {error}") from None
    if form == "ASK" and "boolean" not in document:
        bindings = document.get("results", {}).get("bindings", [])
        return parse_query_results(json.dumps({"head": {}, "boolean": _truthy(bindings)}).encode(),
                                   format=QueryResultsFormat.JSON)
    for binding in document.get("results", {}).get("bindings", []):
        for term in binding.values():
            _mend(term)
    try:
        return parse_query_results(json.dumps(document).encode("utf-8"), format=QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise RemoteStoreError(f"the store at {url} sent results that cannot be read: {error}") from None


def _truthy(bindings: list) -> bool:
    """Virtuoso's ASK table: one row (value 1) for true, none for false."""
    if not bindings:
        return False
    value = next(iter(bindings[0].values()), {}).get("value", "1")
    return value not in ("0", "false")


def _mend(term: dict) -> None:
    if term.get("type") == "typed-literal":
        term["type"] = "literal"
    if term.get("type") == "bnode":
        term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"])
    if "lang" in term and "xml:lang" not in term:
        term["xml:lang"] = term.pop("lang")
    if term.get("type") == "triple":
        for part in term.get("value", {}).values():
            _mend(part)

