"""Registry tables (CSV or XLSX) -> RDF: agencies, inspection rounds, the rule catalogue.

Rows become the same nodes the parser mints (same canonical-name IRIs), so the registry and
the reports meet. Pure functions: bytes in, rows and triples out; every problem names the
file, the row and the column.
"""
from __future__ import annotations

import csv
import functools
import io
import re
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass
from importlib import resources

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from ingest import iris
from ingest.build import date_literal
from ontology.errors import InputError
from ontology.namespace import RG

_SPLIT = re.compile(r"[；;、,，\n]+")
_DATE = re.compile(r"^(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})(?:[-/.月](?P<d>\d{1,2})日?)?月?)?年?$")
_PARTY_BODY = re.compile(r"^(?P<level>[省市县区])委第")


@dataclass(frozen=True)
class Column:
    id: str
    names: tuple[str, ...]
    required: bool = False
    list: bool = False
    type: str = "text"
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    description: str
    columns: tuple[Column, ...]

    def column_for(self, header: str) -> Column | None:
        key = _header_key(header)
        return next((c for c in self.columns if key in {_header_key(n) for n in c.names}), None)


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@functools.cache
def registry_kinds() -> dict[str, Kind]:
    """The registry kinds and their columns, from registry.toml; checked on load."""
    raw = tomllib.loads(resources.files("ingest").joinpath("registry.toml").read_text(encoding="utf-8"))
    problems, kinds = [], {}
    for k in raw.get("kind", []):
        columns = []
        for c in k.get("column", []):
            unknown = set(c) - {"id", "names", "required", "list", "type", "choices"}
            if unknown or not c.get("id") or not c.get("names"):
                problems.append(f"registry.kind[{k.get('id')}].column[{c.get('id')}]: bad row {sorted(unknown)}")
                continue
            columns.append(Column(c["id"], tuple(c["names"]), c.get("required", False), c.get("list", False),
                                  c.get("type", "text"), tuple(c.get("choices", ()))))
        if not k.get("id") or not any(c.required for c in columns):
            problems.append(f"registry.kind[{k.get('id')}]: needs an id and a required column")
        kinds[k.get("id")] = Kind(k.get("id"), k.get("label", ""), k.get("description", ""), tuple(columns))
    if problems:
        raise InputError("registry.toml: " + "; ".join(problems))
    return kinds


def read_rows(data: bytes, name: str) -> list[list[str]]:
    """The cells of a CSV (UTF-8 or GBK, comma or tab) or XLSX file, row by row."""
    if not data.strip():
        raise InputError(f"{name}: 文件为空")
    if data[:2] == b"PK" or name.lower().endswith(".xlsx"):
        return _read_xlsx(data, name)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{name}: 无法识别编码(应为 UTF-8 或 GBK)")
    if "\x00" in text:
        raise InputError(f"{name}: 不是文本表格文件")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes, name: str) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{name}: 不是有效的 XLSX 文件({type(exc).__name__})") from None
    sheet = book.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(v) for v in row])
    book.close()
    return rows


def _cell_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def detect_kind(header: list[str], name: str) -> Kind:
    """The kind whose required columns this header has (the one matching most columns on a tie)."""
    scored = []
    for k in registry_kinds().values():
        if all(any(k.column_for(h) is c for h in header) for c in k.columns if c.required):
            scored.append((sum(1 for h in header if h and k.column_for(h)), k))
    scored.sort(key=lambda sk: -sk[0])
    if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        options = "、".join(registry_kinds())
        raise InputError(f"{name}: 无法判断登记表类型(表头 {'/'.join(header)});请用 --kind 指定:{options}")
    return scored[0][1]


