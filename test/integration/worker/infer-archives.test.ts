import { s3Client } from '../../../lib/contracts/aws-clients';
import { recordId } from '../../../lib/contracts/manifest';
import type { ErrorRecord, ResultRecord } from '../../../lib/contracts/records';
import { runInferCommand } from '../../../container/src/infer/infer-command';
import { violationsOfEach } from '../../helpers/contract-schemas';
import { createBucket } from '../../helpers/emulator-resources';
import { InputFile, uploadInputs, writeManifest } from '../../helpers/worker-batch-fixture';
import { mnistDigit, pngOf, truncatedPng } from '../../helpers/worker-image-fixtures';
import { publishDigitsChampion, publishFeaturesChampion } from '../../helpers/worker-model-fixture';
import { readShardOutputs } from '../../helpers/worker-results';
import { tarBombGz, TarMember, tarOf, tgzOf } from '../../helpers/tar-fixtures';
import { describeOnEmulator } from '../../helpers/describe-on-emulator';

jest.setTimeout(120_000);

const s3 = s3Client();

const digitPng = (i: number) => pngOf(mnistDigit(i % 10, Math.floor(i / 10)), 28, 28);

/** 12 digits with, among them, a corrupt PNG, an oversize one, a directory and a symlink. */
const mixedMembers: TarMember[] = [
  ...Array.from({ length: 6 }, (_, i) => ({ name: `digits/${i}.png`, body: digitPng(i) })),
  { name: 'digits/', type: 'directory' },
  { name: 'digits/corrupt.png', body: truncatedPng() },
  { name: 'digits/oversize.png', body: Buffer.alloc(5000, 1) },
  { name: 'digits/latest.png', type: 'symlink', linkname: '5.png' },
  ...Array.from({ length: 6 }, (_, i) => ({ name: `digits/${i + 6}.png`, body: digitPng(i + 6) })),
];
const goodNames = mixedMembers.filter((m) => /\/\d+\.png$/.test(m.name)).map((m) => m.name);

const label = (record: { source: { key: string; member?: string; offset: number } }) =>
  `${record.source.key}${record.source.member ? `!${record.source.member}` : ''}@${record.source.offset}`;

async function runBatch(options: {
  files: InputFile[];
  model?: 'digits' | 'tabular';
  argv?: string[];
}) {
  const models = await createBucket(s3);
  const inputs = await createBucket(s3);
  const results = await createBucket(s3);
  if (options.model === 'tabular')
    await publishFeaturesChampion(s3, models, ['a', 'b'], ['x', 'y']);
  else await publishDigitsChampion(s3, models);
  const items = await uploadInputs(s3, inputs, options.files);
  const batchId = `archives-${Math.random().toString(36).slice(2, 8)}`;
  const manifestUrl = await writeManifest(
    s3,
    results,
    batchId,
    { name: options.model ?? 'digits' },
    items,
  );
  const lines: string[] = [];
  const code = await runInferCommand(
    [
      '--manifest',
      manifestUrl,
      '--batch-size',
      '5',
      '--max-error-fraction',
      '0.9',
      '--max-member-bytes',
      '4096',
      ...(options.argv ?? []),
    ],
    (line) => lines.push(line),
    { ...process.env, MODEL_BUCKET: models, RESULTS_BUCKET: results },
  );
  const outputs = await readShardOutputs(s3, results, batchId, 0);
  return { code, lines, items, outputs };
}

function schemaViolations(results: ResultRecord[], errors: ErrorRecord[]): string[] {
  return [
    ...violationsOfEach('result-record', results, (r) => label(r as ResultRecord)),
    ...violationsOfEach('error-record', errors, (e) => label(e as ErrorRecord)),
  ];
}

