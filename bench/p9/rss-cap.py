# Runs a command with a cap on the RSS of it and its children together (P9's h5dat side): on a
# shared machine without swap, a converter whose memory grows with its input (h5dat's JSONL
# layout before issue 19 holds ~20x the file, per process) would take the machine down with a
# 1 GB input rather than fail. Polled every 0.2 s; over the cap, the command and its descendants
# are killed and the exit code is 137, with a line on stderr saying so. Its stdout passes through.
#
#   /usr/bin/python3 bench/p9/rss-cap.py MB command [args...]
import os
import signal
import subprocess
import sys
import time

PAGE = os.sysconf("SC_PAGE_SIZE")


def processes():
    """Every process's parent and RSS in bytes, by pid."""
    parents, rss = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                parents[int(pid)] = int(f.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/statm") as f:
                rss[int(pid)] = int(f.read().split()[1]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
    return parents, rss


def tree(root, parents):
    """`root` and its descendants (h5dat's workers may be in a process group of their own)."""
    found = {root}
    while True:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            return found
        found |= more


def main():
    cap_mb, command = float(sys.argv[1]), sys.argv[2:]
    child = subprocess.Popen(command)
    peak = 0.0
    while child.poll() is None:
        parents, rss = processes()
        pids = tree(child.pid, parents)
        peak = max(peak, sum(rss.get(pid, 0) for pid in pids) / 2**20)
        if peak > cap_mb:
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            child.wait()
            print(f"rss-cap: killed at {peak:.0f} MB of RSS (the cap is {cap_mb:.0f} MB)", file=sys.stderr)
            sys.exit(137)
        time.sleep(0.2)
    sys.exit(child.returncode)


if __name__ == "__main__":
    main()
