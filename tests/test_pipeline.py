"""End to end: bytes -> ReportFacts, checked against the hand-made gold of ../shared, and refusals."""
import json
import re
import time
import unicodedata
from pathlib import Path

import pytest

from ingest.pipeline import parse_report, parse_text
from ingest.tables import TableError, validate_tables
from ontology.errors import InputError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLES = Path(__file__).resolve().parents[1] / "web" / "samples"
GOLD = sorted((SHARED / "gold").glob("*.json")) if (SHARED / "gold").is_dir() else []
SAMPLE_GOLD = sorted((SAMPLES / "gold").glob("*.json"))
UNSEEN_GOLD = sorted((Path(__file__).resolve().parent / "data" / "unseen" / "gold").glob("*.json"))
needs_shared = pytest.mark.skipif(not GOLD, reason=f"{SHARED} (corpus and gold) is absent")


def norm(s):
    """The scorer's comparison form: NFKC, no blanks, no wrapping quotes or final stop."""
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(s)).strip())
    return s.strip("“”‘’\"'「」《》").rstrip("。;,.")


@pytest.fixture(scope="module", params=GOLD + SAMPLE_GOLD + UNSEEN_GOLD, ids=lambda p: p.stem)
def parsed(request):
    gold = json.loads(request.param.read_text(encoding="utf-8"))
    path = request.param.parent.parent / ("corpus" if request.param in GOLD else "reports") / gold["file"]
    return gold, parse_report(path.read_bytes(), gold["file"], str(path))


def test_header_matches_gold(parsed):
    gold, facts = parsed
    h = facts.header
    assert h.report_kind == gold["report_kind"]
    assert norm(h.agency) == norm(gold["agency"])
    inspection = gold.get("inspection")
    if inspection:
        got = dict(kind=h.inspection_kind, body=h.inspection_body, start=h.start_date, end=h.end_date,
                   feedback=h.feedback_date, round=h.round)
        assert got == inspection
        assert h.inspection_body_canonical.endswith(inspection["body"][1:])
    else:
        assert h.inspection_body is None
    assert h.published == gold["published"]
    assert h.status_date == gold.get("status_date", h.status_date)
    contact = gold["contact"]
    assert (h.phones, h.emails, h.postcode) == (contact["phone"], contact["email"], contact["postcode"])


def test_stats_match_gold(parsed):
    gold, facts = parsed
    for field, value in gold["stats"].items():
        assert getattr(facts.stats, field) == value, field


def test_aspects_and_issues_match_gold(parsed):
    gold, facts = parsed
    secs = facts.sections
    long_term = {norm(x["title"]): x for x in gold.get("long_term_items", [])}
    assert {norm(i.title): i.status for i in facts.issues if i.long_term} == \
        {t: x["status"] for t, x in long_term.items()}
    aspects = {(secs[i.aspect].ordinal, norm(secs[i.aspect].heading)) for i in facts.issues
               if i.aspect is not None and not i.long_term}
    aspects |= {(secs[m.aspect].ordinal, norm(secs[m.aspect].heading)) for m in facts.measures
                if m.issue is None and m.aspect is not None}
    assert aspects == {(a["ordinal"], norm(a["heading"])) for a in gold["aspects"]}
    wanted = gold["issues"] + [dict(aspect=None, **s) for s in gold.get("shortcomings", [])]
    got = [(secs[i.aspect].ordinal if i.aspect is not None else None, i.ordinal, norm(i.title))
           for i in facts.issues if not i.long_term]
    assert sorted(got, key=str) == sorted(((w["aspect"], w["ordinal"], norm(w["title"])) for w in wanted), key=str)
    for k, want in enumerate(wanted):
        if want.get("measures"):
            issue = next(j for j, i in enumerate(facts.issues) if i.ordinal == want["ordinal"]
                         and norm(i.title) == norm(want["title"]))
            assert sum(1 for m in facts.measures if m.issue == issue) == want["measures"], want["title"]


def test_initiatives_and_documents_match_gold(parsed):
    gold, facts = parsed
    initiatives = {(m.ordinal, norm(m.label)) for m in facts.measures if m.issue is None}
    assert initiatives == {(i["ordinal"], norm(i["title"])) for i in gold.get("initiatives", [])}
    assert {norm(d.title) for d in facts.documents} == {norm(d) for d in gold["documents"]}


def test_spans_and_rules_are_kept(parsed):
    _, facts = parsed
    text = facts.text
    for sec in facts.sections:
        assert text[sec.heading_start:sec.heading_end] == sec.heading and sec.rule and sec.kind_rule
    for m in facts.measures:
        assert text[m.start:m.end] == m.text and m.rule
        for d in m.documents:
            assert m.start <= d.start < d.end <= m.end and text[d.start + 1:d.end - 1] == d.title
        for o in m.orgs:
            assert text[o.start:o.end] == o.name and o.rule
    for field, rule in facts.header.provenance.items():
        assert 0 <= rule.start < rule.end <= len(text), field


@needs_shared
def test_parse_is_fast():
    data = [(SHARED / "corpus" / json.loads(p.read_text())["file"]).read_bytes() for p in GOLD]
    parse_report(data[0], "warm-up")
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for d in data:
            parse_report(d, "x")
    per_report = (time.perf_counter() - start) / (rounds * len(data))
    assert per_report < 0.1, f"{per_report * 1000:.0f} ms per report"


@pytest.mark.parametrize("raw", [
    "今天天气很好,我们去公园散步,看到很多花开了。\n下午又去看了电影。",
    "1.准备食材\n2.切菜\n3.下锅翻炒",
])
def test_not_a_report_is_refused(raw):
    with pytest.raises(InputError) as err:
        parse_text(raw, "news.txt")
    assert str(err.value).startswith("news.txt: ")


def test_report_without_numbers_parses_with_a_warning():
    facts = parse_text("关于巡察整改进展情况的报告\n关于干部作风不实的问题。整改情况:一是开展教育;二是严肃问责。\n"
                       "关于经费管理不规范的问题。整改情况:规范报销流程。", "plain.txt")
    assert [i.title for i in facts.issues] == ["干部作风不实", "经费管理不规范"]
    assert [i.ordinal for i in facts.issues] == [1, 2]
    assert facts.warnings and "编号" in facts.warnings[0]


def test_parse_report_reads_bytes_and_keeps_the_source():
    raw = "根据县委统一部署,县委第一巡察组对县教育局党组开展巡察。\n一、整改情况\n1.针对学习不深入问题。已制定计划。"
    facts = parse_report(raw.encode("gb18030"), "r.txt", "/tmp/r.txt")
    assert facts.source.encoding == "gb18030" and facts.source.path == "/tmp/r.txt"
    assert [i.title for i in facts.issues] == ["学习不深入"]


def test_bad_tables_are_reported_all_at_once():
    raw = {"numbering": {"scheme": [
        {"id": "num.a", "pattern": "(", "scheme": "x", "numeral": "cn"},
        {"id": "num.a", "pattern": "a", "scheme": "x", "numeral": "roman"},
        {"pattern": "b", "scheme": "x", "numeral": "cn", "extra": 1},
    ]}}
    with pytest.raises(TableError) as err:
        validate_tables(raw)
    message = str(err.value)
    for part in ("numbering.scheme[num.a]: field 'pattern' is not a valid pattern",
                 "numbering.scheme[num.a]: duplicate id",
                 "field 'numeral' is 'roman'",
                 "numbering.scheme[row 3]: missing field 'id'",
                 "unknown field 'extra'",
                 "items.toml: file missing"):
        assert part in message
