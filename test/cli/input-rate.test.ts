// The ETA's rate (src/cli/input-rate.ts) on synthetic runs: a lump of input landing at once moves
// the ETA a little (the instantaneous rate would move it by orders of magnitude), a lasting change
// of pace is followed, a stall raises the ETA, and the first seconds give no ETA.
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputRate, TIME_CONSTANT_S, WARMUP_S } from "../../src/cli/input-rate";

const MB = 1e6;

/** Feeds a steady pace: `mbPerSecond`, a lump every `step` s, from `from` to `to` s; returns bytes read. */
function steady(rate: InputRate, read: number, mbPerSecond: number, from: number, to: number, step = 0.1): number {
  for (let t = from + step; t <= to + 1e-9; t += step) rate.add((read += mbPerSecond * MB * step), t);
  return read;
}

test("a burst of input landing in a millisecond moves the ETA by under 15%", () => {
  const total = 300 * MB;
  const rate = new InputRate(0);
  let read = steady(rate, 0, 1, 0, 60);
  const before = rate.secondsLeft(total, 60)!;
  assert.ok(Math.abs(before - 240) < 1, String(before));
  // Three seconds' worth of input in 1 ms: 3000 times the pace, for a moment.
  rate.add((read += 3 * MB), 60.001);
  const after = rate.secondsLeft(total, 60.001)!;
  const instantaneous = (total - read) / ((3 * MB) / 0.001);
  assert.ok(instantaneous < before / 1000, "the naive estimate would drop the ETA to almost nothing");
  assert.ok(Math.abs(after - before) / before < 0.15, `${before.toFixed(1)} s → ${after.toFixed(1)} s`);
  // And it settles back: the pace goes on as before.
  read = steady(rate, read, 1, 60.001, 60.001 + 4 * TIME_CONSTANT_S);
  const settled = rate.secondsLeft(total, 60.001 + 4 * TIME_CONSTANT_S)!;
  const truth = (total - read) / MB;
  assert.ok(Math.abs(settled - truth) / truth < 0.05, `${settled.toFixed(1)} s, truly ${truth.toFixed(1)} s`);
});

test("a lasting change of pace is followed within a few time constants, without overshoot", () => {
  const total = 1000 * MB;
  const rate = new InputRate(0);
  let read = steady(rate, 0, 2, 0, 60);
  let last = Infinity;
  // The pace halves: the ETA rises toward the new truth and never past it.
  for (let t = 60; t < 60 + 4 * TIME_CONSTANT_S; t += 10) {
    read = steady(rate, read, 1, t, t + 10);
    const eta = rate.secondsLeft(total, t + 10)!;
    const truth = (total - read) / MB;
    assert.ok(eta <= truth * 1.001, `at ${t + 10} s: ${eta.toFixed(1)} > ${truth.toFixed(1)}`);
    last = Math.abs(eta - truth) / truth;
  }
  assert.ok(last < 0.05, `${(last * 100).toFixed(1)}% off after ${4 * TIME_CONSTANT_S} s`);
});

test("a stall raises the ETA; a long one more than a short one", () => {
  const rate = new InputRate(0);
  steady(rate, 0, 1, 0, 30);
  const going = rate.secondsLeft(100 * MB, 30)!;
  const short = rate.secondsLeft(100 * MB, 35)!;
  const long = rate.secondsLeft(100 * MB, 60)!;
  assert.ok(going < short && short < long, `${going}, ${short}, ${long}`);
});

test("no ETA in the first seconds; after them, a first big lump does not make it absurd", () => {
  const rate = new InputRate(0);
  // The first entry is a 50 MB file read in 0.2 s, then the pace is 1 MB/s.
  rate.add(50 * MB, 0.2);
  assert.equal(rate.secondsLeft(1000 * MB, 0.2), undefined);
  const read = steady(rate, 50 * MB, 1, 0.2, WARMUP_S - 0.05);
  assert.equal(rate.secondsLeft(1000 * MB, WARMUP_S - 0.05), undefined);
  steady(rate, read, 1, WARMUP_S - 0.05, WARMUP_S + 1);
  const first = rate.secondsLeft(1000 * MB, WARMUP_S + 1)!;
  // Averaged since the start that is ~13 MB/s (an ETA of ~70 s); the lump's weight fades after.
  assert.ok(first > 50 && first < 1000, String(first));
});

test("a new rate knows nothing: no ETA before any input, or with nothing read", () => {
  const rate = new InputRate(0);
  assert.equal(rate.secondsLeft(MB, 10), undefined);
  assert.equal(rate.bytesPerSecond(0), 0);
});
