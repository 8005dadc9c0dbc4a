/**
 * What can be checked of compose.yaml and its load balancer without a Docker
 * engine: the files are parsed and held to the gateway's variables, to the
 * replicas' needs (append-only Valkey, readiness checks, streams that are
 * never buffered or cut), and Valkey's options are given to a real
 * redis-server when one is installed.
 */
import { parse } from "yaml";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { assertVariables, GATEWAY_VARIABLE_NAMES } from "./_env_vars.ts";

const ROOT = new URL("../", import.meta.url);

interface Service {
  build?: string | { context?: string; dockerfile?: string };
  image?: string;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  ports?: (string | number | { target?: number; published?: string | number })[];
  deploy?: { replicas?: number };
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
}

const compose = parse(await Deno.readTextFile(new URL("compose.yaml", ROOT)), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = Object.entries(compose.services);

/** The gateway services: those built from this repository's Dockerfile. */
const gateways = services.filter(([, service]) => {
  const build = typeof service.build === "string" ? { context: service.build } : service.build;
  return build !== undefined && [".", "./"].includes(build.context ?? ".") &&
    (build.dockerfile ?? "Dockerfile") === "Dockerfile";
});

/** A service's environment as a map (compose allows a list of `NAME=value` too). */
function environment(service: Service): Map<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return new Map(env.map((entry) => {
      const at = entry.indexOf("=");
      return at < 0 ? [entry, ""] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return new Map(Object.entries(env).map(([name, value]) => [name, String(value ?? "")]));
}

/** A service's command as a list of arguments. */
function commandOf(service: Service): string[] {
  const command = service.command ?? [];
  return typeof command === "string" ? command.split(/\s+/) : command.map(String);
}

function onlyService(match: (name: string, service: Service) => boolean, what: string) {
  const found = services.filter(([name, service]) => match(name, service));
  assertEquals(found.map(([name]) => name).length, 1, `exactly one ${what} service`);
  return found[0];
}

const [storeName, store] = onlyService(
  (_, s) => /^(valkey\/valkey|redis|bitnami\/valkey):?/.test(s.image ?? ""),
  "Valkey or Redis",
);
const [, balancer] = onlyService((_, s) => /^haproxy:/.test(s.image ?? ""), "HAProxy");

// --- HAProxy's configuration, read as sections of directives.

interface Section {
  kind: string;
  name: string;
  directives: string[][];
}

/** The balancer's config file: the one mounted at HAProxy's config path. */
function haproxyConfigPath(): string {
  for (const volume of balancer.volumes ?? []) {
    const [source, target] = typeof volume === "string"
      ? volume.split(":")
      : [volume.source ?? "", volume.target ?? ""];
    if (target === "/usr/local/etc/haproxy/haproxy.cfg") return source.replace(/^\.\//, "");
  }
  throw new Error("no config file is mounted at /usr/local/etc/haproxy/haproxy.cfg");
}

const haproxy: Section[] = (() => {
  const sections: Section[] = [];
  const text = Deno.readTextFileSync(new URL(haproxyConfigPath(), ROOT));
  for (const raw of text.split("\n")) {
    const line = raw.replace(/(^|\s)#.*$/, "").trimEnd();
    if (line.trim() === "") continue;
    const words = line.trim().split(/\s+/);
    if (!/^\s/.test(line)) sections.push({ kind: words[0], name: words[1] ?? "", directives: [] });
    else sections.at(-1)!.directives.push(words);
  }
  return sections;
})();

function section(kind: string, name = ""): Section {
  const found = haproxy.find((s) => s.kind === kind && s.name === name);
  assert(found, `haproxy.cfg has no ${kind} ${name}`);
  return found;
}

/** Directives of a backend or frontend, after those of `defaults` (a later one wins). */
function effective(kind: string, name: string): string[][] {
  return [...section("defaults").directives, ...section(kind, name).directives];
}

/** The value of the last `timeout <which>` that applies, in ms. */
function timeoutMs(directives: string[][], which: string): number | undefined {
  const found = directives.filter((d) => d[0] === "timeout" && d[1] === which).at(-1);
  if (!found) return undefined;
  const match = found[2].match(/^(\d+)(us|ms|s|m|h|d)?$/);
  assert(match, `timeout ${which} ${found[2]}`);
  const unit = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * unit[(match[2] ?? "ms") as keyof typeof unit];
}

/** The backend a request for `path` goes to, from the frontend's `use_backend … if <acls>`. */
function backendFor(path: string): string {
  const frontends = haproxy.filter((s) => s.kind === "frontend");
  assertEquals(frontends.length, 1, "one frontend");
  const { directives } = frontends[0];
  const acls = new Map<string, boolean>();
  for (const [keyword, name, fetch, ...values] of directives) {
    if (keyword !== "acl") continue;
    const matches = fetch === "path"
      ? values.includes(path)
      : fetch === "path_beg"
      ? values.some((v) => path.startsWith(v))
      : false;
    acls.set(name, (acls.get(name) ?? false) || matches);
  }
  for (const [keyword, backend, condition, ...terms] of directives) {
    if (keyword !== "use_backend") continue;
    assertEquals(condition, "if", `use_backend ${backend} ${condition}`);
    const alternatives = terms.join(" ").split(/\s+(?:or|\|\|)\s+/);
    if (alternatives.some((all) => all.split(/\s+/).every((acl) => acls.get(acl) === true))) {
      return backend;
    }
  }
  const fallback = directives.find((d) => d[0] === "default_backend");
  assert(fallback, "no default_backend");
  return fallback[1];
}

const backends = haproxy.filter((s) => s.kind === "backend").map((s) => s.name);

// --- The tests.

Deno.test("compose.yaml runs three gateway replicas built from the Dockerfile", () => {
  assert(gateways.length > 0, "no service is built from the Dockerfile");
  const replicas = gateways.reduce((sum, [, service]) => sum + (service.deploy?.replicas ?? 1), 0);
  assertEquals(replicas, 3);
});

/**
 * Variables compose.yaml sets ahead of the branch that adds them to
 * gateway/config.ts (wp-redis, the Redis store). Each is accepted only while
 * GATEWAY_ENV_VARS lacks it; once it is there, the next test says to delete it.
 */
const AWAITED: string[] = [];

Deno.test("every environment variable of the gateways is one the gateway reads", () => {
  for (const [name, service] of gateways) {
    assertVariables(`compose.yaml's ${name} environment`, environment(service).keys(), {
      subset: true,
      expected: [...GATEWAY_VARIABLE_NAMES, ...AWAITED],
    });
  }
});

Deno.test("no variable is awaited that the gateway already reads", () => {
  const arrived = AWAITED.filter((name) => GATEWAY_VARIABLE_NAMES.includes(name));
  assertEquals(arrived, [], "the gateway reads these now: delete them from AWAITED");
});

Deno.test("the gateways share the store, trust the balancer and leave secrets to the user", () => {
  for (const [name, service] of gateways) {
    const env = environment(service);
    assertMatch(env.get("REDIS_URL") ?? "", new RegExp(`^rediss?://${storeName}:6379$`), name);
    assertEquals(env.get("TRUST_PROXY"), "true", `${name}: behind HAProxy`);
    assertMatch(env.get("PUBLIC_URL") ?? "", /^\$\{PUBLIC_URL:-https?:\/\/[^/]+\}$/, name);
    for (const secret of ["GATEWAY_ADMIN_TOKEN", "WEBHOOK_URL", "WEBHOOK_SECRET"]) {
      assertEquals(env.get(secret), `\${${secret}:-}`, `${name}: ${secret} from the user's shell`);
    }
    const dependsOn = service.depends_on;
    assert(
      dependsOn && !Array.isArray(dependsOn) &&
        dependsOn[storeName]?.condition === "service_healthy",
      `${name} does not wait for ${storeName} to be healthy`,
    );
  }
});

Deno.test("Valkey persists append-only, fsynced every second, on a named volume", () => {
  const command = commandOf(store);
  const option = (name: string) => command[command.indexOf(`--${name}`) + 1];
  assertEquals(option("appendonly"), "yes");
  assertEquals(option("appendfsync"), "everysec");
  assert(Number(option("hash-max-listpack-value")) >= 512, "records would leave listpack");
  const data = (store.volumes ?? []).map((v) =>
    typeof v === "string" ? v.split(":") : [
      v.source ?? "",
      v.target ?? "",
    ]
  ).find(([, target]) => target === "/data");
  assert(data, `${storeName} keeps /data in no volume`);
  assert(compose.volumes && data[0] in compose.volumes, `${data[0]} is not a named volume`);
  assert(store.healthcheck?.test, `${storeName} has no health check for the gateways to wait on`);
});

Deno.test("the load balancer publishes port 8100 and its committed config exists", async () => {
  assert(
    (balancer.ports ?? []).some((p) => String(p) === "8100:8100" || String(p).endsWith(":8100")),
    `ports ${JSON.stringify(balancer.ports)}`,
  );
  const stat = await Deno.stat(new URL(haproxyConfigPath(), ROOT));
  assert(stat.isFile);
  assertEquals(section("frontend", "directory").directives.find((d) => d[0] === "bind"), [
    "bind",
    ":8100",
  ]);
});

Deno.test("every backend health-checks each gateway replica on /ready", () => {
  assert(backends.length > 0, "no backend");
  const gatewayNames = gateways.map(([name]) => name);
  for (const backend of backends) {
    const directives = effective("backend", backend);
    assert(directives.some((d) => d.join(" ") === "option httpchk"), `${backend}: no httpchk`);
    const send = directives.find((d) => d[0] === "http-check" && d[1] === "send");
    assert(send && send[send.indexOf("uri") + 1] === "/ready", `${backend} checks ${send}`);
    assert(
      directives.some((d) => d.join(" ") === "http-check expect status 200"),
      `${backend}: a check does not require 200`,
    );
    const servers = section("backend", backend).directives.filter((d) =>
      d[0] === "server" || d[0] === "server-template"
    );
    assert(servers.length > 0, `${backend} has no servers`);
    const checked = directives.some((d) => d[0] === "default-server" && d.includes("check"));
    let slots = 0;
    for (const server of servers) {
      const address = server[0] === "server-template" ? server[3] : server[2];
      const [host, port] = address.split(":");
      assert(gatewayNames.includes(host), `${backend}: ${address} is not a gateway service`);
      assertEquals(port, "8100");
      assert(checked || server.includes("check"), `${backend}: ${address} is not checked`);
      slots += server[0] === "server-template" ? Number(server[2]) : 1;
    }
    assert(slots >= 3, `${backend} has room for ${slots} of the 3 replicas`);
  }
});

Deno.test("/watch goes to a backend that passes events on at once and waits on quiet streams", () => {
  const backend = backendFor("/watch");
  const directives = effective("backend", backend);
  assert(
    directives.some((d) => d.join(" ") === "option http-no-delay"),
    `${backend}: events may be held back to fill packets`,
  );
  for (const s of haproxy) {
    for (const d of s.directives) {
      assert(d[0] !== "compression", `${s.kind} ${s.name} compresses (and so buffers) responses`);
      assert(d.join(" ") !== "option http-buffer-request" || s.kind === "frontend", "buffered");
    }
  }
  // The gateway sends a comment every 15 s; a stream is cut only after an hour of nothing.
  assert((timeoutMs(directives, "server") ?? 0) >= 3_600_000, `${backend}: timeout server`);
  assert(
    (timeoutMs(section("defaults").directives, "client") ?? 0) >= 30_000,
    "timeout client: a stream's 15 s keep-alive must fit in it",
  );
});

Deno.test("/ws upgrades go through HTTP mode with an hour for a quiet WebSocket", () => {
  const backend = backendFor("/ws");
  const directives = effective("backend", backend);
  const mode = directives.filter((d) => d[0] === "mode").at(-1);
  assertEquals(mode, ["mode", "http"], "upgrades need HTTP mode");
  assert(
    !directives.some((d) => ["option httpclose", "option http-tunnel"].includes(d.join(" "))),
    `${backend} closes connections`,
  );
  assert((timeoutMs(directives, "tunnel") ?? 0) >= 3_600_000, `${backend}: timeout tunnel`);
  assert(backendFor("/worlds") !== backend || backends.length === 1, "/ws is routed apart");
});

Deno.test("the load balancer passes the client's address in X-Forwarded-For", () => {
  for (const backend of backends) {
    assert(
      effective("backend", backend).some((d) => d.join(" ") === "option forwardfor"),
      `${backend} does not add X-Forwarded-For`,
    );
  }
});

Deno.test("a Redis 7 server accepts Valkey's options and writes an append-only file", async () => {
  const server = await findRedisServer();
  if (!server) {
    if (Deno.env.get("CI") === "true") throw new Error("redis-server is required when CI=true");
    console.log("redis-server not found: the Valkey options check is skipped");
    return;
  }
  const dir = await Deno.makeTempDir();
  // Port 0 and a Unix socket in the temp dir: no TCP listener at all.
  const process = new Deno.Command(server, {
    args: [
      ...commandOf(store).slice(1),
      ...["--port", "0", "--unixsocket", `${dir}/redis.sock`, "--dir", dir, "--save", ""],
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    let output = "";
    const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const giveUp = setTimeout(() => reader.cancel(), 10_000); // bounded: never wait forever
    try {
      while (!/ready to accept connections/i.test(output)) {
        const { value, done } = await reader.read();
        if (done) break;
        output += value;
      }
    } finally {
      clearTimeout(giveUp);
      await reader.cancel();
    }
    assertMatch(output, /ready to accept connections/i);
    const names = [...Deno.readDirSync(dir)].map((entry) => entry.name);
    assert(names.includes("appendonlydir"), `no append-only file in ${names}`);
  } finally {
    try {
      process.kill("SIGTERM");
    } catch {
      // already exited
    }
    await process.status;
    await process.stderr.cancel();
    await Deno.remove(dir, { recursive: true });
  }
});

/** redis-server on PATH or in Debian's place, if installed. */
async function findRedisServer(): Promise<string | undefined> {
  for (const candidate of ["redis-server", "/usr/bin/redis-server"]) {
    try {
      const output = await new Deno.Command(candidate, { args: ["--version"] }).output();
      if (output.success) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}
