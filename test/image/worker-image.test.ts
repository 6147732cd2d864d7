import { spawn } from 'node:child_process';
import { s3Client } from '../../lib/contracts/aws-clients';
import { recordId } from '../../lib/contracts/manifest';
import { ModelRegistry } from '../../container/src/registry/model-registry';
import { runTool } from '../../container/native/run-tool';
import { PODMAN_GLOBAL } from '../../scripts/image/local-base-images';
import { workerImage } from '../../scripts/image/build-image';
import { shardOf300 } from '../helpers/checkpointed-shard';
import { createBucket } from '../helpers/emulator-resources';
import { digitRange, uploadDigits } from '../helpers/train-digits';
import { uploadInputs, writeManifest } from '../helpers/worker-batch-fixture';
import { mnistDigit, pngOf, truncatedPng } from '../helpers/worker-image-fixtures';
import { publishDigitsChampion } from '../helpers/worker-model-fixture';
import { waitFor } from '../helpers/worker-process';
import { readShardOutputs } from '../helpers/worker-results';

jest.setTimeout(300_000);

const s3 = s3Client();
const IMAGE = workerImage('cpu');
/** The emulator's endpoint and credentials, passed through as a job's environment would be. */
const AWS_ENV = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];

/**
 * The image run as AWS Batch runs it: its ENTRYPOINT with the job's command, its own user, the
 * job's environment, host networking (the emulator listens on the host's loopback), and ulimits
 * below this host's (podman's defaults exceed them here).
 */
