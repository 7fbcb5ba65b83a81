// The shapes of the server's answers the page reads (the server's ListedObject and friends).

/** An object as `h5dat ls` lists it (src/read/listing.ts). */
export interface Listed {
  path: string;
  kind: string;
  target?: string;
  shape?: (number | string)[] | null;
  maxshape?: (number | string | null)[] | null;
  dtype?: string;
  layout?: string;
  chunks?: number[] | null;
  filters?: string[];
  logicalBytes?: number;
  storedBytes?: number;
  unreadable?: string;
  stacked?: { rows: number; imageShape: number[]; storage: string; classNames: string[]; splits: { name: string; rows: number }[]; labelSource: string; resize: string };
  attrs: number;
}

/** Which view an object gets (src/view/content-kind.ts). */
export interface View {
  kind: string;
  shape?: number[] | null;
  frames?: number;
  jsonl?: boolean;
  reason?: string;
}

/** The answer of /api/object. */
export interface ObjectAnswer {
  object: Listed;
  attrs: Record<string, unknown>;
  view: View;
}

/** A shape as text: "[64, 96, 3]", "scalar", "empty". */
export function shapeText(shape: Listed["shape"]): string {
  if (shape === null) return "empty";
  if (!shape) return "";
  return shape.length === 0 ? "scalar" : `[${shape.join(", ")}]`;
}
