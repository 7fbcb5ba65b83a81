// Issue 17 hardening cases: filled in by the part that owns them (see hardening-cases.ts).
import type { BadCase } from "../case";

export const externalCases: BadCase[] = [];
