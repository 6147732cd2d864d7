import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchClient, RegisterJobDefinitionCommand, SubmitJobCommand } from '@aws-sdk/client-batch';
import type { BatchJobStateChangeEvent } from '../../../lambda/finisher/job-state-change';
import { LocalBatchExecutor } from '../../../scripts/local/executor/local-batch-executor';
import { createBatchResources } from '../../helpers/batcher-emulator-resources';
import { uniqueName } from '../../helpers/emulator-resources';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

/**
 * The job process: records its arguments, Batch variables and run interval in OUT_DIR, holds
 * for a moment so overlapping runs are visible, and exits with the code given as `--exit N`.
 */
const PROBE = `
const fs = require('node:fs');
const args = process.argv.slice(1);
const started = Date.now();
setTimeout(() => {
  const name = process.env.AWS_BATCH_JOB_ID.replace(':', '-');
  fs.writeFileSync(process.env.OUT_DIR + '/' + name + '.json', JSON.stringify({
    args, index: process.env.AWS_BATCH_JOB_ARRAY_INDEX, jobId: process.env.AWS_BATCH_JOB_ID,
    started, ended: Date.now(),
  }));
  const exit = args.indexOf('--exit');
  process.exit(exit >= 0 ? Number(args[exit + 1]) : 0);
}, 300);
`;

interface ProbeRecord {
  readonly args: string[];
  readonly index?: string;
  readonly jobId: string;
  readonly started: number;
  readonly ended: number;
}

const batch = new BatchClient({});
let jobQueue: string;

