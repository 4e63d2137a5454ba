"""The search index bounds its work: a common word reads at most `candidates` matching rows, the
totals then say they are lower bounds, and names equal to the query still come first."""
from __future__ import annotations

import sqlite3

import pytest
from rdflib.namespace import RDFS, SKOS

from graph.search import SCHEMA_VERSION, SearchIndex
from ontology.namespace import RG

LABEL, ALT, TEXT, HEADING = str(RDFS.label), str(SKOS.altLabel), str(RG.text), str(RG.heading)
AGENCY, DOCUMENT, MEASURE, SECTION = str(RG.Agency), str(RG.Document), str(RG.Measure), str(RG.Section)
N = "http://example.org/n/"


def _filled(candidates: int, filler: int, word: str, named: list[tuple],
            graph: str = "http://example.org/g/1") -> SearchIndex:
    """An index holding `filler` measures whose text contains `word`, then the named literals.

    A named literal is (kind, field, text) of a node of its own, or (kind, field, text, node label):
    literals with the same label belong to one node."""
    index = SearchIndex(None, candidates=candidates)
    for i in range(filler):
        index._add(graph, f"{N}m{i}", MEASURE, TEXT, f"第{i}项:落实{word}的要求", f"措施{i}")
    for i, (kind, field_iri, text, *label) in enumerate(named):
        node = f"{N}{label[0]}" if label else f"{N}x{i}"
        index._add(graph, node, kind, field_iri, text, label[0] if label else text)
    return index


def _group(result, kind: str):
    return next(g for g in result.groups if g.kind == kind)


@pytest.mark.parametrize("query, filler, named, kind, first", [
    # the agency is written after every measure: far beyond the candidates, found by its name
    ("应急管理局", 300, [(AGENCY, LABEL, "澄州市应急管理局"), (AGENCY, LABEL, "应急管理局")], AGENCY, "应急管理局"),
    # another name (skos:altLabel) equal to the query is an exact match too
    ("安全生产法", 300, [(DOCUMENT, LABEL, "中华人民共和国安全生产法", "中华人民共和国安全生产法"),
                         (DOCUMENT, ALT, "安全生产法", "中华人民共和国安全生产法")], DOCUMENT, "中华人民共和国安全生产法"),
    # full-width and upper case in the name, half-width lower case in the query
    ("abc制度", 300, [(DOCUMENT, LABEL, "ＡＢＣ制度汇编"), (DOCUMENT, LABEL, "ＡＢＣ制度")], DOCUMENT, "ＡＢＣ制度"),
    # a heading equal to the query is a text, not a name: no exact match, but still found when in the candidates
    ("整改", 10, [(SECTION, HEADING, "整改")], SECTION, "整改"),
])
def test_exact_name_first_beyond_the_cap(query, filler, named, kind, first):
    index = _filled(candidates=50, filler=filler, word=query, named=named)
    result = index.search(query)
    assert result.examined <= 50
    assert result.capped == (filler + len(named) > 50)
    group = _group(result, kind)
    assert group.hits[0].label == first
    assert group.hits[0].exact == (named[-1][1] in (LABEL, ALT))
    assert group.total_capped == result.capped


@pytest.mark.parametrize("filler, capped", [(10, False), (50, False), (51, True), (500, True), (5000, True)])
def test_candidates_are_bounded_and_totals_say_so(filler, capped):
    index = _filled(candidates=50, filler=filler, word="制度", named=[])
    result = index.search("制度")
    assert result.examined == min(filler, 50)
    assert result.capped is capped
    measures = _group(result, MEASURE)
    assert measures.total == min(filler, 50) and measures.total_capped is capped
    assert len(measures.hits) == 10


