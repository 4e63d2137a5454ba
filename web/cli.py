"""The `rectigraph` command line: ingest, inspect, query, export, validate, serve."""
from __future__ import annotations

import csv
import io
import json
import re
import signal
import sys
import time
from pathlib import Path

import click
import pyoxigraph as ox

from graph.store import PREFIX_BLOCK, GraphStore, open_store, store_location
from ontology.errors import RectigraphError

EXPORT_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class Context:
    """What every command shares: where the store is and whether to show tracebacks."""

    def __init__(self, store: str | None, debug: bool, update_endpoint: str | None = None,
                 graph_store_endpoint: str | None = None) -> None:
        self.location = store_location(store)
        self.debug = debug
        self.update_endpoint = update_endpoint
        self.graph_store_endpoint = graph_store_endpoint

    @property
    def remote(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    def open(self, read_only: bool = False) -> GraphStore:
        return open_store(self.location, read_only=read_only and not self.remote,
                          update_endpoint=self.update_endpoint, graph_store_endpoint=self.graph_store_endpoint)


pass_ctx = click.make_pass_decorator(Context)


class UserError(click.ClickException):
    """A RectigraphError shown as one line in Chinese, exit code 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"错误: {self.message}", err=True)


class RectigraphGroup(click.Group):
    """Turns the project's errors into one-line messages; tracebacks only with --debug."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except RectigraphError as exc:
            if isinstance(ctx.obj, Context) and ctx.obj.debug:
                raise
            raise UserError(str(exc)) from None


@click.group(cls=RectigraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="RECTIGRAPH_STORE", metavar="DIR|URL",
              help="存储目录或 SPARQL 查询端点 URL(默认 ./rectigraph-store,或环境变量 RECTIGRAPH_STORE)。")
@click.option("--update-endpoint", envvar="RECTIGRAPH_UPDATE_ENDPOINT", metavar="URL",
              help="--store 为 SPARQL 服务器时,其 SPARQL 1.1 Update 端点(账号密码取自环境变量 "
                   "RECTIGRAPH_USER / RECTIGRAPH_PASSWORD)。")
@click.option("--graph-store-endpoint", envvar="RECTIGRAPH_GRAPH_STORE", metavar="URL",
              help="--store 为 SPARQL 服务器时,其 Graph Store Protocol 端点;给出时每份报告以一次 PUT 原子写入。")
@click.option("--debug", is_flag=True, help="出错时显示完整的 Python 调用栈。")
@click.version_option(package_name="rectigraph")
@click.pass_context
def cli(ctx: click.Context, store: str | None, update_endpoint: str | None, graph_store_endpoint: str | None,
        debug: bool) -> None:
    """整改图谱 rectigraph:把巡视巡察整改报告和年度报告变成可查询的 RDF 知识图谱。

    --store 可以是存储目录,也可以是 SPARQL 服务器的查询端点 URL(如 http://127.0.0.1:8890/sparql)。"""
    ctx.obj = Context(store, debug, update_endpoint, graph_store_endpoint)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--jobs", "-j", type=int, default=0, show_default=True,
              help="并行解析的进程数;0 表示文件多时自动使用全部 CPU 核。")
@click.option("--batch-size", type=int, default=50, show_default=True, help="每个事务写入的报告数。")
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条和逐个文件的结果。")
@click.option("--optimize/--no-optimize", default=None,
              help="导入后整理存储(合并数据文件,查询快一到两倍)。默认:新写入的报告不少于 100 份、"
                   "且不少于存储中报告的十分之一时整理。")
