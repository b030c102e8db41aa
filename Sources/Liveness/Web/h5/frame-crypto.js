// The page's half of the frame encryption (docs/h5-protocol.md section 3). The server's
// half is Sources/Liveness/FrameCrypto; both are pinned to one known-answer vector
// (FrameCryptoKnownAnswerTests.swift, Tests/Integration/test_h5_crypto.py), so change
// nothing here without changing both.
//
// Self-contained on purpose (no imports): the integration test loads this file alone.

const HKDF_INFO = new TextEncoder().encode('veriface-h5-frames-v1');
const NONCE_PREFIX = [0x56, 0x46, 0x48, 0x35]; // "VFH5"
export const HEADER_BYTES = 16;
const ECDH_P256 = { name: 'ECDH', namedCurve: 'P-256' };

// A fresh key pair for this page. The private key is not extractable, so no script on
// the page (ours or injected) can read it out and hand it to a scripted client.
export async function generateClientKeys() {
  const pair = await crypto.subtle.generateKey(ECDH_P256, false, ['deriveBits']);
  const publicKeyRaw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { privateKey: pair.privateKey, publicKeyRaw };
}

// ECDH x-coordinate -> HKDF-SHA256(salt = session id, info = label) -> AES-256-GCM key.
export async function deriveFrameKey(privateKey, serverPublicKeyRaw, sessionId) {
  const serverKey = await crypto.subtle.importKey('raw', serverPublicKeyRaw, ECDH_P256, false, []);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: serverKey }, privateKey, 256);
  const hkdfKey = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode(sessionId), info: HKDF_INFO },
    hkdfKey, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
}

// header (counter, capture time; both big-endian u64) || AES-GCM(payload) || tag.
// The header is the additional data, so neither number can be changed in transit.
export async function sealFrame(key, counter, captureMillis, payload) {
  const header = new Uint8Array(HEADER_BYTES);
  const view = new DataView(header.buffer);
  view.setBigUint64(0, BigInt(counter));
  view.setBigUint64(8, BigInt(captureMillis));
  const nonce = new Uint8Array(12);
  nonce.set(NONCE_PREFIX, 0);
  nonce.set(header.subarray(0, 8), 4);
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: nonce, additionalData: header, tagLength: 128 }, key, payload);
  const envelope = new Uint8Array(HEADER_BYTES + sealed.byteLength);
  envelope.set(header, 0);
  envelope.set(new Uint8Array(sealed), HEADER_BYTES);
  return envelope;
}

// One session's sender: counts frames from 1 in the order seal() is called. Callers must
// send envelopes in that same order (the server refuses a counter that does not grow).
export class FrameSealer {
  constructor(key) {
    this.key = key;
    this.counter = 0;
  }

  seal(payload, captureMillis) {
    this.counter += 1;
    return sealFrame(this.key, this.counter, captureMillis, payload);
  }
}

// Everything the page needs for a session: its public key for `hello` and a sealer.
export async function openFrameChannel(serverPublicKeyBase64, sessionId) {
  const keys = await generateClientKeys();
  const key = await deriveFrameKey(keys.privateKey, base64ToBytes(serverPublicKeyBase64), sessionId);
  return { publicKeyBase64: bytesToBase64(keys.publicKeyRaw), sealer: new FrameSealer(key) };
}

export function bytesToBase64(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function base64ToBytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
