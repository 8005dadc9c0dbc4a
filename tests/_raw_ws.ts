/**
 * A raw WebSocket client for tests: the handshake and frames written byte by
 * byte over {@linkcode RawClient}, so a test can send what a browser never
 * would (unmasked frames, lying length fields, bad close codes).
 *
 * @module
 */
import { RawClient, type RawResponse } from "./_raw_tcp.ts";

const encoder = new TextEncoder();

/** A key as a browser sends it: base64 of 16 random bytes. */
export function randomKey(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** Sends an upgrade request (headers may override or drop, with `null`, the usual ones). */
export async function upgrade(
  port: number,
  path = "/",
  headers: Record<string, string | null> = {},
): Promise<{ client: RawClient; response: RawResponse }> {
  const all: Record<string, string | null> = {
    host: "t",
    upgrade: "websocket",
    connection: "Upgrade",
    "sec-websocket-version": "13",
    "sec-websocket-key": randomKey(),
    ...headers,
  };
  let head = `GET ${path} HTTP/1.1\r\n`;
  for (const [name, value] of Object.entries(all)) {
    if (value !== null) head += `${name}: ${value}\r\n`;
  }
  const client = await RawClient.open(port);
  await client.write(head + "\r\n");
  const response = await client.response(5000); // a 101 has no body; a refusal's is read
  return { client, response };
}

/** Options of {@linkcode clientFrame}. */
export interface FrameOptions {
  fin?: boolean;
  /** Default: true (clients must mask). */
  masked?: boolean;
  /** The length the header claims, when it should lie. */
  declaredLength?: number;
}

/** A client frame: opcode, payload, masked with a random key. */
export function clientFrame(
  opcode: number,
  payload: string | Uint8Array = new Uint8Array(0),
  { fin = true, masked = true, declaredLength }: FrameOptions = {},
): Uint8Array {
  const data = typeof payload === "string" ? encoder.encode(payload) : payload;
  const length = declaredLength ?? data.length;
  const extra = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const header = new Uint8Array(2 + extra + (masked ? 4 : 0));
  header[0] = (fin ? 0x80 : 0) | opcode;
  header[1] = (masked ? 0x80 : 0) | (extra === 0 ? length : extra === 2 ? 126 : 127);
  const view = new DataView(header.buffer);
  if (extra === 2) view.setUint16(2, length);
  if (extra === 8) view.setBigUint64(2, BigInt(length));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  if (masked) {
    const key = crypto.getRandomValues(new Uint8Array(4));
    out.set(key, 2 + extra);
    for (let i = 0; i < data.length; i++) out[header.length + i] = data[i] ^ key[i & 3];
  } else {
    out.set(data, header.length);
  }
  return out;
}

/** A close frame payload. */
export function closeBody(code: number, reason = ""): Uint8Array {
  const text = encoder.encode(reason);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >> 8;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}

/** A server frame as read. */
export interface ServerFrame {
  fin: boolean;
  opcode: number;
  payload: Uint8Array;
  /** For close frames. */
  code?: number;
  reason?: string;
}

/** Reads one server frame; undefined if the connection ended first. */
export async function readFrame(client: RawClient, ms = 5000): Promise<ServerFrame | undefined> {
  if (!await client.need(2, ms)) return undefined;
  const [b0, b1] = client.buffered;
  if (b1 & 0x80) throw new Error("the server masked a frame");
  let length = b1 & 0x7f;
  let headerLength = 2;
  if (length === 126) {
    if (!await client.need(4, ms)) return undefined;
    length = (client.buffered[2] << 8) | client.buffered[3];
    headerLength = 4;
  } else if (length === 127) {
    if (!await client.need(10, ms)) return undefined;
    length = Number(
      new DataView(client.buffered.buffer, client.buffered.byteOffset).getBigUint64(2),
    );
    headerLength = 10;
  }
  if (!await client.need(headerLength + length, ms)) return undefined;
  const payload = client.take(headerLength + length).subarray(headerLength);
  const frame: ServerFrame = { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  if (frame.opcode === 0x8 && payload.length >= 2) {
    frame.code = (payload[0] << 8) | payload[1];
    frame.reason = new TextDecoder().decode(payload.subarray(2));
  }
  return frame;
}

/** Reads frames until a close frame; returns it (undefined if the connection ended first). */
export async function readUntilClose(
  client: RawClient,
  ms = 5000,
): Promise<ServerFrame | undefined> {
  for (;;) {
    const frame = await readFrame(client, ms);
    if (!frame || frame.opcode === 0x8) return frame;
  }
}
