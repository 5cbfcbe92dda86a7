"""The command line: parse arguments, call the library, print. Nothing else lives here.

Exit codes: 0 success; 1 the graph does not conform, or a query parameter is wrong;
2 an error: bad source data, a bad query, nothing built yet, a wrong option.
"""

from __future__ import annotations

import json
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from pyoxigraph import NamedNode
from rich.console import Console
from rich.table import Table

from . import __version__
from .build import GraphNotConformingError, build as run_build
from .completeness import completeness as run_completeness
from .dependencies import Direction, impact as run_impact, impact_json, parse_delay, walk, walk_json
from .targets import TargetNotFoundError, resolve_member_state, resolve_target
from .completeness_output import (CompletenessFormat, completeness_csv, completeness_html, completeness_json,
                                  completeness_png, completeness_table)
from .catalog import CatalogError, QueryParameterError, UnknownQueryError, get_query, load_catalog
from .export import ExportFormat, export_graph
from .federation import ServiceNotAllowedError
from .info import describe_store
from .linking import link_text
from .results import ResultFormat, results_table, serialize_results, show
from .settings import Settings
from .reasoning import check_ontology
from .remote import RemoteAuth, RemoteConfig, RemoteStore, RemoteStoreError, env_options, is_url
from .sources import SourceTableError
from .store import GraphStore, StoreNotBuiltError
from .timeline import timeline as run_timeline
from .validation import ShapesError, load_shapes, validate_store
from .validation_output import ReportFormat, report_json, report_table, report_text, report_turtle

out = Console()
err = Console(stderr=True)


class _Commands(typer.core.TyperGroup):
    """Every command: a remote store that goes away or refuses in the middle of a command ends
    it with the store's reason and exit code 2, not a traceback."""

    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except RemoteStoreError as error:
            err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None


app = typer.Typer(help="pactgraph: the knowledge graph of the EU Pact on Migration and Asylum.",
                  no_args_is_help=True, pretty_exceptions_enable=False, cls=_Commands)

#: ``--store`` takes a folder or a URL: one option rather than a second one (``--endpoint``), so
#: that every command, and PACTGRAPH_STORE, reaches a remote store the same way; a value
#: starting with http:// or https:// is a remote SPARQL store (see remote.py), anything else a folder.
StoreOption = Annotated[Optional[str], typer.Option("--store", help="Store: a folder (default: var/store, or $PACTGRAPH_STORE), "
                                                                    "or the URL of a remote SPARQL store (http:// or https://; "
                                                                    "credentials from PACTGRAPH_REMOTE_* variables).")]


def _settings(store: str | None) -> Settings:
    try:
        if store is None:
            return Settings()
        if is_url(store):
            return Settings(remote=RemoteConfig.from_env(store))
        return Settings(store_path=Path(store).absolute(), remote=None)
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None


def _open(settings: Settings) -> GraphStore | RemoteStore:
    """The built store, or the remote store (asked a first question, so that one that is down or
    refuses says so before any work starts)."""
    if settings.remote is not None:
        remote = RemoteStore(settings.remote, settings.services)
        remote.ping()
        return remote
    try:
        return GraphStore.open(settings.store, settings.services)
    except StoreNotBuiltError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None


@app.callback(invoke_without_command=True)
def main(version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False) -> None:
    if version:
        out.print(__version__)
        raise typer.Exit(0)


@app.command()
def build(store: StoreOption = None) -> None:
    """Check the source tables, map them, and publish a new graph (the old one stays if anything fails)."""
    settings = _settings(store)
    if settings.remote is not None:
        err.print("error: build writes a local store; give --store a folder, then 'pactgraph push --to URL'", markup=False)
        raise typer.Exit(2)
    with err.status("building") as status:
        try:
            report = run_build(settings, on_step=lambda step: status.update(step))
        except SourceTableError as error:
            err.print(f"[red]The source tables have {len(error.problems)} problem(s); nothing was built:[/red]")
            for problem in error.problems:
                err.print(f"  {problem}", highlight=False, markup=False)
            raise typer.Exit(2) from None
        except GraphNotConformingError as error:
            err.print(report_text(error.report), highlight=False, markup=False)
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from None
    table = Table("graph", "quads", title=f"Built {settings.store} in {report.seconds:.2f} s",
                  caption=f"inferred {report.inference.triples} triples in {report.inference.seconds:.2f} s; "
                          f"{len(report.validation.warnings)} warning(s), validated in {report.validation.seconds:.2f} s")
    for graph, count in sorted(report.quads_by_graph.items()):
        table.add_row(graph, str(count))
    err.print(table)


