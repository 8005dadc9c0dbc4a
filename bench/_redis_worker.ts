/**
 * A worker thread holding one Redis store instance, renewing a slice of the
 * fleet: a "replica" of the Redis benchmark's throughput runs (each worker
 * has its own event loop and connection, as a replica process has).
 *
 * @module
 */
import { RedisStore } from "../gateway/redis_store.ts";
import { type RenewJob, runRenewJob } from "./_redis_renew.ts";

declare const self: Worker & { close(): void };

self.onmessage = async (message: MessageEvent<RenewJob>) => {
  const job = message.data;
  // A long command timeout: a slow reply is measured, not refused.
  const store = await RedisStore.connect({
    url: job.url,
    prefix: job.prefix,
    tickMs: 0,
    commandTimeoutMs: 10_000,
  });
  try {
    // Warm up (JIT, script cache) before the measured run, below its ts.
    await runRenewJob(store, { ...job, durationMs: 300, tsBase: job.tsBase - 1_000_000 });
    self.postMessage(await runRenewJob(store, job));
  } finally {
    await store.close();
    self.close();
  }
};
