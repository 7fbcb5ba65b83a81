#!/usr/bin/env bash
# Downloads the upstream sources of the static dependencies (HDF5, zlib, libdeflate, libarchive,
# xz, bzip2, zstd, libjpeg-turbo, lz4, c-blosc, c-blosc2, bitshuffle)
# from Debian's source packages. The mirror is read from this machine's own apt configuration, so
# no host name lives in the repository. Only the .orig tarballs are used.
set -euo pipefail
dest=${1:?usage: fetch-sources.sh <dest-dir>}
suite=${H5DAT_DEB_SUITE:-trixie}
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
packages=(hdf5 zlib libdeflate libarchive xz-utils bzip2 libzstd libjpeg-turbo lz4 c-blosc c-blosc2 bitshuffle)
have_all() {
  for pkg in "${packages[@]}"; do ls "$dest/${pkg}"_*.orig.tar.* >/dev/null 2>&1 || return 1; done
}
if have_all; then exit 0; fi

uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$uri" ]; then
  uri=$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$uri" ] || { echo "fetch-sources: no Debian mirror found in the apt configuration" >&2; exit 1; }

apt_dir=$(mktemp -d)
trap 'rm -rf "$apt_dir"' EXIT
mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial"
cat > "$apt_dir/parts/src.sources" <<SRC
Types: deb-src
URIs: $uri
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt_dir/parts"
          -o Dir::State::Lists="$apt_dir/lists" -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq
cd "$dest"
for pkg in "${packages[@]}"; do
  # Ask for the suite's version by name: without it apt looks for the version of the binary
  # package installed here (bzip2 1.0.8-5) and finds no such source.
  version=$(apt-cache "${apt_opts[@]}" showsrc "$pkg" 2>/dev/null | awk '/^Version:/ {print $2; exit}')
  # Only the .orig tarball matters; a missing .dsc or .debian part is not an error here.
  apt-get "${apt_opts[@]}" source --download-only -qq "$pkg${version:+=$version}" 2>/dev/null || true
done
have_all || { echo "fetch-sources: could not download all of ${packages[*]}" >&2; exit 1; }
