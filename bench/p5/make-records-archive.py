# P5's records-heavy input (issue 19): a tar.gz of about --mb MB of JSONL and CSV files, P9's log
# events (bench/p9/make-records.py) cut into --part MB files, alternately records/events-NN.jsonl
# and records/rows-NN.csv. Generated deterministically, cached like P5's mixed archives. Where the
# mixed archives measure images and streamed blobs, this one measures what parsing records holds.
#
#   /usr/bin/python3 bench/p5/make-records-archive.py --mb 256 --part 16 [--out DIR]
#
# The last stdout line is a JSON sidecar: path, mb, files, bytes, sha256.
import importlib.util
import io
import json
import os
import random
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cache_sidecar import arguments, cached, save, sha256_file  # noqa: E402

GENERATOR = "p5-records-1"
HERE = os.path.dirname(os.path.abspath(__file__))


def records_module():
    """P9's generator (its events and CSV rows), loaded from its file (its name has a dash)."""
    spec = importlib.util.spec_from_file_location("make_records", os.path.join(HERE, "..", "p9", "make-records.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def part(records, rng, first, part_bytes, csv):
    """One file's text of about `part_bytes` from event `first` on, and the next event's number."""
    lines = [records.CSV_HEADER] if csv else []
    size = len(lines[0]) if csv else 0
    n = first
    while size < part_bytes:
        e = records.event(rng, n)
        text = records.csv_row(e) if csv else json.dumps(e, separators=(",", ":")) + "\n"
        lines.append(text)
        size += len(text)
        n += 1
    return "".join(lines).encode("utf-8"), n


def member(name, size):
    """A regular file's tar header, dated 0 (the archive's bytes depend on its contents alone)."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = 0
    return info


def generate(path, mb, part_mb):
    records = records_module()
    rng = random.Random(0x5EC0)
    n = 0
    files = 0
    with tarfile.open(path + ".part", "w:gz", compresslevel=1, format=tarfile.PAX_FORMAT) as tar:
        while files * part_mb < mb:
            csv = files % 2 == 1
            data, n = part(records, rng, n, part_mb * 2**20, csv)
            name = f"records/rows-{files // 2:02d}.csv" if csv else f"records/events-{files // 2:02d}.jsonl"
            tar.addfile(member(name, len(data)), io.BytesIO(data))
            files += 1
    os.replace(path + ".part", path)
    return files


def main():
    args = arguments({"mb": 256, "part": 16})
    path = os.path.join(args.out, f"p5-records-{args.mb}mb-{args.part}.tar.gz")
    info = cached(path + ".json", GENERATOR, lambda _: [path])
    if not info:
        files = generate(path, args.mb, args.part)
        info = save(path + ".json", {"generator": GENERATOR, "mb": args.mb, "part_mb": args.part, "files": files, "bytes": os.path.getsize(path), "sha256": sha256_file(path)})
    print(json.dumps({**info, "path": path}))


if __name__ == "__main__":
    main()
