// A scavenge of V8's young generation after a large answer. A request's pixels, PNG and WAV
// buffers die young, but V8 lets its young generation grow to 16 MB semi-spaces (and the
// buffers' memory outside the heap with it) before collecting: browsing P10's 2 GB stack's grid
// peaked at 154 MB of RSS, 112 MB with small semi-spaces. A process's V8 flags are fixed at its
// start (`h5dat` is started by its bin script), so the server asks for the collection itself,
// the way V8 lets a process expose gc() late; a minor collection takes a few milliseconds.
import v8 from "node:v8";
import vm from "node:vm";

/** Bytes of an answer past which the young generation is collected once it is sent. */
export const LARGE_ANSWER = 256 << 10;

let scavenge: (() => void) | null | undefined;

/** Collects the young generation (once set up; where gc() cannot be had, nothing). */
export function collectYoungGarbage(): void {
  if (scavenge === undefined) {
    try {
      v8.setFlagsFromString("--expose-gc");
      const gc = vm.runInNewContext("gc") as (options?: { type: "minor" | "major" }) => void;
      scavenge = () => gc({ type: "minor" });
    } catch {
      scavenge = null;
    }
  }
  scavenge?.();
}
