/**
 * README.md tells a newcomer the truth about the gateway's variables: its
 * table lists exactly the variables the gateway reads, with their defaults.
 */
import { GATEWAY_ENV_VARS } from "../gateway/config.ts";
import { assertEquals } from "./assert.ts";

const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));

/** The rows `| \`NAME\` | default | meaning |` of the table under "## The gateway". */
function variableTable(): Map<string, string | undefined> {
  const section = readme.split(/^## The gateway$/m)[1]?.split(/^## /m)[0] ?? "";
  const rows = new Map<string, string | undefined>();
  for (const line of section.split("\n")) {
    const row = line.match(/^\| `([A-Z][A-Z0-9_]*)` +\| ([^|]+?) +\|/);
    if (!row) continue;
    const value = row[2].trim();
    rows.set(row[1], value === "unset" ? undefined : value.replace(/^`(.*)`$/, "$1"));
  }
  return rows;
}

Deno.test("the README's variable table lists every variable the gateway reads, and no other", () => {
  const table = variableTable();
  assertEquals(
    [...table.keys()].sort(),
    GATEWAY_ENV_VARS.map((v) => v.name).sort(),
  );
});

Deno.test("the README's variable table gives each variable's default", () => {
  const table = variableTable();
  for (const variable of GATEWAY_ENV_VARS) {
    assertEquals(table.get(variable.name), variable.default, variable.name);
  }
});
