// Compression settings: the one parser of their text ("zstd:5", "blosc:lz4:5:bitshuffle"), used
// by the CLI, config files, schema rules and createDataset, and the HDF5 filters each becomes, at
// the IDs and cd_values hdf5plugin writes (so h5py + hdf5plugin reads the files and h5dat reads
// theirs). The codecs beyond gzip are built into the addon (binding/filters) and shipped as HDF5
// plugins for other programs (`h5dat plugin-path`).

/** The compressors: gzip (HDF5's deflate) and the codecs at hdf5plugin's filter IDs. */
export type Codec = "gzip" | "zstd" | "lz4" | "blosc" | "bitshuffle";

/** The compressor inside Blosc (hdf5plugin's `Blosc(cname=…)`). */
export type BloscCompressor = "blosclz" | "lz4" | "lz4hc" | "zlib" | "zstd";

/** Blosc's shuffle before compressing: none, by byte (the default), or by bit. */
export type BloscShuffle = "noshuffle" | "shuffle" | "bitshuffle";

/** One compressor and its settings; what every compression text parses to. */
export interface CompressionSpec {
  /** The compressor. */
  codec: Codec;
  /** gzip 0-9 (4), zstd 1-22 (3), blosc 0-9 (5), bitshuffle with zstd 1-22 (3); none for lz4. */
  level?: number;
  /** Blosc's compressor (lz4), or what compresses after Bitshuffle: lz4 (default), zstd or none. */
  compressor?: BloscCompressor | "none";
  /** Blosc's shuffle (shuffle). */
  shuffle?: BloscShuffle;
}

/** A compression setting: a spec, or "none" for datasets stored as they are. */
export type CompressionSetting = CompressionSpec | "none";

/**
 * Compression as createDataset and the processors take it: a codec ("gzip" is level 4, as
 * h5py), a setting text ("zstd:5"), a spec, a gzip level 0-9, or "none" (null: none).
 */
export type CompressionOption = Codec | "none" | (string & {}) | number | CompressionSpec | null;

/** HDF5 filter IDs: HDF5's own and the registered ones hdf5plugin uses. */
export const FILTER_IDS = { gzip: 1, shuffle: 2, fletcher32: 3, szip: 4, nbit: 5, scaleoffset: 6, lzo: 305, bzip2: 307, lzf: 32000, blosc: 32001, lz4: 32004, bitshuffle: 32008, zfp: 32013, zstd: 32015, sz: 32017, fcidecomp: 32018, blosc2: 32026 } as const;

/** The filter names by ID, for listings (the file's own name for a filter may be a sentence). */
export const FILTER_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(FILTER_IDS).map(([name, id]) => [id, name]));

/** The codecs the addon runs itself (the rest of FILTER_IDS are named, not read). */
export const CODECS: readonly Codec[] = ["gzip", "zstd", "lz4", "blosc", "bitshuffle"];

const BLOSC_COMPRESSORS: readonly BloscCompressor[] = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];
const BLOSC_SHUFFLES: readonly BloscShuffle[] = ["noshuffle", "shuffle", "bitshuffle"];
/** Blosc's compressor codes (cd_values[6]) and shuffle codes (cd_values[5]). */
const BLOSC_CODES: Record<BloscCompressor, number> = { blosclz: 0, lz4: 1, lz4hc: 2, zlib: 4, zstd: 5 };
/** Bitshuffle's compression codes (cd_values[1] of the user's options). */
const BITSHUFFLE_CODES = { none: 0, lz4: 2, zstd: 3 } as const;

const LEVELS = { gzip: [0, 9, 4], zstd: [1, 22, 3], blosc: [0, 9, 5], bitshuffle: [1, 22, 3] } as const;

/** What a compression text may say, as a JSON Schema pattern (config and schema files). */
export const COMPRESSION_PATTERN =
  "^(none|gzip(:[0-9])?|zstd(:[0-9]{1,2})?|lz4|blosc(:(blosclz|lz4|lz4hc|zlib|zstd)(:[0-9])?(:(noshuffle|shuffle|bitshuffle))?)?|bitshuffle(:(lz4|none|zstd(:[0-9]{1,2})?))?)$";

