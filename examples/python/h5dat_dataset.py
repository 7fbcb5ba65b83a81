"""A PyTorch Dataset over h5dat's stacked layout (`h5dat convert ... --layout stacked`), read with h5py.

    from h5dat_dataset import H5datDataset
    train = H5datDataset("pets.h5", group="/pets", split="train")
    loader = torch.utils.data.DataLoader(train, batch_size=64, shuffle=True, num_workers=2)
    for images, labels in loader:    # images: uint8 [64, 3, H, W], labels: int64 [64]
        ...
    # The same batches in channels-last memory, without the default collate's transpose:
    loader = torch.utils.data.DataLoader(train, batch_size=64, shuffle=True, collate_fn=channels_last_collate)

    python3 examples/python/h5dat_dataset.py pets.h5 [/pets] [train]   # prints what it holds

Item i is `(image, label)`: the image as a uint8 tensor [C, H, W], the layout torchvision's
`decode_image` and `pil_to_tensor` give (so `transforms.ConvertImageDtype`, `Normalize` and the
tensor transforms apply as they are); the label an int, -1 for an image without one. With
`to_tensor=False` the image is the numpy uint8 array [H, W, C] as stored (`Image.fromarray` makes
it a PIL image for PIL-only transforms). `transform` and `target_transform` apply last, as in
torchvision's ImageFolder. Item i is row `rows[i]` of the group: a split's sorted row indices
(`splits/<name>`), or every row.

The group's `image_storage` attr says how images are kept (absent: "fixed"):
- fixed: `images` uint8 [N, H, W, C], one image per chunk: row r is images[r].
- ragged: `images` variable-length uint8 [N], each image's pixels row-major, and
  `image_shapes` uint32 [N, 3]: row r is images[r] reshaped to image_shapes[r].
- encoded: `images` variable-length uint8 [N], each source file's own bytes (`image_format`
  names the format): decoded here with PIL to RGB, upright by its EXIF orientation, as the pixel
  layouts store them.

h5py handles cannot be pickled, and one opened before a fork must not be shared with the child:
the file is opened on the first read in each process (keyed by its pid) and dropped from the
pickled state, so DataLoader workers, whether forked or spawned, each open their own. The
constructor reads what every item needs besides its image (labels, the split's rows, class names)
in one short open, so a read is one h5py call. The chunk cache is off: an epoch reads each row
once in random order, so a cached chunk is never hit and caching only adds a copy (measured:
getitem 33k/s with the default 1 MiB cache, 47k/s without, on 224x224x3 rows stored unfiltered).

Workers: an unfiltered 224x224x3 row reads in about 25 us, less than a DataLoader worker's hand-off
of each batch to the main process through shared memory. On 2 cores (P6, bench/NOTES.md) an
unfiltered stack read at about 7k images/s with num_workers=2, 6-9k with num_workers=0, and 16-17k
with num_workers=0 and collate_fn=channels_last_collate (no transpose). With gzip (about 0.7 ms a
row to inflate) or costly transforms, workers win.
"""
import io
import os
import resource
import sys

import h5py
import numpy as np
import torch
from PIL import Image, ImageOps


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def ensure_open_files(path, needed):
    """A master `h5dat merge` made with virtual datasets keeps every shard it has read from open,
    and past the open-file limit HDF5 reads a shard it cannot open as zeros, without an error.
    Raises this process's soft limit to `needed` (up to the hard limit), else fails."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise OSError("%s reads from up to %d shard files, but this process may open %d files (ulimit -Hn): "
                      "raise the limit, or merge with --materialize" % (path, needed, hard))
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def channels_last_collate(batch):
    """A DataLoader collate_fn for this Dataset's tensor items: images [N, C, H, W] in channels-last
    memory (torch.channels_last: the stored [H, W, C] rows copied as they are, not transposed),
    labels int64 [N]. The default collate's transpose to contiguous [N, C, H, W] costs more than
    the read of an unfiltered row (P6: about 45 against 25 us an image); convolutions take either
    memory format. Images of one shape only (a fixed storage or --resize)."""
    images, labels = torch.utils.data.default_collate([(image.permute(1, 2, 0), label) for image, label in batch])
    return images.permute(0, 3, 1, 2), labels


def stacked_groups(f):
    """The names of the file's stacked groups (attr layout = "stacked"), sorted."""
    names = []
    f.visititems(lambda name, obj: names.append("/" + name) if isinstance(obj, h5py.Group) and text(obj.attrs.get("layout", "")) == "stacked" else None)
    return sorted(names)


