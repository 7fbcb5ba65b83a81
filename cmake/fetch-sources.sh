#!/usr/bin/env bash
# Downloads the sources of the static dependencies (HDF5, zlib, libdeflate, libarchive, xz, bzip2,
# zstd, libjpeg-turbo, lz4, c-blosc, bitshuffle; libaec too from upstream) into <dest-dir> as
# <package>_<version>.orig.tar.*, the names cmake/build-deps.sh unpacks. Two places they come from:
#   debian    Debian's source packages (.orig tarballs only). The mirror is read from this
#             machine's own apt configuration, so no host name lives in the repository.
#   upstream  each project's own release tarball, pinned below by URL and SHA-256 to the same
#             version as the Debian source, for machines without apt (macOS, Windows, other distros).
# H5DAT_SOURCES=debian|upstream picks one; unset, Debian is tried where apt-get exists and upstream
# is used otherwise or when Debian's sources cannot be had.
# Usage: fetch-sources.sh <dest-dir>     fetch-sources.sh --print-upstream (the table, no network)
set -euo pipefail

# name|version|sha256|url: the upstream tarball of each dependency the build uses. Debian's repacks
# (+repack, +ds, +dfsg) drop files, so their .orig hashes are not upstream's.
#   [deb]  hash computed here from Debian's .orig in deps/src, which is the upstream file unchanged
#          (libarchive and xz ship upstream's signature beside it; the GitHub tag archives of
#          libdeflate, libjpeg-turbo, lz4 and bitshuffle are what Debian's watch files fetch).
#   [pub]  Debian repacked it, or has no source package here (libaec): the hash published for that
#          exact URL by other packagers (Homebrew, Spack, Conan Center, protobuf's Bazel deps), not
#          recomputed here: this machine cannot reach upstream hosts. A wrong pin fails loudly.
upstream=(
  "hdf5|1.14.5|ec2e13c52e60f9a01491bb3158cb3778c985697131fc6a342262d32a26e58e44|https://github.com/HDFGroup/hdf5/releases/download/hdf5_1.14.5/hdf5-1.14.5.tar.gz" # [pub] Homebrew, Spack
  "zlib|1.3.1|9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23|https://github.com/madler/zlib/releases/download/v1.3.1/zlib-1.3.1.tar.gz" # [pub] protobuf, TensorFlow
  "libdeflate|1.23|1ab18349b9fb0ce8a0ca4116bded725be7dcbfa709e19f6f983d99df1fb8b25f|https://github.com/ebiggers/libdeflate/archive/refs/tags/v1.23.tar.gz" # [deb] = Homebrew's
  "libarchive|3.7.4|f887755c434a736a609cbd28d87ddbfbe9d6a3bb5b703c22c02f6af80a802735|https://github.com/libarchive/libarchive/releases/download/v3.7.4/libarchive-3.7.4.tar.xz" # [deb]
  "xz-utils|5.8.1|0b54f79df85912504de0b14aec7971e3f964491af1812d83447005807513cd9e|https://github.com/tukaani-project/xz/releases/download/v5.8.1/xz-5.8.1.tar.xz" # [deb]
  "bzip2|1.0.8|ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269|https://sourceware.org/pub/bzip2/bzip2-1.0.8.tar.gz" # [deb]
  "libzstd|1.5.7|eb33e51f49a15e023950cd7825ca74a4a2b43db8354825ac24fc1b7ee09e6fa3|https://github.com/facebook/zstd/releases/download/v1.5.7/zstd-1.5.7.tar.gz" # [pub] LLVM's Bazel deps
  "libjpeg-turbo|2.1.5|254f3642b04e309fee775123133c6464181addc150499561020312ec61c1bf7c|https://github.com/libjpeg-turbo/libjpeg-turbo/archive/refs/tags/2.1.5.tar.gz" # [deb] = Spack's
  "lz4|1.10.0|537512904744b35e232912055ccf8ec66d768639ff3abe5788d90d792ec5f48b|https://github.com/lz4/lz4/archive/refs/tags/v1.10.0.tar.gz" # [deb] = Conan's
  "c-blosc|1.21.5|32e61961bbf81ffea6ff30e9d70fca36c86178afd3e3cfa13376adec8c687509|https://github.com/Blosc/c-blosc/archive/v1.21.5.tar.gz" # [pub] Spack
  "bitshuffle|0.5.2|b6d9369cab661c1253892e4755021fe6c3a29eee93a1764f0bb161015c4b7649|https://github.com/kiyo-masui/bitshuffle/archive/refs/tags/0.5.2.tar.gz" # [deb]
  "libaec|1.0.6|032961877231113bb094ef224085e6d66fd670f85a3e17f53d0f131abf24f2fd|https://github.com/Deutsches-Klimarechenzentrum/libaec/releases/download/v1.0.6/libaec-1.0.6.tar.gz" # [pub] Conan Center
)
# Debian's names for the same sources (libaec comes from Debian's binary libaec-dev instead: the
# mirror carries no source package of it; c-blosc2 is fetched but not built yet).
debian_packages=(hdf5 zlib libdeflate libarchive xz-utils bzip2 libzstd libjpeg-turbo lz4 c-blosc c-blosc2 bitshuffle)

if [ "${1:-}" = --print-upstream ]; then
  for entry in "${upstream[@]}"; do echo "${entry//|/ }"; done
  exit 0
fi
dest=${1:?usage: fetch-sources.sh <dest-dir> | --print-upstream}
mode=${H5DAT_SOURCES:-auto}
case "$mode" in auto|debian|upstream) ;; *) echo "fetch-sources: H5DAT_SOURCES must be debian or upstream, not '$mode'" >&2; exit 1 ;; esac
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

