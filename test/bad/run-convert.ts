// Runs `h5dat convert` as the user does (a child process, so a crash shows as a signal or an
// exit code, not as a failed test process), and reads what it wrote with h5py: every dataset's
// path, shape and dtype, the manifest, and the values a case asks for.
import { spawn } from "node:child_process";
import path from "node:path";
import { compiledCli } from "../helpers/compiled-cli";
import { PY_RAGGED, python } from "../helpers/h5py";

const ROOT = path.join(__dirname, "..", "..");
/** A case that takes longer than this has hung (the slowest, 100 MB of JSON, takes ~5 s). */
const TIMEOUT_MS = 120_000;

export interface ConvertRun {
  /** null when the process was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
  output: string;
}

/** `h5dat convert <inputs> -o <output> --json <args>` (with --workers 0 unless `args` sets it). */
export function runConvert(inputs: string[], output: string, args: string[] = []): Promise<ConvertRun> {
  const workers = args.includes("--workers") ? [] : ["--workers", "0"];
  const argv = compiledCli("convert", ...inputs, "-o", output, "--json", ...workers, ...args);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, seconds: (performance.now() - started) / 1000, output });
    });
  });
}

export interface ManifestRow {
  source: string;
  source_path: string;
  target: string;
  status: "written" | "skipped" | "failed";
  bytes: number;
  processor: string;
  message: string;
}

export interface H5pyView {
  rows: ManifestRow[];
  /** Every dataset but the manifest's own files (/_h5dat): path → shape and dtype. */
  datasets: Record<string, { shape: number[]; dtype: string }>;
  /** The values asked for: uint8 1-D as { base64 }, compounds as row objects, the rest as lists. */
  values: Record<string, unknown>;
}

const READ_PY = String.raw`${PY_RAGGED}
import base64, h5py, json, sys, numpy as np
path, wanted = sys.argv[1], json.loads(sys.argv[2])
def plain(v):
    if isinstance(v, bytes): return v.decode("utf-8", "surrogateescape")
    if isinstance(v, np.ndarray): return [plain(x) for x in v.tolist()] if v.dtype.kind in "OS" else plain(v.tolist())
    if isinstance(v, (list, tuple)): return [plain(x) for x in v]
    if isinstance(v, np.generic): return plain(v.item())
    if isinstance(v, float) and v != v: return "NaN"
    return v
f = h5py.File(path, "r")
datasets = {}
def is_ragged(obj):
    return isinstance(obj, h5py.Group) and obj.attrs.get("layout") == "ragged-utf8"
def visit(name, obj):
    # A ragged string array (JSON pairs, kv cells) is one dataset of its shape, not its two members.
    if is_ragged(obj):
        datasets["/" + name] = {"shape": [int(n) for n in obj.attrs["shape"]], "dtype": "ragged-utf8"}
    elif isinstance(obj, h5py.Dataset) and not name.startswith("_h5dat/") and not is_ragged(obj.parent):
        datasets["/" + name] = {"shape": list(obj.shape), "dtype": str(obj.dtype)}
f.visititems(visit)
m = f["_h5dat/manifest"][()]
names = ["source", "source_path", "target", "status", "bytes", "processor", "message"]
rows = [{n: plain(r[n]) for n in names} for r in m]
values = {}
for p in wanted:
    d = f[p]
    if is_ragged(d):
        values[p] = ragged(d)
        continue
    v = d[()]
    if d.dtype == np.uint8 and d.ndim == 1: values[p] = {"base64": base64.b64encode(v.tobytes()).decode()}
    elif d.dtype.names: values[p] = [{n: plain(r[n]) for n in d.dtype.names} for r in v]
    else: values[p] = plain(v)
print(json.dumps({"rows": rows, "datasets": datasets, "values": values}))
`;

/** What h5py sees in `output`; `wanted` are dataset paths whose values to read. */
export function readWithH5py(output: string, wanted: string[] = []): H5pyView {
  return python<H5pyView>(READ_PY, output, JSON.stringify(wanted));
}
