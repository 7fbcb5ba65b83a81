// The order a repetition runs its sides in. It turns by one each repetition, so no side always
// runs first, or always right after the same other side: on p1-raw the position alone moved a
// side by more than the gap between the sides.

/** `sides` started `rep` places further on (rep 0: as given). */
export function turnOrder<T>(sides: readonly T[], rep: number): T[] {
  return sides.map((_, i) => sides[(i + rep) % sides.length]);
}
