// The machine a bench ran on, recorded with its result: on 2 shared cores the load average
// explains more of a number's noise than anything in the code.
import { spawnSync } from "node:child_process";
import os from "node:os";
import { hdf5Version } from "../../src/h5/library";

export interface MachineFacts {
  cores: number;
  cpu: string;
  platform: string;
  node: string;
  /** HDF5 linked into h5dat's addon. */
  hdf5: string;
  /** The anchor's h5py and the HDF5 under it. */
  h5py: string;
  h5pyHdf5: string;
  /** 1-, 5- and 15-minute load averages when the bench started and when it ended. */
  loadStart: number[];
  loadEnd: number[];
}

/** The facts that stay put during a run; load averages are added per bench. */
export type StaticMachineFacts = Omit<MachineFacts, "loadStart" | "loadEnd">;

export function loadAverage(): number[] {
  return os.loadavg().map((load) => Math.round(load * 100) / 100);
}

/** Collects the static facts; `python` must be the interpreter whose h5py is the anchor. */
export function staticMachineFacts(python: string): StaticMachineFacts {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim() ?? "unknown",
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    hdf5: hdf5Version(),
    ...h5pyVersions(python),
  };
}

function h5pyVersions(python: string): { h5py: string; h5pyHdf5: string } {
  const script = "import h5py, json; print(json.dumps([h5py.version.version, h5py.version.hdf5_version]))";
  const child = spawnSync(python, ["-c", script], { encoding: "utf8" });
  try {
    const [h5py, h5pyHdf5] = JSON.parse(child.stdout) as [string, string];
    return { h5py, h5pyHdf5 };
  } catch {
    return { h5py: "unknown", h5pyHdf5: "unknown" };
  }
}
