"""Shared fixtures: one small store built once per session from the bundled samples
through the real ingest path, and Flask `app` / `client` and click `runner` on top of it."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "web" / "samples" / "reports"
SAMPLE_GOLD = ROOT / "web" / "samples" / "gold"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"


def shared_or_skip() -> Path:
    """The shared corpus folder, or skip: it lives beside the repo, not in it."""
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus 不存在({CORPUS}),跳过需要真实报告的测试")
    return CORPUS


@pytest.fixture(scope="session")
def store_path(tmp_path_factory) -> Path:
    """A store holding every bundled sample report, ingested through the real path."""
    from graph.store import open_store
    from web.batch import collect_files, ingest_files

    path = tmp_path_factory.mktemp("store") / "store"
    with open_store(path) as store:
        summary = ingest_files(store, collect_files([SAMPLES]))
    assert not summary.failed, [r.message for r in summary.failed]
    return path


@pytest.fixture(scope="session")
def coverage_store(store_path, tmp_path_factory) -> Path:
    """The sample store plus the sample registries (web/samples/registry), imported as `rectigraph import` does."""
    import shutil

    from graph.store import open_store
    from web.cli import import_file

    path = tmp_path_factory.mktemp("coverage") / "store"
    shutil.copytree(store_path, path)
    with open_store(path) as store:
        for table in sorted((ROOT / "web" / "samples" / "registry").glob("*.csv")):
            import_file(store, table)
    return path


@pytest.fixture(scope="session")
def app(store_path):
    from web.app import create_app

    application = create_app({"STORE": str(store_path), "TESTING": True})
    yield application


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def cli():
    from web.cli import cli as command

    return command


# -- backends: the embedded store, and a SPARQL server when one is configured ---------------
VIRTUOSO_ENV = "RECTIGRAPH_VIRTUOSO"


def virtuoso_or_skip() -> str:
    """The query URL of the test Virtuoso (scripts/virtuoso.sh env), or skip."""
    import os

    url = os.environ.get(VIRTUOSO_ENV)
    if not url:
        pytest.skip(f"未配置 SPARQL 服务器({VIRTUOSO_ENV});运行 bash scripts/virtuoso.sh start 并导出 env 后可测")
    return url


def clear_remote(url: str) -> None:
    """Drop every graph rectigraph wrote on the test server, so each test starts empty."""
    from graph.store import open_store

    store = open_store(url)
    for g in store.named_graphs():
        store.drop_graph(g)


@pytest.fixture(params=["oxigraph", "virtuoso"])
def backend(request, tmp_path) -> str:
    """A store location per backend: a fresh folder, or the test server emptied."""
    if request.param == "oxigraph":
        return str(tmp_path / "store")
    url = virtuoso_or_skip()
    clear_remote(url)
    return url
