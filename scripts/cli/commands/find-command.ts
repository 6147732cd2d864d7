import { dynamoClient, s3Client } from '../../../lib/contracts/aws-clients';
import { resultKeys } from '../../../lib/contracts/keys';
import { parseS3Url, S3Location } from '../../../lib/contracts/s3-location';
import { DynamoBufferStore } from '../../../lambda/batcher/dynamo-buffer-store';
import { Command, parseCommandArgs } from '../command';
import { UsageError } from '../errors';
import { findObject, VersionReport } from '../find-object';

const HELP = `usage: gbi find <key | s3://<input-bucket>/<key>>

Says what became of every version of one input object: the batch and shard it landed in and
its prediction or its error (code and reason), or that it still waits in the buffer, or that
the pipeline has not seen it. Versions the bucket no longer lists (deleted, or overwritten in
an unversioned bucket) are found through the buffer, which remembers every version it batched.

examples
  gbi find incoming/digits/7/img-0001.png
  gbi find s3://my-input-bucket/incoming/digits/7/img-0001.png`;

const iso = (millis: number) => new Date(millis).toISOString();

function versionLine(report: VersionReport): string {
  const listed = report.listed;
  const name = report.object.slice(report.object.lastIndexOf('#') + 1);
  if (!listed) return `version ${name} (no longer in the bucket)`;
  const details = [
    ...(listed.isLatest ? ['latest'] : []),
    ...(listed.lastModified ? [`uploaded ${listed.lastModified.toISOString()}`] : []),
    `${listed.size} bytes`,
    `etag ${listed.etag}`,
  ];
  return `version ${listed.versionId ?? '(unversioned)'} (${details.join(', ')})`;
}

/** The lines printed for one version: a header line, then what became of it. */
export function describeVersion(report: VersionReport): string[] {
  const fate = report.fate;
  const lines = [versionLine(report)];
  const add = (line: string) => lines.push(`  ${line}`);
  switch (fate.kind) {
    case 'not-seen':
      add(
        'not seen by the pipeline (no notification reached the batcher; gbi submit backfills it)',
      );
      break;
    case 'waiting':
      add(`waiting in the buffer (batch ${fate.batchId} open since ${iso(fate.openSince)})`);
      break;
    case 'closed':
      add(
        `in batch ${fate.batchId}, closed${fate.closedAt !== undefined ? ` at ${iso(fate.closedAt)}` : ''}${fate.closeReason ? ` (${fate.closeReason})` : ''}, its job not submitted yet`,
      );
      break;
    case 'not-in-manifest':
      add(
        `claimed by batch ${fate.batchId}, but its manifest ${resultKeys.manifest(fate.batchId)} does not list this version`,
      );
      break;
    case 'in-shard': {
      const where = `batch ${fate.batchId} shard ${fate.shard}`;
      for (const result of fate.results) {
        const top = result.predictions
          .map((prediction) => `${prediction.label} (${prediction.score.toFixed(3)})`)
          .join(', ');
        add(
          `${where} offset ${result.source.offset}: predicted ${top} by ${result.model.name} ${result.model.version} [record ${result.recordId}]`,
        );
      }
      for (const error of fate.errors) {
        add(
          `${where} offset ${error.source.offset}: error ${error.code}: ${error.reason} [record ${error.recordId}]`,
        );
      }
      if (fate.results.length === 0 && fate.errors.length === 0) {
        add(
          fate.shardFinished
            ? `${where}: the shard finished without a record of this version`
            : `${where}: not scored yet (${fate.jobId ? `job ${fate.jobId}` : 'no job recorded'})`,
        );
      } else if (!fate.shardFinished) {
        add(`${where}: the shard has not finished (no summary yet), more records may follow`);
      }
      break;
    }
  }
  return lines;
}

/** A key alone is in the input bucket; an s3:// URL must name that bucket. */
function locate(argument: string, inputBucket: string): S3Location {
  if (!argument.startsWith('s3://')) return { bucket: inputBucket, key: argument };
  let location: S3Location;
  try {
    location = parseS3Url(argument);
  } catch (error) {
    throw new UsageError(`find: ${(error as Error).message}`);
  }
  if (location.bucket !== inputBucket) {
    throw new UsageError(
      `find: bucket '${location.bucket}' is not the stack's input bucket '${inputBucket}'`,
    );
  }
  if (location.key.length === 0) throw new UsageError(`find: '${argument}' names no key`);
  return location;
}

export const findCommand: Command = {
  name: 'find',
  summary: 'which batch each version of an object landed in, and its prediction or error',
  help: HELP,
  async run(args, context) {
    const parsed = parseCommandArgs('find', args, {}, 1);
    if (parsed.help) {
      context.io.out(HELP);
      return 0;
    }
    const [argument] = parsed.positionals;
    if (!argument) throw new UsageError('find: expected the key or s3:// URL of an input object');
    const stack = await context.stack();
    const location = locate(argument, stack.inputBucket);
    const reports = await findObject(location, {
      s3: s3Client(),
      store: new DynamoBufferStore(dynamoClient(), stack.bufferTable),
      resultsBucket: stack.resultsBucket,
    });
    const { io } = context;
    io.out(`s3://${location.bucket}/${location.key}`);
    if (!location.key.startsWith(stack.inputPrefix)) {
      io.out(`  outside the input prefix '${stack.inputPrefix}': the pipeline ignores it`);
    }
    for (const report of reports) describeVersion(report).forEach((line) => io.out(`  ${line}`));
    return 0;
  },
};
