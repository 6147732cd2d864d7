import type { InputSpec } from '../../../../lib/contracts/registry';
import type { DecodeLimits } from './decode-image';
import { objectRecords, ObjectRecords } from './object-records';

export interface DecodeRequest {
  readonly id: number;
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly spec: InputSpec;
  readonly limits: DecodeLimits;
}

export type DecodeResponse =
  | { readonly id: number; readonly records: ObjectRecords; readonly decodeMs: number }
  | { readonly id: number; readonly error: string }
  /** Sent once by a decode thread when it has loaded and takes requests. */
  | { readonly ready: true };

export interface Decoded {
  readonly records: ObjectRecords;
  /** Time spent decoding, excluding time queued for a thread. */
  readonly decodeMs: number;
}

/** Turns downloaded objects into model inputs, on this thread or on decode threads. */
export interface Decoder {
  decode(request: Omit<DecodeRequest, 'id'>): Promise<Decoded>;
  close(): Promise<void>;
}

export function decodeNow(request: Omit<DecodeRequest, 'id'>): Decoded {
  const began = performance.now();
  const records = objectRecords(request.key, request.bytes, request.spec, request.limits);
  return { records, decodeMs: performance.now() - began };
}

/** Decodes on the calling thread: for machines with one core, and as the reference. */
export function inlineDecoder(): Decoder {
  return {
    decode: async (request) => decodeNow(request),
    close: async () => undefined,
  };
}
