import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { InputSpec } from '../../../lib/contracts/registry';
import type { NativeVariant } from '../../native/native-location';
import type { DataObject } from './data-objects';
import type { DataIssues } from './data-issues';
import type { DiskObjectCache } from './disk-object-cache';
import { LabelError, UnreadableSampleError } from './errors';
import { isHeldOut } from './holdout';
import { decodeImage } from './image-decoding';
import { mapConcurrent } from './map-concurrent';
import type { LabelIndex, Sample } from './sample';
import { csvLayout, parseCsvRecord, parseJsonlRecord, TabularRecord } from './tabular-parsing';
import { AccessCall, EXAMPLE } from '../../../lib/contracts/access';
import { MODEL_PREFIXES } from '../../../lib/contracts/keys';

export type Split = 'train' | 'validation';

export interface SampleStreamOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly objects: readonly DataObject[];
  readonly input: InputSpec;
  readonly labels: LabelIndex;
  readonly labelColumn: string;
  readonly validationFraction: number;
  readonly split: Split;
  readonly concurrency: number;
  /** Where skipped data is reported; pass it on one pass only so each problem counts once. */
  readonly issues?: DataIssues;
  /** Keeps image bodies on local disk between passes. */
  readonly cache?: DiskObjectCache;
  /** The native binding the backend runs on: images decode through its TensorFlow ops. */
  readonly native?: NativeVariant;
}

interface IssueOf {
  readonly kind: 'unreadable' | 'unknown-label';
  readonly message: string;
}
type Outcome = Sample | { readonly skipped: IssueOf };

/**
 * Streams one split's samples from S3: images are fetched `concurrency` at a time, JSONL/CSV
 * files are read line by line from the response stream. Bad objects and records are skipped
 * and reported; the stream goes on.
 */
export async function* streamSamples(options: SampleStreamOptions): AsyncGenerator<Sample> {
  const wanted = (id: string) =>
    isHeldOut(id, options.validationFraction) === (options.split === 'validation');
  const images = options.objects.filter((o) => o.kind === 'image' && wanted(o.key));
  for await (const outcome of mapConcurrent(images, options.concurrency, (o) =>
    imageSample(options, o),
  )) {
    if ('skipped' in outcome) options.issues?.add(outcome.skipped.kind, outcome.skipped.message);
    else yield outcome;
  }
  for (const object of options.objects) {
    if (object.kind === 'image') continue;
    yield* tabularSamples(options, object, wanted);
  }
}

async function imageSample(options: SampleStreamOptions, object: DataObject): Promise<Outcome> {
  const label = object.kind === 'image' ? object.label : '';
  const index = options.labels.get(label);
  if (index === undefined) {
    return skipped(
      'unknown-label',
      `${object.key}: label '${label}' is not one of the model's labels`,
    );
  }
  if (options.input.kind !== 'image') {
    return skipped(
      'unreadable',
      `${object.key}: an image, but the model takes ${options.input.kind}`,
    );
  }
  try {
    const fetch = () => getBody(options, object.key).then((body) => body.transformToByteArray());
    const bytes = options.cache ? await options.cache.bytes(object.key, fetch) : await fetch();
    return {
      id: object.key,
      x: decodeImage(bytes, object.key, options.input, options.native),
      label: index,
    };
  } catch (error) {
    return skipped('unreadable', describe(error, object.key));
  }
}

async function* tabularSamples(
  options: SampleStreamOptions,
  object: DataObject,
  wanted: (id: string) => boolean,
): AsyncGenerator<Sample> {
  const input = options.input;
  if (input.kind !== 'features') {
    options.issues?.add('unreadable', `${object.key}: records, but the model takes images`);
    return;
  }
  let lines: AsyncIterable<string>;
  try {
    const body = await getBody(options, object.key);
    lines = createInterface({ input: body as unknown as Readable, crlfDelay: Infinity });
  } catch (error) {
    options.issues?.add('unreadable', describe(error, object.key));
    return;
  }
  let layout: ReturnType<typeof csvLayout> | undefined;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const id = `${object.key}#${lineNumber}`;
    try {
      if (object.kind === 'csv' && !layout) {
        layout = csvLayout(line, object.key, input, options.labelColumn);
        continue;
      }
      if (!wanted(id)) continue;
      const record: TabularRecord = layout
        ? parseCsvRecord(line, id, layout, input, options.labelColumn)
        : parseJsonlRecord(line, id, input, options.labelColumn);
      const label = options.labels.get(record.label);
      if (label === undefined) {
        options.issues?.add(
          'unknown-label',
          `${id}: label '${record.label}' is not one of the model's labels`,
        );
        continue;
      }
      yield { id, x: record.features, label };
    } catch (error) {
      const kind = error instanceof LabelError ? error.kind : 'unreadable';
      options.issues?.add(kind, describe(error, id));
      // A CSV without a usable header has no readable rows.
      if (object.kind === 'csv' && !layout) return;
    }
  }
}

async function getBody(options: SampleStreamOptions, key: string) {
  const response = await options.s3.send(
    new GetObjectCommand({ Bucket: options.bucket, Key: key }),
  );
  if (!response.Body) throw new UnreadableSampleError(`${key}: empty response body`);
  return response.Body;
}

function skipped(kind: IssueOf['kind'], message: string): Outcome {
  return { skipped: { kind, message } };
}

function describe(error: unknown, id: string): string {
  if (error instanceof UnreadableSampleError || error instanceof LabelError) return error.message;
  return `${id}: cannot read (${(error as Error).name}: ${(error as Error).message})`;
}

/** The AWS calls of this module (lib/contracts/access.ts). */
export const ACCESS: readonly AccessCall[] = [
  {
    by: ['trainJob'],
    sdk: 'GetObjectCommand',
    action: 's3:GetObject',
    resources: [
      { s3: 'models', key: `${MODEL_PREFIXES.training}${EXAMPLE.modelName}/7/img-1.png` },
    ],
    why: 'reads a labelled training object',
  },
];
