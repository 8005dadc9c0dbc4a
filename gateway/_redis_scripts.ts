/**
 * The Lua scripts of the Redis store: one per operation, so every directory
 * rule is decided atomically across replicas.
 *
 * Every script gets `KEYS[1]` = the key base (`{prefix}:`; the hash tag
 * keeps every key in one slot) and the same first three arguments:
 * `ARGV[1]` the store clock in ms (`""`: Redis `TIME`, the one clock),
 * `ARGV[2]` the lease TTL in ms, `ARGV[3]` the outage threshold in ms (`""`:
 * no post-outage grace). Operation arguments follow from `ARGV[4]`.
 *
 * Keys under the base (see the report for sizes):
 * - `meta` hash: `alive` (last liveness tick), `gf`/`gu` (the grace after an
 *   outage: leases whose deadline is ≥ `gf` are live until `gu`), `trim`
 *   (the newest event id trimmed away: the revision when the log is empty).
 * - `a:<agentId>` hash: the lease (`pk al v pv ep cp w g s ta th ad us lr`), or
 *   once it ends a tombstone holding only the replay floors `ta th` and when
 *   to forget them (`fa`, plus a `PEXPIRE` so Redis forgets it by itself).
 * - `dlw` / `dl` zsets: agentId → deadline (`lastSeen + ttl`) of world hosts /
 *   of other agents (each lease in one: a heartbeat moves one score). Counts
 *   are `ZCOUNT`s, the sweep takes the due members of both, oldest first.
 * - `ga` / `gw` zsets (score 0, lexicographic): `%016d(grantedAt)|agentId`,
 *   the grant-ordered listings and their cursors.
 * - `wh` hash: worldId → live holder agentId.
 * - `own` hash: worldId → `owner publicKey since lastUsedAt rotationFloor`;
 *   `owx` zset (lexicographic) of owned ids, for listing; `owu` zset of the
 *   unused ones → when last used (retention); `ob` hash: owner → its ids.
 * - `ad:<address>` set: leases held from a client address.
 * - `st:<worldId>` string: the `world.state` replay floor.
 * - `ev` stream: the change log; `lead` string: the webhook leader lease.
 *
 * @module
 */

/** A script's source and whether it only reads (run with `EVALSHA_RO`). */
export interface RedisScript {
  /** Name, for errors and benchmarks. */
  readonly name: string;
  /** The Lua source. */
  readonly source: string;
  /** True when it never writes (runs with `EVALSHA_RO`, on a replica if need be). */
  readonly readOnly: boolean;
}

// Shared by every script: the clock and the grace. `write` decides whether a
// detected outage is recorded (write scripts) or only taken into account
// (read-only ones).
const head = (write: boolean) => `
local P = KEYS[1]
local TTL = tonumber(ARGV[2])
local OUTAGE = tonumber(ARGV[3])
local META, DL, DLW, GA, GW, WH = P..'meta', P..'dl', P..'dlw', P..'ga', P..'gw', P..'wh'
local OWN, OWX, OWU, OB, EV = P..'own', P..'owx', P..'owu', P..'ob', P..'ev'

-- Lua prints large numbers in exponent form: every number written goes through %d.
local function fmt(n) return string.format('%d', n) end

local NOW
if ARGV[1] ~= '' then NOW = tonumber(ARGV[1]) else
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The grace after an outage: when no replica ticked for longer than OUTAGE,
-- every lease live when the ticks stopped (deadline >= gf) is held until one
-- TTL from now (gu), as etcd extends leases on a leader change.
local GF, GU
do
  local m = redis.call('HMGET', META, 'alive', 'gf', 'gu')
  local alive
  alive, GF, GU = tonumber(m[1]), tonumber(m[2]), tonumber(m[3])
  if OUTAGE and alive and NOW - alive > OUTAGE then
    local from = alive
    if GF and GU >= alive and GF < from then from = GF end
    GF, GU = from, NOW + TTL
    ${write ? "redis.call('HSET', META, 'alive', fmt(NOW), 'gf', fmt(GF), 'gu', fmt(GU))" : ""}
  end
end

-- The newest event id: the stream's last entry, or the newest trimmed away.
local function revision()
  local last = redis.call('XREVRANGE', EV, '+', '-', 'COUNT', 1)
  if #last > 0 then return last[1][1] end
  return redis.call('HGET', META, 'trim') or ''
end

-- When a lease with this deadline ends: its deadline, or the grace's end.
local function effective(deadline)
  if GF and deadline >= GF and deadline < GU then return GU end
  return deadline
end
`;

