#!/usr/bin/env bash
# prebuildify calls this in place of node-gyp (`--node-gyp`): the addon is a cmake-js project.
# prebuildify's node-gyp arguments (target, arch, devdir) do not apply to an N-API build.
# prebuildify copies only the .node: the HDF5 filter plugins built beside it (`h5dat plugin-path`)
# are copied into the platform's prebuild folder here.
set -euo pipefail
cd "$(dirname "$0")/.."
npx cmake-js rebuild --CDNAPI_VERSION=8
plugins="prebuilds/$(node -p 'process.platform + "-" + process.arch')/hdf5-plugins"
rm -rf "$plugins" && mkdir -p "$plugins"
cp build/hdf5-plugins/*.so "$plugins/"
