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
         * The gateway's liveness and how many agents and worlds are live.
         * @description `status` is `warming` while the gateway has been up for less than one TTL (worlds that
         *     were live before a restart may not have heartbeated yet), otherwise `empty` when no agent
         *     is live, otherwise `ready`.
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
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a load balancer should send this gateway traffic (readiness).
         * @description Readiness, apart from liveness (`/health`), as Kubernetes probes and load balancers expect.
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
    "/worlds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live worlds, newest first, a page at a time.
         * @description Only worlds whose lease is live. Newest first by when their lease was granted, that is the
         *     announce that brought them online (renewing a live lease does not move a world). Pass the
         *     previous page's `nextCursor` as `cursor` for the next page; `nextCursor` is `null` on the
         *     last page. A world that expires between two pages is simply not on the later one.
         *     `revision` is the id of the newest change the listing reflects: `GET /watch?since=` it
         *     streams every change after it, so a client lists once and then follows the stream.
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
    "/world/{worldId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One live world, with its endpoints and how many browsers watch it. */
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
         *       longer holds that id (older than what it keeps, or from another gateway or an earlier
         *       run of this one), a `reset` event whose `data` is `{"revision": ...}`: list again
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
         *     | `world.updated` | the `/worlds` item: its name or reachability changed |
         *     | `world.expired` | `WorldExpiredEvent`: it went offline, and why |
         *     | `world.owner_changed` | `WorldOwnerChangedEvent` |
         *     | `agent.announced`, `agent.updated` | the `/agents` item (`Agent`); only with `agents=1` |
         *     | `agent.expired` | `AgentExpiredEvent`; only with `agents=1` |
         *     | `hello`, `reset` | `WatchRevision` |
         *
         *     A comment line (`: keep-alive`) is sent every 15 s so proxies keep the connection; on a
         *     filtered stream it may carry an `id:` alone, which moves the client's last event id past
         *     events it did not ask for without dispatching an event. A client that does not read its
         *     events is disconnected once 1 MiB is waiting for it; it reconnects with its last id.
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
    "/peer/ping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A cheap liveness probe for peers. */
        get: operations["ping"];
        put?: never;
        post?: never;
        delete?: never;
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
         * @description The body is signed under `AgentWorld-Announce-1.2\0` over the canonical JSON of every field
         *     of the body but `signature` (including fields this version does not know). The request is
         *     accepted when that signature verifies under `publicKey`, or when the request-signature
         *     headers verify under it. Either way `from` must be `aw:sha256:` + the hex SHA-256 of the
         *     raw `publicKey`.
         *
         *     An agent whose capabilities include `world:<worldId>` is a world; a world id can be held by
         *     only one live agent. A `timestamp` that is not greater than that of the last announce
         *     accepted from the same agent is a replay (409). The response lists up to 20 live peers so a
         *     new agent learns its neighbours.
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
         * Renew a live agent's lease.
         * @description `signature` is over the canonical JSON of `{agentId, ts}` (only those two fields) under
         *     `aw:hb:`, or under `AgentWorld-Heartbeat-1.2\0` as AgentWorld 1.2 worlds sign it, verified
         *     with the public key the agent announced. `ts` must be within ±5 minutes of the gateway's
         *     clock and greater than the last heartbeat `ts` accepted from the agent. Send one every
         *     30 s. A 404 means the lease is gone (never granted, or expired): announce again.
         */
        post: operations["heartbeat"];
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
         * @description Only the `world.state` event is accepted here. `content` is the JSON encoding of a
         *     `WorldStateContent` object, whose `worldId` names the world. The body is signed under
         *     `AgentWorld-Message-1.2\0` over the canonical JSON of every field but `signature`, or the
         *     request carries request-signature headers that verify; `from` must be the agent id of
         *     `publicKey` and the agent currently holding `world:<worldId>`. Each accepted message is
         *     relayed to the world's `/ws` subscribers as a `world.state` frame. `timestamp` must be
         *     within ±5 minutes and newer than the last message accepted from the sender.
         */
        post: operations["postMessage"];
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
         *     state the world posts to `POST /peer/message`.
         *
         *     Client to server (`WsClientFrame`): `{"type":"join","alias"?,"data"?}`,
         *     `{"type":"action","data":{...}}` (or the action's fields beside `type`),
         *     `{"type":"leave"}`. Server to client (`WsServerFrame`): `subscribed`, `join_result`,
         *     `action_result`, `leave_result`, `world.state`, `error`. The gateway relays `join`,
         *     `action` and `leave` to the world as signed `world.join`, `world.action` and `world.leave`
         *     peer messages from a guest identity of this socket, and the world's answer comes back as
         *     the matching `*_result` frame.
         *
         *     When `world` is missing or names no live world, the gateway completes the upgrade, sends
         *     one `{"type":"error","message":...}` frame and closes the socket.
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
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every 4xx body. `error` says what was wrong, naming the field when one was. */
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
         * @description Standard base64 (with padding) of the raw 32-byte Ed25519 public key.
         * @example PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw=
         */
        PublicKey: string;
        /** @description Standard base64 (with padding) of a 64-byte Ed25519 signature. */
        Signature: string;
        /**
         * @description 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit.
         * @example pixel-city
         */
        WorldId: string;
        /**
         * @description Where an agent can be reached.
         * @example {
         *       "address": "203.0.113.7",
         *       "port": 8099,
         *       "transport": "tcp",
         *       "priority": 1,
         *       "ttl": 3600
         *     }
         */
        Endpoint: {
            /** @description A DNS host name or an IP address (no scheme, port, path or userinfo). */
            address: string;
            port: number;
            /** @description The transport, e.g. `tcp`. */
            transport?: string;
            /** @description Lower is preferred. */
            priority?: number;
            /** @description Seconds the endpoint may be cached. */
            ttl?: number;
        };
        /** @description A capability, such as `world:<worldId>`, which makes the agent a world. */
        Capability: string;
        Health: {
            /** @constant */
            ok: true;
            ts: components["schemas"]["Timestamp"];
            agentId: components["schemas"]["AgentId"];
            /** @description Live agents (worlds included). */
            agents: number;
            /** @description Live worlds. */
            worlds: number;
            /** @description Milliseconds since this gateway's registry began serving. */
            registryAge: number;
            /**
             * @description `warming` while `registryAge` is less than one TTL; else `empty` when no agent is
             *     live; else `ready`.
             * @enum {string}
             */
            status: "ready" | "warming" | "empty";
        };
        /** @description The gateway is ready for traffic. */
        Ready: {
            /** @constant */
            ready: true;
        };
        Ping: {
            /** @constant */
            ok: true;
            ts: components["schemas"]["Timestamp"];
            agentId: components["schemas"]["AgentId"];
        };
        WorldSummary: {
            worldId: components["schemas"]["WorldId"];
            agentId: components["schemas"]["AgentId"];
            /** @description The world's `alias`. */
            name: string;
            /** @description Whether the world announced at least one endpoint. */
            reachable: boolean;
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
         *     goodbye, or stopped hosting the world), `admin` (an operator removed it), `rotated` (its
         *     key was replaced).
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
        /** @description `data` of `world.owner_changed`: the agent owning the world id changed. */
        WorldOwnerChangedEvent: {
            worldId: components["schemas"]["WorldId"];
            /** @description The previous owner's agent id; `null` when it had none. */
            previousOwner: string | null;
            /** @description The new owner's agent id; `null` when the id was released. */
            owner: string | null;
            at: components["schemas"]["Timestamp"];
        };
        WorldPage: {
            worlds: components["schemas"]["WorldSummary"][];
            /** @description The opaque cursor of the next page; `null` on the last page. */
            nextCursor: string | null;
            revision: components["schemas"]["Revision"];
        };
        World: {
            worldId: components["schemas"]["WorldId"];
            agentId: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            /** @description The world's `alias`. */
            name: string;
            endpoints: components["schemas"]["Endpoint"][];
            /** @description Whether the world announced at least one endpoint. */
            reachable: boolean;
            /** @description Browsers watching this world through `GET /ws`. */
            subscribers: number;
            lastSeen: components["schemas"]["Timestamp"];
        };
        Agent: {
            agentId: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            alias: string;
            version?: string;
            endpoints: components["schemas"]["Endpoint"][];
            capabilities: components["schemas"]["Capability"][];
            /** @description Present when the agent is a world (a `world:<worldId>` capability). */
            worldId?: components["schemas"]["WorldId"];
            lastSeen: components["schemas"]["Timestamp"];
        };
        AgentPage: {
            agents: components["schemas"]["Agent"][];
            /** @description The opaque cursor of the next page; `null` on the last page. */
            nextCursor: string | null;
            revision: components["schemas"]["Revision"];
        };
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
         * @description A signed announce. `signature` is under `AgentWorld-Announce-1.2\0` over the canonical JSON
         *     of every other field of the body, unknown fields included.
         */
        Announce: {
            from: components["schemas"]["AgentId"];
            publicKey: components["schemas"]["PublicKey"];
            /** @description Display name. */
            alias: string;
            /** @description The world software's version. */
            version?: string;
            endpoints: components["schemas"]["Endpoint"][];
            capabilities: components["schemas"]["Capability"][];
            timestamp: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        AnnounceResult: {
            /** @constant */
            ok: true;
            /** @description Up to 20 live peers. */
            peers: components["schemas"]["Peer"][];
        };
        /**
         * @description `signature` is over the canonical JSON of `{agentId, ts}` under `aw:hb:` or
         *     `AgentWorld-Heartbeat-1.2\0`.
         */
        Heartbeat: {
            agentId: components["schemas"]["AgentId"];
            ts: components["schemas"]["Timestamp"];
            signature: components["schemas"]["Signature"];
        };
        /**
         * @description A signed peer message. `signature` is under `AgentWorld-Message-1.2\0` over the canonical
         *     JSON of every other field of the body.
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
        MessageResult: {
            /** @constant */
            ok: true;
            /** @description How many browsers the message was relayed to. */
            delivered: number;
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
         * @description A state the world posted to `POST /peer/message`, decoded from its `content`.
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
         * @description Something went wrong; after a missing or unknown world the socket closes.
         * @example {
         *       "type": "error",
         *       "message": "world not found: pixel-city"
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
        /** @example pixel-city */
        WorldIdPath: components["schemas"]["WorldId"];
        /** @description Request signature: the protocol version. */
        SigVersion: "1.2";
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
        /** @description Request signature, base64, under `AgentWorld-Req-1.2\0`. */
        SigSignature: components["schemas"]["Signature"];
    };
    requestBodies: never;
    headers: {
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
             *     `/health` instead.
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
        };
    };
    getWorld: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @example pixel-city */
                worldId: components["parameters"]["WorldIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live world. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["World"];
                };
            };
            /** @description `worldId` is not a valid world id. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No live world has this id (never announced, or its lease expired). */
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
            /** @description The gateway is up. */
            200: {
                headers: {
                    "Access-Control-Allow-Origin": components["headers"]["AccessControlAllowOrigin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ping"];
                };
            };
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
        };
    };
    announce: {
        parameters: {
            query?: never;
            header?: {
                /** @description Request signature: the protocol version. */
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
                /** @description Request signature, base64, under `AgentWorld-Req-1.2\0`. */
                "X-AgentWorld-Signature"?: components["parameters"]["SigSignature"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 8 KiB. */
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
            /**
             * @description The body is not JSON, a field is missing or has the wrong type or size (the error
             *     names the field), or `timestamp` is more than 5 minutes from the gateway's clock.
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
             * @description Neither the body signature nor the request-signature headers verify, or `from` is not
             *     the agent id of `publicKey`.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /**
             * @description `timestamp` is not newer than that of the last announce accepted from this agent
             *     (a replay), or the announced world id is held by another live agent.
             */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 8 KiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The registry holds `MAX_AGENTS` live agents; a new agent is refused. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    heartbeat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description At most 4 KiB. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["Heartbeat"];
            };
        };
        responses: {
            /** @description The lease is renewed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Ok"];
                };
            };
            /**
             * @description The body is not JSON, a field is missing or has the wrong type, or `ts` is more than
             *     5 minutes from the gateway's clock.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The signature does not verify under the agent's announced key. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No live lease for `agentId` (unknown or expired); announce again. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `ts` is not newer than the last accepted heartbeat (a replay). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the heartbeat body limit (4 KiB). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description Request signature: the protocol version. */
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
                /** @description Request signature, base64, under `AgentWorld-Req-1.2\0`. */
                "X-AgentWorld-Signature"?: components["parameters"]["SigSignature"];
            };
            path?: never;
            cookie?: never;
        };
        /** @description At most 256 KiB. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["PeerMessage"];
            };
        };
        responses: {
            /** @description Accepted and relayed to `delivered` browsers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageResult"];
                };
            };
            /**
             * @description The body is not JSON, a field is missing or has the wrong type, `event` is not
             *     `world.state`, `content` is not a JSON-encoded `WorldStateContent`, or `timestamp` is
             *     more than 5 minutes from the gateway's clock.
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
             * @description Neither the body signature nor the request-signature headers verify, or the sender is
             *     not the agent currently registered with `world:<worldId>`.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No live world has the `worldId` named in `content`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description `timestamp` is not newer than the last message accepted from the sender. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than 256 KiB. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    watchWorld: {
        parameters: {
            query: {
                /**
                 * @description The id of the world to watch.
                 * @example pixel-city
                 */
                world: components["schemas"]["WorldId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switched to the WebSocket protocol; frames as in `x-websocket`. */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request is not a WebSocket upgrade. */
            426: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
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
}
