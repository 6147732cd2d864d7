import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { createBucket } from '../../../test/helpers/emulator-resources';
import { uploadInputs } from '../../../test/helpers/worker-batch-fixture';
import { runJsonProbe } from '../../shared/run-node';
import { runPeerScript } from '../compute/peer-runner';
import { startS3Server } from '../io/s3-server';
import { importRealModel, REAL_CLASSES } from './import-real-model';
import type { OursPrediction, OursRound, OursRoundRequest } from './ours-round';
import { photoBytes, prepareRealInputs, RealInputs, RealModelInfo } from './real-inputs';
import { scoreParity, ScoreParity } from './score-parity';

/** The formats the same MobileNetV2 is imported in. */
export const REAL_FORMATS = ['layers', 'savedmodel'] as const;
export type RealFormat = (typeof REAL_FORMATS)[number];

export interface RealPlan {
  readonly images: number;
  readonly rounds: number;
  /** Records per model call, on both sides. */
  readonly batchSize: number;
  /** Images the compute-only stage scores, on both sides. */
  readonly computeImages: number;
  readonly seed: number;
  readonly formats: readonly RealFormat[];
}

/** What scripts/peer/real_peer.py prints for one round. */
export interface PeerRound {
  readonly tensorflowVersion: string;
  readonly pythonVersion: string;
  readonly endToEndImagesPerSecond: number;
  readonly inputOnlyImagesPerSecond: number;
  readonly inputOnlyCpuMsPerImage: number;
  readonly computeImagesPerSecond: number;
  readonly peakRssBytes: number;
}

export type OursRoundRates = Omit<OursRound, 'predictions'>;

/** The worker on one format of the model: its rounds and its scores against the peer's. */
export interface WorkerVariant {
  readonly format: RealFormat;
  /** What `gbi models import` printed. */
  readonly importOutput: readonly string[];
  readonly rounds: readonly OursRoundRates[];
  readonly parity: ScoreParity;
}

export interface RealBenchResult {
  readonly plan: RealPlan;
  readonly model: RealModelInfo;
  readonly sources: readonly string[];
  readonly jpegs: number;
  readonly pngs: number;
  readonly meanPhotoBytes: number;
  /** The S3 server the worker read from. */
  readonly server: string;
  /** Threads the peer's tf.data map decodes on (its intra/inter-op pools match ours). */
  readonly peerDecodeThreads: number;
  readonly workers: readonly WorkerVariant[];
  readonly peer: readonly PeerRound[];
}

const MODEL_NAME: Readonly<Record<RealFormat, string>> = {
  layers: 'mobilenet-v2',
  savedmodel: 'mobilenet-v2-savedmodel',
};

const modelDir = (inputs: RealInputs, format: RealFormat) =>
  format === 'layers' ? inputs.tfjsDir : inputs.savedModelDir;

/**
 * The peer's tf.data map threads: the worker's decode threads plus its main thread, which
 * also reads and preprocesses, so both sides decode on as many threads.
 */
const peerDecodeThreads = (ours: OursRoundRates) => ours.decodeThreads + 1;

