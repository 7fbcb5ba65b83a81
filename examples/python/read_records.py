"""Read an h5dat table (a converted CSV or JSONL: a compound dataset, one field per column) into pandas.

    python3 examples/python/read_records.py out.h5 /table.csv [start] [stop]

Rows start..stop are read alone (an HDF5 hyperslab: a large table is never read whole). String
columns come from h5py as bytes, whether stored fixed-length (numpy "S") or variable-length
(object); they are decoded to str as UTF-8. The columns are named by the attr `columns` (the
header as written) when it has one name per field: field names are made unique, the attr is not.
A text column with a cell over 4 KiB is ragged: its field holds each cell's end offset into a
uint8 dataset beside the table (attr `ragged_datasets`), read here for the rows asked. A JSONL
table with nulls or absent keys has a mask field (attr `mask_field`): those cells become None.
"""
import sys

import h5py
import numpy as np
import pandas as pd


def decoded(frame):
    """The frame with its bytes columns (fixed-length "S" or variable-length) decoded as UTF-8."""
    for name in frame.columns:
        if frame[name].dtype.kind in "OS":
            frame[name] = frame[name].map(lambda v: v.decode("utf-8") if isinstance(v, bytes) else v)
    return frame


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def ragged_column(dataset, field, texts, start, stop):
    """A ragged column's cells for rows start..stop: the text bytes between consecutive end offsets."""
    ends = dataset.fields(field)[start:stop].astype("int64")
    first = int(dataset.fields(field)[start - 1]) if start > 0 else 0
    data = texts[first:int(ends[-1])].tobytes() if len(ends) else b""
    starts = [first] + [int(end) for end in ends[:-1]]
    return [data[a - first:int(b) - first].decode("utf-8") for a, b in zip(starts, ends)]


def read_records(path, table, start=None, stop=None):
    """Rows start..stop of the table `table` in the HDF5 file `path`, as a DataFrame."""
    with h5py.File(path, "r") as f:
        dataset = f[table]
        start, stop, _ = slice(start, stop).indices(dataset.shape[0])
        rows = dataset[start:stop]
        mask_field = text(dataset.attrs.get("mask_field", ""))
        fields = [name for name in rows.dtype.names if name != mask_field]
        frame = decoded(pd.DataFrame({field: rows[field] for field in fields}, columns=fields))
        for field, name in zip(fields, dataset.attrs.get("ragged_datasets", [])):
            if text(name):
                frame[field] = ragged_column(dataset, field, dataset.parent[text(name)], start, stop)
        if mask_field:
            mask = rows[mask_field]
            for c, field in enumerate(fields):
                frame[field] = frame[field].astype(object).where(mask[:, c] == 0, None) if (mask[:, c] != 0).any() else frame[field]
        header = dataset.attrs.get("columns")
        if header is not None and len(header) == len(rows.dtype.names):
            frame.columns = [text(name) for name in header if text(name) != mask_field]
    return frame


if __name__ == "__main__":
    path, table = sys.argv[1], sys.argv[2]
    bounds = [int(n) for n in sys.argv[3:5]] + [None, None]
    print(read_records(path, table, bounds[0], bounds[1]).head())
