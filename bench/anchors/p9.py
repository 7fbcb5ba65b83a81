# P9's anchor: what a pandas user writes to turn a JSONL or CSV into HDF5, read in chunks so that
# memory stays bounded: read_json(lines=True, chunksize=...) / read_csv(chunksize=...), then
# to_hdf(format="table", append=True, complevel=4, complib="zlib") chunk by chunk. The JSONL's
# nested user is flattened with pd.json_normalize (user.id, user.name, user.country) and its tag
# lists stored as JSON text; string columns are sized from the generator's limits (a table's
# string columns are fixed-width, set by the first chunk otherwise). read_json parses the
# "timestamp" column into datetime64 (its default for such names); read_csv keeps it text.
#
#   /usr/bin/python3 bench/anchors/p9.py --kind jsonl|csv --input F --file OUT [--limits JSON]
#
# Timed from the first read to the store's close. The last stdout line:
# {"rows": N, "seconds": S, "rows_per_s": R, "file_bytes": B, "peak_rss_mb": M}.
import argparse
import json
import os
import resource
import time
import warnings

import pandas as pd
from tables import NaturalNameWarning

# Dotted column names (user.id) cannot be PyTables' attribute names; they are stored all the same.
warnings.simplefilter("ignore", NaturalNameWarning)

CHUNK = 100_000


def flattened(chunk):
    """A JSONL chunk with `user` flattened to user.* columns and `tags` as JSON text."""
    user = pd.json_normalize(chunk["user"].tolist()).add_prefix("user.").set_axis(chunk.index)
    flat = pd.concat([chunk.drop(columns=["user"]), user], axis=1)
    flat["tags"] = flat["tags"].map(json.dumps)
    return flat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", choices=["jsonl", "csv"], required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--limits", default="{}", help="most characters per string column (min_itemsize)")
    args = ap.parse_args()
    limits = json.loads(args.limits)
    t0 = time.perf_counter()
    if args.kind == "jsonl":
        chunks = (flattened(c) for c in pd.read_json(args.input, lines=True, chunksize=CHUNK))
    else:
        chunks = pd.read_csv(args.input, chunksize=CHUNK)
        limits = {name.replace(".", "_"): n for name, n in limits.items()}
    rows = 0
    for chunk in chunks:
        sizes = {name: n for name, n in limits.items() if name in chunk.columns and chunk[name].dtype == object}
        chunk.to_hdf(args.file, "records", format="table", append=True, complevel=4, complib="zlib", min_itemsize=sizes)
        rows += len(chunk)
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "rows": rows,
        "seconds": seconds,
        "rows_per_s": rows / seconds,
        "file_bytes": os.path.getsize(args.file),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
