"""The explorer through Flask's test client: every page and format, every kind of node, escaping,
caps, and a server that notices new ingests."""
from __future__ import annotations

import hashlib
import json
import re

import pytest
from rdflib import RDF, RDFS, Literal, URIRef

from graph.store import GraphWrite, open_store
from graph.vocab import DATA_BASE, KIND_ORDER, kind_key
from ontology.namespace import RG

SCRIPT_DOC = "关于<script>alert(1)</script>规范公示栏管理的通知"
EXTERNAL = [URIRef("http://example.org/thing/1"), URIRef("http://example.org/thing/2")]


@pytest.fixture(scope="module")
def store(store_path):
    with open_store(store_path, read_only=True) as s:
        yield s


def one_of(store, kind) -> str:
    rows = store.select("SELECT ?k ?x WHERE { ?x a ?k } ORDER BY ?x LIMIT 1", {"k": kind})
    assert rows, f"samples have no {kind}"
    return str(rows[0]["x"])


def page_url(iri: str, suffix: str = "") -> str:
    return "/e/" + iri[len(DATA_BASE):] + suffix


def test_overview_lists_reports_and_charts(client):
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "整改图谱 · 概览" in html and "自述问题数与实际列出的问题数" in html
    assert html.count("<svg") >= 2
    data = client.get("/index.json").get_json()
    assert data["stats"]["报告"] >= 5
    assert all("listedIssues" in row for row in data["reports"])
    assert len({row["report"] for row in data["reports"]}) == len(data["reports"])  # no duplicates from the union


@pytest.mark.parametrize("kind", [k for k in KIND_ORDER])
def test_entity_page_for_every_kind(client, store, kind):
    iri = one_of(store, kind)
    r = client.get(page_url(iri))
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:500]
    assert 'id="graph-data"' in html and "相邻节点" in html
    data = client.get(page_url(iri, ".json")).get_json()
    assert data["iri"] == iri and data["kind"] == str(kind)
    assert data["graph"]["nodes"][0]["id"] == iri
    assert client.get(page_url(iri, ".csv")).mimetype == "text/csv"
    ttl = client.get(page_url(iri, ".ttl"))
    assert ttl.mimetype == "text/turtle" and iri[len(DATA_BASE):] in ttl.get_data(as_text=True)


def test_entity_accept_header_and_query_form(client, store):
    iri = one_of(store, RG.Agency)
    r = client.get(page_url(iri), headers={"Accept": "application/json"})
    assert r.mimetype == "application/json" and r.get_json()["iri"] == iri
    r = client.get("/entity", query_string={"iri": iri})
    assert r.status_code == 200
    assert client.get("/entity.json", query_string={"iri": iri}).get_json()["iri"] == iri


def test_entity_shows_sources_with_highlight_and_link(client, store):
    iri = one_of(store, RG.Document)
    html = client.get(page_url(iri)).get_data(as_text=True)
    assert "<mark>" in html
    link = re.search(r'href="(/report/[0-9a-f]+\?s=(\d+)&amp;e=(\d+)#focus)"', html)
    assert link, "source sentence links into the report view"
    report = client.get(link.group(1).replace("&amp;", "&").split("#")[0]).get_data(as_text=True)
    assert 'id="focus"' in report


def test_relations_are_named_in_chinese_and_capped(app, client, store):
    rows = store.select("""SELECT ?d (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m rg:mentions ?d . ?d a rg:Document }
                           GROUP BY ?d ORDER BY DESC(?n) LIMIT 1""")
    iri = str(rows[0]["d"])
    app.config["NEIGHBOUR_LIMIT"] = 1
    try:
        data = client.get(page_url(iri, ".json")).get_json()
        html = client.get(page_url(iri)).get_data(as_text=True)
    finally:
        app.config["NEIGHBOUR_LIMIT"] = 25
    groups = data["relations"]
    assert groups and all(len(g["items"]) <= 1 for g in groups)
    assert any(g["more"] > 0 for g in groups)
    assert "另有" in html
    assert all(re.search(r"[\u4e00-\u9fff]", g["label"]) for g in groups)
    assert not any(g["kind"] == str(RG.Mention) for g in groups)  # mentions are shown as sources


def test_two_hops_and_node_cap(app, client, store):
    iri = one_of(store, RG.Agency)
    one = client.get(page_url(iri, ".json")).get_json()["graph"]["nodes"]
    two = client.get(page_url(iri, ".json?hops=2")).get_json()["graph"]["nodes"]
    assert len(two) > len(one)
    app.config["GRAPH_NODE_LIMIT"] = 5
    try:
        capped = client.get(page_url(iri, ".json?hops=2")).get_json()["graph"]
    finally:
        app.config["GRAPH_NODE_LIMIT"] = 150
    assert len(capped["nodes"]) <= 5 and capped["truncated"]


