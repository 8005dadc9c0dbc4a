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
            /** @description Host name or IP address. */
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
        WorldPage: {
            worlds: components["schemas"]["WorldSummary"][];
            /** @description The opaque cursor of the next page; `null` on the last page. */
            nextCursor: string | null;
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
        /** @description At most 64 KiB. */
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
            /** @description The body is larger than 64 KiB. */
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