@app.command()
def validate(
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    shapes: Annotated[Optional[Path], typer.Option(help="Folder of shapes (default: the project's shapes/).")] = None,
    store: StoreOption = None,
) -> None:
    """Check the ontology's consistency (HermiT) and the built graph against the SHACL shapes.

    Exit 0 conforms, 1 violations (or warnings with --strict), 2 error.
    """
    settings = _settings(store)
    graph = _open(settings)
    try:
        shapes_graph = load_shapes(shapes or settings.shapes_dir)
    except (OSError, SyntaxError, ValueError) as error:
        err.print(f"error: cannot read the shapes: {error}", markup=False)
        raise typer.Exit(2) from None
    ontology = check_ontology(settings.ontology_dir, graph.store)
    try:
        report = validate_store(graph.store, shapes_graph)
    except ShapesError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    if fmt is ReportFormat.text:
        out.print(report_text(report, ontology), highlight=False, markup=False, end="")
    elif fmt is ReportFormat.table:
        out.print(f"ontology: {ontology.message} ({ontology.reasoner})", markup=False)
        out.print(report_table(report))
    elif fmt is ReportFormat.json:
        sys.stdout.write(report_json(report, ontology))
    else:
        sys.stdout.write(report_turtle(report))
    failed = not report.conforms or (strict and report.warnings) or ontology.consistent is False
    raise typer.Exit(1 if failed else 0)


@app.command()
def query(
    name_or_file: Annotated[str, typer.Argument(help="A named query (see 'pactgraph queries'), a .rq file, or the "
                                                     "text of a query.")],
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Parameter as key=value; repeatable.")] = None,
    fmt: Annotated[ResultFormat, typer.Option("--format", "-f", help="Output format.")] = ResultFormat.table,
    store: StoreOption = None,
) -> None:
    """Run a named query, a SPARQL file or a query's text against the built graph."""
    settings = _settings(store)
    given: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            err.print(f"[red]error:[/red] --param {item!r}: expected key=value")
            raise typer.Exit(2)
        given[key.strip()] = value.strip()
    try:
        text = _query_text(settings, name_or_file, given)
    except (UnknownQueryError, CatalogError, OSError) as error:
        err.print(f"error: {error.args[0] if error.args else error}", markup=False)
        raise typer.Exit(2) from None
    except QueryParameterError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(1) from None
    graph = _open(settings)
    try:
        result = graph.query(text)
    except SyntaxError as error:
        err.print(f"error: the query is not valid SPARQL: {error}", markup=False)
        raise typer.Exit(2) from None
    except ServiceNotAllowedError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    except RemoteStoreError:
        raise
    except OSError as error:
        err.print(f"error: a SERVICE endpoint could not be reached or answered wrongly: {error}", markup=False)
        raise typer.Exit(2) from None
    if fmt is ResultFormat.table:
        out.print(results_table(result))
    else:
        sys.stdout.buffer.write(serialize_results(result, fmt))
        sys.stdout.flush()


