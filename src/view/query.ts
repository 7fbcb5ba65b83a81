// The query parameters of a viewer request, read with their checks: a missing or malformed one is
// a 400 that names it. No parameter is ever a file-system path: `path` is a path inside the
// HDF5 file being viewed.
import { ViewError } from "./view-error";

/** A request's query, with typed getters that refuse bad values. */
export class Query {
  constructor(private readonly params: URLSearchParams) {}

  /** An HDF5 path inside the file (absolute; "/" by default). */
  objectPath(): string {
    const path = this.params.get("path") ?? "/";
    if (!path.startsWith("/") || path.includes("\0")) throw new ViewError(400, `path must be an absolute path inside the file, not '${path}'`);
    return path;
  }

  /** A text parameter, or `fallback`. */
  text(name: string, fallback = ""): string {
    return this.params.get(name) ?? fallback;
  }

  /** A whole number in [min, max], or `fallback` when absent. */
  integer(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const raw = this.params.get(name);
    if (raw === null || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new ViewError(400, `${name} must be a whole number ≥ ${min}, not '${raw}'`);
    if (value > max) throw new ViewError(413, `${name}: ${value} asked for, at most ${max}`);
    return value;
  }
}
