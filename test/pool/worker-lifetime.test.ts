// Workers live in sessions of their own, so a terminal's Ctrl-C (sent to the foreground process
// group) does not reach them, and they never outlive the process that started them: killed with
// SIGKILL, idle or mid-task, its workers exit too (they see the IPC channel close).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

const PARENT = path.join(__dirname, "..", "fixtures", "pool-parent.ts");

/** Process group and session of `pid`, from /proc (fields 5 and 6 of stat, after the name). */
function groupAndSession(pid: number): { group: number; session: number } {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { group: Number(fields[2]), session: Number(fields[3]) };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until none of `pids` runs; fails after `boundMs` (a bound for a hang, not a timing check). */
async function gone(pids: number[], boundMs = 20_000): Promise<void> {
  const until = Date.now() + boundMs;
  while (pids.some(alive)) {
    if (Date.now() > until) assert.fail(`still running: ${pids.filter(alive).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every process a test started: whatever a failed test leaves running is killed at the end. */
const started: number[] = [];
process.on("exit", () => {
  for (const pid of started.filter(alive)) process.kill(pid, "SIGKILL");
});

/** Starts the pool's parent in a process group of its own (as a shell starts a job). */
async function startParent(mode: string): Promise<{ parent: number; workers: number[] }> {
  const child = spawn(process.execPath, ["--import", "tsx", PARENT, mode], { stdio: ["ignore", "pipe", "inherit"], detached: true });
  child.unref();
  let out = "";
  for await (const chunk of child.stdout) {
    out += String(chunk);
    if (out.includes("\n")) break;
  }
  const pids = JSON.parse(out) as { parent: number; workers: number[] };
  started.push(pids.parent, ...pids.workers);
  return pids;
}

for (const mode of ["idle", "busy"]) {
  test(`workers are out of the parent's process group, ignore its SIGINT, and exit when it is killed (${mode})`, async () => {
    const { parent, workers } = await startParent(mode);
    assert.equal(workers.length, 2);
    const own = groupAndSession(parent);
    assert.equal(own.group, parent);
    for (const pid of workers) {
      const { group, session } = groupAndSession(pid);
      assert.notEqual(group, own.group, `worker ${pid} in the parent's group`);
      assert.equal(session, pid, `worker ${pid} leads its own session`);
    }
    // A terminal's Ctrl-C: SIGINT to the whole group. The parent has no handler and dies; its
    // workers never got the signal, and leave because the IPC channel closed.
    process.kill(-own.group, "SIGINT");
    await gone([parent]);
    await gone(workers);
  });
}

test("workers exit when their parent is killed with SIGKILL mid-task", async () => {
  const { parent, workers } = await startParent("busy");
  process.kill(parent, "SIGKILL");
  await gone([parent]);
  await gone(workers);
});
