# The AgentWorlds gateway: the liveness directory of worlds, on port 8100.
#
#   docker build -t agentworlds-gateway .
#   docker run -p 8100:8100 -v agentworlds-data:/data agentworlds-gateway
#
# The gateway's environment (every variable gateway/config.ts reads, in
# GATEWAY_ENV_VARS; an unset or empty variable takes its default; `deno task
# gateway --help` describes each):
#
#   HTTP_PORT=8100                TCP port to listen on
#   LISTEN_ADDR=0.0.0.0           address to bind
#   DATA_DIR=/data                the snapshot (memory store) and the gateway's
#                                 identity (./data outside this image); keep it
#                                 under /data, the only path it may write here
#   STALE_TTL_MS=90000            lease TTL: a world silent this long disappears
#   SNAPSHOT_INTERVAL_MS=30000    how often the snapshot is written when it changed
#   WEBHOOK_URL=                  unset: no webhooks; else world.announced,
#                                 world.expired and world.owner_changed go here
#   WEBHOOK_SECRET=               unset: unsigned; else the Standard Webhooks
#                                 secret, whsec_<base64>
#   WEBHOOK_RETRY_FOR_MS=3600000  how long an undeliverable webhook is retried
#   MAX_AGENTS=100000             most live agents; a new one gets 503 past it
#   MAX_LEASES_PER_ADDRESS=1000   most live leases from one client address
#   WORLD_ID_POLICY=owned         owned, or live-holder (free when a lease ends)
#   OWNER_RETENTION_MS=2592000000 how long an unused world id stays owned
#   PUBLIC_URL=                   unset: the listening address; else the public
#                                 origin, e.g. https://gateway.example
#   TRUST_PROXY=false             true behind a load balancer: the client address
#                                 is the last of X-Forwarded-For
#   OUTBOUND_POLICY=auto          which world addresses the gateway calls:
#                                 public-only, any, or auto
#   NEW_LEASE_RATE=600/1000       new leases per client address (per minute/burst)
#   BAD_SIGNATURE_RATE=60/100     failed signatures per client address
#   WS_UPGRADE_RATE=120/200       WebSocket upgrades per client address
#   GATEWAY_ADMIN_TOKEN=          unset: the admin API is off; else its bearer
#                                 token (16 characters or more)
#   GATEWAY_ADMIN_KEY=            the reference gateway's name for the token
#   LOG_LEVEL=info                debug, info, warn or error
#   METRICS=on                    serve GET /metrics (Prometheus text); off: no
#                                 /metrics on the public port and nothing collected
#   SHUTDOWN_DRAIN_MS=2000        on SIGTERM, how long /ready answers 503 while the
#                                 gateway keeps serving, before it stops
#   REDIS_URL=                    unset: the in-memory store with its snapshot in
#                                 DATA_DIR; else redis:// or rediss:// of a Redis 7+
#                                 or Valkey the gateway's replicas share
#   REDIS_PREFIX=aw               key prefix, so several directories share one Redis
#   REDIS_TLS_CA_FILE=            PEM of the CA of a rediss:// server, if not public
#   REDIS_TIMEOUT_MS=1000         longest wait for one Redis reply before a 503
#   REDIS_OUTAGE_GRACE_AFTER_MS=5000  an outage longer than this gives every lease
#                                 live when it began one TTL from recovery; 0: off
#   MAX_CONNECTIONS=10000         most open connections (WebSockets included); 503
#   MAX_CONNECTIONS_PER_ADDRESS=512  most open connections from one address; 429
#   HEADERS_TIMEOUT_MS=10000      time for a request's head to arrive; then 408
#   REQUEST_TIMEOUT_MS=30000      time for a whole request, body included; 408
#   IDLE_TIMEOUT_MS=75000         an idle keep-alive connection is closed after it
#   MAX_WATCHERS=10000            most /ws watchers in all; 503 past it
#   MAX_WATCHERS_PER_ADDRESS=64   most /ws watchers from one client address; 429
#   MAX_WATCHERS_PER_WORLD=1000   most /ws watchers of one world; 429

# The Deno the project pins (.ci/run, README): the Debian image of that release.
FROM denoland/deno:2.9.6

WORKDIR /app

# The data volume, owned by the image's unprivileged `deno` user.
RUN mkdir -p /data && chown deno:deno /data
USER deno

# Deno caches every npm package of the lockfile on a program's first run;
# lazily, only those the program imports. Here that is the gateway's graph
# (Hono, noble-ed25519, standardwebhooks, prom-client, Swagger UI for /docs:
# ~23 MB), not the spec and test tooling of the import map as well (TypeScript,
# puppeteer, ajv, ...: ~105 MB in all).
ENV DENO_UNSTABLE_NPM_LAZY_CACHING=1

# The gateway's sources (.dockerignore admits only what it needs) and its
# dependencies from the lockfile exactly: the module graph of gateway/main.ts,
# nothing else.
COPY deno.json deno.lock ./
COPY openapi.yaml ./
COPY protocol/ protocol/
COPY gateway/ gateway/
RUN deno cache --frozen gateway/main.ts

ENV HTTP_PORT=8100 \
    LISTEN_ADDR=0.0.0.0 \
    DATA_DIR=/data \
    STALE_TTL_MS=90000 \
    SNAPSHOT_INTERVAL_MS=30000 \
    WEBHOOK_RETRY_FOR_MS=3600000 \
    MAX_AGENTS=100000 \
    MAX_LEASES_PER_ADDRESS=1000 \
    WORLD_ID_POLICY=owned \
    OWNER_RETENTION_MS=2592000000 \
    TRUST_PROXY=false \
    OUTBOUND_POLICY=auto \
    NEW_LEASE_RATE=600/1000 \
    BAD_SIGNATURE_RATE=60/100 \
    WS_UPGRADE_RATE=120/200 \
    LOG_LEVEL=info \
    METRICS=on \
    SHUTDOWN_DRAIN_MS=2000 \
    REDIS_PREFIX=aw \
    REDIS_TIMEOUT_MS=1000 \
    REDIS_OUTAGE_GRACE_AFTER_MS=5000 \
    MAX_CONNECTIONS=10000 \
    MAX_CONNECTIONS_PER_ADDRESS=512 \
    HEADERS_TIMEOUT_MS=10000 \
    REQUEST_TIMEOUT_MS=30000 \
    IDLE_TIMEOUT_MS=75000 \
    MAX_WATCHERS=10000 \
    MAX_WATCHERS_PER_ADDRESS=64 \
    MAX_WATCHERS_PER_WORLD=1000
VOLUME /data
EXPOSE 8100

# Liveness: /livez answers 200 whenever the process serves, and never asks
# the store (/health answers 503 while Redis is down, and restarting every
# replica would cure nothing). bash's /dev/tcp speaks the HTTP, so no Deno (and
# no curl, which the image lacks) starts every 30 s. Load balancers check
# /ready instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HTTP_PORT:-8100} && printf 'GET /livez HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]

# `deno task gateway`, with permissions narrowed to what the gateway uses:
# listen and send webhooks, read its environment, read its code and data,
# write only its data; and only from the cache above, never the network.
CMD ["deno", "run", "--cached-only", "--allow-net", "--allow-env", "--allow-read=/app,/data", "--allow-write=/data", "gateway/main.ts"]
