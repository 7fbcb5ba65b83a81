// `h5dat view`'s server without a browser (issue 24, safety): the command prints a URL with a
// token and binds 127.0.0.1 (warning for another host); a wrong or missing token is 403 on every
// route, assets included; only GET; no parameter reaches the file system; slices, pages and
// bytes are bounded (413 with a message); a corrupt dataset's error is the answer, and the next
// request is served.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { startViewServer, type ViewServer } from "../../src/view/server";
import { VIEW_LIMITS } from "../../src/view/limits";
import { compiledCli } from "../helpers/compiled-cli";
import { tempDir } from "../helpers/h5py";
import { makeViewSample, SAMPLE_PATHS } from "./view-sample";

let file: string;
let server: ViewServer;
let base: string;

before(async () => {
  file = await makeViewSample(tempDir("h5dat-view-"));
  server = await startViewServer({ file });
  base = `http://127.0.0.1:${server.port}`;
});
after(() => server?.close());

const get = (route: string, token: string | null = server.token, init: RequestInit = {}) =>
  fetch(`${base}${route}${token === null ? "" : `${route.includes("?") ? "&" : "?"}token=${token}`}`, init);

const ROUTES = [
  "/", "/app.js", "/app.css", "/api/file", "/api/members?path=/", "/api/object?path=/", `/api/image.png?path=${SAMPLE_PATHS.rgb}`,
  `/api/table?path=${SAMPLE_PATHS.table}`, `/api/json?path=${SAMPLE_PATHS.json}`, `/api/bytes?path=${SAMPLE_PATHS.bytes}`,
  `/api/slice?path=${SAMPLE_PATHS.line}`, `/api/values?path=${SAMPLE_PATHS.line}`, `/api/frame.png?path=${SAMPLE_PATHS.video}`,
  `/api/audio.wav?path=${SAMPLE_PATHS.audio}`, `/api/waveform?path=${SAMPLE_PATHS.audio}`, "/api/manifest", `/api/stack?path=${SAMPLE_PATHS.stack}`,
  `/api/stack-image.png?path=${SAMPLE_PATHS.stack}&row=0`, "/no/such/page",
];

test("every route answers 403 to a wrong or missing token, and 200 (or 404 for no page) to the right one", async () => {
  const wrong = "0".repeat(server.token.length);
  for (const route of ROUTES) {
    assert.equal((await get(route, null)).status, 403, `${route} without a token`);
    assert.equal((await get(route, wrong)).status, 403, `${route} with a wrong token`);
    assert.equal((await get(route, server.token.slice(0, -1))).status, 403, `${route} with a token one character short`);
    assert.equal((await get(route)).status, route === "/no/such/page" ? 404 : 200, `${route} with the token`);
  }
  // The header is as good as the query parameter.
  assert.equal((await fetch(`${base}/api/file`, { headers: { "x-h5dat-token": server.token } })).status, 200);
});

test("only GET is served, and a body is refused", async () => {
  for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
    const response = await get("/api/file", server.token, { method });
    assert.equal(response.status, 405, method);
    assert.match(((await response.json()) as { error: string }).error, /read-only/);
  }
});

test("no parameter reaches the file system: paths are paths inside the file", async () => {
  for (const path of ["../../etc/passwd", "etc/passwd", "C:\\Windows"]) assert.equal((await get(`/api/object?path=${encodeURIComponent(path)}`)).status, 400, path);
  const outside = await get(`/api/object?path=${encodeURIComponent("/etc/passwd")}`);
  assert.equal(outside.status, 404);
  assert.match(((await outside.json()) as { error: string }).error, /no object '\/etc\/passwd' in the file/);
  assert.equal((await get("/app.js/../../package.json")).status, 404);
});

