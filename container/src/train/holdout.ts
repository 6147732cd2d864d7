/**
 * Deterministic hold-out: a sample is in the validation split when the FNV-1a hash of its id
 * falls below `fraction`. The same id lands in the same split in every run, so a fine-tuned
 * challenger never trains on what the champion was validated on, and both are compared on
 * the same samples.
 */
export function isHeldOut(id: string, fraction: number): boolean {
  return mix(fnv1a(id)) / 2 ** 32 < fraction;
}

/**
 * MurmurHash3's finaliser: FNV-1a alone leaves ids that differ only in their last characters
 * (`file.jsonl#1`, `#2`, ...) close together in the high bits, which the threshold reads.
 */
function mix(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
