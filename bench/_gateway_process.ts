/**
 * The gateway under test, as its own process: the exact command of
 * `deno task gateway`, so the load generator never shares its event loop.
 * `BENCH_GATEWAY_FLAGS` adds `deno run` flags to it, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the gateway under load.
 *
 * @module
 */
import { freePort, spawnTask } from "../tests/_process.ts";

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
  /** Resolves when the process exits. */
  status: Promise<Deno.CommandStatus>;
  /** Stops it with SIGTERM (it writes its snapshot first); removes its data directory. */
  stop(): Promise<void>;
  /** Kills it with SIGKILL (nothing is written); removes its data directory. */
  kill(): Promise<void>;
}

/**
 * Every benchmark's load comes from one address, 127.0.0.1, where a real
 * fleet comes from many: the per-address caps and quotas are raised out of
 * the way (the attack benchmark sets its own).
 */
const ONE_ADDRESS_FLEET: Record<string, string> = {
  MAX_LEASES_PER_ADDRESS: "10000000",
  NEW_LEASE_RATE: "9999999/9999999",
  MAX_CONNECTIONS_PER_ADDRESS: "10000",
};

/**
 * Starts a gateway on 127.0.0.1 and a free port; `env` adds or overrides
 * variables (e.g. `STALE_TTL_MS`). Pass `dataDir` to boot from a snapshot.
 */
export async function startGatewayProcess(
  env: Record<string, string> = {},
  dataDir?: string,
): Promise<GatewayProcess> {
  const dir = dataDir ?? await Deno.makeTempDir({ prefix: "aw-bench-" });
  const flags = (Deno.env.get("BENCH_GATEWAY_FLAGS") ?? "").split(/\s+/).filter((f) => f !== "");
  // Above info the gateway prints no "listening on" line: it is told a free port and watched there.
  const quiet = env.LOG_LEVEL === "warn" || env.LOG_LEVEL === "error";
  const port = quiet ? freePort() : 0;
  const started = performance.now();
  const gateway = await spawnTask(
    "gateway",
    {
      HTTP_PORT: String(port),
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: dir,
      ...ONE_ADDRESS_FLEET,
      ...env,
    },
    { timeoutMs: 120_000, flags, port: quiet ? port : undefined },
  );
  const bootMs = performance.now() - started;
  return {
    url: gateway.url,
    host: new URL(gateway.url).host,
    pid: gateway.process.pid,
    dataDir: dir,
    bootMs,
    output: gateway.output,
    status: gateway.status,
    async stop() {
      await gateway.kill("SIGTERM");
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
    async kill() {
      await gateway.kill("SIGKILL");
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
