"""The server's limits: a query timeout that really stops the work, the row cap, the request
size cap, their settings, and no stack trace or crash whatever happens."""

from __future__ import annotations

import dataclasses
import time

import pytest
from typer.testing import CliRunner

from pactgraph.server import jobs
from pactgraph.server.workers import JobTimeout, PoolBusy, StoreSpec, WorkerCrashed, WorkerPool
from pactgraph.settings import Settings

ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def quick(make_client):
    """A server whose queries may run one second, with results of at most three rows."""
    return make_client(query_timeout=1.0, max_rows=3, max_request_bytes=2000, workers=1)


def test_an_endless_query_is_stopped_with_503_and_the_server_goes_on(quick):
    pool = quick.app.state.runtime.published
    [before] = [w.process.pid for w in pool._all]
    started = time.monotonic()
    response = quick.get("/sparql", params={"query": ENDLESS})
    assert response.status_code == 503 and "too long" in response.text and response.headers["retry-after"]
    assert time.monotonic() - started < 10
    after = quick.get("/sparql", params={"query": "ASK { ?s a pg:MemberState }"})
    assert after.status_code == 200 and after.json()["boolean"] is True
    assert before not in [w.process.pid for w in pool._all]


#: Sorts every pair of triples: grows by hundreds of MB a second, far past any worker's limit.
MEMORY_BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


def test_a_query_past_the_worker_memory_limit_is_stopped_with_503_and_the_server_goes_on(make_client):
    client = make_client(query_timeout=60.0, worker_memory=400, workers=1)
    pool = client.app.state.runtime.published
    [before] = [w.process.pid for w in pool._all]
    response = client.get("/sparql", params={"query": MEMORY_BOMB})
    assert response.status_code == 503 and "400 MiB" in response.text and "Traceback" not in response.text
    after = client.get("/sparql", params={"query": "ASK { ?s a pg:MemberState }"})
    assert after.status_code == 200 and after.json()["boolean"] is True
    assert before not in [w.process.pid for w in pool._all]


def test_the_killed_worker_is_gone(project_settings, build_report):
    pool = WorkerPool(StoreSpec(project_settings.store.resolve(), project_settings.services), 1, 0.5)
    try:
        [worker] = pool._all
        with pytest.raises(JobTimeout):
            pool.run(jobs.query, ENDLESS, None, None, "text/csv", None, 10)
        assert worker.process.poll() is not None
        assert pool.run(jobs.query, "ASK {}", None, None, "text/csv", None, 10).body == b"true"
    finally:
        pool.close()


def test_a_busy_pool_answers_busy_and_a_crashed_job_is_reported(project_settings, build_report):
    import threading

    pool = WorkerPool(StoreSpec(project_settings.store.resolve(), project_settings.services), 1, 1.0)
    try:
        endless = threading.Thread(target=lambda: pytest.raises(JobTimeout, pool.run, jobs.query, ENDLESS, None, None,
                                                                 "text/csv", None, 10))
        endless.start()
        time.sleep(0.2)
        with pytest.raises(PoolBusy):
            pool.run(jobs.query, "ASK {}", None, None, "text/csv", None, 10, timeout=0.3)
        endless.join()
        with pytest.raises(WorkerCrashed):
            pool.run(jobs.named_graphs, "an argument too many")
        assert pool.run(jobs.query, "ASK {}", None, None, "text/csv", None, 10).body == b"true"
    finally:
        pool.close()


def test_workers_that_cannot_open_the_store_say_why(tmp_path):
    with pytest.raises(RuntimeError, match="could not open"):
        WorkerPool(StoreSpec(tmp_path / "nothing", Settings().services), 1, 1.0)


def test_a_result_over_the_row_cap_is_cut_and_says_so(quick):
    cut = quick.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pg:MemberState }"})
    assert cut.status_code == 200 and len(cut.json()["results"]["bindings"]) == 3
    assert cut.headers["x-sparql-maxrows"] == "3"
    as_csv = quick.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pg:MemberState }"}, headers={"accept": "text/csv"})
    assert len(as_csv.text.splitlines()) == 4 and as_csv.headers["x-sparql-maxrows"] == "3"
    graph = quick.get("/sparql", params={"query": "CONSTRUCT WHERE { ?m a pg:MemberState }"}, headers={"accept": "application/n-triples"})
    assert len(graph.text.splitlines()) == 3 and graph.headers["x-sparql-maxrows"] == "3"
    whole = quick.get("/sparql", params={"query": "SELECT ?m WHERE { ?m a pg:MemberState } LIMIT 3"})
    assert "x-sparql-maxrows" not in whole.headers


