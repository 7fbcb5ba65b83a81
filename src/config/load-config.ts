// Reads and validates a --config file with ajv against CONFIG_SCHEMA; every problem is reported
// with its key path and the file's name.
import fs from "node:fs";
import { lazily } from "../lazily";
import { newAjv } from "../schema/new-ajv";
import { validateAllowedTypes } from "../classify";
import { CONFIG_SCHEMA, type Config } from "./config-schema";

// Compiled on first use: most runs have no config file, and compiling costs every start ~25 ms.
const configValidator = lazily(() => newAjv({ allErrors: true, strict: true }).compile<Config>(CONFIG_SCHEMA));

/** A config file that does not parse or does not fit the schema. */
export class ConfigError extends Error {
  constructor(message: string, readonly file: string, readonly problems: string[] = []) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates a parsed config object; `file` names it in messages. */
export function checkConfig(value: unknown, file = "config"): Config {
  const validate = configValidator();
  if (!validate(value)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = e.instancePath || "/";
      if (e.keyword === "additionalProperties") return `${where}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
      return `${where}: ${e.message}`;
    });
    throw new ConfigError(`invalid config '${file}':\n  ${problems.join("\n  ")}`, file, problems);
  }
  if (value.allowed_types) {
    try {
      validateAllowedTypes(value.allowed_types);
    } catch (error) {
      const message = `/allowed_types: ${(error as Error).message}`;
      throw new ConfigError(`invalid config '${file}':\n  ${message}`, file, [message]);
    }
  }
  return value;
}

/** Reads, parses and validates a config file. */
export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config '${file}': ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, file);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config '${file}' is not valid JSON: ${(error as Error).message}`, file);
  }
  return checkConfig(value, file);
}
