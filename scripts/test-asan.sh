#!/usr/bin/env bash
# Builds the addon with AddressSanitizer (into build-asan/) and runs the test suite against it.
# Leak detection is off: Node itself keeps allocations alive at exit (use valgrind for leaks).
set -euo pipefail
cd "$(dirname "$0")/.."
bash cmake/build-deps.sh >/dev/null
npx cmake-js compile --CDNAPI_VERSION=8 --CDH5DAT_ASAN=ON -O build-asan >/dev/null
export H5DAT_ADDON=build-asan/Release/h5dat.node
# A small quarantine: the default 256 MB of held-back frees would look like a leak to the RSS checks.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:quarantine_size_mb=16
if [ $# -eq 0 ]; then set -- test/h5/*.test.ts; fi
LD_PRELOAD=$(gcc -print-file-name=libasan.so) exec node --import tsx --test --test-concurrency=1 "$@"
