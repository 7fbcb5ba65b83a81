// An entry's blocks in two parts: the head (its first blocks, enough to tell what the entry is
// and to hold a small entry whole) and the rest, still unread; then both again as one stream.

/** An entry's head, and the iterator of its remaining blocks (null when the head is all of it). */
export interface EntryHead<B extends Uint8Array = Buffer> {
  head: B;
  rest: AsyncIterator<B> | null;
}

/** Reads blocks until at least `bytes` are in (all of them when the entry is smaller), joined as the head. */
export async function readHead<B extends Uint8Array = Buffer>(blocks: AsyncIterator<B>, bytes: number): Promise<EntryHead<B>> {
  const parts: B[] = [];
  // Joined blocks are a Buffer, which is a B for both the Buffer and the Uint8Array callers.
  const joined = () => (parts.length === 1 ? parts[0] : (Buffer.concat(parts) as unknown as B));
  let size = 0;
  while (size < bytes) {
    const next = await blocks.next();
    if (next.done) return { head: joined(), rest: null };
    parts.push(next.value);
    size += next.value.length;
  }
  return { head: joined(), rest: blocks };
}

/** `head`, then the rest's blocks; `seen` hears the bytes passed on so far, before each block goes. */
export async function* headThenRest<B extends Uint8Array>(head: B, rest: AsyncIterator<B> | null, seen?: (total: number) => void): AsyncGenerator<B> {
  let total = head.length;
  seen?.(total);
  yield head;
  for (let next = await rest?.next(); next && !next.done; next = await rest!.next()) {
    total += next.value.length;
    seen?.(total);
    yield next.value;
  }
}
