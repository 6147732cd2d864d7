import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as tf from '@tensorflow/tfjs';
import { joinKey, parseS3Url, S3Location } from '../../../lib/contracts/s3-location';

const MODEL_JSON = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/**
 * A tf.io.IOHandler for `s3://bucket/prefix/` model directories laid out as the tfjs converter
 * and `model.save()` write them: `model.json` plus the weight shards it names. Works for both
 * layers and graph models because it only moves artifacts; tf.loadLayersModel or
 * tf.loadGraphModel decides how to read them.
 */
export function s3IOHandler(url: string, s3: S3Client): tf.io.IOHandler {
  const root = parseS3Url(url.endsWith('/') ? url : `${url}/`);
  return {
    load: () => loadArtifacts(s3, root),
    save: (artifacts) => saveArtifacts(s3, root, artifacts),
  };
}

async function getBytes(s3: S3Client, location: S3Location): Promise<Uint8Array> {
  const response = await s3.send(
    new GetObjectCommand({ Bucket: location.bucket, Key: location.key }),
  );
  if (!response.Body) {
    throw new Error(`s3://${location.bucket}/${location.key}: empty response body`);
  }
  return response.Body.transformToByteArray();
}

async function loadArtifacts(s3: S3Client, root: S3Location): Promise<tf.io.ModelArtifacts> {
  const jsonLocation = { bucket: root.bucket, key: joinKey(root.key, MODEL_JSON) };
  let modelJson: tf.io.ModelJSON;
  try {
    modelJson = JSON.parse(Buffer.from(await getBytes(s3, jsonLocation)).toString('utf8'));
  } catch (error) {
    throw new Error(
      `cannot load model from s3://${root.bucket}/${root.key}: ${MODEL_JSON} unreadable (${(error as Error).message})`,
      { cause: error },
    );
  }
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const path of group.paths) {
        const bytes = await getBytes(s3, { bucket: root.bucket, key: joinKey(root.key, path) });
        buffers.push(
          bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
        );
      }
    }
    return [specs, tf.io.CompositeArrayBuffer.join(buffers)];
  });
}

async function saveArtifacts(
  s3: S3Client,
  root: S3Location,
  artifacts: tf.io.ModelArtifacts,
): Promise<tf.io.SaveResult> {
  const weightData = artifacts.weightData
    ? tf.io.CompositeArrayBuffer.join(artifacts.weightData)
    : new ArrayBuffer(0);
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    trainingConfig: artifacts.trainingConfig,
    signature: artifacts.signature,
    userDefinedMetadata: artifacts.userDefinedMetadata,
    modelInitializer: artifacts.modelInitializer,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
  // Weights first, model.json last: a reader that sees model.json finds complete weights.
  await s3.send(
    new PutObjectCommand({
      Bucket: root.bucket,
      Key: joinKey(root.key, WEIGHTS_FILE),
      Body: new Uint8Array(weightData),
      ContentType: 'application/octet-stream',
    }),
  );
  await s3.send(
    new PutObjectCommand({
      Bucket: root.bucket,
      Key: joinKey(root.key, MODEL_JSON),
      Body: JSON.stringify(modelJson),
      ContentType: 'application/json',
    }),
  );
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}
