/**
 * Real-process harness: runs `deno task gateway` (the command the task
 * names, so a SIGKILL reaches the gateway itself) and reads its output.
 *
 * @module
 */
import denoJson from "../deno.json" with { type: "json" };

const root = new URL("../", import.meta.url).pathname;

/** The argv of a `deno.json` task, with `deno` replaced by this Deno. */
export function taskArgs(task: keyof typeof denoJson.tasks): string[] {
  const [command, ...args] = denoJson.tasks[task].split(/\s+/);
  if (command !== "deno") throw new Error(`task ${task} does not start with deno`);
  return args;
}

export interface Spawned {
  process: Deno.ChildProcess;
  /** Base URL parsed from the "listening on" line. */
  url: string;
  output: () => string;
  kill(signal: Deno.Signal): Promise<Deno.CommandStatus>;
  status: Promise<Deno.CommandStatus>;
}

/** Options of {@linkcode spawnTask}. */
export interface SpawnOptions {
  /** How long to wait for "listening on", in ms. Default: 15000. */
  timeoutMs?: number;
  /** Extra `deno run` flags, placed before the task's own (e.g. `--cpu-prof`). */
  flags?: string[];
  /** Runs it under `ulimit -n` of this many file descriptors (through `sh`). Default: inherited. */
  fdLimit?: number;
  /**
   * The port on 127.0.0.1 the task was told to listen on (see
   * {@linkcode freePort}): it is ready once a connection there succeeds, for
   * a task that prints no "listening on" line at its log level. Default:
   * wait for the line.
   */
  port?: number;
}

/** A port on 127.0.0.1 that was free a moment ago, for a process told to listen on it. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/**
 * What every spawned task's environment starts from. A gateway stopped by
 * SIGTERM stops at once (no drain for load balancers) unless a test sets
 * `SHUTDOWN_DRAIN_MS` itself.
 */
const BASE_ENV: Record<string, string> = { NO_COLOR: "1", SHUTDOWN_DRAIN_MS: "0" };

/**
 * Spawns a task and resolves once it printed a line with a URL containing
 * "listening on"; rejects with its output if it exits first.
 */
export function spawnTask(
  task: keyof typeof denoJson.tasks,
  env: Record<string, string>,
  { timeoutMs = 15_000, flags = [], fdLimit, port }: SpawnOptions = {},
): Promise<Spawned> {
  const [subcommand, ...args] = taskArgs(task);
  return spawnDeno([subcommand, ...flags, ...args], env, { timeoutMs, name: task, fdLimit, port });
}

/**
 * Spawns this Deno with `args` (from the repository root) and resolves once
 * it printed a line with a URL containing "listening on", as
 * {@linkcode spawnTask} does for a task.
 */
export async function spawnDeno(
  args: string[],
  env: Record<string, string>,
  { timeoutMs = 15_000, name = args.join(" "), fdLimit, port }: {
    timeoutMs?: number;
    name?: string;
    fdLimit?: number;
    port?: number;
  } = {},
): Promise<Spawned> {
  const argv = [Deno.execPath(), ...args];
  // `exec` keeps one process, so a signal sent to it reaches the gateway itself.
  const command = fdLimit === undefined
    ? argv
    : ["sh", "-c", `ulimit -n ${Math.floor(fdLimit)} && exec "$0" "$@"`, ...argv];
  const process = new Deno.Command(command[0], {
    args: command.slice(1),
    cwd: root,
    env: { ...BASE_ENV, ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let output = "";
  let found: string | undefined;
  const listening = Promise.withResolvers<string>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const text of stream.pipeThrough(new TextDecoderStream())) {
      output += text;
      // Matched only until found: a chatty process's output grows, and
      // searching all of it at every chunk would be quadratic.
      if (found === undefined) {
        found = output.match(/listening on (http:\/\/[^\s)]+)/)?.[1];
        if (found !== undefined) listening.resolve(found);
      }
    }
  };
  const pumps = Promise.all([pump(process.stdout), pump(process.stderr)]);
  let exited = false;
  if (port !== undefined) {
    (async () => {
      while (!exited && found === undefined) {
        try {
          (await Deno.connect({ hostname: "127.0.0.1", port })).close();
          found = `http://127.0.0.1:${port}`;
          listening.resolve(found);
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    })();
  }
  const status = process.status.then(async (s) => {
    exited = true;
    await pumps;
    listening.reject(new Error(`${name} exited with ${s.code} before listening:\n${output}`));
    return s;
  });
  const timer = setTimeout(
    () => listening.reject(new Error(`${name} did not listen in ${timeoutMs} ms:\n${output}`)),
    timeoutMs,
  );
  try {
    const url = await listening.promise;
    return {
      process,
      url,
      output: () => output,
      status,
      async kill(signal) {
        try {
          process.kill(signal);
        } catch {
          // already exited
        }
        return await status;
      },
    };
  } catch (error) {
    try {
      process.kill("SIGKILL");
    } catch {
      // already exited
    }
    await status;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Options of {@linkcode runTask}. */
export interface RunOptions {
  /** Arguments after the task's own, as `deno task <task> <args>` passes them. Default: none. */
  args?: string[];
  /** Extra `deno run` flags, placed before the task's own (e.g. `--deny-write=<dir>`). Default: none. */
  flags?: string[];
}

/** Runs a task to completion (for startup failures) and returns its exit code and output. */
export async function runTask(
  task: keyof typeof denoJson.tasks,
  env: Record<string, string>,
  { args = [], flags = [] }: RunOptions = {},
): Promise<{ code: number; output: string }> {
  const [subcommand, ...taskArguments] = taskArgs(task);
  const result = await new Deno.Command(Deno.execPath(), {
    args: [subcommand, ...flags, ...taskArguments, ...args],
    cwd: root,
    env: { ...BASE_ENV, ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: result.code, output: decode(result.stdout) + decode(result.stderr) };
}