/** The grammar, for error messages. */
const GRAMMAR = "gzip[:0-9], zstd[:1-22], lz4, blosc[:CNAME[:0-9][:shuffle|bitshuffle|noshuffle]], bitshuffle[:lz4|:zstd[:1-22]|:none] or none";

/**
 * Parses a compression text: "gzip" (level 4), "gzip:6", "zstd", "zstd:9", "lz4",
 * "blosc:zstd:5:bitshuffle", "bitshuffle:zstd", "none". `what` names the setting in errors.
 */
export function parseCompression(text: string, what = "compression"): CompressionSetting {
  const fail = (why: string): never => {
    throw new Error(`${what} '${text}': ${why} (use ${GRAMMAR})`);
  };
  const [codec, ...parts] = text.trim().split(":");
  if (codec === "none" && parts.length === 0) return "none";
  if (!(CODECS as readonly string[]).includes(codec)) fail(`unknown compressor '${codec}'`);
  const level = (part: string | undefined, c: keyof typeof LEVELS): number | undefined => {
    if (part === undefined) return undefined;
    const [min, max] = LEVELS[c];
    if (!/^[0-9]{1,2}$/.test(part) || Number(part) < min || Number(part) > max) fail(`level '${part}' is not ${min}-${max}`);
    return Number(part);
  };
  switch (codec as Codec) {
    case "gzip":
    case "zstd": {
      if (parts.length > 1) fail("too many parts");
      return withDefaults({ codec: codec as Codec, level: level(parts[0], codec as "gzip" | "zstd") });
    }
    case "lz4":
      if (parts.length > 0) fail("lz4 takes no level");
      return { codec: "lz4" };
    case "blosc": {
      if (parts.length > 3) fail("too many parts");
      const [name, ...rest] = parts;
      if (name !== undefined && !(BLOSC_COMPRESSORS as readonly string[]).includes(name)) fail(`Blosc has no compressor '${name}'`);
      let shuffle: BloscShuffle | undefined;
      let lvl: number | undefined;
      for (const part of rest) {
        if ((BLOSC_SHUFFLES as readonly string[]).includes(part) && shuffle === undefined) shuffle = part as BloscShuffle;
        else if (lvl === undefined && shuffle === undefined) lvl = level(part, "blosc");
        else fail(`'${part}' is out of place`);
      }
      return withDefaults({ codec: "blosc", compressor: name as BloscCompressor | undefined, level: lvl, shuffle });
    }
    case "bitshuffle": {
      const [name, lvl] = parts;
      if (name !== undefined && !(name in BITSHUFFLE_CODES)) fail(`Bitshuffle compresses with lz4, zstd or none, not '${name}'`);
      if (lvl !== undefined && name !== "zstd") fail("only zstd after Bitshuffle takes a level");
      if (parts.length > 2) fail("too many parts");
      return withDefaults({ codec: "bitshuffle", compressor: name as CompressionSpec["compressor"], level: level(lvl, "bitshuffle") });
    }
  }
  return fail("unknown compressor");
}

/** The spec with every default filled in (gzip 4, zstd 3, Blosc lz4 5 shuffle, Bitshuffle lz4). */
export function withDefaults(spec: CompressionSpec): CompressionSpec {
  switch (spec.codec) {
    case "gzip":
      return { codec: "gzip", level: spec.level ?? 4 };
    case "zstd":
      return { codec: "zstd", level: spec.level ?? 3 };
    case "lz4":
      return { codec: "lz4" };
    case "blosc":
      return { codec: "blosc", compressor: spec.compressor ?? "lz4", level: spec.level ?? 5, shuffle: spec.shuffle ?? "shuffle" };
    case "bitshuffle": {
      const compressor = spec.compressor ?? "lz4";
      return compressor === "zstd" ? { codec: "bitshuffle", compressor, level: spec.level ?? 3 } : { codec: "bitshuffle", compressor };
    }
  }
}

/**
 * The canonical text of a compression, however given (a setting, a text, a spec, a gzip level):
 * "none", "gzip:4", "zstd:3", "lz4", "blosc:lz4:5:shuffle", "bitshuffle:lz4". Absent (undefined
 * or null) is h5dat's default, gzip:4: what convert and every processor use when not told. A
 * spec is written as it is, not checked: one read from a foreign file may hold any level.
 */
