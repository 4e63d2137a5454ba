"""The synthetic corpus: deterministic, varied, in the gold schema, and parsed the way the
generator knows it was written (scored with the shared scorer's own logic when present)."""
from __future__ import annotations

import collections
import importlib.util
import json
import re
import unicodedata

import pytest

from ingest.synth import generate_report
from ingest.synth.layouts import LAYOUTS
from tests.conftest import GOLD, SHARED

SCORER = SHARED / "tools" / "score.py"
ALL_LAYOUTS = set(LAYOUTS) | {"annual"}


@pytest.fixture(scope="module")
def sample() -> list:
    """Reports 0..239 of corpus 11: enough for every layout several times."""
    return [generate_report(11, i) for i in range(240)]


def test_same_seed_same_bytes_different_seed_different():
    first = [generate_report(5, i) for i in range(15)]
    again = [generate_report(5, i) for i in range(15)]
    assert [(r.name, r.text, r.gold_json()) for r in first] == [(r.name, r.text, r.gold_json()) for r in again]
    other = [generate_report(6, i) for i in range(15)]
    assert sum(a.text != b.text for a, b in zip(first, other)) == 15


def test_written_corpus_is_identical_whatever_the_number_of_processes(tmp_path, monkeypatch):
    from ingest.synth import corpus

    monkeypatch.setattr(corpus, "_CHUNK", 7)
    one, two = tmp_path / "one", tmp_path / "two"
    for out, jobs in ((one, 1), (two, 2)):
        corpus.prepare_dir(out, force=False)
        summary = corpus.write_corpus(out, 30, seed=3, jobs=jobs)
        assert summary.reports == 30
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert len(files) == 61            # 30 reports, 30 gold files, the manifest
    for rel in files:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