class H5datDataset(torch.utils.data.Dataset):
    """The rows of a stacked group (one split's, or all) as (image, label) items."""

    def __init__(self, path, group=None, split=None, transform=None, target_transform=None, to_tensor=True):
        """`group`: the stacked group's name (None: the file's only one); `split`: a name under
        the group's `splits/`, or None for every row."""
        self.path = os.fspath(path)
        self.transform = transform
        self.target_transform = target_transform
        self.to_tensor = to_tensor
        with h5py.File(self.path, "r") as f:
            # A virtual master holds one open file per shard read (see ensure_open_files).
            self.open_files = len(f.attrs.get("merged_shards", [])) + 256 if text(f.attrs.get("merge_mode", "")) == "virtual" else 0
            if group is None:
                found = stacked_groups(f)
                if len(found) != 1:
                    raise ValueError("%s has %d stacked groups (%s): name one with group=" % (self.path, len(found), ", ".join(found) or "none"))
                group = found[0]
            if group not in f or text(f[group].attrs.get("layout", "")) != "stacked":
                raise ValueError("%s: %s is not a stacked group (convert with --layout stacked)" % (self.path, group))
            g = f[group]
            self.group = g.name
            self.storage = text(g.attrs.get("image_storage", "fixed"))
            if self.storage not in ("fixed", "ragged", "encoded"):
                raise ValueError("%s: image_storage '%s' is not one this reader knows" % (self.group, self.storage))
            self.classes = [text(name) for name in g.attrs.get("class_names", [])]
            self.class_to_idx = {name: i for i, name in enumerate(self.classes)}
            # Every row's label, read once: 8 bytes a row, where a read per item would cost an h5py call.
            # (A stack of no rows has no arrays: its attr `rows` says 0.)
            self.labels = g["labels"][:] if "labels" in g else np.full(int(g.attrs.get("rows", 0)), -1, dtype=np.int64)
            splits = sorted(g["splits"].keys()) if "splits" in g else []
            self.split = split
            if split is None:
                self.rows = np.arange(len(self.labels), dtype=np.int64)
            elif split in splits:
                self.rows = g["splits"][split][:].astype(np.int64)
            else:
                raise ValueError("%s has no split '%s' (its splits: %s)" % (self.group, split, ", ".join(splits) or "none"))
        self._file = None
        self._pid = None
        self._images = None
        self._shapes = None

    def __len__(self):
        return len(self.rows)

    @property
    def targets(self):
        """The items' labels in item order, as torchvision's ImageFolder.targets."""
        return self.labels[self.rows].tolist()

    def _group(self):
        if self._pid != os.getpid():
            # A handle inherited through fork belongs to the parent: open this process's own.
            if self.open_files:
                ensure_open_files(self.path, self.open_files)
            self._file = h5py.File(self.path, "r", rdcc_nbytes=0)
            self._pid = os.getpid()
            # Kept open: looking a dataset up by name costs as much as reading an unfiltered row.
            g = self._file[self.group]
            self._images = g["images"]
            self._shapes = g["image_shapes"] if self.storage == "ragged" else None
        return self._file[self.group]

    def __getstate__(self):
        return {**self.__dict__, "_file": None, "_pid": None, "_images": None, "_shapes": None}

    def pixels(self, i):
        """Item i's image as stored or decoded: numpy uint8 [H, W, C]."""
        if self._pid != os.getpid():
            self._group()
        row = int(self.rows[i])
        if self.storage == "fixed":
            return self._images[row]
        if self.storage == "ragged":
            return self._images[row].reshape(tuple(int(n) for n in self._shapes[row]))
        with Image.open(io.BytesIO(self._images[row].tobytes())) as img:
            return np.array(ImageOps.exif_transpose(img).convert("RGB"))

    def __getitem__(self, i):
        image = self.pixels(i)
        if self.to_tensor:
            # [H, W, C] -> [C, H, W] as a view, as torchvision's pil_to_tensor does.
            image = torch.from_numpy(image).permute(2, 0, 1)
        if self.transform is not None:
            image = self.transform(image)
        label = int(self.labels[self.rows[i]])
        if self.target_transform is not None:
            label = self.target_transform(label)
        return image, label

    def paths(self, i):
        """Item i's source path (the `paths` ragged string array's row)."""
        g = self._group()["paths"]
        row = int(self.rows[i])
        start, stop = (int(n) for n in g["offsets"][row:row + 2])
        return g["bytes"][start:stop].tobytes().decode("utf-8")


if __name__ == "__main__":
    args = sys.argv[1:] + [None, None]
    dataset = H5datDataset(args[0], group=args[1], split=args[2])
    print("%s%s: %d items, %s images, classes %s" % (dataset.group, " split " + dataset.split if dataset.split else "", len(dataset), dataset.storage, dataset.classes))
    for i in range(min(3, len(dataset))):
        image, label = dataset[i]
        print("  %d: %s %s %s, label %d %s" % (i, dataset.paths(i), tuple(image.shape), image.dtype, label, dataset.classes[label] if label >= 0 else "-"))
