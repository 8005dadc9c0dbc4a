/**
 * A webhook receiver in the test's (or benchmark's) own process that can
 * hold its answers, so a sender is killed with deliveries in hand, and that
 * checks Standard Webhooks signatures when given the secret.
 *
 * @module
 */
import { Webhook } from "standardwebhooks";

/** One delivery as it arrived. */
export interface Receipt {
  /** The payload's `worldId` (absent for `agent.expired`). */
  worldId: string;
  /** The payload's `event`. */
  event: string;
  /** When it arrived, `performance.now()`. */
  at: number;
  /** Whether it was answered 2xx at once (not held): a delivery its sender saw succeed. */
  answered: boolean;
}

/** A running {@linkcode holdingReceiver}. */
export interface HoldingReceiver {
  /** Where to send webhooks. */
  url: string;
  /** `webhook-id` → every delivery of it, in order. */
  receipts: Map<string, Receipt[]>;
  /** Deliveries waiting for {@linkcode HoldingReceiver.release}. */
  held(): number;
  /** Deliveries whose signature did not verify (0 without a secret). */
  badSignatures(): number;
  /** Answers every held delivery, and every later one at once. */
  release(): void;
  /** Releases and stops listening. */
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 that holds its answers until released. */
export function holdingReceiver(secret?: string): HoldingReceiver {
  const verifier = secret === undefined ? undefined : new Webhook(secret);
  const receipts = new Map<string, Receipt[]>();
  const release = Promise.withResolvers<void>();
  let holding = true;
  let held = 0;
  let badSignatures = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const body = await request.text();
    if (verifier) {
      try {
        verifier.verify(body, Object.fromEntries(request.headers));
      } catch {
        badSignatures++;
      }
    }
    const payload = JSON.parse(body) as { worldId: string; event: string };
    const id = request.headers.get("webhook-id") ?? "";
    const receipt = {
      worldId: payload.worldId,
      event: payload.event,
      at: performance.now(),
      answered: !holding,
    };
    receipts.set(id, [...receipts.get(id) ?? [], receipt]);
    if (holding) {
      held++;
      await release.promise; // its sender may be dead by then: never delivered
      held--;
    }
    return new Response(null, { status: 204 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hooks`,
    receipts,
    held: () => held,
    badSignatures: () => badSignatures,
    release() {
      holding = false;
      release.resolve();
    },
    async close() {
      this.release();
      await server.shutdown();
    },
  };
}
