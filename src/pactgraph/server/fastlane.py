"""A cache in front of the app for repeated GETs of the published graph, as Varnish would be.

Most of a cheap request's time goes into the framework's layers, not the query (about four
fifths for a lookup by CELEX, measured with py-spy). A GET whose answer carries an ETag is an
answer of the immutable published build (``cache.py`` tags nothing else), so the exact same
request — path, query string, ``Accept`` and whether gzip is accepted — gets the exact same
response for the server's lifetime. This middleware keeps such responses and sends them again
without entering the app; ``If-None-Match`` with the tag gets 304.

Requests with an ``Origin`` (CORS) or ``Authorization`` header, and everything but GET and
HEAD, always go through the app. Bounded by bytes, least recently used out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .cache import matches

#: Paths whose GET answers may be kept (when the app tags them).
PREFIXES = ("/sparql", "/api/queries/")
BYPASS = {b"origin", b"authorization"}


@dataclass(frozen=True)
class Kept:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    tag: str


class FastLane:
    """Pure ASGI middleware: the outermost layer of the app."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes
        self._kept: OrderedDict[tuple, Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not self.max_bytes \
                or not scope["path"].startswith(PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if BYPASS & headers.keys():
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"], headers.get(b"accept", b""),
               b"gzip" in headers.get(b"accept-encoding", b""))
        kept = self._get(key)
        if kept is not None:
            await self._send(kept, scope, headers, send)
            return
        await self.app(scope, receive, self._recorder(key, scope["method"], send))

    def _get(self, key: tuple) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
            return kept

    async def _send(self, kept: Kept, scope: Scope, headers: dict[bytes, bytes], send: Send) -> None:
        inm = headers.get(b"if-none-match")
        if inm is not None and matches(inm.decode("latin-1"), kept.tag):
            keep = {b"etag", b"cache-control", b"vary"}
            await send({"type": "http.response.start", "status": 304,
                        "headers": [(k, v) for k, v in kept.headers if k in keep]})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": kept.status, "headers": kept.headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else kept.body})

    def _recorder(self, key: tuple, method: str, send: Send) -> Send:
        """Pass the app's response through, keeping it when it is a whole 200 with an ETag."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def record(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body" and start is not None and method == "GET":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    self._keep(key, start, b"".join(chunks))
            await send(message)

        return record

    def _keep(self, key: tuple, start: Message, body: bytes) -> None:
        if start["status"] != 200:
            return
        headers = [(bytes(k).lower(), bytes(v)) for k, v in start.get("headers", [])]
        tag = next((v.decode("latin-1") for k, v in headers if k == b"etag"), None)
        if tag is None or len(body) > self.max_bytes // 10:
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = Kept(200, headers, body, tag)
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)