@pass_ctx
def ingest(ctx: Context, paths: tuple[str, ...], jobs: int, batch_size: int, quiet: bool,
           optimize: bool | None) -> None:
    """导入报告文件或文件夹(可多个)。未改动的文件跳过,改动过的文件替换其原有图。"""
    from tqdm import tqdm

    from web.batch import collect_files, ingest_files

    files = collect_files(paths)
    if not files:
        raise UserError("没有找到可导入的文件")
    if jobs <= 0:
        import os

        jobs = (os.cpu_count() or 1) if len(files) >= 20 else 1
    started = time.perf_counter()
    labels = {"added": "新增", "replaced": "替换", "unchanged": "未变", "failed": "失败"}
    with ctx.open() as store, tqdm(total=len(files), unit="份", disable=quiet or len(files) < 2,
                                    file=sys.stderr, desc="导入") as bar:
        def progress(result):
            bar.update(1)
            if result.status == "failed":
                tqdm.write(f"错误: {result.message}", file=sys.stderr)
            elif not quiet:
                for warning in result.warnings:
                    tqdm.write(f"警告: {warning}", file=sys.stderr)
                detail = (f"问题 {result.issues}、措施 {result.measures}、文件 {result.documents}、三元组 {result.triples}"
                          if result.status != "unchanged" else "内容未变,跳过")
                tqdm.write(f"{labels[result.status]}: {Path(result.path).name}  {detail}")

        summary = ingest_files(store, files, jobs=jobs, batch_size=batch_size, progress=progress)
        elapsed = time.perf_counter() - started
        counts = "、".join(f"{labels[s]} {summary.count(s)}" for s in labels if summary.count(s))
        click.echo(f"共 {len(files)} 个文件:{counts}。用时 {elapsed:.1f} 秒。", err=quiet)
        written = summary.count("added") + summary.count("replaced")
        if isinstance(store, GraphStore) and written and (
                optimize or (optimize is None and should_optimize(written, len(store.report_graphs())))):
            _optimize(store, quiet)
    if summary.failed:
        sys.exit(1)


def should_optimize(written: int, reports: int) -> bool:
    """Compact after an ingest that wrote many reports: bulk loads leave overlapping data files
    that make reads 1.5-2x slower until RocksDB merges them (measured at 1,000 and 10,000 reports,
    benchmarks/RESULTS.md); compacting costs about 7 s per 1,000 reports, so a few reports added
    to a large store do not trigger it."""
    return written >= OPTIMIZE_MIN_REPORTS and written * 10 >= reports


OPTIMIZE_MIN_REPORTS = 100


def _optimize(store: GraphStore, quiet: bool) -> None:
    started = time.perf_counter()
    click.echo("正在整理存储(合并数据文件,使查询更快)……", err=True)
    store.optimize()
    click.echo(f"整理完毕,用时 {time.perf_counter() - started:.1f} 秒。", err=quiet)


@cli.command()
@pass_ctx
def optimize(ctx: Context) -> None:
    """整理存储:合并数据文件,使查询更快(大批导入后 ingest 会自动做)。"""
    with ctx.open() as store:
        if not isinstance(store, GraphStore):
            raise UserError("只能整理本地存储目录;SPARQL 服务器请用其自带的工具")
        _optimize(store, quiet=False)


@cli.command()
@pass_ctx
def stats(ctx: Context) -> None:
    """存储中各类节点的数量。"""
    from graph.queries import store_stats

    with ctx.open() as store:
        for label, value in store_stats(store):
            click.echo(f"{label:<8}\t{value}")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@pass_ctx
def reports(ctx: Context, fmt: str) -> None:
    """列出存储中的报告:来源文件、单位、日期和计数。"""
    from graph.queries import list_reports

    with ctx.open() as store:
        rows = list_reports(store)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("存储中还没有报告。")
        return
    header = ["来源文件", "单位", "类型", "日期", "问题", "措施", "文件"]
    keys = ["source", "agency", "kind", "issued", "issues", "measures", "documents"]
    _print_table(header, [[str(r.get(k) or "") for k in keys] for r in rows])


def _print_table(header: list[str], rows: list[list[str]]) -> None:
    def width(s: str) -> int:
        return sum(2 if ord(c) > 0x2E7F else 1 for c in s)

    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(header)]
    for row in [header] + rows:
        click.echo("  ".join(c + " " * (w - width(c)) for c, w in zip(row, widths)).rstrip())


