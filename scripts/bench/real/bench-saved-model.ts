/**
 * SavedModel through the TensorFlow C library against the converted layers model, on tfjs-node:
 * the same tf-keras MobileNetV2 (weights=None, 224x224x3, BatchNorm statistics set from noise;
 * scripts/bench/real/mobilenet_formats.py) written both ways, each loaded as the worker loads it
 * (the SavedModel checked and loaded by loadSavedModel, the layers model by tf.loadLayersModel)
 * and called through the worker's Scorer (checkedScorer: one predict call per mini-batch).
 *
 *   flock -x /tmp/heavy.lock npx tsx scripts/bench/real/bench-saved-model.ts [--rounds 5] [--calls 5] [--batch 32] [--workdir DIR]
 *
 * Rounds alternate the two formats, so load on a shared machine falls on both; each round's rate
 * is its median call, and the printed rate the median over rounds. Prints one JSON object.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { loadedNativeBinding } from '../../../container/src/backend/load-native';
import { checkedScorer, Scorer } from '../../../container/src/model/load-scorer';
import {
  checkSavedModel,
  loadSavedModel,
} from '../../../container/src/model/saved-model/load-saved-model';
import { DEFAULT_SAVED_MODEL_SIGNATURE } from '../../../container/src/model/saved-model/serving-signature';
import { parseArgs } from '../../shared/cli-args';
import { machine } from '../shared/machine';
import { median } from '../shared/median-rows';
import { ensurePeerVenv, PEER_VENV } from '../compute/peer-runner';
import { seededRandom } from '../io/seeded-random';

const SIZE = 224 * 224 * 3;

function metadata(format: ModelMetadata['format']): ModelMetadata {
  return {
    schemaVersion: format === 'saved-model' ? 2 : 1,
    name: 'mobilenet-v2',
    version: format,
    format,
    ...(format === 'saved-model' ? { savedModel: DEFAULT_SAVED_MODEL_SIGNATURE } : {}),
    input: { kind: 'image', width: 224, height: 224, channels: 3, scale: 1 / 127.5, offset: -1 },
    labels: Array.from({ length: 1000 }, (_, i) => `class-${i}`),
    createdAt: new Date().toISOString(),
  };
}

function filesUnder(dir: string): Map<string, Uint8Array> {
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), readFileSync(path)];
      }),
  );
}

async function savedModelScorer(dir: string): Promise<Scorer> {
  const files = filesUnder(dir);
  const meta = metadata('saved-model');
  checkSavedModel(files, meta.savedModel!, meta, `${dir}/`);
  const model = await loadSavedModel(files, meta.savedModel!);
  return checkedScorer(
    { predict: (input) => model.predict(input), dispose: () => model.dispose() },
    meta,
  );
}

async function layersScorer(dir: string): Promise<Scorer> {
  const io = (
    loadedNativeBinding()!.module as { io: { fileSystem(path: string): tf.io.IOHandler } }
  ).io;
  const model = await tf.loadLayersModel(io.fileSystem(join(dir, 'model.json')));
  return checkedScorer(model, metadata('layers'));
}

/** Images per second of the median of `calls` calls of one batch, after one warm-up call. */
async function rate(scorer: Scorer, batch: Float32Array[], calls: number): Promise<number> {
  await scorer.score(batch);
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await scorer.score(batch);
    times.push(performance.now() - start);
  }
  return batch.length / (median(times) / 1000);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), {
    numbers: ['rounds', 'calls', 'batch'],
    strings: ['workdir'],
  });
  const rounds = args.numbers.get('rounds') ?? 5;
  const calls = args.numbers.get('calls') ?? 5;
  const batchSize = args.numbers.get('batch') ?? 32;
  const workdir = args.strings.get('workdir') ?? mkdtempSync(join(tmpdir(), 'bench-saved-model-'));
  if (!existsSync(join(workdir, 'saved_model', 'saved_model.pb'))) {
    ensurePeerVenv((line) => process.stderr.write(`${line}\n`));
    const made = spawnSync(
      join(PEER_VENV, 'bin', 'python'),
      [join(__dirname, 'mobilenet_formats.py'), workdir],
      { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (made.status !== 0) throw new Error(`mobilenet_formats.py failed (exit ${made.status})`);
  }
  const backend = await selectBackend('infer', (line) => process.stderr.write(`${line}\n`));
  if (backend !== 'tfjs-node' && backend !== 'tfjs-node-gpu') {
    throw new Error(`a SavedModel needs the native backend; this process runs on ${backend}`);
  }
  const scorers = {
    savedModel: await savedModelScorer(join(workdir, 'saved_model')),
    layers: await layersScorer(join(workdir, 'layers')),
  };
  const random = seededRandom(20261207);
  const batch = Array.from({ length: batchSize }, () =>
    Float32Array.from({ length: SIZE }, () => random() * 2 - 1),
  );
  const [saved, layers] = [
    await scorers.savedModel.score(batch),
    await scorers.layers.score(batch),
  ];
  const maxDiff = Math.max(
    ...saved.map((row, i) => Math.max(...row.map((v, j) => Math.abs(v - layers[i][j])))),
  );
  const perRound: { savedModel: number; layers: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always runs right after the other's allocations.
    const order =
      round % 2 === 0 ? (['savedModel', 'layers'] as const) : (['layers', 'savedModel'] as const);
    const row = { savedModel: 0, layers: 0 };
    for (const which of order) row[which] = await rate(scorers[which], batch, calls);
    perRound.push(row);
    process.stderr.write(
      `round ${round + 1}/${rounds}: SavedModel ${row.savedModel.toFixed(1)} img/s, layers ${row.layers.toFixed(1)} img/s\n`,
    );
  }
  scorers.savedModel.dispose();
  scorers.layers.dispose();
  const savedModel = median(perRound.map((r) => r.savedModel));
  const layersRate = median(perRound.map((r) => r.layers));
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: machine(),
        backend,
        threads: {
          intraOp: process.env.TF_NUM_INTRAOP_THREADS,
          interOp: process.env.TF_NUM_INTEROP_THREADS,
        },
        batchSize,
        rounds,
        callsPerRound: calls,
        imagesPerSecond: { savedModel, layers: layersRate },
        ratio: savedModel / layersRate,
        perRoundRange: {
          savedModel: [
            Math.min(...perRound.map((r) => r.savedModel)),
            Math.max(...perRound.map((r) => r.savedModel)),
          ],
          layers: [
            Math.min(...perRound.map((r) => r.layers)),
            Math.max(...perRound.map((r) => r.layers)),
          ],
        },
        maxAbsOutputDiff: maxDiff,
      },
      null,
      2,
    )}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-saved-model failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
