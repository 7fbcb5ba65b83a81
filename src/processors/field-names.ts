// The compound field names of a table's columns (a CSV's header, a record table's key paths).

/** Compound field names for the header: unique and non-empty (the attribute keeps the original). */
export function fieldNames(header: string[]): string[] {
  const used = new Set<string>();
  return header.map((name, i) => {
    let field = name === "" ? `column_${i}` : name;
    for (let n = 1; used.has(field); n++) field = `${name || `column_${i}`}_${n}`;
    used.add(field);
    return field;
  });
}