describeOnEmulator(['batch', 'iam'], 'the local Batch executor', () => {
  beforeAll(async () => {
    ({ jobQueueArn: jobQueue } = await createBatchResources(batch));
  });

  async function probeDefinition(directory: string, command: string[]): Promise<string> {
    const { jobDefinitionArn } = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: uniqueName('probe'),
        type: 'container',
        parameters: { word: 'default-word' },
        containerProperties: {
          image: 'probe:local',
          command,
          environment: [{ name: 'OUT_DIR', value: outDirOf(directory) }],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '128' },
          ],
        },
      }),
    );
    return jobDefinitionArn!;
  }

  function executorFor(
    directory: string,
    parallelism = 2,
    onJobStateChange?: (event: BatchJobStateChangeEvent) => void,
  ): LocalBatchExecutor {
    return new LocalBatchExecutor({
      onJobStateChange,
      batch,
      jobQueue,
      stateFile: join(directory, 'jobs.json'),
      logDirectory: join(directory, 'logs'),
      parallelism,
      environment: { PATH: process.env.PATH ?? '' },
      entrypoint: [process.execPath, '-e', PROBE, '--'],
    });
  }

  /** Probe records live apart from the executor's own files. */
  function outDirOf(directory: string): string {
    const out = join(directory, 'out');
    mkdirSync(out, { recursive: true });
    return out;
  }

  function probes(directory: string): ProbeRecord[] {
    const outDir = outDirOf(directory);
    return readdirSync(outDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(readFileSync(join(outDir, name), 'utf8')) as ProbeRecord);
  }

  test('an array job runs one process per child with its index and the parameters filled in', async () => {
    // Given a job definition whose command has a parameter placeholder
    const directory = mkdtempSync(join(tmpdir(), 'executor-'));
    const definition = await probeDefinition(directory, ['say', 'Ref::word']);
    const executor = executorFor(directory);
    // When an array job of 3 is submitted with the parameter set
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: uniqueName('array'),
        jobQueue,
        jobDefinition: definition,
        arrayProperties: { size: 3 },
        parameters: { word: 'hello' },
      }),
    );
    await executor.poll();
    const job = await executor.waitForJob(jobId!);
    // Then each child ran once with its index, the job id and the substituted command
    expect(job.status).toBe('SUCCEEDED');
    const runs = probes(directory).filter((p) => p.jobId.startsWith(jobId!));
    expect(runs.map((r) => r.index).sort()).toEqual(['0', '1', '2']);
    expect(runs.every((r) => r.args.join(' ') === 'say hello')).toBe(true);
  });

  test("raises AWS Batch's state change for each child's end, then the parent's, as AWS shapes them", async () => {
    // Given an executor that reports job state changes
    const directory = mkdtempSync(join(tmpdir(), 'executor-'));
    const definition = await probeDefinition(directory, ['say', 'Ref::word']);
    const events: BatchJobStateChangeEvent[] = [];
    const executor = executorFor(directory, 2, (event) => events.push(event));
    // When an array job of 2 runs to its end
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: uniqueName('events'),
        jobQueue,
        jobDefinition: definition,
        arrayProperties: { size: 2 },
        parameters: { word: 'hi' },
      }),
    );
    await executor.poll();
    await executor.waitForJob(jobId!);
    // Then both children's ends came first, each with its index, and the parent's last (the
    // queue is shared with the other tests, whose jobs this executor runs too)
    const ours = events.filter((e) => e.detail.jobId.startsWith(jobId!));
    expect(ours.map((e) => e.detail.jobId)).toEqual([
      expect.stringMatching(new RegExp(`^${jobId}:[01]$`)),
      expect.stringMatching(new RegExp(`^${jobId}:[01]$`)),
      jobId,
    ]);
    const parent = ours[2];
    expect(parent).toMatchObject({ source: 'aws.batch', 'detail-type': 'Batch Job State Change' });
    expect(parent.detail).toMatchObject({
      status: 'SUCCEEDED',
      jobQueue,
      jobDefinition: definition,
      parameters: { word: 'hi' },
      arrayProperties: { size: 2, statusSummary: expect.objectContaining({ SUCCEEDED: 2 }) },
    });
    expect(parent.detail.startedAt).toBeLessThanOrEqual(parent.detail.stoppedAt!);
    expect(ours[0].detail.arrayProperties).toEqual({ index: expect.any(Number) });
  });

  test('no more processes run at once than the parallelism allows', async () => {
    // Given an executor with parallelism 2
    const directory = mkdtempSync(join(tmpdir(), 'executor-'));
    const definition = await probeDefinition(directory, ['wait']);
    const executor = executorFor(directory, 2);
    // When an array job of 5 runs
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: uniqueName('bounded'),
        jobQueue,
        jobDefinition: definition,
        arrayProperties: { size: 5 },
      }),
    );
    await executor.poll();
    await executor.waitForJob(jobId!);
    // Then at no child's start were more than 2 children running
    const runs = probes(directory).filter((p) => p.jobId.startsWith(jobId!));
    const overlap = Math.max(
      ...runs.map(
        (run) => runs.filter((o) => o.started <= run.started && o.ended > run.started).length,
      ),
    );
    expect(runs).toHaveLength(5);
    expect(overlap).toBeLessThanOrEqual(2);
  });

  test('children that exit non-zero fail the array job, and the record keeps their exit codes', async () => {
    // Given a job whose command makes every process exit with 3
    const directory = mkdtempSync(join(tmpdir(), 'executor-'));
    const failing = await probeDefinition(directory, ['--exit', '3']);
    const executor = executorFor(directory);
    // When it runs as an array of 2
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: uniqueName('failing'),
        jobQueue,
        jobDefinition: failing,
        arrayProperties: { size: 2 },
      }),
    );
    await executor.poll();
    const job = await executor.waitForJob(jobId!);
    // Then the job is FAILED and the record says why
    expect(job.status).toBe('FAILED');
    expect(job.children.map((c) => c.exitCode)).toEqual([3, 3]);
    expect(job.reason).toContain('exit code 3');
  });

  test('a job whose command names a missing parameter fails without running, naming it', async () => {
    // Given a command with a placeholder no parameter fills
    const directory = mkdtempSync(join(tmpdir(), 'executor-'));
    const definition = await probeDefinition(directory, ['say', 'Ref::missing']);
    const executor = executorFor(directory);
    // When the job is discovered
    const { jobId } = await batch.send(
      new SubmitJobCommand({
        jobName: uniqueName('unfilled'),
        jobQueue,
        jobDefinition: definition,
      }),
    );
    await executor.poll();
    const job = await executor.waitForJob(jobId!);
    // Then it is FAILED with the placeholder named, and no process ran
    expect(job.status).toBe('FAILED');
    expect(job.reason).toContain('Ref::missing');
    expect(probes(directory).filter((p) => p.jobId.startsWith(jobId!))).toHaveLength(0);
  });

  test('a restarted executor keeps its record and does not run finished jobs again', async () => {
    // Given a job an executor ran to the end
    const directory = mkdtempSync(join(tmpdir(), 'executor-'));
    const definition = await probeDefinition(directory, ['once']);
    const first = executorFor(directory);
    const { jobId } = await batch.send(
      new SubmitJobCommand({ jobName: uniqueName('once'), jobQueue, jobDefinition: definition }),
    );
    await first.poll();
    await first.waitForJob(jobId!);
    // When a new executor starts on the same state file and polls
    const second = executorFor(directory);
    await second.poll();
    await second.drain();
    // Then it reports the job as finished and the process ran once
    expect(second.job(jobId!)?.status).toBe('SUCCEEDED');
    expect(probes(directory).filter((p) => p.jobId === jobId)).toHaveLength(1);
  });
});
