// A table too wide for a compound type, stored as a group instead of one dataset. A compound
// type lives in its dataset's object header, whose messages HDF5 caps at 64 KiB: ~20 bytes per
// int64 field (more for float, string and bool fields and long names) fails near 3,300 columns
// ("object header message is too large", measured), and HDF5 builds the type in time quadratic
// in its fields (100,000 columns took 44 s before failing). The group holds, all linear in columns:
//   columns       string [C]      the header, as written
//   column_types  string [C]      each column's type: int64, float64, bool or string
//   int64         int64 [R, Ni]   the int64 columns, in header order (present when Ni > 0)
//   float64       float64 [R, Nf] likewise (empty cells NaN)
//   bool          bool [R, Nb]    likewise (h5py's bool enum)
//   string        string [R, Ns]  likewise (UTF-8, variable length)
// and the attrs mode "table" and layout "wide" (plus preamble and the entry's attrs). Column c is
// column k of the matrix of its type, k the number of earlier columns of that type.
import type { AttributeSet } from "../h5/attrs";
import type { Dtype } from "../h5/dtype";
import type { Group } from "../h5/group";
import { storageOptions, type DatasetLayout } from "./layout";
import type { CsvColumn, CsvColumnType, CsvTable } from "./csv-table";

/** The `layout` attr of a wide table's group. */
export const WIDE_LAYOUT = "wide";

/** The matrices of a wide table, one per column type, named by it. */
export const WIDE_TYPES: readonly CsvColumnType[] = ["int64", "float64", "bool", "string"];

/**
 * 48 KiB: the estimated compound type message past which a table is stored wide, a quarter
 * under HDF5's 64 KiB cap so that the estimate may be off without the write failing.
 */
export const MOST_COMPOUND_BYTES = 48 * 1024;

/** Bytes of a member's type in a compound type message (measured by bisection on HDF5 1.14). */
const TYPE_BYTES: Record<CsvColumnType, number> = { int64: 12, float64: 20, string: 20, bool: 40 };

/**
 * Whether a table of these columns is stored wide: its compound type's header message (each
 * member: name, NUL, a 4-byte offset, its type) would pass MOST_COMPOUND_BYTES.
 */
export function isWideTable(fields: readonly string[], types: readonly CsvColumnType[]): boolean {
  let bytes = 0;
  for (let c = 0; c < fields.length; c++) {
    bytes += Buffer.byteLength(fields[c]) + 1 + 4 + TYPE_BYTES[types[c]];
    if (bytes > MOST_COMPOUND_BYTES) return true;
  }
  return false;
}

/** Writes `table` as group `name` in `group` in the wide layout above; `attrs` go on the group. */
export async function writeWideTable(group: Group, name: string, table: CsvTable, layout: DatasetLayout, attrs: AttributeSet): Promise<Group> {
  const wide = await group.createGroup(name);
  try {
    await wide.attrs.update({ ...attrs.values, layout: WIDE_LAYOUT }, attrs.options);
    // A rule's chunk shape and dtype are for a table's one axis, not for these matrices.
    const store = (dtype: Dtype) => storageOptions({ compression: layout.compression }, { dtype }, dtype !== "string");
    const columns = table.columns.length;
    await (await wide.createDataset("columns", { data: table.columns, shape: [columns], ...store("string") })).close();
    await (await wide.createDataset("column_types", { data: table.types, shape: [columns], ...store("string") })).close();
    for (const type of WIDE_TYPES) {
      const picked = table.types.flatMap((t, c) => (t === type ? [c] : []));
      if (picked.length === 0) continue;
      const data = matrix(type, picked.map((c) => table.values[c]), table.rows);
      await (await wide.createDataset(type, { data, shape: [table.rows, picked.length], ...store(type) })).close();
    }
    return wide;
  } catch (error) {
    await wide.close();
    throw error;
  }
}

/** Columns of one type as a row-major [rows, columns.length] matrix. */
function matrix(type: CsvColumnType, columns: CsvColumn[], rows: number): BigInt64Array | Float64Array | boolean[] | string[] {
  const width = columns.length;
  const out = type === "int64" ? new BigInt64Array(rows * width) : type === "float64" ? new Float64Array(rows * width) : new Array(rows * width);
  for (let k = 0; k < width; k++) {
    const column = columns[k];
    for (let r = 0; r < rows; r++) out[r * width + k] = column[r];
  }
  return out as BigInt64Array | Float64Array | boolean[] | string[];
}
