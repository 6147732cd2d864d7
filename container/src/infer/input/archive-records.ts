import type { MemberRef } from '../../../../lib/contracts/manifest';
import { readAhead } from '../pipeline/read-ahead';
import type { Decoded } from './decoder';
import type { ObjectRecords } from './object-records';
import type { TarEntry } from './tar-entries';

/** Decodes one member's bytes as if it were an object named after the member. */
export type DecodeMember = (name: string, bytes: Uint8Array) => Promise<Decoded>;

const ignore = () => undefined;

function inMember(records: ObjectRecords, member: MemberRef): ObjectRecords {
  return {
    samples: records.samples.map((sample) => ({ ...sample, member })),
    failures: records.failures.map((failure) => ({ ...failure, member })),
    skipped: records.skipped,
  };
}

function withoutDecoding(records: ObjectRecords): Promise<Decoded> {
  return Promise.resolve({ records, decodeMs: 0 });
}

/** A member's decode, started; wrapped so that yielding it does not wait for it. */
interface Started {
  readonly decoded: Promise<Decoded>;
}

async function* startDecodes(
  entries: AsyncIterable<TarEntry>,
  decode: DecodeMember,
): AsyncGenerator<Started> {
  for await (const entry of entries) {
    let decoded: Promise<Decoded>;
    if (entry.kind === 'file') {
      const { member } = entry;
      decoded = decode(member.name, entry.bytes).then((result) => ({
        records: inMember(result.records, member),
        decodeMs: result.decodeMs,
      }));
    } else if (entry.kind === 'directory') {
      decoded = withoutDecoding({ samples: [], failures: [], skipped: 1 });
    } else {
      const { code, reason, member } = entry;
      decoded = withoutDecoding({
        samples: [],
        failures: [{ offset: 0, code, reason, ...(member ? { member } : {}) }],
        skipped: 0,
      });
    }
    // Awaited by the consumer in turn; a decode thread's crash must not be unhandled before.
    decoded.catch(ignore);
    yield { decoded };
  }
}

/**
 * The records of an archive's entries, one chunk per entry in archive order, each member's
 * records tagged with the member. Up to `readAhead` members are read and decoding at once
 * (on the decode threads, in parallel), so memory holds at most that many members and their
 * samples per archive.
 */
export function archiveRecords(
  entries: AsyncIterable<TarEntry>,
  decode: DecodeMember,
  membersAhead: number,
): AsyncGenerator<Decoded> {
  // Started here, not at the first read: the archive streams while earlier objects score.
  const started = readAhead(startDecodes(entries, decode), membersAhead);
  return (async function* () {
    for await (const { decoded } of started) yield await decoded;
  })();
}
