"""Bad input, built here: every file gets a one-line error or warning naming it, nothing crashes,
the good files of a batch still go in, and the CLI's exit code says whether anything failed."""
from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import pytest

from ingest.formats import to_text
from ontology.errors import InputError
from tests.test_formats import REPORT, REPORT_LINES, build_docx, build_html, build_pdf

NEWS = """市体育中心举办全民健身运动会
本报讯(记者 王敏)3月5日上午,第十二届全民健身运动会在市体育中心开幕。来自全市各区的2000余名运动员参加了开幕式。
本届运动会设置田径、游泳、篮球、乒乓球等12个大项,比赛将持续到3月20日。市体育局负责人介绍,运动会旨在推动群众体育发展。
开幕式上,少儿武术表演和广场舞展示赢得了观众的阵阵掌声。
"""
# A report without any numbered heading: issues are 关于…的问题 paragraphs.
UNNUMBERED = """中共某县应急管理局党组关于巡察整改情况的通报
根据县委统一部署,县委第二巡察组于2023年5月对县应急局党组开展了巡察。现将整改情况通报如下。
关于学习贯彻党的创新理论不深入的问题
整改情况:制定《党组理论学习中心组学习计划》,开展专题学习6次。
关于安全生产监管执法不严格的问题
整改情况:修订《安全生产行政执法工作规程》,开展执法检查120次,立案查处违法行为15起。
中共某县应急管理局党组
2023年12月1日
"""
HUGE_MB = 50


def _corrupt_xml_docx() -> bytes:
    """A well-formed zip whose word/document.xml is cut off mid-element."""
    good = zipfile.ZipFile(io.BytesIO(build_docx(REPORT_LINES)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for item in good.infolist():
            data = good.read(item)
            zf.writestr(item, data[: len(data) // 2] if item.filename == "word/document.xml" else data)
    return out.getvalue()


def _cut_in_half(page: bytes) -> bytes:
    """A download that stopped in the middle of the report body (and of a tag)."""
    cut = page[: len(page) // 2]
    assert b"</html>" not in cut and "(一)".encode("gbk") in cut
    return cut


def _write_huge(path: Path) -> None:
    line = ("整改情况报告正文。" * 20 + "\n").encode()
    with path.open("wb") as f:
        for _ in range(HUGE_MB * 1024 * 1024 // len(line) + 1):
            f.write(line)


# name -> (bytes builder, expected: ("error", reason) or ("warning", reason))
BAD = {
    "empty.txt": (lambda: b"", ("error", "文件为空")),
    "junk.bin": (lambda: random.Random(5).randbytes(8192), ("error", "二进制")),
    "truncated.html": (lambda: _cut_in_half(build_html(REPORT_LINES)), ("warning", "网页不完整")),
    "corrupt.docx": (lambda: build_docx(REPORT_LINES)[:5000], ("error", "Word 文件已损坏")),
    "broken-xml.docx": (_corrupt_xml_docx, ("error", "document.xml 无法解析")),
    "scan.pdf": (lambda: build_pdf([], text_layer=False), ("error", "PDF 没有文字层(可能是扫描件),不做 OCR")),
    "old.doc": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000), ("error", "另存为 .docx")),
    "photo.jpg": (lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(2000), ("error", "是图片")),
    "news.txt": (lambda: NEWS.encode(), ("error", "不像整改情况报告")),
    "unnumbered.txt": (lambda: UNNUMBERED.encode(), ("warning", "没有找到编号标题")),
}
GOOD = {
    "report.txt": lambda: REPORT.encode("gb18030"),
    "report.html": lambda: build_html(REPORT_LINES),
    "report.docx": lambda: build_docx(REPORT_LINES),
    "report.pdf": lambda: build_pdf(REPORT_LINES),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input")
    for name, (build, _) in BAD.items():
        (folder / name).write_bytes(build())
    for name, build in GOOD.items():
        (folder / name).write_bytes(build())
    _write_huge(folder / "huge.txt")
    return folder


def _parse(path: Path):
    pipeline = pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    return pipeline.parse_report(path.read_bytes(), path.name, str(path))


@pytest.mark.parametrize("name", sorted(BAD))
def test_each_bad_file_gets_one_line_naming_it(corpus, name):
    kind, reason = BAD[name][1]
    if kind == "error":
        with pytest.raises(InputError) as err:
            _parse(corpus / name)
        message = str(err.value)
        assert message.startswith(f"{name}: ") and reason in message and "\n" not in message
    else:
        facts = _parse(corpus / name)
        assert any(reason in w for w in facts.warnings), facts.warnings
        assert all("\n" not in w for w in facts.warnings)


def test_readers_alone_refuse_bad_files(corpus):
    """The format layer alone (no parser) already names the file and the reason."""
    for name in ("empty.txt", "junk.bin", "corrupt.docx", "broken-xml.docx", "scan.pdf", "old.doc", "photo.jpg"):
        with pytest.raises(InputError, match=rf"^{name.replace('.', '[.]')}: "):
            to_text((corpus / name).read_bytes(), name)
    assert any("网页不完整" in w for w in to_text((corpus / "truncated.html").read_bytes(), "truncated.html").warnings)


def test_huge_file_is_refused_quickly(corpus):
    path = corpus / "huge.txt"
    assert path.stat().st_size >= HUGE_MB * 1024 * 1024
    started = time.perf_counter()
    with pytest.raises(InputError) as err:
        _parse(path)
    assert time.perf_counter() - started < 5
    assert str(err.value).startswith("huge.txt: 文件过大(50.0 MB)")


def test_batch_ingests_good_files_and_names_failures(corpus, tmp_path):
    pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    from graph.store import open_store
    from web.batch import collect_files, ingest_files

    files = collect_files([corpus])
    with open_store(tmp_path / "store") as store:
        summary = ingest_files(store, files)
    by_name = {Path(r.path).name: r for r in summary.results}
    assert set(by_name) == set(BAD) | set(GOOD) | {"huge.txt"}
    for name in GOOD:
        assert by_name[name].status == "added", (name, by_name[name].message)
        assert by_name[name].issues > 0
    errors = {name for name, (_, (kind, _)) in BAD.items() if kind == "error"} | {"huge.txt"}
    assert {r.path and Path(r.path).name for r in summary.failed} == errors
    for result in summary.failed:
        assert result.message.startswith(Path(result.path).name + ": ") and "\n" not in result.message
    assert any("网页不完整" in w for w in by_name["truncated.html"].warnings)
    assert 0 < by_name["truncated.html"].issues < by_name["report.html"].issues
    assert by_name["truncated.html"].warnings[0].startswith("truncated.html: ")


def test_cli_exit_code_says_whether_anything_failed(corpus, tmp_path, runner, cli):
    pytest.importorskip("ingest.pipeline", reason="解析流水线尚未合入")
    store = str(tmp_path / "store")
    result = runner.invoke(cli, ["--store", store, "ingest", "--quiet", str(corpus)])
    assert result.exit_code != 0, result.output
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    for name in ("empty.txt", "scan.pdf", "corrupt.docx", "huge.txt"):
        assert name in output
    good = tmp_path / "good"
    good.mkdir()
    for name, build in GOOD.items():
        (good / name).write_bytes(build())
    result = runner.invoke(cli, ["--store", str(tmp_path / "store2"), "ingest", "--quiet", str(good)])
    assert result.exit_code == 0, result.output
