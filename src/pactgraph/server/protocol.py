"""Reading a SPARQL 1.1 Protocol request: which operation, its text, its dataset.

Shared by ``/sparql`` (queries, and updates when they are allowed) and ``/update``. The rules
(SPARQL 1.1 Protocol, sections 2.1 and 2.2):

- GET carries a query in ``query=``; an update is never sent by GET.
- POST carries a form (``application/x-www-form-urlencoded``: ``query=`` or ``update=``) or the
  text itself (``application/sparql-query``, ``application/sparql-update``), in UTF-8.
- exactly one query or update a request.
- the dataset: ``default-graph-uri`` and ``named-graph-uri`` for a query, ``using-graph-uri``
  and ``using-named-graph-uri`` for an update, in the URL or the form, each an absolute IRI.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from pyoxigraph import NamedNode
from starlette.requests import Request

from .problems import Problem

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


@dataclass(frozen=True)
class Operation:
    """A query or an update, with the graphs the request names for its dataset."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    dataset_given: bool = False


def media_type(request: Request) -> tuple[str, dict[str, str]]:
    """The request's Content-Type without parameters (lower case), and its parameters."""
    header = request.headers.get("content-type", "")
    main, *params = [part.strip() for part in header.split(";")]
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"')
    return main.lower(), parsed


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, f"the {what} is not valid UTF-8") from None


async def read_operation(request: Request) -> Operation | None:
    """The operation a request carries, or None when it carries none (a GET for the service
    description). Raises Problem (400, 415) for a request the protocol does not allow."""
    fields = parse_qsl(request.url.query, keep_blank_values=True)
    if request.method == "POST":
        media, params = media_type(request)
        charset = params.get("charset", "utf-8").lower()
        if media not in (FORM, QUERY, UPDATE):
            raise Problem(415, f"cannot read a POST body of type {media or 'unknown (no Content-Type)'}; send "
                               f"{QUERY}, {UPDATE}, or a form ({FORM}) with a 'query' or 'update' field")
        if charset not in ("utf-8", "utf8"):
            raise Problem(415, f"the body must be UTF-8, not {charset}")
        body = await request.body()
        if media == FORM:
            try:
                fields += parse_qsl(_utf8(body, "form"), keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise Problem(400, "the form is not valid UTF-8") from None
        else:
            if any(name in ("query", "update") for name, _ in fields):
                raise Problem(400, "the operation is both in the body and in the URL; send it once")
            fields.append(("query" if media == QUERY else "update", _utf8(body, "body")))
    queries = [value for name, value in fields if name == "query"]
    updates = [value for name, value in fields if name == "update"]
    if len(queries) + len(updates) > 1:
        raise Problem(400, "send exactly one 'query' or one 'update' a request")
    if updates and request.method != "POST":
        raise Problem(400, "an update must be sent with POST")
    if not queries and not updates:
        return None
    kind = "query" if queries else "update"
    text = (queries or updates)[0]
    if not text.strip():
        raise Problem(400, f"the {kind} is empty")
    names = ("default-graph-uri", "named-graph-uri") if kind == "query" else ("using-graph-uri", "using-named-graph-uri")
    wrong = {"query": ("using-graph-uri", "using-named-graph-uri"),
             "update": ("default-graph-uri", "named-graph-uri")}[kind]
    misplaced = sorted({name for name, _ in fields if name in wrong})
    if misplaced:
        raise Problem(400, f"{', '.join(misplaced)} belongs to the other operation; a {kind} takes {' and '.join(names)}")
    default = tuple(_iri(name, value) for name, value in fields if name == names[0])
    named = tuple(_iri(name, value) for name, value in fields if name == names[1])
    return Operation(kind, text, default, named, bool(default or named))


def _iri(name: str, value: str) -> str:
    try:
        NamedNode(value)
    except ValueError as error:
        raise Problem(400, f"{name}={value!r} is not an absolute IRI: {error}") from None
    return value
