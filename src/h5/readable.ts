// Why the values of a dataset or attribute cannot be read, known before reading: a type whose
// values have no JS form, or a filter this build of HDF5 does not have. Mirrors the binding's
// memory-type rules (binding/types/read_type.cc), so a listing can say so without failing.
import type { NativeDatasetInfo } from "../native/addon-types";
import type { TypeSpec } from "../native/type-spec";
import { FILTER_NAMES } from "./compression";

const PLAIN_SIZES = new Set([1, 2, 4, 8]);

/** Why values of `spec` cannot be read, or null when they can. */
export function unreadableType(spec: TypeSpec): string | null {
  switch (spec.class) {
    case "integer":
      return PLAIN_SIZES.has(spec.size) ? null : `${spec.size * 8}-bit integers have no JS type`;
    case "bitfield":
      return PLAIN_SIZES.has(spec.size) ? null : `${spec.size * 8}-bit bitfields have no JS type`;
    case "time":
      return spec.size === 4 || spec.size === 8 ? null : `${spec.size * 8}-bit times have no JS type`;
    case "enum":
      return unreadableType(spec.base);
    case "array":
    case "vlen":
      return unreadableType(spec.base);
    case "compound":
      for (const member of spec.members) {
        const reason = unreadableType(member.type);
        if (reason) return `field '${member.name}': ${reason}`;
      }
      return null;
    case "unsupported":
      return `HDF5 type class '${spec.name}' is not supported`;
    default:
      return null;
  }
}

/** Why a dataset's values cannot be read (its type, or a filter HDF5 lacks here), or null. */
export function unreadableDataset(info: Pick<NativeDatasetInfo, "type" | "filters">): string | null {
  const missing = info.filters.find((f) => !f.available);
  if (missing) return `filter '${FILTER_NAMES.get(missing.id) ?? (missing.name || "unnamed")}' (id ${missing.id}) is not available in this build`;
  return unreadableType(info.type);
}
