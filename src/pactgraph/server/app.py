"""``create_app(settings)``: the FastAPI app serving a built graph.

Handlers are plain ``def`` (run in the threadpool) because Oxigraph calls block.
"""

from __future__ import annotations

from html import escape
from typing import Annotated, Optional

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from ..catalog import load_catalog
from ..settings import Settings
from ..store import GraphStore
from .sparql import run_sparql


def get_graph(request: Request) -> GraphStore:
    """The published store of the app's settings, opened read-only on first use."""
    state = request.app.state
    if state.graph is None:
        state.graph = GraphStore.open(state.settings.store, state.settings.services)
    return state.graph


GraphDep = Annotated[GraphStore, Depends(get_graph)]


def create_app(settings: Settings) -> FastAPI:
    """The app for one installation; nothing is opened until the first request."""
    app = FastAPI(title="pactgraph", description="The knowledge graph of the EU Pact on Migration and Asylum.")

    app.state.settings = settings
    app.state.graph = None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        items = "".join(
            f"<li><strong>{escape(q.title)}</strong> ({escape(q.name)}): {escape(q.description)}</li>"
            for q in load_catalog(settings.queries_dir).values())
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>pactgraph</title></head><body>"
            "<h1>pactgraph</h1><p>The knowledge graph of the EU Pact on Migration and Asylum.</p>"
            "<p>SPARQL 1.1 endpoint: <a href='/sparql'>/sparql</a> (GET or POST <code>query</code>). "
            "API documentation: <a href='/docs'>/docs</a>.</p>"
            f"<h2>Named queries</h2><ul>{items}</ul></body></html>")

    @app.get("/sparql")
    def sparql_get(graph: GraphDep, query: Annotated[Optional[str], Query()] = None,
                   accept: Annotated[Optional[str], Header()] = None) -> Response:
        return run_sparql(graph, query, accept)

    @app.post("/sparql")
    async def sparql_post(request: Request, graph: GraphDep,
                          accept: Annotated[Optional[str], Header()] = None) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type == "application/sparql-query":
            text: Optional[str] = (await request.body()).decode("utf-8", errors="replace")
        elif content_type == "application/x-www-form-urlencoded":
            text = (await request.form()).get("query")  # type: ignore[assignment]
        else:
            return PlainTextResponse("send the query as application/sparql-query or a form field 'query'", 415)
        return await run_in_threadpool(run_sparql, graph, text, accept)

    return app
