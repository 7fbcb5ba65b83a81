// Sizes as people read and write them, in binary units both ways: the byte flags
// (--max-entry-bytes 64G) parse as GiB, so every size h5dat prints (limits, listings, free space)
// is in KiB, MiB, GiB too, and a limit reads back as it was given.

/** 1536 → "1.5 KiB"; whole units print without decimals ("32 MiB"). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} bytes`;
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

/** "64G", "1.5MiB", "4096", "32 GiB" → bytes (binary units; k/K, M, G, T with optional "iB"/"B"). */
export function parseByteSize(text: string, flag: string): number {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:([kKmMgGtT])(?:i?B)?|B)?\s*$/.exec(text);
  if (!match) throw new Error(`${flag} must be a size like 4096, 512M or 64G, not '${text}'`);
  const scale = { k: 1, m: 2, g: 3, t: 4 }[(match[2] ?? "").toLowerCase() as "k"] ?? 0;
  return Math.round(Number(match[1]) * 1024 ** scale);
}
