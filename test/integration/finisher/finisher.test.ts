import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import type { BatchSummary } from '../../../lib/contracts/batch-summary';
import { resultKeys } from '../../../lib/contracts/keys';
import { keyExists } from '../../../lib/contracts/s3-key-presence';
import type { BatchJobStateChangeEvent } from '../../../lambda/finisher/job-state-change';
import { LocalFinisher } from '../../../scripts/local/finisher/local-finisher';
import {
  subscribeToCompletions,
  CompletionEvent,
} from '../../../scripts/shared/completion-subscription';
import type { EventQueue } from '../../../scripts/shared/event-queue';
import { contractViolations } from '../../helpers/contract-schemas';
import { deployTestStack, DeployedTestStack } from '../../helpers/demo-stack';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { jobEndEvent, manifestOf, shardSummaryOf } from '../../helpers/finisher-fixtures';
import { STACK_SERVICES } from '../../helpers/stack-services';

jest.setTimeout(300_000);

const s3 = s3Client();
let deployed: DeployedTestStack;
let finisher: LocalFinisher;
let completions: EventQueue<CompletionEvent>;

async function put(key: string, body: unknown): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: deployed.stack.resultsBucket,
      Key: key,
      Body: JSON.stringify(body),
    }),
  );
}

async function read<T>(key: string): Promise<T> {
  const { Body } = await s3.send(
    new GetObjectCommand({ Bucket: deployed.stack.resultsBucket, Key: key }),
  );
  return JSON.parse(await Body!.transformToString()) as T;
}

/** A batch of `shards` shards of 3 files in the results bucket, with summaries of `finished`. */
async function givenBatch(shards: number, finished: readonly number[]): Promise<string> {
  const batchId = `20261202T100000Z-${Math.random().toString(16).slice(2, 12).padEnd(10, '0')}`;
  await put(resultKeys.manifest(batchId), manifestOf(batchId, shards * 3, 3));
  for (const shard of finished) {
    await put(
      resultKeys.summary(batchId, shard),
      shardSummaryOf(batchId, shard, { ok: 2, failed: 1 }, { DECODE_FAILED: 1 }),
    );
  }
  return batchId;
}

/** The end of the batch's job as AWS Batch would raise it, on the deployed queue and definition. */
function jobEnd(
  batchId: string,
  overrides: Parameters<typeof jobEndEvent>[1] = {},
): BatchJobStateChangeEvent {
  return jobEndEvent(
    batchId,
    {
      jobQueue: deployed.stack.jobQueue,
      jobDefinition: deployed.stack.inferJobDefinition,
      ...overrides,
    },
    deployed.stack.resultsBucket,
  );
}

/** Publishes, then delivers until `count` invocations ended (bounded). */
async function publishAndDeliver(
  events: readonly BatchJobStateChangeEvent[],
  count: number,
): Promise<void> {
  const before = finisher.results.length + finisher.failures.length;
  for (const event of events) await finisher.publish(event);
  const deadline = Date.now() + 30_000;
  while (
    finisher.results.length + finisher.failures.length < before + count &&
    Date.now() < deadline
  ) {
    await finisher.deliverOnce(1);
  }
}

async function completionsOf(batchId: string, count: number): Promise<CompletionEvent[]> {
  const all = await completions.collect(
    (events) => events.filter((e) => e.detail.batchId === batchId).length >= count,
    Date.now() + 20_000,
  );
  return all.filter((e) => e.detail.batchId === batchId);
}

