import { join } from 'node:path';
import { BatchClient } from '@aws-sdk/client-batch';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { STACK_NAME } from '../../lib/app/create-app';
import { s3Client, sqsClient } from '../../lib/contracts/aws-clients';
import type { BatchSummary } from '../../lib/contracts/batch-summary';
import { RESULTS_PREFIXES, resultKeys } from '../../lib/contracts/keys';
import { readBatchResults } from '../cli/batch-results';
import { readStackOutputs } from '../cli/stack-outputs';
import { readText } from '../shared/s3-reads';
import { subscribeToCompletions } from '../shared/completion-subscription';
import { summarizeBatch } from '../cli/summarize-batch';
import { deployToEmulator } from '../local/deploy-to-emulator';
import { startLocalRuntime } from '../local/local-runtime';
import { emulatorEnvironment, startEmulator } from '../local/moto-server';
import { awaitBatches } from './await-batches';
import { corruptInputs } from './corrupt-inputs';
import { DEMO_SWEEP_INTERVAL_MS, demoPipeline, DemoSize } from './demo-config';
import { buildDemoReport, DemoBatch, DemoReport } from './demo-report';
import { ProgressPrinter } from './progress-printer';
import { trainViaJob } from './train-via-job';
import { uploadDemoInputs } from './upload-inputs';
import { ensureNative } from '../../container/native/ensure-native';

const CORRUPT_FILE_COUNT = corruptInputs(Buffer.alloc(0)).length;

export interface DemoOptions {
  readonly size: DemoSize;
  /** Cloud assembly, executor record and logs of this run. */
  readonly workDirectory: string;
  readonly progress: (line: string) => void;
  /**
   * Give up after this long.
   * @default 600000
   */
  readonly timeoutMs?: number;
}

/**
 * The whole pipeline on one machine: emulator, the stack from its own template, the retrain
 * job, real uploads through S3 notifications, SQS and the batcher, the array job run locally,
 * then every result checked against the true labels.
 */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const { size } = options;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const progress = new ProgressPrinter(options.progress);
  const timings: [string, number][] = [];
  let mark = Date.now();
  const phase = (name: string) => {
    timings.push([name, Date.now() - mark]);
    mark = Date.now();
  };

  // A shared emulator (AWS_ENDPOINT_URL) may hold an earlier run's stack: names stay unique.
  const shared = Boolean(process.env.AWS_ENDPOINT_URL);
  const suffix = shared ? `-${Date.now().toString(36)}` : '';
  await ensureNative((line) => progress.line(`native: ${line}`));
  const emulator = await startEmulator((line) => progress.line(`emulator: ${line}`));
  Object.assign(process.env, emulatorEnvironment(emulator.endpoint));
  phase('start emulator');
  const runtimeErrors: string[] = [];
  try {
    const deployment = await deployToEmulator({
      pipeline: demoPipeline(size, size.images + CORRUPT_FILE_COUNT, `gbi${suffix}`),
      outdir: join(options.workDirectory, 'cdk.out'),
      stackName: `${STACK_NAME}${suffix}`,
      log: (line) => progress.line(`deploy: ${line}`),
    });
    for (const change of deployment.customResources) {
      progress.line(`deploy: ${change.logicalId} ${change.outcome}`);
    }
    const stack = await readStackOutputs(deployment.stackName);
    // A consumer's subscription, as docs/finisher.md describes it: made before any batch can end.
    const completions = await subscribeToCompletions({
      name: `${deployment.stackName}-demo-completions`,
      eventBusName: stack.completionEventBus,
    });
    phase('synthesize and deploy');

    const runtime = await startLocalRuntime({
      stack,
      endpoint: emulator.endpoint,
      stateDirectory: options.workDirectory,
      sweepIntervalMs: DEMO_SWEEP_INTERVAL_MS,
      onExecutorEvent: (event) => progress.executorEvent(event),
      onBatcherLog: (line) => progress.batcherLine(line),
      onFinisherLog: (line) => {
        if (line.includes('"batch summary') || line.includes('"level":"ERROR"')) {
          progress.line(`finisher: ${line}`);
        }
      },
      onError: (source, error) => {
        runtimeErrors.push(`${source}: ${error.message}`);
        progress.line(`${source} error: ${error.message}`);
      },
    });
    const s3 = s3Client();
    try {
      progress.line(
        `train: uploading training digits, then submitting the retrain job of ${stack.modelName} to ${stack.jobQueue}`,
      );
      const training = await trainViaJob(
        stack,
        runtime.executor,
        size,
        s3,
        new BatchClient({}),
        deadline,
      );
      phase('retrain job');

      const uploads = await uploadDemoInputs(
        s3,
        stack.inputBucket,
        stack.inputPrefix,
        size.images,
        size.trainPerDigit,
      );
      const keys = [...uploads.digits, ...Object.keys(uploads.corrupt)];
      progress.line(
        `upload: ${keys.length} files to s3://${stack.inputBucket}/${stack.inputPrefix}`,
      );
      phase('upload');

      const closed = await awaitBatches({
        s3,
        resultsBucket: stack.resultsBucket,
        executor: runtime.executor,
        keys,
        deadline,
        onBatch: (manifest) =>
          progress.line(
            `batcher: batch ${manifest.batchId} closed with ${manifest.items.length} files in ${manifest.shardCount} shards`,
          ),
      });
      phase('batch, then infer');

      const received = await completions.collect(
        (events) =>
          closed.every(({ manifest }) => events.some((e) => e.detail.batchId === manifest.batchId)),
        deadline,
      );
      phase('completion event');

      const batches: DemoBatch[] = [];
      for (const { manifest, job } of closed) {
        const results = await readBatchResults(s3, stack.resultsBucket, manifest.batchId);
        const completion = received.find((e) => e.detail.batchId === manifest.batchId);
        const batchJson = await readText(
          s3,
          stack.resultsBucket,
          resultKeys.batchSummary(manifest.batchId),
        ).then(
          (text) => JSON.parse(text) as BatchSummary,
          () => undefined,
        );
        batches.push({
          completion,
          batchSummary: batchJson,
          summary: summarizeBatch(results),
          jobStatus: job.status,
          jobReason: job.reason,
          results: results.results,
          errors: results.errors,
        });
      }
      const { Attributes = {} } = await sqsClient().send(
        new GetQueueAttributesCommand({
          QueueUrl: stack.deadLetterQueueUrl,
          AttributeNames: ['ApproximateNumberOfMessages'],
        }),
      );
      phase('read results');
      timings.push(['total', timings.reduce((total, [, ms]) => total + ms, 0)]);
      return buildDemoReport({
        uploads,
        training: {
          status: training.job.status,
          reason: training.job.reason,
          trainingImages: training.trainingImages,
          version: training.champion?.version,
          validationAccuracy: training.champion?.metrics?.validationAccuracy,
        },
        batches,
        deadLetterMessages: Number(Attributes.ApproximateNumberOfMessages ?? 0),
        runtimeErrors,
        timings,
        resultsLocation: `s3://${stack.resultsBucket}/${RESULTS_PREFIXES.results} (errors/, summaries/, manifests/ beside it); logs in ${join(options.workDirectory, 'logs')}`,
        minAccuracy: size.minAccuracy,
      });
    } finally {
      await runtime.stop();
      await completions.close();
    }
  } finally {
    await emulator.stop();
  }
}
