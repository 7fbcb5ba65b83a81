// examples/kubernetes (issue 21): the Indexed Job and the merge Job are parsed, their settings
// checked against each other (completions = the N of --shard auto/N = the merge's shard count,
// Indexed, Never restarted in place, one shared volume at the working directory), and the exact
// commands they hold run here: the convert command as 4 local processes, two at a time, each with
// its JOB_COMPLETION_INDEX, in a directory standing for the volume; then the merge command. The
// master equals a one-process run; a convert pod run again (a retry) changes nothing.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { cliCommand } from "../helpers/cli-command";
import { python, tempDir } from "../helpers/h5py";
import { WALK, type Walked } from "../helpers/h5-walk";
import { photoArchive } from "../helpers/photo-archive";

const dir = tempDir("h5dat-k8s-");
const EXAMPLES = path.join(__dirname, "..", "..", "examples", "kubernetes");

interface Container {
  command: string[];
  workingDir: string;
  volumeMounts: { name: string; mountPath: string }[];
}

interface Job {
  kind: string;
  spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { restartPolicy: string; containers: Container[]; volumes: { name: string; persistentVolumeClaim: { claimName: string } }[] } } };
}

function job(file: string): { job: Job; container: Container } {
  const parsed = parse(fs.readFileSync(path.join(EXAMPLES, file), "utf8")) as Job;
  return { job: parsed, container: parsed.spec.template.spec.containers[0] };
}

/** A pod's `sh -c` script with `npx --yes h5dat` as this repo's CLI. */
function local(command: readonly string[]): string[] {
  assert.deepEqual(command.slice(0, 2), ["sh", "-c"]);
  assert.match(command[2], /npx --yes h5dat /);
  return ["sh", "-c", command[2].replace("npx --yes h5dat", cliCommand().join(" "))];
}

function run(command: readonly string[], env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
    child.on("exit", resolve);
  });
}

describe("examples/kubernetes", () => {
  test("the Indexed Job's and the merge Job's commands, run as their pods would, make the master of a one-process run", { timeout: 300_000 }, async () => {
    const convertJob = job("convert-job.yaml");
    const mergeJob = job("merge-job.yaml");
    const { spec } = convertJob.job;
    assert.equal(spec.completionMode, "Indexed");
    const shards = Number(/--shard auto\/(\d+) /.exec(convertJob.container.command[2])?.[1]);
    assert.equal(spec.completions, shards);
    assert.ok(spec.parallelism !== undefined && spec.parallelism <= shards);
    assert.equal(spec.template.spec.restartPolicy, "Never");
    assert.match(convertJob.container.command[2], / --resume/, "a retried pod continues its shard");
    const mergeCommand = local(mergeJob.container.command);
    assert.match(mergeCommand[2], new RegExp(`part-\\*-of-${shards}\\.h5`));
    for (const { container, job: { spec: jobSpec } } of [convertJob, mergeJob]) {
      assert.deepEqual(container.volumeMounts.map((m) => m.mountPath), [container.workingDir]);
      assert.deepEqual(jobSpec.template.spec.volumes.map((v) => v.persistentVolumeClaim.claimName), ["h5dat-data"]);
    }
    // The volume: in/photos.tar.gz as the convert command names it.
    fs.mkdirSync(path.join(dir, "in"));
    fs.renameSync(await photoArchive(dir, 30), path.join(dir, "in", "photos.tar.gz"));
    const command = local(convertJob.container.command);
    for (let index = 0; index < shards; index += 2) {
      const codes = await Promise.all([index, index + 1].filter((i) => i < shards).map((i) => run(command, { JOB_COMPLETION_INDEX: String(i) })));
      assert.deepEqual(codes.map((code) => code === 0 || code === 2), codes.map(() => true));
    }
    // A pod retried after its shard was done: nothing changes.
    const before = fs.statSync(path.join(dir, "out", `part-1-of-${shards}.h5`)).mtimeMs;
    assert.ok([0, 2].includes((await run(command, { JOB_COMPLETION_INDEX: "1" })) ?? -1));
    assert.equal(fs.statSync(path.join(dir, "out", `part-1-of-${shards}.h5`)).mtimeMs, before);
    const merged = spawnSync(mergeCommand[0], mergeCommand.slice(1), { cwd: dir, encoding: "utf8" });
    assert.equal(merged.status, 0, merged.stderr);
    // One process, as a pod would run it (inputs named as the pods name them).
    const [node, ...cli] = cliCommand();
    const one = spawnSync(node, [...cli, "convert", "in/photos.tar.gz", "-o", "single.h5"], { cwd: dir, encoding: "utf8" });
    assert.ok(one.status === 0 || one.status === 2, one.stderr);
    const single = python<Walked>(WALK, path.join(dir, "single.h5"));
    const master = python<Walked>(WALK, path.join(dir, "out", "master.h5"));
    assert.deepEqual(master.objects, single.objects);
    assert.deepEqual(master.rows, single.rows);
  });
});
