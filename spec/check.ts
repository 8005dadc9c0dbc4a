/**
 * `deno task spec`: hold `openapi.yaml` to OpenAPI 3.1 and to its own
 * examples, and keep the TypeScript types generated from it current.
 *
 * 1. validates the document against the OpenAPI 3.1 schema;
 * 2. applies the house rules of `_lint.ts` and validates every example
 *    against its schema with Ajv (JSON Schema 2020-12);
 * 3. generates `gateway_types.gen.ts` with `openapi-typescript` and fails
 *    when the committed file differs (`--write` rewrites it instead);
 * 4. type-checks `typed_client.ts`, an `openapi-fetch` client of those types.
 *
 * Needs no gateway and no network beyond what `deno install` cached.
 *
 * ```sh
 * deno task spec           # check; exit 1 on any problem
 * deno task spec --write   # regenerate gateway_types.gen.ts, then check
 * ```
 *
 * @module
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { checkExamples, examples, RULES } from "./_lint.ts";
import { type OpenApiDocument, parseSpec, SchemaValidator, SPEC_URL } from "./_openapi.ts";

/** The generated types, committed beside this script. */
export const GENERATED_TYPES_URL: URL = new URL("./gateway_types.gen.ts", import.meta.url);
const TYPED_CLIENT_URL = new URL("./typed_client.ts", import.meta.url);

const GENERATED_HEADER = `// Generated from openapi.yaml by \`deno task spec --write\`; do not edit.
// deno-lint-ignore-file
`;

/**
 * The TypeScript types of a document, as `openapi-typescript` writes them
 * under this project's header.
 */
export async function generateTypes(document: OpenApiDocument): Promise<string> {
  // openapi-typescript annotates the object it is given; hand it a copy.
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, { silent: true });
  return GENERATED_HEADER + astToString(ast);
}

interface Step {
  name: string;
  problems: string[];
  ms: number;
}

async function step(name: string, run: () => Promise<string[]> | string[]): Promise<Step> {
  const started = performance.now();
  let problems: string[];
  try {
    problems = await run();
  } catch (error) {
    problems = [error instanceof Error ? error.stack ?? error.message : String(error)];
  }
  return { name, problems, ms: Math.round(performance.now() - started) };
}

async function main(args: string[]): Promise<number> {
  const write = args.includes("--write");
  const text = await Deno.readTextFile(SPEC_URL);
  const document = parseSpec(text);
  const steps: Step[] = [];

  steps.push(
    await step("OpenAPI 3.1 schema", async () => {
      const validator = new Validator();
      const result = await validator.validate(structuredClone(document));
      if (validator.version !== "3.1") return [`expected OpenAPI 3.1, got ${validator.version}`];
      if (result.valid) return [];
      if (typeof result.errors === "string") return [result.errors];
      return (result.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
    }),
  );
  for (const [name, rule] of Object.entries(RULES)) {
    steps.push(await step(`rule: ${name}`, () => rule(document)));
  }
  steps.push(
    await step(`${examples(document).length} examples match their schemas`, () => {
      return checkExamples(document, new SchemaValidator(document));
    }),
  );
  steps.push(
    await step("generated types are current", async () => {
      const generated = await generateTypes(document);
      const committed = await Deno.readTextFile(GENERATED_TYPES_URL).catch(() => undefined);
      if (committed === generated) return [];
      if (write) {
        await Deno.writeTextFile(GENERATED_TYPES_URL, generated);
        console.log(`wrote ${GENERATED_TYPES_URL.pathname}`);
        return [];
      }
      return [
        `${GENERATED_TYPES_URL.pathname} is ${committed === undefined ? "missing" : "stale"}: ` +
        "run `deno task spec --write` and commit it",
      ];
    }),
  );
  steps.push(
    await step("typed client type-checks", async () => {
      const output = await new Deno.Command(Deno.execPath(), {
        args: ["check", "--quiet", TYPED_CLIENT_URL.pathname],
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (output.success) return [];
      const decoder = new TextDecoder();
      return [decoder.decode(output.stdout) + decoder.decode(output.stderr)];
    }),
  );

  let failed = 0;
  for (const { name, problems, ms } of steps) {
    console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${name} (${ms} ms)`);
    for (const problem of problems) console.log(`     ${problem.replaceAll("\n", "\n     ")}`);
    if (problems.length > 0) failed++;
  }
  console.log(failed === 0 ? "openapi.yaml: all checks passed" : `openapi.yaml: ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
