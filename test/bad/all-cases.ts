// Every case of the corpus: conversions of bad inputs, and bad HDF5 files given to the readers.
import type { BadCase } from "./case";
import { codecCases } from "./codec-cases";
import { convertCases } from "./convert-cases";
import { hardeningCases } from "./hardening-cases";
import { readCases } from "./read-cases";
import { typeCases } from "./type-cases";

export function allCases(): BadCase[] {
  const cases = [...convertCases, ...hardeningCases, ...readCases, ...codecCases, ...typeCases];
  const names = new Set<string>();
  for (const { name } of cases) {
    if (names.has(name)) throw new Error(`two bad-input cases are named '${name}'`);
    names.add(name);
  }
  return cases;
}
