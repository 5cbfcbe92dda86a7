"""The timeline over HTTP: ``GET /api/timeline?memberState=NL&from=DATE&to=DATE``, the same
entries as ``pactgraph timeline -f json``, run in a worker with the server's timeout."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ..store import GraphStore
from .jobs import Failure
from .problems import Problem, json_response, run_job
from .sparql import runtime_of

router = APIRouter(prefix="/api", tags=["Reports"])


def entries(graph: GraphStore, queries_dir: Path, member_state: str | None, start: date | None,
            end: date | None) -> dict[str, Any] | Failure:
    """The timeline as JSON (a job: it runs in a worker); an unknown Member State is a Failure."""
    from ..targets import resolve_member_state
    from ..timeline import timeline

    if member_state is not None:
        try:
            member_state = resolve_member_state(graph, member_state).eu_code
        except ValueError as error:
            return Failure("not-found", str(error))
    return timeline(graph, queries_dir, member_state=member_state, start=start, end=end).as_json()


@router.get("/timeline", response_class=Response, summary="Everything dated, in order",
            responses={200: {"description": "`memberState`, `from`, `to` as asked, and the `entries` in date order: "
                                            "`date`, `endDate`, `kind`, `label`, `item` (IRI), `memberState` "
                                            "(null for the Union as a whole)", "content": {"application/json": {}}},
                       400: {"description": "The period ends before it starts"},
                       404: {"description": "No such Member State"}})
def timeline(request: Request,
             member_state: Annotated[Optional[str], Query(alias="memberState", description=(
                 "Only the Union's entries and this Member State's: ISO (GR), EU (EL) or alpha-3 (GRC) code."))] = None,
             start: Annotated[Optional[date], Query(alias="from", description="First day, YYYY-MM-DD.")] = None,
             end: Annotated[Optional[date], Query(alias="to", description="Last day, YYYY-MM-DD.")] = None) -> Response:
    """Events, stages of national measures, documents, and the days acts were adopted, entered into
    force and apply, in date order."""
    if start is not None and end is not None and end < start:
        raise Problem(400, f"the period ends ({end}) before it starts ({start})")
    runtime = runtime_of(request)
    body = run_job(lambda: runtime.published, entries, runtime.settings.queries_dir,
                   member_state.strip() if member_state else None, start, end)
    return json_response(body)
