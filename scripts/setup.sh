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
# Real language artifacts the inventory tests build or read (issue 11): a Go toolchain and
# Go module sources, Debian's Maven jars, Ruby gemspecs, and zip for fat jars.
command -v go >/dev/null || need+=(golang-go)
command -v gcc >/dev/null || need+=(gcc)  # cgo and rustc link with it
[ -d /usr/share/gocode/src/github.com/pkg/errors ] || need+=(golang-github-pkg-errors-dev)
[ -d /usr/share/gocode/src/github.com/google/uuid ] || need+=(golang-github-google-uuid-dev)
command -v zip >/dev/null || need+=(zip)
command -v bsdtar >/dev/null || need+=(libarchive-tools)  # bsdtar writes sparse files as pax GNU sparse members
command -v xz >/dev/null || need+=(xz-utils)  # layers Docker decompresses and the scanner cannot
command -v bzip2 >/dev/null || need+=(bzip2)
command -v unzip >/dev/null || need+=(unzip)
[ -e /usr/share/java/commons-lang3.jar ] || need+=(libcommons-lang3-java)
[ -e /usr/share/java/slf4j-simple.jar ] || need+=(libslf4j-java)
[ -e /usr/share/java/jackson-databind.jar ] || need+=(libjackson2-databind-java)
[ -e /usr/share/maven-repo/org/apache/maven/maven-artifact/3.x ] || need+=(libmaven3-core-java)
command -v java >/dev/null || need+=(default-jre-headless)
command -v rustc >/dev/null || need+=(rustc)
command -v as >/dev/null && command -v objcopy >/dev/null || need+=(binutils)
command -v php >/dev/null || need+=(php-cli)
command -v composer >/dev/null || need+=(composer)
command -v ruby >/dev/null && [ -d /usr/share/rubygems-integration/all/specifications ] && ls /usr/share/rubygems-integration/all/specifications/rack-*.gemspec >/dev/null 2>&1 || need+=(ruby-rack)
[ -x /usr/bin/node ] || need+=(nodejs)  # the CLI test runs the entry on the distribution's older Node
command -v chromium >/dev/null || need+=(chromium)  # the report preview test renders pages at phone width
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)  # so previews show emoji as GitHub does
command -v rpm >/dev/null || need+=(rpm)  # rpm's bdb_ro reader is the truth for the BerkeleyDB fixtures
command -v db5.3_load >/dev/null || need+=(db5.3-util)  # rebuilds them (test/fixtures/inventory/rpm/make)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing tools. Run: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
fi

node_major=$(node_modules/.bin/node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 24 ]; then
  echo "setup: node_modules/.bin/node is Node $node_major; immutag needs Node 24 (npm ci installs it)" >&2
  exit 1
fi
