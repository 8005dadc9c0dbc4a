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
import { fileRedis, redisTest, uniquePrefix } from "./_redis.ts";

const server = await fileRedis();

if (server === undefined) {
  // redisTest says once that the Redis tests were skipped (or fails under CI).
  redisTest({ name: "the store contract on Redis", fn: () => {} });
} else {
  defineStoreContract({
    name: "redis store",
    create: (options) =>
      RedisStore.connect({
        ...options,
        url: server.url,
        prefix: uniquePrefix("contract"),
        tickMs: 0,
        outageGraceAfterMs: 0,
      }),
  });
}