def test_graph_nodes_carry_links_and_kinds(client, store):
    iri = one_of(store, RG.Issue)
    graph = client.get(page_url(iri, ".json")).get_json()["graph"]
    for node in graph["nodes"]:
        assert node["url"].startswith("/e/") or node["url"].startswith("/entity?")
        assert node["kind"] in {kind_key(k) for k in KIND_ORDER} | {"Thing"}
        assert isinstance(node["title"], str) and "href" not in node  # plain-text tooltip, no HTML popup
    assert all(re.search(r"[\u4e00-\u9fff]", e["label"]) for e in graph["edges"])


def test_report_view_outline_and_marks(client, store):
    iri = one_of(store, RG.Report)
    rid = iri.rsplit("/", 1)[1]
    html = client.get(f"/report/{rid}").get_data(as_text=True)
    assert 'class="tree"' in html and 'class="m k-' in html and "item-badge" in html
    data = client.get(f"/report/{rid}.json").get_json()
    assert data["outline"] and data["mentions"] and data["items"]
    text = data["text"]
    for m in data["mentions"][:20]:
        assert text[m["start"]:m["end"]]
    assert client.get(f"/report/{rid}.ttl").mimetype == "text/turtle"
    assert client.get("/report/ffffffffffffffff").status_code == 404


@pytest.mark.parametrize("path", ["/agencies", "/inspections", "/documents", "/issues", "/reports"])
def test_browse_lists_in_every_format(client, path):
    r = client.get(path)
    assert r.status_code == 200 and "<table" in r.get_data(as_text=True)
    data = client.get(path + ".json").get_json()
    assert data["total"] >= 1 and data["rows"]
    csv = client.get(path + ".csv")
    assert csv.mimetype == "text/csv" and csv.get_data(as_text=True).count("\n") == len(data["rows"]) + 1 or \
        data.get("pages", 1) > 1


