// h5dat's own version, from package.json (one place).
// eslint-disable-next-line @typescript-eslint/no-var-requires
/** This package's version, from package.json. */
export const H5DAT_VERSION: string = (require("../package.json") as { version: string }).version;
