"""``create_app(settings)``: the FastAPI app serving a built graph.

One router a concern: the SPARQL protocol (``sparql.py``), updates and the Graph Store
Protocol (``update.py``), the named queries (``queries.py``), reports (``reports.py``), the
timeline (``timeline.py``), dumps (``dumps.py``) and the pages for people (``web.py``, their
scripts and styles under ``/static``). Queries and reports run in worker processes
(``workers.py``) so that a timeout really stops them. Nothing is opened until first use (or
the server's startup); shutting the app down stops the workers.

Around the routes, from the outside in: ``FastLane``, which sends a repeated GET of the
published graph again without entering the app (``fastlane.py``); CORS (any origin may read;
the update token travels in a header, never a cookie), gzip for large responses, and
``LastResort``, which caps the request size (413) and turns any error that escapes a handler
into a plain 500.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..settings import Settings
from . import dumps, reports, sparql, timeline, update, web
from .fastlane import FastLane
from .pages import home_page
from .problems import LastResort, Problem, render
from .queries import router_for
from .runtime import Runtime

log = logging.getLogger("pactgraph.server")

DESCRIPTION = """The knowledge graph of the EU Pact on Migration and Asylum.

* **SPARQL 1.1 Protocol** at `/sparql` (GET, POST form, POST `application/sparql-query`), with
  `default-graph-uri` and `named-graph-uri`; results in SPARQL JSON, XML, CSV or TSV, graphs in
  Turtle, N-Triples, JSON-LD or RDF/XML, by the `Accept` header.
* **Named queries** at `/api/queries`, each with its parameters.
* **Reports**: SHACL validation (`POST /api/validate`), completeness, dependencies, impact.
* **Dumps** of the whole graph at `/dump.ttl`, `/dump.nq`, `/dump.jsonld`.

A query runs at most the server's timeout (then 503), and a result holds at most its row cap
(a cut result says so in `X-SPARQL-MaxRows`)."""


def create_app(settings: Settings) -> FastAPI:
    """The app for one installation; the store is opened at startup or first use."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime: Runtime = app.state.runtime
        try:
            await run_in_threadpool(_warm_up, runtime)
            yield
        finally:
            await run_in_threadpool(runtime.close)

    # web.py serves /docs with a vendored Swagger UI, so that it works offline; no ReDoc (a CDN script).
    app = FastAPI(title="pactgraph", version=__version__, description=DESCRIPTION, lifespan=lifespan, docs_url=None,
                  redoc_url=None)
    app.state.settings = settings
    app.state.runtime = Runtime(settings)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return home_page(settings)

    app.include_router(sparql.router)
    app.include_router(update.router)
    named_queries = router_for(settings)
    app.state.catalog = named_queries.catalog  # type: ignore[attr-defined]
    app.include_router(named_queries)
    app.include_router(reports.router)
    app.include_router(dumps.router)
    app.include_router(timeline.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")

    @app.exception_handler(Problem)
    async def problem(request: Request, error: Problem) -> Response:
        return render(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        """A wrong URL parameter: 422 with what was wrong, without echoing internals."""
        details = [{"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]), "reason": e.get("msg", "")}
                   for e in error.errors()]
        message = "; ".join(f"{d['parameter']}: {d['reason']}" for d in details)
        if not request.url.path.startswith("/api"):
            return render(request, Problem(422, message))
        return JSONResponse({"detail": message, "errors": details}, 422)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return render(request, Problem(500, "the server failed to answer this request; the error has been logged"))

    app.add_middleware(LastResort, max_bytes=settings.max_request_bytes)
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE"],
                       allow_headers=["*"], expose_headers=["ETag", "X-SPARQL-MaxRows", "X-SHACL-Conforms", "Retry-After"],
                       max_age=600)
    app.add_middleware(FastLane, max_bytes=settings.cache_bytes)
    return app


def app_from_environment() -> FastAPI:
    """The app of each process of ``pactgraph serve --http-processes N``: uvicorn starts the
    processes by import string, so their settings travel in the environment."""
    return create_app(Settings())


def _warm_up(runtime: Runtime) -> None:
    """Start the workers now rather than at the first request; a failure is logged and the
    requests that need them answer 503 with the reason."""
    try:
        runtime.dataset
        if runtime.settings.allow_update:
            runtime.published
    except Exception as error:  # noqa: BLE001 - the server still serves what it can
        log.error("the query workers did not start: %s", error)