def test_documents_ordered_by_reports(client):
    rows = client.get("/documents.json").get_json()["rows"]
    counts = [r["reports"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_issues_filter_by_status(client):
    statuses = client.get("/index.json").get_json()["issue_statuses"]
    assert statuses
    want = statuses[0]["status"]
    rows = client.get("/issues.json", query_string={"status": want}).get_json()["rows"]
    assert rows and all(r["status"] == want for r in rows)
    assert all("aspectLabel" in r for r in client.get("/issues.json").get_json()["rows"][:5] if "aspect" in r)


def test_path_page_by_search_and_json(client, store):
    a = one_of(store, RG.Agency)
    b = str(store.select("SELECT ?x WHERE { ?x a rg:Agency } ORDER BY DESC(?x) LIMIT 1")[0]["x"])
    data = client.get("/path.json", query_string={"from": a, "to": b}).get_json()
    assert data["paths"], data
    first = data["paths"][0]
    assert first[0]["iri"] == a and first[-1]["iri"] == b
    html = client.get("/path", query_string={"from": a, "to": b}).get_data(as_text=True)
    assert "最短路径" in html and 'id="graph-data"' in html
    choose = client.get("/path", query_string={"from": "局"}).get_data(as_text=True)
    assert 'class="candidates"' in choose


def test_unknown_format_and_bad_input_are_errors(client, store):
    iri = one_of(store, RG.Agency)
    assert client.get(page_url(iri, ".xml")).status_code == 404
    r = client.get("/entity.json")
    assert r.status_code == 400 and "error" in r.get_json()
    assert client.get("/issues?page=abc").status_code == 400
    assert client.get("/e/agency/0000000000000000").status_code == 404


# -- escaping ---------------------------------------------------------------------
def test_script_in_a_document_title_renders_as_text(client, store):
    rows = store.select("SELECT ?d ?l WHERE { ?d a rg:Document ; rdfs:label ?l }")
    iri = next(str(r["d"]) for r in rows if str(r["l"]) == SCRIPT_DOC)
    html = client.get(page_url(iri)).get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data_block = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data_block                       # tojson escapes < so it cannot close the block
    graph = json.loads(data_block)
    assert any(SCRIPT_DOC in n["title"] for n in graph["nodes"])
    for page in ("/documents", "/search?q=公示栏", "/"):
        assert "<script>alert(1)" not in client.get(page).get_data(as_text=True)


def test_no_external_resources_and_csp(client, store):
    iri = one_of(store, RG.Document)
    for url in ("/", page_url(iri), "/search?q=制度", "/path"):
        r = client.get(url)
        html = r.get_data(as_text=True)
        assert "default-src 'self'" in r.headers["Content-Security-Policy"]
        for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not attr.startswith(("http:", "https:", "//")), attr
        assert "<script>" not in html.replace('<script type="application/json" id="graph-data">', "")
    assert client.get("/static/vendor/vis-network-9.1.2/vis-network.min.js").status_code == 200


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """A store with a hostile issue title (built through the real builder) and foreign IRIs."""
    from ingest.build import build_report_graph
    from ingest.facts import Header, Issue, ReportFacts, Source, Stats
    from web.app import create_app

    title = '<img src=x onerror=alert(2)>"引号"&问题'
    text = f"一、整改\n1.针对“{title}”问题。"
    facts = ReportFacts(text=text, source=Source(name="x.txt", sha256=hashlib.sha256(text.encode()).hexdigest()),
                        header=Header(agency="某市某局", title="<b>标题</b>"), stats=Stats())
    start = text.index("1.")
    facts.issues = [Issue(1, title, start, len(text), start + 4, start + 4 + len(title), "test", None, None)]
    built = build_report_graph(facts)
    path = tmp_path_factory.mktemp("hostile") / "store"
    foreign = [(EXTERNAL[0], URIRef("http://example.org/p"), EXTERNAL[1]),
               (EXTERNAL[0], URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal("外部<i>节点</i>"))]
    with open_store(path) as s:
        s.write([GraphWrite(built.graph, built.triples), GraphWrite(URIRef("http://example.org/graph"), foreign)])
    app = create_app({"STORE": str(path), "TESTING": True, "STORE_CHECK_SECONDS": 0})
    return app, built


def test_hostile_issue_title_is_escaped_everywhere(hostile_app):
    app, built = hostile_app
    client = app.test_client()
    issue = next(str(s) for s, p, o in built.triples if o == RG.Issue)
    for url in (page_url(issue), "/issues", "/search?q=onerror", "/report/" + str(built.report).rsplit("/", 1)[1], "/"):
        html = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in html and "<b>标题</b>" not in html, url
    html = client.get(page_url(issue)).get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_foreign_iris_are_viewable(hostile_app):
    app, _ = hostile_app
    client = app.test_client()
    r = client.get("/entity", query_string={"iri": str(EXTERNAL[0])})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "外部&lt;i&gt;节点&lt;/i&gt;" in html
    assert re.search(r'href="/entity\?iri=http(%3A|:)(%2F|/)(%2F|/)example\.org(%2F|/)thing(%2F|/)2"', html)
    data = client.get("/entity.json", query_string={"iri": str(EXTERNAL[0])}).get_json()
    assert [n["iri"] for g in data["relations"] for n in g["items"]] == [str(EXTERNAL[1])]


def test_running_app_sees_a_new_ingest(tmp_path):
    from ingest.build import build_report_graph
    from ingest.facts import Header, ReportFacts, Source, Stats
    from web.app import create_app

    path = tmp_path / "store"
    with open_store(path):
        pass
    app = create_app({"STORE": str(path), "TESTING": True, "STORE_CHECK_SECONDS": 0})
    client = app.test_client()
    assert client.get("/reports.json").get_json()["total"] == 0
    text = "新报告"
    facts = ReportFacts(text=text, source=Source(name="n.txt", sha256=hashlib.sha256(text.encode()).hexdigest()),
                        header=Header(agency="新单位", title="新近导入的报告"), stats=Stats())
    built = build_report_graph(facts)
    with open_store(path) as writer:
        writer.write([GraphWrite(built.graph, built.triples)])
    assert client.get("/reports.json").get_json()["total"] == 1
    assert client.get("/search.json?q=新近导入").get_json()["total"] == 1


# -- caps on a hub: every read is bounded, and a count past a cap is an honest lower bound ---------
HUB = URIRef(DATA_BASE + "document/hub")
HUB_LABEL = "枢纽法"
HUB_REPORTS = 12               # report graphs that each restate the hub's type and label
HUB_SECTIONS = 4               # of them, the ones whose section cites the hub too
REGISTRY_GRAPH = URIRef(DATA_BASE + "graph/registry/test-documents")


def _hub_report(i: int) -> GraphWrite:
    """One report graph: the hub restated, a measure (and for some a section) citing it, a mention of it."""
    from ontology.base import REPORT_GRAPH_PREFIX

    rid = f"hub{i:02d}"
    report = URIRef(f"{DATA_BASE}report/{rid}")
    text = f"第{i}条。严格执行《{HUB_LABEL}》的规定。"
    start = text.index(HUB_LABEL)
    measure, mention = URIRef(f"{report}/measure/0"), URIRef(f"{report}/mention/0")
    triples = [(report, RDF.type, RG.Report), (report, RDFS.label, Literal(f"报告{i:02d}")),
               (report, RG.text, Literal(text)), (URIRef(f"{report}/summary"), RG.summaryOf, report),
               (HUB, RDF.type, RG.Document), (HUB, RDFS.label, Literal(HUB_LABEL)),
               (HUB, RG.documentType, Literal("law")),
               (measure, RDF.type, RG.Measure), (measure, RDFS.label, Literal(f"措施{i:02d}")),
               (measure, RG.citesDocument, HUB), (measure, RG.inReport, report),
               (mention, RDF.type, RG.Mention), (mention, RG.mentions, HUB), (mention, RG.inReport, report),
               (mention, RG.charStart, Literal(start)), (mention, RG.charEnd, Literal(start + len(HUB_LABEL)))]
    if i < HUB_SECTIONS:
        section = URIRef(f"{report}/section/0")
        triples += [(section, RDF.type, RG.Section), (section, RDFS.label, Literal(f"章节{i:02d}")),
                    (section, RG.citesDocument, HUB)]
    return GraphWrite(URIRef(REPORT_GRAPH_PREFIX + rid), triples)


@pytest.fixture(scope="module")
def hub_app(tmp_path_factory):
    """A store where one document is restated by every report graph and by a registry graph."""
    from web.app import create_app

    path = tmp_path_factory.mktemp("hub") / "store"
    registry = [(REGISTRY_GRAPH, RG.graphKind, Literal("registry-documents")),
                (HUB, RDF.type, RG.Document), (HUB, RDFS.label, Literal(HUB_LABEL))]
    with open_store(path) as s:
        s.write([_hub_report(i) for i in range(HUB_REPORTS)] + [GraphWrite(REGISTRY_GRAPH, registry)])
    app = create_app({"STORE": str(path), "TESTING": True, "STORE_CHECK_SECONDS": 0, "NEIGHBOUR_LIMIT": 3,
                      "SEARCH_INDEX": str(path.parent / "search.sqlite")})
    return app, path


def _caps(monkeypatch, **caps: int) -> None:
    """Lower the read caps wherever they are used."""
    from graph import entities, neighbourhood

    for name, value in caps.items():
        for module in (entities, neighbourhood):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, value)


CITING = {f"{DATA_BASE}report/hub{i:02d}/measure/0" for i in range(HUB_REPORTS)} | \
         {f"{DATA_BASE}report/hub{i:02d}/section/0" for i in range(HUB_SECTIONS)}
CAP_CASES = [
    # id, caps, (measures, sections) when every kind was read or None, rest left untyped,
    # citing nodes counted, counted exactly, (graphs stating the label, counted exactly)
    ("under every cap", {}, (HUB_REPORTS, HUB_SECTIONS), 0, len(CITING), True, (HUB_REPORTS + 1, True)),
    ("kinds read for a sample", {"SAMPLE": 5}, None, len(CITING) - 5, len(CITING), True, (HUB_REPORTS + 1, True)),
    ("scans stop at the cap", {"SCAN": 10}, None, 0, 10, False, (HUB_REPORTS + 1, True)),
    ("graphs named up to a cap, counted past it", {"GRAPH_SCAN": 3}, (HUB_REPORTS, HUB_SECTIONS), 0, len(CITING), True,
     (HUB_REPORTS + 1, True)),
    ("graphs counted up to a cap", {"GRAPH_SCAN": 3, "GRAPH_COUNT_CAP": 6}, (HUB_REPORTS, HUB_SECTIONS), 0,
     len(CITING), True, (6, False)),
]


@pytest.mark.parametrize("caps, kinds, untyped, citing, exact, label_graphs", [c[1:] for c in CAP_CASES],
                         ids=[c[0] for c in CAP_CASES])
def test_hub_page_shows_caps_as_lower_bounds(hub_app, monkeypatch, caps, kinds, untyped, citing, exact, label_graphs):
    from graph.entities import UNSORTED

    app, _ = hub_app
    _caps(monkeypatch, **caps)
    client = app.test_client()
    data = client.get(page_url(str(HUB), ".json")).get_json()
    html = client.get(page_url(str(HUB))).get_data(as_text=True)
    cites = [g for g in data["relations"] if g["predicate"] == str(RG.citesDocument)]
    typed = {g["kind"]: g for g in cites if g["kind_label"] != UNSORTED}
    assert sum(g["total"] for g in cites) == citing
    assert all(g["at_least"] == (kinds is None) for g in typed.values())
    if kinds is not None:
        assert (typed[str(RG.Measure)]["total"], typed[str(RG.Section)]["total"]) == kinds
    rest = [g for g in cites if g["kind_label"] == UNSORTED]
    assert [g["total"] for g in rest] == ([untyped] if untyped else [])
    if untyped:                                        # listed after the kinds that were read, counted in full
        assert cites[-1]["kind_label"] == UNSORTED and UNSORTED in html and f"另有 {untyped} 条" in html
    for group in typed.values():                       # the right neighbours, capped, with honest "more"
        assert 0 < len(group["items"]) <= 3 and {n["iri"] for n in group["items"]} <= CITING
        assert group["more"] == group["total"] - len(group["items"])
        more = f"另有 {group['more']}{'+' if group['at_least'] else ''} 条"
        assert group["more"] == 0 or more in html
    assert not any(g["kind"] == str(RG.Mention) for g in data["relations"])
    assert (data["sources_total"], data["sources_at_least"]) == (HUB_REPORTS if exact else 10, not exact)
    assert f"({HUB_REPORTS if exact else '10+'} 处" in html
    label = next(p for p in data["properties"] if p["predicate"] == str(RDFS.label))
    graphs = label["graphs"]
    assert (graphs["total"], not graphs["at_least"]) == label_graphs
    assert graphs["graphs"][0]["family"] == "registry" and len(graphs["graphs"]) <= 5
    assert f"另有 {graphs['total'] - len(graphs['graphs'])}{'+' if graphs['at_least'] else ''} 个图" in html


def test_hub_properties_are_found_when_the_scan_is_cut(hub_app, monkeypatch):
    """Past the scan cap the vocabulary's predicates are probed, so nothing the hub states is lost."""
    app, _ = hub_app
    _caps(monkeypatch, SCAN=2)
    data = app.test_client().get(page_url(str(HUB), ".json")).get_json()
    assert {(p["label"], p["value"]) for p in data["properties"]} >= {("名称", HUB_LABEL), ("文件类型", "law")}
    assert {g["predicate"] for g in data["relations"]} == {str(RG.citesDocument)}
    assert data["sources_at_least"] and data["sources"]


def test_hub_sources_link_into_their_reports(hub_app):
    app, _ = hub_app
    client = app.test_client()
    data = client.get(page_url(str(HUB), ".json")).get_json()
    assert len(data["sources"]) == HUB_REPORTS
    for source in data["sources"]:
        assert source["match"] == HUB_LABEL and source["report"].startswith(f"{DATA_BASE}report/hub")
    html = client.get(page_url(str(HUB))).get_data(as_text=True)
    assert html.count("<mark>" + HUB_LABEL + "</mark>") == HUB_REPORTS


@pytest.mark.parametrize("hops", [1, 2])
def test_hub_drawing_is_capped_and_connected(hub_app, hops):
    from graph.neighbourhood import neighbourhood

    _, path = hub_app
    with open_store(path, read_only=True) as store:
        sub = neighbourhood(store, str(HUB), hops=hops, per_relation=2)
    drawn = set(sub.nodes) - {str(HUB)}
    citing = drawn & CITING
    assert sub.truncated and len(citing) == 4          # two of each kind that cites it
    assert {(n, str(RG.citesDocument), str(HUB)) for n in citing} <= set(sub.edges)
    assert not any("/mention/" in n for n in drawn)    # provenance records are never drawn
    if hops == 2:                                      # the reports of the drawn measures, and the edges to them
        reports = {n for n in drawn if n.rsplit("/", 2)[-2] == "report"}
        assert reports and all((f"{r}/measure/0", str(RG.inReport), r) in sub.edges for r in reports
                               if f"{r}/measure/0" in drawn)


def test_counts_read_as_lower_bounds():
    from markupsafe import escape

    from graph.neighbourhood import Count

    assert (str(Count(7)), str(Count(7, at_least=True))) == ("7", "7+")
    assert str(escape(Count(3, at_least=True))) == "3+" and json.dumps({"n": Count(3, True)}) == '{"n": 3}'
    assert Count(3, True) > 2 and int(Count(3, True)) == 3
