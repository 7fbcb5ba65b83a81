// An entry's records, as a --schema rule's `records` checks them: the processors that have
// records (JSON, JSONL, CSV) say how to cut an entry into them and how to keep only some.
// Each record keeps its exact JSON text (numbers as written), for the quarantine.

/** An entry's records: their values (what is validated) and exact JSON texts. */
export interface RecordSet {
  /** array: a JSON array's elements; document: one JSON document; lines: JSONL; rows: CSV. */
  layout: "array" | "document" | "lines" | "rows";
  values: unknown[];
  texts: string[];
}

/**
 * How a processor reaches an entry's records: from its bytes before it is prepared (the kept
 * records then make new bytes to prepare: JSON), or from what it prepared (CSV's typed rows).
 */
export type RecordAccess<Result> =
  | {
      readonly from: "bytes";
      /** The entry's records; invalid input throws. */
      records(bytes: Uint8Array): RecordSet;
      /** The entry's bytes with only the records at `keptIndexes`; null when none is left to write. */
      keep(set: RecordSet, keptIndexes: readonly number[]): Uint8Array | null;
    }
  | {
      readonly from: "prepared";
      /** The prepared entry's records. */
      records(result: Result): RecordSet;
      /** The prepared entry with only the records at `keptIndexes`. */
      keep(result: Result, keptIndexes: readonly number[]): Result;
    };
