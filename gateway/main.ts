/**
 * `deno task gateway`: reads the environment, starts the gateway, and stops
 * it cleanly (within a bounded time) on SIGTERM/SIGINT.
 *
 * @module
 */
import { ConfigError, configFromEnv } from "./config.ts";
import { createGateway } from "./gateway.ts";
import { createLogger } from "./log.ts";

if (import.meta.main) {
  let config;
  try {
    config = configFromEnv((name) => Deno.env.get(name));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`gateway: ${error.message}`);
    Deno.exit(2);
  }
  const { logLevel, ...options } = config;
  const logger = createLogger({ level: logLevel });
  const gateway = await createGateway({ ...options, logger });
  const { url } = await gateway.start();
  const loaded = gateway.loaded;
  logger.info(`gateway listening on ${url} (ttl ${options.staleTtlMs} ms)`, {
    agentId: gateway.identity.agentId,
    url,
    store: gateway.store.kind,
    dataDir: options.dataDir,
    snapshot: loaded?.source,
    restored: loaded?.contents.records.length,
    movedAside: loaded?.movedAside.length ? loaded.movedAside : undefined,
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info("stopping", { signal });
    // Whatever hangs, the process ends within a bounded time.
    const deadline = setTimeout(() => {
      logger.error("stop took longer than 10 s; exiting");
      Deno.exit(1);
    }, 10_000);
    await gateway.stop();
    clearTimeout(deadline);
    logger.info("stopped");
    Deno.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => shutdown(signal));
  }
}
