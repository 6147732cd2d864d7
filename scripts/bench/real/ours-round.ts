/**
 * One round of the worker's side of bench:real, in a process of its own so its peak RSS is the
 * worker's alone: `node --import tsx ours-round.ts REQUEST.json` prints one JSON line (OursRound).
 * In order: the whole shard end to end (peak RSS read after it), the same shard with the model
 * call left out (GET + decode + preprocess, and the CPU that took), then the model alone on
 * preprocessed photos.
 */
import { readFileSync } from 'node:fs';
import { s3Client } from '../../../lib/contracts/aws-clients';
import type { ManifestItem } from '../../../lib/contracts/manifest';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { INFER_DEFAULTS } from '../../../container/src/infer/infer-options';
import type { ShardOptions } from '../../../container/src/infer/shard-run';
import { loadScorer, Scorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { readShardOutputs } from '../../../test/helpers/worker-results';
import { allScoredRate, timeShard } from '../shared/time-shard';

export interface OursRoundRequest {
  readonly endpoint: string;
  readonly modelsBucket: string;
  readonly resultsBucket: string;
  readonly modelName: string;
  readonly items: readonly ManifestItem[];
  readonly batchSize: number;
  readonly computeImages: number;
  /** Unique per round: no run resumes another's checkpoints. */
  readonly batchId: string;
  /** Return the end-to-end predictions, for the score comparison. */
  readonly predictions: boolean;
}

export interface OursPrediction {
  readonly key: string;
  readonly labels: readonly string[];
  readonly scores: readonly number[];
}

export interface OursRound {
  readonly backend: string;
  readonly decodeThreads: number;
  readonly intraOpThreads: string;
  readonly interOpThreads: string;
  readonly endToEndImagesPerSecond: number;
  readonly peakRssBytes: number;
  readonly inputOnlyImagesPerSecond: number;
  /** CPU time (all threads, user + system) of the input-only shard, per image. */
  readonly inputOnlyCpuMsPerImage: number;
  readonly computeImagesPerSecond: number;
  readonly predictions?: readonly OursPrediction[];
}

/**
 * Stands in for the model in the input-only shard: the same inputs arrive as in the real run,
 * each gets `classes` zero scores, and the first `keep` inputs are kept for the compute stage.
 */
function inputOnlyScorer(classes: number, keep: Float32Array[], size: number): Scorer {
  return {
    score: async (inputs) => {
      for (const input of inputs) if (keep.length < size) keep.push(input);
      return inputs.map(() => new Float32Array(classes));
    },
    dispose: () => undefined,
  };
}

/** Images/s of the scorer alone at the shard's batch size, over `inputs` in turn. */
async function computeRate(scorer: Scorer, inputs: readonly Float32Array[], images: number) {
  const batchOf = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => inputs[(from + i) % inputs.length]);
  const size = Math.min(inputs.length, images);
  await scorer.score(batchOf(0, size));
  const began = performance.now();
  for (let done = 0; done < images; done += size) {
    await scorer.score(batchOf(done, Math.min(size, images - done)));
  }
  return (images * 1000) / (performance.now() - began);
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(process.argv[2], 'utf-8')) as OursRoundRequest;
  const log = (line: string) => process.stderr.write(`[ours] ${line}\n`);
  const backend = await selectBackend('infer', log);
  const s3 = s3Client(request.endpoint);
  const options: ShardOptions = {
    ...INFER_DEFAULTS,
    shard: 0,
    resultsBucket: request.resultsBucket,
    batchSize: request.batchSize,
    maxErrorFraction: 0,
    progressSeconds: 3600,
  };
  const images = request.items.length;
  const shard = (
    batchId: string,
    scoreWith?: (loaded: Scorer) => Scorer,
    during?: () => () => void,
  ) =>
    timeShard({
      s3,
      modelsBucket: request.modelsBucket,
      modelName: request.modelName,
      batchId,
      items: request.items,
      options,
      backend,
      scoreWith,
      during,
    });

  const endToEnd = allScoredRate(await shard(request.batchId), images, 'end to end');
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const predictions = request.predictions
    ? (await readShardOutputs(s3, request.resultsBucket, request.batchId, 0)).results.map(
        (record) => ({
          key: record.source.key,
          labels: record.predictions.map((p) => p.label),
          scores: record.predictions.map((p) => p.score),
        }),
      )
    : undefined;

  const model = await resolveModel(s3, request.modelsBucket, { name: request.modelName });
  const kept: Float32Array[] = [];
  let cpuMicros = 0;
  const inputOnly = allScoredRate(
    await shard(
      `${request.batchId}-input`,
      () => inputOnlyScorer(model.metadata.labels.length, kept, request.batchSize),
      () => {
        const before = process.cpuUsage();
        return () => {
          const used = process.cpuUsage(before);
          cpuMicros = used.user + used.system;
        };
      },
    ),
    images,
    'input only',
  );

  const scorer = await loadScorer(model, s3);
  const compute = await computeRate(scorer, kept, request.computeImages).finally(() =>
    scorer.dispose(),
  );
  const result: OursRound = {
    backend,
    decodeThreads: options.decodeThreads,
    intraOpThreads: process.env.TF_NUM_INTRAOP_THREADS ?? '',
    interOpThreads: process.env.TF_NUM_INTEROP_THREADS ?? '',
    endToEndImagesPerSecond: endToEnd,
    peakRssBytes,
    inputOnlyImagesPerSecond: inputOnly,
    inputOnlyCpuMsPerImage: cpuMicros / 1000 / images,
    computeImagesPerSecond: compute,
    predictions,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`ours-round: ${(error as Error).stack ?? String(error)}\n`);
      process.exit(1);
    },
  );
}
