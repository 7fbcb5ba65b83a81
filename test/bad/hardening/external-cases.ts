// Issue 17.5, host files through HDF5 storage outside a file: a dataset's external raw data
// (H5Pset_external) naming /etc/passwd, a virtual dataset whose source is a file outside the
// input, an external link out of it. convert copies none of them into its output (what lies in
// files inside the input directory is copied from there, with its values), and says so in the
// row; export and show refuse them unless --follow-external. Inputs are made here with h5py.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { python } from "../../helpers/h5py";
import type { BadCase } from "../case";
import { convertCase } from "../convert-case";
import { runCli } from "../reader-runs";

/** The host file the cases point at, and bytes of it that must reach no output. */
const HOST_FILE = "/etc/passwd";
const HOST_BYTES = fs.readFileSync(HOST_FILE).subarray(0, 16);

/** 16 bytes the input directory holds beside its .h5, as its external raw data. */
const SIBLING_RAW = "ABCDEFGHIJKLMNOP";

/**
 * Writes `<dir>/in/src.h5` (and the files it names) with h5py: /own (external raw data in
 * sibling raw.bin), /host (external raw data in /etc/passwd), /vds_out (a virtual dataset of
 * `<dir>/outside/vsrc.h5`), /vds_in (a virtual dataset of sibling vsib.h5), /ext (an external link
 * to `<dir>/outside/vsrc.h5:/d`); `only` keeps some of them. Returns the input directory.
 */
function buildSource(dir: string, only: string[]): string {
  const input = path.join(dir, "in");
  python(
    String.raw`import h5py, json, numpy as np, os, sys
d, only = sys.argv[1], json.loads(sys.argv[2])
os.makedirs(f"{d}/in"); os.makedirs(f"{d}/outside")
with h5py.File(f"{d}/outside/vsrc.h5", "w") as f: f["d"] = np.arange(4, dtype="u1") + 100
if "own" in only: open(f"{d}/in/raw.bin", "w").write(sys.argv[3])
if "vds_in" in only:
    with h5py.File(f"{d}/in/vsib.h5", "w") as f: f["d"] = np.arange(4, dtype="i4") * 3
with h5py.File(f"{d}/in/src.h5", "w") as f:
    f["plain"] = np.arange(3, dtype="i2")
    if "own" in only: f.create_dataset("own", shape=(16,), dtype="u1", external=[("raw.bin", 0, 16)])
    if "host" in only:
        f.create_dataset("host", shape=(16,), dtype="u1", external=[(sys.argv[4], 0, 16)])
        f["host"].attrs["units"] = "none"
    if "vds_out" in only:
        layout = h5py.VirtualLayout(shape=(4,), dtype="u1")
        layout[:] = h5py.VirtualSource(f"{d}/outside/vsrc.h5", "d", shape=(4,))
        f.create_virtual_dataset("vds_out", layout, fillvalue=7)
    if "vds_in" in only:
        layout = h5py.VirtualLayout(shape=(4,), dtype="i4")
        layout[:] = h5py.VirtualSource("vsib.h5", "d", shape=(4,))
        f.create_virtual_dataset("vds_in", layout, fillvalue=-1)
    if "ext" in only: f["ext"] = h5py.ExternalLink(f"{d}/outside/vsrc.h5", "/d")
print("{}")`,
    dir,
    JSON.stringify(only),
    SIBLING_RAW,
    HOST_FILE,
  );
  return input;
}

/** What h5py sees of the copy at `group` in `output`: each dataset's values, storage and attrs, the links. */
function copyOf(output: string, group: string): { datasets: Record<string, { values: unknown[]; external: unknown; virtual: boolean; attrs: Record<string, string> }>; links: string[] } {
  return python(
    String.raw`import h5py, json, sys
f = h5py.File(sys.argv[1], "r"); g = f[sys.argv[2]]
out = {"datasets": {}, "links": sorted(g.keys())}
for name in g:
    link = g.get(name, getlink=True)
    if not isinstance(link, h5py.HardLink): continue
    d = g[name]
    out["datasets"][name] = {"values": d[()].tolist(), "external": d.external, "virtual": d.is_virtual,
        "attrs": {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in d.attrs.items() if k.startswith("h5dat_not") or k == "units"}}
print(json.dumps(out))`,
    output,
    group,
  );
}

/** No byte sequence of the host file anywhere in `file`. */
function assertNoHostBytes(file: string): void {
  assert.equal(fs.readFileSync(file).indexOf(HOST_BYTES), -1, `${path.basename(file)} holds bytes of ${HOST_FILE}`);
}

/** Nothing but `allowed` (names) directly in `dir`: convert and export write nowhere else. */
function assertOnly(dir: string, allowed: string[]): void {
  assert.deepEqual(fs.readdirSync(dir).sort(), [...allowed].sort(), `files in ${dir}`);
}

