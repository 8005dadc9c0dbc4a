/**
 * `deno task gateway`: reads the environment, starts the gateway, and
 * flushes the registry to disk on SIGTERM/SIGINT.
 *
 * @module
 */
import { ConfigError, configFromEnv } from "./config.ts";
import { createGateway } from "./gateway.ts";

if (import.meta.main) {
  let options;
  try {
    options = configFromEnv((name) => Deno.env.get(name));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`gateway: ${error.message}`);
    Deno.exit(2);
  }
  const gateway = await createGateway(options);
  const { url } = await gateway.start();
  const { restored, expired, movedAside } = gateway.loaded;
  console.log(
    `gateway ${gateway.identity.agentId} listening on ${url} ` +
      `(data ${options.dataDir}, ttl ${options.staleTtlMs} ms, restored ${restored}, ` +
      `expired ${expired}${movedAside ? `, corrupt snapshot moved to ${movedAside}` : ""})`,
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`gateway: ${signal}, writing the registry and stopping`);
    await gateway.stop();
    Deno.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    Deno.addSignalListener(signal, () => shutdown(signal));
  }
}