@cli.command()
@click.argument("sparql", required=False)
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False), help="从文件读取查询。")
@click.option("--canned", "canned_name", metavar="NAME", help="运行一条预置审计查询(名称见 --list)。")
@click.option("--param", "params", multiple=True, metavar="K=V", help="预置查询的参数,可重复,如 --param agency=应急管理局。")
@click.option("--list", "list_canned", is_flag=True, help="列出预置审计查询及其参数。")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="结果格式。")
@click.option("--timeout", type=float, default=None, help="查询时间限制(秒),超时即停止;默认 10 秒,预置查询 60 秒。")
@click.option("--max-rows", type=int, default=10000, show_default=True, help="最多返回的行数,超出时截断并提示。")
@pass_ctx
def query(ctx: Context, sparql: str | None, query_file: str | None, canned_name: str | None, params: tuple[str, ...],
          list_canned: bool, fmt: str, timeout: float | None, max_rows: int) -> None:
    """运行 SPARQL 查询或预置审计查询(所有命名图的并集为默认图;常用前缀已预置;只读,有时间和行数限制)。"""
    from graph.guard import CANNED_TIMEOUT, Limits
    from graph.runner import open_runner
    from web.canned import canned_queries, get_canned

    if list_canned:
        for q in canned_queries().values():
            args = " ".join(f"--param {p.name}=…{'(必填)' if p.required else ''}" for p in q.params)
            click.echo(f"{q.name}\t{q.title}\t{args}".rstrip())
            click.echo(f"    {q.description}")
        return
    bindings = {}
    if canned_name:
        if sparql or query_file:
            raise click.UsageError("--canned 不能与查询语句或 --file 同时使用")
        values = {}
        for item in params:
            key, sep, value = item.partition("=")
            if not sep:
                raise click.UsageError(f"--param 应写作 名称=值: {item}")
            values[key.strip()] = value
        canned = get_canned(canned_name)
        sparql, bindings = canned.sparql, canned.bindings(values)
    elif params:
        raise click.UsageError("--param 只用于 --canned")
    if query_file:
        sparql = Path(query_file).read_text(encoding="utf-8")
    if not sparql:
        raise click.UsageError("请给出查询语句、--file 或 --canned(--list 列出预置查询)")
    if timeout is None:
        timeout = CANNED_TIMEOUT if canned_name else Limits.timeout
    with open_runner(ctx.location, Limits(timeout, max_rows), size=1, max_workers=1) as runner:
        result = runner.run(sparql, bindings)
    if result.kind == "boolean":
        click.echo("true" if result.boolean else "false")
    elif result.kind == "triples":
        from graph.results import serialize
        from graph.store import PREFIXES

        click.echo(serialize(result, "text/turtle", PREFIXES)[0].decode("utf-8"))
    else:
        _emit_rows(result.variables, [[_cell(t) for t in row] for row in result.rows], fmt)
    if result.truncated:
        click.echo(f"注意: 结果超过 {result.row_limit} 行,已截断(可用 --max-rows 调整)。", err=True)


def _cell(term) -> str:
    return "" if term is None else term.value


def _emit_rows(names: list[str], rows: list[list[str]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps([dict(zip(names, r)) for r in rows], ensure_ascii=False, indent=2))
    elif fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        _print_table(names, rows)
        click.echo(f"({len(rows)} 行)")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="trig", show_default=True,
              help="导出格式;ttl/nt/rdfxml 导出各图的并集,nq/trig 保留命名图,jsonld 保留命名图。")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="输出文件(默认标准输出)。")
@pass_ctx
def export(ctx: Context, fmt: str, output: str | None) -> None:
    """导出整个存储。"""
    with ctx.open(read_only=Path(ctx.location).exists()) as store:
        if output:
            tmp = Path(output + ".part")
            with open(tmp, "wb") as out:
                store.dump(out, EXPORT_FORMATS[fmt], union=True)
            tmp.replace(output)
            click.echo(f"已导出到 {output}", err=True)
        else:
            store.dump(sys.stdout.buffer, EXPORT_FORMATS[fmt], union=True)


@cli.command()
@pass_ctx
def validate(ctx: Context) -> None:
    """用 SHACL 约束检查每个报告图;有违反时退出码非零。"""
    from graph.validate import validate_store

    with ctx.open(read_only=Path(ctx.location).exists()) as store:
        results = validate_store(store)
        names = {str(r["g"]): str(r.get("source", "")) for r in store.select(
            "SELECT ?g ?source WHERE { GRAPH ?g { ?r a rg:Report OPTIONAL { ?r rg:sourceFile ?source } } }",
            union=False)}
    bad = [r for r in results if not r.conforms]
    for r in results:
        name = names.get(str(r.graph)) or str(r.graph)
        click.echo(f"{'通过' if r.conforms else '违反'}: {name}({r.triples} 个三元组)")
        for message in r.messages[:20]:
            click.echo(f"    {message}")
    click.echo(f"共 {len(results)} 个报告图,{len(bad)} 个不符合约束。")
    if bad:
        sys.exit(1)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--graph", "graph_iri", metavar="IRI", help="导入到这个命名图(默认由文件名生成);再次导入时整体替换。")
