"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET and POST, the service description,
and (when the server allows them) updates by POST.

Content negotiation offers SPARQL results JSON (the default), XML, CSV and TSV for SELECT and
ASK; Turtle (the default), N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE. A
result longer than the server's row cap is cut to it, and the response says so in the header
``X-SPARQL-MaxRows`` (the name Virtuoso uses for the same thing).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..store import StoreNotBuiltError
from . import jobs
from .jobs import Answer
from .negotiation import GRAPH_TYPES, RESULT_TYPES, choose, prefers_html
from ..vocab import PREFIXES
from .pages import FORMATS, SD, home_page, service_description
from .problems import Problem, run_job
from .protocol import Operation, read_operation
from .runtime import Runtime

router = APIRouter(tags=["SPARQL 1.1 Protocol"])

TRUNCATED = "X-SPARQL-MaxRows"


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def endpoint_iri(request: Request, path: str = "/sparql") -> str:
    return str(request.base_url).rstrip("/") + path


def answer_response(answer: Answer, max_rows: int, *, vary: str = "Accept") -> Response:
    """An Answer as a response; a cut result carries ``X-SPARQL-MaxRows``."""
    headers = {"Vary": vary}
    if answer.truncated:
        headers[TRUNCATED] = str(max_rows)
    return Response(answer.body, media_type=answer.media, headers=headers)


def run_query(request: Request, text: str, dataset: jobs.Dataset | None, accept: str | None,
              result_media: str | None = None, graph_media: str | None = None, *, pool: str = "dataset") -> Response:
    """Run a query in a worker and answer in the negotiated format (or the one given)."""
    runtime = runtime_of(request)
    if result_media is None and graph_media is None:
        result_media, graph_media = choose(accept, RESULT_TYPES), choose(accept, GRAPH_TYPES)
        if result_media is None and graph_media is None:
            raise Problem(406, f"cannot answer in {accept}; results come as {', '.join(RESULT_TYPES)}, "
                               f"graphs as {', '.join(GRAPH_TYPES)}")
    answer = run_job(lambda: getattr(runtime, pool), jobs.query, text, dataset, endpoint_iri(request),
                     result_media, graph_media, runtime.settings.max_rows)
    return answer_response(answer, runtime.settings.max_rows)


def describe_service(request: Request) -> Response:
    """The service description in the negotiated RDF format, or the home page for a browser."""
    runtime = runtime_of(request)
    accept = request.headers.get("accept")
    if prefers_html(accept, GRAPH_TYPES):
        return HTMLResponse(home_page(runtime.settings), headers={"Vary": "Accept"})
    media = choose(accept, GRAPH_TYPES)
    if media is None:
        raise Problem(406, f"the service description comes as {', '.join(GRAPH_TYPES)} or text/html")
    settings = runtime.settings
    if settings.allow_update:
        graphs = run_job(lambda: runtime.scratch, jobs.named_graphs)
    else:
        try:
            graphs = runtime.published_sizes()
        except StoreNotBuiltError as error:
            raise Problem(503, str(error)) from None
    triples = service_description(endpoint_iri(request), graphs, union_default_graph=not settings.allow_update,
                                  update=settings.allow_update)
    body = jobs.serialize_graph(triples, media, {**PREFIXES, "sd": SD, "formats": FORMATS})
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def answer_query(request: Request, operation: Operation) -> Response:
    dataset = jobs.Dataset(operation.default_graphs, operation.named_graphs) if operation.dataset_given else None
    return run_query(request, operation.text, dataset, request.headers.get("accept"))


@router.api_route("/sparql", methods=["GET", "HEAD", "POST"], response_class=Response, summary="SPARQL 1.1 query endpoint",
                  responses={200: {"description": "Query results (SPARQL JSON, XML, CSV, TSV) or a graph (Turtle, "
                                                  "N-Triples, JSON-LD, RDF/XML); without a query, the service description.",
                                   "content": {media: {} for media in [*RESULT_TYPES, *GRAPH_TYPES]}},
                             400: {"description": "Not valid SPARQL, or not a valid protocol request"},
                             406: {"description": "No acceptable format"},
                             413: {"description": "Request body too large"},
                             415: {"description": "Unsupported request body type"},
                             503: {"description": "The query took longer than the timeout and was stopped"}})
async def sparql(request: Request) -> Response:
    """Queries by GET (`query=`) or POST (a form, or `application/sparql-query`), with the protocol's
    `default-graph-uri` and `named-graph-uri`. Without a query: the service description (Turtle),
    or the home page for a browser. Updates (POST `update=` or `application/sparql-update`) only
    when the server runs with `--allow-update`, with the bearer token."""
    operation = await read_operation(request)
    if operation is None:
        if request.method == "POST":
            raise Problem(400, "the request has no 'query' (or 'update')")
        return await run_in_threadpool(describe_service, request)
    if operation.kind == "update":
        from .update import perform_update

        return await run_in_threadpool(perform_update, request, operation)
    return await run_in_threadpool(answer_query, request, operation)
