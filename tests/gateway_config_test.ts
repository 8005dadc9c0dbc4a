import { ConfigError, configFromEnv, GATEWAY_ENV_VARS } from "../gateway/mod.ts";
import { assertEquals, assertThrows } from "./assert.ts";

const from = (env: Record<string, string>) => (name: string) => env[name];

Deno.test("an empty environment gives the documented defaults", () => {
  assertEquals(configFromEnv(from({})), {
    port: 8100,
    hostname: "0.0.0.0",
    dataDir: "./data",
    staleTtlMs: 90_000,
    snapshotIntervalMs: 30_000,
    webhookUrl: undefined,
    webhookSecret: undefined,
    maxAgents: 100_000,
    publicUrl: undefined,
    maxConnections: 10_000,
    maxConnectionsPerAddress: 512,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    idleTimeoutMs: 75_000,
  });
});

Deno.test("the connection limits and deadlines are read from the environment", () => {
  const options = configFromEnv(from({
    MAX_CONNECTIONS: "200",
    MAX_CONNECTIONS_PER_ADDRESS: "20",
    HEADERS_TIMEOUT_MS: "2000",
    REQUEST_TIMEOUT_MS: "5000",
    IDLE_TIMEOUT_MS: "65000",
  }));
  assertEquals(
    [
      options.maxConnections,
      options.maxConnectionsPerAddress,
      options.headersTimeoutMs,
      options.requestTimeoutMs,
      options.idleTimeoutMs,
    ],
    [200, 20, 2000, 5000, 65_000],
  );
});

Deno.test("small TTL and snapshot intervals are accepted", () => {
  const options = configFromEnv(from({ STALE_TTL_MS: "2000", SNAPSHOT_INTERVAL_MS: "500" }));
  assertEquals([options.staleTtlMs, options.snapshotIntervalMs], [2000, 500]);
});

Deno.test("every malformed value is refused with the variable's name", () => {
  const cases: [string, string][] = [
    ["STALE_TTL_MS", "abc"],
    ["STALE_TTL_MS", "0"],
    ["HTTP_PORT", "70000"],
    ["HTTP_PORT", "80a"],
    ["SNAPSHOT_INTERVAL_MS", "1e3"],
    ["MAX_AGENTS", "0"],
    ["WEBHOOK_URL", "ftp://example.com"],
    ["PUBLIC_URL", "example.com"],
    ["LISTEN_ADDR", "bad host!"],
    ["MAX_CONNECTIONS", "0"],
    ["MAX_CONNECTIONS_PER_ADDRESS", "-1"],
    ["HEADERS_TIMEOUT_MS", "10"],
    ["REQUEST_TIMEOUT_MS", "30s"],
    ["IDLE_TIMEOUT_MS", "99999999999"],
  ];
  for (const [name, value] of cases) {
    const error = assertThrows(
      () => configFromEnv(from({ [name]: value })),
      new RegExp(`^${name} `),
    );
    assertEquals(error instanceof ConfigError, true);
  }
});

Deno.test("the documented variables are exactly the ones read", () => {
  const read = new Set<string>();
  configFromEnv((name) => {
    read.add(name);
    return undefined;
  });
  assertEquals([...read].sort(), GATEWAY_ENV_VARS.map((v) => v.name).sort());
});
