/**
 * Startup failures as one line naming the variable to change: a port in
 * use, an address that is not this machine's, a data directory the gateway
 * cannot use. `main.ts` prints the line and exits with 2, as for a
 * malformed variable; never a stack trace.
 *
 * @module
 */

/**
 * Where startup failed: preparing `DATA_DIR`, creating the gateway (its
 * identity and snapshot are in `DATA_DIR`; its store may be elsewhere), or
 * listening on `LISTEN_ADDR:HTTP_PORT`.
 */
export type StartupStage = "data" | "create" | "listen";

/** What the failure line names. */
export interface StartupSettings {
  /** `DATA_DIR` as configured. */
  dataDir: string;
  /** `HTTP_PORT`. */
  port: number;
  /** `LISTEN_ADDR`. */
  hostname: string;
}

/**
 * Makes sure `DATA_DIR` is a directory this process can read and write,
 * creating it when missing: a probe file is written and removed, so an
 * unwritable directory fails now rather than at the first snapshot.
 */
export async function prepareDataDir(dataDir: string): Promise<void> {
  await Deno.mkdir(dataDir, { recursive: true });
  const info = await Deno.stat(dataDir);
  if (!info.isDirectory) throw new Deno.errors.NotADirectory(`${dataDir} is not a directory`);
  for await (const _ of Deno.readDir(dataDir)) break;
  const probe = `${dataDir}/.write-probe-${Deno.pid}`;
  await Deno.writeTextFile(probe, "");
  await Deno.remove(probe);
}

/**
 * The one line that explains a startup failure, naming the variable: for
 * `listen`, `HTTP_PORT` (in use, or privileged) or `LISTEN_ADDR` (not an
 * address of this machine); for `data`, and for a file-system error while
 * creating, `DATA_DIR` (a file in its place, permission denied, outside what
 * the process may write). Anything else is said as it is, on one line.
 */
export function startupFailure(
  error: unknown,
  stage: StartupStage,
  settings: StartupSettings,
): string {
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0];
  const { errors } = Deno;
  if (stage === "listen") {
    const at = `${settings.hostname}:${settings.port}`;
    if (error instanceof errors.AddrInUse) {
      return `HTTP_PORT ${settings.port} is already in use on ${settings.hostname} (another process listens on ${at}); stop it or choose another HTTP_PORT`;
    }
    if (error instanceof errors.AddrNotAvailable) {
      return `LISTEN_ADDR ${settings.hostname} is not an address of this machine, so the gateway cannot listen on it; use 0.0.0.0 (every address), 127.0.0.1, or one of this machine's addresses`;
    }
    if (error instanceof errors.PermissionDenied) {
      return `HTTP_PORT ${settings.port} needs privileges this process does not have (ports below 1024); use a port from 1024 up`;
    }
    if (error instanceof errors.NotCapable) {
      return `the gateway may not listen on ${at}: ${message}`;
    }
    if (/lookup address/i.test(message)) {
      return `LISTEN_ADDR ${settings.hostname} is not a host name this machine resolves (${message}); use an IP address such as 0.0.0.0`;
    }
    return `LISTEN_ADDR ${settings.hostname} with HTTP_PORT ${settings.port} cannot be listened on: ${message}`;
  }
  const fileSystem = [
    errors.AlreadyExists,
    errors.NotADirectory,
    errors.IsADirectory,
    errors.NotFound,
    errors.PermissionDenied,
    errors.NotCapable,
  ].some((type) => error instanceof type) || /\(os error \d+\)/.test(message);
  if (stage === "create" && !fileSystem) return `could not start: ${message}`;
  const dir = settings.dataDir;
  if (error instanceof errors.AlreadyExists || error instanceof errors.NotADirectory) {
    return `DATA_DIR ${dir} is not a directory (a file is in its place, or in its path); point DATA_DIR at a directory`;
  }
  if (error instanceof errors.PermissionDenied) {
    return `DATA_DIR ${dir} cannot be used: permission denied (${message}); the gateway's user must be able to read and write it`;
  }
  if (error instanceof errors.NotCapable) {
    return `DATA_DIR ${dir} is outside what this process may read and write (Deno's --allow-read/--allow-write; in the Docker image, keep it under /data): ${message}`;
  }
  return `DATA_DIR ${dir} cannot be used: ${message}`;
}
