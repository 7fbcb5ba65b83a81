#!/usr/bin/env bash
# The win32-x64 subset under wine64 (scripts/test-cross.sh says how; docs/platforms.md what).
#   scripts/test-win32.sh [--prepare]
# Needs wine64; MinGW-w64 only to rebuild the prebuild (npm run build:prebuild:win32).
exec bash "$(dirname "$0")/test-cross.sh" win32-x64 "$@"
