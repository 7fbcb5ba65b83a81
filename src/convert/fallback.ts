// The rule that every entry read ends up in the file: when a processor cannot make an entry's
// typed form, its original bytes are kept as a uint8 dataset at the same path (attrs processor
// "bytes", media_type, fallback_reason) and its manifest row says "written" with the message
// "kept as bytes: <the processor's error>". Limits (bombs, --max-*) are not kept (their bytes
// are what the limit refuses), nor is anything once the file itself cannot be written, nor
// after an interrupt; `on_error: "fail"` turns the rule off (the entry fails, as before).
import type { EntryLimitError } from "../sources/entry-limits";
import type { ManifestRow } from "../output/manifest";
import { messageOf } from "../error-message";
import { isWriteFailure } from "./write-failure";

/** What convert does with an entry its processor fails on: keep its bytes (default), or fail it. */
export type OnError = "keep" | "fail";

/** Every value of --on-error (config `on_error`, API `onError`). */
export const ON_ERROR_MODES: readonly OnError[] = ["keep", "fail"];

/** How a kept entry's manifest message starts. */
export const KEPT_AS_BYTES = "kept as bytes";

/** The manifest message of an entry kept as bytes because its processor failed with `reason`. */
export function keptAsBytesMessage(reason: string): string {
  return `${KEPT_AS_BYTES}: ${reason}`;
}

/**
 * The row is of an entry written as its bytes instead of its typed form (a processor failed, or
 * a file named as a table held no text): counted apart from clean writes.
 */
export function isKeptAsBytes(row: ManifestRow): boolean {
  return row.status === "written" && row.message.startsWith(`${KEPT_AS_BYTES}:`);
}

/** Every limit's message names its flag ("over --max-pixels 268,402,689"), or the fixed bound it passed. */
const LIMIT = /\bover (--max-(pixels|entry-bytes|ratio|csv-field)\b|the CSV limit\b)/;

/** Whether an entry that failed with `error` is kept as bytes under `onError`. */
export function keepsAsBytes(onError: OnError | undefined, error: unknown, signal?: AbortSignal): boolean {
  if ((onError ?? "keep") !== "keep" || signal?.aborted) return false;
  if ((error as EntryLimitError | null)?.name === "EntryLimitError") return false;
  const message = messageOf(error);
  return !LIMIT.test(message) && !isWriteFailure(message);
}
