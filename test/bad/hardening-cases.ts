// The hardening half of the bad-input corpus (issue 17): a careless user's and an attacker's cases
// beyond the first corpus — resume after the input changed and racing runs, a crashing CSV field and
// wide CSV, reserved and odd names, host files reached through HDF5 external storage, memory bombs
// inside the limits, export collisions.
import type { BadCase } from "./case";
import { csvCases } from "./hardening/csv-cases";
import { exportCases } from "./hardening/export-cases";
import { externalCases } from "./hardening/external-cases";
import { memoryCases } from "./hardening/memory-cases";
import { namesCases } from "./hardening/names-cases";
import { resumeCases } from "./hardening/resume-cases";

export const hardeningCases: BadCase[] = [...resumeCases, ...csvCases, ...namesCases, ...externalCases, ...memoryCases, ...exportCases];
