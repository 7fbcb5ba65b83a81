// Errors from reading archives (libarchive's message, with the archive's path). The class lives
// in src/native (the binding creates these when libarchive fails); sources' users find it here.
export { ArchiveError } from "../native/errors";
