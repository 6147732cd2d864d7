import { s3Client } from '../../../lib/contracts/aws-clients';
import { MODEL_PREFIXES } from '../../../lib/contracts/keys';
import { WORKER_ENV } from '../../../lib/contracts/job-contract';
import { joinKey } from '../../../lib/contracts/s3-location';
import { nativeVariantOf } from '../../native/native-location';
import { log as defaultLog } from '../log';
import { TrainConfigError } from './errors';
import { runTraining } from './run-training';
import { prepareTrainingBackend } from './training-backend';
import { parseFlags } from './training-config';

/** Where a model's labelled data lives unless TRAINING_PREFIX says otherwise. */
export function defaultTrainingPrefix(modelName: string): string {
  return joinKey(MODEL_PREFIXES.training, modelName) + '/';
}

/**
 * `train --model <name> [--epochs N ...]` (TRAIN_COMMAND in lib/contracts/job-contract.ts),
 * run by the EventBridge schedule or by hand. Returns the exit code: 0 when a version was
 * trained (promoted or rejected by the gate), 1 when the run failed or was stopped by SIGTERM
 * (the registry is then unchanged), 2 for bad arguments or configuration.
 */
export async function runTrainCommand(
  argv: readonly string[],
  log: (line: string) => void = defaultLog,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    const flags = parseFlags(argv);
    const modelName = flags['--model'];
    if (!modelName || !/^[A-Za-z0-9._-]+$/.test(modelName)) {
      throw new TrainConfigError(
        `--model: expected a model name (letters, digits, . _ -), got '${modelName ?? ''}'`,
      );
    }
    const bucket = env[WORKER_ENV.modelBucket];
    if (!bucket)
      throw new TrainConfigError(`${WORKER_ENV.modelBucket}: environment variable not set`);
    const trainingPrefix = env[WORKER_ENV.trainingPrefix] || defaultTrainingPrefix(modelName);
    const backend = await prepareTrainingBackend(log, env);
    // Images decode as the worker's do on this backend: through the binding's TensorFlow ops.
    const native = nativeVariantOf(backend);
    const started = Date.now();
    // AWS Batch stops a job with SIGTERM, then SIGKILL after the stop timeout: stop between
    // mini-batches so the registry never holds a version from an interrupted run.
    const stop = new AbortController();
    const onSigterm = () => {
      log('SIGTERM: stopping after the current mini-batch');
      stop.abort();
    };
    process.once('SIGTERM', onSigterm);
    const outcome = await runTraining({
      s3: s3Client(),
      bucket,
      modelName,
      trainingPrefix: trainingPrefix.endsWith('/') ? trainingPrefix : `${trainingPrefix}/`,
      flags,
      log,
      stop: stop.signal,
      ...(native ? { native } : {}),
    }).finally(() => process.off('SIGTERM', onSigterm));
    log(
      JSON.stringify({
        event: 'trained',
        model: modelName,
        version: outcome.version,
        promoted: outcome.promoted,
        reason: outcome.reason,
        metrics: outcome.metrics,
        trainSamples: outcome.trainSamples,
        skipped: outcome.skipped.counts,
        seconds: (Date.now() - started) / 1000,
      }),
    );
    return 0;
  } catch (error) {
    const { name, message } = error as Error;
    log(`train failed: ${name}: ${message}`);
    return error instanceof TrainConfigError ? 2 : 1;
  }
}
