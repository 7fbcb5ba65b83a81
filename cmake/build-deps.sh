#!/usr/bin/env bash
# Builds the static, position-independent dependencies the addon links: zlib, libdeflate, xz,
# bzip2, zstd, libjpeg-turbo, libarchive, HDF5 (C library and high-level library), and the HDF5
# filter codecs lz4, c-blosc and bitshuffle. Debian's
# own .a files are PIE, not PIC, so they cannot go into a .node.
# Usage: [H5DAT_TARGET=<platform>] build-deps.sh [prefix]   Re-running is a no-op once done.
#   H5DAT_TARGET unset or native: this machine's platform, into deps/install.
#   H5DAT_TARGET=linux-arm64: cross-built with Debian's g++-aarch64-linux-gnu
#     (cmake/toolchain-linux-arm64.cmake; HDF5's configure checks run under qemu-aarch64),
#     into deps/install-linux-arm64.
#   H5DAT_TARGET=win32-x64: cross-built with Debian's MinGW-w64 (cmake/toolchain-win32-x64.cmake;
#     HDF5's configure checks run under wine64), into deps/install-win32-x64.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${H5DAT_TARGET:-native}
src=$root/deps/src
jobs=${JOBS:-$(nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)}
# What a cross build adds to each kind of build: CMake a toolchain file, zlib's configure its
# CHOST, plain Makefiles the compiler and archiver; empty for a native build. (Expanded as
# ${a[@]+"${a[@]}"}: macOS's bash 3.2 calls an empty array unbound under set -u.)
cmake_cross=() zlib_cross=() make_cross=() blosc_cross=() cc=cc ar=ar
case "$target" in
  native)
    prefix=${1:-$root/deps/install}
    work=$root/deps/work ;;
  linux-arm64)
    triple=aarch64-linux-gnu
    for tool in "$triple-gcc" "$triple-g++" qemu-aarch64; do
      command -v "$tool" >/dev/null || { echo "build-deps: $target needs $tool (apt-get install g++-aarch64-linux-gnu qemu-user libc6-arm64-cross)" >&2; exit 1; }
    done
    [ -d "/usr/$triple/lib" ] || { echo "build-deps: $target needs libc6-arm64-cross (/usr/$triple)" >&2; exit 1; }
    prefix=${1:-$root/deps/install-$target}
    work=$root/deps/work-$target
    cmake_cross=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$target.cmake")
    zlib_cross=(CHOST="$triple")
    make_cross=(CC="$triple-gcc" AR="$triple-ar" RANLIB="$triple-ranlib")
    cc=$triple-gcc ar=$triple-ar deb_arch=arm64 ;;
  win32-x64)
    triple=x86_64-w64-mingw32
    for tool in "$triple-gcc-posix" "$triple-g++-posix" nasm; do
      command -v "$tool" >/dev/null || { echo "build-deps: $target needs $tool (apt-get install g++-mingw-w64-x86-64 wine64 nasm)" >&2; exit 1; }
    done
    prefix=${1:-$root/deps/install-$target}
    work=$root/deps/work-$target
    cmake_cross=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$target.cmake")
    # (zlib's configure takes MinGW from CHOST but not the -posix compiler name.)
    zlib_cross=(CHOST="$triple" CC="$triple-gcc-posix" AR="$triple-ar" RANLIB="$triple-ranlib")
    make_cross=(CC="$triple-gcc-posix" AR="$triple-ar" RANLIB="$triple-ranlib")
    cc=$triple-gcc-posix ar=$triple-ar
    # c-blosc compiles its own pthread emulation into blosc.c on Windows; under the same names it
    # collides with MinGW's winpthread, which std::thread links in: blosc's get its own names.
    blosc_cross=("-DCMAKE_C_FLAGS=$(printf -- '-Dpthread_%s=blosc_pthread_%s ' create create cond_init cond_init \
      cond_destroy cond_destroy cond_wait cond_wait cond_signal cond_signal cond_broadcast cond_broadcast)") ;;
  *) echo "build-deps: unknown H5DAT_TARGET '$target' (native, linux-arm64 or win32-x64)" >&2; exit 1 ;;
esac
mkdir -p "$prefix" "$work"
prefix=$(cd "$prefix" && pwd)
# A cross toolchain file searches the target's root and this prefix only (not the host's /usr/lib).
if [ "$target" != native ]; then export H5DAT_DEPS_PREFIX=$prefix; fi

