import { ConfigError, configFromEnv, configWarnings, GATEWAY_ENV_VARS } from "../gateway/mod.ts";
import { helpText } from "../gateway/_help.ts";
import { assert, assertEquals, assertMatch, assertThrows } from "./assert.ts";

const from = (env: Record<string, string>) => (name: string) => env[name];

Deno.test("an empty environment gives the documented defaults", () => {
  assertEquals(configFromEnv(from({})), {
    redis: undefined,
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
    metrics: true,
    shutdownDrainMs: 2000,
    maxConnections: 10_000,
    maxConnectionsPerAddress: 512,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    idleTimeoutMs: 75_000,
    watchers: { maxWatchers: 10_000, maxWatchersPerAddress: 64, maxWatchersPerWorld: 1000 },
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

Deno.test("METRICS turns /metrics and its collection on (the default) or off", () => {
  for (const value of ["off", "false", " off "]) {
    assertEquals(configFromEnv(from({ METRICS: value })).metrics, false, value);
  }
  for (const value of ["on", "true", ""]) {
    assertEquals(configFromEnv(from({ METRICS: value })).metrics, true, value);
  }
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
    ["METRICS", "no"],
    ["OWNER_RETENTION_MS", "5"],
    ["REDIS_URL", "http://redis:6379"],
    ["REDIS_PREFIX", "has space"],
    ["REDIS_TIMEOUT_MS", "5"],
    ["GATEWAY_ADMIN_TOKEN", "short"],
    ["GATEWAY_ADMIN_KEY", "has a space in it!!"],
    ["PUBLIC_URL", "https://gateway.example/directory"],
    ["PUBLIC_URL", "https://gateway.example/?x=1"],
    ["PUBLIC_URL", "https://user:pw@gateway.example"],
    ["WEBHOOK_URL", "https://user:pw@hooks.example/in"],
    ["SHUTDOWN_DRAIN_MS", "5000"],
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

Deno.test("GATEWAY_ADMIN_KEY alone turns the admin API on; both names set and different is a config error", () => {
  const key = "reference-name-0123456789";
  assertEquals(configFromEnv(from({ GATEWAY_ADMIN_KEY: key })).adminToken, key);
  assertEquals(configFromEnv(from({ GATEWAY_ADMIN_TOKEN: key })).adminToken, key);
  assertEquals(
    configFromEnv(from({ GATEWAY_ADMIN_TOKEN: key, GATEWAY_ADMIN_KEY: ` ${key} ` })).adminToken,
    key,
    "the same token under both names is fine",
  );
  const error = assertThrows(
    () => configFromEnv(from({ GATEWAY_ADMIN_TOKEN: key, GATEWAY_ADMIN_KEY: key + "x" })),
    /^GATEWAY_ADMIN_TOKEN and GATEWAY_ADMIN_KEY are both set and differ/,
  );
  assert(error instanceof ConfigError);
});

Deno.test("the documented variables are exactly the ones read", () => {
  const read = new Set<string>();
  configFromEnv((name) => {
    read.add(name);
    return undefined;
  });
  assertEquals([...read].sort(), GATEWAY_ENV_VARS.map((v) => v.name).sort());
});

Deno.test("PUBLIC_URL is an origin, with or without its trailing slash", () => {
  for (const value of ["https://gateway.example", "http://127.0.0.1:8100/"]) {
    assertEquals(configFromEnv(from({ PUBLIC_URL: value })).publicUrl, value);
  }
});

/**
 * What `configFromEnv` reads from `env`, listening on the loopback (so the
 * outbound-policy warning of a gateway reachable from elsewhere stays out).
 */
function onLoopback(env: Record<string, string>) {
  return { ...configFromEnv(from(env)), hostname: "127.0.0.1" };
}

/** The warnings of an environment, as `variable → meant` (or the variable alone). */
function warned(env: Record<string, string>): string[] {
  return configWarnings(env, onLoopback(env))
    .map((w) => w.meant ? `${w.variable}→${w.meant}` : w.variable);
}

Deno.test("a variable one or two edits from a gateway variable warns with the one it meant", () => {
  assertEquals(
    warned({
      HTTP_PROT: "8200",
      WEBHOOK_SECRETS: "x",
      GATEWAY_ADMIN_TOKN: "x",
      DATADIR: "/srv",
      log_level: "debug",
    }),
    [
      "HTTP_PROT→HTTP_PORT",
      "WEBHOOK_SECRETS→WEBHOOK_SECRET",
      "GATEWAY_ADMIN_TOKN→GATEWAY_ADMIN_TOKEN",
      "DATADIR→DATA_DIR",
      "log_level→LOG_LEVEL",
    ],
  );
});

Deno.test("a duration in another unit or none, or a name sharing two words, warns", () => {
  assertEquals(
    warned({
      STALE_TTL: "90",
      STALE_TTL_SECONDS: "90",
      SNAPSHOT_INTERVAL: "30",
      GATEWAY_ADMIN_PASSWORD: "x",
      WEBHOOK_RETRY_MS: "1000",
    }),
    [
      "STALE_TTL→STALE_TTL_MS",
      "STALE_TTL_SECONDS→STALE_TTL_MS",
      "SNAPSHOT_INTERVAL→SNAPSHOT_INTERVAL_MS",
      "GATEWAY_ADMIN_PASSWORD→GATEWAY_ADMIN_TOKEN",
      "WEBHOOK_RETRY_MS→WEBHOOK_RETRY_FOR_MS",
    ],
  );
});

Deno.test("misspelled Redis variables warn, as for every variable the gateway reads", () => {
  const variables = [
    ...GATEWAY_ENV_VARS,
    { name: "REDIS_URL", default: undefined, description: "redis:// or rediss://" },
    { name: "REDIS_PREFIX", default: "aw", description: "key prefix" },
  ];
  const env = { REDIS_URI: "redis://127.0.0.1:6379", REDIS_PREFX: "x", REDIS_PORT: "6379" };
  assertEquals(
    configWarnings(env, onLoopback(env), variables)
      .map((w) => w.meant ? `${w.variable}→${w.meant}` : w.variable),
    // REDIS_PORT=6379 is someone's setting (Kubernetes' is tcp://…): the port goes in REDIS_URL.
    ["REDIS_URI→REDIS_URL", "REDIS_PREFX→REDIS_PREFIX", "REDIS_PORT"],
  );
});

Deno.test("other programs' variables that share only a first word do not warn", () => {
  assertEquals(
    warned({
      HTTP_PROXY: "http://proxy:3128",
      HTTPS_PROXY: "http://proxy:3128",
      NO_PROXY: "localhost",
      HTTP_TIMEOUT_MS: "5000",
      LOG_FORMAT: "json",
      DATA_PATH: "/srv",
      REQUEST_ID_HEADER: "x-request-id",
      PATH: "/usr/bin",
      HOME: "/home/deno",
      HOSTNAME: "gw-1",
      DENO_DIR: "/deno-dir",
      // The world's own (deno task world), often in the same shell.
      WORLD_ID: "pixel-city",
      WORLD_NAME: "Pixel City",
      GATEWAY_URL: "http://127.0.0.1:8100",
      PUBLIC_ADDR: "127.0.0.1",
      PUBLIC_PORT: "8099",
      ANNOUNCE_INTERVAL_MS: "600000",
      HEARTBEAT_INTERVAL_MS: "30000",
      // Docker links and Kubernetes services named after the gateway or Redis.
      REDIS_PORT: "tcp://10.0.0.7:6379",
      GATEWAY_SERVICE_HOST: "10.0.0.8",
      GATEWAY_SERVICE_PORT: "8100",
      GATEWAY_ADMIN_PORT: "tcp://10.0.0.9:8100",
      GATEWAY_PORT_8100_TCP_ADDR: "10.0.0.8",
    }),
    [],
  );
});

Deno.test("an unknown variable with one of the gateway's prefixes warns, listing that prefix's variables", () => {
  const env = {
    WEBHOOK_TIMEOUT_MS: "5000",
    REDIS_PASSWORD: "secret",
    SNAPSHOT_DIR: "/srv",
    MAX_WORLDS: "10",
    GATEWAY_PORT: "8100",
    OUTBOUND_ALLOW: "10.0.0.0/8",
    SHUTDOWN_TIMEOUT_MS: "9000",
    stale_after_ms: "90000",
  };
  const warnings = configWarnings(env, onLoopback(env));
  assertEquals(warnings.map((w) => [w.variable, w.meant]), [
    ["WEBHOOK_TIMEOUT_MS", undefined],
    ["REDIS_PASSWORD", undefined],
    ["SNAPSHOT_DIR", undefined],
    ["MAX_WORLDS", undefined],
    ["GATEWAY_PORT", undefined],
    ["OUTBOUND_ALLOW", undefined],
    ["SHUTDOWN_TIMEOUT_MS", undefined],
    ["stale_after_ms", undefined],
  ]);
  assertEquals(
    warnings[0].message,
    "WEBHOOK_TIMEOUT_MS is not a gateway variable and is ignored (the gateway's WEBHOOK_ variables are WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_RETRY_FOR_MS)",
  );
  assertEquals(
    warnings[2].message,
    "SNAPSHOT_DIR is not a gateway variable and is ignored (the gateway's SNAPSHOT_ variable is SNAPSHOT_INTERVAL_MS)",
  );
  assertMatch(
    warnings[1].message,
    /\(the gateway's REDIS_ variables are REDIS_URL, REDIS_PREFIX, /,
  );
});

Deno.test("a name close to a gateway variable says which one it meant, even with a gateway prefix", () => {
  assertEquals(warned({ WEBHOOK_URI: "https://hooks.example/in", MAX_AGENT: "10" }), [
    "WEBHOOK_URI→WEBHOOK_URL",
    "MAX_AGENT→MAX_AGENTS",
  ]);
});

Deno.test("the SDK world's variables never warn, though GATEWAY_URL has the gateway's prefix", async () => {
  const { WORLD_ENV_VARS } = await import("../examples/grid_world.ts");
  const env = Object.fromEntries(WORLD_ENV_VARS.map((name) => [name, "1000"]));
  assertEquals(warned(env), []);
});

Deno.test("the gateway's own variables never warn as misspellings", () => {
  const env = Object.fromEntries(
    GATEWAY_ENV_VARS.filter((v) => v.default !== undefined).map((v) => [v.name, v.default!]),
  );
  assertEquals(warned(env), []);
});

Deno.test("a TTL under two heartbeat intervals warns that worlds would flap", () => {
  const [warning] = configWarnings({}, onLoopback({ STALE_TTL_MS: "59999" }));
  assertEquals(warning.variable, "STALE_TTL_MS");
  assertMatch(warning.message, /^STALE_TTL_MS=59999 is less than two heartbeat intervals.*flap/);
  assertEquals(configWarnings({}, onLoopback({ STALE_TTL_MS: "60000" })), []);
});

Deno.test("a webhook secret without a webhook URL warns that nothing is sent", () => {
  const env = { WEBHOOK_SECRET: "whsec_" + btoa("0123456789abcdef0123456789abcdef") };
  assertEquals(configWarnings(env, onLoopback(env)).map((w) => w.message), [
    "WEBHOOK_SECRET is set but WEBHOOK_URL is not: no webhooks are sent",
  ]);
});

Deno.test("the help lists every variable with its default, grouped", () => {
  const text = helpText();
  for (const variable of GATEWAY_ENV_VARS) {
    const line = text.split("\n").find((l) => l.trimStart().startsWith(`${variable.name} `));
    assert(line, `${variable.name} is not in the help`);
    assertMatch(line, new RegExp(`^  ${variable.name} +${variable.default ?? "\\(unset\\)"}  `));
  }
  assertMatch(text, /^Usage: deno task gateway \[--help\]\n/);
  assert(text.includes("\nListening:\n  HTTP_PORT "), "HTTP_PORT opens the first group");
  const other = text.split("\nOther:\n")[1]?.split("\n").filter((l) => /^ {2}[A-Z]/.test(l));
  assertEquals(other ?? [], [], "give these variables a group in gateway/_help.ts");
});

Deno.test("a variable no group claims is listed under Other", () => {
  const text = helpText([
    { name: "HTTP_PORT", default: "8100", description: "TCP port to listen on" },
    { name: "SOMETHING_NEW", default: undefined, description: "a variable added later" },
  ]);
  assert(text.includes("\nOther:\n  SOMETHING_NEW  (unset)  a variable added later\n"), text);
});

Deno.test("a gateway reachable from elsewhere with neither PUBLIC_URL nor OUTBOUND_POLICY warns that it may call private addresses", () => {
  const outbound = (env: Record<string, string>) =>
    configWarnings(env, configFromEnv(from(env))).filter((w) => w.variable === "PUBLIC_URL");
  const warns: Record<string, string>[] = [
    {},
    { LISTEN_ADDR: "10.0.0.5" },
    { LISTEN_ADDR: "::", OUTBOUND_POLICY: "auto" },
  ];
  for (const env of warns) {
    const [warning] = outbound(env);
    assert(warning, `no warning for ${JSON.stringify(env)}`);
    assertMatch(
      warning.message,
      /^PUBLIC_URL and OUTBOUND_POLICY are unset and the gateway listens on \S+: .*private and loopback ones included.*set PUBLIC_URL to the gateway's public origin .* or OUTBOUND_POLICY=public-only$/,
    );
  }
  const quiet: Record<string, string>[] = [
    { LISTEN_ADDR: "127.0.0.1" },
    { LISTEN_ADDR: "::1" },
    { LISTEN_ADDR: "localhost" },
    { PUBLIC_URL: "https://gateway.example" },
    { PUBLIC_URL: "http://127.0.0.1:8100" }, // a choice made: the demo's own address
    { OUTBOUND_POLICY: "any" },
    { OUTBOUND_POLICY: "public-only" },
  ];
  for (const env of quiet) assertEquals(outbound(env), [], JSON.stringify(env));
});
