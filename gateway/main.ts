/**
 * `deno task gateway`: reads the environment, starts the gateway, and stops
 * it cleanly (within a bounded time) on SIGTERM/SIGINT. `--help` lists the
 * variables. Questionable settings are logged as warnings; a setting the
 * gateway cannot start with (a malformed value, a port in use, an unusable
 * `DATA_DIR`) is one line naming the variable, and exit code 2.
 *
 * @module
 */
import { ConfigError, configFromEnv, configWarnings, type GatewayConfig } from "./config.ts";
import { createGateway, type Gateway } from "./gateway.ts";
import { helpText } from "./_help.ts";
import { createLogger, type Logger } from "./log.ts";
import { prepareDataDir, startupFailure } from "./_startup.ts";

/**
 * The most a stop may take, drain included; past it the process exits with
 * 1. A safety net only: the drain is at most 4 s and `Gateway.stop` cuts
 * every peer short within 3 s before it closes the store, so a stop ends in
 * about 7 s whatever worlds and webhook receivers do.
 */
const STOP_DEADLINE_MS = 10_000;

if (import.meta.main) await main(Deno.args);

async function main(args: string[]): Promise<void> {
  let help = false;
  for (const arg of args) {
    if (arg === "--help" || arg === "-h") help = true;
    else {
      fail(
        `unknown argument ${
          JSON.stringify(arg)
        }: the gateway takes no arguments, only environment variables (deno task gateway --help lists them)`,
      );
    }
  }
  if (help) {
    console.log(helpText().trimEnd());
    Deno.exit(0);
  }
  let config: GatewayConfig;
  try {
    config = configFromEnv((name) => Deno.env.get(name));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    fail(error.message);
  }
  const { logLevel, shutdownDrainMs, ...options } = config;
  const logger = createLogger({ level: logLevel });
  for (const warning of configWarnings(Deno.env.toObject(), config)) {
    logger.warn(warning.message, { variable: warning.variable, meant: warning.meant });
  }
  const settings = {
    dataDir: options.dataDir!,
    port: options.port!,
    hostname: options.hostname!,
  };
  // A stop asked for while startup waits for Redis ends the wait at once.
  const starting = new AbortController();
  const abortStart = () => {
    logger.info("stopping before the gateway started");
    starting.abort();
    Deno.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, abortStart);
  if (options.redis) options.redis.signal = starting.signal;
  let gateway: Gateway;
  try {
    await prepareDataDir(settings.dataDir);
  } catch (error) {
    failOnStartup(error, logger, startupFailure(error, "data", settings));
  }
  try {
    gateway = await createGateway({ ...options, logger });
  } catch (error) {
    failOnStartup(error, logger, startupFailure(error, "create", settings));
  }
  let url: string;
  try {
    ({ url } = await gateway.start());
  } catch (error) {
    failOnStartup(error, logger, startupFailure(error, "listen", settings));
  }
  const loaded = gateway.loaded;
  logger.info(`gateway listening on ${url} (ttl ${options.staleTtlMs} ms)`, {
    agentId: gateway.identity.agentId,
    url,
    store: gateway.store.kind,
    metrics: options.metrics !== false,
    dataDir: options.dataDir,
    snapshot: loaded?.source,
    restored: loaded?.contents.records.length,
    movedAside: loaded?.movedAside.length ? loaded.movedAside : undefined,
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.removeSignalListener(signal, abortStart);
  }
  handleSignals(gateway, logger, shutdownDrainMs);
}

/**
 * SIGTERM (an orchestrator's stop) first drains: `/ready` answers 503 for
 * `drainMs` while everything else keeps serving, so load balancers move
 * traffic away; then the gateway stops. SIGINT (Ctrl-C) stops at once, and
 * a second signal cuts a drain short. Whatever hangs, the process ends
 * within {@linkcode STOP_DEADLINE_MS}.
 */
function handleSignals(gateway: Gateway, logger: Logger, drainMs: number): void {
  let stopping = false;
  let endDrain: (() => void) | undefined;
  const shutdown = async (signal: Deno.Signal) => {
    if (stopping) {
      if (endDrain) {
        logger.info("drain cut short", { signal });
        endDrain();
        endDrain = undefined;
      }
      return;
    }
    stopping = true;
    const deadline = setTimeout(() => {
      logger.error(`stop took longer than ${STOP_DEADLINE_MS / 1000} s; exiting`);
      Deno.exit(1);
    }, STOP_DEADLINE_MS);
    const drain = signal === "SIGTERM" ? drainMs : 0;
    logger.info("stopping", { signal, drainMs: drain });
    gateway.drain();
    if (drain > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          endDrain = undefined;
          resolve();
        }, drain);
        endDrain = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await gateway.stop();
    clearTimeout(deadline);
    logger.info("stopped");
    Deno.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => shutdown(signal));
  }
}

/** A startup failure: its line (the error's own for a {@linkcode ConfigError}); the stack only at debug. */
function failOnStartup(error: unknown, logger: Logger, line: string): never {
  if (error instanceof ConfigError) fail(error.message);
  logger.debug("startup failed", { stack: error instanceof Error ? error.stack : String(error) });
  fail(line);
}

function fail(line: string): never {
  console.error(`gateway: ${line}`);
  Deno.exit(2);
}
