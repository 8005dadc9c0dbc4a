/**
 * What can be checked of the Dockerfile without a Docker engine: it is read
 * as text and held to the gateway's code, deno.json and .dockerignore.
 */
import { assert, assertEquals } from "./assert.ts";

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

/** `ENV A=1 B=2` instructions, merged. */
function imageEnv(): Map<string, string> {
  const env = new Map<string, string>();
  for (const { args } of all("ENV")) {
    for (const [, name, value] of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
      env.set(name, value.replace(/^"|"$/g, ""));
    }
  }
  return env;
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

interface GatewayEnvVar {
  name: string;
  default?: string;
}

/** The gateway's own list of the variables it reads (gateway/config.ts). */
async function gatewayEnvVars(): Promise<GatewayEnvVar[]> {
  let config: Record<string, unknown>;
  try {
    config = await import(new URL("gateway/config.ts", ROOT).href);
  } catch (error) {
    throw new Error(`gateway/config.ts cannot be imported: ${error}`);
  }
  const list = config.GATEWAY_ENV_VARS;
  assert(
    Array.isArray(list),
    "gateway/config.ts must export GATEWAY_ENV_VARS: every environment variable the gateway reads",
  );
  return list.map((entry) => typeof entry === "string" ? { name: entry } : entry as GatewayEnvVar);
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

/** The local files `gateway/main.ts` loads, from `deno info`. */
async function gatewayModules(): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "gateway/main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(output.success, `deno info failed: ${new TextDecoder().decode(output.stderr)}`);
  const info = JSON.parse(new TextDecoder().decode(output.stdout));
  return (info.modules as { specifier: string }[])
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

Deno.test("the image has a health check of /health on the loopback", () => {
  const { args } = last("HEALTHCHECK");
  assert(!/^NONE$/i.test(args), "HEALTHCHECK NONE");
  assert(/\bCMD\b/.test(args), "HEALTHCHECK has no CMD");
  assert(args.includes("127.0.0.1:") && args.includes("/health"), args);
  assert(args.includes("8100"), "the health check does not fall back to port 8100");
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

Deno.test("the Dockerfile documents exactly the variables the gateway reads", async () => {
  const names = (await gatewayEnvVars()).map((v) => v.name).sort();
  assertEquals([...documentedEnv().keys()].sort(), names);
});

Deno.test("every variable the image sets is the gateway's default (DATA_DIR is /data)", async () => {
  const expected = new Map<string, string>();
  for (const variable of await gatewayEnvVars()) {
    const value = variable.name === "DATA_DIR" ? "/data" : variable.default;
    if (value !== undefined) expected.set(variable.name, value);
  }
  const set = new Map([...imageEnv()].filter(([name]) => !name.startsWith("DENO_")));
  assertEquals(Object.fromEntries(set), Object.fromEntries(expected));
  for (const [name, value] of documentedEnv()) {
    assertEquals(value, set.get(name) ?? "", `the comment for ${name} shows another value`);
  }
});

Deno.test("no gateway module reads a variable outside GATEWAY_ENV_VARS", async () => {
  const known = new Set((await gatewayEnvVars()).map((v) => v.name));
  for await (const entry of Deno.readDir(new URL("gateway/", ROOT))) {
    if (!entry.name.endsWith(".ts")) continue;
    const source = await Deno.readTextFile(new URL(`gateway/${entry.name}`, ROOT));
    for (const [, name] of source.matchAll(/\b(?:env\.get|env)\(\s*["']([A-Z][A-Z0-9_]*)["']/g)) {
      assert(known.has(name), `gateway/${entry.name} reads ${name}, not in GATEWAY_ENV_VARS`);
    }
  }
});

Deno.test("dependencies are cached from the lockfile before the sources are copied", () => {
  const steps = dockerfile.instructions;
  const install = steps.findIndex(({ keyword, args }) =>
    keyword === "RUN" && /deno (install|cache)\b.*--frozen/.test(args)
  );
  assert(install >= 0, "no `deno install --frozen` step");
  const copies = steps.map((step, i) => ({ ...step, i })).filter((s) => s.keyword === "COPY");
  const lockCopy = copies.find(({ args }) =>
    args.includes("deno.lock") && args.includes("deno.json")
  );
  assert(lockCopy && lockCopy.i < install, "deno.json and deno.lock are not copied before it");
  const sourceCopy = copies.find(({ args }) => args.includes("gateway"));
  assert(sourceCopy && sourceCopy.i > install, "the sources are copied before dependencies");
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
