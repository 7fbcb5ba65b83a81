"""Read an h5dat table (a converted CSV: a compound dataset, one field per column) into pandas.

    python3 examples/python/read_records.py out.h5 /table.csv [start] [stop]

Rows start..stop are read alone (an HDF5 hyperslab: a large table is never read whole). String
columns come from h5py as bytes, whether stored fixed-length (numpy "S") or variable-length
(object); they are decoded to str as UTF-8. The columns are named by the attr `columns` (the
header as written) when it has one name per field: field names are made unique, the attr is not.
"""
import sys

import h5py
import pandas as pd


def decoded(frame):
    """The frame with its bytes columns (fixed-length "S" or variable-length) decoded as UTF-8."""
    for name in frame.columns:
        if frame[name].dtype.kind in "OS":
            frame[name] = frame[name].map(lambda v: v.decode("utf-8") if isinstance(v, bytes) else v)
    return frame


def read_records(path, table, start=None, stop=None):
    """Rows start..stop of the table `table` in the HDF5 file `path`, as a DataFrame."""
    with h5py.File(path, "r") as f:
        dataset = f[table]
        frame = decoded(pd.DataFrame(dataset[start:stop]))
        header = dataset.attrs.get("columns")
        if header is not None and len(header) == len(frame.columns):
            frame.columns = [name.decode("utf-8") if isinstance(name, bytes) else str(name) for name in header]
    return frame


if __name__ == "__main__":
    path, table = sys.argv[1], sys.argv[2]
    bounds = [int(n) for n in sys.argv[3:5]] + [None, None]
    print(read_records(path, table, bounds[0], bounds[1]).head())