bash "$root/cmake/fetch-sources.sh" "$src"

unpack() { # unpack <tarball-glob> <dir>
  local tarball; tarball=$(ls $1 | head -n1)
  rm -rf "$work/$2" && mkdir -p "$work/$2"
  tar -xf "$tarball" -C "$work/$2" --strip-components=1
}

if [ ! -f "$prefix/lib/libz.a" ]; then
  unpack "$src/zlib_*.orig.tar.*" zlib
  # -O3 and unaligned loads: as fast as the system zlib h5py uses (-O2 was 10% slower on P1).
  (cd "$work/zlib" && env ${zlib_cross[@]+"${zlib_cross[@]}"} CFLAGS="-O3 -fPIC -DUNALIGNED_OK" ./configure --static --prefix="$prefix" >/dev/null \
     && make -j"$jobs" >/dev/null && make install >/dev/null)
fi

# libdeflate: the deflate h5dat runs itself on chunks it filters outside the HDF5 lock. It
# writes standard zlib streams (any HDF5 reads them) about twice as fast as zlib at one level.
if [ ! -f "$prefix/lib/libdeflate.a" ]; then
  unpack "$src/libdeflate_*.orig.tar.*" libdeflate
  cmake -S "$work/libdeflate" -B "$work/libdeflate-build" ${cmake_cross[@]+"${cmake_cross[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DLIBDEFLATE_BUILD_SHARED_LIB=OFF -DLIBDEFLATE_BUILD_STATIC_LIB=ON -DLIBDEFLATE_BUILD_GZIP=OFF \
    -DLIBDEFLATE_BUILD_TESTS=OFF >"$work/libdeflate-configure.log"
  cmake --build "$work/libdeflate-build" -j"$jobs" >"$work/libdeflate-build.log"
  cmake --install "$work/libdeflate-build" >/dev/null
fi

# libjpeg-turbo (TurboJPEG API): the workers decode ordinary 8-bit colour JPEGs with it directly,
# ≈ 3× faster than through sharp (whose libvips decodes with the same library, to the same
# pixels). Its SIMD code needs nasm (apt-get install nasm); without SIMD it would be slower than
# sharp, so the build requires it.
if [ ! -f "$prefix/lib/libturbojpeg.a" ]; then
  # (arm64's SIMD is NEON, compiled by gcc itself.)
  [ "$target" = linux-arm64 ] || command -v nasm >/dev/null || { echo "build-deps: libjpeg-turbo needs nasm (apt-get install nasm)" >&2; exit 1; }
  unpack "$src/libjpeg-turbo_*.orig.tar.*" libjpeg-turbo
  # (Given a relative CMAKE_INSTALL_LIBDIR, its CMake files install outside the prefix.)
  cmake -S "$work/libjpeg-turbo" -B "$work/libjpeg-turbo-build" ${cmake_cross[@]+"${cmake_cross[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR="$prefix/lib" -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DENABLE_SHARED=OFF -DENABLE_STATIC=ON -DWITH_TURBOJPEG=ON -DWITH_JAVA=OFF -DREQUIRE_SIMD=ON \
    >"$work/libjpeg-turbo-configure.log"
  cmake --build "$work/libjpeg-turbo-build" -j"$jobs" >"$work/libjpeg-turbo-build.log"
  cmake --install "$work/libjpeg-turbo-build" >/dev/null
fi

# xz (liblzma): for .xz / .tar.xz archives in libarchive.
if [ ! -f "$prefix/lib/liblzma.a" ]; then
  unpack "$src/xz-utils_*.orig.tar.*" xz
  cmake -S "$work/xz" -B "$work/xz-build" ${cmake_cross[@]+"${cmake_cross[@]}"} -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_SHARED_LIBS=OFF \
    -DXZ_TOOL_XZ=OFF -DXZ_TOOL_XZDEC=OFF -DXZ_TOOL_LZMADEC=OFF -DXZ_TOOL_LZMAINFO=OFF \
    -DXZ_TOOL_SCRIPTS=OFF -DXZ_DOC=OFF -DXZ_NLS=OFF -DBUILD_TESTING=OFF >"$work/xz-configure.log"
  cmake --build "$work/xz-build" -j"$jobs" >"$work/xz-build.log"
  cmake --install "$work/xz-build" >/dev/null
fi

# bzip2 (libbz2): for .bz2 / .tar.bz2 archives in libarchive. Its Makefile has no -fPIC.
if [ ! -f "$prefix/lib/libbz2.a" ]; then
  unpack "$src/bzip2_*.orig.tar.*" bzip2
  (cd "$work/bzip2" && make -j"$jobs" ${make_cross[@]+"${make_cross[@]}"} libbz2.a CFLAGS="-O2 -fPIC -D_FILE_OFFSET_BITS=64" >/dev/null \
     && cp libbz2.a "$prefix/lib/" && cp bzlib.h "$prefix/include/")
fi

# zstd (libzstd): for .zst / .tar.zst archives and zip entries compressed with zstd.
if [ ! -f "$prefix/lib/libzstd.a" ]; then
  unpack "$src/libzstd_*.orig.tar.*" zstd
  (cd "$work/zstd/lib" && make -j"$jobs" ${make_cross[@]+"${make_cross[@]}"} libzstd.a CFLAGS="-O2 -fPIC" ZSTD_LEGACY_SUPPORT=0 >/dev/null \
     && cp libzstd.a "$prefix/lib/" && cp zstd.h zstd_errors.h zdict.h "$prefix/include/")
fi

# libarchive: streaming reads of zip, tar (plain, gzip, bzip2, xz, zstd), gz and the rest, linked
# against the static codecs above; no crypto, XML or ACL support (reading data needs none).
# (Rebuilt when a codec is newer: an older libarchive.a was built without it.)
if [ ! -f "$prefix/lib/libarchive.a" ] || [ "$prefix/lib/libbz2.a" -nt "$prefix/lib/libarchive.a" ] \
   || [ "$prefix/lib/libzstd.a" -nt "$prefix/lib/libarchive.a" ]; then
  unpack "$src/libarchive_*.orig.tar.*" libarchive
  cmake -S "$work/libarchive" -B "$work/libarchive-build" ${cmake_cross[@]+"${cmake_cross[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_SHARED_LIBS=OFF -DENABLE_TEST=OFF -DENABLE_TAR=OFF -DENABLE_CPIO=OFF -DENABLE_CAT=OFF \
    -DENABLE_UNZIP=OFF -DENABLE_OPENSSL=OFF -DENABLE_MBEDTLS=OFF -DENABLE_NETTLE=OFF \
    -DENABLE_LIBXML2=OFF -DENABLE_EXPAT=OFF -DENABLE_ACL=OFF -DENABLE_XATTR=OFF -DENABLE_LIBB2=OFF \
    -DENABLE_ICONV=OFF -DENABLE_LZ4=OFF -DENABLE_LZO=OFF \
    -DENABLE_BZip2=ON -DBZIP2_INCLUDE_DIR="$prefix/include" -DBZIP2_LIBRARIES="$prefix/lib/libbz2.a" \
    -DBZIP2_LIBRARY_RELEASE="$prefix/lib/libbz2.a" \
    -DENABLE_ZSTD=ON -DZSTD_INCLUDE_DIR="$prefix/include" -DZSTD_LIBRARY="$prefix/lib/libzstd.a" \
    -DENABLE_LZMA=ON -DLIBLZMA_INCLUDE_DIR="$prefix/include" -DLIBLZMA_LIBRARY="$prefix/lib/liblzma.a" \
    -DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_LIBRARY_SUFFIXES=.a >"$work/libarchive-configure.log"
  cmake --build "$work/libarchive-build" -j"$jobs" >"$work/libarchive-build.log"
  cmake --install "$work/libarchive-build" >/dev/null
fi

# libaec (libsz.a + libaec.a): SZIP for HDF5, so SZIP-compressed files (NASA, PyTables) read as in
# h5py. The mirror carries no libaec source package (404 for trixie, bookworm and sid alike), so
# the static libraries come from Debian's binary libaec-dev: they link into a shared object with no
# text relocations (checked with readelf -d), unlike most of Debian's .a files.
# Where apt is not (H5DAT_SOURCES=upstream), fetch-sources.sh brings libaec's own release tarball
# (the same version) and it is built here instead.
# Debian has no Windows libaec-dev: a win32 cross build takes libaec's tarball from $src or $work
# (docs/platforms.md says how it was made).
aec_tarball=$(ls "$src"/libaec_*.orig.tar.* "$work"/libaec_*.orig.tar.* 2>/dev/null | head -n1 || true)
if [ ! -f "$prefix/lib/libsz.a" ] && [ -n "$aec_tarball" ]; then
  unpack "$aec_tarball" libaec-src
  cmake -S "$work/libaec-src" -B "$work/libaec-build" ${cmake_cross[@]+"${cmake_cross[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$work/libaec-install" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTING=OFF >"$work/libaec-configure.log"
  cmake --build "$work/libaec-build" -j"$jobs" >"$work/libaec-build.log"
  cmake --install "$work/libaec-build" >/dev/null
  # Its static archives are named libaec.a/libsz.a or, next to shared builds, *-static.a / *_static.a.
  for lib in aec sz; do
    built=$(ls "$work"/libaec-install/lib/lib"$lib".a "$work"/libaec-install/lib/lib"$lib"[-_]static.a 2>/dev/null | head -n1 || true)
    [ -n "$built" ] || { echo "build-deps: libaec built no static lib$lib (see $work/libaec-build.log)" >&2; exit 1; }
    cp "$built" "$prefix/lib/lib$lib.a"
  done
  cp "$work"/libaec-install/include/libaec.h "$work"/libaec-install/include/szlib.h "$prefix/include/"
fi
if [ ! -f "$prefix/lib/libsz.a" ]; then
  rm -rf "$work/libaec" && mkdir -p "$work/libaec"
  if [ "$target" = native ]; then
    (cd "$work/libaec" && apt-get download -qq libaec-dev >/dev/null 2>&1 || apt-get -o APT::Sandbox::User=root download -qq libaec-dev)
  else
    # The target's libaec-dev, from this machine's own apt sources read for that architecture
    # into a private package list (the system's apt configuration is left alone).
    aec_apt=(-o APT::Architecture="$deb_arch" -o APT::Architectures="$deb_arch"
             -o Dir::State::Lists="$work/libaec/lists" -o Dir::Cache="$work/libaec/cache"
             -o Dir::State::Status=/dev/null -o APT::Sandbox::User=root)
    mkdir -p "$work/libaec/lists/partial" "$work/libaec/cache/archives/partial"
    apt-get "${aec_apt[@]}" update -qq
    (cd "$work/libaec" && apt-get "${aec_apt[@]}" download -qq "libaec-dev:$deb_arch")
  fi
  dpkg-deb -x "$work"/libaec/libaec-dev_*.deb "$work/libaec/root"
  cp "$work"/libaec/root/usr/lib/*/libaec.a "$work"/libaec/root/usr/lib/*/libsz.a "$prefix/lib/"
  cp "$work"/libaec/root/usr/include/libaec.h "$work"/libaec/root/usr/include/szlib.h "$prefix/include/"
fi
# HDF5's legacy find_package(SZIP) takes a config file, and its pkg-config step wants targets:
# this one makes the two static libraries imported targets.
mkdir -p "$prefix/lib/cmake/szip"
cat > "$prefix/lib/cmake/szip/szip-config.cmake" <<SZIP
if(NOT TARGET aec-static)
  add_library(aec-static STATIC IMPORTED)
  set_target_properties(aec-static PROPERTIES IMPORTED_LOCATION "$prefix/lib/libaec.a" OUTPUT_NAME aec)
  add_library(szip-static STATIC IMPORTED)
  set_target_properties(szip-static PROPERTIES IMPORTED_LOCATION "$prefix/lib/libsz.a" OUTPUT_NAME sz
    INTERFACE_LINK_LIBRARIES aec-static)
endif()
set(SZIP_FOUND TRUE)
set(SZIP_INCLUDE_DIR "$prefix/include")
set(SZIP_LIBRARIES szip-static)
SZIP

# HDF5 with h5dat's patches (cmake/patches/hdf5-*.patch: checks for corrupt files that the
# release lacks, each described at the top of its patch); rebuilt when a patch is newer.
hdf5_patches=("$root"/cmake/patches/hdf5-*.patch)
if [ ! -f "$prefix/lib/libhdf5.a" ] || [ -n "$(find "${hdf5_patches[@]}" "$prefix/lib/libsz.a" -newer "$prefix/lib/libhdf5.a")" ]; then
  unpack "$src/hdf5_*.orig.tar.*" hdf5
  for hdf5_patch in "${hdf5_patches[@]}"; do patch -s -d "$work/hdf5" -p1 < "$hdf5_patch"; done
  cmake -S "$work/hdf5" -B "$work/hdf5-build" ${cmake_cross[@]+"${cmake_cross[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DBUILD_TESTING=OFF -DHDF5_BUILD_TOOLS=OFF \
    -DHDF5_BUILD_EXAMPLES=OFF -DHDF5_BUILD_UTILS=OFF -DHDF5_BUILD_HL_LIB=ON \
    -DHDF5_BUILD_FORTRAN=OFF -DHDF5_BUILD_CPP_LIB=OFF -DHDF5_BUILD_JAVA=OFF \
    -DHDF5_ENABLE_Z_LIB_SUPPORT=ON -DHDF5_ENABLE_SZIP_SUPPORT=ON -DHDF5_ENABLE_SZIP_ENCODING=ON \
    -DSZIP_USE_EXTERNAL=OFF -DSZIP_DIR="$prefix/lib/cmake/szip" \
    -DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a" \
    -DZLIB_USE_EXTERNAL=OFF -DHDF5_ALLOW_EXTERNAL_SUPPORT=NO >"$work/hdf5-configure.log"
  cmake --build "$work/hdf5-build" -j"$jobs" >"$work/hdf5-build.log"
  cmake --install "$work/hdf5-build" >/dev/null
fi
# The HDF5 filter codecs beyond gzip (binding/filters): LZ4 (filter 32004, and inside Blosc and
# Bitshuffle), Blosc 1 (32001) over our static lz4/zstd/zlib, and Bitshuffle's core transform
# (32008; its own block format is in binding/filters, bounded against corrupt chunks).
if [ ! -f "$prefix/lib/liblz4.a" ]; then
  unpack "$src/lz4_*.orig.tar.*" lz4
  (cd "$work/lz4/lib" && make -j"$jobs" ${make_cross[@]+"${make_cross[@]}"} liblz4.a CFLAGS="-O3 -fPIC" >/dev/null \
     && cp liblz4.a "$prefix/lib/" && cp lz4.h lz4hc.h "$prefix/include/")
fi

# Debian's c-blosc source (+ds) has no bundled codecs: it builds over the ones above. AVX2 and
# SSE2 shuffles are picked at run time by Blosc itself.
if [ ! -f "$prefix/lib/libblosc.a" ]; then
  unpack "$src/c-blosc_*.orig.tar.*" c-blosc
  ZLIB_ROOT="$prefix" cmake -S "$work/c-blosc" -B "$work/c-blosc-build" ${cmake_cross[@]+"${cmake_cross[@]}"} ${blosc_cross[@]+"${blosc_cross[@]}"} -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_POSITION_INDEPENDENT_CODE=ON \
    -DBUILD_SHARED=OFF -DBUILD_STATIC=ON -DBUILD_TESTS=OFF -DBUILD_FUZZERS=OFF -DBUILD_BENCHMARKS=OFF \
    -DDEACTIVATE_SNAPPY=ON -DPREFER_EXTERNAL_LZ4=ON -DPREFER_EXTERNAL_ZSTD=ON -DPREFER_EXTERNAL_ZLIB=ON \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_LIBRARY_SUFFIXES=.a -DZLIB_ROOT="$prefix" \
    -DLZ4_INCLUDE_DIR="$prefix/include" -DLZ4_LIBRARY="$prefix/lib/liblz4.a" \
    -DZSTD_INCLUDE_DIR="$prefix/include" -DZSTD_LIBRARY="$prefix/lib/libzstd.a" >"$work/c-blosc-configure.log"
  cmake --build "$work/c-blosc-build" -j"$jobs" >"$work/c-blosc-build.log"
  cmake --install "$work/c-blosc-build" >/dev/null
fi

# Bitshuffle: only its transform (bitshuffle_core.c, iochain.c), SSE2 (every x86-64 has it; NEON
# on arm64).
if [ ! -f "$prefix/lib/libbitshuffle.a" ]; then
  unpack "$src/bitshuffle_*.orig.tar.*" bitshuffle
  (cd "$work/bitshuffle/src" \
     && for c in bitshuffle_core iochain; do
          "$cc" -O3 -fPIC -std=c99 -DBSHUF_VERSION_MAJOR=0 -DBSHUF_VERSION_MINOR=5 -DBSHUF_VERSION_POINT=2 -c "$c.c" -o "$c.o"
        done \
     && "$ar" rcs "$prefix/lib/libbitshuffle.a" bitshuffle_core.o iochain.o \
     && cp bitshuffle_core.h "$prefix/include/")
fi

echo "deps ready in $prefix"
