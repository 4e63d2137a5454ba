"""The command line end to end: ingest, re-ingest, bad files, export, stats, validate."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

from ontology.namespace import RG

from tests.conftest import ROOT, SAMPLES, shared_or_skip


def _invoke(runner, cli, store: Path, *args: str):
    return runner.invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def _quads(store: Path) -> int:
    from graph.store import open_store

    with open_store(store, read_only=True) as s:
        return s.quad_count()


def _graph_triples(store: Path) -> dict[str, set]:
    from graph.store import open_store

    with open_store(store, read_only=True) as s:
        return {str(g): set(s.triples_of(g)) for g in s.report_graphs()}


def _one_sample() -> Path:
    return sorted(SAMPLES.glob("*.txt"))[0]


def test_bad_files_are_named_and_the_good_one_goes_in(runner, cli, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 40)
    shutil.copy(_one_sample(), folder / "good.txt")
    result = _invoke(runner, cli, tmp_path / "store", "ingest", str(folder))
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("错误:")]
    assert len(errors) == 2
    assert any("empty.txt" in e for e in errors) and any("junk.txt" in e for e in errors)
    assert all("Traceback" not in e for e in errors)
    reports = json.loads(_invoke(runner, cli, tmp_path / "store", "reports", "--format", "json").output)
    assert [r["source"] for r in reports] == ["good.txt"]


def test_reingesting_a_folder_changes_nothing(runner, cli, tmp_path):
    store = tmp_path / "store"
    assert _invoke(runner, cli, store, "ingest", str(SAMPLES)).exit_code == 0
    before = _quads(store)
    second = _invoke(runner, cli, store, "ingest", str(SAMPLES))
    assert second.exit_code == 0 and "未变" in second.output
    assert _quads(store) == before


@pytest.mark.parametrize("written, reports, expected", [
    (100, 100, True), (99, 99, False), (100, 1000, True), (100, 1001, False),
    (1000, 10000, True), (5, 10000, False), (10000, 10000, True), (0, 0, False),
])
def test_when_ingest_compacts_the_store(written, reports, expected):
    from web.cli import should_optimize

    assert should_optimize(written, reports) is expected


@pytest.mark.parametrize("flag, compacted", [("--optimize", True), ("--no-optimize", False), (None, False)])
def test_ingest_compacts_on_request_and_keeps_every_quad(runner, cli, tmp_path, flag, compacted):
    """Six sample reports are below the automatic threshold; --optimize compacts anyway, and the
    store holds the same quads either way."""
    store = tmp_path / "store"
    result = _invoke(runner, cli, store, "ingest", *([flag] if flag else []), str(SAMPLES))
    assert result.exit_code == 0
    assert ("整理完毕" in result.output) is compacted
    reference = tmp_path / "reference"
    assert _invoke(runner, cli, reference, "ingest", "--no-optimize", str(SAMPLES)).exit_code == 0
    assert _quads(store) == _quads(reference)


def test_optimize_command(runner, cli, tmp_path):
    store = tmp_path / "store"
    assert _invoke(runner, cli, store, "ingest", str(SAMPLES)).exit_code == 0
    before = _quads(store)
    result = _invoke(runner, cli, store, "optimize")
    assert result.exit_code == 0 and "整理完毕" in result.output
    assert _quads(store) == before
    remote = runner.invoke(cli, ["--store", "http://127.0.0.1:9/sparql", "optimize"])
    assert remote.exit_code != 0 and "只能整理本地存储目录" in remote.output


def test_graphs_of_an_older_format_are_rebuilt(runner, cli, tmp_path):
    """A report graph written before the summary digest existed is rebuilt on the next ingest."""
    from graph.store import open_store

    store = tmp_path / "store"
    assert _invoke(runner, cli, store, "ingest", str(SAMPLES)).exit_code == 0
    before = _graph_triples(store)
    old = sorted(before)[0]
    with open_store(store) as s:   # make one graph look like one written by an older version
        s.ox.update("DELETE WHERE { GRAPH ?g { ?s rg:graphFormat ?f . ?s rg:documentIssued ?d } }",
                    prefixes={"rg": str(RG)})
        s.ox.update("DELETE WHERE { GRAPH ?g { ?s rg:graphFormat ?f } }", prefixes={"rg": str(RG)})
    with open_store(store, read_only=True) as s:
        assert s.graph_format(URIRef(old)) == 0
    result = _invoke(runner, cli, store, "ingest", str(SAMPLES))
    assert result.exit_code == 0 and "替换" in result.output
    assert _graph_triples(store) == before
    again = _invoke(runner, cli, store, "ingest", str(SAMPLES))
    assert "替换" not in again.output and "未变" in again.output


def test_editing_one_file_replaces_only_its_graph(runner, cli, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    store = tmp_path / "store"
    _invoke(runner, cli, store, "ingest", str(folder))
    before = _graph_triples(store)
    target = sorted(folder.glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n特此报告。\n", encoding="utf-8")
    result = _invoke(runner, cli, store, "ingest", str(folder))
    assert result.exit_code == 0 and "替换" in result.output
    after = _graph_triples(store)
    assert len(after) == len(before)
    changed_out = set(before) - set(after)
    changed_in = set(after) - set(before)
    assert len(changed_out) == 1 and len(changed_in) == 1
    for g in set(before) & set(after):
        assert before[g] == after[g]


@pytest.mark.parametrize("fmt, parse", [
    ("nt", "nt"), ("ttl", "turtle"), ("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"), ("rdfxml", "xml"),
])
def test_export_round_trips(runner, cli, store_path, tmp_path, fmt, parse):
    out = tmp_path / f"export.{fmt}"
    result = _invoke(runner, cli, store_path, "export", "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    if fmt in ("nq", "trig", "jsonld"):
        ds = Dataset()
        ds.parse(out, format=parse)
        total = sum(len(g) for g in ds.graphs())
        named = [g for g in ds.graphs() if "graph/report/" in str(g.identifier)]
        assert len(named) == len(list(SAMPLES.glob("*.txt")))
    else:
        total = len(Graph().parse(out, format=parse))
    assert total > 1000


def test_stats_and_reports(runner, cli, store_path):
    stats = _invoke(runner, cli, store_path, "stats").output
    counts = dict(line.split("\t") for line in stats.strip().splitlines())
    assert int(counts["报告".ljust(8)]) == len(list(SAMPLES.glob("*.txt")))
    assert int(counts["问题".ljust(8)]) > 10
    table = _invoke(runner, cli, store_path, "reports").output
    for sample in SAMPLES.glob("*.txt"):
        assert sample.name in table


def test_query_formats(runner, cli, store_path):
    q = "SELECT ?kind (COUNT(*) AS ?n) WHERE { ?r a rg:Report ; rg:reportKind ?kind } GROUP BY ?kind ORDER BY ?kind"
    as_json = json.loads(_invoke(runner, cli, store_path, "query", q, "--format", "json").output)
    assert {row["kind"] for row in as_json} <= {"rectification", "annual"}
    assert sum(int(row["n"]) for row in as_json) == len(list(SAMPLES.glob("*.txt")))
    as_csv = _invoke(runner, cli, store_path, "query", q, "--format", "csv").output.splitlines()
    assert as_csv[0] == "kind,n" and len(as_csv) == len(as_json) + 1


def test_malformed_query_is_one_line(runner, cli, store_path):
    result = runner.invoke(cli, ["--store", str(store_path), "query", "SELECT WHERE {"])
    assert result.exit_code == 2
    assert result.output.startswith("错误:") and len(result.output.strip().splitlines()) == 1


def test_validate_passes_on_samples(runner, cli, store_path):
    result = _invoke(runner, cli, store_path, "validate")
    assert result.exit_code == 0, result.output
    assert "0 个不符合约束" in result.output


def test_validate_passes_on_shared_reports(runner, cli, tmp_path):
    corpus = shared_or_skip()
    store = tmp_path / "store"
    assert _invoke(runner, cli, store, "ingest", str(corpus)).exit_code == 0
    result = _invoke(runner, cli, store, "validate")
    assert result.exit_code == 0, result.output


def test_every_option_has_help(cli):
    import click

    def walk(command: click.Command):
        yield command
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                yield from walk(sub)

    missing = [f"{c.name} {p.name}" for c in walk(cli) for p in c.params
               if isinstance(p, click.Option) and not p.help and p.name not in ("help", "version")]
    undocumented = [c.name for c in walk(cli) if not (c.help or "").strip()]
    assert not missing and not undocumented


def test_killed_ingest_leaves_only_whole_reports(tmp_path):
    """Kill a large batch mid-way; every report graph in the reopened store is complete."""
    folder = tmp_path / "many"
    folder.mkdir()
    samples = sorted(SAMPLES.glob("*.txt"))
    for i in range(240):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        (folder / f"r{i:03d}.txt").write_text(text + f"\n(副本 {i})\n", encoding="utf-8")
    store = tmp_path / "store"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "--store", str(store), "ingest", "-q",
                             "--jobs", "1", "--batch-size", "5", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    deadline = time.time() + 120
    from graph.store import open_store

    seen = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.3)
        try:
            with open_store(store, read_only=True) as s:
                seen = len(s.report_graphs())
        except Exception:
            continue
        if seen >= 10:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 10 <= seen < 240, "the batch should have been killed part-way"
    with open_store(store) as s:
        graphs = s.report_graphs()
        assert len(graphs) >= seen
        for g in graphs:
            triples = set(s.triples_of(g))
            listed = s.select("SELECT ?n ?g WHERE { GRAPH ?g { ?x <https://w3id.org/rectigraph/ontology#issueCount> ?n } }",
                              {"g": g}, union=False)
            issues = s.select("SELECT (COUNT(DISTINCT ?i) AS ?n) ?g WHERE { GRAPH ?g { ?i a <https://w3id.org/rectigraph/ontology#Issue> } } GROUP BY ?g",
                              {"g": g}, union=False)
            assert len(listed) == 1, f"{g} has no summary: half-written"
            found = int(issues[0]["n"].toPython()) if issues else 0
            assert int(listed[0]["n"].toPython()) == found, f"{g}: {len(triples)} triples, issues cut short"


def test_same_commands_on_every_backend(runner, cli, backend, tmp_path):
    """ingest, re-ingest, stats, reports, query, export and validate on each store backend."""
    first = runner.invoke(cli, ["--store", backend, "ingest", str(SAMPLES)], catch_exceptions=False)
    assert first.exit_code == 0, first.output
    stats = dict(line.split("\t") for line in runner.invoke(cli, ["--store", backend, "stats"]).output.strip().splitlines())
    assert int(stats["报告".ljust(8)]) == len(list(SAMPLES.glob("*.txt")))
    again = runner.invoke(cli, ["--store", backend, "ingest", str(SAMPLES)], catch_exceptions=False)
    assert again.exit_code == 0
    assert all(f"未变: {p.name}" in again.output for p in SAMPLES.glob("*.txt"))
    reports = json.loads(runner.invoke(cli, ["--store", backend, "reports", "--format", "json"]).output)
    assert sorted(r["source"] for r in reports) == sorted(p.name for p in SAMPLES.glob("*.txt"))
    rows = json.loads(runner.invoke(cli, ["--store", backend, "query", "--format", "json",
                                          "SELECT ?l WHERE { ?a a rg:Agency ; rdfs:label ?l FILTER(CONTAINS(?l, \"澄州\")) }"]).output)
    assert any(r["l"] == "澄州市住房和城乡建设局" for r in rows)
    out = tmp_path / "all.nq"
    assert runner.invoke(cli, ["--store", backend, "export", "--format", "nq", "--output", str(out)]).exit_code == 0
    ds = Dataset()
    ds.parse(out, format="nquads")
    assert len([g for g in ds.graphs() if "graph/report/" in str(g.identifier)]) == len(reports)
    assert runner.invoke(cli, ["--store", backend, "validate"]).exit_code == 0
