#!/usr/bin/env bash
# Runs a Windows program under wine64 (Debian's wine64 package): the cross build's
# CMAKE_CROSSCOMPILING_EMULATOR (cmake/toolchain-win32-x64.cmake) and the win32 tests.
# The wine prefix is made once in $H5DAT_WINEPREFIX (default ${XDG_CACHE_HOME:-~/.cache}/h5dat/wine),
# not in ~/.wine; the first start takes ≈ 15 s to make it.
set -euo pipefail
wine=$(command -v wine64 || true)
[ -n "$wine" ] || [ ! -x /usr/lib/wine/wine64 ] || wine=/usr/lib/wine/wine64
[ -n "$wine" ] || { echo "wine-run: wine64 missing (apt-get install wine64)" >&2; exit 127; }
export WINEPREFIX=${H5DAT_WINEPREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/h5dat/wine}
export WINEDEBUG=${WINEDEBUG:--all}
mkdir -p "$WINEPREFIX"
exec "$wine" "$@"