const rawConvert = convertCase({
  name: "external-raw-host-file",
  expected: "exit 0; src.h5 written: /host's external raw data '/etc/passwd' not copied (fill values, attr says why), /own's from sibling raw.bin copied with its values",
  build: (dir) => [buildSource(dir, ["own", "host"])],
  exit: 0,
  rows: [
    { path: "raw.bin", status: "written" },
    {
      path: "src.h5",
      status: "written",
      target: "/in/src.h5",
      message: /^\/in\/src\.h5\/host: external raw data '\/etc\/passwd' is outside the input: not copied \(fill values stand in, attr h5dat_not_copied\); \/in\/src\.h5\/own: external raw data 'raw\.bin' copied from the input$/,
    },
  ],
  values: { "/in/src.h5/own": SIBLING_RAW, "/in/src.h5/host": Buffer.alloc(16), "/in/src.h5/plain": [0, 1, 2] },
  check: (_view, run) => {
    const copy = copyOf(run.output, "/in/src.h5");
    assert.deepEqual(copy.datasets.host, { values: new Array(16).fill(0), external: null, virtual: false, attrs: { h5dat_not_copied: "external raw data '/etc/passwd' is outside the input: not copied", units: "none" } });
    assert.equal(copy.datasets.own.external, null, "the sibling's bytes are in the output itself");
    assertNoHostBytes(run.output);
    assertOnly(path.dirname(run.output), ["in", "outside", "out.h5"]);
  },
});

const looseConvert = convertCase({
  name: "external-raw-loose-file",
  expected: "exit 0; a loose src.h5 reaches no other file: its sibling raw.bin is outside the input, not copied",
  build: (dir) => [path.join(buildSource(dir, ["own"]), "src.h5")],
  exit: 0,
  rows: [{ path: "src.h5", status: "written", target: "/src", message: /^\/src\/own: external raw data 'raw\.bin' is outside the input: not copied/ }],
  values: { "/src/own": Buffer.alloc(16) },
});

const virtualConvert = convertCase({
  name: "external-virtual-source",
  expected: "exit 0; /vds_out (source outside the input) not copied, fill values; /vds_in (source vsib.h5 beside it) copied with its values, no longer virtual",
  build: (dir) => [buildSource(dir, ["vds_out", "vds_in"])],
  exit: 0,
  rows: [
    {
      path: "src.h5",
      status: "written",
      message: /^\/in\/src\.h5\/vds_in: virtual dataset sources 'vsib\.h5:d' copied from the input; \/in\/src\.h5\/vds_out: virtual dataset source '[^']*\/outside\/vsrc\.h5:d' is outside the input: not copied/,
    },
    { path: "vsib.h5", status: "written" },
  ],
  values: { "/in/src.h5/vds_in": [0, 3, 6, 9], "/in/vsib.h5/d": [0, 3, 6, 9] },
  check: (_view, run) => {
    const copy = copyOf(run.output, "/in/src.h5");
    assert.deepEqual(copy.datasets.vds_out.values, [7, 7, 7, 7], "fill values, not the outside file's 100..103");
    assert.equal(copy.datasets.vds_out.virtual, false);
    assert.equal(copy.datasets.vds_in.virtual, false, "the values are in the output, not named");
    assert.match(copy.datasets.vds_out.attrs.h5dat_not_copied, /outside\/vsrc\.h5:d' is outside the input: not copied$/);
  },
});

