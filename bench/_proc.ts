/**
 * What Linux says about a process and the machine: CPU time and resident
 * memory from `/proc`, and the machine line every benchmark prints.
 *
 * Deno lets only `--allow-all` read `/proc` itself, so the files are read
 * through `cat` (`--allow-run=cat`); each read is one short-lived process,
 * done only at the edges of a measurement.
 *
 * @module
 */

const decoder = new TextDecoder();

/** Reads a `/proc` file (through `cat`: see the module doc). */
export function readProc(path: string): string {
  const { success, stdout, stderr } = new Deno.Command("cat", {
    args: [path],
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  if (!success) throw new Error(`cat ${path}: ${decoder.decode(stderr).trim()}`);
  return decoder.decode(stdout);
}

// USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every
// Linux architecture Deno runs on.
const TICKS_PER_SECOND = 100;

/** User + system CPU time a process has used, in ms. */
export function cpuTimeMs(pid: number): number {
  const stat = readProc(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces; count fields after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) * 1000 / TICKS_PER_SECOND;
}

/** Resident set size of a process, in bytes. */
export function rssBytes(pid: number): number {
  return parseRss(readProc(`/proc/${pid}/status`));
}

/**
 * Resident set size of a process, in bytes, read without blocking this
 * process's event loop (for sampling while it measures); NaN once it is gone.
 */
export async function rssBytesAsync(pid: number): Promise<number> {
  const { success, stdout } = await new Deno.Command("cat", {
    args: [`/proc/${pid}/status`],
    stdout: "piped",
    stderr: "null",
  }).output();
  return success ? parseRss(decoder.decode(stdout)) : NaN;
}

function parseRss(status: string): number {
  const match = status.match(/^VmRSS:\s+(\d+) kB/m);
  return match ? Number(match[1]) * 1024 : NaN;
}

/** CPU use of a process over an interval: call the result at the end. */
export function cpuMeter(
  pid: number,
): () => { cpuMs: number; wallMs: number; core: number } {
  const cpu0 = cpuTimeMs(pid);
  const wall0 = performance.now();
  return () => {
    const cpuMs = cpuTimeMs(pid) - cpu0;
    const wallMs = performance.now() - wall0;
    return { cpuMs, wallMs, core: cpuMs / wallMs };
  };
}

/** The machine a benchmark ran on. */
export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  deno: string;
  v8: string;
  os: string;
}

/** Describes this machine from `/proc` and `Deno.version`. */
export function machine(): Machine {
  let cpu = "unknown";
  let memory = "unknown";
  try {
    cpu = readProc("/proc/cpuinfo").match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  try {
    const kb = Number(readProc("/proc/meminfo").match(/^MemTotal:\s+(\d+)/m)?.[1]);
    if (kb > 0) memory = `${(kb / 1024 / 1024).toFixed(1)} GiB`;
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    memory,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: `${Deno.build.os}-${Deno.build.arch}`,
  };
}

/** `AMD EPYC, 2 cores, 23.4 GiB, Deno 2.9.6 (V8 …), linux-x86_64`. */
export function describeMachine(m: Machine = machine()): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memory}, Deno ${m.deno} (V8 ${m.v8}), ${m.os}`;
}
