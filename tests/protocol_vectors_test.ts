/**
 * Every AgentWorld wire vector of every version, 1.2 to 1.6, reproduced byte
 * for byte and verified, and its tampered or cross-version variants refused.
 * One table of tests, run over the five files.
 *
 * @module
 */
import {
  agentIdFromPathSegment,
  agentIdFromPublicKey,
  AGENTWORLD_HEARTBEAT_SEPARATOR,
  buildAgentCard,
  canonicalize,
  computeContentDigest,
  createAnnounce,
  createHeartbeat,
  createKeyRotation,
  createPeerMessage,
  createResourceHeartbeat,
  deriveDidKey,
  DOMAIN_SEPARATORS,
  type Heartbeat,
  importPublicKey,
  parseAnnounce,
  parseHeartbeat,
  parsePeerMessage,
  parseResourceHeartbeat,
  type ProtocolVersion,
  publicKeyFromMultibase,
  separatorsFor,
  SHORT_HEARTBEAT_SEPARATOR,
  signHttpRequest,
  signHttpResponse,
  signWithDomainSeparator,
  SUPPORTED_PROTOCOL_VERSIONS,
  toPublicKeyMultibase,
  verifyAgentCard,
  verifyAnnounceRequest,
  verifyAnnounceSignature,
  verifyHeartbeat,
  verifyHttpRequestHeaders,
  verifyHttpResponseHeaders,
  verifyKeyRotation,
  verifyPeerMessage,
  verifyPeerMessageRequest,
  verifyWithDomainSeparator,
} from "../protocol/mod.ts";
import { sha256, toHex, utf8 } from "../protocol/_bytes.ts";
import {
  agentWorldHeartbeat,
  ALL_VECTORS,
  type HttpVector,
  identityOf,
  type WireVectors,
  worldFields,
} from "./_vectors.ts";
import { assert, assertEquals } from "./assert.ts";

const others = (version: ProtocolVersion) =>
  SUPPORTED_PROTOCOL_VERSIONS.filter((other) => other !== version);

/** Every separator of every version, and the two short ones. */
const EVERY_SEPARATOR = [
  SHORT_HEARTBEAT_SEPARATOR,
  "aw:dereg:",
  ...SUPPORTED_PROTOCOL_VERSIONS.flatMap((v) => Object.values(separatorsFor(v))),
];

Deno.test("the vector files are the five supported versions, in order", () => {
  assertEquals(ALL_VECTORS.map((v) => v.protocolVersion), [...SUPPORTED_PROTOCOL_VERSIONS]);
});

Deno.test("1.2: the default separators are AgentWorld 1.2's with the short heartbeat separator", () => {
  const v12 = ALL_VECTORS[0];
  const { HEARTBEAT, HEARTBEAT_SPEC, ...agentWorld } = v12.domainSeparators;
  for (const [name, value] of Object.entries(agentWorld)) {
    assertEquals(DOMAIN_SEPARATORS[name as keyof typeof DOMAIN_SEPARATORS], value, name);
  }
  assertEquals(DOMAIN_SEPARATORS.HEARTBEAT, HEARTBEAT_SPEC);
  assertEquals(AGENTWORLD_HEARTBEAT_SEPARATOR, HEARTBEAT);
});