test("slices, pages, bytes and URLs past their bounds are refused with a message", async () => {
  const cases: [string, number][] = [
    [`/api/table?path=${SAMPLE_PATHS.bigTable}&start=0&stop=${VIEW_LIMITS.tableRows + 1}`, 413],
    [`/api/bytes?path=${SAMPLE_PATHS.bytes}&length=${VIEW_LIMITS.hexBytes + 1}`, 413],
    [`/api/manifest?limit=${VIEW_LIMITS.manifestPage + 1}`, 413],
    [`/api/stack?path=${SAMPLE_PATHS.stack}&limit=${VIEW_LIMITS.stackPage + 1}`, 413],
    [`/api/table?path=${SAMPLE_PATHS.bigTable}&start=-1`, 400],
    [`/api/slice?path=${SAMPLE_PATHS.cube}&sel=0,0,0,0`, 400],
    [`/api/object?path=/${"a".repeat(VIEW_LIMITS.urlChars)}`, 414],
  ];
  for (const [route, status] of cases) {
    const response = await get(route);
    assert.equal(response.status, status, route.slice(0, 100));
    assert.ok(((await response.json()) as { error: string }).error.length > 0);
  }
});

test("a slice over the bound is refused before anything is read", async () => {
  // A 2-D dataset of 2^21 values: one slice of it all is past the bound, a strided one is not.
  const big = await startViewServer({ file: await bigFile() });
  try {
    const over = await fetch(`http://127.0.0.1:${big.port}/api/slice?path=/big&token=${big.token}`);
    assert.equal(over.status, 413);
    assert.match(((await over.json()) as { error: string }).error, /values of one slice: 2097152 asked for, at most 1048576/);
    const strided = await fetch(`http://127.0.0.1:${big.port}/api/slice?path=/big&sel=::2,:&token=${big.token}`);
    assert.equal(strided.status, 200);
  } finally {
    await big.close();
  }
});

async function bigFile(): Promise<string> {
  const { File } = await import("../../src/h5/file");
  const path = `${tempDir("h5dat-view-big-")}/big.h5`;
  const h5 = await File.open(path, "w");
  await (await h5.createDataset("big", { shape: [2048, 1024], dtype: "uint8", chunks: [256, 256], compression: "gzip" })).close();
  await h5.close();
  return path;
}

test("a corrupt dataset's error is its answer, and the server goes on serving", async () => {
  const corrupt = await get(`/api/slice?path=${SAMPLE_PATHS.corrupt}`);
  assert.equal(corrupt.status, 500);
  assert.ok(((await corrupt.json()) as { error: string }).error.length > 0);
  assert.equal((await get(`/api/slice?path=${SAMPLE_PATHS.line}`)).status, 200);
});

/** Starts `h5dat view` with `args`; resolves with what it printed once the URL is out, and stops it. */
function runView(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, compiledCli("view", file, ...args), { stdio: ["ignore", "pipe", "pipe"] });
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (/Ctrl-C/.test(stdout)) child.kill("SIGINT");
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("exit", () => resolve({ stdout, stderr }));
    child.on("error", reject);
  });
}

test("h5dat view prints a URL with a token on 127.0.0.1, and warns when bound elsewhere", async () => {
  const local = await runView("--port", "0");
  assert.match(local.stdout, /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}/);
  assert.equal(local.stderr, "");
  const open = await runView("--port", "0", "--host", "0.0.0.0");
  assert.match(open.stderr, /warning: --host 0\.0\.0\.0 lets other machines reach the server/);
});

test("a group's members come a page at a time, each as h5dat ls lists it", async () => {
  const all = (await (await get("/api/members?path=/")).json()) as { total: number; members: { path: string }[] };
  const page = (await (await get("/api/members?path=/&offset=2&limit=3")).json()) as { total: number; offset: number; members: { path: string; kind: string }[] };
  assert.equal(page.total, all.total);
  assert.deepEqual(page.members.map((m) => m.path), all.members.slice(2, 5).map((m) => m.path));
  const listed = JSON.parse(execFileSync(process.execPath, compiledCli("ls", "--json", file, "/"), { encoding: "utf8" })) as { path: string; kind: string }[];
  assert.deepEqual(all.members, listed.map((o) => JSON.parse(JSON.stringify(o))));
  assert.equal((await get(`/api/members?path=${SAMPLE_PATHS.line}`)).status, 400);
});
