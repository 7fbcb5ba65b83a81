// The one error type of the viewer's routes: an HTTP status and a message the page shows.

/** A request the viewer refuses or cannot answer: `status` (400, 404, 413, …) and why. */
export class ViewError extends Error {
  constructor(
    /** The HTTP status to answer with. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ViewError";
  }
}

/** Throws 413 when `amount` is past `limit`, naming what was asked for. */
export function checkBound(amount: number, limit: number, what: string): void {
  if (amount > limit) throw new ViewError(413, `${what}: ${amount} asked for, at most ${limit} a request`);
}
