/**
 * A private `redis-server` for tests: started on a free loopback port in a
 * temp directory, polled with `PING` until it answers `PONG` (not
 * `LOADING`), stopped by its own process handle, never the system service
 * or port 6379.
 *
 * Where `redis-server` is not installed, {@linkcode redisTest} registers
 * nothing and one line says the Redis tests were skipped; with `CI=true` a
 * missing server is a failing test instead.
 *
 * @module
 */
import { RedisStore, type RedisStoreOptions } from "../gateway/redis_store.ts";
import { TestClock } from "./_store_contract.ts";
import type { Logger, LogLevel } from "../gateway/log.ts";

/** The `redis-server` binary, or undefined when none is installed. */
export const REDIS_SERVER: string | undefined = findRedisServer();

// `REDIS_SERVER` names the binary (and only it: set it to a missing path to
// see the skip); otherwise PATH, then Debian's place.
function findRedisServer(): string | undefined {
  const explicit = Deno.env.get("REDIS_SERVER");
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((dir) => dir !== "");
  const candidates = explicit !== undefined
    ? [explicit]
    : [...dirs.map((dir) => `${dir}/redis-server`), "/usr/bin/redis-server"];
  for (const candidate of candidates) {
    try {
      if (Deno.statSync(candidate).isFile) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

const inCi = Deno.env.get("CI") === "true";
// Test files run in separate isolates of one process: the environment is
// what they share, so the skip is said (or failed) once per run.
const NOTED = "AW_REDIS_SKIP_NOTED";

/**
 * Registers a test that needs `redis-server`. Without one it is not
 * registered (one line for the whole run says so), except under `CI=true`,
 * where a single failing test says the server is missing.
 */
export function redisTest(definition: Deno.TestDefinition): void {
  if (REDIS_SERVER !== undefined) {
    Deno.test(definition);
    return;
  }
  if (Deno.env.get(NOTED) !== undefined) return;
  Deno.env.set(NOTED, "1");
  if (inCi) {
    Deno.test("redis-server is installed (required when CI=true)", () => {
      throw new Error("redis-server not found: apt-get install -y redis-server");
    });
    return;
  }
  console.log("redis-server not found: Redis tests skipped (apt-get install redis-server)");
}

/** Options of {@linkcode startRedis}. */
export interface RedisServerOptions {
  /** Append-only persistence, fsynced every second. Default: false. */
  appendonly?: boolean;
  /** More `redis-server` arguments. */
  args?: string[];
  /** Reuse this directory (and port), e.g. to restart on the same data. */
  dir?: string;
  /** The port; default: a free one. */
  port?: number;
  /** Serve TLS only (`rediss://`), with these PEM files (see {@linkcode makeTlsFiles}). */
  tls?: TlsFiles;
}

/** A CA and a server certificate for 127.0.0.1 signed by it (PEM file paths). */
export interface TlsFiles {
  /** The CA certificate. */
  ca: string;
  /** The server certificate (subjectAltName IP:127.0.0.1). */
  cert: string;
  /** The server key. */
  key: string;
}

/** Makes {@linkcode TlsFiles} in `dir` with `openssl`; undefined when openssl is missing. */
export async function makeTlsFiles(dir: string): Promise<TlsFiles | undefined> {
  const run = async (...args: string[]) => {
    const { success, stderr } = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!success) throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(stderr)}`);
  };
  try {
    await run("version");
  } catch {
    return undefined;
  }
  await Deno.writeTextFile(`${dir}/ext.cnf`, "subjectAltName=IP:127.0.0.1\n");
  await run(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "2",
    "-subj",
    "/CN=aw-test-ca",
  );
  await run(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  );
  await run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "2",
    "-extfile",
    "ext.cnf",
  );
  return { ca: `${dir}/ca.crt`, cert: `${dir}/server.crt`, key: `${dir}/server.key` };
}

/** A running private Redis. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` (`rediss://` with TLS). */
  readonly url: string;
  /** The loopback port. */
  readonly port: number;
  /** Its data directory. */
  readonly dir: string;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills it with SIGKILL and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (after stop or kill). */
  restart(): Promise<void>;
  /** Kills it now, synchronously (for `unload`). */
  killNow(): void;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Picks a free loopback port. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Sends one inline command over a fresh connection; the first reply line, or the error. */
export async function redisInline(port: number, command: string, caPem?: string): Promise<string> {
  const conn = caPem === undefined
    ? await Deno.connect({ hostname: "127.0.0.1", port })
    : await Deno.connectTls({ hostname: "127.0.0.1", port, caCerts: [caPem] });
  try {
    await conn.write(new TextEncoder().encode(`${command}\r\n`));
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    return n === null ? "" : new TextDecoder().decode(buffer.subarray(0, n)).split("\r\n")[0];
  } finally {
    conn.close();
  }
}

/** Starts a private `redis-server` and resolves once it answers `PONG`. */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (REDIS_SERVER === undefined) throw new Error("redis-server is not installed");
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "aw-redis-" });
  const port = options.port ?? freePort();
  if (port === 6379) throw new Error("tests never use port 6379");
  const tls = options.tls;
  const listen = tls
    ? [
      "--port",
      "0",
      "--tls-port",
      String(port),
      "--tls-cert-file",
      tls.cert,
      "--tls-key-file",
      tls.key,
      "--tls-ca-cert-file",
      tls.ca,
      "--tls-auth-clients",
      "no",
    ]
    : ["--port", String(port)];
  const caPem = tls ? await Deno.readTextFile(tls.ca) : undefined;
  const args = [
    ...listen,
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--save",
    "",
    "--appendonly",
    options.appendonly ? "yes" : "no",
    "--appendfsync",
    "everysec",
    "--daemonize",
    "no",
    "--logfile",
    `${dir}/redis.log`,
    ...(options.args ?? []),
  ];
  let process: Deno.ChildProcess | undefined;
  let exited: Promise<Deno.CommandStatus> | undefined;

  const spawn = async () => {
    process = new Deno.Command(REDIS_SERVER!, { args, stdout: "null", stderr: "null" }).spawn();
    exited = process.status;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const status = await Promise.race([exited, null]);
      if (status !== null) throw new Error(`redis-server exited with ${status.code}`);
      try {
        if (await redisInline(port, "PING", caPem) === "+PONG") return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error("redis-server did not answer PONG in 15 s");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const signal = async (name: Deno.Signal) => {
    if (!process) return;
    try {
      process.kill(name);
    } catch {
      // already exited
    }
    await exited;
    process = undefined;
  };
  await spawn();
  return {
    url: `${tls ? "rediss" : "redis"}://127.0.0.1:${port}`,
    port,
    dir,
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
    restart: spawn,
    killNow() {
      try {
        process?.kill("SIGKILL");
      } catch {
        // already exited
      }
    },
    async dispose() {
      await signal("SIGTERM");
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * One private server for a whole test file, started at import and stopped
 * when the file's tests are done (or at exit): undefined without `redis-server`.
 */
export async function fileRedis(
  options: RedisServerOptions = {},
): Promise<RedisServer | undefined> {
  if (REDIS_SERVER === undefined) return undefined;
  const server = await startRedis(options);
  globalThis.addEventListener("unload", () => {
    server.killNow();
    try {
      Deno.removeSync(server.dir, { recursive: true });
    } catch {
      // already gone
    }
  });
  return server;
}

let prefixes = 0;

/** A key prefix no other store in this process uses. */
export function uniquePrefix(name = "t"): string {
  return `${name}${++prefixes}-${crypto.randomUUID().slice(0, 8)}`;
}

/**
 * A Redis store on a private prefix with a manual clock and no timers
 * (tests tick it by hand) and no post-outage grace unless asked for.
 */
export async function openStore(
  server: RedisServer,
  options: Partial<RedisStoreOptions> = {},
): Promise<{ store: RedisStore; clock: TestClock }> {
  const clock = new TestClock();
  const store = await RedisStore.connect({
    url: server.url,
    prefix: uniquePrefix(),
    clock: clock.read,
    tickMs: 0,
    outageGraceAfterMs: 0,
    ...options,
  });
  return { store, clock };
}

/**
 * Runs `fn` with `count` stores on one prefix and one manual clock: replicas
 * of one directory, each with its own connections. Closes them after.
 */
export async function withReplicas(
  server: RedisServer,
  count: number,
  options: Partial<RedisStoreOptions>,
  fn: (replicas: RedisStore[], clock: TestClock) => Promise<void>,
): Promise<void> {
  const clock = new TestClock();
  const prefix = uniquePrefix("replicas");
  const replicas: RedisStore[] = [];
  try {
    for (let i = 0; i < count; i++) {
      replicas.push((await openStore(server, { prefix, clock: clock.read, ...options })).store);
    }
    await fn(replicas, clock);
  } finally {
    for (const replica of replicas) await replica.close();
  }
}

/** A logger that keeps what it is told, as `[level, message]`. */
export function recordingLogger(lines: [LogLevel, string][]): Logger {
  const at = (level: LogLevel) => (message: string) => void lines.push([level, message]);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
