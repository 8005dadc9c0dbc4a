/** The store contract on the memory store. */
import { MemoryStore } from "../gateway/memory_store.ts";
import { defineStoreContract } from "./_store_contract.ts";

defineStoreContract({
  name: "memory store",
  create: (options) => MemoryStore.open(options),
});
