// `h5dat view file.h5 [--port N] [--host H] [--open]`: serves the file to the browser (src/view/),
// prints the URL with its token as Jupyter does, and serves until Ctrl-C.
import { spawn } from "node:child_process";
import type { Command } from "commander";
import { startViewServer, type ViewServer } from "../view/server";
import { namingFile } from "./file-error";

/** The port tried first; when taken, any free one (the URL printed says which). */
const DEFAULT_PORT = 8750;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

interface ViewOptions {
  port?: string;
  host: string;
  open?: boolean;
}

/** Adds `h5dat view`: a read-only local web viewer of one file. */
export function addViewCommand(program: Command): void {
  program
    .command("view")
    .description("look at a file in the browser: a local, read-only server with an access token")
    .argument("<file>", "the HDF5 file")
    .option("--port <n>", `the port (default ${DEFAULT_PORT}, or a free one when taken)`)
    .option("--host <address>", "the address to bind; anything but 127.0.0.1 lets other machines reach it", "127.0.0.1")
    .option("--open", "open the page in the default browser")
    .action((file: string, options: ViewOptions) => namingFile(file, () => serve(file, options)));
}

async function serve(file: string, options: ViewOptions): Promise<void> {
  const asked = options.port === undefined ? undefined : Number(options.port);
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 0 || asked > 65535)) throw new Error(`--port must be a port number (0–65535), not '${options.port}'`);
  if (!LOOPBACK.has(options.host)) {
    console.error(`h5dat view: warning: --host ${options.host} lets other machines reach the server; anyone with the URL's token can read ${file}`);
  }
  const server = await listen(file, options.host, asked);
  console.log(`h5dat view: serving ${file}\n  ${server.url}\nPress Ctrl-C to stop.`);
  if (options.open) openInBrowser(server.url);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** The server on the port asked for, or on the default one, falling back to a free one when it is taken. */
async function listen(file: string, host: string, port: number | undefined): Promise<ViewServer> {
  if (port !== undefined) return startViewServer({ file, host, port });
  try {
    return await startViewServer({ file, host, port: DEFAULT_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    return startViewServer({ file, host, port: 0 });
  }
}

/** Opens `url` with the platform's opener; a failure only says so (the URL is printed). */
function openInBrowser(url: string): void {
  const [command, args] = process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  const child = spawn(command, args, { stdio: "ignore", detached: true });
  child.on("error", () => console.error(`h5dat view: could not open a browser (${command}); open the URL above`));
  child.unref();
}
