#!/usr/bin/env bash
# prebuildify calls this in place of node-gyp (`--node-gyp`): the addon is a cmake-js project.
# prebuildify's node-gyp arguments (target, arch, devdir) do not apply to an N-API build.
set -euo pipefail
cd "$(dirname "$0")/.."
exec npx cmake-js rebuild --CDNAPI_VERSION=8
