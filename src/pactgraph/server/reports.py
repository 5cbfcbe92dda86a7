"""The library's reports over HTTP: SHACL validation (the Fuseki SHACL service contract),
implementation completeness, dependencies and the impact of a delay.

Each runs in a worker with the server's timeout, on the published build.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..completeness_output import completeness_csv, completeness_html, completeness_json
from ..dependencies import Direction, impact_json, parse_delay, walk_json
from . import jobs
from .negotiation import choose
from .problems import Problem, json_response, run_job
from .protocol import media_type
from .sparql import runtime_of

router = APIRouter(prefix="/api", tags=["Reports"])

#: Report formats of the validation service, least to most preferred (Turtle is the default).
REPORT_TYPES = ("application/n-triples", "application/ld+json", "application/json", "text/turtle")
#: Shapes may come in these syntaxes (rdflib's names).
SHAPES_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
                "application/rdf+xml": "xml"}
CANDIDATES = {"description": "Unknown target (404) or ambiguous (409); `candidates` lists the near matches"}


@router.post("/validate", response_class=Response, summary="Validate the graph against SHACL shapes",
             responses={200: {"description": "The sh:ValidationReport (Turtle, JSON-LD, N-Triples) or a JSON summary",
                              "content": {media: {} for media in REPORT_TYPES}},
                        400: {"description": "The shapes cannot be read or run"},
                        404: {"description": "No such graph"}, 415: {"description": "Shapes in an unknown syntax"}})
async def validate(request: Request,
                   graph: Annotated[Optional[str], Query(description="A named graph's IRI, `default` (ontology, data and "
                                                                     "inferred graphs, as the build validates) or `union` "
                                                                     "(every named graph).")] = None,
                   target: Annotated[Optional[str], Query(description="Validate this focus node only (an IRI).")] = None
                   ) -> Response:
    """The Fuseki SHACL service: shapes in the body (Turtle, or N-Triples, JSON-LD, RDF/XML), or
    the project's shapes when the body is empty. The answer is the W3C validation report (200
    whether the graph conforms or not)."""
    body = await request.body()
    shapes = None
    if body.strip():
        media, _ = media_type(request)
        if media not in SHAPES_TYPES:
            raise Problem(415, f"send the shapes as one of {', '.join(SHAPES_TYPES)}, not {media or 'no Content-Type'}")
        try:
            shapes = (body.decode("utf-8"), SHAPES_TYPES[media])
        except UnicodeDecodeError:
            raise Problem(400, "the shapes are not valid UTF-8") from None
    if target is not None:
        from pyoxigraph import NamedNode

        try:
            NamedNode(target)
        except ValueError as error:
            raise Problem(400, f"target={target!r} is not an absolute IRI: {error}") from None
    accept = request.headers.get("accept")
    report_media = choose(accept, REPORT_TYPES)
    if report_media is None:
        raise Problem(406, f"the report comes as {', '.join(REPORT_TYPES)}")
    runtime = runtime_of(request)
    answer = await run_in_threadpool(run_job, lambda: runtime.published, jobs.validate, shapes,
                                     runtime.settings.shapes_dir, graph, target, report_media)
    return Response(answer.body, media_type=answer.media,
                    headers={"Vary": "Accept", "X-SHACL-Conforms": str(answer.summary["conforms"]).lower()})


class CompletenessFormat(str, Enum):
    json = "json"
    html = "html"
    csv = "csv"


@router.get("/completeness", response_class=Response, summary="Completeness of national implementation",
            responses={200: {"content": {"application/json": {}, "text/html": {}, "text/csv": {}}},
                       404: {"description": "No such Member State"}})
def completeness(request: Request,
                 member_state: Annotated[Optional[str], Query(alias="memberState", description="ISO (GR), EU (EL) or "
                                                                                               "alpha-3 (GRC) code.")] = None,
                 format: Annotated[CompletenessFormat, Query(description="json, html or csv.")] = CompletenessFormat.json
                 ) -> Response:
    """Per Member State and building block: obligations needing a national measure, how many have one, the gaps."""
    runtime = runtime_of(request)
    report = run_job(lambda: runtime.published, jobs.completeness, runtime.settings.queries_dir, member_state)
    if format is CompletenessFormat.html:
        return Response(completeness_html(report), media_type="text/html")
    if format is CompletenessFormat.csv:
        return Response(completeness_csv(report), media_type="text/csv")
    return Response(completeness_json(report), media_type="application/json")


TargetParam = Annotated[str, Query(description="IRI, CELEX, or a short name or label such as eurodac or screening.")]


@router.get("/deps", summary="Dependencies of an obligation, procedure or IT system",
            responses={404: CANDIDATES, 409: CANDIDATES})
def deps(request: Request, target: TargetParam,
         direction: Annotated[Direction, Query(description="up: what depends on the target; down: what it depends on.")]
         = Direction.up,
         depth: Annotated[Optional[int], Query(ge=1, description="How many steps to follow (default: all).")] = None
         ) -> Response:
    """What depends on the target (up) or what it depends on (down), each with its path."""
    runtime = runtime_of(request)
    result = run_job(lambda: runtime.published, jobs.dependencies, target, direction.value, depth)
    return json_response(walk_json(result))


@router.get("/impact", summary="The obligations hit if a target is late",
            responses={400: {"description": "Neither or both of delay and until, or a bad value"},
                       404: CANDIDATES, 409: CANDIDATES})
def impact(request: Request, target: TargetParam,
           delay: Annotated[Optional[str], Query(description="How late: 30d, 6w or P30D.")] = None,
           until: Annotated[Optional[date], Query(description="Or the date it is ready, YYYY-MM-DD.")] = None,
           member_state: Annotated[Optional[str], Query(alias="memberState",
                                                        description="Show that Member State's national measures.")] = None
           ) -> Response:
    """Which obligations are hit, and by how many days, if the target is late."""
    if (delay is None) == (until is None):
        raise Problem(400, "give either delay (such as 30d) or until (a date)")
    try:
        days = parse_delay(delay).days if delay is not None else None
    except ValueError as error:
        raise Problem(400, str(error)) from None
    runtime = runtime_of(request)
    result = run_job(lambda: runtime.published, jobs.impact, target, days, until, member_state)
    return json_response(impact_json(result))
