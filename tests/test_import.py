"""Reference data: RDF imports, registry tables, the graph catalogue, drop."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from tests.conftest import ROOT

REGISTRY = ROOT / "web" / "samples" / "registry"
EX = Namespace("https://example.org/audit/")


def _run(runner, cli, store, *args):
    return runner.invoke(cli, ["--store", str(store), *args], catch_exceptions=False)


def _graphs(runner, cli, store) -> dict[str, dict]:
    out = _run(runner, cli, store, "graphs", "--format", "json").output
    return {g["graph"]: g for g in json.loads(out)}


def _sample_graph() -> Graph:
    g = Graph()
    g.bind("ex", EX)
    g.add((EX.a, EX.name, Literal("审计对象“甲”\n第二行", lang="zh")))
    g.add((EX.a, EX["count"], Literal(3)))
    g.add((EX.b, EX.linksTo, EX.a))
    return g


@pytest.mark.parametrize("ext, fmt", [
    ("ttl", "turtle"), ("nt", "nt"), ("rdf", "xml"), ("jsonld", "json-ld"), ("nq", "nquads"), ("trig", "trig"),
])
def test_rdf_round_trip_every_format(runner, cli, tmp_path, ext, fmt):
    store = tmp_path / "s"
    src = tmp_path / f"in.{ext}"
    if fmt in ("nquads", "trig"):
        ds = Dataset()
        g = ds.graph(URIRef("https://example.org/g/one"))
        for t in _sample_graph():
            g.add(t)
        src.write_text(ds.serialize(format=fmt), encoding="utf-8")
    else:
        src.write_text(_sample_graph().serialize(format=fmt), encoding="utf-8")
    result = _run(runner, cli, store, "import", str(src))
    assert result.exit_code == 0, result.output
    graphs = _graphs(runner, cli, store)
    assert len(graphs) == 1
    (iri, info), = graphs.items()
    if fmt in ("nquads", "trig"):
        assert iri == "https://example.org/g/one"  # quad formats keep their own graphs
    assert info["kind"] == "import" and info["source"] == src.name
    rows = json.loads(_run(runner, cli, store, "query", "--format", "json",
                           "SELECT ?n WHERE { <https://example.org/audit/a> <https://example.org/audit/name> ?n }").output)
    assert rows == [{"n": "审计对象“甲”\n第二行"}]


def test_given_graph_and_reimport_replaces(runner, cli, tmp_path):
    store = tmp_path / "s"
    src = tmp_path / "a.ttl"
    src.write_text(_sample_graph().serialize(format="turtle"), encoding="utf-8")
    iri = "https://example.org/registry/agencies"
    assert _run(runner, cli, store, "import", "--graph", iri, str(src)).exit_code == 0
    first = _graphs(runner, cli, store)[iri]["triples"]
    smaller = Graph()
    smaller.add((EX.c, EX.name, Literal("只剩一条")))
    src.write_text(smaller.serialize(format="turtle"), encoding="utf-8")
    assert _run(runner, cli, store, "import", "--graph", iri, str(src)).exit_code == 0
    graphs = _graphs(runner, cli, store)
    assert list(graphs) == [iri] and graphs[iri]["triples"] < first
    q = "ASK { <https://example.org/audit/a> ?p ?o }"
    assert _run(runner, cli, store, "query", q).output.strip() == "false"


def test_malformed_rdf_is_refused_with_its_line_and_store_unchanged(runner, cli, tmp_path):
    store = tmp_path / "s"
    good = tmp_path / "good.ttl"
    good.write_text(_sample_graph().serialize(format="turtle"), encoding="utf-8")
    _run(runner, cli, store, "import", str(good))
    before = _graphs(runner, cli, store)
    bad = tmp_path / "good2.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b \"unterminated\n", encoding="utf-8")
    result = runner.invoke(cli, ["--store", str(store), "import", "--graph", next(iter(before)), str(bad)])
    assert result.exit_code == 1
    assert "good2.ttl" in result.output and "第 3 行" in result.output
    assert _graphs(runner, cli, store) == before


def test_drop_removes_only_its_graph(runner, cli, tmp_path, store_path):
    import shutil

    store = tmp_path / "s"
    shutil.copytree(store_path, store)
    for f in sorted(REGISTRY.glob("*.csv")):
        assert _run(runner, cli, store, "import", str(f)).exit_code == 0
    graphs = _graphs(runner, cli, store)
    target = next(g for g, info in graphs.items() if info["kind"] == "registry-documents")
    assert _run(runner, cli, store, "drop", "--graph", target).exit_code == 0
    after = _graphs(runner, cli, store)
    assert set(graphs) - set(after) == {target}
    assert all(after[g] == graphs[g] for g in after)
    missing = runner.invoke(cli, ["--store", str(store), "drop", "--graph", target])
    assert missing.exit_code != 0 and "没有这个命名图" in missing.output


def _registry_store(runner, cli, tmp_path, files: list[Path], *extra: str):
    store = tmp_path / "reg"
    for f in files:
        result = _run(runner, cli, store, "import", *extra, str(f))
        assert result.exit_code == 0, result.output
    return store


def _ask(runner, cli, store, q: str) -> bool:
    return _run(runner, cli, store, "query", q).output.strip() == "true"


def test_registry_agencies_meet_the_parser_iris(runner, cli, tmp_path):
    from ingest import iris

    store = _registry_store(runner, cli, tmp_path, [REGISTRY / "agencies.csv"])
    agency = iris.mint_agency_iri("澄州市住房和城乡建设局")
    assert _ask(runner, cli, store, f"ASK {{ <{agency}> a rg:Agency ; skos:altLabel \"市住建局\" ; rg:adminLevel \"市\" ;"
                                    f" rg:parentAgency/rdfs:label \"澄州市人民政府\" }}")


def test_registry_rounds_make_the_parser_inspection(runner, cli, tmp_path):
    from ingest import iris

    store = _registry_store(runner, cli, tmp_path, [REGISTRY / "rounds.csv"])
    insp = iris.mint_inspection_iri("澄州市委第三巡察组", "澄州市水利局", "2024-04-08")
    assert _ask(runner, cli, store, f"ASK {{ <{insp}> rg:inspectionKind \"巡察\" ; rg:feedbackDate ?d ;"
                                    f" rg:round \"九届市委第六轮巡察\" FILTER(STR(?d) = \"2024-07-25\") }}")


def test_registry_gbk_csv_with_english_header(runner, cli, tmp_path):
    src = tmp_path / "docs_gbk.csv"
    src.write_bytes("title,issuer,number,date,status\n某市公务用车管理办法,某市机关事务管理局,某发〔2020〕1号,2020年5月,废止\n"
                    .encode("gbk"))
    store = _registry_store(runner, cli, tmp_path, [src])
    assert _ask(runner, cli, store, 'ASK { ?d rdfs:label "某市公务用车管理办法" ; rg:documentStatus "废止" ;'
                                    ' dcterms:issued ?when FILTER(STR(?when) = "2020-05") }')


def test_registry_xlsx(runner, cli, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["名称", "别名", "级别", "地区"])
    sheet.append(["某县水利局", "县水利局、水利局", "县", "某县"])
    src = tmp_path / "agencies.xlsx"
    book.save(src)
    store = _registry_store(runner, cli, tmp_path, [src])
    assert _ask(runner, cli, store, 'ASK { ?a rdfs:label "某县水利局" ; skos:altLabel "县水利局", "水利局" ; rg:region "某县" }')


@pytest.mark.parametrize("content, words", [
    ("名称,颜色\n某局,红\n", ["第 1 行第 2 列", "颜色"]),                    # unknown column
    ("别名,级别\n某局,市\n", ["无法判断登记表类型"]),                          # no required column
    ("标题,日期\n某办法,去年春天\n", ["第 2 行", "日期", "去年春天"]),          # unreadable cell
    ("名称,级别\n某局,特级\n", ["第 2 行", "级别", "特级"]),                   # not one of the choices
    ("巡察组,被巡视巡察单位\n某市委第一巡察组,\n", ["第 2 行", "被巡视巡察单位"]),  # required cell empty
])
def test_registry_errors_name_file_row_and_column(runner, cli, tmp_path, content, words):
    src = tmp_path / "bad.csv"
    src.write_text(content, encoding="utf-8")
    store = tmp_path / "s"
    result = runner.invoke(cli, ["--store", str(store), "import", str(src)])
    assert result.exit_code == 1
    line = result.output.strip()
    assert line.startswith("错误: bad.csv") and len(line.splitlines()) == 1
    for word in words:
        assert word in line


def test_registry_table_of_columns_is_documented():
    from ingest.registry import registry_kinds

    kinds = registry_kinds()
    assert set(kinds) == {"agencies", "rounds", "documents"}
    for kind in kinds.values():
        assert kind.label and kind.description
        assert any(c.required for c in kind.columns)
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        for column in kind.columns:
            assert column.names[0] in readme, f"README 缺少 {kind.id}.{column.id}"