def parse_date(text: str) -> str | None:
    """2024-03-05 / 2024/3/5 / 2024年3月5日 / 2024年3月 / 2024 -> ISO (YYYY-MM-DD, YYYY-MM, YYYY)."""
    m = _DATE.match(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    if not m:
        return None
    parts = [m["y"]] + [f"{int(x):02d}" for x in (m["m"], m["d"]) if x]
    return "-".join(parts)


def table_records(rows: list[list[str]], kind: Kind, name: str) -> list[dict[str, object]]:
    """Rows as dicts of column id -> value; every problem names file, row and column."""
    if not rows:
        raise InputError(f"{name}: 没有表头")
    header = rows[0]
    columns: list[Column | None] = []
    problems = []
    for i, h in enumerate(header):
        column = kind.column_for(h) if h else None
        if h and column is None:
            problems.append(f"第 1 行第 {i + 1} 列: 未知的列“{h}”({kind.label}可用的列:"
                            f"{'、'.join(c.names[0] for c in kind.columns)})")
        columns.append(column)
    for c in kind.columns:
        if c.required and c not in columns:
            problems.append(f"缺少必需的列“{c.names[0]}”")
    if problems:
        raise InputError(f"{name}: " + ";".join(problems))
    records = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record: dict[str, object] = {}
        for column, cell in zip(columns, row):
            if column is None or not cell.strip():
                continue
            value: object = cell.strip()
            if column.type == "date":
                value = parse_date(cell)
                if value is None:
                    problems.append(f"第 {n} 行“{column.names[0]}”列: 无法识别的日期“{cell}”")
                    continue
            if column.choices and value not in column.choices:
                problems.append(f"第 {n} 行“{column.names[0]}”列: “{cell}”不是 {'/'.join(column.choices)} 之一")
                continue
            record[column.id] = [v.strip() for v in _SPLIT.split(str(value)) if v.strip()] if column.list else value
        missing = [c.names[0] for c in kind.columns if c.required and c.id not in record]
        if missing:
            problems.append(f"第 {n} 行: 缺少“{'、'.join(missing)}”")
            continue
        records.append(record)
    if problems:
        raise InputError(f"{name}: " + ";".join(problems[:10]) + (f";另有 {len(problems) - 10} 处" if len(problems) > 10 else ""))
    return records


def canonical_body(body: str, region: str | None) -> str:
    """市委第三巡察组 + 澄州市 -> 澄州市委第三巡察组 (a body named with its place stays as it is)."""
    m = _PARTY_BODY.match(body)
    if m and region and region.endswith(m["level"]):
        return region + body[1:]
    return body


def registry_triples(kind: Kind, records: list[dict[str, object]], graph: URIRef, name: str,
                     region: str | None = None) -> list[tuple]:
    """The triples of one registry table, described as a source graph of its kind."""
    out: list[tuple] = [(graph, RDF.type, RG.SourceGraph), (graph, RG.graphKind, Literal(f"registry-{kind.id}")),
                        (graph, RG.importedFrom, Literal(name)), (graph, RDFS.label, Literal(f"{kind.label}:{name}"))]
    build = {"agencies": _agency_triples, "rounds": _round_triples, "documents": _document_triples}[kind.id]
    for record in records:
        out.extend(build(record, region))
    return out


def _agency(name: str) -> tuple[URIRef, list[tuple]]:
    node = iris.mint_agency_iri(name)
    return node, [(node, RDF.type, RG.Agency), (node, RDFS.label, Literal(name))]


def _agency_triples(r: dict, region: str | None) -> list[tuple]:
    node, out = _agency(str(r["name"]))
    for alias in r.get("aliases", []):
        out.append((node, SKOS.altLabel, Literal(alias)))
    for key, predicate in (("level", RG.adminLevel), ("region", RG.region), ("kind", RG.agencyKind)):
        if key in r:
            out.append((node, predicate, Literal(r[key])))
    if "parent" in r:
        parent, more = _agency(str(r["parent"]))
        out += more + [(node, RG.parentAgency, parent)]
    return out


def _round_triples(r: dict, region: str | None) -> list[tuple]:
    body_name = canonical_body(str(r["body"]), region)
    body = iris.mint_inspection_body_iri(body_name)
    out = [(body, RDF.type, RG.InspectionBody), (body, RDFS.label, Literal(body_name))]
    kind = "巡视" if "巡视" in body_name else "巡察"
    for unit in r["units"]:
        agency, more = _agency(unit)
        out += more
        insp = iris.mint_inspection_iri(body_name, unit, r.get("start"))
        out += [(insp, RDF.type, RG.Inspection), (insp, RDFS.label, Literal(f"{body_name}对{unit}的{kind}")),
                (insp, RG.inspectionKind, Literal(kind)), (insp, RG.conductedBy, body),
                (insp, RG.inspectedAgency, agency)]
        for key, predicate in (("start", RG.startDate), ("end", RG.endDate), ("feedback", RG.feedbackDate)):
            if key in r:
                out.append((insp, predicate, date_literal(str(r[key]))))
        if "round" in r:
            out.append((insp, RG.round, Literal(r["round"])))
    return out


def _document_triples(r: dict, region: str | None) -> list[tuple]:
    title = str(r["title"]).strip("《》")
    node = iris.mint_document_iri(title)
    out = [(node, RDF.type, RG.Document), (node, RDFS.label, Literal(title))]
    if "issuer" in r:
        issuer, more = _agency(str(r["issuer"]))
        out += more + [(node, RG.issuer, issuer)]
    if "number" in r:
        out.append((node, RG.documentNumber, Literal(r["number"])))
    if "date" in r:
        out.append((node, DCTERMS.issued, date_literal(str(r["date"]))))
    if "status" in r:
        out.append((node, RG.documentStatus, Literal(r["status"])))
    return out
