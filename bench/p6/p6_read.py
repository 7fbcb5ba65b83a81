# One P6 run: a PyTorch DataLoader (batch 64, shuffled, 2 workers) over one side's images, a
# partial warm-up epoch, then one timed epoch. Prints one JSON line.
#
#   /usr/bin/python3 bench/p6/p6_read.py --side stacked --path p3.stacked-none.h5
#   /usr/bin/python3 bench/p6/p6_read.py --side imagefolder --path DIR/images
#   /usr/bin/python3 bench/p6/p6_read.py --side files --path p3.files-gzip4.h5
#   /usr/bin/python3 bench/p6/p6_read.py --side memcpy    # the bound: numpy copies of one image
#   ... --side stacked --channels-last [--workers 0]         # variants the harness does not run
#
# Sides: stacked (examples/python/h5dat_dataset.py), imagefolder and files
# (reference_datasets.py). The workers persist across epochs (persistent_workers), so the
# warm-up pays for starting them and opening files, and the timed epoch is the steady state. Every
# side's input is read through once first: the page cache is warm for all, so this measures
# decoding, h5py and the DataLoader, not the disk. The timed epoch runs from the iterator's
# creation to the last batch; images/s is the items of that epoch over its seconds. The labels'
# counts come back so the harness can check every side saw the same N images of the same classes.
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "examples", "python"))
sys.path.insert(0, HERE)
from h5dat_dataset import H5datDataset, channels_last_collate  # noqa: E402
from reference_datasets import FilesLayoutDataset, ImageFolderDataset  # noqa: E402

IMAGE_BYTES = 224 * 224 * 3


def warm(path):
    """Reads every file under path (or path itself) once, into the page cache."""
    files = [path] if os.path.isfile(path) else [os.path.join(d, n) for d, _, names in os.walk(path) for n in names]
    for name in files:
        with open(name, "rb") as f:
            while f.read(8 << 20):
                pass


def dataset_of(side, path):
    if side == "stacked":
        return H5datDataset(path)
    if side == "imagefolder":
        return ImageFolderDataset(path)
    return FilesLayoutDataset(path)


def timed_epoch(side, path, batch, workers, warmup_batches, seed, channels_last):
    dataset = dataset_of(side, path)
    warm(path)
    collate = {"collate_fn": channels_last_collate} if channels_last else {}
    loader = torch.utils.data.DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers,
                                         persistent_workers=workers > 0, generator=torch.Generator().manual_seed(seed), **collate)
    for b, _ in zip(range(warmup_batches), loader):
        pass
    counts = np.zeros(len(dataset.classes), dtype=np.int64)
    shape = None
    c0 = time.process_time()
    t0 = time.perf_counter()
    items = 0
    for images, labels in loader:
        items += len(labels)
        counts += np.bincount(labels.numpy(), minlength=len(counts))
        shape = list(images.shape[1:])
    seconds = time.perf_counter() - t0
    return {"side": side, "images": items, "seconds": seconds, "images_per_s": items / seconds,
            "main_cpu": time.process_time() - c0, "classes": dataset.classes, "label_counts": counts.tolist(), "shape": shape}


def copy_rate(seconds=1.0):
    """Images/s one core copies with numpy: the bound on any reader that hands over an image's bytes."""
    source = np.random.default_rng(0).integers(0, 256, IMAGE_BYTES, dtype=np.uint8)
    target = np.empty_like(source)
    count = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for _ in range(1000):
            np.copyto(target, source)
        count += 1000
    elapsed = time.perf_counter() - t0
    return {"side": "memcpy", "images": count, "seconds": elapsed, "images_per_s": count / elapsed, "bytes": IMAGE_BYTES}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--side", required=True, choices=["stacked", "imagefolder", "files", "memcpy"])
    ap.add_argument("--path")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--warmup-batches", type=int, default=10)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--channels-last", action="store_true", help="batches by the example's channels_last_collate (not in the harness)")
    a = ap.parse_args()
    torch.set_num_threads(1)
    result = copy_rate() if a.side == "memcpy" else timed_epoch(a.side, a.path, a.batch, a.workers, a.warmup_batches, a.seed, a.channels_last)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
