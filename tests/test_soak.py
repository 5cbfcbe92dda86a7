"""A short soak (``bench/soak.py``): a few seconds of concurrent clients on a real server over the
real graph, every kind of request of the mix, and not one server error; the server still answers
afterwards. The full soak (60 s, 32 clients) is run by hand: ``python bench/soak.py``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import PROJECT


def load_soak() -> ModuleType:
    """``bench/soak.py`` as a module (``bench/`` is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("pactgraph_bench_soak", PROJECT / "bench" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def soak() -> ModuleType:
    return load_soak()


@pytest.fixture(scope="module")
def report(soak: ModuleType, build_report, project_settings):
    """Eight clients for five seconds against a server the soak starts itself."""
    with soak.serving(Path(project_settings.store), "--workers", "2") as (url, pid):
        return soak.soak(url, pid, seconds=5, clients=8, seed=7)


@pytest.mark.soak
def test_every_request_of_the_mix_is_answered_before_the_soak(report):
    assert report.preflight_failures == []


@pytest.mark.soak
def test_a_short_soak_has_no_server_error_and_the_server_still_answers(report, soak):
    assert set(report.kinds) == set(soak.WEIGHTS), "a kind of request was never sent"
    assert all(kind.requests > 0 for kind in report.kinds.values())
    assert report.server_errors == 0 and report.failures == 0, soak.table(report)
    assert report.client_errors == 0, soak.table(report)
    assert report.answers_after


@pytest.mark.soak
def test_the_soak_samples_the_memory_of_the_server_and_its_workers(report, soak):
    assert len(report.rss) >= 2 and min(report.rss) > 0
    assert "RSS" in soak.table(report)


@pytest.mark.soak
def test_the_soak_fails_on_a_server_error_a_lost_request_or_too_much_memory(soak):
    """The verdict is not a formality: each of these makes the run fail (exit status 1)."""
    def report(statuses: dict[int, int], failures: dict[str, int] | None = None, rss_mib: int = 100):
        kinds = {"named": soak.Kind(latencies=[0.01], statuses=soak.Counter(statuses),
                                    failures=soak.Counter(failures or {}))}
        return soak.Report(1.0, 1, kinds, [rss_mib * 2**20], [], answers_after=True)

    assert soak.verdict(report({200: 5}), max_rss_mb=200) == []
    assert soak.verdict(report({200: 5, 503: 1}), max_rss_mb=200)
    assert soak.verdict(report({200: 5}, {"ReadTimeout": 1}), max_rss_mb=200)
    assert soak.verdict(report({200: 5}, rss_mib=300), max_rss_mb=200)
    assert "503: 1" in soak.table(report({200: 5, 503: 1}))
