// Generated from openapi.yaml by `deno task spec --write`; do not edit.
// deno-lint-ignore-file
export interface paths {
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The gateway's state, and how many agents and worlds are live.
         * @description `status` is `warming` while the gateway has been up for less than one TTL (worlds that
         *     were live before a restart may not have heartbeated yet) or while the grace after an
         *     outage runs, otherwise `empty` when no agent is live, otherwise `ready`. While the
         *     directory's store cannot be reached the answer is 503 with `status: unavailable`, so a
         *     liveness probe should ask `/livez`, which does not fail then.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/livez": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether the gateway process serves (liveness).
         * @description Liveness, for a Kubernetes liveness probe or Docker's `HEALTHCHECK`: 200 whenever the
         *     process answers HTTP at all, including while its store is unreachable (when `/health`
         *     answers 503) and while it drains after SIGTERM (when `/ready` answers 503). Restarting a
         *     gateway cures neither, so neither fails this probe. `HEAD` answers the same without a
         *     body. Answering never touches the store.
         */
        get: operations["getLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a load balancer should send this gateway traffic (readiness).
         * @description Readiness, apart from liveness (`/livez`), as Kubernetes probes and load balancers expect.
         *     `HEAD` answers the same without a body. Not ready (503) while:
         *
         *     - the gateway shuts down: after SIGTERM it answers 503 here for `SHUTDOWN_DRAIN_MS`
         *       (default 2 s) while every other route keeps serving, so a load balancer drains it first;
         *     - its store is unreachable;
         *     - it warms up after an outage: within the first heartbeat interval after recovery (30 s,
         *       at most a third of the TTL), while more than half of the leases restored under the
         *       post-outage grace have not been renewed yet (a store that does not count them: for that
         *       whole interval). The interval bounds it on purpose: an unready gateway receives no
         *       heartbeats, and a sole replica would otherwise stay out of rotation until its grace ended.
         *
         *     Answering never touches the store.
         */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The gateway's metrics, in the Prometheus text format.
         * @description Served unless turned off (`METRICS=off`, or `metrics: false` for an embedded gateway):
         *     then this route is 404 and nothing is collected. Every name starts with
         *     `agentworlds_gateway_`; every label takes values from a fixed set: never an agent or world
         *     id, a path or a client's own method (methods other than GET, HEAD, POST, PUT, DELETE,
         *     OPTIONS and PATCH are `other`). Among them: live agents and worlds, announces, heartbeats
         *     and deregistrations by status, HTTP request duration by method, route template and
         *     status, signature verification time by kind (heartbeat, announce), webhook deliveries by
         *     outcome with queue depth and age, snapshot duration and size, store latency and errors
         *     (shared store), `/ws` watchers and `/watch` clients, expiry lag, resident memory and
         *     event-loop lag. While the directory's store cannot be reached the figures read from it
         *     (the live counts, the webhook backlog) are `NaN` and `agentworlds_gateway_store_up` is 0;
         *     the rest still answers, when an operator needs it most.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A cheap liveness probe (the 1.4+ route); the same answer as `GET /peer/ping`. */
        get: operations["pingResource"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A cheap liveness probe for peers; it never touches the store. */
        get: operations["ping"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/agent.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The gateway's signed agent card.
         * @description The gateway's AgentWorld agent card (`AgentCard`), signed as a JWS with a detached payload:
         *     `signatures[0].signature` is the base64url Ed25519 signature of
         *     `protected + "." + base64url(AGENT_CARD separator + canonicalJson(card without
         *     "signatures"))`, under the separator of the card's `extensions.agentworld.version`. It is
         *     served as canonical JSON, byte for byte what was signed. The card is in the newest version
         *     (1.6) unless `version` asks for another; `id` is the card's URL under `PUBLIC_URL` (or the
         *     gateway's listening address).
         */
        get: operations["getAgentCard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/worlds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live worlds, newest first, a page at a time.
         * @description Only worlds whose lease is live, of every protocol version. Newest first by when their
         *     lease was granted, that is the announce that brought them online (renewing a live lease
         *     does not move a world). Pass the previous page's `nextCursor` as `cursor` for the next
         *     page; `nextCursor` is `null` on the last page. A world that expires between two pages is
         *     simply not on the later one. `revision` is the id of the newest change the listing
         *     reflects: `GET /watch?since=` it streams every change after it, so a client lists once
         *     and then follows the stream.
         */
        get: operations["listWorlds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/worlds/{worldId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world's `aw:sha256:` key id (percent-encoded or not) or its slug.
                 * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
                 */
                worldId: components["parameters"]["WorldRefPath"];
            };
            cookie?: never;
        };
        /**
         * One live world, found by its key id (1.4+) or its slug.
         * @description `worldId` is the world's `aw:sha256:` key id (what 1.4+ clients call its worldId),
         *     percent-encoded or not, or its slug (the directory's `worldId`). The answer is the same
         *     `World` as `GET /world/{worldId}`. An agent id of an agent that hosts no world is 404.
         */
        get: operations["getWorldByRef"];
        put?: never;
        post?: never;
        /**
         * Admin: revoke a world's lease now (the reference gateway's removal route).
         * @description Ends the live lease of the world named by its slug or its `aw:sha256:` key id
         *     (percent-encoded or not), as a deregistration would, with `reason: admin` in `/watch` and
         *     webhooks. The world id stays owned by its key, which may announce it again.
         */
        delete: operations["removeWorld"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/world/{worldId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One live world by its slug, with its endpoints and how many browsers watch it. */
        get: operations["getWorld"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live agents (worlds included), newest first, a page at a time.
         * @description Only agents whose lease is live, in the same order and with the same paging as
         *     `GET /worlds`: newest lease first, `nextCursor` `null` on the last page.
         */
        get: operations["listAgents"];
        put?: never;
        /**
         * Register (or update) an agent and grant or renew its lease: the 1.4+ announce.
         * @description The same announce, rules and lease as `POST /peer/announce`, as AgentWorld 1.4+ SDKs send
         *     it: the body carries `slug`, the world's id, covered by the signature like every other
         *     field; a world also sends its `world:<slug>` capability, which must agree. The answer
         *     lists up to 20 live agents that host no world (never the sender), as the 1.4+ reference
         *     gateway does.
         */
        post: operations["announceAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{agentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description An agent id, percent-encoded or not.
                 * @example aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9
                 */
                agentId: components["parameters"]["AgentIdPath"];
            };
            cookie?: never;
        };
        /** One live agent (a world too), as `GET /agents` lists it. */
        get: operations["getAgent"];
        put?: never;
        post?: never;
        /**
         * Admin: revoke any agent's lease now (the reference gateway's removal route).
         * @description Ends the agent's live lease (a world's too) with `reason: admin`: `world.expired` for a
         *     world, `agent.expired` for an agent that hosts no world, in `/watch` and as a webhook.
         */
        delete: operations["removeAgent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/peers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live peers (agents), newest first, up to `limit`. */
        get: operations["listPeers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/watch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-Sent Events: every change to the set of live worlds (and agents), resumable.
         * @description A `text/event-stream` that stays open. It starts with a `retry:` line (the reconnection
         *     delay, 2000 ms), then:
         *
         *     - without a resume id, a `hello` event whose `data` is `{"revision": ...}` and whose `id`
         *       is that revision: the stream goes on from there;
         *     - with a resume id (the `Last-Event-ID` header, which wins, or `?since=`), exactly the
         *       events after it, oldest first, with no gap and no duplicate; or, when the gateway no
         *       longer holds that id (older than what it keeps, from another gateway, or lost when a
         *       gateway without Redis crashed before saving it: such an id is never given to another
         *       event), a `reset` event whose `data` is `{"revision": ...}`: list again
         *       (`GET /worlds`), then carry on from the stream, which continues after that revision.
         *
         *     To follow the directory: `GET /worlds` (its answer carries `revision`), then
         *     `GET /watch?since=<revision>`. An event after the revision may already be reflected in
         *     the listing; applying it again is harmless (an upsert or a removal).
         *
         *     Every event has an opaque `id:` (ordered within one gateway; compare only for equality),
         *     an `event:` naming the change and a one-line JSON `data:`:
         *
         *     | event | data |
         *     | --- | --- |
         *     | `world.announced` | the `/worlds` item (`WorldSummary`): the world came online |
         *     | `world.updated` | the `/worlds` item: its details (name, endpoints, version) or its reachability changed |
         *     | `world.expired` | `WorldExpiredEvent`: it went offline, and why |
         *     | `world.owner_changed` | `WorldOwnerChangedEvent`: who owned the world id, who owns it now, and the `cause`, as in the webhook |
         *     | `agent.announced`, `agent.updated` | the `/agents` item (`Agent`); only with `agents=1` |
         *     | `agent.expired` | `AgentExpiredEvent`; only with `agents=1` |
         *     | `hello`, `reset` | `WatchRevision` |
         *
         *     A comment line (`: keep-alive`) is sent every 15 s so proxies keep the connection; on a
         *     filtered stream it may carry an `id:` alone, which moves the client's last event id past
         *     events it did not ask for without dispatching an event. A client that does not read its
         *     events is disconnected once 1 MiB is waiting for it; it reconnects with its last id.
         *     When the directory's store cannot be reached the stream ends with an error (after its
         *     `200`); the client reconnects with its last id as it would after any drop.
         *     The `x-events` extension maps each event name to the schema of its `data`.
         */
        get: operations["watchDirectory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/announce": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register (or update) an agent and grant or renew its lease.
         * @description The body is signed under the `ANNOUNCE` separator of the sender's version over the
         *     canonical JSON of every field of the body but `signature` (including fields this gateway
         *     does not know). The request is accepted when that signature verifies under `publicKey`, or
         *     when the request-signature headers verify under it; either way `from` must be
         *     `aw:sha256:` + the hex SHA-256 of the raw `publicKey`. Without `X-AgentWorld-Version` each
         *     version is tried (see "Protocol versions"); the one that verified is the lease's
         *     `protocolVersion`, which its heartbeats are then verified with.
         *
         *     An agent whose capabilities include `world:<worldId>` (or that sends `slug`) is a world;
         *     see "Who may hold a world id". A `timestamp` that is not greater than that of the last
         *     announce accepted from the same agent is a replay (409). Re-announcing a live lease renews
         *     it and updates its details (a `world.updated` event when they changed). The response lists
         *     up to 20 live peers (never the sender) so a new agent learns its neighbours; a gateway
         *     reads that list at most once a second and again as soon as any lease ends, so a peer that
         *     left is never listed and one that just came may be missing for up to a second. Every body
         *     limit is in "Limits" above and in the `Announce` schema.
         */
        post: operations["announce"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Renew a live agent's lease (the 1.2/1.3 heartbeat).
         * @description `signature` is over the canonical JSON of `{agentId, ts}` (only those two fields) under
         *     `aw:hb:`, or under `AgentWorld-Heartbeat-<v>\0` of the version the lease was announced
         *     with, verified with the key the agent announced. `ts` must be within ±5 minutes of the
         *     gateway's clock and greater than the last heartbeat (or deregistration) `ts` accepted from
         *     the agent. Send one every 30 s. A 404 means the lease is gone (never granted, ended, or
         *     expired): announce again.
         */
        post: operations["heartbeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/worlds/{worldId}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Renew a world's lease (the 1.4+ world heartbeat).
         * @description `worldId` is the world's `aw:sha256:` key id (its agent id), percent-encoded
         *     (`aw%3Asha256%3A…`, as 1.4+ SDKs send it) or not. The body is `{ts, signature}`; the
         *     signature is over `{worldId, ts}` (the key id, decoded) under `aw:hb:` or the lease's
         *     version's `AgentWorld-Heartbeat-<v>\0`. Otherwise as `POST /peer/heartbeat`: the same
         *     lease, window, replay floor and answers. A path id that is not an `aw:sha256:` id is 404
         *     `World not found`, as the reference gateway answers it.
         */
        post: operations["heartbeatWorld"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/agents/{agentId}/heartbeat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Renew an agent's lease (the 1.4+ agent heartbeat).
         * @description As `POST /worlds/{worldId}/heartbeat`, for an agent that hosts no world (a world may use
         *     it too): the signature is over `{agentId, ts}`. A path id that is not an `aw:sha256:` id is
         *     404 `Agent not found`.
         */
        post: operations["heartbeatAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/deregister": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A world (or agent) ends its own lease now, signed.
         * @description `{agentId, ts, signature}`, signed over `{agentId, ts}` under `aw:dereg:` (the same in
         *     every protocol version; reference gateways answer this route 404), verified with the key
         *     of the live lease. `ts` must be within ±5 minutes and newer than the last heartbeat or
         *     deregistration accepted from the agent: a deregistration older than the last heartbeat is
         *     a replay (409). The lease ends at once (`reason: deregistered`); see "Leases".
         */
        post: operations["deregister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/key-rotation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move an agent's world ids from its old key to a new one and revoke the old key's lease, signed by both.
         * @description AgentWorld's key-rotation body (`type: agentworld-identity-rotation`). Both proofs sign the
         *     same payload, `{agentId: oldAgentId, oldPublicKey, newPublicKey, timestamp}` (keys as
         *     standard base64), under the `KEY_ROTATION` separator of `version`, which may be any
         *     version spoken here. **Both** proofs are required: the old key's says the holder wants to
         *     move; the new key's proves the asker holds the new private key, so no one can bind a world
         *     to a key they merely copied. `protected` is the fixed JWS header
         *     `{"alg":"EdDSA","kid":"#identity"}` in base64url, not checked.
         *
         *     On success every world id the old key owns moves to the new key (`world.owner_changed`,
         *     `cause: rotation`) and the old key's live lease, if any, is revoked (`world.expired`,
         *     `reason: rotated`); the new key announces next. The answer names the ids that moved and
         *     whether a lease was revoked. The old key must own an id or hold a lease (404 otherwise,
         *     which is also what a replayed rotation gets once it has moved everything). The rotation's
         *     `timestamp` must be newer (409 otherwise) than:
         *
         *     - the last announce `timestamp` and the last heartbeat or deregistration `ts` accepted
         *       from the old key (its replay floors: its live lease's, or those kept for 5 minutes
         *       after its lease ended);
         *     - the moment each binding it would move was made (the signed `timestamp` of the announce
         *       or rotation that made it, or the time of the admin transfer).
         *
         *     The rotation's `timestamp` then becomes the old key's heartbeat floor, kept past its
         *     lease like a deregistration's: a captured rotation replayed within the ±5 minute window,
         *     after the old key announced again (a plain agent, or any agent under
         *     `WORLD_ID_POLICY=live-holder`, owns no id to stop it), is a 409 and revokes nothing.
         */
        post: operations["rotateKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/peer/message": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A world posts its state for the browsers watching it.
         * @description While a browser watches a world through `GET /ws`, the gateway is a member of that world,
         *     so the world posts its `world.state` broadcasts here (1.2, 1.3) or to `POST /messages`
         *     (1.4+; the same route). Only `world.state` is accepted. `content` is the JSON encoding of
         *     a `WorldStateContent` object, whose `worldId` (the slug) names the world. The body is
         *     signed under the sender's version's `MESSAGE` separator over the canonical JSON of every
         *     field but `signature`, or the request carries request-signature headers that verify;
         *     `from` must be the agent id of `publicKey` and the agent currently holding the world.
         *     `timestamp` must be within ±5 minutes and newer than the last `world.state` accepted for
         *     the world (by any replica). Each accepted message is relayed to the world's `/ws`
         *     subscribers, on every replica, as a `world.state` frame.
         */
        post: operations["postMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The 1.4+ route of `POST /peer/message`, with the same rules and answers. */
        post: operations["postMessageResource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * WebSocket: watch a world's state and act in it from a browser.
         * @description A WebSocket upgrade (OpenAPI cannot describe the frames as operations, so they are listed
         *     here and in `x-websocket`). Every frame is one JSON text message. After the upgrade the
         *     gateway sends `{"type":"subscribed","worldId":...}` and then a `world.state` frame for each
         *     state the world posts to `POST /peer/message` or `POST /messages` (on any replica). While
         *     a world has watchers the gateway is a member of it: it joins with its own endpoint when the
         *     first browser subscribes, re-joins every minute, and leaves with the last one.
         *
         *     Client to server (`WsClientFrame`): `{"type":"join","alias"?,"data"?}`,
         *     `{"type":"action","data":{...}}` (or the action's fields beside `type`),
         *     `{"type":"leave"}`. Server to client (`WsServerFrame`): `subscribed`, `join_result`,
         *     `action_result`, `leave_result`, `world.state`, `error`. The gateway relays `join`,
         *     `action` and `leave` to the world as signed `world.join`, `world.action` and `world.leave`
         *     peer messages from a guest identity of this socket, signed in the world's own protocol
         *     version, and the world's signed answer comes back as the matching `*_result` frame. A
         *     frame is at most 16384 bytes, and at most 8 may wait on the world at once.
         *
         *     Calls to worlds (the gateway's own join, re-join and leave, and each browser's frames) go
         *     to the world's first endpoint under the outbound policy, `OUTBOUND_POLICY`:
         *     `public-only` refuses a world whose address is, or whose host name resolves to, a
         *     private, loopback, link-local, cloud-metadata, multicast or reserved address (checked
         *     after DNS; a plain-HTTP call then goes to the address checked, so a second DNS answer
         *     cannot swap it); `any` calls every address; `auto` (the default) is `public-only` when
         *     `PUBLIC_URL` names a public host, and `any` when `PUBLIC_URL` is unset or names
         *     `localhost` or an internal address (the local demo, whose worlds are on 127.0.0.1). A
         *     gateway that listens beyond the loopback with neither variable set logs a warning at
         *     startup. Redirects are never followed, an answer is read up to 256 KiB, and a call
         *     times out after 10 s. Every failure, a refusal by the policy included, reaches the
         *     browser as the same `{"type":"error","message":"the world could not be reached"}`, so
         *     it cannot tell an open port from a closed one. When the gateway stops, its
         *     `world.leave` calls are best effort: cut short after 1 s.
         *
         *     Before upgrading, each client address spends a token of its upgrade quota
         *     (`WS_UPGRADE_RATE`, 120 a minute, bursts of 200), and three caps are checked: watchers in
         *     all (`MAX_WATCHERS`, 10000; 503 past it), from one client address (`MAX_WATCHERS_PER_ADDRESS`,
         *     64; 429) and of one world (`MAX_WATCHERS_PER_WORLD`, 1000; 429), each refusal with
         *     `Retry-After`. When `world` is missing or names no live world (or one with no endpoint),
         *     or when the directory's store cannot be reached, the gateway completes the upgrade, sends
         *     one `{"type":"error","message":...}` frame and closes the socket (code 1008). When the world's lease ends (for any reason), or
         *     its agent re-announces under another world id or none, its watchers get an error frame
         *     such as `world went offline (deregistered)` and are closed.
         */
        get: operations["watchWorld"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/worlds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Admin: owned world ids in id order, with their owners and whether they are live.
         * @description Every world id bound to a key (`owned` policy), `limit` at a time, in id order. Pass the
         *     previous page's `next` as `after` for the next page; `next` is `null` on the last page.
         *     `live` says whether the owner's lease of the id is live now (`lastSeen` then says when it
         *     was last renewed). Under `live-holder` nothing is owned and the list is empty.
         */
        get: operations["adminListWorlds"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/worlds/{worldId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        /**
         * Admin: who owns a world id, and its live lease with everything the directory holds.
         * @description `owner` is the binding (`null` when the id is not owned, e.g. under `live-holder`);
         *     `lease` is the live lease of the agent hosting the world (`null` when none is live),
         *     including the client address it was granted from, its replay floors and reachability.
         */
        get: operations["adminGetWorld"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/worlds/{worldId}/release": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Admin: free a world id for any key, revoking its live lease.
         * @description Unbinds the id from its owner (`world.owner_changed`, `cause: admin_release`, `owner:
         *     null`) and revokes the live lease of the agent hosting it, if any (`world.expired`,
         *     `reason: admin`). The next key to announce the id owns it. No body.
         */
        post: operations["adminReleaseWorld"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/worlds/{worldId}/transfer": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Admin: bind a world id to another key.
         * @description Binds the id to the key in the body, whether it was owned before or not
         *     (`world.owner_changed`, `cause: admin_transfer`), and revokes the live lease of any other
         *     agent hosting it (`world.expired`, `reason: admin`). The new owner announces next; a live
         *     lease of the new owner itself is kept. Only under the `owned` policy: under
         *     `live-holder` the answer is 409.
         */
        post: operations["adminTransferWorld"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The live directory, a web page for people.
         * @description Live worlds with their name, id, reachability and when they were last seen, kept current
         *     from `GET /watch` without reloading; `/#/world/<worldId>` shows one world and lets a person
         *     watch and play it through `GET /ws`. Static HTML with one script and one stylesheet
         *     (`/assets/*`, referenced with `?v=<version>` and cached for a year), served with a strict
         *     Content-Security-Policy, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`,
         *     an `ETag` and `Cache-Control: no-cache` (revalidated on each load).
         */
        get: operations["getDirectoryPage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This document, rendered for people (Swagger UI, served by the gateway itself).
         * @description Swagger UI (the `swagger-ui-dist` npm package, pinned) renders `/openapi.yaml`; its files
         *     are served from `/docs/assets/*`, never from elsewhere. Its Content-Security-Policy is the
         *     page's plus `img-src data:`, for the icons Swagger UI's stylesheet draws as `data:` SVG
         *     images. "Try it out" sends requests to the gateway serving the page.
         */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A script, stylesheet or icon of the directory page.
         * @description With `?v=` equal to the file's current version (as the page references it) the answer is
         *     `Cache-Control: public, max-age=31536000, immutable`; otherwise `no-cache`. Compressed
         *     with gzip when the client accepts it.
         */
        get: operations["getPageAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs/assets/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A file of the rendered docs (Swagger UI's bundle and stylesheet, and ours).
         * @description Cached as `/assets/{file}` is.
         */
        get: operations["getDocsAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.yaml": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document. */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "world.announced": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A world came online (a new lease was granted).
         * @description Sent to `WEBHOOK_URL` for each offline→online edge of a world; a renewal or an update of a
         *     live world sends nothing. See `world.expired` for what every delivery has in common.
         */
        post: operations["worldAnnouncedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "world.expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A world went offline, and why.
         * @description `reason` says why the world went offline: `ttl` (no heartbeat for the TTL),
         *     `deregistered` (a signed deregistration, or a signed re-announce that hosts another world
         *     id, or none: the agent stays online, this world id does not; the new id's
         *     `world.announced` follows), `admin` (an admin revoked it, or released or transferred its
         *     id), `rotated` (its key was rotated away).
         *
         *     Every delivery (of every event here):
         *
         *     - is a `POST` of a JSON body with the Standard Webhooks headers `webhook-id`
         *       (`msg_<event id>`, the same on every attempt and from every replica: deduplicate by it),
         *       `webhook-timestamp` (seconds) and, when `WEBHOOK_SECRET` (`whsec_<base64>`) is set,
         *       `webhook-signature` (`v1,<base64 HMAC-SHA256>` of `id.timestamp.body`, as the stock
         *       `standardwebhooks` verifiers check it);
         *     - is delivered **at least once**: the events come from the directory's durable change log,
         *       and one that is not acknowledged (by a replica that died, or a gateway that stopped
         *       before delivering) is delivered by the next gateway to lead; a receiver may see one
         *       twice and must deduplicate by `webhook-id`;
         *     - is delivered **in order per world**: one delivery per world id is in flight at a time
         *       and later events of that world wait behind it (so an old holder's `world.expired` always
         *       comes before a new holder's `world.announced`); different worlds are delivered
         *       concurrently (8 at a time);
         *     - counts as delivered when the receiver answers 2xx within 5 s. Anything else (a network
         *       error, a timeout, a non-2xx status, a redirect, which is never followed) is a failed
         *       attempt, retried with exponential backoff and equal jitter: the delay before attempt
         *       n + 1 is drawn uniformly from [d/2, d) with d = 1 s × 2^(n−1), capped at 5 min (so about
         *       1 s, 2 s, 4 s … then 5 min between attempts), until `WEBHOOK_RETRY_FOR_MS` (default
         *       3 600 000, one hour) has passed since the first attempt; then the event is given up on,
         *       logged and counted (`agentworlds_gateway_webhook_deliveries_total{outcome="gave_up"}`).
         */
        post: operations["worldExpiredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "world.owner_changed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A world id changed hands.
         * @description `cause` says how: `rotation` (a signed key rotation), `admin_transfer`, `admin_release`
         *     (`owner` is `null`), `retention` (the id was unused for `OWNER_RETENTION_MS`; `owner` is
         *     `null`). `agentId` is the new owner, or the previous one when the id was released.
         *     Delivered like `world.expired`, in order with the world's other events.
         */
        post: operations["worldOwnerChangedWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "agent.expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An admin revoked the lease of an agent that hosts no world.
         * @description Sent only for an admin's revocation (`DELETE /agents/{agentId}`) of an agent that hosts
         *     no world, so that every admin action reaches the webhook; `reason` is always `admin`.
         *     Agents' own comings and goings are not webhooks (follow them on `/watch?agents=1`), and a
         *     world's revocation is `world.expired`. Delivered like `world.expired` (signed, at least
         *     once, deduplicated by `webhook-id`), in order with that agent's other `agent.expired`
         *     events.
         */
        post: operations["agentExpiredWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /** @description Every 4xx and 5xx body. `error` says what was wrong, naming the field when one was. */
        Error: {
            error: string;
        };
        Ok: {
            /** @constant */
            ok: true;
        };
        /**
         * @description Milliseconds since the Unix epoch.
         * @example 1774276670000
         */
        Timestamp: number;
        /**
         * @description `aw:sha256:` + the lowercase hex SHA-256 of the raw 32-byte public key.
         * @example aw:sha256:39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
         */
        AgentId: string;
        /**
         * @description An agent id as a path segment, percent-encoded (`:` as `%3A`) or not.
         * @example aw:sha256:39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
         * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
         */
        AgentIdSegment: string;
        /**
         * @description A world's `aw:sha256:` key id (percent-encoded or not) or its slug.
         * @example pixel-city
         * @example aw:sha256:39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
         */
        WorldRef: string | components["schemas"]["AgentIdSegment"] | components["schemas"]["WorldId"];
        /**
         * @description Standard base64 (with padding) of the raw 32-byte Ed25519 public key.
         * @example PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=
         */
        PublicKey: string;
        /**
         * @description `z` + base58btc of the multicodec-prefixed (0xed01) Ed25519 public key, as in `did:key`.
         * @example z6MkiaMbhXHNA4eJVCCj8dbzKzTgYDKf6crKgHVHid1F1WCT
         */
        PublicKeyMultibase: string;
        /** @description Standard base64 (with padding) of a 64-byte Ed25519 signature. */
        Signature: string;
        /**
         * @description 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit.
         * @example pixel-city
         */
        WorldId: string;
        /**
         * @description An AgentWorld protocol version spoken here.
         * @enum {string}
         */
        ProtocolVersion: "1.2" | "1.3" | "1.4" | "1.5" | "1.6";
        /**
         * @description 1–128 UTF-16 code units, without control or bidirectional-override characters.
         * @example Pixel City
         */
        DisplayName: string;
        /**
         * @description The sender's software version (not the protocol's) — printable ASCII without `"` or `\`.
         * @example 1.0.0
         */
        SoftwareVersion: string;
        /**
         * @description Where an agent can be reached, as an announce sends it. Fields beyond these five are
         *     allowed (the signature covers them) and dropped when the record is stored.
         * @example {
         *       "address": "203.0.113.7",
         *       "port": 8099,
         *       "transport": "tcp",
         *       "priority": 1,
         *       "ttl": 3600
         *     }
         */
        AnnouncedEndpoint: {
            /**
             * @description A DNS host name (labels of letters, digits, `-` and `_`) or an IP literal (IPv6
             *     with or without brackets): no scheme, port, path, userinfo or whitespace.
             */
            address: string;
            port: number;
            /** @description The transport, e.g. `tcp` or `https` (the bridge calls `https` endpoints over TLS). */
            transport?: string;
            /** @description Lower is preferred. */
            priority?: number;
            /** @description Seconds the endpoint may be cached. */
            ttl?: number;
        };
        /**
         * @description An endpoint as the directory stores and shows it (IPv6 without brackets).
         * @example {
         *       "address": "203.0.113.7",
         *       "port": 8099,
         *       "transport": "tcp",
         *       "priority": 1,
         *       "ttl": 3600
         *     }
         */
        Endpoint: components["schemas"]["AnnouncedEndpoint"];
        /**
         * @description A capability, such as `world:<worldId>`, which makes the agent a world: printable ASCII
         *     without spaces, `"` or `\`.
         */
        Capability: string;
        /** @description The gateway process serves. */
        Live: {
            /** @constant */
            ok: true;
        };
        /** @description The gateway is ready for traffic. */
        Ready: {
            /** @constant */
            ready: true;
        };
        Health: {
            /** @constant */
            ok: true;
            ts: components["schemas"]["Timestamp"];
            /** @description The gateway's own agent id. */
            agentId: components["schemas"]["AgentId"];
            /** @description Live agents (worlds included). */
            agents: number;
            /** @description Live worlds. */
            worlds: number;
            /** @description Milliseconds since this gateway began serving. */
            registryAge: number;
            /**
             * @description `warming` while `registryAge` is less than one TTL or the grace after an outage runs;
             *     else `empty` when no agent is live; else `ready`.
             * @enum {string}
             */
            status: "ready" | "warming" | "empty";
        };
        /** @description `GET /health` while the directory's store cannot be reached. */
        HealthUnavailable: {
            /** @constant */
            ok: false;
            ts: components["schemas"]["Timestamp"];
            agentId: components["schemas"]["AgentId"];
            /** @constant */
            status: "unavailable";
            /** @description What the store's last call failed with. */
            error: string;
        };
        Ping: {
            /** @constant */
            ok: true;
            ts: components["schemas"]["Timestamp"];
            /** @constant */
            role: "gateway";
            /** @description The gateway's own agent id. */
            agentId: components["schemas"]["AgentId"];
        };
        /** @description When a call of the gateway to the agent's endpoint last succeeded; absent until one has. */
        LastReachableAt: components["schemas"]["Timestamp"];
        /**
         * @description False when the agent announced no endpoint, or while the gateway's calls to its endpoint
         *     fail; true otherwise.
         */
        Reachable: boolean;
        /** @description A world as `GET /worlds` lists it, for readers of every protocol generation. */
        WorldSummary: {
            /** @description The directory's world id (the slug). */
            worldId: components["schemas"]["WorldId"];
            /** @description The key hosting the world (what 1.4+ clients call its worldId). */
            agentId: components["schemas"]["AgentId"];
            /** @description The world's `alias`. */
            name: string;
            /** @description The same as `worldId`, under the name 1.4+ readers use. */
            slug: components["schemas"]["WorldId"];
            /** @description The version the lease was announced with; the bridge speaks it to the world. */
            protocolVersion: components["schemas"]["ProtocolVersion"];
            endpoints: components["schemas"]["Endpoint"][];
            reachable: components["schemas"]["Reachable"];
            lastReachableAt?: components["schemas"]["LastReachableAt"];
            /** @description When the lease was last granted or renewed. */
            lastSeen: components["schemas"]["Timestamp"];
        };
        /**
         * @description An opaque change-stream event id (1–256 printable ASCII characters, no spaces).
         * @example 3f9c2a1b.42
         */
        EventId: string;
        /**
         * @description The id of the newest change the listing reflects: pass it as `since` to `GET /watch` to
         *     follow the directory from this listing on.
         * @example 3f9c2a1b.42
         */
        Revision: string;
        /**
         * @description `data` of `hello` (where the stream starts) and `reset` (list again).
         * @example {
         *       "revision": "3f9c2a1b.42"
         *     }
         */
        WatchRevision: {
            revision: components["schemas"]["Revision"];
        };
        /**
         * @description Why a lease ended: `ttl` (no heartbeat for the TTL), `deregistered` (the agent said
         *     goodbye, or re-announced under another world id or none: then only what it was ended,
         *     and its lease goes on as what it is now), `admin` (an operator removed it), `rotated`
         *     (its key was replaced).
         * @enum {string}
         */
        ExpiryReason: "ttl" | "deregistered" | "admin" | "rotated";
        /**
         * @description `data` of `world.expired`: the world went offline.
         * @example {
         *       "worldId": "pixel-city",
         *       "agentId": "aw:sha256:39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f",
         *       "reason": "ttl",
         *       "at": 1774276760000
         *     }
         */
        WorldExpiredEvent: {
            worldId: components["schemas"]["WorldId"];
            agentId: components["schemas"]["AgentId"];
            reason: components["schemas"]["ExpiryReason"];
            at: components["schemas"]["Timestamp"];
        };
        /** @description `data` of `agent.expired`: an agent that hosts no world went offline. */
        AgentExpiredEvent: {
            agentId: components["schemas"]["AgentId"];
            reason: components["schemas"]["ExpiryReason"];
            at: components["schemas"]["Timestamp"];
        };
        /**
         * @description Why a world id changed hands: `rotation` (a signed key rotation), `admin_transfer`,
         *     `admin_release` (then `owner` is `null`), `retention` (unused for `OWNER_RETENTION_MS`;
         *     then `owner` is `null`).
         * @enum {string}
         */
        OwnerChangeCause: "rotation" | "admin_transfer" | "admin_release" | "retention";
        /** @description An agent id, or `null`. */
        NullableAgentId: string | null;
        /**
         * @description `data` of `world.owner_changed`: the key owning the world id changed.
         * @example {
         *       "worldId": "pixel-city",
         *       "previousOwner": "aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9",
         *       "owner": "aw:sha256:4a67330b803d5c88757afb9328615344a89c49839a07f1f76887ad62d06a1f57",
         *       "cause": "rotation",
         *       "at": 1774276670000
         *     }
         */
        WorldOwnerChangedEvent: {
            worldId: components["schemas"]["WorldId"];
            /** @description The previous owner's agent id; `null` when it had none. */
            previousOwner: components["schemas"]["NullableAgentId"];
            /** @description The new owner's agent id; `null` when the id was released. */
            owner: components["schemas"]["NullableAgentId"];
            cause: components["schemas"]["OwnerChangeCause"];
            at: components["schemas"]["Timestamp"];
        };
        WorldPage: {
            worlds: components["schemas"]["WorldSummary"][];
            /** @description The opaque cursor of the next page; `null` on the last page. */
            nextCursor: string | null;
            revision: components["schemas"]["Revision"];
        };
        /** @description One live world with everything readers of either generation use. */
        World: {
            /** @description The directory's world id (the slug). */
            worldId: components["schemas"]["WorldId"];
            /** @description The key hosting the world (what 1.4+ clients call its worldId). */
            agentId: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            /** @description The world's `alias`. */
            name: string;
            /** @description The same as `worldId`, under the name 1.4+ readers use. */
            slug: components["schemas"]["WorldId"];
            /** @description The version the lease was announced with; the bridge speaks it to the world. */
            protocolVersion: components["schemas"]["ProtocolVersion"];
            endpoints: components["schemas"]["Endpoint"][];
            reachable: components["schemas"]["Reachable"];
            lastReachableAt?: components["schemas"]["LastReachableAt"];
            /** @description Browsers watching this world through `GET /ws` on this replica. */
            subscribers: number;
            /** @description When the lease was last granted or renewed. */
            lastSeen: components["schemas"]["Timestamp"];
        };
        /** @description An agent (a world too) as `GET /agents` lists it and `agent.*` events carry it. */
        Agent: {
            agentId: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            alias: string;
            /** @description The agent's software version, when it announced one. */
            version?: string;
            /** @description The version the lease was announced with. */
            protocolVersion: components["schemas"]["ProtocolVersion"];
            endpoints: components["schemas"]["Endpoint"][];
            capabilities: components["schemas"]["Capability"][];
            /** @description Present when the agent is a world. */
            worldId?: components["schemas"]["WorldId"];
            lastSeen: components["schemas"]["Timestamp"];
        };
        AgentPage: {
            agents: components["schemas"]["Agent"][];
            /** @description The opaque cursor of the next page; `null` on the last page. */
            nextCursor: string | null;
            revision: components["schemas"]["Revision"];
        };
        /** @description A live agent as announce answers and `GET /peer/peers` show it. */
        Peer: {
            agentId: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            alias: string;
            endpoints: components["schemas"]["Endpoint"][];
            capabilities: components["schemas"]["Capability"][];
            lastSeen: components["schemas"]["Timestamp"];
        };
        PeerList: {
            peers: components["schemas"]["Peer"][];
        };
        /**
         * @description A signed announce. `signature` is under the sender's version's `ANNOUNCE` separator over
         *     the canonical JSON of every other field of the body, unknown fields included (they are
         *     allowed, and dropped from the stored record). The limits are `ANNOUNCE_LIMITS`.
         */
        Announce: {
            /** @description The sender's agent id; it must be the agent id of `publicKey` (403 otherwise). */
            from: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            /** @description Display name (a world's name). */
            alias: components["schemas"]["DisplayName"];
            version?: components["schemas"]["SoftwareVersion"];
            /**
             * @description The world's id (1.4+ senders send it). It must agree with a `world:` capability when
             *     both are sent.
             */
            slug?: components["schemas"]["WorldId"];
            endpoints: components["schemas"]["AnnouncedEndpoint"][];
            /** @description At most one `world:<worldId>` among them. */
            capabilities: components["schemas"]["Capability"][];
            timestamp: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        AnnounceResult: {
            /** @constant */
            ok: true;
            /** @description Up to 20 live peers, newest first, never the sender. */
            peers: components["schemas"]["Peer"][];
        };
        AgentsAnnounceResult: {
            /** @constant */
            ok: true;
            /** @description Up to 20 live agents that host no world, newest first, never the sender. */
            agents: components["schemas"]["Peer"][];
        };
        /**
         * @description A 1.2/1.3-style heartbeat. `signature` is over the canonical JSON of `{agentId, ts}`
         *     under `aw:hb:` or the lease's version's `AgentWorld-Heartbeat-<v>\0`. Other fields are
         *     ignored.
         */
        Heartbeat: {
            agentId: components["schemas"]["AgentId"];
            ts: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        /**
         * @description A 1.4+ heartbeat; the id is in the path. `signature` is over `{worldId, ts}`
         *     (`/worlds/{id}/heartbeat`) or `{agentId, ts}` (`/agents/{id}/heartbeat`), the id decoded,
         *     under `aw:hb:` or the lease's version's `AgentWorld-Heartbeat-<v>\0`.
         */
        ResourceHeartbeat: {
            ts: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        /** @description `signature` is over the canonical JSON of `{agentId, ts}` under `aw:dereg:`. */
        Deregistration: {
            agentId: components["schemas"]["AgentId"];
            ts: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        /** @description One side of a key rotation. */
        RotationIdentity: {
            /** @description When sent, it must be the agent id of the key. */
            agentId?: components["schemas"]["AgentId"];
            /** @example #identity */
            kid?: string;
            publicKeyMultibase: components["schemas"]["PublicKeyMultibase"];
        };
        /** @description One key's signature of the rotation payload. */
        RotationProof: {
            /** @description The JWS protected header `{"alg":"EdDSA","kid":"#identity"}`, base64url; not checked. */
            protected?: string;
            signature: components["schemas"]["Signature"];
        };
        /**
         * @description AgentWorld's key rotation. Both proofs sign `{agentId: oldAgentId, oldPublicKey,
         *     newPublicKey, timestamp}` (keys as standard base64) under `version`'s `KEY_ROTATION`
         *     separator.
         */
        KeyRotation: {
            /** @constant */
            type: "agentworld-identity-rotation";
            version: components["schemas"]["ProtocolVersion"];
            oldAgentId: components["schemas"]["AgentId"];
            newAgentId: components["schemas"]["AgentId"];
            oldIdentity: components["schemas"]["RotationIdentity"];
            newIdentity: components["schemas"]["RotationIdentity"];
            timestamp: components["schemas"]["Timestamp"];
            /** @description Both are required. */
            proofs: {
                signedByOld: components["schemas"]["RotationProof"];
                signedByNew: components["schemas"]["RotationProof"];
            };
        };
        KeyRotationResult: {
            /** @constant */
            ok: true;
            /** @description The world ids now owned by the new key. */
            worlds: components["schemas"]["WorldId"][];
            /** @description Whether a live lease of the old key was revoked (`reason: rotated`). */
            revoked: boolean;
        };
        /**
         * @description A signed peer message. `signature` is under the sender's version's `MESSAGE` separator
         *     over the canonical JSON of every other field of the body.
         */
        PeerMessage: {
            from: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            /**
             * @description The event; this gateway accepts only `world.state`.
             * @constant
             */
            event: "world.state";
            /** @description The JSON encoding of a `WorldStateContent` object. */
            content: string;
            timestamp: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        MessageResult: {
            /** @constant */
            ok: true;
            /** @description How many browsers on this replica the message was relayed to. */
            delivered: number;
        };
        /**
         * @description An AgentWorld agent card: who the node is and its key, with a detached JWS over it
         *     (`signatures`). Served as canonical JSON.
         */
        AgentCard: {
            /** @description The card's own URL. */
            id: string;
            name: string;
            description?: string;
            extensions: {
                agentworld: {
                    /** @description The version the card is signed in. */
                    version: components["schemas"]["ProtocolVersion"];
                    agentId: components["schemas"]["AgentId"];
                    /** @constant */
                    identityMode: "direct";
                    identity: {
                        did: string;
                        /** @constant */
                        kid: "#identity";
                        /** @constant */
                        alg: "Ed25519";
                        publicKeyMultibase: components["schemas"]["PublicKeyMultibase"];
                    };
                    requestSigning: {
                        headers: string[];
                    };
                    profiles: string[];
                    conformance: {
                        nodeClass: string;
                        profiles: {
                            id: string;
                            required: boolean;
                        }[];
                        capabilities: string[];
                    };
                };
            };
            signatures: {
                /** @description The JWS protected header, base64url. */
                protected: string;
                /** @description The Ed25519 signature, base64url without padding. */
                signature: string;
            }[];
        };
        WorldRemoved: {
            /** @constant */
            ok: true;
            /** @constant */
            removed: 1;
        };
        /** @description Who a world id is bound to. */
        WorldOwner: {
            owner: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            /** @description When the binding was made (first announce, rotation or transfer). */
            since: components["schemas"]["Timestamp"];
            /** @description When a lease of the owner for this id was last live; retention counts from it. */
            lastUsedAt: components["schemas"]["Timestamp"];
        };
        AdminWorldSummary: {
            worldId: components["schemas"]["WorldId"];
            owner: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            since: components["schemas"]["Timestamp"];
            lastUsedAt: components["schemas"]["Timestamp"];
            /** @description Whether the owner's lease of this id is live now. */
            live: boolean;
            /** @description When the live lease of the id (the owner's or not) was last renewed; absent when none is live. */
            lastSeen?: components["schemas"]["Timestamp"];
        };
        AdminWorldPage: {
            worlds: components["schemas"]["AdminWorldSummary"][];
            /** @description The last world id of this page, for `after`; `null` on the last page. */
            next: components["schemas"]["WorldId"] | null;
        };
        /** @description Everything the directory holds of a live lease (admin only). */
        Lease: {
            agentId: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            alias: string;
            version?: string;
            protocolVersion: components["schemas"]["ProtocolVersion"];
            endpoints: components["schemas"]["Endpoint"][];
            capabilities: components["schemas"]["Capability"][];
            worldId?: components["schemas"]["WorldId"];
            /** @description When the lease was granted (the announce that brought it online). */
            grantedAt: components["schemas"]["Timestamp"];
            lastSeen: components["schemas"]["Timestamp"];
            /** @description The signed `timestamp` of the last announce accepted (the announce replay floor). */
            lastAnnounceTs: components["schemas"]["Timestamp"];
            /** @description The `ts` of the last heartbeat or deregistration accepted; 0 before any. */
            lastHeartbeatTs: number;
            /** @description The client address (or IPv6 /64) the lease was granted from; `unknown` without one. */
            address?: string;
            /** @description Set while the gateway's calls to the endpoint fail; when the first failure was seen. */
            unreachableSince?: components["schemas"]["Timestamp"];
            lastReachableAt?: components["schemas"]["LastReachableAt"];
        };
        AdminWorld: {
            worldId: components["schemas"]["WorldId"];
            /** @description The binding, or `null` when the id is not owned. */
            owner: components["schemas"]["WorldOwner"] | null;
            /** @description The live lease hosting the world, or `null` when none is live. */
            lease: components["schemas"]["Lease"] | null;
        };
        ReleaseResult: {
            /** @constant */
            ok: true;
            /** @description The owner the id had; absent when it was not owned. */
            previous?: components["schemas"]["AgentId"];
            /** @description Whether a live lease was revoked (`reason: admin`). */
            revoked: boolean;
        };
        TransferRequest: {
            /** @description The new owner's key. */
            publicKey: components["schemas"]["PublicKey"];
        };
        TransferResult: {
            /** @constant */
            ok: true;
            /** @description The owner the id had; absent when it was not owned. */
            previous?: components["schemas"]["AgentId"];
            /** @description Whether another agent's live lease of the id was revoked (`reason: admin`). */
            revoked: boolean;
            /** @description The new owner (the agent id of `publicKey`). */
            owner: components["schemas"]["AgentId"];
        };
        /** @description The body of a `world.announced` webhook. */
        WebhookWorldAnnounced: {
            /** @constant */
            event: "world.announced";
            agentId: components["schemas"]["AgentId"];
            worldId: components["schemas"]["WorldId"];
            /** @description When the lease was granted. */
            ts: components["schemas"]["Timestamp"];
        };
        /** @description The body of a `world.expired` webhook. */
        WebhookWorldExpired: {
            /** @constant */
            event: "world.expired";
            agentId: components["schemas"]["AgentId"];
            worldId: components["schemas"]["WorldId"];
            /** @description When the lease ended. */
            ts: components["schemas"]["Timestamp"];
            reason: components["schemas"]["ExpiryReason"];
        };
        /** @description The body of a `world.owner_changed` webhook. */
        WebhookWorldOwnerChanged: {
            /** @constant */
            event: "world.owner_changed";
            /** @description The new owner, or the previous one when the id was released. */
            agentId: components["schemas"]["AgentId"];
            worldId: components["schemas"]["WorldId"];
            ts: components["schemas"]["Timestamp"];
            /** @description The previous owner; `null` when the id had none. */
            previousOwner: components["schemas"]["NullableAgentId"];
            /** @description The new owner; `null` when the id was released. */
            owner: components["schemas"]["NullableAgentId"];
            cause: components["schemas"]["OwnerChangeCause"];
        };
        /** @description The body of an `agent.expired` webhook (an admin revoked an agent that hosts no world). */
        WebhookAgentExpired: {
            /** @constant */
            event: "agent.expired";
            agentId: components["schemas"]["AgentId"];
            /** @description When the lease was revoked. */
            ts: components["schemas"]["Timestamp"];
            /**
             * @description Always `admin`; the other reasons are not webhooks for agents.
             * @constant
             */
            reason: "admin";
        };
        /**
         * @description A world's state as it posts it; any fields beside `worldId` are the world's own.
         * @example {
         *       "worldId": "pixel-city",
         *       "worldName": "Pixel City",
         *       "agents": []
         *     }
         */
        WorldStateContent: {
            worldId: components["schemas"]["WorldId"];
        } & {
            [key: string]: unknown;
        };
        /** @description A JSON object whose fields belong to the world. */
        JsonObject: {
            [key: string]: unknown;
        };
        /** @description Any JSON value; its meaning belongs to the world. */
        JsonValue: unknown;
        /** @description A frame a browser sends on `/ws`. */
        WsClientFrame: components["schemas"]["WsJoinFrame"] | components["schemas"]["WsActionFrame"] | components["schemas"]["WsLeaveFrame"];
        /**
         * @description Join the world as an agent.
         * @example {
         *       "type": "join",
         *       "alias": "Ada"
         *     }
         */
        WsJoinFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "join";
            alias?: string;
            data?: components["schemas"]["JsonObject"];
        };
        /**
         * @description Act in the world: the action in `data`, or (the older form) the action's fields beside
         *     `type`.
         * @example {
         *       "type": "action",
         *       "data": {
         *         "move": "north"
         *       }
         *     }
         * @example {
         *       "type": "action",
         *       "move": "north"
         *     }
         */
        WsActionFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "action";
            data?: components["schemas"]["JsonObject"];
        } & {
            [key: string]: unknown;
        };
        /**
         * @description Leave the world.
         * @example {
         *       "type": "leave"
         *     }
         */
        WsLeaveFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "leave";
        };
        /** @description A frame the gateway sends on `/ws`. */
        WsServerFrame: components["schemas"]["WsSubscribedFrame"] | components["schemas"]["WsJoinResultFrame"] | components["schemas"]["WsActionResultFrame"] | components["schemas"]["WsLeaveResultFrame"] | components["schemas"]["WsWorldStateFrame"] | components["schemas"]["WsErrorFrame"];
        /**
         * @description Sent once after the upgrade; state frames for `worldId` follow.
         * @example {
         *       "type": "subscribed",
         *       "worldId": "pixel-city"
         *     }
         */
        WsSubscribedFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "subscribed";
            worldId: components["schemas"]["WorldId"];
        };
        /**
         * @description The world's answer to a `join`: `ok` and the other fields of the world's answer body
         *     (typically `manifest` and `state`); `error` when it refused or could not be reached.
         * @example {
         *       "type": "join_result",
         *       "ok": true,
         *       "manifest": {
         *         "name": "Pixel City"
         *       },
         *       "state": {
         *         "agents": []
         *       }
         *     }
         * @example {
         *       "type": "join_result",
         *       "ok": false,
         *       "error": "world is full"
         *     }
         */
        WsJoinResultFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "join_result";
            ok: boolean;
            manifest?: components["schemas"]["JsonObject"];
            state?: components["schemas"]["JsonValue"];
            error?: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description The world's answer to an `action`: `ok` and the other fields of the world's answer body
         *     (typically `state`); `error` when it refused or could not be reached.
         * @example {
         *       "type": "action_result",
         *       "ok": true,
         *       "state": {
         *         "agents": []
         *       }
         *     }
         */
        WsActionResultFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "action_result";
            ok: boolean;
            state?: components["schemas"]["JsonValue"];
            error?: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description The world's answer to a `leave`: `ok` and the other fields of the world's answer body;
         *     `error` when it refused or could not be reached.
         * @example {
         *       "type": "leave_result",
         *       "ok": true
         *     }
         */
        WsLeaveResultFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "leave_result";
            ok: boolean;
            error?: string;
        } & {
            [key: string]: unknown;
        };
        /**
         * @description A state the world posted to `POST /peer/message` or `POST /messages`, decoded from its
         *     `content`.
         * @example {
         *       "type": "world.state",
         *       "worldId": "pixel-city",
         *       "state": {
         *         "worldId": "pixel-city",
         *         "worldName": "Pixel City",
         *         "agents": []
         *       },
         *       "ts": 1774276670000
         *     }
         */
        WsWorldStateFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "world.state";
            worldId: components["schemas"]["WorldId"];
            /**
             * @description From the world's `world.state` message: the `state` field of its decoded `content`
             *     when it has one, else the whole decoded `content`.
             */
            state: components["schemas"]["JsonValue"];
            /** @description The message's `timestamp`. */
            ts: components["schemas"]["Timestamp"];
        };
        /**
         * @description Something went wrong. After a missing or unknown world, a directory that cannot be
         *     reached, or the end of the world's lease, the socket closes (code 1008).
         * @example {
         *       "type": "error",
         *       "message": "no live world pixel-city"
         *     }
         * @example {
         *       "type": "error",
         *       "message": "world went offline (deregistered)"
         *     }
         */
        WsErrorFrame: {
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "error";
            message: string;
        };
    };
    responses: {
        /** @description `limit` is not an integer from 1 to 1000, or `cursor` is not a cursor this gateway issued. */
        BadPage: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The directory's store cannot be reached: try again after `Retry-After` seconds. Never a
         *     404 (the lease is not known to be gone) and never a hang.
         */
        StoreUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The gateway is up. */
        Pong: {
            headers: {
                "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Ping"];
            };
        };
        /** @description The live world. */
        LiveWorld: {
            headers: {
                "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["World"];
            };
        };
        /** @description `agentId` is not an `aw:sha256:` agent id. */
        InvalidAgentId: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The admin API is off (no `GATEWAY_ADMIN_TOKEN`), or the bearer token is missing or wrong.
         *     A refused token spends the client's `BAD_SIGNATURE_RATE` quota.
         */
        AdminForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description This address's `BAD_SIGNATURE_RATE` quota is spent (by refused tokens or signatures); even
         *     the right token waits `Retry-After` seconds.
         */
        AdminQuota: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `worldId` is not a valid world id. */
        AdminInvalidWorldId: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The world id is neither owned nor held by a live lease. */
        AdminWorldUnknown: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The body is not UTF-8 JSON, a field is missing or has the wrong type or size (the error
         *     names the field; see "Limits"), `X-AgentWorld-Version` is not a version spoken here, or
         *     `timestamp` is more than 5 minutes from the gateway's clock.
         */
        AnnounceBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `from` is not the agent id of `publicKey`, or neither the body signature (under any
         *     version's separator, or the declared version's) nor the request-signature headers verify.
         *     Spends a `BAD_SIGNATURE_RATE` token.
         */
        SignedForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `timestamp` is not newer than that of the last announce accepted from this agent (a
         *     replay), the world id is owned by another key (`owned` policy), or it is held by another
         *     live agent.
         */
        AnnounceConflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than 8192 bytes (refused as the bytes arrive). */
        AnnounceTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description This address's `BAD_SIGNATURE_RATE` quota is spent (checked before anything is verified),
         *     its `NEW_LEASE_RATE` quota is spent and the announce would grant a new lease, or it already
         *     holds `MAX_LEASES_PER_ADDRESS` live leases (a slot frees when one of them ends). Each with
         *     `Retry-After`.
         */
        AnnounceTooMany: {
            headers: {
                /**
                 * @description Seconds until the spent quota has a token again; for the lease cap, 30 (a slot frees
                 *     within a TTL as leases end).
                 * @example 60
                 */
                "Retry-After": number;
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The directory holds `MAX_AGENTS` live agents and a new agent is refused (`Retry-After:
         *     30`), or the directory's store cannot be reached (`Retry-After: 5`). A live agent's
         *     re-announce is never refused for capacity.
         */
        AnnounceUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The lease is renewed. */
        Renewed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Ok"];
            };
        };
        /**
         * @description The body is not UTF-8 JSON, a field is missing or has the wrong type, or `ts` is more
         *     than 5 minutes from the gateway's clock.
         */
        HeartbeatBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The signature does not verify under the key of the live lease (with `aw:hb:`, or the
         *     lease's version's separator). Spends a `BAD_SIGNATURE_RATE` token.
         */
        BadSignature: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No live lease for `agentId` (never granted, ended, or expired); announce again. */
        LeaseGone: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `ts` is not newer than the last heartbeat or deregistration accepted (a replay). */
        HeartbeatReplay: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than 1024 bytes (refused as the bytes arrive). */
        SmallBodyTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description This address's `BAD_SIGNATURE_RATE` quota is spent: nothing is verified until
         *     `Retry-After` seconds have passed.
         */
        SignatureQuota: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Accepted and relayed to the world's watchers; `delivered` counts this replica's. */
        Relayed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["MessageResult"];
            };
        };
        /**
         * @description The body is not UTF-8 JSON, a field is missing or has the wrong type, `X-AgentWorld-Version`
         *     is not spoken here, `timestamp` is more than 5 minutes from the gateway's clock, `event`
         *     is not `world.state`, or `content` is not a JSON-encoded `WorldStateContent`.
         */
        MessageBadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `from` is not the agent id of `publicKey`, neither the body signature nor the
         *     request-signature headers verify (these spend a `BAD_SIGNATURE_RATE` token), or the
         *     sender is not the agent currently hosting the world.
         */
        MessageForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No live world has the `worldId` named in `content`. */
        MessageNoWorld: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `timestamp` is not newer than the last `world.state` accepted for the world. */
        MessageReplay: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than 262144 bytes (256 KiB). */
        MessageTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description Any 2xx status within 5 s acknowledges the delivery; its body is ignored. Anything else is
         *     a failed attempt, retried.
         */
        WebhookAccepted: {
            headers: {
                [name: string]: unknown;
            };
            content?: never;
        };
    };
    parameters: {
        /**
         * @description The `ETag` of a cached copy; 304 when it is current.
         * @example "dXfGrQ9whCP-wv3Z"
         */
        IfNoneMatch: string;
        /**
         * @description The file's version, as the page references it; then it is cached for a year.
         * @example GgeklwJqRr
         */
        AssetVersion: string;
        /**
         * @description The most items to return.
         * @example 100
         */
        Limit: number;
        /**
         * @description The `nextCursor` of the previous page, as it was; opaque.
         * @example MTc3NDI3NjY3MDAwMDpwaXhlbC1jaXR5
         */
        Cursor: string;
        /**
         * @description A world id (slug).
         * @example pixel-city
         */
        WorldIdPath: components["schemas"]["WorldId"];
        /**
         * @description A world's `aw:sha256:` key id (percent-encoded or not) or its slug.
         * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
         */
        WorldRefPath: components["schemas"]["WorldRef"];
        /**
         * @description An agent id, percent-encoded or not.
         * @example aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9
         */
        AgentIdPath: components["schemas"]["AgentIdSegment"];
        /**
         * @description Request signature: the protocol version, which picks the separators of the headers and of
         *     the body signature. Any other value is refused with 400.
         * @example 1.6
         */
        SigVersion: components["schemas"]["ProtocolVersion"];
        /** @description Request signature: the sender's agent id. */
        SigFrom: components["schemas"]["AgentId"];
        /**
         * @description Request signature: the key id, `#identity`.
         * @example #identity
         */
        SigKeyId: string;
        /**
         * @description Request signature: ISO-8601 UTC signing time, within ±5 minutes.
         * @example 2026-03-23T14:37:50.000Z
         */
        SigTimestamp: string;
        /**
         * @description Request signature: `sha-256=:<base64 SHA-256 of the body>:`.
         * @example sha-256=:l88ahtalLB+dYvbWmMrNUD2Wou4YeuBAF5TRKlA0cvM=:
         */
        ContentDigest: string;
        /** @description Request signature, base64, under the version's `HTTP_REQUEST` separator (`AgentWorld-Req-<v>\0`). */
        SigSignature: components["schemas"]["Signature"];
        /**
         * @description `msg_` + the change's event id (the same id `/watch` gives it): the same on every attempt
         *     and from every replica, so a receiver deduplicates by it.
         * @example msg_3f9c2a1b.42
         */
        WebhookId: string;
        /**
         * @description When this attempt was sent, in whole seconds since the epoch.
         * @example 1774276670
         */
        WebhookTimestamp: number;
        /**
         * @description Sent when `WEBHOOK_SECRET` is set: `v1,` + base64 HMAC-SHA256, keyed with the secret's
         *     base64-decoded key, of `<webhook-id>.<webhook-timestamp>.<body>` (Standard Webhooks), as
         *     every stock verifier checks it.
         * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
         */
        WebhookSignature: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Seconds to wait before trying again.
         * @example 5
         */
        RetryAfter: number;
        /**
         * @description The version of this representation; send it back in `If-None-Match`.
         * @example "dXfGrQ9whCP-wv3Z"
         */
        ETag: string;
        /** @description Cached copies are revalidated on every use. */
        Revalidate: "no-cache";
        /**
         * @description Only this origin's script, style, images and connections; nothing inline.
         * @example default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'
         */
        PageCsp: string;
        /**
         * @description The page's policy plus `img-src data:` for Swagger UI's icons.
         * @example default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'
         */
        DocsCsp: string;
        /** @description Reads are open to every origin. */
        AccessControlAllowOrigin: "*";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The gateway is serving. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /**
             * @description The directory's store cannot be reached. The body is `HealthUnavailable`, which
             *     carries `error` like every error body.
             */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthUnavailable"];
                };
            };
        };
    };
    getLive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process serves. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Live"];
                };
            };
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The gateway serves, its store is reachable, and it is not warming up. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ready"];
                };
            };
            /**
             * @description Not ready; `error` gives every reason (`; `-separated). A liveness check should use
             *     `/livez` instead.
             */
            503: {
                headers: {
                    /**
                     * @description Seconds before asking again: 5, or until warming ends at the latest.
                     * @example 5
                     */
                    "Retry-After"?: number;
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The metrics. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    pingResource: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Pong"];
        };
    };
    ping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Pong"];
        };
    };
    getAgentCard: {
        parameters: {
            query?: {
                /**
                 * @description The protocol version to sign the card in.
                 * @example 1.2
                 */
                version?: components["schemas"]["ProtocolVersion"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed card. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    /** @description The card may be cached for five minutes, as the reference gateway's. */
                    "Cache-Control": "public, max-age=300";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentCard"];
                };
            };
            /** @description `version` is not a protocol version spoken here. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWorlds: {
        parameters: {
            query?: {
                /**
                 * @description The most items to return.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description The `nextCursor` of the previous page, as it was; opaque.
                 * @example MTc3NDI3NjY3MDAwMDpwaXhlbC1jaXR5
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of live worlds. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorldPage"];
                };
            };
            400: components["responses"]["BadPage"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getWorldByRef: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world's `aw:sha256:` key id (percent-encoded or not) or its slug.
                 * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
                 */
                worldId: components["parameters"]["WorldRefPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["LiveWorld"];
            /** @description `worldId` is neither an `aw:sha256:` key id nor a world id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No live world has this key id or slug. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["StoreUnavailable"];
        };
    };
    removeWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world's `aw:sha256:` key id (percent-encoded or not) or its slug.
                 * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
                 */
                worldId: components["parameters"]["WorldRefPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The lease was revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WorldRemoved"];
                };
            };
            403: components["responses"]["AdminForbidden"];
            /** @description No live world has this slug or key id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["AdminQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["LiveWorld"];
            /** @description `worldId` is not a valid world id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No live world has this id (never announced, or its lease ended). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["StoreUnavailable"];
        };
    };
    listAgents: {
        parameters: {
            query?: {
                /**
                 * @description The most items to return.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description The `nextCursor` of the previous page, as it was; opaque.
                 * @example MTc3NDI3NjY3MDAwMDpwaXhlbC1jaXR5
                 */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of live agents. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentPage"];
                };
            };
            400: components["responses"]["BadPage"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    announceAgent: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Request signature: the protocol version, which picks the separators of the headers and of
                 *     the body signature. Any other value is refused with 400.
                 * @example 1.6
                 */
                "X-AgentWorld-Version"?: components["parameters"]["SigVersion"];
                /** @description Request signature: the sender's agent id. */
                "X-AgentWorld-From"?: components["parameters"]["SigFrom"];
                /**
                 * @description Request signature: the key id, `#identity`.
                 * @example #identity
                 */
                "X-AgentWorld-KeyId"?: components["parameters"]["SigKeyId"];
                /**
                 * @description Request signature: ISO-8601 UTC signing time, within ±5 minutes.
                 * @example 2026-03-23T14:37:50.000Z
                 */
                "X-AgentWorld-Timestamp"?: components["parameters"]["SigTimestamp"];
                /**
                 * @description Request signature: `sha-256=:<base64 SHA-256 of the body>:`.
                 * @example sha-256=:l88ahtalLB+dYvbWmMrNUD2Wou4YeuBAF5TRKlA0cvM=:
                 */
                "Content-Digest"?: components["parameters"]["ContentDigest"];
                /** @description Request signature, base64, under the version's `HTTP_REQUEST` separator (`AgentWorld-Req-<v>\0`). */
                "X-AgentWorld-Signature"?: components["parameters"]["SigSignature"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 8192 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Announce"];
            };
        };
        responses: {
            /** @description Accepted; the lease is granted or renewed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentsAnnounceResult"];
                };
            };
            400: components["responses"]["AnnounceBadRequest"];
            403: components["responses"]["SignedForbidden"];
            409: components["responses"]["AnnounceConflict"];
            413: components["responses"]["AnnounceTooLarge"];
            429: components["responses"]["AnnounceTooMany"];
            503: components["responses"]["AnnounceUnavailable"];
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description An agent id, percent-encoded or not.
                 * @example aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9
                 */
                agentId: components["parameters"]["AgentIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live agent. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["InvalidAgentId"];
            /** @description No live agent has this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["StoreUnavailable"];
        };
    };
    removeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description An agent id, percent-encoded or not.
                 * @example aw:sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9
                 */
                agentId: components["parameters"]["AgentIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The lease was revoked. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ok"];
                };
            };
            /** @description `agentId` is not an `aw:sha256:` agent id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: components["responses"]["AdminForbidden"];
            /** @description No live agent has this id. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["AdminQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    listPeers: {
        parameters: {
            query?: {
                /**
                 * @description The most items to return.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Live peers. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PeerList"];
                };
            };
            /** @description `limit` is not an integer from 1 to 1000. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["StoreUnavailable"];
        };
    };
    watchDirectory: {
        parameters: {
            query?: {
                /**
                 * @description Resume after this event id (a listing's `revision` or an event's `id`).
                 * @example 3f9c2a1b.42
                 */
                since?: components["schemas"]["EventId"];
                /**
                 * @description Only this world's `world.*` events (and `hello`/`reset`).
                 * @example pixel-city
                 */
                world?: components["schemas"]["WorldId"];
                /**
                 * @description `1`: `agent.*` events as well (agents that host no world).
                 * @example 1
                 */
                agents?: "0" | "1" | "false" | "true";
            };
            header?: {
                /**
                 * @description Resume after this event id; sent by `EventSource` when it reconnects.
                 * @example 3f9c2a1b.42
                 */
                "Last-Event-ID"?: components["schemas"]["EventId"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream. */
            200: {
                headers: {
                    /** @description Never cached, never transformed (compressed) on the way. */
                    "Cache-Control"?: "no-store, no-transform";
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description `world`, `agents`, `since` or `Last-Event-ID` is malformed. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description Too many `/watch` clients, in all (1000) or from this address (16). Retry after
             *     `Retry-After` seconds.
             */
            429: {
                headers: {
                    /**
                     * @description Seconds to wait before connecting again.
                     * @example 5
                     */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            503: components["responses"]["StoreUnavailable"];
        };
    };
    announce: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Request signature: the protocol version, which picks the separators of the headers and of
                 *     the body signature. Any other value is refused with 400.
                 * @example 1.6
                 */
                "X-AgentWorld-Version"?: components["parameters"]["SigVersion"];
                /** @description Request signature: the sender's agent id. */
                "X-AgentWorld-From"?: components["parameters"]["SigFrom"];
                /**
                 * @description Request signature: the key id, `#identity`.
                 * @example #identity
                 */
                "X-AgentWorld-KeyId"?: components["parameters"]["SigKeyId"];
                /**
                 * @description Request signature: ISO-8601 UTC signing time, within ±5 minutes.
                 * @example 2026-03-23T14:37:50.000Z
                 */
                "X-AgentWorld-Timestamp"?: components["parameters"]["SigTimestamp"];
                /**
                 * @description Request signature: `sha-256=:<base64 SHA-256 of the body>:`.
                 * @example sha-256=:l88ahtalLB+dYvbWmMrNUD2Wou4YeuBAF5TRKlA0cvM=:
                 */
                "Content-Digest"?: components["parameters"]["ContentDigest"];
                /** @description Request signature, base64, under the version's `HTTP_REQUEST` separator (`AgentWorld-Req-<v>\0`). */
                "X-AgentWorld-Signature"?: components["parameters"]["SigSignature"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 8192 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Announce"];
            };
        };
        responses: {
            /** @description Accepted; the lease is granted or renewed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnnounceResult"];
                };
            };
            400: components["responses"]["AnnounceBadRequest"];
            403: components["responses"]["SignedForbidden"];
            409: components["responses"]["AnnounceConflict"];
            413: components["responses"]["AnnounceTooLarge"];
            429: components["responses"]["AnnounceTooMany"];
            503: components["responses"]["AnnounceUnavailable"];
        };
    };
    heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description At most 1024 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Heartbeat"];
            };
        };
        responses: {
            200: components["responses"]["Renewed"];
            400: components["responses"]["HeartbeatBadRequest"];
            403: components["responses"]["BadSignature"];
            404: components["responses"]["LeaseGone"];
            409: components["responses"]["HeartbeatReplay"];
            413: components["responses"]["SmallBodyTooLarge"];
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    heartbeatWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The world's key id, percent-encoded or not.
                 * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
                 */
                worldId: components["schemas"]["AgentIdSegment"];
            };
            cookie?: never;
        };
        /** @description At most 1024 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResourceHeartbeat"];
            };
        };
        responses: {
            200: components["responses"]["Renewed"];
            400: components["responses"]["HeartbeatBadRequest"];
            403: components["responses"]["BadSignature"];
            /**
             * @description No live lease for this key id (unknown, ended or expired: announce again), or the path
             *     id is not an `aw:sha256:` id.
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: components["responses"]["HeartbeatReplay"];
            413: components["responses"]["SmallBodyTooLarge"];
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    heartbeatAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The agent's id, percent-encoded or not.
                 * @example aw%3Asha256%3A39f713d0a644253f04529421b9f51b9b08979d08295959c4f3990ee617f5139f
                 */
                agentId: components["schemas"]["AgentIdSegment"];
            };
            cookie?: never;
        };
        /** @description At most 1024 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResourceHeartbeat"];
            };
        };
        responses: {
            200: components["responses"]["Renewed"];
            400: components["responses"]["HeartbeatBadRequest"];
            403: components["responses"]["BadSignature"];
            /**
             * @description No live lease for this id (unknown, ended or expired: announce again), or the path id
             *     is not an `aw:sha256:` id.
             */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            409: components["responses"]["HeartbeatReplay"];
            413: components["responses"]["SmallBodyTooLarge"];
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    deregister: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description At most 1024 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Deregistration"];
            };
        };
        responses: {
            /** @description The lease ended. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ok"];
                };
            };
            400: components["responses"]["HeartbeatBadRequest"];
            403: components["responses"]["BadSignature"];
            /** @description No live lease for `agentId` (unknown, already ended or expired). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ts` is not newer than the last heartbeat or deregistration accepted (a replay). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["SmallBodyTooLarge"];
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    rotateKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description At most 4096 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["KeyRotation"];
            };
        };
        responses: {
            /** @description Rotated. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KeyRotationResult"];
                };
            };
            /**
             * @description The body is not JSON, a field is missing or malformed (the error names it), `type` is
             *     not `agentworld-identity-rotation`, `version` is not spoken here, an agent id is not its
             *     key's, both keys are the same, or `timestamp` is more than 5 minutes from the clock.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description A proof does not verify. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The old key owns no world id and holds no live lease here. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description The rotation is not newer than the old key's last announce, heartbeat or
             *     deregistration, or than a binding it would move: a replay of an earlier one, or a
             *     rotation signed before the old key's latest message.
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 4096 bytes. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    postMessage: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Request signature: the protocol version, which picks the separators of the headers and of
                 *     the body signature. Any other value is refused with 400.
                 * @example 1.6
                 */
                "X-AgentWorld-Version"?: components["parameters"]["SigVersion"];
                /** @description Request signature: the sender's agent id. */
                "X-AgentWorld-From"?: components["parameters"]["SigFrom"];
                /**
                 * @description Request signature: the key id, `#identity`.
                 * @example #identity
                 */
                "X-AgentWorld-KeyId"?: components["parameters"]["SigKeyId"];
                /**
                 * @description Request signature: ISO-8601 UTC signing time, within ±5 minutes.
                 * @example 2026-03-23T14:37:50.000Z
                 */
                "X-AgentWorld-Timestamp"?: components["parameters"]["SigTimestamp"];
                /**
                 * @description Request signature: `sha-256=:<base64 SHA-256 of the body>:`.
                 * @example sha-256=:l88ahtalLB+dYvbWmMrNUD2Wou4YeuBAF5TRKlA0cvM=:
                 */
                "Content-Digest"?: components["parameters"]["ContentDigest"];
                /** @description Request signature, base64, under the version's `HTTP_REQUEST` separator (`AgentWorld-Req-<v>\0`). */
                "X-AgentWorld-Signature"?: components["parameters"]["SigSignature"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 262144 bytes (256 KiB; `x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PeerMessage"];
            };
        };
        responses: {
            200: components["responses"]["Relayed"];
            400: components["responses"]["MessageBadRequest"];
            403: components["responses"]["MessageForbidden"];
            404: components["responses"]["MessageNoWorld"];
            409: components["responses"]["MessageReplay"];
            413: components["responses"]["MessageTooLarge"];
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    postMessageResource: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Request signature: the protocol version, which picks the separators of the headers and of
                 *     the body signature. Any other value is refused with 400.
                 * @example 1.6
                 */
                "X-AgentWorld-Version"?: components["parameters"]["SigVersion"];
                /** @description Request signature: the sender's agent id. */
                "X-AgentWorld-From"?: components["parameters"]["SigFrom"];
                /**
                 * @description Request signature: the key id, `#identity`.
                 * @example #identity
                 */
                "X-AgentWorld-KeyId"?: components["parameters"]["SigKeyId"];
                /**
                 * @description Request signature: ISO-8601 UTC signing time, within ±5 minutes.
                 * @example 2026-03-23T14:37:50.000Z
                 */
                "X-AgentWorld-Timestamp"?: components["parameters"]["SigTimestamp"];
                /**
                 * @description Request signature: `sha-256=:<base64 SHA-256 of the body>:`.
                 * @example sha-256=:l88ahtalLB+dYvbWmMrNUD2Wou4YeuBAF5TRKlA0cvM=:
                 */
                "Content-Digest"?: components["parameters"]["ContentDigest"];
                /** @description Request signature, base64, under the version's `HTTP_REQUEST` separator (`AgentWorld-Req-<v>\0`). */
                "X-AgentWorld-Signature"?: components["parameters"]["SigSignature"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 262144 bytes (256 KiB; `x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PeerMessage"];
            };
        };
        responses: {
            200: components["responses"]["Relayed"];
            400: components["responses"]["MessageBadRequest"];
            403: components["responses"]["MessageForbidden"];
            404: components["responses"]["MessageNoWorld"];
            409: components["responses"]["MessageReplay"];
            413: components["responses"]["MessageTooLarge"];
            429: components["responses"]["SignatureQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    watchWorld: {
        parameters: {
            query: {
                /**
                 * @description The world to watch: its slug (the directory's `worldId`) or its `aw:sha256:` key id
                 *     (what 1.4+ clients call its worldId), as `GET /worlds/{worldId}` takes. Either way the
                 *     `subscribed` frame names it by its slug, and watchers of one world share its caps.
                 * @example pixel-city
                 */
                world: components["schemas"]["WorldRef"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /**
             * @description Switched to the WebSocket protocol; frames as in `x-websocket`. A frame whose header
             *     announces a message over 64 KiB closes the socket with 1009 before its payload is
             *     read; a frame over 16 KiB gets an `error` frame. A watcher that falls 1 MiB behind
             *     the frames queued for it is closed with 1013 `watcher too slow`; a socket silent for
             *     60 s is pinged and closed (1001) if nothing answers.
             */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description A malformed WebSocket handshake: not a `GET`, no `Connection: upgrade`, or a
             *     `Sec-WebSocket-Key` that is not the base64 of 16 bytes.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description The request is not a WebSocket upgrade, or asks for a `Sec-WebSocket-Version` other
             *     than 13 (the answer then carries `Sec-WebSocket-Version: 13`).
             */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description The client's upgrade quota is spent, or it (or the world) already has the most
             *     watchers allowed.
             */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The gateway already holds its most watchers (`MAX_WATCHERS`). */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    adminListWorlds: {
        parameters: {
            query?: {
                /**
                 * @description The most items to return.
                 * @example 100
                 */
                limit?: components["parameters"]["Limit"];
                /**
                 * @description The `next` of the previous page (the last world id listed).
                 * @example pixel-city
                 */
                after?: components["schemas"]["WorldId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of owned world ids. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminWorldPage"];
                };
            };
            /** @description `limit` is not an integer from 1 to 1000, or `after` is not a world id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: components["responses"]["AdminForbidden"];
            429: components["responses"]["AdminQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    adminGetWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The world id's owner and lease. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AdminWorld"];
                };
            };
            400: components["responses"]["AdminInvalidWorldId"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminWorldUnknown"];
            429: components["responses"]["AdminQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    adminReleaseWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Released. `previous` is the owner it had (absent when it was only held live). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReleaseResult"];
                };
            };
            400: components["responses"]["AdminInvalidWorldId"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["AdminWorldUnknown"];
            429: components["responses"]["AdminQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    adminTransferWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description A world id (slug).
                 * @example pixel-city
                 */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        /** @description At most 4096 bytes (`x-max-bytes`). */
        requestBody: {
            content: {
                "application/json": components["schemas"]["TransferRequest"];
            };
        };
        responses: {
            /** @description Transferred. `previous` is the owner it had (absent when it had none). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransferResult"];
                };
            };
            /**
             * @description `worldId` is not a world id, the body is not JSON, or it is not
             *     `{"publicKey": <base64 of a 32-byte key>}`.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            403: components["responses"]["AdminForbidden"];
            /** @description World ids are not owned under the `live-holder` policy. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 4096 bytes. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            429: components["responses"]["AdminQuota"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getDirectoryPage: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The `ETag` of a cached copy; 304 when it is current.
                 * @example "dXfGrQ9whCP-wv3Z"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The page. */
            200: {
                headers: {
                    "Content-Security-Policy": components["headers"]["PageCsp"];
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["Revalidate"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `If-None-Match` names the current `ETag`: the cached copy is current. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The `ETag` of a cached copy; 304 when it is current.
                 * @example "dXfGrQ9whCP-wv3Z"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The docs page. */
            200: {
                headers: {
                    "Content-Security-Policy": components["headers"]["DocsCsp"];
                    ETag: components["headers"]["ETag"];
                    "Cache-Control": components["headers"]["Revalidate"];
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description `If-None-Match` names the current `ETag`: the cached copy is current. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPageAsset: {
        parameters: {
            query?: {
                /**
                 * @description The file's version, as the page references it; then it is cached for a year.
                 * @example GgeklwJqRr
                 */
                v?: components["parameters"]["AssetVersion"];
            };
            header?: {
                /**
                 * @description The `ETag` of a cached copy; 304 when it is current.
                 * @example "dXfGrQ9whCP-wv3Z"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @example app.js */
                file: "app.js" | "app.css" | "icon.svg";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    /** @example // The live directory */
                    "text/javascript": string;
                    /** @example :root { color-scheme: light dark; } */
                    "text/css": string;
                    /** @example <svg xmlns="http://www.w3.org/2000/svg"></svg> */
                    "image/svg+xml": string;
                };
            };
            /** @description `If-None-Match` names the current `ETag`. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such file. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDocsAsset: {
        parameters: {
            query?: {
                /**
                 * @description The file's version, as the page references it; then it is cached for a year.
                 * @example GgeklwJqRr
                 */
                v?: components["parameters"]["AssetVersion"];
            };
            header?: {
                /**
                 * @description The `ETag` of a cached copy; 304 when it is current.
                 * @example "dXfGrQ9whCP-wv3Z"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /** @example swagger-ui-bundle.js */
                file: "docs.js" | "docs.css" | "swagger-ui-bundle.js" | "swagger-ui.css";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    /** @example // Renders this gateway's openapi.yaml with Swagger UI */
                    "text/javascript": string;
                    /** @example .swagger-ui { font-family: sans-serif; } */
                    "text/css": string;
                };
            };
            /** @description `If-None-Match` names the current `ETag`. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such file. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document of this gateway. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/yaml": string;
                };
            };
        };
    };
    worldAnnouncedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description `msg_` + the change's event id (the same id `/watch` gives it): the same on every attempt
                 *     and from every replica, so a receiver deduplicates by it.
                 * @example msg_3f9c2a1b.42
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in whole seconds since the epoch.
                 * @example 1774276670
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description Sent when `WEBHOOK_SECRET` is set: `v1,` + base64 HMAC-SHA256, keyed with the secret's
                 *     base64-decoded key, of `<webhook-id>.<webhook-timestamp>.<body>` (Standard Webhooks), as
                 *     every stock verifier checks it.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature"?: components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookWorldAnnounced"];
            };
        };
        responses: {
            "2XX": components["responses"]["WebhookAccepted"];
        };
    };
    worldExpiredWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description `msg_` + the change's event id (the same id `/watch` gives it): the same on every attempt
                 *     and from every replica, so a receiver deduplicates by it.
                 * @example msg_3f9c2a1b.42
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in whole seconds since the epoch.
                 * @example 1774276670
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description Sent when `WEBHOOK_SECRET` is set: `v1,` + base64 HMAC-SHA256, keyed with the secret's
                 *     base64-decoded key, of `<webhook-id>.<webhook-timestamp>.<body>` (Standard Webhooks), as
                 *     every stock verifier checks it.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature"?: components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookWorldExpired"];
            };
        };
        responses: {
            "2XX": components["responses"]["WebhookAccepted"];
        };
    };
    worldOwnerChangedWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description `msg_` + the change's event id (the same id `/watch` gives it): the same on every attempt
                 *     and from every replica, so a receiver deduplicates by it.
                 * @example msg_3f9c2a1b.42
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in whole seconds since the epoch.
                 * @example 1774276670
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description Sent when `WEBHOOK_SECRET` is set: `v1,` + base64 HMAC-SHA256, keyed with the secret's
                 *     base64-decoded key, of `<webhook-id>.<webhook-timestamp>.<body>` (Standard Webhooks), as
                 *     every stock verifier checks it.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature"?: components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookWorldOwnerChanged"];
            };
        };
        responses: {
            "2XX": components["responses"]["WebhookAccepted"];
        };
    };
    agentExpiredWebhook: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description `msg_` + the change's event id (the same id `/watch` gives it): the same on every attempt
                 *     and from every replica, so a receiver deduplicates by it.
                 * @example msg_3f9c2a1b.42
                 */
                "webhook-id": components["parameters"]["WebhookId"];
                /**
                 * @description When this attempt was sent, in whole seconds since the epoch.
                 * @example 1774276670
                 */
                "webhook-timestamp": components["parameters"]["WebhookTimestamp"];
                /**
                 * @description Sent when `WEBHOOK_SECRET` is set: `v1,` + base64 HMAC-SHA256, keyed with the secret's
                 *     base64-decoded key, of `<webhook-id>.<webhook-timestamp>.<body>` (Standard Webhooks), as
                 *     every stock verifier checks it.
                 * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=
                 */
                "webhook-signature"?: components["parameters"]["WebhookSignature"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookAgentExpired"];
            };
        };
        responses: {
            "2XX": components["responses"]["WebhookAccepted"];
        };
    };
}
