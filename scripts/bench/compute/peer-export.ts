import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export class PeerExportError extends Error {
  override readonly name = 'PeerExportError';
}

/** One layer as the Python peer rebuilds it in Keras. */
export type PeerLayer =
  | {
      readonly type: 'conv2d';
      readonly filters: number;
      readonly kernelSize: number[];
      readonly strides: number[];
      readonly padding: string;
      readonly activation: string;
    }
  | { readonly type: 'maxpool2d'; readonly poolSize: number[]; readonly strides: number[] }
  | { readonly type: 'flatten' }
  | { readonly type: 'dropout'; readonly rate: number }
  | { readonly type: 'dense'; readonly units: number; readonly activation: string };

const pair = (value: unknown, field: string, layer: string): number[] => {
  const list = Array.isArray(value) ? value : [value, value];
  if (list.length !== 2 || !list.every((n) => Number.isInteger(n))) {
    throw new PeerExportError(
      `layer ${layer}: ${field} ${JSON.stringify(value)} is not 1 or 2 integers`,
    );
  }
  return list as number[];
};

/** The Keras description of a Sequential tfjs model; unsupported layers are named. */
export function peerLayers(model: tf.LayersModel): PeerLayer[] {
  return model.layers.flatMap((layer): PeerLayer[] => {
    const c = layer.getConfig();
    switch (layer.getClassName()) {
      case 'Conv2D':
        return [
          {
            type: 'conv2d',
            filters: c.filters as number,
            kernelSize: pair(c.kernelSize, 'kernelSize', layer.name),
            strides: pair(c.strides, 'strides', layer.name),
            padding: c.padding as string,
            activation: c.activation as string,
          },
        ];
      case 'MaxPooling2D':
        return [
          {
            type: 'maxpool2d',
            poolSize: pair(c.poolSize, 'poolSize', layer.name),
            strides: pair(c.strides ?? c.poolSize, 'strides', layer.name),
          },
        ];
      case 'Flatten':
        return [{ type: 'flatten' }];
      case 'Dense':
        return [{ type: 'dense', units: c.units as number, activation: c.activation as string }];
      case 'Dropout':
        // A no-op when scoring; the training peer (scripts/peer/keras_fit_peer.py) needs it.
        return [{ type: 'dropout', rate: c.rate as number }];
      default:
        throw new PeerExportError(
          `layer ${layer.name}: ${layer.getClassName()} has no Keras twin in the peer benchmark`,
        );
    }
  });
}

/** Float32 rows as one little-endian byte run, as numpy's fromfile(dtype=float32) reads it. */
export function float32Bytes(rows: readonly Float32Array[]): Buffer {
  return Buffer.concat(rows.map((r) => Buffer.from(r.buffer, r.byteOffset, r.byteLength)));
}

/**
 * The model as both peers rebuild it (scripts/peer/tf_peer.py build_model and read_weights):
 * model.json with the layers and weight shapes, weights.bin with the weights in model order.
 */
export async function writePeerModel(dir: string, model: tf.LayersModel): Promise<void> {
  const weights = model.getWeights();
  const data = await Promise.all(weights.map((w) => w.data() as Promise<Float32Array>));
  writeFileSync(join(dir, 'weights.bin'), float32Bytes(data));
  writeFileSync(
    join(dir, 'model.json'),
    JSON.stringify({ layers: peerLayers(model), weightShapes: weights.map((w) => w.shape) }),
  );
}

export interface PeerRequest {
  readonly batchSizes: readonly number[];
  readonly minSeconds: number;
  readonly topK: number;
  readonly inputShape: readonly number[];
  readonly inputCount: number;
  readonly expectedCount: number;
}

/**
 * Writes what the Python peer needs to run the same work: the layer list, the weights in
 * model order (float32, little-endian, with their shapes), the same float inputs, the same PNG
 * bytes, and our scores for the first inputs so it can prove the weights are the same.
 */
export async function exportPeerWork(
  dir: string,
  model: tf.LayersModel,
  inputs: readonly Float32Array[],
  pngs: readonly Uint8Array[],
  expected: readonly Float32Array[],
  request: Omit<PeerRequest, 'inputCount' | 'expectedCount'>,
): Promise<void> {
  mkdirSync(join(dir, 'png'), { recursive: true });
  await writePeerModel(dir, model);
  writeFileSync(join(dir, 'inputs.f32'), float32Bytes(inputs));
  writeFileSync(join(dir, 'expected.f32'), float32Bytes(expected));
  pngs.forEach((png, i) =>
    writeFileSync(join(dir, 'png', `${String(i).padStart(5, '0')}.png`), png),
  );
  const full: PeerRequest = {
    ...request,
    inputCount: inputs.length,
    expectedCount: expected.length,
  };
  writeFileSync(join(dir, 'request.json'), JSON.stringify(full));
}
