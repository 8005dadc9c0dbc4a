// The live directory: list /worlds, then follow /watch from the listing's
// revision; a world's view watches and plays it through /ws. No framework.
const $ = (id) => document.getElementById(id);
const WORLD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PAGE = 1000;
const MAX_PAGES = 20; // the page holds at most PAGE × MAX_PAGES worlds; it says when there are more

/** worldId → the /worlds item, and → its list item. */
let worlds = new Map();
const rows = new Map();
let source;
let backoff = 1000;
let retryTimer;
let skew = 0; // the gateway's clock minus ours, from the Date header
let truncated = false; // the listing stopped at MAX_PAGES with more to come

// ---- the directory -------------------------------------------------------

async function listAll() {
  const listed = new Map();
  let cursor = null;
  let revision;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const response = await fetch(`/worlds?${query}`, { cache: "no-store" });
    if (!response.ok) throw new Error(`/worlds answered ${response.status}`);
    const date = Date.parse(response.headers.get("date") ?? "");
    if (date) skew = date - Date.now();
    const body = await response.json();
    revision ??= body.revision; // the first page's: later pages are replayed by events
    for (const world of body.worlds) listed.set(world.worldId, world);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return { listed, revision, truncated: Boolean(cursor) };
}

/** Lists, then watches from the listing's revision; on failure, again with backoff. */
async function sync() {
  clearTimeout(retryTimer);
  source?.close();
  try {
    const listing = await listAll();
    const { listed, revision } = listing;
    worlds = listed;
    truncated = listing.truncated;
    renderList();
    watch(revision);
  } catch {
    retry();
  }
}

function retry() {
  source?.close();
  const wait = backoff * (0.5 + Math.random() / 2);
  backoff = Math.min(backoff * 2, 30_000);
  setConnection(`Offline, retrying in ${Math.ceil(wait / 1000)} s`);
  retryTimer = setTimeout(sync, wait);
}

function watch(revision) {
  source = new EventSource(`/watch?since=${encodeURIComponent(revision ?? "")}`);
  source.onopen = () => {
    backoff = 1000;
    setConnection("Live");
  };
  source.onerror = () => {
    // CONNECTING: the browser resumes with Last-Event-ID by itself. CLOSED: it
    // gave up (e.g. 429), so list and watch again after a while.
    if (source.readyState === EventSource.CLOSED) retry();
    else setConnection("Reconnecting…");
  };
  const on = (type, handle) =>
    source.addEventListener(type, (event) => handle(JSON.parse(event.data)));
  on("world.announced", (world) => upsert(world, true));
  on("world.updated", (world) => upsert(world, false));
  on("world.expired", ({ worldId }) => {
    const world = worlds.get(worldId);
    if (!world) return;
    worlds.delete(worldId);
    rows.get(worldId)?.remove();
    rows.delete(worldId);
    announce(`${world.name} went offline`);
    renderCount();
    if (route() === worldId) renderWorld();
  });
  on("world.owner_changed", ({ worldId }) => route() === worldId && renderWorld());
  on("reset", () => sync()); // the stream lost its place: list again
}

function upsert(world, isNew) {
  const known = worlds.has(world.worldId);
  worlds.set(world.worldId, world);
  const item = row(world);
  // A new lease goes to the top, as in the listing; an update stays in place.
  if (isNew || !known) $("worlds").prepend(item);
  if (!known) announce(`${world.name} came online`);
  renderCount();
  if (route() === world.worldId) renderWorld();
}

/** The list item of a world, created or updated in place. */
function row(world) {
  let item = rows.get(world.worldId);
  if (!item) {
    item = el("li", { class: "world" });
    rows.set(world.worldId, item);
  }
  const link = el("a", { href: `#/world/${encodeURIComponent(world.worldId)}` }, world.name);
  const reach = reachability(world);
  item.replaceChildren(
    el("h2", {}, link),
    el("span", { class: "id" }, world.worldId),
    el("span", { class: `${reach.class} reach` }, ...reach.text),
    el("span", {}, "seen ", seenTime(world.lastSeen)),
  );
  return item;
}

/**
 * What the page says of a world's reachability: reachable; unreachable (the
 * gateway's calls to its endpoints failed), with when it last answered; or
 * no endpoint at all.
 */
function reachability(world) {
  if (world.reachable) return { class: "ok", text: ["reachable"] };
  if (!world.endpoints?.length) return { class: "warn", text: ["no endpoint"] };
  if (typeof world.lastReachableAt !== "number") {
    return { class: "warn", text: ["unreachable"] };
  }
  return {
    class: "warn",
    text: ["unreachable, last reached ", agoTime(world.lastReachableAt, "reached")],
  };
}

function renderList() {
  rows.clear();
  $("worlds").replaceChildren(...[...worlds.values()].map(row));
  renderCount();
}