// Records, for every script but the heartbeat's (kept lean: it is the hot path).
const common = `
local function agentKey(id) return P..'a:'..id end
local function grantMember(g, id) return string.format('%016d', tonumber(g))..'|'..id end
local function hash(flat)
  local t = {}
  for i = 1, #flat, 2 do t[flat[i]] = flat[i + 1] end
  return t
end
local function isLive(rec) return rec ~= nil and rec.s ~= nil and effective(tonumber(rec.s) + TTL) >= NOW end
-- Deadlines at or above this are live (with a running grace, from its start).
local function liveFrom()
  if GF and GU >= NOW and GF < NOW then return GF end
  return NOW
end

-- An agent's hash: nil when absent or a tombstone past its replay window.
local function load(id)
  local flat = redis.call('HGETALL', agentKey(id))
  if #flat == 0 then return nil, flat end
  local rec = hash(flat)
  if rec.s == nil and (tonumber(rec.fa) or 0) < NOW then return nil, flat end
  return rec, flat
end

local function kind(w) if w then return 'world.' end return 'agent.' end
-- Each lease's deadline sits in one index: world hosts' or other agents'.
local function deadlines(w) if w then return DLW end return DL end

-- An owner binding: 'owner publicKey since lastUsedAt rotationFloor'.
local function binding(w)
  local packed = redis.call('HGET', OWN, w)
  if not packed then return nil end
  local owner, pk, since, lu, rf = string.match(packed, '^(%S+) (%S+) (%S+) (%S+) (%S+)$')
  return {owner = owner, pk = pk, since = since, lu = tonumber(lu), rf = rf}
end
-- Whether a live lease of the owner holds the id now.
local function inUse(w, owner)
  return redis.call('HGET', WH, w) == owner and isLive((load(owner)))
end
-- A binding unused for longer than the retention is no longer an owner.
local function retired(w, b, retention)
  return b.lu + retention < NOW and not inUse(w, b.owner)
end
`;

// Helpers of the scripts that change the directory.
const writes = `
-- Appends a change event. Ids carry the store clock's ms, never going back.
-- The newest event's ms, read once per script (a sweep appends hundreds).
local LAST_MS
local function emit(fields)
  if not LAST_MS then
    LAST_MS = tonumber(string.match(revision(), '^(%d+)')) or 0
  end
  if NOW > LAST_MS then LAST_MS = NOW end
  return redis.call('XADD', EV, fmt(LAST_MS)..'-*', unpack(fields))
end

local function emitRecord(type, id)
  local fields = {'t', type, 'at', fmt(NOW), 'a', id}
  for _, v in ipairs(redis.call('HGETALL', agentKey(id))) do fields[#fields + 1] = v end
  return emit(fields)
end

-- The ids an owner holds: one field of one hash per owner ('w1 w2 …').
local function setOwned(owner, w, add)
  local ids = {}
  for x in string.gmatch(redis.call('HGET', OB, owner) or '', '%S+') do
    if x ~= w then ids[#ids + 1] = x end
  end
  if add then ids[#ids + 1] = w end
  if #ids == 0 then redis.call('HDEL', OB, owner) else redis.call('HSET', OB, owner, table.concat(ids, ' ')) end
end

-- Only unused bindings sit in the retention index (scored by when they
-- were last used), so a live world costs it nothing.
local function setBinding(w, owner, pk, since, lu, rotationFloor, inUse)
  redis.call('HSET', OWN, w, owner..' '..pk..' '..since..' '..fmt(lu)..' '..rotationFloor)
  redis.call('ZADD', OWX, 0, w)
  if inUse then redis.call('ZREM', OWU, w) else redis.call('ZADD', OWU, fmt(lu), w) end
  setOwned(owner, w, true)
end

-- A live lease of the owner holds the id from now (useOwner) or stopped
-- holding it at \`at\` (leaveOwner): retention counts from then.
-- (The owner and its ids stay: only when it was last used and the index change.)
local function useOwner(w, id)
  local b = binding(w)
  if not (b and b.owner == id) then return end
  redis.call('HSET', OWN, w, id..' '..b.pk..' '..b.since..' '..fmt(NOW)..' '..b.rf)
  redis.call('ZREM', OWU, w)
end
local function leaveOwner(w, id, at)
  local b = binding(w)
  if not (b and b.owner == id) then return end
  local lu = fmt(math.max(at, b.lu))
  redis.call('HSET', OWN, w, id..' '..b.pk..' '..b.since..' '..lu..' '..b.rf)
  redis.call('ZADD', OWU, lu, w)
end

-- Moves a binding (raw: as held, retired or not) to a new owner, or frees it
-- (newOwner nil), with its event naming the previous owner ("" for none).
local function rebind(w, raw, previous, cause, newOwner, newPk, rotationFloor, inUse)
  if raw then setOwned(raw.owner, w, false) end
  if newOwner then
    setBinding(w, newOwner, newPk, fmt(NOW), NOW, rotationFloor, inUse)
  else
    redis.call('HDEL', OWN, w)
    redis.call('ZREM', OWX, w)
    redis.call('ZREM', OWU, w)
  end
  emit({'t', 'world.owner_changed', 'at', fmt(NOW), 'a', newOwner or previous, 'w', w,
    'po', previous, 'o', newOwner or '', 'c', cause})
end

-- Ends a lease: out of every index, its replay floors kept as a tombstone
-- for the replay window, and its *.expired event (at = when it ended).
local function reclaim(id, rec, reason, at, replayWindow)
  local member = grantMember(rec.g, id)
  redis.call('ZREM', deadlines(rec.w), id)
  redis.call('ZREM', GA, member)
  if rec.w then
    redis.call('ZREM', GW, member)
    if redis.call('HGET', WH, rec.w) == id then redis.call('HDEL', WH, rec.w) end
    leaveOwner(rec.w, id, at)
  end
  if rec.ad then redis.call('SREM', P..'ad:'..rec.ad, id) end
  local k = agentKey(id)
  local forget = math.max(tonumber(rec.ta), tonumber(rec.th), NOW) + replayWindow
  redis.call('DEL', k)
  redis.call('HSET', k, 'ta', rec.ta, 'th', rec.th, 'fa', fmt(forget))
  -- Relative, so an injected test clock never makes Redis drop it early.
  redis.call('PEXPIRE', k, fmt(forget - NOW + 1000))
  local fields = {'t', kind(rec.w)..'expired', 'at', fmt(at), 'a', id, 'r', reason}
  if rec.w then fields[#fields + 1] = 'w'; fields[#fields + 1] = rec.w end
  return emit(fields)
end

local function expiredAt(rec) return effective(tonumber(rec.s) + TTL) end

-- The live lease of a world's holder, reclaiming an expired one first.
local function liveHolder(w, replayWindow)
  local holder = redis.call('HGET', WH, w)
  if not holder then return nil end
  local rec = load(holder)
  if isLive(rec) then return holder, rec end
  if rec and rec.s then reclaim(holder, rec, 'ttl', expiredAt(rec), replayWindow)
  else redis.call('HDEL', WH, w) end
  return nil
end

local function revokeLive(id, rec, reason, replayWindow)
  return reclaim(id, rec, reason, NOW, replayWindow)
end
`;