for (const vectors of ALL_VECTORS) {
  const version = vectors.protocolVersion;
  const clock = () => vectors.fixedTimeMs;
  const key = async (index: number) =>
    (await importPublicKey(vectors.identities[index].publicKeyB64))!;

  Deno.test(`${version}: separatorsFor gives every separator of the vector file`, () => {
    const { HEARTBEAT_SPEC, ...agentWorld } = vectors.domainSeparators;
    assertEquals({ ...separatorsFor(version) }, agentWorld);
    assertEquals(HEARTBEAT_SPEC, SHORT_HEARTBEAT_SEPARATOR);
  });

  Deno.test(`${version}: canonical JSON reproduces every vector`, () => {
    for (const { input, canonical } of vectors.canonicalJson) {
      assertEquals(canonicalize(input), canonical);
    }
  });

  Deno.test(`${version}: identities reproduce keys, agent ids, did:keys and multibase, both ways`, async () => {
    for (let i = 0; i < vectors.identities.length; i++) {
      const expected = vectors.identities[i];
      const identity = await identityOf(vectors, i);
      assertEquals(identity.publicKeyB64, expected.publicKeyB64);
      assertEquals(identity.agentId, expected.agentId);
      assertEquals(await agentIdFromPublicKey(expected.publicKeyB64), expected.agentId);
      assertEquals(deriveDidKey(expected.publicKeyB64), expected.didKey);
      assertEquals(toPublicKeyMultibase(expected.publicKeyB64), expected.publicKeyMultibase);
      assertEquals(publicKeyFromMultibase(expected.publicKeyMultibase), expected.publicKeyB64);
    }
  });

  Deno.test(`${version}: every signature vector is reproduced, and fails under every other separator of any version`, async () => {
    for (const vector of vectors.signatures) {
      const identity = await identityOf(vectors, vector.identity);
      const separator = vectors.domainSeparators[vector.separator];
      assertEquals(separator + canonicalize(vector.payload), vector.messageUtf8);
      assertEquals(
        await signWithDomainSeparator(separator, vector.payload, identity),
        vector.signatureB64,
        `${vector.separator}/${vector.identity}`,
      );
      const publicKey = identity.publicKeyB64;
      for (const other of EVERY_SEPARATOR) {
        assertEquals(
          await verifyWithDomainSeparator(other, publicKey, vector.payload, vector.signatureB64),
          other === separator,
          `${vector.separator} signature under ${JSON.stringify(other)}`,
        );
      }
    }
  });

  Deno.test(`${version}: content digests match`, async () => {
    for (const { body, digest } of vectors.contentDigest) {
      assertEquals(await computeContentDigest(body), digest);
      assertEquals(await computeContentDigest(utf8.encode(body)), digest);
    }
  });

  /** Signs a request vector again and checks headers, signed text and verification. */
  const checkRequest = async (
    vector: HttpVector,
    method: string,
    authority: string,
    path: string,
  ) => {
    const identity = await identityOf(vectors, vector.identity);
    const headers = await signHttpRequest(identity, method, authority, path, vector.body, {
      clock,
      version,
    });
    assertEquals(headers, vector.headers);
    const signedText = vector.signedMessageUtf8 ?? vector.headersSignedMessageUtf8;
    if (signedText !== undefined) {
      assertEquals(
        signedText,
        separatorsFor(version).HTTP_REQUEST + canonicalize({
          v: version,
          from: identity.agentId,
          kid: "#identity",
          ts: vectors.fixedTimeIso,
          method,
          authority,
          path,
          contentDigest: headers["Content-Digest"],
        }),
      );
    }
    const verify = (h: Record<string, string>) =>
      verifyHttpRequestHeaders(h, method, path, authority, vector.body, identity.publicKeyB64, {
        clock,
      });
    assertEquals(await verify(vector.headers), { ok: true, version });
    for (const other of others(version)) {
      const relabelled = { ...vector.headers, "X-AgentWorld-Version": other };
      const result = await verify(relabelled);
      assertEquals(result.ok, false, `headers relabelled ${other}`);
    }
  };

  Deno.test(`${version}: request signature headers reproduce, verify, and fail relabelled as another version`, async () => {
    const { httpRequest, httpRequestEmptyBody } = vectors;
    for (const vector of [httpRequest, httpRequestEmptyBody]) {
      await checkRequest(vector, vector.method!, vector.authority!, vector.path!);
    }
  });

  Deno.test(`${version}: response signature headers reproduce and verify under the version only`, async () => {
    const vector = vectors.httpResponse;
    const identity = await identityOf(vectors, vector.identity);
    const headers = await signHttpResponse(identity, vector.status!, vector.body, {
      clock,
      version,
    });
    assertEquals(headers, vector.headers);
    const verify = (h: Record<string, string>) =>
      verifyHttpResponseHeaders(h, vector.status!, vector.body, identity.publicKeyB64, { clock });
    assertEquals(await verify(vector.headers), { ok: true, version });
    for (const other of others(version)) {
      assertEquals((await verify({ ...headers, "X-AgentWorld-Version": other })).ok, false);
    }
  });

  const announces = [vectors.announce, ...(vectors.agentAnnounce ? [vectors.agentAnnounce] : [])];

  Deno.test(`${version}: announces are reproduced byte for byte from their fields, time and version`, async () => {
    for (const vector of announces) {
      const identity = await identityOf(vectors, vector.identity);
      const sent = JSON.parse(vector.body);
      const body = await createAnnounce(
        identity,
        {
          alias: sent.alias,
          version: sent.version,
          ...(sent.slug === undefined ? {} : { slug: sent.slug }),
          endpoints: sent.endpoints,
          capabilities: sent.capabilities,
        },
        vectors.fixedTimeMs,
        version,
      );
      assertEquals(canonicalize(body), vector.body);
      if (vector.bodySignedMessageUtf8 !== undefined) {
        const { signature: _, ...unsigned } = body;
        assertEquals(
          separatorsFor(version).ANNOUNCE + canonicalize(unsigned),
          vector.bodySignedMessageUtf8,
        );
      }
      const url = new URL(vector.url!);
      await checkRequest(vector, "POST", url.host, url.pathname);
    }
  });

  Deno.test(`${version}: announce body signatures verify under the version only`, async () => {
    for (const vector of announces) {
      const parsed = parseAnnounce(JSON.parse(vector.body));
      assert(parsed.ok, parsed.ok ? "" : parsed.error);
      assert(await verifyAnnounceSignature(parsed.value, version));
      for (const other of others(version)) {
        assertEquals(await verifyAnnounceSignature(parsed.value, other), false, other);
      }
    }
  });

  Deno.test(`${version}: the world announce passes the signed-request rules, with headers and body-only`, async () => {
    const vector = vectors.announce;
    const url = new URL(vector.url!);
    const withHeaders = await verifyAnnounceRequest(
      new Request(url, { method: "POST", headers: vector.headers, body: vector.body }),
      { clock },
    );
    assert(withHeaders.ok, withHeaders.ok ? "" : withHeaders.error);
    assertEquals(withHeaders.value.version, version);
    assertEquals(withHeaders.value.record.worldId, "pixel-city");
    assertEquals(withHeaders.value.record.protocolVersion, version);
    const bodyOnly = await verifyAnnounceRequest(
      new Request(url, { method: "POST", body: vector.body }),
      { clock },
    );
    assert(bodyOnly.ok, bodyOnly.ok ? "" : bodyOnly.error);
    assertEquals(bodyOnly.value.version, version, "the version found by trying each");
    for (const other of others(version)) {
      const relabelled = await verifyAnnounceRequest(
        new Request(url, {
          method: "POST",
          headers: { "X-AgentWorld-Version": other },
          body: vector.body,
        }),
        { clock },
      );
      assertEquals(relabelled.ok ? "accepted" : relabelled.status, 403, `declared ${other}`);
    }
  });

  Deno.test(`${version}: the spec heartbeat is the same in every version and verifies under aw:hb:`, async () => {
    const { spec, identity: index } = vectors.heartbeat;
    const identity = await identityOf(vectors, index);
    assertEquals(await createHeartbeat(identity, spec.ts), spec);
    assert(await verifyHeartbeat(spec, await key(index), { version }));
  });

  Deno.test(`${version}: the upstream heartbeat body is reproduced and verifies under the version only`, async () => {
    const index = vectors.heartbeat.identity;
    const identity = await identityOf(vectors, index);
    const sent = agentWorldHeartbeat(vectors);
    const ts = sent.ts as number;
    const resourceStyle = !("agentId" in sent);
    const created = resourceStyle
      ? await createResourceHeartbeat(identity, ts, { version, separator: "versioned" })
      : await createHeartbeat(identity, ts, { version, separator: "versioned" });
    assertEquals(JSON.stringify(created), JSON.stringify(sent));
    const heartbeat: Heartbeat = {
      agentId: identity.agentId,
      ts,
      signature: sent.signature as string,
    };
    const idField = resourceStyle ? "worldId" : "agentId";
    assert(await verifyHeartbeat(heartbeat, await key(index), { version, idField }));
    for (const other of others(version)) {
      assertEquals(
        await verifyHeartbeat(heartbeat, await key(index), { version: other, idField }),
        false,
      );
    }
    if (resourceStyle) {
      assertEquals(
        await verifyHeartbeat(heartbeat, await key(index), { version }),
        false,
        "signed over worldId, not agentId",
      );
    }
  });

  Deno.test(`${version}: every recorded heartbeat request is reproduced: path, body, signed text`, async () => {
    for (const request of vectors.heartbeat.requests ?? []) {
      const identity = await identityOf(vectors, request.identity);
      const json = JSON.parse(request.body);
      const idField = "worldId" in request.signedPayload ? "worldId" : "agentId";
      const separator = vectors.domainSeparators[request.separator];
      assertEquals(request.messageUtf8, separator + canonicalize(request.signedPayload));
      let parsed;
      if (request.pathIdDecoded === null) {
        assertEquals(request.path, "/peer/heartbeat");
        assertEquals(
          request.body,
          JSON.stringify(
            await createHeartbeat(identity, json.ts, { version, separator: "versioned" }),
          ),
        );
        parsed = parseHeartbeat(json);
      } else {
        const route = idField === "worldId" ? "worlds" : "agents";
        assertEquals(request.path, `/${route}/${encodeURIComponent(identity.agentId)}/heartbeat`);
        const segment = request.path.split("/")[2];
        assertEquals(agentIdFromPathSegment(segment), request.pathIdDecoded);
        assertEquals(
          request.body,
          JSON.stringify(
            await createResourceHeartbeat(identity, json.ts, {
              version,
              separator: "versioned",
              idField,
            }),
          ),
        );
        parsed = parseResourceHeartbeat(json, request.pathIdDecoded);
      }
      assert(parsed.ok);
      assert(
        await verifyHeartbeat(parsed.value, (await importPublicKey(identity.publicKeyB64))!, {
          version,
          idField,
        }),
      );
    }
  });

  Deno.test(`${version}: the world.state message is reproduced and verifies by body and by headers`, async () => {
    const vector = vectors.worldStateMessage;
    const identity = await identityOf(vectors, vector.identity);
    const sent = JSON.parse(vector.body);
    const message = await createPeerMessage(
      identity,
      sent.event,
      JSON.parse(sent.content),
      sent.timestamp,
      version,
    );
    assertEquals(canonicalize(message), vector.body);
    const parsed = parsePeerMessage(sent);
    assert(parsed.ok);
    assert(await verifyPeerMessage(parsed.value, version));
    for (const other of others(version)) {
      assertEquals(await verifyPeerMessage(parsed.value, other), false);
    }
    await checkRequest(vector, "POST", "127.0.0.1:8100", "/peer/message");
  });

  if (vectors.keyRotation) {
    const rotation = vectors.keyRotation;

    Deno.test(`${version}: the key rotation body is reproduced byte for byte, and its signed text`, async () => {
      const body = await createKeyRotation(
        await identityOf(vectors, rotation.oldIdentity),
        await identityOf(vectors, rotation.newIdentity),
        vectors.fixedTimeMs,
        version,
      );
      assertEquals(JSON.stringify(body), rotation.body);
      assertEquals(
        rotation.messageUtf8,
        separatorsFor(version).KEY_ROTATION + canonicalize(rotation.signedPayload),
      );
    });

    Deno.test(`${version}: the key rotation verifies with both proofs, naming both keys`, async () => {
      const result = await verifyKeyRotation(JSON.parse(rotation.body), { clock });
      assert(result.ok, result.ok ? "" : result.error);
      assertEquals(result.value, {
        oldAgentId: vectors.identities[rotation.oldIdentity].agentId,
        newAgentId: vectors.identities[rotation.newIdentity].agentId,
        oldPublicKey: vectors.identities[rotation.oldIdentity].publicKeyB64,
        newPublicKey: vectors.identities[rotation.newIdentity].publicKeyB64,
        timestamp: vectors.fixedTimeMs,
        version,
      });
    });

    Deno.test(`${version}: the key rotation relabelled as another version does not verify`, async () => {
      const body = JSON.parse(rotation.body);
      for (const other of others(version)) {
        const result = await verifyKeyRotation({ ...body, version: other }, { clock });
        assertEquals(result.ok ? "accepted" : result.status, 403, other);
      }
    });

    Deno.test(`${version}: the receiver's signed answer to the rotation is reproduced`, async () => {
      const answer = rotation.upstreamReceiverResponse;
      const receiver = await identityOf(vectors, rotation.receiverIdentity);
      assertEquals(
        await signHttpResponse(receiver, answer.status, answer.body, { clock, version }),
        answer.headers,
      );
    });
  }

  if (vectors.agentCard) {
    const card = vectors.agentCard;

    Deno.test(`${version}: the agent card is reproduced byte for byte and verifies`, async () => {
      const identity = await identityOf(vectors, card.identity);
      const json = await buildAgentCard(identity, { ...card.opts, version });
      assertEquals(json, card.json);
      assert(await verifyAgentCard(card.json, identity.publicKeyB64));
      assert(await verifyAgentCard(card.json));
    });

    Deno.test(`${version}: a tampered card, another key, or another version's card does not verify`, async () => {
      assertEquals(await verifyAgentCard(card.json.replace("Pixel City", "Pixel Town")), false);
      assertEquals(await verifyAgentCard(card.json, vectors.identities[0].publicKeyB64), false);
      for (const other of others(version)) {
        const relabelled = card.json.replace(`"version":"${version}"`, `"version":"${other}"`);
        assertEquals(await verifyAgentCard(relabelled), false, other);
      }
    });
  }

  if (vectors.worldLedgerGenesis) {
    const genesis = vectors.worldLedgerGenesis;

    Deno.test(`${version}: the world ledger's genesis entry reproduces its hash and signature`, async () => {
      const identity = await identityOf(vectors, genesis.identity);
      const entry = JSON.parse(genesis.entryJson);
      const { worldSig, ...signed } = entry;
      assertEquals(genesis.separatorUtf8, `AgentWorld-Ledger-${version}\u0000`);
      assertEquals(toHex(await sha256(utf8.encode(genesis.hashInputJson))), entry.hash);
      assertEquals(genesis.signedMessageUtf8, genesis.separatorUtf8 + canonicalize(signed));
      assertEquals(
        await signWithDomainSeparator(genesis.separatorUtf8, signed, identity),
        worldSig,
      );
    });
  }

  if (vectors.gatewayExchanges) {
    const exchanges = vectors.gatewayExchanges.exchanges;

    Deno.test(`${version}: every announce and message sent to the upstream gateway passes or fails our rules as it did there`, async () => {
      let checked = 0;
      for (const exchange of exchanges) {
        const { method, path, headers, body } = exchange.request;
        const isAnnounce = path === "/agents" || path === "/peer/announce";
        const isMessage = path === "/messages" || path === "/peer/message";
        if (method !== "POST" || !(isAnnounce || isMessage) || exchange.response.status === 404) {
          continue;
        }
        const request = new Request(`http://${headers.host}${path}`, { method, headers, body });
        const result = isAnnounce
          ? await verifyAnnounceRequest(request, { clock })
          : await verifyPeerMessageRequest(request, { clock });
        assertEquals(result.ok, exchange.response.status === 200, exchange.label);
        if (exchange.negative !== undefined) assertEquals(result.ok ? 200 : result.status, 403);
        checked++;
      }
      assert(checked >= 3, `checked ${checked} exchanges`);
    });

    Deno.test(`${version}: every heartbeat sent to the upstream gateway verifies unless it is the negative one`, async () => {
      let checked = 0;
      for (const exchange of exchanges) {
        const { path, body } = exchange.request;
        if (!path.endsWith("/heartbeat") || exchange.response.status === 404) continue;
        const json = JSON.parse(body!);
        if (typeof json.signature !== "string") continue;
        const segments = path.split("/");
        const parsed = path === "/peer/heartbeat"
          ? parseHeartbeat(json)
          : parseResourceHeartbeat(json, agentIdFromPathSegment(segments[2])!);
        assert(parsed.ok, exchange.label);
        const index = vectors.identities.findIndex((id) => id.agentId === parsed.value.agentId);
        const idField = segments[1] === "worlds" ? "worldId" : "agentId";
        const verified = await verifyHeartbeat(parsed.value, await key(index), {
          version,
          idField,
        });
        assertEquals(verified, exchange.negative === undefined, exchange.label);
        checked++;
      }
      assert(checked >= 3, `checked ${checked} heartbeats`);
    });
  }

  if (vectors.liveCapture) {
    const live = vectors.liveCapture;

    Deno.test(`${version}: the live world's announce and heartbeat are the vectors' bytes`, () => {
      assertEquals(live.announce.body, vectors.announce.body);
      assertEquals(live.heartbeat.body, vectors.heartbeat.requests![0].body);
      assertEquals(live.heartbeat.path, vectors.heartbeat.requests![0].path);
    });

    Deno.test(`${version}: the live world's signed answers and the agent's join verify under the version`, async () => {
      const world = vectors.identities[vectors.worldIdentity!.identity].publicKeyB64;
      for (const answer of [...live.worldResponses, live.join.response]) {
        if (!("x-agentworld-signature" in answer.headers)) continue;
        assertEquals(
          await verifyHttpResponseHeaders(answer.headers, answer.status, answer.body, world, {
            clock,
          }),
          { ok: true, version },
        );
      }
      const join = live.join.request;
      const agent = JSON.parse(join.body).publicKey;
      assertEquals(
        await verifyHttpRequestHeaders(
          join.headers,
          "POST",
          join.path,
          join.authority,
          join.body,
          agent,
          {
            clock,
          },
        ),
        { ok: true, version },
      );
    });
  }
}

Deno.test("a body-only announce reports the version it verified under, whatever is tried first", async () => {
  for (const vectors of ALL_VECTORS) {
    const request = () =>
      new Request(vectors.announce.url!, { method: "POST", body: vectors.announce.body });
    for (const preferredVersion of SUPPORTED_PROTOCOL_VERSIONS) {
      const result = await verifyAnnounceRequest(request(), {
        clock: () => vectors.fixedTimeMs,
        preferredVersion,
      });
      assertEquals(result.ok && result.value.version, vectors.protocolVersion);
    }
  }
});

Deno.test("the vectors' world fields are the same in every file but for the slug", () => {
  const [first, ...rest] = ALL_VECTORS.map((vectors: WireVectors) => {
    const { slug: _slug, ...fields } = worldFields(vectors);
    return fields;
  });
  for (const fields of rest) assertEquals(fields, first);
});
