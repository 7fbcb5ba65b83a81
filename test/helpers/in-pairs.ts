// Two at a time: the machines running the tests have two cores, and a test that starts many
// short processes (the CLI, h5py) waits on each one's start-up with the other core idle.

/** Runs `work` on every item, two at a time. */
export async function inPairs<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all([lane(), lane()]);
}
