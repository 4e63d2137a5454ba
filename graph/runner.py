"""Run SPARQL queries where they can be stopped: a small pool of worker processes.

pyoxigraph's `Store.query` cannot be cancelled and blocks inside the call, so each query
runs in a worker process on `Store.read_only(path)`; when the time limit passes the worker
is killed and replaced, and the caller gets a QueryTimeout while other workers keep
answering. A read-only handle is a snapshot, so a worker reopens it whenever the store's
files have changed (a new ingest). Workers come from a fork server started once, which
keeps them clear of the threads of a web server.
"""
from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.guard import Limits, QueryRefused, QueryTimeout, bind_values, check_query, has_dataset_clause
from graph.ordering import sort_rows, split_order
from graph.results import QueryResult, Term
from graph.store import PREFIXES
from ontology.errors import QueryError, StoreError


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker: text with values already bound, dataset, row cap."""

    query: str
    default_graph: tuple[str, ...] | None = None   # None: the union of all named graphs
    named_graphs: tuple[str, ...] | None = None    # None: every named graph
    row_limit: int = 10000
    own_dataset: bool = False                      # the query's FROM / FROM NAMED choose the dataset


# -- the worker side ---------------------------------------------------------
def _fingerprint(path: str) -> tuple:
    """Names, sizes and times of the store's files: changes whenever something is written."""
    with os.scandir(path) as entries:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()))


class _Snapshot:
    """A read-only handle on the store, reopened when the files change."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.store: ox.Store | None = None
        self.seen: tuple | None = None

    def get(self) -> ox.Store:
        current = _fingerprint(self.path)
        if self.store is None or current != self.seen:
            self.store = None
            self.store = ox.Store.read_only(self.path)
            self.seen = current
        return self.store


def execute(store: ox.Store, job: QueryJob) -> QueryResult:
    """Run one job on a pyoxigraph store and collect at most row_limit rows."""
    started = time.perf_counter()
    kwargs: dict = {"prefixes": PREFIXES}
    if job.default_graph is None:
        if not job.own_dataset:
            kwargs["use_default_graph_as_union"] = True
    else:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph] or [ox.DefaultGraph()]
    if job.named_graphs is not None:
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = _sorted_here(store, job, kwargs)
    if result is None:
        result = execute_answer(store.query(job.query, **kwargs), job.row_limit)
    result.elapsed = time.perf_counter() - started
    return result


MAX_SORTED_ROWS = 300_000   # more rows than this: the query is run again with the engine sorting (bounded memory)


def _sorted_here(store: ox.Store, job: QueryJob, kwargs: dict) -> QueryResult | None:
    """A SELECT ending in ORDER BY of plain variables, run without it and sorted here (see
    graph/ordering.py); None when the query does not qualify and the engine must sort."""
    split = split_order(job.query)
    if split is None:
        return None
    try:
        answer = store.query(split.query, **kwargs)
    except SyntaxError:
        return None
    if not isinstance(answer, ox.QuerySolutions):
        return None
    variables = [v.value for v in answer.variables]
    if any(k.variable not in variables for k in split.keys):
        return None
    result = execute_answer(answer, MAX_SORTED_ROWS)
    if result.truncated:
        return None
    rows = sort_rows(result.variables, result.rows, split.keys)
    result.truncated = len(rows) > job.row_limit
    result.rows = rows[:job.row_limit]
    result.row_limit = job.row_limit
    return result


def execute_answer(answer, row_limit: int) -> QueryResult:
    """Collect at most row_limit rows of a pyoxigraph answer (solutions, boolean or triples)."""
    result = QueryResult(kind="solutions", row_limit=row_limit)
    if isinstance(answer, ox.QueryBoolean):
        result.kind, result.boolean = "boolean", bool(answer)
    elif isinstance(answer, ox.QueryTriples):
        result.kind, result.variables = "triples", ["subject", "predicate", "object"]
        for triple in answer:
            if len(result.rows) == row_limit:
                result.truncated = True
                break
            result.rows.append((Term.of(triple.subject), Term.of(triple.predicate), Term.of(triple.object)))
    else:
        result.variables = [v.value for v in answer.variables]
        for solution in answer:
            if len(result.rows) == row_limit:
                result.truncated = True
                break
            result.rows.append(tuple(None if (t := solution[v]) is None else Term.of(t) for v in result.variables))
    return result


def serve(conn, path: str) -> None:
    """A worker's loop: read a job, answer ("ok", result) or (error kind, message)."""
    snapshot = _Snapshot(path)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", execute(snapshot.get(), job))
        except SyntaxError as exc:
            reply = ("syntax", str(exc).splitlines()[0] if str(exc) else "语法错误")
        except OSError as exc:
            reply = ("store", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        except Exception as exc:  # an evaluation error must not kill the worker
            reply = ("query", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


# -- the caller side ---------------------------------------------------------
class _Worker:
    def __init__(self, ctx, path: str) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child, path), daemon=True, name="rectigraph-sparql")
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


_CONTEXT = None


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = mp.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["graph.runner"])
    return _CONTEXT


