/**
 * The RFC 6455 wire format, server side: the handshake's accept key,
 * frame headers as a client sends them (masked) and frames as a server sends
 * them (unmasked), and close frame payloads. No I/O here.
 *
 * @module
 */

/** Frame opcodes. */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

/** Close codes the server sends. */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  invalidData: 1007,
  policy: 1008,
  tooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const encoder = new TextEncoder();

/** `Sec-WebSocket-Accept` for a client's key: base64(SHA-1(key + GUID)). */
export async function acceptKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode(key + GUID));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** A client frame header, read before any of its payload. */
export interface FrameHeader {
  fin: boolean;
  opcode: number;
  /** Bytes of header, mask key included. */
  headerLength: number;
  payloadLength: number;
  /** Offset of the 4-byte mask key from the frame's start. */
  maskOffset: number;
}

/** Why a frame header is refused: the close code and reason to send. */
export interface FrameError {
  code: number;
  reason: string;
}

/**
 * Reads a client frame's header from `bytes[at, end)`. Returns the header,
 * `undefined` when more bytes are needed, or the protocol error. Lengths
 * above 2^53 are reported as `Infinity` (the caller's size limit refuses them).
 */
export function readFrameHeader(
  bytes: Uint8Array,
  at: number,
  end: number,
): FrameHeader | FrameError | undefined {
  if (end - at < 2) return undefined;
  const b0 = bytes[at];
  const b1 = bytes[at + 1];
  const fin = (b0 & 0x80) !== 0;
  const opcode = b0 & 0x0f;
  if ((b0 & 0x70) !== 0) return { code: CLOSE.protocolError, reason: "reserved bits set" };
  if (opcode > 0x2 && (opcode < 0x8 || opcode > 0xa)) {
    return { code: CLOSE.protocolError, reason: `unknown opcode ${opcode}` };
  }
  if ((b1 & 0x80) === 0) {
    return { code: CLOSE.protocolError, reason: "client frames must be masked" };
  }
  const length7 = b1 & 0x7f;
  const extra = length7 === 126 ? 2 : length7 === 127 ? 8 : 0;
  const headerLength = 2 + extra + 4;
  if (end - at < headerLength) return undefined;
  let payloadLength = length7;
  if (length7 === 126) {
    payloadLength = (bytes[at + 2] << 8) | bytes[at + 3];
  } else if (length7 === 127) {
    if (bytes[at + 2] & 0x80) return { code: CLOSE.protocolError, reason: "frame length too long" };
    const high = ((bytes[at + 2] << 24) | (bytes[at + 3] << 16) | (bytes[at + 4] << 8) |
      bytes[at + 5]) >>> 0;
    const low = ((bytes[at + 6] << 24) | (bytes[at + 7] << 16) | (bytes[at + 8] << 8) |
      bytes[at + 9]) >>> 0;
    payloadLength = high >= 0x200000 ? Infinity : high * 0x100000000 + low;
  }
  if (opcode >= 0x8) {
    if (!fin) return { code: CLOSE.protocolError, reason: "fragmented control frame" };
    if (payloadLength > 125) return { code: CLOSE.protocolError, reason: "control frame too long" };
  }
  return { fin, opcode, headerLength, payloadLength, maskOffset: 2 + extra };
}

/** Unmasks `bytes[from, from + length)` in place with the 4-byte key at `keyAt`. */
export function unmask(bytes: Uint8Array, keyAt: number, from: number, length: number): void {
  const k0 = bytes[keyAt], k1 = bytes[keyAt + 1], k2 = bytes[keyAt + 2], k3 = bytes[keyAt + 3];
  let i = 0;
  for (; i + 3 < length; i += 4) {
    bytes[from + i] ^= k0;
    bytes[from + i + 1] ^= k1;
    bytes[from + i + 2] ^= k2;
    bytes[from + i + 3] ^= k3;
  }
  const key = [k0, k1, k2, k3];
  for (; i < length; i++) bytes[from + i] ^= key[i & 3];
}

/** A server frame (FIN set, unmasked) with `payload`. */
export function encodeFrame(opcode: number, payload: Uint8Array): Uint8Array {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = new Uint8Array(headerLength + length);
  frame[0] = 0x80 | opcode;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame[2] = length >>> 8;
    frame[3] = length & 0xff;
  } else {
    frame[1] = 127;
    const high = Math.floor(length / 0x100000000);
    frame[2] = high >>> 24;
    frame[3] = (high >>> 16) & 0xff;
    frame[4] = (high >>> 8) & 0xff;
    frame[5] = high & 0xff;
    frame[6] = length >>> 24;
    frame[7] = (length >>> 16) & 0xff;
    frame[8] = (length >>> 8) & 0xff;
    frame[9] = length & 0xff;
  }
  frame.set(payload, headerLength);
  return frame;
}

/** Whether a client may send this close code (RFC 6455 §7.4). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
    (code >= 3000 && code <= 4999);
}

/** A close payload: the code, then the reason cut to fit 123 bytes of UTF-8. */
export function closePayload(code: number, reason: string): Uint8Array {
  let bytes = encoder.encode(reason);
  if (bytes.length > 123) {
    let cut = 123;
    // Never cut inside a UTF-8 sequence: back up to a lead byte.
    while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
    bytes = bytes.subarray(0, cut);
  }
  const payload = new Uint8Array(2 + bytes.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(bytes, 2);
  return payload;
}
