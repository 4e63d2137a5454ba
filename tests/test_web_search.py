"""Search: the bigram index finds exact substrings, groups by kind, and serves every format."""
from __future__ import annotations

import pytest

from graph.search import SearchIndex, bigrams, match_expression, normalize


@pytest.mark.parametrize("text, query, found", [
    ("安全生产法", "安全", True),
    ("安全生产法", "生产法", True),
    ("安全生产法", "全生", True),
    ("安全生产法", "法", True),
    ("安全生产法", "安全法", False),          # all bigrams absent
    ("生产安全", "安全生产", False),          # same characters, other order
    ("安全 生产", "安全生产", False),
    ("ＡＢＣ制度", "abc制度", True),          # full-width and case folded
    ("公务用车管理", "用车管", True),
    ("关于<script>的通知", "<script>", True),
    ("制度制度", "度制", True),
])
def test_bigram_match_is_substring_match(text, query, found):
    index = SearchIndex(None)
    index._db.execute("INSERT INTO grams(rowid, bigrams) VALUES (1, ?)", (bigrams(text),))
    rows = index._db.execute("SELECT rowid FROM grams WHERE grams MATCH ?", (match_expression(query),)).fetchall()
    assert bool(rows) == found
    assert found == (normalize(query) in normalize(text))


def test_empty_query_matches_nothing():
    assert match_expression("   ") is None


def test_search_groups_by_kind(client):
    data = client.get("/search.json", query_string={"q": "管理"}).get_json()
    assert data["total"] > 0 and len(data["groups"]) >= 2
    for group in data["groups"]:
        assert group["kind_label"] and group["total"] >= len(group["hits"])
        for hit in group["hits"]:
            assert normalize("管理") in normalize(hit["before"] + hit["match"] + hit["after"])
            assert hit["url"].startswith(("/e/", "/entity?"))


def test_search_page_and_formats(client):
    html = client.get("/search", query_string={"q": "制度"}).get_data(as_text=True)
    assert "<mark>制度</mark>" in html
    csv = client.get("/search.csv", query_string={"q": "制度"})
    assert csv.mimetype == "text/csv" and "kind,iri,label" in csv.get_data(as_text=True)
    assert client.get("/search", query_string={"q": "制度"}, headers={"Accept": "application/json"}).is_json


def test_search_one_kind_pages(client):
    data = client.get("/search.json", query_string={"q": "局"}).get_json()
    kind = data["groups"][0]["kind_key"]
    narrowed = client.get("/search.json", query_string={"q": "局", "kind": kind}).get_json()
    assert [g["kind_key"] for g in narrowed["groups"]] == [kind]


@pytest.mark.parametrize("candidates", [None, 1])       # 1: the name is found beyond the candidates
def test_exact_name_ranks_first(client, app, monkeypatch, candidates):
    if candidates:
        monkeypatch.setattr(app.extensions["rectigraph.search"].index, "candidates", candidates)
    data = client.get("/documents.json").get_json()
    label = data["rows"][0]["label"]
    found = client.get("/search.json", query_string={"q": label}).get_json()
    docs = next(g for g in found["groups"] if g["kind_key"] == "Document")
    assert docs["hits"][0]["label"] == label


def test_search_nothing_found_and_too_long(client):
    assert client.get("/search.json", query_string={"q": "不存在的词语组合"}).get_json()["total"] == 0
    assert "没有找到" in client.get("/search", query_string={"q": "不存在的词语组合"}).get_data(as_text=True)
    assert client.get("/search", query_string={"q": "长" * 60}).status_code == 400


def test_search_for_an_iri_goes_to_its_page(client):
    iri = client.get("/agencies.json").get_json()["rows"][0]["agency"]
    r = client.get("/search", query_string={"q": iri})
    assert r.status_code == 302 and "/e/agency/" in r.headers["Location"]


def test_search_box_on_every_page(client):
    for url in ("/", "/agencies", "/documents", "/issues", "/path", "/search?q=局"):
        assert 'role="search"' in client.get(url).get_data(as_text=True), url


def test_index_follows_dropped_graphs(store_path, tmp_path):
    from graph.store import open_store

    index = SearchIndex(tmp_path / "index.sqlite")
    with open_store(store_path, read_only=True) as store:
        assert index.sync(store) > 0
        assert index.sync(store) == 0            # nothing new: nothing done
        total = index.search("局").total
    assert total > 0
    index._db.execute("INSERT INTO graphs(graph) VALUES ('http://example.org/gone')")
    index._db.execute("INSERT INTO entries(graph, node, kind, field, text, label) VALUES "
                      "('http://example.org/gone', 'http://example.org/n', '', 'x', '幽灵条目', '幽灵条目')")
    with open_store(store_path, read_only=True) as store:
        index.sync(store)
    assert index._db.execute("SELECT COUNT(*) FROM entries WHERE graph = 'http://example.org/gone'").fetchone()[0] == 0


def test_capped_search_says_so_in_every_format(client, app, monkeypatch):
    exact = client.get("/search.json", query_string={"q": "局"}).get_json()
    assert exact["capped"] is False and not any(g["total_capped"] for g in exact["groups"])
    assert "至少" not in client.get("/search", query_string={"q": "局"}).get_data(as_text=True)
    kind = next(g["kind_key"] for g in exact["groups"] if g["total"] > 3)
    monkeypatch.setattr(app.extensions["rectigraph.search"].index, "candidates", 3)
    data = client.get("/search.json", query_string={"q": "局"}).get_json()
    assert data["capped"] is True and data["examined"] == 3
    assert data["groups"] and all(g["total_capped"] for g in data["groups"])
    assert sum(len(g["hits"]) for g in data["groups"]) <= 3
    html = client.get("/search", query_string={"q": "局"}).get_data(as_text=True)
    assert "至少 " in html and "只统计了前 3 条" in html and "查看更多" in html
    page = client.get("/search", query_string={"q": "局", "kind": kind}).get_data(as_text=True)
    assert "更多结果未列出" in page and "下一页" not in page
