/**
 * The store contract on the Redis store: a private redis-server, a fresh
 * key prefix per test, the contract's manual clock passed to the scripts
 * instead of Redis TIME (no timers, no post-outage grace: the manual clock
 * jumps without the liveness ticks a running replica writes).
 *
 * @module
 */
import { RedisStore } from "../gateway/redis_store.ts";
import { defineStoreContract } from "./_store_contract.ts";
import { fileRedis, REDIS_SERVER, redisTest, uniquePrefix } from "./_redis.ts";

const server = await fileRedis();

// redisTest prints the one "skipped" line (or fails under CI) without a server.
if (REDIS_SERVER === undefined) redisTest({ name: "store contract on Redis", fn: () => {} });

defineStoreContract({
  name: "redis store",
  ignore: server === undefined,
  create: (options) =>
    RedisStore.connect({
      ...options,
      url: server!.url,
      prefix: uniquePrefix("contract"),
      tickMs: 0,
      outageGraceAfterMs: 0,
    }),
});
