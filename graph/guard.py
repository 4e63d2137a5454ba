"""The SPARQL guard: which query forms run, which operations are refused, and how values are bound.

Small and table-shaped on purpose: the tables below are the policy, the functions only
walk them. Every query also runs in a killable worker on a read-only snapshot of the store
(`graph.runner`), so the guard is the first line, not the only one.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ontology.errors import QueryError

# Query forms the endpoint answers, and what kind of result each gives.
ALLOWED_FORMS: dict[str, str] = {
    "SELECT": "solutions",
    "ASK": "boolean",
    "CONSTRUCT": "triples",
    "DESCRIBE": "triples",
}

# SPARQL 1.1 Update operations (and the WITH modifier), refused wherever they appear as a keyword.
REFUSED_OPERATIONS: dict[str, str] = {
    "INSERT": "插入数据", "DELETE": "删除数据", "LOAD": "加载外部数据", "CLEAR": "清空图",
    "DROP": "删除图", "CREATE": "创建图", "ADD": "合并图", "MOVE": "移动图", "COPY": "复制图",
    "WITH": "指定更新目标图",
}


@dataclass(frozen=True)
class Limits:
    """How long a query may run and how many rows (or triples) it may return."""

    timeout: float = 10.0
    row_limit: int = 10000


CANNED_TIMEOUT = 60.0   # canned audit queries: ours, and they read the whole store


class QueryRefused(QueryError):
    """A SPARQL Update or another operation this read-only endpoint does not perform."""

    http_status = 403


class QueryTimeout(QueryError):
    """A query stopped because it ran over the time limit."""

    http_status = 503


# A small SPARQL lexer: just enough to skip comments, strings and IRIs and to see keywords.
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>[A-Za-z\u00C0-\uFFFF][\w\-.\u00B7\u00C0-\uFFFF]*:[\w\-.:%\u00B7\u00C0-\uFFFF]*|:[\w\-.:%\u00C0-\uFFFF]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<brace>[{}])
  | (?P<space>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def tokens(query: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, offset) for each token; comments and white space included."""
    for m in _TOKEN.finditer(query):
        yield m.lastgroup or "other", m.group(), m.start()


def query_form(query: str) -> str:
    """The form of a query (SELECT, ASK …): the first keyword after the prologue; QueryRefused for updates."""
    words = [text.upper() for kind, text, _ in tokens(query) if kind == "word"]
    for word in words:
        if word in REFUSED_OPERATIONS:
            raise QueryRefused(f"只读端点:拒绝 SPARQL Update 操作 {word}({REFUSED_OPERATIONS[word]}),存储未作任何改动")
    for word in words:
        if word in ("PREFIX", "BASE"):
            continue
        if word in ALLOWED_FORMS:
            return word
        break
    raise QueryError(f"SPARQL 语法错误: {_parser_message(query)}")


def _parser_message(query: str) -> str:
    """What the SPARQL parser says about a query whose form the guard cannot see."""
    try:
        ox.Store().query(query)
    except SyntaxError as exc:
        return str(exc).splitlines()[0]
    except Exception:  # noqa: BLE001 - any other failure still means: not a query we run
        pass
    return "查询须以 SELECT、ASK、CONSTRUCT 或 DESCRIBE 开头(前面可有 PREFIX/BASE)"


def check_query(query: str) -> str:
    """The query's form after the guard's checks; a QueryError or QueryRefused otherwise."""
    if not query or not query.strip():
        raise QueryError("缺少查询语句")
    return query_form(query)


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED), which then replaces the union default graph."""
    return any(kind == "word" and text.upper() == "FROM" for kind, text, _ in tokens(query))


_VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with `VALUES` binding each variable, placed first in its top-level WHERE group,
    and first in every sub-SELECT's WHERE group that mentions the variable.

    The values are RDF terms written by pyoxigraph in N-Triples syntax (escaped by the library),
    never user text pasted into the query; FILTERs of the group see them, like rdflib's initBindings.
    A sub-SELECT has its own scope, so a parameter its FILTERs use is bound there as well.
    """
    if not bindings:
        return query
    for name, term in bindings.items():
        if not _VARIABLE_NAME.match(name):
            raise QueryError(f"参数名 {name!r} 不是合法的变量名")
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"参数 {name} 的值必须是 IRI 或字面量")
    inserts = [(_where_group_start(query), list(bindings))]
    inserts += [(at, [n for n in bindings if n in mentioned]) for at, mentioned in _subselect_groups(query)]
    for at, names in sorted(inserts, reverse=True):
        if names:
            clause = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(str(bindings[n]) for n in names)}) }} "
            query = query[:at] + clause + query[at:]
    return query


def _where_group_start(query: str) -> int:
    """Offset just after the `{` that opens the top-level WHERE group."""
    depth = 0
    seen_where = False
    for kind, text, offset in tokens(query):
        if kind == "word" and text.upper() == "WHERE" and depth == 0:
            seen_where = True
        elif kind == "brace":
            if text == "{" and depth == 0 and (seen_where or _form_without_where(query, offset)):
                return offset + 1
            depth += 1 if text == "{" else -1
    raise QueryError("无法绑定参数:查询没有 WHERE 组")


def _subselect_groups(query: str) -> list[tuple[int, set[str]]]:
    """For each sub-SELECT: the offset just inside its WHERE group, and the variables named in that group."""
    found: list[tuple[int, set[str]]] = []
    open_groups: list[tuple[int, set[str]] | None] = []   # one entry per open brace
    pending_select = False
    for kind, text, offset in tokens(query):
        if kind == "word" and text.upper() == "SELECT" and open_groups:
            pending_select = True
        elif kind == "var":
            for group in open_groups:
                if group is not None:
                    group[1].add(text[1:])
        elif kind == "brace" and text == "{":
            open_groups.append((offset + 1, set()) if pending_select else None)
            pending_select = False
        elif kind == "brace":
            group = open_groups.pop() if open_groups else None
            if group is not None:
                found.append(group)
    return found


def _form_without_where(query: str, offset: int) -> bool:
    """SELECT … { } may omit WHERE; CONSTRUCT's template brace must not be taken for it."""
    head = [text.upper() for kind, text, _ in tokens(query[:offset]) if kind == "word"]
    form = next((w for w in head if w in ALLOWED_FORMS), None)
    return form in ("SELECT", "ASK", "DESCRIBE")
