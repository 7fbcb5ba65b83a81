#!/usr/bin/env bash
# prebuildify calls this in place of node-gyp (`--node-gyp`): the addon is a cmake-js project.
# prebuildify's node-gyp arguments (target, arch, devdir) do not apply to an N-API build.
# prebuildify copies only the .node: the HDF5 filter plugins built beside it (`h5dat plugin-path`)
# are copied into the platform's prebuild folder here.
# H5DAT_TARGET=linux-arm64 cross-compiles with cmake/toolchain-linux-arm64.cmake against the
# dependencies in deps/install-linux-arm64 (`npm run build:prebuild:arm64`); H5DAT_TARGET=win32-x64
# likewise with MinGW-w64 (`npm run build:prebuild:win32`), which builds no filter plugins yet.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${H5DAT_TARGET:-native}
if [ "$target" = native ]; then
  npx cmake-js rebuild --CDNAPI_VERSION=8
  platform=$(node -p 'process.platform + "-" + process.arch')
else
  [ -f "cmake/toolchain-$target.cmake" ] || { echo "prebuild-compile: no cmake/toolchain-$target.cmake" >&2; exit 1; }
  npx cmake-js rebuild --CDNAPI_VERSION=8 --CDCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-$target.cmake" \
    --CDH5DAT_DEPS_PREFIX="$PWD/deps/install-$target"
  platform=$target
fi
plugins="prebuilds/$platform/hdf5-plugins"
# (CMakeLists.txt builds no plugins for Windows: plugin_entry.cc finds HDF5 the POSIX way.)
[ "$platform" != win32-x64 ] || exit 0
rm -rf "$plugins" && mkdir -p "$plugins"
# (The plugins are .so on Linux and macOS, .dll on Windows.)
copied=0
for plugin in build/hdf5-plugins/*.so build/hdf5-plugins/*.dll build/hdf5-plugins/*.dylib; do
  [ -e "$plugin" ] || continue
  cp "$plugin" "$plugins/" && copied=$((copied + 1))
done
[ "$copied" -gt 0 ] || { echo "prebuild-compile: no HDF5 filter plugins in build/hdf5-plugins" >&2; exit 1; }
