"""Canned audit queries as data: `web/queries/*.rq` plus one entry each in `index.toml`.

The CLI, the web pages and the tests all read the list that `load_canned` returns. It is
checked when it loads: every problem (missing file, unknown parameter type, a parameter
the query never uses, a query that does not parse …) is collected and raised once, each
naming its entry. Parameter values are typed here and bound as RDF terms by the guard.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from graph.guard import ALLOWED_FORMS, QueryRefused, check_query
from ontology.errors import QueryError, RectigraphError

QUERIES_DIR = Path(__file__).with_name("queries")
INDEX_FILE = "index.toml"
XSD = "http://www.w3.org/2001/XMLSchema#"


class CannedQueryError(RectigraphError):
    """The list of canned queries is broken: a problem of the project, not of the user."""

    http_status = 500


def _string(raw: str) -> ox.Literal:
    if not raw.strip():
        raise ValueError("不能为空")
    return ox.Literal(raw.strip())


def _integer(raw: str) -> ox.Literal:
    if not re.fullmatch(r"[+-]?\d+", raw.strip()):
        raise ValueError("应为整数")
    return ox.Literal(str(int(raw)), datatype=ox.NamedNode(XSD + "integer"))


def _decimal(raw: str) -> ox.Literal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ValueError("应为数字") from None
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "decimal"))


def _date(raw: str) -> ox.Literal:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError("应为日期 YYYY-MM-DD") from None
    return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def _iri(raw: str) -> ox.NamedNode:
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", raw.strip()):
        raise ValueError("应为完整的 IRI,如 https://w3id.org/rectigraph/agency/…")
    return ox.NamedNode(raw.strip())


# Parameter type -> (what the form shows, the parser that makes a typed RDF term of the text).
PARAM_TYPES: dict[str, tuple[str, Callable[[str], ox.NamedNode | ox.Literal]]] = {
    "string": ("text", _string),
    "integer": ("number", _integer),
    "decimal": ("text", _decimal),
    "date": ("date", _date),
    "iri": ("url", _iri),
}


@dataclass(frozen=True)
class Param:
    """A typed parameter: `name` in URLs and on the command line, `var` in the query."""

    name: str
    var: str
    type: str
    label: str
    description: str
    required: bool = False
    default: str | None = None

    @property
    def input_type(self) -> str:
        return PARAM_TYPES[self.type][0]

    def term(self, raw: str) -> ox.NamedNode | ox.Literal:
        try:
            return PARAM_TYPES[self.type][1](raw)
        except ValueError as exc:
            raise QueryError(f"参数 {self.name}({self.label})的值 {raw!r} 无效: {exc}") from None


@dataclass(frozen=True)
class CannedQuery:
    """One audit question: its name, Chinese title and description, parameters and SPARQL."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    sparql: str

    def bindings(self, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Typed terms for the values given (blank ones ignored, defaults filled in)."""
        known = {p.name for p in self.params}
        unknown = sorted(k for k, v in values.items() if k not in known and v)
        if unknown:
            names = "、".join(p.name for p in self.params) or "无"
            raise QueryError(f"查询 {self.name} 没有参数 {'、'.join(unknown)}(可用参数: {names})")
        out: dict[str, ox.NamedNode | ox.Literal] = {}
        for p in self.params:
            raw = (values.get(p.name) or "").strip() or p.default
            if raw is None:
                if p.required:
                    raise QueryError(f"查询 {self.name} 需要参数 {p.name}({p.label}): {p.description}")
                continue
            out[p.var] = p.term(raw)
        return out


_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_PARAM_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _load_params(defs: dict, problems: list[str]) -> dict[str, Param]:
    params: dict[str, Param] = {}
    for name, d in defs.items():
        where = f"{INDEX_FILE} [params.{name}]"
        if not isinstance(d, dict):
            problems.append(f"{where}: 应为一个表")
            continue
        unknown = set(d) - {"var", "type", "label", "description", "required", "default"}
        if unknown:
            problems.append(f"{where}: 未知的键 {', '.join(sorted(unknown))}")
        if not _PARAM_NAME.match(name):
            problems.append(f"{where}: 参数名只能用小写字母、数字和下划线")
        var = d.get("var", name)
        if not _VAR.match(str(var)):
            problems.append(f"{where}: var {var!r} 不是合法的 SPARQL 变量名")
        ptype = d.get("type")
        if ptype not in PARAM_TYPES:
            problems.append(f"{where}: type {ptype!r} 不是已知类型({', '.join(PARAM_TYPES)})")
            continue
        for key in ("label", "description"):
            if not str(d.get(key, "")).strip():
                problems.append(f"{where}: 缺少 {key}")
        param = Param(name, str(var), ptype, str(d.get("label", "")), str(d.get("description", "")),
                      bool(d.get("required", False)), None if d.get("default") is None else str(d["default"]))
        if param.default is not None:
            try:
                param.term(param.default)
            except QueryError as exc:
                problems.append(f"{where}: 默认值无效: {exc}")
        params[name] = param
    return params


def _check_sparql(where: str, sparql: str, params: tuple[Param, ...], problems: list[str]) -> None:
    try:
        form = check_query(sparql)
    except (QueryError, QueryRefused) as exc:
        problems.append(f"{where}: {exc}")
        return
    if form not in ALLOWED_FORMS:
        problems.append(f"{where}: 查询形式 {form} 不被允许")
    try:
        from graph.store import PREFIXES

        ox.Store().query(sparql, prefixes=PREFIXES)
    except SyntaxError as exc:
        problems.append(f"{where}: SPARQL 语法错误: {str(exc).splitlines()[0]}")
    for p in params:
        if not re.search(rf"[?$]{re.escape(p.var)}\b", sparql):
            problems.append(f"{where}: 参数 {p.name} 的变量 ?{p.var} 在查询中没有出现")


def load_canned(folder: Path = QUERIES_DIR) -> dict[str, CannedQuery]:
    """The canned queries by name, in index order; CannedQueryError listing every problem."""
    problems: list[str] = []
    index = folder / INDEX_FILE
    try:
        data = tomllib.loads(index.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CannedQueryError(f"{index}: 无法读取预置查询清单: {exc}") from None
    params = _load_params(data.get("params", {}), problems)
    queries: dict[str, CannedQuery] = {}
    for n, entry in enumerate(data.get("query", []), start=1):
        name = str(entry.get("name", ""))
        where = f"{INDEX_FILE} 第 {n} 条查询 {name or '(无名)'}"
        unknown = set(entry) - {"name", "title", "description", "params"}
        if unknown:
            problems.append(f"{where}: 未知的键 {', '.join(sorted(unknown))}")
        if not _NAME.match(name):
            problems.append(f"{where}: name 只能用小写字母、数字和连字符")
            continue
        if name in queries:
            problems.append(f"{where}: 与前面的查询重名")
            continue
        for key in ("title", "description"):
            if not str(entry.get(key, "")).strip():
                problems.append(f"{where}: 缺少 {key}(中文标题和说明必填)")
        missing = [p for p in entry.get("params", []) if p not in params]
        if missing:
            problems.append(f"{where}: 引用了未定义的参数 {', '.join(missing)}")
        own = tuple(params[p] for p in entry.get("params", []) if p in params)
        path = folder / f"{name}.rq"
        try:
            sparql = path.read_text(encoding="utf-8")
        except OSError:
            problems.append(f"{where}: 找不到查询文件 {path.name}")
            continue
        _check_sparql(where, sparql, own, problems)
        queries[name] = CannedQuery(name, str(entry.get("title", "")), str(entry.get("description", "")), own, sparql)
    for path in sorted(folder.glob("*.rq")):
        if path.stem not in queries and not any(path.stem in p for p in problems):
            problems.append(f"{path.name}: 在 {INDEX_FILE} 中没有条目")
    if problems:
        raise CannedQueryError(f"{folder}: 预置查询清单有 {len(problems)} 处问题:\n  " + "\n  ".join(problems))
    return queries


@lru_cache(maxsize=1)
def canned_queries() -> dict[str, CannedQuery]:
    """The project's own canned queries, loaded and checked once per process."""
    return load_canned()


def get_canned(name: str) -> CannedQuery:
    """One canned query by name; NotFound naming the ones that exist."""
    from ontology.errors import NotFound

    queries = canned_queries()
    if name not in queries:
        raise NotFound(f"没有名为 {name} 的预置查询(可用: {'、'.join(queries)})")
    return queries[name]