# What building the addon from source takes, said all at once instead of failing an hour in.
check_tools() {
  local missing=() cxx=""
  command -v cmake >/dev/null || missing+=("cmake (3.16 or newer)")
  command -v make >/dev/null || missing+=("make")
  for candidate in "${CXX:-}" c++ g++ clang++; do
    if [ -n "$candidate" ] && command -v "$candidate" >/dev/null; then cxx=$candidate; break; fi
  done
  if [ -z "$cxx" ]; then
    missing+=("a C++17 compiler (g++ 8+, clang++ 7+ or Xcode's command line tools)")
  elif ! printf '#include <optional>\nint main() { std::optional<int> v; return v ? 1 : 0; }\n' \
        | "$cxx" -std=c++17 -x c++ - -o /dev/null >/dev/null 2>&1; then
    missing+=("a C++17 compiler ($cxx does not compile C++17)")
  fi
  # libjpeg-turbo's x86-64 SIMD is assembled by nasm; arm64's NEON code needs only the compiler.
  if [ "${H5DAT_TARGET:-native}" = native ]; then
    case "$(uname -m)" in x86_64|amd64|i?86) command -v nasm >/dev/null || missing+=("nasm") ;; esac
  fi
  if [ "$1" = upstream ]; then
    command -v curl >/dev/null || command -v wget >/dev/null || missing+=("curl or wget")
    command -v sha256sum >/dev/null || command -v shasum >/dev/null || missing+=("sha256sum or shasum")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    local list="" item
    for item in "${missing[@]}"; do list+="${list:+; }$item"; done
    echo "fetch-sources: building h5dat's native addon from source needs: $list." >&2
    echo "  Debian/Ubuntu: apt-get install cmake make g++ nasm curl    macOS: xcode-select --install && brew install cmake nasm" >&2
    echo "  Windows: MSYS2 (pacman -S make mingw-w64-x86_64-{cmake,gcc,nasm}) or use a published prebuild." >&2
    exit 1
  fi
}

sha256_of() {
  if command -v sha256sum >/dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

fetch_upstream() {
  local entry name version sha url ext file tmp actual fetched
  for entry in "${upstream[@]}"; do
    IFS='|' read -r name version sha url <<<"$entry"
    case "$url" in *.tar.xz) ext=tar.xz ;; *) ext=tar.gz ;; esac
    file="$dest/${name}_${version}.orig.$ext"
    [ -f "$file" ] && [ "$(sha256_of "$file")" = "$sha" ] && continue
    tmp="$file.part"
    echo "fetch-sources: $name $version from $url"
    if command -v curl >/dev/null; then fetched=(curl -fsSL --retry 3 -o "$tmp" "$url"); else fetched=(wget -q -O "$tmp" "$url"); fi
    "${fetched[@]}" || { rm -f "$tmp"; echo "fetch-sources: could not download $url (offline? behind a proxy?)" >&2; exit 1; }
    actual=$(sha256_of "$tmp")
    if [ "$actual" != "$sha" ]; then
      rm -f "$tmp"
      echo "fetch-sources: $url has SHA-256 $actual, expected $sha (pinned in cmake/fetch-sources.sh); not used." >&2
      exit 1
    fi
    mv "$tmp" "$file"
  done
}

have_all_debian() {
  for pkg in "${debian_packages[@]}"; do ls "$dest/${pkg}"_*.orig.tar.* >/dev/null 2>&1 || return 1; done
}

# The Debian way, unchanged; returns non-zero (instead of exiting) so that auto mode can fall back.
fetch_debian() {
  command -v apt-get >/dev/null || { echo "fetch-sources: no apt-get here" >&2; return 1; }
  local uri
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$uri" ]; then
    uri=$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [ -n "$uri" ] || { echo "fetch-sources: no Debian mirror found in the apt configuration" >&2; return 1; }
  local suite=${H5DAT_DEB_SUITE:-trixie} apt_dir
  apt_dir=$(mktemp -d)
  mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial"
  cat > "$apt_dir/parts/src.sources" <<SRC
Types: deb-src
URIs: $uri
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  local apt_opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt_dir/parts"
                  -o Dir::State::Lists="$apt_dir/lists" -o APT::Sandbox::User=root)
  apt-get "${apt_opts[@]}" update -qq || { rm -rf "$apt_dir"; return 1; }
  local pkg version
  for pkg in "${debian_packages[@]}"; do
    # Ask for the suite's version by name: without it apt looks for the version of the binary
    # package installed here (bzip2 1.0.8-5) and finds no such source.
    version=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2; exit}')
    # Only the .orig tarball matters; a missing .dsc or .debian part is not an error here.
    (cd "$dest" && apt-get "${apt_opts[@]}" source --download-only -qq "$pkg${version:+=$version}" 2>/dev/null) || true
  done
  rm -rf "$apt_dir"
  have_all_debian || { echo "fetch-sources: could not download all of ${debian_packages[*]} from Debian" >&2; return 1; }
}

case "$mode" in
  upstream)
    check_tools upstream
    fetch_upstream ;;
  debian)
    check_tools debian
    have_all_debian || fetch_debian || exit 1 ;;
  auto)
    if have_all_debian; then check_tools debian; exit 0; fi
    if command -v apt-get >/dev/null; then
      check_tools debian
      fetch_debian && exit 0
      echo "fetch-sources: Debian's sources are not available here; using the pinned upstream tarballs instead." >&2
    else
      echo "fetch-sources: no apt-get here; using the pinned upstream tarballs (H5DAT_SOURCES=upstream)." >&2
    fi
    check_tools upstream
    fetch_upstream ;;
esac
