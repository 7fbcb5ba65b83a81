#!/usr/bin/env bash
# The linux-arm64 subset under qemu-user (scripts/test-cross.sh says how; docs/platforms.md what).
#   scripts/test-arm64.sh [--prepare]
# Needs qemu-user and libc6-arm64-cross; the cross compiler only to rebuild the prebuild.
exec bash "$(dirname "$0")/test-cross.sh" linux-arm64 "$@"