function runImage(command: string[], env: Record<string, string>, name?: string) {
  const vars = { ...Object.fromEntries(AWS_ENV.map((k) => [k, process.env[k] ?? ''])), ...env };
  const child = spawn(
    'podman',
    [
      ...PODMAN_GLOBAL,
      'run',
      '--rm',
      '--network',
      'host',
      '--ulimit',
      'nofile=10000:10000',
      '--ulimit',
      'nproc=4096:4096',
      ...(name ? ['--name', name] : []),
      ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      IMAGE,
      ...command,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output = { text: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  return { output, exited };
}

/** A podman command on this host's settings; its trimmed output. */
async function podman(args: string[]): Promise<string> {
  return (await runTool(`podman ${args[0]}`, 'podman', [...PODMAN_GLOBAL, ...args])).trim();
}

describe(`the worker image ${IMAGE} against the emulator`, () => {
  it('runs as its non-root user', async () => {
    // given the built image / when its configuration is read / then it runs as uid 10001
    expect(await podman(['image', 'inspect', '--format', '{{.Config.User}}', IMAGE])).toBe(
      'worker',
    );
    const { output, exited } = runImage(['check-native'], {});
    expect(await exited).toBe(0);
    expect(output.text).toContain('check-native: tfjs-node on TensorFlow 2.21.0');
  });

  it('scores a shard of real digit images on tfjs-node and reports the corrupt one', async () => {
    // given a champion model and a manifest of 24 digits and a truncated PNG
    const models = await createBucket(s3);
    const inputs = await createBucket(s3);
    const results = await createBucket(s3);
    await publishDigitsChampion(s3, models);
    const files = [
      ...Array.from({ length: 24 }, (_, i) => ({
        key: `incoming/${i}.png`,
        body: pngOf(mnistDigit(i % 10, Math.floor(i / 10)), 28, 28),
      })),
      { key: 'incoming/broken.png', body: truncatedPng() },
    ];
    const items = await uploadInputs(s3, inputs, files);
    const manifest = await writeManifest(s3, results, 'image-infer', { name: 'digits' }, items);

    // when the image runs the infer command, as the job definition pins the backend
    const { output, exited } = runImage(['infer', '--manifest', manifest], {
      MODEL_BUCKET: models,
      RESULTS_BUCKET: results,
      TFJS_BACKEND: 'tfjs-node',
    });

    // then it exits 0 on tfjs-node with one record per input: 24 results and 1 error
    expect({ code: await exited, output: output.text }).toMatchObject({ code: 0 });
    expect(output.text).toContain('backend: tfjs-node for infer');
    const outputs = await readShardOutputs(s3, results, 'image-infer', 0);
    expect(outputs.results.map((r) => r.source.key).sort()).toEqual(
      files
        .slice(0, 24)
        .map((f) => f.key)
        .sort(),
    );
    expect(outputs.errors.map((e) => [e.source.key, e.code])).toEqual([
      ['incoming/broken.png', 'DECODE_FAILED'],
    ]);
    expect(outputs.summary.backend).toBe('tfjs-node');
    expect(outputs.results.every((r) => r.predictions.length === 3)).toBe(true);
  });

  it('trains a small model and registers it as the first champion', async () => {
    // given 200 labelled digits and no model yet
    const bucket = await createBucket(s3);
    await uploadDigits(s3, bucket, 'training/digits/', digitRange(0, 20));

    // when the image runs the train command for two epochs
    const { output, exited } = runImage(
      ['train', '--model', 'digits', '--architecture', 'digits-cnn', '--epochs', '2'],
      { MODEL_BUCKET: bucket, TFJS_BACKEND: 'tfjs-node' },
    );

    // then it exits 0 on tfjs-node and the registry's champion is the version it trained
    expect({ code: await exited, output: output.text }).toMatchObject({ code: 0 });
    expect(output.text).toContain('backend: tfjs-node for train');
    const trained = /"event":"trained","model":"digits","version":"([^"]+)"/.exec(output.text)?.[1];
    const champion = await new ModelRegistry(s3, bucket, 'digits').champion();
    expect(champion?.version).toBe(trained);
  });

  it('checkpoints on SIGTERM through its init process, and a rerun resumes with every record once', async () => {
    // given a 300-image shard running in the image, checkpointing every 20 records
    const shard = await shardOf300(s3, 'image-sigterm');
    const name = `gbi-image-test-${process.pid}`;
    const env = {
      MODEL_BUCKET: shard.env.MODEL_BUCKET!,
      RESULTS_BUCKET: shard.env.RESULTS_BUCKET!,
      WORKER_CHECKPOINT_RECORDS: '20',
      TFJS_BACKEND: 'tfjs-node',
      // One object at a time, so the shard outlasts the podman round trip between its first
      // checkpoint and the SIGTERM (at the default 128 GETs in flight it can end before).
      WORKER_CONCURRENCY: '1',
      WORKER_PREFETCH: '1',
    };
    const first = runImage(shard.argv, env, name);
    // PID 1 is read while the model loads, so the SIGTERM can follow the first checkpoint at once.
    await waitFor(
      async () =>
        (await podman(['ps', '--filter', `name=^${name}$`, '--format', '{{.Names}}'])) === name,
      'the container running',
    );
    expect(await podman(['exec', name, 'cat', '/proc/1/comm'])).toBe('tini');
    await waitFor(shard.hasCheckpoint, 'a first checkpoint part');

    // when the container, whose PID 1 is tini, is sent SIGTERM as AWS Batch stops a job, and
    // the shard runs again
    await podman(['kill', '--signal', 'TERM', name]);
    const stoppedCode = await first.exited;
    const rerun = runImage(shard.argv, env);
    const rerunCode = await rerun.exited;

    // then the worker (not PID 1) received it, checkpointed and exited 1, and the rerun
    // resumed there with no record missing or repeated
    expect(stoppedCode).toBe(1);
    const stoppedAt = /stopped after object (\d+) of 300, all checkpointed/.exec(
      first.output.text,
    )?.[1];
    expect(stoppedAt).toBeDefined();
    expect({ code: rerunCode, output: rerun.output.text }).toMatchObject({ code: 0 });
    expect(rerun.output.text).toContain(`resuming at object ${stoppedAt} after`);
    const outputs = await readShardOutputs(s3, shard.results, 'image-sigterm', 0);
    const ids = [...outputs.results, ...outputs.errors].map((record) => record.recordId);
    expect(ids.length).toBe(300);
    expect([...ids].sort()).toEqual(shard.items.map((item) => recordId(item, 0)).sort());
  });
});