def test_a_request_body_over_the_cap_is_413(quick):
    big = "ASK {}" + " " * 3000
    declared = quick.post("/sparql", content=big, headers={"content-type": "application/sparql-query"})
    chunked = quick.post("/sparql", content=iter([big[:1500].encode(), big[1500:].encode()]),
                         headers={"content-type": "application/sparql-query"})
    assert declared.status_code == 413 and chunked.status_code == 413 and "2000 bytes" in chunked.text


def test_an_unexpected_error_is_a_plain_500(make_client, monkeypatch):
    import pactgraph.server.app as app_module

    def broken(settings):
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(app_module, "home_page", broken)
    client = make_client()
    response = client.get("/")
    assert response.status_code == 500
    assert "secret" not in response.text and "Traceback" not in response.text and "logged" in response.text


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PACTGRAPH_QUERY_TIMEOUT", "2.5")
    monkeypatch.setenv("PACTGRAPH_MAX_ROWS", "7")
    monkeypatch.setenv("PACTGRAPH_WORKERS", "3")
    monkeypatch.setenv("PACTGRAPH_UPDATE_TOKEN", "s3cret")
    monkeypatch.setenv("PACTGRAPH_WORKER_MEMORY", "0")
    settings = Settings()
    assert (settings.query_timeout, settings.max_rows, settings.workers, settings.worker_memory) == (2.5, 7, 3, 0)
    assert settings.update_token == "s3cret" and "s3cret" not in repr(settings)
    monkeypatch.setenv("PACTGRAPH_MAX_ROWS", "many")
    with pytest.raises(ValueError, match="PACTGRAPH_MAX_ROWS"):
        Settings()


def test_serve_passes_its_options_to_the_app(monkeypatch, project_settings, build_report, tmp_path):
    import uvicorn

    from pactgraph.cli import app

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, host, port, **options: seen.update(
        settings=application.state.settings, host=host, port=port))
    store = str(project_settings.store)
    result = CliRunner().invoke(app, ["serve", "--store", store, "--port", "8123", "--workers", "3", "--timeout", "2.5",
                                      "--max-rows", "10", "--max-request-bytes", "100", "--worker-memory", "512"])
    assert result.exit_code == 0, result.output
    settings = seen["settings"]
    assert (seen["port"], settings.workers, settings.query_timeout, settings.max_rows, settings.max_request_bytes,
            settings.worker_memory) == (8123, 3, 2.5, 10, 100, 512)
    assert settings.allow_update is False


def test_serve_allows_updates_only_with_a_token(monkeypatch, project_settings, build_report, tmp_path):
    import uvicorn

    from pactgraph.cli import app

    monkeypatch.delenv("PACTGRAPH_UPDATE_TOKEN", raising=False)
    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, host, port, **options: seen.update(settings=application.state.settings))
    store = str(project_settings.store)
    refused = CliRunner().invoke(app, ["serve", "--store", store, "--allow-update"])
    assert refused.exit_code == 2 and "token" in refused.output
    token = tmp_path / "token"
    token.write_text("t0ken\n")
    allowed = CliRunner().invoke(app, ["serve", "--store", store, "--allow-update", "--token-file", str(token),
                                       "--scratch", str(tmp_path / "scratch")])
    assert allowed.exit_code == 0, allowed.output
    assert seen["settings"].update_token == "t0ken" and seen["settings"].scratch_path == tmp_path / "scratch"
    same = CliRunner().invoke(app, ["serve", "--store", store, "--allow-update", "--token-file", str(token),
                                    "--scratch", store])
    assert same.exit_code == 2 and "published build" in same.output


def test_settings_fields_override(project_settings):
    changed = dataclasses.replace(project_settings, max_rows=1)
    assert changed.max_rows == 1 and project_settings.max_rows != 1
