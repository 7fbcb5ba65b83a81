# Where the stacked read path's time goes, per image, in one process (no DataLoader workers): the
# h5py read, the Dataset's item, collating items into batches of 64, a plain HWC stack beside it
# (to tell the CHW transpose from writing the batch), and a DataLoader with num_workers=0. The
# best of 3 passes over 2,000 random rows, in µs; one line of JSON per file. Not timed by the
# harness: bench/NOTES.md (P6) quotes it.
#
#   /usr/bin/python3 bench/p6/read_costs.py stacked-none.h5 [stacked-gzip4.h5 ...]
import json
import os
import sys
import time

import numpy as np
import torch
from torch.utils.data._utils.collate import default_collate

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "examples", "python"))
from h5dat_dataset import H5datDataset  # noqa: E402

ROWS = 2000
BATCH = 64


def timed(work):
    t0 = time.perf_counter()
    work()
    return (time.perf_counter() - t0) / ROWS * 1e6


def costs(path):
    ds = H5datDataset(path)
    order = [int(i) for i in np.random.default_rng(0).permutation(len(ds))[:ROWS]]
    ds.pixels(0)
    pixels = [ds.pixels(i) for i in order]
    items = [ds[i] for i in order]
    batches = lambda seq: [seq[s:s + BATCH] for s in range(0, ROWS, BATCH)]
    passes = {
        # Each result is dropped at once, as in a DataLoader: memory is reused, not freshly mapped.
        "h5py read": lambda: [ds.pixels(i) is None for i in order],
        "item (read, tensor view, label)": lambda: [ds[i] is None for i in order],
        "collate [C, H, W] views": lambda: [default_collate(b) is None for b in batches(items)],
        "stack [H, W, C] arrays": lambda: [torch.stack([torch.from_numpy(p) for p in b]) is None for b in batches(pixels)],
        "DataLoader, num_workers=0": lambda: [b is None for b in torch.utils.data.DataLoader(torch.utils.data.Subset(ds, order), batch_size=BATCH)],
    }
    return {name: round(min(timed(work) for _ in range(3)), 1) for name, work in passes.items()}


if __name__ == "__main__":
    torch.set_num_threads(1)
    for path in sys.argv[1:]:
        print(json.dumps({"file": os.path.basename(path), "us_per_image": costs(path)}))
