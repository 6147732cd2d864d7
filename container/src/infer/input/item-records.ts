import type { S3Client } from '@aws-sdk/client-s3';
import type { ManifestItem } from '../../../../lib/contracts/manifest';
import type { InputSpec } from '../../../../lib/contracts/registry';
import { archiveRecords } from './archive-records';
import type { DecodeLimits } from './decode-image';
import type { Decoded, Decoder } from './decoder';
import type { Input, InputLimits } from './read-input';
import { ArchiveLimits, tarEntries } from './tar-entries';

export interface ItemReader {
  readonly s3: S3Client;
  readonly decoder: Decoder;
  readonly spec: InputSpec;
  readonly decodeLimits: DecodeLimits;
  readonly inputLimits: InputLimits;
  readonly archiveLimits: ArchiveLimits;
  /** Members of one archive read and decoding ahead of the model. */
  readonly membersAhead: number;
}

async function* once(decoded: Decoded): AsyncGenerator<Decoded> {
  yield decoded;
}

/**
 * The records of one manifest item, in chunks: one for a plain object, decoded before this
 * resolves; one per entry for an archive, streamed from here on. Never throws for bad input.
 */
export async function itemRecords(
  input: Input,
  item: ManifestItem,
  reader: ItemReader,
): Promise<AsyncGenerator<Decoded>> {
  switch (input.kind) {
    case 'failed':
      return once({
        records: { samples: [], failures: [{ offset: 0, ...input.failure }], skipped: 0 },
        decodeMs: 0,
      });
    case 'object':
      return once(
        await reader.decoder.decode({
          key: item.key,
          bytes: input.bytes,
          spec: reader.spec,
          limits: reader.decodeLimits,
        }),
      );
    case 'archive':
      return archiveRecords(
        tarEntries(input.body, input.format, reader.archiveLimits),
        (name, bytes) =>
          reader.decoder.decode({
            key: name,
            bytes,
            spec: reader.spec,
            limits: reader.decodeLimits,
          }),
        reader.membersAhead,
      );
  }
}