describeOnEmulator(['s3'], 'worker infer on tar and gzipped tar archives', () => {
  it('scores every good member of a tar and a tgz once and fails each bad member alone', async () => {
    // given the same 16 entries as a .tar and as a .tgz, one digit as a plain object, and an
    // empty object named .tgz
    const files = [
      { key: 'in/digits.tar', body: await tarOf(mixedMembers) },
      { key: 'in/digits.tgz', body: await tgzOf(mixedMembers) },
      { key: 'in/plain-3.png', body: digitPng(3) },
      { key: 'in/empty.tgz', body: '' },
    ];

    // when the shard runs
    const { code, items, outputs } = await runBatch({ files });

    // then each archive gives one result per good member, in archive order, with its member's id
    expect(code).toBe(0);
    for (const item of items.slice(0, 2)) {
      const results = outputs.results.filter((r) => r.source.key === item.key);
      expect(results.map((r) => r.source.member)).toEqual(goodNames);
      for (const result of results) {
        const member = { index: result.source.memberIndex!, name: result.source.member! };
        expect(mixedMembers[member.index].name).toBe(member.name);
        expect(result.recordId).toBe(recordId(item, 0, member));
      }
      // ...and an error per bad member, naming it, while the directory is skipped
      const errors = outputs.errors.filter((e) => e.source.key === item.key);
      expect(errors.map((e) => [e.source.member, e.code])).toEqual([
        ['digits/corrupt.png', 'DECODE_FAILED'],
        ['digits/oversize.png', 'TOO_LARGE'],
        ['digits/latest.png', 'UNSUPPORTED_FORMAT'],
      ]);
      expect(errors[1].reason).toMatch(/above the limit of 4096 \(--max-member-bytes\)/);
      expect(errors[2].reason).toBe("member is a symlink to '5.png'; only regular files are read");
    }
    // ...a member scores exactly as the same image uploaded alone
    const plain = outputs.results.find((r) => r.source.key === 'in/plain-3.png')!;
    const inTar = outputs.results.find((r) => r.source.member === 'digits/3.png')!;
    expect(inTar.predictions).toEqual(plain.predictions);
    // ...and the empty object is EMPTY_OBJECT, as for any name
    expect(outputs.errors.find((e) => e.source.key === 'in/empty.tgz')?.code).toBe('EMPTY_OBJECT');
    expect(outputs.summary.counts).toEqual({ ok: 25, failed: 7, skipped: 2 });
    expect(new Set(outputs.results.map((r) => r.recordId)).size).toBe(25);
    expect(schemaViolations(outputs.results, outputs.errors)).toEqual([]);
  });

  it('keeps the members read before a truncation and records where the archive stopped', async () => {
    // given a tar cut inside the data of its 4th member, one cut after its 4th member's
    // padding (where no tar reader can tell, but for the missing end-of-archive block), and a
    // good plain image after them
    const six = mixedMembers.slice(0, 6);
    const fourthHeader = (await tarOf(six.slice(0, 3))).length - 1024;
    const whole = await tarOf(six);
    const fourEntries = (await tarOf(six.slice(0, 4))).length - 1024;
    const files = [
      { key: 'in/cut.tar', body: whole.subarray(0, fourthHeader + 512 + 10) },
      { key: 'in/cut-on-boundary.tar', body: whole.subarray(0, fourEntries) },
      { key: 'in/after.png', body: digitPng(1) },
    ];

    // when the shard runs
    const { code, outputs } = await runBatch({ files });

    // then the members before the cut are scored, the cut is one error, and the shard goes on
    expect(code).toBe(0);
    const cut = outputs.results.filter((r) => r.source.key === 'in/cut.tar');
    expect(cut.map((r) => r.source.member)).toEqual(goodNames.slice(0, 3));
    const stops = outputs.errors.map((e) => [e.source.key, e.code, e.reason]);
    expect(stops).toEqual([
      [
        'in/cut.tar',
        'DECODE_FAILED',
        expect.stringMatching(
          /^archive stopped inside this member, at byte \d+ of the tar data: .*; nothing after it was read$/,
        ),
      ],
      [
        'in/cut-on-boundary.tar',
        'DECODE_FAILED',
        `archive ends at byte ${fourEntries} after 4 entries without an end-of-archive block: truncated`,
      ],
    ]);
    expect(outputs.errors[0].source.member).toBe(goodNames[3]);
    expect(outputs.errors[1].source.member).toBeUndefined();
    const boundary = outputs.results.filter((r) => r.source.key === 'in/cut-on-boundary.tar');
    expect(boundary.map((r) => r.source.member)).toEqual(goodNames.slice(0, 4));
    expect(outputs.results.some((r) => r.source.key === 'in/after.png')).toBe(true);
    expect(schemaViolations(outputs.results, outputs.errors)).toEqual([]);
  });

  it('reads no entries past --max-archive-members and no tar bytes past --max-archive-bytes', async () => {
    // given a tar of 8 digits, and a gzip bomb: 64 MiB of zeros in a few KiB
    const bomb = await tarBombGz(64 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const files = [
      { key: 'in/many.tar', body: await tarOf(mixedMembers.slice(0, 6)) },
      { key: 'in/bomb.tar.gz', body: bomb },
    ];

    // when the shard runs with at most 4 entries and 1 MiB of tar data per archive
    const { code, outputs } = await runBatch({
      files,
      argv: ['--max-archive-members', '4', '--max-archive-bytes', String(1024 * 1024)],
    });

    // then the first 4 members are scored and the rest is one TOO_LARGE error per archive
    expect(code).toBe(0);
    expect(outputs.results.map((r) => r.source.member)).toEqual(goodNames.slice(0, 4));
    expect(outputs.errors.map((e) => [e.source.key, e.code, e.reason])).toEqual([
      [
        'in/many.tar',
        'TOO_LARGE',
        "archive has more than 4 entries (--max-archive-members); entries from #4 ('digits/4.png') on were not read",
      ],
      [
        'in/bomb.tar.gz',
        'TOO_LARGE',
        `archive unreadable at byte ${1024 * 1024} of the tar data, after 1 entry: archive holds more than ${1024 * 1024} bytes of tar data (--max-archive-bytes); nothing after it was read`,
      ],
      // The bomb's one member declares 64 MiB: over the member limit from its header alone.
      [
        'in/bomb.tar.gz',
        'TOO_LARGE',
        `member is ${64 * 1024 * 1024} bytes, above the limit of 4096 (--max-member-bytes)`,
      ],
    ]);
    expect(schemaViolations(outputs.results, outputs.errors)).toEqual([]);
  });

  it('scores the lines of JSON Lines and CSV members with the member and line number', async () => {
    // given a tgz holding a JSONL file with a bad line and a CSV file with a header
    const files = [
      {
        key: 'in/records.tgz',
        body: await tgzOf([
          { name: 'a.jsonl', body: '[1,2]\n{"a":3,"b":4}\n[1]\n' },
          { name: 'b.csv', body: 'b,a\n2,1\n' },
          { name: 'inner.tar', body: await tarOf([{ name: 'x.jsonl', body: '[1,2]\n' }]) },
        ]),
      },
    ];

    // when the shard runs on a two-feature model
    const { code, outputs } = await runBatch({ files, model: 'tabular' });

    // then every record is at its member and line, and a nested archive is refused
    expect(code).toBe(0);
    expect(outputs.results.map(label)).toEqual([
      'in/records.tgz!a.jsonl@0',
      'in/records.tgz!a.jsonl@1',
      'in/records.tgz!b.csv@1',
    ]);
    expect(outputs.errors.map((e) => [label(e), e.code, e.reason])).toEqual([
      ['in/records.tgz!a.jsonl@2', 'BAD_SHAPE', 'expected 2 features, got 1'],
      [
        'in/records.tgz!inner.tar@0',
        'UNSUPPORTED_FORMAT',
        'an archive inside an archive is not read',
      ],
    ]);
    expect(schemaViolations(outputs.results, outputs.errors)).toEqual([]);
  });
});
