# P6's two references, as an ML engineer would write them without h5dat's stacked layout: the JPEGs
# as an ImageFolder tree decoded with PIL, and h5dat's files layout (one dataset per image) read
# with h5py. Each item is (uint8 tensor [3, 224, 224], label), as examples/python/h5dat_dataset.py
# gives from the stacked file.
#
# ImageFolderDataset is torchvision.datasets.ImageFolder's default path (Debian has no
# python3-torchvision installed here, and it would add nothing measured): pil_loader (open,
# convert("RGB")), then the resize, then pil_to_tensor (a copy of the pixels, viewed
# [C, H, W]). The resize is "cover" at 224x224, the one convert's --resize 224x224 applies with
# sharp: scale to cover the box, crop the centre (ImageOps.fit, bilinear with antialiasing as
# torchvision's Resize).
import os

import h5py
import numpy as np
import torch
from PIL import Image, ImageOps

SIZE = (224, 224)


def covered(img):
    """img scaled to cover SIZE and centre-cropped, as a uint8 tensor [C, H, W]."""
    fitted = ImageOps.fit(img, SIZE, Image.BILINEAR)
    return torch.from_numpy(np.array(fitted)).permute(2, 0, 1)


class ImageFolderDataset(torch.utils.data.Dataset):
    """root/<class>/<file>.jpg, classes sorted, files sorted within each."""

    def __init__(self, root):
        self.classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        self.samples = [(os.path.join(root, c, name), label) for label, c in enumerate(self.classes)
                        for name in sorted(os.listdir(os.path.join(root, c)))]

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        with open(path, "rb") as f:
            img = Image.open(f).convert("RGB")
        return covered(img), label


class FilesLayoutDataset(torch.utils.data.Dataset):
    """h5dat's files layout: each image its own dataset [H, W, 3], labelled by its parent group."""

    def __init__(self, path):
        self.path = path
        names = []
        with h5py.File(path, "r") as f:
            f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) and obj.ndim == 3 and name.lower().endswith((".jpg", ".jpeg")) else None)
        names.sort()
        self.classes = sorted({name.split("/")[-2] for name in names})
        self.samples = [(name, self.classes.index(name.split("/")[-2])) for name in names]
        self._file = None
        self._pid = None

    def __len__(self):
        return len(self.samples)

    def __getstate__(self):
        return {**self.__dict__, "_file": None, "_pid": None}

    def __getitem__(self, i):
        if self._pid != os.getpid():
            self._file = h5py.File(self.path, "r", rdcc_nbytes=0)
            self._pid = os.getpid()
        name, label = self.samples[i]
        return covered(Image.fromarray(self._file[name][()])), label
