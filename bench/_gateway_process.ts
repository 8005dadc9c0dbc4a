/**
 * The gateway under test, as its own process: the exact command of
 * `deno task gateway`, so the load generator never shares its event loop.
 * `BENCH_GATEWAY_FLAGS` adds `deno run` flags to it, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the gateway under load.
 *
 * @module
 */
import { taskArgs } from "../tests/_process.ts";

const root = new URL("../", import.meta.url).pathname;

/** A running gateway process. */
export interface GatewayProcess {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `host:port`, for the `Host` header. */
  host: string;
  /** Its process id (for `/proc`). */
  pid: number;
  /** Its data directory. */
  dataDir: string;
  /** From spawn to "listening on", in ms (includes loading the snapshot). */
  bootMs: number;
  /** What it printed. */
  output(): string;
  /** Stops it with SIGTERM (it writes its snapshot first); removes its data directory. */
  stop(): Promise<void>;
}

/**
 * Starts a gateway on 127.0.0.1 and a free port; `env` adds or overrides
 * variables (e.g. `STALE_TTL_MS`). Pass `dataDir` to boot from a snapshot.
 */
export async function startGatewayProcess(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<GatewayProcess> {
  const dir = dataDir ?? await Deno.makeTempDir({ prefix: "aw-bench-" });
  const [run, ...rest] = taskArgs("gateway");
  const extra = (Deno.env.get("BENCH_GATEWAY_FLAGS") ?? "").split(/\s+/).filter((f) => f !== "");
  const started = performance.now();
  const process = new Deno.Command(Deno.execPath(), {
    args: [run, ...extra, ...rest],
    cwd: root,
    env: { NO_COLOR: "1", HTTP_PORT: "0", LISTEN_ADDR: "127.0.0.1", DATA_DIR: dir, ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  const listening = Promise.withResolvers<string>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      output += text;
      const match = output.match(/listening on (http:\/\/[^\s)]+)/);
      if (match) listening.resolve(match[1]);
    }
  };
  const pumps = Promise.all([pump(process.stdout), pump(process.stderr)]);
  const status = process.status.then(async (s) => {
    await pumps;
    listening.reject(new Error(`gateway exited with ${s.code} before listening:\n${output}`));
    return s;
  });
  const timer = setTimeout(
    () => listening.reject(new Error(`gateway did not listen in 120 s:\n${output}`)),
    120_000,
  );
  let url: string;
  try {
    url = await listening.promise;
  } catch (error) {
    try {
      process.kill("SIGKILL");
    } catch {
      // already exited
    }
    await status;
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const bootMs = performance.now() - started;
  return {
    url,
    host: new URL(url).host,
    pid: process.pid,
    dataDir: dir,
    bootMs,
    output: () => output,
    async stop() {
      try {
        process.kill("SIGTERM");
      } catch {
        // already exited
      }
      await status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
