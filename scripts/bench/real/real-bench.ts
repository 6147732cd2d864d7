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
import { photoBytes, prepareRealInputs, RealModelInfo } from './real-inputs';
import { scoreParity, ScoreParity } from './score-parity';

export interface RealPlan {
  readonly images: number;
  readonly rounds: number;
  /** Records per model call, on both sides. */
  readonly batchSize: number;
  /** Images the compute-only stage scores, on both sides. */
  readonly computeImages: number;
  readonly seed: number;
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

export interface RealBenchResult {
  readonly plan: RealPlan;
  readonly model: RealModelInfo;
  readonly sources: readonly string[];
  readonly jpegs: number;
  readonly pngs: number;
  readonly meanPhotoBytes: number;
  /** The S3 server the worker read from. */
  readonly server: string;
  readonly importOutput: readonly string[];
  /** Threads the peer's tf.data map decodes on (its intra/inter-op pools match ours). */
  readonly peerDecodeThreads: number;
  readonly ours: readonly OursRoundRates[];
  readonly peer: readonly PeerRound[];
  readonly parity: ScoreParity;
}

const MODEL_NAME = 'mobilenet-v2';

/**
 * bench:real: MobileNetV2 (tf-keras, weights=None, BatchNorm statistics from the photos),
 * converted and imported with `gbi models import`, over photos cut from scikit-image's sample
 * images, stored one per object in gofakes3. Each round runs the worker's side (end to end,
 * input only, compute only, in a process of its own) and the Python peer's, in alternating
 * order, so a shared machine's load falls on both alike.
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
    const env = { ...process.env, AWS_ENDPOINT_URL: server.endpoint };
    process.env.AWS_ENDPOINT_URL = server.endpoint;
    const s3 = s3Client(server.endpoint);
    const [models, photos, results] = await Promise.all([
      createBucket(s3),
      createBucket(s3),
      createBucket(s3),
    ]);
    const importOutput = await importRealModel(inputs.tfjsDir, workdir, models, MODEL_NAME);
    log(importOutput.join('\n'));
    const items = await uploadInputs(
      s3,
      photos,
      inputs.photos.map((name) => ({ key: `photos/${name}`, body: photoBytes(inputs, name) })),
      32,
    );
    const ours: OursRoundRates[] = [];
    const peer: PeerRound[] = [];
    let predictions: readonly OursPrediction[] = [];
    let peerScores: Float32Array | undefined;
    const runOurs = async (round: number) => {
      const request: OursRoundRequest = {
        endpoint: server.endpoint,
        modelsBucket: models,
        resultsBucket: results,
        modelName: MODEL_NAME,
        items,
        batchSize: plan.batchSize,
        computeImages: plan.computeImages,
        batchId: `bench-real-${Date.now()}-${round}`,
        predictions: round === 0,
      };
      const file = join(workdir, `ours-round-${round}.json`);
      writeFileSync(file, JSON.stringify(request));
      const run = await runJsonProbe<OursRound>(
        ['--import', 'tsx', join(__dirname, 'ours-round.ts'), file],
        env,
      );
      const { predictions: got, ...rates } = run;
      if (got !== undefined) predictions = got;
      ours.push(rates);
      log(
        `round ${round + 1} ours: end to end ${rates.endToEndImagesPerSecond.toFixed(1)}/s, input only ${rates.inputOnlyImagesPerSecond.toFixed(1)}/s, compute ${rates.computeImagesPerSecond.toFixed(1)}/s, peak RSS ${(rates.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      );
    };
    const runPeer = (round: number, threads: OursRoundRates) => {
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
      log(
        `round ${round + 1} peer: end to end ${got.endToEndImagesPerSecond.toFixed(1)}/s, input only ${got.inputOnlyImagesPerSecond.toFixed(1)}/s, compute ${got.computeImagesPerSecond.toFixed(1)}/s, peak RSS ${(got.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
      );
    };
    for (let round = 0; round < plan.rounds; round++) {
      // The worker runs first in even rounds, the peer in odd ones; the peer's thread counts
      // come from the worker's first round, so round 1 always starts with the worker.
      if (round % 2 === 0 || ours.length === 0) {
        await runOurs(round);
        runPeer(round, ours[0]);
      } else {
        runPeer(round, ours[0]);
        await runOurs(round);
      }
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
      importOutput,
      peerDecodeThreads: peerDecodeThreads(ours[0]),
      ours,
      peer,
      parity: scoreParity(predictions, keyIndex, peerScores!, REAL_CLASSES),
    };
  } finally {
    await server.stop();
  }
}

/**
 * The peer's tf.data map threads: the worker's decode threads plus its main thread, which
 * also reads and preprocesses, so both sides decode on as many threads.
 */
const peerDecodeThreads = (ours: OursRoundRates) => ours.decodeThreads + 1;
