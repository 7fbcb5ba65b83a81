// `h5dat view`'s HTTP server (node:http alone): read-only, one file, a token on every request.
// Each request is checked in this order: URL length (414), token (403, whatever the route),
// method (405: GET only), body (413: a GET has none), then routed to the page's files or the
// API (404 otherwise). A route's error is its answer (a ViewError's status, else 500 with the
// message): a corrupt dataset shows its error in the page, and the server goes on serving.
import http from "node:http";
import { loadSharp } from "../processors/sharp-module";
import type { AddressInfo } from "node:net";
import { messageOf } from "../error-message";
import { VIEW_LIMITS } from "./limits";
import { Query } from "./query";
import { jsonReply, type Reply } from "./reply";
import { newToken, TOKEN_HEADER, tokenMatches } from "./token";
import { ViewedFile } from "./viewed-file";
import { ViewError } from "./view-error";
import { API_ROUTES } from "./routes";
import { assetReply } from "./routes/asset-route";
import { collectYoungGarbage, LARGE_ANSWER } from "./young-garbage";

/** Where and how `h5dat view` serves a file. */
export interface ViewServerOptions {
  /** The HDF5 file to serve. */
  file: string;
  /** The address to bind (default 127.0.0.1: this machine only). */
  host?: string;
  /** The port (default 0: any free one). */
  port?: number;
  /** The access token (default: a fresh random one). */
  token?: string;
}

/** A running viewer. */
export interface ViewServer {
  /** The page's URL, token included. */
  url: string;
  /** The access token. */
  token: string;
  /** The port bound. */
  port: number;
  /** Stops serving and closes the file. */
  close(): Promise<void>;
}

/** Headers on every answer: nothing cached, nothing sniffed, the token never sent on as a referrer. */
const COMMON_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "content-security-policy": "default-src 'self'; img-src 'self' data: blob:; media-src 'self'; style-src 'self'; frame-ancestors 'none'",
};

/** Opens `options.file` read-only and serves it until close(). */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  // libvips' operation cache keeps up to 50 MB of results no view asks for twice (each PNG is
  // encoded once): off.
  loadSharp().cache(false);
  const file = await ViewedFile.open(options.file);
  const token = options.token ?? newToken();
  const server = http.createServer((request, response) => void answer(file, token, request, response));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
    });
  } catch (error) {
    await file.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const shown = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    token,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await file.close();
    },
  };
}

/** Answers one request; never throws. */
async function answer(file: ViewedFile, token: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    reply = await route(file, token, request);
  } catch (error) {
    const status = error instanceof ViewError ? error.status : 500;
    reply = jsonReply({ error: messageOf(error) }, status);
  }
  const body = typeof reply.body === "string" ? Buffer.from(reply.body) : reply.body;
  const status = reply.status ?? 200;
  response.writeHead(status, { ...COMMON_HEADERS, "content-type": reply.type, "content-length": body.length, ...(status === 405 ? { allow: "GET" } : {}) });
  response.end(body);
  if (body.length > LARGE_ANSWER || reply.type === "image/png") response.once("finish", collectYoungGarbage);
}

/** The reply to `request`, after its checks. */
async function route(file: ViewedFile, token: string, request: http.IncomingMessage): Promise<Reply> {
  const raw = request.url ?? "/";
  if (raw.length > VIEW_LIMITS.urlChars) throw new ViewError(414, `the URL has ${raw.length} characters, at most ${VIEW_LIMITS.urlChars}`);
  const url = new URL(raw, "http://viewer.invalid");
  const header = request.headers[TOKEN_HEADER];
  if (!tokenMatches(url.searchParams.get("token") ?? (typeof header === "string" ? header : null), token)) {
    throw new ViewError(403, "a wrong or missing token: open the URL h5dat view printed");
  }
  if (request.method !== "GET") throw new ViewError(405, `${request.method} is not served: the viewer is read-only (GET only)`);
  if (Number(request.headers["content-length"] ?? 0) > 0 || request.headers["transfer-encoding"] !== undefined) throw new ViewError(413, "a GET request carries no body");
  const asset = await assetReply(url.pathname, token);
  if (asset) return asset;
  const api = API_ROUTES.get(url.pathname);
  if (!api) throw new ViewError(404, `no such page: ${url.pathname}`);
  return api(file, new Query(url.searchParams));
}