const rateLine = (r: OursRoundRates | PeerRound) =>
  `end to end ${r.endToEndImagesPerSecond.toFixed(1)}/s, input only ${r.inputOnlyImagesPerSecond.toFixed(1)}/s, compute ${r.computeImagesPerSecond.toFixed(1)}/s, peak RSS ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * bench:real: MobileNetV2 (tf-keras, weights=None, BatchNorm statistics from the photos),
 * imported with `gbi models import` as a converted layers model and as the SavedModel Keras
 * exports, over photos cut from scikit-image's sample images, stored one per object in
 * gofakes3. Each round runs the worker's side for each format (end to end, input only, compute
 * only, each in a process of its own) and the Python peer's, in alternating order, so a shared
 * machine's load falls on both alike.
 */
export async function runRealBench(
  plan: RealPlan,
  workdir: string,
  log: (line: string) => void,
): Promise<RealBenchResult> {
  const inputs = prepareRealInputs(workdir, plan.images, plan.seed, log);
  const server = await startS3Server(log);
  try {
    // `gbi models import` and the worker's round processes reach S3 through the environment.
    process.env.AWS_ENDPOINT_URL = server.endpoint;
    const s3 = s3Client(server.endpoint);
    const [models, photos, results] = await Promise.all([
      createBucket(s3),
      createBucket(s3),
      createBucket(s3),
    ]);
    const imports = new Map<RealFormat, string[]>();
    for (const format of plan.formats) {
      const output = await importRealModel(
        modelDir(inputs, format),
        workdir,
        models,
        MODEL_NAME[format],
      );
      log(output.join('\n'));
      imports.set(format, output);
    }
    const items = await uploadInputs(
      s3,
      photos,
      inputs.photos.map((name) => ({ key: `photos/${name}`, body: photoBytes(inputs, name) })),
      32,
    );
    const rounds = new Map<RealFormat, OursRoundRates[]>(plan.formats.map((f) => [f, []]));
    const predictions = new Map<RealFormat, readonly OursPrediction[]>();
    const peer: PeerRound[] = [];
    let peerScores: Float32Array | undefined;

    const runOurs = async (round: number, format: RealFormat) => {
      const request: OursRoundRequest = {
        endpoint: server.endpoint,
        modelsBucket: models,
        resultsBucket: results,
        modelName: MODEL_NAME[format],
        items,
        batchSize: plan.batchSize,
        computeImages: plan.computeImages,
        batchId: `bench-real-${format}-${Date.now()}-${round}`,
        predictions: round === 0,
      };
      const file = join(workdir, `ours-${format}-${round}.json`);
      writeFileSync(file, JSON.stringify(request));
      const { predictions: got, ...rates } = await runJsonProbe<OursRound>(
        ['--import', 'tsx', join(__dirname, 'ours-round.ts'), file],
        process.env,
      );
      if (got !== undefined) predictions.set(format, got);
      rounds.get(format)!.push(rates);
      log(`round ${round + 1} worker (${format}): ${rateLine(rates)}`);
    };
    const runPeer = (round: number) => {
      const threads = rounds.get(plan.formats[0])![0];
      const got = runPeerScript('real_peer.py', [
        workdir,
        ...['--intra', threads.intraOpThreads],
        ...['--inter', threads.interOpThreads],
        ...['--decode-threads', String(peerDecodeThreads(threads))],
        ...['--batch-size', String(plan.batchSize)],
        ...['--compute-images', String(plan.computeImages)],
      ]) as PeerRound;
      peer.push(got);
      if (round === 0) {
        const bytes = readFileSync(join(workdir, 'peer-scores.f32'));
        peerScores = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
      }
      log(`round ${round + 1} peer: ${rateLine(got)}`);
    };
    for (let round = 0; round < plan.rounds; round++) {
      // The worker runs first in odd rounds (1, 3, ...), the peer in even ones; the peer takes
      // its thread counts from the worker's first round, so round 1 starts with the worker.
      const workerFirst = round % 2 === 0;
      if (!workerFirst) runPeer(round);
      for (const format of plan.formats) await runOurs(round, format);
      if (workerFirst) runPeer(round);
    }
    const keyIndex = new Map(inputs.photos.map((name, i) => [`photos/${name}`, i]));
    const sizes = inputs.photos.map((name) => statSync(join(workdir, 'photos', name)).size);
    return {
      plan,
      model: inputs.model,
      sources: inputs.sources,
      jpegs: inputs.photos.filter((name) => name.endsWith('.jpg')).length,
      pngs: inputs.photos.filter((name) => name.endsWith('.png')).length,
      meanPhotoBytes: sizes.reduce((a, b) => a + b, 0) / sizes.length,
      server: 'gofakes3 (scripts/bench/io/s3-server.ts)',
      peerDecodeThreads: peerDecodeThreads(rounds.get(plan.formats[0])![0]),
      workers: plan.formats.map((format) => ({
        format,
        importOutput: imports.get(format)!,
        rounds: rounds.get(format)!,
        parity: scoreParity(predictions.get(format)!, keyIndex, peerScores!, REAL_CLASSES),
      })),
      peer,
    };
  } finally {
    await server.stop();
  }
}
