import { s3Client } from '../../../lib/contracts/aws-clients';
import { selectBackend } from '../backend/select-backend';
import { loadScorer } from '../model/load-scorer';
import { resolveModel } from '../model/resolve-model';
import { UsageError } from './errors';
import { parseInferOptions } from './infer-options';
import { readManifest } from './read-manifest';
import { runShard } from './run-shard';

/**
 * `infer --manifest s3://... [--shard N]` (INFER_COMMAND in lib/contracts/job-contract.ts):
 * scores one shard of a batch. Returns the exit code: 0 done, 1 failed (AWS Batch retries it
 * when attempts remain), 2 bad usage.
 */
export async function runInferCommand(
  argv: readonly string[],
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  try {
    const options = parseInferOptions(argv, env);
    const backend = await selectBackend('infer', log, env);
    const s3 = s3Client();
    const manifest = await readManifest(s3, options.manifestUrl);
    const model = await resolveModel(s3, options.modelBucket, manifest.model);
    log(
      `model: ${model.metadata.name}@${model.metadata.version} from ${model.url}` +
        (manifest.model.version === undefined
          ? ' (champion at job start)'
          : ' (pinned by the manifest)'),
    );
    const scorer = await loadScorer(model, s3);
    // AWS Batch stops a container with SIGTERM, then SIGKILL after the stop timeout (spot
    // reclaims and job termination); checkpointing the records already scored saves redoing them.
    const stop = new AbortController();
    const onSigterm = () => {
      log('SIGTERM: finishing the current mini-batch and checkpointing');
      stop.abort();
    };
    process.once('SIGTERM', onSigterm);
    try {
      const summary = await runShard({
        s3,
        manifest,
        model,
        scorer,
        backend,
        options,
        log,
        stop: stop.signal,
      });
      log(
        `shard ${summary.shard} of batch ${summary.batchId} done: ${summary.counts.ok} ok, ` +
          `${summary.counts.failed} failed, ${summary.counts.skipped} skipped in ${summary.timings.totalMs} ms`,
      );
      return 0;
    } finally {
      process.off('SIGTERM', onSigterm);
      scorer.dispose();
    }
  } catch (error) {
    const { name, message } = error as Error;
    log(`infer failed: ${name}: ${message}`);
    return error instanceof UsageError ? 2 : 1;
  }
}
