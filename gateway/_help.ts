/**
 * `deno task gateway --help`: the gateway's variables, straight from
 * {@linkcode GATEWAY_ENV_VARS}, grouped by what they set. A variable no group
 * claims is listed under "Other", so a new one is never left out.
 *
 * @module
 */
import { type EnvVar, GATEWAY_ENV_VARS } from "./config.ts";

/** The groups, in the order printed; a variable goes to the first that matches it. */
const GROUPS: readonly { title: string; match: RegExp }[] = [
  {
    title: "Listening",
    match:
      /^(HTTP_PORT|LISTEN_ADDR|PUBLIC_URL|TRUST_PROXY|SHUTDOWN_\w+|MAX_CONNECTIONS\w*|\w+_TIMEOUT_MS)$/,
  },
  {
    title: "Leases and world ids",
    match: /^(STALE_TTL_MS|MAX_AGENTS|MAX_LEASES_PER_ADDRESS|WORLD_ID_POLICY|OWNER_\w+)$/,
  },
  { title: "Storage", match: /^(DATA_DIR|SNAPSHOT_\w+|REDIS_\w+)$/ },
  { title: "Webhooks", match: /^WEBHOOK_\w+$/ },
  {
    title: "Abuse limits and outbound calls",
    match: /^(\w+_RATE|OUTBOUND_POLICY|MAX_WATCHERS\w*)$/,
  },
  { title: "Administration, logs and metrics", match: /^(GATEWAY_ADMIN_\w+|LOG_\w+|METRICS)$/ },
];

/** The help text's width: descriptions wrap to it. */
const WIDTH = 100;

/**
 * The help text: usage, then each group's variables with their default and
 * description.
 *
 * @param variables The variables to list. Default: {@linkcode GATEWAY_ENV_VARS}.
 */
export function helpText(variables: readonly EnvVar[] = GATEWAY_ENV_VARS): string {
  const groups = new Map<string, EnvVar[]>();
  for (const { title } of GROUPS) groups.set(title, []);
  groups.set("Other", []);
  for (const variable of variables) {
    const title = GROUPS.find((group) => group.match.test(variable.name))?.title ?? "Other";
    groups.get(title)!.push(variable);
  }
  const nameWidth = Math.max(...variables.map((v) => v.name.length));
  const defaultWidth = Math.max(...variables.map((v) => shownDefault(v).length));
  const indent = 2 + nameWidth + 2 + defaultWidth + 2;
  const lines = [
    "Usage: deno task gateway [--help]",
    "",
    "The AgentWorlds gateway: the liveness directory of worlds. It takes no arguments; it is",
    "configured by these environment variables (unset or empty: the default; a malformed value",
    "stops startup with a line naming it):",
  ];
  for (const [title, members] of groups) {
    if (members.length === 0) continue;
    lines.push("", `${title}:`);
    for (const variable of members) {
      const head = `  ${variable.name.padEnd(nameWidth)}  ${
        shownDefault(variable).padEnd(defaultWidth)
      }  `;
      const [first, ...rest] = wrap(variable.description, Math.max(30, WIDTH - indent));
      lines.push(head + first, ...rest.map((line) => " ".repeat(indent) + line));
    }
  }
  return lines.join("\n") + "\n";
}

function shownDefault(variable: EnvVar): string {
  return variable.default === undefined ? "(unset)" : variable.default;
}

/** Splits text into lines of at most `width` characters at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}
