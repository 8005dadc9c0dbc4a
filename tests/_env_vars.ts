/**
 * Holding deployment files (the Dockerfile, compose.yaml) to the variables
 * the gateway reads, with failures that name each variable missing or extra.
 *
 * @module
 */
import { GATEWAY_ENV_VARS } from "../gateway/config.ts";
import { AssertionError } from "./assert.ts";

/** The names of every variable the gateway reads (gateway/config.ts). */
export const GATEWAY_VARIABLE_NAMES: readonly string[] = GATEWAY_ENV_VARS.map((v) => v.name);

/**
 * Fails unless `found` holds exactly `expected` (or, with `subset`, nothing
 * outside it), naming each variable missing from `where` and each extra one.
 */
export function assertVariables(
  where: string,
  found: Iterable<string>,
  { expected = GATEWAY_VARIABLE_NAMES, subset = false }: {
    expected?: readonly string[];
    subset?: boolean;
  } = {},
): void {
  const have = new Set(found);
  const missing = subset ? [] : expected.filter((name) => !have.has(name)).sort();
  const extra = [...have].filter((name) => !expected.includes(name)).sort();
  const problems = [
    ...missing.map((name) => `${where} lacks ${name}, which gateway/config.ts reads`),
    ...extra.map((name) =>
      `${where} has ${name}, which is not in GATEWAY_ENV_VARS (gateway/config.ts)`
    ),
  ];
  if (problems.length > 0) throw new AssertionError(problems.join("\n"));
}
