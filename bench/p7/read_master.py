# P7 part 2's reads, with Debian's h5py, one mode per fresh process (the harness settles the page
# cache before each):
#
#   read_master.py first  FILE PLAN           open FILE and read its first image
#   read_master.py random FILE PLAN [--reads 1000] [--seed 7]
#                                             open FILE, then read that many random single images
#   read_master.py all    FILE PLAN           read every image (so every shard), then count the fds
#
# PLAN is many-shards.ts's plan.json: {"layout":"stacked","dataset":...,"rows":N} (one row of a
# [N, 32, 32, 3] array per read, through virtual datasets on a master) or {"layout":"files",
# "targets":[...]} (one dataset per read, through external links on a master). Files this process
# holds open are counted in /proc/self/fd before the file is opened and after the reads, while
# it is still open. The last stdout line is one JSON object.
import argparse
import json
import os
import random
import time

import h5py
import numpy as np


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def reader(f, plan):
    """A function reading image i of the plan from the open file f, and the image count."""
    if plan["layout"] == "stacked":
        images = f[plan["dataset"]]
        return (lambda i: images[i]), plan["rows"]
    targets = plan["targets"]
    return (lambda i: f[targets[i]][()]), len(targets)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["first", "random", "all"])
    parser.add_argument("file")
    parser.add_argument("plan")
    parser.add_argument("--reads", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    plan = json.load(open(args.plan))
    fds_before = open_fds()
    result = {"mode": args.mode, "layout": plan["layout"]}

    started = time.perf_counter()
    f = h5py.File(args.file, "r")
    read, count = reader(f, plan)
    if args.mode == "first":
        image = read(0)
        result["seconds"] = time.perf_counter() - started
        result["shape"] = list(image.shape)
    elif args.mode == "random":
        opened = time.perf_counter()
        picks = random.Random(args.seed).sample(range(count), min(args.reads, count))
        checksum = 0
        for i in picks:
            checksum += int(np.asarray(read(i), dtype=np.uint64).sum())
        result["seconds"] = time.perf_counter() - opened
        result["open_seconds"] = opened - started
        result["reads"] = len(picks)
        result["reads_per_s"] = len(picks) / result["seconds"]
        result["checksum"] = checksum
    else:
        checksum = 0
        for i in range(count):
            checksum += int(np.asarray(read(i), dtype=np.uint64).sum())
        result["seconds"] = time.perf_counter() - started
        result["reads"] = count
        result["checksum"] = checksum
    result["fds_before"] = fds_before
    result["fds_after"] = open_fds()
    f.close()
    print(json.dumps(result))


main()
