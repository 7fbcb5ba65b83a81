# P9's inputs: a JSONL of log events and a CSV of flat rows, each of about --mb MB, generated
# deterministically (seeded) and cached with a JSON sidecar like P3's and P5's archives.
#
#   /usr/bin/python3 bench/p9/make-records.py --mb 1024 [--out DIR]
#
# A JSONL record (~185 bytes) is issue 19's log event: an ISO timestamp, a level, a nested user
# {id, name, country}, a message, a float latency, a list of tags and a bool. A CSV row is the same
# event flattened (user_id, user_name, user_country; tags joined by '|'), so the CSV has more
# rows of fewer bytes. String lengths are bounded (STRING_LIMITS: pandas' fixed-width table
# columns are sized from them). The sidecar has each file's path, bytes, rows and `gzip -4` size.
# The last stdout line is the sidecar's JSON.
import datetime
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from cache_sidecar import arguments, cached, save, sha256_file  # noqa: E402

GENERATOR = "p9-records-1"
LEVELS = ["DEBUG", "INFO", "INFO", "INFO", "INFO", "WARN", "ERROR"]
COUNTRIES = ["DE", "FR", "US", "BR", "JP", "IN", "NG", "SE", "ES", "CA", "AU", "KR"]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE"]
ROUTES = ["/api/items", "/api/users", "/api/orders", "/health", "/api/search", "/app.js"]
STATUSES = [200, 200, 200, 200, 201, 204, 301, 400, 404, 500]
TAGS = ["api", "web", "eu", "us", "apac", "hit", "miss", "retry", "slow", "auth"]
NAMES = ["anna", "bela", "chen", "dara", "emil", "fatima", "goran", "hana", "ivo", "jun", "kofi", "lena"]
# The most characters each string column holds (pandas' min_itemsize for its table format).
STRING_LIMITS = {"timestamp": 24, "level": 5, "user.name": 8, "user.country": 2, "message": 48, "tags": 64}
START = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def event(rng, n):
    """The n-th log event as a dict (keys in the JSONL's order)."""
    at = START + datetime.timedelta(milliseconds=n * 37 + rng.randrange(37))
    user = rng.randrange(1, 200_000)
    status = rng.choice(STATUSES)
    message = f"{rng.choice(METHODS)} {rng.choice(ROUTES)}/{rng.randrange(100_000)} {status}"
    return {
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
        "level": rng.choice(LEVELS),
        "user": {"id": user, "name": rng.choice(NAMES), "country": rng.choice(COUNTRIES)},
        "message": message,
        "latency": round(rng.lognormvariate(2.5, 1.0), 2),
        "tags": rng.sample(TAGS, rng.randrange(0, 3)),
        "ok": status < 400,
    }


def csv_row(e):
    """The event as a CSV line: flat, tags joined by '|' (no cell holds a comma or a quote)."""
    u = e["user"]
    return f'{e["timestamp"]},{e["level"]},{u["id"]},{u["name"]},{u["country"]},{e["message"]},{e["latency"]!r},{"|".join(e["tags"])},{"true" if e["ok"] else "false"}\n'


CSV_HEADER = "timestamp,level,user_id,user_name,user_country,message,latency,tags,ok\n"


def write(path, target, line, header=""):
    """Writes lines (line(rng, n)) until `target` bytes; returns the rows written."""
    rng = random.Random(0x9E3779B9)
    rows = 0
    size = len(header)
    with open(path + ".part", "w", encoding="utf-8", newline="") as out:
        out.write(header)
        block = []
        while size < target:
            text = line(rng, rows)
            block.append(text)
            size += len(text)
            rows += 1
            if len(block) == 10_000:
                out.write("".join(block))
                block = []
        out.write("".join(block))
    os.replace(path + ".part", path)
    return rows


def gzip4_size(path):
    """The bytes `gzip -4` makes of the file (the size goal's yardstick)."""
    gz = subprocess.Popen(["gzip", "-4", "-c", path], stdout=subprocess.PIPE)
    total = 0
    for block in iter(lambda: gz.stdout.read(1 << 20), b""):
        total += len(block)
    gz.wait()
    return total


def main():
    args = arguments({"mb": 1024})
    sidecar = os.path.join(args.out, f"p9-{args.mb}mb.json")
    info = cached(sidecar, GENERATOR, lambda info: [info[kind]["path"] for kind in ("jsonl", "csv")])
    if info:
        print(json.dumps(info))
        return
    target = args.mb * 2**20
    info = {"generator": GENERATOR, "mb": args.mb, "string_limits": STRING_LIMITS}
    for kind, header, line in (
        ("jsonl", "", lambda rng, n: json.dumps(event(rng, n), separators=(",", ":")) + "\n"),
        ("csv", CSV_HEADER, lambda rng, n: csv_row(event(rng, n))),
    ):
        path = os.path.join(args.out, f"p9-{args.mb}mb.{kind}")
        rows = write(path, target, line, header)
        info[kind] = {"path": path, "bytes": os.path.getsize(path), "rows": rows, "gzip4_bytes": gzip4_size(path), "sha256": sha256_file(path)}
    print(json.dumps(save(sidecar, info)))


if __name__ == "__main__":
    main()
