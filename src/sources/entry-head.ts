// An entry's blocks in two parts: the head (its first blocks, enough to tell what the entry is
// and to hold a small entry whole) and the rest, still unread; then both again as one stream.

/** An entry's head, and the iterator of its remaining blocks (null when the head is all of it). */
export interface EntryHead {
  head: Buffer;
  rest: AsyncIterator<Buffer> | null;
}

/** Reads blocks until at least `bytes` are in (all of them when the entry is smaller), joined as the head. */
export async function readHead(blocks: AsyncIterator<Buffer>, bytes: number): Promise<EntryHead> {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < bytes) {
    const next = await blocks.next();
    if (next.done) return { head: parts.length === 1 ? parts[0] : Buffer.concat(parts), rest: null };
    parts.push(next.value);
    size += next.value.length;
  }
  return { head: Buffer.concat(parts), rest: blocks };
}

/** `head`, then the rest's blocks; `seen` hears the bytes passed on so far, before each block goes. */
export async function* headThenRest(head: Buffer, rest: AsyncIterator<Buffer> | null, seen?: (total: number) => void): AsyncGenerator<Buffer> {
  let total = head.length;
  seen?.(total);
  yield head;
  for (let next = await rest?.next(); next && !next.done; next = await rest!.next()) {
    total += next.value.length;
    seen?.(total);
    yield next.value;
  }
}
