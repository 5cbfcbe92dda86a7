"""The pages for people: the resource page, the dependency, completeness and timeline views,
the API documentation, and the text of a named query for the query page's editor.

The query page itself is ``/`` (``app.py``, ``pages.home_page``). The report pages are shells
that their scripts fill from the JSON API; the resource page is rendered on the server from
data gathered in a worker (``resources.describe``), so it obeys the query timeout and never
blocks the event loop. Everything the pages load is served from ``/static``, so they work
without a network; so does the API documentation, with a vendored Swagger UI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Path as PathParam, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from . import pages
from .problems import Problem, run_job
from .queries import NAME_PATTERN, render_named
from .resources import Elsewhere, describe
from .sparql import runtime_of

#: The folder served at ``/static``: the pages' own scripts and styles, and the vendored libraries.
STATIC_DIR = Path(__file__).parent / "static"

router = APIRouter()


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status, headers={"Cache-Control": "no-cache"})


@router.get("/resource", response_class=HTMLResponse, include_in_schema=False)
def resource(request: Request, iri: Annotated[Optional[str], Query()] = None) -> Response:
    """Any IRI of the graph as a page; a CELEX number or a name redirects to its IRI."""
    if iri is None or not iri.strip():
        return _html(pages.lookup_page())
    runtime = runtime_of(request)
    try:
        found = run_job(lambda: runtime.published, describe, iri)
    except Problem as problem:
        if problem.status == 404:
            candidates = [(c["iri"], c["label"]) for c in problem.extra.get("candidates", [])]
            return _html(pages.not_found_page(iri, problem.message, candidates), 404)
        return _html(pages.error_page(problem.status, problem.message), problem.status)
    if isinstance(found, Elsewhere):
        return RedirectResponse(pages.resource_url(found.iri), 303)
    return _html(pages.resource_page(found))


@router.get("/dependencies", response_class=HTMLResponse, include_in_schema=False)
def dependencies() -> Response:
    return _html(pages.dependencies_page())


@router.get("/completeness", response_class=HTMLResponse, include_in_schema=False)
def completeness() -> Response:
    return _html(pages.completeness_page())


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline() -> Response:
    return _html(pages.timeline_page())


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request) -> Response:
    """The OpenAPI documentation with Swagger UI from ``/static`` rather than a CDN (and without
    Swagger's online validator), so that it works offline like the other pages."""
    return get_swagger_ui_html(openapi_url=request.app.openapi_url, title=f"{request.app.title} API",
                               swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
                               swagger_favicon_url="/static/app/favicon.svg",
                               swagger_ui_parameters={"validatorUrl": None})


@router.get("/api/queries/{name}/text", tags=["Named queries"], response_class=PlainTextResponse,
            summary="The text of a named query, its parameters bound",
            responses={200: {"description": "The SPARQL text, with a VALUES block binding the parameters given "
                                            "(or their defaults)", "content": {"application/sparql-query": {}}},
                       404: {"description": "No named query of that name"},
                       422: {"description": "A parameter is unknown or of the wrong type"}})
def query_text(request: Request,
               name: Annotated[str, PathParam(pattern=NAME_PATTERN, description="A name from GET /api/queries.")]
               ) -> Response:
    """What the query page puts in its editor: the named query as it would run with these URL
    parameters, so that a person sees (and may change) exactly what is asked."""
    text, _ = render_named(request, name, reserved=())
    return Response(text, media_type="application/sparql-query; charset=utf-8")
