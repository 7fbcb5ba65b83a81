// A single-node Slurm for a test: munge (started when not running) and slurmctld + slurmd with a
// slurm.conf in a temp dir (state, spool, pids and logs inside it), as checked on this machine
// (../shared/BUILD-NOTES.md). Needs root and Debian's slurm-wlm and munge (.ci/run installs
// them); `startSlurm` says why it cannot start instead of throwing, so the test can skip.
import { execFileSync, spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A running Slurm: its config file (SLURM_CONF for the clients), and how to stop it. */
export interface Slurm {
  conf: string;
  env: NodeJS.ProcessEnv;
  stop(): void;
}

const TOOLS = ["slurmctld", "slurmd", "sbatch", "squeue", "sinfo", "munged"];

/** Starts Slurm with its files under `dir`; a string saying why it cannot. */
export function startSlurm(dir: string): Slurm | string {
  if (process.getuid?.() !== 0) return "Slurm's daemons need root here";
  const missing = TOOLS.filter((tool) => spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0);
  if (missing.length > 0) return `not installed: ${missing.join(", ")} (apt-get install slurm-wlm munge)`;
  startMunge();
  fs.mkdirSync(path.join(dir, "state"), { recursive: true });
  fs.mkdirSync(path.join(dir, "spool"), { recursive: true });
  const host = os.hostname().split(".")[0];
  const conf = path.join(dir, "slurm.conf");
  fs.writeFileSync(conf, [
    "ClusterName=h5dat", `SlurmctldHost=${host}`, "SlurmUser=root", "SlurmdUser=root", "AuthType=auth/munge",
    "ProctrackType=proctrack/linuxproc", "TaskPlugin=task/none", "SelectType=select/cons_tres", "SelectTypeParameters=CR_Core",
    "JobAcctGatherType=jobacct_gather/none", "MpiDefault=none", "ReturnToService=2", "SchedulerType=sched/backfill",
    `StateSaveLocation=${dir}/state`, `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`, `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/slurmctld.log`, `SlurmdLogFile=${dir}/slurmd.log`,
    `NodeName=${host} CPUs=${os.cpus().length} RealMemory=8000 State=UNKNOWN`,
    "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP", "",
  ].join("\n"));
  const env = { ...process.env, SLURM_CONF: conf };
  const slurm: Slurm = { conf, env, stop: () => stopSlurm(dir) };
  try {
    execFileSync("slurmctld", ["-f", conf], { env });
    execFileSync("slurmd", ["-f", conf], { env });
    waitFor(() => execFileSync("sinfo", ["-h", "-o", "%t"], { env, encoding: "utf8" }).trim() === "idle", 30_000, "the node to be idle");
  } catch (error) {
    slurm.stop();
    return `Slurm did not start: ${(error as Error).message}; ${tail(path.join(dir, "slurmctld.log"))} ${tail(path.join(dir, "slurmd.log"))}`;
  }
  return slurm;
}

function startMunge(): void {
  if (spawnSync("sh", ["-c", "munge -n | unmunge"], { stdio: "ignore" }).status === 0) return;
  const key = "/etc/munge/munge.key";
  if (!fs.existsSync(key)) {
    fs.mkdirSync(path.dirname(key), { recursive: true });
    fs.writeFileSync(key, crypto.randomBytes(1024), { mode: 0o400 });
    execFileSync("chown", ["munge:munge", key]);
  }
  fs.mkdirSync("/run/munge", { recursive: true });
  execFileSync("chown", ["munge:munge", "/run/munge"]);
  execFileSync("runuser", ["-u", "munge", "--", "munged", "--force"]);
}

// Waits for the daemons to exit: slurmctld saves its state on SIGTERM, and removing the
// temp dir under it fails (ENOTEMPTY) while it is still writing.
function stopSlurm(dir: string): void {
  const pids: number[] = [];
  for (const daemon of ["slurmd", "slurmctld"]) {
    const pidFile = path.join(dir, `${daemon}.pid`);
    if (!fs.existsSync(pidFile)) continue;
    const pid = Number(fs.readFileSync(pidFile, "utf8"));
    if (signal(pid, "SIGTERM")) pids.push(pid);
  }
  try {
    waitFor(() => pids.every((pid) => !signal(pid, 0)), 15_000, "slurmd and slurmctld to exit");
  } catch {
    for (const pid of pids) signal(pid, "SIGKILL");
    waitFor(() => pids.every((pid) => !signal(pid, 0)), 5_000, "slurmd and slurmctld to die");
  }
}

/** Sends `sig` to `pid`; false when there is no such process. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Polls `done` every 250 ms; throws naming `what` after `ms`. */
export function waitFor(done: () => boolean, ms: number, what: string): void {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    spawnSync("sleep", ["0.25"]);
  }
}

function tail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-5).join(" | ") : "";
}