@click.option("--format", "fmt", help="RDF 格式(ttl、nt、nq、trig、jsonld、rdfxml);默认按扩展名判断。")
@click.option("--kind", type=click.Choice(["agencies", "rounds", "documents"]),
              help="登记表类型(CSV/XLSX):agencies 单位名录、rounds 巡视巡察轮次、documents 制度文件目录;默认按表头判断。")
@click.option("--region", help="登记表中“市委第三巡察组”这类名称所属的地区,如 澄州市。")
@pass_ctx
def import_(ctx: Context, files: tuple[str, ...], graph_iri: str | None, fmt: str | None, kind: str | None,
            region: str | None) -> None:
    """导入 RDF 文件或登记表(CSV/XLSX)到命名图;格式错误时存储保持不变。"""
    if graph_iri and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|^`\\]+$", graph_iri):
        raise click.UsageError(f"--graph 不是合法的 IRI: {graph_iri}")
    failed = 0
    with ctx.open() as store:
        for file in files:
            path = Path(file)
            try:
                message = import_file(store, path, graph_iri, fmt, kind, region)
            except RectigraphError as exc:
                click.echo(f"错误: {exc}", err=True)
                failed += 1
                continue
            click.echo(message)
    if failed:
        sys.exit(1)


def import_file(store: GraphStore, path: Path, graph_iri: str | None = None, fmt: str | None = None,
                kind: str | None = None, region: str | None = None) -> str:
    """Import one RDF file or registry table into its named graph (replacing it); what was done, in Chinese."""
    from graph.imports import derived_graph_iri, import_writes, parse_rdf_file, rdf_format
    from graph.store import GraphWrite
    from ingest import registry
    from rdflib import URIRef

    data = path.read_bytes()
    if path.suffix.lower() in (".csv", ".tsv", ".xlsx") or kind:
        rows = registry.read_rows(data, path.name)
        table_kind = registry.registry_kinds()[kind] if kind else registry.detect_kind(rows[0] if rows else [], path.name)
        records = registry.table_records(rows, table_kind, path.name)
        target = URIRef(graph_iri) if graph_iri else derived_graph_iri(f"registry/{table_kind.id}", path.name)
        triples = registry.registry_triples(table_kind, records, target, path.name, region)
        writes = [GraphWrite(target, triples, replaces=[target])]
        what = f"{table_kind.label} {len(records)} 行"
    else:
        writes = parse_rdf_file(data, path.name, rdf_format(path, fmt), URIRef(graph_iri) if graph_iri else None)
        what = "RDF"
    count = import_writes(store, writes)
    graphs = "、".join(str(w.graph) for w in writes)
    return f"已导入: {path.name}({what},{count} 个三元组)→ {graphs}"


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="输出格式。")
@pass_ctx
def graphs(ctx: Context, fmt: str) -> None:
    """列出每个命名图:类型(报告、登记表、导入)、来源和三元组数。"""
    from dataclasses import asdict

    from graph.imports import list_graphs

    with ctx.open(read_only=Path(ctx.location).exists()) as store:
        infos = list_graphs(store)
    if fmt == "json":
        click.echo(json.dumps([asdict(i) for i in infos], ensure_ascii=False, indent=2))
        return
    _print_table(["命名图", "类型", "来源", "三元组"], [[i.graph, i.kind, i.source, str(i.triples)] for i in infos])


@cli.command()
@click.option("--graph", "graph_iri", required=True, metavar="IRI", help="要删除的命名图。")
@pass_ctx
def drop(ctx: Context, graph_iri: str) -> None:
    """删除一个命名图,其他内容不变。"""
    from rdflib import URIRef

    with ctx.open() as store:
        if not store.drop_graph(URIRef(graph_iri)):
            raise UserError(f"没有这个命名图: {graph_iri}")
    click.echo(f"已删除: {graph_iri}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址;只有需要让其他机器访问时才改为 0.0.0.0。")
@click.option("--port", type=int, default=8000, show_default=True, help="监听端口。")
@click.option("--threads", type=int, default=8, show_default=True, help="处理请求的线程数。")
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int) -> None:
    """用 waitress 启动网页浏览器(只读打开存储;导入新报告后页面会自动看到)。"""
    _serve(ctx.location, host, port, threads)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址。")
@click.option("--port", type=int, default=8000, show_default=True, help="监听端口。")
@click.option("--store-dir", type=click.Path(file_okay=False), default=None,
              help="示例存储放在哪里(默认一个临时目录,退出时删除)。")
@pass_ctx
def demo(ctx: Context, host: str, port: int, store_dir: str | None) -> None:
    """把自带的示例报告和示例登记表导入一个全新的存储,然后启动网页浏览器。"""
    import shutil
    import tempfile

    from web.batch import collect_files, ingest_files

    samples = Path(__file__).parent / "samples" / "reports"
    files = collect_files([samples])
    if not files:
        raise click.ClickException(f"没有找到示例报告: {samples}")
    temporary = store_dir is None
    location = Path(store_dir) if store_dir else Path(tempfile.mkdtemp(prefix="rectigraph-demo-")) / "store"
    if location.exists() and any(location.iterdir()):
        raise click.ClickException(f"{location} 已存在且不为空;示例需要一个全新的存储目录")
    try:
        with open_store(location) as store:
            summary = ingest_files(store, files)
            registries = sorted((Path(__file__).parent / "samples" / "registry").glob("*.csv"))
            for table in registries:    # the reference lists the coverage audits check the reports against
                import_file(store, table)
        for result in summary.failed:
            click.echo(f"错误: {result.message}", err=True)
        click.echo(f"已导入 {summary.count('added')} 份示例报告和 {len(registries)} 张示例登记表到 {location}")
        _serve(str(location), host, port, 8)
    finally:
        if temporary:
            shutil.rmtree(location.parent, ignore_errors=True)


def _serve(location: str, host: str, port: int, threads: int) -> None:
    """Build the app on the store and serve it with waitress until interrupted."""
    from waitress import create_server

    from web.app import create_app, get_search_index

    app = create_app({"STORE": location})
    with app.app_context():
        # build or update the search index before the first request (minutes on a large new store)
        get_search_index(lambda done, total: click.echo(f"正在建立搜索索引:{done}/{total} 个图", err=True))
    server = create_server(app, host=host, port=port, threads=threads)
    signal.signal(signal.SIGTERM, _stop)       # `kill` stops it like Ctrl+C (and demo cleans up)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"整改图谱已启动: http://{shown}:{server.effective_port}/  (存储 {location};按 Ctrl+C 停止)")
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("已停止")
    finally:
        server.close()


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


@cli.command()
@click.option("--reports", "-n", "count", type=click.IntRange(min=1), required=True, help="生成的报告份数。")
@click.option("--seed", type=int, default=0, show_default=True, help="随机种子;同一种子生成逐字节相同的语料。")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="输出文件夹:报告写入 DIR/reports/*.txt,标准答案写入 DIR/gold/*.json,版式清单写入 DIR/manifest.jsonl。")
@click.option("--jobs", "-j", type=int, default=0, show_default=True, help="并行生成的进程数;0 表示使用全部 CPU 核。")
@click.option("--force", is_flag=True, help="文件夹不为空时仍写入(先删除其中旧的合成报告和标准答案)。")
def synth(count: int, seed: int, out_dir: str, jobs: int, force: bool) -> None:
    """生成合成语料:按项目自带的模板和词表写出巡视巡察整改报告和年度报告,每份附标准答案(gold)。"""
    from ingest.synth.corpus import prepare_dir, write_corpus

    out = Path(out_dir)
    prepare_dir(out, force)
    started = time.perf_counter()
    done = 0

    def progress(n: int) -> None:
        nonlocal done
        done += n
        click.echo(f"\r已生成 {done}/{count} 份", nl=False, err=True)

    summary = write_corpus(out, count, seed, jobs=jobs, progress=progress)
    elapsed = time.perf_counter() - started
    click.echo("", err=True)
    layouts = "、".join(f"{k} {v}" for k, v in summary.layouts.items())
    click.echo(f"已生成 {summary.reports} 份报告到 {out}(平均 {summary.characters // summary.reports} 字),"
               f"用时 {elapsed:.1f} 秒。版式:{layouts}")


def main() -> None:
    """Entry point of the installed `rectigraph` command."""
    cli.main(prog_name="rectigraph")


if __name__ == "__main__":
    main()
