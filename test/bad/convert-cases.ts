// The convert half of the bad-input corpus (issue 6): inputs h5dat must convert without crashing,
// accounting for every entry in the manifest with the cause, and writing the good ones intact.
import type { BadCase } from "./case";
import { archiveCases } from "./convert/archive-cases";
import { contentCases } from "./convert/content-cases";
import { nameCases } from "./convert/name-cases";

export const convertCases: BadCase[] = [...archiveCases, ...nameCases, ...contentCases];
