// The soak (issue 6, native robustness): the P3 archive converted 3× in one process through the
// API, each run to a fresh output, watching what a leak would grow: resident memory, open file
// descriptors, live child processes.
//
//   npm run soak                                       # RSS as it is after each run
//   node --expose-gc --import tsx bench/soak.ts        # RSS after a full GC: the figure to compare
//
// The archive is P3's (bench/p3/make-archive.py, 5,000 JPEGs + 5,000 JSON + a CSV), made by that
// generator when it is not cached yet. convert() runs with its defaults (workers = the cores).
// After each run: RSS, open fds (/proc/self/fd), live descendants started since the soak began.
// The last stdout line is
// {"bench":"soak","rss_mb":[a,b,c],"fds":[...],"children":[...],"growth":c/a,"gc":bool}; the exit
// code is 1 when RSS after run 3 is more than 10 % above run 1, the fd count grew, or a child
// process outlived its run.
//
// What it found first: convert() from the API left RSS 282 → 340 → 369 MB (+31 %) with fds and
// JS heap flat: glibc's per-thread heaps, not a leak (MALLOC_ARENA_MAX=1 kept it flat), which the
// CLI already avoided with the mmap threshold of pool/memory.ts; convert() now sets it itself.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { convert } from "../src";

const RUNS = 3;
const FILES = 5000;
const MAX_GROWTH = 1.1;
const PYTHON = "/usr/bin/python3";
const GENERATOR = path.join(__dirname, "p3", "make-archive.py");

/** P3's archive: the cached one, or a new one from P3's own generator. */
function p3Archive(): string {
  const cached = path.join(os.tmpdir(), "h5dat-bench-cache", `p3-${FILES}.tar.gz`);
  if (fs.existsSync(cached)) return cached;
  console.log(`making the P3 archive (${FILES} JPEGs + ${FILES} JSON): a few minutes, once`);
  const made = spawnSync(PYTHON, [GENERATOR, "--count", String(FILES)], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (made.status !== 0) throw new Error(`the P3 generator failed (exit ${made.status})`);
  const lines = made.stdout.trim().split("\n");
  return (JSON.parse(lines[lines.length - 1]) as { path: string }).path;
}

/** Processes below this one (pool workers, ffmpeg), from /proc. */
function descendants(): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone since the listing
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(process.pid);
  return found;
}

interface Sample {
  rssMb: number;
  fds: number;
  /** Descendants started since the soak began (tsx's esbuild service was there before). */
  children: number;
}

const before = new Set(descendants());

function sample(): Sample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const children = descendants().filter((pid) => !before.has(pid)).length;
  return { rssMb: process.memoryUsage().rss / 2 ** 20, fds: fs.readdirSync("/proc/self/fd").length, children };
}

const describe = (s: Sample) => `RSS ${s.rssMb.toFixed(0)} MB, ${s.fds} open fds, ${s.children} live child processes`;

async function main(): Promise<void> {
  const archive = p3Archive();
  const gc = typeof (globalThis as { gc?: unknown }).gc === "function";
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "h5dat-soak-"));
  console.log(`soak: ${archive} converted ${RUNS}× in one process (default workers, ${os.availableParallelism()} cores); RSS ${gc ? "after global.gc()" : "without gc (run with --expose-gc for a settled figure)"}`);
  console.log(`  before:  ${describe(sample())}`);
  const samples: Sample[] = [];
  try {
    for (let run = 1; run <= RUNS; run++) {
      const output = path.join(dir, `soak-${run}.h5`);
      const summary = await convert([archive], { output });
      const bytes = fs.statSync(output).size;
      fs.rmSync(output);
      const now = sample();
      samples.push(now);
      const failed = summary.failed > 0 ? `, ${summary.failed} FAILED` : "";
      console.log(`  run ${run}/${RUNS}: ${summary.written}/${summary.entries} entries written${failed} in ${summary.seconds.toFixed(1)} s (${(bytes / 2 ** 30).toFixed(2)} GiB); ${describe(now)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const growth = samples[RUNS - 1].rssMb / samples[0].rssMb;
  const problems = [
    ...(growth > MAX_GROWTH ? [`RSS grew ${((growth - 1) * 100).toFixed(1)} % from run 1 to run ${RUNS}`] : []),
    ...(samples[RUNS - 1].fds > samples[0].fds ? [`open fds grew from ${samples[0].fds} to ${samples[RUNS - 1].fds}`] : []),
    ...(samples.some((s) => s.children > 0) ? ["child processes outlived their run"] : []),
  ];
  console.log(problems.length > 0 ? `  LEAK: ${problems.join("; ")}` : `  no leak: RSS ×${growth.toFixed(3)} from run 1 to run ${RUNS}, fds steady, no child left`);
  console.log(
    JSON.stringify({
      bench: "soak",
      rss_mb: samples.map((s) => Math.round(s.rssMb)),
      fds: samples.map((s) => s.fds),
      children: samples.map((s) => s.children),
      growth: Math.round(growth * 1000) / 1000,
      gc,
    }),
  );
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
