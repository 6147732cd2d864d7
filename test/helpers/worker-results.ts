import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { resultKeys } from '../../lib/contracts/keys';
import type { ErrorRecord, ResultRecord, ShardSummary } from '../../lib/contracts/records';

export async function getText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body!.transformToString('utf-8');
}

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const { Contents = [] } = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }),
  );
  return Contents.map((object) => object.Key!);
}

const parseLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as T);

/** The three output objects of one shard, parsed. */
export interface ShardOutputs {
  readonly results: ResultRecord[];
  readonly errors: ErrorRecord[];
  readonly summary: ShardSummary;
  readonly resultsText: string;
}

export async function readShardOutputs(
  s3: S3Client,
  bucket: string,
  batchId: string,
  shard: number,
): Promise<ShardOutputs> {
  const resultsText = await getText(s3, bucket, resultKeys.results(batchId, shard));
  return {
    resultsText,
    results: parseLines<ResultRecord>(resultsText),
    errors: parseLines<ErrorRecord>(await getText(s3, bucket, resultKeys.errors(batchId, shard))),
    summary: JSON.parse(
      await getText(s3, bucket, resultKeys.summary(batchId, shard)),
    ) as ShardSummary,
  };
}
