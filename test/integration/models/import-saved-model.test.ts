import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../lib/contracts/aws-clients';
import { modelKeys } from '../../../lib/contracts/keys';
import type { ModelMetadata } from '../../../lib/contracts/registry';
import { selectBackend } from '../../../container/src/backend/select-backend';
import { ModelResolutionError } from '../../../container/src/infer/errors';
import { sha256Hex } from '../../../container/src/model/file-digests';
import { loadScorer } from '../../../container/src/model/load-scorer';
import { resolveModel } from '../../../container/src/model/resolve-model';
import { ModelRegistry } from '../../../container/src/registry/model-registry';
import { ModelImportError } from '../../../scripts/cli/import/errors';
import { importModel } from '../../../scripts/cli/import/import-model';
import type { ImportSpec } from '../../../scripts/cli/import/import-spec';
import { modelSource } from '../../../scripts/cli/import/model-source';
import { backendsUnderTest, onBackend } from '../../helpers/backends';
import { contractViolations } from '../../helpers/contract-schemas';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';
import { createBucket } from '../../helpers/emulator-resources';
import { SavedModelFixtures, writeSavedModelFixtures } from '../../helpers/saved-model-fixtures';

// The first run creates the peer venv (TensorFlow from the package index): minutes.
jest.setTimeout(600_000);

const s3 = s3Client();
const native = backendsUnderTest().includes('tfjs-node');
const SPEC: ImportSpec = { input: 'features', shape: [4], labels: ['a', 'b', 'c'] };
const ROWS = [
  [1, 2, 3, 4],
  [0, 0, 0, 0],
  [-1.5, 0.25, 2, -3],
];

async function bucketKeys(bucket: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (listed.Contents ?? []).map((o) => o.Key!);
}

/** Every file under `dir`, by '/'-separated path relative to it. */
function filesUnder(dir: string): Map<string, Buffer> {
  return new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), readFileSync(path)];
      }),
  );
}

async function importInto(dir: string, spec: ImportSpec) {
  const bucket = await createBucket(s3);
  const registry = new ModelRegistry(s3, bucket, 'saved');
  return {
    bucket,
    registry,
    outcome: importModel({ source: modelSource(dir, s3), spec, registry }),
  };
}

/** The import is refused with a ModelImportError matching `message`, and the bucket stays empty. */
async function expectRefused(dir: string, spec: ImportSpec, message: RegExp): Promise<void> {
  const { bucket, outcome } = await importInto(dir, spec);
  const error = await outcome.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelImportError);
  expect((error as Error).message).toMatch(message);
  expect(await bucketKeys(bucket)).toEqual([]);
}