// Reads shared by read-only scripts.
const reads = `
local function ownerView(w, retention)
  local b = binding(w)
  if not b then return nil end
  local lu = b.lu
  -- While the owner's lease holds the id, it is in use now.
  if inUse(w, b.owner) then lu = NOW elseif lu + retention < NOW then return nil end
  return {w, b.owner, b.pk, b.since, fmt(lu), b.rf}
end
`;

// Stream ids (`<ms>-<seq>`), compared as numbers.
const streamIds = `
local function parts(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function less(a, b)
  local am, as = parts(a)
  local bm, bs = parts(b)
  return am < bm or (am == bm and as < bs)
end
`;

function script(
  name: string,
  body: string,
  { readOnly = false, lean = false }: { readOnly?: boolean; lean?: boolean } = {},
): RedisScript {
  const source = head(!readOnly) + (lean ? "" : common + (readOnly ? reads : writes)) + body;
  return Object.freeze({ name, source, readOnly });
}

/** Every script, by operation. */
export const SCRIPTS = Object.freeze({
  /** The liveness tick: `{gf, gu}` of a grace still running, or `{}`. */
  alive: script(
    "alive",
    `
redis.call('HSET', META, 'alive', fmt(NOW))
if GU and GU >= NOW then return {fmt(GF), fmt(GU)} end
return {}
`,
  ),

  /**
   * `ARGV[4]` input JSON, `[5]` maxAgents, `[6]` maxLeasesPerAddress,
   * `[7]` replayWindowMs, `[8]` policy, `[9]` ownerRetentionMs.
   * `{0, reason, error}` or `{1, granted, changed, recordFields}`.
   */
  announce: script(
    "announce",
    `
local input = cjson.decode(ARGV[4])
local maxAgents, maxPerAddress = tonumber(ARGV[5]), tonumber(ARGV[6])
local replayWindow, owned, retention = tonumber(ARGV[7]), ARGV[8] == 'owned', tonumber(ARGV[9])
local id, w, ts = input.agentId, input.worldId, input.timestamp
local rec = load(id)
if rec and tonumber(ts) <= tonumber(rec.ta) then
  return {0, 'replay', 'timestamp is not newer than the last announce accepted from this agent'}
end
local b
if w and owned then
  b = binding(w)
  if b and b.owner ~= id then
    if not retired(w, b, retention) then
      return {0, 'world_owned', 'world id '..w..' is owned by another key ('..b.owner..')'}
    end
    rebind(w, b, b.owner, 'retention', nil)
    b = nil
  end
end
if w then
  local holder = liveHolder(w, replayWindow)
  if holder and holder ~= id then
    return {0, 'world_taken', 'world '..w..' is held by another live agent'}
  end
end
-- Reclaiming the world's previous holder may have been this agent's own lease.
rec = load(id)
local k = agentKey(id)
local deadline = fmt(NOW + TTL)
if isLive(rec) then
  local changed = rec.al ~= input.alias or rec.v ~= input.version or rec.pv ~= input.protocolVersion
    or rec.ep ~= input.endpoints or rec.cp ~= input.capabilities or rec.w ~= w
  local member = grantMember(rec.g, id)
  local moved = rec.w ~= w
  if moved then
    -- The role it had ends first (the world it hosted, or the plain agent it
    -- was); the new one starts below. The lease goes on.
    local ended = {'t', kind(rec.w)..'expired', 'at', fmt(NOW), 'a', id, 'r', 'deregistered'}
    if rec.w then ended[#ended + 1] = 'w'; ended[#ended + 1] = rec.w end
    emit(ended)
    redis.call('ZREM', deadlines(rec.w), id)
    if rec.w then
      redis.call('ZREM', GW, member)
      if redis.call('HGET', WH, rec.w) == id then redis.call('HDEL', WH, rec.w) end
      leaveOwner(rec.w, id, NOW)
      redis.call('HDEL', k, 'w')
    end
    if w then
      redis.call('ZADD', GW, 0, member)
      redis.call('HSET', WH, w, id)
      redis.call('HSET', k, 'w', w)
    end
  end
  redis.call('HSET', k, 'al', input.alias, 'pv', input.protocolVersion, 'ep', input.endpoints,
    'cp', input.capabilities, 's', fmt(NOW), 'ta', ts)
  if input.version then redis.call('HSET', k, 'v', input.version) else redis.call('HDEL', k, 'v') end
  redis.call('ZADD', deadlines(w), deadline, id)
  if w then
    if owned then
      if b then useOwner(w, id) else setBinding(w, id, input.publicKey, fmt(NOW), NOW, ts, true) end
    end
  end
  if moved then emitRecord(kind(w)..'announced', id)
  elseif changed then emitRecord(kind(w)..'updated', id) end
  return {1, 0, changed and 1 or 0, redis.call('HGETALL', k)}
end
-- A new lease. Its own expired lease, not yet reclaimed, ends first.
local th = '0'
if rec then th = rec.th end
if rec and rec.s then reclaim(id, rec, 'ttl', expiredAt(rec), replayWindow) end
local from = fmt(liveFrom())
if redis.call('ZCOUNT', DL, from, '+inf') + redis.call('ZCOUNT', DLW, from, '+inf') >= maxAgents then
  return {0, 'full', 'the directory is full'}
end
local address = input.address
if address then
  -- SCARD is O(1); the members are only walked at the cap (some may be
  -- expired and not yet reclaimed), so an address's announce never costs
  -- in proportion to the leases it holds below it.
  if redis.call('SCARD', P..'ad:'..address) >= maxPerAddress then
    local live = 0
    for _, other in ipairs(redis.call('SMEMBERS', P..'ad:'..address)) do
      local d = tonumber(redis.call('ZSCORE', DLW, other) or redis.call('ZSCORE', DL, other))
      if d and effective(d) >= NOW then live = live + 1 end
    end
    if live >= maxPerAddress then
      return {0, 'address_full', 'too many live leases from this address'}
    end
  end
end
redis.call('DEL', k)
redis.call('HSET', k, 'pk', input.publicKey, 'al', input.alias, 'pv', input.protocolVersion,
  'ep', input.endpoints, 'cp', input.capabilities, 'g', fmt(NOW), 's', fmt(NOW), 'ta', ts, 'th', th)
if input.version then redis.call('HSET', k, 'v', input.version) end
local member = grantMember(NOW, id)
redis.call('ZADD', deadlines(w), deadline, id)
redis.call('ZADD', GA, 0, member)
if w then
  redis.call('HSET', k, 'w', w)
  redis.call('ZADD', GW, 0, member)
  redis.call('HSET', WH, w, id)
  if owned then
    if b then useOwner(w, id) else setBinding(w, id, input.publicKey, fmt(NOW), NOW, ts, true) end
  end
end
if address then
  redis.call('HSET', k, 'ad', address)
  redis.call('SADD', P..'ad:'..address, id)
end
emitRecord(kind(w)..'announced', id)
return {1, 1, 1, redis.call('HGETALL', k)}
`,
  ),

  /**
   * The heartbeat hot path. `ARGV[4]` agentId, `[5]` ts.
   * `{0, reason}` or `{1, lastSeen}`.
   */
  renew: script(
    "renew",
    `
local id = ARGV[4]
local k = P..'a:'..id
local r = redis.call('HMGET', k, 's', 'th', 'w')
if not r[1] or effective(tonumber(r[1]) + TTL) < NOW then return {0, 'unknown'} end
if tonumber(ARGV[5]) <= tonumber(r[2]) then return {0, 'replay'} end
local now = fmt(NOW)
redis.call('HSET', k, 's', now, 'th', ARGV[5])
if r[3] then redis.call('ZADD', P..'dlw', fmt(NOW + TTL), id)
else redis.call('ZADD', P..'dl', fmt(NOW + TTL), id) end
return {1, now}
`,
    { lean: true },
  ),

  /**
   * `ARGV[4]` agentId, `[5]` reason, `[6]` ts or "", `[7]` replayWindowMs.
   * `{0, reason}` or `{1, recordFields}` (the record as it was).
   */
  revoke: script(
    "revoke",
    `
local id, ts = ARGV[4], ARGV[6]
local rec, flat = load(id)
if not isLive(rec) then return {0, 'unknown'} end
if ts ~= '' then
  if tonumber(ts) <= tonumber(rec.th) then return {0, 'replay'} end
  rec.th = ts
end
revokeLive(id, rec, ARGV[5], tonumber(ARGV[7]))
return {1, flat}
`,
  ),

  /**
   * Reclaims due leases and owner bindings past retention. `ARGV[4]` limit,
   * `[5]` replayWindowMs, `[6]` ownerRetentionMs.
   * `{reclaimed, more, released, {agentId, worldId or "", …}}`.
   */
  sweep: script(
    "sweep",
    `
local limit, replayWindow, retention = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local cutoff = '('..fmt(liveFrom())
-- The earliest deadlines of both indexes, merged, oldest first.
local a = redis.call('ZRANGEBYSCORE', DLW, '-inf', cutoff, 'WITHSCORES', 'LIMIT', 0, limit)
local o = redis.call('ZRANGEBYSCORE', DL, '-inf', cutoff, 'WITHSCORES', 'LIMIT', 0, limit)
local due, i, j = {}, 1, 1
while #due < limit and (i <= #a or j <= #o) do
  if j > #o or (i <= #a and tonumber(a[i + 1]) <= tonumber(o[j + 1])) then
    due[#due + 1] = a[i]; i = i + 2
  else
    due[#due + 1] = o[j]; j = j + 2
  end
end
local expired = {}
for _, id in ipairs(due) do
  local rec = load(id)
  if rec and rec.s then
    reclaim(id, rec, 'ttl', expiredAt(rec), replayWindow)
    expired[#expired + 1] = id
    expired[#expired + 1] = rec.w or ''
  else
    redis.call('ZREM', DL, id)
    redis.call('ZREM', DLW, id)
  end
end
local released = 0
for _, w in ipairs(redis.call('ZRANGEBYSCORE', OWU, '-inf', '('..fmt(NOW - retention), 'LIMIT', 0, limit)) do
  local b = binding(w)
  if not b or inUse(w, b.owner) then
    redis.call('ZREM', OWU, w)
  else
    rebind(w, b, b.owner, 'retention', nil)
    released = released + 1
  end
end
local more = redis.call('ZCOUNT', DL, '-inf', cutoff) + redis.call('ZCOUNT', DLW, '-inf', cutoff) > 0
return {#expired / 2, more and 1 or 0, released, expired}
`,
  ),

  /** `ARGV[4]` agentId. The live record's fields, or `{}`. */
  get: script(
    "get",
    `
local rec, flat = load(ARGV[4])
if isLive(rec) then return flat end
return {}
`,
    { readOnly: true },
  ),

  /** `ARGV[4]` worldId. `{agentId, recordFields}` of its live holder, or `{}`. */
  getWorld: script(
    "getWorld",
    `
local id = redis.call('HGET', WH, ARGV[4])
if not id then return {} end
local rec, flat = load(id)
if isLive(rec) then return {id, flat} end
return {}
`,
    { readOnly: true },
  ),

  /**
   * A listing page, newest grant first. `ARGV[4]` 'a' or 'w', `[5]` limit,
   * `[6]` exclusive start member or "", `[7]` most index entries to visit.
   * `{revision, nextMember or "", {member, fields, …}}`.
   */
  list: script(
    "list",
    `
local index = GA
if ARGV[4] == 'w' then index = GW end
local limit, budget = tonumber(ARGV[5]), tonumber(ARGV[7])
local max = '+'
if ARGV[6] ~= '' then max = '('..ARGV[6] end
local out, count, next = {}, 0, ''
while true do
  local batch = redis.call('ZRANGE', index, max, '-', 'BYLEX', 'REV', 'LIMIT', 0, 100)
  if #batch == 0 then break end
  local stop = false
  for _, member in ipairs(batch) do
    local rec, flat = load(string.sub(member, 18))
    if isLive(rec) then
      -- One more live record than asked for: there is a next page.
      if count == limit then next = out[#out - 1]; stop = true; break end
      out[#out + 1] = member
      out[#out + 1] = flat
      count = count + 1
    end
    budget = budget - 1
    -- Past the budget (a mass expiry not yet swept), the page ends early.
    if budget <= 0 then next = member; stop = true; break end
  end
  if stop then break end
  max = '('..batch[#batch]
end
return {revision(), next, out}
`,
    { readOnly: true },
  ),

  /** The newest event id (`""` when none). */
  revision: script("revision", `return revision()`, { readOnly: true, lean: true }),

  /** `{agents, worlds}` live now. */
  counts: script(
    "counts",
    `
local from = fmt(liveFrom())
local worlds = redis.call('ZCOUNT', DLW, from, '+inf')
return {redis.call('ZCOUNT', DL, from, '+inf') + worlds, worlds}
`,
    { readOnly: true },
  ),

  /** The earliest effective deadline held, or `{}`. */
  nextDeadline: script(
    "nextDeadline",
    `
local earliest
for _, index in ipairs({DL, DLW}) do
  local first = redis.call('ZRANGE', index, 0, 0, 'WITHSCORES')
  if #first > 0 and (not earliest or tonumber(first[2]) < earliest) then earliest = tonumber(first[2]) end
end
if not earliest then return {} end
return {fmt(effective(earliest))}
`,
    { readOnly: true },
  ),

  /**
   * `ARGV[4]` worldId, `[5]` ownerRetentionMs.
   * `{worldId, owner, publicKey, since, lastUsedAt, rotationFloor}` or `{}`.
   */
  owner: script(
    "owner",
    `
return ownerView(ARGV[4], tonumber(ARGV[5])) or {}
`,
    { readOnly: true },
  ),

  /**
   * `ARGV[4]` limit, `[5]` exclusive start id or "", `[6]` ownerRetentionMs.
   * `{more, {owner view}, …}`.
   */
  listOwners: script(
    "listOwners",
    `
local limit, retention = tonumber(ARGV[4]), tonumber(ARGV[6])
local min = '-'
if ARGV[5] ~= '' then min = '('..ARGV[5] end
local out = {0}
local budget = 10 * limit + 1000
while budget > 0 and out[1] == 0 do
  local ids = redis.call('ZRANGE', OWX, min, '+', 'BYLEX', 'LIMIT', 0, 100)
  if #ids == 0 then break end
  for _, w in ipairs(ids) do
    budget = budget - 1
    local view = ownerView(w, retention)
    if view then
      if #out > limit then out[1] = 1; break end
      out[#out + 1] = view
    end
  end
  min = '('..ids[#ids]
end
return out
`,
    { readOnly: true },
  ),

  /**
   * `ARGV[4]` old agentId, `[5]` new agentId, `[6]` new public key, `[7]` ts,
   * `[8]` replayWindowMs, `[9]` ownerRetentionMs.
   * `{0, reason, error}` or `{1, revoked, {worldIds}}`.
   */
  rotate: script(
    "rotate",
    `
local old, new, newPk, ts = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local replayWindow, retention = tonumber(ARGV[8]), tonumber(ARGV[9])
local rec = load(old)
local live = isLive(rec)
local owned = {}
for w in string.gmatch(redis.call('HGET', OB, old) or '', '%S+') do
  local b = binding(w)
  if b and b.owner == old and not retired(w, b, retention) then owned[#owned + 1] = w end
end
table.sort(owned)
if #owned == 0 and not live then
  return {0, 'unknown', 'the old key '..old..' owns no world id and holds no lease'}
end
-- An expired lease not yet reclaimed ends first, so its floors are kept.
if rec and rec.s and not live then
  reclaim(old, rec, 'ttl', expiredAt(rec), replayWindow)
  rec = load(old)
end
-- Newer than anything the old key signed and was accepted (live or within
-- the window), so a captured rotation cannot revoke the lease it announced again.
if rec and tonumber(ts) <= math.max(tonumber(rec.ta), tonumber(rec.th)) then
  return {0, 'replay', 'the rotation is not newer than the last announce or heartbeat of the old key'}
end
for _, w in ipairs(owned) do
  if tonumber(ts) <= tonumber(binding(w).rf) then
    return {0, 'replay', 'the rotation is older than the binding it would move'}
  end
end
-- The rotation becomes the old key's heartbeat floor, kept past its lease.
if live then
  rec.th = ts
  revokeLive(old, rec, 'rotated', replayWindow)
else
  local k = agentKey(old)
  local ta = '0'
  if rec then ta = rec.ta end
  local forget = math.max(tonumber(ta), tonumber(ts), NOW) + replayWindow
  redis.call('DEL', k)
  redis.call('HSET', k, 'ta', ta, 'th', ts, 'fa', fmt(forget))
  redis.call('PEXPIRE', k, fmt(forget - NOW + 1000))
end
for _, w in ipairs(owned) do rebind(w, binding(w), old, 'rotation', new, newPk, ts) end
return {1, live and 1 or 0, owned}
`,
  ),

  /**
   * Admin: binds world id `ARGV[4]` to `ARGV[5]` (key `ARGV[6]`), ending
   * another holder's live lease. `[7]` replayWindowMs, `[8]` ownerRetentionMs.
   * `{1, previousOwner or "", revoked}`.
   */
  transfer: script(
    "transfer",
    `
local w, to, toPk = ARGV[4], ARGV[5], ARGV[6]
local replayWindow, retention = tonumber(ARGV[7]), tonumber(ARGV[8])
local b = binding(w)
local previous = ''
if b and not retired(w, b, retention) then previous = b.owner end
local holder, rec = liveHolder(w, replayWindow)
local revoked = 0
if holder and holder ~= to then
  revokeLive(holder, rec, 'admin', replayWindow)
  revoked = 1
end
rebind(w, binding(w), previous, 'admin_transfer', to, toPk, fmt(NOW), holder == to)
return {1, previous, revoked}
`,
  ),

  /**
   * Admin: frees world id `ARGV[4]`, ending its live lease. `[5]`
   * replayWindowMs, `[6]` ownerRetentionMs.
   * `{0}` (neither owned nor live) or `{1, previousOwner or "", revoked}`.
   */
  release: script(
    "release",
    `
local w, replayWindow, retention = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local b = binding(w)
if b and retired(w, b, retention) then b = nil end
local holder, rec = liveHolder(w, replayWindow)
if not b and not holder then return {0} end
if holder then revokeLive(holder, rec, 'admin', replayWindow) end
if b then rebind(w, binding(w), b.owner, 'admin_release', nil) end
return {1, b and b.owner or '', holder and 1 or 0}
`,
  ),

  /** `ARGV[4]` agentId, `[5]` '1' reachable / '0' not. A change records `*.updated`. */
  reachable: script(
    "reachable",
    `
local id = ARGV[4]
local rec = load(id)
if not isLive(rec) then return 0 end
local k = agentKey(id)
if ARGV[5] == '1' then
  redis.call('HSET', k, 'lr', fmt(NOW))
  if rec.us then
    redis.call('HDEL', k, 'us')
    emitRecord(kind(rec.w)..'updated', id)
  end
elseif not rec.us then
  redis.call('HSET', k, 'us', fmt(NOW))
  emitRecord(kind(rec.w)..'updated', id)
end
return 1
`,
  ),

  /** `ARGV[4]` worldId, `[5]` ts, `[6]` how long to keep the floor (ms). 1 accepted, 0 replay. */
  acceptState: script(
    "acceptState",
    `
local k = P..'st:'..ARGV[4]
local floor = tonumber(redis.call('GET', k))
if floor and tonumber(ARGV[5]) <= floor then return 0 end
redis.call('SET', k, ARGV[5], 'PX', ARGV[6])
return 1
`,
  ),

  /**
   * Change events after an id. `ARGV[4]` after ("": from the start),
   * `[5]` limit. `{reset, revision, {id, fields}, …}`.
   */
  feedRead: script(
    "feedRead",
    streamIds + `
local after, limit = ARGV[4], tonumber(ARGV[5])
local rev = revision()
local trimmed = redis.call('HGET', META, 'trim')
local from
if after == '' then
  if trimmed then return {1, rev} end
  from = '-'
elseif rev == '' or less(rev, after) then return {1, rev}
elseif after == rev then return {0, rev}
elseif trimmed and less(after, trimmed) then return {1, rev}
else
  -- An id this log never held (another directory's) cannot be resumed from.
  if after ~= trimmed and #redis.call('XRANGE', EV, after, after) == 0 then return {1, rev} end
  from = '('..after
end
local out = {0, rev}
for _, entry in ipairs(redis.call('XRANGE', EV, from, '+', 'COUNT', limit)) do
  out[#out + 1] = entry
end
return out
`,
    { readOnly: true },
  ),

  /**
   * Trims the log to `ARGV[4]` ms of retention and to at most `ARGV[5]`
   * events whatever it holds (the hard cap). Events the consumer group
   * `ARGV[6]` has not acknowledged are held back from the retention while
   * webhooks are delivered: always when the calling replica delivers them
   * (`ARGV[7]` = '1'), else while a leader led within the retention (another
   * replica delivers). `{trimmed, unacknowledged dropped by the retention,
   * unacknowledged dropped by the cap}`.
   */
  trim: script(
    "trim",
    streamIds + `
local function after(id) local ms, seq = parts(id) return fmt(ms)..'-'..fmt(seq + 1) end
if redis.call('EXISTS', EV) == 0 then return {0, 0, 0} end
local retention, maxEvents, group = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local minid = fmt(NOW - retention)..'-0'
-- What the group has not acknowledged: its pending entries, and every entry
-- after the last one handed out.
local handedOut, pending, keep
for _, g in ipairs(redis.call('XINFO', 'GROUPS', EV)) do
  local info = hash(g)
  if info.name == group then
    handedOut, pending = info['last-delivered-id'], tonumber(info.pending)
    keep = after(handedOut)
    if pending > 0 then
      local oldest = redis.call('XPENDING', EV, group)[2]
      if less(oldest, keep) then keep = oldest end
    end
  end
end
-- Pending entries still in the log and older than the id given, counted up to 10000
-- (a report, not a walk). Pending ids whose entries are gone were counted
-- when they went.
local function pendingBefore(to)
  local first = redis.call('XRANGE', EV, '-', '+', 'COUNT', 1)[1]
  if not keep or pending == 0 or not first or not less(first[1], to) then return 0 end
  return #redis.call('XPENDING', EV, group, first[1], '('..to, math.min(pending, 10000))
end
local function trimTo(id)
  local gone = redis.call('XREVRANGE', EV, '('..id, '-', 'COUNT', 1)
  if #gone == 0 then return 0 end
  redis.call('HSET', META, 'trim', gone[1][1])
  return redis.call('XTRIM', EV, 'MINID', id)
end
local holding = ARGV[7] == '1'
if not holding then
  local lead = redis.call('GET', P..'lead')
  local untilMs = lead and tonumber(string.match(lead, ' (%d+)$')) or nil
  holding = untilMs ~= nil and untilMs + retention >= NOW
end
local trimmed, byRetention, byCap = 0, 0, 0
if keep and less(keep, minid) then
  if holding then minid = keep else
    -- No replica delivers webhooks: the retention applies to what they
    -- never got too, counted (those never handed out by a trim of their own).
    byRetention = pendingBefore(minid)
    local firstNew = after(handedOut)
    if less(firstNew, minid) then
      trimmed = trimTo(firstNew)
      local never = trimTo(minid)
      trimmed, byRetention = trimmed + never, byRetention + never
    end
  end
end
trimmed = trimmed + trimTo(minid)
local over = redis.call('XLEN', EV) - maxEvents
if over > 0 then
  -- The hard cap: a consumer that never acknowledges cannot grow the log forever.
  local oldest = redis.call('XRANGE', EV, '-', '+', 'COUNT', math.min(over, 10000))
  local cut = after(oldest[#oldest][1])
  if keep then
    byCap = pendingBefore(cut)
    for _, entry in ipairs(oldest) do
      if less(handedOut, entry[1]) then byCap = byCap + 1 end
    end
  end
  trimmed = trimmed + trimTo(cut)
end
return {trimmed, byRetention, byCap}
`,
  ),

  /** `ARGV[4]` consumer, `[5]` lease ms. 1 when the consumer leads now. */
  lead: script(
    "lead",
    `
local key = P..'lead'
local current = redis.call('GET', key)
if current then
  local holder, untilMs = string.match(current, '^(.*) (%d+)$')
  if holder ~= ARGV[4] and tonumber(untilMs) >= NOW then return 0 end
end
local leaseMs = tonumber(ARGV[5])
-- The value decides (by the store clock); the expiry only cleans up, long
-- after (trimming reads when a leader last led).
redis.call('SET', key, ARGV[4]..' '..fmt(NOW + leaseMs), 'PX', fmt(leaseMs + 86400000))
return 1
`,
  ),

  /**
   * Up to `ARGV[5]` unacknowledged events for consumer `ARGV[4]` of group
   * `ARGV[6]`: those pending with other consumers first (claimed), then
   * new ones (the caller leads: see `lead`). `{{id, fields}, …}`.
   */
  take: script(
    "take",
    `
local me, limit, group = ARGV[4], tonumber(ARGV[5]), ARGV[6]
local out = {}
local start, visited = '-', 0
while #out < limit and visited < 10 * limit + 100 do
  local pending = redis.call('XPENDING', EV, group, start, '+', 100)
  if #pending == 0 then break end
  local ids = {}
  for _, p in ipairs(pending) do
    if p[2] ~= me and #ids + #out < limit then ids[#ids + 1] = p[1] end
  end
  if #ids > 0 then
    for _, entry in ipairs(redis.call('XCLAIM', EV, group, me, 0, unpack(ids))) do
      -- An entry trimmed away while pending comes back empty: nothing to deliver.
      if entry[2] then out[#out + 1] = entry else redis.call('XACK', EV, group, entry[1]) end
    end
  end
  visited = visited + #pending
  start = '('..pending[#pending][1]
end
if #out < limit then
  local read = redis.call('XREADGROUP', 'GROUP', group, me, 'COUNT', limit - #out, 'STREAMS', EV, '>')
  if read then
    for _, entry in ipairs(read[1][2]) do out[#out + 1] = entry end
  end
end
return out
`,
  ),

  /** `ARGV[4]` group. `{pending, at of the oldest or ""}` of events not acknowledged. */
  backlog: script(
    "backlog",
    `
if redis.call('EXISTS', EV) == 0 then return {0, ''} end
for _, g in ipairs(redis.call('XINFO', 'GROUPS', EV)) do
  local info = hash(g)
  if info.name == ARGV[4] then
    local pending = tonumber(info.pending)
    local lag = tonumber(info.lag)
    local undelivered = redis.call('XRANGE', EV, '('..info['last-delivered-id'], '+', 'COUNT', 1)
    if not lag then
      lag = #undelivered
      if lag > 0 then
        lag = #redis.call('XRANGE', EV, '('..info['last-delivered-id'], '+', 'COUNT', 100000)
      end
    end
    local oldest
    if pending > 0 then oldest = redis.call('XPENDING', EV, ARGV[4])[2]
    elseif #undelivered > 0 then oldest = undelivered[1][1] end
    local at = ''
    if oldest then
      local entry = redis.call('XRANGE', EV, oldest, oldest)
      if #entry > 0 then at = hash(entry[1][2]).at or '' end
    end
    return {pending + lag, at}
  end
end
return {0, ''}
`,
    { readOnly: true },
  ),
});

/** Names of the scripts. */
export type ScriptName = keyof typeof SCRIPTS;
