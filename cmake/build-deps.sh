#!/usr/bin/env bash
# Builds the static, position-independent dependencies the addon links: zlib and HDF5 (C library
# and high-level library). Debian's own .a files are PIE, not PIC, so they cannot go into a .node.
# Usage: build-deps.sh [prefix]   (default: deps/install). Re-running is a no-op once done.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${1:-$root/deps/install}
src=$root/deps/src
work=$root/deps/work
jobs=${JOBS:-$(nproc)}
mkdir -p "$prefix" "$work"
prefix=$(cd "$prefix" && pwd)

bash "$root/cmake/fetch-sources.sh" "$src"

unpack() { # unpack <tarball-glob> <dir>
  local tarball; tarball=$(ls $1 | head -n1)
  rm -rf "$work/$2" && mkdir -p "$work/$2"
  tar -xf "$tarball" -C "$work/$2" --strip-components=1
}

if [ ! -f "$prefix/lib/libz.a" ]; then
  unpack "$src/zlib_*.orig.tar.*" zlib
  (cd "$work/zlib" && CFLAGS="-O2 -fPIC" ./configure --static --prefix="$prefix" >/dev/null \
     && make -j"$jobs" >/dev/null && make install >/dev/null)
fi

if [ ! -f "$prefix/lib/libhdf5.a" ]; then
  unpack "$src/hdf5_*.orig.tar.*" hdf5
  cmake -S "$work/hdf5" -B "$work/hdf5-build" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_TESTING=OFF -DHDF5_BUILD_TOOLS=OFF \
    -DHDF5_BUILD_EXAMPLES=OFF -DHDF5_BUILD_UTILS=OFF -DHDF5_BUILD_HL_LIB=ON \
    -DHDF5_BUILD_FORTRAN=OFF -DHDF5_BUILD_CPP_LIB=OFF -DHDF5_BUILD_JAVA=OFF \
    -DHDF5_ENABLE_Z_LIB_SUPPORT=ON -DHDF5_ENABLE_SZIP_SUPPORT=OFF \
    -DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a" \
    -DZLIB_USE_EXTERNAL=OFF -DHDF5_ALLOW_EXTERNAL_SUPPORT=NO >"$work/hdf5-configure.log"
  cmake --build "$work/hdf5-build" -j"$jobs" >"$work/hdf5-build.log"
  cmake --install "$work/hdf5-build" >/dev/null
fi
echo "deps ready in $prefix"
