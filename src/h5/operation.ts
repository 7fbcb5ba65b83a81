// One definition per operation, two ways to run it. An operation is a generator that yields
// steps, each with a synchronous and a Promise form, and gets their results back; `runSync`
// calls the synchronous forms on the JS thread, `runAsync` awaits the Promise ones (native HDF5
// work then runs on the libuv pool). So every h5dat method has a Promise form and a Sync form
// with the same logic. Most steps are native calls (`call`); the reader adds its own (`step`).
import { native } from "../native/addon";
import type { OpArgs, OpName, OpResult } from "../native/addon-types";

/** One step of an operation, in a synchronous and a Promise form. */
export interface Step<T = unknown> {
  sync(): T;
  async(): Promise<T>;
}

/** One h5dat operation, written once: run by runSync or by runAsync. */
export type Operation<T> = Generator<Step, T, unknown>;

/** A step to yield from an operation; its result comes back from the `yield*`. */
export function* step<T>(sync: () => T, async: () => Promise<T>): Generator<Step, T, unknown> {
  return (yield { sync, async } as Step) as T;
}

type AnyFn = (...args: unknown[]) => unknown;

/** A native call to yield from an operation: `op` in a Promise run, `${op}Sync` in a Sync run. */
export function call<K extends OpName>(op: K, ...args: OpArgs<K>): Generator<Step, OpResult<K>, unknown> {
  return step(
    () => (native[`${op}Sync`] as AnyFn)(...(args as unknown[])) as OpResult<K>,
    () => (native[op] as AnyFn)(...(args as unknown[])) as Promise<OpResult<K>>,
  );
}

/** Runs `operation` on the JS thread, taking each step's synchronous form. */
export function runSync<T>(operation: Operation<T>): T {
  let next = operation.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = next.value.sync();
    } catch (error) {
      next = operation.throw(error);
      continue;
    }
    next = operation.next(result);
  }
  return next.value;
}

/** Runs `operation`, awaiting each step's Promise form (native work on the libuv pool). */
export async function runAsync<T>(operation: Operation<T>): Promise<T> {
  let next = operation.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await next.value.async();
    } catch (error) {
      next = operation.throw(error);
      continue;
    }
    next = operation.next(result);
  }
  return next.value;
}
