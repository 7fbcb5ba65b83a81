// What an entry's plan must say before any processor sees it: a link or special file is skipped
// (never followed), a name that had to be changed is noted, a name with nothing left fails, and
// an empty entry fails where its type cannot be empty. Each message names the cause.
import type { Classification } from "../classify";
import { FALLBACK_PROCESSOR, processorNamed, type ProcessorName } from "../processors/registry";
import type { SourceEntry } from "../sources/source-entry";
import type { SafePath } from "../output/hdf5-names";

/** Why a link or special file is skipped: "symlink to '/etc/passwd', not followed". */
export function notFileMessage(notFile: NonNullable<SourceEntry["notFile"]>): string {
  if (notFile.link !== undefined) return `${notFile.type} to '${notFile.link}', not followed`;
  return `not a regular file (${notFile.type}), not read`;
}

/** Why an entry cannot be placed at all: its name has no component left once made safe. */
export function noNameMessage(sourcePath: string): string {
  return `no name left to write it under: '${sourcePath}' has only empty, '.' or '..' components`;
}

/** The notes about an entry's name for its manifest row ("" when it was used as it is). */
export function nameNotes(entry: SourceEntry, safe: SafePath | null): string {
  const notes: string[] = [];
  if (entry.warning) notes.push(`archive warning: ${entry.warning}`);
  if (entry.rawName) notes.push(`name is not valid UTF-8 (bytes "${escapeBytes(entry.rawName)}"): U+FFFD stands for the invalid bytes`);
  if (safe && safe.changes.length > 0) notes.push(`name sanitized: ${safe.changes.join(", ")}`);
  return notes.join("; ");
}

/** What an empty entry of `processor`'s kind lacks, or null when empty is a valid value of it. */
export function emptyEntryMessage(processor: ProcessorName): string | null {
  const why = processorNamed(processor).notEmpty;
  return why === undefined ? null : `empty (0 bytes): ${why}`;
}

/** Why an entry named as a table is kept as bytes (the fallback took it): its content is not text (a NUL byte, ...). */
export function keptAsBytesNote(processor: ProcessorName, kind: Classification): string {
  if (processor !== FALLBACK_PROCESSOR.name || kind.category !== "bytes" || !TABLE_EXTENSIONS.has(kind.nameExtension)) return "";
  return `kept as bytes: named .${kind.nameExtension} but its content is not text (control bytes such as NUL)`;
}

const TABLE_EXTENSIONS = new Set(["csv", "tsv", "tab"]);

/** Printable ASCII as it is, every other byte as \xNN. */
function escapeBytes(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, "0")}`;
  return text;
}

/** Two messages of one row, the cause first: "invalid JSON ...; name sanitized: ...". */
export function joinMessages(...messages: string[]): string {
  return messages.filter((message) => message !== "").join("; ");
}
