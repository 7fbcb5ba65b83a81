// The pace of a conversion, for its ETA: input bytes read per second, weighted exponentially over
// time with a time constant of TIME_CONSTANT_S. Input is read in lumps (an archive's blocks, a
// large file at once, a burst of small entries finishing together), so the instantaneous rate
// swings by orders of magnitude; weighted by the time each lump took, a lump moves the rate by
// its bytes / TIME_CONSTANT_S, however short the moment it landed in. The first seconds count as
// time too (the bias of an average that starts at 0 is divided out), and no ETA is given before
// WARMUP_S: the first lumps alone say little about the pace.

/** Seconds over which the rate forgets: long enough that one lump moves the ETA a little. */
export const TIME_CONSTANT_S = 30;
/** No ETA before this many seconds of the run. */
export const WARMUP_S = 3;

/** Input bytes per second over a run, weighted exponentially, for the progress line's ETA. */
export class InputRate {
  private last: number;
  private lastBytes = 0;
  /** The weighted rate at `last`, still biased toward 0 by the run's start. */
  private weighted = 0;

  /** `now`: seconds on any monotonic clock (the same for every call). */
  constructor(private readonly started: number, private readonly timeConstant = TIME_CONSTANT_S) {
    this.last = started;
  }

  /** The run has read `bytesRead` bytes of input in all by `now`. */
  add(bytesRead: number, now: number): void {
    const dt = Math.max(0, now - this.last);
    const bytes = Math.max(0, bytesRead - this.lastBytes);
    // Bytes spread over dt weigh (1 - e^(-dt/τ)) / dt each: 1/τ as dt → 0.
    const gain = dt > 0 ? -Math.expm1(-dt / this.timeConstant) / dt : 1 / this.timeConstant;
    this.weighted = this.weighted * Math.exp(-dt / this.timeConstant) + gain * bytes;
    this.last = Math.max(this.last, now);
    this.lastBytes = Math.max(this.lastBytes, bytesRead);
  }

  /** Bytes per second at `now` (a pause since the last lump lowers it). */
  bytesPerSecond(now: number): number {
    const elapsed = now - this.started;
    if (elapsed <= 0) return 0;
    const decayed = this.weighted * Math.exp(-Math.max(0, now - this.last) / this.timeConstant);
    return decayed / -Math.expm1(-elapsed / this.timeConstant);
  }

  /** Seconds until `bytesTotal` are read at the current rate; undefined while it is unknown. */
  secondsLeft(bytesTotal: number, now: number): number | undefined {
    if (now - this.started < WARMUP_S) return undefined;
    const rate = this.bytesPerSecond(now);
    if (!(rate > 0)) return undefined;
    return Math.max(0, bytesTotal - this.lastBytes) / rate;
  }
}
