"""`rectigraph query`: SPARQL text, files, canned queries with parameters, formats, the guard."""
from __future__ import annotations

import csv
import io
import json
import time

import pytest

from graph.store import open_store
from web.canned import canned_queries

REPORTS = "SELECT ?report WHERE { GRAPH ?g { ?report a rg:Report } }"


@pytest.fixture(scope="module")
def reports(store_path) -> set[str]:
    with open_store(store_path, read_only=True) as store:
        found = {str(s) for g in store.report_graphs() for s, p, o in store.triples_of(g)
                 if str(p).endswith("#type") and str(o).endswith("ontology#Report")}
    assert found
    return found


def _run(runner, cli, store_path, *args):
    return runner.invoke(cli, ["--store", str(store_path), "query", *args], catch_exceptions=False)


def test_list_names_every_canned_query(runner, cli, store_path):
    result = _run(runner, cli, store_path, "--list")
    assert result.exit_code == 0
    for q in canned_queries().values():
        assert q.name in result.output and q.title in result.output
    assert "--param theme=…(必填)" in result.output


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "table"])
def test_sparql_text_in_each_format(runner, cli, store_path, reports, fmt):
    result = _run(runner, cli, store_path, "--format", fmt, REPORTS)
    assert result.exit_code == 0, result.output
    if fmt == "json":
        assert {r["report"] for r in json.loads(result.output)} == reports
    elif fmt in ("csv", "tsv"):
        rows = list(csv.DictReader(io.StringIO(result.output), delimiter="," if fmt == "csv" else "\t"))
        assert {r["report"] for r in rows} == reports
    else:
        assert all(r in result.output for r in reports) and f"({len(reports)} 行)" in result.output


def test_query_from_file(runner, cli, store_path, reports, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text(REPORTS, encoding="utf-8")
    result = _run(runner, cli, store_path, "--file", str(path), "--format", "json")
    assert {r["report"] for r in json.loads(result.output)} == reports


def test_ask_and_construct(runner, cli, store_path, reports):
    assert _run(runner, cli, store_path, "ASK { ?r a rg:Report }").output.strip() == "true"
    turtle = _run(runner, cli, store_path, "CONSTRUCT { ?r a rg:Report } WHERE { ?r a rg:Report }").output
    from rdflib import Graph

    assert {str(s) for s in Graph().parse(data=turtle, format="turtle").subjects()} == reports


def test_canned_with_parameter_matches_the_web_page(runner, cli, store_path, client):
    summary = client.get("/queries/agency-summary.json").get_json()["rows"]
    assert summary
    agency = summary[0]["agencyLabel"]
    result = _run(runner, cli, store_path, "--canned", "agency-summary", "--param", f"agency={agency}", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and all(agency in r["agencyLabel"] for r in rows)
    assert rows == [r for r in summary if agency in r["agencyLabel"]]


def test_canned_errors_are_one_line(runner, cli, store_path):
    missing = _run(runner, cli, store_path, "--canned", "issues-by-theme")
    assert missing.exit_code == 2 and "theme" in missing.output and "Traceback" not in missing.output
    unknown = _run(runner, cli, store_path, "--canned", "funds-recovered", "--param", "colour=red")
    assert unknown.exit_code == 2 and "colour" in unknown.output
    bad_date = _run(runner, cli, store_path, "--canned", "funds-recovered", "--param", "from=去年")
    assert bad_date.exit_code == 2 and "YYYY-MM-DD" in bad_date.output
    no_such = _run(runner, cli, store_path, "--canned", "no-such-query")
    assert no_such.exit_code == 2 and "open-issues" in no_such.output
    malformed = _run(runner, cli, store_path, "--param", "agency=x")
    assert malformed.exit_code == 2


def test_update_is_refused(runner, cli, store_path, reports):
    result = _run(runner, cli, store_path, "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2 and "只读" in result.output
    after = _run(runner, cli, store_path, "--format", "json", REPORTS)
    assert {r["report"] for r in json.loads(after.output)} == reports


def test_row_cap_and_time_limit(runner, cli, store_path):
    capped = _run(runner, cli, store_path, "--max-rows", "3", "--format", "json", "SELECT * WHERE { ?s ?p ?o }")
    assert len(json.loads(capped.stdout)) == 3 and "截断" in capped.stderr
    started = time.monotonic()
    runaway = _run(runner, cli, store_path, "--timeout", "1",
                   "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    assert runaway.exit_code == 2 and "时间限制" in runaway.output
    assert time.monotonic() - started < 1 + 2 + 2  # limit, plus starting the worker, plus slack


@pytest.mark.parametrize("args, exit_code, limit_text", [
    (["--canned", "agency-summary"], 0, None),                            # 60 s by default
    (["--canned", "agency-summary", "--timeout", "0.000001"], 2, "1e-06"),
    (["--timeout", "0.000001", REPORTS], 2, "1e-06"),
])
def test_time_limit_default_and_option(runner, cli, store_path, args, exit_code, limit_text):
    result = _run(runner, cli, store_path, *args)
    assert result.exit_code == exit_code
    if limit_text:
        assert f"时间限制 {limit_text} 秒" in result.output


def test_every_option_has_help(runner, cli):
    from web.cli import query

    for param in query.params:
        if param.param_type_name == "option":
            assert param.help, param.name