const linkConvert = convertCase({
  name: "external-link-outside",
  expected: "exit 0; src.h5 written without its external link to outside/vsrc.h5, the row says so",
  build: (dir) => [buildSource(dir, ["ext"])],
  exit: 0,
  rows: [{ path: "src.h5", status: "written", message: /^\/in\/src\.h5\/ext: external link to '[^']*\/outside\/vsrc\.h5:\/d' is outside the input: not copied$/ }],
  values: { "/in/src.h5/plain": [0, 1, 2] },
  check: (_view, run) => assert.deepEqual(copyOf(run.output, "/in/src.h5").links, ["plain"]),
});

const archiveConvert = convertCase({
  name: "external-raw-in-archive",
  expected: "exit 0; an archive's src.h5 reaches no file, not even raw.bin beside it in the tar: not copied",
  build: (dir) => {
    buildSource(dir, ["own", "host"]);
    python(`import sys, tarfile
with tarfile.open(sys.argv[1] + "/in.tar", "w") as t:
    for n in ("raw.bin", "src.h5"): t.add(sys.argv[1] + "/in/" + n, n)
print("{}")`, dir);
    return [path.join(dir, "in.tar")];
  },
  exit: 0,
  rows: [
    { path: "raw.bin", status: "written" },
    {
      path: "src.h5",
      status: "written",
      message: /^\/in\/src\.h5\/host: external raw data '\/etc\/passwd' is outside the input: not copied[^;]*; \/in\/src\.h5\/own: external raw data 'raw\.bin' is outside the input \(the HDF5 file was read from an archive/,
    },
  ],
  values: { "/in/src.h5/own": Buffer.alloc(16), "/in/src.h5/host": Buffer.alloc(16) },
  check: (_view, run) => assertNoHostBytes(run.output),
});

/** export and show of a file with all three: refused by default, read with --follow-external. */
const readerCase: BadCase = {
  name: "external-export-show",
  expected: "export: exit 0, /host /vds_out skipped naming the file, nothing of /etc/passwd written; show /host unreadable, show /ext exit 1 naming the link; ls marks each with its target, ls /ext refused; --follow-external reads them",
  async run(dir: string): Promise<string> {
    const source = path.join(buildSource(dir, ["host", "vds_out", "ext"]), "src.h5");
    const refused = await runCli(["export", source, "-o", path.join(dir, "refused"), "--json"]);
    assert.equal(refused.status, 0, refused.stderr);
    const result = JSON.parse(refused.stdout) as { files: { dataset: string }[]; skipped: { dataset: string; reason: string }[] };
    assert.deepEqual(result.files.map((f) => f.dataset), ["/plain"]);
    assert.deepEqual(result.skipped.map((s) => s.dataset), ["/host", "/vds_out"]);
    assert.match(result.skipped[0].reason, /^not read: its values are external raw data '\/etc\/passwd' outside the file; .*--follow-external/);
    assert.match(result.skipped[1].reason, /^not read: its values are virtual dataset sources '[^']*outside\/vsrc\.h5:d' outside the file/);
    for (const file of fs.readdirSync(path.join(dir, "refused"))) assertNoHostBytes(path.join(dir, "refused", file));

    const followed = await runCli(["export", source, "-o", path.join(dir, "followed"), "--json", "--follow-external"]);
    assert.equal(followed.status, 0, followed.stderr);
    const read = JSON.parse(followed.stdout) as { files: { dataset: string; file: string }[]; skipped: unknown[] };
    assert.deepEqual(read.files.map((f) => f.dataset), ["/host", "/plain", "/vds_out"]);
    assert.ok(fs.readFileSync(path.join(dir, "followed", read.files[0].file)).includes(HOST_BYTES), "--follow-external reads the external raw data");
    assertOnly(dir, ["in", "outside", "refused", "followed"]);

    const showHost = await runCli(["show", source, "/host"]);
    assert.equal(showHost.status, 0, showHost.stderr);
    assert.match(showHost.stdout, /unreadable: not read: its values are external raw data '\/etc\/passwd' outside the file/);
    assert.doesNotMatch(showHost.stdout, /\b114, 111, 111, 116\b/, "no byte of /etc/passwd ('root') is shown");
    const showLink = await runCli(["show", source, "/ext"]);
    assert.equal(showLink.status, 1);
    assert.match(showLink.stderr, /^h5dat: .*src\.h5: not followed: an external link to '[^']*outside\/vsrc\.h5:\/d' is on the path; .*--follow-external.*\('\/ext'\)\n$/);
    const ls = await runCli(["ls", source]);
    assert.match(ls.stdout, /\/ext\s+external-link → [^\n]*outside\/vsrc\.h5:\/d/, "ls lists the link with its target");
    assert.match(ls.stdout, /\/host\s+dataset uint8 \[16\]\s+contiguous → external raw data '\/etc\/passwd'/, "ls marks external raw data with its file");
    assert.match(ls.stdout, /\/vds_out\s+dataset uint8 \[4\]\s+virtual → virtual dataset sources '[^']*outside\/vsrc\.h5:d'/);
    const lsLink = await runCli(["ls", source, "/ext"]);
    assert.equal(lsLink.status, 1);
    assert.match(lsLink.stderr, /not followed: an external link to '[^']*outside\/vsrc\.h5:\/d' is on the path; .*--follow-external/);
    const lsFollowed = await runCli(["ls", source, "/ext", "--follow-external"]);
    assert.equal(lsFollowed.status, 0, lsFollowed.stderr);
    assert.match(lsFollowed.stdout, /^\/ext\s+external-link → /, "followed, ls gives the link itself, as for a link not given");
    const showFollowed = await runCli(["show", source, "/ext", "--follow-external"]);
    assert.equal(showFollowed.status, 0, showFollowed.stderr);
    assert.match(showFollowed.stdout, /\[100, 101, 102, 103\]/);
    const hostFollowed = await runCli(["show", source, "/vds_out", "--follow-external"]);
    assert.match(hostFollowed.stdout, /\[100, 101, 102, 103\]/);
    return this.expected;
  },
};

export const externalCases: BadCase[] = [rawConvert, looseConvert, virtualConvert, linkConvert, archiveConvert, readerCase];
