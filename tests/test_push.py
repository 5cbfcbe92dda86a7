"""``pactgraph push``: the built graph into a real Oxigraph server, live only when complete.

The failures are real too: a proxy that cuts the connection mid-push (and stays down), one
that cuts once, a server killed mid-push and started again, a store that is down, one that
refuses writes, and an answer lost after the swap took effect.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, Triple
from typer.testing import CliRunner

from pactgraph.cli import app
from pactgraph.push import PushError, batches, push
from pactgraph.remote import (PROJECT_GRAPHS, RemoteConfig, RemoteRefusedError, RemoteStore, RemoteStoreError,
                              RemoteUnavailableError)
from pactgraph.store import GraphStore
from pactgraph.vocab import GRAPH

from .remote_support import ClosedPort, CuttingProxy, OxigraphServer, small_build


@pytest.fixture
def server(tmp_path: Path):
    """A fresh Oxigraph server, stopped after the test."""
    running = OxigraphServer(tmp_path / "oxigraph").start()
    yield running
    running.stop()


@pytest.fixture
def old(tmp_path: Path) -> GraphStore:
    return small_build(tmp_path / "old", "old")


def remote_for(url: str, **options) -> RemoteStore:
    options = {"attempts": 3, "backoff": 0.05, "timeout": 10.0, **options}
    return RemoteStore(RemoteConfig.for_url(url, **options))


def graphs_in(remote: RemoteStore) -> set[str]:
    """Every named graph the store holds."""
    return {row["g"] for row in remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}


def live_markers(remote: RemoteStore) -> set[str]:
    """The marker literals of ``small_build`` in the live graphs."""
    return {row["v"] for row in remote.select(
        "SELECT ?v WHERE { GRAPH ?g { ?s <https://example.org/in> ?v } "
        f"FILTER(?g IN ({', '.join(f'<{remote.config.live_graph(n)}>' for n in PROJECT_GRAPHS)})) }}")}


def test_push_loads_the_built_graph_and_records_it(server: OxigraphServer, old: GraphStore, graph: GraphStore):
    remote = remote_for(server.query_url)
    first = push(old, remote)
    report = push(graph, remote, batch_size=2000)
    expected = graph.graph_sizes()
    assert remote.graph_sizes() == expected
    assert report.graphs == expected  # the default prefix keeps the project's own graph IRIs
    assert report.method == "gsp" and report.batches >= sum(expected.values()) // 2000
    assert report.altered == ()
    assert remote.live_push() == report.stamp != first.stamp
    assert live_markers(remote) == set()  # the old graphs are gone, not merged
    assert graphs_in(remote) == set(expected) | {GRAPH + "push"}  # no staging graph is left


def test_blank_nodes_stay_linked_across_batches(server: OxigraphServer, tmp_path: Path):
    local = small_build(tmp_path / "lists", "lists", lists=30, chain=3)  # 30 lists of 7 triples each
    remote = remote_for(server.query_url)
    report = push(local, remote, batch_size=10)
    assert report.batches >= 30
    rows = remote.select("SELECT ?list (COUNT(?item) AS ?n) WHERE { GRAPH ?g { ?list <https://example.org/items>/"
                         "<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/"
                         "<http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?item } } GROUP BY ?list")
    assert len(rows) == 30 and {row["n"] for row in rows} == {"3"}  # every list whole, none merged or broken
    assert remote.count(GRAPH + "ontology") == local.graph_sizes()[GRAPH + "ontology"]


def test_batches_keep_what_a_blank_node_links():
    a, b, c = BlankNode(), BlankNode(), BlankNode()
    p, x = NamedNode("https://example.org/p"), NamedNode("https://example.org/x")
    linked = [Triple(x, p, a), Triple(a, p, b), Triple(b, p, Literal("1")), Triple(c, p, Literal("2"))]
    plain = [Triple(NamedNode(f"https://example.org/s{i}"), p, Literal(str(i))) for i in range(5)]
    result = list(batches(plain + linked, 2))
    assert sorted(map(str, (t for batch in result for t in batch))) == sorted(map(str, plain + linked))
    holding_a = [batch for batch in result if any(a in (t.subject, t.object) for t in batch)]
    assert len(holding_a) == 1 and len(holding_a[0]) >= 3  # a, b and what hangs on them: one batch
    assert all(len(batch) <= 2 for batch in result if batch is not holding_a[0])


def test_push_by_sparql_update_where_there_is_no_graph_store_protocol(server: OxigraphServer, old: GraphStore):
    remote = remote_for(server.query_url, gsp_url="")
    report = push(old, remote)
    assert report.method == "update"
    assert live_markers(remote) == {f"old {g.value}" for g in PROJECT_GRAPHS.values()}
    assert remote.count(GRAPH + "ontology") == old.graph_sizes()[GRAPH + "ontology"]


def test_a_missing_graph_store_endpoint_falls_back_to_update(server: OxigraphServer, old: GraphStore):
    remote = remote_for(server.query_url, gsp_url=f"{server.base}/no-such-endpoint")
    report = push(old, remote)
    assert report.method == "update"
    assert remote.live_push() == report.stamp


def test_a_graph_prefix_places_the_graphs_under_it(server: OxigraphServer, old: GraphStore, tmp_path: Path):
    default = remote_for(server.query_url)
    push(old, default)
    other = remote_for(server.query_url, graph_prefix="https://example.org/mirror/")
    push(small_build(tmp_path / "new", "new"), other)
    assert live_markers(default) == {f"old {g.value}" for g in PROJECT_GRAPHS.values()}
    assert live_markers(other) == {f"new {g.value}" for g in PROJECT_GRAPHS.values()}
    # queries naming the project's graphs reach the prefixed ones
    rows = list(other.query(f"SELECT ?v WHERE {{ GRAPH <{GRAPH}data> {{ ?s <https://example.org/in> ?v }} }}"))
    assert [row["v"].value for row in rows] == [f"new {GRAPH}data"]


def test_a_connection_cut_mid_push_leaves_the_old_graph(server: OxigraphServer, old: GraphStore, graph: GraphStore):
    direct = remote_for(server.query_url)
    before = push(old, direct)
    proxy = CuttingProxy(server.port)
    try:
        proxy.cut_after(300_000, down=True)  # well into the data graph, then the store is gone
        with pytest.raises(PushError) as failure:
            push(graph, remote_for(proxy.url()), batch_size=1000)
        assert proxy.cuts == 1
        assert "nothing was replaced" in str(failure.value)
        assert "staging graphs could not be dropped" in str(failure.value)  # the store was gone: they are named
        assert direct.live_push() == before.stamp
        assert live_markers(direct) == {f"old {g.value}" for g in PROJECT_GRAPHS.values()}
        assert direct.graph_sizes() == old.graph_sizes()
        proxy.heal()
        report = push(graph, remote_for(proxy.url()), batch_size=1000)
        assert direct.live_push() == report.stamp
        assert direct.graph_sizes() == graph.graph_sizes()
    finally:
        proxy.close()


def test_a_connection_cut_once_is_retried(server: OxigraphServer, tmp_path: Path, graph: GraphStore):
    local = GraphStore.open(Path(graph.path))  # the data graph: batches without blank nodes are retried
    proxy = CuttingProxy(server.port)
    try:
        proxy.cut_after(900_000)
        report = push(local, remote_for(proxy.url()), batch_size=1000)
        assert proxy.cuts == 1
        direct = remote_for(server.query_url)
        assert direct.live_push() == report.stamp
        assert direct.graph_sizes() == graph.graph_sizes()
    finally:
        proxy.close()


def test_a_server_killed_mid_push_comes_back_with_the_old_graph(server: OxigraphServer, old: GraphStore,
                                                                graph: GraphStore):
    remote = remote_for(server.query_url)
    before = push(old, remote)
    sent = []

    def kill_after_two_batches(done: int, total: int) -> None:
        sent.append(done)
        if len(sent) == 2:
            server.kill()

    with pytest.raises(PushError) as failure:
        push(graph, remote_for(server.query_url), batch_size=1000, on_progress=kill_after_two_batches)
    assert "cannot reach the store" in str(failure.value)
    server.start()
    assert remote.live_push() == before.stamp
    assert live_markers(remote) == {f"old {g.value}" for g in PROJECT_GRAPHS.values()}
    assert remote.graph_sizes() == old.graph_sizes()


def test_an_answer_lost_after_the_swap_is_settled_by_the_record(server: OxigraphServer, old: GraphStore,
                                                                tmp_path: Path):
    remote = remote_for(server.query_url)
    push(old, remote)
    proxy = CuttingProxy(server.port)
    try:
        proxy.lose_answer_to(b"MOVE+%3C")  # the swap reaches the store; its answer never comes back
        report = push(small_build(tmp_path / "new", "new"), remote_for(proxy.url()))
        assert proxy.lost_answers == 1
        assert remote.live_push() == report.stamp
        assert live_markers(remote) == {f"new {g.value}" for g in PROJECT_GRAPHS.values()}
        assert not any("/staging/" in g for g in graphs_in(remote))
    finally:
        proxy.close()


def test_a_store_that_is_down_says_so(old: GraphStore):
    closed = ClosedPort()
    url = closed.url()
    with pytest.raises(RemoteUnavailableError) as failure:
        push(old, remote_for(url, attempts=2, backoff=0.01))
    assert str(failure.value).startswith(f"cannot reach the store at {url}")
    assert "tried 2 times" in str(failure.value)


def test_a_store_that_refuses_writes_keeps_its_graph(tmp_path: Path, old: GraphStore):
    location = tmp_path / "read-only"
    writable = OxigraphServer(location).start()
    before = push(old, remote_for(writable.query_url))
    writable.stop()
    read_only = OxigraphServer(location, read_only=True).start()
    try:
        remote = remote_for(read_only.query_url)
        with pytest.raises(RemoteStoreError) as failure:
            push(small_build(tmp_path / "new", "new"), remote)
        assert isinstance(failure.value, (PushError, RemoteRefusedError))
        assert "refused" in str(failure.value)
        assert remote.live_push() == before.stamp
        assert live_markers(remote) == {f"old {g.value}" for g in PROJECT_GRAPHS.values()}
    finally:
        read_only.stop()


def test_the_push_command(server: OxigraphServer, old: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("PACTGRAPH_REMOTE_USER", "PACTGRAPH_REMOTE_PASSWORD", "PACTGRAPH_REMOTE_TOKEN", "PACTGRAPH_REMOTE_AUTH",
                 "PACTGRAPH_REMOTE_AUTH_FILE"):
        monkeypatch.delenv(name, raising=False)
    # The command opens the store read-only; the fixture still holds it open for writing in this
    # process, and a read-only reader of a store being written can find its files gone: give
    # the command a checkpoint of its own, as a build publishes one.
    snapshot = tmp_path / "snapshot"
    old.store.backup(str(snapshot))
    runner = CliRunner()
    result = runner.invoke(app, ["push", "--to", server.query_url, "--store", str(snapshot), "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert f"Pushed to {server.query_url}" in result.output
    assert remote_for(server.query_url).graph_sizes() == old.graph_sizes()
    token = tmp_path / "token"
    token.write_text("s3cret\n")
    result = runner.invoke(app, ["push", "--to", server.query_url, "--store", str(snapshot), "--auth", "kerberos",
                                 "--auth-file", str(token)])
    assert result.exit_code == 2 and "expected one of basic, digest, bearer" in result.output
    closed = ClosedPort()
    result = runner.invoke(app, ["push", "--to", closed.url(), "--store", str(snapshot)],
                           env={"PACTGRAPH_REMOTE_ATTEMPTS": "1"})
    assert result.exit_code == 2 and "cannot reach the store" in result.output, (result.output, result.exception)


def leave_staging_graphs(remote: RemoteStore) -> tuple[str, str]:
    """A staging graph a failed push left two days ago, and one five minutes old (a push that
    may still be running elsewhere)."""
    from datetime import datetime, timedelta, timezone

    def staged(age: timedelta) -> str:
        stamp = (datetime.now(timezone.utc) - age).strftime("%Y%m%dT%H%M%S%fZ")
        graph = f"{remote.config.graph_prefix}staging/{stamp}-a1b2c3/data"
        remote.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <https://example.org/s> <https://example.org/p> 1 }} }}")
        return graph

    return staged(timedelta(days=2)), staged(timedelta(minutes=5))


def test_staging_graphs_left_by_a_failed_push_are_dropped_by_a_later_one_once_stale(server: OxigraphServer,
                                                                                     old: GraphStore):
    remote = remote_for(server.query_url)
    abandoned, running = leave_staging_graphs(remote)
    report = push(old, remote)
    assert report.cleared == (abandoned,)
    left = graphs_in(remote)
    assert abandoned not in left and running in left
    assert remote.live_push() == report.stamp


def test_the_push_command_drops_staging_graphs_older_than_it_is_told(server: OxigraphServer, old: GraphStore,
                                                                     tmp_path: Path):
    remote = remote_for(server.query_url)
    leave_staging_graphs(remote)
    snapshot = tmp_path / "snapshot"
    old.store.backup(str(snapshot))
    result = CliRunner().invoke(app, ["push", "--to", server.query_url, "--store", str(snapshot), "--stale-after", "0"])
    assert result.exit_code == 0, result.output
    assert "dropped 2 staging graph(s) left by failed pushes" in result.output
    assert not any("/staging/" in g for g in graphs_in(remote))
