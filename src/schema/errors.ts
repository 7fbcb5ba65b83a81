// The one error type of the schema layer: a --schema file that cannot be read, does not parse,
// does not fit the meta-schema, or gives an entry a target that is no HDF5 path.

/** A --schema file that cannot be used, with one line per problem. */
export class SchemaError extends Error {
  /**
   * @param file the schema file the problem is in (it is named in the message too)
   * @param problems one line per problem, each starting with the JSON path of the bad key
   */
  constructor(message: string, readonly file: string, readonly problems: string[] = []) {
    super(message);
    this.name = "SchemaError";
  }
}

/** A SchemaError listing `problems` under "invalid schema '<file>':". */
export function invalidSchema(file: string, problems: string[]): SchemaError {
  return new SchemaError(`invalid schema '${file}':\n  ${problems.join("\n  ")}`, file, problems);
}