#: What the text of a query starts with (after comments), as opposed to a name or a file.
QUERY_TEXT = re.compile(r"^(\s*#[^\n]*\n)*\s*(PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _query_text(settings: Settings, name_or_file: str, given: dict[str, str]) -> str:
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        if given:
            raise QueryParameterError(next(iter(given)), None, "parameters are for named queries only")
        return path.read_text(encoding="utf-8")
    if QUERY_TEXT.match(name_or_file):
        if given:
            raise QueryParameterError(next(iter(given)), None, "parameters are for named queries only")
        return name_or_file
    return get_query(load_catalog(settings.queries_dir), name_or_file).render(given)


@app.command()
def completeness(
    member_state: Annotated[Optional[str], typer.Option("--member-state", "-m", help="One Member State: NL, EL/GR or NLD.")] = None,
    fmt: Annotated[CompletenessFormat, typer.Option("--format", "-f", help="Output format.")] = CompletenessFormat.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (needed for png).")] = None,
    store: StoreOption = None,
) -> None:
    """Per Member State and building block: obligations needing a national measure, how many have one, the gaps."""
    settings = _settings(store)
    try:
        report = run_completeness(_open(settings), settings.queries_dir, member_state)
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    if fmt is CompletenessFormat.table:
        console = Console(file=output.open("w", encoding="utf-8"), width=200) if output else out
        console.print(completeness_table(report))
        return
    if fmt is CompletenessFormat.png and output is None:
        err.print("error: --format png needs --output FILE")
        raise typer.Exit(2)
    body = {CompletenessFormat.json: completeness_json, CompletenessFormat.csv: completeness_csv,
            CompletenessFormat.html: completeness_html}.get(fmt)
    data = completeness_png(report) if body is None else body(report).encode("utf-8")
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _target(graph: GraphStore, text: str) -> str:
    try:
        return resolve_target(graph, text).iri
    except TargetNotFoundError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None


@app.command()
def deps(
    target: Annotated[str, typer.Argument(help="IRI, CELEX, ELI, or a short name or label such as eurodac or screening.")],
    direction: Annotated[Direction, typer.Option(help="up: what depends on the target; down: what it depends on.")] = Direction.up,
    depth: Annotated[Optional[int], typer.Option(min=1, help="How many steps to follow (default: all).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
) -> None:
    """What an obligation, procedure or IT system depends on, or what depends on it, with the path."""
    graph = _open(_settings(store))
    result = walk(graph, _target(graph, target), direction, depth)
    if fmt == "json":
        sys.stdout.write(json.dumps(walk_json(result), indent=2) + "\n")
        return
    table = Table("depth", "node", "path", caption=f"{len(result.reached)} reached {direction.value} from {show(NamedNode(result.target))}")
    for reached in result.reached:
        table.add_row(str(reached.depth), show(NamedNode(reached.iri)), " > ".join(show(NamedNode(p)) for p in reached.path[1:]))
    out.print(table)
    for cycle in result.cycles:
        err.print("cycle: " + " > ".join(show(NamedNode(p)) for p in cycle), markup=False)


@app.command()
def impact(
    target: Annotated[str, typer.Argument(help="The late IT system or obligation: IRI, CELEX, or a name such as eurodac.")],
    delay: Annotated[Optional[str], typer.Option(help="How late: 30d, 6w or an ISO 8601 duration such as P30D.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Or the date it is ready, YYYY-MM-DD.")] = None,
    member_state: Annotated[Optional[str], typer.Option("--member-state", "-m", help="Show that Member State's national measures.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
) -> None:
    """Which obligations are hit, and by how many days, if the target is late."""
    graph = _open(_settings(store))
    iri = _target(graph, target)
    try:
        if (delay is None) == (until is None):
            raise ValueError("give either --delay or --until")
        ready = date.fromisoformat(until) if until else None
        lateness = parse_delay(delay) if delay else None
        country = resolve_member_state(graph, member_state).iri if member_state else None
        result = run_impact(graph, iri, delay=lateness, until=ready, member_state=country)
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(impact_json(result), indent=2) + "\n")
        return
    table = Table("obligation", "due", "days hit", "procedure", "block", "measures",
                  caption=f"{len(result.hits)} obligations hit if {show(NamedNode(iri))}, due {result.expected}, is ready only on {result.ready}")
    for hit in result.hits:
        table.add_row(f"{show(NamedNode(hit.obligation))} {hit.label}", hit.due.isoformat(), str(hit.late_by_days),
                      show(NamedNode(hit.procedure)) if hit.procedure else "", show(NamedNode(hit.building_block)) if hit.building_block else "",
                      " ".join(show(NamedNode(m)) for m in hit.measures))
    out.print(table)


@app.command()
def timeline(
    member_state: Annotated[Optional[str], typer.Option("--member-state", "-m", help="Only the Union's entries and this Member State's: NL, EL/GR or NLD.")] = None,
    start: Annotated[Optional[str], typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
) -> None:
    """Everything dated, in order: events, stages of national measures, documents, dates of acts."""
    settings = _settings(store)
    graph = _open(settings)
    try:
        if fmt not in ("table", "json"):
            raise ValueError(f"--format {fmt!r}: expected table or json")
        first = _day("--from", start)
        last = _day("--to", end)
        result = run_timeline(graph, settings.queries_dir, member_state=member_state, start=first, end=last)
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    if fmt == "json":
        sys.stdout.write(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n")
        return
    scope = f"the Union and {result.member_state}" if result.member_state else "the Union and all Member States"
    table = Table("date", "until", "kind", "what", "item", "MS", caption=f"{len(result.entries)} dated entries for {scope}")
    for entry in result.entries:
        table.add_row(entry.date.isoformat(), entry.end.isoformat() if entry.end else "", entry.kind, entry.label,
                      show(NamedNode(entry.item)), entry.member_state or "")
    out.print(table)


def _day(option: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} {text!r}: expected a date YYYY-MM-DD") from None


@app.command()
def link(
    text_or_file: Annotated[str, typer.Argument(help="Text to search, or a path to a text file.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    store: StoreOption = None,
) -> None:
    """Find references to EU acts, articles, Commission documents and Dutch papers, and whether the graph knows them."""
    path = Path(text_or_file)
    text = path.read_text(encoding="utf-8") if len(text_or_file) < 4096 and path.is_file() else text_or_file
    citations = link_text(_open(_settings(store)), text)
    if fmt == "json":
        sys.stdout.write(json.dumps([{"start": c.span[0], "end": c.span[1], "text": c.text, "kind": str(c.kind),
                                      "celex": c.celex, "eli": c.eli, "reference": c.reference, "known": c.known}
                                     for c in citations], indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("span", "text", "kind", "CELEX", "ELI / reference", "in graph",
                  caption=f"{len(citations)} citation(s), {sum(1 for c in citations if c.known)} known to the graph")
    for c in citations:
        table.add_row(f"{c.span[0]}-{c.span[1]}", c.text, str(c.kind), c.celex or "", c.eli or c.reference or "",
                      {True: "yes", False: "no", None: "–"}[c.known])
    out.print(table)


@app.command()
def queries() -> None:
    """List the named queries with their parameters."""
    table = Table("name", "title", "parameters")
    for named in load_catalog(Settings().queries_dir).values():
        params = ", ".join(f"{p.name} ({p.type}{'' if p.default is None else ', default ' + p.default})"
                           for p in named.parameters)
        table.add_row(named.name, named.title, params)
    out.print(table)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="RDF format.")] = ExportFormat.nquads,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="File to write (default: standard output).")] = None,
    store: StoreOption = None,
) -> None:
    """Write the whole graph (all named graphs; Turtle gets the union) in an RDF format."""
    graph = _open(_settings(store))
    if output:
        with output.open("wb") as handle:
            export_graph(graph, fmt, handle)
    else:
        export_graph(graph, fmt, sys.stdout.buffer)
        sys.stdout.flush()


@app.command()
def info(store: StoreOption = None) -> None:
    """Counts by class, named graphs, build time and source versions of the built graph."""
    summary = describe_store(_open(_settings(store)))
    out.print(f"built {summary.built_at} by {summary.software_version}")
    graphs = Table("named graph", "quads")
    for graph, count in summary.graphs.items():
        graphs.add_row(graph, str(count))
    out.print(graphs)
    classes = Table("class", "instances")
    for cls, count in summary.classes.items():
        classes.add_row(cls, str(count))
    out.print(classes)
    versions = Table("source", "version")
    for source, version in summary.sources.items():
        versions.add_row(source, version)
    out.print(versions)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[Optional[int], typer.Option(min=1, help="Query worker processes (default 2, or $PACTGRAPH_WORKERS).")] = None,
    timeout: Annotated[Optional[float], typer.Option(min=0.1, help="Seconds a query may run before it is stopped with 503 "
                                                                   "(default 30, or $PACTGRAPH_QUERY_TIMEOUT).")] = None,
    worker_memory: Annotated[Optional[int], typer.Option(min=0, help="MiB a query worker may allocate; a query past it is stopped "
                                                                     "with 503 (default 2048, or $PACTGRAPH_WORKER_MEMORY; 0: no limit).")] = None,
    max_rows: Annotated[Optional[int], typer.Option(min=1, help="Rows a result holds at most; a longer one is cut and says so "
                                                                "in X-SPARQL-MaxRows (default 10000, or $PACTGRAPH_MAX_ROWS).")] = None,
    max_request_bytes: Annotated[Optional[int], typer.Option(min=1, help="Largest request body, else 413 "
                                                                         "(default 1 MiB, or $PACTGRAPH_MAX_REQUEST_BYTES).")] = None,
    allow_update: Annotated[bool, typer.Option(help="Serve SPARQL Update (/update) and the Graph Store Protocol (/store) "
                                                    "on a scratch store, for holders of the bearer token.")] = False,
    token_file: Annotated[Optional[Path], typer.Option(help="File holding the bearer token (default: $PACTGRAPH_UPDATE_TOKEN).")] = None,
    scratch: Annotated[Optional[Path], typer.Option(help="The writable scratch store for updates (default: a temporary one, "
                                                         "or $PACTGRAPH_SCRATCH); never the published build.")] = None,
    http_processes: Annotated[int, typer.Option(min=1, help="HTTP server processes, each with its own query workers "
                                                            "and answer cache (not with --allow-update).")] = 1,
    access_log: Annotated[bool, typer.Option(help="Log every request (off by default: logging "
                                                  "is a large part of a cheap request's cost).")] = False,
    store: StoreOption = None,
) -> None:
    """Serve the built graph over HTTP: SPARQL at /sparql, the named queries and reports under /api, dumps, docs at /docs."""
    import dataclasses
    import logging

    import uvicorn

    from .server.app import create_app

    try:
        settings = _settings(store)
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    _open(settings)  # fail early, with the CLI's message, when nothing is built
    given = {"workers": workers, "query_timeout": timeout, "max_rows": max_rows, "max_request_bytes": max_request_bytes,
             "worker_memory": worker_memory,
             "scratch_path": scratch.absolute() if scratch else None}
    settings = dataclasses.replace(settings, allow_update=allow_update, **{k: v for k, v in given.items() if v is not None})
    if token_file is not None:
        try:
            settings = dataclasses.replace(settings, update_token=token_file.read_text(encoding="utf-8").strip() or None)
        except OSError as error:
            err.print(f"error: cannot read the token file: {error}", markup=False)
            raise typer.Exit(2) from None
    if allow_update and not settings.update_token:
        err.print("error: --allow-update needs a bearer token: set PACTGRAPH_UPDATE_TOKEN or give --token-file", markup=False)
        raise typer.Exit(2)
    if settings.scratch_path is not None and settings.scratch_path.resolve() == settings.store.resolve():
        err.print("error: the scratch store cannot be the published build", markup=False)
        raise typer.Exit(2)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if http_processes == 1:
        uvicorn.run(create_app(settings), host=host, port=port, access_log=access_log)
        return
    if settings.allow_update:
        err.print("error: --allow-update needs a single HTTP process (one process owns the scratch store)", markup=False)
        raise typer.Exit(2)
    # Each process makes its own app from the environment (uvicorn starts them by import string).
    os.environ.update({"PACTGRAPH_HOME": str(settings.root),
                       "PACTGRAPH_STORE": settings.remote.query_url if settings.remote else str(settings.store.absolute()),
                       "PACTGRAPH_QUERY_TIMEOUT": str(settings.query_timeout), "PACTGRAPH_MAX_ROWS": str(settings.max_rows),
                       "PACTGRAPH_MAX_REQUEST_BYTES": str(settings.max_request_bytes),
                       "PACTGRAPH_CACHE_BYTES": str(settings.cache_bytes), "PACTGRAPH_WORKERS": str(settings.workers),
                       "PACTGRAPH_WORKER_MEMORY": str(settings.worker_memory)})
    uvicorn.run("pactgraph.server.app:app_from_environment", factory=True, workers=http_processes, host=host, port=port,
                access_log=access_log)


@app.command()
def push(
    to: Annotated[str, typer.Option("--to", help="The remote store's SPARQL query endpoint: .../query (Oxigraph), "
                                                 ".../sparql (Virtuoso), .../repositories/ID (GraphDB), the dataset "
                                                 "URL (Fuseki).")],
    graph_prefix: Annotated[Optional[str], typer.Option(help="Namespace of the graphs in the remote store (default: "
                                                             "the project's, https://w3id.org/pactgraph/graph/).")] = None,
    auth: Annotated[Optional[str], typer.Option(help="basic, digest (Virtuoso) or bearer; default: bearer for a token, "
                                                     "basic for a user ($PACTGRAPH_REMOTE_AUTH).")] = None,
    auth_file: Annotated[Optional[Path], typer.Option(help="File holding user:password (basic, digest) or the token "
                                                           "(default: $PACTGRAPH_REMOTE_USER and $PACTGRAPH_REMOTE_PASSWORD, "
                                                           "or $PACTGRAPH_REMOTE_TOKEN).")] = None,
    update_url: Annotated[Optional[str], typer.Option(help="SPARQL Update endpoint, when not the one derived from --to.")] = None,
    gsp_url: Annotated[Optional[str], typer.Option(help="Graph Store Protocol endpoint, when not the one derived from --to; "
                                                        "'' for a store without one (SPARQL Update is used).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Triples per request.")] = 5000,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds one request may take.")] = 120.0,
    stale_after: Annotated[float, typer.Option(min=0.0, help="Hours after which staging graphs left by a failed push "
                                                             "are dropped (younger ones may be a push still running).")] = 24.0,
    store: StoreOption = None,
) -> None:
    """Load the built graph into a remote SPARQL 1.1 store: into staging graphs first, in batches,
    then made live together in one update; if anything fails, the graphs live there stay."""
    import time
    from datetime import timedelta

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .push import PushError, push as run_push

    settings = _settings(store)
    if settings.remote is not None:
        err.print("error: --store names the built graph to push (a folder); the remote store is --to", markup=False)
        raise typer.Exit(2)
    try:
        config = RemoteConfig.for_url(to, update_url=update_url, gsp_url=gsp_url, graph_prefix=graph_prefix,
                                      auth=RemoteAuth.from_sources(auth, auth_file), timeout=timeout, **env_options())
    except ValueError as error:
        err.print(f"error: {error}", markup=False)
        raise typer.Exit(2) from None
    local = _open(settings)
    assert isinstance(local, GraphStore)
    remote = RemoteStore(config, settings.services)
    columns = (TextColumn("pushing"), BarColumn(), MofNCompleteColumn(), TextColumn("triples"), TimeElapsedColumn())
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("push", total=None)
            report = run_push(local, remote, batch_size=batch_size, stale_after=timedelta(hours=stale_after),
                              on_progress=lambda done, total: progress.update(task, advance=done, total=total))
    except (PushError, RemoteStoreError) as error:
        err.print(f"error: {error}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from None
    finally:
        remote.close()
    table = Table("graph", "triples", title=f"Pushed to {config.query_url} in {report.seconds:.2f} s",
                  caption=f"push {report.stamp}: {report.batches} batch(es) by "
                          f"{'the Graph Store Protocol' if report.method == 'gsp' else 'SPARQL Update'}; live since "
                          f"{time.strftime('%H:%M:%S')}")
    for graph, count in report.graphs.items():
        table.add_row(graph, str(count))
    err.print(table)
    if report.cleared:
        err.print(f"dropped {len(report.cleared)} staging graph(s) left by failed pushes: "
                  + " ".join(f"<{g}>" for g in report.cleared), markup=False, highlight=False, soft_wrap=True)
    if report.altered:
        err.print(f"warning: the store holds {len(report.altered)} literal(s) otherwise than they were sent, e.g.",
                  markup=False)
        for sent, stored in report.altered[:3]:
            err.print(f"  sent   {sent}\n  stored {stored or '(nothing like it)'}", markup=False, highlight=False,
                      soft_wrap=True)
