# The AgentWorlds gateway: the liveness directory of worlds, on port 8100.
#
#   docker build -t agentworlds-gateway .
#   docker run -p 8100:8100 -v agentworlds-data:/data agentworlds-gateway
#
# The gateway's environment (every variable gateway/config.ts reads, in
# GATEWAY_ENV_VARS; an unset or empty variable takes its default):
#
#   HTTP_PORT=8100              TCP port to listen on
#   LISTEN_ADDR=0.0.0.0         address to bind
#   DATA_DIR=/data              registry snapshot and the gateway's identity key
#                               (./data outside this image); keep it under /data,
#                               the only path the gateway may write here
#   STALE_TTL_MS=90000          lease TTL: a world silent this long disappears
#   SNAPSHOT_INTERVAL_MS=30000  how often the registry is written when it changed
#   WEBHOOK_URL=                unset: no webhooks; else world.announced and
#                               world.expired events are POSTed here
#   WEBHOOK_SECRET=             unset: webhooks are unsigned; else the Standard
#                               Webhooks signing secret
#   MAX_AGENTS=100000           most agents held; a new one gets 503 past it
#   PUBLIC_URL=                 unset: the gateway's own listening address; else
#                               its public base URL, e.g. https://gateway.example
#   MAX_CONNECTIONS=10000       most open connections (WebSockets included); more
#                               get 503; never more than the fd limit allows
#   MAX_CONNECTIONS_PER_ADDRESS=512  most from one client address; more get 429
#                               (behind a load balancer: raise it to MAX_CONNECTIONS)
#   HEADERS_TIMEOUT_MS=10000    time for a request's head to arrive; then 408
#   REQUEST_TIMEOUT_MS=30000    time for a whole request, body included; then 408
#   IDLE_TIMEOUT_MS=75000       an idle keep-alive connection is closed after this
#                               (longer than a load balancer's usual 60 s)

# The Deno the project pins (.ci/run, README): the Debian image of that release.
FROM denoland/deno:2.9.6

WORKDIR /app

# The data volume, owned by the image's unprivileged `deno` user.
RUN mkdir -p /data && chown deno:deno /data
USER deno

# Dependencies first, from the lockfile exactly: this layer is rebuilt only when
# deno.json or deno.lock change, not on every source change.
COPY deno.json deno.lock ./
RUN deno install --frozen

# The gateway's sources (.dockerignore admits only what it needs), resolved
# offline against the cache above.
COPY openapi.yaml ./
COPY protocol/ protocol/
COPY gateway/ gateway/
RUN deno cache --frozen gateway/main.ts

ENV HTTP_PORT=8100 \
    LISTEN_ADDR=0.0.0.0 \
    DATA_DIR=/data \
    STALE_TTL_MS=90000 \
    SNAPSHOT_INTERVAL_MS=30000 \
    MAX_AGENTS=100000 \
    MAX_CONNECTIONS=10000 \
    MAX_CONNECTIONS_PER_ADDRESS=512 \
    HEADERS_TIMEOUT_MS=10000 \
    REQUEST_TIMEOUT_MS=30000 \
    IDLE_TIMEOUT_MS=75000
VOLUME /data
EXPOSE 8100

# /health answers 200 while the gateway serves (warming, empty or ready).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["deno", "eval", "--no-config", "const r = await fetch(`http://127.0.0.1:${Deno.env.get('HTTP_PORT') || 8100}/health`); Deno.exit(r.ok ? 0 : 1);"]

# `deno task gateway`, with permissions narrowed to what the gateway uses:
# listen and send webhooks, read its environment, read its code and data,
# write only its data.
CMD ["deno", "run", "--allow-net", "--allow-env", "--allow-read=/app,/data", "--allow-write=/data", "gateway/main.ts"]
