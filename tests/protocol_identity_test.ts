import { loadOrCreateIdentity } from "../protocol/mod.ts";
import { assert, assertEquals, assertRejects } from "./assert.ts";

Deno.test("loadOrCreateIdentity creates a 0600 file and returns the same identity after", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const created = await loadOrCreateIdentity(`${dir}/nested/data`, "world");
    const path = `${dir}/nested/data/world.identity.json`;
    const stat = await Deno.stat(path);
    assertEquals(stat.mode! & 0o777, 0o600);
    const loaded = await loadOrCreateIdentity(`${dir}/nested/data`, "world");
    assertEquals(loaded.agentId, created.agentId);
    assertEquals(loaded.publicKeyB64, created.publicKeyB64);
    const other = await loadOrCreateIdentity(`${dir}/nested/data`, "gateway");
    assert(other.agentId !== created.agentId);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadOrCreateIdentity refuses a malformed file and leaves it in place", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/world.identity.json`;
    for (const text of ["{not json", "[]", '{"seed":"AAAA"}', '{"seed":42}']) {
      await Deno.writeTextFile(path, text);
      await assertRejects(() => loadOrCreateIdentity(dir, "world"), /malformed/);
      assertEquals(await Deno.readTextFile(path), text);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadOrCreateIdentity refuses a file whose agentId does not match its seed", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await loadOrCreateIdentity(dir, "world");
    const path = `${dir}/world.identity.json`;
    const data = JSON.parse(await Deno.readTextFile(path));
    data.agentId = "aw:sha256:" + "0".repeat(64);
    await Deno.writeTextFile(path, JSON.stringify(data));
    await assertRejects(() => loadOrCreateIdentity(dir, "world"), /does not match/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadOrCreateIdentity rejects names that could escape the directory", async () => {
  for (const name of ["../x", "a/b", "", ".hidden"]) {
    await assertRejects(() => loadOrCreateIdentity("/tmp", name), /invalid identity name/);
  }
});
