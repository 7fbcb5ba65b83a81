// The access token of a `h5dat view` server, as Jupyter has one: the URL printed carries it, and
// every request (page, assets, API) must carry it too, so another local user or a web page the
// browser has open cannot read the file through the port.
import crypto from "node:crypto";

/** The header a request may carry the token in, instead of the `token` query parameter. */
export const TOKEN_HEADER = "x-h5dat-token";

/** A fresh random token: 24 bytes as 48 hex digits. */
export function newToken(): string {
  return crypto.randomBytes(24).toString("hex");
}

/** Whether `given` is `token`, compared in constant time (a timing side channel leaks nothing). */
export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