describeOnEmulator(STACK_SERVICES, 'the batch finisher on the emulator', () => {
  beforeAll(async () => {
    deployed = await deployTestStack();
    const suffix = deployed.stack.stackName.split('-').pop();
    finisher = await LocalFinisher.create({
      functionName: deployed.stack.finisherFunction,
      ruleName: deployed.stack.finisherRule,
      queueName: `finisher-mailbox-${suffix}`,
      logFile: join(deployed.directory, 'logs', 'finisher.log'),
    });
    completions = await subscribeToCompletions({ name: `completions-${suffix}` });
  });

  afterAll(async () => {
    await finisher?.stop();
    await completions?.close();
  });

  it('writes a SUCCEEDED summary and sends "Batch Completed" when every shard finished', async () => {
    // given a batch of two shards, both with summaries
    const batchId = await givenBatch(2, [0, 1]);

    // when its parent job's SUCCEEDED end is raised
    await publishAndDeliver([jobEnd(batchId)], 1);

    // then batch.json says SUCCEEDED with the shards' counts, and conforms
    const summary = await read<BatchSummary>(resultKeys.batchSummary(batchId));
    expect(summary).toMatchObject({
      batchId,
      status: 'SUCCEEDED',
      counts: { files: 6, shards: 2, shardsSucceeded: 2, shardsFailed: 0, ok: 4, failed: 2 },
      errorsByCode: { DECODE_FAILED: 2 },
      model: { name: 'digits', version: 'v0001' },
    });
    expect(contractViolations('batch-summary', summary)).toEqual([]);
    // and a subscriber on the default bus received one completion event with the same facts
    const [event, ...more] = await completionsOf(batchId, 1);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      source: 'gbi.batch-inference',
      'detail-type': 'Batch Completed',
    });
    expect(event.detail.eventId).toBe(`${batchId}:SUCCEEDED`);
    expect(event.resources).toEqual([jobEnd(batchId).detail.jobArn]);
    expect(event.detail.counts).toEqual(summary.counts);
    expect(contractViolations('completion-event', event.detail)).toEqual([]);
  });

  it('writes a PARTIAL summary with the missing shard failed, and sends "Batch Failed"', async () => {
    // given a batch of three shards, shard 1 without a summary
    const batchId = await givenBatch(3, [0, 2]);

    // when its parent job's FAILED end is raised
    await publishAndDeliver(
      [jobEnd(batchId, { status: 'FAILED', statusReason: 'Array Child Job failed' })],
      1,
    );

    // then the summary is PARTIAL and names shard 1's failure
    const summary = await read<BatchSummary>(resultKeys.batchSummary(batchId));
    expect(summary.status).toBe('PARTIAL');
    expect(summary.shards.map((s) => s.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
    expect(summary.shards[1].reason).toContain('Array Child Job failed');
    const [event] = await completionsOf(batchId, 1);
    expect(event['detail-type']).toBe('Batch Failed');
    expect(event.detail.eventId).toBe(`${batchId}:PARTIAL`);
  });

  it('keeps the first summary when the event repeats, and re-sends the event with the same id', async () => {
    // given a batch finished once while shard 1 had no summary
    const batchId = await givenBatch(2, [0]);
    await publishAndDeliver([jobEnd(batchId, { status: 'FAILED' })], 1);
    const first = await read<BatchSummary>(resultKeys.batchSummary(batchId));
    // and shard 1's summary appearing afterwards (a late writer)
    await put(resultKeys.summary(batchId, 1), shardSummaryOf(batchId, 1, { ok: 3 }));

    // when the same job end is delivered again
    await publishAndDeliver([jobEnd(batchId, { status: 'FAILED' })], 1);

    // then batch.json is unchanged, and both deliveries carried the same id and facts
    expect(await read<BatchSummary>(resultKeys.batchSummary(batchId))).toEqual(first);
    expect(finisher.results.slice(-1)[0]).toMatchObject({
      batchId,
      created: false,
      status: 'PARTIAL',
    });
    const events = await completionsOf(batchId, 2);
    expect(events.map((e) => e.detail.eventId)).toEqual([
      `${batchId}:PARTIAL`,
      `${batchId}:PARTIAL`,
    ]);
    expect(events[1].detail).toEqual(events[0].detail);
  });

  it('fails clearly on a job whose manifest is missing, and writes nothing', async () => {
    // given a job end naming a batch without a manifest
    const batchId = '20261202T100000Z-nomanifest';

    // when it is delivered
    await publishAndDeliver([jobEnd(batchId)], 1);

    // then every attempt failed with an error naming the manifest URL
    const { error } = finisher.failures.slice(-1)[0];
    expect(error.name).toBe('ManifestMissingError');
    expect(error.message).toMatch(
      `s3://${deployed.stack.resultsBucket}/manifests/${batchId}/manifest.json: not readable (`,
    );
    expect(error.message).toMatch(
      /; the job names a batch whose manifest is not in the results bucket$/,
    );
    expect(
      await keyExists(s3, deployed.stack.resultsBucket, resultKeys.batchSummary(batchId)),
    ).toBe(false);
    // and the function's log says so, in the local log stream
    const logged = readFileSync(join(deployed.directory, 'logs', 'finisher.log'), 'utf8');
    expect(logged).toContain('"name":"ManifestMissingError"');
  });

  it("delivers no array child's end, nor another queue's, as the rule's pattern says", async () => {
    // given a finished batch
    const batchId = await givenBatch(2, [0, 1]);
    const before = finisher.results.length + finisher.failures.length;

    // when a child's end and another queue's job end are raised
    await finisher.publish(jobEnd(batchId, { jobId: 'p:1', array: undefined, arrayIndex: 1 }));
    await finisher.publish(jobEnd(batchId, { jobQueue: `${deployed.stack.jobQueue}-other` }));
    // and then the parent's
    await publishAndDeliver([jobEnd(batchId)], 1);

    await finisher.deliverOnce(1);
    // then only the parent's end reached the function
    expect(finisher.results.length + finisher.failures.length).toBe(before + 1);
    expect(finisher.results.slice(-1)[0]).toMatchObject({ batchId, created: true });
  });
});
