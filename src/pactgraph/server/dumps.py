"""Dumps of the whole published graph: ``/dump.ttl``, ``/dump.nq``, ``/dump.jsonld`` (and
``/api/dump?format=``).

Each dump is written once per server, plain and gzipped, and served from that file. Its
strong ETag names the build (the build directory's name, unique per build) and the format,
plus ``.gz`` for the gzipped bytes, so a client's ``If-None-Match`` gets 304 until a new
build is served. A client that accepts gzip gets the gzipped file (``Content-Encoding: gzip``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from ..export import ExportFormat
from ..store import StoreNotBuiltError
from .problems import Problem
from .sparql import runtime_of

router = APIRouter(tags=["Dumps"])

MEDIA = {ExportFormat.turtle: "text/turtle", ExportFormat.nquads: "application/n-quads",
         ExportFormat.jsonld: "application/ld+json"}
SUFFIX = {ExportFormat.turtle: "ttl", ExportFormat.nquads: "nq", ExportFormat.jsonld: "jsonld"}
RESPONSES = {200: {"description": "The whole graph", "content": {media: {} for media in MEDIA.values()}},
             304: {"description": "Not modified (If-None-Match)"}}


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return True
    return False


def _matches(header: str | None, tags: set[str]) -> bool:
    if header is None:
        return False
    given = {tag.strip() for tag in header.split(",")}
    return "*" in given or bool(given & tags)


async def serve_dump(request: Request, fmt: ExportFormat) -> Response:
    runtime = runtime_of(request)
    try:
        build = runtime.build.name
    except StoreNotBuiltError as error:
        raise Problem(503, str(error)) from None
    plain_tag, gzip_tag = f'"{build}.{SUFFIX[fmt]}"', f'"{build}.{SUFFIX[fmt]}.gz"'
    gzipped = _accepts_gzip(request)
    tag = gzip_tag if gzipped else plain_tag
    headers = {"ETag": tag, "Vary": "Accept-Encoding", "Cache-Control": "no-cache"}
    if _matches(request.headers.get("if-none-match"), {plain_tag, gzip_tag}):
        return Response(status_code=304, headers=headers)
    plain, packed = await run_in_threadpool(runtime.dump, fmt)
    filename = f"pactgraph-{build}.{SUFFIX[fmt]}"
    headers["Content-Disposition"] = f'inline; filename="{filename}"'
    if gzipped:
        headers["Content-Encoding"] = "gzip"
        return FileResponse(packed, media_type=MEDIA[fmt], headers=headers)
    return FileResponse(plain, media_type=MEDIA[fmt], headers=headers)


def _route(fmt: ExportFormat):
    async def dump(request: Request) -> Response:
        return await serve_dump(request, fmt)

    dump.__doc__ = f"The whole graph as {fmt.value}" + (" (the union of the named graphs)." if fmt is ExportFormat.turtle
                                                        else " (with the named graphs).")
    return dump


for _fmt in ExportFormat:
    router.add_api_route(f"/dump.{SUFFIX[_fmt]}", _route(_fmt), methods=["GET"], response_class=Response,
                         summary=f"Dump ({_fmt.value})", responses=RESPONSES, name=f"dump_{_fmt.value}")
    router.add_api_route(f"/dump.{SUFFIX[_fmt]}", _route(_fmt), methods=["HEAD"], response_class=Response,
                         include_in_schema=False, name=f"dump_{_fmt.value}_head")


@router.head("/api/dump", response_class=Response, include_in_schema=False)
@router.get("/api/dump", response_class=Response, summary="Dump the whole graph", responses=RESPONSES)
async def dump_any(request: Request,
                   format: Annotated[ExportFormat, Query(description="turtle, nquads or jsonld.")] = ExportFormat.nquads
                   ) -> Response:
    """The whole graph; N-Quads and JSON-LD keep the named graphs, Turtle holds their union."""
    return await serve_dump(request, format)
