import { s3Client } from '../../../lib/contracts/aws-clients';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { createBucket } from '../../helpers/emulator-resources';
import { uploadInputs, writeManifest } from '../../helpers/worker-batch-fixture';
import {
  publishDigitsChampion,
  publishFeaturesChampion,
  publishGraphChampion,
} from '../../helpers/worker-model-fixture';
import { readShardOutputs } from '../../helpers/worker-results';
import { mnistDigit, pngOf } from '../../helpers/worker-image-fixtures';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

const s3 = s3Client();
const names = ['height', 'width', 'depth'];

async function runShard(
  files: { key: string; body: string | Uint8Array }[],
  model: { name: string; version?: string },
  models: string,
) {
  const inputs = await createBucket(s3);
  const results = await createBucket(s3);
  const items = await uploadInputs(s3, inputs, files);
  const batchId = `records-${Math.random().toString(36).slice(2, 8)}`;
  const manifestUrl = await writeManifest(s3, results, batchId, model, items);
  const lines: string[] = [];
  const code = await runInferCommand(
    ['--manifest', manifestUrl, '--batch-size', '4', '--max-error-fraction', '0.5'],
    (line) => lines.push(line),
    { ...process.env, MODEL_BUCKET: models, RESULTS_BUCKET: results },
  );
  return { code, lines, outputs: await readShardOutputs(s3, results, batchId, 0) };
}

describeOnEmulator(['s3'], 'worker infer on JSON, JSONL and CSV records', () => {
  let models: string;

  beforeAll(async () => {
    models = await createBucket(s3);
    await publishFeaturesChampion(s3, models, names, ['small', 'large']);
  });

  it('scores every good record at its offset and quarantines bad rows with their reason', async () => {
    // given a JSONL file, a CSV with a header in another column order, and a JSON list
    const files = [
      { key: 'in/a.jsonl', body: '[1,2,3]\n\n{"height":1,"width":2,"depth":3}\n[1,2]\n' },
      { key: 'in/b.csv', body: 'depth,height,width\n3,1,2\n3,oops,2\n6,4,5\n' },
      { key: 'in/c.json', body: '[[1,2,3],[4,5,6]]' },
    ];

    // when the shard runs
    const { code, outputs } = await runShard(files, { name: 'tabular' }, models);

    // then results and errors are exactly the expected (object, offset) pairs
    expect(code).toBe(0);
    expect(outputs.results.map((r) => `${r.source.key}@${r.source.offset}`)).toEqual([
      'in/a.jsonl@0',
      'in/a.jsonl@2',
      'in/b.csv@1',
      'in/b.csv@3',
      'in/c.json@0',
      'in/c.json@1',
    ]);
    expect(
      outputs.errors.map((e) => [`${e.source.key}@${e.source.offset}`, e.code, e.reason]),
    ).toEqual([
      ['in/a.jsonl@3', 'BAD_SHAPE', 'expected 3 features, got 2'],
      ['in/b.csv@2', 'BAD_ROW', "row 2, column 'height': 'oops' is not a decimal number"],
    ]);
    expect(outputs.summary.counts).toEqual({ ok: 6, failed: 2, skipped: 1 });
  });

  it('gives the same record the same scores whatever its format', async () => {
    // given one record as JSONL, CSV and JSON
    const files = [
      { key: 'in/a.jsonl', body: '[1.5,2,3]\n' },
      { key: 'in/b.csv', body: '1.5,2,3\n' },
      { key: 'in/c.json', body: '{"height":1.5,"width":2,"depth":3}' },
    ];

    // when the shard runs
    const { outputs } = await runShard(files, { name: 'tabular' }, models);

    // then all three predictions are equal
    const [first, ...others] = outputs.results.map((r) => r.predictions);
    expect(first).toHaveLength(2);
    for (const predictions of others) expect(predictions).toEqual(first);
  });

  it('scores with the version the manifest pins instead of the champion', async () => {
    // given a digits champion v2 and a pinned older version v1
    const registry = await createBucket(s3);
    await publishDigitsChampion(s3, registry, 'digits', 'v1');
    await publishDigitsChampion(s3, registry, 'digits', 'v2');

    // when a manifest pinning v1 runs
    const { code, lines, outputs } = await runShard(
      [{ key: 'in/seven.png', body: pngOf(mnistDigit(7, 0), 28, 28) }],
      { name: 'digits', version: 'v1' },
      registry,
    );

    // then v1 is logged and written into the summary
    expect(code).toBe(0);
    expect(lines.some((line) => line.includes('digits@v1') && line.includes('pinned'))).toBe(true);
    expect(outputs.summary.model.version).toBe('v1');
  });

  it('scores with a graph model as the tfjs converter writes it', async () => {
    // given a converted-format graph model computing softmax(x . W)
    const registry = await createBucket(s3);
    const weights = [
      [1, -1],
      [0.5, 0.25],
    ];
    await publishGraphChampion(s3, registry, weights, ['left', 'right']);

    // when a JSONL record [2, 4] is scored
    const { code, outputs } = await runShard(
      [{ key: 'in/g.jsonl', body: '[2,4]\n' }],
      { name: 'graph' },
      registry,
    );

    // then the predictions are the softmax of the logits [4, -1]
    expect(code).toBe(0);
    const left = Math.exp(4) / (Math.exp(4) + Math.exp(-1));
    expect(outputs.results[0].predictions).toEqual([
      { label: 'left', score: expect.closeTo(left, 5) },
      { label: 'right', score: expect.closeTo(1 - left, 5) },
    ]);
    expect(outputs.summary.model.version).toBe('v0001-fixture');
  });
});
