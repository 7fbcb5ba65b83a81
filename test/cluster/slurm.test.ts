// examples/slurm under a real single-node Slurm (issue 21), started by the test: submit.sh
// submits convert.sbatch as a 4-task array job (`--shard auto/4`, the index from Slurm) over a
// generated archive and merge.sbatch after it (--dependency=afterok); the master read by h5py
// equals a one-process run of the same archive. Skipped, saying why, where Slurm cannot run
// (not root, slurm-wlm or munge not installed).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { convert } from "../../src";
import { cliCommand } from "../helpers/cli-command";
import { python, tempDir } from "../helpers/h5py";
import { WALK, type Walked } from "../helpers/h5-walk";
import { photoArchive } from "../helpers/photo-archive";
import { startSlurm, waitFor, type Slurm } from "../helpers/slurm";

const dir = tempDir("h5dat-slurm-");
const EXAMPLES = path.join(__dirname, "..", "..", "examples", "slurm");

describe("examples/slurm on a single-node Slurm", () => {
  let slurm: Slurm | string;
  before(() => {
    slurm = startSlurm(path.join(dir, "slurm"));
  });
  after(() => {
    if (typeof slurm !== "string") slurm.stop();
  });

  test("submit.sh: an array job of 4 shards, then the merge after it, equal to one process", { timeout: 300_000 }, async (t) => {
    if (typeof slurm === "string") {
      t.skip(slurm);
      return;
    }
    const archive = await photoArchive(dir, 24);
    const out = path.join(dir, "out");
    const env = { ...slurm.env, SHARDS: "4", OUT: out, H5DAT: cliCommand().join(" ") };
    const said = execFileSync(path.join(EXAMPLES, "submit.sh"), [archive], { cwd: dir, env, encoding: "utf8" });
    assert.match(said, /convert: job \d+ \(4 tasks\); merge: job \d+/);
    const queue = () => execFileSync("squeue", ["-h", "-o", "%i %T"], { env, encoding: "utf8" }).trim();
    waitFor(() => queue() === "", 240_000, "the jobs to leave the queue");
    const logs = fs.readdirSync(dir).filter((name) => name.endsWith(".log"));
    assert.equal(logs.filter((name) => name.startsWith("h5dat-convert-")).length, 4, logs.join(", "));
    const mergeLog = fs.readFileSync(path.join(dir, logs.find((name) => name.startsWith("h5dat-merge-"))!), "utf8");
    assert.match(mergeLog, /4 shards merged \(virtual\)/);
    await convert([archive], { output: path.join(dir, "single.h5") });
    const single = python<Walked>(WALK, path.join(dir, "single.h5"));
    const master = python<Walked>(WALK, path.join(out, "master.h5"));
    assert.deepEqual(master.objects, single.objects);
    assert.deepEqual(master.rows, single.rows);
  });
});