function renderCount() {
  const n = worlds.size;
  $("count").textContent = n === 0
    ? "No world is live right now."
    : truncated
    ? `${n.toLocaleString("en-US")} live worlds shown; more are live`
    : `${n} live world${n === 1 ? "" : "s"}`;
  const note = $("truncated");
  if (truncated && note.hidden) {
    note.replaceChildren(
      `This list stops at ${(PAGE * MAX_PAGES).toLocaleString("en-US")} worlds and more are live: `,
      "every world is in ",
      el("a", { href: "/worlds" }, "/worlds"),
      ".",
    );
  }
  note.hidden = !truncated;
}

/** A `<time>` saying how long ago `ms` was; it ticks. `kind` tells "last seen" from others. */
function agoTime(ms, kind) {
  const time = el("time", {
    datetime: new Date(ms).toISOString(),
    "data-at": ms,
    "data-kind": kind,
  });
  time.textContent = ago(ms);
  return time;
}

function seenTime(lastSeen) {
  return agoTime(lastSeen, "seen");
}

function ago(ms) {
  const seconds = Math.max(0, Math.round((Date.now() + skew - ms) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : `${Math.floor(minutes / 60)} h ago`;
}

function tick() {
  for (const time of document.querySelectorAll("time[data-at]")) {
    time.textContent = ago(Number(time.dataset.at));
  }
}

/** Heartbeats are not events: refresh "last seen" from a listing now and then. */
async function refreshSeen() {
  if (document.hidden || !source || source.readyState !== EventSource.OPEN) return;
  try {
    const { listed, truncated: more } = await listAll();
    if (more !== truncated) {
      truncated = more;
      renderCount();
    }
    for (const [id, world] of worlds) {
      const fresh = listed.get(id);
      if (fresh && fresh.lastSeen > world.lastSeen) world.lastSeen = fresh.lastSeen;
    }
    for (const [id, item] of rows) {
      const time = item.querySelector('time[data-kind="seen"]');
      if (time) time.dataset.at = worlds.get(id).lastSeen;
    }
    tick();
  } catch {
    // the next refresh will do
  }
}

// ---- a world -------------------------------------------------------------

let socket;
let joined = false;

function route() {
  const match = location.hash.match(/^#\/world\/(.+)$/);
  const id = match && decodeURIComponent(match[1]);
  return id && WORLD_ID.test(id) ? id : null;
}

function show() {
  const id = route();
  $("directory").hidden = id !== null;
  $("world").hidden = id === null;
  if (socket && socket.worldId !== id) stopWatching();
  if (id !== null) renderWorld();
  document.title = id ? `${worlds.get(id)?.name ?? id} · AgentWorlds` : "AgentWorlds · live worlds";
}

async function renderWorld() {
  const id = route();
  const listed = worlds.get(id);
  $("world-title").textContent = listed?.name ?? id;
  let detail;
  try {
    const response = await fetch(`/world/${encodeURIComponent(id)}`, { cache: "no-store" });
    if (response.ok) detail = await response.json();
  } catch {
    // shown as offline below
  }
  if (route() !== id) return;
  if (detail) {
    $("world-title").textContent = detail.name;
    document.title = `${detail.name} · AgentWorlds`;
  }
  $("world-status").textContent = detail ? "" : "This world is offline.";
  $("watch").disabled = !detail && !socket;
  const facts = detail
    ? [
      ["World id", detail.worldId],
      ["Agent id", detail.agentId],
      ["Reachable", detail.reachable ? "yes" : el("span", {}, ...reachability(detail).text)],
      ["Endpoints", detail.endpoints.map((e) => `${e.address}:${e.port}`).join(", ") || "none"],
      ["Watching", String(detail.subscribers)],
      ["Last seen", seenTime(detail.lastSeen)],
    ]
    : [["World id", id]];
  $("world-details").replaceChildren(
    ...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
  );
}

function startWatching(id) {
  const url = new URL(`/ws?world=${encodeURIComponent(id)}`, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(url);
  socket.worldId = id;
  setWatching(true);
  socket.onmessage = (event) => receive(JSON.parse(event.data));
  socket.onclose = () => {
    if (socket?.worldId === id) stopWatching();
  };
}

function stopWatching() {
  const closing = socket;
  socket = undefined;
  joined = false;
  closing?.close();
  setWatching(false);
  $("state").textContent = "Not watching.";
  $("board").hidden = true;
}

function setWatching(on) {
  $("watch").textContent = on ? "Stop watching" : "Watch";
  $("watch").setAttribute("aria-pressed", String(on));
  $("join").hidden = !on || joined;
  $("play").hidden = !on || !joined;
}

function send(frame) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

function receive(frame) {
  switch (frame.type) {
    case "subscribed":
      announce(`Watching ${frame.worldId}`);
      renderWorld(); // the watcher count now includes us
      break;
    case "join_result":
      if (!frame.ok) return announce(`Could not join: ${frame.error}`);
      joined = true;
      setWatching(true);
      renderActions(frame.manifest?.actions);
      if (frame.state !== undefined) renderState(frame.state);
      announce("Joined");
      $("actions").querySelector("button")?.focus();
      break;
    case "action_result":
      if (!frame.ok) announce(`Refused: ${frame.error}`);
      if (frame.state !== undefined) renderState(frame.state);
      break;
    case "leave_result":
      joined = false;
      setWatching(true);
      announce("Left the world");
      break;
    case "world.state":
      renderState(frame.state);
      break;
    case "error":
      announce(frame.message);
      $("world-status").textContent = frame.message;
      break;
  }
}

/** Buttons for each action the manifest lists: one per choice of a field written "a | b | c". */
function renderActions(actions) {
  const box = $("actions");
  box.replaceChildren();
  let example;
  for (const template of Array.isArray(actions) ? actions : []) {
    if (!template || typeof template !== "object") continue;
    const choices = Object.entries(template).filter(([, v]) =>
      typeof v === "string" && v.includes("|")
    );
    const concrete = (value) => {
      const text = value.trim();
      return /^-?\d+$/.test(text) ? Number(text) : text;
    };
    if (choices.length === 1) {
      const [field, options] = choices[0];
      for (const option of options.split("|").map(concrete)) {
        const data = { ...template, [field]: option };
        const button = el(
          "button",
          { type: "button", "data-action": JSON.stringify(data) },
          String(option),
        );
        box.append(button);
      }
    } else {
      const data = Object.fromEntries(
        Object.entries(template).map((
          [k, v],
        ) => [k, typeof v === "string" ? concrete(v.split("|")[0]) : v]),
      );
      example ??= JSON.stringify(data);
      if (choices.length === 0) {
        box.append(el("button", { type: "button", "data-action": example }, example));
      }
    }
  }
  $("action-json").value = example ?? "{}";
}

function renderState(state) {
  $("state").textContent = JSON.stringify(state, null, 2);
  const board = $("board");
  const grid = state && Number.isInteger(state.width) && Number.isInteger(state.height) &&
    Array.isArray(state.agents) && state.width <= 256 && state.height <= 256;
  board.hidden = !grid;
  if (!grid) return;
  const size = Math.max(4, Math.floor(320 / Math.max(state.width, state.height)));
  board.width = size * state.width;
  board.height = size * state.height;
  const context = board.getContext("2d");
  const styles = getComputedStyle(board);
  context.fillStyle = styles.backgroundColor;
  context.fillRect(0, 0, board.width, board.height);
  context.fillStyle = styles.color;
  for (const agent of state.agents) {
    context.fillRect(agent.x * size + 1, agent.y * size + 1, size - 2, size - 2);
  }
  const where = state.agents.map((a) => `(${a.x}, ${a.y})`).join(", ");
  board.setAttribute(
    "aria-label",
    `${state.width} by ${state.height} grid; agents at ${where || "no cell"}`,
  );
}

// ---- helpers and wiring --------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function setConnection(text) {
  $("connection").textContent = text;
}

let pending = [];
let announceTimer;
/** Screen readers hear changes at most once a second, a few at a time. */
function announce(message) {
  pending.push(message);
  announceTimer ??= setTimeout(() => {
    const more = pending.length > 3 ? ` and ${pending.length - 3} more` : "";
    $("announcer").textContent = pending.slice(0, 3).join(". ") + more;
    pending = [];
    announceTimer = undefined;
  }, 1000);
}

$("watch").addEventListener("click", () => (socket ? stopWatching() : startWatching(route())));
$("join").addEventListener("submit", (event) => {
  event.preventDefault();
  send({ type: "join", alias: $("alias").value.trim() });
});
$("custom").addEventListener("submit", (event) => {
  event.preventDefault();
  try {
    send({ type: "action", data: JSON.parse($("action-json").value) });
  } catch {
    announce("The action is not valid JSON");
  }
});
$("actions").addEventListener("click", (event) => {
  const data = event.target.closest("button[data-action]")?.dataset.action;
  if (data) send({ type: "action", data: JSON.parse(data) });
});
$("leave").addEventListener("click", () => send({ type: "leave" }));
$("board").addEventListener("keydown", (event) => {
  const direction =
    { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left", ArrowRight: "right" }[event.key];
  const button = direction && $("actions").querySelector(`button[data-action*='"${direction}"']`);
  if (!button || !joined) return;
  event.preventDefault();
  button.click();
});
addEventListener("hashchange", show);
document.addEventListener("visibilitychange", () => document.hidden || refreshSeen());
setInterval(tick, 1000);
setInterval(refreshSeen, 60_000);
show();
sync();