class QueryRunner:
    """A pool of `size` warm workers (up to `max_workers` when busy) running guarded queries."""

    def __init__(self, path: str | os.PathLike, limits: Limits = Limits(), size: int = 2, max_workers: int = 4) -> None:
        self.path = str(path)
        if not Path(self.path).is_dir():
            raise StoreError(f"{self.path}: 存储不存在,请先运行 rectigraph ingest")
        self.limits = limits
        self.size = size
        self.max_workers = max(size, max_workers)
        self._idle: list[_Worker] = []
        self._count = 0
        self._closed = False
        self._cond = threading.Condition()
        atexit.register(self.close)
        for _ in range(size):
            self._idle.append(self._start())

    def _start(self) -> _Worker:
        worker = _Worker(_context(), self.path)
        with self._cond:
            self._count += 1
        return worker

    def _acquire(self, deadline: float) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise QueryError("查询服务已关闭")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.max_workers:
                    self._count += 1
                    break
                if not self._cond.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise QueryTimeout(f"查询排队超过 {self.limits.timeout:g} 秒:其他查询正在占用全部工作进程")
        try:
            return _Worker(_context(), self.path)
        except Exception:
            with self._cond:
                self._count -= 1
            raise

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed and len(self._idle) < self.size:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._count -= 1
            self._cond.notify()
        worker.stop()

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker; start a warm replacement in the background so the caller answers at once."""
        worker.stop()
        with self._cond:
            self._count -= 1
            self._cond.notify()
            refill = not self._closed and self._count < self.size

        def refill_pool() -> None:
            try:
                fresh = self._start()
            except Exception:
                return
            self._release(fresh)

        if refill:
            threading.Thread(target=refill_pool, daemon=True).start()

    def run(self, query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
            default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            limits: Limits | None = None) -> QueryResult:
        """Check, bind and run one query under the time limit and row cap."""
        limits = limits or self.limits
        check_query(query)
        text = bind_values(query, bindings or {})
        job = QueryJob(text, tuple(default_graph) if default_graph is not None else None,
                       tuple(named_graphs) if named_graphs is not None else None, limits.row_limit,
                       own_dataset=has_dataset_clause(query))
        deadline = time.monotonic() + limits.timeout
        worker = self._acquire(deadline)
        try:
            worker.conn.send(job)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._discard(worker)
                raise QueryTimeout(f"查询超过时间限制 {limits.timeout:g} 秒,已停止;请缩小范围或加 LIMIT")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._discard(worker)
            raise StoreError("查询进程意外退出,请重试") from None
        self._release(worker)
        status, payload = reply
        if status == "ok":
            return payload
        if status == "syntax":
            raise QueryError(f"SPARQL 语法错误: {payload}")
        if status == "store":
            if "read-only" in payload.lower() or "read only" in payload.lower():
                raise QueryRefused(f"只读端点: {payload}")
            raise StoreError(f"{self.path}: 查询失败: {payload}")
        raise QueryError(f"查询执行出错: {payload}")

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._cond.notify_all()
        for worker in idle:
            worker.stop()

    def __enter__(self) -> QueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



class RemoteQueryRunner:
    """The same guarded `run` for a store on a SPARQL server: the server does the work, the
    HTTP request carries the time limit, and the rows are capped as they are read."""

    def __init__(self, location: str, limits: Limits = Limits()) -> None:
        from graph.remote import RemoteStore

        self.path = location
        self.limits = limits
        self.store = RemoteStore(location)

    def run(self, query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
            default_graph: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
            limits: Limits | None = None) -> QueryResult:
        from graph.store import PREFIX_BLOCK

        limits = limits or self.limits
        form = check_query(query)
        text = PREFIX_BLOCK + bind_values(query, bindings or {})
        started = time.perf_counter()
        triples = form in ("CONSTRUCT", "DESCRIBE")
        try:
            data = self.store.query_bytes(text, "application/n-triples" if triples else "application/sparql-results+xml",
                                          default_graph, named_graphs, timeout=limits.timeout)
        except StoreError as exc:
            if "timed out" in str(exc).lower():
                raise QueryTimeout(f"查询超过时间限制 {limits.timeout:g} 秒,已停止;请缩小范围或加 LIMIT") from None
            raise
        if triples:
            scratch = ox.Store()
            scratch.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            answer = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        else:
            answer = ox.parse_query_results(data, ox.QueryResultsFormat.XML)
        result = execute_answer(answer, limits.row_limit)
        result.elapsed = time.perf_counter() - started
        return result

    def close(self) -> None:
        pass

    def __enter__(self) -> RemoteQueryRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_runner(location: str | os.PathLike, limits: Limits = Limits(), size: int = 2,
                max_workers: int = 4) -> QueryRunner | RemoteQueryRunner:
    """The query runner for a store location: worker processes for the embedded store,
    HTTP with a timeout for a SPARQL server."""
    location = str(location)
    if location.startswith(("http://", "https://")):
        return RemoteQueryRunner(location, limits)
    return QueryRunner(location, limits, size=size, max_workers=max_workers)
