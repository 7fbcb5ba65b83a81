// The page's calls to its server: every URL carries the token the page was opened with, and an
// answer that is not 2xx becomes an Error with the server's message (shown in the page).

const token = new URLSearchParams(location.search).get("token") ?? "";

/** The URL of API route `route` with `params` (and the token). */
export function apiUrl(route: string, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])), token });
  return `${route}?${query}`;
}

/** GETs `route` and parses its JSON; a failed answer throws its `error`. */
export async function getJson<T>(route: string, params: Record<string, string | number> = {}): Promise<T> {
  const response = await fetch(apiUrl(route, params));
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { error: text };
  }
  if (!response.ok) throw new Error((body as { error?: string }).error ?? `HTTP ${response.status}`);
  return body as T;
}
