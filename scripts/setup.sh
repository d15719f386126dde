#!/usr/bin/env bash
# Installs what immutag's demo, tests and benchmark need on a fresh Debian/Ubuntu
# machine: npm dependencies (including the Node 24 binary from the `node` package)
# and the real registry and image tools the tests drive. Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/node ] || [ ! -x node_modules/.bin/tsc ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi

need=()
command -v docker-registry >/dev/null || [ -x /usr/bin/docker-registry ] || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v umoci >/dev/null || need+=(umoci)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v openssl >/dev/null || need+=(openssl)
command -v zstd >/dev/null || need+=(zstd)  # multi-frame zstd layers in the scan tests
[ -x /usr/bin/time ] || need+=(time)  # the benchmark reads peak RSS from GNU time
command -v rpm >/dev/null || need+=(rpm)  # rpm's bdb_ro reader is the truth for the BerkeleyDB fixtures
command -v db5.3_load >/dev/null || need+=(db5.3-util)  # rebuilds them (test/fixtures/inventory/rpm/make)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing tools. Run: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

node_major=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 24 ]; then
  echo "setup: node_modules/.bin/node is Node $node_major; immutag needs Node 24 (npm ci installs it)" >&2
  exit 1
fi
