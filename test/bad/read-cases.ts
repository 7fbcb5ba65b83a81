// Placeholder until the HDF5-reader half of the corpus lands (the other engineer replaces this file).
import type { BadCase } from "./case";

export const readCases: BadCase[] = [];
