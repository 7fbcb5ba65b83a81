// Reading jobs are operations (src/h5/operation.ts): generators of steps with a synchronous and a
// Promise form, run by runSync / runAsync, so every read helper has a Promise and a `...Sync`
// form with the same logic. Here: steps over h5 objects, and ways to run flows together.
import type { ArrayResult } from "../h5/array-data";
import type { DecodeOptions } from "../h5/decode";
import type { Dataset } from "../h5/dataset";
import type { Group, H5Member, LinkInfo } from "../h5/group";
import type { H5Object } from "../h5/h5-object";
import type { Selection } from "../h5/selection";
import { runAsync, runSync, step, type Operation, type Step } from "../h5/operation";

export { step, type Step };

/** A reading job: an operation (src/h5/operation.ts) whose steps may be any sync/async pair. */
export type Flow<T> = Operation<T>;

/** Two flows at once: one after the other in a Sync run, concurrently in an async run. */
export function both<A, B>(a: () => Flow<A>, b: () => Flow<B>): Generator<Step, [A, B], unknown> {
  return step<[A, B]>(
    () => [runSync(a()), runSync(b())],
    () => Promise.all([runAsync(a()), runAsync(b())]),
  );
}

/**
 * Many flows: one after another in a Sync run; in an async run up to `limit` at once (their
 * trips to the HDF5 thread overlap, though HDF5 itself runs one call at a time). Results in order.
 */
export function all<T>(flows: (() => Flow<T>)[], limit = 16): Generator<Step, T[], unknown> {
  return step<T[]>(
    () => flows.map((flow) => runSync(flow())),
    async () => {
      const out: T[] = new Array(flows.length);
      let next = 0;
      const lane = async () => {
        while (next < flows.length) {
          const i = next++;
          out[i] = await runAsync(flows[i]());
        }
      };
      await Promise.all(Array.from({ length: Math.min(limit, flows.length) }, lane));
      return out;
    },
  );
}

// ------------------------------------------------------------------ the h5 calls flows make

/** A step: the object at `path`. */
export const getObject = (group: Group, path: string) => step<H5Member>(() => group.getSync(path), () => group.get(path));
/** A step: whether `path` leads to an object. */
export const hasObject = (group: Group, path: string) => step<boolean>(() => group.hasSync(path), () => group.has(path));
/** A step: the names of the group's links. */
export const linkNames = (group: Group) => step<string[]>(() => group.keysSync(), () => group.keys());
/** A step: what the link at `path` is. */
export const linkInfo = (group: Group, path: string) => step<LinkInfo>(() => group.linkInfoSync(path), () => group.linkInfo(path));
/** A step: the dataset's values in `selection`. */
export const readData = (dataset: Dataset, selection?: Selection, options?: DecodeOptions) =>
  step<ArrayResult>(() => dataset.readSync(selection, options), () => dataset.read(selection, options));
/** A step: the names of the object's attributes. */
export const attrNames = (object: H5Object) => step<string[]>(() => object.attrs.keysSync(), () => object.attrs.keys());
/** A step: the value of the object's attribute `name`. */
export const attrValue = (object: H5Object, name: string) => step<unknown>(() => object.attrs.getSync(name), () => object.attrs.get(name));

/**
 * Closes an object the flow opened. Synchronously in a Sync run; in an async run the close is
 * started and not awaited (it is one more trip to the HDF5 thread, and nothing depends on it).
 */
export const release = (object: H5Object) =>
  step<void>(
    () => {
      if (object.isOpen) object.closeSync();
    },
    () => {
      if (object.isOpen) object.close().catch(() => undefined);
      return Promise.resolve();
    },
  );
