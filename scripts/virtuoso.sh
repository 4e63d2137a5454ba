#!/usr/bin/env bash
# Run a private Virtuoso Open Source instance for rectigraph's tests and for developers:
# its own database folder, both ports bound to 127.0.0.1, the dba password changed.
#   bash scripts/virtuoso.sh start|stop|status|env
# Settings (environment): VIRTUOSO_DIR (default .virtuoso), VIRTUOSO_HTTP_PORT (18890),
# VIRTUOSO_SQL_PORT (11111), RECTIGRAPH_PASSWORD (default rectigraph-test).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${VIRTUOSO_DIR:-$PWD/.virtuoso}
HTTP_PORT=${VIRTUOSO_HTTP_PORT:-18890}
SQL_PORT=${VIRTUOSO_SQL_PORT:-11111}
PASSWORD=${RECTIGRAPH_PASSWORD:-rectigraph-test}
INI=/etc/virtuoso-opensource-7/virtuoso.ini

install() {
  command -v virtuoso-t >/dev/null && return
  if [ "$(id -u)" != 0 ]; then echo "需要 Debian 软件包 virtuoso-opensource(请以 root 安装)" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
}

configure() {
  mkdir -p "$DIR"
  python3 - "$INI" "$DIR" "$HTTP_PORT" "$SQL_PORT" <<'PY'
import re, sys
ini, folder, http, sql = sys.argv[1:]
s = open(ini, encoding="utf-8").read()
s = s.replace("/var/lib/virtuoso-opensource-7/db/", folder + "/")
s = re.sub(r"(\[Parameters\][^\[]*?ServerPort\s*=\s*)\S+", r"\g<1>127.0.0.1:" + sql, s, flags=re.S)
s = re.sub(r"(\[HTTPServer\][^\[]*?ServerPort\s*=\s*)\S+", r"\g<1>127.0.0.1:" + http, s, flags=re.S)
s = re.sub(r"ResultSetMaxRows\s*=\s*\d+", "ResultSetMaxRows = 1000000", s)
s = re.sub(r"MaxQueryExecutionTime\s*=\s*\d+", "MaxQueryExecutionTime = 60", s)
s = re.sub(r"DefaultHost\s*=\s*\S+", "DefaultHost = 127.0.0.1:" + http, s)
open(folder + "/virtuoso.ini", "w", encoding="utf-8").write(s)
PY
}

running() { [ -f "$DIR/virtuoso.lck" ] && curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/sparql?query=ASK%7B%7D"; }

case "${1:-}" in
  start)
    install
    if running; then echo "Virtuoso 已在运行: http://127.0.0.1:$HTTP_PORT/sparql"; exit 0; fi
    fresh=0; [ -f "$DIR/virtuoso.db" ] || fresh=1
    configure
    (cd "$DIR" && virtuoso-t +configfile "$DIR/virtuoso.ini" +wait)
    for _ in $(seq 1 60); do running && break; sleep 0.5; done
    if [ "$fresh" = 1 ]; then
      isql-vt "127.0.0.1:$SQL_PORT" dba dba exec="SET PASSWORD \"dba\" \"$PASSWORD\";" >/dev/null
    fi
    echo "Virtuoso 已启动: http://127.0.0.1:$HTTP_PORT/sparql"
    ;;
  stop)
    if [ -f "$DIR/virtuoso.lck" ]; then
      # a clean shutdown first; a server busy with a long query may not answer, so it is killed after 20 s
      timeout 20 isql-vt "127.0.0.1:$SQL_PORT" dba "$PASSWORD" exec="shutdown;" >/dev/null 2>&1 || true
      for _ in $(seq 1 20); do [ -f "$DIR/virtuoso.lck" ] || break; sleep 0.5; done
      if [ -f "$DIR/virtuoso.lck" ]; then
        pkill -9 -f "virtuoso-t +configfile $DIR/virtuoso.ini" || true
        rm -f "$DIR/virtuoso.lck"
      fi
    fi
    echo "Virtuoso 已停止"
    ;;
  status)
    if running; then echo "running http://127.0.0.1:$HTTP_PORT/sparql"; else echo "stopped"; exit 1; fi
    ;;
  env)
    echo "export RECTIGRAPH_VIRTUOSO=http://127.0.0.1:$HTTP_PORT/sparql"
    echo "export RECTIGRAPH_UPDATE_ENDPOINT=http://127.0.0.1:$HTTP_PORT/sparql-auth"
    echo "export RECTIGRAPH_GRAPH_STORE=http://127.0.0.1:$HTTP_PORT/sparql-graph-crud-auth"
    echo "export RECTIGRAPH_USER=dba"
    echo "export RECTIGRAPH_PASSWORD=$PASSWORD"
    ;;
  *) echo "用法: bash scripts/virtuoso.sh start|stop|status|env" >&2; exit 2 ;;
esac