(native ? describe : describe.skip)('TensorFlow SavedModels', () => {
  let fixtures: SavedModelFixtures;
  const fixture = (name: string) => join(fixtures.dir, name);

  beforeAll(async () => {
    // given SavedModels written by TensorFlow itself, and TensorFlow's scores of the plain one
    fixtures = writeSavedModelFixtures(ROWS);
    await selectBackend('infer', () => undefined, onBackend(process.env, 'tfjs-node'));
  });

  describeOnEmulator(['s3'], 'gbi models import', () => {
    it('registers a SavedModel with the SHA-256 of every file, and the worker scores with it as TensorFlow does', async () => {
      // when the plain classifier's folder is imported
      const { registry, outcome } = await importInto(fixture('plain'), SPEC);
      const { metadata } = await outcome;

      // then the version is a saved-model version (metadata version 2) recording every file
      const files = filesUnder(fixture('plain'));
      expect([...files.keys()]).toEqual(
        expect.arrayContaining([
          'saved_model.pb',
          'variables/variables.index',
          'variables/variables.data-00000-of-00001',
        ]),
      );
      expect(metadata).toMatchObject({
        schemaVersion: 2,
        format: 'saved-model',
        savedModel: { tags: ['serve'], signature: 'serving_default' },
        sha256: Object.fromEntries([...files].map(([path, bytes]) => [path, sha256Hex(bytes)])),
      });
      expect(Object.keys(metadata.sha256!).sort()).toEqual([...files.keys()].sort());
      expect(contractViolations('model-metadata', metadata)).toEqual([]);

      // and the worker verifies and loads it in the C library and scores as TensorFlow does
      const scorer = await loadScorer(
        await resolveModel(s3, registry.bucket, { name: 'saved', version: metadata.version }),
        s3,
      );
      const scores = await scorer.score(ROWS.map((row) => Float32Array.from(row)));
      scorer.dispose();
      const diff = Math.max(
        ...scores.flatMap((row, i) => [...row].map((v, j) => Math.abs(v - fixtures.scores[i][j]))),
      );
      expect(diff).toBeLessThanOrEqual(1e-6);
    });

    it('reads a SavedModel from an s3:// prefix, listing its files', async () => {
      // given the plain SavedModel uploaded under a prefix
      const source = await createBucket(s3);
      for (const [path, body] of filesUnder(fixture('plain'))) {
        await s3.send(
          new PutObjectCommand({ Bucket: source, Key: `export/1/${path}`, Body: body }),
        );
      }

      // when it is imported from there / then every file is registered
      const { outcome } = await importInto(`s3://${source}/export/1`, SPEC);
      const { metadata } = await outcome;
      expect(Object.keys(metadata.sha256!).sort()).toEqual(
        [...filesUnder(fixture('plain')).keys()].sort(),
      );
    });

    describe('refusals, each naming the fault and writing nothing', () => {
      it('refuses a graph that reads a file, naming the op, node and function', async () => {
        await expectRefused(
          fixture('read_file'),
          SPEC,
          /saved_model\.pb: refused: a model must not reach outside its tensors, and its graph holds op ReadFile in node 'ReadFile' of function '__inference_read_file_\d+' \(meta graph tags: serve\) reads or writes files/,
        );
      });

      it('refuses a graph that writes a file, and nothing is written there', async () => {
        await expectRefused(
          fixture('write_file'),
          SPEC,
          /op WriteFile in node 'WriteFile' of function '__inference_write_file_\d+'/,
        );
        expect(readFileSync(fixtures.secretFile, 'utf8')).toBe('not for models\n');
      });

      it('refuses a file read hidden in a while loop body of a called function', async () => {
        await expectRefused(
          fixture('nested_read'),
          SPEC,
          /op ReadFile in node 'while\/ReadFile' of function '\w*while_body\w*'/,
        );
      });

      it('refuses a signature with two inputs', async () => {
        await expectRefused(
          fixture('two_inputs'),
          SPEC,
          /signature 'serving_default' has 2 inputs and 1 outputs; the pipeline feeds one input tensor/,
        );
      });

      it('refuses a declared shape the signature does not take, naming both', async () => {
        await expectRefused(
          fixture('plain'),
          { ...SPEC, shape: [5] },
          /shape mismatch: its input serving_default_x:0 is 4 per record, the metadata declares 5/,
        );
      });

      it('refuses labels that do not match the output, naming both', async () => {
        await expectRefused(
          fixture('plain'),
          { ...SPEC, labels: ['a', 'b'] },
          /its output StatefulPartitionedCall:0 is 3 per record, the metadata declares 2/,
        );
      });

      it('refuses a signature the SavedModel does not have, naming those it has', async () => {
        await expectRefused(
          fixture('plain'),
          { ...SPEC, signature: 'predict' },
          /no signature 'predict' in meta graph serve \(its signatures: serving_default\)/,
        );
      });

      it('refuses a SavedModel whose variables data shard is missing, naming it', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'saved-model-'));
        cpSync(fixture('plain'), dir, { recursive: true });
        rmSync(join(dir, 'variables', 'variables.data-00000-of-00001'));
        await expectRefused(
          dir,
          SPEC,
          /missing variables\/variables\.data-00000-of-NNNNN \(the graph has variables\)/,
        );
      });

      it('refuses a SavedModel on the wasm backend, saying it needs the C library', async () => {
        await selectBackend('infer', () => undefined, onBackend(process.env, 'wasm'));
        try {
          await expectRefused(
            fixture('plain'),
            SPEC,
            /a TensorFlow SavedModel runs only through the TensorFlow C library \(the tfjs-node or tfjs-node-gpu backend\), and this process runs on the wasm backend/,
          );
        } finally {
          await selectBackend('infer', () => undefined, onBackend(process.env, 'tfjs-node'));
        }
      });
    });
  });

  describeOnEmulator(['s3'], 'the worker', () => {
    /** Registers a SavedModel's files as they are, bypassing the import's checks. */
    async function registerUnchecked(dir: string): Promise<string> {
      const bucket = await createBucket(s3);
      const registry = new ModelRegistry(s3, bucket, 'saved');
      const metadata: ModelMetadata = {
        schemaVersion: 2,
        name: 'saved',
        version: 'v1',
        format: 'saved-model',
        savedModel: { tags: ['serve'], signature: 'serving_default' },
        input: { kind: 'features', size: 4 },
        labels: ['a', 'b', 'c'],
        createdAt: new Date().toISOString(),
      };
      await registry.registerFiles(filesUnder(dir), metadata);
      return bucket;
    }

    it('refuses a version whose graph holds a file op even when it was not imported through gbi', async () => {
      const bucket = await registerUnchecked(fixture('write_file'));
      const load = loadScorer(await resolveModel(s3, bucket, { name: 'saved', version: 'v1' }), s3);
      await expect(load).rejects.toThrow(ModelResolutionError);
      await expect(load).rejects.toThrow(/op WriteFile in node 'WriteFile'/);
      expect(readFileSync(fixtures.secretFile, 'utf8')).toBe('not for models\n');
    });

    it('refuses a version whose variables were changed after it was written, naming the file', async () => {
      // given a registered SavedModel, then one byte of its variables changed in the bucket
      const bucket = await registerUnchecked(fixture('plain'));
      const key = `${modelKeys.version('saved', 'v1')}variables/variables.data-00000-of-00001`;
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = await response.Body!.transformToByteArray();
      bytes[bytes.length - 1] ^= 0x01;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));

      // when the worker loads it / then the load is refused, naming the file
      const load = loadScorer(await resolveModel(s3, bucket, { name: 'saved', version: 'v1' }), s3);
      await expect(load).rejects.toThrow(
        new RegExp(`s3://${bucket}/${key}: SHA-256 [0-9a-f]{64} does not match [0-9a-f]{64}`),
      );
    });
  });
});
