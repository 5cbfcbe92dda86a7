"""The SPARQL 1.1 Protocol at ``/sparql``: queries by GET and POST, the service description,
and (when the server allows them) updates by POST.

Content negotiation offers SPARQL results JSON (the default), XML, CSV and TSV for SELECT and
ASK; Turtle (the default), N-Triples, JSON-LD and RDF/XML for CONSTRUCT and DESCRIBE. A
result longer than the server's row cap is cut to it, and the response says so in the header
``X-SPARQL-MaxRows`` (the name Virtuoso uses for the same thing).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ..store import StoreNotBuiltError
from . import jobs
from .cache import AnswerCache, CacheKey, is_stable, matches
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


def answer_response(answer: Answer, max_rows: int, *, vary: str = "Accept", tag: str | None = None) -> Response:
    """An Answer as a response; a cut result carries ``X-SPARQL-MaxRows``, a kept one its ETag."""
    headers = {"Vary": vary}
    if answer.truncated:
        headers[TRUNCATED] = str(max_rows)
    if tag is not None:
        headers.update({"ETag": tag, "Cache-Control": "no-cache"})
    return Response(answer.body, media_type=answer.media, headers=headers)


@dataclass(frozen=True)
class QueryCall:
    """A query request, negotiated: what to run, in which pool, and its cache entry if it may be kept."""

    text: str
    dataset: jobs.Dataset | None
    result_media: str | None
    graph_media: str | None
    pool: str
    cache: AnswerCache | None
    digest: str | None

    @property
    def tag(self) -> str | None:
        return self.cache.tag(self.digest) if self.cache is not None and self.digest is not None else None


def prepare(request: Request, text: str, dataset: jobs.Dataset | None, accept: str | None,
            result_media: str | None = None, graph_media: str | None = None, *, pool: str = "dataset") -> QueryCall:
    """Negotiate the format (or take the one given) and find the request's cache entry.

    Only answers of the published build are kept (see ``cache.py``)."""
    runtime = runtime_of(request)
    if result_media is None and graph_media is None:
        result_media, graph_media = choose(accept, RESULT_TYPES), choose(accept, GRAPH_TYPES)
        if result_media is None and graph_media is None:
            raise Problem(406, f"cannot answer in {accept}; results come as {', '.join(RESULT_TYPES)}, "
                               f"graphs as {', '.join(GRAPH_TYPES)}")
    published = pool == "published" or not runtime.settings.allow_update
    cache = digest = None
    if published and runtime.settings.cache_bytes and is_stable(text):
        try:
            cache = runtime.answers
        except StoreNotBuiltError as error:
            raise Problem(503, str(error)) from None
        digest = CacheKey(text, dataset, result_media, graph_media, runtime.settings.max_rows).digest()
    return QueryCall(text, dataset, result_media, graph_media, pool, cache, digest)


def from_cache(request: Request, call: QueryCall) -> Response | None:
    """The answer without running the query: 304 when the client holds it, or the kept answer."""
    if call.cache is None or call.digest is None:
        return None
    tag = call.cache.tag(call.digest)
    if matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers={"ETag": tag, "Cache-Control": "no-cache", "Vary": "Accept"})
    kept = call.cache.get(call.digest)
    return answer_response(kept, runtime_of(request).settings.max_rows, tag=tag) if kept is not None else None


def execute(request: Request, call: QueryCall) -> Response:
    """Run the query in a worker (blocking: call from a thread) and keep its answer where allowed."""
    runtime = runtime_of(request)
    answer = run_job(lambda: getattr(runtime, call.pool), jobs.query, call.text, call.dataset, endpoint_iri(request),
                     call.result_media, call.graph_media, runtime.settings.max_rows)
    if call.cache is not None and call.digest is not None:
        call.cache.put(call.digest, answer)
    return answer_response(answer, runtime.settings.max_rows, tag=call.tag)


def run_query(request: Request, text: str, dataset: jobs.Dataset | None, accept: str | None,
              result_media: str | None = None, graph_media: str | None = None, *, pool: str = "dataset") -> Response:
    """Run a query in a worker and answer in the negotiated format (or the one given); blocking."""
    call = prepare(request, text, dataset, accept, result_media, graph_media, pool=pool)
    return from_cache(request, call) or execute(request, call)


async def answer(request: Request, call: QueryCall) -> Response:
    """The asynchronous path: a kept answer is sent from the event loop, without a thread or a worker."""
    return from_cache(request, call) or await run_in_threadpool(execute, request, call)


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


async def answer_query(request: Request, operation: Operation) -> Response:
    dataset = jobs.Dataset(operation.default_graphs, operation.named_graphs) if operation.dataset_given else None
    return await answer(request, prepare(request, operation.text, dataset, request.headers.get("accept")))


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
    return await answer_query(request, operation)


SPARQL_ROUTE = dict(response_class=Response, summary="SPARQL 1.1 query endpoint",
                    responses={200: {"description": "Query results (SPARQL JSON, XML, CSV, TSV) or a graph (Turtle, "
                                                    "N-Triples, JSON-LD, RDF/XML); without a query, the service "
                                                    "description.",
                                     "content": {media: {} for media in [*RESULT_TYPES, *GRAPH_TYPES]}},
                               400: {"description": "Not valid SPARQL, or not a valid protocol request"},
                               406: {"description": "No acceptable format"},
                               413: {"description": "Request body too large"},
                               415: {"description": "Unsupported request body type"},
                               503: {"description": "The query took longer than the timeout and was stopped"}})
# One route a method: OpenAPI wants an operation id of its own for each; HEAD stays out of the schema.
router.add_api_route("/sparql", sparql, methods=["GET"], operation_id="sparql_query_get", **SPARQL_ROUTE)
router.add_api_route("/sparql", sparql, methods=["POST"], operation_id="sparql_query_post", **SPARQL_ROUTE)
router.add_api_route("/sparql", sparql, methods=["HEAD"], include_in_schema=False, **SPARQL_ROUTE)
