/**
 * What can be checked of the Dockerfile without a Docker engine: it is read
 * as text and held to the gateway's code, deno.json and .dockerignore; its
 * command and its health check are run here, as the image would run them.
 */
import { GATEWAY_ENV_VARS } from "../gateway/config.ts";
import { assert, assertEquals, assertMatch } from "./assert.ts";
import { assertVariables } from "./_env_vars.ts";
import { spawnDeno, spawnTask } from "./_process.ts";

const ROOT = new URL("../", import.meta.url);
const dockerfile = parseDockerfile(await Deno.readTextFile(new URL("Dockerfile", ROOT)));
const dockerignore = await Deno.readTextFile(new URL(".dockerignore", ROOT));
const denoJson = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));

interface Instruction {
  keyword: string;
  args: string;
}

/** Instructions (continuations joined, comments dropped) and the comment lines. */
function parseDockerfile(text: string): { instructions: Instruction[]; comments: string[] } {
  const instructions: Instruction[] = [];
  const comments: string[] = [];
  let pending = "";
  for (const line of text.split("\n")) {
    if (/^\s*#/.test(line)) {
      if (pending === "") comments.push(line.replace(/^\s*#\s?/, ""));
      continue;
    }
    if (pending === "" && line.trim() === "") continue;
    const continued = /\\\s*$/.test(line);
    pending += (pending ? " " : "") + line.replace(/\\\s*$/, "").trim();
    if (continued) continue;
    const match = pending.match(/^(\w+)\s+([\s\S]*)$/);
    assert(match, `not an instruction: ${pending}`);
    instructions.push({ keyword: match[1].toUpperCase(), args: match[2].trim() });
    pending = "";
  }
  return { instructions, comments };
}

function all(keyword: string): Instruction[] {
  return dockerfile.instructions.filter((i) => i.keyword === keyword);
}

function last(keyword: string): Instruction {
  const found = all(keyword);
  assert(found.length > 0, `the Dockerfile has no ${keyword}`);
  return found[found.length - 1];
}

/** `ENV A=1 B=2` instructions before instruction `index`, merged. */
function envBefore(index: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const { keyword, args } of dockerfile.instructions.slice(0, index)) {
    if (keyword !== "ENV") continue;
    for (const [, name, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env.set(name, value.replace(/^"|"$/g, ""));
    }
  }
  return env;
}

/** The image's environment: every `ENV`, merged. */
function imageEnv(): Map<string, string> {
  return envBefore(dockerfile.instructions.length);
}

/** `NAME=value` entries of the Dockerfile's comment block documenting the environment. */
function documentedEnv(): Map<string, string> {
  const documented = new Map<string, string>();
  for (const line of dockerfile.comments) {
    const match = line.match(/^\s+([A-Z][A-Z0-9_]*)=(\S*)(\s|$)/);
    if (match) documented.set(match[1], match[2]);
  }
  return documented;
}

/** The image's command, exec form. */
function command(): string[] {
  const cmd = all("ENTRYPOINT").concat(all("CMD")).map(({ args }) => JSON.parse(args) as string[]);
  assert(cmd.length > 0, "the Dockerfile has no CMD or ENTRYPOINT");
  return cmd.flat();
}

/** Whether `.dockerignore` lets `path` into the build context (last matching pattern wins). */
function admitted(path: string): boolean {
  const globToRegExp = (glob: string) => {
    const part = (text: string) =>
      text.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
    return new RegExp(`^${glob.split("**").map(part).join(".*")}$`);
  };
  const prefixes = path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let included = true;
  for (const raw of dockerignore.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    const pattern = globToRegExp(line.replace(/^!/, "").replace(/^\/|\/$/g, ""));
    if (prefixes.some((prefix) => pattern.test(prefix))) included = negated;
  }
  return included;
}

/** Sources of the `COPY` instructions, as repository paths ("." for all). */
function copiedSources(): string[] {
  return all("COPY").flatMap(({ args }) => {
    const parts = args.split(/\s+/).filter((part) => !part.startsWith("--"));
    return parts.slice(0, -1).map((source) => source.replace(/^\.\//, "").replace(/\/$/, ""));
  });
}

function copied(path: string): boolean {
  return copiedSources().some((source) =>
    source === "." || path === source || path.startsWith(`${source}/`)
  );
}

interface ModuleGraph {
  modules: { specifier: string; npmPackage?: string }[];
  npmPackages: Record<string, { dependencies?: string[] }>;
}

let graph: Promise<ModuleGraph> | undefined;

/** `deno info --json gateway/main.ts`, run once. */
function gatewayGraph(): Promise<ModuleGraph> {
  return graph ??= (async () => {
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "gateway/main.ts"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(output.success, `deno info failed: ${new TextDecoder().decode(output.stderr)}`);
    return JSON.parse(new TextDecoder().decode(output.stdout));
  })();
}

/** The local files `gateway/main.ts` loads. */
async function gatewayModules(): Promise<string[]> {
  return (await gatewayGraph()).modules
    .map((module) => module.specifier)
    .filter((specifier) => specifier.startsWith(ROOT.href))
    .map((specifier) => specifier.slice(ROOT.href.length));
}

Deno.test("the base image is the official Deno image pinned to the CI's Deno version", async () => {
  const from = last("FROM").args.split(/\s+/)[0];
  const match = from.match(/^denoland\/deno:(?:[a-z]+-)?(\d+\.\d+\.\d+)$/);
  assert(match, `FROM ${from} is not denoland/deno pinned to a release`);
  const ci = await Deno.readTextFile(new URL(".ci/run", ROOT));
  const pinned = ci.match(/DENO_VERSION=(\S+)/)?.[1];
  assertEquals(match[1], pinned, "the image's Deno differs from .ci/run's DENO_VERSION");
});

Deno.test("the image runs the gateway entrypoint that deno task gateway runs", async () => {
  const cmd = command();
  const taskIndex = cmd.indexOf("task");
  const entry = taskIndex >= 0
    ? String(denoJson.tasks?.[cmd[taskIndex + 1]]).split(/\s+/).find((arg) => arg.endsWith(".ts"))
    : cmd.find((arg) => arg.endsWith(".ts"));
  assert(entry, `no entrypoint module in ${JSON.stringify(cmd)}`);
  assertEquals(entry, "gateway/main.ts");
  const task = denoJson.tasks?.gateway;
  assert(typeof task === "string", 'deno.json has no "gateway" task');
  assert(task.split(/\s+/).includes(entry), `deno task gateway does not run ${entry}`);
  const stat = await Deno.stat(new URL(entry, ROOT)).catch(() => undefined);
  assert(stat?.isFile, `${entry} does not exist`);
});

Deno.test("the gateway runs as a non-root user", () => {
  const user = last("USER").args.split(":")[0];
  assert(user !== "root" && user !== "0", `USER ${user}`);
  // The command is declared after the last USER, so it runs as that user.
  const lastUser = dockerfile.instructions.lastIndexOf(last("USER"));
  const lastCmd = dockerfile.instructions.lastIndexOf(last("CMD"));
  assert(lastUser < lastCmd, "USER must come before CMD");
});

Deno.test("the image exposes port 8100, the default HTTP_PORT", () => {
  const ports = all("EXPOSE").flatMap(({ args }) => args.split(/\s+/));
  assert(ports.includes("8100") || ports.includes("8100/tcp"), `EXPOSE ${ports}`);
  assertEquals(imageEnv().get("HTTP_PORT"), "8100");
});

/** The health check's command, exec form. */
function healthCheck(): string[] {
  const { args } = last("HEALTHCHECK");
  assert(!/^NONE$/i.test(args), "HEALTHCHECK NONE");
  const json = args.match(/\bCMD\s+(\[.*\])$/)?.[1];
  assert(json, `HEALTHCHECK has no CMD in exec form: ${args}`);
  return JSON.parse(json);
}

/** Runs the health check here as Docker would in the container, with `HTTP_PORT`. */
async function runHealthCheck(port: number): Promise<number> {
  const [program, ...args] = healthCheck();
  const output = await new Deno.Command(program, {
    args,
    env: { HTTP_PORT: String(port) },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).output();
  return output.code;
}

Deno.test("the health check asks /livez on the loopback with the shell, not a new Deno", () => {
  const cmd = healthCheck();
  assertEquals(cmd.slice(0, 2), ["bash", "-c"], "bash's /dev/tcp, which the Debian image has");
  assert(!cmd.some((arg) => /\bdeno\b/.test(arg)), `a Deno process every interval: ${cmd}`);
  const script = cmd[2];
  assertMatch(script, /\/dev\/tcp\/127\.0\.0\.1\/\$\{HTTP_PORT:-8100\}/);
  assertMatch(script, /GET \/livez HTTP\/1\.1/);
});

Deno.test("the health check passes against a serving gateway and fails against none", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const gateway = await spawnTask("gateway", {
      HTTP_PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: dataDir,
    });
    const port = Number(new URL(gateway.url).port);
    try {
      assertEquals(await runHealthCheck(port), 0);
    } finally {
      await gateway.kill("SIGTERM");
    }
    assert(await runHealthCheck(port) !== 0, "healthy with nothing listening");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("the health check fails when /livez answers 503, and passes while only /health does", async () => {
  let live = 503;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) =>
      new URL(request.url).pathname === "/livez"
        ? Response.json({ ok: live === 200 }, { status: live })
        : Response.json({ ok: false, error: "the store is unreachable" }, { status: 503 }),
  );
  try {
    assert(await runHealthCheck(server.addr.port) !== 0, "healthy on a 503");
    live = 200;
    assertEquals(await runHealthCheck(server.addr.port), 0, "a store outage restarts nothing");
  } finally {
    await server.shutdown();
  }
});

Deno.test("the data directory is a volume the gateway may write", () => {
  const dataDir = imageEnv().get("DATA_DIR");
  assertEquals(dataDir, "/data");
  const volumes = all("VOLUME").flatMap(({ args }) =>
    args.startsWith("[") ? JSON.parse(args) : args.split(/\s+/)
  );
  assert(volumes.includes(dataDir), `VOLUME ${volumes} lacks ${dataDir}`);
  const write = command().find((arg) => arg.startsWith("--allow-write"));
  assert(write, "the command grants no write permission");
  assert(
    write === "--allow-write" || write.slice("--allow-write=".length).split(",").includes(dataDir!),
    `${write} does not cover ${dataDir}`,
  );
  assert(
    dockerfile.instructions.some(({ keyword, args }) =>
      keyword === "RUN" && args.includes(`chown`) && args.includes(dataDir!)
    ),
    `${dataDir} is not chowned to the gateway's user`,
  );
});

Deno.test("the Dockerfile documents exactly the variables the gateway reads", () => {
  assertVariables("the Dockerfile's comment block", documentedEnv().keys());
});

Deno.test("every variable the image sets is the gateway's default (DATA_DIR is /data)", () => {
  const expected = new Map<string, string>();
  for (const variable of GATEWAY_ENV_VARS) {
    const value = variable.name === "DATA_DIR" ? "/data" : variable.default;
    if (value !== undefined) expected.set(variable.name, value);
  }
  const set = new Map([...imageEnv()].filter(([name]) => !name.startsWith("DENO_")));
  assertVariables("the Dockerfile's ENV", set.keys(), { expected: [...expected.keys()] });
  for (const [name, value] of expected) {
    assertEquals(set.get(name), value, `ENV ${name} is not the gateway's default`);
  }
  for (const [name, value] of documentedEnv()) {
    assertEquals(value, set.get(name) ?? "", `the comment for ${name} shows another value`);
  }
});

Deno.test("no gateway module reads a variable outside GATEWAY_ENV_VARS", async () => {
  const known = new Set(GATEWAY_ENV_VARS.map((v) => v.name));
  for await (const entry of Deno.readDir(new URL("gateway/", ROOT))) {
    if (!entry.name.endsWith(".ts")) continue;
    const source = await Deno.readTextFile(new URL(`gateway/${entry.name}`, ROOT));
    for (const [, name] of source.matchAll(/\b(?:env\.get|env)\(\s*["']([A-Z][A-Z0-9_]*)["']/g)) {
      assert(known.has(name), `gateway/${entry.name} reads ${name}, not in GATEWAY_ENV_VARS`);
    }
  }
});

Deno.test("only the gateway's module graph is cached, frozen to the lockfile", () => {
  const steps = dockerfile.instructions;
  const denoRuns = steps.map((step, i) => ({ ...step, i }))
    .filter((s) => s.keyword === "RUN" && /\bdeno\s/.test(s.args));
  // Without lazy caching, `deno install` and `deno cache` (even of one entrypoint)
  // fetch every package of deno.lock: ~46 MB of spec and test tooling.
  const lazy = (step: { args: string; i: number }) =>
    step.args.includes("--unstable-npm-lazy-caching") ||
    envBefore(step.i).get("DENO_UNSTABLE_NPM_LAZY_CACHING") === "1";
  for (const step of denoRuns) {
    if (!/\bdeno (install|cache)\b/.test(step.args)) continue;
    assert(!/\bdeno install\b/.test(step.args), `RUN ${step.args} installs the whole import map`);
    assert(lazy(step), `RUN ${step.args} caches every package of deno.lock (no lazy caching)`);
  }
  const cache = denoRuns.find(({ args }) => /\bdeno cache\b/.test(args));
  assert(cache, "no `deno cache` step");
  assert(cache.args.includes("--frozen"), `${cache.args}: not frozen to deno.lock`);
  const entry = command().find((arg) => arg.endsWith(".ts"));
  assertEquals(cache.args.split(/\s+/).filter((arg) => arg.endsWith(".ts")), [entry!]);
  const copies = steps.map((step, i) => ({ ...step, i })).filter((s) => s.keyword === "COPY");
  for (const path of ["deno.json", "deno.lock", "gateway", "protocol"]) {
    const copy = copies.find(({ args }) =>
      args.split(/\s+/).slice(0, -1).some((a) => a.startsWith(path))
    );
    assert(copy && copy.i < cache.i, `${path} is not copied before the cache step`);
  }
});

Deno.test("the image's command runs from that cache alone, lazily", () => {
  const cmd = command();
  assert(cmd.includes("--cached-only"), `${cmd}: may fetch at startup`);
  const lastCmd = dockerfile.instructions.lastIndexOf(last("CMD"));
  assert(
    cmd.includes("--unstable-npm-lazy-caching") ||
      envBefore(lastCmd).get("DENO_UNSTABLE_NPM_LAZY_CACHING") === "1",
    "deno run without npm lazy caching wants every package of deno.lock",
  );
});

/** The npm packages (name@version) the gateway's module graph needs, dependencies included. */
async function gatewayNpmPackages(): Promise<Set<string>> {
  const { modules, npmPackages } = await gatewayGraph();
  const needed = new Set<string>();
  const visit = (id: string) => {
    if (needed.has(id)) return;
    needed.add(id);
    for (const dependency of npmPackages[id]?.dependencies ?? []) visit(dependency);
  };
  for (const module of modules) if (module.npmPackage) visit(module.npmPackage);
  return needed;
}

Deno.test("the gateway's module graph carries none of the import map's tooling", async () => {
  const names = [...await gatewayNpmPackages()].map((id) => id.replace(/@[^@]+$/, ""));
  assert(names.includes("hono"), `the graph seems empty: ${names}`);
  for (const tool of ["typescript", "puppeteer-core", "openapi-typescript", "ajv", "yaml"]) {
    assert(!names.includes(tool), `gateway/main.ts imports ${tool}: the image would carry it`);
  }
});

Deno.test("the image's command starts the gateway (paths of the image mapped here)", async () => {
  const dataDir = await Deno.makeTempDir();
  const root = ROOT.pathname.replace(/\/$/, "");
  try {
    const [program, subcommand, ...args] = command();
    assertEquals([program, subcommand], ["deno", "run"]);
    const here = args.map((arg) =>
      arg.replace(
        /^(--allow-(?:read|write)=)(.*)$/,
        (_, flag: string, paths: string) =>
          flag +
          paths.split(",").map((p) => p === "/app" ? root : p === "/data" ? dataDir : p).join(","),
      )
    );
    const env = Object.fromEntries(imageEnv());
    const gateway = await spawnDeno([subcommand, ...here], {
      ...env,
      HTTP_PORT: "0",
      LISTEN_ADDR: "127.0.0.1",
      DATA_DIR: dataDir,
    });
    try {
      const health = await fetch(`${gateway.url}/health`);
      assertEquals(health.status, 200);
      await health.body?.cancel();
    } finally {
      assertEquals((await gateway.kill("SIGTERM")).code, 0);
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("every module the gateway loads, and the document it serves, is in the image", async () => {
  const modules = await gatewayModules();
  assert(modules.includes("gateway/main.ts"), "deno info did not list gateway/main.ts");
  for (const path of [...modules, "openapi.yaml", "deno.json", "deno.lock"]) {
    assert(admitted(path), `.dockerignore keeps ${path} out of the build context`);
    assert(copied(path), `no COPY brings ${path} into the image`);
  }
});

Deno.test(".dockerignore keeps local data, git history and tests out", () => {
  for (const path of ["data/registry.json", ".git/HEAD", "tests/spec_test.ts", "node_modules/x"]) {
    assert(!admitted(path), `.dockerignore admits ${path}`);
  }
});
