"""The named queries as a REST API: ``/api/queries`` lists them, ``/api/queries/{name}`` runs one.

Parameters come as URL parameters (``?memberState=NL``) and are bound by the catalogue as RDF
terms, never pasted into the text. A query is found by name in the catalogue only, so no
path can reach a file. Every catalogue query also gets its own documented operation in the
OpenAPI description (``/docs``), with its parameters, when the app is made.
"""

from __future__ import annotations

import inspect
import logging
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ..catalog import CatalogError, NamedQuery, QueryParameterError, load_catalog
from ..settings import Settings
from .negotiation import GRAPH_FORMAT_NAMES, GRAPH_TYPES, RESULT_FORMAT_NAMES, RESULT_TYPES
from .problems import Problem, json_response
from .sparql import answer, prepare

log = logging.getLogger("pactgraph.server")

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
FORMAT_DOC = ("Result format, overriding the Accept header: json, xml, csv or tsv (SELECT, ASK); "
              "turtle, ntriples, jsonld or rdfxml (CONSTRUCT, DESCRIBE).")
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The results, in the format asked for (Accept header or `format`).",
          "content": {media: {} for media in [*RESULT_TYPES, *GRAPH_TYPES]}},
    404: {"description": "No named query of that name"},
    406: {"description": "No acceptable format"},
    422: {"description": "A parameter is unknown or of the wrong type; `parameter`, `value` and `reason` say which"},
    503: {"description": "The query took longer than the timeout and was stopped"},
}


def _catalog(request: Request) -> dict[str, NamedQuery]:
    """The catalogue the app read at startup (the queries folder is part of the installation)."""
    catalog: dict[str, NamedQuery] | CatalogError = request.app.state.catalog
    if isinstance(catalog, CatalogError):
        raise Problem(500, f"the named queries cannot be read: {catalog}")
    return catalog


def describe(named: NamedQuery) -> dict[str, Any]:
    return {"name": named.name, "title": named.title, "description": named.description,
            "url": f"/api/queries/{named.name}",
            "parameters": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                           for p in named.parameters]}


def list_queries(request: Request) -> Response:
    """Every named query with its title, description and parameters (name, type, default, description)."""
    return json_response([describe(q) for q in _catalog(request).values()])


def render_named(request: Request, name: str, *, reserved: tuple[str, ...] = ("format",)) -> tuple[str, dict[str, str]]:
    """The text of a named query with the request's URL parameters bound, and the values of the
    ``reserved`` URL parameters, which are the endpoint's own. Raises Problem 404 for an unknown
    query, 422 for a parameter given twice, unknown or of the wrong type."""
    catalog = _catalog(request)
    named = catalog.get(name)
    if named is None:
        raise Problem(404, f"no named query '{name}'", known=sorted(catalog))
    given: dict[str, str] = {}
    own: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in reserved:
            own[key] = value
            continue
        if key in given:
            raise Problem(422, f"parameter '{key}' is given more than once", parameter=key, value=value,
                          reason="given more than once")
        given[key] = value
    try:
        return named.render(given), own
    except QueryParameterError as error:
        raise Problem(422, str(error), parameter=error.name, value=error.value, reason=error.reason) from None


async def run_named(request: Request, name: str) -> Response:
    """Run a named query with the request's URL parameters."""
    text, own = render_named(request, name)
    fmt = own.get("format")
    result_media = graph_media = None
    if fmt is not None:
        result_media, graph_media = RESULT_FORMAT_NAMES.get(fmt), GRAPH_FORMAT_NAMES.get(fmt)
        if result_media is None and graph_media is None:
            raise Problem(422, f"format={fmt!r} is not one of {', '.join(sorted({*RESULT_FORMAT_NAMES, *GRAPH_FORMAT_NAMES}))}",
                          parameter="format", value=fmt, reason="unknown format")
    return await answer(request, prepare(request, text, None, request.headers.get("accept"), result_media, graph_media,
                                         pool="published"))


def router_for(settings: Settings) -> APIRouter:
    """The API: the list, one documented operation per catalogue query, and the generic one."""
    router = APIRouter(prefix="/api/queries", tags=["Named queries"])
    router.add_api_route("", list_queries, methods=["GET"], summary="List the named queries", response_class=Response,
                         responses={200: {"description": "The catalogue", "content": {"application/json": {}}}})
    try:
        catalog = load_catalog(settings.queries_dir)
    except CatalogError as error:
        log.error("the named queries cannot be read; they get no operations of their own: %s", error)
        catalog = {}
        router.catalog = error  # type: ignore[attr-defined]
    else:
        router.catalog = catalog  # type: ignore[attr-defined]
    for named in catalog.values():
        router.add_api_route(f"/{named.name}", _operation(named), methods=["GET"], summary=named.title,
                             description=named.description, response_class=Response, responses=RESPONSES,
                             operation_id=f"query_{named.name.replace('-', '_')}")

    async def run_any(request: Request,
                name: Annotated[str, Path(pattern=NAME_PATTERN, description="A name from GET /api/queries.")],
                format: Annotated[Optional[str], Query(description=FORMAT_DOC)] = None) -> Response:
        """Run any named query of the catalogue (its parameters as URL parameters)."""
        return await run_named(request, name)

    router.add_api_route("/{name}", run_any, methods=["GET"], summary="Run a named query", response_class=Response,
                         responses=RESPONSES)
    return router


def _operation(named: NamedQuery):
    """An endpoint whose signature documents the query's parameters (it reads them from the URL)."""
    async def endpoint(request: Request, **_: Any) -> Response:
        return await run_named(request, named.name)

    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)]
    for param in named.parameters:
        doc = f"{param.description} ({param.type}" + (f", default {param.default})" if param.default else ")")
        parameters.append(inspect.Parameter(f"p_{param.name}", inspect.Parameter.KEYWORD_ONLY, default=None,
                                            annotation=Annotated[Optional[str], Query(alias=param.name, description=doc)]))
    parameters.append(inspect.Parameter("p__format", inspect.Parameter.KEYWORD_ONLY, default=None,
                                        annotation=Annotated[Optional[str], Query(alias="format", description=FORMAT_DOC)]))
    endpoint.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    endpoint.__name__ = f"query_{named.name.replace('-', '_')}"
    endpoint.__doc__ = named.description
    return endpoint
