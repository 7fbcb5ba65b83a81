// A processor's options go by two spellings: the API's camelCase (`maxFrames`, as every option of
// h5dat's API) and the snake_case of the config file and --schema rules (`max_frames`, the seed
// tool's). Each side keeps its own; these turn one into the other at the border.

/** The record with each snake_case key in camelCase (`max_frames` → `maxFrames`). */
export function camelKeys<T extends object>(options: Readonly<Record<string, unknown>>): T {
  return Object.fromEntries(Object.entries(options).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value])) as T;
}

/** The record with each camelCase key in snake_case (`maxFrames` → `max_frames`). */
export function snakeKeys(options: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]));
}
