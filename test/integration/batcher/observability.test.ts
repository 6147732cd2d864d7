import { Match } from 'aws-cdk-lib/assertions';
import type { SQSBatchResponse } from 'aws-lambda';
import { BATCHER_ENV } from '../../../lib/contracts/batcher-env';
import { inferJobName } from '../../../lib/contracts/job-contract';
import type { BufferItem } from '../../../lambda/batcher/buffer-item';
import { createHandler } from '../../../lambda/batcher/handler';
import { submittedBatches } from '../../helpers/batcher-assertions';
import { BatchResources, createBatchResources } from '../../helpers/batcher-emulator-resources';
import {
  BATCHER_SERVICES,
  batcherEnvironment,
  createTestbed,
  invoke,
  lambdaContext,
} from '../../helpers/batcher-harness';
import { dashboardMetricIds, emfMetricIds } from '../../helpers/cloudwatch-metric-ids';
import { synthTemplate } from '../../helpers/synth-stack';
import { s3EventBody, sqsEvent, sqsRecord } from '../../helpers/s3-event-factory';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(60_000);

let shared: BatchResources;

const objects: BufferItem[] = ['a', 'b'].map((name) => ({
  bucket: 'input-bucket',
  key: `incoming/${name}.png`,
  size: 10,
  etag: `etag-${name}`,
}));

const bed2 = () =>
  createTestbed({ thresholds: { maxFiles: 2, maxBytes: 1024 ** 3, maxWaitMs: 300_000 } }, shared);

const parsed = (lines: string[]) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describeOnEmulator(BATCHER_SERVICES, 'batcher logs and metrics', () => {
  beforeAll(async () => {
    const bed = await createTestbed();
    shared = await createBatchResources(bed.batch);
  });

  it('logs the submitted job as JSON with its batch id, job id and manifest, and its submit latency', async () => {
    // given a delivery that fills a batch
    const bed = await bed2();
    const lines: string[] = [];

    // when it is handled
    await invoke(bed, sqsEvent(sqsRecord(s3EventBody(...objects))), { lines });

    // then one line reports the job under the batch id, and an EMF line its latency
    const [batch] = await submittedBatches(bed);
    const { batchId } = batch.manifest;
    expect(parsed(lines).filter((l) => l.message === 'job submitted')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        batchId,
        jobId: batch.jobs[0].jobId,
        jobName: inferJobName(batchId),
        manifestUrl: `s3://${bed.config.resultsBucket}/manifests/${batchId}/manifest.json`,
        fileCount: 2,
      }),
    ]);
    expect(parsed(lines).filter((l) => 'SubmitLatency' in l)).toEqual([
      expect.objectContaining({ batchId, SubmitLatency: expect.any(Number) }),
    ]);
  });

  it('skips a record of a foreign bucket with a logged reason and an ItemsRejected metric', async () => {
    // given a delivery holding one object of the input bucket and one of the results bucket
    const bed = await bed2();
    const foreign = { ...objects[1], bucket: bed.config.resultsBucket };
    const lines: string[] = [];

    // when it is handled
    const response = await invoke(bed, sqsEvent(sqsRecord(s3EventBody(objects[0], foreign))), {
      lines,
    });

    // then only the input object is buffered; the other is logged and counted as foreign-bucket
    expect(response).toEqual({ batchItemFailures: [] });
    expect(parsed(lines).filter((l) => 'ItemsBuffered' in l)).toEqual([
      expect.objectContaining({ ItemsBuffered: 1 }),
    ]);
    expect(parsed(lines).filter((l) => l.message === 'object skipped')).toEqual([
      expect.objectContaining({
        reason: 'foreign-bucket',
        object: `s3://${foreign.bucket}/${foreign.key}`,
      }),
    ]);
    expect(parsed(lines).filter((l) => 'ItemsRejected' in l)).toEqual([
      expect.not.objectContaining({ Reason: expect.anything() }),
      expect.objectContaining({ Reason: 'foreign-bucket', ItemsRejected: 1 }),
    ]);
  });

  it('counts new objects as ItemsBuffered and a redelivery as ItemsDuplicate', async () => {
    // given a delivery of two objects that was handled once
    const bed = await bed2();
    const event = sqsEvent(sqsRecord(s3EventBody(...objects)));
    const first: string[] = [];
    await invoke(bed, event, { lines: first });

    // when it is delivered again
    const second: string[] = [];
    await invoke(bed, event, { lines: second });

    // then the first counts 2 buffered, the second 0 buffered and 2 duplicates
    const counts = (lines: string[], name: string) =>
      parsed(lines)
        .filter((l) => name in l)
        .map((l) => l[name]);
    expect(counts(first, 'ItemsBuffered')).toEqual([2]);
    expect(counts(second, 'ItemsBuffered')).toEqual([0]);
    expect(counts(second, 'ItemsDuplicate')).toEqual([2]);
  });

  it("writes Powertools' log lines and EMF, in the metrics the stack's dashboard graphs", async () => {
    // given the stack, the namespace it gives the batcher, and a handler with that environment
    const template = synthTemplate();
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', {
        Properties: {
          Environment: { Variables: { [BATCHER_ENV.metricsNamespace]: Match.anyValue() } },
        },
      }),
    );
    const namespace = fn.Properties.Environment.Variables[BATCHER_ENV.metricsNamespace] as string;
    const bed = await createTestbed(
      {
        thresholds: { maxFiles: 2, maxBytes: 1024 ** 3, maxWaitMs: 300_000 },
        metricsNamespace: namespace,
      },
      shared,
    );
    const lines: string[] = [];
    // Lambda sets this for on-demand functions; Powertools reports a cold start only there.
    const savedInitType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const handler = createHandler({
      env: batcherEnvironment(bed.config),
      sink: (line) => lines.push(line),
    });
    if (savedInitType === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = savedInitType;

    // when it handles a delivery that fills a batch and holds a foreign object, twice
    const foreign = { ...objects[0], key: 'incoming/other.png', bucket: bed.config.resultsBucket };
    const event = sqsEvent(sqsRecord(s3EventBody(...objects, foreign)));
    const context = lambdaContext();
    const response = (await handler(event, context)) as SQSBatchResponse;
    await handler(event, lambdaContext());

    // then the log lines are Powertools', with the Lambda context and the cold start only first
    expect(response).toEqual({ batchItemFailures: [] });
    const logs = parsed(lines).filter((l) => !('_aws' in l));
    expect(logs.length).toBeGreaterThan(0);
    for (const log of logs) {
      expect(log).toEqual(
        expect.objectContaining({
          service: 'batcher',
          level: expect.stringMatching(/^(INFO|WARN|ERROR)$/),
          timestamp: expect.any(String),
          message: expect.any(String),
          function_request_id: log.invocationId,
          cold_start: log.invocationId === context.awsRequestId,
        }),
      );
    }
    // and every EMF blob carries the service dimension
    const blobs = parsed(lines).filter((l) => '_aws' in l);
    const directives = blobs.flatMap(
      (b) => (b._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics,
    );
    expect(directives.flatMap((d) => d.Dimensions).every((set) => set.includes('service'))).toBe(
      true,
    );
    // and every batcher metric on the dashboard is one the handler published
    const graphed = [...dashboardMetricIds(template)].filter((id) =>
      id.startsWith(`${namespace} `),
    );
    const published = emfMetricIds(lines.filter((line) => line.includes('"_aws"')));
    expect(graphed).toHaveLength(4);
    expect(graphed.filter((id) => !published.has(id))).toEqual([]);
  });
});
