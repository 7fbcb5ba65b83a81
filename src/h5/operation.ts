// One definition per operation, two ways to run it. An operation is a generator that yields
// native calls and gets their results back; `runSync` feeds it from the `...Sync` binding
// functions on the JS thread, `runAsync` from the Promise ones (the HDF5 work then runs on the
// libuv pool). So every h5dat method has a Promise form and a Sync form with the same logic.
import { native } from "../binding";
import type { OpArgs, OpName, OpResult } from "./native";

export interface NativeCall<K extends OpName = OpName> {
  op: K;
  args: OpArgs<K>;
}

export type Operation<T> = Generator<NativeCall, T, unknown>;

/** A native call to yield from an operation; its result comes back from the `yield`. */
export function* call<K extends OpName>(op: K, ...args: OpArgs<K>): Generator<NativeCall, OpResult<K>, unknown> {
  return (yield { op, args } as NativeCall) as OpResult<K>;
}

type AnyFn = (...args: unknown[]) => unknown;

export function runSync<T>(operation: Operation<T>): T {
  let step = operation.next();
  while (!step.done) {
    const { op, args } = step.value;
    let result: unknown;
    try {
      result = (native[`${op}Sync`] as AnyFn)(...(args as unknown[]));
    } catch (error) {
      step = operation.throw(error);
      continue;
    }
    step = operation.next(result);
  }
  return step.value;
}

export async function runAsync<T>(operation: Operation<T>): Promise<T> {
  let step = operation.next();
  while (!step.done) {
    const { op, args } = step.value;
    let result: unknown;
    try {
      result = await (native[op] as AnyFn)(...(args as unknown[]));
    } catch (error) {
      step = operation.throw(error);
      continue;
    }
    step = operation.next(result);
  }
  return step.value;
}