export function compressionText(compression: CompressionSetting | CompressionOption | undefined): string {
  const given = compression ?? "gzip";
  const spec = typeof given === "object" ? given : compressionSpecOf(given);
  return spec === null ? "none" : specText(spec);
}

function specText(given: CompressionSpec): string {
  const spec = withDefaults(given);
  switch (spec.codec) {
    case "gzip":
    case "zstd":
      return `${spec.codec}:${spec.level}`;
    case "lz4":
      return "lz4";
    case "blosc":
      return `blosc:${spec.compressor}:${spec.level}:${spec.shuffle}`;
    case "bitshuffle":
      return spec.compressor === "zstd" ? `bitshuffle:zstd:${spec.level}` : `bitshuffle:${spec.compressor}`;
  }
}

/**
 * createDataset's compression and compressionOpts as one spec (null: none). A spec and a level in
 * compressionOpts go through the same parser as a text, so their ranges are checked the same way.
 */
export function compressionSpecOf(compression: CompressionOption | undefined, level?: number): CompressionSpec | null {
  if (compression === undefined || compression === null || compression === "none") {
    if (level !== undefined) throw new Error(`compressionOpts ${level} without a compressor`);
    return null;
  }
  if (typeof compression === "number") return parseCompression(`gzip:${compression}`) as CompressionSpec;
  const spec = parseCompression(typeof compression === "string" ? compression : specText(compression));
  if (spec === "none") return null;
  if (level === undefined) return spec;
  if (spec.codec === "lz4" || (spec.codec === "bitshuffle" && spec.compressor !== "zstd")) throw new Error(`${specText(spec)} takes no level`);
  return parseCompression(specText({ ...spec, level })) as CompressionSpec;
}

/** One HDF5 filter with the cd_values a user gives it (the filter's set_local adds its own). */
export interface FilterStep {
  id: number;
  values: number[];
}

/** The filter a spec becomes: gzip as HDF5's deflate, the others as hdf5plugin's options. */
export function filterStep(spec: CompressionSpec): FilterStep {
  const s = withDefaults(spec);
  switch (s.codec) {
    case "gzip":
      return { id: FILTER_IDS.gzip, values: [s.level!] };
    case "zstd":
      return { id: FILTER_IDS.zstd, values: [s.level!] };
    case "lz4":
      return { id: FILTER_IDS.lz4, values: [0] };
    case "blosc":
      return { id: FILTER_IDS.blosc, values: [0, 0, 0, 0, s.level!, BLOSC_SHUFFLES.indexOf(s.shuffle!), BLOSC_CODES[s.compressor as BloscCompressor]] };
    case "bitshuffle": {
      const code = BITSHUFFLE_CODES[s.compressor as keyof typeof BITSHUFFLE_CODES];
      return { id: FILTER_IDS.bitshuffle, values: s.compressor === "zstd" ? [0, code, s.level!] : [0, code] };
    }
  }
}

/**
 * The setting a stored filter pipeline says, or null when none of its filters is a compressor
 * h5dat knows the settings of (`values` as stored, after the filter's set_local).
 */
export function settingOf(filters: readonly { id: number; values: readonly number[] }[]): CompressionSetting | null {
  for (const { id, values } of filters) {
    if (id === FILTER_IDS.gzip) return { codec: "gzip", level: values[0] ?? 4 };
    if (id === FILTER_IDS.zstd) return { codec: "zstd", level: values[0] ?? 3 };
    if (id === FILTER_IDS.lz4) return { codec: "lz4" };
    if (id === FILTER_IDS.blosc) {
      const compressor = (Object.keys(BLOSC_CODES) as BloscCompressor[]).find((name) => BLOSC_CODES[name] === (values[6] ?? 0));
      return { codec: "blosc", compressor: compressor ?? "blosclz", level: values[4] ?? 5, shuffle: BLOSC_SHUFFLES[values[5] ?? 1] ?? "shuffle" };
    }
    if (id === FILTER_IDS.bitshuffle) {
      const code = values[4] ?? 0;
      const compressor = code === 3 ? "zstd" : code === 2 ? "lz4" : "none";
      return compressor === "zstd" ? { codec: "bitshuffle", compressor, level: values[5] ?? 3 } : { codec: "bitshuffle", compressor };
    }
  }
  return null;
}
