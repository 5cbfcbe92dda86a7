"""Writing: SPARQL Update at ``/update`` (and ``update=`` at ``/sparql``) and the SPARQL 1.1
Graph Store Protocol at ``/store``.

The server is read-only unless it runs with ``--allow-update``; then writes go to a scratch
store (``--scratch PATH``, or a temporary one), never to the published build, and each needs
the bearer token (``Authorization: Bearer <token>``): none is 401, a wrong one 403. Reads of
``/store`` (GET, HEAD) need no token; they read the scratch store when updates are allowed,
the published build otherwise.
"""

from __future__ import annotations

import hmac
import uuid
from pathlib import Path
from typing import Annotated, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from . import jobs
from .negotiation import GRAPH_TYPES, choose
from .problems import Problem, run_job
from .protocol import Operation, media_type, read_operation
from .sparql import TRUNCATED, endpoint_iri, runtime_of

router = APIRouter(tags=["SPARQL 1.1 Update and Graph Store Protocol"])

READ_ONLY = ("this server is read-only; updates are served only by 'pactgraph serve --allow-update', "
             "on a scratch store")


def check_token(request: Request) -> None:
    """Raises Problem: 403 when updates are off, 401 without a bearer token, 403 with a wrong one."""
    settings = runtime_of(request).settings
    if not settings.allow_update or not settings.update_token:
        raise Problem(403, READ_ONLY)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "an update needs the bearer token: send 'Authorization: Bearer <token>'",
                      headers={"WWW-Authenticate": 'Bearer realm="pactgraph"'})
    if not hmac.compare_digest(token.strip().encode("utf-8"), settings.update_token.encode("utf-8")):
        raise Problem(403, "the bearer token is not the one this server was given",
                      headers={"WWW-Authenticate": 'Bearer realm="pactgraph", error="invalid_token"'})


def perform_update(request: Request, operation: Operation) -> Response:
    """Run a SPARQL update on the scratch store; 204 when done."""
    check_token(request)
    runtime = runtime_of(request)
    run_job(lambda: runtime.scratch, jobs.update, operation.text, operation.default_graphs, operation.named_graphs,
            endpoint_iri(request, "/update"))
    return Response(status_code=204)


@router.post("/update", status_code=204, response_class=Response, summary="SPARQL 1.1 update endpoint",
             responses={204: {"description": "Done"}, 400: {"description": "Not valid SPARQL Update"},
                        401: {"description": "No bearer token"},
                        403: {"description": "Updates are disabled, or the token is wrong"}})
async def update(request: Request) -> Response:
    """A SPARQL update (form `update=`, or `application/sparql-update`), with the protocol's
    `using-graph-uri` and `using-named-graph-uri`, on the scratch store."""
    operation = await read_operation(request)
    if operation is None or operation.kind != "update":
        raise Problem(400, "POST an 'update' here; queries go to /sparql")
    return await run_in_threadpool(perform_update, request, operation)


def _target(graph: Optional[str], default: Optional[str]) -> str | None:
    """The graph a Graph Store request names: an IRI, or None for the default graph."""
    if (graph is None) == (default is None):
        raise Problem(400, "name one graph: ?graph=IRI or ?default")
    if graph is not None:
        from pyoxigraph import NamedNode

        try:
            NamedNode(graph)
        except ValueError as error:
            raise Problem(400, f"graph={graph!r} is not an absolute IRI: {error}") from None
    return graph


GraphParam = Annotated[Optional[str], Query(description="The IRI of a named graph.")]
DefaultParam = Annotated[Optional[str], Query(description="Present (`?default`) for the default graph.")]


@router.head("/store", response_class=Response, include_in_schema=False)
@router.get("/store", response_class=Response, summary="Read a graph",
            responses={200: {"content": {media: {} for media in GRAPH_TYPES}}, 404: {"description": "No such graph"}})
def store_get(request: Request, graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """The triples of one graph (Graph Store Protocol GET), in Turtle, N-Triples, JSON-LD or RDF/XML."""
    name = _target(graph, default)
    runtime = runtime_of(request)
    accept = request.headers.get("accept")
    media = choose(accept, GRAPH_TYPES)
    if media is None:
        raise Problem(406, f"a graph comes as {', '.join(GRAPH_TYPES)}")
    pool = lambda: runtime.dataset  # noqa: E731
    if request.method == "HEAD":
        if not run_job(pool, jobs.graph_exists, name):
            raise Problem(404, f"there is no graph <{name}>")
        return Response(media_type=media, headers={"Vary": "Accept"})
    answer = run_job(pool, jobs.graph_get, name, media, runtime.settings.max_rows)
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED] = str(runtime.settings.max_rows)
    return Response(answer.body, media_type=answer.media, headers=headers)


