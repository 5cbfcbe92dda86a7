"""Errors as HTTP responses: a message for the client, never a stack trace.

A handler raises ``Problem(status, message)``; the app turns it into ``text/plain`` on the
SPARQL endpoints (what SPARQL clients show) and ``{"detail": ...}`` JSON under ``/api`` (what
FastAPI clients expect). ``run_job`` runs a job in a worker pool and turns what can go wrong
there into Problems. ``LastResort`` catches anything else and answers a plain 500, logging
the traceback on the server only.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store import StoreNotBuiltError
from .jobs import Failure
from .workers import JobTimeout, PoolBusy, WorkerCrashed, WorkerDied, WorkerOutOfMemory, WorkerPool

log = logging.getLogger("pactgraph.server")

#: HTTP status of each kind of Failure a job reports.
FAILURE_STATUS = {
    "syntax": 400, "bad-request": 400, "conflict": 400, "service-not-allowed": 403, "not-found": 404,
    "not-acceptable": 406, "ambiguous": 409, "read-only": 403, "service-failed": 502,
}


class Problem(Exception):
    """An HTTP error with a message for the client; ``extra`` goes into a JSON body."""

    def __init__(self, status: int, message: str, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.message, self.headers, self.extra = status, message, headers or {}, extra


def render(request: Request | Scope, problem: Problem) -> Response:
    path = request["path"] if isinstance(request, dict) else request.url.path
    if path.startswith("/api"):
        return JSONResponse({"detail": problem.message, **problem.extra}, problem.status, headers=problem.headers)
    return PlainTextResponse(problem.message + "\n", problem.status, headers=problem.headers)


def failure_problem(failure: Failure) -> Problem:
    extra = {"candidates": [{"iri": iri, "label": label} for iri, label in failure.candidates]} if failure.candidates else {}
    return Problem(FAILURE_STATUS.get(failure.kind, 400), failure.message, **extra)


def run_job(pool: Callable[[], WorkerPool], job: Callable[..., Any], *args: Any) -> Any:
    """Run a job in the pool ``pool()`` returns; raises Problem for a Failure or a worker's trouble."""
    try:
        result = pool().run(job, *args)
    except StoreNotBuiltError as error:
        raise Problem(503, str(error)) from None
    except JobTimeout as error:
        raise Problem(503, f"the request took too long and was stopped ({error}); "
                           "narrow the query (LIMIT, more selective patterns) and try again",
                      headers={"Retry-After": "1"}) from None
    except PoolBusy as error:
        raise Problem(503, f"the server is busy ({error}); try again shortly", headers={"Retry-After": "5"}) from None
    except WorkerOutOfMemory as error:
        log.warning("a query worker ran out of memory (%s); a new worker takes its place", error)
        raise Problem(503, f"the request was stopped: {error}, more than a query may use; "
                           "narrow the query (LIMIT, more selective patterns, no ORDER BY over a large result)") from None
    except WorkerDied as error:
        log.error("%s; a new worker takes its place", error)
        raise Problem(503, "the worker running this request stopped unexpectedly; it is being replaced, "
                           "try again shortly", headers={"Retry-After": "2"}) from None
    except WorkerCrashed:
        raise Problem(500, "the request failed inside the server; it has been logged") from None
    except RuntimeError as error:
        log.error("the workers cannot start: %s", error)
        raise Problem(503, "the query workers cannot start; the server's log says why") from None
    if isinstance(result, Failure):
        raise failure_problem(result)
    return result


class LastResort:
    """ASGI middleware: an exception that escapes a handler becomes a plain 500, and a request
    body larger than ``max_bytes`` a 413 (checked on Content-Length, and counted as it comes)."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = Problem(413, f"the request body is larger than the server accepts ({self.max_bytes} bytes)")
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await render(scope, too_large)(scope, receive, send)
            return
        started = False
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise too_large
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Problem as problem:
            if not started:
                await render(scope, problem)(scope, receive, send)
        except Exception:  # noqa: BLE001 - the last resort: log it, answer 500, keep serving
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await render(scope, Problem(500, "the server failed to answer this request; the error has been logged"))(
                    scope, receive, send)


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, indent=2, ensure_ascii=False) + "\n", status, media_type="application/json")
