#!/usr/bin/env bash
# Set up everything the test suite needs on a fresh Debian machine, then run it.
# Used as-is by the README and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium fonts-wqy-microhei virtuoso-opensource)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "缺少 Debian 软件包 ${missing[*]}(需要 root 安装);依赖它们的测试将被跳过" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e '.[test]'

# A private Virtuoso on 127.0.0.1 so the store, CLI, web and SPARQL tests also run against a
# SPARQL server; stopped again when the tests end.
if command -v virtuoso-t >/dev/null 2>&1; then
  export VIRTUOSO_DIR=${VIRTUOSO_DIR:-$(mktemp -d)/virtuoso}
  if bash scripts/virtuoso.sh start; then
    trap 'bash scripts/virtuoso.sh stop >/dev/null 2>&1 || true' EXIT
    eval "$(bash scripts/virtuoso.sh env)"
  fi
fi
.venv/bin/python -m pytest -q "$@"
