# P7's check of a merged master, with Debian's h5py: its manifest lists every file of the archive
# as written, and images read through it (external links or virtual datasets into the shards)
# equal the one-process file's.
#
#   /usr/bin/python3 bench/p7/check_master.py MASTER ONE_PROCESS_FILE FILES
#
# The last stdout line is {"ok": bool, "problems": [...], "what": "..."}.
import json
import sys

import h5py
import numpy as np


def decoded(value):
    return value.decode() if isinstance(value, bytes) else value


def main():
    master_path, single_path, files = sys.argv[1], sys.argv[2], int(sys.argv[3])
    problems = []
    with h5py.File(master_path, "r") as master, h5py.File(single_path, "r") as single:
        rows = master["_h5dat/manifest"][:]
        if len(rows) != files:
            problems.append("the master's manifest has %d rows, the archive %d files" % (len(rows), files))
        statuses = {decoded(s) for s in rows["status"]}
        if statuses != {"written"}:
            problems.append("manifest statuses %s" % sorted(statuses))
        images = [decoded(t) for t, p in zip(rows["target"], rows["processor"]) if decoded(p) == "image"]
        # The first, middle and last images: each likely in a different shard.
        picked = [images[0], images[len(images) // 2], images[-1]] if images else []
        if not picked:
            problems.append("no image in the manifest")
        for target in picked:
            a, b = master[target][()], single[target][()]
            if a.shape != b.shape or not np.array_equal(a, b):
                problems.append("%s differs (master %s, one process %s)" % (target, a.shape, b.shape))
    what = "h5py: the master's manifest has %d rows, all written (= the archive's files); %d images read through it equal the one-process file's" % (len(rows), len(picked))
    print(json.dumps({"ok": not problems, "problems": problems, "what": what}))


main()
