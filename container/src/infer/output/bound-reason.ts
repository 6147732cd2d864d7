import { MAX_REASON_BYTES } from '../../../../lib/contracts/records';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** Room kept for the marker: '… (' + up to 16 digits + ' more bytes)' fits in 32 bytes. */
const MARKER_BYTES = 32;

/**
 * `reason` cut to MAX_REASON_BYTES of UTF-8 at a character boundary, with how much was cut.
 * Reasons name the problem first, so the start is what to keep.
 */
export function boundReason(reason: string): string {
  // A UTF-16 unit is at most 3 UTF-8 bytes: shorter strings cannot exceed the bound.
  if (reason.length * 3 <= MAX_REASON_BYTES) return reason;
  const total = Buffer.byteLength(reason, 'utf8');
  if (total <= MAX_REASON_BYTES) return reason;
  const room = new Uint8Array(MAX_REASON_BYTES - MARKER_BYTES);
  // encodeInto writes whole characters only, so the kept start is valid UTF-8.
  let head = reason.slice(0, room.length);
  // A cut between the halves of a surrogate pair would encode as U+FFFD.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  const { written } = encoder.encodeInto(head, room);
  return `${decoder.decode(room.subarray(0, written))}… (${total - written} more bytes)`;
}
