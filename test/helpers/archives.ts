// Test inputs: a tree of files on disk, and the same tree packed by Python's tarfile/zipfile (an
// implementation independent of the libarchive h5dat reads with).
import fs from "node:fs";
import path from "node:path";
import { python } from "./h5py";

export type ArchiveKind = "tar" | "tar.gz" | "tar.bz2" | "tar.xz" | "tar.zst" | "zip" | "stored.zip";

/** Writes `files` under `tree`, then `<out>/<stem>.<kind>` for each kind, entries in name order. */
export function makeTreeAndArchives(files: Record<string, string | Buffer>, tree: string, out: string, stem: string, kinds: ArchiveKind[]): void {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tree, name)), { recursive: true });
    fs.writeFileSync(path.join(tree, name), content);
  }
  python(`import json, os, subprocess, sys, tarfile, zipfile
src, out, stem, kinds = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
names = sorted(os.path.relpath(os.path.join(d, f), src) for d, _, fs in os.walk(src) for f in fs)
tar_modes = {"tar": "w", "tar.gz": "w:gz", "tar.bz2": "w:bz2", "tar.xz": "w:xz"}
zip_modes = {"zip": zipfile.ZIP_DEFLATED, "stored.zip": zipfile.ZIP_STORED}
for kind in kinds:
    target = os.path.join(out, stem + "." + kind)
    if kind == "tar.zst":  # Python has no zstd: the zstd tool compresses a plain tar
        plain = target + ".part"
        with tarfile.open(plain, "w") as t:
            for n in names: t.add(os.path.join(src, n), n)
        subprocess.run(["zstd", "-q", "--rm", "-f", plain, "-o", target], check=True)
    elif kind in tar_modes:
        with tarfile.open(target, tar_modes[kind]) as t:
            for n in names: t.add(os.path.join(src, n), n)
    else:
        with zipfile.ZipFile(target, "w", zip_modes[kind]) as z:
            for n in names: z.write(os.path.join(src, n), n)
print("[]")`, tree, out, stem, JSON.stringify(kinds));
}

/** Packs files on disk (`entries`: each entry's name in the archive → its file) into `archive`, a .tar or .tar.gz, by Python's tarfile. */
export function tarOf(archive: string, entries: Record<string, string>): void {
  python(`import json, sys, tarfile
archive, entries = sys.argv[1], json.loads(sys.argv[2])
with tarfile.open(archive, "w:gz" if archive.endswith(".gz") else "w") as t:
    for name, file in entries.items(): t.add(file, name)
print("{}")`, archive, JSON.stringify(entries));
}