def test_refuses_a_non_empty_folder_unless_forced(tmp_path, runner, cli):
    out = tmp_path / "corpus"
    out.mkdir()
    (out / "notes.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["synth", "--reports", "3", "--seed", "1", "--out", str(out)])
    assert result.exit_code == 2 and "不为空" in result.output
    result = runner.invoke(cli, ["synth", "--reports", "3", "--seed", "1", "--out", str(out), "--force", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert len(list((out / "reports").glob("*.txt"))) == 3 and len(list((out / "gold").glob("*.json"))) == 3
    assert (out / "notes.txt").exists()


def test_variety(sample):
    layouts = collections.Counter(r.manifest["layout"] for r in sample[:60])
    assert set(layouts) == ALL_LAYOUTS, layouts
    kinds = {r.manifest["inspection"] for r in sample[:60]}
    assert kinds == {"巡视", "巡察", None}
    assert {r.manifest["agency_kind"] for r in sample} == {"党委部门", "政府部门", "国企", "事业单位"}
    provinces = {r.gold["agency"][:3] for r in sample[:60]}
    assert len(provinces) >= 8
    for feature in ("pdf", "portal", "half_width", "ascii_quotes"):
        assert any(r.manifest[feature] for r in sample) and not all(r.manifest[feature] for r in sample), feature
    assert {r.manifest["marker"] for r in sample} == {"dot", "dun", "fw_dot", "fw_dun"}
    text = "\n".join(r.text for r in sample)
    for glyph in ("（一）", "(一)", "１．", "1、", "①", "一是", "第一部分", "【", "问题1：", "整改情况：", "\t", "— 1 —",
                  "关于", "针对“", "整改情况一览表", "法治政府建设"):
        assert glyph in text, glyph
    assert 9_000 < sum(len(r.text) for r in sample) / len(sample) < 20_000


def test_shared_documents_and_laws_recur(sample):
    citing = sum(bool(re.search("《(?:中华人民共和国)?安全生产法》", r.text)) for r in sample)
    assert 0.55 < citing / len(sample) < 0.8
    assert any("《中华人民共和国安全生产法》" in r.text for r in sample)
    assert any("《安全生产法》" in r.text for r in sample)
    titles = collections.Counter(i["title"] for r in sample for i in r.gold["issues"])
    assert titles.most_common(1)[0][1] >= 10          # the same problem theme in many agencies


def test_gold_has_the_schema_of_the_shared_gold(sample):
    keys = {"file", "report_kind", "agency", "inspection", "published", "status_date", "contact", "stats",
            "aspects", "issues", "documents"}
    if GOLD.is_dir():
        for path in GOLD.glob("*.json"):
            keys &= set(json.loads(path.read_text(encoding="utf-8")))
    for r in sample:
        assert keys <= set(r.gold), r.name
        assert r.gold["file"] == r.name
        if r.gold["report_kind"] == "annual":
            assert r.gold["inspection"] is None and r.gold["initiatives"] and r.gold["shortcomings"]
        else:
            assert set(r.gold["inspection"]) == {"kind", "body", "start", "end", "feedback", "round"}
        for issue in r.gold["issues"]:
            assert set(issue) == {"aspect", "ordinal", "title", "measures"}


def test_gold_documents_are_every_title_in_brackets(sample):
    for r in sample:
        joined = re.sub(r"\n+(?:— \d+ —\n+)?", "", r.text) if r.manifest["pdf"] else r.text
        assert sorted(set(re.findall(r"《([^《》\n]+)》", joined))) == r.gold["documents"], r.name


def _shared_scorer():
    if not SCORER.is_file():
        pytest.skip(f"{SCORER} 不存在:评分脚本在 ../shared 中")
    spec = importlib.util.spec_from_file_location("shared_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(report, scorer) -> dict:
    from rdflib import Graph

    from ingest.build import build_report_graph
    from ingest.pipeline import parse_report

    graph = Graph()
    for triple in build_report_graph(parse_report(report.text.encode("utf-8"), report.name)).triples:
        graph.add(triple)
    return scorer.score_report(graph, report.gold)


# Parser gaps found with the generator (the parser is ingest/*; see the report to the lead).
# Reports showing one of these features are scored, but kept out of the full-marks test.
KNOWN_PARSER_GAPS: dict = {
    # "what the parser gets wrong": lambda report: report shows the feature
}


def _known_gap(report) -> str | None:
    return next((name for name, test in KNOWN_PARSER_GAPS.items() if test(report)), None)


@pytest.fixture(scope="module")
def clean_by_layout() -> dict[str, list]:
    """The first four reports of corpus 11 of each layout that show none of the known gaps."""
    found: dict[str, list] = collections.defaultdict(list)
    for index in range(3000):
        report = generate_report(11, index)
        if len(found[report.manifest["layout"]]) < 4 and not _known_gap(report):
            found[report.manifest["layout"]].append(report)
        if len(found) == len(ALL_LAYOUTS) and all(len(v) == 4 for v in found.values()):
            break
    return found


@pytest.mark.parametrize("layout", sorted(ALL_LAYOUTS))
def test_parse_matches_what_the_generator_wrote(layout, clean_by_layout):
    scorer = _shared_scorer()
    reports = clean_by_layout[layout]
    assert len(reports) == 4, f"fewer than 4 {layout} reports without a known parser gap"
    failures = {}
    for report in reports:
        metrics = _score(report, scorer)
        bad = {name: value[1:] for name, value in metrics.items() if value[0] < 1.0}
        if bad:
            failures[report.name] = bad
    assert not failures, failures


def test_every_layout_parses_well_on_average(sample):
    """Over all reports, known gaps included: a floor that catches regressions on either side."""
    scorer = _shared_scorer()
    values = collections.defaultdict(list)
    for report in sample[::3]:
        for name, value in _score(report, scorer).items():
            values[name].append(value[0])
    means = {name: sum(v) / len(v) for name, v in values.items()}
    assert means["documents"] == 1.0, means
    assert min(means.values()) >= 0.99, means


def test_cli_writes_a_corpus_the_scorer_can_read(tmp_path, runner, cli):
    out = tmp_path / "syn"
    result = runner.invoke(cli, ["synth", "-n", "4", "--seed", "9", "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    for gold_path in (out / "gold").glob("*.json"):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = (out / "reports" / gold["file"]).read_text(encoding="utf-8")
        assert unicodedata.normalize("NFKC", gold["agency"]) in unicodedata.normalize("NFKC", text)
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["file"] for row in rows] == sorted(row["file"] for row in rows)
