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
    webhookRetryForMs: 3_600_000,
    maxAgents: 100_000,
    maxLeasesPerAddress: 1000,
    worldIdPolicy: "owned",
    ownerRetentionMs: 30 * 24 * 3_600_000,
    publicUrl: undefined,
    trustProxy: false,
    outboundPolicy: undefined,
    quotas: {
      newLeases: { perMinute: 600, burst: 1000 },
      badSignatures: { perMinute: 60, burst: 100 },
      upgrades: { perMinute: 120, burst: 200 },
    },
    adminToken: undefined,
    logLevel: "info",
  });
});

Deno.test("the abuse quotas, policies and log level are read from the environment", () => {
  const options = configFromEnv(from({
    NEW_LEASE_RATE: "10/20",
    WORLD_ID_POLICY: "live-holder",
    TRUST_PROXY: "true",
    OUTBOUND_POLICY: "public-only",
    LOG_LEVEL: "debug",
    WEBHOOK_SECRET: "whsec_" + btoa("0123456789abcdef0123456789abcdef"),
  }));
  assertEquals(options.quotas?.newLeases, { perMinute: 10, burst: 20 });
  assertEquals(
    [options.worldIdPolicy, options.trustProxy, options.outboundPolicy, options.logLevel],
    ["live-holder", true, "public-only", "debug"],
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
    ["WEBHOOK_SECRET", "plain-secret"],
    ["WEBHOOK_SECRET", "whsec_!!!"],
    ["WEBHOOK_SECRET", "whsec_" + btoa("short")],
    ["WORLD_ID_POLICY", "open"],
    ["TRUST_PROXY", "yes"],
    ["OUTBOUND_POLICY", "none"],
    ["NEW_LEASE_RATE", "10"],
    ["BAD_SIGNATURE_RATE", "10/0"],
    ["LOG_LEVEL", "verbose"],
    ["OWNER_RETENTION_MS", "5"],
    ["GATEWAY_ADMIN_TOKEN", "short"],
    ["GATEWAY_ADMIN_KEY", "has a space in it!!"],
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
