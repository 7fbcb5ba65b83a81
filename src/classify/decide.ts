// decide(): whether a classified entry is processed, by the config's `allowed_types`.
import { CATEGORIES, type Category, type Classification, type ClassifyOptions, type Decision } from "./types";

/**
 * Process or skip an entry. Without `allowed_types` everything is processed. Archives are always
 * opened: they are containers, and each entry inside is classified and decided on its own
 * (otherwise `allowed_types: ["image"]` would skip a zip of images).
 */
export function decide(classification: Classification, options: ClassifyOptions = {}): Decision {
  const allowed = options.allowedTypes;
  if (allowed === undefined || allowed.length === 0) return { action: "process" };
  validateAllowedTypes(allowed);
  if (classification.category === "archive") return { action: "process" };
  if (allowed.some((entry) => matches(entry, classification))) return { action: "process" };
  const { mediaType, category } = classification;
  return { action: "skip", reason: `type ${mediaType} (category ${category}) is not in allowed_types [${allowed.join(", ")}]` };
}

/** Throws a TypeError naming the entry when `allowed_types` holds neither a category nor a media type. */
export function validateAllowedTypes(allowed: readonly string[]): void {
  for (const entry of allowed) {
    if (typeof entry !== "string" || !(CATEGORIES.includes(entry as Category) || /^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/i.test(entry))) {
      throw new TypeError(
        `allowed_types: '${String(entry)}' is neither a category (${CATEGORIES.join(", ")}) nor a media type like 'image/png' or 'image/*'`,
      );
    }
  }
}

// A category ("image"), an exact media type ("image/png") or a wildcard ("image/*"); case-insensitive.
function matches(entry: string, classification: Classification): boolean {
  const wanted = entry.toLowerCase();
  const mediaType = classification.mediaType.toLowerCase();
  if (wanted === classification.category || wanted === mediaType) return true;
  return wanted.endsWith("/*") && mediaType.startsWith(wanted.slice(0, -1));
}
