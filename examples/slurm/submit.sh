#!/bin/bash
# Submits the conversion of INPUTS as SHARDS array tasks, and the merge after them:
#   SHARDS=16 OUT=/shared/out ./submit.sh /shared/photos.tar.gz /shared/more/
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SHARDS:=16}"
export OUT=${OUT:-out} SHARDS
array=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "$here/convert.sbatch" "$@")
merge=$(sbatch --parsable --export=ALL --dependency="afterok:${array%%;*}" "$here/merge.sbatch")
echo "convert: job ${array%%;*} (${SHARDS} tasks); merge: job ${merge%%;*} -> $OUT/master.h5"