#: Media types by file extension, for a multipart part sent as application/octet-stream.
EXTENSIONS = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
              ".json": "application/ld+json", ".rdf": "application/rdf+xml", ".owl": "application/rdf+xml"}


async def _documents(request: Request) -> tuple[tuple[bytes, str], ...]:
    """The RDF documents a write carries: the body, or each part of a ``multipart/form-data``
    body (GSP 5.5), each with its media type. Raises Problem 415 for one of another type."""
    media, _ = media_type(request)
    if media != "multipart/form-data":
        if media not in GRAPH_TYPES:
            raise Problem(415, f"send the graph as one of {', '.join(GRAPH_TYPES)} (or multipart/form-data of them), "
                               f"not {media or 'no Content-Type'}")
        return ((await request.body(), media),)
    try:
        form = await request.form()
    except Exception as error:  # noqa: BLE001 - python-multipart's errors are the client's
        raise Problem(400, f"the multipart body cannot be read: {error}") from None
    documents = []
    for number, (field, part) in enumerate(form.multi_items(), start=1):
        if isinstance(part, str):
            raise Problem(415, f"part {number} ('{field}') is a plain form field; send each graph as a file part "
                               f"with its Content-Type")
        part_media = (part.content_type or "").split(";")[0].strip().lower()
        if part_media in ("", "application/octet-stream") and part.filename:
            part_media = EXTENSIONS.get(Path(part.filename).suffix.lower(), part_media)
        if part_media not in GRAPH_TYPES:
            raise Problem(415, f"part {number} ('{part.filename or field}') is {part_media or 'of no type'}; "
                               f"each part must be one of {', '.join(GRAPH_TYPES)}")
        documents.append((await part.read(), part_media))
    if not documents:
        raise Problem(400, "the multipart body has no parts")
    return tuple(documents)


async def _write(request: Request, graph: Optional[str], default: Optional[str], replace: bool) -> Response:
    runtime = runtime_of(request)
    if not runtime.settings.allow_update:
        raise Problem(405, READ_ONLY, headers={"Allow": "GET, HEAD"})
    check_token(request)
    headers = {}
    if not replace and graph is None and default is None:
        # GSP 5.5: a POST to the store itself creates a graph, whose IRI the server chooses.
        graph = endpoint_iri(request, f"/store/graphs/{uuid.uuid4()}")
        headers["Location"] = graph
    name = _target(graph, default)
    documents = await _documents(request)
    created = await run_in_threadpool(run_job, lambda: runtime.scratch, jobs.graph_write, name, documents,
                                      name or endpoint_iri(request, "/store"), replace)
    return Response(status_code=201 if created else 204, headers=headers)


@router.put("/store", status_code=204, response_class=Response, summary="Replace a graph",
            responses={201: {"description": "Created"}, 204: {"description": "Replaced"}})
async def store_put(request: Request, graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """Replace one graph of the scratch store with the body (Turtle, N-Triples, JSON-LD, RDF/XML)."""
    return await _write(request, graph, default, replace=True)


@router.post("/store", status_code=204, response_class=Response, summary="Add to a graph",
             responses={201: {"description": "Created"}, 204: {"description": "Merged"}})
async def store_post(request: Request, graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """Merge the body into one graph of the scratch store; without `graph` or `default`, create a
    new graph and answer 201 with its IRI in `Location` (readable at that IRI). The body may be
    `multipart/form-data` with one RDF document a part."""
    return await _write(request, graph, default, replace=False)


@router.head("/store/graphs/{key}", response_class=Response, include_in_schema=False)
@router.get("/store/graphs/{key}", response_class=Response, summary="Read a graph the store created",
            responses={200: {"content": {media: {} for media in GRAPH_TYPES}}, 404: {"description": "No such graph"}})
def created_graph_get(request: Request, key: str) -> Response:
    """A graph created by POST to `/store`, at its own IRI (direct graph identification)."""
    return store_get(request, graph=endpoint_iri(request, f"/store/graphs/{key}"))


@router.delete("/store", status_code=204, response_class=Response, summary="Drop a graph",
               responses={204: {"description": "Dropped"}, 404: {"description": "No such graph"}})
def store_delete(request: Request, graph: GraphParam = None, default: DefaultParam = None) -> Response:
    """Drop one named graph of the scratch store (the default graph is emptied)."""
    runtime = runtime_of(request)
    if not runtime.settings.allow_update:
        raise Problem(405, READ_ONLY, headers={"Allow": "GET, HEAD"})
    check_token(request)
    name = _target(graph, default)
    if not run_job(lambda: runtime.scratch, jobs.graph_delete, name):
        raise Problem(404, f"there is no graph <{name}>")
    return Response(status_code=204)
