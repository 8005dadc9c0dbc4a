/**
 * The AgentWorld 1.2–1.6 wire vectors, typed as far as the tests read them,
 * and their identities rebuilt from the seeds.
 *
 * @module
 */
import v12 from "./fixtures/agentworld-1.2.json" with { type: "json" };
import v13 from "./fixtures/agentworld-1.3.json" with { type: "json" };
import v14 from "./fixtures/agentworld-1.4.json" with { type: "json" };
import v15 from "./fixtures/agentworld-1.5.json" with { type: "json" };
import v16 from "./fixtures/agentworld-1.6.json" with { type: "json" };
import { type Identity, identityFromSeed, type ProtocolVersion } from "../protocol/mod.ts";
import { hexToBytes } from "./_helpers.ts";

type Headers6 = Record<string, string>;

export interface HttpVector {
  identity: number;
  method?: string;
  authority?: string;
  path?: string;
  status?: number;
  url?: string;
  body: string;
  headers: Headers6;
  signedMessageUtf8?: string;
  bodySignedMessageUtf8?: string;
  headersSignedMessageUtf8?: string;
}

export interface HeartbeatRequest {
  role: string;
  identity: number;
  url: string;
  path: string;
  pathIdDecoded: string | null;
  body: string;
  separator: string;
  signedPayload: Record<string, unknown>;
  messageUtf8: string;
  signature: string;
}

export interface Exchange {
  label: string;
  request: { method: string; path: string; headers: Headers6; body?: string };
  response: { status: number; body: string };
  negative?: string;
}

export interface WireVectors {
  protocolVersion: ProtocolVersion;
  fixedTimeIso: string;
  fixedTimeMs: number;
  domainSeparators: Record<string, string>;
  identities: {
    seedHex: string;
    publicKeyB64: string;
    agentId: string;
    didKey: string;
    publicKeyMultibase: string;
  }[];
  canonicalJson: { input: unknown; canonical: string }[];
  signatures: {
    separator: string;
    identity: number;
    payload: Record<string, unknown>;
    messageUtf8: string;
    signatureB64: string;
  }[];
  contentDigest: { body: string; digest: string }[];
  httpRequest: HttpVector;
  httpRequestEmptyBody: HttpVector;
  httpResponse: HttpVector;
  announce: HttpVector;
  agentAnnounce?: HttpVector;
  heartbeat: {
    identity: number;
    spec: { agentId: string; ts: number; signature: string };
    requests?: HeartbeatRequest[];
    [agentWorld: string]: unknown;
  };
  worldStateMessage: HttpVector;
  worldIdentity?: {
    identity: number;
    capability: string;
    slugInAnnounceBody: string | null;
    worldPingFields: { worldId: string; slug: string | null };
    worldJoinReplyFields: { worldId: string; slug: string | null };
  };
  scheduling?: {
    world: {
      startupAnnounceAfterMs: number;
      reannounceIntervalMs: number;
      heartbeatIntervalMs: number;
      announceUrl: string;
      heartbeatUrl: string;
    };
  };
  keyRotation?: {
    oldIdentity: number;
    newIdentity: number;
    receiverIdentity: number;
    path: string;
    body: string;
    signedPayload: Record<string, unknown>;
    messageUtf8: string;
    upstreamReceiverResponse: { status: number; body: string; headers: Headers6 };
    withOtherVersionString: { version: string; status: number };
  };
  agentCard?: { identity: number; opts: { name: string; cardUrl: string }; json: string };
  worldLedgerGenesis?: {
    identity: number;
    separatorUtf8: string;
    entryJson: string;
    hashInputJson: string;
    signedMessageUtf8: string;
  };
  gatewayExchanges?: { exchanges: Exchange[] };
  liveCapture?: {
    announce: { path: string; body: string };
    heartbeat: { path: string; body: string };
    join: {
      request: { path: string; authority: string; headers: Headers6; body: string };
      response: { status: number; headers: Headers6; body: string };
    };
    worldResponses: { path: string; status: number; headers: Headers6; body: string }[];
  };
}

/** Every vector file, oldest version first. */
export const ALL_VECTORS: readonly WireVectors[] = [
  v12,
  v13,
  v14,
  v15,
  v16,
] as unknown as WireVectors[];

/** A vector file's identity, rebuilt from its seed. */
export function identityOf(vectors: WireVectors, index: number): Promise<Identity> {
  return identityFromSeed(hexToBytes(vectors.identities[index].seedHex));
}

/** The upstream heartbeat body of a file: `agentWorld12` … `agentWorld16`. */
export function agentWorldHeartbeat(vectors: WireVectors): Record<string, unknown> {
  const key = `agentWorld${vectors.protocolVersion.replace(".", "")}`;
  return vectors.heartbeat[key] as Record<string, unknown>;
}

/** The world's announced fields, as every vector file's announce carries them. */
export function worldFields(vectors: WireVectors) {
  const body = JSON.parse(vectors.announce.body);
  return {
    alias: body.alias as string,
    version: body.version as string,
    endpoints: body.endpoints,
    capabilities: body.capabilities as string[],
    ...(body.slug === undefined ? {} : { slug: body.slug as string }),
  };
}