def _sql_steps(index: SearchIndex, query: str) -> int:
    """How many hundreds of SQLite VM instructions one search runs."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    index._db.set_progress_handler(tick, 100)
    try:
        index.search(query)
    finally:
        index._db.set_progress_handler(None, 100)
    return steps[0]


@pytest.mark.parametrize("query", ["制度", "制", "落实制度"])
def test_work_does_not_grow_with_matches(query):
    small = _sql_steps(_filled(candidates=50, filler=200, word="制度", named=[]), query)
    large = _sql_steps(_filled(candidates=50, filler=4000, word="制度", named=[]), query)
    assert large <= small * 1.1 + 2


def test_one_kind_reads_candidates_of_that_kind_only():
    agencies = [(AGENCY, LABEL, f"第{i}号公安局") for i in range(80)]
    index = _filled(candidates=50, filler=500, word="公安局", named=agencies)
    overview = index.search("公安局")
    assert overview.capped and not any(g.kind == AGENCY for g in overview.groups)   # all candidates are measures
    narrowed = index.search("公安局", kind="Agency", per_kind=20)
    assert [g.kind for g in narrowed.groups] == [AGENCY]
    assert narrowed.examined == 50 and narrowed.capped and narrowed.groups[0].total == 50


def test_pages_within_a_kind_cover_the_candidates_once():
    index = _filled(candidates=50, filler=120, word="整改", named=[])
    pages = [index.search("整改", kind="Measure", per_kind=20, offset=o).groups[0].hits for o in range(0, 60, 20)]
    seen = [h.iri for page in pages for h in page]
    assert [len(p) for p in pages] == [20, 20, 10]
    assert len(set(seen)) == 50


def test_ranking_exact_then_names_then_texts_shorter_first():
    index = _filled(candidates=50, filler=0, word="", named=[
        (MEASURE, TEXT, "加强财务制度建设"), (MEASURE, LABEL, "健全财务制度体系"), (MEASURE, LABEL, "财务制度"),
        (MEASURE, LABEL, "财务制度汇编"), (MEASURE, TEXT, "财务制度")])
    hits = index.search("财务制度").groups[0].hits
    assert [h.label for h in hits] == ["财务制度", "财务制度汇编", "健全财务制度体系", "财务制度", "加强财务制度建设"]
    assert [h.exact for h in hits] == [True, False, False, False, False]


def test_rare_and_absent_words_are_exact_totals():
    index = _filled(candidates=50, filler=500, word="制度", named=[(AGENCY, LABEL, "临江县融媒体中心")])
    rare, absent = index.search("融媒体"), index.search("量子纠缠")
    assert rare.total == 1 and not rare.capped and rare.examined == 1
    assert absent.total == 0 and not absent.groups and not absent.capped


def test_dropped_graph_leaves_the_bigram_index():
    index = _filled(candidates=50, filler=5, word="公车", named=[], graph="http://example.org/g/old")
    index._add("http://example.org/g/new", f"{N}keep", MEASURE, TEXT, "公车改革", "公车改革")
    index._drop_graph("http://example.org/g/old")
    assert [h.iri for g in index.search("公车").groups for h in g.hits] == [f"{N}keep"]
    index._db.execute("INSERT INTO grams(grams) VALUES ('integrity-check')")


OLD_SCHEMA = """
CREATE TABLE graphs(graph TEXT PRIMARY KEY);
CREATE TABLE entries(id INTEGER PRIMARY KEY, graph TEXT NOT NULL, node TEXT NOT NULL, kind TEXT NOT NULL,
  field TEXT NOT NULL, text TEXT NOT NULL, label TEXT NOT NULL);
CREATE INDEX entries_graph ON entries(graph);
CREATE VIRTUAL TABLE grams USING fts5(bigrams, columnsize=0);
INSERT INTO graphs VALUES ('http://example.org/g/1');
INSERT INTO entries VALUES (1, 'http://example.org/g/1', 'http://example.org/n/1', '', 'x', '旧索引', '旧索引');
INSERT INTO grams(rowid, bigrams) VALUES (1, '65e7g7d22 7d22g5f15 5f15gz');
"""


def test_old_index_file_is_emptied_for_a_rebuild(tmp_path):
    path = tmp_path / "old.search.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    index = SearchIndex(path)
    assert index._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert index._db.execute("SELECT COUNT(*) FROM graphs").fetchone()[0] == 0     # sync() indexes every graph again
    assert index.search("旧索引").total == 0
    index._add("http://example.org/g/1", f"{N}1", AGENCY, LABEL, "新索引", "新索引")
    index.close()
    reopened = SearchIndex(path)                                                    # the current schema is kept
    assert reopened.search("新索引").groups[0].hits[0].exact
    reopened.close()


def test_sync_reports_progress_and_indexes_every_graph(store_path):
    """Building the index of a store reports (done, total) and ends with every graph indexed."""
    from graph import search
    from graph.store import open_store

    index = search.SearchIndex(None)
    seen: list[tuple[int, int]] = []
    with open_store(store_path, read_only=True) as store:
        changed = index.sync(store, lambda done, total: seen.append((done, total)))
        assert changed > 0 and seen and seen[-1] == (changed, changed)
        assert index.sync(store) == 0
        assert index.search("整改").total > 0
